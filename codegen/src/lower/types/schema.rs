//! One schema at a use site: built-in scalars with their constraints, arrays, maps, and the
//! compositions that stand for one member; anything that needs a name goes to `define`.

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Lowered, MAX_NESTING, TypeSpace};
use crate::error::{Error, Result};
use crate::ir::{Constraints, TypeRef};
use crate::lower::constraints;
use crate::pointer::Pointer;

impl<'a> TypeSpace<'a> {
    pub(super) fn lower_schema(
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
            SchemaKind::Type(Type::String(s)) => self.lower_string(s, schema, hint, at, depth)?,
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
            SchemaKind::Type(Type::Array(a)) => self.lower_array(a, hint, at, depth)?,
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
                self.lower_alternatives(members, schema, hint, at, depth)?
            }
            SchemaKind::Not { .. } => {
                self.warn(at, "`not` schemas are represented as serde_json::Value");
                Lowered::plain(TypeRef::Json)
            }
            SchemaKind::Any(any) => self.lower_untyped(any, schema, hint, at, depth)?,
        };
        lowered.nullable |= nullable;
        Ok(lowered)
    }

    /// A `type: string` schema: an enum gets a name; dates and files are their types, without
    /// the string rules (warned about); any other string keeps its length and pattern rules.
    fn lower_string(
        &mut self,
        s: &openapiv3::StringType,
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        if s.enumeration.iter().any(Option::is_some) {
            let id = self.define_new(hint, schema, at, depth)?;
            return Ok(Lowered::plain(TypeRef::Named(id)));
        }
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
        Ok(Lowered {
            ty,
            nullable: schema.schema_data.nullable,
            constraints,
        })
    }

    /// A `type: array` schema: a `Vec` of its items (any JSON without `items`).
    fn lower_array(
        &mut self,
        a: &openapiv3::ArrayType,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        let item = match &a.items {
            Some(items) => {
                let here = at.join("items");
                let item = self.lower_boxed(items, &format!("{hint}Item"), &here, depth + 1)?;
                self.warn_unenforced(&item, &here);
                item.ty
            }
            None => TypeRef::Json,
        };
        Ok(Lowered {
            ty: TypeRef::Vec(Box::new(item)),
            nullable: false,
            constraints: constraints::array(a, at, &mut self.warner()),
        })
    }

    /// A `oneOf`/`anyOf`: its one member as it is, any JSON when empty (with a warning), a
    /// named union otherwise.
    fn lower_alternatives(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
            "oneOf"
        } else {
            "anyOf"
        };
        Ok(match members {
            [only] => self.lower_depth(only, hint, &at.join(keyword).join(0), depth + 1)?,
            [] => {
                self.warn(
                    at,
                    format!("empty {keyword} is represented as serde_json::Value"),
                );
                Lowered::plain(TypeRef::Json)
            }
            _ => Lowered::plain(TypeRef::Named(self.define_new(hint, schema, at, depth)?)),
        })
    }

    /// A schema without one plain type (`SchemaKind::Any`): a lone composition member, a named
    /// struct or union, a map, or any JSON.
    fn lower_untyped(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        depth: usize,
    ) -> Result<Lowered> {
        if !defines_type(any) {
            // `define` warns for the schemas it makes a type of.
            constraints::untyped(any, at, &mut self.warner());
        }
        Ok(if let Some(only) = lone_all_of_member(any) {
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
        })
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
    pub(super) fn additional_value(
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
    pub(super) fn warner(&mut self) -> impl FnMut(&Pointer, String) + '_ {
        |at: &Pointer, message: String| self.warn(at, message)
    }

    /// The `pattern` in the `regex` crate's syntax when the generated code can enforce it;
    /// a warning otherwise.
    fn checked_pattern(&mut self, pattern: &str, at: &Pointer) -> Option<String> {
        let checked = match self.patterns.get(pattern) {
            Some(known) => known.clone(),
            None if self.patterns.len() >= crate::lower::pattern::MAX_PATTERNS => Err(format!(
                "the document has more than {} distinct patterns",
                crate::lower::pattern::MAX_PATTERNS
            )),
            None => {
                let translated = crate::lower::pattern::to_rust_syntax(pattern);
                let checked = match crate::lower::pattern::compile_problem(&translated) {
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
pub(super) fn defines_type(any: &AnySchema) -> bool {
    lone_all_of_member(any).is_none()
        && (!any.properties.is_empty()
            || !any.all_of.is_empty()
            || any.one_of.len() > 1
            || any.any_of.len() > 1)
}
