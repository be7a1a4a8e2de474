//! Load stage: document text (YAML or JSON, UTF-8 BOM tolerated) to a typed OpenAPI 3.0 model.

mod scan;

use openapiv3::OpenAPI;

use crate::error::{Error, Result, Warning};
use crate::pointer::Pointer;

/// Parses the document, checks its `openapi` version and deserializes it; the warnings name keys
/// the typed model leaves out.
pub(crate) fn load(text: &str) -> Result<(OpenAPI, Vec<Warning>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = Pointer::root();
    if text.trim().is_empty() {
        return Err(Error::new(&root, "the document is empty"));
    }
    let is_json = text.trim_start().starts_with('{');

    // One pass checks the syntax, the limits and the values the typed model mishandles (repeated
    // keys, `.inf`, tags, ...) with their place, and reads the top level for the version check.
    let outline = scan::scan(text, is_json).map_err(|problem| match problem {
        scan::ScanError::At(pointer, message) => Error::new(&pointer, message),
        scan::ScanError::Syntax(message) => {
            syntax_error(if is_json { "JSON" } else { "YAML" }, &message)
        }
    })?;
    if outline.root != scan::Seen::Object {
        return Err(Error::new(
            &root,
            format!(
                "the document must be an object with an `openapi` member, found {}",
                outline.root.kind()
            ),
        ));
    }
    check_version(&outline.openapi, outline.swagger)?;

    let typed = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| shape_error(e.path(), e.inner()))
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| shape_error(e.path(), e.inner()))
    };
    let doc = typed.map_err(|error| refine(text, is_json, error))?;
    Ok((doc, outline.warnings))
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

fn check_version(openapi: &Option<Result<String, String>>, is_swagger: bool) -> Result<()> {
    let here = Pointer::root().join("openapi");
    let version = match openapi {
        Some(Ok(v)) => v.as_str(),
        Some(Err(other)) => {
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

pub(super) fn shape_pointer(path: &serde_path_to_error::Path) -> Pointer {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<OpenAPI> {
        super::load(text).map(|(doc, _)| doc)
    }

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
