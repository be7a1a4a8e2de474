//! [`Answer`]: what an error keeps of the server's answer (status, headers, request id, raw
//! body), with its accessors and its redacting `Debug` written once for every error that has one.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Headers whose values are never shown in `Debug` output.
const REDACTED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "www-authenticate",
    "proxy-authenticate",
];

/// The server's answer as an error keeps it: [`ApiError`](super::ApiError),
/// [`UnexpectedStatus`](super::UnexpectedStatus), [`InvalidResponse`](super::InvalidResponse)
/// and [`MayHaveBeenProcessed`](super::MayHaveBeenProcessed) each give it by `answer()`.
///
/// `Debug` shows the body's size only (bodies may hold customer data) and hides credential-like
/// header values.
pub struct Answer {
    status: StatusCode,
    headers: Box<HeaderMap>,
    request_id: Option<String>,
    body: Bytes,
}

impl Answer {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: Bytes,
    ) -> Self {
        Answer {
            status,
            headers: Box::new(headers),
            request_id,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request or trace id, if any (headers `x-request-id`, `request-id`,
    /// `x-correlation-id`, `traceparent`, or the `traceId` member of a JSON error body).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body exactly as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Adds this answer's fields to an error's `Debug` output.
    pub(crate) fn debug_fields(&self, out: &mut fmt::DebugStruct<'_, '_>) {
        out.field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &BodySize(&self.body))
            .field("headers", &RedactedHeaders(&self.headers));
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Answer");
        self.debug_fields(&mut out);
        out.finish()
    }
}

/// `Debug` for a body: its size only (bodies may hold customer data).
pub(crate) struct BodySize<'a>(pub(crate) &'a Bytes);

impl fmt::Debug for BodySize<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// `Debug` for a header map that hides credential-like header values.
struct RedactedHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || REDACTED_HEADERS.contains(&name.as_str()) {
                map.entry(&name.as_str(), &"[REDACTED]");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}
