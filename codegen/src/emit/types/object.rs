//! Struct types of object schemas: fields with their serde attributes, `new()` (with its
//! argument struct), setters, the discriminator of a subtype, `Validate` and `MultipartForm`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{field_type_text, schema_doc};
use crate::emit::checks;
use crate::emit::code::Member;
use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::text::{self, Setter, Written};
use crate::emit::{Code, Scope, ident, type_tokens};
use crate::ir::{
    AdditionalField, Api, Field, FixedTag, Presence, Struct, TypeDef, TypeKind, TypeRef,
};

fn field_doc(field: &Field) -> DocBuilder {
    let mut doc = DocBuilder::new();
    doc.docs(
        &field.docs,
        Some(format!("The {} member.", code_span(&field.json_name))),
    );
    let note = match field.presence {
        Presence::Required => None,
        Presence::RequiredNullable => Some(
            "Required but nullable: always sent, as `null` when `None`; a response that leaves it out reads as `None`.",
        ),
        Presence::Optional => Some("Optional: omitted from requests when `None`."),
        Presence::ReadOnly => {
            Some("Read-only: set by the server in responses and never sent in requests.")
        }
        Presence::WriteOnly => {
            Some("Write-only: sent in requests when set and never read from responses.")
        }
    };
    if let Some(note) = note {
        doc.blank();
        doc.line(note);
    }
    let mut rules = checks::rules(&field.constraints);
    if holds_float(&field.ty) {
        rules.push("a finite number (not NaN or infinite)".to_string());
    }
    if !rules.is_empty() {
        doc.blank();
        doc.line(format!(
            "Checked before a request is sent: {}.",
            rules.join(", ")
        ));
    }
    doc
}

/// Whether the type is a floating-point number, or an array or map of them.
fn holds_float(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => holds_float(inner),
        _ => false,
    }
}

pub(super) fn emit_struct(api: &Api, def: &TypeDef, s: &Struct) -> Code {
    let name = ident(&def.name);
    let doc = struct_doc(def, s.tag.as_ref());
    let all_optional = s.fields.iter().all(|f| f.presence != Presence::Required);

    let mut parts = StructParts::default();
    for field in &s.fields {
        parts.add_field(api, field);
    }
    let mut tag_items = TagItems::new(&def.name, s.tag.as_ref());
    if let Some(additional) = &s.additional {
        parts.add_additional(api, additional, &mut tag_items);
    }

    let constructor = Constructor::new(def, s, &parts.constructor_args);
    parts.new_inits.extend(constructor.inits);
    let TagItems {
        attribute: tag_attribute,
        items: tag_members,
        ..
    } = tag_items;
    // Fields, constructor and setters, the bulk of most structs, are written as text (see
    // `emit::text`).
    // The openings of the blocks too, but for the tag's attribute and constant (discriminated
    // subtypes only), which are formatted.
    let mut code = Code::default();
    code.doc(&doc);
    if tag_attribute.is_none() {
        code.text_block(
            struct_head(&def.name, all_optional),
            parts.fields,
            "struct S",
        );
    } else {
        let default_derive = all_optional.then(|| quote!(Default,));
        code.block(
            quote! {
                #[derive(Debug, Clone, PartialEq, #default_derive ::serde::Serialize, ::serde::Deserialize)]
                #tag_attribute
                pub struct #name {}
            },
            parts.fields,
            "struct S",
        );
    }
    if let Some((args_struct, args_fields)) = constructor.args_struct {
        code.text_block(args_struct, args_fields, "struct S");
    }
    let new = text::constructor(&constructor.doc, &constructor.params, &parts.new_inits);
    let members = std::iter::once(new)
        .chain(parts.setters.iter().map(Setter::member))
        .collect();
    if tag_members.is_empty() {
        code.text_block(impl_head(&def.name), members, "impl S");
    } else {
        code.block(
            quote! {
                #[allow(deprecated)]
                impl #name {
                    #(#tag_members)*
                }
            },
            members,
            "impl S",
        );
    }
    if def.facts.validates {
        // The impl's lines as text, each check a statement of its own.
        code.source(validate_head(&name.to_string()), true)
            .append(parts.checks)
            .source("        Ok(())\n    }\n}\n".to_string(), true);
    }
    code
}

/// The opening of a struct without a tag (an empty block), as the formatter prints it.
fn struct_head(name: &str, all_optional: bool) -> String {
    let default_derive = if all_optional { " Default," } else { "" };
    format!(
        "#[derive(Debug, Clone, PartialEq,{default_derive} ::serde::Serialize, ::serde::Deserialize)]\npub struct {name} {{}}\n"
    )
}

/// The opening of a struct's inherent impl without a `TAG` (an empty block).
fn impl_head(name: &str) -> String {
    format!("#[allow(deprecated)]\nimpl {name} {{}}\n")
}

/// The opening of the struct of required fields (an empty block), `doc` starting with a space.
fn args_struct_head(doc: &str, name: &str) -> String {
    format!("///{doc}\n#[derive(Debug, Clone, PartialEq)]\npub struct {name} {{}}\n")
}

/// The struct's doc: the schema's, plus how a subtype writes its discriminator.
fn struct_doc(def: &TypeDef, tag: Option<&FixedTag>) -> DocBuilder {
    let mut doc = schema_doc(def);
    if let Some(tag) = tag {
        doc.blank();
        doc.line(format!(
            "A subtype of [`{}`]: always written with {} set to {} ([`Self::TAG`]), which is neither a field nor a `new()` argument; reading accepts any value there (a further subtype's included).",
            tag.base,
            code_span(&tag.json_name),
            code_span(&format!("{:?}", tag.value))
        ));
    }
    doc
}

/// What a struct's fields contribute to its items, gathered field by field: the declarations,
/// the `new()` arguments and initialisers, the setters and the checks of `Validate`.
#[derive(Default)]
struct StructParts<'a> {
    fields: Vec<Member>,
    constructor_args: Vec<ConstructorArg<'a>>,
    new_inits: Vec<String>,
    setters: Vec<Setter<'a>>,
    /// The statements of `Validate`.
    checks: Code,
}

impl<'a> StructParts<'a> {
    fn add_field(&mut self, api: &Api, field: &'a Field) {
        let note = field
            .deprecated
            .as_deref()
            .map(|reason| reason.split_whitespace().collect::<Vec<_>>().join(" "));
        let attrs: Vec<text::Attribute> = note
            .iter()
            .map(|note| deprecated_attribute(note))
            .chain([text::list_attribute("serde", &serde_items(field))])
            .collect();
        self.fields.push(text::field(
            &field_doc(field).source("    "),
            &attrs,
            &field.rust_name,
            &field_type_text(api, field),
        ));
        self.add_initialiser(api, field, note);
        field_checks(api, field, &mut self.checks);
    }

    /// How `new()` sets the field: from an argument, or unset (with a setter unless the field
    /// is read-only).
    fn add_initialiser(&mut self, api: &Api, field: &'a Field, deprecated: Option<String>) {
        let inner = text::type_text(api, &field.ty, Scope::Types);
        if field.is_constructor_arg() {
            self.constructor_args.push(ConstructorArg {
                field,
                inner,
                boxed: field.boxed,
                deprecated,
            });
            return;
        }
        self.new_inits.push(format!("{}: None", field.rust_name));
        if field.presence == Presence::ReadOnly {
            return;
        }
        let method = format!(
            "with_{}",
            field
                .rust_name
                .trim_start_matches("r#")
                .trim_start_matches('_')
        );
        let doc = match field.rust_name.strip_prefix("r#") {
            Some(raw) => format!(" Sets `{raw}`."),
            None => format!(" Sets [`Self::{}`].", field.rust_name),
        };
        self.setters.push(Setter {
            method,
            field: &field.rust_name,
            doc,
            deprecated,
            inner,
            boxed: field.boxed,
        });
    }

    /// The flattened map of members the schema does not declare (`additionalProperties`).
    fn add_additional(&mut self, api: &Api, additional: &AdditionalField, tags: &mut TagItems) {
        let rust_name = ident(&additional.rust_name);
        let read = tags.read_additional(&type_tokens(api, &additional.value, Scope::Types));
        self.fields.push(text::field(
            "    /// Members not declared in the schema (`additionalProperties`), kept as they came.\n",
            &[text::list_attribute(
                "serde",
                &std::iter::once("flatten".to_string()).chain(read).collect::<Vec<_>>(),
            )],
            &additional.rust_name,
            &format!(
                "::std::collections::BTreeMap<String, {}>",
                text::type_text(api, &additional.value, Scope::Types)
            ),
        ));
        self.new_inits
            .push(format!("{}: Default::default()", additional.rust_name));
        if api.is_checked(&additional.value) {
            let call = format!("        runtime::Validate::validate(&self.{rust_name})?;\n");
            if call.len() <= text::MAX_LINE + 1 {
                self.checks.source(call, true);
            } else {
                self.checks.statement(quote! {
                    runtime::Validate::validate(&self.#rust_name)?;
                });
            }
        }
    }
}

/// The items of the field's `#[serde(..)]` attribute: its JSON name and how its presence reads
/// and writes.
fn serde_items(field: &Field) -> Vec<String> {
    let mut items = vec![format!(
        "rename = {}",
        proc_macro2::Literal::string(&field.json_name)
    )];
    let skip_none = "skip_serializing_if = \"Option::is_none\"";
    let rest: &[&str] = match field.presence {
        Presence::Required => &[],
        Presence::RequiredNullable => &["default"],
        Presence::Optional => &["default", skip_none],
        Presence::ReadOnly => &["default", "skip_serializing"],
        Presence::WriteOnly => &["default", "skip_deserializing", skip_none],
    };
    items.extend(rest.iter().map(|item| item.to_string()));
    items
}

/// A field's `#[deprecated]` attribute with its note.
fn deprecated_attribute(note: &str) -> text::Attribute {
    text::list_attribute(
        "deprecated",
        &[format!("note = {}", proc_macro2::Literal::string(note))],
    )
}

/// The statements of `Validate` for one field: its own constraints, then its value's checks.
fn field_checks(api: &Api, field: &Field, checks: &mut Code) {
    let rust_name = ident(&field.rust_name);
    let json_name = &field.json_name;
    let field_checks =
        checks::constraint_checks(&field.constraints, &field.ty, "value", json_name, false);
    if !field_checks.is_empty() {
        let optional = field.presence != Presence::Required;
        let open = match (&field.ty, optional) {
            (TypeRef::String, true) => {
                format!("        if let Some(value) = self.{rust_name}.as_deref() {{\n")
            }
            (TypeRef::String, false) => {
                format!("        {{\n            let value = self.{rust_name}.as_str();\n")
            }
            (_, true) => format!("        if let Some(value) = &self.{rust_name} {{\n"),
            (_, false) => format!("        {{\n            let value = &self.{rust_name};\n"),
        };
        checks.written_statement(checks::check_statement(&open, field_checks));
    }
    if api.is_checked(&field.ty) {
        checks.written_statement(validate_call(&rust_name.to_string(), json_name));
    }
}

/// The first lines of a struct's `Validate` impl, as the formatter lays them out: the `impl`
/// line broken before `for` when it does not fit.
fn validate_head(name: &str) -> String {
    let one_line = format!("impl runtime::Validate for {name} {{");
    let head = if one_line.len() <= text::MAX_LINE {
        one_line
    } else {
        format!("impl runtime::Validate\nfor {name} {{")
    };
    format!(
        "#[allow(deprecated)]\n{head}\n    fn validate(&self) -> Result<(), runtime::ConstraintViolation> {{\n"
    )
}

/// `runtime::Validate::validate(&self.field).map_err(|e| e.at("name"))?;` in the formatter's
/// layout in `validate`: on one line, or broken before `.map_err`; for the formatter when even
/// that is too long.
fn validate_call(field: &str, json_name: &str) -> Written {
    text::map_err_chain(
        "        ",
        &format!("runtime::Validate::validate(&self.{field})"),
        json_name,
    )
}

/// What a subtype's fixed discriminator value adds to its struct: the serde attribute that
/// writes it, the `TAG` constant, and (with an additional-members map) the reader that keeps
/// the tag out of that map.
struct TagItems<'a> {
    tag: Option<&'a FixedTag>,
    /// The struct's name.
    owner: &'a str,
    attribute: Option<TokenStream>,
    items: Vec<TokenStream>,
}

impl<'a> TagItems<'a> {
    fn new(owner: &'a str, tag: Option<&'a FixedTag>) -> Self {
        let attribute = tag.map(|tag| {
            let (json_name, value) = (&tag.json_name, &tag.value);
            quote!(#[serde(tag = #json_name, rename = #value)])
        });
        let items = tag
            .map(|tag| {
                let value = &tag.value;
                let doc = format!(
                    " The value of {} this type always writes (the discriminator of [`{}`]).",
                    code_span(&tag.json_name),
                    tag.base
                );
                quote!(#[doc = #doc] pub const TAG: &str = #value;)
            })
            .into_iter()
            .collect();
        Self {
            tag,
            owner,
            attribute,
            items,
        }
    }

    /// `, deserialize_with = ..` (as text) for the flattened map of a tagged struct (serde would put the
    /// tag member in it, and write it twice), with the reader it names; nothing otherwise.
    fn read_additional(&mut self, value: &TokenStream) -> Option<String> {
        let json_name = &self.tag?.json_name;
        self.items.push(quote! {
            fn read_additional<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<::std::collections::BTreeMap<String, #value>, D::Error> {
                let mut members = <::std::collections::BTreeMap<String, serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                members.remove(#json_name);
                members
                    .into_iter()
                    .map(|(key, member)| {
                        serde_json::from_value(member)
                            .map(|member| (key, member))
                            .map_err(::serde::de::Error::custom)
                    })
                    .collect()
            }
        });
        let reader = format!("{}::read_additional", self.owner);
        Some(format!(
            "deserialize_with = {}",
            proc_macro2::Literal::string(&reader)
        ))
    }
}

/// A field `new()` takes.
struct ConstructorArg<'a> {
    field: &'a Field,
    /// The field's type without `Option` or `Box`, as text.
    inner: String,
    boxed: bool,
    /// The field's `#[deprecated]` note.
    deprecated: Option<String>,
}

/// A struct's `new()`: its parameters and the field initialisers they give (as text), and the
/// argument struct (its item without fields, and the fields) when the arguments are passed by
/// name.
struct Constructor {
    params: Vec<String>,
    inits: Vec<String>,
    args_struct: Option<(String, Vec<Member>)>,
    doc: String,
}

impl Constructor {
    fn new(def: &TypeDef, s: &Struct, args: &[ConstructorArg<'_>]) -> Self {
        let type_name = &def.name;
        let inits = args.iter().map(|arg| {
            let rust_name = &arg.field.rust_name;
            let source = if s.required_args.is_some() {
                format!("required.{rust_name}")
            } else {
                format!("{rust_name}.into()")
            };
            let value = if arg.boxed {
                format!("Box::new({source})")
            } else {
                source
            };
            if arg.field.presence == Presence::WriteOnly {
                format!("{rust_name}: Some({value})")
            } else {
                format!("{rust_name}: {value}")
            }
        });
        let inits = inits.collect();
        let Some(args_name) = &s.required_args else {
            let params = args
                .iter()
                .map(|arg| format!("{}: impl Into<{}>", arg.field.rust_name, arg.inner))
                .collect::<Vec<_>>();
            let doc = if params.is_empty() {
                format!(" Creates a `{type_name}` with every field unset.")
            } else {
                format!(
                    " Creates a `{type_name}` from its required fields; every other field starts unset."
                )
            };
            return Constructor {
                params,
                inits,
                args_struct: None,
                doc,
            };
        };
        let struct_doc = format!(
            " The required fields of [`{type_name}`], passed by name to [`{type_name}::new`] so that none can be left out or swapped."
        );
        let fields = args.iter().map(|arg| {
            let doc = match arg.field.rust_name.strip_prefix("r#") {
                // Rustdoc cannot link a raw identifier.
                Some(_) => format!(" The {} member.", code_span(&arg.field.json_name)),
                None => format!(
                    " The {} member (see [`{type_name}::{}`]).",
                    code_span(&arg.field.json_name),
                    arg.field.rust_name
                ),
            };
            let attrs: Vec<text::Attribute> = arg
                .deprecated
                .iter()
                .map(|note| deprecated_attribute(note))
                .collect();
            text::field(
                &text::doc_line(&doc),
                &attrs,
                &arg.field.rust_name,
                &arg.inner,
            )
        });
        let args_struct = args_struct_head(&struct_doc, args_name);
        Constructor {
            params: vec![format!("required: {args_name}")],
            inits,
            args_struct: Some((args_struct, fields.collect())),
            doc: format!(
                " Creates a `{type_name}` from its required fields; every other field starts unset."
            ),
        }
    }
}

/// `MultipartForm` for a struct sent as `multipart/form-data`: file properties become file
/// parts, scalars text parts, anything else a JSON part; read-only properties are left out.
pub(super) fn emit_multipart_form(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let is_text = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => matches!(
            api.types.get(*id).map(|t| &t.kind),
            Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_))
        ),
        other => other.is_builtin_scalar(),
    };
    let parts = s
        .fields
        .iter()
        .filter(|f| f.presence != Presence::ReadOnly)
        .map(|field| {
            let rust_name = ident(&field.rust_name);
            let json_name = &field.json_name;
            let write = match &field.ty {
                TypeRef::Binary => quote!(form.file(#json_name, value);),
                TypeRef::Vec(item) if **item == TypeRef::Binary => {
                    quote!(for item in value { form.file(#json_name, item); })
                }
                ty if is_text(ty) => {
                    quote!(form.text(#json_name, &runtime::ToParam::to_param(value));)
                }
                TypeRef::Vec(item) if is_text(item) => quote! {
                    for item in value {
                        form.text(#json_name, &runtime::ToParam::to_param(item));
                    }
                },
                _ => quote!(form.json(#json_name, value)?;),
            };
            if field.presence == Presence::Required {
                quote!({ let value = &self.#rust_name; #write })
            } else {
                quote!(if let Some(value) = &self.#rust_name { #write })
            }
        });
    quote! {
        #[allow(deprecated)]
        impl runtime::MultipartForm for #name {
            fn write_parts(&self, form: &mut runtime::Multipart) -> Result<(), serde_json::Error> {
                #(#parts)*
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::formatted;

    #[test]
    fn block_openings_read_as_formatted() {
        for len in [1, 40, 80, 100] {
            let name = "N".repeat(len);
            for head in [
                struct_head(&name, true),
                struct_head(&name, false),
                impl_head(&name),
                args_struct_head(&format!(" The required fields of [`{name}`]."), &name),
            ] {
                assert_eq!(formatted(&head), head, "{len}");
            }
        }
    }

    #[test]
    fn validate_heads_read_as_formatted() {
        let mut broken = 0;
        for len in 1..=100 {
            let head = validate_head(&"N".repeat(len));
            broken += usize::from(head.contains("\nfor "));
            let text = format!("{head}        Ok(())\n    }}\n}}\n");
            assert_eq!(formatted(&text), text, "{len}");
        }
        assert!(broken > 20, "{broken}");
    }

    #[test]
    fn laid_out_validate_calls_read_as_formatted() {
        let (mut one_line, mut broken, mut longest) = (0, 0, 0);
        for len in 1..=80 {
            let field = "f".repeat(len);
            for json_name in ["x".to_string(), "j".repeat(len / 2 + 1)] {
                let call = validate_call(&field, &json_name);
                if !call.known {
                    continue;
                }
                let call = call.text;
                if call.lines().count() == 1 {
                    one_line += 1;
                } else {
                    broken += 1;
                }
                longest = call.lines().map(str::len).max().unwrap_or(0).max(longest);
                let text = format!(
                    "impl T {{\n    fn validate(&self) -> Result<(), runtime::ConstraintViolation> {{\n{call}        Ok(())\n    }}\n}}\n"
                );
                assert_eq!(formatted(&text), text, "{len}");
            }
        }
        assert!(one_line > 20 && broken > 20, "{one_line} {broken}");
        assert_eq!(longest, text::MAX_LINE);
    }
}
