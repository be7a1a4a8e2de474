//! Hooks: the caller's code that runs around every attempt of every call (metrics, logging,
//! extra headers), seeing the operation id but never credentials or bodies.

use progenitor_client::OperationInfo;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::client::SendFailure;
use super::request::RawResponse;

/// Code run around every attempt of every call, given to
/// [`ClientBuilder::hooks`](super::ClientBuilder::hooks). Like progenitor's `ClientHooks`, each
/// hook sees the operation id ([`OperationInfo`]); unlike them, they are plain functions that
/// cannot fail a call, and they never see a secret: `before_send` runs before the client adds the
/// `Authorization` header, and `after_attempt` sees the status and headers, not the body.
///
/// A retried or resent call runs both hooks once per attempt.
pub trait Hooks: Send + Sync + 'static {
    /// Runs before an attempt is sent. May change the request (add a header, for example); an
    /// `Authorization` header set here is replaced by the client's own when the call is
    /// authenticated.
    fn before_send(&self, info: &OperationInfo, request: &mut reqwest::Request) {
        let _ = (info, request);
    }

    /// Runs when an attempt has ended, with its number (1 for the first).
    fn after_attempt(&self, info: &OperationInfo, attempt: u32, outcome: AttemptOutcome<'_>) {
        let _ = (info, attempt, outcome);
    }
}

/// How one attempt ended, as [`Hooks::after_attempt`] sees it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// An answer arrived (of any status, before the client decides to retry it).
    Answer {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: &'a HeaderMap,
    },
    /// No complete answer: the connection failed, timed out, or broke while the answer was read.
    Failed {
        /// The status, when the answer had begun.
        status: Option<StatusCode>,
        /// Whether a timeout ended the attempt.
        timeout: bool,
    },
}

impl<'a> AttemptOutcome<'a> {
    pub(crate) fn of(sent: &'a Result<RawResponse, SendFailure>) -> Self {
        match sent {
            Ok(response) => AttemptOutcome::Answer {
                status: response.status,
                headers: &response.headers,
            },
            Err(failure) => AttemptOutcome::Failed {
                status: failure.status,
                timeout: failure.error.is_timeout(),
            },
        }
    }
}
