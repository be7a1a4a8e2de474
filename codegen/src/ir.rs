//! The intermediate representation: named types and operations, resolved and named, ready to emit.
//!
//! Emitters read only this; nothing here refers back to the raw document except pointers for docs.

/// Index of a type definition in [`Api::types`].
pub(crate) type TypeId = usize;

/// The whole API, lowered.
#[derive(Debug, Default)]
pub(crate) struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Operations in the document's path items (generated or skipped with a warning).
    pub operations_in_document: usize,
    /// Token URL of the first OAuth2 client-credentials scheme, if any.
    pub token_url: Option<String>,
    /// What the crate as a whole needs, found by [`crate::lower`]'s analysis pass.
    pub needs: CrateNeeds,
}

impl Api {
    /// Whether a value of `ty` is checked before it is sent: a floating-point number (NaN and
    /// the infinities have no JSON spelling) or a type that validates, in arrays and maps too.
    pub fn is_checked(&self, ty: &TypeRef) -> bool {
        match ty.innermost() {
            TypeRef::F32 | TypeRef::F64 => true,
            TypeRef::Named(id) => self.types.get(*id).is_some_and(|t| t.facts.validates),
            _ => false,
        }
    }
}

/// What a generated crate needs beyond what every crate has, decided in lowering.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CrateNeeds {
    /// A `pattern` is checked somewhere (the `regex` dependency).
    pub patterns: bool,
    /// A type holds a `format: binary` file part (`runtime::FilePart` is re-exported).
    pub file_parts: bool,
}

/// The Rust type at a use site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TypeRef {
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    /// Any JSON value.
    Json,
    /// `format: binary`: a file part (`runtime::FilePart`).
    Binary,
    Vec(Box<TypeRef>),
    /// A JSON object with values of one type.
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// Whether a `format: binary` file part is in this type (itself, or as items or values).
    pub fn mentions_binary(&self) -> bool {
        match self {
            TypeRef::Binary => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.mentions_binary(),
            _ => false,
        }
    }

    /// Whether this is a number (integer or floating-point).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64
        )
    }

    /// The type at the bottom of arrays and maps (`ty` itself for any other).
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.innermost(),
            other => other,
        }
    }

    /// Whether this is a built-in scalar (string, boolean, number, date): one path, query,
    /// header or form-part value. Named enums are scalars too; callers check those in the arena.
    pub fn is_builtin_scalar(&self) -> bool {
        matches!(
            self,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::U64
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::DateTime
                | TypeRef::Date
        )
    }
}

/// The type a named alias stands for, following chains of aliases (`ty` itself when it is not
/// an alias); `kind_of` looks a type up in the arena being built or emitted.
pub(crate) fn alias_target<'t>(
    ty: &'t TypeRef,
    kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>,
) -> &'t TypeRef {
    let mut current = ty;
    // Alias cycles are refused by `lower::facts`, after lowering, which already calls this:
    // the one hop limit of `$ref` chains keeps the loop finite meanwhile.
    for _ in 0..=crate::pointer::MAX_REF_HOPS {
        match current {
            TypeRef::Named(id) => match kind_of(*id) {
                Some(TypeKind::Alias(next)) => current = next,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Whether a value of this type is written as one path, query or header value: a built-in
/// scalar, a string or integer enum, a `oneOf`/`anyOf` whose variants all are such values, or an
/// alias of one of these.
pub(crate) fn is_param_scalar<'t>(
    ty: &'t TypeRef,
    kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>,
) -> bool {
    scalar_within(ty, kind_of, 0)
}

/// How deep unions of unions are looked into for [`is_param_scalar`]: each level may branch
/// into every variant, so the bound keeps a union that contains itself (or a wide tree of them)
/// from costing exponential time; deeper nesting is read as not scalar.
const MAX_SCALAR_UNION_NESTING: usize = 16;

fn scalar_within<'t>(
    ty: &'t TypeRef,
    kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>,
    depth: usize,
) -> bool {
    if depth > MAX_SCALAR_UNION_NESTING {
        return false;
    }
    match alias_target(ty, kind_of) {
        TypeRef::Named(id) => match kind_of(*id) {
            Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_)) => true,
            Some(TypeKind::Union(union)) => union.variants.iter().all(|variant| match variant {
                UnionVariant::Unit { .. } => true,
                UnionVariant::Value { ty, .. } => scalar_within(ty, kind_of, depth + 1),
            }),
            _ => false,
        },
        other => other.is_builtin_scalar(),
    }
}

/// Constraints enforced before a request is sent: lengths and patterns of strings, bounds and
/// `multipleOf` of numbers, item counts of arrays. Lowering keeps only those the value's type can
/// be checked against (and warns about the rest).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// Greater than zero (lowering drops any other value with a warning).
    pub multiple_of: Option<Number>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        !self.has_string_rules() && !self.has_number_rules() && !self.has_item_rules()
    }

    /// `minLength`, `maxLength` or `pattern`.
    pub fn has_string_rules(&self) -> bool {
        self.min_length.is_some() || self.max_length.is_some() || self.pattern.is_some()
    }

    /// `minimum`, `maximum` (exclusive or not) or `multipleOf`.
    pub fn has_number_rules(&self) -> bool {
        self.minimum.is_some() || self.maximum.is_some() || self.multiple_of.is_some()
    }

    /// `minItems` or `maxItems`.
    pub fn has_item_rules(&self) -> bool {
        self.min_items.is_some() || self.max_items.is_some()
    }
}

/// A number from the document, as the schema's type gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// From an `integer` schema.
    Int(i64),
    /// From a `number` schema (always finite).
    Float(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(value) => write!(f, "{value}"),
            Number::Float(value) => write!(f, "{value}"),
        }
    }
}

/// `minimum` or `maximum`, and whether the bound itself is excluded (`exclusiveMinimum`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub value: Number,
    pub exclusive: bool,
}

/// Documentation carried into doc comments.
#[derive(Debug, Clone, Default)]
pub(crate) struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<String>,
    /// The schema's `default` as JSON text (documented; the server applies it).
    pub default: Option<String>,
}

#[derive(Debug)]
pub(crate) struct TypeDef {
    pub name: String,
    /// Where the schema is, for the doc comment.
    pub pointer: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Found by the analysis pass once every type is lowered.
    pub facts: TypeFacts,
}

/// What the analysis pass (`lower::facts`) decides about a type from the whole arena, so the
/// emitters only print: each is a property of the type's place among the others.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeFacts {
    /// Gets a `Validate` impl: it has checked fields, floating-point numbers, is an enum (an
    /// `Unknown` value is never sent), or holds such a type.
    pub validates: bool,
    /// An alias that contains itself through arrays or maps: a newtype struct, since a type
    /// alias cannot name itself.
    pub self_containing: bool,
    /// The `multipart/form-data` body of an operation: gets a `MultipartForm` impl.
    pub multipart_form: bool,
    /// A union whose variants are all scalars, usable as a parameter: gets a `ToParam` impl.
    pub scalar_union: bool,
}

#[derive(Debug)]
pub(crate) enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values from a server land in an `Unknown(String)` variant.
    StringEnum(Vec<EnumVariant>),
    /// An integer enum (values named by NSwag's `x-enumNames` where present).
    IntEnum(Vec<IntVariant>),
    /// `oneOf` / `anyOf`: one variant per member, told apart by a tag property where there is one.
    Union(Union),
    /// A named schema that is just another type (`pub type X = ...;`).
    Alias(TypeRef),
}

impl TypeKind {
    /// The types a value of this kind holds: [`Self::held_inline`] and a struct's
    /// extra-member value type (held in a map).
    pub fn member_types(&self) -> Vec<&TypeRef> {
        let mut types = self.held_inline();
        if let TypeKind::Struct(Struct {
            additional: Some(additional),
            ..
        }) = self
        {
            types.push(&additional.value);
        }
        types
    }

    /// The types a value of this kind holds directly: a struct's field types, a union's
    /// variant types, an alias's target.
    pub fn held_inline(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|v| match v {
                    UnionVariant::Value { ty, .. } => Some(ty),
                    UnionVariant::Unit { .. } => None,
                })
                .collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct IntVariant {
    pub rust_name: String,
    pub value: i64,
}

#[derive(Debug)]
pub(crate) struct Union {
    /// The property whose string value names the variant (`discriminator.propertyName`, or a
    /// property every object member pins to one value).
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug)]
pub(crate) enum UnionVariant {
    /// A bare string member value (`"Detached"`).
    Unit { rust_name: String, value: String },
    /// A member holding a value; `tag_value` selects it when the union has a tag.
    Value {
        rust_name: String,
        ty: TypeRef,
        tag_value: Option<String>,
        /// Held in a `Box`, since holding it directly would make the union infinitely large
        /// (decided by the analysis pass).
        boxed: bool,
    },
}

#[derive(Debug)]
pub(crate) struct Struct {
    pub fields: Vec<Field>,
    /// Extra members kept in a flattened map (`additionalProperties` next to `properties`).
    pub additional: Option<AdditionalField>,
    /// Name of the struct `new()` takes its arguments in, when it has two or more (named at
    /// the call site, so `new(.., false, true)` cannot happen); `None`: positional arguments.
    pub required_args: Option<String>,
    /// The discriminator value a subtype (`allOf: [{$ref: Base}, ...]` of a base with a
    /// `discriminator`) always writes; the tag property is then not one of `fields`.
    pub tag: Option<FixedTag>,
}

/// A subtype's own value of its base's discriminator property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FixedTag {
    /// The discriminator's `propertyName`.
    pub json_name: String,
    pub value: String,
    /// Rust name of the base schema, for docs.
    pub base: String,
}

#[derive(Debug)]
pub(crate) struct AdditionalField {
    pub rust_name: String,
    pub value: TypeRef,
}

#[derive(Debug)]
pub(crate) struct EnumVariant {
    pub rust_name: String,
    pub value: String,
}

/// How a field travels on the wire, derived from `required`, `nullable`, `readOnly`,
/// `writeOnly` and `deprecated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Required, not nullable: `T`, always sent, must be present.
    Required,
    /// Required and nullable: `Option<T>`, sent as `null` when `None`, key must be present.
    RequiredNullable,
    /// Not required: `Option<T>`, omitted when `None`.
    Optional,
    /// `readOnly`: `Option<T>`, read from responses, never sent.
    ReadOnly,
    /// `writeOnly`: `Option<T>`, sent when set, never read.
    WriteOnly,
}

#[derive(Debug)]
pub(crate) struct Field {
    pub json_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Listed in the schema's `required` (a required `writeOnly` field is a `new()` argument).
    pub required: bool,
    /// `Some(reason)` when the field is deprecated.
    pub deprecated: Option<String>,
    pub constraints: Constraints,
    pub docs: Docs,
    /// Held in a `Box`, since holding it directly would make the struct infinitely large
    /// (decided by the analysis pass).
    pub boxed: bool,
}

impl Field {
    /// Whether `new()` takes the field as an argument: required fields, and required
    /// `writeOnly` fields that are not deprecated.
    pub fn is_constructor_arg(&self) -> bool {
        match self.presence {
            Presence::Required => true,
            Presence::WriteOnly => self.required && self.deprecated.is_none(),
            _ => false,
        }
    }
}

/// An HTTP method the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether resending the request cannot change the outcome (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

#[derive(Debug)]
pub(crate) enum PathPart {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    /// The document's word for it (the parameter's `in`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// How a query value is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// One `name=value` pair (scalars; arrays with `explode: true` repeat it per item).
    Form,
    /// Arrays with `explode: false`: items joined by the delimiter (`,`, ` ` or `|`).
    Delimited(char),
    /// Objects: one pair per member, `member=value` (form) or `name[member]=value` (deepObject).
    Object { deep: bool },
}

#[derive(Debug)]
pub(crate) struct Param {
    pub json_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub style: QueryStyle,
    pub required: bool,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub docs: Docs,
}

/// How a request or response body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Payload {
    /// JSON (`application/json`, `text/json`, `*+json`).
    Json(TypeRef),
    /// `application/x-www-form-urlencoded` from an object.
    Form(TypeRef),
    /// `multipart/form-data` from an object (files as `runtime::FilePart`).
    Multipart(TypeRef),
    /// `text/plain`.
    Text,
    /// Raw bytes (`application/octet-stream`, images, archives, ...).
    Bytes,
}

impl Payload {
    /// The type of the value (JSON, form or multipart); `None` for text and raw bytes.
    pub fn value_type(&self) -> Option<&TypeRef> {
        match self {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) => Some(ty),
            Payload::Text | Payload::Bytes => None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Body {
    pub payload: Payload,
    pub required: bool,
    pub content_type: String,
    pub description: Option<String>,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum StatusSpec {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

impl StatusSpec {
    /// The document's key for it: `404`, `4XX` or `default`.
    pub fn label(self) -> String {
        match self {
            StatusSpec::Code(code) => code.to_string(),
            StatusSpec::Range(n) => format!("{n}XX"),
            StatusSpec::Default => "default".to_string(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusSpec,
    pub description: String,
    /// The body, `None` for no content.
    pub body: Option<Payload>,
}

/// A response with the name of its variant in the operation's success or error enum.
#[derive(Debug)]
pub(crate) struct NamedResponse {
    pub response: Response,
    pub variant: String,
}

#[derive(Debug)]
pub(crate) struct Operation {
    pub operation_id: String,
    pub method_name: String,
    /// Name of the operation's error enum.
    pub error_type: String,
    pub method: Method,
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Documented success responses (at least one; `2XX` with no body when none is documented).
    pub successes: Vec<NamedResponse>,
    /// Name of the success enum when the successes carry different bodies; `None` when they
    /// share one type and the method returns it directly.
    pub success_enum: Option<String>,
    pub errors: Vec<NamedResponse>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub authenticated: bool,
}

impl Operation {
    /// Every type the operation's method takes or gives: its parameters', its request body's
    /// and its documented responses' bodies.
    pub fn mentioned_types(&self) -> Vec<&TypeRef> {
        let payloads = self.body.iter().map(|body| &body.payload).chain(
            self.successes
                .iter()
                .chain(&self.errors)
                .filter_map(|named| named.response.body.as_ref()),
        );
        self.params
            .iter()
            .map(|param| &param.ty)
            .chain(payloads.filter_map(Payload::value_type))
            .collect()
    }

    /// The operation's place in the document, `#/paths/~1orders~1{id}/get`.
    pub fn pointer(&self) -> String {
        crate::pointer::Pointer::root()
            .join("paths")
            .join(&self.path_template)
            .join(self.method.as_str().to_ascii_lowercase())
            .to_string()
    }
}
