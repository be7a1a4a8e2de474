//! Helpers shared by the `gks-api` test binaries: credentials, a token endpoint, answer
//! sequences, client builders pointed at a wiremock server, and request inspection.
//!
//! Each test binary uses a different part of this module, so unused items are expected.
#![allow(dead_code)]

use std::io::Read as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gks_api::types::{SalesOrder, SalesOrderRequired};
use gks_api::{Client, ClientBuilder, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "my-client-id";
pub const SECRET: &str = "my-client-secret-Zq8v";
pub const TOKEN_PATH: &str = "/connect/token";
pub const CUSTOMER_PATH: &str = "/api/v1/customers/K100421";
pub const CUSTOMERS_PATH: &str = "/api/v1/customers";
pub const ORDERS_PATH: &str = "/api/v1/salesorders";

/// Token endpoint that issues `tok-SECRET-1`, `tok-SECRET-2`, ... with the given lifetime,
/// optionally after a delay.
pub struct TokenIssuer {
    issued: AtomicUsize,
    expires_in: u64,
    delay: Duration,
}

impl Respond for TokenIssuer {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "access_token": format!("tok-SECRET-{n}"),
                "expires_in": self.expires_in,
                "token_type": "Bearer",
                "scope": "gks.api",
                "unknown_extra_field": {"ignored": true}
            }))
            .set_delay(self.delay)
    }
}

/// Mounts a [`TokenIssuer`] at [`TOKEN_PATH`].
pub async fn mount_token_endpoint(server: &MockServer, expires_in: u64, delay: Duration) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(TokenIssuer {
            issued: AtomicUsize::new(0),
            expires_in,
            delay,
        })
        .mount(server)
        .await;
}

/// A server with a token endpoint issuing hour-long tokens.
pub async fn server_with_tokens() -> MockServer {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 3600, Duration::ZERO).await;
    server
}

/// Answers `http_method` requests to `at` with `response`.
pub async fn mount(
    server: &MockServer,
    http_method: &str,
    at: &str,
    response: impl Respond + 'static,
) {
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Answers with `responses` in turn (the last one repeats) and records when each request came.
#[derive(Clone)]
pub struct Sequence {
    responses: Vec<ResponseTemplate>,
    hits: Arc<Mutex<Vec<Instant>>>,
}

impl Sequence {
    pub fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(
            !responses.is_empty(),
            "a sequence needs at least one response"
        );
        Sequence {
            responses,
            hits: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// When each request arrived.
    pub fn hits(&self) -> Vec<Instant> {
        self.hits.lock().map(|h| h.clone()).unwrap_or_default()
    }
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let index = hits.len().min(self.responses.len() - 1);
        hits.push(Instant::now());
        self.responses[index].clone()
    }
}

/// The default retry policy with millisecond backoffs, so retry tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

/// A builder for `server` with the given client credentials, its token endpoint and
/// [`fast_retries`].
pub fn builder_with(server: &MockServer, client_id: &str, secret: &str) -> ClientBuilder {
    Client::builder(server.uri())
        .client_credentials(client_id, secret)
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
        .retry_policy(fast_retries())
}

/// [`builder_with`] the test credentials [`CLIENT_ID`] and [`SECRET`].
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_with(server, CLIENT_ID, SECRET)
}

/// A client for `server` with [`fast_retries`].
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// A client for `server` that never retries.
pub fn client_without_retries(server: &MockServer) -> Client {
    builder(server)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// The requests `server` received at path `p`, in order.
pub async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

/// How many token requests `server` received.
pub async fn token_requests(server: &MockServer) -> usize {
    requests_to(server, TOKEN_PATH).await.len()
}

/// A header of a received request, if present and text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `Authorization` header of a received request, or `""`.
pub fn authorization(request: &Request) -> String {
    header(request, "authorization").unwrap_or("").to_owned()
}

/// A `Customer` as GKS answers it: every required key present, `invoiceEmail` null.
pub fn customer_json() -> serde_json::Value {
    json!({
        "name": "Acme AB",
        "number": "K100421",
        "invoiceEmail": null,
        "corporateIdentityNumber": "556677-8899"
    })
}

/// Answers `GET` [`CUSTOMER_PATH`] with [`customer_json`].
pub async fn mount_customer(server: &MockServer) {
    mount(
        server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(200).set_body_json(customer_json()),
    )
    .await;
}

/// A minimal valid order.
pub fn order() -> SalesOrder {
    SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    })
}

/// Panics if `text` contains the client secret or a token issued by [`TokenIssuer`] or used as
/// a static bearer token in the tests.
pub fn assert_no_secret(text: &str) {
    for secret in [SECRET, "tok-SECRET", "static-SECRET"] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in: {text}"
        );
    }
}

/// A port on 127.0.0.1 with nothing listening.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// A server on 127.0.0.1 that accepts connections, reads the request and hangs up without
/// answering: the request reached the server, but no answer came back. Returns its base URL and
/// the number of connections accepted so far.
pub fn hang_up_server() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            // Read the request head (and whatever of the body came with it), then hang up.
            let mut buffer = [0u8; 16 * 1024];
            let mut seen = Vec::new();
            while let Ok(n) = stream.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buffer[..n]);
                if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            drop(stream);
        }
    });
    (format!("http://127.0.0.1:{port}"), accepted)
}
