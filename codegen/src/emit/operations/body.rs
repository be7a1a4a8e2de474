//! The request body of an operation's method: the argument's type, its check and how it is
//! encoded for the wire.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Scope, type_tokens};
use crate::ir::{Api, Body, Payload, TypeRef};

/// The type of the method's `body` argument (`&T`, `&[T]`, `&str`, `bytes::Bytes`), in an
/// `Option` when the body is not required.
pub(crate) fn body_arg_type(api: &Api, body: &Body) -> TokenStream {
    let ty = match &body.payload {
        Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => match ty {
            TypeRef::Vec(item) => {
                let item = type_tokens(api, item, Scope::Sibling);
                quote!(&[#item])
            }
            TypeRef::String => quote!(&str),
            other => {
                let ty = type_tokens(api, other, Scope::Sibling);
                quote!(&#ty)
            }
        },
        Payload::Text => quote!(&str),
        Payload::Bytes => quote!(bytes::Bytes),
    };
    if body.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// What a request body adds to a method: the `body` argument, its check (when its type has
/// one) and the `OperationRequest::body` expression that encodes it.
pub(super) struct BodyCode {
    pub(super) arg: TokenStream,
    pub(super) check: Option<TokenStream>,
    pub(super) value: TokenStream,
}

impl BodyCode {
    pub(super) fn new(api: &Api, body: &Body) -> Self {
        let body_ty = body_arg_type(api, body);
        let check = match &body.payload {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty)
                if api.is_checked(ty) =>
            {
                Some(if body.required {
                    quote!(runtime::Validate::validate(body)?;)
                } else {
                    quote!(if let Some(body) = body {
                        runtime::Validate::validate(body)?;
                    })
                })
            }
            _ => None,
        };
        let encode = encode(body);
        let value = if body.required {
            quote!(Some(#encode))
        } else if matches!(body.payload, Payload::Text | Payload::Bytes) {
            quote!(body.map(|body| #encode))
        } else {
            quote!(match body { Some(body) => Some(#encode), None => None })
        };
        BodyCode {
            arg: quote!(body: #body_ty),
            check,
            value,
        }
    }
}

/// The expression that turns `body` into a `runtime::RequestBody`.
fn encode(body: &Body) -> TokenStream {
    let content_type = &body.content_type;
    match &body.payload {
        Payload::Json(_) => quote!(runtime::json_body(body)?),
        Payload::Multipart(_) => quote!(runtime::multipart_body(body)?),
        Payload::Form(_) => quote!(runtime::form_body(body)?),
        Payload::Text => {
            quote!(runtime::RequestBody { content_type: #content_type.into(), bytes: bytes::Bytes::from(body.to_owned()) })
        }
        Payload::Bytes => {
            quote!(runtime::RequestBody { content_type: #content_type.into(), bytes: body })
        }
    }
}
