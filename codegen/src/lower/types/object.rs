//! Struct types of object schemas: properties, `allOf` merged into one member list, subtypes
//! with their fixed tag, and the argument structs of `new()`.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::{MAX_NESTING, TypeSpace, docs_of};
use crate::error::{Error, Result};
use crate::ir::{
    AdditionalField, Docs, Field, FixedTag, Presence, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

impl<'a> TypeSpace<'a> {
    /// A subtype's struct writing its own tag value (`object` left the tag property out; the
    /// `retain` covers a struct built some other way).
    pub(super) fn with_fixed_tag(&self, id: TypeId, mut def: TypeDef) -> TypeDef {
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

    /// Names the argument struct of a struct whose `new()` takes two or more arguments
    /// (`SalesOrderRequired`), after every schema has its name, so a clash is numbered.
    pub(super) fn name_required_args(&mut self, def: &mut TypeDef) {
        if let TypeKind::Struct(s) = &mut def.kind
            && s.fields.iter().filter(|f| f.is_constructor_arg()).count() >= 2
        {
            s.required_args = Some(self.names.claim(format!("{}Required", def.name)));
        }
    }

    /// Merges the object members of an `allOf` (and the schema's own properties) into one struct.
    pub(super) fn merge_all_of(
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

    /// The field of one property (its `rust_name` left for the caller to claim): its type,
    /// presence from `required`/`nullable`/`readOnly`/`writeOnly`, deprecation and docs.
    fn property_field(
        &mut self,
        parent: &str,
        json_name: &str,
        property: &ReferenceOr<Box<Schema>>,
        is_required: bool,
        here: &Pointer,
        depth: usize,
    ) -> Result<Field> {
        let hint = format!("{parent}{}", names::camel(json_name, "Field"));
        let lowered = self.lower_boxed(property, &hint, here, depth + 1)?;
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
        let presence = if read_only && write_only {
            self.warn(here, "both readOnly and writeOnly; treated as optional");
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
        Ok(Field {
            json_name: json_name.to_string(),
            rust_name: String::new(),
            ty: lowered.ty,
            presence,
            required: is_required,
            deprecated,
            constraints: lowered.constraints,
            docs,
            boxed: false,
        })
    }

    /// Builds a struct from object properties.
    pub(super) fn object(
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
            let is_required = required_set.contains(json_name.as_str());
            let mut field =
                self.property_field(parent, json_name, property, is_required, &here, depth)?;
            field.rust_name = field_names.claim(names::snake(json_name, "field"));
            fields.push(field);
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
pub(super) fn object_properties(
    schema: &Schema,
) -> Option<&IndexMap<String, ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&o.properties),
        SchemaKind::Any(any) if !any.properties.is_empty() => Some(&any.properties),
        _ => None,
    }
}

pub(super) fn single_required_property(schema: &Schema) -> Option<String> {
    let (properties, required) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
        _ => return None,
    };
    match (properties.len(), required.as_slice()) {
        (1, [only]) if properties.contains_key(only) => Some(only.clone()),
        _ => None,
    }
}
