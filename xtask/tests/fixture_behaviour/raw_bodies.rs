//! Behaviour of the client generated from `codegen/tests/fixtures/raw_bodies.yaml`, against a
//! local mock server: a binary success answer is handed out as a stream (not buffered by the
//! client) with its status and headers, and arrives whole.
//!
//! Not an integration test of xtask itself: `generated_crates.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-raw-bodies` crate and
//! runs `cargo test` there. Only loopback traffic (wiremock on 127.0.0.1).

use fixture_raw_bodies::{ByteStream, Client, Error, RetryPolicy, bytes};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// Reads a stream to its end: the chunks' count and the bytes.
async fn read_all(mut stream: ByteStream) -> (usize, Vec<u8>) {
    let mut chunks = 0;
    let mut bytes = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        chunks += 1;
        bytes.extend_from_slice(&chunk.expect("the body arrives"));
    }
    (chunks, bytes)
}

#[tokio::test]
async fn a_binary_answer_is_streamed_whole_with_status_and_headers() {
    let server = MockServer::start().await;
    // 4 MiB: far more than one read, so a stream yields many chunks.
    let report: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("x-report-id", "r-17")
                .set_body_raw(report.clone(), "application/octet-stream"),
        )
        .mount(&server)
        .await;
    let answer = client(&server)
        .upload_report(bytes::Bytes::from_static(b"input"))
        .await
        .expect("202 is Ok");
    assert_eq!(answer.status().as_u16(), 202);
    assert_eq!(
        answer
            .headers()
            .get("x-report-id")
            .and_then(|v| v.to_str().ok()),
        Some("r-17")
    );
    let (chunks, body) = read_all(answer.into_inner()).await;
    assert!(
        chunks > 1,
        "the body came as a stream, in {chunks} chunk(s)"
    );
    assert_eq!(body.len(), report.len());
    assert!(body == report, "the streamed bytes are the answer's");
}

#[tokio::test]
async fn an_undocumented_status_is_an_error_with_its_body_read() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("broken"))
        .mount(&server)
        .await;
    let error = client(&server)
        .upload_report(bytes::Bytes::from_static(b"input"))
        .await
        .err()
        .expect("500 is an error");
    match error {
        Error::UnexpectedStatus(unexpected) => {
            assert_eq!(unexpected.answer().status().as_u16(), 500);
            assert_eq!(
                unexpected.answer().body().as_ref(),
                b"broken",
                "an error body is read in full"
            );
        }
        other => panic!("500 is undocumented here, got {other:?}"),
    }
}
