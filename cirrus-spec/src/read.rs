//! Phase 1: the spec's text becomes a JSON document.

use crate::problem::{Location, Problem};
use serde_json::Value;

/// Parses the spec's text as JSON.
///
/// Known shortcoming: a key written twice in one object is not reported;
/// like serde_json, the reader keeps the last. Reporting it needs a reader
/// that sees the keys before they become a map.
///
/// A syntax error names its line and column (counted in characters, as
/// editors count them) and, for the mistakes people make most by hand, what
/// to do. A trailing comma is reported where the comma is, not at the
/// bracket after it.
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
    serde_json::from_str(text).map_err(|error| {
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
                "a trailing comma after the last item, which JSON does not allow: remove it"
                    .to_owned(),
            )
        } else {
            let hint = if detail.contains("EOF") {
                "; the file ends early: close every `{` and `[`"
            } else if detail.contains("key must be a string") {
                "; object keys need double quotes"
            } else {
                ""
            };
            (at, format!("{detail}{hint}"))
        };
        let location = match at {
            Some(at) => position_of(text, at),
            // Column 0 is the start of a line, before its first character.
            None => Location::Text {
                line: error.line(),
                column: error.column().max(1),
            },
        };
        Problem {
            location,
            message: format!("the spec is not valid JSON: {message}"),
        }
    })
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
