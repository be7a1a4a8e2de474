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

/// Runs every benchmark in [`BENCHES`], then the comparison with progenitor, with
/// `cargo bench` (release), output going straight to the terminal. With `corpus`, the
/// generator benches also time every document in it. `extra` is passed to cargo (for example
/// `--quiet`); `BENCH_QUICK=1` in the environment shortens the runs.
pub fn run(corpus: Option<&Path>, extra: &[String]) -> Result<String, String> {
    let root = crate::workspace_root();
    let corpus = corpus
        .map(|dir| {
            if dir.is_dir() {
                std::path::absolute(dir)
                    .map_err(|e| format!("cannot resolve {}: {e}", dir.display()))
            } else {
                Err(format!("corpus directory {} does not exist", dir.display()))
            }
        })
        .transpose()?;
    for (package, bench) in BENCHES {
        cargo_bench(
            &root,
            &["-p", package, "--bench", bench],
            extra,
            corpus.as_deref(),
        )?;
    }
    // The comparison's own workspace builds in the repository's target directory (or
    // `CARGO_TARGET_DIR`, which cargo reads itself), so codegen's release dependencies are shared.
    let mut compare = vec!["--manifest-path", COMPARE_MANIFEST];
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        compare.extend(["--target-dir", "target"]);
    }
    cargo_bench(&root, &compare, extra, corpus.as_deref())?;
    Ok("benchmarks done; record the figures in BENCHMARKS.md".to_string())
}

/// `cargo bench ARGS EXTRA` in `root`, with `BENCH_CORPUS` set to `corpus` (or unset).
fn cargo_bench(
    root: &Path,
    args: &[&str],
    extra: &[String],
    corpus: Option<&Path>,
) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    println!("== cargo bench {}", args.join(" "));
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .arg("bench")
        .args(args)
        .args(extra)
        .env_remove(CORPUS_ENV);
    if let Some(dir) = corpus {
        command.env(CORPUS_ENV, dir);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo bench {} failed: {status}", args.join(" ")))
    }
}
