//! The doc comment of an operation's method: summary, arguments, responses, retry behaviour
//! and a compiled example.

use super::body::body_arg_type;
use super::code_text;
use super::params::param_shape;
use super::responses::streams_success;
use crate::emit::checks;
use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::{Scope, type_tokens};
use crate::ir::{Api, Operation, Param, Payload, TypeRef};

/// The method's doc comment as the formatter prints it in the `impl` block.
pub(super) fn method_doc(api: &Api, op: &Operation, crate_ident: &str) -> String {
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
    arguments_section(&mut doc, op);
    responses_section(&mut doc, api, op);
    errors_section(&mut doc, op);
    doc.blank();
    for line in method_example(api, op, crate_ident) {
        doc.line(line);
    }
    doc.source("    ")
}

/// `# Arguments`: one line per parameter, then the body.
fn arguments_section(doc: &mut DocBuilder, op: &Operation) {
    if op.params.is_empty() && op.body.is_none() {
        return;
    }
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

/// `# Responses`: what each documented status returns.
fn responses_section(doc: &mut DocBuilder, api: &Api, op: &Operation) {
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
}

/// `# Errors`: whether and when the call is retried.
fn errors_section(doc: &mut DocBuilder, op: &Operation) {
    doc.blank();
    doc.line("# Errors");
    doc.blank();
    if op.method.is_idempotent() {
        doc.line("Idempotent: connection failures, timeouts and 408, 429, 502, 503 and 504 answers are retried according to the client's retry policy before an error is returned.");
    } else {
        doc.line("Not idempotent: the request is resent only when it provably never reached the server. A timeout or a dropped connection after sending, or a 502, 503 or 504 answer, is returned as `Error::MayHaveBeenProcessed` and never retried.");
    }
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
    // The crate's modules the signature names, from the IR: `bytes::Bytes` for a raw body,
    // `types::Name` for any named type of a parameter or body.
    let takes_bytes = op
        .body
        .as_ref()
        .is_some_and(|body| matches!(body.payload, Payload::Bytes));
    let takes_named = op
        .params
        .iter()
        .map(|param| &param.ty)
        .chain(op.body.iter().filter_map(|body| body.payload.value_type()))
        .any(|ty| matches!(ty.innermost(), TypeRef::Named(_)));
    let modules: Vec<&str> = [("bytes", takes_bytes), ("types", takes_named)]
        .into_iter()
        .filter_map(|(module, named)| named.then_some(module))
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

fn payload_doc(api: &Api, payload: &Payload) -> String {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => type_link(api, ty),
        Payload::Text => "`String`".to_string(),
        Payload::Bytes => "`bytes::Bytes`".to_string(),
    }
}

pub(super) fn one_line(text: &str) -> String {
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
