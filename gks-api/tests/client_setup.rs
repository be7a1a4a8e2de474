//! The client's set-up beyond credentials: an own `reqwest::Client` (through a real forward proxy
//! on loopback, and with default headers), hooks around every attempt, and what a success
//! value carries besides the value (status, headers; progenitor-client's `ClientInfo`).

mod common;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use gks_api::{AttemptOutcome, BuildErrorKind, Client, ClientInfo, Hooks, OperationInfo, reqwest};
use wiremock::ResponseTemplate;

/// A plain-HTTP forward proxy on 127.0.0.1: each connection's request head names the target in
/// absolute form (`GET http://127.0.0.1:port/path HTTP/1.1`); the proxy connects there and
/// pipes both ways. Returns its URL and the request lines it forwarded.
fn forward_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || pipe_through(client, &log));
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

fn pipe_through(mut client: TcpStream, log: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 8192];
    while !head.windows(2).any(|w| w == b"\r\n") {
        match client.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let request_line = text.lines().next().unwrap_or_default().to_string();
    let Some(authority) = request_line
        .split(' ')
        .nth(1)
        .and_then(|target| target.strip_prefix("http://"))
        .and_then(|rest| rest.split('/').next())
        .map(str::to_string)
    else {
        return;
    };
    log.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(request_line);
    let Ok(mut upstream) = TcpStream::connect(&authority) else {
        return;
    };
    if upstream.write_all(&head).is_err() {
        return;
    }
    let (Ok(mut client_reader), Ok(mut upstream_writer)) =
        (client.try_clone(), upstream.try_clone())
    else {
        return;
    };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_reader, &mut upstream_writer);
    });
    let _ = std::io::copy(&mut upstream, &mut client);
}

#[tokio::test]
async fn an_own_reqwest_client_carries_every_call_and_token_request_through_its_proxy() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let (proxy_url, forwarded) = forward_proxy();
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(&proxy_url).expect("proxy URL"))
        .redirect(reqwest::redirect::Policy::none())
        // One connection per request, so the proxy logs every request line.
        .pool_max_idle_per_host(0)
        .build()
        .expect("reqwest client");
    let client = builder(&server)
        .http_client(http)
        .build()
        .expect("client builds");

    let customer = client
        .get_customer("K100421")
        .await
        .expect("200 through the proxy");
    assert_eq!(customer.name, "Acme AB");

    let lines = forwarded.lock().map(|l| l.clone()).unwrap_or_default();
    let base = server.uri();
    assert!(
        lines.contains(&format!("POST {base}{TOKEN_PATH} HTTP/1.1")),
        "the token request went through the proxy: {lines:?}"
    );
    assert!(
        lines.contains(&format!("GET {base}{CUSTOMER_PATH} HTTP/1.1")),
        "the call went through the proxy: {lines:?}"
    );
    // The server saw the call, with the client's token.
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(calls.len(), 1);
    assert!(authorization(&calls[0]).starts_with("Bearer "));
}

#[tokio::test]
async fn an_own_reqwest_client_keeps_its_default_headers_and_user_agent() {
    let server = server_with_tokens().await;
    mount_customer(&server).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert(
        "x-tenant",
        reqwest::header::HeaderValue::from_static("acme"),
    );
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .user_agent("shop-integration/2.1")
        .build()
        .expect("reqwest client");
    let client = builder(&server)
        .http_client(http)
        .build()
        .expect("client builds");
    client.get_customer("K100421").await.expect("200");

    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(header(&calls[0], "x-tenant"), Some("acme"));
    assert_eq!(
        header(&calls[0], "user-agent"),
        Some("shop-integration/2.1"),
        "the own client's User-Agent applies, not this crate's"
    );
    // Without an own client, the crate's User-Agent is sent.
    let plain = common::client(&server);
    plain.get_customer("K100421").await.expect("200");
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(
        header(&calls[1], "user-agent"),
        Some(concat!("gks-api/", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn timeouts_beside_an_own_reqwest_client_are_refused() {
    for builder in [
        Client::builder("https://gks.example.com")
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(5)),
        Client::builder("https://gks.example.com")
            .connect_timeout(Duration::from_secs(5))
            .http_client(reqwest::Client::new()),
    ] {
        let error = builder
            .build()
            .expect_err("timeouts do not apply to an own client");
        assert_eq!(error.kind(), BuildErrorKind::ConflictingSettings);
        assert!(error.to_string().contains("http_client"), "{error}");
    }
}

/// What the hooks saw, in order.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn events(&self) -> Vec<String> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }

    fn push(&self, event: String) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(event);
    }
}

impl Hooks for Recorder {
    fn before_send(&self, info: &OperationInfo, request: &mut reqwest::Request) {
        let authorization = request.headers().get("authorization").map(|v| v.len());
        self.push(format!(
            "before {} auth={authorization:?}",
            info.operation_id
        ));
        request.headers_mut().insert(
            "x-trace",
            reqwest::header::HeaderValue::from_static("trace-1"),
        );
        // A hook cannot replace the client's token.
        request.headers_mut().insert(
            "authorization",
            reqwest::header::HeaderValue::from_static("Bearer forged"),
        );
    }

    fn after_attempt(&self, info: &OperationInfo, attempt: u32, outcome: AttemptOutcome<'_>) {
        let outcome = match outcome {
            AttemptOutcome::Answer { status, headers } => format!(
                "{} request-id={:?}",
                status.as_u16(),
                headers.get("x-request-id").and_then(|v| v.to_str().ok())
            ),
            AttemptOutcome::Failed { status, timeout } => {
                format!("failed status={status:?} timeout={timeout}")
            }
            _ => "other".to_string(),
        };
        self.push(format!("after {} #{attempt} {outcome}", info.operation_id));
    }
}

#[tokio::test]
async fn hooks_run_around_every_attempt_and_never_see_or_replace_the_token() {
    let server = server_with_tokens().await;
    let answers = Sequence::new(vec![
        ResponseTemplate::new(503).insert_header("retry-after", "0"),
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-42")
            .set_body_json(customer_json()),
    ]);
    mount(&server, "GET", CUSTOMER_PATH, answers).await;
    let recorder = Recorder::default();
    let client = builder(&server)
        .hooks(recorder.clone())
        .build()
        .expect("client builds");

    client
        .get_customer("K100421")
        .await
        .expect("retried to 200");

    assert_eq!(
        recorder.events(),
        [
            "before getCustomer auth=None",
            "after getCustomer #1 503 request-id=None",
            "before getCustomer auth=None",
            "after getCustomer #2 200 request-id=Some(\"req-42\")",
        ]
    );
    let calls = requests_to(&server, CUSTOMER_PATH).await;
    assert_eq!(calls.len(), 2);
    for call in &calls {
        assert_eq!(
            header(call, "x-trace"),
            Some("trace-1"),
            "a hook adds headers"
        );
        assert_ne!(
            authorization(call),
            "Bearer forged",
            "the client's token wins"
        );
        assert!(authorization(call).starts_with("Bearer tok-"));
    }
}

#[tokio::test]
async fn hooks_see_failed_attempts() {
    let recorder = Recorder::default();
    let client = Client::builder(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(gks_api::RetryPolicy::none())
        .hooks(recorder.clone())
        .build()
        .expect("client builds");
    client
        .get_customer("K100421")
        .await
        .expect_err("nothing listens");
    assert_eq!(
        recorder.events(),
        [
            "before getCustomer auth=None",
            "after getCustomer #1 failed status=None timeout=false",
        ]
    );
}

#[tokio::test]
async fn a_success_value_keeps_the_status_and_headers_and_derefs_to_the_value() {
    let server = server_with_tokens().await;
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-7")
            .insert_header("etag", "\"v3\"")
            .set_body_json(customer_json()),
    )
    .await;
    let client = common::client(&server);
    let answer = client.get_customer("K100421").await.expect("200");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(
        answer.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some("\"v3\"")
    );
    assert_eq!(answer.name, "Acme AB", "derefs to the customer");
    let customer = answer.into_inner();
    assert_eq!(customer.name, "Acme AB");

    // progenitor-client's ClientInfo, as progenitor users know it.
    assert_eq!(<Client as ClientInfo<()>>::api_version(), "v1");
    assert_eq!(client.baseurl(), server.uri());
}
