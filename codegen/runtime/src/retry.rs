//! Retry policy: which failures are retried, exponential backoff with jitter, and `Retry-After`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When and how often failed calls are retried.
///
/// Idempotent calls (GET, HEAD, PUT, DELETE, OPTIONS) are retried after a connection failure, a
/// timeout, or an answer with status 408, 429, 502, 503 or 504. Non-idempotent calls (POST,
/// PATCH) are retried only when the connection could not be established, so the request
/// certainly never reached the server; they are never resent after a timeout or a 502/503/504,
/// because the server may already have carried them out.
///
/// Between attempts the client waits `initial_backoff`, doubling after each retry up to
/// `max_backoff`; each wait is randomised to between half and all of that ("equal jitter") so
/// that many clients do not retry in lockstep. When the answer carries a `Retry-After` header
/// (seconds or an HTTP date) the client waits that long instead, unless it is longer than
/// `max_retry_after`: then it does not retry and returns the answer as it is.
///
/// Defaults: `max_retries` 2, `initial_backoff` 500 ms, `max_backoff` 8 s,
/// `max_retry_after` 30 s. Change them with the builder-style setters, for example
/// `RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_millis(200))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// Sets how many times a call is retried at most (so `n + 1` attempts in all). `0` turns
    /// retries off. Default 2.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the wait before the first retry. Default 500 ms.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts (the doubling stops there). Default 8 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the longest `Retry-After` the client honours; an answer asking for a longer wait is
    /// returned instead of retried. Default 30 s.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Turns the random jitter of backoff waits on or off (default on). Off makes waits exactly
    /// `initial_backoff * 2^n`, which is mainly useful in tests.
    pub fn jitter(mut self, enabled: bool) -> Self {
        self.jitter = enabled;
        self
    }

    /// How many times a call is retried at most.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before the first retry.
    pub fn get_initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts.
    pub fn get_max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured.
    pub fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The backoff before retry number `retry` (1 for the first retry), jitter included.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        if !self.jitter || base.is_zero() {
            return base;
        }
        // Equal jitter: uniformly between half and all of `base`.
        let half = base / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// What to do about a retryable answer: wait this long and retry (`Some`), or give up
    /// (`None`) because the server asked for a longer wait than `max_retry_after`.
    pub(crate) fn delay_for_response(&self, retry: u32, headers: &HeaderMap) -> Option<Duration> {
        match retry_after(headers) {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Statuses worth retrying for an idempotent call.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Statuses that leave the outcome of a non-idempotent call unknown (a gateway or an
/// overloaded server answered; the request may or may not have been passed on).
pub(crate) fn is_outcome_unknown_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 502..=504)
}

/// Parses a `Retry-After` header: delta-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past means "now". `None` when the header
/// is missing or unparsable.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Very large numbers saturate rather than fail: they are over any cap anyway.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(value) {
            map.insert(RETRY_AFTER, value);
        }
        map
    }

    #[test]
    fn defaults() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.get_max_retries(), 2);
        assert_eq!(policy.get_initial_backoff(), Duration::from_millis(500));
        assert_eq!(policy.get_max_backoff(), Duration::from_secs(8));
        assert_eq!(policy.get_max_retry_after(), Duration::from_secs(30));
        assert_eq!(RetryPolicy::none().get_max_retries(), 0);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = RetryPolicy::default().jitter(false);
        assert_eq!(policy.backoff(1), Duration::from_millis(500));
        assert_eq!(policy.backoff(2), Duration::from_secs(1));
        assert_eq!(policy.backoff(3), Duration::from_secs(2));
        assert_eq!(policy.backoff(5), Duration::from_secs(8));
        assert_eq!(policy.backoff(6), Duration::from_secs(8));
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(8));
    }

    #[test]
    fn jitter_stays_within_half_and_full() {
        let policy = RetryPolicy::default();
        for retry in 1..8 {
            let base = RetryPolicy::default().jitter(false).backoff(retry);
            for _ in 0..100 {
                let wait = policy.backoff(retry);
                assert!(wait >= base / 2 && wait <= base, "{wait:?} vs {base:?}");
            }
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(retry_after(&headers("1")), Some(Duration::from_secs(1)));
        assert_eq!(
            retry_after(&headers(" 120 ")),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("99999999999999999999999")),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(retry_after(&headers("")), None);
        assert_eq!(retry_after(&headers("-1")), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let wait = retry_after(&headers(&future)).unwrap_or_default();
        assert!(
            wait > Duration::from_secs(8) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
    }

    #[test]
    fn long_retry_after_is_not_honoured() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_for_response(1, &headers("31")), None);
        assert_eq!(
            policy.delay_for_response(1, &headers("30")),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn retryable_statuses() {
        for code in [408u16, 429, 502, 503, 504] {
            assert!(is_retryable_status(
                StatusCode::from_u16(code).unwrap_or_default()
            ));
        }
        for code in [200u16, 400, 401, 404, 500, 501] {
            assert!(!is_retryable_status(
                StatusCode::from_u16(code).unwrap_or_default()
            ));
        }
    }
}
