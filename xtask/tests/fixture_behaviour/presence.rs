//! Behaviour of the code generated from `codegen/tests/fixtures/presence.yaml` (required / nullable / readOnly / writeOnly / deprecated),
//! checked through serde and the `Validate` impls rather than by reading the source.
//!
//! Not an integration test of xtask itself: `generated_crates_build.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-presence` crate and runs
//! `cargo test` there.

#![allow(deprecated)]

use fixture_presence::runtime::Validate;
use fixture_presence::types::{
    Account, AccountRequired, AccountTier, LegacyAccount, Person, Region,
};
use serde_json::{Value, json};

fn full_response() -> Value {
    json!({
        "id": "acc-1",
        "name": "Ada",
        "nickname": null,
        "note": "hello",
        "password": "from-server",
        "legacyCode": "L1",
        "createdAt": "2024-01-02T03:04:05Z",
        "owner": {"fullName": "Grace"},
        "homeRegion": null,
    })
}

#[test]
fn required_nullable_is_sent_as_null_and_optional_is_omitted() {
    let json = serde_json::to_value(Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    }))
    .expect("serialize");
    let object = json.as_object().expect("an object");
    assert_eq!(object.get("name"), Some(&json!("Ada")));
    assert_eq!(object.get("nickname"), Some(&Value::Null), "{json}");
    assert_eq!(object.get("owner"), Some(&Value::Null), "{json}");
    assert_eq!(object.get("homeRegion"), Some(&Value::Null), "{json}");
    // Deprecated does not make a required key optional: a strict server would refuse the body.
    assert_eq!(object.get("legacyCode"), Some(&Value::Null), "{json}");
    // A required writeOnly field is a constructor argument, so it is always sent.
    assert_eq!(object.get("password"), Some(&json!("s3cret")), "{json}");
    for omitted in [
        "note",
        "nullableNote",
        "manager",
        "assistant",
        "reviewer",
        "backupRegion",
        "oldFlag",
    ] {
        assert!(
            !object.contains_key(omitted),
            "{omitted} must be omitted when None: {json}"
        );
    }
}

#[test]
fn read_only_fields_are_never_sent_but_are_read() {
    let mut account = Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    });
    account.id = Some("acc-1".to_string());
    account.created_at = Some("2024-01-02T03:04:05Z".parse().expect("date-time"));
    let json = serde_json::to_value(&account).expect("serialize");
    assert!(json.get("id").is_none(), "readOnly id was sent: {json}");
    assert!(
        json.get("createdAt").is_none(),
        "readOnly createdAt was sent: {json}"
    );

    let read: Account = serde_json::from_value(full_response()).expect("deserialize");
    assert_eq!(read.id.as_deref(), Some("acc-1"));
    assert_eq!(
        read.created_at.map(|t| t.to_rfc3339()),
        Some("2024-01-02T03:04:05+00:00".to_string())
    );
}

#[test]
fn a_required_read_only_field_is_not_required_of_the_caller_or_in_a_response() {
    let mut response = full_response();
    response.as_object_mut().expect("object").remove("id");
    let read: Account = serde_json::from_value(response).expect("id may be absent");
    assert_eq!(read.id, None);
}

#[test]
fn write_only_fields_are_sent_but_never_read() {
    let account = Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    });
    let json = serde_json::to_value(&account).expect("serialize");
    assert_eq!(json.get("password"), Some(&json!("s3cret")));
    let read: Account = serde_json::from_value(full_response()).expect("deserialize");
    assert_eq!(
        read.password, None,
        "writeOnly password must not be read from a response"
    );
}

#[test]
fn required_nullable_keys_may_be_absent_in_a_response() {
    // Servers that omit nulls (System.Text.Json's `WhenWritingNull`) leave these keys out.
    for key in ["nickname", "owner", "homeRegion", "legacyCode"] {
        let mut response = full_response();
        response.as_object_mut().expect("object").remove(key);
        let read = serde_json::from_value::<Account>(response);
        assert!(read.is_ok(), "{key}: {read:?}");
    }
    let read: Account = serde_json::from_value(full_response()).expect("null is accepted");
    assert_eq!(read.nickname, None);
    assert_eq!(read.home_region, None);
    assert_eq!(read.owner, Some(Person::new("Grace")));
}

#[test]
fn required_non_nullable_keys_must_be_present_in_a_response() {
    let mut response = full_response();
    response.as_object_mut().expect("object").remove("name");
    let err = serde_json::from_value::<Account>(response).expect_err("name is required");
    assert!(err.to_string().contains("name"), "{err}");
    let err = serde_json::from_value::<Account>(json!({"name": null}))
        .expect_err("a non-nullable key may not be null");
    assert!(err.to_string().contains("invalid type: null"), "{err}");
}

#[test]
fn optional_fields_may_be_absent_or_null() {
    let mut response = full_response();
    let object = response.as_object_mut().expect("object");
    object.remove("note");
    object.insert("nullableNote".to_string(), Value::Null);
    object.insert("manager".to_string(), Value::Null);
    let read: Account = serde_json::from_value(response).expect("deserialize");
    assert_eq!(read.note, None);
    assert_eq!(read.nullable_note, None);
    assert_eq!(read.manager, None);
}

#[test]
fn deprecated_fields_keep_their_presence() {
    let json = serde_json::to_value(
        Account::new(AccountRequired {
            name: "Ada".into(),
            password: "s3cret".into(),
        })
        .with_legacy_code("L1"),
    )
    .expect("serialize");
    assert_eq!(json.get("legacyCode"), Some(&json!("L1")));
    // Not required: still omitted when unset.
    assert!(json.get("oldFlag").is_none(), "{json}");
    // Required and not nullable: a constructor argument, always sent.
    let json = serde_json::to_value(LegacyAccount::new("C-7")).expect("serialize");
    assert_eq!(json, json!({"code": "C-7"}));
}

#[test]
fn nullable_single_ref_compositions_are_options_of_the_ref() {
    let account = Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    })
    .with_owner(Person::new("Grace"))
    .with_manager(Person::new("Linus"))
    .with_assistant(Person::new("Ken"))
    .with_reviewer(Person::new("Barbara"))
    .with_home_region(Region::new().with_code("EU"));
    let json = serde_json::to_value(&account).expect("serialize");
    assert_eq!(json["owner"], json!({"fullName": "Grace"}));
    assert_eq!(json["manager"], json!({"fullName": "Linus"}));
    assert_eq!(json["assistant"], json!({"fullName": "Ken"}));
    assert_eq!(json["reviewer"], json!({"fullName": "Barbara"}));
    assert_eq!(json["homeRegion"], json!({"code": "EU"}));
}

#[test]
fn an_enum_listing_null_is_an_option_of_its_values() {
    let read: Account = serde_json::from_value(json!({"name": "Ada", "tier": null})).expect("null");
    assert_eq!(read.tier, None);
    let read: Account =
        serde_json::from_value(json!({"name": "Ada", "tier": "gold"})).expect("gold");
    assert_eq!(read.tier, Some(AccountTier::Gold));
    assert_eq!(AccountTier::VALUES, ["gold", "silver"]);
}

#[test]
fn an_unknown_enum_value_is_refused_before_sending() {
    let account = Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    })
    .with_tier(AccountTier::Unknown("bronze".into()));
    let violation = account.validate().expect_err("bronze is not documented");
    assert_eq!(violation.pointer(), "/tier");
    assert!(violation.reason().contains("gold, silver"), "{violation}");
    let account = Account::new(AccountRequired {
        name: "Ada".into(),
        password: "s3cret".into(),
    })
    .with_tier(AccountTier::Silver);
    assert_eq!(account.validate(), Ok(()));
}
