//! Emits the `operations` module: one async method on `Client` per operation, and error enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::checks;
use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::{Scope, format_module, ident, type_tokens};
use crate::error::Result;
use crate::ir::{
    self, Api, Body, NamedResponse, Operation, Param, ParamLocation, PathPart, Payload, QueryStyle,
    StatusSpec, TypeRef,
};

/// The operations module; `crate_ident` (the crate's name as a path) is used in doc examples.
pub(crate) fn emit_operations(api: &Api, crate_ident: &str, header: &str) -> Result<String> {
    // Items: one `impl Client` block per operation (so the module formats item by item), then
    // the success enums, then the error enums.
    let with_success: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.success_enum.is_some())
        .collect();
    let operations = api.operations.len();
    let count = operations * 2 + with_success.len();
    let item = |index: usize| {
        if index < operations {
            let method = emit_method(api, &api.operations[index], crate_ident);
            quote!(impl Client { #method })
        } else if index < operations + with_success.len() {
            emit_success_enum(api, with_success[index - operations]).unwrap_or_default()
        } else {
            emit_error_enum(
                api,
                &api.operations[index - operations - with_success.len()],
            )
        }
    };
    format_module(header, count, item, prelude(api), "operations module")
}

/// The module's doc and imports: `types` when an operation takes or gives a named type (each
/// is written `types::Name`), the runtime and `Client` when there is an operation.
fn prelude(api: &Api) -> TokenStream {
    let types_import = api
        .operations
        .iter()
        .flat_map(Operation::mentioned_types)
        .any(|ty| matches!(ty.innermost(), TypeRef::Named(_)))
        .then(|| {
            quote!(
                use super::types;
            )
        });
    // A document without operations has nothing that uses the imports.
    let has_operations = !api.operations.is_empty();
    let runtime_import = has_operations.then(|| {
        quote!(
            use super::runtime::{self, Error};
            use super::Client;
        )
    });
    let doc = if has_operations {
        " Operations of the API: one async method on [`Client`] per operation, and the documented error bodies of each."
    } else {
        " Operations of the API: the document has none."
    };
    quote! {
        #![doc = #doc]
        #![allow(clippy::too_many_arguments)]
        #runtime_import
        #types_import
    }
}

/// How a parameter is taken by the method and turned into its wire string.
pub(crate) struct ParamShape {
    pub(crate) signature: TokenStream,
    /// The signature without the `Option` of an optional parameter.
    pub(crate) inner: TokenStream,
    /// Whether the bound name is already a reference (so `to_param` takes it as is).
    by_ref: bool,
}

/// The type a parameter is sent as, through named aliases (`String` for `types::Name`).
fn wire_type<'a>(api: &'a Api, param: &'a Param) -> &'a TypeRef {
    ir::alias_target(&param.ty, &|id| api.types.get(id).map(|def| &def.kind))
}

pub(crate) fn param_shape(api: &Api, param: &Param) -> ParamShape {
    let copy_alias = matches!(param.ty, TypeRef::Named(_)) && {
        let wire = wire_type(api, param);
        wire.is_builtin_scalar() && *wire != TypeRef::String
    };
    let (inner, by_ref) = match &param.ty {
        TypeRef::String => (quote!(&str), true),
        TypeRef::Named(_) if copy_alias => (type_tokens(api, &param.ty, Scope::Sibling), false),
        TypeRef::Vec(item) => {
            let item = type_tokens(api, item, Scope::Sibling);
            (quote!(&[#item]), true)
        }
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Json => {
            let ty = type_tokens(api, &param.ty, Scope::Sibling);
            (quote!(&#ty), true)
        }
        other => (type_tokens(api, other, Scope::Sibling), false),
    };
    let signature = if param.required {
        inner.clone()
    } else {
        quote!(Option<#inner>)
    };
    ParamShape {
        signature,
        inner,
        by_ref,
    }
}

fn method_doc(api: &Api, op: &Operation, crate_ident: &str) -> TokenStream {
    let mut doc = DocBuilder::new();
    doc.text(op.summary.as_deref());
    if op.description.as_deref().map(str::trim) != op.summary.as_deref().map(str::trim) {
        doc.text(op.description.as_deref());
    }
    doc.blank();
    doc.line(format!(
        "`{} {}` (operation `{}`)",
        op.method.as_str(),
        op.path_template,
        op.operation_id
    ));
    if !op.params.is_empty() || op.body.is_some() {
        doc.blank();
        doc.line("# Arguments");
        doc.blank();
        for param in &op.params {
            let text = param
                .docs
                .description
                .as_deref()
                .map(one_line)
                .unwrap_or_default();
            doc.line(format!(
                "- `{}` ({} parameter {}): {}",
                param.rust_name.trim_start_matches("r#"),
                param.location.as_str(),
                code_span(&param.json_name),
                format!("{text}{}", param_notes(param)).trim()
            ));
        }
        if let Some(body) = &op.body {
            let text = body
                .description
                .as_deref()
                .map(one_line)
                .unwrap_or_else(|| "The request body.".to_string());
            doc.line(format!(
                "- `body`: {} Sent as `{}`.",
                sentence(&text),
                body.content_type
            ));
        }
    }
    doc.blank();
    doc.line("# Responses");
    doc.blank();
    for success in &op.successes {
        let value = match (&op.success_enum, &success.response.body) {
            (Some(name), _) => format!("[`{name}::{}`]", success.variant),
            (None, Some(_)) if streams_success(op) => {
                "[`ByteStream`](runtime::ByteStream) (the body, read as it arrives)".to_string()
            }
            (None, Some(payload)) => payload_doc(api, payload),
            (None, None) => "`()`".to_string(),
        };
        doc.line(format!(
            "- `{}`: {} Ok: {value}.",
            success.response.status.label(),
            sentence(&success.response.description)
        ));
    }
    for error in &op.errors {
        let body = match &error.response.body {
            Some(payload) => format!(" holding {}", payload_doc(api, payload)),
            None => String::new(),
        };
        doc.line(format!(
            "- `{}`: {} Err: `Error::Api` with [`{}::{}`]{body}.",
            error.response.status.label(),
            sentence(&error.response.description),
            op.error_type,
            error.variant
        ));
    }
    doc.blank();
    doc.line("# Errors");
    doc.blank();
    if op.method.is_idempotent() {
        doc.line("Idempotent: connection failures, timeouts and 408, 429, 502, 503 and 504 answers are retried according to the client's retry policy before an error is returned.");
    } else {
        doc.line("Not idempotent: the request is resent only when it provably never reached the server. A timeout or a dropped connection after sending, or a 502, 503 or 504 answer, is returned as `Error::MayHaveBeenProcessed` and never retried.");
    }
    doc.blank();
    for line in method_example(api, op, crate_ident) {
        doc.line(line);
    }
    doc.tokens()
}

/// The checked rules and the documented default of a parameter, for its line in the method
/// docs (empty when it has neither).
fn param_notes(param: &Param) -> String {
    let mut notes = String::new();
    if !param.constraints.is_empty() {
        let rules = checks::rules(&param.constraints).join(", ");
        notes.push_str(&format!(" Checked before sending: {rules}."));
    }
    if let Some(default) = &param.docs.default {
        notes.push_str(&format!(
            " Default (when left out): {}.",
            code_span(default)
        ));
    }
    notes
}

/// A doc example that calls the method. Its arguments are the parameters of the example
/// function, so it compiles (as a doctest) for every operation without inventing values.
fn method_example(api: &Api, op: &Operation, crate_ident: &str) -> Vec<String> {
    let mut params = vec![format!("client: &{crate_ident}::Client")];
    let mut args = Vec::new();
    for param in &op.params {
        let shape = param_shape(api, param);
        params.push(format!(
            "{}: {}",
            param.rust_name,
            code_text(&shape.signature)
        ));
        args.push(param.rust_name.clone());
    }
    if let Some(body) = &op.body {
        params.push(format!("body: {}", code_text(&body_arg_type(api, body))));
        args.push("body".to_string());
    }
    let signature = params.join(", ");
    let modules: Vec<&str> = ["bytes", "types"]
        .into_iter()
        .filter(|module| signature.contains(&format!("{module}::")))
        .collect();
    let mut lines = vec![
        "# Example".to_string(),
        String::new(),
        "```no_run".to_string(),
    ];
    if !modules.is_empty() {
        lines.push(format!("use {crate_ident}::{{{}}};", modules.join(", ")));
        lines.push(String::new());
    }
    lines.extend([
        format!(
            "async fn call({signature}) -> Result<(), {crate_ident}::Error<{crate_ident}::{}>> {{",
            op.error_type
        ),
        format!(
            "    let answer = client.{}({}).await?;",
            op.method_name,
            args.join(", ")
        ),
        "    println!(\"HTTP {}\", answer.status());".to_string(),
        "    Ok(())".to_string(),
        "}".to_string(),
        "```".to_string(),
    ]);
    lines
}

/// Tokens of a type as code text: no spaces but after commas (the types of method signatures
/// need none: no `dyn`, `impl` or `mut`).
pub(crate) fn code_text(tokens: &TokenStream) -> String {
    let text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.replace(',', ", ")
}

fn payload_doc(api: &Api, payload: &Payload) -> String {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => type_link(api, ty),
        Payload::Text => "`String`".to_string(),
        Payload::Bytes => "`bytes::Bytes`".to_string(),
    }
}

/// The Rust type a response payload decodes to.
pub(crate) fn payload_type(api: &Api, payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => {
            type_tokens(api, ty, Scope::Sibling)
        }
        Payload::Text => quote!(String),
        Payload::Bytes => quote!(bytes::Bytes),
    }
}

/// The expression that decodes a success payload (uses `?` for JSON).
fn payload_decode(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(_) | Payload::Form(_) | Payload::Multipart(_) => quote!(response.json()?),
        Payload::Text => quote!(String::from_utf8_lossy(&response.body).into_owned()),
        Payload::Bytes => quote!(response.body.clone()),
    }
}

fn one_line(text: &str) -> String {
    crate::emit::docs::sanitize(text).join(" ")
}

/// One line ending in a full stop.
fn sentence(text: &str) -> String {
    let line = one_line(text);
    let line = line.trim();
    if line.is_empty() || line.ends_with(['.', '!', '?']) {
        line.to_string()
    } else {
        format!("{line}.")
    }
}

fn type_link(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => match api.types.get(*id) {
            Some(def) => format!("[`types::{}`]", def.name),
            None => "a value".to_string(),
        },
        other => {
            let tokens = type_tokens(api, other, Scope::Sibling).to_string();
            code_span(&tokens.replace(' ', ""))
        }
    }
}

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

/// What the method returns on success: the success enum, the one success body type, or `()`.
pub(crate) fn success_type(api: &Api, op: &Operation) -> TokenStream {
    match &op.success_enum {
        Some(name) => {
            let name = ident(name);
            quote!(#name)
        }
        None => match op.successes.first().and_then(|s| s.response.body.as_ref()) {
            Some(payload) => payload_type(api, payload),
            None => quote!(()),
        },
    }
}

fn emit_method(api: &Api, op: &Operation, crate_ident: &str) -> TokenStream {
    let doc = method_doc(api, op, crate_ident);
    let name = ident(&op.method_name);
    let error_type = ident(&op.error_type);
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API description")]));

    let mut args = Vec::new();
    let mut checks = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for param in &op.params {
        let arg = ident(&param.rust_name);
        let json_name = &param.json_name;
        let shape = param_shape(api, param);
        let sig = &shape.signature;
        args.push(quote!(#arg: #sig));
        let param_checks = checks::constraint_checks(
            &param.constraints,
            wire_type(api, param),
            "__value",
            json_name,
            true,
        );
        if !param_checks.is_empty() {
            checks.push(match (param.required, shape.by_ref) {
                (true, true) => quote!({ let __value = #arg; #(#param_checks)* }),
                (true, false) => quote!({ let __value = &#arg; #(#param_checks)* }),
                (false, true) => quote!(if let Some(__value) = #arg { #(#param_checks)* }),
                (false, false) => quote!(if let Some(__value) = &#arg { #(#param_checks)* }),
            });
        }
        if api.is_checked(&param.ty) {
            let check =
                quote!(runtime::Validate::validate(&__value).map_err(|e| e.at(#json_name))?;);
            checks.push(if param.required {
                quote!({ let __value = #arg; #check })
            } else {
                quote!(if let Some(__value) = #arg { #check })
            });
        }
        let target = match param.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => &mut query,
            ParamLocation::Header => &mut headers,
        };
        let value = if shape.by_ref {
            quote!(__value)
        } else {
            quote!(&__value)
        };
        let key = match param.location {
            ParamLocation::Query => quote!(#json_name.into()),
            _ => quote!(#json_name),
        };
        let push = match (param.style, &param.ty) {
            (QueryStyle::Object { deep }, _) => {
                quote!(runtime::push_object_query(&mut __list, #json_name, __value, #deep)?;)
            }
            (QueryStyle::Delimited(delimiter), _) => {
                let delimiter = delimiter.to_string();
                quote! {
                    let __joined: Vec<String> = __value.iter().map(runtime::ToParam::to_param).collect();
                    __list.push((#key, __joined.join(#delimiter)));
                }
            }
            (QueryStyle::Form, TypeRef::Vec(_)) => quote! {
                for __item in __value.iter() {
                    __list.push((#key, runtime::ToParam::to_param(__item)));
                }
            },
            (QueryStyle::Form, _) => {
                quote!(__list.push((#key, runtime::ToParam::to_param(#value)));)
            }
        };
        target.push(if param.required {
            quote!({ let __value = #arg; #push })
        } else {
            quote!(if let Some(__value) = #arg { #push })
        });
    }

    let mut body_value = quote!(None);
    if let Some(body) = &op.body {
        let content_type = &body.content_type;
        let body_ty = body_arg_type(api, body);
        args.push(quote!(body: #body_ty));
        let encode = match &body.payload {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => {
                if api.is_checked(ty) {
                    checks.push(if body.required {
                        quote!(runtime::Validate::validate(body)?;)
                    } else {
                        quote!(if let Some(body) = body {
                            runtime::Validate::validate(body)?;
                        })
                    });
                }
                match body.payload {
                    Payload::Json(_) => quote!(runtime::json_body(body)?),
                    Payload::Multipart(_) => quote!(runtime::multipart_body(body)?),
                    _ => quote!(runtime::form_body(body)?),
                }
            }
            Payload::Text => {
                quote!(runtime::RequestBody { content_type: #content_type.into(), bytes: bytes::Bytes::from(body.to_owned()) })
            }
            Payload::Bytes => {
                quote!(runtime::RequestBody { content_type: #content_type.into(), bytes: body })
            }
        };
        if body.required {
            body_value = quote!(Some(#encode));
        } else {
            body_value = if matches!(body.payload, Payload::Text | Payload::Bytes) {
                quote!(body.map(|body| #encode))
            } else {
                quote!(match body { Some(body) => Some(#encode), None => None })
            };
        }
    }

    let path = path_expr(api, op);
    let method = ident(op.method.as_str());
    let operation_id = &op.operation_id;
    let template = &op.path_template;
    let idempotent = op.method.is_idempotent();
    let authenticated = op.authenticated;
    let query_init = list_init(&query);
    let headers_init = list_init(&headers);

    // Match arms: exact codes, then ranges, then `default` / anything else.
    let mut arms: Vec<(StatusSpec, TokenStream)> = Vec::new();
    match &op.success_enum {
        Some(name) => {
            let name = ident(name);
            for success in &op.successes {
                let variant = ident(&success.variant);
                let value = match &success.response.body {
                    Some(payload) => {
                        let decode = payload_decode(payload);
                        quote!({
                            let value = #name::#variant(#decode);
                            Ok(response.into_value(value))
                        })
                    }
                    None => quote!(Ok(response.into_value(#name::#variant))),
                };
                arms.push((success.response.status, value));
            }
        }
        None => {
            let value = match op.successes.first().and_then(|s| s.response.body.as_ref()) {
                Some(_) if streams_success(op) => quote!(Ok(response.into_stream())),
                Some(payload) => {
                    let decode = payload_decode(payload);
                    quote!({
                        let value = #decode;
                        Ok(response.into_value(value))
                    })
                }
                None => quote!(Ok(response.into_value(()))),
            };
            for success in &op.successes {
                arms.push((success.response.status, value.clone()));
            }
        }
    }
    for error in &op.errors {
        let variant = ident(&error.variant);
        let value = match &error.response.body {
            Some(Payload::Json(_) | Payload::Form(_) | Payload::Multipart(_)) => {
                quote!(Err(response.into_documented_error(#error_type::#variant)))
            }
            Some(payload) => {
                let decode = payload_decode(payload);
                quote!({
                    let body = #decode;
                    Err(response.into_api_error(#error_type::#variant(body)))
                })
            }
            None => quote!(Err(response.into_api_error(#error_type::#variant))),
        };
        arms.push((error.response.status, value));
    }
    arms.sort_by_key(|(status, _)| *status);
    // A documented `4XX` after a documented `404` is the intended "specific, then range" order.
    let overlapping = arms.iter().any(|(status, _)| match status {
        StatusSpec::Range(n) => arms
            .iter()
            .any(|(other, _)| matches!(other, StatusSpec::Code(code) if code / 100 == *n)),
        _ => false,
    });
    let allow_overlap = overlapping.then(|| quote!(#[allow(clippy::match_overlapping_arm)]));
    if !arms
        .iter()
        .any(|(status, _)| *status == StatusSpec::Default)
    {
        arms.push((
            StatusSpec::Default,
            quote!(Err(response.into_unexpected_status())),
        ));
    }
    let arms = arms.iter().map(|(status, value)| {
        let pattern = status_pattern(*status);
        quote!(#pattern => #value,)
    });
    let stream_success = streams_success(op);
    let returned = returned_type(api, op);

    quote! {
        #doc
        #deprecated
        #allow_overlap
        pub async fn #name(&self, #(#args),*) -> Result<runtime::ResponseValue<#returned>, Error<#error_type>> {
            #(#checks)*
            let request = runtime::OperationRequest {
                operation_id: #operation_id,
                method: runtime::reqwest::Method::#method,
                path_template: #template,
                path: #path,
                query: #query_init,
                headers: #headers_init,
                body: #body_value,
                idempotent: #idempotent,
                authenticated: #authenticated,
                stream_success: #stream_success,
            };
            let response = self.core.execute(request).await?;
            match response.status.as_u16() {
                #(#arms)*
            }
        }
    }
}

/// The value a successful call returns inside its `ResponseValue`: [`success_type`], or
/// `runtime::ByteStream` for a streamed binary body.
pub(crate) fn returned_type(api: &Api, op: &Operation) -> TokenStream {
    if streams_success(op) {
        quote!(runtime::ByteStream)
    } else {
        success_type(api, op)
    }
}

/// Whether the success answer is a binary body handed out as a stream: one success payload,
/// `bytes::Bytes`, no success enum (a variant of one keeps its body buffered).
fn streams_success(op: &Operation) -> bool {
    op.success_enum.is_none()
        && op
            .successes
            .first()
            .and_then(|s| s.response.body.as_ref())
            .is_some_and(|payload| matches!(payload, Payload::Bytes))
}

fn list_init(pushes: &[TokenStream]) -> TokenStream {
    if pushes.is_empty() {
        quote!(Vec::new())
    } else {
        quote!({
            let mut __list = Vec::new();
            #(#pushes)*
            __list
        })
    }
}

fn status_pattern(status: StatusSpec) -> TokenStream {
    match status {
        StatusSpec::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusSpec::Range(n) => {
            let low = Literal::u16_unsuffixed(n * 100);
            let high = Literal::u16_unsuffixed(n * 100 + 99);
            quote!(#low..=#high)
        }
        StatusSpec::Default => quote!(_),
    }
}

/// The request path: literals as they are, parameters percent-encoded as one segment each.
fn path_expr(api: &Api, op: &Operation) -> TokenStream {
    let mut pushes = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
                [only] => pushes.push(quote!(__path.push(#only);)),
                _ => pushes.push(quote!(__path.push_str(#text);)),
            },
            PathPart::Param(index) => {
                // `integrity::check` has made a missing parameter an internal error already.
                let Some(param) = op.params.get(*index) else {
                    continue;
                };
                let arg = ident(&param.rust_name);
                let json_name = &param.json_name;
                let by_ref = param_shape(api, param).by_ref;
                let text = if param.ty == TypeRef::String {
                    quote!(#arg)
                } else if by_ref {
                    quote!(&runtime::ToParam::to_param(#arg))
                } else {
                    quote!(&runtime::ToParam::to_param(&#arg))
                };
                pushes.push(
                    quote!(__path.push_str(&runtime::encode_path_param(#json_name, #text)?);),
                );
            }
        }
    }
    match op.path.as_slice() {
        [PathPart::Literal(text)] => quote!(String::from(#text)),
        _ => quote!({
            let mut __path = String::new();
            #(#pushes)*
            __path
        }),
    }
}

fn emit_error_enum(api: &Api, op: &Operation) -> TokenStream {
    let doc = format!(
        " Documented error responses of [`Client::{}`] (`{} {}`).",
        op.method_name.trim_start_matches("r#"),
        op.method.as_str(),
        op.path_template
    );
    response_enum(api, &op.error_type, &doc, &op.errors)
}

fn emit_success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = op.success_enum.as_ref()?;
    let doc = format!(
        " Documented success responses of [`Client::{}`], which differ in their bodies.",
        op.method_name.trim_start_matches("r#")
    );
    Some(response_enum(api, name, &doc, &op.successes))
}

/// An enum with one variant per documented response, holding its decoded body.
fn response_enum(api: &Api, name: &str, doc: &str, responses: &[NamedResponse]) -> TokenStream {
    let name = ident(name);
    let variants = responses.iter().map(|named| {
        let variant = ident(&named.variant);
        let vdoc = format!(
            " `{}`: {}",
            named.response.status.label(),
            one_line(&named.response.description)
        );
        match &named.response.body {
            Some(payload) => {
                let ty = payload_type(api, payload);
                quote!(#[doc = #vdoc] #variant(#ty),)
            }
            None => quote!(#[doc = #vdoc] #variant,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
