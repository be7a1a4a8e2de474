//! Emits the `types` module: one item per type definition, dispatched by kind to the schema
//! emitters ([`object`] structs, [`enums`], [`union`]s; aliases here).

mod enums;
mod object;
mod union;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::{Code, Scope, format_module, ident, type_tokens};
use crate::error::Result;
use crate::ir::{Api, Field, Presence, TypeDef, TypeKind, TypeRef};
use enums::{emit_enum, emit_int_enum};
use object::{emit_multipart_form, emit_struct};
use union::emit_union;

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
            TypeKind::IntEnum(variants) => emit_int_enum(def, variants),
            TypeKind::Union(union) => emit_union(api, def, union),
            TypeKind::Alias(ty) => emit_alias(api, def, ty),
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

/// The doc every type starts with: the schema's own text and where it is defined.
fn schema_doc(def: &TypeDef) -> DocBuilder {
    let mut doc = DocBuilder::new();
    doc.docs(&def.docs, None);
    doc.blank();
    doc.line(format!("Schema: {}", code_span(&def.pointer)));
    doc
}

/// `pub type Name = Target;`, or a newtype struct when the target mentions the alias itself
/// (through arrays or maps), which a type alias cannot do.
fn emit_alias(api: &Api, def: &TypeDef, ty: &TypeRef) -> Code {
    let name = ident(&def.name);
    let target = type_tokens(api, ty, Scope::Types);
    let mut code = Code::default();
    if !def.facts.self_containing {
        code.doc(&schema_doc(def)).tokens(quote! {
            pub type #name = #target;
        });
        return code;
    }
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line("A struct rather than a type alias because the schema contains itself.");
    let validate = def.facts.validates.then(|| {
        quote! {
            impl runtime::Validate for #name {
                fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                    runtime::Validate::validate(&self.0)
                }
            }
        }
    });
    code.doc(&doc).tokens(quote! {
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #target);

        #validate
    });
    code
}

/// `ty` as held inside a field or union variant: in a `Box` when `boxed` (where holding it
/// directly would make its owner infinitely large).
pub(crate) fn held_type(api: &Api, ty: &TypeRef, boxed: bool) -> TokenStream {
    let inner = type_tokens(api, ty, Scope::Types);
    if boxed { quote!(Box<#inner>) } else { inner }
}

/// The text of [`held_type`].
pub(crate) fn held_type_text(api: &Api, ty: &TypeRef, boxed: bool) -> String {
    let inner = super::text::type_text(api, ty, Scope::Types);
    if boxed {
        format!("Box<{inner}>")
    } else {
        inner
    }
}

/// The field's declared Rust type, as text.
pub(crate) fn field_type_text(api: &Api, field: &Field) -> String {
    let inner = held_type_text(api, &field.ty, field.boxed);
    match field.presence {
        Presence::Required => inner,
        _ => format!("Option<{inner}>"),
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
