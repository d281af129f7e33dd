//! Phase 1: the spec's text becomes a JSON document.

use crate::problem::{Location, Problem};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Parses the spec's text as JSON.
///
/// A syntax error names its line and column (counted in characters, as
/// editors count them) and, for the mistakes people make most by hand, what
/// to do. A trailing comma is reported where the comma is, not at the
/// bracket after it. A key written twice in one object is an error too:
/// JSON readers keep one of the two silently, so half of what was written
/// would be lost without a word.
pub fn read(text: &str) -> Result<Value, Problem> {
    // Editors on some systems start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Problem {
            location: Location::Text { line: 1, column: 1 },
            message: "the spec file is empty: a spec is a JSON object with `title`, `version` \
                      and `modules`"
                .to_owned(),
        });
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let document = DocumentSeed
        .deserialize(&mut reader)
        .and_then(|document| reader.end().map(|()| document));
    document.map_err(|error| {
        let detail = error.to_string();
        // serde_json appends " at line L column C"; the location is ours to print.
        let detail = match detail.rfind(" at line ") {
            Some(at) => detail[..at].to_owned(),
            None => detail,
        };
        // serde_json counts columns in bytes, from 1 at the byte at fault.
        let at = offset_of(text, error.line(), error.column());
        let (at, message) = if detail.contains("trailing comma") {
            let comma = at.and_then(|at| comma_before(text, at));
            (
                comma.or(at),
                "the spec is not valid JSON: a trailing comma after the last item, which JSON \
                 does not allow: remove it"
                    .to_owned(),
            )
        } else if detail.starts_with(DUPLICATE_KEY) {
            // serde_json stops at the second key's closing quote; the key
            // starts at the quote before it.
            let key = at.and_then(|at| text[..at].rfind('"'));
            (
                key.or(at),
                format!(
                    "{detail}: JSON readers keep only one of the two, so the other would be \
                     lost without a word; remove or rename one"
                ),
            )
        } else {
            let hint = if detail.contains("EOF") {
                "; the file ends early: close every `{` and `[`"
            } else if detail.contains("key must be a string")
                && at.is_some_and(|at| text.as_bytes()[at] == b',')
            {
                "; a comma with no member before it (two in a row, or one right after `{`): \
                 remove it"
            } else if detail.contains("key must be a string") {
                "; object keys need double quotes"
            } else {
                ""
            };
            (at, format!("the spec is not valid JSON: {detail}{hint}"))
        };
        let location = match at {
            Some(at) => position_of(text, at),
            // Column 0 is the start of a line, before its first character.
            None => Location::Text {
                line: error.line(),
                column: error.column().max(1),
            },
        };
        Problem { location, message }
    })
}

/// The start of serde_json's message for a key written twice (ours, from
/// [`DocumentSeed`]).
const DUPLICATE_KEY: &str = "the key `";

/// Reads any JSON value as serde_json's `Value` does, but refuses an object
/// that has a key twice, where a map would keep only the last.
#[derive(Clone, Copy)]
struct DocumentSeed;

impl<'de> DeserializeSeed<'de> for DocumentSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // JSON text has no NaN or infinity, so every number it holds has a
        // `Number`.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "{DUPLICATE_KEY}{key}` appears twice in one object"
                )));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The byte offset of serde_json's (line, byte column); `None` for column 0,
/// which points before the line's first byte.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let at = start + column.checked_sub(1)?;
    (at < text.len() && text.is_char_boundary(at)).then_some(at)
}

/// The offset of the comma that the bracket at `at` follows, if any.
fn comma_before(text: &str, at: usize) -> Option<usize> {
    let (offset, c) = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())?;
    (c == ',').then_some(offset)
}

/// The line and character column of a byte offset, both from 1.
fn position_of(text: &str, at: usize) -> Location {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Location::Text {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_comma_names_line_and_column() {
        // The comma is the ninth character of line 2.
        let problem = read("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(problem.location, Location::Text { line: 2, column: 9 });
        assert!(
            problem.message.contains("trailing comma"),
            "{}",
            problem.message
        );
        assert!(problem.message.contains("remove it"), "{}", problem.message);
    }

    #[test]
    fn columns_count_characters() {
        // `2` is the ninth character and the tenth byte.
        let problem = read("{\"\u{e9}\": 1 2}").unwrap_err();
        assert_eq!(problem.location, Location::Text { line: 1, column: 9 });
    }

    #[test]
    fn a_doubled_comma_is_named_as_one() {
        // The second comma is the fifteenth character of line 2.
        let problem = read("{\n  \"docs\": \"x\",,\n  \"title\": \"A\"\n}").unwrap_err();
        assert_eq!(
            problem.location,
            Location::Text {
                line: 2,
                column: 15
            }
        );
        assert!(
            problem.message.contains("two in a row"),
            "{}",
            problem.message
        );
        // A key without quotes keeps its own hint.
        let problem = read("{\n  docs: 1\n}").unwrap_err();
        assert!(
            problem.message.contains("object keys need double quotes"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn early_end_points_at_a_real_column() {
        let problem = read("{\n").unwrap_err();
        assert_eq!(problem.location, Location::Text { line: 2, column: 1 });
        assert!(
            problem.message.contains("ends early"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_key_written_twice_is_named_where_it_is_written_again() {
        let text = "{\n  \"title\": \"A\",\n  \"docs\": \"x\",\n  \"title\": \"B\"\n}";
        let problem = read(text).unwrap_err();
        // The second `"title"` opens at the third character of line 4.
        assert_eq!(problem.location, Location::Text { line: 4, column: 3 });
        assert!(
            problem
                .message
                .starts_with("the key `title` appears twice in one object"),
            "{}",
            problem.message
        );
        assert!(
            problem.message.contains("remove or rename one"),
            "{}",
            problem.message
        );
        // The same key in two different objects is no problem.
        assert_eq!(
            read(r#"{"a": {"id": 1}, "b": {"id": 2}}"#).unwrap(),
            serde_json::json!({"a": {"id": 1}, "b": {"id": 2}})
        );
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"n": [1, -2, 1.5, 18446744073709551615, 1e400], "s": "\u00e9", "t": true, "z": null}"#;
        let ours = read(text);
        let theirs = serde_json::from_str::<Value>(text);
        // serde_json refuses a number out of range (1e400) in both.
        assert!(ours.is_err() && theirs.is_err());
        let text = r#"{"n": [1, -2, 1.5, 18446744073709551615, 0.1], "s": "\u00e9", "t": true, "z": null}"#;
        assert_eq!(
            read(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn empty_files_and_byte_order_marks() {
        let problem = read("  \n").unwrap_err();
        assert!(
            problem.message.starts_with("the spec file is empty"),
            "{}",
            problem.message
        );
        assert_eq!(
            read("\u{feff}{\"a\": 1}").unwrap(),
            serde_json::json!({"a": 1})
        );
    }
}
