//! Behaviour of the client generated from `codegen/tests/fixtures/parameters.yaml`, against a
//! local mock server: parameters whose schema is a `$ref` to a scalar component (its constraints
//! checked before sending), `oneOf` unions of scalars sent as the active variant's text, a
//! `format: binary` query string, an alias of an array, and a name derived from `/api/Enum`.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-parameters` crate and
//! runs `cargo test` there. Only loopback traffic (wiremock on 127.0.0.1).

use fixture_parameters::types::{DeleteItemId, NameOrId, SortMode};
use fixture_parameters::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

async fn alert_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"number": 42, "project": "p"})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn scalar_refs_unions_and_binary_strings_are_sent_as_text() {
    let server = alert_server().await;
    let labels = vec!["a".to_string(), "b c".to_string()];
    let alert = client(&server)
        .get_alert(
            &"my-project".to_string(),
            42,
            Some(&SortMode::IdDescending),
            Some(&NameOrId::Name("owner-1".to_string())),
            Some("opaque/cursor"),
            Some(&labels),
            Some(&"team-a".to_string()),
        )
        .await
        .expect("200 is Ok");
    assert_eq!(alert.number, 42);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.path(), "/projects/my-project/alerts/42");
    let query: Vec<(String, String)> = sent[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        query,
        vec![
            pair("sort_by", "id_descending"),
            pair("owner", "owner-1"),
            pair("cursor", "opaque/cursor"),
            pair("labels", "a"),
            pair("labels", "b c"),
        ]
    );
    assert_eq!(
        sent[0].headers.get("X-Team").and_then(|v| v.to_str().ok()),
        Some("team-a")
    );
}

#[tokio::test]
async fn constraints_of_a_referenced_scalar_are_checked_before_sending() {
    let server = alert_server().await;
    let api = client(&server);
    let error = api
        .get_alert(&"Not A Name".to_string(), 1, None, None, None, None, None)
        .await
        .expect_err("the pattern of Name is enforced on the path parameter");
    match error {
        Error::InvalidRequest(invalid) => assert_eq!(invalid.field(), "/project"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let long = "a".repeat(64);
    let error = api
        .get_alert(&"ok".to_string(), 1, None, None, None, None, Some(&long))
        .await
        .expect_err("maxLength of Name is enforced on the header");
    assert!(
        matches!(&error, Error::InvalidRequest(invalid) if invalid.field() == "/X-Team"),
        "{error:?}"
    );
    assert!(
        requests(&server).await.is_empty(),
        "nothing was sent for invalid parameters"
    );
}

#[tokio::test]
async fn a_union_path_parameter_sends_the_active_variant() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let api = client(&server);
    api.delete_item(&DeleteItemId::Integer(7))
        .await
        .expect("204");
    api.delete_item(&DeleteItemId::String("x/y".to_string()))
        .await
        .expect("204");
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, ["/items/7", "/items/x%2Fy"]);
}

#[tokio::test]
async fn a_keyword_path_segment_gives_a_plain_name_and_operation_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["A", "B"])))
        .mount(&server)
        .await;
    let values = client(&server).get_api_enum().await.expect("200");
    assert_eq!(*values, ["A", "B"]);
    assert_eq!(requests(&server).await[0].url.path(), "/api/Enum");
}
