//! The request and response types the generated operations exchange with
//! [`ClientCore::execute`](super::ClientCore::execute), plus path-parameter encoding and JSON
//! helpers. Used by generated code only.

use std::borrow::Cow;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::answer::Answer;
use super::error::{ApiError, Error, InvalidResponse, UnexpectedStatus};
use super::secret::Secret;

/// One call of an operation, as built by generated code.
#[derive(Debug)]
pub struct OperationRequest {
    /// The spec's `operationId` (or the name derived for it), e.g. `placeSalesOrder`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as the spec writes it, e.g. `/api/v1/customers/{customerNumber}`; used in logs.
    pub path_template: &'static str,
    /// The path with parameters filled in and percent-encoded (see [`encode_path_param`]).
    pub path: String,
    /// Query parameters (encoded by the client). Their values are never logged.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Extra request headers.
    pub headers: Vec<(&'static str, String)>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// `true` for GET/HEAD/PUT/DELETE/OPTIONS/TRACE: safe to resend after a timeout or a 5xx.
    pub idempotent: bool,
    /// `false` when the operation has `security: []`: no access token is sent.
    pub authenticated: bool,
    /// `true` when the success answer is a binary body handed to the caller as a stream (see
    /// [`RawResponse::into_stream`]); other answers are read in full.
    pub stream_success: bool,
}

/// A serialised request body with its media type.
#[derive(Clone, Debug)]
pub struct RequestBody {
    /// The `Content-Type` to send, e.g. `application/json`.
    pub content_type: Cow<'static, str>,
    /// The body bytes (cheap to clone for retries).
    pub bytes: Bytes,
}

/// Serialises `value` as a JSON request body.
pub fn json_body<T: Serialize + ?Sized, E>(value: &T) -> Result<RequestBody, Error<E>> {
    match serde_json::to_vec(value) {
        Ok(bytes) => Ok(RequestBody {
            content_type: Cow::Borrowed("application/json"),
            bytes: Bytes::from(bytes),
        }),
        Err(source) => Err(Error::invalid_request_with_source(
            "body",
            "could not serialise the request body as JSON",
            source,
        )),
    }
}

/// Characters left as they are in a path segment: RFC 3986 "unreserved" (letters, digits,
/// `-`, `.`, `_`, `~`). Everything else, including `/`, `%`, `?`, `#`, space and the
/// sub-delimiters, is percent-encoded, so a value always stays one path segment and means
/// itself.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends an object query parameter: one pair per member, `member=value` (`style: form`) or
/// `name[member]=value` (`style: deepObject`); arrays repeat the key, `null` members are left
/// out, nested objects are sent as JSON text.
pub fn push_object_query<T: Serialize + ?Sized, E>(
    list: &mut Vec<(Cow<'static, str>, String)>,
    name: &'static str,
    value: &T,
    deep: bool,
) -> Result<(), Error<E>> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::invalid_request_with_source(name, "the query parameter cannot be encoded", e)
    })?;
    let serde_json::Value::Object(members) = value else {
        return Err(Error::invalid_request(
            name,
            "an object query parameter must be an object",
        ));
    };
    for (member, value) in members {
        let key: Cow<'static, str> = if deep {
            Cow::Owned(format!("{name}[{member}]"))
        } else {
            Cow::Owned(member)
        };
        let items = match value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let text = match item {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            list.push((key.clone(), text));
        }
    }
    Ok(())
}

/// Percent-encodes one path parameter so it stays ONE path segment ('/' → %2F, '%' → %25, '?'
/// '#' space etc. encoded).
///
/// Rejects "", "." and ".." with [`Error::InvalidRequest`]: a URL parser would normalise them
/// away and request another path.
pub fn encode_path_param<E>(name: &'static str, value: &str) -> Result<String, Error<E>> {
    match value {
        "" => Err(Error::invalid_request(
            name,
            "path parameter must not be empty",
        )),
        "." | ".." => Err(Error::invalid_request(
            name,
            "path parameter must not be \".\" or \"..\"",
        )),
        _ => Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string()),
    }
}

/// A received answer of any status, with its body read in full.
#[derive(Debug)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The access token the request carried, redacted from the texts errors keep of the body.
    pub token: Option<Secret>,
    /// A success answer whose body is left unread (`body` is then empty), for
    /// [`into_stream`](Self::into_stream).
    stream: Option<reqwest::Response>,
}

impl RawResponse {
    /// Builds a response.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse {
            status,
            headers,
            body,
            token: None,
            stream: None,
        }
    }

    /// A success answer whose body the caller streams.
    pub(crate) fn streaming(response: reqwest::Response) -> Self {
        RawResponse {
            status: response.status(),
            headers: response.headers().clone(),
            body: Bytes::new(),
            token: None,
            stream: Some(response),
        }
    }

    /// The success value `value` with this answer's status and headers.
    pub fn into_value<T>(self, value: T) -> ResponseValue<T> {
        ResponseValue::new(value, self.status, self.headers)
    }

    /// The body as a stream of chunks, with the status and headers (a body that was already
    /// read, because the call was not sent for streaming, is one chunk).
    pub fn into_stream(self) -> ResponseValue<ByteStream> {
        match self.stream {
            Some(response) => ResponseValue::stream(response),
            None => {
                let chunks = Box::pin(OneChunk(Some(Ok(self.body))));
                ResponseValue::new(ByteStream::new(chunks), self.status, self.headers)
            }
        }
    }

    /// What an error keeps of this answer, and the secrets to redact from texts made of it.
    pub(crate) fn into_answer(self) -> (Answer, Option<Secret>) {
        let request_id = self.request_id();
        let answer = Answer::new(self.status, self.headers, request_id, self.body);
        (answer, self.token)
    }

    /// [`Error::InvalidResponse`] keeping the status and raw body (copied: `json` borrows the
    /// response; `Bytes` is shared, the headers are cloned on this error path only).
    fn invalid_response<E>(&self, source: serde_json::Error) -> Error<E> {
        let answer = Answer::new(
            self.status,
            self.headers.clone(),
            self.request_id(),
            self.body.clone(),
        );
        let secrets: Vec<&Secret> = self.token.iter().collect();
        Error::InvalidResponse(InvalidResponse::new(answer, source, &secrets))
    }

    /// The server's request or trace id, as found in the headers or (for error statuses) the
    /// body's `traceId` member. Looked up only when an error is built, never on the success path.
    pub fn request_id(&self) -> Option<String> {
        find_request_id(self.status, &self.headers, &self.body)
    }

    /// Decodes the body as JSON. An empty body decodes as JSON `null` (so `()` and `Option<T>`
    /// accept it). On failure: [`Error::InvalidResponse`] keeping the status and raw body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let body = strip_bom(&self.body);
        match serde_json::from_slice(body) {
            Ok(value) => Ok(value),
            Err(source) => {
                if body.iter().all(u8::is_ascii_whitespace)
                    && let Ok(value) = serde_json::from_slice(b"null")
                {
                    return Ok(value);
                }
                Err(self.invalid_response(source))
            }
        }
    }

    /// A documented error status with no body, or a text or binary one: [`Error::Api`].
    pub fn into_api_error<E>(self, body: E) -> Error<E> {
        self.api_error(body, None)
    }

    /// A documented error status with a JSON body, decoded into the variant `wrap` makes:
    /// [`Error::Api`]. A body that does not decode (a proxy's HTML page, text, JSON of another
    /// shape, no body at all) still gives the documented variant when its type accepts `{}`
    /// (ProblemDetails-like types, all of whose members are optional), with the decoding error
    /// and the raw body kept; otherwise [`Error::InvalidResponse`].
    pub fn into_documented_error<T: DeserializeOwned, E>(
        self,
        wrap: impl FnOnce(T) -> E,
    ) -> Error<E> {
        let body = strip_bom(&self.body);
        let decoded = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::from_slice::<T>(b"{}").or_else(|_| serde_json::from_slice(b"null"))
        } else {
            serde_json::from_slice(body)
        };
        let source = match decoded {
            Ok(value) => return self.api_error(wrap(value), None),
            Err(source) => source,
        };
        match serde_json::from_slice::<T>(b"{}") {
            Ok(empty) => self.api_error(wrap(empty), Some(source)),
            Err(_) => self.invalid_response(source),
        }
    }

    fn api_error<E>(self, body: E, decode_error: Option<serde_json::Error>) -> Error<E> {
        let (answer, token) = self.into_answer();
        let secrets: Vec<&Secret> = token.iter().collect();
        Error::Api(ApiError::new(answer, body, decode_error, &secrets))
    }

    /// A status the operation does not document: [`Error::UnexpectedStatus`] with the raw body.
    pub fn into_unexpected_status<E>(self) -> Error<E> {
        let (answer, token) = self.into_answer();
        let secrets: Vec<&Secret> = token.iter().collect();
        Error::UnexpectedStatus(UnexpectedStatus::new(answer, &secrets))
    }
}

/// A stream of one chunk: a body that was read in full, handed out as a [`ByteStream`].
struct OneChunk(Option<reqwest::Result<Bytes>>);

impl futures_core::Stream for OneChunk {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.take())
    }
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Response headers that carry a request or trace id, in order of preference.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "traceparent",
];

/// Request ids longer than this are ignored (they are not ids).
const MAX_REQUEST_ID_LEN: usize = 256;

/// Finds the server's request id: the first of [`REQUEST_ID_HEADERS`] present, or for error
/// statuses the `traceId` member of a JSON body (ASP.NET Core ProblemDetails).
pub(crate) fn find_request_id(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<String> {
    for name in REQUEST_ID_HEADERS {
        if let Some(value) = headers.get(*name).and_then(|v| v.to_str().ok()) {
            let value = value.trim();
            if !value.is_empty() && value.len() <= MAX_REQUEST_ID_LEN {
                return Some(value.to_owned());
            }
        }
    }
    if status.is_client_error() || status.is_server_error() {
        #[derive(serde::Deserialize)]
        struct TraceId {
            #[serde(rename = "traceId")]
            trace_id: Option<serde_json::Value>,
        }
        if let Ok(TraceId {
            trace_id: Some(serde_json::Value::String(id)),
        }) = serde_json::from_slice::<TraceId>(strip_bom(body))
            && !id.is_empty()
            && id.len() <= MAX_REQUEST_ID_LEN
        {
            return Some(id);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn encode(value: &str) -> Result<String, Error<()>> {
        encode_path_param("p", value)
    }

    #[test]
    fn path_params_stay_one_segment() {
        assert_eq!(encode("K100421").ok().as_deref(), Some("K100421"));
        assert_eq!(encode("../x").ok().as_deref(), Some("..%2Fx"));
        assert_eq!(encode("a/b").ok().as_deref(), Some("a%2Fb"));
        assert_eq!(encode("50%").ok().as_deref(), Some("50%25"));
        assert_eq!(encode("a?b#c d").ok().as_deref(), Some("a%3Fb%23c%20d"));
        assert_eq!(encode("%2e%2e").ok().as_deref(), Some("%252e%252e"));
        assert_eq!(encode("å").ok().as_deref(), Some("%C3%A5"));
        assert_eq!(encode("a.b-c_d~e").ok().as_deref(), Some("a.b-c_d~e"));
        assert_eq!(encode("...").ok().as_deref(), Some("..."));
    }

    #[test]
    fn dot_segments_and_empty_are_rejected() {
        for value in ["", ".", ".."] {
            match encode(value) {
                Err(Error::InvalidRequest(e)) => assert_eq!(e.field(), "p"),
                other => panic!("{value:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn request_id_from_headers_then_trace_id() {
        let body = br#"{"title":"x","traceId":"00-abc-def-00"}"#;
        let mut headers = HeaderMap::new();
        assert_eq!(
            find_request_id(StatusCode::BAD_REQUEST, &headers, body).as_deref(),
            Some("00-abc-def-00")
        );
        // Success bodies are not searched.
        assert_eq!(find_request_id(StatusCode::OK, &headers, body), None);
        headers.insert("request-id", HeaderValue::from_static("rid-1"));
        assert_eq!(
            find_request_id(StatusCode::BAD_REQUEST, &headers, body).as_deref(),
            Some("rid-1")
        );
        headers.insert("x-request-id", HeaderValue::from_static("xrid-1"));
        assert_eq!(
            find_request_id(StatusCode::OK, &headers, body).as_deref(),
            Some("xrid-1")
        );
        assert_eq!(
            find_request_id(StatusCode::BAD_REQUEST, &HeaderMap::new(), b"not json"),
            None
        );
    }

    #[test]
    fn json_of_empty_body_is_null() {
        let response = RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::new());
        let unit: Result<(), Error<()>> = response.json();
        assert!(unit.is_ok());
        let none: Result<Option<u32>, Error<()>> = response.json();
        assert!(matches!(none, Ok(None)));
        let number: Result<u32, Error<()>> = response.json();
        assert!(matches!(number, Err(Error::InvalidResponse(_))));
    }

    #[test]
    fn json_tolerates_bom() {
        let response = RawResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(b"\xEF\xBB\xBF{\"a\":1}"),
        );
        let value: Result<serde_json::Value, Error<()>> = response.json();
        assert_eq!(value.ok(), Some(serde_json::json!({"a": 1})));
    }
}
