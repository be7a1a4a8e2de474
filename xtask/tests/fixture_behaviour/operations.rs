//! Behaviour of the client generated from `codegen/tests/fixtures/operations.yaml`, against a
//! local mock server: parameter encoding, bodies, success and error statuses, security.
//!
//! Not an integration test of xtask itself: `generated_crates_build.rs` copies this file into the
//! scratch workspace under `target/generated-crates/` as the `behaviour-operations`
//! crate and runs `cargo test` there. Only loopback traffic (wiremock on 127.0.0.1).

#![allow(deprecated)]

use fixture_operations::types::{Kind, Problem, Thing, ThingPatch, UploadAttachmentBody};
use fixture_operations::{
    Client, CreateThingError, CreateThingSuccess, DeleteThingError, FilePart, GetThingFileError,
    RetryPolicy, SearchThingsError,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .bearer_token("test-token")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

fn thing_json() -> serde_json::Value {
    json!({"id": 7, "name": "seven", "kind": "folder"})
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_one_segment_each() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json()))
        .mount(&server)
        .await;
    let thing = client(&server)
        .get_thing_file(&Kind::SymLink, 7, "a b/c%?#", "req-1", Some(true))
        .await
        .expect("200 is Ok");
    assert_eq!(thing.id, Some(7));
    assert_eq!(thing.name, "seven");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/things/sym%20link/7/files/a%20b%2Fc%25%3F%23",
        "string, integer and enum path parameters are encoded as one segment each"
    );
    assert_eq!(request.url.query(), None);
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("X-Request-Id").as_deref(), Some("req-1"));
    assert_eq!(header("X-Trace").as_deref(), Some("true"));
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer test-token")
    );
}

#[tokio::test]
async fn query_parameters_required_optional_and_arrays() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([thing_json()])))
        .mount(&server)
        .await;
    let since = "2024-01-02T03:04:05Z".parse().expect("date-time");
    let things = client(&server)
        .search_things(
            "red box",
            Some(5),
            Some(&["a&b".to_string(), "c".to_string()]),
            &[Kind::File, Kind::SymLink],
            Some(since),
            None,
            None,
        )
        .await
        .expect("200 is Ok");
    assert_eq!(things.len(), 1);
    let request = only_request(&server).await;
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("q", "red box"),
        ("limit", "5"),
        ("tags", "a&b"),
        ("tags", "c"),
        ("kinds", "file"),
        ("kinds", "sym link"),
        ("since", "2024-01-02T03:04:05Z"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected, "raw query: {:?}", request.url.query());
    assert!(
        !request.url.query().unwrap_or("").contains("on="),
        "an unset optional parameter is left out"
    );
}

#[tokio::test]
async fn constraints_are_checked_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .search_things("x", None, None, &[], None, None, None)
        .await
        .expect_err("q has minLength 2");
    assert!(err.is_invalid_request(), "{err:?}");
    let err = client
        .search_things("NOT lower case", None, None, &[], None, None, None)
        .await
        .expect_err("q has pattern ^[a-z ]+$");
    assert!(err.is_invalid_request(), "{err:?}");
    let too_long = Thing::new("x".repeat(51));
    let err = client
        .create_thing(&too_long)
        .await
        .expect_err("name has maxLength 50");
    assert!(err.is_invalid_request(), "{err:?}");
    let err = client
        .get_thing_file(&Kind::File, 1, "", "r", None)
        .await
        .expect_err("the name path parameter has minLength 1");
    assert!(err.is_invalid_request(), "{err:?}");
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests.is_empty(), "nothing may be sent: {requests:?}");
}

#[tokio::test]
async fn documented_error_statuses_decode_their_own_schemas() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/file/1/files/a"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"resource": "file a"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/file/2/files/a"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"conflictingId": 3})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/file/3/files/a"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .get_thing_file(&Kind::File, 1, "a", "r", None)
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    match err.api_body() {
        Some(GetThingFileError::NotFound(body)) => assert_eq!(body.resource, "file a"),
        other => panic!("404 should be NotFound, got {other:?}"),
    }

    let err = client
        .get_thing_file(&Kind::File, 2, "a", "r", None)
        .await
        .expect_err("409");
    match err.api_body() {
        Some(GetThingFileError::Conflict(body)) => assert_eq!(body.conflicting_id, Some(3)),
        other => panic!("409 should be Conflict, got {other:?}"),
    }

    let err = client
        .get_thing_file(&Kind::File, 3, "a", "r", None)
        .await
        .expect_err("500");
    assert!(
        matches!(err.api_body(), Some(GetThingFileError::ServerError)),
        "5XX: {err:?}"
    );
}

#[tokio::test]
async fn create_thing_statuses_ranges_and_media_types() {
    let server = MockServer::start().await;
    let respond =
        |status: u16, name: &'static str, body: serde_json::Value, content_type: &'static str| {
            Mock::given(method("POST"))
                .and(path("/things"))
                .and(move |request: &Request| {
                    serde_json::from_slice::<serde_json::Value>(&request.body)
                        .is_ok_and(|b| b["name"] == json!(name))
                })
                .respond_with(
                    ResponseTemplate::new(status)
                        .set_body_raw(serde_json::to_vec(&body).expect("json"), content_type),
                )
        };
    respond(201, "created", thing_json(), "application/json")
        .mount(&server)
        .await;
    respond(200, "existing", thing_json(), "application/json")
        .mount(&server)
        .await;
    respond(
        400,
        "invalid",
        json!({"errors": {"name": ["bad"]}}),
        "application/json",
    )
    .mount(&server)
    .await;
    respond(
        422,
        "unprocessable",
        json!({"title": "nope", "status": 422}),
        "application/problem+json",
    )
    .mount(&server)
    .await;
    respond(418, "teapot", json!({}), "application/json")
        .mount(&server)
        .await;
    let client = client(&server);

    match client
        .create_thing(&Thing::new("created"))
        .await
        .expect("201 is Ok")
        .into_inner()
    {
        CreateThingSuccess::Created(thing) => assert_eq!(thing.id, Some(7)),
        other => panic!("201 should be Created, got {other:?}"),
    }
    match client
        .create_thing(&Thing::new("existing"))
        .await
        .expect("200 is Ok too")
        .into_inner()
    {
        CreateThingSuccess::Ok(thing) => assert_eq!(thing.name, "seven"),
        other => panic!("200 should be Ok, got {other:?}"),
    }

    let err = client
        .create_thing(&Thing::new("invalid"))
        .await
        .expect_err("400");
    match err.api_body() {
        Some(CreateThingError::BadRequest(body)) => {
            assert_eq!(body.errors.get("name"), Some(&vec!["bad".to_string()]));
        }
        other => panic!("400 should be BadRequest, got {other:?}"),
    }
    let err = client
        .create_thing(&Thing::new("unprocessable"))
        .await
        .expect_err("422");
    match err.api_body() {
        Some(CreateThingError::UnprocessableEntity(Problem { title, status, .. })) => {
            assert_eq!((title.as_deref(), *status), (Some("nope"), Some(422)));
        }
        other => panic!("422 should be UnprocessableEntity, got {other:?}"),
    }
    let err = client
        .create_thing(&Thing::new("teapot"))
        .await
        .expect_err("418");
    assert!(
        matches!(err.api_body(), Some(CreateThingError::ClientError)),
        "4XX: {err:?}"
    );

    // The readOnly id is never sent.
    let mut with_id = Thing::new("created");
    with_id.id = Some(99);
    client.create_thing(&with_id).await.expect("201");
    let requests = server.received_requests().await.expect("recording is on");
    let last: serde_json::Value =
        serde_json::from_slice(&requests.last().expect("sent").body).expect("json body");
    assert_eq!(
        last,
        json!({"name": "created"}),
        "readOnly id must not be sent"
    );
}

#[tokio::test]
async fn default_response_no_content_and_two_xx_range() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"title": "boom"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/5"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/6"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/things/5"))
        .respond_with(ResponseTemplate::new(206).set_body_json(thing_json()))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .search_things("ab", None, None, &[], None, None, None)
        .await
        .expect_err("default");
    match err.api_body() {
        Some(SearchThingsError::Default(problem)) => {
            assert_eq!(problem.title.as_deref(), Some("boom"))
        }
        other => panic!("an undocumented status goes to `default`, got {other:?}"),
    }

    // The annotation checks that a 204 operation returns `()`.
    let deleted: Result<(), _> = client.delete_thing(5).await.map(|value| value.into_inner());
    deleted.expect("204 is Ok(())");
    let err = client.delete_thing(6).await.expect_err("404");
    assert!(
        matches!(err.api_body(), Some(DeleteThingError::NotFound)),
        "{err:?}"
    );

    let patched = client
        .patch_things_by_id(5, Some(&ThingPatch::new().with_name("five")))
        .await
        .expect("206 is within 2XX");
    assert_eq!(patched.name, "seven");
    client
        .patch_things_by_id(5, None)
        .await
        .expect("the body is optional");
    let requests = server.received_requests().await.expect("recording is on");
    let patches: Vec<&Request> = requests
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
        .collect();
    assert_eq!(patches.len(), 2);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&patches[0].body).expect("json"),
        json!({"name": "five"})
    );
    assert!(patches[1].body.is_empty(), "no body when None");
}

#[tokio::test]
async fn security_is_skipped_where_the_operation_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let text = client(&server).health().await.expect("200 is Ok");
    assert_eq!(*text, "ok", "a text/plain body is returned as text");
    let request = only_request(&server).await;
    assert!(
        request.headers.get("authorization").is_none(),
        "`security: []` sends no credentials: {:?}",
        request.headers
    );
}

#[tokio::test]
async fn json_string_and_array_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("stored")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(
        *client.set_note(Some("hello")).await.expect("200"),
        "stored"
    );
    client
        .add_notes(&["a".to_string(), "b".to_string()])
        .await
        .expect("204");
    let requests = server.received_requests().await.expect("recording is on");
    let body = |i: usize| {
        serde_json::from_slice::<serde_json::Value>(&requests[i].body).expect("json body")
    };
    assert_eq!(body(0), json!("hello"));
    assert_eq!(body(1), json!(["a", "b"]));
}

#[tokio::test]
async fn multipart_uploads_send_file_and_text_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/attachments"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let body = UploadAttachmentBody::new(
        FilePart::new(&b"%PDF-1.7 proof"[..])
            .with_file_name("proof.pdf")
            .with_content_type("application/pdf"),
    )
    .with_title("Proof")
    .with_kind(Kind::File)
    .with_tags(vec!["a".to_string(), "b".to_string()]);
    client(&server)
        .upload_attachment(&body)
        .await
        .expect("204 is Ok");

    let request = only_request(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("a content type")
        .to_string();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("multipart content type: {content_type}"));
    let text = String::from_utf8(request.body.clone()).expect("utf-8 body");
    assert!(text.starts_with(&format!("--{boundary}\r\n")), "{text}");
    assert!(text.ends_with(&format!("--{boundary}--\r\n")), "{text}");
    assert!(
        text.contains("Content-Disposition: form-data; name=\"file\"; filename=\"proof.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 proof\r\n"),
        "{text}"
    );
    assert!(text.contains("name=\"title\"\r\n\r\nProof\r\n"), "{text}");
    assert!(text.contains("name=\"kind\"\r\n\r\nfile\r\n"), "{text}");
    assert_eq!(text.matches("name=\"tags\"").count(), 2, "{text}");
}
