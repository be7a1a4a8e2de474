//! Load stage: document text (YAML or JSON, UTF-8 BOM tolerated) to a typed OpenAPI 3.0 model.

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::pointer::Pointer;

/// Parses the document, checks its `openapi` version and deserializes it.
pub(crate) fn load(text: &str) -> Result<OpenAPI> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = Pointer::root();
    if text.trim().is_empty() {
        return Err(Error::new(&root, "the document is empty"));
    }
    let is_json = text.trim_start().starts_with('{');

    // One pass checks the syntax, rejects repeated keys (the typed model mishandles them: last
    // one wins, or worse) with their place, and reads the top level for the version check.
    let first_pass = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, TopLevel>(&mut de)
            .map_err(|e| (shape_pointer(e.path()), e.into_inner().to_string()))
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, TopLevel>(de)
            .map_err(|e| (shape_pointer(e.path()), e.into_inner().to_string()))
    };
    let top = match first_pass {
        Ok(top) => top,
        Err((pointer, message)) => {
            let format = if is_json { "JSON" } else { "YAML" };
            return Err(if message.contains(DUPLICATE) {
                Error::new(&pointer, message)
            } else {
                syntax_error(format, &message)
            });
        }
    };
    match top {
        TopLevel::Object { openapi, swagger } => check_version(&openapi, swagger)?,
        TopLevel::Other(kind) => {
            return Err(Error::new(
                &root,
                format!("the document must be an object with an `openapi` member, found {kind}"),
            ));
        }
    }

    let typed = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| shape_error(e.path(), e.inner()))
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| shape_error(e.path(), e.inner()))
    };
    typed.map_err(|error| refine(text, is_json, error))
}

/// Whether pointer `inner` names `outer` or a place inside it.
fn is_below(inner: &str, outer: &str) -> bool {
    inner == outer || outer == "#" || inner.starts_with(&format!("{outer}/"))
}

/// The typed model loses the path inside flattened members; a structural walk of the raw
/// document usually finds the deeper place, which is reported instead when it lies below.
fn refine(text: &str, is_json: bool, error: Error) -> Error {
    let raw: Option<serde_json::Value> = if is_json {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    match raw.as_ref().and_then(crate::shape::find_problem) {
        Some((pointer, message)) if is_below(&pointer.to_string(), &error.pointer) => Error::new(
            &pointer,
            format!("not a valid OpenAPI 3.0 document here: {message}"),
        ),
        _ => error,
    }
}

fn syntax_error(format: &str, detail: &str) -> Error {
    Error::new(
        &Pointer::root(),
        format!("the document is not valid {format}: {detail}"),
    )
}

fn check_version(openapi: &Option<serde_json::Value>, is_swagger: bool) -> Result<()> {
    let here = Pointer::root().join("openapi");
    let version = match openapi {
        Some(serde_json::Value::String(v)) => v.as_str(),
        Some(other) => {
            return Err(Error::new(
                &here,
                format!("`openapi` must be a version string such as \"3.0.3\", found {other}"),
            ));
        }
        None if is_swagger => {
            return Err(Error::new(
                &Pointer::root().join("swagger"),
                "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3.0",
            ));
        }
        None => {
            return Err(Error::new(
                &Pointer::root(),
                "missing `openapi` version field; this is not an OpenAPI 3.0 document",
            ));
        }
    };
    if version.starts_with("3.0.") || version == "3.0" {
        Ok(())
    } else if version.starts_with("3.1") {
        Err(Error::new(
            &here,
            format!(
                "OpenAPI {version} is not supported: this generator reads OpenAPI 3.0.x (3.0.0 to 3.0.4)"
            ),
        ))
    } else {
        Err(Error::new(
            &here,
            format!("unsupported OpenAPI version {version:?}; this generator reads OpenAPI 3.0.x"),
        ))
    }
}

/// Turns a deserialization error into one naming the JSON pointer of the offending value.
fn shape_error(path: &serde_path_to_error::Path, inner: &dyn std::fmt::Display) -> Error {
    Error::new(
        &shape_pointer(path),
        format!("not a valid OpenAPI 3.0 document here: {inner}"),
    )
}

fn shape_pointer(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => break,
        };
    }
    pointer
}

const DUPLICATE: &str = "duplicate key";

/// The document's top level: an object's `openapi` value and whether it has `swagger`, or the
/// kind of value it is instead. Deserializing it checks the whole document for repeated keys.
enum TopLevel {
    Object {
        openapi: Option<serde_json::Value>,
        swagger: bool,
    },
    Other(&'static str),
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> serde::de::Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an OpenAPI document")
    }

    fn visit_bool<E>(self, _: bool) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a string"))
    }

    fn visit_unit<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("null"))
    }

    fn visit_none<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("null"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<TopLevel, A::Error> {
        UniqueKeysVisitor.visit_seq(seq)?;
        Ok(TopLevel::Other("an array"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut seen = std::collections::HashSet::new();
        let mut openapi = None;
        let mut swagger = false;
        while let Some(key) = map.next_key::<serde_json::Value>()? {
            let text = first_occurrence(&mut seen, key)?;
            match text.as_str() {
                "openapi" => openapi = Some(map.next_value::<serde_json::Value>()?),
                other => {
                    swagger |= other == "swagger";
                    map.next_value::<UniqueKeys>()?;
                }
            }
        }
        Ok(TopLevel::Object { openapi, swagger })
    }
}

/// A mapping key as text, or an error when the mapping already had it.
fn first_occurrence<E: serde::de::Error>(
    seen: &mut std::collections::HashSet<String>,
    key: serde_json::Value,
) -> Result<String, E> {
    let text = match key {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    };
    if seen.insert(text.clone()) {
        Ok(text)
    } else {
        Err(E::custom(format!(
            "{DUPLICATE} {text:?}: a key may appear only once in an object"
        )))
    }
}

/// Accepts any document, failing on the first object / mapping that repeats a key.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_none<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<UniqueKeys, D::Error> {
        UniqueKeys::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<serde_json::Value>()? {
            first_occurrence::<A::Error>(&mut seen, key)?;
            map.next_value::<UniqueKeys>()?;
        }
        Ok(UniqueKeys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_openapi_31_clearly() {
        let err = load("openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n")
            .expect_err("3.1 is rejected");
        assert_eq!(err.pointer, "#/openapi");
        assert!(err.message.contains("3.1.0 is not supported"), "{err}");
    }

    #[test]
    fn tolerates_a_bom_and_json() {
        let doc = "\u{feff}{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{}}";
        assert!(load(doc).is_ok());
    }

    #[test]
    fn malformed_yaml_names_the_root() {
        let err = load("openapi: 3.0.3\ninfo: [unclosed\n").expect_err("bad yaml");
        assert_eq!(err.pointer, "#");
        assert!(err.message.contains("not valid YAML"), "{err}");
    }

    #[test]
    fn duplicate_keys_are_named() {
        let err =
            load("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a: {}\n  /a: {}\n")
                .expect_err("duplicate");
        assert!(err.message.contains("duplicate key \"/a\""), "{err}");
        assert!(err.pointer.starts_with('#'), "{err}");
        let err = load("{\"openapi\":\"3.0.3\",\"openapi\":\"3.0.3\"}").expect_err("duplicate");
        assert!(err.message.contains("duplicate key"), "{err}");
    }

    #[test]
    fn non_object_documents_are_named_as_such() {
        for doc in ["42", "[1, 2]", "\"text\"", "true"] {
            let err = load(doc).expect_err("not an object");
            assert_eq!(err.pointer, "#");
            assert!(err.message.contains("must be an object"), "{doc}: {err}");
        }
    }

    #[test]
    fn shape_errors_name_the_place() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load(doc).expect_err("responses must be a map");
        assert_eq!(err.pointer, "#/paths/~1a/get/responses", "{err}");
    }
}
