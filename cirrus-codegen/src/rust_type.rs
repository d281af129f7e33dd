//! Rust types for the spec's type expressions.

use crate::ident;
use cirrus_spec::TypeRef;
use proc_macro2::TokenStream;
use quote::quote;

/// The type a field, a stored parameter or a response holds. Named types
/// live in the sibling `types` module.
pub(crate) fn stored(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Boolean => quote!(::core::primitive::bool),
        TypeRef::Int32 => quote!(::core::primitive::i32),
        TypeRef::Int64 => quote!(::core::primitive::i64),
        TypeRef::Number => quote!(::core::primitive::f64),
        TypeRef::Timestamp => quote!(::cirrus_client::Timestamp),
        TypeRef::Json => quote!(::cirrus_client::__private::serde_json::Value),
        TypeRef::File => quote!(::cirrus_client::FilePart),
        TypeRef::List(inner) => {
            let inner = stored(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(super::types::#name)
        }
    }
}

/// The type an argument or setter takes: strings take anything that
/// converts into a `String`.
pub(crate) fn argument(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl ::core::convert::Into<::std::string::String>),
        other => stored(other),
    }
}

/// The expression turning an argument into its stored value.
pub(crate) fn convert(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::core::convert::Into::into(#value)),
        _ => value.clone(),
    }
}
