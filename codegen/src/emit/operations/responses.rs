//! The responses of an operation: the method's return type, its match over the status and
//! the success and error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::one_line;
use crate::emit::text::{self, MAX_LINE, match_arm};
use crate::emit::{Code, Scope, ident, type_tokens};
use crate::ir::{Api, NamedResponse, Operation, Payload, StatusSpec};

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

/// The expression that decodes a success payload (uses `?` for JSON), as text.
fn payload_decode(payload: &Payload) -> &'static str {
    match payload {
        Payload::Json(_) | Payload::Form(_) | Payload::Multipart(_) => "response.json()?",
        Payload::Text => "String::from_utf8_lossy(&response.body).into_owned()",
        Payload::Bytes => "response.body.clone()",
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
pub(super) fn streams_success(op: &Operation) -> bool {
    op.success_enum.is_none()
        && op
            .successes
            .first()
            .and_then(|s| s.response.body.as_ref())
            .is_some_and(|payload| matches!(payload, Payload::Bytes))
}

/// The value of a status arm: an expression, or the statements of a block.
enum ArmValue {
    Expression(String),
    /// `outer(response.method(argument))`, which the formatter breaks in steps.
    Call {
        outer: &'static str,
        method: &'static str,
        argument: String,
    },
    Block([String; 2]),
}

/// The method's match over the status as text in the formatter's layout (exact codes, then
/// ranges, then `default` or anything else; an arm's expression in a block when it does not
/// fit), whether it is laid out (every line short enough), and whether a documented range
/// overlaps a documented code (`4XX` after `404`: "specific, then range"), which needs
/// `#[allow(clippy::match_overlapping_arm)]`.
pub(super) fn status_match(op: &Operation) -> (String, bool, bool) {
    let mut arms = success_arms(op);
    arms.extend(error_arms(op));
    arms.sort_by_key(|(status, _)| *status);
    let overlapping = arms.iter().any(|(status, _)| match status {
        StatusSpec::Range(n) => arms
            .iter()
            .any(|(other, _)| matches!(other, StatusSpec::Code(code) if code / 100 == *n)),
        _ => false,
    });
    if !arms
        .iter()
        .any(|(status, _)| *status == StatusSpec::Default)
    {
        let unexpected = "Err(response.into_unexpected_status())".to_string();
        arms.push((StatusSpec::Default, ArmValue::Expression(unexpected)));
    }
    let mut text = "        match response.status.as_u16() {\n".to_string();
    for (status, value) in &arms {
        let pattern = status_pattern(*status);
        match value {
            ArmValue::Expression(expression) => text.push_str(&match_arm(&pattern, expression)),
            ArmValue::Call {
                outer,
                method,
                argument,
            } => text.push_str(&call_arm(&pattern, outer, method, argument)),
            ArmValue::Block([first, second]) => text.push_str(&format!(
                "            {pattern} => {{\n                {first}\n                {second}\n            }}\n"
            )),
        }
    }
    text.push_str("        }\n");
    let laid_out = text.lines().all(|line| line.len() <= MAX_LINE);
    (text, laid_out, overlapping)
}

/// The value of each documented success status: its success enum variant, or the one success
/// type (decoded, streamed or `()`).
fn success_arms(op: &Operation) -> Vec<(StatusSpec, ArmValue)> {
    if let Some(name) = &op.success_enum {
        let name = ident(name);
        return op
            .successes
            .iter()
            .map(|success| {
                let variant = ident(&success.variant);
                let value = match &success.response.body {
                    Some(payload) => ArmValue::Block([
                        format!(
                            "let value = {name}::{variant}({});",
                            payload_decode(payload)
                        ),
                        "Ok(response.into_value(value))".to_string(),
                    ]),
                    None => ArmValue::Call {
                        outer: "Ok",
                        method: "into_value",
                        argument: format!("{name}::{variant}"),
                    },
                };
                (success.response.status, value)
            })
            .collect();
    }
    let value = || match op.successes.first().and_then(|s| s.response.body.as_ref()) {
        Some(_) if streams_success(op) => {
            ArmValue::Expression("Ok(response.into_stream())".to_string())
        }
        Some(payload) => ArmValue::Block([
            format!("let value = {};", payload_decode(payload)),
            "Ok(response.into_value(value))".to_string(),
        ]),
        None => ArmValue::Expression("Ok(response.into_value(()))".to_string()),
    };
    op.successes
        .iter()
        .map(|success| (success.response.status, value()))
        .collect()
}

/// The value of each documented error status: the error enum's variant, with its body.
fn error_arms(op: &Operation) -> Vec<(StatusSpec, ArmValue)> {
    let error_type = ident(&op.error_type);
    op.errors
        .iter()
        .map(|error| {
            let variant = ident(&error.variant);
            let value = match &error.response.body {
                Some(Payload::Json(_) | Payload::Form(_) | Payload::Multipart(_)) => {
                    ArmValue::Call {
                        outer: "Err",
                        method: "into_documented_error",
                        argument: format!("{error_type}::{variant}"),
                    }
                }
                Some(payload) => ArmValue::Block([
                    format!("let body = {};", payload_decode(payload)),
                    format!("Err(response.into_api_error({error_type}::{variant}(body)))"),
                ]),
                None => ArmValue::Call {
                    outer: "Err",
                    method: "into_api_error",
                    argument: format!("{error_type}::{variant}"),
                },
            };
            (error.response.status, value)
        })
        .collect()
}

/// An arm whose value is `outer(response.method(argument))`, broken as the formatter does when
/// it does not fit: in a block; then the call inside `outer(..)` on a line of its own; then
/// the method on a line of its own; then the argument too (the formatter counts no trailing
/// comma against the margin).
fn call_arm(pattern: &str, outer: &str, method: &str, argument: &str) -> String {
    let arm = match_arm(pattern, &format!("{outer}(response.{method}({argument}))"));
    if arm.lines().count() == 1 || arm.lines().all(|line| line.len() <= MAX_LINE) {
        return arm;
    }
    let one_line = format!("                    response.{method}({argument})");
    let call = if one_line.len() <= MAX_LINE {
        one_line + ",\n"
    } else if 24 + method.len() + argument.len() + 3 <= MAX_LINE {
        format!("                    response\n                        .{method}({argument}),\n")
    } else {
        format!(
            "                    response\n                        .{method}(\n                            {argument},\n                        ),\n"
        )
    };
    format!(
        "            {pattern} => {{\n                {outer}(\n{call}                )\n            }}\n"
    )
}

/// A status pattern as text (`404`, `400..=499`, `_`).
fn status_pattern(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => code.to_string(),
        StatusSpec::Range(n) => format!("{}..={}", n * 100, n * 100 + 99),
        StatusSpec::Default => "_".to_string(),
    }
}

pub(super) fn emit_error_enum(api: &Api, op: &Operation) -> Code {
    let doc = format!(
        " Documented error responses of [`Client::{}`] (`{} {}`).",
        op.method_name.trim_start_matches("r#"),
        op.method.as_str(),
        op.path_template
    );
    response_enum(api, &op.error_type, &doc, &op.errors)
}

pub(super) fn emit_success_enum(api: &Api, op: &Operation) -> Option<Code> {
    let name = op.success_enum.as_ref()?;
    let doc = format!(
        " Documented success responses of [`Client::{}`], which differ in their bodies.",
        op.method_name.trim_start_matches("r#")
    );
    Some(response_enum(api, name, &doc, &op.successes))
}

/// An enum with one variant per documented response, holding its decoded body, as text; it
/// is formatted only where a line is too long or the doc (with the document's path) holds a
/// control character.
fn response_enum(api: &Api, name: &str, doc: &str, responses: &[NamedResponse]) -> Code {
    let variants: Vec<(String, String)> = responses
        .iter()
        .map(|named| {
            let vdoc = format!(
                " `{}`: {}",
                named.response.status.label(),
                one_line(&named.response.description)
            );
            let variant = ident(&named.variant).to_string();
            let variant = match &named.response.body {
                Some(payload) => format!("{variant}({})", payload_text(api, payload)),
                None => variant,
            };
            (vdoc, variant)
        })
        .collect();
    let text = response_enum_text(&ident(name).to_string(), doc, &variants);
    let laid_out = !doc.contains(char::is_control)
        && text
            .lines()
            .all(|line| line.trim_start().starts_with("///") || line.len() <= MAX_LINE);
    let mut code = Code::default();
    code.source(text, laid_out);
    code
}

/// The text of a response enum: `doc` (starting with a space), then each variant (its doc, free
/// of control characters, and its text, `Name` or `Name(Type)`).
fn response_enum_text(name: &str, doc: &str, variants: &[(String, String)]) -> String {
    // A doc with a control character is written as the attribute for the formatter to lay out.
    let doc = if doc.contains(char::is_control) {
        format!("#[doc = {}]\n", proc_macro2::Literal::string(doc))
    } else {
        text::doc_line(doc).trim_start().to_string()
    };
    let mut text = format!("{doc}#[derive(Debug, Clone, PartialEq)]\npub enum {name} {{");
    if variants.is_empty() {
        return text + "}\n";
    }
    text.push('\n');
    for (vdoc, variant) in variants {
        text.push_str(&text::doc_line(vdoc));
        text.push_str(&format!("    {variant},\n"));
    }
    text + "}\n"
}

/// The Rust type of a payload as text (the text of [`payload_type`]).
fn payload_text(api: &Api, payload: &Payload) -> String {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => {
            text::type_text(api, ty, Scope::Sibling)
        }
        Payload::Text => "String".to_string(),
        Payload::Bytes => "bytes::Bytes".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::{formatted, in_impl};

    #[test]
    fn laid_out_response_enums_read_as_formatted() {
        let (mut checked, mut longest) = (0, 0);
        for len in 0..=90 {
            let name = format!("E{}", "e".repeat(len));
            let doc = format!(" Errors of [`Client::f`] (`GET /{}`).", "p".repeat(len));
            for count in [0, 1, 3] {
                let variants: Vec<(String, String)> = (0..count)
                    .map(|i| {
                        let vdoc = format!(" `40{i}`: {}  ", "d".repeat(len));
                        let variant = match i {
                            0 => format!("V{i}"),
                            _ => format!("V{i}(types::T{})", "t".repeat(len)),
                        };
                        (vdoc, variant)
                    })
                    .collect();
                let text = response_enum_text(&name, &doc, &variants);
                let code_lines = text.lines().filter(|l| !l.trim_start().starts_with("///"));
                let widest = code_lines.map(str::len).max().unwrap_or(0);
                if widest <= MAX_LINE {
                    checked += 1;
                    longest = longest.max(widest);
                    assert_eq!(formatted(&text), text, "{len} {count}");
                }
            }
        }
        assert!(checked > 100, "{checked}");
        assert_eq!(longest, MAX_LINE);
    }

    #[test]
    fn call_arms_read_as_formatted() {
        let mut shapes = std::collections::BTreeSet::new();
        for len in 1..=80 {
            for (pattern, outer, method) in [
                ("400..=499", "Err", "into_documented_error"),
                ("200", "Ok", "into_value"),
            ] {
                let argument = format!("E{}::V", "e".repeat(len));
                let arm = call_arm(pattern, outer, method, &argument);
                shapes.insert(arm.lines().count());
                let text = in_impl(&format!(
                    "    fn f() {{\n        match response.status.as_u16() {{\n{arm}        }}\n    }}\n"
                ));
                if text.lines().all(|line| line.len() <= MAX_LINE) {
                    assert_eq!(formatted(&text), text, "{len}");
                }
            }
        }
        // One line, a block, the call on its own line, the method too, the argument too.
        assert_eq!(shapes.into_iter().collect::<Vec<_>>(), [1, 3, 5, 6, 8]);
    }
}
