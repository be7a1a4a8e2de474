//! Schema lowering: every schema to a [`TypeRef`], naming inline objects and enums on the way.
//!
//! Component schemas get their ids before any is converted, so forward and recursive `$ref`s
//! resolve; inline object and enum schemas become named types derived from parent and property.

mod enums;
mod object;
mod schema;
mod union;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::constraints;
use super::inheritance::{self, Inheritance};
use crate::error::{Error, Result, Warning};
use crate::ir::{Constraints, Docs, TypeDef, TypeFacts, TypeId, TypeKind, TypeRef};
use crate::names::{self, Namespace};
use crate::pointer::{Chain, Hop, MAX_REF_HOPS, Pointer, follow_chain};
use enums::{enum_variants, int_variants};
use schema::defines_type;

/// A schema lowered at a use site.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub constraints: Constraints,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Self {
            ty,
            nullable: false,
            constraints: Constraints::default(),
        }
    }
}

/// The arena of named types being built.
pub(crate) struct TypeSpace<'a> {
    doc: &'a OpenAPI,
    slots: Vec<Option<TypeDef>>,
    components: BTreeMap<String, TypeId>,
    /// Rust names of the component schemas, by id (claimed before any is defined).
    component_names: Vec<String>,
    /// For each component schema, the component its chain of `$ref`s ends at (one that is not a
    /// `$ref`), or why the chain never ends there.
    chain_ends: Vec<std::result::Result<TypeId, String>>,
    /// Each distinct `pattern` checked once: its translation, or why it is not enforced.
    patterns: std::collections::HashMap<String, std::result::Result<String, String>>,
    names: Namespace,
    /// Length and pattern constraints of named aliases of a string, by Rust type name; enforced
    /// where a parameter uses the alias.
    alias_constraints: std::collections::HashMap<String, Constraints>,
    /// Bases with a `discriminator` and their `allOf` subtypes.
    inheritance: Inheritance,
    /// The tag property of the subtype being defined, which its struct does not hold (taken by
    /// the first `object` call, the subtype's own struct).
    tag_to_leave_out: Option<String>,
    warnings: Vec<Warning>,
}

/// How deeply schemas may nest inside one another (properties, items, members, `allOf`
/// inside `allOf`) before lowering refuses the document: a bound on recursion, not on the
/// `$ref` chains [`crate::pointer::follow_chain`] follows.
const MAX_NESTING: usize = 64;

impl<'a> TypeSpace<'a> {
    pub(crate) fn new(doc: &'a OpenAPI) -> Self {
        Self {
            doc,
            slots: Vec::new(),
            components: BTreeMap::new(),
            component_names: Vec::new(),
            chain_ends: Vec::new(),
            patterns: std::collections::HashMap::new(),
            names: Namespace::default(),
            alias_constraints: std::collections::HashMap::new(),
            inheritance: Inheritance::default(),
            tag_to_leave_out: None,
            warnings: Vec::new(),
        }
    }

    fn component_schemas(&self) -> Option<&'a IndexMap<String, ReferenceOr<Schema>>> {
        self.doc.components.as_ref().map(|c| &c.schemas)
    }

    /// Gives every component schema an id and a name, then converts each.
    pub(crate) fn register_components(&mut self) -> Result<()> {
        let Some(schemas) = self.component_schemas() else {
            return Ok(());
        };
        let mut rust_names = Vec::with_capacity(schemas.len());
        for name in schemas.keys() {
            let id = self.slots.len();
            self.slots.push(None);
            self.components.insert(name.clone(), id);
            rust_names.push(self.names.claim(names::type_name(name)));
        }
        self.component_names = rust_names.clone();
        self.chain_ends = self.chain_ends(schemas);
        self.inheritance = inheritance::find(schemas, &|reference| self.chain_end_of(reference));
        for ((name, schema), rust_name) in schemas.iter().zip(rust_names) {
            let id = self.components[name];
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            let def = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_ref(reference, &pointer)?;
                    if let Some(Err(message)) = self.chain_ends.get(id) {
                        return Err(Error::new(&pointer, message.clone()));
                    }
                    TypeDef {
                        name: rust_name,
                        pointer: pointer.to_string(),
                        docs: Docs::default(),
                        kind: TypeKind::Alias(TypeRef::Named(target)),
                        facts: TypeFacts::default(),
                    }
                }
                ReferenceOr::Item(schema) => match self.inheritance.subtypes.get(&id) {
                    Some(subtypes) => {
                        self.base_union(rust_name, schema, subtypes.clone(), &pointer)?
                    }
                    None => {
                        self.tag_to_leave_out =
                            self.inheritance.tags.get(&id).map(|t| t.property.clone());
                        let def = self.define(rust_name, schema, &pointer, 0);
                        self.tag_to_leave_out = None;
                        def?
                    }
                },
            };
            let def = self.with_fixed_tag(id, def);
            self.slots[id] = Some(def);
        }
        Ok(())
    }

    /// Finishes the arena; every slot must be filled.
    pub(crate) fn finish(mut self) -> Result<(Vec<TypeDef>, Vec<Warning>)> {
        let mut types = Vec::with_capacity(self.slots.len());
        for (id, slot) in std::mem::take(&mut self.slots).into_iter().enumerate() {
            match slot {
                Some(mut def) => {
                    self.name_required_args(&mut def);
                    types.push(def);
                }
                None => {
                    return Err(Error::new(
                        &Pointer::root(),
                        format!("internal: type {id} was never defined"),
                    ));
                }
            }
        }
        Ok((types, self.warnings))
    }

    /// The kind of a type already defined.
    pub(crate) fn kind(&self, id: TypeId) -> Option<&TypeKind> {
        self.slots.get(id)?.as_ref().map(|def| &def.kind)
    }

    /// The constraints of the alias `ty` names (followed through chains of aliases), if any.
    pub(crate) fn alias_constraints(&self, ty: &TypeRef) -> Option<&Constraints> {
        let TypeRef::Named(first) = ty else {
            return None;
        };
        let hop = |id: &TypeId| {
            let Some(def) = self.slots.get(*id).and_then(Option::as_ref) else {
                return Hop::End(None);
            };
            if let Some(found) = self.alias_constraints.get(&def.name) {
                return Hop::End(Some(found));
            }
            match &def.kind {
                TypeKind::Alias(TypeRef::Named(next)) => Hop::Next(*next),
                _ => Hop::End(None),
            }
        };
        match follow_chain(*first, hop) {
            Chain::End(found) => found,
            Chain::Cycle(_) | Chain::TooLong => None,
        }
    }

    /// Whether a type is a struct (usable as an object query parameter).
    pub(crate) fn is_struct(&self, id: TypeId) -> bool {
        matches!(
            self.slots.get(id),
            Some(Some(TypeDef {
                kind: TypeKind::Struct(_),
                ..
            }))
        )
    }

    pub(crate) fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Resolves a `$ref` to a component schema id.
    fn resolve_ref(&self, reference: &str, at: &Pointer) -> Result<TypeId> {
        let name = crate::pointer::schema_ref_name(reference);
        let Some(name) = name else {
            return Err(Error::new(
                at,
                format!(
                    "unsupported $ref {reference:?}: only local references to #/components/schemas/<name> are supported for schemas"
                ),
            ));
        };
        self.components.get(&name).copied().ok_or_else(|| {
            Error::new(
                at,
                format!("dangling $ref {reference:?}: there is no schema named {name:?} in #/components/schemas"),
            )
        })
    }

    /// Where each component's chain of `$ref`s ends, each `$ref` resolved once.
    fn chain_ends(
        &self,
        schemas: &IndexMap<String, ReferenceOr<Schema>>,
    ) -> Vec<std::result::Result<TypeId, String>> {
        let next: Vec<Option<std::result::Result<TypeId, String>>> = schemas
            .values()
            .map(|schema| match schema {
                ReferenceOr::Reference { reference } => Some(
                    self.resolve_ref(reference, &Pointer::root())
                        .map_err(|e| e.message),
                ),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let hop = |id: &TypeId| match next.get(*id) {
            Some(Some(Ok(next))) => Hop::Next(*next),
            Some(Some(Err(message))) => Hop::End(Err(message.clone())),
            Some(None) | None => Hop::End(Ok(*id)),
        };
        (0..schemas.len())
            .map(|start| match follow_chain(start, hop) {
                Chain::End(end) => end,
                Chain::Cycle(links) => {
                    let repeated = links.last().copied();
                    let names: Vec<&str> = links
                        .iter()
                        .skip_while(|id| Some(**id) != repeated)
                        .filter_map(|id| schemas.get_index(*id).map(|(name, _)| name.as_str()))
                        .collect();
                    Err(format!(
                        "a cycle of $refs that never reaches a schema: {}",
                        names.join(" → ")
                    ))
                }
                Chain::TooLong => Err(format!(
                    "a chain of more than {MAX_REF_HOPS} $refs that never reaches a schema"
                )),
            })
            .collect()
    }

    /// The schema a `$ref` points to, followed through chains of references.
    pub(crate) fn deref<'s>(
        &self,
        schema: &'s ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<&'s Schema>
    where
        'a: 's,
    {
        let reference = match schema {
            ReferenceOr::Item(s) => return Ok(s),
            ReferenceOr::Reference { reference } => reference,
        };
        let id = self.resolve_ref(reference, at)?;
        let end = match self.chain_ends.get(id) {
            Some(Ok(end)) => *end,
            Some(Err(message)) => return Err(Error::new(at, message.clone())),
            None => return Err(Error::new(at, format!("dangling $ref {reference:?}"))),
        };
        match self.component_schemas().and_then(|s| s.get_index(end)) {
            Some((_, ReferenceOr::Item(s))) => Ok(s),
            _ => Err(Error::new(at, format!("dangling $ref {reference:?}"))),
        }
    }

    /// Lowers a schema at a use site; `hint` names any type it has to create.
    pub(crate) fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Lowered> {
        self.lower_depth(schema, hint, at, 0)
    }

    /// Same as [`Self::lower`] for a boxed schema (properties, items).
    pub(crate) fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_depth(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                hint,
                at,
                depth,
            ),
            ReferenceOr::Item(s) => self.lower_schema(s, hint, at, depth),
        }
    }

    fn lower_depth(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let id = self.resolve_ref(reference, at)?;
                let nullable = self.deref(schema, at)?.schema_data.nullable;
                Ok(Lowered {
                    ty: TypeRef::Named(id),
                    nullable,
                    constraints: Constraints::default(),
                })
            }
            ReferenceOr::Item(s) => self.lower_schema(s, hint, at, depth),
        }
    }

    /// Creates a new named type for an inline schema.
    fn define_new(
        &mut self,
        hint: &str,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<TypeId> {
        let id = self.slots.len();
        self.slots.push(None);
        let name = self.names.claim(names::type_name(hint));
        let def = self.define(name, schema, at, depth + 1)?;
        self.slots[id] = Some(def);
        Ok(id)
    }

    /// Warns about the constraint keywords of a schema that becomes a struct or union (the rest
    /// are lowered by `lower_schema`, which warns about them).
    fn warn_defined_constraints(&mut self, schema: &Schema, at: &Pointer) {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                constraints::object(o, at, &mut self.warner());
            }
            SchemaKind::Any(any) if defines_type(any) => {
                constraints::untyped(any, at, &mut self.warner());
            }
            _ => {}
        }
    }

    /// A named type that stands for another: its constraints are kept for the parameters that
    /// use it.
    fn define_alias(
        &mut self,
        name: &str,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<TypeKind> {
        let lowered = self.lower_schema(schema, &format!("{name}Inner"), at, depth + 1)?;
        if !lowered.constraints.is_empty() {
            self.warn(
                at,
                "the constraints here are enforced on parameters that use this schema, not on properties or items that $ref it",
            );
            self.alias_constraints
                .insert(name.to_string(), lowered.constraints.clone());
        }
        Ok(TypeKind::Alias(lowered.ty))
    }

    /// Builds the definition of a named type.
    fn define(
        &mut self,
        name: String,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<TypeDef> {
        let docs = docs_of(schema);
        self.warn_defined_constraints(schema, at);
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                TypeKind::StringEnum(enum_variants(&s.enumeration))
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                TypeKind::IntEnum(int_variants(&i.enumeration, &schema.schema_data.extensions))
            }
            SchemaKind::OneOf { one_of: members } if members.len() > 1 => {
                TypeKind::Union(self.union(&name, members, "oneOf", schema, at, depth)?)
            }
            SchemaKind::AnyOf { any_of: members } if members.len() > 1 => {
                TypeKind::Union(self.union(&name, members, "anyOf", schema, at, depth)?)
            }
            SchemaKind::Any(any)
                if any.properties.is_empty() && any.all_of.is_empty() && any.one_of.len() > 1 =>
            {
                TypeKind::Union(self.union(&name, &any.one_of, "oneOf", schema, at, depth)?)
            }
            SchemaKind::Any(any)
                if any.properties.is_empty() && any.all_of.is_empty() && any.any_of.len() > 1 =>
            {
                TypeKind::Union(self.union(&name, &any.any_of, "anyOf", schema, at, depth)?)
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                TypeKind::Struct(self.object(
                    &name,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    at,
                    depth,
                )?)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() && any.all_of.is_empty() => {
                TypeKind::Struct(self.object(
                    &name,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    at,
                    depth,
                )?)
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                TypeKind::Struct(self.merge_all_of(&name, all_of, None, at, depth)?)
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                TypeKind::Struct(self.merge_all_of(&name, &any.all_of, Some(any), at, depth)?)
            }
            _ => self.define_alias(&name, schema, at, depth)?,
        };
        Ok(TypeDef {
            name,
            pointer: at.to_string(),
            docs,
            kind,
            facts: TypeFacts::default(),
        })
    }

    /// The document name of a component schema.
    fn component_name(&self, id: TypeId) -> String {
        self.component_schemas()
            .and_then(|s| s.get_index(id))
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }

    /// `#/components/schemas/<name>` of a component schema.
    fn component_pointer(&self, id: TypeId) -> Pointer {
        Pointer::root()
            .join("components")
            .join("schemas")
            .join(self.component_name(id))
    }
}

/// Title, description and example of a schema, for doc comments.
pub(crate) fn docs_of(schema: &Schema) -> Docs {
    let data = &schema.schema_data;
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        example: data.example.as_ref().map(|example| match example {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        default: data.default.as_ref().map(ToString::to_string),
    }
}
