//! The generator's errors: each names the exact JSON pointer of the problem and says what is
//! wrong, and no input makes the generator panic.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use codegen::{Error, Generated, Settings};

fn settings() -> Settings {
    Settings {
        crate_name: "errors-fixture".to_string(),
        spec_path: "errors.yaml".to_string(),
        command: "cargo test".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    }
}

thread_local! {
    /// Set while this thread expects (and reports) panics itself.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// A panic hook that stays silent on threads running [`try_run`] and defers to the default
/// hook everywhere else, so the sweeps below do not print hundreds of backtraces.
fn install_quiet_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Runs the generator; `Err(message)` when it panicked.
fn try_run(doc: &str) -> Result<Result<Generated, Error>, String> {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(doc, &settings())));
    QUIET.with(|q| q.set(false));
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Runs the generator, turning a panic into a test failure that names the input.
fn run(doc: &str) -> Result<Generated, Error> {
    try_run(doc).unwrap_or_else(|message| panic!("the generator panicked ({message}) on:\n{doc}"))
}

/// The error for a document that must be rejected.
fn error_of(doc: &str) -> Error {
    match run(doc) {
        Ok(generated) => panic!(
            "expected an error, got {} files and warnings {:?} for:\n{doc}",
            generated.files.len(),
            generated.warnings
        ),
        Err(err) => err,
    }
}

/// Asserts the pointer exactly and that the message contains every fragment (case-insensitive).
fn assert_error(err: &Error, pointer: &str, fragments: &[&str]) {
    assert_eq!(err.pointer, pointer, "wrong pointer for error: {err}");
    let message = err.message.to_lowercase();
    for fragment in fragments {
        assert!(
            message.contains(&fragment.to_lowercase()),
            "message {:?} should mention {fragment:?}",
            err.message
        );
    }
    assert_eq!(err.to_string(), format!("{}: {}", err.pointer, err.message));
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: Errors\n  version: '1'\n";

/// A document with the standard head and the given `paths` and `components` sections.
fn doc(paths: &str, components: &str) -> String {
    format!("{HEAD}paths:\n{paths}{components}")
}

const SALES_ORDER_PATH: &str = "  /api/v1/salesorders:
    post:
      operationId: placeSalesOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/SalesOrder'
      responses:
        '200':
          description: OK
";

#[test]
fn malformed_yaml_names_the_root() {
    let err = error_of("openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n");
    assert_error(&err, "#", &["not valid YAML"]);
}

#[test]
fn malformed_json_names_the_root() {
    let err = error_of("{\"openapi\": \"3.0.3\", \"info\": ");
    assert_error(&err, "#", &["not valid JSON"]);
}

#[test]
fn dangling_ref_in_a_property_names_the_property() {
    let components = "components:
  schemas:
    SalesOrder:
      type: object
      properties:
        shipTo:
          $ref: '#/components/schemas/ShipTo'
";
    let err = error_of(&doc(SALES_ORDER_PATH, components));
    assert_error(
        &err,
        "#/components/schemas/SalesOrder/properties/shipTo",
        &["dangling", "#/components/schemas/ShipTo", "ShipTo"],
    );
}

#[test]
fn dangling_ref_inside_nullable_any_of_names_the_member() {
    let components = "components:
  schemas:
    SalesOrder:
      type: object
      properties:
        shipTo:
          nullable: true
          anyOf:
            - $ref: '#/components/schemas/ShipTo'
";
    let err = error_of(&doc(SALES_ORDER_PATH, components));
    assert_error(
        &err,
        "#/components/schemas/SalesOrder/properties/shipTo/anyOf/0",
        &["dangling", "ShipTo"],
    );
}

#[test]
fn dangling_ref_in_array_items_names_the_items() {
    let components = "components:
  schemas:
    SalesOrder:
      type: object
      properties:
        lines:
          type: array
          items:
            $ref: '#/components/schemas/SalesOrderLine'
";
    let err = error_of(&doc(SALES_ORDER_PATH, components));
    assert_error(
        &err,
        "#/components/schemas/SalesOrder/properties/lines/items",
        &["dangling", "SalesOrderLine"],
    );
}

#[test]
fn dangling_ref_in_a_request_body_names_the_body_schema() {
    let err = error_of(&doc(SALES_ORDER_PATH, ""));
    assert_error(
        &err,
        "#/paths/~1api~1v1~1salesorders/post/requestBody/content/application~1json/schema",
        &["dangling", "SalesOrder"],
    );
}

#[test]
fn dangling_parameter_ref_names_the_parameter() {
    let paths = "  /things:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '204':
          description: OK
";
    let err = error_of(&doc(paths, "components: {}\n"));
    assert_error(
        &err,
        "#/paths/~1things/get/parameters/0",
        &["dangling", "Limit", "#/components/parameters"],
    );
}

#[test]
fn dangling_request_body_and_response_refs_are_errors_when_strict() {
    let body = "  /things:
    post:
      requestBody:
        $ref: '#/components/requestBodies/Thing'
      responses:
        '204':
          description: OK
";
    let err = error_of(&doc(body, "components: {}\n"));
    assert_error(
        &err,
        "#/paths/~1things/post/requestBody",
        &["dangling", "Thing", "#/components/requestBodies"],
    );
    let response = "  /things:
    get:
      responses:
        '200':
          $ref: '#/components/responses/Thing'
";
    let err = error_of(&doc(response, "components: {}\n"));
    assert_error(
        &err,
        "#/paths/~1things/get/responses/200",
        &["dangling", "Thing", "#/components/responses"],
    );
}

#[test]
fn external_ref_is_rejected_at_the_use_site() {
    let components = "components:
  schemas:
    SalesOrder:
      type: object
      properties:
        shipTo:
          $ref: 'other.yaml#/components/schemas/ShipTo'
";
    let err = error_of(&doc(SALES_ORDER_PATH, components));
    assert_error(
        &err,
        "#/components/schemas/SalesOrder/properties/shipTo",
        &["unsupported $ref", "other.yaml"],
    );
}

#[test]
fn undeclared_path_parameter_names_the_operation() {
    let paths = "  /api/v1/customers/{customerNumber}:
    get:
      operationId: getCustomer
      responses:
        '200':
          description: OK
";
    let err = error_of(&doc(paths, ""));
    assert_error(
        &err,
        "#/paths/~1api~1v1~1customers~1{customerNumber}/get",
        &["customerNumber", "path parameter"],
    );
}

#[test]
fn path_parameter_missing_from_the_template_names_the_operation() {
    let paths = "  /api/v1/customers:
    get:
      parameters:
        - name: customerNumber
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: OK
";
    let err = error_of(&doc(paths, ""));
    assert_error(
        &err,
        "#/paths/~1api~1v1~1customers/get",
        &["customerNumber", "/api/v1/customers"],
    );
}

#[test]
fn unclosed_brace_in_a_path_names_the_path() {
    let paths = "  /things/{id:
    get:
      responses:
        '200':
          description: OK
";
    let err = error_of(&doc(paths, ""));
    assert_error(&err, "#/paths/~1things~1{id", &["unclosed"]);
}

#[test]
fn openapi_31_errors_point_into_the_original_document() {
    // A `$ref` with a sibling is read as `allOf: [{$ref}]`; its error names the `$ref`'s place.
    let err = error_of(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing', description: d}\n",
    );
    assert_error(
        &err,
        "#/components/schemas/A/properties/b",
        &["dangling $ref", "Missing"],
    );
    // A `{type: "null"}` member is dropped; the members after it keep their original index.
    let err = error_of(
        r##"{"openapi":"3.1.1","info":{"title":"t","version":"1"},"components":{"schemas":{"A":{"oneOf":[{"type":"null"},{"type":"string"},{"$ref":"#/components/schemas/Gone"}]}}}}"##,
    );
    assert_error(
        &err,
        "#/components/schemas/A/oneOf/2",
        &["dangling $ref", "Gone"],
    );
}

#[test]
fn other_versions_are_rejected_at_the_version() {
    let err = error_of("openapi: 4.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(&err, "#/openapi", &["4.0.0", "3.0"]);
    let err = error_of("openapi: 3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(&err, "#/openapi", &["version string"]);
}

#[test]
fn swagger_2_is_rejected_with_a_conversion_hint() {
    let err = error_of("swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(
        &err,
        "#/swagger",
        &["Swagger 2.0", "not supported", "OpenAPI 3.0"],
    );
}

#[test]
fn missing_version_names_the_root() {
    let err = error_of("info:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(&err, "#", &["openapi"]);
}

#[test]
fn empty_documents_name_the_root() {
    for text in ["", "   \n\t\n", "\u{feff}"] {
        let err = error_of(text);
        assert_error(&err, "#", &["empty"]);
    }
}

#[test]
fn non_object_documents_name_the_root() {
    for text in [
        "42",
        "- a\n- b\n",
        "[1, 2]",
        "\"just a string\"",
        "null",
        "true",
    ] {
        let err = error_of(text);
        assert_error(&err, "#", &[]);
        // The document is well-formed YAML; the message must say what is wrong with it
        // (not an object / not an OpenAPI document), not claim a syntax error.
        let message = err.message.to_lowercase();
        assert!(
            message.contains("object")
                || message.contains("mapping")
                || message.contains("openapi"),
            "{text:?}: message should say the document must be an object: {err}"
        );
    }
}

#[test]
fn shape_errors_name_the_offending_value() {
    let paths = "  /a:
    get:
      responses: 7
";
    let err = error_of(&doc(paths, ""));
    assert_error(
        &err,
        "#/paths/~1a/get/responses",
        &["not a valid OpenAPI 3.0 document"],
    );
}

#[test]
fn a_schema_that_is_only_a_ref_to_itself_is_an_error() {
    let components = "components:
  schemas:
    Loop:
      $ref: '#/components/schemas/Loop'
";
    let err = error_of(&doc("  {}\n", components));
    assert_error(&err, "#/components/schemas/Loop", &["$ref"]);
}

#[test]
fn a_cycle_of_alias_refs_is_an_error() {
    let components = "components:
  schemas:
    A:
      $ref: '#/components/schemas/B'
    B:
      $ref: '#/components/schemas/A'
";
    let err = error_of(&doc("  {}\n", components));
    assert_error(&err, "#/components/schemas/A", &["$ref"]);
}

/// A duplicated key (a common editing slip) is reported at (or above) the mapping that holds
/// it, in YAML and in JSON alike.
#[test]
fn duplicate_keys_are_an_error_not_a_panic() {
    let paths = "  /a:
    get:
      responses:
        '200':
          description: OK
          description: Again
";
    let json = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"OK","description":"Again"}}}}}}"#;
    for text in [doc(paths, ""), json.to_string()] {
        let err = error_of(&text);
        assert!(
            "#/paths/~1a/get/responses/200".starts_with(&err.pointer),
            "pointer {:?} should be the duplicated mapping or above it: {err}",
            err.pointer
        );
        assert!(
            err.message.contains("duplicate") && err.message.contains("description"),
            "message should name the duplicated key: {err}"
        );
    }
}

/// Runs every variant of the gks spec and lists those that made the generator panic.
fn assert_no_panics(variants: impl Iterator<Item = (String, String)>) {
    let mut panics = Vec::new();
    let mut errors = 0;
    for (label, text) in variants {
        match try_run(&text) {
            Err(message) => panics.push(format!("{label}: {message}")),
            Ok(Err(err)) => {
                assert!(
                    err.pointer.starts_with('#'),
                    "{label}: pointer {:?}",
                    err.pointer
                );
                assert!(!err.message.is_empty(), "{label}: empty message");
                errors += 1;
            }
            Ok(Ok(_)) => {}
        }
    }
    assert!(
        panics.is_empty(),
        "the generator panicked on {} document(s):\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert!(errors > 0, "some variants must be rejected");
}

fn gks_lines() -> Vec<&'static str> {
    include_str!("../../spec/gks.yaml").lines().collect()
}

/// Every prefix of the gks spec (cut at each line) gives a result or an error, never a panic.
#[test]
fn truncated_documents_never_panic() {
    let lines = gks_lines();
    assert_no_panics((0..=lines.len()).map(|end| {
        (
            format!("gks.yaml cut after line {end}"),
            lines[..end].join("\n"),
        )
    }));
}

/// Dropping any single line of the gks spec never makes the generator panic.
#[test]
fn documents_with_a_missing_line_never_panic() {
    let lines = gks_lines();
    assert_no_panics((0..lines.len()).map(|skip| {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        (
            format!(
                "gks.yaml without line {} ({:?})",
                skip + 1,
                lines[skip].trim()
            ),
            text.join("\n"),
        )
    }));
}
