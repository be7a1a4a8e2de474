//! Our generator against progenitor (`progenitor-impl` 0.15.1) on the same documents, in one
//! process, paired: each round times ours and progenitor's back to back in ABBA order, and the
//! reported ratio is the median of the per-round ratios (below 1.00: ours is faster).
//!
//! Both pipelines start from the document's text and end with formatted Rust source:
//! ours is `codegen::generate`; progenitor's is what its `build.rs` recipe does (parse into
//! `openapiv3::OpenAPI`, `Generator::generate_tokens`, `syn::parse2`, `prettyplease::unparse`).
//! Documents: `spec/gks.yaml`, every document in `BENCH_CORPUS` (set by
//! `cargo xtask bench --corpus DIR`) and the synthetic specs of `benches/support/synthetic.rs`.
//! A document one generator refuses (or panics on) is reported, not compared.
//! `BENCH_QUICK=1` shortens the runs; `BENCH_ONCE` runs one generator once (see [`run_once`]).

use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../../benches/support/synthetic.rs"]
mod synthetic;

fn ours(text: &str) -> Result<usize, String> {
    let settings = codegen::Settings {
        crate_name: "compare".to_string(),
        spec_path: "spec.yaml".to_string(),
        command: "bench".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    };
    codegen::generate(text, &settings)
        .map(|g| g.files.iter().map(|f| f.contents.len()).sum())
        .map_err(|e| e.to_string())
}

fn progenitor(text: &str) -> Result<usize, String> {
    let spec: openapiv3::OpenAPI =
        serde_yaml::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    let mut generator = progenitor_impl::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| e.to_string())?;
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file).len())
}

/// Runs `f` once, turning a panic into an error.
fn guarded(f: fn(&str) -> Result<usize, String>, text: &str) -> Result<usize, String> {
    catch_unwind(AssertUnwindSafe(|| f(text))).unwrap_or_else(|_| Err("panicked".to_string()))
}

fn timed(f: fn(&str) -> Result<usize, String>, text: &str) -> Duration {
    let start = Instant::now();
    let _ = black_box(f(black_box(text)));
    start.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One line of the table: paired rounds until `budget` is spent (at least `min_rounds`).
fn compare(name: &str, text: &str, min_rounds: usize, budget: Duration) {
    let (a, b) = (guarded(ours, text), guarded(progenitor, text));
    let (ours_bytes, progenitor_bytes) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let say = |r: Result<usize, String>| match r {
                Ok(_) => "ok".to_string(),
                Err(e) => format!("refused: {}", e.chars().take(80).collect::<String>()),
            };
            println!("| {name} | ours {} | progenitor {} |", say(a), say(b));
            return;
        }
    };
    let mut ours_ms = Vec::new();
    let mut progenitor_ms = Vec::new();
    let mut ratios = Vec::new();
    let start = Instant::now();
    while ratios.len() < min_rounds || start.elapsed() < budget {
        let a1 = timed(ours, text);
        let b1 = timed(progenitor, text);
        let b2 = timed(progenitor, text);
        let a2 = timed(ours, text);
        let a = (a1 + a2).as_secs_f64() / 2.0;
        let b = (b1 + b2).as_secs_f64() / 2.0;
        ours_ms.push(a * 1e3);
        progenitor_ms.push(b * 1e3);
        ratios.push(a / b);
        if ratios.len() >= 1_000 {
            break;
        }
    }
    let rounds = ratios.len();
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "| {name} | {rounds} | {:.2} | {:.2} | **{:.2}** ({:.2}–{:.2}) | {:.0} | {:.0} |",
        median(&mut ours_ms),
        median(&mut progenitor_ms),
        median(&mut ratios),
        sorted.first().copied().unwrap_or(f64::NAN),
        sorted.last().copied().unwrap_or(f64::NAN),
        ours_bytes as f64 / 1024.0,
        progenitor_bytes as f64 / 1024.0,
    );
}

fn corpus_documents() -> Vec<PathBuf> {
    let Some(dir) = std::env::var_os("BENCH_CORPUS") else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
    });
    files.sort();
    files
}

/// `BENCH_ONCE=ours|progenitor BENCH_SPEC=path`: one run of one generator on one document and
/// nothing else, for instruction counts (`valgrind --tool=callgrind` on the bench binary).
fn run_once() -> Option<()> {
    let which = std::env::var("BENCH_ONCE").ok()?;
    let path = std::env::var("BENCH_SPEC").unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let generator = if which == "progenitor" {
        progenitor
    } else {
        ours
    };
    match generator(&text) {
        Ok(bytes) => println!("{which}: {bytes} bytes of code from {path}"),
        Err(e) => println!("{which}: {path} refused: {e}"),
    }
    Some(())
}

fn main() {
    if run_once().is_some() {
        return;
    }
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let (min_rounds, budget) = if quick {
        (3, Duration::from_millis(300))
    } else {
        (10, Duration::from_secs(3))
    };
    // progenitor panics on constructs it does not implement; the table says so, quietly.
    std::panic::set_hook(Box::new(|_| {}));
    let mut documents: Vec<(String, String)> = Vec::new();
    let gks = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/gks.yaml");
    match std::fs::read_to_string(gks) {
        Ok(text) => documents.push(("spec/gks.yaml".to_string(), text)),
        Err(e) => println!("cannot read {gks}: {e}"),
    }
    for path in corpus_documents() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => documents.push((name, text)),
            Err(e) => println!("cannot read {}: {e}", path.display()),
        }
    }
    for n in synthetic::SIZES {
        let text = serde_json::to_string_pretty(&synthetic::synthetic_spec(n)).unwrap_or_default();
        documents.push((format!("synthetic {n} operations"), text));
    }

    println!(
        "ours vs progenitor 0.15.1, paired (ABBA) rounds; ratio = ours / progenitor, wall time"
    );
    println!();
    println!(
        "| document | rounds | ours (ms) | progenitor (ms) | ratio: median (min–max) | ours output (KiB) | progenitor output (KiB) |"
    );
    println!("|---|---:|---:|---:|---|---:|---:|");
    for (name, text) in &documents {
        let (min, budget) = if text.len() > 1_000_000 {
            (3, budget)
        } else {
            (min_rounds, budget)
        };
        compare(name, text, min, budget);
    }
}
