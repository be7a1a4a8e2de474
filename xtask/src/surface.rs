//! The change summary `regen` prints: the committed API surface file against the new one.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use codegen::surface::{Change, changes};

/// Where the old surface comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Baseline {
    /// The file in the working tree, read before anything is written.
    #[default]
    WorkingTree,
    /// The file as committed at a git revision (`git show REV:PATH`), e.g. `origin/main` in CI.
    Revision(String),
}

/// The summary of a surface change, ready to print.
#[derive(Debug)]
pub struct SurfaceSummary {
    /// The changes, breaking ones first.
    pub changes: Vec<Change>,
    /// A header line and one line per change.
    pub text: String,
}

impl SurfaceSummary {
    /// Compares `old` (`None`: there is no committed file) with `new`; `shown` names the file.
    pub fn new(old: Option<&str>, new: &str, shown: &str) -> Self {
        let Some(old) = old else {
            return Self {
                changes: Vec::new(),
                text: format!("API surface ({shown}): no committed file to compare with"),
            };
        };
        let changes = changes(old, new);
        let breaking = changes.iter().filter(|c| c.breaking).count();
        let mut text = if changes.is_empty() {
            format!("API surface ({shown}): unchanged")
        } else {
            format!(
                "API surface ({shown}): {breaking} breaking, {} compatible change(s)",
                changes.len() - breaking
            )
        };
        for change in &changes {
            let _ = write!(text, "\n  {change}");
        }
        Self { changes, text }
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }
}

/// The old surface file `relative` (to `root`, with `/` separators), or `None` when it does not
/// exist there yet.
pub fn read_baseline(
    root: &Path,
    relative: &str,
    baseline: &Baseline,
) -> Result<Option<String>, String> {
    match baseline {
        Baseline::WorkingTree => match std::fs::read_to_string(root.join(relative)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {relative}: {e}")),
        },
        Baseline::Revision(revision) => {
            let commit = format!("{revision}^{{commit}}");
            if git(root, &["rev-parse", "--verify", "--quiet", &commit])?.is_none() {
                return Err(format!(
                    "{revision} is not a git revision of {}",
                    root.display()
                ));
            }
            match git(root, &["show", &format!("{revision}:{relative}")])? {
                Some(bytes) => String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| format!("{relative} at {revision} is not UTF-8")),
                None => Ok(None),
            }
        }
    }
}

/// Runs git in `root`: its output when it succeeds, `None` when it exits with an error.
fn git(root: &Path, args: &[&str]) -> Result<Option<Vec<u8>>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Ok(output.status.success().then_some(output.stdout))
}
