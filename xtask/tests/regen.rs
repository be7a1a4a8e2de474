//! `cargo xtask regen` and `--check` on a scratch copy of the repository: fresh output is up to
//! date, a spec change is drift shown as a diff, left-over and missing files are named,
//! hand-written files are never touched, and missing dependencies are refused.

use std::path::PathBuf;

/// A scratch copy of the parts of the workspace that `regen` reads, removed on drop.
struct RepoCopy {
    root: PathBuf,
}

impl RepoCopy {
    fn new(label: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root = std::env::temp_dir().join(format!(
            "gks-rs-xtask-{label}-{}-{nanos}",
            std::process::id()
        ));
        let source = xtask::workspace_root();
        std::fs::create_dir_all(root.join("spec")).expect("create scratch spec/");
        std::fs::create_dir_all(root.join(xtask::GKS_CRATE)).expect("create scratch gks-api/");
        std::fs::copy(source.join(xtask::GKS_SPEC), root.join(xtask::GKS_SPEC)).expect("copy spec");
        let manifest = format!("{}/Cargo.toml", xtask::GKS_CRATE);
        std::fs::copy(source.join(&manifest), root.join(&manifest))
            .expect("copy gks-api/Cargo.toml");
        Self { root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn generated(&self, file: &str) -> PathBuf {
        self.root
            .join(xtask::GKS_CRATE)
            .join(codegen::GENERATED_DIR)
            .join(file)
    }
}

impl Drop for RepoCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn regen_check_passes_on_fresh_output_and_fails_after_a_spec_change() {
    let ws = RepoCopy::new("regen-check");
    let report = xtask::regen(&ws.root, false).expect("regen writes the generated modules");
    assert!(report.contains("file(s) changed"), "{report}");
    assert!(ws.generated("types.rs").is_file(), "types.rs written");
    // The runtime is a dependency (codegen/runtime), not a copy: a runtime change rewrites
    // nothing under src/generated/.
    assert!(
        !ws.generated("runtime").exists(),
        "no runtime copy is written"
    );

    let report = xtask::regen(&ws.root, true).expect("fresh output is up to date");
    assert!(report.contains("up to date"), "{report}");

    // A second write changes nothing.
    let report = xtask::regen(&ws.root, false).expect("regen again");
    assert!(report.contains("0 file(s) changed"), "{report}");

    // Change a description in the spec: the check fails with a diff and the hint.
    let spec_path = ws.path(xtask::GKS_SPEC);
    let spec = std::fs::read_to_string(&spec_path).expect("read scratch spec");
    let old = "description: A sales order to place (request body of placeSalesOrder).";
    assert!(
        spec.contains(old),
        "the spec still has the description this test edits"
    );
    let new = "description: A sales order to place, edited by the regen --check test.";
    std::fs::write(&spec_path, spec.replace(old, new)).expect("edit spec");
    let types_before = std::fs::read_to_string(ws.generated("types.rs")).expect("types.rs");

    let err = xtask::regen(&ws.root, true).expect_err("a changed spec is drift");
    assert!(
        err.lines().any(|l| l.starts_with("@@ -")),
        "the report has a unified diff hunk header:\n{err}"
    );
    assert!(
        err.contains("--- a/src/generated/types.rs")
            && err.contains("+++ b/src/generated/types.rs"),
        "the diff names the stale file:\n{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with('-') && l.contains("A sales order to place (request body")),
        "the old line is shown as removed:\n{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with('+') && l.contains("edited by the regen --check test")),
        "the new line is shown as added:\n{err}"
    );
    assert!(
        err.contains("cargo xtask regen"),
        "the report says how to fix it:\n{err}"
    );
    assert_eq!(
        std::fs::read_to_string(ws.generated("types.rs")).expect("types.rs"),
        types_before,
        "--check writes nothing"
    );

    // Regenerating fixes the drift.
    let report = xtask::regen(&ws.root, false).expect("regen after the edit");
    assert!(report.contains("src/generated/types.rs"), "{report}");
    xtask::regen(&ws.root, true).expect("up to date again");
}

#[test]
fn regen_check_reports_left_over_and_missing_files() {
    let ws = RepoCopy::new("regen-leftover");
    xtask::regen(&ws.root, false).expect("regen writes the generated modules");

    let stale = ws.generated("old_module.rs");
    std::fs::write(&stale, "// a module the generator no longer writes\n")
        .expect("write stale file");
    let err = xtask::regen(&ws.root, true).expect_err("a left-over file is drift");
    assert!(
        err.contains("left over") && err.contains("src/generated/old_module.rs"),
        "the left-over file is named:\n{err}"
    );
    assert!(err.contains("cargo xtask regen"), "{err}");
    assert!(stale.is_file(), "--check removes nothing");

    std::fs::remove_file(ws.generated("operations.rs")).expect("remove operations.rs");
    let err = xtask::regen(&ws.root, true).expect_err("a missing file is drift");
    assert!(
        err.contains("missing: src/generated/operations.rs"),
        "the missing file is named:\n{err}"
    );

    let report = xtask::regen(&ws.root, false).expect("regen repairs both");
    assert!(report.contains("old_module.rs (removed)"), "{report}");
    assert!(!stale.exists(), "the left-over file is removed");
    assert!(
        ws.generated("operations.rs").is_file(),
        "the missing file is written"
    );
    xtask::regen(&ws.root, true).expect("up to date again");
}

#[test]
fn regen_never_touches_hand_written_files() {
    let ws = RepoCopy::new("regen-handwritten");
    let lib = ws.path(&format!("{}/src/lib.rs", xtask::GKS_CRATE));
    std::fs::create_dir_all(lib.parent().expect("src/")).expect("create src/");
    std::fs::write(&lib, "// hand-written\n").expect("write lib.rs");
    let manifest = ws.path(&format!("{}/Cargo.toml", xtask::GKS_CRATE));
    let manifest_before = std::fs::read_to_string(&manifest).expect("Cargo.toml");

    xtask::regen(&ws.root, false).expect("regen");
    assert_eq!(
        std::fs::read_to_string(&lib).expect("lib.rs"),
        "// hand-written\n"
    );
    assert_eq!(
        std::fs::read_to_string(&manifest).expect("Cargo.toml"),
        manifest_before
    );
    assert!(
        !ws.path(&format!("{}/src/generated/lib.rs", xtask::GKS_CRATE))
            .exists()
    );
}

#[test]
fn regen_reports_dependencies_missing_from_the_manifest() {
    let ws = RepoCopy::new("regen-deps");
    let manifest = ws.path(&format!("{}/Cargo.toml", xtask::GKS_CRATE));
    let text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    let without: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("serde_json"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text, "the manifest declared serde_json");
    std::fs::write(&manifest, without).expect("write Cargo.toml");
    let err = xtask::regen(&ws.root, false).expect_err("a missing dependency is an error");
    assert!(
        err.contains("serde_json"),
        "the missing dependency is named:\n{err}"
    );
    assert!(
        !ws.generated("types.rs").exists(),
        "nothing is written when a dependency is missing"
    );
}
