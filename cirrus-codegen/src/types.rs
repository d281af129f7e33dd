//! The `types` module: a struct for each object type, an enum for each
//! enumeration.

use crate::{docs, ident, rust_type};
use cirrus_spec::{EnumCode, EnumDef, EnumRepr, Field, Spec, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn types_module(spec: &Spec) -> TokenStream {
    let items = spec.types.iter().map(|ty| match &ty.kind {
        TypeKind::Object(fields) => object(ty, fields),
        TypeKind::Enum(def) => enumeration(ty, def),
    });
    let doc = docs::attrs(&format!("Data types of the {}.", spec.title));
    quote! {
        #doc
        pub mod types {
            #(#items)*
        }
    }
}

fn object(ty: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&ty.name);
    let doc = docs::attrs(&docs::or(ty.docs.as_deref(), || {
        format!("The `{}` object.", ty.name)
    }));
    let members = fields.iter().map(field);
    // Objects with no required field can be built from `Default`, which is
    // how request bodies with many optional fields are written.
    let default = fields
        .iter()
        .all(|f| !f.required)
        .then(|| quote!(::core::default::Default,));
    let decode = decode_via_deserialize(&name);
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            #default
            ::cirrus_client::__private::serde::Serialize,
            ::cirrus_client::__private::serde::Deserialize,
        )]
        #[serde(crate = "::cirrus_client::__private::serde")]
        pub struct #name {
            #(#members)*
        }

        #decode
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let wire = &field.json_name;
    let doc = docs::attrs(&docs::or(field.docs.as_deref(), || {
        format!("The `{wire}` field.")
    }));
    let inner = rust_type::stored(&field.ty);
    if field.required {
        quote! {
            #doc
            #[serde(rename = #wire, deserialize_with = "::cirrus_client::__private::decode")]
            pub #name: #inner,
        }
    } else {
        quote! {
            #doc
            #[serde(
                rename = #wire,
                default,
                deserialize_with = "::cirrus_client::__private::decode",
                skip_serializing_if = "::core::option::Option::is_none"
            )]
            pub #name: ::core::option::Option<#inner>,
        }
    }
}

/// `Decode` for a type that derives `Deserialize`.
fn decode_via_deserialize(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl ::cirrus_client::Decode for #name {
            fn decode<'de, D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::cirrus_client::__private::serde::Deserializer<'de>,
            {
                <Self as ::cirrus_client::__private::serde::Deserialize<'de>>::deserialize(deserializer)
            }
        }
    }
}

fn enumeration(ty: &TypeDef, def: &EnumDef) -> TokenStream {
    let name = ident(&ty.name);
    let doc = docs::attrs(&docs::or(ty.docs.as_deref(), || {
        format!("The `{}` enumeration.", ty.name)
    }));
    let variants: Vec<_> = def.values.iter().map(|v| ident(&v.name)).collect();
    let variant_docs = def.values.iter().map(|v| {
        let code = match &v.code {
            EnumCode::Integer(i) => i.to_string(),
            EnumCode::String(s) => format!("{s:?}"),
        };
        docs::attrs(&docs::or(v.docs.as_deref(), || {
            format!("{} (`{code}`).", v.name)
        }))
    });
    let (code_ty, codes, from_code_arg, unknown_ty, copy, param) = match def.repr {
        EnumRepr::Integer => {
            let codes: Vec<_> = def
                .values
                .iter()
                .map(|v| match &v.code {
                    EnumCode::Integer(i) => quote!(#i),
                    EnumCode::String(s) => quote!(#s),
                })
                .collect();
            (
                quote!(::core::primitive::i64),
                codes,
                quote!(code: ::core::primitive::i64),
                quote!(::core::primitive::i64),
                quote!(::core::marker::Copy,),
                quote!(::std::borrow::Cow::Owned(
                    ::std::string::ToString::to_string(&self.code())
                )),
            )
        }
        EnumRepr::String => {
            let codes: Vec<_> = def
                .values
                .iter()
                .map(|v| match &v.code {
                    EnumCode::String(s) => quote!(#s),
                    EnumCode::Integer(i) => quote!(#i),
                })
                .collect();
            (
                quote!(&::core::primitive::str),
                codes,
                quote!(code: &::core::primitive::str),
                quote!(::std::string::String),
                quote!(),
                quote!(::std::borrow::Cow::Borrowed(self.code())),
            )
        }
    };
    let (unknown_code, unknown_from, serialize, deserialize) = match def.repr {
        EnumRepr::Integer => (
            quote!(*code),
            quote!(other => Self::Unknown(other)),
            quote!(serializer.serialize_i64(self.code())),
            quote! {
                let code = <::core::primitive::i64 as ::cirrus_client::Decode>::decode(deserializer)?;
                ::core::result::Result::Ok(Self::from_code(code))
            },
        ),
        EnumRepr::String => (
            quote!(code.as_str()),
            quote!(other => Self::Unknown(::std::string::ToString::to_string(other))),
            quote!(serializer.serialize_str(self.code())),
            quote! {
                let code = <::std::string::String as ::cirrus_client::Decode>::decode(deserializer)?;
                ::core::result::Result::Ok(Self::from_code(&code))
            },
        ),
    };
    quote! {
        #doc
        ///
        /// A code the spec does not list is kept in `Unknown`, so a value new
        /// on the server never breaks decoding.
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            #copy
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
        )]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            /// A code this spec does not list, kept as received.
            Unknown(#unknown_ty),
        }

        impl #name {
            /// The code sent on the wire.
            pub fn code(&self) -> #code_ty {
                match self {
                    #( Self::#variants => #codes, )*
                    Self::Unknown(code) => #unknown_code,
                }
            }

            /// The variant for a code; `Unknown` for a code the spec does not list.
            pub fn from_code(#from_code_arg) -> Self {
                match code {
                    #( #codes => Self::#variants, )*
                    #unknown_from,
                }
            }
        }

        impl ::cirrus_client::__private::serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::cirrus_client::__private::serde::Serializer,
            {
                #serialize
            }
        }

        impl<'de> ::cirrus_client::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::cirrus_client::__private::serde::Deserializer<'de>,
            {
                #deserialize
            }
        }

        #[doc(hidden)]
        impl ::cirrus_client::Decode for #name {
            fn decode<'de, D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::cirrus_client::__private::serde::Deserializer<'de>,
            {
                <Self as ::cirrus_client::__private::serde::Deserialize<'de>>::deserialize(deserializer)
            }
        }

        impl ::cirrus_client::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, ::core::primitive::str> {
                #param
            }
        }
    }
}
