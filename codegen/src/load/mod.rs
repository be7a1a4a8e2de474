//! Load stage: document text (YAML or JSON, UTF-8 BOM tolerated) to a typed OpenAPI 3.0 model.

mod normalize;
mod repair;
mod scan;

use openapiv3::OpenAPI;
use serde::Deserialize;

pub(crate) use normalize::Remap;

use crate::error::{Error, Result, Warning};
use crate::pointer::Pointer;

/// Documents at least this long (in bytes) have their typed model read in two halves on two
/// threads (see `typed_from_value`); for shorter ones starting a thread costs more than it saves.
pub(crate) const LARGE_DOCUMENT: usize = 256 * 1024;

/// A loaded document: the typed 3.0 model and what the load stage learned on the way.
pub(crate) struct Loaded {
    pub doc: OpenAPI,
    pub warnings: Vec<Warning>,
    /// Operations of the document the model does not hold (each named in a warning).
    pub lost_operations: usize,
    /// Maps pointers into the model back to the original document (3.1 and 3.2 only).
    pub remap: Remap,
}

/// Parses the document, checks its `openapi` version and deserializes it (3.1 and 3.2 through
/// the normalising pass); the warnings name keys the typed model leaves out.
pub(crate) fn load(text: &str, repair_refs: bool) -> Result<Loaded> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = Pointer::root();
    if text.trim().is_empty() {
        return Err(Error::new(&root, "the document is empty"));
    }
    let is_json = text.trim_start().starts_with('{');

    // One pass checks the syntax, the limits and the values the typed model mishandles (repeated
    // keys, `.inf`, tags, ...) with their place, and builds the document as a value: the
    // version check, the normalising pass and (usually) the typed model read that value.
    let outline = first_pass(text, is_json)?;
    if !outline.root.is_mapping() {
        return Err(Error::new(
            &root,
            format!(
                "the document must be an object with an `openapi` member, found {}",
                scan::kind(&outline.root)
            ),
        ));
    }
    let dialect = check_version(
        &outline.version_member("openapi"),
        &outline.version_member("swagger"),
    )?;
    let mut warnings = outline.warnings;
    let mut lost_operations = outline.lost_operations;
    let mut raw = outline.root;
    let large = text.len() >= LARGE_DOCUMENT;
    if dialect != Dialect::V30 || repair_refs {
        let normalized = normalize::normalize(&mut raw, dialect, repair_refs);
        if dialect != Dialect::V30 || normalized.repairs > 0 {
            warnings.extend(normalized.warnings);
            lost_operations += normalized.lost_operations;
            let remap = normalized.remap;
            let doc = match typed_from_value(&mut raw, large) {
                Some(doc) => doc,
                None => serde_path_to_error::deserialize(&raw)
                    .map_err(|e| shape_error(e.path(), e.inner()))
                    .map_err(|error| match serde_json::to_value(&raw) {
                        Ok(json) => refine_value(&json, error),
                        Err(_) => error,
                    })
                    .map_err(|error| with_line(text, is_json, remap.error(error)))?,
            };
            return Ok(Loaded {
                doc,
                warnings,
                lost_operations,
                remap,
            });
        }
    }
    let doc = typed_30(text, is_json, &mut raw, large)?;
    Ok(Loaded {
        doc,
        warnings,
        lost_operations,
        remap: Remap::default(),
    })
}

/// The first pass ([`scan::scan`]), its problems as errors.
fn first_pass(text: &str, is_json: bool) -> Result<scan::Outline> {
    scan::scan(text, is_json).map_err(|problem| match problem {
        scan::ScanError::At(pointer, message) => Error::new(&pointer, message),
        scan::ScanError::Syntax(message) => {
            syntax_error(if is_json { "JSON" } else { "YAML" }, &message)
        }
    })
}

/// The typed model of a 3.0 document, read from the scan's value `raw`; where that fails, from
/// the text, which also gives the error with its place. Read from YAML text, a plain scalar is
/// a string wherever the model wants one (`title: 12` is `"12"`, `version: 1.0` is `"1.0"`),
/// while the value has already made it a number: such a document fails from the value and is
/// read from the text. Where the value is read, the model is the one the text gives (the tests
/// compare the two on every fixture).
fn typed_30(
    text: &str,
    is_json: bool,
    raw: &mut serde_yaml::Value,
    large: bool,
) -> Result<OpenAPI> {
    if let Some(doc) = typed_from_value(raw, large) {
        return Ok(doc);
    }
    typed_from_text(text, is_json)
}

/// The typed model read from the value, `None` where it cannot be. A `large` document's
/// `components` are read on a second thread while the rest is read with `components: null`
/// in their place (the model's `OpenAPI` gathers its extensions with `flatten`, which copies
/// everything below it into a buffer first: read in two halves, each half is copied on its own
/// thread). The value is left as it was.
fn typed_from_value(raw: &mut serde_yaml::Value, large: bool) -> Option<OpenAPI> {
    let components = match raw.get_mut("components") {
        Some(components) if large && components.is_mapping() => components,
        _ => return OpenAPI::deserialize(&*raw).ok(),
    };
    let taken = std::mem::take(components);
    let (rest, components) = std::thread::scope(|scope| {
        let components = scope.spawn(|| openapiv3::Components::deserialize(&taken).ok());
        let rest = OpenAPI::deserialize(&*raw).ok();
        (rest, components.join().ok().flatten())
    });
    if let Some(place) = raw.get_mut("components") {
        *place = taken;
    }
    let mut doc = rest?;
    doc.components = Some(components?);
    Some(doc)
}

/// The typed model straight from the text.
fn typed_from_text(text: &str, is_json: bool) -> Result<OpenAPI> {
    let typed = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| shape_error(e.path(), e.inner()))
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| shape_error(e.path(), e.inner()))
    };
    typed.map_err(|error| with_line(text, is_json, refine(text, is_json, error)))
}

/// The error with the line of its place in the text, where the message does not have one.
fn with_line(text: &str, is_json: bool, mut error: Error) -> Error {
    if error.message.contains(" line ") {
        return error;
    }
    let line = Pointer::parse_ref(&error.pointer)
        .and_then(|pointer| scan::line_of(text, is_json, &pointer));
    if let Some(line) = line {
        error.message = format!("{} (line {line})", error.message);
    }
    error
}

/// The document as a `serde_json::Value` for the shape walk of an error (the scan pass has
/// already accepted its syntax and size).
fn raw_value(text: &str, is_json: bool) -> Result<serde_json::Value> {
    let parsed = if is_json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    };
    parsed.map_err(|message| syntax_error(if is_json { "JSON" } else { "YAML" }, &message))
}

/// Whether pointer `inner` names `outer` or a place inside it.
fn is_below(inner: &str, outer: &str) -> bool {
    inner == outer || outer == "#" || inner.starts_with(&format!("{outer}/"))
}

/// The typed model loses the path inside flattened members; a structural walk of the raw
/// document usually finds the deeper place, which is reported instead when it lies below.
fn refine(text: &str, is_json: bool, error: Error) -> Error {
    match raw_value(text, is_json) {
        Ok(raw) => refine_value(&raw, error),
        Err(_) => error,
    }
}

/// [`refine`] on the parsed document.
fn refine_value(raw: &serde_json::Value, error: Error) -> Error {
    match crate::shape::find_problem(raw) {
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

/// The OpenAPI versions read: 3.0 directly, 3.1 and 3.2 through the normalising pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    V30,
    V31,
    V32,
}

/// Whether `text` looks like a version number (`3`, `3.1`, `2.0.1`, `3.1.0-rc1`).
fn is_version(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or(text);
    !core.is_empty()
        && core.split('.').count() <= 3
        && core
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

fn check_version(
    openapi: &Option<Result<String, String>>,
    swagger: &Option<Result<String, String>>,
) -> Result<Dialect> {
    let here = Pointer::root().join("openapi");
    let version = match (openapi, swagger) {
        (Some(Ok(v)), _) => v.as_str(),
        (Some(Err(other)), _) => {
            return Err(Error::new(
                &here,
                format!("`openapi` must be a version string such as \"3.0.3\", found {other}"),
            ));
        }
        (None, Some(swagger)) => {
            let at = Pointer::root().join("swagger");
            return Err(match swagger {
                Ok(v) if is_version(v) => Error::new(
                    &at,
                    "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3.0",
                ),
                Ok(v) => Error::new(
                    &at,
                    format!(
                        "`swagger` holds {v:?}, which is not a version number (Swagger documents say \"2.0\")"
                    ),
                ),
                Err(other) => Error::new(
                    &at,
                    format!("`swagger` must be a version string such as \"2.0\", found {other}"),
                ),
            });
        }
        (None, None) => {
            return Err(Error::new(
                &Pointer::root(),
                "missing `openapi` version field; this is not an OpenAPI 3.0 document",
            ));
        }
    };
    if !is_version(version) {
        return Err(Error::new(
            &here,
            format!("`openapi` holds {version:?}, which is not a version number such as \"3.0.3\""),
        ));
    }
    let mut parts = version.split(['.', '-', '+']);
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Ok(Dialect::V30),
        (Some("3"), Some("1")) => Ok(Dialect::V31),
        (Some("3"), Some("2")) => Ok(Dialect::V32),
        _ => Err(Error::new(
            &here,
            format!(
                "unsupported OpenAPI version {version:?}; this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x"
            ),
        )),
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
        super::load(text, false).map(|loaded| loaded.doc)
    }

    #[test]
    fn reads_31_and_32_and_refuses_other_versions_clearly() {
        for version in ["3.1.0", "3.1.1", "3.2.0"] {
            let doc = format!("openapi: {version}\ninfo: {{title: t, version: v}}\n");
            assert!(load(&doc).is_ok(), "{version}");
        }
        let err = load("openapi: 4.0.0\ninfo: {title: t, version: v}\npaths: {}\n")
            .expect_err("4.0 is refused");
        assert_eq!(err.pointer, "#/openapi");
        assert!(err.message.contains("unsupported OpenAPI version"), "{err}");
    }

    #[test]
    fn a_version_field_without_a_version_is_named_as_such() {
        let err = load("openapi: latest\ninfo: {title: t, version: v}\npaths: {}\n")
            .expect_err("not a version");
        assert_eq!(err.pointer, "#/openapi");
        assert!(err.message.contains("not a version number"), "{err}");
        let err =
            load("swagger: yes please\ninfo: {title: t, version: v}\n").expect_err("not a version");
        assert_eq!(err.pointer, "#/swagger");
        assert!(err.message.contains("not a version number"), "{err}");
        assert!(!err.message.contains("not supported"), "{err}");
        let err = load("swagger: '2.0'\ninfo: {title: t, version: v}\n").expect_err("2.0");
        assert!(
            err.message
                .contains("Swagger 2.0 documents are not supported"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_parameter_location_names_the_parameter_and_its_line() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: querry\n      responses: {'200': {description: ok}}\n";
        let err = load(doc).expect_err("querry");
        assert_eq!(err.pointer, "#/paths/~1a/get/parameters/0/in", "{err}");
        assert!(err.message.contains("\"querry\""), "{err}");
        assert!(err.message.ends_with("(line 7)"), "{err}");
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

    /// Every fixture (and `spec/gks.yaml`) read from the scan's value gives the model the text
    /// gives.
    #[test]
    fn the_model_from_the_value_is_the_model_from_the_text() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.push(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gks.yaml").into());
        let mut compared = 0;
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable");
            let Ok(outline) = scan::scan(&text, false) else {
                continue;
            };
            if let (Ok(from_value), Ok(from_text)) = (
                OpenAPI::deserialize(&outline.root),
                typed_from_text(&text, false),
            ) {
                assert!(from_value == from_text, "{}", path.display());
                compared += 1;
            }
        }
        assert!(compared >= 10, "{compared}");
    }

    /// A JSON document of `paths` operations (1,500 make it large, see [`LARGE_DOCUMENT`]);
    /// `extra` goes into the first operation.
    fn large_json(paths: usize, extra: &str) -> String {
        let operations: Vec<String> = (0..paths)
            .map(|i| {
                let extra = if i == 0 { extra } else { "" };
                format!(
                    r##""/items{i}": {{"get": {{"operationId": "get{i}", {extra}"responses": {{"200": {{"description": "an item of kind {i}, described at some length", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item"}}}}}}}}}}}}}}"##
                )
            })
            .collect();
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}, "components": {{"schemas": {{"Item": {{"type": "object"}}}}}}}}"#,
            operations.join(", ")
        )
    }

    #[test]
    fn a_large_document_reads_as_a_small_one_does() {
        let text = large_json(1_500, "");
        assert!(text.len() >= LARGE_DOCUMENT, "{}", text.len());
        for repair in [false, true] {
            let loaded = super::load(&text, repair).expect("loads");
            assert_eq!(loaded.doc.paths.paths.len(), 1_500);
            assert!(loaded.warnings.is_empty());
            assert!(typed_from_text(&text, true).ok() == Some(loaded.doc));
        }
        // A repeated key is still refused (by the first pass), a broken reference repaired
        // with its warning (and the repaired value read in halves too).
        let repeated = large_json(1_500, r#""summary": "a", "summary": "b", "#);
        let err = load(&repeated).expect_err("repeated key");
        assert!(err.message.contains("duplicate key"), "{err}");
        let broken = large_json(1_500, "").replacen(
            "#/components/schemas/Item",
            "#/components/schemas/Gone",
            1,
        );
        let loaded = super::load(&broken, true).expect("repaired");
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert!(
            loaded.warnings[0]
                .pointer
                .starts_with("#/paths/~1items0/get/responses/200")
        );
        assert!(load(&broken).is_ok_and(|doc| doc.paths.paths.len() == 1_500));
        // A component the model cannot read is named as in a small document.
        for paths in [2, 1_500] {
            let bad = large_json(paths, "").replace(
                r#""Item": {"type": "object"}"#,
                r#""Item": {"type": "object", "required": 5}"#,
            );
            let err = load(&bad).expect_err("required must be a list");
            assert!(
                err.pointer.starts_with("#/components/schemas/Item"),
                "{paths}: {err}"
            );
        }
    }

    #[test]
    fn plain_scalars_where_strings_belong_still_read_as_text() {
        let doc = "openapi: 3.0.3\ninfo: {title: 12, version: 1.0}\npaths: {}\n";
        for repair in [false, true] {
            let info = super::load(doc, repair).map(|loaded| loaded.doc.info);
            assert_eq!(
                info.map(|info| (info.title, info.version)).ok(),
                Some(("12".to_string(), "1.0".to_string()))
            );
        }
    }

    #[test]
    fn shape_errors_name_the_place() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load(doc).expect_err("responses must be a map");
        assert_eq!(err.pointer, "#/paths/~1a/get/responses", "{err}");
    }
}
