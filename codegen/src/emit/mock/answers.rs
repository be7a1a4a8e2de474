//! The answering methods of an expectation builder: `ok`, `error` and `answer` (which mounts
//! the expectation on its path), written as text in prettyplease's layout; a method with a
//! line too long for that is formatted from the same text.

use proc_macro2::Literal;

use super::{answer_status, builder_name};
use crate::emit::code::Member;
use crate::emit::text::{match_arm as arm, method_signature, type_text};
use crate::emit::{Scope, ident};
use crate::ir::{Api, NamedResponse, Operation, PathPart, Payload};

/// `answer(..)`: mounts the expectation on its path.
pub(super) fn mount(op: &Operation) -> Member {
    let pieces: Vec<String> = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => format!("PathPiece::Literal({})", Literal::string(text)),
            PathPart::Param(index) => match op.params.get(*index) {
                Some(param) => {
                    format!(
                        "PathPiece::Param(self.{}.clone())",
                        ident(&builder_name(param))
                    )
                }
                None => "PathPiece::Param(None)".to_string(),
            },
        })
        .collect();
    Member::fitting(format!(
        "    async fn answer(self, response: wiremock::ResponseTemplate) -> MockHandle {{
        let path = PathMatches(vec![{}]);
        let mut mock = self.mock.and(path).respond_with(response);
        if let Some(n) = self.times {{
            mock = mock.expect(n);
        }}
        MockHandle {{
            guard: mock.mount_as_scoped(&self.server.server).await,
        }}
    }}
",
        pieces.join(", ")
    ))
}

/// `ok(..)`: answers with a documented success (none for an operation without one).
pub(super) fn ok(api: &Api, op: &Operation) -> Option<Member> {
    if let Some(name) = &op.success_enum {
        let name = ident(name);
        let arms = enum_arms(&name.to_string(), &op.successes, false, "value");
        let signature = method_signature(
            "pub async fn ok",
            &["self".to_string(), format!("success: operations::{name}")],
            "MockHandle",
        );
        return Some(Member::fitting(format!(
            "    /// Answers with this documented success.
{signature}        let response = match &success {{
{arms}        }};
        self.answer(response).await
    }}
"
        )));
    }
    let first = op.successes.first()?;
    let source = match &first.response.body {
        Some(payload) => {
            let ty = match payload {
                Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => {
                    type_text(api, ty, Scope::Sibling)
                }
                Payload::Text => "str".to_string(),
                Payload::Bytes => "bytes::Bytes".to_string(),
            };
            let signature = method_signature(
                "pub async fn ok",
                &["self".to_string(), format!("value: &{ty}")],
                "MockHandle",
            );
            format!(
                "    /// Answers with this documented success value.
{signature}        self.answer({}).await
    }}
",
                response_for(first, false, "value")
            )
        }
        None => format!(
            "    /// Answers with the documented success (no body).
    pub async fn ok(self) -> MockHandle {{
        self.answer({}).await
    }}
",
            response_for(first, false, "()")
        ),
    };
    Some(Member::fitting(source))
}

/// `error(..)`: answers with a documented error and its body (none for an operation without
/// documented errors).
pub(super) fn error(op: &Operation) -> Option<Member> {
    if op.errors.is_empty() {
        return None;
    }
    let error_type = ident(&op.error_type);
    let arms = enum_arms(&error_type.to_string(), &op.errors, true, "body");
    let signature = method_signature(
        "pub async fn error",
        &[
            "self".to_string(),
            format!("error: operations::{error_type}"),
        ],
        "MockHandle",
    );
    Some(Member::fitting(format!(
        "    /// Answers with this documented error (its status, and its body as JSON).
{signature}        let response = match &error {{
{arms}        }};
        self.answer(response).await
    }}
"
    )))
}

/// The arms of a `match` over a success or error enum `name`: each variant answered with its
/// response, its body (if any) bound to `binding`.
fn enum_arms(name: &str, responses: &[NamedResponse], error: bool, binding: &str) -> String {
    responses
        .iter()
        .map(|named| {
            let variant = ident(&named.variant);
            let template = response_for(named, error, binding);
            match named.response.body {
                Some(_) => arm(
                    &format!("operations::{name}::{variant}({binding})"),
                    &template,
                ),
                None => arm(&format!("operations::{name}::{variant}"), &template),
            }
        })
        .collect()
}

/// The response template for one documented response holding `value` (an expression).
fn response_for(named: &NamedResponse, error: bool, value: &str) -> String {
    let status = answer_status(named.response.status, error);
    let new = format!("wiremock::ResponseTemplate::new({status}u16)");
    match &named.response.body {
        None => new,
        Some(Payload::Text) => format!("{new}.set_body_raw({value}.to_string(), \"text/plain\")"),
        Some(Payload::Bytes) => {
            format!("{new}.set_body_raw({value}.to_vec(), \"application/octet-stream\")")
        }
        Some(_) => format!("json_response({status}u16, {value})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::MAX_LINE;
    use crate::emit::text::tests::{formatted, in_impl};

    /// Checks every laid-out `source` against the formatter; counts them.
    fn check(source: &Member, checked: &mut usize, longest: &mut usize) {
        if source.laid_out {
            *checked += 1;
            let widest = source.source.lines().map(str::len).max().unwrap_or(0);
            *longest = widest.max(*longest);
            let text = in_impl(&source.source);
            assert_eq!(formatted(&text), text);
        }
    }

    #[test]
    fn laid_out_answers_read_as_formatted() {
        let (mut checked, mut blocks, mut longest) = (0, 0, 0);
        for len in 1..=60 {
            let name = "N".repeat(len);
            let pattern = format!("operations::{name}::V{}(body)", "v".repeat(len % 7));
            for value in [
                "json_response(400u16, body)",
                "wiremock::ResponseTemplate::new(500u16)",
            ] {
                let arms = arm(&pattern, value);
                if arms.lines().count() > 1 {
                    blocks += 1;
                }
                let method = Member::fitting(format!(
                    "    pub async fn error(self, error: operations::{name}) -> MockHandle {{\n        let response = match &error {{\n{arms}        }};\n        self.answer(response).await\n    }}\n"
                ));
                check(&method, &mut checked, &mut longest);
            }
            let mount = Member::fitting(format!(
                "    async fn answer(self) -> MockHandle {{\n        let path = PathMatches(vec![PathPiece::Literal({}), PathPiece::Param(self.id.clone())]);\n    }}\n",
                Literal::string(&"/a".repeat(len / 2))
            ));
            check(&mount, &mut checked, &mut longest);
            let ok = Member::fitting(format!(
                "    pub async fn ok(self, value: &types::{name}) -> MockHandle {{\n        self.answer(json_response(200u16, value)).await\n    }}\n"
            ));
            check(&ok, &mut checked, &mut longest);
        }
        assert!(checked > 60 && blocks > 20, "{checked} {blocks}");
        assert_eq!(longest, MAX_LINE);
    }
}
