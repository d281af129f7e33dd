//! Shared helpers for the workspace's tests.

use cirrus_client::{Client, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The envelope the API's documentation shows, around `data`.
pub fn envelope(data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "status": 200,
        "description": "Operation successful",
        "response_time": "2024-08-06T07:51:52.2581942Z",
        "data": data,
    })
}

/// A client for a mock server on 127.0.0.1, with the token `test-token`.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .build()
        .expect("a loopback base URL is accepted")
}

/// A client like [`client_for`] that sends every call once (no retries), so
/// that a test sees the server's one answer to one request.
pub fn client_once(server: &MockServer) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .build()
        .expect("a loopback base URL is accepted")
}

/// Answers every request to `server` with `response`.
pub async fn answer_all(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// The one request the server received; fails the test if it saw none or
/// several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// A request header as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The request body as text.
pub fn body_text(request: &Request) -> String {
    String::from_utf8(request.body.clone()).expect("the body is UTF-8")
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The part's header lines, as sent (without the blank line).
    pub headers: String,
    /// The part's content, as sent.
    pub content: Vec<u8>,
}

impl FormPart {
    /// The part's `Content-Disposition` line.
    pub fn disposition(&self) -> &str {
        self.header("content-disposition")
            .expect("every part has a Content-Disposition")
    }

    /// The value of one header of the part, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.split("\r\n").find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    /// The content as text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.content).expect("the part is UTF-8")
    }
}

/// Splits a `multipart/form-data` request body into its parts, checking the
/// framing (`--boundary` lines, CRLFs, the closing `--boundary--`) on the way.
pub fn multipart_parts(request: &Request) -> Vec<FormPart> {
    let content_type = header(request, "content-type").expect("a multipart body has a type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"))
        .trim_matches('"')
        .to_owned();
    let body = &request.body;
    let opening = format!("--{boundary}\r\n");
    assert!(
        body.starts_with(opening.as_bytes()),
        "the body opens with the boundary"
    );
    let closing = format!("\r\n--{boundary}--\r\n");
    assert!(
        body.ends_with(closing.as_bytes()),
        "the body closes with the final boundary"
    );
    let inner = &body[opening.len()..body.len() - closing.len()];
    let separator = format!("\r\n--{boundary}\r\n");
    split_bytes(inner, separator.as_bytes())
        .into_iter()
        .map(|part| {
            let at = find(part, b"\r\n\r\n").expect("a part has headers and a blank line");
            FormPart {
                headers: String::from_utf8(part[..at].to_vec()).expect("part headers are text"),
                content: part[at + 4..].to_vec(),
            }
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split_bytes<'a>(mut bytes: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find(bytes, separator) {
        pieces.push(&bytes[..at]);
        bytes = &bytes[at + separator.len()..];
    }
    pieces.push(bytes);
    pieces
}
