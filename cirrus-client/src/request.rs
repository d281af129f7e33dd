//! A request as the generated code assembles it: path segments, query pairs
//! and body fields, each encoded as one unit.

use crate::{Error, RetryPolicy, Timestamp};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::borrow::Cow;
use std::fmt;

/// Everything but RFC 3986's unreserved characters is escaped, so a value
/// is always one path segment or one query value: `/`, `?`, `#`, `&`, `=`,
/// `+`, `%` and `=` padding of encrypted ids all arrive as sent.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An operation of the API, as the generated code describes it to the
/// runtime; errors name it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The module, as the spec names it (`Objects`).
    pub module: &'static str,
    /// The operation, as the spec names it (`Get`).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template (`/streams/{STREAM_ID}/objects/{OBJECT_ID}`).
    pub path: &'static str,
    /// How the body is encoded: `none`, `json-data`, `form-data`, `json` or
    /// `multipart`.
    pub body: &'static str,
    /// Whether the response is the usual envelope.
    pub envelope: bool,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} ({} {})",
            self.module, self.name, self.method, self.path
        )
    }
}

/// A file to upload in a multipart body.
///
/// ```
/// let file = cirrus_client::FilePart::new("audience.csv", b"phone1\n442079832100\n".to_vec())
///     .mime("text/csv");
/// assert_eq!(file.file_name(), "audience.csv");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    pub(crate) mime: Option<String>,
    bytes: Vec<u8>,
}

impl FilePart {
    /// A file with its name and contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> FilePart {
        FilePart {
            file_name: file_name.into(),
            mime: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the content type (`application/octet-stream` when not set).
    pub fn mime(mut self, mime: impl Into<String>) -> FilePart {
        self.mime = Some(mime.into());
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The contents.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A value that can stand as one path segment or query value.
///
/// Implemented for the spec's scalar types and by the macro for every
/// generated enumeration.
pub trait ParamValue {
    /// The value as text, before percent-encoding.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(i32, i64, f64);

impl ParamValue for Timestamp {
    /// Unix seconds: the API's query filters take times so.
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.unix_seconds().to_string())
    }
}

/// How a list goes into the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `status=1,8`.
    Comma,
    /// `status=1&status=8`.
    Repeat,
}

/// One field of a multipart body.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(&'static str, String),
    File(&'static str, FilePart),
}

/// A request being assembled by generated code.
#[derive(Debug)]
pub struct RequestParts {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    pub(crate) query: String,
    /// The body's JSON object, written field by field; `None` until the
    /// first field.
    pub(crate) json: Option<Vec<u8>>,
    pub(crate) parts: Vec<Part>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl RequestParts {
    /// Starts a request for an operation.
    pub fn new(operation: &'static Operation) -> RequestParts {
        RequestParts {
            operation,
            path: String::with_capacity(operation.path.len() + 16),
            query: String::new(),
            json: None,
            parts: Vec::new(),
            retry: None,
        }
    }

    /// Retries this call by `policy` instead of the client's policy.
    pub fn set_retry(&mut self, policy: Option<RetryPolicy>) {
        self.retry = policy;
    }

    /// Appends a literal path segment, checked by the macro to need no
    /// escaping.
    pub fn segment(&mut self, literal: &'static str) {
        self.path.push('/');
        self.path.push_str(literal);
    }

    /// Appends a path parameter as one escaped segment.
    ///
    /// An empty value, `.` or `..` (also percent-encoded) is refused: a URL
    /// parser would drop or fold the segment and the request would reach
    /// another resource.
    pub fn path_param<V: ParamValue + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        let text = value.to_param();
        let decoded = percent_decode_str(&text).decode_utf8_lossy();
        if text.is_empty() || decoded == "." || decoded == ".." {
            return Err(Error::invalid_argument(
                self.operation,
                format!("path parameter {name} is {text:?}, which cannot stand as a path segment"),
            ));
        }
        self.path.push('/');
        self.path.extend(utf8_percent_encode(&text, COMPONENT));
        Ok(())
    }

    /// Adds `name=value` to the query.
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        self.query_key(name);
        self.query
            .extend(utf8_percent_encode(&value.to_param(), COMPONENT));
    }

    /// Adds a list to the query; an empty list adds nothing.
    pub fn query_list<V: ParamValue>(&mut self, name: &str, values: &[V], style: ListStyle) {
        match style {
            ListStyle::Repeat => {
                for value in values {
                    self.query(name, value);
                }
            }
            ListStyle::Comma if values.is_empty() => {}
            ListStyle::Comma => {
                self.query_key(name);
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        self.query.push(',');
                    }
                    self.query
                        .extend(utf8_percent_encode(&value.to_param(), COMPONENT));
                }
            }
        }
    }

    fn query_key(&mut self, name: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(utf8_percent_encode(name, COMPONENT));
        self.query.push('=');
    }

    /// Adds a body field. Multipart bodies send a string as text and other
    /// values as JSON text; the other encodings add it to a JSON object.
    pub fn body_field<V: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) -> Result<(), Error> {
        let json = serde_json::to_vec(value).map_err(|e| {
            Error::invalid_argument(
                self.operation,
                format!("body field {name} cannot be written as JSON: {e}"),
            )
            .with_source(e)
        })?;
        if self.operation.body == "multipart" {
            let text = match serde_json::from_slice::<String>(&json) {
                Ok(text) => text,
                Err(_) => String::from_utf8_lossy(&json).into_owned(),
            };
            self.parts.push(Part::Text(name, text));
            return Ok(());
        }
        let object = self.json.get_or_insert_with(|| vec![b'{']);
        if object.len() > 1 {
            object.push(b',');
        }
        // A &str always serializes.
        serde_json::to_writer(&mut *object, name).ok();
        object.push(b':');
        object.extend_from_slice(&json);
        Ok(())
    }

    /// Adds a file part to a multipart body.
    pub fn body_file(&mut self, name: &'static str, file: &FilePart) {
        self.parts.push(Part::File(name, file.clone()));
    }

    /// The body's JSON object, closed; `{}` when no field was given.
    pub(crate) fn json_object(&self) -> Vec<u8> {
        let mut object = Vec::new();
        self.write_json_object(&mut object);
        object
    }

    /// Appends the body's JSON object, closed, to `out`: a body that wraps
    /// it (`{"data": ...}`) copies it once.
    pub(crate) fn write_json_object(&self, out: &mut Vec<u8>) {
        match &self.json {
            Some(object) => {
                out.reserve(object.len() + 1);
                out.extend_from_slice(object);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"{}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: Operation = Operation {
        module: "Objects",
        name: "Get",
        method: "GET",
        path: "/streams/{STREAM_ID}/objects/{OBJECT_ID}",
        body: "none",
        envelope: true,
    };

    fn path_for(stream_id: &str) -> Result<String, Error> {
        let mut request = RequestParts::new(&OP);
        request.segment("streams");
        request.path_param("STREAM_ID", stream_id)?;
        request.segment("objects");
        request.path_param("OBJECT_ID", &7i64)?;
        Ok(request.path)
    }

    #[test]
    fn path_values_are_one_segment_escaped_once() {
        let cases = [
            (
                "hNyRN_fLUy7rrOrN9jLpipA==",
                "/streams/hNyRN_fLUy7rrOrN9jLpipA%3D%3D/objects/7",
            ),
            ("a/b", "/streams/a%2Fb/objects/7"),
            ("a b", "/streams/a%20b/objects/7"),
            ("x?y#z", "/streams/x%3Fy%23z/objects/7"),
            ("100%", "/streams/100%25/objects/7"),
            ("é", "/streams/%C3%A9/objects/7"),
        ];
        for (value, path) in cases {
            assert_eq!(path_for(value).unwrap(), path, "{value}");
        }
    }

    #[test]
    fn dot_segments_are_refused() {
        for value in [".", "..", "%2e%2E", "%2E", ""] {
            let error = path_for(value).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{value}");
        }
    }

    #[test]
    fn query_lists_and_escaping() {
        let mut request = RequestParts::new(&OP);
        request.query("includeChilds", &false);
        request.query_list("status", &[1i64, 8], ListStyle::Comma);
        request.query_list::<i64>("empty", &[], ListStyle::Comma);
        request.query_list("tag", &[1i64, 2], ListStyle::Repeat);
        request.query("q", "a&b=c+d");
        assert_eq!(
            request.query,
            "includeChilds=false&status=1,8&tag=1&tag=2&q=a%26b%3Dc%2Bd"
        );
    }
}
