//! Behaviour of the code generated (leniently, as `cargo xtask generate` does) from
//! `codegen/tests/fixtures/broken_refs.yaml`: members whose `$ref` cannot be followed hold any
//! JSON value, and the rest of the document is typed as usual.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-broken-refs` crate and
//! runs `cargo test` there.

use fixture_broken_refs::types::Order;
use serde_json::json;

#[test]
fn members_with_broken_refs_hold_any_json_and_the_rest_is_typed() {
    let order: Order = serde_json::from_value(json!({
        "id": "A-1",
        "customer": {"name": "Ann", "tags": [1, 2]},
        "note": "free text",
        "lines": [{"sku": "x"}, 7],
    }))
    .expect("deserialize");
    assert_eq!(order.id, "A-1");
    assert_eq!(order.customer, Some(json!({"name": "Ann", "tags": [1, 2]})));
    assert_eq!(order.note, Some(json!("free text")));
    assert_eq!(order.lines, Some(vec![json!({"sku": "x"}), json!(7)]));
    assert_eq!(
        serde_json::to_value(&order).expect("serialize"),
        json!({
            "id": "A-1",
            "customer": {"name": "Ann", "tags": [1, 2]},
            "note": "free text",
            "lines": [{"sku": "x"}, 7],
        })
    );
}
