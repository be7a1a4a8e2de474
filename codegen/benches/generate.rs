//! Generator speed and scaling: `codegen::generate` timed in process (release, no cargo).
//!
//! Documents: `spec/gks.yaml`, every document in `BENCH_CORPUS` (`cargo xtask bench --corpus
//! ../shared/peer-specs`), and synthetic specs of
//! 100, 1,000 and 5,000 operations written by `synthetic::synthetic_spec` (JSON, as large
//! machine-written specs usually are; the 1,000-operation one also as YAML). Each is generated
//! several times and the median wall time is reported (and the mean CPU time of the thread,
//! which other load on a shared machine disturbs less), with µs per operation (which should
//! stay flat as the size grows: linear total time) and the process's peak memory. For the real
//! documents it also reports how many operations were generated and skipped (warnings
//! containing "operation skipped"), and why.
//!
//! Run with `cargo xtask bench` or `cargo bench -p codegen --bench generate`; `BENCH_QUICK=1`
//! for a short run, `BENCH_OPS=1000` to time only synthetic specs of the given sizes.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::Settings;
use serde_json::Value;

#[path = "support/synthetic.rs"]
mod synthetic;

use synthetic::{SIZES, synthetic_spec};

fn settings(name: &str) -> Settings {
    Settings {
        crate_name: "bench-client".to_string(),
        spec_path: name.to_string(),
        command: "cargo xtask regen".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

/// CPU time of the calling thread so far (`/proc/thread-self/schedstat`, Linux), which other
/// load on a shared machine disturbs less than wall time.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = text.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Peak resident memory of the process so far, in MiB (`VmHWM`, Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

struct Timing {
    /// Median wall time of one `generate` call.
    wall: Duration,
    /// Mean CPU time of one call over all runs, if the platform reports it (the thread's
    /// schedstat lags by up to a scheduler tick, too coarse for one short run).
    cpu: Option<Duration>,
    runs: usize,
    /// The result of the last run.
    result: Result<codegen::Generated, codegen::Error>,
}

/// Times `generate` on `text`, repeated until `budget` is spent (at least `min_runs`, at most
/// `max_runs` runs).
fn time_generate(
    name: &str,
    text: &str,
    min_runs: usize,
    max_runs: usize,
    budget: Duration,
) -> Timing {
    let settings = settings(name);
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let started = Instant::now();
    let result = loop {
        let cpu_before = thread_cpu();
        let t = Instant::now();
        let result = black_box(codegen::generate(black_box(text), &settings));
        walls.push(t.elapsed());
        if let (Some(before), Some(after)) = (cpu_before, thread_cpu()) {
            cpus.push(after.saturating_sub(before));
        }
        if walls.len() >= max_runs || (walls.len() >= min_runs && started.elapsed() >= budget) {
            break result;
        }
        // Dropped here, outside the timed region.
        drop(result);
    };
    walls.sort();
    let runs = walls.len();
    Timing {
        wall: walls[runs / 2],
        cpu: (cpus.len() == runs).then(|| cpus.iter().sum::<Duration>() / runs as u32),
        runs,
        result,
    }
}

/// Number of operations a document declares (methods under `paths`), parsed independently of
/// the generator.
fn declared_operations(text: &str) -> Option<usize> {
    let value: Value = serde_yaml::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    Some(
        value
            .get("paths")?
            .as_object()?
            .values()
            .filter_map(Value::as_object)
            .map(|item| {
                item.keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .count()
            })
            .sum(),
    )
}

/// The documents in the directory named by `BENCH_CORPUS` (set by
/// `cargo xtask bench --corpus DIR`); none without it.
fn peer_documents() -> Vec<PathBuf> {
    let Some(dir) = std::env::var_os("BENCH_CORPUS") else {
        eprintln!(
            "note: no BENCH_CORPUS (cargo xtask bench --corpus DIR); corpus documents skipped"
        );
        return Vec::new();
    };
    let dir = PathBuf::from(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "note: {} not found; corpus documents skipped",
            dir.display()
        );
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    files
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fmt_ms(d: Option<Duration>, decimals: usize) -> String {
    d.map_or("n/a".to_string(), |d| format!("{:.*}", decimals, ms(d)))
}

/// The table of real documents: `spec/gks.yaml` and the peer documents.
fn real_documents(min_runs: usize, max_runs: usize, budget: Duration) {
    let mut documents: Vec<(String, PathBuf)> = vec![(
        "spec/gks.yaml".to_string(),
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gks.yaml")).to_path_buf(),
    )];
    for path in peer_documents() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        documents.push((name, path));
    }

    println!("generator: real documents (median of ≥ {min_runs} runs)");
    println!();
    println!(
        "| document | size (KiB) | operations declared | generated | skipped | warnings | types | time (ms) | CPU (ms) | µs/operation |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut skip_reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (name, path) in &documents {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                println!("| {name} | cannot read: {e} |");
                continue;
            }
        };
        let declared = declared_operations(&text).map_or("?".to_string(), |n| n.to_string());
        let timing = time_generate(name, &text, min_runs, max_runs, budget);
        let time = timing.wall;
        let cpu = fmt_ms(timing.cpu, 2);
        let size = text.len() as f64 / 1024.0;
        match timing.result {
            Ok(generated) => {
                let skipped: Vec<_> = generated
                    .warnings
                    .iter()
                    .filter(|w| w.message.contains("operation skipped"))
                    .collect();
                for warning in &skipped {
                    let reason = warning
                        .message
                        .split_once("operation skipped: ")
                        .map_or(warning.message.as_str(), |(_, r)| r);
                    *skip_reasons.entry(format!("{name}: {reason}")).or_default() += 1;
                }
                let per_op = if generated.operation_count > 0 {
                    format!(
                        "{:.0}",
                        time.as_secs_f64() * 1e6 / generated.operation_count as f64
                    )
                } else {
                    "–".to_string()
                };
                println!(
                    "| {name} | {size:.1} | {declared} | {} | {} | {} | {} | {:.2} | {cpu} | {per_op} |",
                    generated.operation_count,
                    skipped.len(),
                    generated.warnings.len(),
                    generated.type_count,
                    ms(time),
                );
            }
            Err(e) => {
                let message = e.to_string();
                let short: String = message.chars().take(120).collect();
                println!(
                    "| {name} | {size:.1} | {declared} | error | – | – | – | {:.2} | {cpu} | – |  \n  error: `{short}`",
                    ms(time)
                );
            }
        }
    }
    if !skip_reasons.is_empty() {
        println!();
        println!("skipped operations, by document and reason:");
        for (reason, count) in &skip_reasons {
            println!("- {count} × {reason}");
        }
    }
}

fn main() {
    let quick = env_flag("BENCH_QUICK");
    // (min runs, max runs, time budget) per document.
    let (min_runs, max_runs, budget) = if quick {
        (1, 5, Duration::from_millis(300))
    } else {
        (5, 30, Duration::from_secs(2))
    };

    // `BENCH_OPS=1000` (or `100,5000`): only these synthetic sizes, no real documents (for
    // profiling).
    let only: Option<Vec<usize>> = std::env::var("BENCH_OPS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    let sizes = only.clone().unwrap_or_else(|| SIZES.to_vec());

    if only.is_none() {
        real_documents(min_runs, max_runs, budget);
        println!();
    }

    // Synthetic documents.
    println!("generator: synthetic documents (median of ≥ {min_runs} runs)");
    println!();
    println!(
        "| operations | format | size (KiB) | runs | time (ms) | CPU (ms) | µs/operation | CPU µs/operation | generated code (KiB) | peak RSS so far (MiB) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut per_op = Vec::new();
    for n in sizes {
        let spec = synthetic_spec(n);
        let mut variants = vec![("JSON", serde_json::to_string_pretty(&spec).expect("json"))];
        if n == 1_000 {
            variants.push(("YAML", serde_yaml::to_string(&spec).expect("yaml")));
        }
        for (format, text) in variants {
            // Large documents: fewer runs, but never fewer than three outside quick mode.
            let (min, max) = if n >= 5_000 && !quick {
                (3, 5)
            } else {
                (min_runs, max_runs)
            };
            let timing = time_generate(&format!("synthetic-{n}"), &text, min, max, budget);
            let generated = timing
                .result
                .unwrap_or_else(|e| panic!("synthetic spec of {n}: {e}"));
            assert_eq!(
                generated.operation_count,
                n,
                "every synthetic operation must be generated (warnings: {:?})",
                generated.warnings.first()
            );
            let code: usize = generated.files.iter().map(|f| f.contents.len()).sum();
            let us = timing.wall.as_secs_f64() * 1e6 / n as f64;
            let cpu_us = timing.cpu.map(|c| c.as_secs_f64() * 1e6 / n as f64);
            if format == "JSON" {
                per_op.push((n, us, cpu_us));
            }
            println!(
                "| {n} | {format} | {:.0} | {} | {:.1} | {} | {us:.0} | {} | {:.0} | {} |",
                text.len() as f64 / 1024.0,
                timing.runs,
                ms(timing.wall),
                fmt_ms(timing.cpu, 1),
                cpu_us.map_or("n/a".to_string(), |c| format!("{c:.0}")),
                code as f64 / 1024.0,
                peak_rss_mib().map_or("n/a".to_string(), |m| format!("{m:.0}")),
            );
        }
    }
    if let (Some(&(n0, first, cpu0)), Some(&(n1, last, cpu1))) = (per_op.first(), per_op.last()) {
        println!();
        let cpu = cpu0
            .zip(cpu1)
            .map_or(String::new(), |(a, b)| format!(", CPU {:.2}", b / a));
        println!(
            "scaling: µs/operation at {n1} ops / at {n0} ops = wall {:.2}{cpu} (1.00 = linear)",
            last / first
        );
    }
    if let Some(&(_, us, cpu)) = per_op.iter().find(|(n, ..)| *n == 1_000) {
        // µs per operation × 1,000 operations = the same number in ms.
        let cpu = cpu.map_or(String::new(), |c| format!(", CPU {c:.0} ms"));
        println!("1,000 operations: {us:.0} ms{cpu} (goal: under 500 ms)");
    }
}
