//! The generator never panics: it returns `Ok` or an `Err` naming a JSON pointer for mutated
//! versions of every real-world document in `../shared/peer-specs` and of `spec/gks.yaml`.
//!
//! Mutations (one to three per case, from a fixed-seed generator so failures reproduce): remove
//! a member, swap a value for one of another type, break or loop a `$ref`, graft a subtree onto
//! another place, and set `type` to something unknown.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::Value;

const CASES_PER_DOCUMENT: usize = 150;

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

fn documents() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths: Vec<PathBuf> = vec![root.join("spec/gks.yaml")];
    let peers = root.join("../shared/peer-specs");
    let mut peer_files: Vec<PathBuf> = std::fs::read_dir(&peers)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", peers.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml")
            )
        })
        .collect();
    peer_files.sort();
    paths.extend(peer_files);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let text = text.trim_start_matches('\u{feff}');
            let value: Value = serde_yaml::from_str(text)
                .unwrap_or_else(|e| panic!("{} is not YAML/JSON: {e}", path.display()));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, value)
        })
        .collect()
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

fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let Some((last, parent_path)) = target.split_last() else {
        return "kept the root".to_string();
    };
    match rng.below(6) {
        0 => {
            if let Some(parent) = get_mut(doc, parent_path) {
                match parent {
                    Value::Object(map) => {
                        map.remove(last);
                    }
                    Value::Array(items) => {
                        if let Ok(i) = last.parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            format!("removed /{}", target.join("/"))
        }
        1 => {
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
            if let Some(node) = get_mut(doc, &target) {
                *node = replacement;
            }
            format!("swapped /{}", target.join("/"))
        }
        2 => {
            let refs = [
                "#/components/schemas/Missing",
                "#/nowhere",
                "other.yaml#/x",
                "#",
                "##",
            ];
            let reference = refs[rng.below(refs.len())];
            if let Some(node) = get_mut(doc, &target) {
                *node = serde_json::json!({ "$ref": reference });
            }
            format!("broke a ref at /{}", target.join("/"))
        }
        3 => {
            // A schema that refers to itself, directly or through allOf.
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
            if let Some(node) = get_mut(doc, &target) {
                *node = serde_json::json!({ "$ref": "#/components/schemas/Loop" });
            }
            format!("looped a ref at /{}", target.join("/"))
        }
        4 => {
            let donor = all[rng.below(all.len())].clone();
            let graft = get_mut(doc, &donor).map(|v| v.clone());
            if let (Some(graft), Some(node)) = (graft, get_mut(doc, &target)) {
                *node = graft;
            }
            format!("grafted /{} onto /{}", donor.join("/"), target.join("/"))
        }
        _ => {
            if let Some(Value::Object(map)) = get_mut(doc, &target) {
                let kinds = ["strange", "null", "object", "array", "integer"];
                map.insert(
                    "type".to_string(),
                    Value::from(kinds[rng.below(kinds.len())]),
                );
            }
            format!("retyped /{}", target.join("/"))
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let settings = codegen::Settings {
        crate_name: "mutant".to_string(),
        spec_path: "mutant.json".to_string(),
        command: "test".to_string(),
    };
    let mut cases = 0;
    let mut ok = 0;
    let mut errors = 0;
    for (doc_index, (name, original)) in documents().into_iter().enumerate() {
        for case in 0..CASES_PER_DOCUMENT {
            let seed = 0x9E37_79B9_7F4A_7C15u64 ^ ((doc_index as u64) << 32) ^ case as u64;
            let mut rng = Rng(seed.max(1));
            let mut doc = original.clone();
            let steps: Vec<String> = (0..=rng.below(3))
                .map(|_| mutate(&mut doc, &mut rng))
                .collect();
            let text = if rng.below(2) == 0 {
                serde_json::to_string(&doc).expect("a Value always serializes")
            } else {
                serde_yaml::to_string(&doc).expect("a Value always serializes")
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate(&text, &settings)));
            cases += 1;
            match outcome {
                Ok(Ok(_)) => ok += 1,
                Ok(Err(e)) => {
                    errors += 1;
                    assert!(
                        e.pointer.starts_with('#') && !e.message.is_empty(),
                        "{name} case {case} ({steps:?}): error without a pointer: {e:?}"
                    );
                }
                Err(_) => panic!(
                    "{name} case {case} (seed {seed:#x}): the generator panicked after {steps:?}"
                ),
            }
        }
    }
    println!("mutation cases: {cases} ({ok} generated, {errors} rejected with a pointer)");
    assert_eq!(cases, ok + errors);
    assert!(
        ok > 0 && errors > 0,
        "the mutations should produce both outcomes"
    );
}
