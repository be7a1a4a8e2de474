//! Error types of the generated client: one [`Error<E>`] per call, where `E` is the operation's
//! enum of documented error bodies.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::answer::{Answer, BodySize};
use super::problem::{FieldError, ProblemSummary};
use super::secret::{Secret, redact};

/// How many characters of a response body [`Display`](fmt::Display) shows at most.
const DISPLAY_BODY_LIMIT: usize = 200;

/// The error of one API call.
///
/// `E` is the operation's enum of documented error bodies (for example `GetCustomerError`).
/// Match on the variant to tell the cases apart; the helper methods ([`status`](Error::status),
/// [`request_id`](Error::request_id), [`may_have_been_processed`](Error::may_have_been_processed),
/// ...) work on every variant.
///
/// `Display` is one self-contained line (status, request id, root cause, at most 200 characters
/// of a body) and never shows secrets; [`source`](StdError::source) gives the underlying error
/// (HTTP client, JSON decoder) for inspection.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status that the API documents as an error. The body was
    /// decoded into the operation's error type; where that type can be empty (a ProblemDetails
    /// has no required member) a body that is not the documented JSON (a proxy's HTML page) gives
    /// the empty value, with [`ApiError::decode_error`] set and the raw body kept.
    Api(ApiError<E>),
    /// The server answered with a status the API does not document for this operation. The raw
    /// body is kept.
    UnexpectedStatus(UnexpectedStatus),
    /// The server's answer could not be decoded (malformed JSON, or JSON of the wrong shape). The
    /// status and raw body are kept.
    InvalidResponse(InvalidResponse),
    /// No access token could be obtained (token endpoint refused the credentials, was
    /// unreachable, or answered something unusable).
    Auth(AuthError),
    /// The call timed out. Only returned for idempotent calls (after the configured retries);
    /// a non-idempotent call that times out after sending reports
    /// [`Error::MayHaveBeenProcessed`] instead.
    Timeout(TransportError),
    /// The connection could not be established (connection refused, DNS failure, TLS handshake
    /// failure, connect timeout): the request was never sent, so it was certainly not processed.
    Connection(TransportError),
    /// The connection failed after an idempotent request was sent (for example it was reset
    /// while waiting for the answer), after the configured retries.
    Transport(TransportError),
    /// A non-idempotent call (for example placing an order) may or may not have been processed:
    /// the connection was lost or timed out after the request was sent, or the server (or a
    /// gateway in front of it) answered 502, 503 or 504. The call was not resent; check the
    /// server's state before trying again.
    MayHaveBeenProcessed(MayHaveBeenProcessed),
    /// The request was rejected on the client side before anything was sent (invalid path
    /// parameter, body that could not be serialised, failed validation).
    InvalidRequest(InvalidRequest),
}

impl<E> Error<E> {
    /// Creates an [`Error::InvalidRequest`]: `field` names what was wrong (a field name or a
    /// JSON pointer such as `/salesOrderlines/0/quantity`), `reason` says why.
    pub fn invalid_request(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest(InvalidRequest {
            field: field.into(),
            reason: reason.into(),
            source: None,
        })
    }

    /// Like [`Error::invalid_request`], keeping the underlying error as the
    /// [`source`](StdError::source).
    pub fn invalid_request_with_source(
        field: impl Into<String>,
        reason: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Error::InvalidRequest(InvalidRequest {
            field: field.into(),
            reason: reason.into(),
            source: Some(Box::new(source)),
        })
    }

    /// The HTTP status of the response this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Auth(e) => e.status(),
            Error::Api(_)
            | Error::UnexpectedStatus(_)
            | Error::InvalidResponse(_)
            | Error::MayHaveBeenProcessed(_) => self.answer().map(Answer::status),
            Error::Timeout(e) | Error::Connection(e) | Error::Transport(e) => e.status,
            Error::InvalidRequest(_) => None,
        }
    }

    /// The server's request or trace id, if the response carried one (headers `x-request-id`,
    /// `request-id`, `x-correlation-id`, `traceparent`, or the `traceId` member of a JSON error
    /// body). Quote it when reporting a problem to the API's operator.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Auth(e) => e.request_id(),
            _ => self.answer().and_then(Answer::request_id),
        }
    }

    /// The response headers, if there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.answer().map(Answer::headers)
    }

    /// The server's answer, where the error keeps one (a documented error, an unexpected
    /// status, an undecodable response, a call that may have been processed and got an answer).
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            Error::Api(e) => Some(e.answer()),
            Error::UnexpectedStatus(e) => Some(e.answer()),
            Error::InvalidResponse(e) => Some(e.answer()),
            Error::MayHaveBeenProcessed(e) => e.answer(),
            _ => None,
        }
    }

    /// The raw response body, where the error keeps one (unexpected status, undecodable
    /// response, may-have-been-processed with a response).
    pub fn raw_body(&self) -> Option<&Bytes> {
        self.answer().map(Answer::body)
    }

    /// `true` if a non-idempotent call may have been carried out by the server even though it
    /// failed (see [`Error::MayHaveBeenProcessed`]). Resending it could do the work twice.
    pub fn may_have_been_processed(&self) -> bool {
        matches!(self, Error::MayHaveBeenProcessed(_))
    }

    /// `true` for [`Error::Api`]: a documented error answer with a typed body.
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api(_))
    }

    /// `true` for [`Error::Auth`], and for any answer with status 401 (the API refused the
    /// access token even after one refresh).
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Auth(_)) || self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// `true` if the call timed out: [`Error::Timeout`], a connect timeout reported as
    /// [`Error::Connection`], a timed-out token request, or a
    /// [`Error::MayHaveBeenProcessed`] caused by a timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Connection(e) | Error::Transport(e) => e.is_timeout(),
            Error::MayHaveBeenProcessed(e) => e.is_timeout(),
            Error::Auth(e) => e.kind() == AuthErrorKind::Timeout,
            _ => false,
        }
    }

    /// `true` for [`Error::Connection`]: the request was never sent.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }

    /// `true` for [`Error::InvalidRequest`]: nothing was sent.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, Error::InvalidRequest(_))
    }

    /// The documented error, if this is [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The typed error body, if this is [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        self.api_error().map(ApiError::body)
    }

    /// The server's validation messages per field (the `errors` member of an ASP.NET Core
    /// ValidationProblemDetails), if this is [`Error::Api`]; empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        self.api_error().map_or(&[], ApiError::field_errors)
    }

    /// Converts the typed body of an [`Error::Api`] with `f`, keeping everything else; for
    /// example to collect errors of different operations in one type.
    pub fn map_api_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(e) => Error::Api(e.map_body(f)),
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Error::InvalidResponse(e) => Error::InvalidResponse(e),
            Error::Auth(e) => Error::Auth(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Connection(e) => Error::Connection(e),
            Error::Transport(e) => Error::Transport(e),
            Error::MayHaveBeenProcessed(e) => Error::MayHaveBeenProcessed(e),
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::UnexpectedStatus(e) => write!(f, "{e}"),
            Error::InvalidResponse(e) => write!(f, "{e}"),
            Error::Auth(e) => write!(f, "{e}"),
            Error::Timeout(e) => write!(f, "request timed out{}", e.detail()),
            Error::Connection(e) => write!(
                f,
                "could not connect to the server, request not sent{}",
                e.detail()
            ),
            Error::Transport(e) => write!(f, "connection failed{}", e.detail()),
            Error::MayHaveBeenProcessed(e) => write!(f, "{e}"),
            Error::InvalidRequest(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Api(_) | Error::UnexpectedStatus(_) => None,
            Error::InvalidResponse(e) => Some(&e.source),
            Error::Auth(e) => e.source(),
            Error::Timeout(e) | Error::Connection(e) | Error::Transport(e) => Some(&e.source),
            Error::MayHaveBeenProcessed(e) => {
                e.source.as_ref().map(|s| s as &(dyn StdError + 'static))
            }
            Error::InvalidRequest(e) => e
                .source
                .as_ref()
                .map(|s| s.as_ref() as &(dyn StdError + 'static)),
        }
    }
}

/// A documented error answer: its status, typed body, headers and request id.
///
/// `Display` shows the status, the body's `title` and up to three field messages of a
/// ValidationProblemDetails (bounded, secrets redacted); [`field_errors`](Self::field_errors)
/// has them all.
pub struct ApiError<E> {
    answer: Answer,
    body: Box<E>,
    details: Box<ApiErrorDetails>,
}

/// The parts of an [`ApiError`] read from its body, boxed to keep [`Error`] small.
struct ApiErrorDetails {
    problem: ProblemSummary,
    decode_error: Option<serde_json::Error>,
    /// Redacted from the `Debug` output of the typed body (a server may echo a token).
    secrets: Vec<Secret>,
}

impl<E> ApiError<E> {
    /// `decode_error` is set when the body was not the documented JSON and `body` is the
    /// documented type's empty value; `secrets` are redacted from the texts kept for messages.
    pub(crate) fn new(
        answer: Answer,
        body: E,
        decode_error: Option<serde_json::Error>,
        secrets: &[&Secret],
    ) -> Self {
        ApiError {
            body: Box::new(body),
            details: Box::new(ApiErrorDetails {
                problem: ProblemSummary::parse(answer.body(), secrets),
                decode_error,
                secrets: secrets.iter().map(|s| (*s).clone()).collect(),
            }),
            answer,
        }
    }

    /// The answer: status, headers, request id and the body exactly as received.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }

    /// The server's validation messages per field (ValidationProblemDetails `errors`); empty
    /// when the body has none.
    pub fn field_errors(&self) -> &[FieldError] {
        self.details.problem.field_errors()
    }

    /// The body's ProblemDetails `title` (or `detail` when there is no title), if any.
    pub fn title(&self) -> Option<&str> {
        self.details.problem.title()
    }

    /// Why the body could not be decoded as documented, when it could not: then
    /// [`body`](Self::body) is the documented type's empty value and
    /// [`raw_body`](Self::raw_body) holds what came.
    pub fn decode_error(&self) -> Option<&serde_json::Error> {
        self.details.decode_error.as_ref()
    }

    /// The body exactly as received (also when the documented error has no schema): the
    /// [`answer`](Self::answer)'s body.
    pub fn raw_body(&self) -> &Bytes {
        self.answer.body()
    }

    /// The decoded error body.
    pub fn body(&self) -> &E {
        &self.body
    }

    /// Takes the decoded error body.
    pub fn into_body(self) -> E {
        *self.body
    }

    /// Converts the body with `f`.
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> ApiError<F> {
        ApiError {
            answer: self.answer,
            body: Box::new(f(*self.body)),
            details: self.details,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field(
                "body",
                &Redacted(format!("{:?}", self.body), &self.details.secrets),
            )
            .field("decode_error", &self.details.decode_error)
            .field("answer", &self.answer)
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: HTTP {}", self.answer.status())?;
        self.details.problem.write(f)?;
        if self.details.decode_error.is_some() {
            write!(
                f,
                " (body of {} bytes not in the documented form)",
                self.answer.body().len()
            )?;
        }
        write_request_id(f, self.answer.request_id())
    }
}

/// An answer with a status the API does not document for the operation.
///
/// `Display` shows at most 200 characters of the body, secrets redacted; `Debug` only its size.
pub struct UnexpectedStatus {
    answer: Answer,
    excerpt: Box<str>,
}

impl UnexpectedStatus {
    pub(crate) fn new(answer: Answer, secrets: &[&Secret]) -> Self {
        UnexpectedStatus {
            excerpt: body_excerpt(answer.body(), secrets).into(),
            answer,
        }
    }

    /// The answer: status, headers, request id and raw body.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }
}

impl fmt::Debug for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("UnexpectedStatus");
        self.answer.debug_fields(&mut out);
        out.finish()
    }
}

impl fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response: HTTP {}", self.answer.status())?;
        write_request_id(f, self.answer.request_id())?;
        if !self.excerpt.is_empty() {
            write!(f, ": {}", self.excerpt)?;
        }
        Ok(())
    }
}

/// An answer whose body could not be decoded into the documented type.
///
/// The body may hold customer data, so neither `Display` nor `Debug` shows it: `Display` gives
/// the decoder's message (bounded, secrets redacted) and the body's size; [`answer`](Self::answer)
/// has the whole body.
pub struct InvalidResponse {
    answer: Answer,
    source: serde_json::Error,
    message: Box<str>,
}

impl InvalidResponse {
    pub(crate) fn new(answer: Answer, source: serde_json::Error, secrets: &[&Secret]) -> Self {
        let message = truncate(&redact(&source.to_string(), secrets), DISPLAY_BODY_LIMIT).into();
        InvalidResponse {
            answer,
            source,
            message,
        }
    }

    /// The answer: status, headers, request id and the whole raw body.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }

    /// The decoding error.
    pub fn decode_error(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Debug for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("InvalidResponse");
        out.field("message", &self.message);
        self.answer.debug_fields(&mut out);
        out.finish()
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode response (HTTP {}): {} (body of {} bytes)",
            self.answer.status(),
            self.message,
            self.answer.body().len()
        )?;
        write_request_id(f, self.answer.request_id())
    }
}

/// A transport-level failure: no (complete) answer was received.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
    status: Option<StatusCode>,
    attempts: u32,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, status: Option<StatusCode>, attempts: u32) -> Self {
        TransportError {
            source: source.without_url(),
            status,
            attempts,
        }
    }

    /// `true` if the failure was a timeout (connect timeout or request timeout).
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// How many times the request was attempted (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The underlying HTTP client error.
    pub fn reqwest_error(&self) -> &reqwest::Error {
        &self.source
    }

    /// `": <root cause> (after N attempts)"`, for `Display`.
    fn detail(&self) -> String {
        let mut out = String::new();
        if let Some(status) = self.status {
            out.push_str(&format!(" while reading the body of HTTP {status}"));
        }
        out.push_str(&format!(": {}", root_cause(&self.source)));
        if self.attempts > 1 {
            out.push_str(&format!(" (after {} attempts)", self.attempts));
        }
        out
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error{}", self.detail())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// A non-idempotent call whose outcome is unknown: it may have been carried out.
///
/// The request body that was sent is kept ([`request_body`](Self::request_body)), so that the
/// caller can park it for a person to check before anything is sent again.
pub struct MayHaveBeenProcessed {
    answer: Option<Answer>,
    source: Option<reqwest::Error>,
    request_body: Option<Bytes>,
}

impl MayHaveBeenProcessed {
    /// From a 502/503/504 answer.
    pub(crate) fn from_response(answer: Answer) -> Self {
        MayHaveBeenProcessed {
            answer: Some(answer),
            source: None,
            request_body: None,
        }
    }

    /// From a transport failure after the request was sent; `answer` (with an empty body) when
    /// the failure happened while reading the body of an answer.
    pub(crate) fn from_transport(source: reqwest::Error, answer: Option<Answer>) -> Self {
        MayHaveBeenProcessed {
            answer,
            source: Some(source.without_url()),
            request_body: None,
        }
    }

    /// Keeps the body of the request that may have been processed.
    pub(crate) fn with_request_body(mut self, body: Option<Bytes>) -> Self {
        self.request_body = body;
        self
    }

    /// The body of the request that may have been processed, exactly as sent (for example the
    /// sales order as JSON): park it for a person to check whether the call took effect, rather
    /// than sending it again.
    pub fn request_body(&self) -> Option<&Bytes> {
        self.request_body.as_ref()
    }

    /// The answer, if one came back: a 502/503/504 with its body, or one whose body could not
    /// be read (its body is then empty, and [`reqwest_error`](Self::reqwest_error) says why).
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// `true` if the call timed out after the request was sent.
    pub fn is_timeout(&self) -> bool {
        self.source.as_ref().is_some_and(reqwest::Error::is_timeout)
    }

    /// The transport error, if the connection failed or timed out.
    pub fn reqwest_error(&self) -> Option<&reqwest::Error> {
        self.source.as_ref()
    }
}

impl fmt::Debug for MayHaveBeenProcessed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MayHaveBeenProcessed")
            .field("source", &self.source)
            .field("request_body", &self.request_body.as_ref().map(BodySize))
            .field("answer", &self.answer)
            .finish()
    }
}

impl fmt::Display for MayHaveBeenProcessed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outcome unknown, the request may have been processed: ")?;
        match (&self.answer.as_ref().map(Answer::status), &self.source) {
            (Some(status), None) => write!(f, "HTTP {status}")?,
            (Some(status), Some(source)) => write!(
                f,
                "reading the body of HTTP {status} failed: {}",
                root_cause(source)
            )?,
            (None, Some(source)) if source.is_timeout() => {
                write!(f, "timed out after the request was sent")?
            }
            (None, Some(source)) => write!(
                f,
                "connection failed after the request was sent: {}",
                root_cause(source)
            )?,
            (None, None) => f.write_str("no answer")?,
        }
        write_request_id(f, self.answer.as_ref().and_then(Answer::request_id))?;
        f.write_str("; not resent")
    }
}

/// A request rejected on the client side; nothing was sent.
#[derive(Debug)]
pub struct InvalidRequest {
    field: String,
    reason: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl InvalidRequest {
    /// What was invalid: a parameter or field name, or a JSON pointer into the request body.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Why it was invalid.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {}: {}", self.field, self.reason)
    }
}

/// What kind of failure an [`AuthError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The token endpoint answered with an OAuth error (see [`AuthError::error_code`]), for
    /// example `invalid_client` for a wrong client id or secret.
    Rejected,
    /// The token endpoint answered with an error status and no OAuth error body.
    UnexpectedStatus,
    /// The token endpoint answered success, but not with a usable bearer token.
    InvalidResponse,
    /// The token endpoint could not be reached (or the connection failed).
    Connection,
    /// The token request timed out.
    Timeout,
}

/// Getting an access token failed.
///
/// The client secret and tokens never appear in this error.
#[derive(Clone)]
pub struct AuthError {
    inner: Box<AuthErrorInner>,
}

#[derive(Clone)]
struct AuthErrorInner {
    kind: AuthErrorKind,
    status: Option<StatusCode>,
    code: Option<String>,
    description: Option<String>,
    request_id: Option<String>,
    message: Option<String>,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

/// OAuth error codes that mean the client is misconfigured: retrying cannot help.
const CONFIG_ERROR_CODES: &[&str] = &[
    "invalid_client",
    "unauthorized_client",
    "invalid_scope",
    "invalid_grant",
    "unsupported_grant_type",
    "invalid_request",
];

impl AuthError {
    pub(crate) fn new(kind: AuthErrorKind) -> Self {
        AuthError {
            inner: Box::new(AuthErrorInner {
                kind,
                status: None,
                code: None,
                description: None,
                request_id: None,
                message: None,
                source: None,
            }),
        }
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_oauth_error(mut self, code: String, description: Option<String>) -> Self {
        self.inner.code = Some(code);
        self.inner.description = description;
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.inner.request_id = request_id;
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> AuthErrorKind {
        self.inner.kind
    }

    /// The token endpoint's HTTP status, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The OAuth `error` code (for example `invalid_client`), if the token endpoint sent one.
    pub fn error_code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The OAuth `error_description`, if the token endpoint sent one.
    pub fn error_description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    /// The token endpoint's request or trace id, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// `true` if the OAuth error code means the credentials or settings are wrong
    /// (`invalid_client`, `unauthorized_client`, `invalid_scope`, `invalid_grant`,
    /// `unsupported_grant_type`, `invalid_request`): retrying cannot help.
    pub fn is_config_error(&self) -> bool {
        self.inner
            .code
            .as_deref()
            .is_some_and(|code| CONFIG_ERROR_CODES.contains(&code))
    }

    /// `true` if trying again later may succeed: connection failure, timeout, or an answer
    /// with status 408, 429 or 5xx (or OAuth error `server_error` /
    /// `temporarily_unavailable`) that is not a configuration error.
    pub(crate) fn is_transient(&self) -> bool {
        match self.inner.kind {
            AuthErrorKind::Connection | AuthErrorKind::Timeout => true,
            AuthErrorKind::InvalidResponse => false,
            AuthErrorKind::Rejected | AuthErrorKind::UnexpectedStatus => {
                let status_transient = self.inner.status.is_some_and(|s| {
                    s == StatusCode::REQUEST_TIMEOUT
                        || s == StatusCode::TOO_MANY_REQUESTS
                        || s.is_server_error()
                });
                let code_transient = matches!(
                    self.inner.code.as_deref(),
                    Some("server_error" | "temporarily_unavailable")
                );
                !self.is_config_error() && (status_transient || code_transient)
            }
        }
    }
}

impl fmt::Debug for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthError")
            .field("kind", &self.inner.kind)
            .field("status", &self.inner.status)
            .field("error_code", &self.inner.code)
            .field("error_description", &self.inner.description)
            .field("request_id", &self.inner.request_id)
            .field("message", &self.inner.message)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not get an access token: ")?;
        match self.inner.kind {
            AuthErrorKind::Rejected => f.write_str("token endpoint refused the request")?,
            AuthErrorKind::UnexpectedStatus => f.write_str("token endpoint answered an error")?,
            AuthErrorKind::InvalidResponse => f.write_str("unusable token response")?,
            AuthErrorKind::Connection => f.write_str("token endpoint not reachable")?,
            AuthErrorKind::Timeout => f.write_str("token request timed out")?,
        }
        if let Some(status) = self.inner.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(code) = &self.inner.code {
            write!(f, ": {}", truncate(code, 64))?;
            if let Some(description) = &self.inner.description {
                write!(f, " ({})", truncate(description, DISPLAY_BODY_LIMIT))?;
            }
        }
        if let Some(message) = &self.inner.message {
            write!(f, ": {}", truncate(message, DISPLAY_BODY_LIMIT))?;
        }
        if let Some(source) = &self.inner.source {
            write!(f, ": {}", root_cause(source.as_ref()))?;
        }
        write_request_id(f, self.inner.request_id.as_deref())
    }
}

impl StdError for AuthError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn StdError + 'static))
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request id {})", truncate(id, 100)),
        None => Ok(()),
    }
}

/// At most [`DISPLAY_BODY_LIMIT`] characters of `body` on one line, secrets redacted.
fn body_excerpt(body: &[u8], secrets: &[&Secret]) -> String {
    let text = String::from_utf8_lossy(body);
    // One line: collapse whitespace (including newlines) to single spaces.
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&redact(&one_line, secrets), DISPLAY_BODY_LIMIT).into_owned()
}

/// `Debug` text with secrets redacted.
struct Redacted<'a>(String, &'a [Secret]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets: Vec<&Secret> = self.1.iter().collect();
        f.write_str(&redact(&self.0, &secrets))
    }
}

/// At most `max` characters of `text`, with `…` appended when cut.
pub(crate) fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((index, _)) => Cow::Owned(format!("{}…", &text[..index])),
    }
}

/// The message of the innermost error in `error`'s source chain (for example "Connection
/// refused (os error 111)"), which says more than the outer "error sending request".
fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    truncate(&current.to_string(), DISPLAY_BODY_LIMIT).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("åäö", 5), "åäö");
        assert_eq!(truncate("åäöåäö", 3), "åäö…");
    }

    #[test]
    fn unexpected_status_display_is_one_short_line() {
        let body = Bytes::from(format!("<html>\n<body>{}</body></html>", "x".repeat(1000)));
        let error: Error<()> = Error::UnexpectedStatus(UnexpectedStatus::new(
            Answer::new(
                StatusCode::BAD_GATEWAY,
                HeaderMap::new(),
                Some("abc".into()),
                body,
            ),
            &[],
        ));
        let text = error.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(text.chars().count() < 300, "{text}");
        assert!(text.contains("502"), "{text}");
        assert!(text.contains("request id abc"), "{text}");
    }

    #[test]
    fn config_error_codes() {
        let error = AuthError::new(AuthErrorKind::Rejected)
            .with_oauth_error("invalid_client".into(), None)
            .with_status(StatusCode::BAD_REQUEST);
        assert!(error.is_config_error());
        assert!(!error.is_transient());
        let error = AuthError::new(AuthErrorKind::UnexpectedStatus)
            .with_status(StatusCode::SERVICE_UNAVAILABLE);
        assert!(!error.is_config_error());
        assert!(error.is_transient());
    }
}
