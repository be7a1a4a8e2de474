//! Union types of `oneOf`/`anyOf` schemas and of discriminated bases: variants, their tags
//! (explicit mapping, subtype names, pinned properties) and names.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::object::{object_properties, single_required_property};
use super::{TypeSpace, docs_of};
use crate::error::Result;
use crate::ir::{TypeDef, TypeFacts, TypeId, TypeKind, TypeRef, Union, UnionVariant};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

impl<'a> TypeSpace<'a> {
    /// A discriminated base as the union of its subtypes, each selected by its tag value.
    pub(super) fn base_union(
        &mut self,
        name: String,
        schema: &Schema,
        subtypes: Vec<TypeId>,
        at: &Pointer,
    ) -> Result<TypeDef> {
        let mut variant_names = Namespace::default();
        let mut variants: Vec<UnionVariant> = subtypes
            .into_iter()
            .map(|id| {
                let type_name = self.component_names.get(id).cloned().unwrap_or_default();
                UnionVariant::Value {
                    rust_name: variant_names.claim(names::camel(&type_name, "Variant")),
                    ty: TypeRef::Named(id),
                    tag_value: self.inheritance.tags.get(&id).map(|tag| tag.value.clone()),
                    boxed: false,
                }
            })
            .collect();
        // The base's own members, for a value whose tag names no subtype: the base itself (a
        // concrete base) or a subtype added to the API later.
        let own = self.define_new(&format!("{name}Base"), schema, at, 0)?;
        variants.push(UnionVariant::Value {
            rust_name: variant_names.claim("Other".to_string()),
            ty: TypeRef::Named(own),
            tag_value: None,
            boxed: false,
        });
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        Ok(TypeDef {
            name,
            pointer: at.to_string(),
            docs: docs_of(schema),
            kind: TypeKind::Union(Union { tag, variants }),
            facts: TypeFacts::default(),
        })
    }

    /// Builds a union from the members of a `oneOf` / `anyOf`.
    pub(super) fn union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<Union> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let tag = match discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => self
                .implicit_tag(members, at)
                .or_else(|| self.inheritance.shared_property(&self.member_ids(members))),
        };
        let mapping = match discriminator {
            Some(d) => self.discriminator_mapping(d, members, keyword, at)?,
            None => Vec::new(),
        };
        let mut found = UnionVariants::default();
        for (index, member) in members.iter().enumerate() {
            let here = at.join(keyword).join(index);
            let resolved = self.deref(member, &here)?;
            let inherited = |t: &str| {
                let id = self
                    .member_ids(std::slice::from_ref(member))
                    .pop()
                    .flatten()?;
                self.inheritance.value_for(id, t)
            };
            let pinned = tag
                .as_deref()
                .and_then(|t| pinned_value(resolved, t).or_else(|| inherited(t)));
            match member {
                ReferenceOr::Reference { reference } => {
                    let id = self.resolve_ref(reference, &here)?;
                    let mapped = mapping
                        .iter()
                        .find(|(_, target)| *target == id)
                        .map(|(key, _)| key.clone());
                    let tag_value = match (mapped, pinned, discriminator) {
                        (Some(mapped), _, _) => Some(mapped),
                        (None, Some(pinned), _) => Some(pinned),
                        (None, None, Some(_)) => reference.rsplit('/').next().map(str::to_string),
                        (None, None, None) => None,
                    };
                    self.ref_variant(&mut found, id, reference, tag_value, &here);
                }
                ReferenceOr::Item(item) => {
                    let member = InlineMember {
                        union: name,
                        item,
                        index,
                        pinned,
                    };
                    self.inline_variant(&mut found, member, &here, depth)?;
                }
            }
        }
        Ok(Union {
            tag,
            variants: found.variants,
        })
    }

    /// The variant of a `$ref`'d member (a repeat of one is left out with a warning).
    fn ref_variant(
        &mut self,
        found: &mut UnionVariants,
        id: TypeId,
        reference: &str,
        tag_value: Option<String>,
        here: &Pointer,
    ) {
        if !found.seen_refs.insert(id) {
            self.warn(
                here,
                format!("{reference:?} is listed again; the repeat is left out"),
            );
            return;
        }
        let type_name = self.component_names.get(id).cloned().unwrap_or_default();
        let tag_value = self.unique_tag(tag_value, &mut found.seen_tags, here);
        found.variants.push(UnionVariant::Value {
            rust_name: found.names.claim(names::camel(&type_name, "Variant")),
            ty: TypeRef::Named(id),
            tag_value,
            boxed: false,
        });
    }

    /// The variants of an inline member: one unit variant per value of an untagged string
    /// enum, otherwise one variant holding the lowered member.
    fn inline_variant(
        &mut self,
        found: &mut UnionVariants,
        member: InlineMember<'_>,
        here: &Pointer,
        depth: usize,
    ) -> Result<()> {
        let InlineMember {
            union: name,
            item,
            index,
            pinned,
        } = member;
        if let SchemaKind::Type(Type::String(s)) = &item.schema_kind
            && s.enumeration.iter().any(Option::is_some)
            && pinned.is_none()
        {
            for value in s.enumeration.iter().flatten() {
                if !found.seen_tags.insert(format!("unit:{value}")) {
                    continue;
                }
                found.variants.push(UnionVariant::Unit {
                    rust_name: found
                        .names
                        .claim(names::camel(value, &format!("Value{index}"))),
                    value: value.clone(),
                });
            }
            return Ok(());
        }
        let label = pinned
            .clone()
            .or_else(|| single_required_property(item))
            .unwrap_or_else(|| format!("Variant{index}"));
        let hint = format!("{name}{}", names::camel(&label, "Variant"));
        let lowered = self.lower_schema(item, &hint, here, depth + 1)?;
        self.warn_unenforced(&lowered, here);
        let rust_name = match (&pinned, &lowered.ty) {
            (Some(_), _) | (None, TypeRef::Named(_)) => names::camel(&label, "Variant"),
            (None, other) => primitive_variant_name(other).to_string(),
        };
        let tag_value = self.unique_tag(pinned, &mut found.seen_tags, here);
        found.variants.push(UnionVariant::Value {
            rust_name: found.names.claim(rust_name),
            ty: lowered.ty,
            tag_value,
            boxed: false,
        });
        Ok(())
    }

    /// The discriminator's `mapping` as (tag value, component id), each value a `$ref` or a bare
    /// schema name; a value naming no schema is an error, one naming no member a warning.
    fn discriminator_mapping(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        at: &Pointer,
    ) -> Result<Vec<(String, TypeId)>> {
        let member_ids: Vec<TypeId> = members
            .iter()
            .filter_map(|m| match m {
                ReferenceOr::Reference { reference } => self.resolve_ref(reference, at).ok(),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let mut mapping = Vec::new();
        for (key, target) in &discriminator.mapping {
            let here = at.join("discriminator").join("mapping").join(key);
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                format!("#/components/schemas/{target}")
            };
            let id = self.resolve_ref(&reference, &here)?;
            if member_ids.contains(&id) {
                mapping.push((key.clone(), id));
            } else {
                self.warn(
                    &here,
                    format!(
                        "{target:?} is not one of the {keyword} members; this mapping is ignored"
                    ),
                );
            }
        }
        Ok(mapping)
    }

    /// `tag`, unless an earlier variant already has it (then a warning, and the variant is
    /// chosen by shape only).
    fn unique_tag(
        &mut self,
        tag: Option<String>,
        seen: &mut std::collections::HashSet<String>,
        at: &Pointer,
    ) -> Option<String> {
        let tag = tag?;
        if seen.insert(format!("tag:{tag}")) {
            Some(tag)
        } else {
            self.warn(
                at,
                format!("the discriminator value {tag:?} already names an earlier variant; this one is chosen by its shape only"),
            );
            None
        }
    }

    /// The component each member's `$ref` chain ends at (`None` for an inline member).
    fn member_ids(&self, members: &[ReferenceOr<Schema>]) -> Vec<Option<TypeId>> {
        members
            .iter()
            .map(|member| match member {
                ReferenceOr::Reference { reference } => self.chain_end_of(reference),
                ReferenceOr::Item(_) => None,
            })
            .collect()
    }

    /// The component a `$ref`'s chain of references ends at, if it resolves.
    pub(super) fn chain_end_of(&self, reference: &str) -> Option<TypeId> {
        let id = self.resolve_ref(reference, &Pointer::root()).ok()?;
        self.chain_ends.get(id)?.clone().ok()
    }

    /// A property that every object member pins to one distinct string value, if any.
    fn implicit_tag(&self, members: &[ReferenceOr<Schema>], at: &Pointer) -> Option<String> {
        let objects: Vec<&Schema> = members
            .iter()
            .filter_map(|m| self.deref(m, at).ok())
            .filter(|s| !matches!(s.schema_kind, SchemaKind::Type(Type::String(_))))
            .collect();
        if objects.len() < 2 {
            return None;
        }
        let first = object_properties(objects.first()?)?;
        first
            .keys()
            .find(|candidate| {
                let values: Option<Vec<String>> =
                    objects.iter().map(|s| pinned_value(s, candidate)).collect();
                values.is_some_and(|values| {
                    let distinct: std::collections::BTreeSet<&String> = values.iter().collect();
                    distinct.len() == values.len()
                })
            })
            .cloned()
    }
}

/// The one value an inline string-enum property `tag` is pinned to in an object schema.
fn pinned_value(schema: &Schema, tag: &str) -> Option<String> {
    match object_properties(schema)?.get(tag)? {
        ReferenceOr::Item(property) => match &property.schema_kind {
            SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    }
}

fn primitive_variant_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::DateTime | TypeRef::Date => "String",
        TypeRef::Bool => "Boolean",
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Object",
        TypeRef::Binary => "File",
        TypeRef::Json | TypeRef::Named(_) => "Value",
    }
}

/// The variants of a union being built, with the names, `$ref`s and tags already taken.
#[derive(Default)]
struct UnionVariants {
    names: Namespace,
    variants: Vec<UnionVariant>,
    seen_refs: std::collections::HashSet<TypeId>,
    seen_tags: std::collections::HashSet<String>,
}

/// An inline member of a union: the union's name, the member, its index and its pinned tag.
struct InlineMember<'s> {
    union: &'s str,
    item: &'s Schema,
    index: usize,
    pinned: Option<String>,
}
