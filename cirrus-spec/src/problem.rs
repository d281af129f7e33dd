//! What is wrong with a spec, and where.

use std::fmt;

/// Where in the spec a problem lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the text, for syntax errors; both count from 1.
    Text {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
    },
    /// A JSON pointer (RFC 6901) to the value at fault, such as
    /// `/modules/Objects/operations/Get/response`.
    Pointer(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "line {line}, column {column}"),
            Location::Pointer(pointer) if pointer.is_empty() => f.write_str("the top level"),
            Location::Pointer(pointer) => f.write_str(pointer),
        }
    }
}

/// One problem in a spec: where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Problem {
    /// A problem at a JSON pointer.
    pub fn at(pointer: &str, message: impl Into<String>) -> Problem {
        Problem {
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// All the problems of one spec, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Appends a key to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn join(pointer: &str, key: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + key.len() + 1);
    joined.push_str(pointer);
    joined.push('/');
    for c in key.chars() {
        match c {
            '~' => joined.push_str("~0"),
            '/' => joined.push_str("~1"),
            c => joined.push(c),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        assert_eq!(join("/types", "a/b~c"), "/types/a~1b~0c");
    }
}
