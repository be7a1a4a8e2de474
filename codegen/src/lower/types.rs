//! Schema lowering: every schema to a [`TypeRef`], naming inline objects and enums on the way.
//!
//! Component schemas get their ids before any is converted, so forward and recursive `$ref`s
//! resolve; inline object and enum schemas become named types derived from parent and property.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::constraints;
use super::inheritance::{self, Inheritance};
use crate::error::{Error, Result, Warning};
use crate::ir::{
    AdditionalField, Constraints, Docs, EnumVariant, Field, FixedTag, IntVariant, Presence, Struct,
    TypeDef, TypeFacts, TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{self, Namespace};
use crate::pointer::{Chain, Hop, MAX_REF_HOPS, Pointer, follow_chain};

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

    /// A discriminated base as the union of its subtypes, each selected by its tag value.
    fn base_union(
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

    /// A subtype's struct writing its own tag value (`object` left the tag property out; the
    /// `retain` covers a struct built some other way).
    fn with_fixed_tag(&self, id: TypeId, mut def: TypeDef) -> TypeDef {
        if let (Some(tag), TypeKind::Struct(s)) = (self.inheritance.tags.get(&id), &mut def.kind) {
            s.fields.retain(|field| field.json_name != tag.property);
            s.tag = Some(FixedTag {
                json_name: tag.property.clone(),
                value: tag.value.clone(),
                base: self
                    .component_names
                    .get(tag.base)
                    .cloned()
                    .unwrap_or_default(),
            });
        }
        def
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

    /// Names the argument struct of a struct whose `new()` takes two or more arguments
    /// (`SalesOrderRequired`), after every schema has its name, so a clash is numbered.
    fn name_required_args(&mut self, def: &mut TypeDef) {
        if let TypeKind::Struct(s) = &mut def.kind
            && s.fields.iter().filter(|f| f.is_constructor_arg()).count() >= 2
        {
            s.required_args = Some(self.names.claim(format!("{}Required", def.name)));
        }
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

    fn lower_schema(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        if depth > MAX_NESTING {
            return Err(Error::new(at, "schema nesting is deeper than 64 levels"));
        }
        let nullable = schema.schema_data.nullable;
        let mut lowered = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if s.enumeration.iter().any(Option::is_some) {
                    let id = self.define_new(hint, schema, at, depth)?;
                    Lowered::plain(TypeRef::Named(id))
                } else {
                    let ty = match &s.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                        _ => TypeRef::String,
                    };
                    let constraints = if ty == TypeRef::String {
                        let pattern = match &s.pattern {
                            Some(p) => self.checked_pattern(p, &at.join("pattern")),
                            None => None,
                        };
                        Constraints {
                            min_length: s.min_length,
                            max_length: s.max_length,
                            pattern,
                            ..Constraints::default()
                        }
                    } else {
                        self.warn_string_rules_on_format(s, at);
                        Constraints::default()
                    };
                    Lowered {
                        ty,
                        nullable,
                        constraints,
                    }
                }
            }
            SchemaKind::Type(Type::Number(n)) => Lowered {
                ty: match n.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                },
                nullable,
                constraints: constraints::number(n, at, &mut self.warner()),
            },
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                let id = self.define_new(hint, schema, at, depth)?;
                Lowered::plain(TypeRef::Named(id))
            }
            SchemaKind::Type(Type::Integer(i)) => Lowered {
                ty: match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f.starts_with("uint") => TypeRef::U64,
                    _ => TypeRef::I64,
                },
                nullable,
                constraints: constraints::integer(i, at, &mut self.warner()),
            },
            SchemaKind::Type(Type::Boolean(_)) => Lowered::plain(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        let here = at.join("items");
                        let item =
                            self.lower_boxed(items, &format!("{hint}Item"), &here, depth + 1)?;
                        self.warn_unenforced(&item, &here);
                        item.ty
                    }
                    None => TypeRef::Json,
                };
                Lowered {
                    ty: TypeRef::Vec(Box::new(item)),
                    nullable,
                    constraints: constraints::array(a, at, &mut self.warner()),
                }
            }
            SchemaKind::Type(Type::Object(o)) => {
                if o.properties.is_empty() {
                    constraints::object(o, at, &mut self.warner());
                    self.map_type(o.additional_properties.as_ref(), hint, at, depth)?
                } else {
                    let id = self.define_new(hint, schema, at, depth)?;
                    Lowered::plain(TypeRef::Named(id))
                }
            }
            SchemaKind::AllOf { all_of } => {
                if let [only] = all_of.as_slice() {
                    self.lower_depth(only, hint, &at.join("allOf").join(0), depth + 1)?
                } else {
                    let id = self.define_new(hint, schema, at, depth)?;
                    Lowered::plain(TypeRef::Named(id))
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                match members.as_slice() {
                    [only] => self.lower_depth(only, hint, &at.join(keyword).join(0), depth + 1)?,
                    [] => {
                        self.warn(
                            at,
                            format!("empty {keyword} is represented as serde_json::Value"),
                        );
                        Lowered::plain(TypeRef::Json)
                    }
                    _ => Lowered::plain(TypeRef::Named(self.define_new(hint, schema, at, depth)?)),
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(at, "`not` schemas are represented as serde_json::Value");
                Lowered::plain(TypeRef::Json)
            }
            SchemaKind::Any(any) => {
                if !defines_type(any) {
                    // `define` warns for the schemas it makes a type of.
                    constraints::untyped(any, at, &mut self.warner());
                }
                if let Some(only) = lone_all_of_member(any) {
                    // `type: object` + `nullable` + `allOf: [$ref]`: the member, as an
                    // `allOf` of one would be (the form validators read as nullable).
                    self.lower_depth(only, hint, &at.join("allOf").join(0), depth + 1)?
                } else if !any.properties.is_empty() || !any.all_of.is_empty() {
                    let id = self.define_new(hint, schema, at, depth)?;
                    Lowered::plain(TypeRef::Named(id))
                } else if let [only] = any.one_of.as_slice() {
                    self.lower_depth(only, hint, &at.join("oneOf").join(0), depth + 1)?
                } else if let [only] = any.any_of.as_slice() {
                    self.lower_depth(only, hint, &at.join("anyOf").join(0), depth + 1)?
                } else if any.one_of.len() > 1 || any.any_of.len() > 1 {
                    Lowered::plain(TypeRef::Named(self.define_new(hint, schema, at, depth)?))
                } else if any.typ.as_deref() == Some("object")
                    || (any.typ.is_none() && any.additional_properties.is_some())
                {
                    self.map_type(any.additional_properties.as_ref(), hint, at, depth)?
                } else {
                    if any.typ.is_some() {
                        self.warn(
                            at,
                            "this combination of schema keywords is represented as serde_json::Value",
                        );
                    }
                    Lowered::plain(TypeRef::Json)
                }
            }
        };
        lowered.nullable |= nullable;
        Ok(lowered)
    }

    /// An object without properties: a map of its `additionalProperties` (any JSON by default).
    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        let value =
            self.additional_value(additional, hint, &at.join("additionalProperties"), depth)?;
        Ok(Lowered::plain(TypeRef::Map(Box::new(
            value.unwrap_or(TypeRef::Json),
        ))))
    }

    /// The value type of `additionalProperties`, `None` when it allows nothing or anything.
    fn additional_value(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Option<TypeRef>> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let lowered = self.lower_depth(schema, &format!("{hint}Value"), at, depth + 1)?;
                self.warn_unenforced(&lowered, at);
                Ok(Some(lowered.ty))
            }
            _ => Ok(None),
        }
    }

    /// Constraints are enforced on struct fields and parameters only: a warning where a schema
    /// with some is used elsewhere (array items, map values, union members, request bodies).
    pub(crate) fn warn_unenforced(&mut self, lowered: &Lowered, at: &Pointer) {
        if !lowered.constraints.is_empty() {
            self.warn(
                at,
                "the constraints here (lengths, pattern, bounds, multipleOf, item counts) are not enforced: only those of object properties and parameters are",
            );
        }
    }

    /// `minLength`, `maxLength` and `pattern` on a `date`, `date-time` or `binary` string are
    /// not checked (the value is not held as text).
    fn warn_string_rules_on_format(&mut self, s: &openapiv3::StringType, at: &Pointer) {
        let keywords = [
            ("minLength", s.min_length.is_some()),
            ("maxLength", s.max_length.is_some()),
            ("pattern", s.pattern.is_some()),
        ];
        for (keyword, _) in keywords.iter().filter(|(_, is_there)| *is_there) {
            self.warn(
                &at.join(keyword),
                format!("{keyword} is not enforced on a date, date-time or binary string"),
            );
        }
    }

    /// A sink for the warnings of [`constraints`].
    fn warner(&mut self) -> impl FnMut(&Pointer, String) + '_ {
        |at: &Pointer, message: String| self.warn(at, message)
    }

    /// The `pattern` in the `regex` crate's syntax when the generated code can enforce it;
    /// a warning otherwise.
    fn checked_pattern(&mut self, pattern: &str, at: &Pointer) -> Option<String> {
        let checked = match self.patterns.get(pattern) {
            Some(known) => known.clone(),
            None if self.patterns.len() >= super::pattern::MAX_PATTERNS => Err(format!(
                "the document has more than {} distinct patterns",
                super::pattern::MAX_PATTERNS
            )),
            None => {
                let translated = super::pattern::to_rust_syntax(pattern);
                let checked = match super::pattern::compile_problem(&translated) {
                    None => Ok(translated),
                    Some(problem) => Err(problem),
                };
                self.patterns.insert(pattern.to_string(), checked.clone());
                checked
            }
        };
        match checked {
            Ok(translated) => Some(translated),
            Err(problem) => {
                self.warn(at, format!("pattern is not enforced: {problem}"));
                None
            }
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

    /// Builds the definition of a named type.
    fn define(
        &mut self,
        name: String,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<TypeDef> {
        let docs = docs_of(schema);
        // Constraint keywords of what becomes a struct or union here (the rest are lowered by
        // `lower_schema`, which warns about them).
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                constraints::object(o, at, &mut self.warner());
            }
            SchemaKind::Any(any) if defines_type(any) => {
                constraints::untyped(any, at, &mut self.warner());
            }
            _ => {}
        }
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
            _ => {
                let lowered = self.lower_schema(schema, &format!("{name}Inner"), at, depth + 1)?;
                if !lowered.constraints.is_empty() {
                    self.warn(
                        at,
                        "the constraints here are enforced on parameters that use this schema, not on properties or items that $ref it",
                    );
                    self.alias_constraints
                        .insert(name.clone(), lowered.constraints.clone());
                }
                TypeKind::Alias(lowered.ty)
            }
        };
        Ok(TypeDef {
            name,
            pointer: at.to_string(),
            docs,
            kind,
            facts: TypeFacts::default(),
        })
    }

    /// Builds a union from the members of a `oneOf` / `anyOf`.
    fn union(
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
        let mut variant_names = Namespace::default();
        let mut variants = Vec::with_capacity(members.len());
        let mut seen_refs = std::collections::HashSet::new();
        let mut seen_tags = std::collections::HashSet::new();
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
                    if !seen_refs.insert(id) {
                        self.warn(
                            &here,
                            format!("{reference:?} is listed again; the repeat is left out"),
                        );
                        continue;
                    }
                    let type_name = self.component_names.get(id).cloned().unwrap_or_default();
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
                    let tag_value = self.unique_tag(tag_value, &mut seen_tags, &here);
                    variants.push(UnionVariant::Value {
                        rust_name: variant_names.claim(names::camel(&type_name, "Variant")),
                        ty: TypeRef::Named(id),
                        tag_value,
                        boxed: false,
                    });
                }
                ReferenceOr::Item(item) => {
                    if let SchemaKind::Type(Type::String(s)) = &item.schema_kind
                        && s.enumeration.iter().any(Option::is_some)
                        && pinned.is_none()
                    {
                        for value in s.enumeration.iter().flatten() {
                            if !seen_tags.insert(format!("unit:{value}")) {
                                continue;
                            }
                            variants.push(UnionVariant::Unit {
                                rust_name: variant_names
                                    .claim(names::camel(value, &format!("Value{index}"))),
                                value: value.clone(),
                            });
                        }
                        continue;
                    }
                    let label = pinned
                        .clone()
                        .or_else(|| single_required_property(item))
                        .unwrap_or_else(|| format!("Variant{index}"));
                    let hint = format!("{name}{}", names::camel(&label, "Variant"));
                    let lowered = self.lower_schema(item, &hint, &here, depth + 1)?;
                    self.warn_unenforced(&lowered, &here);
                    let rust_name = match (&pinned, &lowered.ty) {
                        (Some(_), _) | (None, TypeRef::Named(_)) => names::camel(&label, "Variant"),
                        (None, other) => primitive_variant_name(other).to_string(),
                    };
                    let tag_value = self.unique_tag(pinned, &mut seen_tags, &here);
                    variants.push(UnionVariant::Value {
                        rust_name: variant_names.claim(rust_name),
                        ty: lowered.ty,
                        tag_value,
                        boxed: false,
                    });
                }
            }
        }
        Ok(Union { tag, variants })
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
    fn chain_end_of(&self, reference: &str) -> Option<TypeId> {
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

    /// Merges the object members of an `allOf` (and the schema's own properties) into one struct.
    fn merge_all_of(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        own: Option<&openapiv3::AnySchema>,
        at: &Pointer,
        depth: usize,
    ) -> Result<Struct> {
        let mut merged = Merged::default();
        self.collect_all_of(members, at, &mut merged, &mut Vec::new(), depth)?;
        if let Some(own) = own {
            merged.add(
                &own.properties,
                &own.required,
                own.additional_properties.as_ref(),
            );
        }
        self.object(
            name,
            &merged.properties,
            &merged.required,
            merged.additional.as_ref(),
            at,
            depth,
        )
    }

    /// Gathers the properties of `allOf` members, following `$ref`s (reported at the place in
    /// the component they lead to); `visiting` holds the components being merged, to stop cycles.
    fn collect_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        merged: &mut Merged,
        visiting: &mut Vec<TypeId>,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_NESTING {
            return Err(Error::new(at, "allOf nesting is deeper than 64 levels"));
        }
        for (index, member) in members.iter().enumerate() {
            let here = at.join("allOf").join(index);
            let schema = self.deref(member, &here)?;
            let (inner_at, entered) = match member {
                ReferenceOr::Reference { reference } => {
                    let id = self.resolve_ref(reference, &here)?;
                    let end = match self.chain_ends.get(id) {
                        Some(Ok(end)) => *end,
                        _ => id,
                    };
                    if visiting.contains(&end) {
                        let name = self.component_name(end);
                        return Err(Error::new(
                            &here,
                            format!(
                                "this allOf member leads back to {name:?}, which is being merged here: a schema cannot include itself through allOf"
                            ),
                        ));
                    }
                    if !merged.components.insert(end) {
                        // Reached again through another member (a diamond): merged once.
                        continue;
                    }
                    visiting.push(end);
                    (self.component_pointer(end), true)
                }
                ReferenceOr::Item(_) => (here.clone(), false),
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    merged.add(&o.properties, &o.required, o.additional_properties.as_ref());
                }
                SchemaKind::Any(any) => {
                    self.collect_all_of(&any.all_of, &inner_at, merged, visiting, depth + 1)?;
                    merged.add(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                    );
                }
                SchemaKind::AllOf { all_of } => {
                    self.collect_all_of(all_of, &inner_at, merged, visiting, depth + 1)?;
                }
                _ => self.warn(
                    &here,
                    "allOf member is not an object schema; it is not merged into the struct",
                ),
            }
            if entered {
                visiting.pop();
            }
        }
        Ok(())
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

    /// Builds a struct from object properties.
    fn object(
        &mut self,
        parent: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        depth: usize,
    ) -> Result<Struct> {
        let mut field_names = Namespace::default();
        let mut fields = Vec::with_capacity(properties.len());
        let required_set: std::collections::HashSet<&str> =
            required.iter().map(String::as_str).collect();
        let tag = self.tag_to_leave_out.take();
        for (json_name, property) in properties {
            if tag.as_ref() == Some(json_name) {
                continue;
            }
            let here = at.join("properties").join(json_name);
            let hint = format!("{parent}{}", names::camel(json_name, "Field"));
            let lowered = self.lower_boxed(property, &hint, &here, depth + 1)?;
            let (data, docs) = match property {
                ReferenceOr::Item(s) => (Some(&s.schema_data), docs_of(s)),
                ReferenceOr::Reference { .. } => (None, Docs::default()),
            };
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            let deprecated = data.filter(|d| d.deprecated).map(|d| {
                d.description
                    .clone()
                    .unwrap_or_else(|| "deprecated in the API description".to_string())
            });
            let is_required = required_set.contains(json_name.as_str());
            let presence = if read_only && write_only {
                self.warn(&here, "both readOnly and writeOnly; treated as optional");
                Presence::Optional
            } else if read_only {
                Presence::ReadOnly
            } else if write_only {
                Presence::WriteOnly
            } else if !is_required {
                Presence::Optional
            } else if lowered.nullable {
                Presence::RequiredNullable
            } else {
                Presence::Required
            };
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: field_names.claim(names::snake(json_name, "field")),
                ty: lowered.ty,
                presence,
                required: is_required,
                deprecated,
                constraints: lowered.constraints,
                docs,
                boxed: false,
            });
        }
        for name in required {
            if !properties.contains_key(name) {
                self.warn(
                    &at.join("required"),
                    format!("required property {name:?} is not declared in `properties`; ignored"),
                );
            }
        }
        let additional = match additional {
            Some(AdditionalProperties::Any(false)) | None => None,
            Some(other) => {
                let value = self
                    .additional_value(Some(other), parent, &at.join("additionalProperties"), depth)?
                    .unwrap_or(TypeRef::Json);
                Some(AdditionalField {
                    rust_name: field_names.claim("additional_properties".to_string()),
                    value,
                })
            }
        };
        Ok(Struct {
            fields,
            additional,
            required_args: None,
            tag: None,
        })
    }
}

/// Properties gathered from the members of an `allOf`; later members win on a clash, and a
/// component reached twice (a diamond) counts where it is first reached.
#[derive(Default)]
struct Merged {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    required_set: std::collections::HashSet<String>,
    additional: Option<AdditionalProperties>,
    /// Components already merged: each is merged once, however many paths lead to it.
    components: std::collections::HashSet<TypeId>,
}

impl Merged {
    fn add(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
    ) {
        for (key, value) in properties {
            self.properties.insert(key.clone(), value.clone());
        }
        for name in required {
            if self.required_set.insert(name.clone()) {
                self.required.push(name.clone());
            }
        }
        if self.additional.is_none() {
            self.additional = additional.cloned();
        }
    }
}

/// The properties of an object schema.
fn object_properties(schema: &Schema) -> Option<&IndexMap<String, ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&o.properties),
        SchemaKind::Any(any) if !any.properties.is_empty() => Some(&any.properties),
        _ => None,
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

/// `{"Attached": ...}`-style members (serde's externally tagged enums) are named by their key.
/// The one `allOf` member of a schema that adds nothing to it but `type: object` and
/// annotations (`nullable`, `description`, ...), if that is what `any` is.
fn lone_all_of_member(any: &AnySchema) -> Option<&ReferenceOr<Schema>> {
    let [only] = any.all_of.as_slice() else {
        return None;
    };
    let adds_nothing = matches!(any.typ.as_deref(), None | Some("object"))
        && any.properties.is_empty()
        && any.required.is_empty()
        && any.additional_properties.is_none()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty();
    adds_nothing.then_some(only)
}

/// Whether a schema without one plain type becomes a named struct or union (rather than the
/// member of a lone `allOf`/`oneOf`/`anyOf`, a map or any JSON).
fn defines_type(any: &AnySchema) -> bool {
    lone_all_of_member(any).is_none()
        && (!any.properties.is_empty()
            || !any.all_of.is_empty()
            || any.one_of.len() > 1
            || any.any_of.len() > 1)
}

fn single_required_property(schema: &Schema) -> Option<String> {
    let (properties, required) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
        _ => return None,
    };
    match (properties.len(), required.as_slice()) {
        (1, [only]) if properties.contains_key(only) => Some(only.clone()),
        _ => None,
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

fn int_variants(
    values: &[Option<i64>],
    extensions: &IndexMap<String, serde_json::Value>,
) -> Vec<IntVariant> {
    let values: Vec<i64> = values.iter().flatten().copied().collect();
    let names: Option<Vec<&str>> = extensions
        .get("x-enumNames")
        .or_else(|| extensions.get("x-enum-varnames"))
        .and_then(|v| v.as_array())
        .and_then(|names| names.iter().map(|n| n.as_str()).collect())
        .filter(|names: &Vec<&str>| names.len() == values.len());
    let mut variant_names = Namespace::default();
    variant_names.reserve("Unknown");
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(index, value)| {
            let fallback = if *value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("Value{value}")
            };
            let raw = names
                .as_ref()
                .and_then(|n| n.get(index))
                .copied()
                .unwrap_or(&fallback);
            IntVariant {
                rust_name: variant_names.claim(names::camel(raw, &fallback)),
                value: *value,
            }
        })
        .collect()
}

fn enum_variants(values: &[Option<String>]) -> Vec<EnumVariant> {
    let mut variant_names = Namespace::default();
    variant_names.reserve("Unknown");
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .flatten()
        .filter(|v| seen.insert(v.as_str()))
        .enumerate()
        .map(|(index, value)| {
            let spelled = match value.strip_prefix('-') {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("minus {rest}")
                }
                _ => value.clone(),
            };
            EnumVariant {
                rust_name: variant_names.claim(names::camel(&spelled, &format!("Value{index}"))),
                value: value.clone(),
            }
        })
        .collect()
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
