//! The API client's engine: [`ClientCore`] (which a generated `Client` wraps), its
//! [`ClientBuilder`], and `execute`, which sends one operation call with authentication, retries,
//! 401 handling, hooks and tracing.

use std::error::Error as StdError;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::OperationInfo;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use tracing::Instrument;

use super::answer::Answer;
use super::auth::{AccessToken, Auth, ClientCredentialsConfig, TokenCache, is_loopback_host};
use super::error::{Error, MayHaveBeenProcessed, TransportError};
use super::hooks::{AttemptOutcome, Hooks};
use super::request::{OperationRequest, RawResponse, find_request_id};
use super::retry::{RetryPolicy, is_outcome_unknown_status, is_retryable_status};
use super::secret::Secret;

/// Default time before expiry at which a token is refreshed.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout of a whole request (connect, send, and read the full answer).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What a generated client tells the runtime about its API (generated from the document).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiInfo {
    /// `info.version` of the document.
    pub api_version: &'static str,
    /// Token URL of the document's OAuth2 client-credentials scheme, if it has one.
    pub token_url: Option<&'static str>,
    /// `User-Agent` of every request: the generated crate's name and version.
    pub user_agent: &'static str,
}

/// Implemented by a generated `Client`: how the runtime's [`ClientBuilder`] makes one. Not for
/// hand-written code (the generated client is the only type that wraps a [`ClientCore`]).
pub trait ApiClient: Sized {
    /// The API this client is for.
    const API: ApiInfo;

    /// Wraps the engine the builder made.
    fn from_core(core: ClientCore) -> Self;
}

/// The engine of a generated API client: the HTTP client, base URL, token cache, retry policy
/// and hooks that every operation call goes through. Cloning is cheap: clones share one
/// connection pool and one token cache. `ClientCore` is `Send + Sync`.
///
/// Every call:
/// - sends `Authorization: Bearer <token>` (fetched and cached as configured on the builder;
///   a 401 answer drops the token, fetches a new one and resends the call once),
///   `User-Agent: <crate>/<version>` and `Accept: application/json`;
/// - is retried per the [`RetryPolicy`] (idempotent calls only, except when the connection
///   could not be established at all);
/// - runs the [`Hooks`] given to the builder around every attempt;
/// - is a `tracing` span `http_request` with the operation id, method, path template, status
///   and attempt number (never secrets, bodies or query values).
///
/// Redirects are not followed (neither for API calls nor for token requests), so credentials
/// and tokens are never sent anywhere else than configured; a 3xx answer is returned as an
/// unexpected status. With your own `reqwest::Client`
/// ([`ClientBuilder::http_client`]) its redirect policy applies instead.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    /// Base URL without a trailing `/`.
    base_url: String,
    auth: Auth,
    retry: RetryPolicy,
    hooks: Option<Arc<dyn Hooks>>,
    /// Timeouts this crate configured; `None` with the caller's own `reqwest::Client`.
    timeouts: Option<Timeouts>,
}

/// The connect and whole-request timeouts of the HTTP client the builder made.
#[derive(Clone, Copy, Debug)]
struct Timeouts {
    connect: Duration,
    request: Duration,
}

impl ClientCore {
    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The `reqwest::Client` every call goes through (the builder's, or the one given to
    /// [`ClientBuilder::http_client`]).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Sends the request: auth header, timeouts, retries, 401 handling, hooks, tracing span.
    /// Returns the final response of ANY status (the generated code maps statuses to typed
    /// values and errors), or a transport/auth error. Called by generated operations only.
    ///
    /// Exceptions to "any status": for a non-idempotent call a 502, 503 or 504 answer is
    /// returned as [`Error::MayHaveBeenProcessed`].
    #[doc(hidden)]
    pub async fn execute<E>(&self, request: OperationRequest) -> Result<RawResponse, Error<E>> {
        let span = tracing::info_span!(
            "http_request",
            operation_id = request.operation_id,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
        );
        self.inner
            .execute_in_span(request, span.clone())
            .instrument(span)
            .await
    }
}

/// What the retry loop does after an attempt.
// Lives for one loop iteration on the stack; boxing the answer would allocate on every call.
#[allow(clippy::large_enum_variant)]
enum Next<E> {
    /// Send again at once (a 401 answer: with a new token).
    Resend,
    /// Send again after this delay (a retryable answer or failure).
    RetryAfter(Duration),
    /// The call is over.
    Done(Result<RawResponse, Error<E>>),
}

/// The counters of one call's attempts.
#[derive(Default)]
struct Attempts {
    /// The number of the current attempt (1 for the first).
    attempt: u32,
    /// Retries spent of the policy's budget (a resend after a 401 is not one).
    retries: u32,
    resent_after_401: bool,
}

impl ClientInner {
    async fn execute_in_span<E>(
        &self,
        request: OperationRequest,
        span: tracing::Span,
    ) -> Result<RawResponse, Error<E>> {
        // Built once; rebuilt only for a resend, which is rare.
        let mut prepared = Some((
            url_for(&self.base_url, &request)?,
            request_headers(&request)?,
        ));
        let info = OperationInfo {
            operation_id: request.operation_id,
        };
        let mut attempts = Attempts::default();
        loop {
            attempts.attempt += 1;
            span.record("attempt", attempts.attempt);
            let token = if request.authenticated {
                self.auth
                    .token(&self.http, &self.retry)
                    .await
                    .map_err(Error::Auth)?
            } else {
                None
            };
            let http_request =
                self.http_request(&request, prepared.take(), token.as_ref(), &info)?;
            let sent = send(&self.http, http_request, request.stream_success).await;
            if let Some(hooks) = &self.hooks {
                hooks.after_attempt(&info, attempts.attempt, AttemptOutcome::of(&sent));
            }
            let next = match sent {
                Ok(mut response) => {
                    response.token = token.as_ref().map(|token| token.secret().clone());
                    span.record("status", response.status.as_u16());
                    self.after_answer(&request, response, token.as_ref(), &mut attempts)
                }
                Err(failure) => self.after_failure(&request, failure, &mut attempts),
            };
            match next {
                Next::Resend => {}
                Next::RetryAfter(delay) => tokio::time::sleep(delay).await,
                Next::Done(result) => return result,
            }
        }
    }

    /// One attempt's request: the prepared URL and headers (or rebuilt ones for a resend), the
    /// body, the hooks' changes, then the token (so a hook never sees it, and cannot replace it).
    fn http_request<E>(
        &self,
        request: &OperationRequest,
        prepared: Option<(Url, HeaderMap)>,
        token: Option<&Arc<AccessToken>>,
        info: &OperationInfo,
    ) -> Result<reqwest::Request, Error<E>> {
        let (url, headers) = match prepared {
            Some(parts) => parts,
            None => (url_for(&self.base_url, request)?, request_headers(request)?),
        };
        let mut http_request = reqwest::Request::new(request.method.clone(), url);
        *http_request.headers_mut() = headers;
        if let Some(body) = &request.body {
            *http_request.body_mut() = Some(body.bytes.clone().into());
        }
        if let Some(hooks) = &self.hooks {
            hooks.before_send(info, &mut http_request);
        }
        if let Some(token) = token {
            http_request
                .headers_mut()
                .insert(AUTHORIZATION, token.header_value());
        }
        Ok(http_request)
    }

    /// An answer of any status: resend after a first 401 with a fresh token, retry a retryable
    /// status of an idempotent call, refuse to guess for a non-idempotent one, else done.
    fn after_answer<E>(
        &self,
        request: &OperationRequest,
        response: RawResponse,
        token: Option<&Arc<AccessToken>>,
        attempts: &mut Attempts,
    ) -> Next<E> {
        let status = response.status;
        if status == StatusCode::UNAUTHORIZED
            && !attempts.resent_after_401
            && let Some(token) = token
            && self.auth.token_rejected(token)
        {
            // A 401 means the call was not processed: resend once with a new token, also for
            // non-idempotent calls.
            attempts.resent_after_401 = true;
            tracing::info!("401 answer: fetching a new token and resending");
            return Next::Resend;
        }
        if is_retryable_status(status) {
            if request.idempotent {
                if attempts.retries < self.retry.get_max_retries() {
                    match self
                        .retry
                        .delay_for_response(attempts.retries + 1, &response.headers)
                    {
                        Some(delay) => {
                            attempts.retries += 1;
                            log_retry(attempts.attempt, delay, &status);
                            return Next::RetryAfter(delay);
                        }
                        None => tracing::info!(
                            status = status.as_u16(),
                            "Retry-After longer than the policy allows; not retrying"
                        ),
                    }
                }
            } else if is_outcome_unknown_status(status) {
                tracing::warn!(
                    status = status.as_u16(),
                    "non-idempotent call got a gateway/unavailable answer; not resending"
                );
                let (answer, _) = response.into_answer();
                return Next::Done(Err(Error::MayHaveBeenProcessed(
                    MayHaveBeenProcessed::from_response(answer)
                        .with_request_body(sent_body(request)),
                )));
            }
        }
        tracing::debug!(status = status.as_u16(), "response received");
        Next::Done(Ok(response))
    }

    /// No complete answer: retry what may be retried (anything that provably never reached the
    /// server, idempotent calls otherwise), else the error that says what is known.
    fn after_failure<E>(
        &self,
        request: &OperationRequest,
        failure: SendFailure,
        attempts: &mut Attempts,
    ) -> Next<E> {
        let SendFailure {
            error,
            status,
            headers,
        } = failure;
        // Only a failure to connect proves the request never reached the server.
        let not_sent = status.is_none() && error.is_connect();
        if (not_sent || request.idempotent) && attempts.retries < self.retry.get_max_retries() {
            attempts.retries += 1;
            let delay = self.retry.backoff(attempts.retries);
            log_retry(attempts.attempt, delay, &error_kind(&error, not_sent));
            return Next::RetryAfter(delay);
        }
        tracing::warn!(error = error_kind(&error, not_sent), "request failed");
        let attempt = attempts.attempt;
        Next::Done(Err(if not_sent {
            Error::Connection(TransportError::new(error, None, attempt))
        } else if !request.idempotent {
            // An answer had begun when its body could not be read: keep its head.
            let answer = status.zip(headers).map(|(status, headers)| {
                let request_id = find_request_id(status, &headers, &[]);
                Answer::new(status, headers, request_id, Bytes::new())
            });
            Error::MayHaveBeenProcessed(
                MayHaveBeenProcessed::from_transport(error, answer)
                    .with_request_body(sent_body(request)),
            )
        } else if error.is_timeout() {
            Error::Timeout(TransportError::new(error, status, attempt))
        } else {
            Error::Transport(TransportError::new(error, status, attempt))
        }))
    }
}

/// The request's body bytes, if it has one (cheap: `Bytes` is shared).
fn sent_body(request: &OperationRequest) -> Option<Bytes> {
    request.body.as_ref().map(|body| body.bytes.clone())
}

/// The full URL: base URL + path + encoded query.
fn url_for<E>(base_url: &str, request: &OperationRequest) -> Result<Url, Error<E>> {
    if !request.path.starts_with('/') {
        return Err(Error::invalid_request("path", "path must start with '/'"));
    }
    let mut url = Url::parse(&format!("{base_url}{}", request.path)).map_err(|e| {
        Error::invalid_request_with_source("path", "path does not form a valid URL", e)
    })?;
    if !request.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name.as_ref(), value);
        }
    }
    Ok(url)
}

/// `Accept`, `Content-Type` and the operation's own headers.
fn request_headers<E>(request: &OperationRequest) -> Result<HeaderMap, Error<E>> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(body) = &request.body {
        let value = HeaderValue::from_str(&body.content_type).map_err(|e| {
            Error::invalid_request_with_source("Content-Type", "invalid media type", e)
        })?;
        headers.insert(CONTENT_TYPE, value);
    }
    for (name, value) in &request.headers {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::invalid_request_with_source(*name, "invalid header name", e))?;
        if header_name == AUTHORIZATION {
            return Err(Error::invalid_request(
                *name,
                "the Authorization header is set by the client",
            ));
        }
        let header_value = HeaderValue::from_str(value).map_err(|e| {
            Error::invalid_request_with_source(
                *name,
                "header value has characters a header cannot carry (such as line breaks)",
                e,
            )
        })?;
        headers.insert(header_name, header_value);
    }
    Ok(headers)
}

/// A failed send or body read, with the status and headers if an answer had begun.
pub(crate) struct SendFailure {
    pub(crate) error: reqwest::Error,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
}

/// Sends one request and reads the whole answer; with `stream_success`, a 2xx answer's body is
/// left unread for the caller to stream.
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    stream_success: bool,
) -> Result<RawResponse, SendFailure> {
    let mut response = http.execute(request).await.map_err(|error| SendFailure {
        error,
        status: None,
        headers: None,
    })?;
    let status = response.status();
    if stream_success && status.is_success() {
        return Ok(RawResponse::streaming(response));
    }
    let headers = std::mem::take(response.headers_mut());
    match response.bytes().await {
        Ok(body) => Ok(RawResponse::new(status, headers, body)),
        Err(error) => Err(SendFailure {
            error,
            status: Some(status),
            headers: Some(headers),
        }),
    }
}

/// A short label of a transport failure for logs (no URL, no values).
fn error_kind(error: &reqwest::Error, not_sent: bool) -> &'static str {
    match (not_sent, error.is_timeout()) {
        (true, true) => "connect timeout",
        (true, false) => "connect error",
        (false, true) => "timeout",
        (false, false) => "connection error",
    }
}

fn log_retry(attempt: u32, delay: Duration, reason: &dyn fmt::Display) {
    tracing::info!(
        attempt,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        reason = %reason,
        "retrying request"
    );
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut out = f.debug_struct("Client");
        out.field("base_url", &inner.base_url)
            .field("auth", &inner.auth)
            .field("retry_policy", &inner.retry)
            .field("hooks", &inner.hooks.is_some());
        match &inner.timeouts {
            Some(timeouts) => out
                .field("connect_timeout", &timeouts.connect)
                .field("timeout", &timeouts.request),
            None => out.field("http_client", &"given by the caller"),
        };
        out.finish_non_exhaustive()
    }
}

/// Credentials given to the builder.
#[derive(Clone)]
enum Credentials {
    ClientCredentials { client_id: String, secret: Secret },
    Bearer(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ClientCredentials { client_id, secret } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", secret)
                .finish(),
            Credentials::Bearer(token) => f.debug_tuple("BearerToken").field(token).finish(),
        }
    }
}

/// Builds a client of a generated API (`C`, the generated `Client`). Start with the generated
/// `Client::builder`, finish with [`build`](ClientBuilder::build).
///
/// Defaults: no credentials (calls are then sent without `Authorization`); token URL from the
/// API description; refresh margin 60 s; connect timeout 10 s; request timeout 30 s;
/// [`RetryPolicy::default`]; no hooks; an HTTP client of this crate's making that follows no
/// redirects.
pub struct ClientBuilder<C> {
    base_url: String,
    credentials: Vec<Credentials>,
    token_url: Option<String>,
    scope: Option<String>,
    refresh_margin: Duration,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    hooks: Option<Arc<dyn Hooks>>,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            credentials: self.credentials.clone(),
            token_url: self.token_url.clone(),
            scope: self.scope.clone(),
            refresh_margin: self.refresh_margin,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            retry: self.retry.clone(),
            http: self.http.clone(),
            hooks: self.hooks.clone(),
            client: PhantomData,
        }
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// Starts building a client for the API at `base_url` (for example
    /// `https://gks.example.com`, or with a path prefix such as `https://host/gks`; a trailing
    /// `/` is ignored). Generated clients call this from `Client::builder`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: Vec::new(),
            token_url: None,
            scope: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            connect_timeout: None,
            timeout: None,
            retry: RetryPolicy::default(),
            http: None,
            hooks: None,
            client: PhantomData,
        }
    }

    /// Authenticates with the OAuth 2.0 client-credentials grant: the client fetches an access
    /// token from the token URL (see [`token_url`](Self::token_url)) and caches it until shortly
    /// before it expires.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.credentials.push(Credentials::ClientCredentials {
            client_id: client_id.into(),
            secret: client_secret.into(),
        });
        self
    }

    /// Sends this access token with every call instead of fetching one (for tests, or callers
    /// who manage tokens themselves). A 401 answer is returned as it is.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials.push(Credentials::Bearer(token.into()));
        self
    }

    /// Overrides the token URL. Default: the token URL of the API description's OAuth2
    /// client-credentials scheme. Must be `https` (plain `http` only on loopback hosts:
    /// `localhost`, 127.0.0.0/8, `::1`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Requests these scopes (space-separated). Default: none sent, so the token covers every
    /// scope the client is allowed.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// How long before expiry a token is refreshed. Default 60 s. For tokens living less than
    /// twice this long, the token is refreshed after half its lifetime.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Timeout for establishing a connection. Default 10 s. Not with
    /// [`http_client`](Self::http_client) (configure that client instead).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Timeout for one request attempt, from connecting to reading the whole answer.
    /// Default 30 s. Not with [`http_client`](Self::http_client) (configure that client
    /// instead).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy. Default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends every call (and every token request) through this `reqwest::Client`: for proxies,
    /// custom root certificates, a connection pool shared with other code, or default headers.
    ///
    /// The builder then configures nothing on the HTTP level: the client's own timeouts,
    /// redirect policy and `User-Agent` apply instead of this crate's (10 s connect, 30 s
    /// request, no redirects, `<crate>/<version>`). Give it
    /// `.redirect(reqwest::redirect::Policy::none())` to keep credentials from following a
    /// redirect; setting [`timeout`](Self::timeout) or
    /// [`connect_timeout`](Self::connect_timeout) as well is refused by
    /// [`build`](Self::build).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Runs these hooks around every attempt of every call (see [`Hooks`]).
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks = Some(Arc::new(hooks));
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails when the base URL is not an absolute `http(s)` URL (or has a query, fragment or
    /// user info), when credentials are configured and the base URL uses plain `http` on a
    /// non-loopback host, when client credentials have no token URL (none given and none in the
    /// API description) or an invalid or non-`https` one, when credentials are empty or given
    /// twice, when timeouts are set beside an own `reqwest::Client`, or when the HTTP client
    /// cannot be created.
    pub fn build(self) -> Result<C, BuildError> {
        let base = parse_base_url(&self.base_url)?;
        let auth = self.auth()?;
        let (http, timeouts) = self.http_client_and_timeouts()?;
        if !matches!(auth, Auth::None) && base.scheme() == "http" && !is_loopback_host(&base) {
            return Err(BuildError::new(
                BuildErrorKind::InsecureBaseUrl,
                "base URL must use https when credentials are configured (http only on loopback hosts)",
            ));
        }
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        Ok(C::from_core(ClientCore {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                auth,
                retry: self.retry,
                hooks: self.hooks,
                timeouts,
            }),
        }))
    }

    /// The authentication the credentials ask for, checked.
    fn auth(&self) -> Result<Auth, BuildError> {
        if self.credentials.len() > 1 {
            return Err(BuildError::new(
                BuildErrorKind::ConflictingSettings,
                "credentials were set more than once (client_credentials / bearer_token)",
            ));
        }
        let credentials = self.credentials.first();
        if !matches!(credentials, Some(Credentials::ClientCredentials { .. }))
            && (self.token_url.is_some() || self.scope.is_some())
        {
            return Err(BuildError::new(
                BuildErrorKind::ConflictingSettings,
                "token_url and scope need client_credentials",
            ));
        }
        match credentials {
            None => Ok(Auth::None),
            Some(Credentials::Bearer(token)) => bearer_auth(token),
            Some(Credentials::ClientCredentials { client_id, secret }) => {
                self.client_credentials_auth(client_id, secret)
            }
        }
    }

    fn client_credentials_auth(
        &self,
        client_id: &str,
        secret: &Secret,
    ) -> Result<Auth, BuildError> {
        if client_id.is_empty() {
            return Err(BuildError::new(
                BuildErrorKind::InvalidCredentials,
                "client id is empty",
            ));
        }
        if secret.is_empty() {
            return Err(BuildError::new(
                BuildErrorKind::InvalidCredentials,
                "client secret is empty",
            ));
        }
        let token_url = match self.token_url.as_deref().or(C::API.token_url) {
            Some(url) => parse_token_url(url)?,
            None => {
                return Err(BuildError::new(
                    BuildErrorKind::MissingTokenUrl,
                    "client credentials need a token URL: the API description has none, set one with token_url()",
                ));
            }
        };
        Ok(Auth::ClientCredentials(Box::new(TokenCache::new(
            ClientCredentialsConfig {
                token_url,
                client_id: client_id.to_owned(),
                client_secret: secret.clone(),
                scope: self.scope.clone(),
                refresh_margin: self.refresh_margin,
            },
        ))))
    }

    /// The caller's HTTP client, or one of this crate's making with its timeouts.
    fn http_client_and_timeouts(&self) -> Result<(reqwest::Client, Option<Timeouts>), BuildError> {
        if let Some(http) = &self.http {
            if self.timeout.is_some() || self.connect_timeout.is_some() {
                return Err(BuildError::new(
                    BuildErrorKind::ConflictingSettings,
                    "timeout and connect_timeout do not apply to an own http_client: configure them on that client",
                ));
            }
            return Ok((http.clone(), None));
        }
        let timeouts = Timeouts {
            connect: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            request: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
        };
        let http = reqwest::Client::builder()
            .user_agent(C::API.user_agent)
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                BuildError::new(BuildErrorKind::Http, "could not create the HTTP client")
                    .with_source(e)
            })?;
        Ok((http, Some(timeouts)))
    }
}

/// A fixed bearer token, checked.
fn bearer_auth(token: &Secret) -> Result<Auth, BuildError> {
    if token.is_empty() {
        return Err(BuildError::new(
            BuildErrorKind::InvalidCredentials,
            "bearer token is empty",
        ));
    }
    Auth::bearer(token).ok_or_else(|| {
        BuildError::new(
            BuildErrorKind::InvalidCredentials,
            "bearer token has characters a header cannot carry",
        )
    })
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("token_url", &self.token_url)
            .field("scope", &self.scope)
            .field("refresh_margin", &self.refresh_margin)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry)
            .field("http_client", &self.http.is_some())
            .field("hooks", &self.hooks.is_some())
            .finish()
    }
}

fn parse_base_url(text: &str) -> Result<Url, BuildError> {
    let invalid = |reason: &str| {
        BuildError::new(
            BuildErrorKind::InvalidBaseUrl,
            format!("invalid base URL: {reason}"),
        )
    };
    let url = Url::parse(text.trim()).map_err(|e| invalid("not an absolute URL").with_source(e))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(invalid("scheme must be https or http"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain user info"));
    }
    Ok(url)
}

fn parse_token_url(text: &str) -> Result<Url, BuildError> {
    let url = Url::parse(text.trim()).map_err(|e| {
        BuildError::new(BuildErrorKind::InvalidTokenUrl, "invalid token URL").with_source(e)
    })?;
    if url.host_str().is_none_or(str::is_empty) || url.fragment().is_some() {
        return Err(BuildError::new(
            BuildErrorKind::InvalidTokenUrl,
            "invalid token URL: needs a host and no fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::new(
            BuildErrorKind::InvalidTokenUrl,
            "invalid token URL: must not contain user info",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        _ => Err(BuildError::new(
            BuildErrorKind::InsecureTokenUrl,
            "token URL must use https (http only on loopback hosts)",
        )),
    }
}

/// What is wrong with the builder's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// The base URL is not an absolute `http(s)` URL without query, fragment and user info.
    InvalidBaseUrl,
    /// Credentials are configured but the base URL uses plain `http` on a non-loopback host.
    InsecureBaseUrl,
    /// Client credentials are configured, but there is no token URL.
    MissingTokenUrl,
    /// The token URL cannot be parsed.
    InvalidTokenUrl,
    /// The token URL does not use `https` (and is not on a loopback host).
    InsecureTokenUrl,
    /// A client id, client secret or bearer token is empty or cannot be sent.
    InvalidCredentials,
    /// Settings contradict each other (credentials set twice, `token_url` without client
    /// credentials, ...).
    ConflictingSettings,
    /// The underlying HTTP client could not be created.
    Http,
}

/// [`ClientBuilder::build`] failed. Never contains secrets.
#[derive(Debug)]
pub struct BuildError {
    kind: BuildErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl BuildError {
    fn new(kind: BuildErrorKind, message: impl Into<String>) -> Self {
        BuildError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn StdError + 'static))
    }
}
