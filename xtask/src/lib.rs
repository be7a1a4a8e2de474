//! Maintainer tasks behind `cargo xtask`: regenerate `gks-api` from `spec/`, any spec to a crate,
//! the fixture crates' behaviour tests, the corpus of documents written by others, benchmarks.

pub mod bench;
pub mod corpus;
pub mod files;
pub mod mutation;
pub mod scratch;
pub mod surface;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use codegen::Strictness;
use codegen::{FileKind, Generated, Runtime, Settings};

pub use files::{Drift, FileSync};
pub use surface::{Baseline, SurfaceSummary};

/// The spec `gks-api` is generated from, relative to the workspace root.
pub const GKS_SPEC: &str = "spec/gks.yaml";
/// The generated client crate, relative to the workspace root.
pub const GKS_CRATE: &str = "gks-api";
/// The command named in every generated file's header.
pub const REGEN_COMMAND: &str = "cargo xtask regen";

/// The runtime crate, relative to the workspace root.
pub const RUNTIME_CRATE_DIR: &str = "codegen/runtime";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A dependency on this checkout's runtime crate, by absolute path: what `cargo xtask generate`
/// gives a crate unless `--vendor-runtime` is passed.
pub fn runtime_of_this_checkout() -> Runtime {
    Runtime::Crate {
        path: workspace_root()
            .join(RUNTIME_CRATE_DIR)
            .display()
            .to_string(),
    }
}

/// Reads a spec and runs the generator on it; `command` is named in the `@generated` headers.
pub fn generate_from(
    spec: &Path,
    shown_path: &str,
    crate_name: &str,
    command: &str,
    options: &GenerateOptions,
) -> Result<Generated, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    codegen::generate_with(
        &text,
        &Settings {
            crate_name: crate_name.to_string(),
            spec_path: shown_path.to_string(),
            command: command.to_string(),
            runtime: options.runtime.clone(),
        },
        options.strictness,
    )
    .map_err(|e| format!("{shown_path}: {e}"))
}

/// What `cargo xtask regen` does besides regenerating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegenOptions {
    /// Compare with the files on disk instead of writing; drift is an error.
    pub check: bool,
    /// A breaking change of the API surface is an error (`--deny-breaking`).
    pub deny_breaking: bool,
    /// The surface the change summary compares with.
    pub baseline: Baseline,
}

/// Environment variable that turns on `--deny-breaking` (for CI): any value but empty or `0`.
pub const DENY_BREAKING_VAR: &str = "XTASK_DENY_BREAKING";

impl RegenOptions {
    /// The options of `regen [--check] [--deny-breaking] [--base REV]`; `deny_env` is the value of
    /// [`DENY_BREAKING_VAR`], if set.
    pub fn from_args(args: &[String], deny_env: Option<&str>) -> Result<Self, String> {
        let mut options = Self {
            deny_breaking: deny_env.is_some_and(|v| !v.is_empty() && v != "0"),
            ..Self::default()
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            match flag.as_str() {
                "--check" => options.check = true,
                "--deny-breaking" => options.deny_breaking = true,
                "--base" => {
                    let revision = rest.next().ok_or("--base needs a git revision")?;
                    options.baseline = Baseline::Revision(revision.clone());
                }
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// `cargo xtask regen [--check]` on the workspace at `root`, without `--deny-breaking`.
pub fn regen(root: &Path, check: bool) -> Result<String, String> {
    regen_with(
        root,
        &RegenOptions {
            check,
            ..RegenOptions::default()
        },
    )
}

/// `cargo xtask regen` on the workspace at `root`.
///
/// Writes (or, with `check`, compares) the generated modules and the API surface file of
/// `gks-api`; hand-written files (`lib.rs`, `Cargo.toml`, tests) are never touched. The report
/// ends with the surface changes against the baseline, breaking ones marked; with
/// `deny_breaking`, a breaking change is an error and nothing is written. Returns the report to
/// print, or the drift / breaking change / error message.
pub fn regen_with(root: &Path, options: &RegenOptions) -> Result<String, String> {
    // The maintainer's own spec: a dangling `$ref` is a typo and fails. The runtime is a
    // dependency (declared in the hand-kept Cargo.toml), so a runtime change rewrites nothing.
    let generate_options = GenerateOptions {
        strictness: Strictness::Strict,
        runtime: Runtime::Crate {
            path: format!("../{RUNTIME_CRATE_DIR}"),
        },
    };
    let generated = generate_from(
        &root.join(GKS_SPEC),
        GKS_SPEC,
        GKS_CRATE,
        REGEN_COMMAND,
        &generate_options,
    )?;
    let crate_dir = root.join(GKS_CRATE);
    check_dependencies(&crate_dir, &generated)?;
    let surface_path = format!("{GKS_CRATE}/{}", codegen::surface::SURFACE_FILE);
    let surface = SurfaceSummary::new(
        surface::read_baseline(root, &surface_path, &options.baseline)?.as_deref(),
        surface_contents(&generated)?,
        &surface_path,
    );
    let files = generated
        .files
        .iter()
        .filter(|f| f.kind.is_regenerated())
        .map(|f| (f.path.as_str(), f.contents.as_str()));
    let sync = FileSync::new(&crate_dir, codegen::GENERATED_DIR);
    let mut report = String::new();
    for warning in &generated.warnings {
        let _ = writeln!(report, "{warning}");
    }
    if options.deny_breaking && surface.is_breaking() {
        return Err(format!(
            "{report}{}\nbreaking API changes are denied (--deny-breaking or XTASK_DENY_BREAKING=1); nothing was written.",
            surface.text
        ));
    }
    if options.check {
        let drift = sync.check(files)?;
        if !drift.is_empty() {
            return Err(format!(
                "{}\n{}\n{GKS_CRATE} is out of date with {GKS_SPEC}: run `{REGEN_COMMAND}` and commit the result.",
                drift.render(),
                surface.text
            ));
        }
        let _ = write!(report, "{GKS_CRATE} is up to date with {GKS_SPEC}");
    } else {
        let changed = sync.write(files)?;
        let _ = write!(
            report,
            "{GKS_CRATE}: {} of {} operations, {} types; {} file(s) changed",
            generated.operation_count,
            generated.operations_in_document,
            generated.type_count,
            changed.len()
        );
        for path in changed {
            let _ = write!(report, "\n  {path}");
        }
    }
    let _ = write!(report, "\n{}", surface.text);
    Ok(report)
}

/// The contents of the generated surface file.
fn surface_contents(generated: &Generated) -> Result<&str, String> {
    generated
        .files
        .iter()
        .find(|f| f.kind == FileKind::Surface)
        .map(|f| f.contents.as_str())
        .ok_or_else(|| "internal: the generator produced no API surface file".to_string())
}

/// How `generate` treats a document and where the crate's runtime comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Strict (`--strict`) or lenient (the default: broken references and inconsistent
    /// operations become warnings).
    pub strictness: Strictness,
    /// A dependency on the runtime crate (the default), or a vendored copy
    /// (`--vendor-runtime`).
    pub runtime: Runtime,
}

impl GenerateOptions {
    /// `generate`'s defaults: lenient, depending on this checkout's runtime crate.
    pub fn lenient() -> Self {
        GenerateOptions {
            strictness: Strictness::Lenient,
            runtime: runtime_of_this_checkout(),
        }
    }
}

/// `cargo xtask generate [--strict] [--vendor-runtime]`: a complete, standalone crate for any
/// spec (see [`GenerateOptions`]).
pub fn generate_crate(
    spec: &Path,
    out: &Path,
    crate_name: &str,
    options: &GenerateOptions,
) -> Result<String, String> {
    codegen::check_crate_name(crate_name).map_err(|problem| format!("--crate-name: {problem}"))?;
    let shown = spec.display().to_string();
    let generated = generate_from(spec, &shown, crate_name, "cargo xtask generate", options)?;
    let files = generated
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()));
    let sync = FileSync::new(out, codegen::GENERATED_DIR);
    let changed = sync.write(files)?;
    let mut report = String::new();
    for warning in &generated.warnings {
        let _ = writeln!(report, "{warning}");
    }
    let _ = write!(
        report,
        "{crate_name}: {} of {} operations, {} types, {} warning(s); {} file(s) written to {}",
        generated.operation_count,
        generated.operations_in_document,
        generated.type_count,
        generated.warnings.len(),
        changed.len(),
        out.display()
    );
    Ok(report)
}

/// The hand-kept `Cargo.toml` must declare every crate the generated code uses.
fn check_dependencies(crate_dir: &Path, generated: &Generated) -> Result<(), String> {
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let declared: Vec<&str> = manifest
        .lines()
        .map(str::trim_start)
        .filter_map(|line| line.split(['=', '.', ' ']).next())
        .collect();
    let missing: Vec<&str> = generated
        .dependencies
        .iter()
        .map(String::as_str)
        .filter(|dep| !declared.contains(dep))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated code needs these dependencies, missing from {}: {}",
            manifest_path.display(),
            missing.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_refuses_crate_names_cargo_would_refuse_before_reading_anything() {
        let missing = Path::new("no/such/spec.yaml");
        let out = Path::new("no/such/out");
        for name in [
            "",
            "a\"b",
            "line\nbreak",
            "../../x",
            "9lives",
            "fn",
            "std",
            "a b",
        ] {
            let error =
                generate_crate(missing, out, name, &GenerateOptions::lenient()).expect_err(name);
            assert!(error.starts_with("--crate-name: "), "{name:?}: {error}");
            assert!(!error.contains('\n'), "{name:?}: {error}");
        }
        let error = generate_crate(missing, out, "fine-name_2", &GenerateOptions::lenient())
            .expect_err("no spec");
        assert!(error.starts_with("cannot read"), "{error}");
    }
}
