//! Emits the `types` module: structs, enums and aliases for the API's schemas.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::checks;
use crate::emit::code::Member;
use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::text::{self, Setter};
use crate::emit::{Code, Scope, format_module, ident, type_tokens};
use crate::error::Result;
use crate::ir::{
    Api, EnumVariant, Field, FixedTag, IntVariant, Presence, Struct, TypeDef, TypeKind, TypeRef,
    Union, UnionVariant,
};

pub(crate) fn emit_types(api: &Api, header: &str) -> Result<String> {
    let item = |id: usize| {
        let def = &api.types[id];
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut code = emit_struct(api, def, s);
                if def.facts.multipart_form {
                    code.tokens(emit_multipart_form(api, def, s));
                }
                code
            }
            TypeKind::StringEnum(variants) => emit_enum(def, variants),
            TypeKind::IntEnum(variants) => emit_int_enum(def, variants).into(),
            TypeKind::Union(union) => emit_union(api, def, union).into(),
            TypeKind::Alias(ty) => emit_alias(api, def, ty).into(),
        }
    };
    format_module(header, api.types.len(), item, prelude(api), "types module")
}

/// The module's doc and imports: the runtime when a type implements one of its traits
/// (`Validate`, `MultipartForm`, `ToParam`; every enum does) or holds a file part.
fn prelude(api: &Api) -> TokenStream {
    let uses_runtime = api.needs.file_parts
        || api
            .types
            .iter()
            .any(|def| def.facts.validates || def.facts.multipart_form || def.facts.scalar_union);
    let runtime_import = uses_runtime.then(|| {
        quote!(
            use super::runtime;
        )
    });
    quote! {
        #![doc = " Types of the API's schemas: one Rust type per named or inline schema."]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
        #runtime_import
    }
}

fn schema_doc(def: &TypeDef) -> DocBuilder {
    let mut doc = DocBuilder::new();
    doc.docs(&def.docs, None);
    doc.blank();
    doc.line(format!("Schema: {}", code_span(&def.pointer)));
    doc
}

/// `pub type Name = Target;`, or a newtype struct when the target mentions the alias itself
/// (through arrays or maps), which a type alias cannot do.
fn emit_alias(api: &Api, def: &TypeDef, ty: &TypeRef) -> TokenStream {
    let name = ident(&def.name);
    let target = type_tokens(api, ty, Scope::Types);
    if !def.facts.self_containing {
        let doc = schema_doc(def).tokens();
        return quote! {
            #doc
            pub type #name = #target;
        };
    }
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line("A struct rather than a type alias because the schema contains itself.");
    let doc = doc.tokens();
    let validate = def.facts.validates.then(|| {
        quote! {
            impl runtime::Validate for #name {
                fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                    runtime::Validate::validate(&self.0)
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #target);

        #validate
    }
}

/// `ty` as held inside a field or union variant: in a `Box` when `boxed` (where holding it
/// directly would make its owner infinitely large).
pub(crate) fn held_type(api: &Api, ty: &TypeRef, boxed: bool) -> TokenStream {
    let inner = type_tokens(api, ty, Scope::Types);
    if boxed { quote!(Box<#inner>) } else { inner }
}

/// The field's declared Rust type.
pub(crate) fn field_type(api: &Api, field: &Field) -> TokenStream {
    let inner = held_type(api, &field.ty, field.boxed);
    match field.presence {
        Presence::Required => inner,
        _ => quote!(Option<#inner>),
    }
}

/// The text of [`field_type`].
fn field_type_text(api: &Api, field: &Field) -> String {
    let mut ty = text::type_text(api, &field.ty, Scope::Types);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    match field.presence {
        Presence::Required => ty,
        _ => format!("Option<{ty}>"),
    }
}

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

fn emit_struct(api: &Api, def: &TypeDef, s: &Struct) -> Code {
    let name = ident(&def.name);
    let mut doc = schema_doc(def);
    if let Some(tag) = &s.tag {
        doc.blank();
        doc.line(format!(
            "A subtype of [`{}`]: always written with {} set to {} ([`Self::TAG`]), which is neither a field nor a `new()` argument; reading accepts any value there (a further subtype's included).",
            tag.base,
            code_span(&tag.json_name),
            code_span(&format!("{:?}", tag.value))
        ));
    }
    let doc = doc.tokens();
    let all_optional = s.fields.iter().all(|f| f.presence != Presence::Required);
    let default_derive = all_optional.then(|| quote!(Default,));

    let mut fields = Vec::new();
    let mut constructor_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut setters = Vec::new();
    let mut checks = Vec::new();
    for field in &s.fields {
        let rust_name = ident(&field.rust_name);
        let json_name = &field.json_name;
        let boxed = field.boxed;
        let rename = proc_macro2::Literal::string(json_name);
        let serde_attr = match field.presence {
            Presence::Required => format!("#[serde(rename = {rename})]"),
            Presence::RequiredNullable => format!("#[serde(rename = {rename}, default)]"),
            Presence::Optional => format!(
                "#[serde(rename = {rename}, default, skip_serializing_if = \"Option::is_none\")]"
            ),
            Presence::ReadOnly => format!("#[serde(rename = {rename}, default, skip_serializing)]"),
            Presence::WriteOnly => format!(
                "#[serde(rename = {rename}, default, skip_deserializing, skip_serializing_if = \"Option::is_none\")]"
            ),
        };
        let note = field
            .deprecated
            .as_deref()
            .map(|reason| reason.split_whitespace().collect::<Vec<_>>().join(" "));
        let attrs: Vec<String> = note
            .iter()
            .map(|note| text::deprecated(note))
            .chain([serde_attr])
            .collect();
        fields.push(text::field(
            &field_doc(field).source("    "),
            &attrs,
            &field.rust_name,
            &field_type_text(api, field),
        ));

        match field.presence {
            _ if field.is_constructor_arg() => constructor_args.push(ConstructorArg {
                field,
                inner: text::type_text(api, &field.ty, Scope::Types),
                boxed,
                deprecated: note,
            }),
            Presence::ReadOnly => new_inits.push(format!("{}: None", field.rust_name)),
            _ => {
                new_inits.push(format!("{}: None", field.rust_name));
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
                setters.push(Setter {
                    method,
                    field: &field.rust_name,
                    doc,
                    deprecated: note,
                    inner: text::type_text(api, &field.ty, Scope::Types),
                    boxed,
                });
            }
        }

        let field_checks =
            checks::constraint_checks(&field.constraints, &field.ty, "value", json_name, false);
        if !field_checks.is_empty() {
            let optional = field.presence != Presence::Required;
            checks.push(match (&field.ty, optional) {
                (TypeRef::String, true) => quote! {
                    if let Some(value) = self.#rust_name.as_deref() { #(#field_checks)* }
                },
                (TypeRef::String, false) => quote! {
                    { let value = self.#rust_name.as_str(); #(#field_checks)* }
                },
                (_, true) => quote!(if let Some(value) = &self.#rust_name { #(#field_checks)* }),
                (_, false) => quote!({ let value = &self.#rust_name; #(#field_checks)* }),
            });
        }
        if api.is_checked(&field.ty) {
            checks.push(quote! {
                runtime::Validate::validate(&self.#rust_name).map_err(|e| e.at(#json_name))?;
            });
        }
    }
    let mut tag_items = TagItems::new(&def.name, s.tag.as_ref());
    if let Some(additional) = &s.additional {
        let rust_name = ident(&additional.rust_name);
        let read = tag_items.read_additional(&type_tokens(api, &additional.value, Scope::Types));
        fields.push(text::field(
            "    /// Members not declared in the schema (`additionalProperties`), kept as they came.\n",
            &[format!("#[serde(flatten{})]", read.unwrap_or_default())],
            &additional.rust_name,
            &format!(
                "::std::collections::BTreeMap<String, {}>",
                text::type_text(api, &additional.value, Scope::Types)
            ),
        ));
        new_inits.push(format!("{}: Default::default()", additional.rust_name));
        if api.is_checked(&additional.value) {
            checks.push(quote! {
                runtime::Validate::validate(&self.#rust_name)?;
            });
        }
    }

    let constructor = Constructor::new(def, s, &constructor_args);
    new_inits.extend(constructor.inits);
    let validate = def.facts.validates.then(|| {
        quote! {
            #[allow(deprecated)]
            impl runtime::Validate for #name {
                fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    });
    let TagItems {
        attribute: tag_attribute,
        items: tag_members,
        ..
    } = tag_items;
    // Fields, constructor and setters, the bulk of most structs, are written as text (see
    // `emit::text`).
    let mut code = Code::default();
    code.block(
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default_derive ::serde::Serialize, ::serde::Deserialize)]
            #tag_attribute
            pub struct #name {}
        },
        fields,
        "struct S",
    );
    if let Some((args_struct, args_fields)) = constructor.args_struct {
        code.block(args_struct, args_fields, "struct S");
    }
    let new = text::constructor(&constructor.doc, &constructor.params, &new_inits);
    code.block(
        quote! {
            #[allow(deprecated)]
            impl #name {
                #(#tag_members)*
            }
        },
        std::iter::once(new)
            .chain(setters.iter().map(Setter::member))
            .collect(),
        "impl S",
    );
    code.tokens(validate.unwrap_or_default());
    code
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
            ", deserialize_with = {}",
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
    args_struct: Option<(TokenStream, Vec<Member>)>,
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
        let args_ident = ident(args_name);
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
            let attrs: Vec<String> = arg
                .deprecated
                .iter()
                .map(|note| text::deprecated(note))
                .collect();
            text::field(
                &text::doc_line(&doc),
                &attrs,
                &arg.field.rust_name,
                &arg.inner,
            )
        });
        let args_struct = quote! {
            #[doc = #struct_doc]
            #[derive(Debug, Clone, PartialEq)]
            pub struct #args_ident {}
        };
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

fn emit_enum(def: &TypeDef, variants: &[EnumVariant]) -> Code {
    let name = ident(&def.name);
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line("Parsing with `FromStr` accepts only the documented values; deserializing keeps any other value a server sends in `Unknown`, so a new server-side value never breaks a response. A request holding an `Unknown` value is refused before it is sent.");
    let doc = doc.tokens();
    let type_name = &def.name;
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" {}", value_doc(v)));
    let definition = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this client does not know, kept as sent (for example one added to the API later).
            Unknown(String),
        }

        impl #name {
            /// Every documented value, in document order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
    };
    let from_str = quote! {
        impl std::str::FromStr for #name {
            type Err = runtime::ParseEnumError;

            fn from_str(value: &str) -> Result<Self, runtime::ParseEnumError> {
                match value {
                    #( #values => Ok(Self::#idents), )*
                    other => Err(runtime::ParseEnumError::new(#type_name, other)),
                }
            }
        }
    };
    // The impls that do not depend on the values are written as text (see `emit::text`).
    let laid_out = text::string_enum_impls_laid_out(type_name);
    let (display, rest) = text::string_enum_impls(type_name);
    let mut code = Code::default();
    code.tokens(definition)
        .source(display, laid_out)
        .tokens(from_str)
        .source(rest, laid_out);
    code
}

fn emit_int_enum(def: &TypeDef, variants: &[IntVariant]) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line(
        "Sent as an integer. Deserializing keeps any other value a server sends in `Unknown`; a request holding an `Unknown` value is refused before it is sent.",
    );
    let doc = doc.tokens();
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value))
        .collect();
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this client does not know, kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// The variant for a wire value (`Unknown` for an undocumented one).
            pub fn from_value(value: i64) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from_value(<i64 as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }

        /// The documented value, or `Unknown` (which a request refuses before sending).
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                Self::from_value(value)
            }
        }

        impl runtime::ToParam for #name {
            fn to_param(&self) -> String {
                self.value().to_string()
            }
        }

        impl runtime::Validate for #name {
            fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                match self {
                    Self::Unknown(value) => Err(runtime::ConstraintViolation::undocumented(value, &[#(#values),*])),
                    _ => Ok(()),
                }
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let mut doc = schema_doc(def);
    doc.blank();
    match &union.tag {
        Some(tag) => doc.line(format!(
            "Deserializing picks the variant named by the {} property (serializing writes it), then tries the untagged variants: first those that declare every member of the value, then any that accepts it.",
            code_span(tag)
        )),
        None => doc.line("Deserializing tries the variants in order: first those that declare every member of the value, then any that accepts it."),
    };
    let doc = doc.tokens();

    let mut variants = Vec::new();
    let mut serialize_arms = Vec::new();
    let mut unit_arms = Vec::new();
    let mut tag_arms = Vec::new();
    let mut exact = Vec::new();
    let mut loose = Vec::new();
    let mut validate_arms = Vec::new();
    for variant in &union.variants {
        match variant {
            UnionVariant::Unit { rust_name, value } => {
                let v = ident(rust_name);
                let vdoc = format!(" {}", value_doc(value));
                variants.push(quote!(#[doc = #vdoc] #v,));
                serialize_arms.push(quote!(Self::#v => serializer.serialize_str(#value),));
                unit_arms.push(quote!(#value => return Ok(Self::#v),));
            }
            UnionVariant::Value {
                rust_name,
                ty,
                tag_value,
                boxed,
            } => {
                let v = ident(rust_name);
                let inner = type_tokens(api, ty, Scope::Types);
                let held = held_type(api, ty, *boxed);
                let (wrap, ctor) = if *boxed {
                    (
                        quote!(Self::#v(Box::new(value))),
                        quote!(|value| Self::#v(Box::new(value))),
                    )
                } else {
                    (quote!(Self::#v(value)), quote!(Self::#v))
                };
                let vdoc = match tag_value {
                    Some(tag) => format!(" Tagged {}.", code_span(tag)),
                    None => format!(" The {} member.", code_span(rust_name)),
                };
                variants.push(quote!(#[doc = #vdoc] #v(#held),));
                match (&union.tag, tag_value) {
                    (Some(tag), Some(tag_value)) => serialize_arms.push(quote! {
                        Self::#v(value) => {
                            let mut json = serde_json::to_value(value).map_err(::serde::ser::Error::custom)?;
                            if let Some(members) = json.as_object_mut() {
                                members.insert(#tag.to_string(), serde_json::Value::from(#tag_value));
                            }
                            ::serde::Serialize::serialize(&json, serializer)
                        }
                    }),
                    _ => serialize_arms.push(quote! {
                        Self::#v(value) => ::serde::Serialize::serialize(value, serializer),
                    }),
                }
                match tag_value {
                    Some(tag) => tag_arms.push(quote! {
                        #tag => {
                            return serde_json::from_value::<#inner>(value)
                                .map(#ctor)
                                .map_err(::serde::de::Error::custom);
                        }
                    }),
                    None => {
                        let attempt = quote! {
                            if let Ok(value) = serde_json::from_value::<#inner>(value.clone()) {
                                return Ok(#wrap);
                            }
                        };
                        if let Some(keys) = declared_members(api, ty) {
                            exact.push(quote! {
                                if let Some(members) = value.as_object()
                                    && members.keys().all(|key| [#(#keys),*].contains(&key.as_str()))
                                    && let Ok(value) = serde_json::from_value::<#inner>(value.clone())
                                {
                                    return Ok(#wrap);
                                }
                            });
                        }
                        loose.push(attempt);
                    }
                }
                if api.is_checked(ty) {
                    validate_arms
                        .push(quote!(Self::#v(value) => runtime::Validate::validate(value),));
                }
            }
        }
    }
    let unit_dispatch = (!unit_arms.is_empty()).then(|| {
        quote! {
            if let Some(text) = value.as_str() {
                match text {
                    #(#unit_arms)*
                    _ => {}
                }
            }
        }
    });
    let tag_dispatch = union
        .tag
        .as_ref()
        .filter(|_| !tag_arms.is_empty())
        .map(|tag| {
            quote! {
                if let Some(tag) = value.get(#tag).and_then(serde_json::Value::as_str) {
                    match tag {
                        #(#tag_arms)*
                        _ => {}
                    }
                }
            }
        });
    let exact_pass = quote!(#(#exact)*);
    let validate = def.facts.validates.then(|| {
        quote! {
            impl runtime::Validate for #name {
                fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                    match self {
                        #(#validate_arms)*
                        #[allow(unreachable_patterns)]
                        _ => Ok(()),
                    }
                }
            }
        }
    });
    let to_param = def.facts.scalar_union.then(|| union_to_param(def, union));
    let no_match = format!("the value matches no variant of {type_name}");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #unit_dispatch
                #tag_dispatch
                #exact_pass
                #(#loose)*
                Err(::serde::de::Error::custom(#no_match))
            }
        }

        #validate

        #to_param
    }
}

/// `ToParam` for a union whose variants are all scalars (usable as a path, query or header
/// parameter): the text of the active variant.
fn union_to_param(def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let arms = union.variants.iter().map(|variant| match variant {
        UnionVariant::Unit { rust_name, value } => {
            let v = ident(rust_name);
            quote!(Self::#v => #value.to_string(),)
        }
        UnionVariant::Value { rust_name, .. } => {
            let v = ident(rust_name);
            quote!(Self::#v(value) => runtime::ToParam::to_param(value),)
        }
    });
    quote! {
        impl runtime::ToParam for #name {
            fn to_param(&self) -> String {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// The JSON member names a struct declares, when it accepts no others (no additional map).
fn declared_members(api: &Api, ty: &TypeRef) -> Option<Vec<String>> {
    let TypeRef::Named(id) = ty else { return None };
    match &api.types.get(*id)?.kind {
        TypeKind::Struct(s) if s.additional.is_none() => {
            Some(s.fields.iter().map(|f| f.json_name.clone()).collect())
        }
        TypeKind::Alias(inner) => declared_members(api, inner),
        _ => None,
    }
}

/// A documented enum value as shown in docs (the empty string spelled out).
fn value_doc(value: &str) -> String {
    if value.is_empty() {
        "The empty string.".to_string()
    } else {
        code_span(value)
    }
}

/// `MultipartForm` for a struct sent as `multipart/form-data`: file properties become file
/// parts, scalars text parts, anything else a JSON part; read-only properties are left out.
fn emit_multipart_form(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
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
