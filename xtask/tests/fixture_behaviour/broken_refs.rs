//! Behaviour of the code generated (leniently, as `cargo xtask generate` does) from
//! `codegen/tests/fixtures/broken_refs.yaml`: members whose `$ref` cannot be followed hold any
//! JSON value, a request body and a response whose `$ref` cannot be followed are any JSON, a
//! parameter whose `$ref` cannot be followed is left out, and the rest of the document is typed
//! as usual.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-broken-refs` crate and
//! runs `cargo test` there.

use fixture_broken_refs::types::Order;
use fixture_broken_refs::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

#[tokio::test]
async fn broken_body_and_response_refs_are_any_json_and_the_other_parameters_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"stored": [1, "two"]})))
        .mount(&server)
        .await;
    let api = Client::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds");
    let body = json!({"text": "hello", "pinned": true});
    let answer = api
        .add_note(None, Some(5), Some(&body))
        .await
        .expect("200 is Ok")
        .into_inner();
    assert_eq!(answer, json!({"stored": [1, "two"]}));
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("limit=5"));
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(sent, body);
}
