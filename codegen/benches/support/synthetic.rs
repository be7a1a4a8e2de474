//! The synthetic OpenAPI documents the generator benchmarks time (`benches/generate.rs` and
//! the comparison with progenitor in `codegen/compare/`), so both measure the same input.

use serde_json::{Map, Value, json};

/// The synthetic document sizes, in operations.
pub const SIZES: [usize; 3] = [100, 1_000, 5_000];

/// A synthetic OpenAPI 3.0.3 document with `n` operations of a realistic shape: each has a
/// path parameter, a query parameter, a JSON request body referring to its own component
/// schema (9 properties: integer, string with limits, enum, date-time, number, array of
/// strings, nested object, array of nested objects with an enum, nullable string) and
/// 200/400/404 responses (200 with its own response schema, 400/404 a shared ProblemDetails).
#[allow(
    clippy::too_many_lines,
    reason = "a template: one `json!` literal of the document, long because the document is"
)]
pub fn synthetic_spec(n: usize) -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "ProblemDetails".into(),
        json!({
            "type": "object",
            "properties": {
                "type": {"type": "string", "nullable": true},
                "title": {"type": "string", "nullable": true},
                "status": {"type": "integer", "format": "int32", "nullable": true},
                "detail": {"type": "string", "nullable": true},
                "instance": {"type": "string", "nullable": true}
            },
            "additionalProperties": {}
        }),
    );
    for i in 0..n {
        let resource = format!("Resource{i}");
        let method = if i % 2 == 0 { "post" } else { "put" };
        let operation = json!({
            "tags": [format!("group{}", i / 50)],
            "operationId": format!("update{resource}"),
            "summary": format!("Updates resource {i}."),
            "description": format!("Updates one resource of kind {i}. Answers 404 when it does not exist."),
            "parameters": [
                {
                    "name": "resourceId",
                    "in": "path",
                    "required": true,
                    "schema": {"type": "string", "minLength": 1}
                },
                {
                    "name": "dryRun",
                    "in": "query",
                    "required": false,
                    "schema": {"type": "boolean"}
                }
            ],
            "requestBody": {
                "required": true,
                "content": {
                    "application/json": {
                        "schema": {"$ref": format!("#/components/schemas/{resource}")}
                    }
                }
            },
            "responses": {
                "200": {
                    "description": "Success.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": format!("#/components/schemas/{resource}Result")}
                        }
                    }
                },
                "400": {
                    "description": "Bad request.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProblemDetails"}
                        }
                    }
                },
                "404": {
                    "description": "Not found.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProblemDetails"}
                        }
                    }
                }
            }
        });
        let mut item = Map::new();
        item.insert(method.into(), operation);
        paths.insert(
            format!("/api/v1/resources{i}/{{resourceId}}"),
            Value::Object(item),
        );
        schemas.insert(
            resource.clone(),
            json!({
                "type": "object",
                "description": format!("Resource of kind {i}."),
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "status": {"type": "string", "enum": ["active", "inactive", "archived"]},
                    "createdAt": {"type": "string", "format": "date-time", "readOnly": true},
                    "price": {"type": "number", "format": "double"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "address": {
                        "type": "object",
                        "properties": {
                            "street": {"type": "string"},
                            "city": {"type": "string"},
                            "zipCode": {"type": "string", "maxLength": 10}
                        }
                    },
                    "lines": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sku"],
                            "properties": {
                                "sku": {"type": "string"},
                                "quantity": {"type": "integer", "format": "int32"},
                                "unit": {"type": "string", "enum": ["pcs", "kg", "m2"]}
                            }
                        }
                    },
                    "note": {"type": "string", "nullable": true}
                }
            }),
        );
        schemas.insert(
            format!("{resource}Result"),
            json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "version": {"type": "integer", "format": "int32"}
                }
            }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Synthetic API ({n} operations)"), "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}
