//! Snapshot tests of the generator's output: every generated file (except the verbatim runtime
//! copies and the API surface file, which `surface.rs` covers) and the warnings, for each fixture
//! under `tests/fixtures/`. `spec/gks.yaml` has no snapshots: its output is the committed
//! `gks-api/src/generated/` (and `gks-api/API.md`), guarded by the drift test `xtask/tests/drift.rs`.
//!
//! Snapshots are named `<fixture>__<file path with / replaced by _>` and `<fixture>__warnings`.
//! Update them with `INSTA_UPDATE=always cargo test -p codegen --test snapshots` (or
//! `cargo insta test -p codegen --test snapshots --review`), then read the diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::{FileKind, Generated, GeneratedFile, Runtime, Settings, Strictness};

/// Every fixture under `tests/fixtures/`, without the `.yaml` extension.
const FIXTURES: &[&str] = &[
    "broken_refs",
    "composition",
    "constraints",
    "empty",
    "hostile",
    "inheritance",
    "long_names",
    "minimal",
    "names",
    "no_operations",
    "openapi31",
    "openapi32",
    "operations",
    "parameters",
    "peer_lessons",
    "presence",
    "raw_bodies",
    "scalars",
];

/// Where the runtime copies live in a generated crate; they are not snapshotted.
const RUNTIME_PREFIX: &str = "src/generated/runtime/";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_path(name: &str) -> PathBuf {
    manifest_dir()
        .join("tests/fixtures")
        .join(format!("{name}.yaml"))
}

fn gks_spec_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gks.yaml"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn fixture_settings(name: &str) -> Settings {
    Settings {
        crate_name: format!("fixture-{name}"),
        spec_path: format!("codegen/tests/fixtures/{name}.yaml"),
        command: "cargo xtask generate".to_string(),
        runtime: Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

/// The settings `cargo xtask regen` uses.
fn gks_settings() -> Settings {
    Settings {
        crate_name: "gks-api".to_string(),
        spec_path: "spec/gks.yaml".to_string(),
        command: "cargo xtask regen".to_string(),
        runtime: Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

/// Generates as `cargo xtask generate` does (lenient; only `broken_refs` differs from strict).
fn generate(name: &str, text: &str, settings: &Settings) -> Generated {
    codegen::generate_with(text, settings, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{name}: generate failed: {e}"))
}

/// Whether a generated file has a snapshot here.
fn is_snapshotted(file: &GeneratedFile) -> bool {
    !file.path.starts_with(RUNTIME_PREFIX) && file.kind != FileKind::Surface
}

fn snapshot_name(fixture: &str, path: &str) -> String {
    format!("{fixture}__{}", path.replace('/', "_"))
}

/// The snapshot names a generated crate produces.
fn expected_snapshots(fixture: &str, generated: &Generated) -> Vec<String> {
    let mut names: Vec<String> = generated
        .files
        .iter()
        .filter(|f| is_snapshotted(f))
        .map(|f| snapshot_name(fixture, &f.path))
        .collect();
    names.push(format!("{fixture}__warnings"));
    names
}

fn insta_settings(spec: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let workspace = manifest_dir().parent().unwrap_or(manifest_dir());
    let shown = spec
        .strip_prefix(workspace)
        .unwrap_or(spec)
        .display()
        .to_string();
    settings.set_description(format!(
        "generated from {}",
        shown.replace("codegen/../", "")
    ));
    settings
}

/// Snapshots every non-runtime file and the warnings (one line each) of one document.
fn snapshot_document(fixture: &str, spec: &Path, settings: &Settings) {
    let generated = generate(fixture, &read(spec), settings);
    check_invariants(fixture, &generated);
    insta_settings(spec).bind(|| {
        for file in generated.files.iter().filter(|f| is_snapshotted(f)) {
            insta::assert_snapshot!(snapshot_name(fixture, &file.path), file.contents.as_str());
        }
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("{fixture}__warnings"), warnings.join("\n"));
    });
}

/// Properties every generated crate has, checked before the snapshots.
fn check_invariants(fixture: &str, generated: &Generated) {
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "{fixture}: files must be sorted by path");
    for expected in [
        "API.md",
        "Cargo.toml",
        "src/generated/mod.rs",
        "src/generated/operations.rs",
        "src/generated/types.rs",
        "src/lib.rs",
    ] {
        assert!(
            paths.contains(&expected),
            "{fixture}: {expected} missing from {paths:?}"
        );
    }
    for file in &generated.files {
        let marker = if file.path.ends_with(".toml") {
            "# @generated"
        } else if file.path.ends_with(".md") {
            "<!-- @generated"
        } else {
            "// @generated"
        };
        assert!(
            file.contents.starts_with(marker),
            "{fixture}: {} must start with the {marker} header",
            file.path
        );
        let expected_kind = if file.path.starts_with(codegen::GENERATED_DIR) {
            FileKind::Module
        } else if file.path == codegen::surface::SURFACE_FILE {
            FileKind::Surface
        } else {
            FileKind::Scaffold
        };
        assert_eq!(file.kind, expected_kind, "{fixture}: kind of {}", file.path);
    }
    // Every operation of the document is a method or named in a warning.
    let skipped = generated
        .warnings
        .iter()
        .filter(|w| {
            w.message.starts_with("operation skipped")
                || w.message.starts_with("operation left out")
        })
        .count();
    assert_eq!(
        generated.operation_count + skipped,
        generated.operations_in_document,
        "{fixture}: {} of {} operations generated, {skipped} named as skipped: {:?}",
        generated.operation_count,
        generated.operations_in_document,
        generated.warnings
    );
    let cargo = generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml");
    for dependency in &generated.dependencies {
        assert!(
            cargo
                .contents
                .lines()
                .any(|l| l.starts_with(&format!("{dependency} ="))),
            "{fixture}: dependency {dependency} is not declared in Cargo.toml:\n{}",
            cargo.contents
        );
    }
}

#[test]
fn broken_refs() {
    let text = read(&fixture_path("broken_refs"));
    let strict = codegen::generate(&text, &fixture_settings("broken_refs"))
        .expect_err("strict generation refuses a dangling $ref");
    assert_eq!(
        strict.pointer,
        "#/components/schemas/Order/properties/customer"
    );
    assert!(strict.message.contains("dangling $ref"), "{strict}");
    snapshot_document(
        "broken_refs",
        &fixture_path("broken_refs"),
        &fixture_settings("broken_refs"),
    );
}

#[test]
fn composition() {
    snapshot_document(
        "composition",
        &fixture_path("composition"),
        &fixture_settings("composition"),
    );
}

#[test]
fn constraints() {
    snapshot_document(
        "constraints",
        &fixture_path("constraints"),
        &fixture_settings("constraints"),
    );
}

#[test]
fn inheritance() {
    snapshot_document(
        "inheritance",
        &fixture_path("inheritance"),
        &fixture_settings("inheritance"),
    );
}

#[test]
fn empty() {
    snapshot_document("empty", &fixture_path("empty"), &fixture_settings("empty"));
}

#[test]
fn hostile() {
    snapshot_document(
        "hostile",
        &fixture_path("hostile"),
        &fixture_settings("hostile"),
    );
}

#[test]
fn minimal() {
    snapshot_document(
        "minimal",
        &fixture_path("minimal"),
        &fixture_settings("minimal"),
    );
}

#[test]
fn names() {
    snapshot_document("names", &fixture_path("names"), &fixture_settings("names"));
}

#[test]
fn no_operations() {
    snapshot_document(
        "no_operations",
        &fixture_path("no_operations"),
        &fixture_settings("no_operations"),
    );
}

#[test]
fn openapi31() {
    snapshot_document(
        "openapi31",
        &fixture_path("openapi31"),
        &fixture_settings("openapi31"),
    );
}

#[test]
fn openapi32() {
    snapshot_document(
        "openapi32",
        &fixture_path("openapi32"),
        &fixture_settings("openapi32"),
    );
}

#[test]
fn parameters() {
    let generated = generate(
        "parameters",
        &read(&fixture_path("parameters")),
        &fixture_settings("parameters"),
    );
    assert_eq!(
        (generated.operation_count, generated.operations_in_document),
        (3, 5),
        "parameters: the cookie operation and the one under a path without `/` are lost"
    );
    snapshot_document(
        "parameters",
        &fixture_path("parameters"),
        &fixture_settings("parameters"),
    );
}

#[test]
fn long_names() {
    snapshot_document(
        "long_names",
        &fixture_path("long_names"),
        &fixture_settings("long_names"),
    );
}

#[test]
fn operations() {
    snapshot_document(
        "operations",
        &fixture_path("operations"),
        &fixture_settings("operations"),
    );
}

#[test]
fn peer_lessons() {
    snapshot_document(
        "peer_lessons",
        &fixture_path("peer_lessons"),
        &fixture_settings("peer_lessons"),
    );
}

#[test]
fn presence() {
    snapshot_document(
        "presence",
        &fixture_path("presence"),
        &fixture_settings("presence"),
    );
}

#[test]
fn raw_bodies() {
    snapshot_document(
        "raw_bodies",
        &fixture_path("raw_bodies"),
        &fixture_settings("raw_bodies"),
    );
}

#[test]
fn scalars() {
    snapshot_document(
        "scalars",
        &fixture_path("scalars"),
        &fixture_settings("scalars"),
    );
}

/// Every fixture file is snapshotted, and no snapshot is left over from a file that is no
/// longer generated (insta itself only notices missing snapshots, not stale ones).
#[test]
fn snapshot_directory_matches_the_generated_files() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(manifest_dir().join("tests/fixtures"))
        .expect("fixtures directory")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "FIXTURES must list every tests/fixtures/*.yaml"
    );

    let mut expected = BTreeSet::new();
    for fixture in FIXTURES {
        let generated = generate(
            fixture,
            &read(&fixture_path(fixture)),
            &fixture_settings(fixture),
        );
        expected.extend(expected_snapshots(fixture, &generated));
    }
    let snapshot_dir = manifest_dir().join("tests/snapshots");
    let Ok(entries) = std::fs::read_dir(&snapshot_dir) else {
        panic!(
            "no {}: run INSTA_UPDATE=always cargo test -p codegen --test snapshots",
            snapshot_dir.display()
        );
    };
    let present: BTreeSet<String> = entries
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|n| n.strip_suffix(".snap").map(str::to_string))
        .collect();
    let stale: Vec<&String> = present.difference(&expected).collect();
    let missing: Vec<&String> = expected.difference(&present).collect();
    assert!(
        stale.is_empty() && missing.is_empty(),
        "snapshots out of step with the generated files\n  stale (delete them): {stale:?}\n  missing: {missing:?}"
    );
}

/// Warnings are printed one per line (`cargo xtask` and the snapshots rely on it) and each
/// names a place in the document.
#[test]
fn warnings_are_one_line_each_with_a_pointer() {
    let mut documents: Vec<(String, PathBuf, Settings)> = FIXTURES
        .iter()
        .map(|f| (f.to_string(), fixture_path(f), fixture_settings(f)))
        .collect();
    documents.push(("gks".to_string(), gks_spec_path(), gks_settings()));
    let mut bad = Vec::new();
    for (name, path, settings) in documents {
        let generated = generate(&name, &read(&path), &settings);
        for warning in &generated.warnings {
            if warning.message.contains('\n') || !warning.pointer.starts_with("#/") {
                bad.push(format!("{name}: {warning:?}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "warnings must be one line with a #/ pointer:\n{}",
        bad.join("\n")
    );
}

/// With [`Runtime::Vendored`] every `codegen/runtime/src/*.rs` file appears under
/// `src/generated/runtime/` (`lib.rs` as `mod.rs`), with the `@generated` header line in front
/// and the unit tests left out; with [`Runtime::Crate`] none does, and `Cargo.toml` names the
/// runtime crate instead.
#[test]
fn runtime_is_vendored_verbatim_or_a_dependency() {
    let spec = read(&gks_spec_path());
    let as_dependency = generate("gks", &spec, &gks_settings());
    assert!(
        as_dependency
            .files
            .iter()
            .all(|f| !f.path.starts_with(RUNTIME_PREFIX)),
        "a crate that depends on the runtime carries no copy"
    );
    assert!(
        as_dependency
            .dependencies
            .contains(&codegen::RUNTIME_CRATE.to_string())
    );

    let vendored = generate(
        "gks",
        &spec,
        &Settings {
            runtime: Runtime::Vendored,
            ..gks_settings()
        },
    );
    assert!(
        !vendored
            .dependencies
            .contains(&codegen::RUNTIME_CRATE.to_string())
    );
    let runtime_dir = manifest_dir().join("runtime/src");
    let sources: BTreeSet<String> = std::fs::read_dir(&runtime_dir)
        .expect("codegen/runtime/src")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .replace("lib.rs", "mod.rs")
        })
        .filter(|n| n.ends_with(".rs"))
        .collect();
    let shipped: BTreeSet<String> = vendored
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix(RUNTIME_PREFIX).map(str::to_string))
        .collect();
    assert_eq!(
        shipped, sources,
        "every codegen/runtime/src/*.rs must be listed in RUNTIME_SOURCES (and nothing else shipped)"
    );
    for file in vendored
        .files
        .iter()
        .filter(|f| f.path.starts_with(RUNTIME_PREFIX))
    {
        let name = file.path[RUNTIME_PREFIX.len()..].replace("mod.rs", "lib.rs");
        let source = read(&runtime_dir.join(&name));
        let (header, body) = file.contents.split_once('\n').expect("header line");
        assert!(
            header.starts_with("// @generated")
                && header.contains(&format!("`codegen/runtime/src/{name}`")),
            "{}: header {header:?} names its source file",
            file.path
        );
        let without_tests = match source.find("\n#[cfg(test)]\nmod tests {") {
            Some(at) => &source[..=at],
            None => source.as_str(),
        };
        assert_eq!(
            body, without_tests,
            "{} is not a verbatim copy of codegen/runtime/src/{name} up to its unit tests",
            file.path
        );
        assert!(
            !body.contains("#[cfg(test)]"),
            "{}: unit tests shipped",
            file.path
        );
    }
}
