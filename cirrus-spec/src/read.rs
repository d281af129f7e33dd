//! Phase 1: the spec's text becomes a JSON document.

use crate::problem::{Location, Problem};
use serde_json::Value;

/// Parses the spec's text as JSON.
///
/// A syntax error names its line and column and, for the mistakes people
/// make most by hand, what to do.
pub fn read(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|error| {
        let line = error.line();
        let column = error.column();
        let detail = error.to_string();
        // serde_json appends " at line L column C"; the location is ours to print.
        let detail = match detail.rfind(" at line ") {
            Some(at) => detail[..at].to_owned(),
            None => detail,
        };
        let hint = if detail.contains("trailing comma") {
            "; JSON allows no comma after the last item: remove it"
        } else if detail.contains("EOF") {
            "; the file ends early: close every `{` and `[`"
        } else if detail.contains("key must be a string") {
            "; object keys need double quotes"
        } else {
            ""
        };
        Problem {
            location: Location::Text { line, column },
            message: format!("the spec is not valid JSON: {detail}{hint}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_comma_names_line_and_column() {
        let problem = read("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(problem.location, Location::Text { line: 3, column: 1 });
        assert!(
            problem.message.contains("trailing comma"),
            "{}",
            problem.message
        );
        assert!(problem.message.contains("remove it"), "{}", problem.message);
    }
}
