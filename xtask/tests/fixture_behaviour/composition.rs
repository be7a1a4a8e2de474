//! Behaviour of the code generated from `codegen/tests/fixtures/composition.yaml` (allOf, recursion, inline names, unions),
//! checked through serde and the `Validate` impls rather than by reading the source.
//!
//! Not an integration test of xtask itself: `generated_crates_build.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-composition` crate and runs
//! `cargo test` there.

#![allow(deprecated)]

use fixture_composition::runtime::Validate;
use fixture_composition::types::{
    Animal, Dog, Order, OrderLinesItem, OrderShipping2, Pet, PetRequired, Shape, TreeNode,
};
use serde_json::json;

#[test]
fn all_of_merges_members_into_one_struct() {
    let pet: Pet =
        serde_json::from_value(json!({"name": "Rex", "id": 1, "tag": "t"})).expect("deserialize");
    assert_eq!(
        (pet.name.as_str(), pet.id, pet.tag.as_deref()),
        ("Rex", 1, Some("t"))
    );
    assert!(
        serde_json::from_value::<Pet>(json!({"name": "Rex"})).is_err(),
        "id is required by the second member"
    );
    let dog: Dog =
        serde_json::from_value(json!({"name": "Rex", "id": 1, "barks": true, "breed": "b"}))
            .expect("deserialize");
    assert!(dog.barks);
    assert!(
        Pet::new(PetRequired {
            name: String::new(),
            id: 1
        })
        .validate()
        .is_err(),
        "NewPet's minLength applies to Pet"
    );
}

#[test]
fn recursive_types_round_trip() {
    let tree = json!({
        "value": "root",
        "children": [{"value": "a", "children": []}],
        "firstChild": {"value": "a", "children": []},
        "parent": null,
    });
    let node: TreeNode = serde_json::from_value(tree).expect("deserialize");
    assert_eq!(node.children.len(), 1);
    assert_eq!(
        node.first_child.as_ref().map(|c| c.value.as_str()),
        Some("a")
    );
    let back = serde_json::to_value(&node).expect("serialize");
    assert_eq!(back["children"][0]["value"], json!("a"));
}

#[test]
fn inline_objects_get_parent_and_property_names() {
    let order: Order = serde_json::from_value(json!({
        "shipping": {"street": "Main", "geo": {"lat": 1.0, "lon": 2.0}},
        "lines": [{"sku": "abc-1", "qty": 2}],
    }))
    .expect("deserialize");
    let shipping: OrderShipping2 = order.shipping.clone().expect("shipping");
    assert_eq!(shipping.street.as_deref(), Some("Main"));
    assert!(order.validate().is_ok());
    let bad = Order::new().with_lines(vec![OrderLinesItem::new().with_sku("ABC")]);
    assert_eq!(
        bad.validate()
            .expect_err("pattern on an inline item")
            .pointer(),
        "/lines/0/sku"
    );
}

#[test]
fn discriminated_unions_pick_the_variant_by_tag() {
    let cat: Animal =
        serde_json::from_value(json!({"petType": "kitty", "meows": true})).expect("cat");
    assert!(matches!(cat, Animal::Cat(_)), "{cat:?}");
    let hound: Animal =
        serde_json::from_value(json!({"petType": "Hound", "name": ""})).expect("hound");
    assert!(matches!(hound, Animal::Hound(_)), "{hound:?}");
    assert!(hound.validate().is_err(), "Hound.name has minLength 1");
}

#[test]
fn one_of_without_a_tag_picks_the_member_that_matches() {
    // oneOf means exactly one member matches. {"side": 2} is a Square; a Circle has no `side`.
    let shape: Shape = serde_json::from_value(json!({"side": 2.0})).expect("a square");
    assert!(
        matches!(shape, Shape::Square(_)),
        "{{\"side\": 2}} decoded as {shape:?}"
    );
    let shape: Shape = serde_json::from_value(json!({"radius": 1.0})).expect("a circle");
    assert!(matches!(shape, Shape::Circle(_)), "{shape:?}");
}
