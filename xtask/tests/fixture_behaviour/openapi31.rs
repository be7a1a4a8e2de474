//! Behaviour of the code generated from the OpenAPI 3.1 fixture
//! `codegen/tests/fixtures/openapi31.yaml`: type lists with `"null"`, Swashbuckle's nullable
//! reference, `oneOf` with a `null` member, a nullable integer enum, `const`, checked through serde.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-openapi31` crate and runs
//! `cargo test` there.

#![allow(deprecated)]

use fixture_openapi31::types::{Owner, Pet, PetKind, PetSpecies};
use serde_json::json;

#[test]
fn nullable_references_and_type_lists_read_null_as_none() {
    let pet: Pet = serde_json::from_value(json!({
        "id": 1,
        "name": null,
        "owner": null,
        "previousOwner": null,
        "kind": 2,
        "species": "dog",
        "extra": {"any": [1, "thing"]},
    }))
    .expect("3.1 nulls are accepted");
    assert_eq!(pet.name, None);
    assert_eq!(pet.owner, None);
    assert_eq!(pet.previous_owner, None);
    assert_eq!(pet.kind, Some(PetKind::Value2));
    assert_eq!(pet.species, Some(PetSpecies::Dog));
    assert_eq!(pet.extra, Some(json!({"any": [1, "thing"]})));
}

#[test]
fn required_nullable_members_are_sent_as_null() {
    let pet: Pet = serde_json::from_value(json!({
        "id": 3,
        "name": null,
        "owner": {"name": "Ann"},
    }))
    .expect("deserialize");
    assert_eq!(pet.name, None);
    assert_eq!(pet.owner, Some(Owner::new("Ann")));
    assert_eq!(
        serde_json::to_value(&pet).expect("serialize"),
        json!({"id": 3, "name": null, "owner": {"name": "Ann"}})
    );
    let without_owner: Pet =
        serde_json::from_value(json!({"id": 4, "name": "Rex"})).expect("deserialize");
    assert_eq!(
        serde_json::to_value(&without_owner).expect("serialize"),
        json!({"id": 4, "name": "Rex", "owner": null}),
        "the required nullable member is always sent"
    );
}
