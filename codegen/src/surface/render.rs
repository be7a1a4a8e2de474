//! The IR to the surface file: one line per operation, type, field, enum value and union variant.

use proc_macro2::TokenStream;

use super::{
    ALIAS, COLUMN_SEPARATOR, ENUM, FENCE_CLOSE, FENCE_OPEN, FIELD, FN, STRUCT, UNION, VALUE,
    VARIANT,
};
use crate::emit::{
    Scope, body_arg_type, code_text, field_type_text, held_type_text, param_shape, payload_type,
    returned_type, type_text,
};
use crate::ir::{Api, Field, NamedResponse, Operation, Presence, TypeId, TypeKind, UnionVariant};

/// The surface file of `api`; `header` is its first line (the `@generated` comment).
pub(crate) fn render(api: &Api, crate_name: &str, header: &str) -> String {
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let mut types: Vec<TypeId> = (0..api.types.len()).collect();
    types.sort_by(|a, b| api.types[*a].name.cmp(&api.types[*b].name));

    let mut out = format!(
        "{header}\n# API surface of `{crate_name}`\n\n\
         The public API of the generated client: one line per operation, type, struct field, enum \
         value and union variant, each starting with a stable key. Review this file's diff first \
         when the spec changes; regenerating prints what changed against the committed file, \
         each change marked breaking or compatible.\n"
    );
    out.push_str("\n## Operations\n\n");
    push_block(
        &mut out,
        operations.iter().map(|op| operation_line(api, op)),
    );
    out.push_str("\n## Types\n\n");
    push_block(
        &mut out,
        types.into_iter().flat_map(|id| type_lines(api, id)),
    );
    out
}

fn push_block(out: &mut String, lines: impl Iterator<Item = String>) {
    out.push_str(FENCE_OPEN);
    out.push('\n');
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(FENCE_CLOSE);
    out.push('\n');
}

/// `fn name(params) -> T | METHOD /path | [ok: A(T), B |] errors: OpError::{A(T), B} [| deprecated]`.
fn operation_line(api: &Api, op: &Operation) -> String {
    let mut params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p.rust_name,
                compact(&param_shape(api, p).signature)
            )
        })
        .collect();
    if let Some(body) = &op.body {
        params.push(format!("body: {}", compact(&body_arg_type(api, body))));
    }
    let mut columns = vec![
        format!(
            "{FN} {}({}) -> {}",
            op.method_name,
            params.join(", "),
            compact(&returned_type(api, op))
        ),
        format!("{} {}", op.method.as_str(), one_line(&op.path_template)),
    ];
    if op.success_enum.is_some() {
        columns.push(format!("ok: {}", variant_list(api, &op.successes)));
    }
    columns.push(format!(
        "errors: {}::{{{}}}",
        op.error_type,
        variant_list(api, &op.errors)
    ));
    if op.deprecated {
        columns.push("deprecated".to_string());
    }
    columns.join(COLUMN_SEPARATOR)
}

/// `A(T), B`.
fn variant_list(api: &Api, responses: &[NamedResponse]) -> String {
    let variants: Vec<String> = responses
        .iter()
        .map(|r| match &r.response.body {
            Some(payload) => format!("{}({})", r.variant, compact(&payload_type(api, payload))),
            None => r.variant.clone(),
        })
        .collect();
    variants.join(", ")
}

/// The type's own line, then one line per field, value or variant.
fn type_lines(api: &Api, id: TypeId) -> Vec<String> {
    let def = &api.types[id];
    let name = &def.name;
    match &def.kind {
        TypeKind::Struct(s) => {
            let args: Vec<&str> = s
                .fields
                .iter()
                .filter(|f| f.is_constructor_arg())
                .map(|f| f.rust_name.as_str())
                .collect();
            let args = match &s.required_args {
                Some(args_struct) => format!("{args_struct} {{ {} }}", args.join(", ")),
                None => args.join(", "),
            };
            let tag = match &s.tag {
                Some(tag) => format!(
                    "{COLUMN_SEPARATOR}tag {:?} = {:?}",
                    tag.json_name, tag.value
                ),
                None => String::new(),
            };
            let mut lines = vec![format!("{STRUCT} {name}{COLUMN_SEPARATOR}new({args}){tag}")];
            lines.extend(s.fields.iter().map(|f| field_line(api, name, f)));
            if let Some(extra) = &s.additional {
                let value = compact_text(type_text(api, &extra.value, Scope::Types));
                lines.push(format!(
                    "{FIELD} {name}.{}: BTreeMap<String, {value}>{COLUMN_SEPARATOR}flattened",
                    extra.rust_name
                ));
            }
            lines
        }
        TypeKind::StringEnum(variants) => enum_lines(
            name,
            "string",
            variants
                .iter()
                .map(|v| (v.rust_name.as_str(), format!("{:?}", v.value))),
        ),
        TypeKind::IntEnum(variants) => enum_lines(
            name,
            "integer",
            variants
                .iter()
                .map(|v| (v.rust_name.as_str(), v.value.to_string())),
        ),
        TypeKind::Union(union) => {
            let tag = match &union.tag {
                Some(tag) => format!("tag {tag:?}"),
                None => "untagged".to_string(),
            };
            let mut lines = vec![format!("{UNION} {name}{COLUMN_SEPARATOR}{tag}")];
            lines.extend(union.variants.iter().map(|v| match v {
                UnionVariant::Unit { rust_name, value } => {
                    format!("{VARIANT} {name}::{rust_name} = {value:?}")
                }
                UnionVariant::Value {
                    rust_name,
                    ty,
                    tag_value,
                    boxed,
                } => {
                    let held = compact_text(held_type_text(api, ty, *boxed));
                    match tag_value {
                        Some(tag) => format!(
                            "{VARIANT} {name}::{rust_name}({held}){COLUMN_SEPARATOR}tag {tag:?}"
                        ),
                        None => format!("{VARIANT} {name}::{rust_name}({held})"),
                    }
                }
            }));
            lines
        }
        TypeKind::Alias(ty) => vec![format!(
            "{ALIAS} {name} = {}",
            compact_text(type_text(api, ty, Scope::Types))
        )],
    }
}

/// `enum Name | string` (or `integer`), then `value Name::Variant = wire value` per value.
fn enum_lines<'a>(
    name: &str,
    kind: &str,
    values: impl Iterator<Item = (&'a str, String)>,
) -> Vec<String> {
    let mut lines = vec![format!("{ENUM} {name}{COLUMN_SEPARATOR}{kind}")];
    lines.extend(values.map(|(variant, value)| format!("{VALUE} {name}::{variant} = {value}")));
    lines
}

/// `field Owner.name: T | presence`.
fn field_line(api: &Api, owner_name: &str, field: &Field) -> String {
    let ty = compact_text(field_type_text(api, field));
    let mut presence = match field.presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::ReadOnly => "read-only",
        Presence::WriteOnly if field.required => "write-only, required",
        Presence::WriteOnly => "write-only",
    }
    .to_string();
    if field.deprecated.is_some() {
        presence.push_str(", deprecated");
    }
    format!(
        "{FIELD} {owner_name}.{}: {ty}{COLUMN_SEPARATOR}{presence}",
        field.rust_name
    )
}

/// A type as an integrator writes it: no spaces inside, `types::`, `runtime::` and the
/// `::std::collections::` and `::chrono::` paths left out, `, ` between generic arguments.
fn compact(tokens: &TokenStream) -> String {
    compact_text(code_text(tokens))
}

/// [`compact`] on a type's text as the formatter prints it.
fn compact_text(mut text: String) -> String {
    if !text.contains("::") {
        return text;
    }
    for prefix in ["::std::collections::", "::chrono::", "types::", "runtime::"] {
        text = text.replace(prefix, "");
    }
    text.replace("::serde_json::", "serde_json::")
}

/// Text from the document on one line: control characters escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}
