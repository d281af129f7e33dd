//! A Rust module per API module: its accessor struct, one method per
//! operation, and a request struct per operation that holds the optional
//! parameters and is awaited to send the call.

use crate::{docs, ident, rust_type};
use cirrus_spec::{ListStyle, Module, Operation, ParamLocation, Parameter, PathSegment, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(crate) fn module(module: &Module) -> TokenStream {
    let mod_name = ident(&module.rust_name);
    let accessor = ident(&module.name);
    let module_doc = docs::or(module.docs.as_deref(), || {
        format!("The {} module of the API.", module.name)
    });
    let mod_doc = docs::attrs(&format!(
        "The {} module: its accessor and requests.\n\n{module_doc}",
        module.name
    ));
    let accessor_doc = docs::attrs(&format!(
        "The {} module's operations; from `Client::{}()`.\n\n{module_doc}",
        module.name, module.rust_name
    ));
    let methods = module.operations.iter().map(|op| method(module, op));
    let requests = module.operations.iter().map(|op| request(module, op));
    let statics = module
        .operations
        .iter()
        .map(|op| operation_static(module, op));
    let decode = decode_dispatch(module);
    quote! {
        #mod_doc
        pub mod #mod_name {
            #accessor_doc
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            pub struct #accessor<'a> {
                // Set by `Client`'s accessor; a constructor method could
                // clash with an operation's name.
                pub(super) client: &'a super::Client,
            }

            impl<'a> #accessor<'a> {
                #(#methods)*
            }

            #(#statics)*

            #(#requests)*

            #decode
        }
    }
}

/// The name of the static describing an operation to the runtime.
fn static_name(op: &Operation) -> Ident {
    format_ident!(
        "{}_OPERATION",
        op.rust_name.trim_start_matches("r#").to_uppercase()
    )
}

fn operation_static(module: &Module, op: &Operation) -> TokenStream {
    let name = static_name(op);
    let module_name = &module.name;
    let op_name = &op.name;
    let method = op.method.as_str();
    let path = &op.path.raw;
    let body = op.body.as_str();
    let envelope = op.envelope;
    quote! {
        static #name: ::cirrus_client::Operation = ::cirrus_client::Operation {
            module: #module_name,
            name: #op_name,
            method: #method,
            path: #path,
            body: #body,
            envelope: #envelope,
        };
    }
}

/// Decodes a response body of any of the module's operations by name, as a
/// call would: for tests and fuzzing over every response type. Hidden from
/// the docs, reached through `Client::__decode_response`.
fn decode_dispatch(module: &Module) -> TokenStream {
    let arms = module.operations.iter().map(|op| {
        let name = &op.name;
        let operation = static_name(op);
        let response = match &op.response {
            Some(ty) => rust_type::stored(ty),
            None => quote!(::cirrus_client::NoData),
        };
        quote! {
            #name => ::core::option::Option::Some(
                ::cirrus_client::__private::decode_response::<#response>(&#operation, status, body)
                    .map(|_| ()),
            ),
        }
    });
    let body = if module.operations.is_empty() {
        quote! {
            let _ = (operation, status, body);
            ::core::option::Option::None
        }
    } else {
        quote! {
            match operation {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    };
    quote! {
        pub(super) fn decode_response(
            operation: &::core::primitive::str,
            status: ::core::primitive::u16,
            body: ::std::vec::Vec<::core::primitive::u8>,
        ) -> ::core::option::Option<::core::result::Result<(), ::cirrus_client::Error>> {
            #body
        }
    }
}

fn request_name(op: &Operation) -> Ident {
    format_ident!("{}Request", op.name)
}

/// The accessor's method: required parameters in, a request out.
fn method(module: &Module, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let request = request_name(op);
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = rust_type::argument(&p.ty);
        quote!(#name: #ty)
    });
    let inits = op.parameters.iter().map(|p| {
        let name = ident(&p.rust_name);
        if p.required {
            let value = rust_type::convert(&p.ty, &quote!(#name));
            quote!(#name: #value)
        } else {
            quote!(#name: ::core::option::Option::None)
        }
    });

    let mut doc = docs::or(op.docs.as_deref(), || {
        format!("The {}.{} operation.", module.name, op.name)
    });
    doc.push_str(&format!("\n\n`{} {}`", op.method.as_str(), op.path.raw));
    if !required.is_empty() {
        doc.push_str("\n\n# Arguments\n");
        for p in &required {
            let about = p.docs.as_deref().unwrap_or("").trim();
            doc.push_str(&format!(
                "\n- `{}` ({} `{}`): {about}",
                p.rust_name.trim_start_matches("r#"),
                location(p),
                p.name
            ));
        }
    }
    let optional: Vec<&Parameter> = op.parameters.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOptional parameters are set on the returned [`{request}`]: "
        ));
        let setters: Vec<String> = optional
            .iter()
            .map(|p| {
                format!(
                    "[`{0}`]({request}::{0})",
                    p.rust_name.trim_start_matches("r#")
                )
            })
            .collect();
        doc.push_str(&setters.join(", "));
        doc.push('.');
    }
    let doc = docs::attrs(&doc);
    let deprecated = op.deprecated.as_ref().map(|note| match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(#[deprecated]),
    });
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #request<'a> {
            #request {
                client: self.client,
                retry: ::core::option::Option::None,
                #(#inits,)*
            }
        }
    }
}

fn location(p: &Parameter) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Body => "body",
    }
}

/// The request struct, its setters, and how it is sent.
fn request(module: &Module, op: &Operation) -> TokenStream {
    let request = request_name(op);
    let doc = docs::attrs(&format!(
        "A {}.{} call (`{} {}`), ready to be awaited or [`sent`]({request}::send).\n\nMade by [`{}::{}`]({}::{}); optional parameters are set with its methods.",
        module.name,
        op.name,
        op.method.as_str(),
        op.path.raw,
        module.name,
        op.rust_name.trim_start_matches("r#"),
        module.name,
        op.rust_name.trim_start_matches("r#"),
    ));
    let fields = op.parameters.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = rust_type::stored(&p.ty);
        if p.required {
            quote!(#name: #ty)
        } else {
            quote!(#name: ::core::option::Option<#ty>)
        }
    });
    let setters = op.parameters.iter().filter(|p| !p.required).map(setter);
    let response = match &op.response {
        Some(ty) => rust_type::stored(ty),
        None => quote!(::cirrus_client::NoData),
    };
    let output = quote! {
        ::core::result::Result<::cirrus_client::Envelope<#response>, ::cirrus_client::Error>
    };
    let prepare = prepare_body(op);
    quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #request<'a> {
            client: &'a super::Client,
            retry: ::core::option::Option<::cirrus_client::RetryPolicy>,
            #(#fields,)*
        }

        impl #request<'_> {
            #(#setters)*

            /// Retries this call by `policy` instead of the client's policy;
            /// see [`cirrus_client::retry`](::cirrus_client::retry) for what is
            /// retried and the risks.
            pub fn retry(mut self, policy: ::cirrus_client::RetryPolicy) -> Self {
                self.retry = ::core::option::Option::Some(policy);
                self
            }
        }

        impl<'a> #request<'a> {
            /// Sends the call and reads the response.
            ///
            /// # Errors
            ///
            /// An [`Error`](::cirrus_client::Error) whose kind says what failed: a
            /// status from the API's table, the transport, the timeout, or a
            /// response that does not decode.
            pub fn send(self) -> impl ::core::future::Future<Output = #output> + ::core::marker::Send + 'a {
                // The request is assembled here, synchronously; the future is
                // the transport's, shared by every operation with this
                // response type, so a spec of many operations does not make
                // the compiler build a state machine for each.
                let client = self.client;
                let prepared = self.prepare();
                client.transport.send_prepared::<#response>(prepared)
            }

            fn prepare(self) -> ::core::result::Result<::cirrus_client::RequestParts, ::cirrus_client::Error> {
                #prepare
            }
        }

        impl<'a> ::core::future::IntoFuture for #request<'a> {
            type Output = #output;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<dyn ::core::future::Future<Output = #output> + ::core::marker::Send + 'a>,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

fn setter(p: &Parameter) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = rust_type::argument(&p.ty);
    let value = rust_type::convert(&p.ty, &quote!(value));
    let mut doc = docs::or(p.docs.as_deref(), || {
        format!("Sets the {} parameter `{}`.", location(p), p.name)
    });
    doc.push_str(&format!(
        "\n\nSent as the {} parameter `{}`.",
        location(p),
        p.name
    ));
    if let Some(default) = &p.default {
        doc.push_str(&format!(" The server's default is `{default}`."));
    }
    let doc = docs::attrs(&doc);
    quote! {
        #doc
        pub fn #name(mut self, value: #ty) -> Self {
            self.#name = ::core::option::Option::Some(#value);
            self
        }
    }
}

/// The statements of `send`: describe the operation, place each parameter,
/// hand the request to the transport.
/// The code `place` makes for a parameter's value: run always for a
/// required parameter, only when it was set for an optional one.
fn set_if_given(p: &Parameter, place: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    let field = ident(&p.rust_name);
    if p.required {
        place(quote!(&self.#field))
    } else {
        let placed = place(quote!(value));
        quote! {
            if let ::core::option::Option::Some(value) = &self.#field {
                #placed
            }
        }
    }
}

fn prepare_body(op: &Operation) -> TokenStream {
    let segments = op.path.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(request.segment(#text);),
        PathSegment::Param(name) => {
            let param = op.parameters.iter().find(|p| &p.name == name);
            // The check phase guarantees the parameter exists.
            let field = ident(param.map_or("", |p| p.rust_name.as_str()));
            quote!(request.path_param(#name, &self.#field)?;)
        }
    });
    let query = op.parameters_in(ParamLocation::Query).map(|p| {
        let name = &p.name;
        let style = match p.style {
            ListStyle::Comma => quote!(::cirrus_client::ListStyle::Comma),
            ListStyle::Repeat => quote!(::cirrus_client::ListStyle::Repeat),
        };
        set_if_given(p, |value| match &p.ty {
            TypeRef::List(_) => quote!(request.query_list(#name, #value, #style);),
            _ => quote!(request.query(#name, #value);),
        })
    });
    let body_fields = op.parameters_in(ParamLocation::Body).map(|p| {
        let name = &p.name;
        set_if_given(p, |value| match &p.ty {
            TypeRef::File => quote!(request.body_file(#name, #value);),
            TypeRef::List(inner) if **inner == TypeRef::File => quote! {
                for file in #value {
                    request.body_file(#name, file);
                }
            },
            _ => quote!(request.body_field(#name, #value)?;),
        })
    });
    let operation = static_name(op);
    quote! {
        let mut request = ::cirrus_client::RequestParts::new(&#operation);
        request.set_retry(self.retry);
        #(#segments)*
        #(#query)*
        #(#body_fields)*
        ::core::result::Result::Ok(request)
    }
}
