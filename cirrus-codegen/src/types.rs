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

/// An object type: the struct, and hand-rolled `Serialize` and
/// `Deserialize` impls.
///
/// The impls are written here rather than derived: serde's derive makes a
/// field enum, a visitor for maps and one for sequences, and a wrapper type
/// per `deserialize_with` field, which for a spec of hundreds of types is
/// most of what the compiler has to digest. This visitor reads members in
/// any order into locals, decodes each value through `Decode` (the lenient
/// rules), skips unknown members, and keeps the last of duplicate keys.
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
    let serialize = serialize_object(&name, fields);
    let deserialize = deserialize_object(&name, &ty.name, fields);
    let decode = decode_via_deserialize(&name);
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            #default
        )]
        pub struct #name {
            #(#members)*
        }

        #serialize
        #deserialize
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
            pub #name: #inner,
        }
    } else {
        quote! {
            #doc
            pub #name: ::core::option::Option<#inner>,
        }
    }
}

/// Writes the members under their JSON names, leaving out absent ones.
fn serialize_object(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let member = ident(&f.rust_name);
        let wire = &f.json_name;
        if f.required {
            quote! {
                ::cirrus_client::__private::serde::ser::SerializeMap::serialize_entry(
                    &mut __map, #wire, &self.#member,
                )?;
            }
        } else {
            quote! {
                if let ::core::option::Option::Some(__value) = &self.#member {
                    ::cirrus_client::__private::serde::ser::SerializeMap::serialize_entry(
                        &mut __map, #wire, __value,
                    )?;
                }
            }
        }
    });
    quote! {
        impl ::cirrus_client::__private::serde::Serialize for #name {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: ::cirrus_client::__private::serde::Serializer,
            {
                let mut __map = ::cirrus_client::__private::serde::Serializer::serialize_map(
                    __serializer,
                    ::core::option::Option::None,
                )?;
                #(#entries)*
                ::cirrus_client::__private::serde::ser::SerializeMap::end(__map)
            }
        }
    }
}

/// Reads the members in any order, each through `Decode`.
fn deserialize_object(name: &proc_macro2::Ident, type_name: &str, fields: &[Field]) -> TokenStream {
    // Locals are numbered, so no member name can clash with them.
    let locals: Vec<_> = (0..fields.len())
        .map(|i| quote::format_ident!("__member{}", i))
        .collect();
    let declarations = fields.iter().zip(&locals).map(|(f, local)| {
        let inner = rust_type::stored(&f.ty);
        quote! {
            let mut #local: ::core::option::Option<#inner> = ::core::option::Option::None;
        }
    });
    let arms = fields.iter().zip(&locals).map(|(f, local)| {
        let wire = &f.json_name;
        let inner = rust_type::stored(&f.ty);
        if f.required {
            quote! {
                #wire => #local = ::core::option::Option::Some(
                    ::cirrus_client::__private::member::<_, #inner>(&mut __map)?,
                ),
            }
        } else {
            quote! {
                #wire => #local = ::cirrus_client::__private::member::<
                    _,
                    ::core::option::Option<#inner>,
                >(&mut __map)?,
            }
        }
    });
    let reading = if fields.is_empty() {
        quote! { ::cirrus_client::__private::skip(&mut __map)?; }
    } else {
        quote! {
            match __key.as_str() {
                #(#arms)*
                _ => ::cirrus_client::__private::skip(&mut __map)?,
            }
        }
    };
    let key = if fields.is_empty() {
        quote!(_)
    } else {
        quote!(__key)
    };
    let inits = fields.iter().zip(&locals).map(|(f, local)| {
        let member = ident(&f.rust_name);
        let wire = &f.json_name;
        if f.required {
            quote!(#member: ::cirrus_client::__private::required(#local, #wire)?)
        } else {
            quote!(#member: #local)
        }
    });
    let expecting = format!("a {type_name} object");
    quote! {
        impl<'de> ::cirrus_client::__private::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: ::cirrus_client::__private::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'de> ::cirrus_client::__private::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;

                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_map<__A>(self, mut __map: __A) -> ::core::result::Result<#name, __A::Error>
                    where
                        __A: ::cirrus_client::__private::serde::de::MapAccess<'de>,
                    {
                        #(#declarations)*
                        while let ::core::option::Option::Some(#key) =
                            ::cirrus_client::__private::serde::de::MapAccess::next_key::<
                                ::cirrus_client::__private::Key<'de>,
                            >(&mut __map)?
                        {
                            #reading
                        }
                        ::core::result::Result::Ok(#name {
                            #(#inits,)*
                        })
                    }
                }

                ::cirrus_client::__private::serde::Deserializer::deserialize_map(__deserializer, __Visitor)
            }
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
