//! Hostile and odd documents, each built here: the generator returns an error naming the place,
//! or output that is right (with a warning where it leaves something out), in bounded time and
//! memory, and never panics. The output of the odd-but-valid cases is compiled by the xtask test
//! through `tests/fixtures/hostile.yaml`.

use codegen::{Error, Generated, Settings};
use serde_json::{Value, json};

fn settings() -> Settings {
    Settings {
        crate_name: "hostile".to_string(),
        spec_path: "hostile.yaml".to_string(),
        command: "cargo xtask generate".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

fn generate(text: &str) -> Result<Generated, Error> {
    codegen::generate(text, &settings())
}

fn ok(text: &str) -> Generated {
    generate(text).unwrap_or_else(|e| panic!("generate failed: {e}"))
}

fn err(text: &str) -> Error {
    match generate(text) {
        Ok(_) => panic!("generate succeeded on:\n{text}"),
        Err(e) => e,
    }
}

/// A document with these component schemas (YAML flow or block text, indented by 4).
fn with_schemas(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

/// A JSON document with these component schemas.
fn json_with_schemas(schemas: Value) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
    .to_string()
}

fn file<'g>(generated: &'g Generated, path: &str) -> &'g str {
    generated
        .files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

fn warnings(generated: &Generated) -> Vec<String> {
    generated.warnings.iter().map(ToString::to_string).collect()
}

fn has_warning(generated: &Generated, pointer: &str, words: &str) -> bool {
    generated
        .warnings
        .iter()
        .any(|w| w.pointer == pointer && w.message.contains(words))
}

// 1. Values JSON cannot hold reach no `expect` inside openapiv3.

#[test]
fn non_finite_and_oversized_numbers_are_refused_with_their_place() {
    for (keyword, value) in [
        ("minimum", ".inf"),
        ("maximum", "-.inf"),
        ("minimum", ".nan"),
        ("maxLength", ".inf"),
        ("minLength", ".NaN"),
        ("maxItems", ".Inf"),
        ("example", ".inf"),
        ("minimum", "99999999999999999999999"),
        ("minimum", "-99999999999999999999"),
    ] {
        let doc = with_schemas(&format!("    S: {{type: integer, {keyword}: {value}}}\n"));
        let e = err(&doc);
        assert_eq!(
            e.pointer,
            format!("#/components/schemas/S/{keyword}"),
            "{keyword}: {value}: {e}"
        );
        assert!(
            e.message.contains("JSON") || e.message.contains("64 bits"),
            "{keyword}: {value}: {e}"
        );
    }
    // JSON cannot even write them; a number out of range is a syntax error, not a panic.
    let e = err(
        &json_with_schemas(json!({"S": {"type": "integer"}})).replace(
            "\"type\":\"integer\"",
            "\"type\":\"integer\",\"minimum\":1e400",
        ),
    );
    assert_eq!(e.pointer, "#", "{e}");
}

#[test]
fn members_openapiv3_reads_as_one_enum_may_not_both_be_there() {
    // Found by the fuzz target: `schema` and `content` together made openapiv3 panic.
    let parameter = json!({"name": "q", "in": "query", "schema": null, "content": {"application/json": {"schema": null}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"parameters": [parameter]}},
    });
    let e = err(&doc.to_string());
    assert_eq!(e.pointer, "#/paths/~1a/parameters/0", "{e}");
    assert!(e.message.contains("either `schema` or `content`"), "{e}");
    let header = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  headers:\n    H: {schema: {type: string}, content: {text/plain: {}}}\n  links:\n    L: {operationId: a, operationRef: '#/paths/~1a/get'}\n";
    let e = err(header);
    assert_eq!(e.pointer, "#/components/headers/H", "{e}");
    let e = err(&header.replace(
        "    H: {schema: {type: string}, content: {text/plain: {}}}\n",
        "    H: {schema: {type: string}}\n",
    ));
    assert_eq!(e.pointer, "#/components/links/L", "{e}");
    assert!(
        e.message.contains("either `operationRef` or `operationId`"),
        "{e}"
    );
    // Examples and property names are free to use those words.
    ok(&with_schemas(
        "    S:\n      type: object\n      properties:\n        parameters: {type: object, properties: {schema: {type: string}, content: {type: string}}}\n      example: {parameters: [{schema: 1, content: 2}]}\n",
    ));
}

// 2. What aliases may expand to is bounded.

/// A list of `items` strings of `width` characters, anchored as `&a`, aliased `uses` times in
/// `place` (a YAML key holding a list of the aliases).
fn alias_bomb(items: usize, width: usize, uses: usize, place: &str) -> String {
    let item = "x".repeat(width);
    let list: Vec<String> = (0..items).map(|_| item.clone()).collect();
    let aliases = vec!["*a"; uses].join(", ");
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-anchor: &a [{}]\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        p: {{type: string}}\n      {place}: [{aliases}]\n",
        list.join(", ")
    )
}

#[test]
fn wide_aliases_are_stopped_in_proportion_to_the_text() {
    // 1,000 strings of 20 bytes aliased 20,000 times: 21 KB of text, 400 MB expanded.
    for place in ["x-uses", "example"] {
        let doc = alias_bomb(1000, 20, 20_000, place);
        assert!(doc.len() < 200_000);
        let e = err(&doc);
        assert!(
            e.message.contains("expands to more than 4 times its size"),
            "{place}: {e}"
        );
        assert!(
            e.pointer.starts_with("#/components/schemas/S"),
            "{place}: {e}"
        );
    }
    // Ordinary reuse stays well inside the bound.
    let generated = ok(&alias_bomb(10, 20, 3, "example"));
    assert!(file(&generated, "src/generated/types.rs").contains("Example:"));
}

// 3. Bounded time: deep flow nesting is refused before the YAML parser sees it.

#[test]
fn deep_flow_nesting_is_refused_before_parsing() {
    let depth = 150_000;
    let doc = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = err(&doc);
    assert_eq!(e.pointer, "#");
    assert!(
        e.message.contains("nested more than 256 levels deep"),
        "{e}"
    );
}

#[test]
fn thousands_of_names_that_collapse_to_one_identifier_are_numbered() {
    let count = 20_000;
    // `a`, `-a`, `a-`, `--a`, ...: every one becomes the field `a` or the type `A`.
    let spelled = |i: usize| {
        let mut name = String::new();
        let mut n = i;
        while n > 0 {
            name.push(['-', '.', '~', '$'][n % 4]);
            n /= 4;
        }
        name.push('a');
        name
    };
    let properties: serde_json::Map<String, Value> = (0..count)
        .map(|i| (spelled(i), json!({"type": "string"})))
        .collect();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "S".to_string(),
        json!({"type": "object", "properties": properties}),
    );
    let types = 2_000;
    for i in 0..types {
        schemas.insert(
            spelled(i),
            json!({"type": "object", "properties": {"p": {"type": "string"}}}),
        );
    }
    let generated = ok(&json_with_schemas(Value::Object(schemas)));
    let rust = file(&generated, "src/generated/types.rs");
    assert!(rust.contains(&format!("pub a_{count}: Option<String>")));
    assert!(rust.contains(&format!("pub struct A{types} {{")));
}

// 4. Odd but valid documents give output that compiles (tests/fixtures/hostile.yaml is built
// with clippy and rustdoc by the xtask test); here, the shape of that output.

fn hostile_fixture() -> Generated {
    let text = include_str!("fixtures/hostile.yaml");
    ok(text)
}

#[test]
fn recursion_through_arrays_and_maps_becomes_newtype_structs() {
    let generated = hostile_fixture();
    let types = file(&generated, "src/generated/types.rs");
    assert!(types.contains("pub struct Tree(pub Vec<Tree>);"), "{types}");
    assert!(
        types.contains("pub struct Graph(pub ::std::collections::BTreeMap<String, Graph>);"),
        "{types}"
    );
    assert!(types.contains("pub struct Outer(pub Inner);"), "{types}");
    assert!(
        types.contains("pub struct Inner(pub Vec<Outer>);"),
        "{types}"
    );
    assert!(types.contains("pub type Plain = Vec<String>;"), "{types}");
}

#[test]
fn control_characters_never_reach_comments_or_cargo_toml() {
    let generated = hostile_fixture();
    for file in &generated.files {
        let bad = file.contents.chars().find(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t')) || ('\u{202a}'..='\u{202e}').contains(c)
        });
        assert_eq!(bad, None, "{} holds {bad:?}", file.path);
    }
    let cargo = file(&generated, "Cargo.toml");
    assert!(
        cargo.contains(
            r#"description = "Async client for Odd \"title\" \\ with\u000Aa break\u0007""#
        ),
        "{cargo}"
    );
}

#[test]
fn control_characters_in_paths_ids_and_media_types_stay_out_of_comments() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/it\u{202e}ems\r`": {"post": {
            "operationId": "list\rthem\u{7}",
            "requestBody": {"content": {"application/octet-stream\r\u{1b}": {}}},
            "responses": {"200": {"description": "ok"}},
        }}},
    });
    let generated = ok(&doc.to_string());
    let operations = file(&generated, "src/generated/operations.rs");
    let bad = operations.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t')) || ('\u{202a}'..='\u{202e}').contains(c)
    });
    assert_eq!(bad, None, "{operations}");
    assert!(operations.contains(r"list them\u{7}"), "{operations}");
}

#[test]
fn a_member_listed_twice_behind_a_discriminator_is_listed_once() {
    let generated = hostile_fixture();
    assert!(
        has_warning(
            &generated,
            "#/components/schemas/Pet/oneOf/2",
            "listed again"
        ),
        "{:?}",
        warnings(&generated)
    );
    assert!(
        has_warning(
            &generated,
            "#/components/schemas/Pet/oneOf/3",
            "already names an earlier variant"
        ),
        "{:?}",
        warnings(&generated)
    );
    let types = file(&generated, "src/generated/types.rs");
    assert_eq!(types.matches("\"cat\" => {").count(), 1, "{types}");
}

#[test]
fn a_pure_cycle_of_refs_is_an_error_naming_it() {
    let e = err(&with_schemas(
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    ));
    assert_eq!(e.pointer, "#/components/schemas/A");
    assert!(e.message.contains("A → B → A"), "{e}");
}

// 5. Command-line input is validated or escaped before it reaches code.

#[test]
fn crate_names_are_checked_as_cargo_does() {
    let doc = with_schemas("    S: {type: string}\n");
    for name in [
        "",
        "a\"b",
        "a\nb",
        "../../x",
        "x y",
        "1st",
        "fn",
        "self",
        "core",
        "é",
        &"a".repeat(65),
    ] {
        let e = codegen::generate(
            &doc,
            &Settings {
                crate_name: name.to_string(),
                ..settings()
            },
        )
        .expect_err(name);
        assert!(e.message.starts_with("crate name: "), "{name:?}: {e}");
    }
    for name in ["gks-api", "my_client", "_private", "a1"] {
        assert!(codegen::check_crate_name(name).is_ok(), "{name}");
    }
}

#[test]
fn a_spec_path_with_a_newline_stays_inside_the_header_comment() {
    let doc = with_schemas("    S: {type: string}\n");
    let generated = codegen::generate(
        &doc,
        &Settings {
            spec_path: "evil\npub fn injected() {}\r//.yaml".to_string(),
            command: "cargo\u{202e} xtask".to_string(),
            ..settings()
        },
    )
    .expect("generates");
    for file in &generated.files {
        let header = file.contents.lines().next().unwrap_or_default();
        assert!(
            header.contains(r"evil\u{a}pub fn injected() {}\u{d}//.yaml"),
            "{}: {header}",
            file.path
        );
        assert!(
            header.contains(r"cargo\u{202e} xtask"),
            "{}: {header}",
            file.path
        );
        assert!(
            !file.contents.contains("\npub fn injected"),
            "{}",
            file.path
        );
    }
}

// 6. Nothing is silently wrong.

#[test]
fn merge_keys_are_refused_with_their_place() {
    let doc = with_schemas(
        "    Base: &base {type: object, properties: {a: {type: string}}}\n    S:\n      <<: *base\n      description: merged\n",
    );
    let e = err(&doc);
    assert!(e.pointer.starts_with("#/components/schemas/S"), "{e}");
    assert!(e.message.contains("merge keys"), "{e}");
}

#[test]
fn custom_tags_are_refused_at_their_place() {
    let e = err(&with_schemas("    S: {type: string, maxLength: !big 3}\n"));
    assert_eq!(e.pointer, "#/components/schemas/S/maxLength", "{e}");
    assert!(e.message.contains("`!big`"), "{e}");
}

#[test]
fn patterns_use_ecma_262_classes_and_too_big_ones_are_not_enforced_with_a_warning() {
    let generated = ok(&with_schemas(
        "    S:\n      type: object\n      properties:\n        digits: {type: string, pattern: '^\\d+$'}\n        huge: {type: string, pattern: '.{50000}'}\n",
    ));
    let types = file(&generated, "src/generated/types.rs");
    assert!(
        types.contains(r#"regex::Regex::new("^[0-9]+$")"#),
        "{types}"
    );
    assert!(!types.contains(".{50000}\")"), "{types}");
    assert!(
        has_warning(
            &generated,
            "#/components/schemas/S/properties/huge/pattern",
            "larger than 1048576 bytes"
        ),
        "{:?}",
        warnings(&generated)
    );
}

#[test]
fn paths_without_a_slash_and_keys_that_are_no_status_codes_get_warnings() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  api/items: {get: {responses: {'200': {description: ok}}}}\n  /ok:\n    get:\n      responses:\n        '200': {description: ok}\n        abc: {description: odd}\n        0: {description: zero}\n        4XX: {description: fine}\n";
    let generated = ok(doc);
    assert!(
        has_warning(&generated, "#/paths/api~1items", "must start with `/`"),
        "{:?}",
        warnings(&generated)
    );
    assert!(
        has_warning(
            &generated,
            "#/paths/~1ok/get/responses/abc",
            "not a status code"
        ),
        "{:?}",
        warnings(&generated)
    );
    assert!(
        has_warning(
            &generated,
            "#/paths/~1ok/get/responses/0",
            "not a status code"
        ),
        "{:?}",
        warnings(&generated)
    );
    assert!(
        !generated
            .warnings
            .iter()
            .any(|w| w.pointer.ends_with("4XX")),
        "{:?}",
        warnings(&generated)
    );
    assert_eq!(generated.operation_count, 1);
}

#[test]
fn trailing_text_after_a_json_document_is_an_error() {
    let doc = format!("{} {{\"more\": 1}}", json_with_schemas(json!({})));
    let e = err(&doc);
    assert!(
        e.message.contains("not valid JSON") && e.message.contains("trailing"),
        "{e}"
    );
}

#[test]
fn discriminator_mappings_by_bare_name_count_and_dangling_ones_are_errors() {
    let schemas = |mapping: &str| {
        with_schemas(&format!(
            "    Cat: {{type: object, required: [kind], properties: {{kind: {{type: string}}}}}}\n    Dog: {{type: object, required: [kind], properties: {{kind: {{type: string}}}}}}\n    Pet:\n      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]\n      discriminator:\n        propertyName: kind\n        mapping: {{{mapping}}}\n"
        ))
    };
    let generated = ok(&schemas("kitty: Cat, doggo: '#/components/schemas/Dog'"));
    let types = file(&generated, "src/generated/types.rs");
    assert!(types.contains("\"kitty\" => {"), "{types}");
    assert!(types.contains("\"doggo\" => {"), "{types}");
    let e = err(&schemas("ghost: Ghost"));
    assert_eq!(
        e.pointer, "#/components/schemas/Pet/discriminator/mapping/ghost",
        "{e}"
    );
    assert!(e.message.contains("no schema named \"Ghost\""), "{e}");
}

// 7. Messages say what happened, where it is.

#[test]
fn a_long_chain_of_refs_is_followed_not_called_a_cycle() {
    let mut schemas = String::new();
    for i in 0..65 {
        schemas.push_str(&format!(
            "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    schemas.push_str("    S65: {type: object, properties: {a: {type: string}}}\n");
    schemas
        .push_str("    User: {type: object, properties: {s: {$ref: '#/components/schemas/S0'}}}\n");
    let generated = ok(&with_schemas(&schemas));
    assert!(file(&generated, "src/generated/types.rs").contains("pub type S0 = S1;"));
}

#[test]
fn a_self_all_of_is_reported_where_it_is() {
    let e = err(&with_schemas(
        "    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {x: {type: string}}}\n",
    ));
    assert_eq!(e.pointer, "#/components/schemas/A/allOf/0", "{e}");
    assert!(e.message.contains("leads back to \"A\""), "{e}");
}

/// An operation taking the parameter `#/components/parameters/P0`, with these components.
fn with_parameters(parameters: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/P0'}}]\n      responses: {{'204': {{description: none}}}}\ncomponents:\n  parameters:\n{parameters}"
    )
}

#[test]
fn parameter_refs_are_followed_as_far_as_schema_refs_and_cycles_are_errors() {
    let mut chain = String::new();
    for i in 0..20 {
        chain.push_str(&format!(
            "    P{i}: {{$ref: '#/components/parameters/P{}'}}\n",
            i + 1
        ));
    }
    chain.push_str("    P20: {name: limit, in: query, schema: {type: integer}}\n");
    let generated = ok(&with_parameters(&chain));
    assert!(file(&generated, "src/generated/operations.rs").contains("limit: Option<i64>"));

    let e = err(&with_parameters(
        "    P0: {$ref: '#/components/parameters/P1'}\n    P1: {$ref: '#/components/parameters/P0'}\n",
    ));
    assert_eq!(e.pointer, "#/paths/~1a/get/parameters/0", "{e}");
    assert_eq!(e.message, "a cycle of $refs", "{e}");
}
