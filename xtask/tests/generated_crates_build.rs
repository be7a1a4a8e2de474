//! Generated crates really build: every fixture, the gks spec and every real-world document in
//! `../shared/peer-specs` (Swashbuckle, NSwag, Microsoft.AspNetCore.OpenApi, petstore, Dropshot)
//! are generated with
//! `xtask::generate_crate` into one scratch workspace under `target/generated-crates/`, which
//! must pass `cargo clippy -D warnings` and `cargo doc` with `-D warnings`.
//!
//! Also: `regen --check` notices a spec change and a left-over file.
//!
//! The scratch workspace keeps its own target directory
//! (`target/generated-crates/target`), so dependencies build once and stay cached between runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One scratch workspace at a time (tests in this binary run in parallel threads).
static WORKSPACE_LOCK: Mutex<()> = Mutex::new(());

fn generated_crates_dir() -> PathBuf {
    xtask::workspace_root().join("target/generated-crates")
}

/// Every document in `../shared/peer-specs` (next to the workspace), as `(member name, path)`.
fn peer_specs() -> Vec<(String, PathBuf)> {
    let dir = xtask::workspace_root().join("../shared/peer-specs");
    let specs = specs_in(&dir, "peer", &["yaml", "json"]);
    assert_eq!(
        specs.len(),
        9,
        "expected the nine peer documents in {}",
        dir.display()
    );
    specs
}

/// The documents in `dir` with one of `extensions`, named `<prefix>-<file stem>`, sorted.
fn specs_in(dir: &Path, prefix: &str, extensions: &[&str]) -> Vec<(String, PathBuf)> {
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
        })
        .map(|path| {
            let stem = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (format!("{prefix}-{stem}"), path)
        })
        .collect();
    specs.sort();
    specs
}

/// The fixtures, the gks spec and the peer documents: one workspace, built once.
fn all_specs() -> Vec<(String, PathBuf)> {
    let mut specs = fixture_specs();
    specs.extend(peer_specs());
    specs
}

/// Every `codegen/tests/fixtures/*.yaml` and the gks spec, as `(member name, spec path)`.
fn fixture_specs() -> Vec<(String, PathBuf)> {
    let root = xtask::workspace_root();
    let dir = root.join("codegen/tests/fixtures");
    let mut specs = specs_in(&dir, "fixture", &["yaml"]);
    assert!(
        specs.len() >= 5,
        "the codegen fixtures are missing from {}",
        dir.display()
    );
    specs.push(("gks".to_string(), root.join(xtask::GKS_SPEC)));
    specs
}

/// A valid crate / directory name from any label (`petstore3.yaml` → `petstore3-yaml`).
fn member_name(label: &str) -> String {
    let mut name: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "spec-");
    }
    name
}

/// Drops the trailing standalone `[workspace]` table (and the comment line just above it).
fn strip_workspace_table(manifest: &str) -> Result<String, String> {
    let lines: Vec<&str> = manifest.lines().collect();
    let Some(at) = lines.iter().rposition(|l| l.trim() == "[workspace]") else {
        return Err("the generated Cargo.toml has no standalone [workspace] table".to_string());
    };
    if lines[at + 1..].iter().any(|l| !l.trim().is_empty()) {
        return Err(
            "the [workspace] table is not the last thing in the generated Cargo.toml".to_string(),
        );
    }
    let mut end = at;
    while end > 0
        && (lines[end - 1].trim().is_empty() || lines[end - 1].trim_start().starts_with('#'))
    {
        if lines[end - 1].trim_start().starts_with("# @generated") {
            break;
        }
        end -= 1;
    }
    let mut out = lines[..end].join("\n");
    out.push('\n');
    Ok(out)
}

fn run_cargo(dir: &Path, args: &[&str], rustdocflags: Option<&str>) -> Result<String, String> {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTDOCFLAGS");
    if let Some(flags) = rustdocflags {
        command.env("RUSTDOCFLAGS", flags);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    let report = format!(
        "$ cargo {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(report)
    } else {
        Err(format!(
            "cargo {} failed ({})\n{report}",
            args.join(" "),
            output.status
        ))
    }
}

/// A crate of run-time checks on a generated fixture crate (sources in `fixture_behaviour/`).
struct BehaviourCrate {
    name: &'static str,
    /// Generated crates it tests; it joins the workspace when all of them are there.
    fixtures: &'static [&'static str],
    /// Extra `[dependencies]` lines.
    dependencies: &'static str,
    source: &'static str,
}

const BEHAVIOUR_CRATES: &[BehaviourCrate] = &[
    BehaviourCrate {
        name: "behaviour-composition",
        fixtures: &["fixture-composition"],
        dependencies: "serde_json = \"1\"\n",
        source: include_str!("fixture_behaviour/composition.rs"),
    },
    BehaviourCrate {
        name: "behaviour-operations",
        fixtures: &["fixture-operations"],
        dependencies: "serde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n",
        source: include_str!("fixture_behaviour/operations.rs"),
    },
    BehaviourCrate {
        name: "behaviour-presence",
        fixtures: &["fixture-presence"],
        dependencies: "serde_json = \"1\"\n",
        source: include_str!("fixture_behaviour/presence.rs"),
    },
    BehaviourCrate {
        name: "behaviour-scalars",
        fixtures: &["fixture-scalars"],
        dependencies: "serde_json = \"1\"\n",
        source: include_str!("fixture_behaviour/scalars.rs"),
    },
];

/// Generates each `(name, spec)` into `target/generated-crates/<name>/` and writes the
/// workspace around them (plus each behaviour crate whose fixtures are among them).
/// Returns the workspace directory and the generator's reports. Call with the lock held.
fn prepare_workspace(specs: &[(String, PathBuf)]) -> Result<(PathBuf, String), String> {
    let dir = generated_crates_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let mut members = Vec::new();
    let mut reports = String::new();
    for (label, spec) in specs {
        let name = member_name(label);
        if members.contains(&name) || BEHAVIOUR_CRATES.iter().any(|b| b.name == name) {
            return Err(format!("two specs map to the member name {name:?}"));
        }
        let out = dir.join(&name);
        let report = xtask::generate_crate(spec, &out, &name)
            .map_err(|e| format!("{label}: generate_crate({}) failed: {e}", spec.display()))?;
        let _ = writeln!(reports, "{report}");
        let manifest_path = out.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let stripped = strip_workspace_table(&manifest).map_err(|e| format!("{label}: {e}"))?;
        std::fs::write(&manifest_path, stripped)
            .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
        members.push(name);
    }
    for behaviour in BEHAVIOUR_CRATES {
        if behaviour
            .fixtures
            .iter()
            .all(|d| members.iter().any(|m| m == d))
        {
            write_behaviour_crate(&dir, behaviour)?;
            members.push(behaviour.name.to_string());
        }
    }

    let member_list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let workspace = format!(
        "# Scratch workspace of generated crates, written by xtask/tests/generated_crates_build.rs.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        member_list.join("\n")
    );
    std::fs::write(dir.join("Cargo.toml"), workspace)
        .map_err(|e| format!("cannot write the workspace Cargo.toml: {e}"))?;
    let lock = xtask::workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    Ok((dir, reports))
}

/// Writes a behaviour crate: its source file becomes the library, compiled only for tests.
fn write_behaviour_crate(dir: &Path, behaviour: &BehaviourCrate) -> Result<(), String> {
    let crate_dir = dir.join(behaviour.name);
    std::fs::create_dir_all(crate_dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", crate_dir.display()))?;
    let fixtures: Vec<String> = behaviour
        .fixtures
        .iter()
        .map(|d| format!("{d} = {{ path = \"../{d}\" }}"))
        .collect();
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}\n{}",
        behaviour.name,
        fixtures.join("\n"),
        behaviour.dependencies
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the {} manifest: {e}", behaviour.name))?;
    let source = format!(
        "//! Copied from xtask/tests/fixture_behaviour/; edit it there.\n#![cfg(test)]\n{}",
        behaviour.source
    );
    std::fs::write(crate_dir.join("src/lib.rs"), source)
        .map_err(|e| format!("cannot write the {} sources: {e}", behaviour.name))
}

/// Runs one behaviour crate's tests in the scratch workspace.
fn run_behaviour_tests(name: &str) {
    let _guard = WORKSPACE_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (dir, reports) = prepare_workspace(&all_specs()).unwrap_or_else(|e| panic!("{e}"));
    if let Err(message) = run_cargo(&dir, &["test", "-p", name, "--quiet"], None) {
        panic!("{message}\n--- generator reports ---\n{reports}");
    }
}

/// Generates each `(name, spec)` into `target/generated-crates/<name>/`, puts them in one
/// workspace there and runs clippy (`-D warnings`) and rustdoc (`-D warnings`) on it.
///
/// Later tests can pass other documents (for example `../shared/peer-specs/*`); the member
/// list is rewritten on every call, the cached dependencies stay.
fn check_generated_workspace(specs: &[(String, PathBuf)]) -> Result<(), String> {
    let _guard = WORKSPACE_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (dir, reports) = prepare_workspace(specs)?;
    // Both steps run even when the first fails, so one report shows every problem.
    let clippy = run_cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
    let doc = run_cargo(
        &dir,
        &["doc", "--workspace", "--no-deps", "--keep-going", "--quiet"],
        Some("-D warnings"),
    );
    let failures: Vec<String> = [clippy, doc].into_iter().filter_map(Result::err).collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- generator reports ---\n{reports}",
            failures.join("\n")
        ))
    }
}

#[test]
fn fixtures_gks_and_peer_specs_generate_crates_that_pass_clippy_and_rustdoc() {
    if let Err(message) = check_generated_workspace(&all_specs()) {
        panic!("{message}");
    }
}

/// Presence rules (required / nullable / readOnly / writeOnly / deprecated) at run time: see
/// `fixture_behaviour/presence.rs`.
#[test]
fn generated_presence_rules_behave_as_the_mapping_table_says() {
    run_behaviour_tests("behaviour-presence");
}

/// Scalars, enums, maps and constraints at run time: see `fixture_behaviour/scalars.rs`.
#[test]
fn generated_scalars_behave_as_the_mapping_table_says() {
    run_behaviour_tests("behaviour-scalars");
}

/// allOf, recursion, inline names and unions at run time: see `fixture_behaviour/composition.rs`.
#[test]
fn generated_compositions_behave_as_the_mapping_table_says() {
    run_behaviour_tests("behaviour-composition");
}

/// The generated operations send and decode what the fixture documents, against a loopback
/// mock server: see `fixture_behaviour/operations.rs`.
#[test]
fn generated_operations_behave_as_documented() {
    run_behaviour_tests("behaviour-operations");
}

#[test]
fn member_names_are_valid_crate_names() {
    assert_eq!(member_name("fixture-presence"), "fixture-presence");
    assert_eq!(member_name("petstore3.yaml"), "petstore3-yaml");
    assert_eq!(member_name("3rd party"), "spec-3rd-party");
    assert_eq!(member_name("Swashbuckle_TodoApp"), "swashbuckle-todoapp");
}

#[test]
fn the_standalone_workspace_table_is_stripped() {
    let manifest = "# @generated by x\n[package]\nname = \"a\"\n\n[dependencies]\nserde = \"1\"\n\n# Standalone: not part of any enclosing workspace.\n[workspace]\n";
    let stripped = strip_workspace_table(manifest).expect("has a [workspace] table");
    assert_eq!(
        stripped,
        "# @generated by x\n[package]\nname = \"a\"\n\n[dependencies]\nserde = \"1\"\n"
    );
    assert!(strip_workspace_table("[package]\nname = \"a\"\n").is_err());
    assert!(strip_workspace_table("[workspace]\n[package]\nname = \"a\"\n").is_err());
}

// ---------------------------------------------------------------------------------------------
// `cargo xtask regen --check`
// ---------------------------------------------------------------------------------------------

/// A scratch copy of the parts of the workspace that `regen` reads, removed on drop.
struct ScratchWorkspace {
    root: PathBuf,
}

impl ScratchWorkspace {
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

impl Drop for ScratchWorkspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn regen_check_passes_on_fresh_output_and_fails_after_a_spec_change() {
    let ws = ScratchWorkspace::new("regen-check");
    let report = xtask::regen(&ws.root, false).expect("regen writes the generated modules");
    assert!(report.contains("file(s) changed"), "{report}");
    assert!(ws.generated("types.rs").is_file(), "types.rs written");
    assert!(
        ws.generated("runtime/mod.rs").is_file(),
        "the runtime is written"
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
    let ws = ScratchWorkspace::new("regen-leftover");
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
    let ws = ScratchWorkspace::new("regen-handwritten");
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
    let ws = ScratchWorkspace::new("regen-deps");
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
