//! The answering methods of an expectation builder: `ok`, `error` and `answer` (which mounts
//! the expectation on its path), written as text in prettyplease's layout; an `ok` or `error`
//! with a line too long for that is formatted from the same text.

use proc_macro2::Literal;

use super::{answer_status, builder_name};
use crate::emit::code::Member;
use crate::emit::text::{MAX_LINE, match_arm as arm, method_signature, type_text};
use crate::emit::{Scope, ident};
use crate::ir::{Api, NamedResponse, Operation, PathPart, Payload};

/// `answer(..)`: mounts the expectation on its path.
pub(super) fn mount(op: &Operation) -> Member {
    let pieces: Vec<Vec<String>> = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => {
                vec![format!("PathPiece::Literal({})", Literal::string(text))]
            }
            PathPart::Param(index) => match op.params.get(*index) {
                // The formatter may break the line before each `.`.
                Some(param) => vec![
                    "PathPiece::Param(self".to_string(),
                    format!(".{}", ident(&builder_name(param))),
                    ".clone())".to_string(),
                ],
                None => vec!["PathPiece::Param(None)".to_string()],
            },
        })
        .collect();
    Member {
        source: format!(
            "    async fn answer(self, response: wiremock::ResponseTemplate) -> MockHandle {{
{}        let mut mock = self.mock.and(path).respond_with(response);
        if let Some(n) = self.times {{
            mock = mock.expect(n);
        }}
        MockHandle {{
            guard: mock.mount_as_scoped(&self.server.server).await,
        }}
    }}
",
            path_statement(&pieces)
        ),
        laid_out: true,
    }
}

/// The width of a line of the fill at indent 16 (prettyplease's margin less the indent).
const FILL_WIDTH: usize = MAX_LINE - 16;

/// `let path = PathMatches(vec![..]);` (at indent 8) as prettyplease lays it out. It prints
/// the macro's tokens as they come, a space after each piece's comma and no space before a
/// `.`, each of those a place where it may break the line: on one line when the statement
/// fits; else the call's argument on a line of its own, `vec![..]` on it when that fits
/// (the comma after `]` not counted), else the tokens on one line between `vec![` and `]`,
/// else filled at indent 16, a line broken only where the next chunk (up to the next place
/// to break) does not fit. `pieces` holds each piece's chunks.
fn path_statement(pieces: &[Vec<String>]) -> String {
    // Each chunk with the space printed before it when the line is not broken there.
    let mut chunks: Vec<(&str, String)> = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        for (position, chunk) in piece.iter().enumerate() {
            let comma = if position + 1 == piece.len() && index + 1 < pieces.len() {
                ","
            } else {
                ""
            };
            let space = if position == 0 && index > 0 { " " } else { "" };
            chunks.push((space, format!("{chunk}{comma}")));
        }
    }
    let flat: String = chunks
        .iter()
        .map(|(space, chunk)| format!("{space}{chunk}"))
        .collect();
    let one_line = format!("        let path = PathMatches(vec![{flat}]);\n");
    if one_line.len() <= MAX_LINE + 1 {
        return one_line;
    }
    let open = "            vec![";
    let argument = if open.len() + flat.len() + "]".len() <= MAX_LINE {
        format!("{open}{flat}],\n")
    } else if flat.len() <= FILL_WIDTH {
        format!("            vec![\n                {flat}\n            ],\n")
    } else {
        let mut fill = String::from("            vec![\n                ");
        let mut room = FILL_WIDTH;
        for (index, (space, chunk)) in chunks.iter().enumerate() {
            let width = space.len() + chunk.len();
            if index == 0 || width <= room {
                fill.push_str(if index == 0 { "" } else { space });
                fill.push_str(chunk);
                room = room.saturating_sub(if index == 0 { chunk.len() } else { width });
            } else {
                fill.push_str("\n                ");
                fill.push_str(chunk);
                room = FILL_WIDTH.saturating_sub(chunk.len());
            }
        }
        fill.push_str("\n            ],\n");
        fill
    };
    format!("        let path = PathMatches(\n{argument}        );\n")
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
            let ok = Member::fitting(format!(
                "    pub async fn ok(self, value: &types::{name}) -> MockHandle {{\n        self.answer(json_response(200u16, value)).await\n    }}\n"
            ));
            check(&ok, &mut checked, &mut longest);
        }
        assert!(checked > 60 && blocks > 20, "{checked} {blocks}");
        assert_eq!(longest, MAX_LINE);
    }

    fn literal(text: &str) -> Vec<String> {
        vec![format!("PathPiece::Literal({})", Literal::string(text))]
    }

    fn param(name: &str) -> Vec<String> {
        vec![
            "PathPiece::Param(self".to_string(),
            format!(".{name}"),
            ".clone())".to_string(),
        ]
    }

    /// Paths of every length up to well past two lines, of literals, parameters (with names
    /// of every length) and missing parameters, each laid out as the formatter lays it out.
    #[test]
    fn path_statements_read_as_formatted() {
        let mut layouts = std::collections::BTreeSet::new();
        for len in 1..=150 {
            let text = "/ab".repeat(len).chars().take(len).collect::<String>();
            let name = "n".repeat(1 + len % 40);
            let shapes = [
                vec![literal(&text)],
                vec![literal(&text), param("id")],
                vec![
                    literal("/api/v1/salesorders/"),
                    param(&name),
                    literal(&text),
                ],
                vec![
                    param(&name),
                    literal("/x/"),
                    param("r#type"),
                    literal(&text),
                ],
                vec![literal(&text), vec!["PathPiece::Param(None)".to_string()]],
                (0..1 + len % 6).map(|_| param(&name)).collect(),
            ];
            for pieces in shapes {
                let statement = path_statement(&pieces);
                layouts.insert(statement.lines().count().min(6));
                let text = in_impl(&format!("    fn f() {{\n{statement}    }}\n"));
                assert_eq!(formatted(&text), text);
            }
        }
        // One line, the argument on its own line, the tokens on their own line, and filled.
        assert_eq!(layouts.into_iter().collect::<Vec<_>>(), [1, 3, 5, 6]);
    }
}
