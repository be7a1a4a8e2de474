//! Discriminated inheritance (ASP.NET Swashbuckle and NSwag): a base schema with a
//! `discriminator` and subtypes `allOf: [{$ref: Base}, {...}]`, found before any schema is
//! converted, so the base can become a union over its subtypes selected by the tag and each
//! subtype can write its own tag value.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::ir::TypeId;

/// How many generations of `allOf` parents are searched for the base (breadth first, each
/// generation possibly several schemas): a bound on an inheritance tree, not on a `$ref` chain,
/// whose links [`crate::pointer::follow_chain`] follows.
const MAX_PARENT_GENERATIONS: usize = 16;

/// A subtype's place under its base.
#[derive(Debug, Clone)]
pub(super) struct SubtypeTag {
    pub base: TypeId,
    /// The base's `discriminator.propertyName`.
    pub property: String,
    /// The subtype's value: its key in the base's `mapping`, else its schema name.
    pub value: String,
}

/// The bases and subtypes of a document's component schemas.
#[derive(Debug, Default)]
pub(super) struct Inheritance {
    pub tags: HashMap<TypeId, SubtypeTag>,
    /// Each base (it becomes a union), with its subtypes in document order.
    pub subtypes: BTreeMap<TypeId, Vec<TypeId>>,
}

impl Inheritance {
    /// The tag `member` writes for a union tagged by `property`, if it is such a subtype.
    pub fn value_for(&self, member: TypeId, property: &str) -> Option<String> {
        self.tags
            .get(&member)
            .filter(|tag| tag.property == property)
            .map(|tag| tag.value.clone())
    }

    /// The tag property shared by every member, when each is a subtype with a distinct value.
    pub fn shared_property(&self, members: &[Option<TypeId>]) -> Option<String> {
        if members.len() < 2 {
            return None;
        }
        let tags: Option<Vec<&SubtypeTag>> = members
            .iter()
            .map(|member| member.and_then(|id| self.tags.get(&id)))
            .collect();
        let tags = tags?;
        let property = &tags.first()?.property;
        let values: HashSet<&str> = tags.iter().map(|tag| tag.value.as_str()).collect();
        (tags.iter().all(|tag| &tag.property == property) && values.len() == tags.len())
            .then(|| property.clone())
    }
}

/// Finds every subtype of a discriminated base among `schemas`; `resolve` gives the component a
/// `$ref` ends at.
pub(super) fn find(
    schemas: &IndexMap<String, ReferenceOr<Schema>>,
    resolve: &dyn Fn(&str) -> Option<TypeId>,
) -> Inheritance {
    let mut found = Inheritance::default();
    for (id, name) in schemas.keys().enumerate() {
        let Some(base) = base_of(id, schemas, resolve) else {
            continue;
        };
        let Some((_, ReferenceOr::Item(base_schema))) = schemas.get_index(base) else {
            continue;
        };
        let Some(discriminator) = &base_schema.schema_data.discriminator else {
            continue;
        };
        let mapped = |target: &str| {
            let reference = if target.starts_with('#') {
                target.to_string()
            } else {
                format!("#/components/schemas/{target}")
            };
            resolve(&reference)
        };
        let value = discriminator
            .mapping
            .iter()
            .find(|(_, target)| mapped(target) == Some(id))
            .map_or_else(|| name.clone(), |(key, _)| key.clone());
        found.tags.insert(
            id,
            SubtypeTag {
                base,
                property: discriminator.property_name.clone(),
                value,
            },
        );
        found.subtypes.entry(base).or_default().push(id);
    }
    found
}

/// The nearest component with a `discriminator` that `id` includes through `allOf`
/// (directly or through its parents), if `id` is an object built that way.
fn base_of(
    id: TypeId,
    schemas: &IndexMap<String, ReferenceOr<Schema>>,
    resolve: &dyn Fn(&str) -> Option<TypeId>,
) -> Option<TypeId> {
    let mut visited = HashSet::from([id]);
    let mut level = vec![id];
    for _ in 0..MAX_PARENT_GENERATIONS {
        let mut next = Vec::new();
        for current in level {
            for parent in all_of_refs(schemas.get_index(current)?.1)
                .iter()
                .filter_map(|r| resolve(r))
            {
                if is_discriminated_object(schemas.get_index(parent)?.1) {
                    return Some(parent);
                }
                if visited.insert(parent) {
                    next.push(parent);
                }
            }
        }
        if next.is_empty() {
            return None;
        }
        level = next;
    }
    None
}

/// The `$ref`s among a schema's `allOf` members.
fn all_of_refs(schema: &ReferenceOr<Schema>) -> Vec<&str> {
    let ReferenceOr::Item(schema) = schema else {
        return Vec::new();
    };
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return Vec::new(),
    };
    members
        .iter()
        .filter_map(|member| match member {
            ReferenceOr::Reference { reference } => Some(reference.as_str()),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}

/// An object schema with a `discriminator` (not a `oneOf`/`anyOf`, whose discriminator selects
/// among its own members).
fn is_discriminated_object(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else {
        return false;
    };
    schema.schema_data.discriminator.is_some()
        && match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => true,
            SchemaKind::Any(any) => any.one_of.is_empty() && any.any_of.is_empty(),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(json: serde_json::Value) -> IndexMap<String, ReferenceOr<Schema>> {
        serde_json::from_value(json).expect("component schemas")
    }

    fn found(schemas: &IndexMap<String, ReferenceOr<Schema>>) -> Inheritance {
        let resolve = |reference: &str| {
            let name = reference.strip_prefix("#/components/schemas/")?;
            schemas.get_index_of(name)
        };
        find(schemas, &resolve)
    }

    #[test]
    fn subtypes_take_their_mapping_key_or_their_name_through_parents() {
        let schemas = schemas(serde_json::json!({
            "Animal": {
                "type": "object",
                "properties": {"kind": {"type": "string"}},
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
            },
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Animal"}, {"type": "object"}]},
            "Kitten": {"allOf": [{"$ref": "#/components/schemas/Cat"}]},
            "Plain": {"allOf": [{"$ref": "#/components/schemas/Other"}]},
            "Other": {"type": "object", "properties": {"a": {"type": "string"}}},
        }));
        let found = found(&schemas);
        let tag = |id: TypeId| found.tags.get(&id).map(|t| (t.base, t.value.as_str()));
        assert_eq!(tag(1), Some((0, "cat")));
        assert_eq!(tag(2), Some((0, "Kitten")), "a grandchild, by its name");
        assert_eq!(tag(3), None, "no discriminator above it");
        assert_eq!(found.subtypes.get(&0), Some(&vec![1, 2]));
        assert_eq!(found.value_for(1, "kind").as_deref(), Some("cat"));
        assert_eq!(found.value_for(1, "type"), None);
        assert_eq!(
            found.shared_property(&[Some(1), Some(2)]).as_deref(),
            Some("kind")
        );
        assert_eq!(found.shared_property(&[Some(1), None]), None);
    }
}
