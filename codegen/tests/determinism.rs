//! The generator is a pure function of its input: the same document gives byte-identical
//! output every time, and the same document written as JSON or as YAML gives the same code.

use std::path::{Path, PathBuf};

use codegen::{Generated, Settings};

fn settings() -> Settings {
    Settings {
        crate_name: "determinism".to_string(),
        spec_path: "spec.yaml".to_string(),
        command: "cargo xtask generate".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

/// Every `tests/fixtures/*.yaml` and the gks spec.
fn documents() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut docs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            (
                path.file_stem()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                path,
            )
        })
        .collect();
    docs.sort();
    assert!(docs.len() >= 5, "fixtures missing from {}", dir.display());
    docs.push((
        "gks".to_string(),
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gks.yaml")),
    ));
    docs
}

/// Generates as `cargo xtask generate` does (the `broken_refs` fixture needs it).
fn generate(label: &str, text: &str) -> Generated {
    codegen::generate_with(text, &settings(), codegen::Strictness::Lenient)
        .unwrap_or_else(|e| panic!("{label}: {e}"))
}

/// Asserts two outputs are identical file by file, naming the first file that differs.
fn assert_same_output(label: &str, a: &Generated, b: &Generated) {
    let paths = |g: &Generated| g.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(a), paths(b), "{label}: different file lists");
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.kind, y.kind, "{label}: kind of {}", x.path);
        if x.contents != y.contents {
            let line = x
                .contents
                .lines()
                .zip(y.contents.lines())
                .position(|(l, r)| l != r)
                .map_or_else(|| "the end".to_string(), |i| format!("line {}", i + 1));
            panic!("{label}: {} differs (first at {line})", x.path);
        }
    }
    assert_eq!(a.warnings, b.warnings, "{label}: different warnings");
    assert_eq!(
        a.dependencies, b.dependencies,
        "{label}: different dependencies"
    );
    assert_eq!(
        a.operation_count, b.operation_count,
        "{label}: operation count"
    );
    assert_eq!(a.type_count, b.type_count, "{label}: type count");
}

#[test]
fn generating_twice_gives_identical_files() {
    for (name, path) in documents() {
        let text = std::fs::read_to_string(&path).expect("read spec");
        let first = generate(&name, &text);
        let second = generate(&name, &text);
        assert_same_output(&name, &first, &second);
    }
}

/// Generation on other threads (fresh hash-map seeds, no shared state) agrees too.
#[test]
fn generating_on_several_threads_gives_identical_files() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gks.yaml"))
        .expect("read gks spec");
    let reference = generate("gks", &text);
    let outputs: Vec<Generated> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| generate("gks", &text)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("generator thread"))
            .collect()
    });
    for output in &outputs {
        assert_same_output("gks (thread)", &reference, output);
    }
}

/// The document re-encoded as JSON, keys in the same order as in the YAML.
fn yaml_to_json(yaml: &str) -> String {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("fixture is valid YAML");
    serde_json::to_string_pretty(&value).expect("fixture converts to JSON")
}

#[test]
fn json_and_yaml_of_every_fixture_give_identical_files() {
    for (name, path) in documents() {
        let yaml = std::fs::read_to_string(&path).expect("read spec");
        let json = yaml_to_json(&yaml);
        assert!(json.trim_start().starts_with('{'), "{name}: JSON form");
        let from_yaml = generate(&name, &yaml);
        let from_json = generate(&format!("{name} (JSON)"), &json);
        assert_same_output(&format!("{name}: YAML vs JSON"), &from_yaml, &from_json);
    }
}

const SMALL_YAML: &str = r#"openapi: 3.0.3
info:
  title: Small
  version: '1'
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: integer
            format: int64
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: integer
          format: int64
        name:
          type: string
          maxLength: 40
        tag:
          type: string
          nullable: true
        kind:
          type: string
          enum: [cat, dog]
"#;

const SMALL_JSON: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Small", "version": "1"},
  "paths": {
    "/pets/{petId}": {
      "get": {
        "operationId": "getPet",
        "parameters": [
          {"name": "petId", "in": "path", "required": true,
           "schema": {"type": "integer", "format": "int64"}}
        ],
        "responses": {
          "200": {
            "description": "A pet.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
            }
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Pet": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
          "id": {"type": "integer", "format": "int64"},
          "name": {"type": "string", "maxLength": 40},
          "tag": {"type": "string", "nullable": true},
          "kind": {"type": "string", "enum": ["cat", "dog"]}
        }
      }
    }
  }
}
"##;

#[test]
fn hand_written_json_and_yaml_give_identical_types() {
    let from_yaml = generate("small (YAML)", SMALL_YAML);
    let from_json = generate("small (JSON)", SMALL_JSON);
    let types = |g: &Generated| {
        g.files
            .iter()
            .find(|f| f.path == "src/generated/types.rs")
            .map(|f| f.contents.clone())
            .expect("types.rs")
    };
    assert_eq!(types(&from_yaml), types(&from_json));
    assert!(
        types(&from_json).contains("pub struct Pet"),
        "the Pet type is generated"
    );
    assert_same_output("small: YAML vs JSON", &from_yaml, &from_json);
    // A UTF-8 byte-order mark changes nothing either.
    let with_bom = generate("small (JSON with BOM)", &format!("\u{feff}{SMALL_JSON}"));
    assert_same_output("small: JSON vs JSON with BOM", &from_json, &with_bom);
}
