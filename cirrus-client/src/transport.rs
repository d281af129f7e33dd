//! Sending a request and reading its response.

use crate::config::{ClientBuilder, Token};
use crate::decode::Decode;
use crate::request::{Part, RequestParts};
use crate::{Envelope, Error, ErrorKind, RetryPolicy};
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;
use url::Url;

/// The configured HTTP side of a client: base URL, token, timeouts and the
/// connection pool. Cloning is cheap and shares the pool.
///
/// Generated clients hold one; `Client::transport()` reaches it.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    authorization: HeaderValue,
    token: Token,
    user_agent: HeaderValue,
    timeout: Duration,
    max_body_bytes: usize,
    retry: RetryPolicy,
    /// The base URL without query, fragment or trailing slash.
    base_prefix: String,
    /// Whether `http` came from the user rather than from us.
    custom_http: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token)
            .field("timeout", &self.inner.timeout)
            .field("max_body_bytes", &self.inner.max_body_bytes)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// What an error keeps of a response.
#[derive(Debug)]
pub(crate) struct ResponseParts {
    pub(crate) status: u16,
    /// Read only when an error needs them, so that a success pays for no
    /// header lookups.
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl ResponseParts {
    /// A header's value as text.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        header_text(&self.headers, name)
    }

    /// The id the server gave the request, from the first header that has one.
    pub(crate) fn request_id(&self) -> Option<String> {
        REQUEST_ID_HEADERS.iter().find_map(|name| self.header(name))
    }

    /// `Retry-After`, read as a wait from now.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.header(header::RETRY_AFTER.as_str())
            .and_then(|value| parse_retry_after(&value, SystemTime::now()))
    }
}

/// Headers servers use to name a request, in order of preference.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
];

impl Transport {
    pub(crate) fn new<C>(config: ClientBuilder<C>) -> Result<Transport, Error> {
        let token = config
            .token
            .filter(|t| !t.0.trim().is_empty())
            .ok_or_else(|| Error::config("no API token: call .token(...) or set CIRRUS_TOKEN"))?;
        let base_url = Url::parse(config.base_url.trim()).map_err(|e| {
            Error::config(format!(
                "base URL {:?} does not parse: {e}",
                config.base_url
            ))
        })?;
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(Error::config(
                "the base URL holds a user name or password: the API authenticates with the \
                 token alone, so remove them",
            ));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::config(format!(
                "base URL {base_url} has a query or fragment, which requests cannot keep: remove it"
            )));
        }
        match base_url.scheme() {
            "https" => {}
            "http" if config.allow_insecure_http || is_loopback(&base_url) => {}
            "http" => {
                return Err(Error::config(format!(
                    "base URL {base_url} is plain HTTP to a remote host, which would send the token \
                     in clear text: use https, or allow_insecure_http(true) if you must"
                )));
            }
            other => {
                return Err(Error::config(format!(
                    "base URL scheme {other:?} is not http or https"
                )));
            }
        }
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.0.trim()))
            .map_err(|_| Error::config("the token holds characters a header cannot carry"))?;
        authorization.set_sensitive(true);
        let user_agent = HeaderValue::try_from(config.user_agent)
            .map_err(|_| Error::config("the user agent holds characters a header cannot carry"))?;
        let custom_http = config.http.is_some();
        let mut base_prefix = base_url.clone();
        base_prefix.set_query(None);
        base_prefix.set_fragment(None);
        let base_prefix = base_prefix.as_str().trim_end_matches('/').to_owned();
        let http = match config.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| {
                    Error::config(format!("cannot start the HTTP client: {e}")).with_source(e)
                })?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                token,
                user_agent,
                timeout: config.timeout,
                max_body_bytes: config.max_body_bytes,
                retry: config.retry,
                base_prefix,
                custom_http,
            }),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends a request assembled by generated code and reads its response as
    /// an envelope holding a `T`.
    ///
    /// # Errors
    ///
    /// Every failure is an [`Error`]: its [`kind`](Error::kind) says which.
    pub async fn send<T: Decode>(&self, request: RequestParts) -> Result<Envelope<T>, Error> {
        let operation = request.operation;
        let response = self.exchange_with_retries(request).await?;
        decode_success(operation, response)
    }

    /// Sends a request that generated code assembled, or returns the error
    /// assembling it met (a bad argument), without sending anything.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_prepared<T: Decode>(
        &self,
        request: Result<RequestParts, Error>,
    ) -> Result<Envelope<T>, Error> {
        self.send(request?).await
    }

    /// Sends a request, retrying by its policy, until a 2xx response or a
    /// final error. Not generic, so that it is compiled once however many
    /// response types a spec has: a large spec would otherwise copy this
    /// whole state machine for each of them.
    async fn exchange_with_retries(&self, request: RequestParts) -> Result<ResponseParts, Error> {
        let operation = request.operation;
        let span = tracing::debug_span!(
            "cirrus.call",
            module = operation.module,
            operation = operation.name,
            method = operation.method,
            path = operation.path,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let policy = request.retry.as_ref().unwrap_or(&self.inner.retry);
            let mut attempt = 1;
            let mut waited = Duration::ZERO;
            let result = loop {
                let outcome = match self.exchange(&request).await {
                    Ok(response) => {
                        tracing::Span::current().record("status", response.status);
                        check_status(operation, response)
                    }
                    Err(error) => Err(error),
                };
                let error = match outcome {
                    Ok(response) => break Ok(response),
                    Err(error) => error,
                };
                match policy.next_wait(operation.method, &error, attempt, waited) {
                    Some(wait) => {
                        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
                        tokio::time::sleep(wait).await;
                        waited += wait;
                        attempt += 1;
                    }
                    None => break Err(error.with_attempts(attempt)),
                }
            };
            tracing::Span::current().record("latency_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => tracing::debug!(attempts = attempt, "call answered"),
                Err(error) => tracing::debug!(error = %error, "call failed"),
            }
            result
        }
        .instrument(span)
        .await
    }

    /// Sends the request and reads the whole body.
    async fn exchange(&self, request: &RequestParts) -> Result<ResponseParts, Error> {
        let operation = request.operation;
        let url = self.url_for(request);
        let method = reqwest::Method::from_bytes(operation.method.as_bytes()).map_err(|_| {
            Error::invalid_argument(operation, "the spec's HTTP method is not one reqwest knows")
        })?;
        let mut builder = self.inner.http.request(method, url);
        if self.inner.custom_http {
            // A client we built has the timeout already; one the user gave
            // may not, so each request carries it.
            builder = builder.timeout(self.inner.timeout);
        }
        builder = builder
            .header(header::AUTHORIZATION, self.inner.authorization.clone())
            .header(header::USER_AGENT, self.inner.user_agent.clone())
            .header(header::ACCEPT, "application/json");
        builder = match operation.body {
            "json-data" => {
                let mut body = Vec::with_capacity(16 + request.json.as_ref().map_or(2, Vec::len));
                body.extend_from_slice(b"{\"data\":");
                request.write_json_object(&mut body);
                body.push(b'}');
                builder
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body)
            }
            "json" => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(request.json_object()),
            "form-data" => {
                // serde_json wrote it, so it is UTF-8 and borrowed as is.
                let json = request.json_object();
                let form = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("data", &String::from_utf8_lossy(&json))
                    .finish();
                builder
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(form)
            }
            "multipart" => {
                let mut form = reqwest::multipart::Form::new();
                for part in request.parts.iter().cloned() {
                    form = match part {
                        Part::Text(name, text) => form.text(name, text),
                        Part::File(name, file) => {
                            // The name goes into a part header as it is.
                            if file.file_name().chars().any(char::is_control) {
                                return Err(Error::invalid_argument(
                                    operation,
                                    format!("file {name}: the file name holds control characters"),
                                ));
                            }
                            // FilePart documents application/octet-stream when no
                            // type is set; a part without one would read as text/plain.
                            let mime = file.mime.as_deref().unwrap_or("application/octet-stream");
                            let part = reqwest::multipart::Part::bytes(file.bytes().to_vec())
                                .file_name(file.file_name().to_owned())
                                .mime_str(mime)
                                .map_err(|e| {
                                    Error::invalid_argument(
                                        operation,
                                        format!("file {name}: bad content type {mime:?}"),
                                    )
                                    .with_source(e)
                                })?;
                            form.part(name, part)
                        }
                    };
                }
                builder.multipart(form)
            }
            _ => builder,
        };

        let mut response = builder
            .send()
            .await
            .map_err(|e| transport_error(operation, e))?;
        let mut parts = ResponseParts {
            status: response.status().as_u16(),
            headers: std::mem::take(response.headers_mut()),
            body: Vec::new(),
        };
        parts.body = self.read_body(operation, response).await?;
        Ok(parts)
    }

    /// The request's URL as text: the base URL (its path a prefix), the
    /// escaped path and the query. reqwest parses it once; the escaping
    /// leaves nothing for the parser to change.
    fn url_for(&self, request: &RequestParts) -> String {
        let base = &self.inner.base_prefix;
        let mut url =
            String::with_capacity(base.len() + request.path.len() + request.query.len() + 1);
        url.push_str(base);
        url.push_str(&request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&request.query);
        }
        url
    }

    /// Reads the body up to the configured limit.
    async fn read_body(
        &self,
        operation: &'static crate::Operation,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.inner.max_body_bytes;
        let too_large = |status: u16| {
            Error::new(ErrorKind::Decode)
                .with_operation(operation)
                .with_status(status)
                .with_message(format!(
                    "the response body is larger than {limit} bytes; raise max_body_bytes if this is expected"
                ))
        };
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(too_large(status));
        }
        let mut body = Vec::with_capacity(response.content_length().map_or(0, |len| len as usize));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport_error(operation, e).with_status(status))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large(status));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Reads a response body exactly as a call does, without the network: for
/// tests, fuzzing and benchmarks of the decode path.
pub fn decode_response<T: Decode>(
    operation: &'static crate::Operation,
    status: u16,
    body: Vec<u8>,
) -> Result<Envelope<T>, Error> {
    let response = ResponseParts {
        status,
        headers: HeaderMap::new(),
        body,
    };
    decode_success(operation, check_status(operation, response)?)
}

/// Passes a 2xx response; turns any other into the error of its status.
fn check_status(
    operation: &'static crate::Operation,
    response: ResponseParts,
) -> Result<ResponseParts, Error> {
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(response);
    }
    let description = error_description(&response.body);
    let mut error = Error::new(ErrorKind::from_status(status))
        .with_operation(operation)
        .with_response(&response)
        .with_description(description);
    if let (300..=399, Some(location)) = (status, response.header(header::LOCATION.as_str())) {
        error = error.with_message(format!(
            "redirected to {location}, which was not followed: redirects are followed only \
             within the base URL's origin, five at most"
        ));
    }
    Err(error)
}

/// Reads a 2xx response as the operation's envelope, or the error its
/// envelope reports.
fn decode_success<T: Decode>(
    operation: &'static crate::Operation,
    response: ResponseParts,
) -> Result<Envelope<T>, Error> {
    let status = response.status;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return match T::from_empty_body() {
            Some(_) => Ok(Envelope::made_for(status, None)),
            None => Err(Error::new(ErrorKind::Decode)
                .with_operation(operation)
                .with_response(&response)
                .with_message("the response body was empty, but this operation returns data")),
        };
    }
    if !operation.envelope {
        let data = decode::<T>(operation, &response)?;
        return Ok(Envelope::made_for(status, Some(data)));
    }
    let mut envelope = decode::<Envelope<T>>(operation, &response)?;
    if envelope.status == 0 {
        // Every envelope carries its status; a 2xx body without one is
        // something else (a proxy's page, a bare object), not a success.
        return Err(Error::new(ErrorKind::Decode)
            .with_operation(operation)
            .with_response(&response)
            .with_message("the body is not a response envelope: it has no `status`"));
    }
    if !envelope.is_success() {
        let description = Some(std::mem::take(&mut envelope.description));
        return Err(Error::new(ErrorKind::from_status(envelope.status))
            .with_operation(operation)
            .with_response(&response)
            .with_envelope_status(envelope.status)
            .with_description(description));
    }
    Ok(envelope)
}

impl<T: Decode> Decode for Envelope<T> {
    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

/// Decodes a body, naming the JSON path of the value at fault on failure.
fn decode<T: Decode>(
    operation: &'static crate::Operation,
    response: &ResponseParts,
) -> Result<T, Error> {
    let mut reader = serde_json::Deserializer::from_slice(&response.body);
    let inner = match T::decode(&mut reader).and_then(|value| reader.end().map(|()| value)) {
        Ok(value) => return Ok(value),
        Err(inner) => inner,
    };
    let path = crate::json_path::path_at(&response.body, inner.line(), inner.column());
    let mut message = inner.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    let looks_json = response
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if !looks_json {
        message = format!("the body is not JSON ({message})");
    }
    // serde_json's error is not kept as the source: its text quotes the
    // value at fault whole, and the server chose how large that is. The
    // message holds the same text, bounded.
    let mut error = Error::new(ErrorKind::Decode)
        .with_operation(operation)
        .with_response(response)
        .with_message(message);
    if let Some(path) = path {
        error = error.with_json_path(path);
    }
    Err(error)
}

/// The envelope's description in an error body, if it is an envelope.
fn error_description(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        description: Option<String>,
        message: Option<String>,
        error: Option<serde_json::Value>,
    }
    let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
    parsed
        .description
        .or(parsed.message)
        .or_else(|| match parsed.error? {
            serde_json::Value::String(s) => Some(s),
            _ => None,
        })
}

fn transport_error(operation: &'static crate::Operation, error: reqwest::Error) -> Error {
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let connect_failed = error.is_connect();
    let message = if connect_failed {
        "could not connect".to_owned()
    } else if error.is_timeout() {
        "no complete response within the timeout".to_owned()
    } else {
        "the exchange with the server failed".to_owned()
    };
    // reqwest's error carries the URL, which holds no secret: the token
    // travels in a header only.
    let error = Error::new(kind)
        .with_operation(operation)
        .with_message(message)
        .with_source(error);
    if connect_failed {
        error.not_sent()
    } else {
        error
    }
}

/// Follows redirects within the base URL's origin only (at most five).
///
/// A redirect to another origin is not followed: the response comes back as
/// the 3xx it is, an error naming its `Location`. Following it would send
/// the request, and for a 307 or 308 its body, to a server the user never
/// named; reqwest drops the `Authorization` header across origins, but the
/// body would still go.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(first) = attempt.previous().first() else {
            return attempt.stop();
        };
        if attempt.url().origin() != first.origin() || attempt.previous().len() > 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?;
    Some(String::from_utf8_lossy(value.as_bytes()).trim().to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Reads `Retry-After`: whole or fractional seconds (rounded up, so a short
/// wait never becomes none), or an HTTP date. `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if !(0.0..=1e9).contains(&seconds) {
            return None;
        }
        return Some(Duration::from_secs(seconds.ceil() as u64));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let wait = at.duration_since(now).unwrap_or(Duration::ZERO);
    // The date has one-second resolution: round the wait up to whole seconds.
    Some(Duration::from_secs(
        wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("0.493", now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(120));
        let wait = parse_retry_after(&later, now).unwrap();
        assert!((119..=120).contains(&wait.as_secs()), "{wait:?}");
    }
}
