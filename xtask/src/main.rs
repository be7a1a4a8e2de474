//! `cargo xtask`: `regen [--check] [--deny-breaking] [--base REV]`, `generate --spec FILE --out DIR --crate-name NAME` and
//! `bench`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-breaking] [--base REV]
                                 regenerate gks-api from spec/gks.yaml and print the API surface changes
                                 (--check: fail on drift, write nothing; --deny-breaking or
                                 XTASK_DENY_BREAKING=1: fail on a breaking change; --base REV: compare
                                 with gks-api/API.md at git revision REV instead of the working tree)
  cargo xtask generate --spec FILE --out DIR --crate-name NAME
                                 generate a complete, standalone client crate for any OpenAPI 3.0 document
  cargo xtask bench [CARGO ARGS]  run the generator and client benchmarks (release; BENCH_QUICK=1 for a short run)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => {
            let deny = std::env::var(xtask::DENY_BREAKING_VAR).ok();
            xtask::RegenOptions::from_args(&args[1..], deny.as_deref())
                .map_err(|e| format!("{e}\n{USAGE}"))
                .and_then(|options| xtask::regen_with(&xtask::workspace_root(), &options))
        }
        Some("generate") => generate(&args[1..]),
        Some("bench") => xtask::bench::run(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &[String]) -> Result<String, String> {
    let mut spec = None;
    let mut out = None;
    let mut crate_name = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--crate-name" => crate_name = Some(value.clone()),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    match (spec, out, crate_name) {
        (Some(spec), Some(out), Some(name)) => xtask::generate_crate(&spec, &out, &name),
        _ => Err(format!(
            "generate needs --spec, --out and --crate-name\n{USAGE}"
        )),
    }
}
