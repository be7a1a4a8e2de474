//! Runtime tests of the generated client against real in-process HTTP servers on loopback
//! (wiremock): token cache, single-flight refresh, 401 handling, token endpoint errors, error
//! mapping, retries and `Retry-After`, timeouts, never resending a POST that may have arrived,
//! path encoding, builder checks, and secrets absent from `Debug` and `Display`.
//!
//! Uses only the crate's public API and the GKS operations `get_customer`, `create_customer` and
//! `place_sales_order`. Tracing is tested in `tracing_spans.rs`, a test binary of its own.

use gks_api as api;

use std::sync::atomic::Ordering;
use std::time::Duration;

use api::types::{Customer, CustomerRequired, ProblemDetails};
use api::{
    AuthErrorKind, BuildErrorKind, Client, CreateCustomerError, Error, GetCustomerError,
    PlaceSalesOrderError, RetryPolicy,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Token cache
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn one_token_for_1000_sequential_calls() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let client = client(&server);

    for _ in 0..1000 {
        let customer = client.get_customer("K100421").await.expect("call succeeds");
        assert_eq!(customer.number.as_deref(), Some("K100421"));
    }
    let tokens = token_requests(&server).await;
    println!("1000 sequential calls: {tokens} token request(s)");
    assert_eq!(tokens, 1);
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(calls.len(), 1000);
    assert!(
        calls
            .iter()
            .all(|r| authorization(r) == "Bearer tok-SECRET-1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_for_1000_concurrent_calls() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 3600, Duration::from_millis(50)).await;
    mount_customer(&server).await;
    let client = client(&server);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        tasks.spawn(async move { client.get_customer("K100421").await });
    }
    let mut ok = 0;
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("call succeeds");
        ok += 1;
    }
    assert_eq!(ok, 1000);
    let tokens = token_requests(&server).await;
    println!("1000 concurrent calls: {tokens} token request(s)");
    assert_eq!(tokens, 1);
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_flight_for_50_concurrent_calls() {
    let server = MockServer::start().await;
    // A slow token endpoint, so all 50 calls are waiting for the token at the same time.
    mount_token_endpoint(&server, 3600, Duration::from_millis(300)).await;
    mount_customer(&server).await;
    let client = client(&server);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.get_customer("K100421").await });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("call succeeds");
    }
    let tokens = token_requests(&server).await;
    println!("50 concurrent calls, no token cached: {tokens} token request(s)");
    assert_eq!(tokens, 1);
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(calls.len(), 50);
    assert!(
        calls
            .iter()
            .all(|r| authorization(r) == "Bearer tok-SECRET-1")
    );
}

#[tokio::test]
async fn token_is_refreshed_before_expiry() {
    let server = MockServer::start().await;
    // Lifetime 2 s, margin 1 s: refreshed once the token is 1 s old.
    mount_token_endpoint(&server, 2, Duration::ZERO).await;
    mount_customer(&server).await;
    let client = builder(&server)
        .refresh_margin(Duration::from_secs(1))
        .build()
        .expect("client builds");

    client.get_customer("K100421").await.expect("first call");
    client.get_customer("K100421").await.expect("second call");
    assert_eq!(token_requests(&server).await, 1, "token still fresh");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_customer("K100421").await.expect("third call");
    assert_eq!(token_requests(&server).await, 2, "token refreshed");
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    let auth: Vec<String> = calls.iter().map(authorization).collect();
    assert_eq!(
        auth,
        [
            "Bearer tok-SECRET-1",
            "Bearer tok-SECRET-1",
            "Bearer tok-SECRET-2"
        ]
    );
}

#[tokio::test]
async fn refresh_margin_larger_than_lifetime_uses_half_the_lifetime() {
    let server = MockServer::start().await;
    // Lifetime 2 s with the default margin of 60 s: refreshed after 1 s, not on every call.
    mount_token_endpoint(&server, 2, Duration::ZERO).await;
    mount_customer(&server).await;
    let client = client(&server);
    for _ in 0..5 {
        client.get_customer("K100421").await.expect("call");
    }
    assert_eq!(token_requests(&server).await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_customer("K100421").await.expect("call");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn missing_expires_in_uses_default_lifetime() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok-SECRET-x"})),
    )
    .await;
    mount_customer(&server).await;
    let client = client(&server);
    for _ in 0..3 {
        client.get_customer("K100421").await.expect("call");
    }
    assert_eq!(token_requests(&server).await, 1);
}

#[tokio::test]
async fn clones_share_the_token_cache() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let first = client(&server);
    let second = first.clone();
    first.get_customer("K100421").await.expect("call");
    second.get_customer("K100421").await.expect("call");
    assert_eq!(token_requests(&server).await, 1);

    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync_clone::<Client>();
}

#[tokio::test]
async fn token_request_is_the_documented_form() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let client = client(&server);
    client.get_customer("K100421").await.expect("call");

    let requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        format!("client_id={CLIENT_ID}&client_secret={SECRET}&grant_type=client_credentials")
    );

    // With a scope.
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let client = builder(&server)
        .scope("gks.api gks.orders")
        .build()
        .expect("builds");
    client.get_customer("K100421").await.expect("call");
    let requests = requests_to(&server, TOKEN_PATH).await;
    assert!(
        String::from_utf8_lossy(&requests[0].body).ends_with("&scope=gks.api%20gks.orders"),
        "{}",
        String::from_utf8_lossy(&requests[0].body)
    );
}

// ---------------------------------------------------------------------------------------------
// 401 handling
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unauthorized_refreshes_once_and_resends() {
    let server = server_with_tokens().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMER_PATH))
        .and(header("authorization", "Bearer tok-SECRET-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMER_PATH))
        .and(header("authorization", "Bearer tok-SECRET-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json()))
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .get_customer("K100421")
        .await
        .expect("succeeds after refresh");
    assert_eq!(token_requests(&server).await, 2);
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 2);

    // The new token is cached for the next call.
    client.get_customer("K100421").await.expect("call");
    assert_eq!(token_requests(&server).await, 2);
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 3);
}

#[tokio::test]
async fn unauthorized_post_is_resent_once_with_a_new_token() {
    let server = server_with_tokens().await;
    Mock::given(method("POST"))
        .and(path(ORDERS_PATH))
        .and(header("authorization", "Bearer tok-SECRET-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ORDERS_PATH))
        .and(header("authorization", "Bearer tok-SECRET-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"orderNumber": 7})))
        .mount(&server)
        .await;
    let client = client(&server);
    let placed = client.place_sales_order(&order()).await.expect("placed");
    assert_eq!(placed.order_number, 7);
    assert_eq!(requests_to(&server, ORDERS_PATH).await.len(), 2);
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn persistent_unauthorized_is_resent_only_once() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(401).set_body_string("no"),
    )
    .await;
    let client = client(&server);
    let error = client.get_customer("K100421").await.expect_err("401");
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.is_auth());
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 2);
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn static_bearer_token_is_sent_and_401_returned_as_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMER_PATH))
        .and(header("authorization", "Bearer static-SECRET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json()))
        .mount(&server)
        .await;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K2",
        ResponseTemplate::new(401),
    )
    .await;
    let client = Client::builder(server.uri())
        .bearer_token("static-SECRET")
        .build()
        .expect("builds");
    client.get_customer("K100421").await.expect("call");
    let error = client.get_customer("K2").await.expect_err("401");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests_to(&server, "/api/v1/customers/K2").await.len(), 1);
    assert_eq!(token_requests(&server).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Token endpoint errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_client_is_an_auth_error_and_not_retried() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_client", "error_description": "Invalid client secret"}),
        ),
    )
    .await;
    mount_customer(&server).await;
    let client = client(&server);

    let error = client
        .get_customer("K100421")
        .await
        .expect_err("auth fails");
    let Error::Auth(auth) = &error else {
        panic!("expected Error::Auth, got {error:?}");
    };
    assert_eq!(auth.kind(), AuthErrorKind::Rejected);
    assert_eq!(auth.error_code(), Some("invalid_client"));
    assert_eq!(auth.error_description(), Some("Invalid client secret"));
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(400));
    assert!(auth.is_config_error());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(error.is_auth());
    assert!(error.to_string().contains("invalid_client"), "{error}");
    assert_eq!(token_requests(&server).await, 1, "not retried");
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_failed_token_request() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": "invalid_client"}))
            .set_delay(Duration::from_millis(200)),
    )
    .await;
    let client = client(&server);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.get_customer("K100421").await });
    }
    while let Some(result) = tasks.join_next().await {
        let error = result.expect("task").expect_err("auth fails");
        assert!(matches!(error, Error::Auth(_)), "{error:?}");
    }
    assert_eq!(token_requests(&server).await, 1);
}

#[tokio::test]
async fn token_endpoint_503_is_retried() {
    let server = MockServer::start().await;
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": "tok-SECRET-9", "expires_in": 3600})),
    ]);
    mount(&server, "POST", TOKEN_PATH, sequence.clone()).await;
    mount_customer(&server).await;
    let client = client(&server);
    client.get_customer("K100421").await.expect("call");
    assert_eq!(sequence.hits().len(), 2);
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(authorization(&calls[0]), "Bearer tok-SECRET-9");
}

#[tokio::test]
async fn token_endpoint_errors_without_oauth_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(500).set_body_string("<html>boom</html>"),
    )
    .await;
    let error = client_without_retries(&server)
        .get_customer("K100421")
        .await
        .expect_err("fails");
    let Error::Auth(auth) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(auth.kind(), AuthErrorKind::UnexpectedStatus);
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(auth.error_code(), None);

    // 200 without access_token.
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(200).set_body_json(json!({"expires_in": 3600})),
    )
    .await;
    let error = client_without_retries(&server)
        .get_customer("K1")
        .await
        .expect_err("fails");
    assert!(
        matches!(&error, Error::Auth(a) if a.kind() == AuthErrorKind::InvalidResponse),
        "{error:?}"
    );

    // Token endpoint not reachable.
    let port = closed_port();
    let client = Client::builder("http://127.0.0.1:1")
        .client_credentials(CLIENT_ID, SECRET)
        .token_url(format!("http://127.0.0.1:{port}/connect/token"))
        .retry_policy(fast_retries())
        .build()
        .expect("builds");
    let error = client.get_customer("K1").await.expect_err("fails");
    assert!(
        matches!(&error, Error::Auth(a) if a.kind() == AuthErrorKind::Connection),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn validation_problem_400_is_parsed_with_field_errors_and_trace_id() {
    let server = server_with_tokens().await;
    mount(&server, "GET", CUSTOMER_PATH, ResponseTemplate::new(400).set_body_raw(
            r#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"CustomerNumber":["The CustomerNumber field is required."]},"traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"}"#,
            "application/problem+json",
        )).await;
    let error = client(&server)
        .get_customer("K100421")
        .await
        .expect_err("400");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        error.request_id(),
        Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    );
    let Error::Api(api_error) = &error else {
        panic!("{error:?}")
    };
    let GetCustomerError::BadRequest(problem) = api_error.body() else {
        panic!("{api_error:?}")
    };
    assert_eq!(
        problem.title.as_deref(),
        Some("One or more validation errors occurred.")
    );
    assert_eq!(problem.status, Some(400));
    assert_eq!(
        problem
            .errors
            .as_ref()
            .and_then(|errors| errors.get("CustomerNumber"))
            .map(Vec::as_slice),
        Some(&["The CustomerNumber field is required.".to_owned()][..])
    );
    // Undeclared members are kept.
    assert_eq!(
        problem.additional_properties.get("traceId"),
        Some(&json!(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
        ))
    );
    assert!(!error.may_have_been_processed());
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 1);
}

#[tokio::test]
async fn not_found_is_api_not_found_with_header_request_id() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K404",
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req-404")
            .set_body_json(json!({"title": "Not Found", "status": 404, "traceId": "00-ignored"})),
    )
    .await;
    let error = client(&server).get_customer("K404").await.expect_err("404");
    match &error {
        Error::Api(e) => {
            assert_eq!(e.answer().status().as_u16(), 404);
            let GetCustomerError::NotFound(problem) = e.body() else {
                panic!("{e:?}")
            };
            assert_eq!(problem.title.as_deref(), Some("Not Found"));
            assert_eq!(e.answer().request_id(), Some("req-404"));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_api());
    assert_eq!(error.request_id(), Some("req-404"));
    assert!(error.to_string().contains("404"), "{error}");
}

/// The spec documents 500 without a body, so `InternalServerError` is a unit variant: a 500
/// answer is `Error::Api` whatever its body, and the body is kept as received in
/// `ApiError::raw_body` (never shown in `Display`).
#[tokio::test]
async fn server_error_500_with_non_json_body_is_api_internal_server_error() {
    let server = server_with_tokens().await;
    let html = format!(
        "<html><body>Internal error{}</body></html>",
        " padding".repeat(200)
    );
    mount(
        &server,
        "GET",
        "/api/v1/customers/K500",
        ResponseTemplate::new(500).set_body_raw(html.clone(), "text/html"),
    )
    .await;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K500-json",
        ResponseTemplate::new(500)
            .set_body_json(json!({"title": "boom", "traceId": "00-trace-500"})),
    )
    .await;
    let client = client(&server);

    let error = client.get_customer("K500").await.expect_err("500");
    match &error {
        Error::Api(e) => {
            assert_eq!(e.answer().status().as_u16(), 500);
            assert_eq!(*e.body(), GetCustomerError::InternalServerError);
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_api());
    assert_eq!(
        error.api_body(),
        Some(&GetCustomerError::InternalServerError)
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    // The HTML body is kept as received, and not shown.
    assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(html.as_bytes()));
    let text = error.to_string();
    assert!(!text.contains('\n') && text.chars().count() < 400, "{text}");
    assert!(!text.contains("padding"), "{text}");
    assert!(std::error::Error::source(&error).is_none());
    // 500 is not retried.
    assert_eq!(
        requests_to(&server, "/api/v1/customers/K500").await.len(),
        1
    );

    // A JSON body makes no difference, but its traceId is picked up as the request id.
    let error = client.get_customer("K500-json").await.expect_err("500");
    assert!(
        matches!(&error, Error::Api(e) if *e.body() == GetCustomerError::InternalServerError),
        "{error:?}"
    );
    assert_eq!(error.request_id(), Some("00-trace-500"));
}

#[tokio::test]
async fn malformed_json_on_200_is_invalid_response() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(200).set_body_raw(r#"{"name": "Acme"#, "application/json"),
    )
    .await;
    // Required-nullable key missing: read as None.
    mount(
        &server,
        "GET",
        "/api/v1/customers/K2",
        ResponseTemplate::new(200).set_body_json(json!({
            "name": "Acme",
            "invoiceEmail": null,
            "corporateIdentityNumber": "556677-8899"
        })),
    )
    .await;
    let client = client(&server);
    let error = client.get_customer("K100421").await.expect_err("bad JSON");
    assert!(
        matches!(&error, Error::InvalidResponse(e) if e.answer().status().as_u16() == 200),
        "{error:?}"
    );
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&br#"{"name": "Acme"#[..])
    );
    assert!(std::error::Error::source(&error).is_some());
    // An absent required-nullable key (`number`) reads as `None`.
    let customer = client.get_customer("K2").await.expect("number left out");
    assert_eq!(customer.number, None);
}

#[tokio::test]
async fn undocumented_status_keeps_raw_body() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K418",
        ResponseTemplate::new(418).set_body_string("teapot"),
    )
    .await;
    let error = client(&server).get_customer("K418").await.expect_err("418");
    match &error {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.answer().status().as_u16(), 418);
            assert_eq!(e.answer().body_text(), "teapot");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(&b"teapot"[..]));
}

/// `createCustomer` answers 200 without a body; its 404 is documented with a `ProblemDetails`
/// body. A 404 without a body (ASP.NET's route miss) is still the documented `NotFound`, with an
/// empty `ProblemDetails`.
#[tokio::test]
async fn empty_200_and_documented_error_bodies_of_create_customer() {
    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(200),
        ResponseTemplate::new(404).set_body_json(json!({"title": "Not Found", "status": 404})),
        ResponseTemplate::new(404),
    ]);
    mount(&server, "POST", "/api/v1/customers", sequence.clone()).await;
    let client = client(&server);
    let body = Customer::new(CustomerRequired {
        name: "Acme".into(),
        corporate_identity_number: "556677-8899".into(),
    });
    client.create_customer(&body).await.expect("created");
    let sent: serde_json::Value = requests_to(&server, "/api/v1/customers").await[0]
        .body_json()
        .expect("JSON body");
    assert_eq!(
        sent,
        json!({
            "name": "Acme",
            "number": null,
            "invoiceEmail": null,
            "corporateIdentityNumber": "556677-8899"
        })
    );

    let error = client.create_customer(&body).await.expect_err("404");
    let Some(CreateCustomerError::NotFound(problem)) = error.api_body() else {
        panic!("{error:?}")
    };
    assert_eq!(problem.title.as_deref(), Some("Not Found"));
    assert_eq!(problem.status, Some(404));

    let error = client
        .create_customer(&body)
        .await
        .expect_err("bodiless 404");
    let Some(CreateCustomerError::NotFound(problem)) = error.api_body() else {
        panic!("{error:?}")
    };
    assert_eq!(*problem, ProblemDetails::new());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!error.may_have_been_processed());
    assert_eq!(sequence.hits().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_retries_503_and_honours_retry_after_seconds() {
    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(503).insert_header("retry-after", "1"),
        ResponseTemplate::new(200).set_body_json(customer_json()),
    ]);
    mount(&server, "GET", CUSTOMER_PATH, sequence.clone()).await;
    let customer = client(&server)
        .get_customer("K100421")
        .await
        .expect("succeeds on retry");
    assert_eq!(customer.name, "Acme AB");
    let hits = sequence.hits();
    assert_eq!(hits.len(), 2);
    let gap = hits[1] - hits[0];
    println!("Retry-After: 1 -> measured gap {gap:?}");
    assert!(gap >= Duration::from_millis(990), "{gap:?}");
}

#[tokio::test]
async fn get_honours_retry_after_http_date() {
    let server = server_with_tokens().await;
    let date = (chrono::Utc::now() + chrono::Duration::seconds(2))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(429).insert_header("retry-after", date.as_str()),
        ResponseTemplate::new(200).set_body_json(customer_json()),
    ]);
    mount(&server, "GET", CUSTOMER_PATH, sequence.clone()).await;
    client(&server)
        .get_customer("K100421")
        .await
        .expect("succeeds on retry");
    let hits = sequence.hits();
    assert_eq!(hits.len(), 2);
    let gap = hits[1] - hits[0];
    println!("Retry-After: {date} -> measured gap {gap:?}");
    // The date has whole seconds, so the wait is between 1 and 2 s (backoff alone is < 50 ms).
    assert!(gap >= Duration::from_millis(900), "{gap:?}");
}

#[tokio::test]
async fn retry_after_beyond_cap_is_not_waited_for() {
    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(503).insert_header("retry-after", "120"),
        ResponseTemplate::new(200).set_body_json(customer_json()),
    ]);
    mount(&server, "GET", CUSTOMER_PATH, sequence.clone()).await;
    // Had the client waited and retried, the second answer (200) would make this succeed.
    let error = client(&server)
        .get_customer("K100421")
        .await
        .expect_err("503");
    assert_eq!(sequence.hits().len(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
}

#[tokio::test]
async fn get_gives_up_after_max_retries() {
    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![ResponseTemplate::new(502)]);
    mount(&server, "GET", CUSTOMER_PATH, sequence.clone()).await;
    let error = client(&server)
        .get_customer("K100421")
        .await
        .expect_err("502");
    assert_eq!(sequence.hits().len(), 3, "1 attempt + 2 retries (default)");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(!error.may_have_been_processed());

    // Retries off.
    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![ResponseTemplate::new(502)]);
    mount(&server, "GET", CUSTOMER_PATH, sequence.clone()).await;
    client_without_retries(&server)
        .get_customer("K100421")
        .await
        .expect_err("502");
    assert_eq!(sequence.hits().len(), 1);
}

#[tokio::test]
async fn post_503_is_sent_once_and_may_have_been_processed() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "POST",
        ORDERS_PATH,
        ResponseTemplate::new(503)
            .insert_header("retry-after", "0")
            .insert_header("x-request-id", "gw-1")
            .set_body_string("upstream unavailable"),
    )
    .await;
    let error = client(&server)
        .place_sales_order(&order())
        .await
        .expect_err("503");
    assert!(error.may_have_been_processed(), "{error:?}");
    match &error {
        Error::MayHaveBeenProcessed(e) => {
            assert_eq!(
                e.answer().map(|a| a.status()).map(|s| s.as_u16()),
                Some(503)
            );
            assert_eq!(
                e.answer().map(|a| a.body()).map(|b| b.as_ref()),
                Some(&b"upstream unavailable"[..])
            );
            // The order as sent is kept, for a person to check before anything is resent.
            let sent: api::types::SalesOrder =
                serde_json::from_slice(e.request_body().expect("the order is kept"))
                    .expect("it is the order");
            assert_eq!(sent.purchase_order_number, "PO-1");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error:?}").contains("PO-1"), "{error:?}");
    assert_eq!(error.request_id(), Some("gw-1"));
    assert!(
        error.to_string().contains("may have been processed"),
        "{error}"
    );
    assert_eq!(requests_to(&server, ORDERS_PATH).await.len(), 1);
}

#[tokio::test]
async fn post_429_is_not_resent() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "POST",
        ORDERS_PATH,
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
    )
    .await;
    let error = client(&server)
        .place_sales_order(&order())
        .await
        .expect_err("429");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(!error.may_have_been_processed());
    assert_eq!(requests_to(&server, ORDERS_PATH).await.len(), 1);
}

#[tokio::test]
async fn post_timeout_is_sent_once_and_may_have_been_processed() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "POST",
        ORDERS_PATH,
        ResponseTemplate::new(200)
            .set_body_json(json!({"orderNumber": 1}))
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("builds");
    let error = client
        .place_sales_order(&order())
        .await
        .expect_err("timeout");
    assert!(error.may_have_been_processed(), "{error:?}");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(
        error.to_string().contains("may have been processed"),
        "{error}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(requests_to(&server, ORDERS_PATH).await.len(), 1);
}

#[tokio::test]
async fn post_connection_lost_after_sending_is_sent_once_and_may_have_been_processed() {
    let (base_url, accepted) = hang_up_server();
    let client = Client::builder(base_url)
        .bearer_token("static-SECRET")
        .retry_policy(fast_retries())
        .build()
        .expect("builds");
    let error = client
        .place_sales_order(&order())
        .await
        .expect_err("connection lost");
    assert!(
        matches!(&error, Error::MayHaveBeenProcessed(e)
            if e.reqwest_error().is_some() && e.request_body().is_some_and(|b| !b.is_empty())),
        "{error:?}"
    );
    assert!(!error.is_timeout(), "{error:?}");
    assert!(!error.is_connection(), "{error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "sent exactly once");
}

#[tokio::test]
async fn get_timeout_is_retried_then_reported_as_timeout() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(200)
            .set_body_json(customer_json())
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("builds");
    let error = client.get_customer("K100421").await.expect_err("timeout");
    match &error {
        Error::Timeout(e) => assert_eq!(e.attempts(), 3),
        other => panic!("{other:?}"),
    }
    assert!(error.is_timeout());
    assert!(!error.may_have_been_processed());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(requests_to(&server, CUSTOMER_PATH).await.len(), 3);
}

#[tokio::test]
async fn get_connection_lost_after_sending_is_retried_then_transport_error() {
    let (base_url, accepted) = hang_up_server();
    let client = Client::builder(base_url)
        .bearer_token("static-SECRET")
        .retry_policy(fast_retries())
        .build()
        .expect("builds");
    let error = client
        .get_customer("K1")
        .await
        .expect_err("connection lost");
    match &error {
        Error::Transport(e) => assert_eq!(e.attempts(), 3),
        other => panic!("{other:?}"),
    }
    assert!(!error.is_timeout());
    assert!(!error.may_have_been_processed());
    assert_eq!(error.status(), None);
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn post_to_closed_port_is_connection_error_and_resent() {
    let port = closed_port();
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .bearer_token("static-SECRET")
        .retry_policy(fast_retries())
        .build()
        .expect("builds");
    let error = client
        .place_sales_order(&order())
        .await
        .expect_err("refused");
    match &error {
        // Resent because the request provably never left: 1 attempt + 2 retries.
        Error::Connection(e) => assert_eq!(e.attempts(), 3),
        other => panic!("{other:?}"),
    }
    assert!(error.is_connection());
    assert!(!error.may_have_been_processed());
    assert_eq!(error.status(), None);
    println!("connection error display: {error}");

    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds");
    match client.get_customer("K1").await {
        Err(Error::Connection(e)) => assert_eq!(e.attempts(), 1),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Requests: path encoding, validation, base URL, headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_stays_one_segment() {
    let server = server_with_tokens().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"title": "Not Found"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let _ = client.get_customer("../x").await;
    let _ = client.get_customer("a/b?c#d e%").await;
    let _ = client.get_customer("%2e%2e").await;
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| {
            format!(
                "{}{}",
                r.url.path(),
                r.url.query().map(|q| format!("?{q}")).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/customers/..%2Fx",
            "/api/v1/customers/a%2Fb%3Fc%23d%20e%25",
            "/api/v1/customers/%252e%252e"
        ]
    );

    for bad in ["..", ".", ""] {
        match client.get_customer(bad).await {
            Err(Error::InvalidRequest(e)) => assert_eq!(e.field(), "customerNumber"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let all = server.received_requests().await.unwrap_or_default().len();
    assert_eq!(
        all, 4,
        "1 token request + 3 calls; rejected values sent nothing"
    );
}

#[tokio::test]
async fn validation_failure_sends_nothing() {
    let server = server_with_tokens().await;
    let client = client(&server);
    let mut bad = order();
    bad.customer_number = String::new();
    let error = client.place_sales_order(&bad).await.expect_err("invalid");
    match &error {
        Error::InvalidRequest(e) => {
            assert_eq!(e.field(), "/customerNumber");
            assert!(e.reason().contains("at least 1"), "{}", e.reason());
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_invalid_request());
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        0
    );
}

#[tokio::test]
async fn base_url_with_path_prefix_and_trailing_slash() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        "/gks/api/v1/customers/K100421",
        ResponseTemplate::new(200).set_body_json(customer_json()),
    )
    .await;
    let client = Client::builder(format!("{}/gks/", server.uri()))
        .client_credentials(CLIENT_ID, SECRET)
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), format!("{}/gks", server.uri()));
    let customer = client.get_customer("K100421").await.expect("call");
    assert_eq!(customer.number.as_deref(), Some("K100421"));
}

#[tokio::test]
async fn user_agent_and_accept_are_sent() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    client(&server).get_customer("K100421").await.expect("call");
    let expected = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2, "token request + call");
    for request in requests {
        assert_eq!(
            request
                .headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok()),
            Some(expected),
            "{}",
            request.url
        );
        assert_eq!(
            request.headers.get("accept").and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(307).insert_header("location", "http://127.0.0.1:1/steal"),
    )
    .await;
    let error = client(&server).get_customer("K1").await.expect_err("fails");
    assert!(
        matches!(&error, Error::Auth(a) if a.status().map(|s| s.as_u16()) == Some(307)),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Builder validation
// ---------------------------------------------------------------------------------------------

#[test]
fn token_url_must_be_https_except_on_loopback() {
    let build = |token_url: &str| {
        Client::builder("https://gks.example.com")
            .client_credentials(CLIENT_ID, SECRET)
            .token_url(token_url)
            .build()
    };
    let error = build("http://example.com/connect/token").expect_err("http rejected");
    assert_eq!(error.kind(), BuildErrorKind::InsecureTokenUrl);
    assert!(build("http://127.0.0.1:8080/connect/token").is_ok());
    assert!(build("http://localhost/connect/token").is_ok());
    assert!(build("http://[::1]:9/connect/token").is_ok());
    assert!(build("https://id.example.com/connect/token").is_ok());
    assert_eq!(
        build("not a url").expect_err("invalid").kind(),
        BuildErrorKind::InvalidTokenUrl
    );
    // The spec's token URL is the default.
    let client = Client::builder("https://gks.example.com")
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .expect("builds with the spec's token URL");
    assert!(format!("{client:?}").contains("https://id.simutek.se/connect/token"));
}

#[test]
fn base_url_and_settings_are_checked() {
    let kind = |b: api::ClientBuilder| b.build().expect_err("rejected").kind();
    assert_eq!(
        kind(Client::builder("gks.example.com")),
        BuildErrorKind::InvalidBaseUrl
    );
    assert_eq!(
        kind(Client::builder("ftp://gks.example.com")),
        BuildErrorKind::InvalidBaseUrl
    );
    assert_eq!(
        kind(Client::builder("https://gks.example.com?x=1")),
        BuildErrorKind::InvalidBaseUrl
    );
    assert_eq!(
        kind(Client::builder("https://u:p@gks.example.com")),
        BuildErrorKind::InvalidBaseUrl
    );
    assert_eq!(
        kind(Client::builder("http://gks.example.com").client_credentials(CLIENT_ID, SECRET)),
        BuildErrorKind::InsecureBaseUrl
    );
    assert_eq!(
        kind(Client::builder("https://gks.example.com").client_credentials("", SECRET)),
        BuildErrorKind::InvalidCredentials
    );
    assert_eq!(
        kind(Client::builder("https://gks.example.com").bearer_token("a\nb")),
        BuildErrorKind::InvalidCredentials
    );
    assert_eq!(
        kind(
            Client::builder("https://gks.example.com")
                .bearer_token("t")
                .client_credentials(CLIENT_ID, SECRET)
        ),
        BuildErrorKind::ConflictingSettings
    );
    assert_eq!(
        kind(Client::builder("https://gks.example.com").scope("x")),
        BuildErrorKind::ConflictingSettings
    );
    // Plain http without credentials is fine, and so is http on loopback with them.
    assert!(Client::builder("http://gks.example.com").build().is_ok());
    assert!(
        Client::builder("http://127.0.0.1:8080/")
            .bearer_token("t")
            .build()
            .is_ok()
    );
    let client = Client::builder("https://gks.example.com/")
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "https://gks.example.com");
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let server = server_with_tokens().await;
    let responses: [(&str, ResponseTemplate); 6] = [
        (
            "K-slow",
            ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
        ),
        (
            "K400",
            ResponseTemplate::new(400).set_body_json(json!({"title": "bad", "errors": {}})),
        ),
        ("K418", ResponseTemplate::new(418).set_body_string("teapot")),
        ("K500", ResponseTemplate::new(500).set_body_string("<html>")),
        (
            "K-bad",
            ResponseTemplate::new(200).set_body_raw(r#"{"name":"#, "application/json"),
        ),
        ("K401", ResponseTemplate::new(401)),
    ];
    for (number, response) in responses {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/customers/{number}")))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    mount(&server, "POST", ORDERS_PATH, ResponseTemplate::new(504)).await;

    let builder = builder(&server);
    assert_no_secret(&format!("{builder:?}"));
    let client = builder.build().expect("builds");
    assert_no_secret(&format!("{client:?}"));
    client.get_customer("K400").await.expect_err("400");
    // After a token was fetched and cached.
    assert_no_secret(&format!("{client:?}"));
    assert!(format!("{client:?}").contains(CLIENT_ID));

    let mut errors: Vec<Error<GetCustomerError>> = Vec::new();
    for number in ["K400", "K418", "K500", "K-bad", "K401", ".."] {
        errors.push(client.get_customer(number).await.expect_err("error"));
    }
    let port = closed_port();
    let closed = Client::builder(format!("http://127.0.0.1:{port}"))
        .bearer_token("static-SECRET")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds");
    assert_no_secret(&format!("{closed:?}"));
    errors.push(closed.get_customer("K1").await.expect_err("connection"));
    let slow = builder_with_timeout(&server);
    errors.push(slow.get_customer("K-slow").await.expect_err("timeout"));
    let (hang_up_url, _) = hang_up_server();
    let hang_up = Client::builder(hang_up_url)
        .bearer_token("static-SECRET")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds");
    errors.push(hang_up.get_customer("K1").await.expect_err("transport"));
    let kinds: Vec<&str> = errors.iter().map(variant_name).collect();
    assert_eq!(
        kinds,
        [
            "Api",
            "UnexpectedStatus",
            "Api",
            "InvalidResponse",
            "UnexpectedStatus",
            "InvalidRequest",
            "Connection",
            "Timeout",
            "Transport"
        ]
    );
    for error in &errors {
        assert_no_secret(&format!("{error:?}"));
        assert_no_secret(&format!("{error}"));
    }

    let order_error: Error<PlaceSalesOrderError> =
        client.place_sales_order(&order()).await.expect_err("504");
    assert!(order_error.may_have_been_processed());
    assert_no_secret(&format!("{order_error:?} {order_error}"));
    let order_error = hang_up
        .place_sales_order(&order())
        .await
        .expect_err("connection lost");
    assert!(order_error.may_have_been_processed());
    assert_no_secret(&format!("{order_error:?} {order_error}"));

    // Token endpoint that echoes the secret in its error description.
    let echo = MockServer::start().await;
    mount(
        &echo,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": format!("client secret {SECRET} is wrong")
        })),
    )
    .await;
    let auth_error = client_without_retries(&echo)
        .get_customer("K1")
        .await
        .expect_err("auth");
    assert!(matches!(auth_error, Error::Auth(_)));
    assert_no_secret(&format!("{auth_error:?} {auth_error}"));
    assert!(
        auth_error.to_string().contains("[REDACTED]"),
        "{auth_error}"
    );

    // Token endpoint that echoes the secret in a non-OAuth error body.
    let echo = MockServer::start().await;
    mount(
        &echo,
        "POST",
        TOKEN_PATH,
        ResponseTemplate::new(500).set_body_string(format!("<pre>secret={SECRET}</pre>")),
    )
    .await;
    let auth_error = client_without_retries(&echo)
        .get_customer("K1")
        .await
        .expect_err("auth");
    assert!(
        matches!(&auth_error, Error::Auth(a) if a.kind() == AuthErrorKind::UnexpectedStatus),
        "{auth_error:?}"
    );
    assert_no_secret(&format!("{auth_error:?} {auth_error}"));

    // Token endpoint not reachable.
    let unreachable = Client::builder("http://127.0.0.1:1")
        .client_credentials(CLIENT_ID, SECRET)
        .token_url(format!("http://127.0.0.1:{port}/connect/token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds");
    let auth_error = unreachable.get_customer("K1").await.expect_err("auth");
    assert!(
        matches!(&auth_error, Error::Auth(a) if a.kind() == AuthErrorKind::Connection),
        "{auth_error:?}"
    );
    assert_no_secret(&format!("{auth_error:?} {auth_error}"));

    let build_error = Client::builder("http://gks.example.com")
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .expect_err("insecure");
    assert_no_secret(&format!("{build_error:?} {build_error}"));
}

fn builder_with_timeout(server: &MockServer) -> Client {
    builder(server)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds")
}

fn variant_name<E>(error: &Error<E>) -> &'static str {
    match error {
        Error::Api(_) => "Api",
        Error::UnexpectedStatus(_) => "UnexpectedStatus",
        Error::InvalidResponse(_) => "InvalidResponse",
        Error::Auth(_) => "Auth",
        Error::Timeout(_) => "Timeout",
        Error::Connection(_) => "Connection",
        Error::Transport(_) => "Transport",
        Error::MayHaveBeenProcessed(_) => "MayHaveBeenProcessed",
        Error::InvalidRequest(_) => "InvalidRequest",
        _ => "other",
    }
}

#[test]
fn error_type_stays_small() {
    let size = std::mem::size_of::<Error<GetCustomerError>>();
    println!("size_of::<Error<GetCustomerError>>() = {size}");
    assert!(size <= 128, "{size}");
}
