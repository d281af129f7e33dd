//! The JSON path of the value a decode error points at.
//!
//! serde_json reports where a decode failed as a line and a column of the
//! body, not as the path of the value there. Tracking the path while
//! decoding (what `serde_path_to_error` does) needs a second deserializer
//! type, so every response type's decode code is compiled twice; in a client
//! of 1,000 operations that second copy took the compiler past 2 GiB. So
//! after a failed decode the body is scanned once more as plain JSON text,
//! with no types, up to the error's position: one function, compiled once
//! whatever the spec, and run only on failure.

/// One open object or array on the way to the error's position.
enum Frame {
    /// An object, with the key whose value is being read (once its `:` has
    /// been passed).
    Object { key: Option<String>, in_value: bool },
    /// An array, with the index of the element being read.
    Array { index: usize },
}

/// The path (`data.owner.id`, `data.tags[2]`) of the value that serde_json's
/// error position falls in, or `None` when it falls in no value (text after
/// the body's value) or the error carries no position (line 0).
///
/// `line` and `column` are serde_json's: the line 1-based, the column the
/// number of bytes of that line read when the error was raised. Everything
/// before that point was read by serde_json, so it is well-formed JSON; the
/// scan needs to know only where strings end and objects and arrays open
/// and close.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> Option<String> {
    let end = read_up_to(body, line, column)?;
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < end {
        match body[at] {
            b'"' => {
                let close = string_end(body, at);
                if let Some(Frame::Object {
                    key,
                    in_value: false,
                }) = stack.last_mut()
                {
                    *key = Some(key_text(&body[at..close.min(body.len())]));
                }
                at = close;
                continue;
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                in_value: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        at += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some(key),
                in_value: true,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            // Between members: the fault is the object's own (a missing
            // field, a key it cannot take), so the path stops here.
            Frame::Object { .. } => break,
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    (!path.is_empty()).then_some(path)
}

/// The number of bytes serde_json had read at `line` and `column`, or `None`
/// for an error without a position.
fn read_up_to(body: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..line {
        line_start += body.get(line_start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    Some((line_start + column).min(body.len()))
}

/// The index just past the string that opens at `open` (past its closing
/// quote), or the body's length for a string cut short.
fn string_end(body: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while at < body.len() {
        match body[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    body.len()
}

/// An object key as text: its escapes resolved, or its raw bytes for a key
/// cut short.
fn key_text(quoted: &[u8]) -> String {
    serde_json::from_slice(quoted).unwrap_or_else(|_| {
        let raw = quoted.strip_prefix(b"\"").unwrap_or(quoted);
        let raw = raw.strip_suffix(b"\"").unwrap_or(raw);
        String::from_utf8_lossy(raw).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::path_at;
    use serde::Deserialize;

    /// The path serde_json's own error position leads to, decoding `body`
    /// as `T`.
    fn path_of<T: for<'de> Deserialize<'de>>(body: &str) -> Option<String> {
        let error = serde_json::from_str::<T>(body)
            .err()
            .expect("the body does not decode");
        path_at(body.as_bytes(), error.line(), error.column())
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Owner {
        id: String,
        name: Option<String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Contact {
        id: u64,
        owner: Option<Owner>,
        tags: Option<Vec<u32>>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Envelope {
        status: u16,
        data: Option<Vec<Contact>>,
    }

    #[test]
    fn a_string_where_a_number_belongs_names_its_key() {
        let body = r#"{"status":200,"data":[{"id":"seven"}]}"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data[0].id"));
    }

    #[test]
    fn null_in_a_required_field_names_the_field() {
        let body = r#"{"status":200,"data":[{"id":1},{"id":2,"owner":{"id":null}}]}"#;
        assert_eq!(
            path_of::<Envelope>(body).as_deref(),
            Some("data[1].owner.id")
        );
    }

    #[test]
    fn a_missing_field_names_the_object_that_lacks_it() {
        let body = r#"{"status":200,"data":[{"id":1,"owner":{"name":"Kim"}}]}"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data[0].owner"));
    }

    #[test]
    fn an_object_or_array_of_the_wrong_kind_is_named_before_it_is_read() {
        // serde_json rejects these at their opening bracket, unread.
        let body = r#"{"status":200,"data":[{"id":{"n":1}}]}"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data[0].id"));
        let body = r#"{"status":200,"data":[{"id":1,"tags":[4,[5]]}]}"#;
        assert_eq!(
            path_of::<Envelope>(body).as_deref(),
            Some("data[0].tags[1]")
        );
        let body = r#"{"status":200,"data":{"id":1}}"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data"));
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_do_not_mislead_the_scan() {
        let body = r#"{"status":200,"data":[{"id":1,"owner":{"name":"a \"[{\\\",","id":7}}]}"#;
        assert_eq!(
            path_of::<Envelope>(body).as_deref(),
            Some("data[0].owner.id")
        );
        let body = r#"{"st\u0061tus":"x"}"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("status"));
    }

    #[test]
    fn positions_on_later_lines_count_from_their_line() {
        let body =
            "{\n  \"status\": 200,\n  \"data\": [\n    {\"id\": 1},\n    {\"id\": -4}\n  ]\n}";
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data[1].id"));
    }

    #[test]
    fn text_after_the_value_and_errors_without_a_position_have_no_path() {
        let body = r#"{"status":200} trailing"#;
        assert_eq!(path_of::<Envelope>(body), None);
        assert_eq!(path_at(body.as_bytes(), 0, 0), None);
        // A position past the body (or a line it lacks) ends the scan there.
        assert_eq!(path_at(b"{\"data\":[1", 1, 99).as_deref(), Some("data[0]"));
        assert_eq!(path_at(b"{}", 5, 1), None);
    }

    #[test]
    fn a_body_cut_short_names_where_it_stops() {
        let body = r#"{"status":200,"data":[{"id":1,"owner":{"id":"u"#;
        assert_eq!(
            path_of::<Envelope>(body).as_deref(),
            Some("data[0].owner.id")
        );
        let body = r#"{"status":200,"data":[{"id":1,"own"#;
        assert_eq!(path_of::<Envelope>(body).as_deref(), Some("data[0]"));
    }
}
