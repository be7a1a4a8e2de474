//! OpenAPI 3.1 and 3.2 to the 3.0 model (and broken references repaired): a pass over the raw document that rewrites the JSON
//! Schema 2020-12 spellings 3.0 has its own words for, warns about what 3.0 cannot say, and keeps
//! a map from the rewritten document's pointers back to the original's.
//!
//! - `type: [T, "null"]` → `type: T, nullable: true`; `type: "null"` → `nullable: true`; a
//!   `{type: "null"}` member of `oneOf`/`anyOf` → the union itself `nullable`.
//! - `$ref` with siblings (`description`, `default`, `deprecated`) → `allOf: [{$ref}]` beside
//!   them, so the siblings are kept.
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the 3.0 flag;
//!   `const` → a one-value `enum`; `examples` → `example`; boolean schemas → `{}` / `not: {}`;
//!   a string with `contentMediaType` (and no `contentEncoding`) → `format: binary`.
//! - 3.2 additions not handled yet (the `query` method, `additionalOperations`, `itemSchema`)
//!   and 3.1 `webhooks` get a warning with their pointer.
//!
//! With `repair` (`cargo xtask generate` without `--strict`), the same walk also replaces schema
//! `$ref`s that cannot be followed (`$ref: ""`, a schema that does not exist) by `{}`, any JSON
//! value, each with a warning; this applies to 3.0 documents too. Broken references to
//! parameters, responses and request bodies are repaired as `repair.rs` says.
//!
//! The pass works on `serde_yaml::Value`, whose mappings keep the document's order (a
//! `serde_json::Value` would sort properties and so reorder fields and `new()` arguments).

use serde_yaml::{Mapping as Map, Value};

use crate::error::{Error, Warning};
use crate::load::Dialect;
use crate::load::repair::{self, ComponentRefs};
use crate::pointer::Pointer;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The schema keywords whose values are schemas, and those whose values are maps or lists of them.
const SUBSCHEMA: &[&str] = &["items", "not", "additionalProperties"];
const SUBSCHEMA_MAPS: &[&str] = &["properties"];
const SUBSCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// JSON Schema 2020-12 keywords with no 3.0 spelling that change which values are valid.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "prefixItems",
    "patternProperties",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "$dynamicRef",
];

/// Pointers into the rewritten document mapped back to the original: each entry says "what is
/// at or below `new` was at `old`"; the longest matching entry wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct Remap {
    entries: Vec<(String, String)>,
}

impl Remap {
    /// `pointer` (into the rewritten document) as a pointer into the original.
    pub(crate) fn pointer(&self, pointer: &str) -> String {
        let best = self
            .entries
            .iter()
            .filter(|(new, _)| {
                pointer == new
                    || pointer
                        .strip_prefix(new.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|(new, _)| new.len());
        match best {
            Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
            None => pointer.to_string(),
        }
    }

    pub(crate) fn error(&self, mut error: Error) -> Error {
        error.pointer = self.pointer(&error.pointer);
        error
    }

    pub(crate) fn warning(&self, mut warning: Warning) -> Warning {
        warning.pointer = self.pointer(&warning.pointer);
        warning
    }
}

/// What the pass did besides rewriting.
pub(crate) struct Normalized {
    /// `$ref`s repaired (with `repair`): schemas replaced by `{}`, parameters left out, bodies
    /// and responses made any JSON.
    pub repairs: usize,
    pub warnings: Vec<Warning>,
    /// Operations the 3.0 model cannot hold (3.2 `query`, `additionalOperations`).
    pub lost_operations: usize,
    pub remap: Remap,
}

/// A place in both documents: the rewritten one (`new`) and the original (`old`).
#[derive(Clone)]
struct At {
    new: Pointer,
    old: Pointer,
}

impl At {
    fn join(&self, key: impl std::fmt::Display + Copy) -> At {
        At {
            new: self.new.join(key),
            old: self.old.join(key),
        }
    }
}

struct Pass {
    dialect: Dialect,
    /// Replace schema `$ref`s that cannot be followed by `{}` (any JSON), with a warning.
    repair: bool,
    /// How many were replaced.
    repairs: usize,
    /// The names in `#/components/schemas`.
    schema_names: std::collections::HashSet<String>,
    /// The parameters, responses and request bodies `$ref`s may name (with `repair`).
    component_refs: ComponentRefs,
    warnings: Vec<Warning>,
    lost_operations: usize,
    remap: Remap,
}

impl Pass {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    /// Why the `$ref` of this schema cannot be followed, if it cannot.
    fn broken_ref(&self, schema: &Value) -> Option<String> {
        let reference = schema.get("$ref")?.as_str()?;
        let name = crate::pointer::schema_ref_name(reference);
        match name {
            Some(name) if self.schema_names.contains(&name) => None,
            Some(name) => Some(format!(
                "dangling $ref {reference:?}: there is no schema named {name:?} in #/components/schemas"
            )),
            None => Some(format!(
                "$ref {reference:?} cannot be followed: only #/components/schemas/<name> is supported for schemas"
            )),
        }
    }

    /// `new` holds what was at `old` (and everything below it).
    fn moved(&mut self, new: &Pointer, old: &Pointer) {
        if new != old {
            self.remap.entries.push((new.to_string(), old.to_string()));
        }
    }
}

/// Rewrites a 3.1 or 3.2 document in place into the 3.0 shape the typed model reads (a 3.0
/// document is left as it is); with `repair`, schema `$ref`s that cannot be followed become `{}`.
pub(crate) fn normalize(doc: &mut Value, dialect: Dialect, repair: bool) -> Normalized {
    let schema_names = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map(|schemas| schemas.keys().map(key_text).collect())
        .unwrap_or_default();
    let component_refs = if repair {
        ComponentRefs::of(doc)
    } else {
        ComponentRefs::default()
    };
    let mut pass = Pass {
        dialect,
        repair,
        repairs: 0,
        schema_names,
        component_refs,
        warnings: Vec::new(),
        lost_operations: 0,
        remap: Remap::default(),
    };
    let root = At {
        new: Pointer::root(),
        old: Pointer::root(),
    };
    if dialect != Dialect::V30
        && let Some(members) = doc.as_mapping_mut()
    {
        members.insert(Value::from("openapi"), Value::from("3.0.3"));
        if !members.contains_key("paths") {
            members.insert(Value::from("paths"), Value::Mapping(Map::new()));
        }
        if members.contains_key("webhooks") {
            pass.warn(
                &Pointer::root().join("webhooks"),
                "webhooks are not supported; they are left out of the client",
            );
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) {
        for (path, item) in paths.iter_mut() {
            path_item(
                &mut pass,
                item,
                &root.join("paths").join(key_text(path).as_str()),
            );
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_mapping_mut) {
        let at = root.join("components");
        each_value(components, "schemas", &at, &mut pass, schema);
        each_value(components, "parameters", &at, &mut pass, parameter);
        each_value(components, "headers", &at, &mut pass, parameter);
        each_value(components, "responses", &at, &mut pass, response);
        each_value(components, "requestBodies", &at, &mut pass, body);
    }
    Normalized {
        repairs: pass.repairs,
        warnings: pass.warnings,
        lost_operations: pass.lost_operations,
        remap: pass.remap,
    }
}

/// Runs `each` on every value of the map under `key`.
fn each_value(
    parent: &mut Map,
    key: &str,
    at: &At,
    pass: &mut Pass,
    each: fn(&mut Pass, &mut Value, &At),
) {
    if let Some(map) = parent.get_mut(key).and_then(Value::as_mapping_mut) {
        let here = at.join(key);
        for (name, value) in map.iter_mut() {
            each(pass, value, &here.join(key_text(name).as_str()));
        }
    }
}

/// Runs `each` on every element of the list under `key`.
fn each_element(
    parent: &mut Map,
    key: &str,
    at: &At,
    pass: &mut Pass,
    each: fn(&mut Pass, &mut Value, &At),
) {
    if let Some(list) = parent.get_mut(key).and_then(Value::as_sequence_mut) {
        let here = at.join(key);
        for (index, value) in list.iter_mut().enumerate() {
            each(pass, value, &here.join(index));
        }
    }
}

fn path_item(pass: &mut Pass, item: &mut Value, at: &At) {
    let Some(item) = item.as_mapping_mut() else {
        return;
    };
    each_element(item, "parameters", at, pass, parameter);
    repair_parameters(pass, item, at);
    for method in METHODS {
        if let Some(op) = item.get_mut(*method) {
            operation(pass, op, &at.join(*method));
        }
    }
    if pass.dialect == Dialect::V32 {
        if item.contains_key("query") {
            pass.lost_operations += 1;
            pass.warn(
                &at.old.join("query"),
                "operation skipped: the OpenAPI 3.2 `query` method is not supported yet",
            );
        }
        if let Some(extra) = item.get("additionalOperations").and_then(Value::as_mapping) {
            for method in extra.keys() {
                pass.lost_operations += 1;
                pass.warn(
                    &at.old.join("additionalOperations").join(key_text(method)),
                    "operation skipped: OpenAPI 3.2 `additionalOperations` are not supported yet",
                );
            }
        }
    }
}

fn operation(pass: &mut Pass, op: &mut Value, at: &At) {
    let Some(op) = op.as_mapping_mut() else {
        return;
    };
    each_element(op, "parameters", at, pass, parameter);
    repair_parameters(pass, op, at);
    if let Some(request) = op.get_mut("requestBody") {
        let here = at.join("requestBody");
        repair_to_any_json(pass, request, "requestBodies", &here, "the request body");
        body(pass, request, &here);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_mapping_mut) {
        let here = at.join("responses");
        for (status, resp) in responses.iter_mut() {
            let at = here.join(key_text(status).as_str());
            repair_to_any_json(pass, resp, "responses", &at, "the response body");
        }
    }
    each_value(op, "responses", at, pass, response);
}

/// With `repair`, leaves out the parameters of `holder` whose `$ref` cannot be followed (a
/// warning each) and records where the rest moved.
fn repair_parameters(pass: &mut Pass, holder: &mut Map, at: &At) {
    if !pass.repair {
        return;
    }
    let Some(list) = holder
        .get_mut("parameters")
        .and_then(Value::as_sequence_mut)
    else {
        return;
    };
    let dropped = repair::drop_broken_parameters(list, &pass.component_refs);
    let remaining = list.len();
    let here = at.join("parameters");
    for (index, problem) in &dropped {
        pass.repairs += 1;
        pass.warn(
            &here.old.join(index),
            format!("{problem}; the parameter is left out (--strict refuses the document)"),
        );
    }
    let mut old = 0;
    for new in 0..remaining {
        while dropped.iter().any(|(index, _)| *index == old) {
            old += 1;
        }
        pass.moved(&here.new.join(new), &here.old.join(old));
        old += 1;
    }
}

/// With `repair`, replaces a response or request body whose `$ref` (into
/// `#/components/<section>`) cannot be followed by one of any JSON, with a warning.
fn repair_to_any_json(pass: &mut Pass, value: &mut Value, section: &str, at: &At, what: &str) {
    if !pass.repair {
        return;
    }
    if let Some(problem) = pass.component_refs.broken(value, section) {
        pass.repairs += 1;
        pass.warn(
            &at.old,
            format!("{problem}; {what} is represented as serde_json::Value (--strict refuses the document)"),
        );
        *value = repair::any_json("Not known: its `$ref` could not be followed.");
    }
}

/// A parameter or header: its `schema`, or the schemas of its `content`.
fn parameter(pass: &mut Pass, param: &mut Value, at: &At) {
    let Some(param) = param.as_mapping_mut() else {
        return;
    };
    if let Some(s) = param.get_mut("schema") {
        schema(pass, s, &at.join("schema"));
    }
    each_value(param, "content", at, pass, media_type);
}

fn body(pass: &mut Pass, request: &mut Value, at: &At) {
    if let Some(request) = request.as_mapping_mut() {
        each_value(request, "content", at, pass, media_type);
    }
}

fn response(pass: &mut Pass, resp: &mut Value, at: &At) {
    if let Some(resp) = resp.as_mapping_mut() {
        each_value(resp, "content", at, pass, media_type);
        each_value(resp, "headers", at, pass, parameter);
    }
}

fn media_type(pass: &mut Pass, media: &mut Value, at: &At) {
    let Some(media) = media.as_mapping_mut() else {
        return;
    };
    if let Some(s) = media.get_mut("schema") {
        schema(pass, s, &at.join("schema"));
    }
    if media.contains_key("itemSchema") {
        pass.warn(
            &at.old.join("itemSchema"),
            "the OpenAPI 3.2 `itemSchema` of sequential media types is not supported yet; the items are not typed",
        );
    }
}

/// One schema, then its subschemas.
fn schema(pass: &mut Pass, value: &mut Value, at: &At) {
    if pass.dialect != Dialect::V30 {
        match value {
            Value::Bool(true) => *value = Value::Mapping(Map::new()),
            Value::Bool(false) => {
                let mut never = Map::new();
                never.insert(Value::from("not"), Value::Mapping(Map::new()));
                *value = Value::Mapping(never);
            }
            _ => {}
        }
    }
    if pass.repair
        && let Some(problem) = pass.broken_ref(value)
    {
        pass.repairs += 1;
        pass.warn(
            &at.old,
            format!("{problem}; this schema is represented as serde_json::Value (--strict refuses the document)"),
        );
        *value = Value::Mapping(Map::new());
        return;
    }
    let Some(members) = value.as_mapping_mut() else {
        return;
    };
    if pass.dialect != Dialect::V30 {
        rewrite_31(pass, members, at);
    }
    for keyword in SUBSCHEMA {
        if let Some(inner) = members.get_mut(*keyword)
            && !(*keyword == "additionalProperties" && inner.is_bool())
        {
            schema(pass, inner, &at.join(*keyword));
        }
    }
    for keyword in SUBSCHEMA_MAPS {
        each_value(members, keyword, at, pass, schema);
    }
    for keyword in SUBSCHEMA_LISTS {
        each_element(members, keyword, at, pass, schema);
        if pass.dialect != Dialect::V30 {
            drop_null_members(pass, members, keyword, at);
        }
    }
}

/// The 3.1 spellings of one schema (not its subschemas) in their 3.0 form.
fn rewrite_31(pass: &mut Pass, members: &mut Map, at: &At) {
    if members.contains_key("$ref") && members.len() > 1 && !members.contains_key("allOf") {
        wrap_ref(pass, members, at);
    }
    for keyword in UNSUPPORTED_KEYWORDS {
        if members.contains_key(*keyword) {
            pass.warn(
                &at.old.join(*keyword),
                format!("the JSON Schema keyword `{keyword}` is not supported; it is ignored"),
            );
        }
    }
    read_type(pass, members, at);
    if let Some(constant) = members.remove("const")
        && !members.contains_key("enum")
    {
        if !members.contains_key("type")
            && let Some(kind) = json_type(&constant)
        {
            members.insert(Value::from("type"), Value::from(kind));
        }
        members.insert(Value::from("enum"), Value::Sequence(vec![constant]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = members.get(exclusive).filter(|v| v.is_number()).cloned() {
            members.insert(Value::from(bound), limit);
            members.insert(Value::from(exclusive), Value::Bool(true));
        }
    }
    if let Some(Value::Sequence(examples)) = members.remove("examples")
        && !members.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        members.insert(Value::from("example"), first);
    }
    if members.get("type").and_then(Value::as_str) == Some("string")
        && members.contains_key("contentMediaType")
        && !members.contains_key("contentEncoding")
        && !members.contains_key("format")
    {
        members.insert(Value::from("format"), Value::from("binary"));
    }
}

/// `type` as 3.0 writes it: one type name, `null` as `nullable`.
fn read_type(pass: &mut Pass, members: &mut Map, at: &At) {
    let names: Vec<String> = match members.get("type") {
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => return,
    };
    let nullable = names.iter().any(|n| n == "null");
    let rest: Vec<&String> = names.iter().filter(|n| *n != "null").collect();
    match rest.as_slice() {
        [] => {
            members.remove("type");
        }
        [only] => {
            members.insert(Value::from("type"), Value::from(only.as_str()));
        }
        _ => {
            members.remove("type");
            pass.warn(
                &at.old.join("type"),
                format!(
                    "a list of types ({}) is represented as serde_json::Value",
                    rest.iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if nullable {
        members.insert(Value::from("nullable"), Value::Bool(true));
    }
}

/// `{$ref, description, ...}` → `{allOf: [{$ref}], description, ...}`; the member is where the
/// `$ref` was.
fn wrap_ref(pass: &mut Pass, members: &mut Map, at: &At) {
    let Some(reference) = members.remove("$ref") else {
        return;
    };
    let mut only = Map::new();
    only.insert(Value::from("$ref"), reference);
    members.insert(
        Value::from("allOf"),
        Value::Sequence(vec![Value::Mapping(only)]),
    );
    let member = at.new.join("allOf").join(0);
    pass.moved(&member, &at.old);
}

/// Members of `oneOf`/`anyOf` that allow only `null` (`{type: "null"}`, now `{nullable: true}`)
/// make the union `nullable` instead; the members after them move up one place.
fn drop_null_members(pass: &mut Pass, members: &mut Map, keyword: &str, at: &At) {
    let Some(list) = members.get_mut(keyword).and_then(Value::as_sequence_mut) else {
        return;
    };
    let is_null = |v: &Value| {
        v.as_mapping().is_some_and(|m| {
            m.get("nullable") == Some(&Value::Bool(true))
                && m.keys()
                    .all(|k| matches!(k.as_str(), Some("nullable" | "description" | "title")))
        })
    };
    if !list.iter().any(is_null) || list.iter().all(is_null) {
        return;
    }
    let mut kept = Vec::with_capacity(list.len());
    for (old_index, member) in std::mem::take(list).into_iter().enumerate() {
        if is_null(&member) {
            continue;
        }
        let new_index = kept.len();
        if new_index != old_index {
            pass.moved(
                &at.new.join(keyword).join(new_index),
                &at.old.join(keyword).join(old_index),
            );
        }
        kept.push(member);
    }
    *list = kept;
    members.insert(Value::from("nullable"), Value::Bool(true));
}

/// The JSON Schema type of a `const` value.
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// A mapping key as the text a pointer names it by (YAML keys may be numbers, such as `200`).
pub(super) fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema_json: &str) -> (Value, Normalized) {
        let mut doc: Value = serde_yaml::from_str(&format!(
            r#"{{"openapi":"3.1.0","components":{{"schemas":{{"S":{schema_json}}}}}}}"#
        ))
        .expect("json");
        let done = normalize(&mut doc, Dialect::V31, false);
        (doc["components"]["schemas"]["S"].clone(), done)
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        let (s, _) = normalized(r#"{"type":["null","integer"],"enum":[0,1,2]}"#);
        assert_eq!(s["type"], "integer");
        assert_eq!(s["nullable"], true);
    }

    #[test]
    fn refs_with_siblings_keep_them_and_map_back() {
        let (s, done) = normalized(r##"{"$ref":"#/components/schemas/T","description":"d"}"##);
        assert_eq!(s["allOf"][0]["$ref"], "#/components/schemas/T");
        assert_eq!(s["description"], "d");
        assert_eq!(
            done.remap.pointer("#/components/schemas/S/allOf/0"),
            "#/components/schemas/S"
        );
    }

    #[test]
    fn null_members_make_the_union_nullable_and_shift_pointers_back() {
        let (s, done) =
            normalized(r#"{"oneOf":[{"type":"null"},{"type":"string"},{"type":"integer"}]}"#);
        assert_eq!(s["nullable"], true);
        assert_eq!(s["oneOf"].as_sequence().map(Vec::len), Some(2));
        assert_eq!(
            done.remap.pointer("#/components/schemas/S/oneOf/1/format"),
            "#/components/schemas/S/oneOf/2/format"
        );
    }

    #[test]
    fn numeric_exclusive_bounds_const_and_examples() {
        let (s, _) = normalized(r#"{"type":"number","exclusiveMinimum":0,"examples":[3]}"#);
        assert_eq!(s["minimum"], 0);
        assert_eq!(s["exclusiveMinimum"], true);
        assert_eq!(s["example"], 3);
        let (s, _) = normalized(r#"{"const":"dog"}"#);
        assert_eq!(s["type"], "string");
        assert_eq!(s["enum"][0], "dog");
    }
}
