//! Errors: what went wrong with a call, and what is known about it.

use crate::Operation;
use std::fmt;
use std::time::Duration;

/// The most bytes of a response body an error keeps, so that an error stays
/// small and printable however large the server's page was.
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// The most bytes an [`Error`] keeps of any other text the server sent: the
/// envelope's description, a header, the value a decode error quotes, a
/// JSON path. Longer ones are cut at a character boundary and end in `…`.
pub const TEXT_LIMIT: usize = 1024;

/// What kind of failure an [`Error`] is.
///
/// The HTTP statuses follow the API's table: 400 bad parameters, 401
/// credentials, 404 not found, 429 throttling, 500 server error, 501 method
/// not supported. An envelope whose own `status` says failure under HTTP 200
/// gets the kind of that status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: a parameter is missing or wrong.
    BadRequest,
    /// 401: the token is missing, wrong, expired or revoked.
    Unauthorized,
    /// 404: the resource or the path does not exist.
    NotFound,
    /// 429: too many requests; see [`Error::retry_after`].
    Throttled,
    /// 500 and any 5xx but 501 and 503: the server failed.
    ServerError,
    /// 503: the server is unavailable for now; see [`Error::retry_after`].
    ServiceUnavailable,
    /// 501: the server does not support this method on this path.
    NotImplemented,
    /// Any other status that is not a success.
    UnexpectedStatus,
    /// The request could not be sent or the response not received.
    Transport,
    /// The call took longer than the configured timeout.
    Timeout,
    /// The response arrived but is not what the spec describes.
    Decode,
    /// An argument cannot be sent as given (for example a path parameter
    /// `..`), so nothing was sent.
    InvalidArgument,
    /// The client is misconfigured (no token, a bad base URL).
    Config,
}

impl ErrorKind {
    /// The kind for an HTTP status that is not a success.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::Throttled,
            501 => ErrorKind::NotImplemented,
            503 => ErrorKind::ServiceUnavailable,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::UnexpectedStatus,
        }
    }

    fn summary(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::NotFound => "not found",
            ErrorKind::Throttled => "throttled",
            ErrorKind::ServerError => "server error",
            ErrorKind::ServiceUnavailable => "service unavailable",
            ErrorKind::NotImplemented => "not implemented",
            ErrorKind::UnexpectedStatus => "unexpected status",
            ErrorKind::Transport => "transport error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Decode => "unexpected response",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Config => "configuration error",
        }
    }

    /// What a user can do about it.
    fn advice(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "check the parameters against the operation's docs",
            ErrorKind::Unauthorized => {
                "check the API token (CIRRUS_TOKEN): it may be wrong, expired or revoked"
            }
            ErrorKind::NotFound => "check the ids in the path",
            ErrorKind::Throttled => "slow down and retry later",
            ErrorKind::ServerError | ErrorKind::ServiceUnavailable => "retry later",
            ErrorKind::NotImplemented => "the server does not offer this method on this path",
            ErrorKind::UnexpectedStatus => "see the status and body",
            ErrorKind::Transport => "check the network and the base URL",
            ErrorKind::Timeout => "retry, or raise the timeout",
            ErrorKind::Decode => "the response does not match the spec; see the body",
            ErrorKind::InvalidArgument => "nothing was sent; fix the argument",
            ErrorKind::Config => "fix the client's configuration",
        }
    }
}

/// An error from a call, or from building a client.
///
/// It keeps what is known: the kind, the operation, the HTTP status, the
/// envelope's description, the request id the server gave, the response's
/// content type and a piece of its body of at most
/// [`BODY_SNIPPET_LIMIT`] bytes. The token is never part of it.
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Default)]
struct Inner {
    kind: Option<ErrorKind>,
    operation: Option<&'static Operation>,
    status: Option<u16>,
    /// The HTTP status, where the failure came from the envelope's status.
    http_status: Option<u16>,
    description: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    content_type: Option<String>,
    body: Option<String>,
    retry_after: Option<Duration>,
    www_authenticate: Option<String>,
    json_path: Option<String>,
    /// Set when connecting failed, so the request never left the client.
    not_sent: bool,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error {
            inner: Box::new(Inner {
                kind: Some(kind),
                ..Inner::default()
            }),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config).with_message(message)
    }

    pub(crate) fn invalid_argument(
        operation: &'static Operation,
        message: impl Into<String>,
    ) -> Error {
        Error::new(ErrorKind::InvalidArgument)
            .with_operation(operation)
            .with_message(message)
    }

    pub(crate) fn with_operation(mut self, operation: &'static Operation) -> Error {
        self.inner.operation = Some(operation);
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Error {
        // A decode error's message quotes the value at fault, which the
        // server chose.
        self.inner.message = Some(bounded(message.into()));
        self
    }

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }

    /// The envelope reported failure under a successful HTTP status.
    pub(crate) fn with_envelope_status(mut self, status: u16) -> Error {
        self.inner.http_status = self.inner.status;
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_description(mut self, description: Option<String>) -> Error {
        self.inner.description = description.filter(|d| !d.is_empty()).map(bounded);
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn not_sent(mut self) -> Error {
        self.inner.not_sent = true;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_json_path(mut self, path: String) -> Error {
        self.inner.json_path = Some(bounded(path));
        self
    }

    pub(crate) fn with_response(mut self, response: &crate::transport::ResponseParts) -> Error {
        self.inner.status = Some(response.status);
        self.inner.request_id = response.request_id().map(bounded);
        self.inner.content_type = response.header("content-type").map(bounded);
        self.inner.retry_after = response.retry_after();
        self.inner.www_authenticate = response.header("www-authenticate").map(bounded);
        self.inner.body = Some(snippet(&response.body));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind.unwrap_or(ErrorKind::UnexpectedStatus)
    }

    /// The operation that failed, if the error came from a call.
    pub fn operation(&self) -> Option<&'static Operation> {
        self.inner.operation
    }

    /// The status that failed: the HTTP status, or the envelope's own
    /// `status` where that said failure under a successful HTTP status
    /// (then [`http_status`](Self::http_status) differs).
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The HTTP status of the response, if one arrived.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status.or(self.inner.status)
    }

    /// The envelope's `description`, if the server sent one (its first
    /// [`TEXT_LIMIT`] bytes, like every text of the server's that an error
    /// keeps).
    pub fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    /// The request id the server put in `x-request-id` (or a similar
    /// header), to quote to support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The response's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.inner.content_type.as_deref()
    }

    /// The start of the response body (at most [`BODY_SNIPPET_LIMIT`] bytes,
    /// cut at a character boundary; invalid UTF-8 replaced).
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// How long the server asked to wait (`Retry-After`), on 429 and 503.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The `WWW-Authenticate` challenge of a 401.
    pub fn www_authenticate(&self) -> Option<&str> {
        self.inner.www_authenticate.as_deref()
    }

    /// For decode errors: the JSON path of the value at fault, such as
    /// `data.owner.id`.
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }

    /// Whether the server may have acted on the request although the call
    /// failed: after a timeout, a broken connection, a 5xx, or a response
    /// that does not decode. For a POST or PATCH this means the effect (a
    /// message sent, a conversation created) may exist: check before sending
    /// it again. False when the request provably did no work: it was not
    /// sent, or the server refused it with a 4xx.
    pub fn may_have_been_processed(&self) -> bool {
        match self.kind() {
            ErrorKind::Transport | ErrorKind::Timeout => !self.inner.not_sent,
            ErrorKind::ServerError | ErrorKind::ServiceUnavailable | ErrorKind::Decode => true,
            ErrorKind::UnexpectedStatus => self.inner.status.is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    /// How many attempts the call made before it failed: 1 when it was not
    /// retried, 0 when it failed before any attempt (a bad argument). An
    /// attempt that could not connect counts.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the server answered 429 (or an envelope said so).
    pub fn is_throttled(&self) -> bool {
        self.kind() == ErrorKind::Throttled
    }

    /// Whether the failure came from the HTTP status or the envelope's status.
    pub fn is_status(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::BadRequest
                | ErrorKind::Unauthorized
                | ErrorKind::NotFound
                | ErrorKind::Throttled
                | ErrorKind::ServerError
                | ErrorKind::ServiceUnavailable
                | ErrorKind::NotImplemented
                | ErrorKind::UnexpectedStatus
        )
    }
}

/// The first [`BODY_SNIPPET_LIMIT`] bytes of a body as text.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_SNIPPET_LIMIT * 2)]);
    cut(&text, BODY_SNIPPET_LIMIT)
}

/// A text the server chose, cut to [`TEXT_LIMIT`] bytes, so that an error
/// stays small however large the response was.
fn bounded(text: String) -> String {
    if text.len() <= TEXT_LIMIT {
        return text;
    }
    cut(&text, TEXT_LIMIT)
}

/// `text` up to `limit` bytes, cut at a character boundary and marked `…`
/// where it was cut.
fn cut(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        if let Some(op) = inner.operation {
            write!(f, "{op}: ")?;
        }
        f.write_str(self.kind().summary())?;
        match (inner.status, inner.http_status) {
            (Some(status), Some(http)) => write!(
                f,
                " (status {status} in the envelope of an HTTP {http} response)"
            )?,
            (Some(status), None) => write!(f, " (HTTP {status})")?,
            _ => {}
        }
        if let Some(path) = &inner.json_path {
            write!(f, " at `{path}`")?;
        }
        if let Some(message) = &inner.message {
            write!(f, ": {message}")?;
        }
        if let Some(description) = &inner.description {
            write!(f, ": {description}")?;
        }
        if let Some(wait) = inner.retry_after {
            write!(f, "; retry after {} s", wait.as_secs_f64().ceil())?;
        }
        if let Some(id) = &inner.request_id {
            write!(f, "; request id {id}")?;
        }
        if inner.attempts > 1 {
            write!(f, "; after {} attempts", inner.attempts)?;
        }
        let changes_state = inner
            .operation
            .is_some_and(|op| matches!(op.method, "POST" | "PATCH"));
        if changes_state && self.may_have_been_processed() {
            f.write_str("; the request may have been processed: check before sending it again")?;
        }
        write!(f, " ({})", self.kind().advice())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &self.kind());
        if let Some(op) = inner.operation {
            debug.field("operation", &format_args!("{op}"));
        }
        macro_rules! some {
            ($($name:ident),*) => {$(
                if let Some(value) = &inner.$name {
                    debug.field(stringify!($name), value);
                }
            )*};
        }
        some!(
            status,
            description,
            message,
            request_id,
            content_type,
            retry_after,
            www_authenticate,
            json_path,
            body
        );
        if let Some(source) = &inner.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| &**s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_api_table() {
        assert_eq!(ErrorKind::from_status(400), ErrorKind::BadRequest);
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Unauthorized);
        assert_eq!(ErrorKind::from_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::Throttled);
        assert_eq!(ErrorKind::from_status(500), ErrorKind::ServerError);
        assert_eq!(ErrorKind::from_status(502), ErrorKind::ServerError);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::ServiceUnavailable);
        assert_eq!(ErrorKind::from_status(501), ErrorKind::NotImplemented);
        assert_eq!(ErrorKind::from_status(418), ErrorKind::UnexpectedStatus);
    }

    #[test]
    fn snippet_is_bounded_and_cut_at_a_char_boundary() {
        let body = "é".repeat(1000);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= BODY_SNIPPET_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(snippet(b"short"), "short");
    }
}
