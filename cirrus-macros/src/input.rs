//! The macro's argument: which spec to read, and reading it.

use cirrus_spec::{Location, Spec};
use proc_macro2::TokenStream;
use quote::quote_spanned;
use std::path::PathBuf;
use syn::LitStr;
use syn::parse::{Parse, ParseStream};

/// `generate!("path/to/spec.json")`.
pub struct Input {
    path: LitStr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the spec's path as a string literal, such as generate!(\"spec/cirrus.json\"); \
                 it is resolved against the folder of this crate's Cargo.toml, and macros such as \
                 concat! or env! are not expanded here",
            )
        })?;
        // A trailing comma is harmless; anything else is a mistake.
        if input.peek(syn::Token![,]) {
            input.parse::<syn::Token![,]>()?;
        }
        if !input.is_empty() {
            return Err(input.error("generate! takes one argument, the spec's path"));
        }
        Ok(Input { path })
    }
}

/// A spec read and checked, with the absolute path cargo must watch.
pub struct Loaded {
    pub spec: Spec,
    pub absolute_path: String,
}

impl Input {
    /// Reads and checks the spec; on failure, one `compile_error!` per
    /// problem, all at the macro's argument.
    pub fn load(&self) -> Result<Loaded, TokenStream> {
        let written = self.path.value();
        let span = self.path.span();
        let error = |message: String| quote_spanned! {span=> ::core::compile_error!(#message); };

        let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
            return Err(error(format!(
                "cannot resolve `{written}`: CARGO_MANIFEST_DIR is not set (build with cargo)"
            )));
        };
        let absolute = PathBuf::from(manifest_dir).join(&written);
        let text = match std::fs::read_to_string(&absolute) {
            Ok(text) => text,
            Err(io) => {
                return Err(error(format!(
                    "cannot read the spec `{written}` (relative to the folder of this crate's \
                     Cargo.toml): {io}"
                )));
            }
        };
        let Some(absolute_path) = absolute.to_str().map(str::to_owned) else {
            return Err(error(format!(
                "the spec's path `{written}` is not valid UTF-8"
            )));
        };
        match cirrus_spec::load(&text) {
            Ok(spec) => Ok(Loaded {
                spec,
                absolute_path,
            }),
            Err(problems) => {
                let mut errors = TokenStream::new();
                for problem in problems.0 {
                    let place = match &problem.location {
                        Location::Text { line, column } => format!("{written}:{line}:{column}"),
                        Location::Pointer(_) => format!("{written} at {}", problem.location),
                    };
                    errors.extend(error(format!("{place}: {}", problem.message)));
                }
                // Even a broken spec is watched, so fixing it triggers a rebuild.
                errors.extend(cirrus_codegen::track(&absolute.to_string_lossy()));
                Err(errors)
            }
        }
    }
}
