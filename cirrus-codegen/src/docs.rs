//! Documentation attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for a text; rustdoc joins them as written.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
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
