//! A scratch workspace of generated crates (the fixtures, their behaviour tests and any other
//! documents), built in the repository's own target directory so dependencies compile once.
//!
//! Used by `xtask/tests/generated_crates.rs` and `cargo xtask behaviour` (fixtures only) and
//! `cargo xtask corpus DIR` (fixtures and every document in DIR). Each writes its workspace to
//! `<target dir>/generated-crates/<label>/` and builds it with `CARGO_TARGET_DIR=<target dir>`:
//! `CARGO_TARGET_DIR` is honoured, nothing is written into the source tree, and the
//! dependencies `gks-api` already compiled are reused (artifacts of different features or
//! crates get different hashes, so the two workspaces never overwrite each other's).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One document to generate into the scratch workspace as a member crate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Member {
    /// The crate (and directory) name, a valid crate name.
    pub name: String,
    /// The document it is generated from.
    pub spec: PathBuf,
    /// With a vendored runtime (`generate --vendor-runtime`) instead of the runtime crate.
    pub vendored: bool,
}

/// A crate of run-time checks on generated fixture crates (its sources are in
/// `xtask/tests/fixture_behaviour/`, rustfmt-checked by CI and clippy-checked in the scratch
/// workspace).
struct BehaviourCrate {
    name: &'static str,
    /// Generated crates it tests; it joins the workspace when all of them are there.
    fixtures: &'static [&'static str],
    /// Extra `[dependencies]` lines.
    dependencies: &'static str,
    source: &'static str,
}

const SERDE_JSON: &str = "serde_json = \"1\"\n";
const ASYNC_TEST_DEPENDENCIES: &str = "serde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n";

const BEHAVIOUR_CRATES: &[BehaviourCrate] = &[
    BehaviourCrate {
        name: "behaviour-broken-refs",
        fixtures: &["fixture-broken-refs"],
        dependencies: ASYNC_TEST_DEPENDENCIES,
        source: include_str!("../tests/fixture_behaviour/broken_refs.rs"),
    },
    BehaviourCrate {
        name: "behaviour-composition",
        fixtures: &["fixture-composition"],
        dependencies: SERDE_JSON,
        source: include_str!("../tests/fixture_behaviour/composition.rs"),
    },
    BehaviourCrate {
        name: "behaviour-constraints",
        fixtures: &["fixture-constraints", "fixture-openapi31"],
        dependencies: ASYNC_TEST_DEPENDENCIES,
        source: include_str!("../tests/fixture_behaviour/constraints.rs"),
    },
    BehaviourCrate {
        name: "behaviour-inheritance",
        fixtures: &["fixture-inheritance"],
        dependencies: "serde = \"1\"\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n",
        source: include_str!("../tests/fixture_behaviour/inheritance.rs"),
    },
    BehaviourCrate {
        name: "behaviour-openapi31",
        fixtures: &["fixture-openapi31"],
        dependencies: SERDE_JSON,
        source: include_str!("../tests/fixture_behaviour/openapi31.rs"),
    },
    BehaviourCrate {
        name: "behaviour-operations",
        fixtures: &["fixture-operations"],
        dependencies: ASYNC_TEST_DEPENDENCIES,
        source: include_str!("../tests/fixture_behaviour/operations.rs"),
    },
    BehaviourCrate {
        name: "behaviour-parameters",
        fixtures: &["fixture-parameters"],
        dependencies: ASYNC_TEST_DEPENDENCIES,
        source: include_str!("../tests/fixture_behaviour/parameters.rs"),
    },
    BehaviourCrate {
        name: "behaviour-presence",
        fixtures: &["fixture-presence"],
        dependencies: SERDE_JSON,
        source: include_str!("../tests/fixture_behaviour/presence.rs"),
    },
    BehaviourCrate {
        name: "behaviour-raw-bodies",
        fixtures: &["fixture-raw-bodies"],
        dependencies: ASYNC_TEST_DEPENDENCIES,
        source: include_str!("../tests/fixture_behaviour/raw_bodies.rs"),
    },
    BehaviourCrate {
        name: "behaviour-scalars",
        fixtures: &["fixture-scalars"],
        dependencies: SERDE_JSON,
        source: include_str!("../tests/fixture_behaviour/scalars.rs"),
    },
];

/// The directory all scratch workspaces live in: `<target dir>/generated-crates`.
pub fn scratch_root(target_dir: &Path) -> PathBuf {
    target_dir.join("generated-crates")
}

/// The target directory of the running `xtask` binary (`<target>/<profile>/xtask`), so a
/// `CARGO_TARGET_DIR` or `build.target-dir` setting is honoured.
pub fn target_dir_of_this_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("{} has no target directory", exe.display()))
}

/// The fixture whose crate is also generated with a vendored runtime (`vendored-<fixture>`), to
/// prove that such a crate builds on its own: the one that uses the most of the runtime.
const VENDORED_FIXTURE: &str = "operations";

/// Every `codegen/tests/fixtures/*.yaml` as a member named `fixture-<stem>`, plus
/// `VENDORED_FIXTURE` (`operations`) with a vendored runtime.
pub fn fixture_members(root: &Path) -> Result<Vec<Member>, String> {
    let mut members = documents_in(&root.join("codegen/tests/fixtures"), "fixture")?;
    if members.is_empty() {
        return Err("no fixtures in codegen/tests/fixtures".to_string());
    }
    let vendored = members
        .iter()
        .find(|m| m.name == format!("fixture-{VENDORED_FIXTURE}"))
        .map(|m| Member {
            name: format!("vendored-{VENDORED_FIXTURE}"),
            spec: m.spec.clone(),
            vendored: true,
        })
        .ok_or_else(|| format!("no fixture {VENDORED_FIXTURE}.yaml in codegen/tests/fixtures"))?;
    members.push(vendored);
    Ok(members)
}

/// The OpenAPI documents (`.yaml`, `.yml`, `.json`) in `dir`, named `<prefix>-<file stem>`,
/// sorted by name.
pub fn documents_in(dir: &Path, prefix: &str) -> Result<Vec<Member>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut members = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let is_document = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        let Some(stem) = path.file_stem().filter(|_| is_document) else {
            continue;
        };
        let name = member_name(&format!("{prefix}-{}", stem.to_string_lossy()));
        members.push(Member {
            name,
            spec: path,
            vendored: false,
        });
    }
    members.sort();
    Ok(members)
}

/// A valid crate / directory name from any label (`petstore3.yaml` → `petstore3-yaml`).
pub fn member_name(label: &str) -> String {
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

/// A scratch workspace on disk, ready for [`ScratchWorkspace::cargo`].
pub struct ScratchWorkspace {
    dir: PathBuf,
    target: PathBuf,
    /// The generator's one-line report per member (warnings, operation counts).
    pub reports: String,
}

impl ScratchWorkspace {
    /// Generates every member into `<scratch root>/<label>/<member>/`, adds each behaviour
    /// crate whose fixtures are among them, and writes the workspace manifest and the
    /// workspace's `Cargo.lock` (so the versions are the ones the repository tested).
    pub fn prepare(
        root: &Path,
        target_dir: &Path,
        label: &str,
        members: &[Member],
    ) -> Result<Self, String> {
        let scratch = scratch_root(target_dir);
        let dir = scratch.join(label);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut names = Vec::new();
        let mut reports = String::new();
        for member in members {
            if names.contains(&member.name)
                || BEHAVIOUR_CRATES.iter().any(|b| b.name == member.name)
            {
                return Err(format!(
                    "two documents map to the member name {:?}",
                    member.name
                ));
            }
            let report = generate_member(&dir, member)?;
            let _ = writeln!(reports, "{report}");
            names.push(member.name.clone());
        }
        for behaviour in BEHAVIOUR_CRATES {
            if behaviour
                .fixtures
                .iter()
                .all(|f| names.iter().any(|n| n == f))
            {
                write_behaviour_crate(&dir, behaviour)?;
                names.push(behaviour.name.to_string());
            }
        }
        // With the fixtures (the test suite's workspace), not with a corpus of its own.
        if names.iter().any(|n| n.starts_with("fixture-")) {
            write_integrator_crate(&dir, root)?;
            names.push(INTEGRATOR_CRATE.to_string());
        }
        write_workspace_manifest(&dir, &names)?;
        let lock = root.join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
        Ok(Self {
            dir,
            target: target_dir.to_path_buf(),
            reports,
        })
    }

    /// The workspace directory, `<target dir>/generated-crates/<label>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `cargo <args>` in the workspace; the output is returned on success and is part of
    /// the error otherwise.
    pub fn cargo(&self, args: &[&str], rustdocflags: Option<&str>) -> Result<String, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("RUSTDOCFLAGS")
            .env_remove("RUSTFLAGS");
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

    /// `cargo clippy --all-targets -D warnings` and `cargo doc -D warnings` on every member, with
    /// every feature on (the generated `mock` modules included).
    /// Both run even when the first fails, so one report shows every problem.
    pub fn lint(&self) -> Result<(), String> {
        let clippy = self.cargo(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--keep-going",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
            None,
        );
        let doc = self.cargo(
            &[
                "doc",
                "--workspace",
                "--all-features",
                "--no-deps",
                "--keep-going",
                "--quiet",
            ],
            Some("-D warnings"),
        );
        let failures: Vec<String> = [clippy, doc].into_iter().filter_map(Result::err).collect();
        if failures.is_empty() {
            Ok(())
        } else {
            Err(self.with_reports(&failures.join("\n")))
        }
    }

    /// Runs the behaviour tests (`cargo test --workspace`, optionally with a test-name filter).
    pub fn test(&self, filter: Option<&str>) -> Result<String, String> {
        let mut args = vec!["test", "--workspace", "--all-features", "--quiet"];
        if let Some(filter) = filter {
            args.extend(["--", filter]);
        }
        self.cargo(&args, None).map_err(|e| self.with_reports(&e))
    }

    fn with_reports(&self, message: &str) -> String {
        format!("{message}\n--- generator reports ---\n{}", self.reports)
    }
}

/// Generates one member crate and makes it a member of the enclosing scratch workspace.
fn generate_member(dir: &Path, member: &Member) -> Result<String, String> {
    let out = dir.join(&member.name);
    let mut options = crate::GenerateOptions::lenient();
    if member.vendored {
        options.runtime = codegen::Runtime::Vendored;
    }
    let report =
        crate::generate_crate(&member.spec, &out, &member.name, &options).map_err(|e| {
            format!(
                "{}: generating {} failed: {e}",
                member.name,
                member.spec.display()
            )
        })?;
    let manifest_path = out.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let stripped = strip_workspace_table(&manifest).map_err(|e| format!("{}: {e}", member.name))?;
    std::fs::write(&manifest_path, stripped)
        .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
    Ok(report)
}

fn write_workspace_manifest(dir: &Path, members: &[String]) -> Result<(), String> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "# Scratch workspace of generated crates, written by xtask/src/scratch.rs.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the scratch workspace Cargo.toml: {e}"))?;
    // Members of an earlier run that are not listed now stay on disk but are not built.
    Ok(())
}

/// Drops the trailing standalone `[workspace]` table (and the comment line just above it).
pub fn strip_workspace_table(manifest: &str) -> Result<String, String> {
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

/// An integrator's crate outside the repository's workspace (`xtask/tests/integrator/`): it
/// depends on `gks-api` by path, with the `mock` feature in its tests, and uses only its public
/// API.
const INTEGRATOR_CRATE: &str = "integrator-webshop";

fn write_integrator_crate(dir: &Path, root: &Path) -> Result<(), String> {
    let crate_dir = dir.join(INTEGRATOR_CRATE);
    std::fs::create_dir_all(crate_dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", crate_dir.display()))?;
    // A Rust string literal is a TOML basic string for any path without control characters.
    let gks_api = format!("{:?}", root.join(crate::GKS_CRATE).display().to_string());
    let manifest = format!(
        "[package]\nname = \"{INTEGRATOR_CRATE}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ngks-api = {{ path = {gks_api} }}\n\n[dev-dependencies]\ngks-api = {{ path = {gks_api}, features = [\"mock\"] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n"
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the {INTEGRATOR_CRATE} manifest: {e}"))?;
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        include_str!("../tests/integrator/webshop.rs"),
    )
    .map_err(|e| format!("cannot write the {INTEGRATOR_CRATE} sources: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
