//! Documentation attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for a text; rustdoc joins them as written.
///
/// Spec docs are prose, not Rust: a code block in them would become a doc
/// test in the user's crate and fail it. So a fence without a language is
/// marked `text`, and lines outside fences lose their indentation, which
/// would otherwise make an indented code block.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let mut in_fence = false;
    let lines = text.lines().map(|line| {
        let trimmed = line.trim_start();
        let line = if let Some(info) = trimmed.strip_prefix("```") {
            let opening = !in_fence;
            in_fence = !in_fence;
            if opening && info.trim().is_empty() {
                "```text"
            } else {
                trimmed
            }
        } else if in_fence {
            line
        } else {
            trimmed
        };
        // A leading space, as `///` comments have, keeps Markdown intact.
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// The spec's docs, or a stand-in, so that every public item has docs.
pub(crate) fn or(docs: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match docs {
        Some(text) if !text.trim().is_empty() => text.trim().to_owned(),
        _ => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_code_blocks_do_not_become_doc_tests() {
        let text = "Example:\n```\n{\"status\": 200}\n```\n    curl -X GET /x\n```json\n  {}\n```";
        let rendered = attrs(text).to_string();
        let lines: Vec<&str> = rendered.split("# [doc = ").skip(1).collect();
        assert_eq!(lines.len(), 8);
        assert!(lines[1].starts_with("\" ```text\""), "{}", lines[1]);
        assert!(lines[4].starts_with("\" curl -X GET /x\""), "{}", lines[4]);
        assert!(lines[5].starts_with("\" ```json\""), "{}", lines[5]);
        // Inside a fence, indentation is kept.
        assert!(lines[6].starts_with("\"   {}\""), "{}", lines[6]);
    }
}
