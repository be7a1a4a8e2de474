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

    #[derive(Deserialize)]
    struct Version {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let version: Version = if is_json {
        serde_json::from_str(text).map_err(|e| syntax_error("JSON", &e.to_string()))?
    } else {
        serde_yaml::from_str(text).map_err(|e| syntax_error("YAML", &e.to_string()))?
    };
    check_version(&version.openapi, version.swagger.is_some())?;

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
    Error::new(
        &pointer,
        format!("not a valid OpenAPI 3.0 document here: {inner}"),
    )
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
    fn shape_errors_name_the_place() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load(doc).expect_err("responses must be a map");
        assert_eq!(err.pointer, "#/paths/~1a/get/responses", "{err}");
    }
}
