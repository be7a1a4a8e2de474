//! The request body of an operation's method: the argument's type, its check and how it is
//! encoded for the wire.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::text::Written;
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
/// one) and the `OperationRequest::body` expression that encodes it. The formatter's layout of
/// the struct literal of a text or binary body is not known here.
pub(super) struct BodyCode {
    pub(super) arg: TokenStream,
    pub(super) check: Option<Written>,
    pub(super) value: Written,
}

impl BodyCode {
    pub(super) fn new(api: &Api, body: &Body) -> Self {
        let body_ty = body_arg_type(api, body);
        let check = match &body.payload {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty)
                if api.is_checked(ty) =>
            {
                Some(Written::known(if body.required {
                    "        runtime::Validate::validate(body)?;\n".to_string()
                } else {
                    "        if let Some(body) = body {\n            runtime::Validate::validate(body)?;\n        }\n".to_string()
                }))
            }
            _ => None,
        };
        let encode = encode(body);
        let raw = matches!(body.payload, Payload::Text | Payload::Bytes);
        let text = if body.required {
            format!("Some({encode})")
        } else if raw {
            format!("body.map(|body| {encode})")
        } else {
            format!("match body {{\n    Some(body) => Some({encode}),\n    None => None,\n}}")
        };
        BodyCode {
            arg: quote!(body: #body_ty),
            check,
            value: Written { text, known: !raw },
        }
    }
}

/// The expression that turns `body` into a `runtime::RequestBody`, as text.
fn encode(body: &Body) -> String {
    let content_type = proc_macro2::Literal::string(&body.content_type);
    match &body.payload {
        Payload::Json(_) => "runtime::json_body(body)?".to_string(),
        Payload::Multipart(_) => "runtime::multipart_body(body)?".to_string(),
        Payload::Form(_) => "runtime::form_body(body)?".to_string(),
        Payload::Text => format!(
            "runtime::RequestBody {{ content_type: {content_type}.into(), bytes: bytes::Bytes::from(body.to_owned()) }}"
        ),
        Payload::Bytes => {
            format!("runtime::RequestBody {{ content_type: {content_type}.into(), bytes: body }}")
        }
    }
}
