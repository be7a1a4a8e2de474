//! Behaviour of the code generated from `codegen/tests/fixtures/scalars.yaml` (formats, enums, maps, constraints),
//! checked through serde and the `Validate` impls rather than by reading the source.
//!
//! Not an integration test of xtask itself: `generated_crates_build.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-scalars` crate and runs
//! `cargo test` there.

#![allow(deprecated)]

use fixture_scalars::runtime::Validate;
use fixture_scalars::types::{Flags, Priority, Readings, Sample, SampleRequired, Status};
use serde_json::json;

#[test]
fn string_enums_keep_unknown_values_and_round_trip() {
    let known: Status = serde_json::from_value(json!("on-hold")).expect("known value");
    assert_eq!(known, Status::OnHold);
    assert_eq!(known.to_string(), "on-hold");
    let unknown: Status = serde_json::from_value(json!("archived")).expect("unknown value");
    assert_eq!(unknown, Status::Unknown("archived".to_string()));
    assert_eq!(
        serde_json::to_value(&unknown).expect("serialize"),
        json!("archived")
    );
    assert_eq!(
        "Active".parse::<Status>().expect("documented"),
        Status::Active2
    );
    assert_eq!(
        "active".parse::<Status>().expect("documented"),
        Status::Active
    );
    assert!(
        "archived".parse::<Status>().is_err(),
        "FromStr accepts only documented values"
    );
    // The documented value "Unknown" is its own variant, not the catch-all.
    let documented: Status = serde_json::from_value(json!("Unknown")).expect("documented");
    assert_eq!(documented.as_str(), "Unknown");
    assert!(!matches!(documented, Status::Unknown(_)));
}

#[test]
fn integer_enums_keep_unknown_values() {
    assert_eq!(
        serde_json::from_value::<Priority>(json!(2)).expect("known"),
        Priority::Medium
    );
    assert_eq!(
        serde_json::from_value::<Priority>(json!(9)).expect("unknown"),
        Priority::Unknown(9)
    );
    assert_eq!(
        serde_json::to_value(Priority::High).expect("serialize"),
        json!(3)
    );
}

#[test]
fn formats_map_to_chrono_and_numbers() {
    let sample: Sample = serde_json::from_value(json!({
        "count32": 7,
        "count64": 9_000_000_000_i64,
        "ratio32": 0.5,
        "ratio64": 0.25,
        "status": "active",
        "at": "2024-01-02T03:04:05Z",
        "day": "2024-01-02",
        "matrix": [[1.0, 2.0]],
        "counters": {"a": 1},
        "freeForm": {"x": [1, {"y": null}]},
        "untyped": [1, "two"],
    }))
    .expect("deserialize");
    assert_eq!(sample.count32, 7_i32);
    assert_eq!(sample.count64, Some(9_000_000_000_i64));
    assert_eq!(sample.ratio32, Some(0.5_f32));
    assert_eq!(
        sample.day.map(|d| d.to_string()),
        Some("2024-01-02".to_string())
    );
    assert_eq!(sample.at.map(|t| t.timestamp()), Some(1_704_164_645));
    assert_eq!(
        sample.counters.and_then(|c| c.get("a").copied()),
        Some(1_i64)
    );
    assert_eq!(sample.untyped, Some(json!([1, "two"])));
    assert!(
        serde_json::from_value::<Sample>(json!({"count32": 3_000_000_000_i64, "status": "active"}))
            .is_err(),
        "int32 rejects values outside its range"
    );
}

#[test]
fn extra_members_land_in_the_flattened_map() {
    let flags: Flags =
        serde_json::from_value(json!({"known": true, "a": "x", "b": "y"})).expect("deserialize");
    assert_eq!(flags.known, Some(true));
    assert_eq!(flags.additional_properties.len(), 2);
    assert_eq!(
        flags.additional_properties.get("a").map(String::as_str),
        Some("x")
    );
    let back = serde_json::to_value(&flags).expect("serialize");
    assert_eq!(back, json!({"known": true, "a": "x", "b": "y"}));
}

#[test]
fn length_and_pattern_constraints_are_checked() {
    let ok = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_code("ABC1")
    .with_short_optional("abcd");
    assert!(ok.validate().is_ok(), "{:?}", ok.validate());

    let too_short = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_code("AB");
    let err = too_short.validate().expect_err("minLength 3");
    assert_eq!(err.pointer(), "/code");

    let too_long = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_code("ABCDEFGH9");
    assert_eq!(
        too_long.validate().expect_err("maxLength 8").pointer(),
        "/code"
    );

    let bad_pattern = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_code("abc1");
    let err = bad_pattern.validate().expect_err("pattern ^[A-Z]+[0-9]*$");
    assert_eq!(err.pointer(), "/code");
    assert!(err.reason().contains("pattern"), "{err}");

    let long_optional = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_short_optional("abcde");
    assert_eq!(
        long_optional.validate().expect_err("maxLength 4").pointer(),
        "/shortOptional"
    );

    // Lengths count characters, not bytes.
    let unicode = Sample::new(SampleRequired {
        count32: 1,
        status: Status::Active,
    })
    .with_short_optional("åäöü");
    assert!(
        unicode.validate().is_ok(),
        "4 characters are within maxLength 4"
    );
}

#[test]
fn extra_members_alone_are_checked_too() {
    let mut readings = Readings::new().with_unit("kWh");
    readings
        .additional_properties
        .insert("monday".to_string(), 4.5);
    assert!(readings.validate().is_ok());
    readings
        .additional_properties
        .insert("tuesday".to_string(), f64::NAN);
    assert!(
        readings.validate().is_err(),
        "a NaN extra member has no JSON spelling and is refused before sending"
    );
}
