//! Behaviour of the client generated from `codegen/tests/fixtures/inheritance.yaml`: ASP.NET
//! inheritance (a base with a `discriminator`, subtypes through `allOf`). Each subtype writes its
//! own tag value (no field or argument to get wrong), the base and a `oneOf` over subtypes select
//! the variant by the tag; a tag no subtype has (the base's own, or a newer subtype's) reads as
//! the base's members, and what is not an animal at all is an error, never a panic.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-inheritance` crate and
//! runs `cargo test` there. Only loopback traffic (wiremock on 127.0.0.1).

use fixture_inheritance::types::{
    AddAnimalBody, Animal, AnimalBase, Cat, Dog, Kitten, Parrot, Shelter,
};
use fixture_inheritance::{Client, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `value` written as JSON, read back as `T`, and written again: the same JSON both times.
fn round_trip<T>(value: &T) -> Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_value(value).expect("serialize");
    let back: T = serde_json::from_value(json.clone()).expect("deserialize");
    assert_eq!(&back, value);
    assert_eq!(serde_json::to_value(&back).expect("serialize again"), json);
    json
}

#[test]
fn each_subtype_writes_its_own_tag_and_reads_back() {
    assert_eq!(
        round_trip(&Cat::new().with_name("Tom").with_lives_left(9)),
        json!({"animalType": "Cat", "name": "Tom", "livesLeft": 9})
    );
    assert_eq!(
        round_trip(&Dog::new(true)),
        json!({"animalType": "Dog", "goodBoy": true})
    );
    assert_eq!(
        round_trip(&Kitten::new().with_age_weeks(6)),
        json!({"animalType": "kitten", "ageWeeks": 6}),
        "the mapping's key (a bare schema name in the mapping) is the tag"
    );
    let mut parrot = Parrot::new().with_words(vec!["hello".to_string()]);
    parrot
        .additional_properties
        .insert("feathers".to_string(), 2);
    assert_eq!(
        round_trip(&parrot),
        json!({"animalType": "Parrot", "words": ["hello"], "feathers": 2}),
        "not in the mapping: its schema name; the tag stays out of the additional members"
    );
    assert_eq!(
        (Cat::TAG, Dog::TAG, Kitten::TAG, Parrot::TAG),
        ("Cat", "Dog", "kitten", "Parrot")
    );
}

#[test]
fn the_base_selects_the_subtype_by_its_tag() {
    let cases = [
        (
            json!({"animalType": "Cat", "name": "Tom"}),
            Animal::Cat(Cat::new().with_name("Tom")),
        ),
        (
            json!({"animalType": "Dog", "goodBoy": false}),
            Animal::Dog(Dog::new(false)),
        ),
        (
            json!({"animalType": "kitten", "livesLeft": 9, "ageWeeks": 3}),
            Animal::Kitten(Kitten::new().with_lives_left(9).with_age_weeks(3)),
        ),
    ];
    for (json, expected) in cases {
        let animal: Animal = serde_json::from_value(json.clone()).expect("a documented tag");
        assert_eq!(animal, expected);
        assert_eq!(round_trip(&animal), json);
    }
    let shelter: Shelter = serde_json::from_value(json!({
        "resident": {"animalType": "Dog", "goodBoy": true},
        "waiting": [{"animalType": "Cat"}, {"animalType": "kitten"}],
    }))
    .expect("the base used as a property and as array items");
    assert_eq!(shelter.resident, Some(Animal::Dog(Dog::new(true))));
    assert_eq!(
        shelter.waiting,
        Some(vec![Animal::Cat(Cat::new()), Animal::Kitten(Kitten::new())])
    );
}

#[test]
fn a_union_over_subtypes_selects_by_the_tag_not_the_shape() {
    let dog: AddAnimalBody =
        serde_json::from_value(json!({"animalType": "Dog", "goodBoy": true, "name": "Rex"}))
            .expect("tagged Dog");
    assert_eq!(dog, AddAnimalBody::Dog(Dog::new(true).with_name("Rex")));
    // Cat (all members optional) would accept this shape; the tag says Dog, which lacks its
    // required `goodBoy`, so reading fails rather than picking Cat.
    let mislabelled = serde_json::from_value::<AddAnimalBody>(json!({"animalType": "Dog"}));
    assert!(mislabelled.is_err(), "{mislabelled:?}");
}

#[test]
fn an_unknown_tag_reads_as_the_base_and_a_non_animal_is_an_error() {
    for (json, name) in [
        (json!({"animalType": "Fish", "name": "Nemo"}), Some("Nemo")),
        (json!({"animalType": "Animal"}), None),
    ] {
        let animal: Animal = serde_json::from_value(json.clone()).expect("the base's members");
        let tag = json["animalType"].as_str().unwrap_or_default();
        let mut expected = AnimalBase::new(tag);
        expected.name = name.map(str::to_string);
        assert_eq!(animal, Animal::Other(expected));
        assert_eq!(round_trip(&animal), json, "written back as it came");
    }
    for json in [
        json!({"animalType": 7}),
        json!({"name": "untagged"}),
        json!("Cat"),
    ] {
        let result = serde_json::from_value::<Animal>(json.clone());
        assert!(result.is_err(), "{json}: {result:?}");
    }
}

#[tokio::test]
async fn requests_carry_the_tag_and_responses_are_read_by_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"animalType": "Dog", "goodBoy": true, "name": "Rex"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"animalType": "Cat", "livesLeft": 7},
            {"animalType": "Fish"},
        ])))
        .mount(&server)
        .await;
    let api = Client::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds");
    let stored = api
        .add_animal(&AddAnimalBody::Dog(Dog::new(true).with_name("Rex")))
        .await
        .expect("200 is Ok")
        .into_inner();
    assert_eq!(stored, Animal::Dog(Dog::new(true).with_name("Rex")));
    let requests = server.received_requests().await.expect("recording is on");
    let sent: Value = serde_json::from_slice(&requests[0].body).expect("a JSON body");
    assert_eq!(
        sent,
        json!({"animalType": "Dog", "goodBoy": true, "name": "Rex"})
    );

    let animals = api
        .list_animals()
        .await
        .expect("an unknown tag still reads")
        .into_inner();
    assert_eq!(
        animals,
        [
            Animal::Cat(Cat::new().with_lives_left(7)),
            Animal::Other(AnimalBase::new("Fish")),
        ]
    );
}
