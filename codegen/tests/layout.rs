//! Every generated Rust file of the fixtures is in prettyplease's layout: formatting it again
//! changes nothing but the blank lines between items (which the formatter does not keep) and the
//! `@generated` line comment (which parsing drops). This checks the generator's text writers
//! (see `emit::text`) independently of the snapshots. (Not an oracle for any document: where
//! lines are too long for the margin, prettyplease's output is not always a fixpoint of its
//! own.)

use std::path::Path;

use codegen::{Runtime, Settings, Strictness};

fn settings() -> Settings {
    Settings {
        crate_name: "layout-check".to_string(),
        spec_path: "spec.yaml".to_string(),
        command: "cargo test".to_string(),
        runtime: Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

/// Checks the Rust files generated from `text`; returns how many were checked.
fn check_layout(name: &str, text: &str) -> usize {
    let generated = codegen::generate_with(text, &settings(), Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut checked = 0;
    for file in &generated.files {
        if !file.path.ends_with(".rs") {
            continue;
        }
        let code: String = file
            .contents
            .lines()
            .filter(|line| !line.starts_with("// @generated") && !line.is_empty())
            .map(|line| format!("{line}\n"))
            .collect();
        let parsed = syn::parse_file(&code).unwrap_or_else(|e| panic!("{name} {}: {e}", file.path));
        let again: String = prettyplease::unparse(&parsed)
            .lines()
            .filter(|line| !line.is_empty())
            .map(|line| format!("{line}\n"))
            .collect();
        if again != code {
            let line = again
                .lines()
                .zip(code.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{name} {}: not in the formatter's layout from line {line}:\n{}\n---\n{}",
                file.path,
                code.lines()
                    .skip(line.saturating_sub(3))
                    .take(12)
                    .collect::<Vec<_>>()
                    .join("\n"),
                again
                    .lines()
                    .skip(line.saturating_sub(3))
                    .take(12)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_fixture_is_in_the_formatters_layout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        // `long_names` holds lines too long for the margin, where this is no oracle (its
        // snapshots were checked against the generator before it wrote text itself).
        let long = path.file_stem().is_some_and(|stem| stem == "long_names");
        if path.extension().is_some_and(|ext| ext == "yaml") && !long {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            checked += check_layout(&path.display().to_string(), &text);
        }
    }
    assert!(checked >= 17 * 4, "{checked}");
}
