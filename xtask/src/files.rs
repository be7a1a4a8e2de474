//! Writing generated files only when their content changed, and reporting drift as a diff.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Keeps the generated files of one crate in sync; `owned_dir` (relative) belongs to the
/// generator, so files there that it no longer produces are left over.
pub struct FileSync {
    root: PathBuf,
    owned_dir: String,
}

/// What differs between the generator's output and the files on disk.
#[derive(Debug, Default)]
pub struct Drift {
    /// `(path, unified diff)` for each stale file.
    pub stale: Vec<(String, String)>,
    /// Files the generator produces that do not exist.
    pub missing: Vec<String>,
    /// Files in the owned directory the generator no longer produces.
    pub left_over: Vec<String>,
}

impl Drift {
    /// Whether everything is current.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.left_over.is_empty()
    }

    /// A readable report: unified diffs, then missing and left-over files.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (_, diff) in &self.stale {
            out.push_str(diff);
        }
        for path in &self.missing {
            let _ = writeln!(out, "missing: {path}");
        }
        for path in &self.left_over {
            let _ = writeln!(out, "left over (no longer generated): {path}");
        }
        out
    }
}

impl FileSync {
    /// Files below `root`; `owned_dir` is relative to it.
    pub fn new(root: &Path, owned_dir: &str) -> Self {
        Self {
            root: root.to_path_buf(),
            owned_dir: owned_dir.to_string(),
        }
    }

    /// Compares without writing.
    pub fn check<'a>(
        &self,
        files: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<Drift, String> {
        let mut drift = Drift::default();
        let mut produced = BTreeSet::new();
        for (path, contents) in files {
            produced.insert(path.to_string());
            match std::fs::read_to_string(self.root.join(path)) {
                Ok(current) if current == contents => {}
                Ok(current) => {
                    let diff = similar::TextDiff::from_lines(current.as_str(), contents)
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{path}"), &format!("b/{path}"))
                        .to_string();
                    drift.stale.push((path.to_string(), diff));
                }
                Err(_) => drift.missing.push(path.to_string()),
            }
        }
        drift.left_over = self
            .existing_owned_files()?
            .into_iter()
            .filter(|p| !produced.contains(p))
            .collect();
        Ok(drift)
    }

    /// Writes files whose content changed and removes left-over ones; returns the changed paths.
    pub fn write<'a>(
        &self,
        files: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<Vec<String>, String> {
        let files: Vec<(&str, &str)> = files.collect();
        let drift = self.check(files.iter().copied())?;
        let mut changed = Vec::new();
        for (path, contents) in &files {
            let is_changed = drift.missing.iter().any(|p| p == path)
                || drift.stale.iter().any(|(p, _)| p == path);
            if !is_changed {
                continue;
            }
            let target = self.root.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&target, contents)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            changed.push(path.to_string());
        }
        for path in &drift.left_over {
            let target = self.root.join(path);
            std::fs::remove_file(&target)
                .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
            changed.push(format!("{path} (removed)"));
        }
        Ok(changed)
    }

    /// Every file below the owned directory, as paths relative to the root with `/` separators.
    fn existing_owned_files(&self) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.join(&self.owned_dir)];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
            };
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                    .path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(relative) = path.strip_prefix(&self.root) {
                    let parts: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}
