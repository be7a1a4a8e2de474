//! `cargo xtask corpus DIR`: the generator against documents written by others (for CI,
//! `../shared/peer-specs`), kept out of `cargo test` so the suite reads only the repository.
//!
//! For every document in DIR: generate it (operations and warnings reported), sweep seeded
//! mutations of it for panics, and build its crate in a scratch workspace of its own under
//! `clippy -D warnings` and `rustdoc -D warnings` (the fixture crates are built by the test
//! suite, `xtask/tests/generated_crates.rs`).

use std::fmt::Write as _;
use std::path::Path;

use crate::scratch::{self, ScratchWorkspace};

/// Mutated variants of each corpus document fed to the generator.
pub const MUTATIONS_PER_DOCUMENT: usize = 150;

/// Runs the corpus checks on the documents in `dir`; `target_dir` holds the scratch workspace.
pub fn run(root: &Path, target_dir: &Path, dir: &Path) -> Result<String, String> {
    if !dir.is_dir() {
        return Err(format!(
            "corpus directory {} does not exist (CI passes ../shared/peer-specs)",
            dir.display()
        ));
    }
    let documents = scratch::documents_in(dir, "peer")?;
    if documents.is_empty() {
        return Err(format!(
            "no .yaml, .yml or .json documents in {}",
            dir.display()
        ));
    }
    let mut report = String::new();
    for member in &documents {
        let generated = crate::generate_from(
            &member.spec,
            &member.spec.display().to_string(),
            &member.name,
            "cargo xtask corpus",
            &crate::GenerateOptions::lenient(),
        )?;
        let _ = writeln!(
            report,
            "{}: {} of {} operations, {} types, {} warning(s)",
            member.name,
            generated.operation_count,
            generated.operations_in_document,
            generated.type_count,
            generated.warnings.len()
        );
    }
    let parsed = documents
        .iter()
        .map(|m| crate::mutation::read_document(&m.spec))
        .collect::<Result<Vec<_>, _>>()?;
    let summary = crate::mutation::sweep(&parsed, MUTATIONS_PER_DOCUMENT)?;
    let _ = writeln!(report, "{summary}");

    let workspace = ScratchWorkspace::prepare(root, target_dir, "corpus", &documents)?;
    workspace.lint()?;
    let _ = write!(
        report,
        "{} corpus crates pass clippy and rustdoc with -D warnings in {}",
        documents.len(),
        workspace.dir().display()
    );
    Ok(report)
}
