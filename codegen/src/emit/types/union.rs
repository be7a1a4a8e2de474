//! Enums of `oneOf`/`anyOf` schemas: serde by hand (tag dispatch, then exact and loose
//! untagged attempts), `Validate`, and `ToParam` for unions of scalars.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{held_type, schema_doc, value_doc};
use crate::emit::docs::{DocBuilder, code_span};
use crate::emit::{Code, Scope, ident, type_tokens};
use crate::ir::{Api, TypeDef, TypeKind, TypeRef, Union, UnionVariant};

pub(super) fn emit_union(api: &Api, def: &TypeDef, union: &Union) -> Code {
    let name = ident(&def.name);
    let doc = union_doc(def, union);
    let mut arms = UnionArms::default();
    for variant in &union.variants {
        match variant {
            UnionVariant::Unit { rust_name, value } => arms.add_unit(rust_name, value),
            UnionVariant::Value {
                rust_name,
                ty,
                tag_value,
                boxed,
            } => arms.add_value(api, union, rust_name, ty, tag_value.as_deref(), *boxed),
        }
    }
    let validate = def.facts.validates.then(|| {
        let validate_arms = &arms.validate;
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
    let deserialize = deserialize_body(def, union, &arms);
    let UnionArms {
        variants,
        serialize: serialize_arms,
        ..
    } = arms;
    let mut code = Code::default();
    code.doc(&doc).tokens(quote! {
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
                #deserialize
            }
        }

        #validate

        #to_param
    });
    code
}

/// The union's doc: the schema's, plus the order in which reading tries the variants.
fn union_doc(def: &TypeDef, union: &Union) -> DocBuilder {
    let mut doc = schema_doc(def);
    doc.blank();
    match &union.tag {
        Some(tag) => doc.line(format!(
            "Deserializing picks the variant named by the {} property (serializing writes it), then tries the untagged variants: first those that declare every member of the value, then any that accepts it.",
            code_span(tag)
        )),
        None => doc.line("Deserializing tries the variants in order: first those that declare every member of the value, then any that accepts it."),
    };
    doc
}

/// The pieces each variant adds to the union's items: its declaration, its arms of
/// `Serialize`, of the reading passes (unit value, tag, exact members, any) and of `Validate`.
#[derive(Default)]
struct UnionArms {
    variants: Vec<TokenStream>,
    serialize: Vec<TokenStream>,
    unit: Vec<TokenStream>,
    tag: Vec<TokenStream>,
    exact: Vec<TokenStream>,
    loose: Vec<TokenStream>,
    validate: Vec<TokenStream>,
}

impl UnionArms {
    /// A constant string variant.
    fn add_unit(&mut self, rust_name: &str, value: &str) {
        let v = ident(rust_name);
        let vdoc = format!(" {}", value_doc(value));
        self.variants.push(quote!(#[doc = #vdoc] #v,));
        self.serialize
            .push(quote!(Self::#v => serializer.serialize_str(#value),));
        self.unit.push(quote!(#value => return Ok(Self::#v),));
    }

    /// A variant holding a value of `ty`, chosen by `tag_value` when it has one.
    fn add_value(
        &mut self,
        api: &Api,
        union: &Union,
        rust_name: &str,
        ty: &TypeRef,
        tag_value: Option<&str>,
        boxed: bool,
    ) {
        let v = ident(rust_name);
        let held = held_type(api, ty, boxed);
        let vdoc = match tag_value {
            Some(tag) => format!(" Tagged {}.", code_span(tag)),
            None => format!(" The {} member.", code_span(rust_name)),
        };
        self.variants.push(quote!(#[doc = #vdoc] #v(#held),));
        self.serialize.push(match (&union.tag, tag_value) {
            (Some(tag), Some(tag_value)) => quote! {
                Self::#v(value) => {
                    let mut json = serde_json::to_value(value).map_err(::serde::ser::Error::custom)?;
                    if let Some(members) = json.as_object_mut() {
                        members.insert(#tag.to_string(), serde_json::Value::from(#tag_value));
                    }
                    ::serde::Serialize::serialize(&json, serializer)
                }
            },
            _ => quote! {
                Self::#v(value) => ::serde::Serialize::serialize(value, serializer),
            },
        });
        self.add_reading(api, &v, ty, tag_value, boxed);
        if api.is_checked(ty) {
            self.validate
                .push(quote!(Self::#v(value) => runtime::Validate::validate(value),));
        }
    }

    /// How reading reaches variant `v`: by its tag, or by trying its type (first only when the
    /// value has no member the type does not declare, then whenever it parses).
    fn add_reading(
        &mut self,
        api: &Api,
        v: &Ident,
        ty: &TypeRef,
        tag_value: Option<&str>,
        boxed: bool,
    ) {
        let inner = type_tokens(api, ty, Scope::Types);
        let (wrap, ctor) = if boxed {
            (
                quote!(Self::#v(Box::new(value))),
                quote!(|value| Self::#v(Box::new(value))),
            )
        } else {
            (quote!(Self::#v(value)), quote!(Self::#v))
        };
        if let Some(tag) = tag_value {
            self.tag.push(quote! {
                #tag => {
                    return serde_json::from_value::<#inner>(value)
                        .map(#ctor)
                        .map_err(::serde::de::Error::custom);
                }
            });
            return;
        }
        if let Some(keys) = declared_members(api, ty) {
            self.exact.push(quote! {
                if let Some(members) = value.as_object()
                    && members.keys().all(|key| [#(#keys),*].contains(&key.as_str()))
                    && let Ok(value) = serde_json::from_value::<#inner>(value.clone())
                {
                    return Ok(#wrap);
                }
            });
        }
        self.loose.push(quote! {
            if let Ok(value) = serde_json::from_value::<#inner>(value.clone()) {
                return Ok(#wrap);
            }
        });
    }
}

/// The body of `Deserialize::deserialize`: the passes over the value, in order, then the
/// error naming the union.
fn deserialize_body(def: &TypeDef, union: &Union, arms: &UnionArms) -> TokenStream {
    let unit_arms = &arms.unit;
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
    let tag_arms = &arms.tag;
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
    let (exact, loose) = (&arms.exact, &arms.loose);
    let no_match = format!("the value matches no variant of {}", def.name);
    quote! {
        let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
        #unit_dispatch
        #tag_dispatch
        #(#exact)*
        #(#loose)*
        Err(::serde::de::Error::custom(#no_match))
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
