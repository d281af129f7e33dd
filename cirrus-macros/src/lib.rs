//! The `generate!` macro: expands a cirrus spec into a typed API client.
//!
//! Use it through `cirrus-client`, which re-exports it together with the
//! runtime the generated code calls: `cirrus_client::generate!("spec.json")`.
//!
//! The work is done in phases. Reading, modelling and checking the spec
//! belong to the `cirrus-spec` library, shared with the other tools; this
//! crate resolves the path and reports problems as compile errors; the
//! expansion of a checked spec is `cirrus-codegen`'s.

mod input;

use proc_macro::TokenStream;

/// Expands the spec at the given path, relative to the invoking crate's
/// `Cargo.toml` folder, into a `Client`, one Rust module per API module and
/// a `types` module.
///
/// ```ignore
/// cirrus_client::generate!("spec/cirrus.json");
/// ```
///
/// A bad spec is a compile error for every problem found, each naming the
/// spec file, where in it (line and column for JSON syntax, a JSON pointer
/// otherwise) and what to do.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let input = match syn::parse::<input::Input>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error().into(),
    };
    match input.load() {
        Ok(loaded) => cirrus_codegen::expand(&loaded.spec, &loaded.absolute_path).into(),
        Err(errors) => errors.into(),
    }
}
