//! `cargo xtask bench`: the generator and client benchmarks, one after the other.

use std::process::Command;

/// The benchmarks `cargo xtask bench` runs, in order: `(package, bench target)`.
pub const BENCHES: &[(&str, &str)] = &[("codegen", "generate"), ("gks-api", "client_overhead")];

/// Runs every benchmark in [`BENCHES`] with `cargo bench` (release), output going straight to
/// the terminal. `extra` is passed to cargo (for example `--quiet`); `BENCH_QUICK=1` in the
/// environment shortens the runs.
pub fn run(extra: &[String]) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = crate::workspace_root();
    for (package, bench) in BENCHES {
        println!("== cargo bench -p {package} --bench {bench}");
        let status = Command::new(&cargo)
            .current_dir(&root)
            .args(["bench", "-p", package, "--bench", bench])
            .args(extra)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo bench -p {package} --bench {bench} failed: {status}"
            ));
        }
    }
    Ok("benchmarks done; record the figures in BENCHMARKS.md".to_string())
}
