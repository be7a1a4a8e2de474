//! `cargo xtask bench`: the generator and client benchmarks, then the generator against
//! progenitor, one after the other.

use std::path::Path;
use std::process::Command;

/// The benchmarks `cargo xtask bench` runs, in order: `(package, bench target)`.
pub const BENCHES: &[(&str, &str)] = &[("codegen", "generate"), ("gks-api", "client_overhead")];

/// The comparison with progenitor: a workspace of its own, so `cargo test --workspace` never
/// builds progenitor; run by `cargo xtask bench` after [`BENCHES`].
pub const COMPARE_MANIFEST: &str = "codegen/compare/Cargo.toml";

/// The environment variable naming a directory of extra documents for the generator bench.
pub const CORPUS_ENV: &str = "BENCH_CORPUS";

/// Runs every benchmark in [`BENCHES`] with `cargo bench` (release), output going straight to
/// the terminal. With `corpus`, the generator bench also times every document in it. `extra`
/// is passed to cargo (for example `--quiet`); `BENCH_QUICK=1` in the environment shortens
/// the runs.
pub fn run(corpus: Option<&Path>, extra: &[String]) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = crate::workspace_root();
    if let Some(dir) = corpus
        && !dir.is_dir()
    {
        return Err(format!("corpus directory {} does not exist", dir.display()));
    }
    for (package, bench) in BENCHES {
        println!("== cargo bench -p {package} --bench {bench}");
        let mut command = Command::new(&cargo);
        command
            .current_dir(&root)
            .args(["bench", "-p", package, "--bench", bench])
            .args(extra)
            .env_remove(CORPUS_ENV);
        if let Some(dir) = corpus {
            let dir = std::path::absolute(dir)
                .map_err(|e| format!("cannot resolve {}: {e}", dir.display()))?;
            command.env(CORPUS_ENV, dir);
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo bench -p {package} --bench {bench} failed: {status}"
            ));
        }
    }
    println!("== cargo bench --manifest-path {COMPARE_MANIFEST}");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut command = Command::new(&cargo);
    command
        .current_dir(&root)
        .args(["bench", "--manifest-path", COMPARE_MANIFEST])
        .args(extra)
        .env("CARGO_TARGET_DIR", target)
        .env_remove(CORPUS_ENV);
    if let Some(dir) = corpus {
        let dir = std::path::absolute(dir)
            .map_err(|e| format!("cannot resolve {}: {e}", dir.display()))?;
        command.env(CORPUS_ENV, dir);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the comparison with progenitor failed: {status}"));
    }
    Ok("benchmarks done; record the figures in BENCHMARKS.md".to_string())
}
