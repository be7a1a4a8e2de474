//! The no-panic sweep: seeded mutations of OpenAPI documents fed to `codegen::generate`,
//! which must return `Ok` or an `Err` naming a JSON pointer, never panic.
//!
//! Mutations (one to three per case, from a fixed-seed generator so failures reproduce): remove
//! a member, swap a value for one of another type, break or loop a `$ref`, graft a subtree onto
//! another place, and set `type` to something unknown. `xtask/tests/mutation.rs` sweeps the
//! project's fixtures and `spec/gks.yaml`; `cargo xtask corpus DIR` sweeps the documents in DIR.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde_json::Value;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Mutated documents fed to the generator.
    pub cases: usize,
    /// Of those, how many generated a crate.
    pub generated: usize,
    /// Of those, how many were refused with an error naming a pointer.
    pub rejected: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "mutation cases: {} ({} generated, {} rejected with a pointer, 0 panics)",
            self.cases, self.generated, self.rejected
        )
    }
}

/// Reads a document (YAML or JSON, a BOM tolerated) as a JSON value, named by its file name.
pub fn read_document(path: &Path) -> Result<(String, Value), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: Value = serde_yaml::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{} is not YAML or JSON: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, value))
}

/// Feeds `cases_per_document` mutations of each document to the generator. A panic, or an
/// error without a pointer, is an `Err` naming the document, the case and the mutations.
pub fn sweep(documents: &[(String, Value)], cases_per_document: usize) -> Result<Summary, String> {
    let settings = codegen::Settings {
        crate_name: "mutant".to_string(),
        spec_path: "mutant.json".to_string(),
        command: "test".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "runtime".to_string(),
        },
    };
    let mut summary = Summary::default();
    for (doc_index, (name, original)) in documents.iter().enumerate() {
        for case in 0..cases_per_document {
            let seed = 0x9E37_79B9_7F4A_7C15u64 ^ ((doc_index as u64) << 32) ^ case as u64;
            let mut rng = Rng(seed.max(1));
            let mut doc = original.clone();
            let steps: Vec<String> = (0..=rng.below(3))
                .map(|_| mutate(&mut doc, &mut rng))
                .collect();
            let text = if rng.below(2) == 0 {
                serde_json::to_string(&doc).map_err(|e| e.to_string())
            } else {
                serde_yaml::to_string(&doc).map_err(|e| e.to_string())
            }
            .map_err(|e| format!("{name} case {case}: cannot serialize the mutant: {e}"))?;
            let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate(&text, &settings)));
            summary.cases += 1;
            match outcome {
                Ok(Ok(_)) => summary.generated += 1,
                Ok(Err(e)) if e.pointer.starts_with('#') && !e.message.is_empty() => {
                    summary.rejected += 1
                }
                Ok(Err(e)) => {
                    return Err(format!(
                        "{name} case {case} ({steps:?}): error without a pointer: {e:?}"
                    ));
                }
                Err(_) => {
                    return Err(format!(
                        "{name} case {case} (seed {seed:#x}): the generator panicked after {steps:?}"
                    ));
                }
            }
        }
    }
    Ok(summary)
}

/// A small deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every JSON pointer path (as segment lists) in a value.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(key.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(index.to_string());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut current = value;
    for segment in path {
        current = match current {
            Value::Object(map) => map.get_mut(segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// One seeded mutation of `doc` at a random place; returns what it did.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let Some((last, parent_path)) = target.split_last() else {
        return "kept the root".to_string();
    };
    let place = target.join("/");
    match rng.below(6) {
        0 => {
            remove(doc, parent_path, last);
            format!("removed /{place}")
        }
        1 => {
            swap(doc, &target, rng);
            format!("swapped /{place}")
        }
        2 => {
            break_ref(doc, &target, rng);
            format!("broke a ref at /{place}")
        }
        3 => {
            loop_ref(doc, &target, rng);
            format!("looped a ref at /{place}")
        }
        4 => {
            let donor = all[rng.below(all.len())].clone();
            let graft = get_mut(doc, &donor).map(|v| v.clone());
            if let (Some(graft), Some(node)) = (graft, get_mut(doc, &target)) {
                *node = graft;
            }
            format!("grafted /{} onto /{place}", donor.join("/"))
        }
        _ => {
            retype(doc, &target, rng);
            format!("retyped /{place}")
        }
    }
}

/// Removes member or item `last` of the value at `parent_path`.
fn remove(doc: &mut Value, parent_path: &[String], last: &str) {
    match get_mut(doc, parent_path) {
        Some(Value::Object(map)) => {
            map.remove(last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Replaces the value at `target` by one of another kind.
fn swap(doc: &mut Value, target: &[String], rng: &mut Rng) {
    let replacements = [
        Value::Null,
        Value::from(42),
        Value::from("x"),
        Value::from(true),
        Value::Array(vec![]),
        Value::Object(Default::default()),
        Value::from(-1.5),
    ];
    let replacement = replacements[rng.below(replacements.len())].clone();
    if let Some(node) = get_mut(doc, target) {
        *node = replacement;
    }
}

/// Replaces the value at `target` by a `$ref` that cannot be followed.
fn break_ref(doc: &mut Value, target: &[String], rng: &mut Rng) {
    let refs = [
        "#/components/schemas/Missing",
        "#/nowhere",
        "other.yaml#/x",
        "#",
        "##",
    ];
    let reference = refs[rng.below(refs.len())];
    if let Some(node) = get_mut(doc, target) {
        *node = serde_json::json!({ "$ref": reference });
    }
}

/// Adds a schema `Loop` that refers to itself (directly or through `allOf`) and points the
/// value at `target` to it.
fn loop_ref(doc: &mut Value, target: &[String], rng: &mut Rng) {
    let looped = if rng.below(2) == 0 {
        serde_json::json!({ "$ref": "#/components/schemas/Loop" })
    } else {
        serde_json::json!({ "allOf": [{ "$ref": "#/components/schemas/Loop" }, { "type": "object" }] })
    };
    if let Some(Value::Object(components)) = get_mut(doc, &["components".to_string()]) {
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(schemas) = schemas {
            schemas.insert("Loop".to_string(), looped);
        }
    }
    if let Some(node) = get_mut(doc, target) {
        *node = serde_json::json!({ "$ref": "#/components/schemas/Loop" });
    }
}

/// Gives the object at `target` a `type`, known or not.
fn retype(doc: &mut Value, target: &[String], rng: &mut Rng) {
    if let Some(Value::Object(map)) = get_mut(doc, target) {
        let kinds = ["strange", "null", "object", "array", "integer"];
        map.insert(
            "type".to_string(),
            Value::from(kinds[rng.below(kinds.len())]),
        );
    }
}
