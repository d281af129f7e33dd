//! The expand phase of cirrus: a checked spec becomes Rust.
//!
//! The `generate!` macro (crate `cirrus-macros`) reads and checks a spec
//! with `cirrus-spec` and hands it here. This is a plain library so that
//! the expansion can also run outside the compiler: benchmarks time it, and
//! tools can print what a spec expands to.
//!
//! The expansion is one item list: the `Client`, a Rust module per API
//! module (its accessor and requests, see [`operations`]) and a `types`
//! module (see [`types`]). Every path in it is absolute (`::core::...`,
//! `::cirrus_client::...`) so that it compiles wherever the user invokes
//! the macro, whatever they have named `Result`, `Option` or `String`; it
//! emits no `allow` attribute, which a user's `forbid` would reject.

#![deny(missing_docs)]

mod docs;
mod operations;
mod rust_type;
mod types;

use cirrus_spec::Spec;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The whole expansion of a spec; `absolute_path` is the spec file, which
/// the expansion names so that cargo rebuilds when it changes.
pub fn expand(spec: &Spec, absolute_path: &str) -> TokenStream {
    let track = track(absolute_path);
    let client = client(spec);
    let types = types::types_module(spec);
    let modules = spec.modules.iter().map(operations::module);
    quote! {
        #track
        #client
        #types
        #(#modules)*
    }
}

/// Makes cargo rebuild the invoking crate when the spec changes: a file
/// named in `include_bytes!` is a dependency of the build.
pub fn track(absolute_path: &str) -> TokenStream {
    quote! {
        const _: &[::core::primitive::u8] = ::core::include_bytes!(#absolute_path);
    }
}

/// An identifier from a name the spec phase made valid: snake_case, raw
/// (`r#type`), or CamelCase, all ASCII.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn client(spec: &Spec) -> TokenStream {
    let mut doc = format!(
        "A client for the {} (version {}).",
        spec.title, spec.version
    );
    if let Some(more) = &spec.docs {
        doc.push_str("\n\n");
        doc.push_str(more);
    }
    doc.push_str(
        "\n\nBuild one with [`Client::builder`] or [`Client::from_env`]; it is cheap to clone \
         and clones share one connection pool. Each module of the API has an accessor \
         returning its operations.",
    );
    let doc = docs::attrs(&doc);
    let accessors = spec.modules.iter().map(|module| {
        let name = ident(&module.rust_name);
        let ty = ident(&module.name);
        let doc = docs::attrs(&format!(
            "The {} module{}",
            module.name,
            module
                .docs
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_else(|| ".".to_owned())
        ));
        quote! {
            #doc
            pub fn #name(&self) -> #name::#ty<'_> {
                #name::#ty { client: self }
            }
        }
    });
    let dispatch = if spec.modules.is_empty() {
        quote! {
            let _ = (module, operation, status, body);
            ::core::option::Option::None
        }
    } else {
        let arms = spec.modules.iter().map(|module| {
            let name = &module.name;
            let rust = ident(&module.rust_name);
            quote!(#name => #rust::decode_response(operation, status, body),)
        });
        quote! {
            match module {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    };
    quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct Client {
            transport: ::cirrus_client::Transport,
        }

        impl Client {
            /// Starts configuring a client: token, base URL, timeouts, user agent.
            pub fn builder() -> ::cirrus_client::ClientBuilder<Self> {
                ::cirrus_client::ClientBuilder::new()
            }

            /// A client with the token from `CIRRUS_TOKEN` and, if set, the base
            /// URL from `CIRRUS_BASE_URL`.
            ///
            /// # Errors
            ///
            /// A configuration error when `CIRRUS_TOKEN` is unset or the base URL
            /// is not usable.
            pub fn from_env() -> ::core::result::Result<Self, ::cirrus_client::Error> {
                ::cirrus_client::ClientBuilder::<Self>::from_env()?.build()
            }

            /// The HTTP side of the client: base URL, token and connection pool.
            pub fn transport(&self) -> &::cirrus_client::Transport {
                &self.transport
            }

            #(#accessors)*

            /// Decodes a response body of an operation, named as the spec
            /// names it, exactly as a call would; `None` for an operation the
            /// spec does not have. For tests and fuzzing of every response type.
            #[doc(hidden)]
            pub fn __decode_response(
                module: &::core::primitive::str,
                operation: &::core::primitive::str,
                status: ::core::primitive::u16,
                body: ::std::vec::Vec<::core::primitive::u8>,
            ) -> ::core::option::Option<::core::result::Result<(), ::cirrus_client::Error>> {
                #dispatch
            }
        }

        impl ::core::convert::From<::cirrus_client::Transport> for Client {
            fn from(transport: ::cirrus_client::Transport) -> Self {
                Client { transport }
            }
        }
    }
}
