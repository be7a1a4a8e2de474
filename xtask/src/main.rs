//! `cargo xtask`: `regen [--check] [--deny-breaking] [--base REV]`,
//! `generate --spec FILE --out DIR --crate-name NAME [--strict] [--vendor-runtime]`, `behaviour [FILTER]`, `corpus DIR` and
//! `bench [--corpus DIR]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-breaking] [--base REV]
                                 regenerate gks-api from spec/gks.yaml and print the API surface changes
                                 (--check: fail on drift, write nothing; --deny-breaking or
                                 XTASK_DENY_BREAKING=1: fail on a breaking change; --base REV: compare
                                 with gks-api/API.md at git revision REV instead of the working tree)
  cargo xtask generate --spec FILE --out DIR --crate-name NAME [--strict] [--vendor-runtime]
                                 generate a complete, standalone client crate for any OpenAPI 3.0, 3.1 or
                                 3.2 document (broken $refs to schemas, request bodies and responses
                                 become serde_json::Value, broken parameter $refs are left out, and
                                 operations whose path parameters and template disagree are skipped,
                                 each with a warning; --strict: all are errors). The crate depends on
                                 this checkout's runtime crate (codegen/runtime) by path;
                                 --vendor-runtime copies the runtime's source into the crate instead,
                                 so it builds anywhere
  cargo xtask behaviour [FILTER] generate the fixture crates and run their behaviour tests (those whose
                                 name contains FILTER)
  cargo xtask corpus DIR         generate, mutate and build every document in DIR (CI: ../shared/peer-specs)
  cargo xtask bench [--corpus DIR] [CARGO ARGS]
                                 run the generator and client benchmarks (release; BENCH_QUICK=1 for a
                                 short run; --corpus adds the documents in DIR to the generator bench)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => {
            let deny = std::env::var(xtask::DENY_BREAKING_VAR).ok();
            xtask::RegenOptions::from_args(&args[1..], deny.as_deref())
                .map_err(|e| format!("{e}\n{USAGE}"))
                .and_then(|options| xtask::regen_with(&root, &options))
        }
        Some("generate") => generate(&args[1..]),
        Some("behaviour") => match &args[1..] {
            [] => behaviour(&root, None),
            [filter] => behaviour(&root, Some(filter)),
            _ => Err(USAGE.to_string()),
        },
        Some("corpus") => match &args[1..] {
            [dir] => xtask::scratch::target_dir_of_this_binary()
                .and_then(|target| xtask::corpus::run(&root, &target, Path::new(dir))),
            _ => Err(format!("corpus needs the directory of documents\n{USAGE}")),
        },
        Some("bench") => match &args[1..] {
            [flag, dir, rest @ ..] if flag == "--corpus" => {
                xtask::bench::run(Some(Path::new(dir)), rest)
            }
            rest => xtask::bench::run(None, rest),
        },
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

/// `cargo xtask behaviour [FILTER]`: the fixture crates' behaviour tests, output shown.
fn behaviour(root: &Path, filter: Option<&str>) -> Result<String, String> {
    let target = xtask::scratch::target_dir_of_this_binary()?;
    let members = xtask::scratch::fixture_members(root)?;
    let workspace = xtask::scratch::ScratchWorkspace::prepare(root, &target, "fixtures", &members)?;
    workspace.test(filter)
}

fn generate(args: &[String]) -> Result<String, String> {
    let mut spec = None;
    let mut out = None;
    let mut crate_name = None;
    let mut options = xtask::GenerateOptions::lenient();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--strict" => {
                options.strictness = xtask::Strictness::Strict;
                continue;
            }
            "--vendor-runtime" => {
                options.runtime = codegen::Runtime::Vendored;
                continue;
            }
            _ => {}
        }
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
        (Some(spec), Some(out), Some(name)) => xtask::generate_crate(&spec, &out, &name, &options),
        _ => Err(format!(
            "generate needs --spec, --out and --crate-name\n{USAGE}"
        )),
    }
}
