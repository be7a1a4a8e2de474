//! The API surface file (`API.md`) and the change summary built from two of them.
//!
//! `fixtures/surface/before.yaml` → `after.yaml` adds, removes and changes operations,
//! parameters, error variants, fields, enum values, union variants and aliases; the summary's
//! lines and their classification are asserted one by one. The fixtures' surface files are
//! snapshots under `tests/snapshots/surface/`.

use std::path::{Path, PathBuf};

use codegen::surface::{Change, SURFACE_FILE, changes};
use codegen::{FileKind, Settings, Strictness};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The surface file generated from the document at `path`.
fn surface_of(path: &Path) -> String {
    let settings = Settings {
        crate_name: "surface-fixture".to_string(),
        spec_path: "spec.yaml".to_string(),
        command: "cargo xtask generate".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    };
    // As `cargo xtask generate` does (the `broken_refs` fixture needs it).
    let generated = codegen::generate_with(&read(path), &settings, Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{}: generate failed: {e}", path.display()));
    let surfaces: Vec<_> = generated
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Surface)
        .collect();
    assert_eq!(surfaces.len(), 1, "one surface file per crate");
    assert_eq!(surfaces[0].path, SURFACE_FILE);
    surfaces[0].contents.clone()
}

fn fixture(path: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(path)
}

fn lines(changes: &[Change]) -> Vec<String> {
    changes.iter().map(ToString::to_string).collect()
}

/// Every line of the summary, in its order: breaking first, then compatible; within each, the
/// order of the new file, removed items last.
#[test]
fn summary_names_each_change_and_whether_it_breaks() {
    let before = surface_of(&fixture("surface/before.yaml"));
    let after = surface_of(&fixture("surface/after.yaml"));
    let expected = [
        "breaking   fn count_things: returns i64 (was i32)",
        "breaking   fn create_things: success variant Accepted added",
        "breaking   fn get_thing: parameter expand: Option<&str> added",
        "breaking   fn search_things: parameter q: Option<&str> (was q: &str)",
        "breaking   fn update_thing: error variant NotFound removed",
        "breaking   value Color::Blue: wire value \"Blue\" (was \"blue\")",
        "breaking   struct Pair: new() is now new(PairRequired { second, first }) (was new(first))",
        "breaking   field Pair.second: type String (was Option<String>); required (was optional); now a new() argument",
        "breaking   type Tags: target Vec<i64> (was Vec<String>)",
        "breaking   field Thing.label: type String (was Option<String>); required (was optional); now a new() argument",
        "breaking   field Thing.count: type Option<i64> (was Option<i32>)",
        "breaking   field Thing.created: read-only (was optional)",
        "breaking   field Thing.serial: added, a new() argument",
        "breaking   fn delete_thing: removed",
        "breaking   fn post_obsolete: removed",
        "breaking   value Color::Green: removed",
        "breaking   struct Obsolete: removed",
        "breaking   field Thing.color: removed",
        "compatible fn get_legacy: deprecated",
        "compatible fn list_things: added",
        "compatible fn update_thing: route PUT /v2/things/{id} (was PUT /things/{id})",
        "compatible fn update_thing: error variant Conflict added",
        "compatible value Color::Yellow: added",
        "compatible variant Shape::Triangle: added",
        "compatible field Thing.size: optional, deprecated (was optional)",
        "compatible field Thing.weight: added",
        "compatible struct ThingPage: added",
        "compatible struct Triangle: added",
    ];
    let changes = changes(&before, &after);
    assert_eq!(lines(&changes), expected);
    // The classification is the `breaking` field, not only the text.
    let breaking = changes.iter().filter(|c| c.breaking).count();
    assert_eq!(breaking, 18);
    let removed = changes
        .iter()
        .find(|c| c.item == "fn delete_thing")
        .expect("delete_thing is named");
    assert_eq!((removed.what.as_str(), removed.breaking), ("removed", true));
}

/// Going back is the mirror image: what was added is now removed, and breaks.
#[test]
fn reverting_a_change_turns_additions_into_breaking_removals() {
    let before = surface_of(&fixture("surface/before.yaml"));
    let after = surface_of(&fixture("surface/after.yaml"));
    let back = lines(&changes(&after, &before));
    for line in [
        "breaking   fn list_things: removed",
        "breaking   struct ThingPage: removed",
        "breaking   variant Shape::Triangle: removed",
        "breaking   fn get_thing: parameter expand: Option<&str> removed",
        "breaking   fn update_thing: error variant Conflict removed",
        "compatible fn get_legacy: no longer deprecated",
        "compatible field Thing.color: added",
        "compatible fn delete_thing: added",
    ] {
        assert!(
            back.contains(&line.to_string()),
            "missing {line:?} in {back:#?}"
        );
    }
}

/// Items are matched by key, not by position: the same lines in another order are no change.
#[test]
fn reordered_lines_are_no_change() {
    let surface = surface_of(&fixture("surface/after.yaml"));
    assert!(changes(&surface, &surface).is_empty());
    let reordered = reverse_blocks(&surface);
    assert_ne!(reordered, surface, "the test must reorder something");
    assert!(changes(&surface, &reordered).is_empty(), "{reordered}");
}

/// The surface with the item lines of each fenced block in reverse order.
fn reverse_blocks(surface: &str) -> String {
    let mut out = String::new();
    let mut block: Option<Vec<&str>> = None;
    for line in surface.lines() {
        match (&mut block, line) {
            (None, "```text") => block = Some(Vec::new()),
            (Some(items), "```") => {
                items.reverse();
                for item in items.iter() {
                    out.push_str(item);
                    out.push('\n');
                }
                block = None;
            }
            (Some(items), _) => {
                items.push(line);
                continue;
            }
            (None, _) => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Text that is not a surface file, or a damaged one, never makes the comparison panic.
#[test]
fn damaged_surface_files_give_changes_not_panics() {
    let surface = surface_of(&fixture("surface/before.yaml"));
    let damaged = [
        String::new(),
        "```text\n".to_string(),
        "```text\nfn\nfn (\nfield .: \nvalue ::\nstruct X | new(\n```\n".to_string(),
        "```text\nfn x(a: Option<BTreeMap<String, i64>>, b: &[u8]) -> ( | | errors: E::{A(B(C)\n```".to_string(),
        "```text\nvariant \"quoted | text\" | tag \"a | b\\\" | c\"\n```".to_string(),
        surface.replace(" | ", "|"),
        surface.chars().rev().collect(),
    ];
    for text in &damaged {
        let _ = changes(text, &surface);
        let _ = changes(&surface, text);
        assert!(
            changes(text, text).is_empty(),
            "a text equals itself: {text:?}"
        );
    }
    let none = changes("", &surface);
    assert!(
        none.iter().all(|c| !c.breaking && c.what == "added"),
        "from nothing, everything is added: {none:?}"
    );
}

/// The surface file of every fixture under `tests/fixtures/` (the gks one is
/// `gks-api/API.md`, checked by `cargo xtask regen --check`).
#[test]
fn fixture_surfaces() {
    let mut names: Vec<String> = std::fs::read_dir(manifest_dir().join("tests/fixtures"))
        .expect("tests/fixtures")
        .filter_map(|e| {
            let name = e
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 5, "fixtures missing: {names:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/surface");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for name in &names {
            let surface = surface_of(&fixture(&format!("{name}.yaml")));
            assert!(
                surface.starts_with("<!-- @generated by `cargo xtask generate` from `spec.yaml`."),
                "{name}: header"
            );
            insta::assert_snapshot!(name.as_str(), surface);
        }
    });
}
