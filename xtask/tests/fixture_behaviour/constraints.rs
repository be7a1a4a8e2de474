//! Behaviour of the clients generated from `codegen/tests/fixtures/constraints.yaml` (3.0 bounds,
//! `multipleOf`, item counts, on properties and parameters) and `openapi31.yaml` (3.1's numeric
//! `exclusiveMinimum`): a value that breaks a documented constraint is refused with
//! `Error::InvalidRequest` naming it, before anything is sent; a value on the boundary it allows
//! is sent.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-constraints` crate and
//! runs `cargo test` there. Only loopback traffic (wiremock on 127.0.0.1).

use fixture_constraints::types::{Order, OrderRequired};
use fixture_constraints::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"quantity": 1, "lines": ["a"]})),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

fn order(quantity: i32, lines: &[&str]) -> Order {
    Order::new(OrderRequired {
        quantity,
        lines: lines.iter().map(|line| line.to_string()).collect(),
    })
}

/// The field an `InvalidRequest` names, and why it was refused.
fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
) -> (String, String) {
    match result {
        Err(Error::InvalidRequest(invalid)) => {
            (invalid.field().to_string(), invalid.reason().to_string())
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

async fn sent(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

#[tokio::test]
async fn properties_out_of_bounds_are_refused_before_sending() {
    let server = server().await;
    let api = client(&server);
    let cases = [
        (order(0, &["a"]), "/quantity"),
        (order(101, &["a"]), "/quantity"),
        (order(1, &["a"]).with_discount(1.0), "/discount"),
        (order(1, &["a"]).with_discount(-0.5), "/discount"),
        (order(1, &["a"]).with_price(0.005), "/price"),
        (order(1, &["a"]).with_packs(7u64), "/packs"),
        (order(1, &[]), "/lines"),
        (order(1, &["a", "b", "c", "d"]), "/lines"),
    ];
    for (body, field) in cases {
        assert_eq!(refused(api.place_order(&body).await).0, field, "{body:?}");
    }
    let (_, reason) = refused(api.place_order(&order(0, &["a"])).await);
    assert_eq!(reason, "must be at least 1, is 0");
    let (_, reason) = refused(api.place_order(&order(1, &["a"]).with_discount(1.0)).await);
    assert_eq!(reason, "must be less than 1, is 1");
    assert_eq!(
        sent(&server).await,
        0,
        "nothing was sent for invalid bodies"
    );
}

#[tokio::test]
async fn values_on_the_allowed_boundary_are_sent() {
    let server = server().await;
    let api = client(&server);
    let body = order(100, &["a", "b", "c"])
        .with_discount(0.0)
        .with_price(0.3)
        .with_packs(12u64);
    api.place_order(&body).await.expect("201 is Ok");
    api.place_order(&order(1, &["a"]))
        .await
        .expect("the smallest quantity");
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn parameters_out_of_bounds_are_refused_before_sending() {
    let server = server().await;
    let api = client(&server);
    let field = |refusal: (String, String)| refusal.0;
    assert_eq!(
        field(refused(api.list_orders(Some(0), None, None, None).await)),
        "/limit"
    );
    assert_eq!(
        field(refused(api.list_orders(Some(51), None, None, None).await)),
        "/limit"
    );
    assert_eq!(
        field(refused(api.list_orders(None, Some(0.0), None, None).await)),
        "/ratio",
        "exclusiveMinimum: 0 itself is refused"
    );
    assert_eq!(
        field(refused(api.list_orders(None, None, Some(&[]), None).await)),
        "/ids"
    );
    assert_eq!(
        field(refused(
            api.list_orders(None, None, Some(&[1, 2, 3, 4]), None).await
        )),
        "/ids"
    );
    assert_eq!(
        field(refused(api.list_orders(None, None, None, Some(15)).await)),
        "/pageSize",
        "the $ref'd PageSize is a multiple of 10"
    );
    assert_eq!(field(refused(api.get_order(8).await)), "/orderId");
    assert_eq!(field(refused(api.get_order(0).await)), "/orderId");
    assert_eq!(sent(&server).await, 0, "nothing was sent");

    api.list_orders(Some(50), Some(0.1), Some(&[1, 2, 3]), Some(500))
        .await
        .expect("the largest allowed values are sent");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("limit=50&ratio=0.1&ids=1&ids=2&ids=3&pageSize=500")
    );
}

#[tokio::test]
async fn openapi31_numeric_exclusive_minimum_is_enforced() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let api = fixture_openapi31::Client::builder(server.uri())
        .retry_policy(fixture_openapi31::RetryPolicy::none())
        .build()
        .expect("client builds");
    match api.list_pets(Some(0), None).await {
        Err(fixture_openapi31::Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.field(), "/limit");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(sent(&server).await, 0);
    let pets = api.list_pets(Some(1), None).await.expect("1 > 0 is sent");
    assert!(pets.is_empty());
    assert_eq!(sent(&server).await, 1);
}
