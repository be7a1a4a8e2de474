//! Access tokens: a static bearer token, or OAuth 2.0 client credentials with a shared token
//! cache (one token for all calls, single-flight refresh, refresh before expiry, drop on 401).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde_json::Value;
use tracing::Instrument;

use super::error::{AuthError, AuthErrorKind, truncate};
use super::request::find_request_id;
use super::retry::RetryPolicy;
use super::secret::{Secret, redact};

/// Token lifetime assumed when the token endpoint sends no `expires_in`: 5 minutes. Short
/// enough that a token that in fact lives longer is merely refreshed early, while one that
/// lives shorter is recovered from by the 401 handling.
pub(crate) const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(300);

/// Longest token lifetime taken at face value (one year); longer ones are capped.
const MAX_EXPIRES_IN: Duration = Duration::from_secs(365 * 24 * 3600);

/// How many characters of an `error_description` are kept.
const MAX_DESCRIPTION_LEN: usize = 500;

/// An access token ready to be sent, with its `Authorization` header value (marked sensitive).
pub(crate) struct AccessToken {
    /// `Bearer <token>`, marked sensitive so it is not logged by the HTTP stack.
    header: HeaderValue,
    /// The token itself, redacted from any text a server echoes back.
    secret: Secret,
    /// Tells tokens apart, so that a 401 only drops the token that got it.
    id: u64,
    /// When to fetch a new one; `None` for a static token.
    refresh_at: Option<Instant>,
}

impl AccessToken {
    /// The `Authorization` header value.
    pub(crate) fn header_value(&self) -> HeaderValue {
        self.header.clone()
    }

    /// The token, for redacting it from error texts.
    pub(crate) fn secret(&self) -> &Secret {
        &self.secret
    }

    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[REDACTED]")
            .field("id", &self.id)
            .finish()
    }
}

/// Builds a `Bearer` header value, marked sensitive. `None` if the token has characters a
/// header cannot carry.
pub(crate) fn bearer_header(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// How the client authenticates.
pub(crate) enum Auth {
    /// No credentials configured: authenticated operations are sent without `Authorization`.
    None,
    /// A token managed by the caller.
    Static(Arc<AccessToken>),
    /// OAuth 2.0 client credentials.
    ClientCredentials(Box<TokenCache>),
}

impl Auth {
    /// A static bearer token; `None` if it cannot be sent as a header.
    pub(crate) fn bearer(token: &Secret) -> Option<Self> {
        let header = bearer_header(token.expose_secret())?;
        Some(Auth::Static(Arc::new(AccessToken {
            header,
            secret: token.clone(),
            id: 0,
            refresh_at: None,
        })))
    }

    /// The token to send, fetching one first if needed. `Ok(None)` when no credentials are
    /// configured.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<Option<Arc<AccessToken>>, AuthError> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(token) => Ok(Some(Arc::clone(token))),
            Auth::ClientCredentials(cache) => cache.token(http, policy).await.map(Some),
        }
    }

    /// Drops `token` after the API answered 401 to it, so the next call fetches a new one.
    /// Returns `true` if a new token can be fetched (client credentials), so resending makes
    /// sense.
    pub(crate) fn token_rejected(&self, token: &AccessToken) -> bool {
        match self {
            Auth::ClientCredentials(cache) => {
                cache.invalidate(token);
                true
            }
            Auth::None | Auth::Static(_) => false,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Static(_) => f.write_str("BearerToken([REDACTED])"),
            Auth::ClientCredentials(cache) => fmt::Debug::fmt(cache, f),
        }
    }
}

/// Settings of the client-credentials grant.
pub(crate) struct ClientCredentialsConfig {
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    pub scope: Option<String>,
    pub refresh_margin: Duration,
}

/// The outcome of the latest token fetch, shared with callers that waited for it.
#[derive(Default)]
struct LastFetch {
    result: Option<Result<Arc<AccessToken>, AuthError>>,
}

/// Token cache for the client-credentials grant.
///
/// The hot path (a fresh token is cached) takes only a `std` read lock. A refresh runs under a
/// `tokio` mutex: callers that find no fresh token queue on it, and the first one fetches;
/// those that waited while a fetch completed take its result (token or error) instead of
/// fetching again, so any number of concurrent callers cause one token request.
pub(crate) struct TokenCache {
    config: ClientCredentialsConfig,
    current: RwLock<Option<Arc<AccessToken>>>,
    refresh: tokio::sync::Mutex<LastFetch>,
    /// Number of completed fetches; tells a waiter whether a fetch finished while it waited.
    fetches: AtomicU64,
    next_id: AtomicU64,
}

impl TokenCache {
    pub(crate) fn new(config: ClientCredentialsConfig) -> Self {
        TokenCache {
            config,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(LastFetch::default()),
            fetches: AtomicU64::new(0),
            next_id: AtomicU64::new(1),
        }
    }

    /// The cached token if it is still fresh.
    fn cached(&self) -> Option<Arc<AccessToken>> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard
            .as_ref()
            .filter(|token| token.is_fresh(Instant::now()))
            .map(Arc::clone)
    }

    async fn token(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<Arc<AccessToken>, AuthError> {
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        let seen = self.fetches.load(Ordering::Acquire);
        let mut last = self.refresh.lock().await;
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        if self.fetches.load(Ordering::Acquire) != seen {
            // A fetch finished while we waited: share its outcome rather than fetch again.
            if let Some(result) = &last.result {
                return result.clone();
            }
        }
        let result = self.fetch(http, policy).await;
        if let Ok(token) = &result {
            let mut current = self
                .current
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            *current = Some(Arc::clone(token));
        }
        last.result = Some(result.clone());
        self.fetches.fetch_add(1, Ordering::Release);
        result
    }

    /// Drops `token` if it is still the cached one.
    fn invalidate(&self, token: &AccessToken) {
        let mut current = self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.as_ref().is_some_and(|c| c.id == token.id) {
            *current = None;
        }
    }

    /// Fetches a token, retrying transient failures per `policy`; configuration errors
    /// (`invalid_client` and the like) are never retried.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<Arc<AccessToken>, AuthError> {
        let span = tracing::info_span!(
            "token_request",
            token_url = %self.config.token_url,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
        );
        let recorder = span.clone();
        async move {
            let mut retries = 0u32;
            loop {
                recorder.record("attempt", retries + 1);
                let failure = match self.fetch_once(http, &recorder).await {
                    Ok(token) => return Ok(token),
                    Err(failure) => failure,
                };
                let error = failure.error;
                if !error.is_transient() || retries >= policy.get_max_retries() {
                    tracing::warn!(error = %error, "token request failed");
                    return Err(error);
                }
                let delay = match &failure.headers {
                    Some(headers) => policy.delay_for_response(retries + 1, headers),
                    None => Some(policy.backoff(retries + 1)),
                };
                let Some(delay) = delay else {
                    tracing::warn!(error = %error, "token request failed; Retry-After too long");
                    return Err(error);
                };
                retries += 1;
                tracing::info!(
                    error = %error,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "token request failed; retrying"
                );
                tokio::time::sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    /// One token request.
    async fn fetch_once(
        &self,
        http: &reqwest::Client,
        span: &tracing::Span,
    ) -> Result<Arc<AccessToken>, FetchFailure> {
        let started = Instant::now();
        let config = &self.config;
        let mut form = String::new();
        push_form_pair(&mut form, "client_id", &config.client_id);
        push_form_pair(
            &mut form,
            "client_secret",
            config.client_secret.expose_secret(),
        );
        push_form_pair(&mut form, "grant_type", "client_credentials");
        if let Some(scope) = &config.scope {
            push_form_pair(&mut form, "scope", scope);
        }
        let sent = http
            .post(config.token_url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(form)
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return Err(FetchFailure::transport(error, None)),
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = std::mem::take(response.headers_mut());
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => return Err(FetchFailure::transport(error, Some(status))),
        };
        let request_id = find_request_id(status, &headers, &body);
        if status.is_success() {
            return self
                .parse_token(&body, started)
                .map_err(|message| FetchFailure {
                    error: AuthError::new(AuthErrorKind::InvalidResponse)
                        .with_status(status)
                        .with_request_id(request_id)
                        .with_message(message),
                    headers: None,
                });
        }
        let error = match parse_oauth_error(&body) {
            Some((code, description)) => AuthError::new(AuthErrorKind::Rejected).with_oauth_error(
                self.redact(&code),
                description.map(|d| truncate(&self.redact(&d), MAX_DESCRIPTION_LEN).into_owned()),
            ),
            None => {
                let text = String::from_utf8_lossy(&body);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let error = AuthError::new(AuthErrorKind::UnexpectedStatus);
                if text.is_empty() {
                    error
                } else {
                    error.with_message(self.redact(&text))
                }
            }
        };
        Err(FetchFailure {
            error: error.with_status(status).with_request_id(request_id),
            headers: Some(headers),
        })
    }

    /// Reads a successful token response. The error message never contains the body (it holds
    /// the token).
    fn parse_token(&self, body: &[u8], started: Instant) -> Result<Arc<AccessToken>, String> {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let value: Value =
            serde_json::from_slice(body).map_err(|_| "token response is not JSON".to_owned())?;
        let Some(object) = value.as_object() else {
            return Err("token response is not a JSON object".to_owned());
        };
        let token = match object.get("access_token") {
            Some(Value::String(token)) if !token.is_empty() => token,
            _ => return Err("token response has no access_token".to_owned()),
        };
        if let Some(Value::String(token_type)) = object.get("token_type")
            && !token_type.eq_ignore_ascii_case("bearer")
        {
            return Err(format!(
                "unsupported token_type {:?} (only Bearer is supported)",
                truncate(token_type, 40)
            ));
        }
        let lifetime = parse_expires_in(object.get("expires_in"));
        let header = bearer_header(token)
            .ok_or_else(|| "access_token has characters not allowed in a header".to_owned())?;
        // Refresh `refresh_margin` before expiry, but never use less than half the lifetime.
        let margin = self.config.refresh_margin.min(lifetime / 2);
        let refresh_at = started
            .checked_add(lifetime - margin)
            .or_else(|| started.checked_add(Duration::from_secs(3600)))
            .unwrap_or(started);
        tracing::debug!(expires_in_s = lifetime.as_secs(), "obtained access token");
        Ok(Arc::new(AccessToken {
            header,
            secret: Secret::new(token.as_str()),
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            refresh_at: Some(refresh_at),
        }))
    }

    fn redact(&self, text: &str) -> String {
        redact(text, &[&self.config.client_secret])
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.config.token_url.as_str())
            .field("client_id", &self.config.client_id)
            .field("client_secret", &self.config.client_secret)
            .field("scope", &self.config.scope)
            .field("refresh_margin", &self.config.refresh_margin)
            .finish_non_exhaustive()
    }
}

/// A failed token request, with the response headers (for `Retry-After`) if there was one.
struct FetchFailure {
    error: AuthError,
    headers: Option<HeaderMap>,
}

impl FetchFailure {
    fn transport(error: reqwest::Error, status: Option<StatusCode>) -> Self {
        let kind = if error.is_timeout() {
            AuthErrorKind::Timeout
        } else {
            AuthErrorKind::Connection
        };
        let mut auth_error = AuthError::new(kind).with_source(error.without_url());
        if let Some(status) = status {
            auth_error = auth_error.with_status(status);
        }
        FetchFailure {
            error: auth_error,
            headers: None,
        }
    }
}

/// `expires_in` as a duration: a number (or numeric string) of seconds; missing, `null` or
/// unusable → [`DEFAULT_EXPIRES_IN`]; capped at one year.
fn parse_expires_in(value: Option<&Value>) -> Duration {
    let seconds = match value {
        Some(Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| s as u64)
        }),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    match seconds {
        Some(seconds) => Duration::from_secs(seconds).min(MAX_EXPIRES_IN),
        None => DEFAULT_EXPIRES_IN,
    }
}

/// The OAuth error response members `error` and `error_description`, if the body has them.
fn parse_oauth_error(body: &[u8]) -> Option<(String, Option<String>)> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let value: Value = serde_json::from_slice(body).ok()?;
    let code = value.get("error")?.as_str()?.to_owned();
    let description = value
        .get("error_description")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some((code, description))
}

/// `application/x-www-form-urlencoded`: everything but letters, digits and `*-._` is
/// percent-encoded (space as `%20`, which every decoder accepts).
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn push_form_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.extend(utf8_percent_encode(name, FORM_VALUE));
    out.push('=');
    out.extend(utf8_percent_encode(value, FORM_VALUE));
}

/// `true` for `localhost`, 127.0.0.0/8 and `::1`: hosts where plain `http` is allowed (tests).
pub(crate) fn is_loopback_host(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        let mut out = String::new();
        push_form_pair(&mut out, "client_id", "my client");
        push_form_pair(&mut out, "client_secret", "a&b=c+d/é");
        assert_eq!(
            out,
            "client_id=my%20client&client_secret=a%26b%3Dc%2Bd%2F%C3%A9"
        );
    }

    #[test]
    fn expires_in_forms() {
        use serde_json::json;
        assert_eq!(
            parse_expires_in(Some(&json!(3600))),
            Duration::from_secs(3600)
        );
        assert_eq!(
            parse_expires_in(Some(&json!(3600.7))),
            Duration::from_secs(3600)
        );
        assert_eq!(
            parse_expires_in(Some(&json!("120"))),
            Duration::from_secs(120)
        );
        assert_eq!(parse_expires_in(None), DEFAULT_EXPIRES_IN);
        assert_eq!(parse_expires_in(Some(&json!(null))), DEFAULT_EXPIRES_IN);
        assert_eq!(parse_expires_in(Some(&json!(-5))), DEFAULT_EXPIRES_IN);
        assert_eq!(parse_expires_in(Some(&json!("soon"))), DEFAULT_EXPIRES_IN);
        assert_eq!(parse_expires_in(Some(&json!(u64::MAX))), MAX_EXPIRES_IN);
    }

    #[test]
    fn oauth_error_parsing() {
        assert_eq!(
            parse_oauth_error(br#"{"error":"invalid_client","error_description":"bad"}"#),
            Some(("invalid_client".into(), Some("bad".into())))
        );
        assert_eq!(
            parse_oauth_error(br#"{"error":"invalid_scope"}"#),
            Some(("invalid_scope".into(), None))
        );
        assert_eq!(parse_oauth_error(b"<html>"), None);
        assert_eq!(parse_oauth_error(br#"{"title":"x"}"#), None);
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://localhost:8080/t",
            "http://127.0.0.1/t",
            "http://127.9.9.9/t",
            "http://[::1]:9/t",
        ] {
            let url = Url::parse(url).ok();
            assert!(url.as_ref().is_some_and(is_loopback_host), "{url:?}");
        }
        for url in [
            "http://example.com/t",
            "http://10.0.0.1/t",
            "http://[::2]/t",
        ] {
            let url = Url::parse(url).ok();
            assert!(!url.as_ref().is_some_and(is_loopback_host), "{url:?}");
        }
    }

    #[test]
    fn bearer_header_is_sensitive() {
        let header = bearer_header("abc");
        assert!(header.as_ref().is_some_and(HeaderValue::is_sensitive));
        assert!(bearer_header("bad\ntoken").is_none());
    }
}
