//! A structural check of the raw document, run when the typed model rejects it, to name the
//! deepest offending place (the typed model loses track of it inside flattened members).

use serde_json::Value;

use crate::pointer::Pointer;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The first place where the document does not have the shape OpenAPI 3.0 requires, if found.
pub(crate) fn find_problem(doc: &Value) -> Option<(Pointer, String)> {
    let root = Pointer::root();
    let doc = expect_object(doc, &root).err().map(Err).unwrap_or(Ok(doc));
    let doc = match doc {
        Ok(doc) => doc,
        Err(problem) => return Some(problem),
    };
    if let Some(paths) = doc.get("paths") {
        let at = root.join("paths");
        let paths = match expect_object(paths, &at) {
            Ok(paths) => paths,
            Err(problem) => return Some(problem),
        };
        for (path, item) in paths.as_object().into_iter().flatten() {
            if path.starts_with("x-") {
                continue;
            }
            if let Err(problem) = path_item(item, &at.join(path)) {
                return Some(problem);
            }
        }
    }
    if let Some(parameters) = doc.get("components").and_then(|c| c.get("parameters")) {
        let at = root.join("components").join("parameters");
        if let Err(problem) = map_of(parameters, &at, parameter) {
            return Some(problem);
        }
    }
    if let Some(schemas) = doc.get("components").and_then(|c| c.get("schemas")) {
        let at = root.join("components").join("schemas");
        if let Err(problem) = map_of(schemas, &at, schema) {
            return Some(problem);
        }
    }
    None
}

type Check = Result<(), (Pointer, String)>;

fn expect_object<'v>(value: &'v Value, at: &Pointer) -> Result<&'v Value, (Pointer, String)> {
    if value.is_object() {
        Ok(value)
    } else {
        Err((
            at.clone(),
            format!("expected an object, found {}", kind(value)),
        ))
    }
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn map_of(value: &Value, at: &Pointer, each: fn(&Value, &Pointer) -> Check) -> Check {
    expect_object(value, at)?;
    for (key, child) in value.as_object().into_iter().flatten() {
        each(child, &at.join(key))?;
    }
    Ok(())
}

fn list_of(value: &Value, at: &Pointer, each: fn(&Value, &Pointer) -> Check) -> Check {
    let Some(items) = value.as_array() else {
        return Err((
            at.clone(),
            format!("expected an array, found {}", kind(value)),
        ));
    };
    for (index, item) in items.iter().enumerate() {
        each(item, &at.join(index))?;
    }
    Ok(())
}

fn string_at(value: &Value, key: &str, at: &Pointer) -> Check {
    match value.get(key) {
        Some(Value::String(_)) | None => Ok(()),
        Some(other) => Err((
            at.join(key),
            format!("expected a string, found {}", kind(other)),
        )),
    }
}

fn path_item(item: &Value, at: &Pointer) -> Check {
    expect_object(item, at)?;
    if let Some(params) = item.get("parameters") {
        list_of(params, &at.join("parameters"), parameter)?;
    }
    for method in METHODS {
        if let Some(op) = item.get(*method) {
            operation(op, &at.join(method))?;
        }
    }
    Ok(())
}

fn operation(op: &Value, at: &Pointer) -> Check {
    expect_object(op, at)?;
    string_at(op, "operationId", at)?;
    if let Some(params) = op.get("parameters") {
        list_of(params, &at.join("parameters"), parameter)?;
    }
    if let Some(body) = op.get("requestBody") {
        let here = at.join("requestBody");
        expect_object(body, &here)?;
        if body.get("$ref").is_none() {
            match body.get("content") {
                Some(content) => map_of(content, &here.join("content"), media_type)?,
                None => return Err((here, "a request body needs `content`".to_string())),
            }
        }
    }
    match op.get("responses") {
        Some(responses) => map_of(responses, &at.join("responses"), response),
        None => Err((at.clone(), "an operation needs `responses`".to_string())),
    }
}

fn parameter(param: &Value, at: &Pointer) -> Check {
    expect_object(param, at)?;
    if param.get("$ref").is_some() {
        return Ok(());
    }
    for key in ["name", "in"] {
        match param.get(key) {
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err((
                    at.join(key),
                    format!("expected a string, found {}", kind(other)),
                ));
            }
            None => return Err((at.clone(), format!("a parameter needs `{key}`"))),
        }
    }
    if let Some(Value::String(location)) = param.get("in")
        && !LOCATIONS.contains(&location.as_str())
    {
        return Err((
            at.join("in"),
            format!(
                "unknown parameter location {location:?}, expected one of `query`, `header`, `path`, `cookie`"
            ),
        ));
    }
    if let Some(s) = param.get("schema") {
        schema(s, &at.join("schema"))?;
    }
    Ok(())
}

/// The values of a parameter's `in`.
const LOCATIONS: &[&str] = &["query", "header", "path", "cookie"];

fn response(resp: &Value, at: &Pointer) -> Check {
    expect_object(resp, at)?;
    if resp.get("$ref").is_some() {
        return Ok(());
    }
    if resp.get("description").is_none() {
        return Err((at.clone(), "a response needs a `description`".to_string()));
    }
    string_at(resp, "description", at)?;
    if let Some(content) = resp.get("content") {
        map_of(content, &at.join("content"), media_type)?;
    }
    Ok(())
}

fn media_type(media: &Value, at: &Pointer) -> Check {
    expect_object(media, at)?;
    if let Some(s) = media.get("schema") {
        schema(s, &at.join("schema"))?;
    }
    Ok(())
}

fn schema(value: &Value, at: &Pointer) -> Check {
    expect_object(value, at)?;
    if value.get("$ref").is_some() {
        return string_at(value, "$ref", at);
    }
    string_at(value, "type", at)?;
    string_at(value, "format", at)?;
    if let Some(properties) = value.get("properties") {
        map_of(properties, &at.join("properties"), schema)?;
    }
    if let Some(required) = value.get("required") {
        list_of(required, &at.join("required"), |item, here| match item {
            Value::String(_) => Ok(()),
            other => Err((
                here.clone(),
                format!("expected a property name, found {}", kind(other)),
            )),
        })?;
    }
    if let Some(items) = value.get("items") {
        schema(items, &at.join("items"))?;
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = value.get(keyword) {
            list_of(members, &at.join(keyword), schema)?;
        }
    }
    if let Some(additional) = value.get("additionalProperties")
        && !additional.is_boolean()
    {
        schema(additional, &at.join("additionalProperties"))?;
    }
    if let Some(values) = value.get("enum") {
        list_of(values, &at.join("enum"), |_, _| Ok(()))?;
    }
    for flag in ["nullable", "readOnly", "writeOnly", "deprecated"] {
        match value.get(flag) {
            Some(Value::Bool(_)) | None => {}
            Some(other) => {
                return Err((
                    at.join(flag),
                    format!("expected true or false, found {}", kind(other)),
                ));
            }
        }
    }
    Ok(())
}
