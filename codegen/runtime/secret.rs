//! A string that holds a secret (client secret, access token) and never shows it in `Debug` output.

use std::fmt;
use std::sync::Arc;

/// A secret string, such as an OAuth client secret or an access token.
///
/// Its [`Debug`](fmt::Debug) output is always `Secret("[REDACTED]")`, and it has no
/// [`Display`](fmt::Display) implementation, so it cannot end up in logs or error messages by
/// accident. Read the value with [`Secret::expose_secret`]. Cloning is cheap (the value is
/// shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// Returns the secret value. Do not log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Returns `true` if the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"[REDACTED]\")")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// Replaces every occurrence of `secret` in `text` with `[REDACTED]`.
///
/// Used on text that comes back from a server (for example a token endpoint's error
/// description) before it is stored in an error, in case the server echoes what it was sent.
pub(crate) fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        let value = secret.expose_secret();
        // Very short values would redact ordinary words; they are not worth hiding anyway.
        if value.len() >= 4 && out.contains(value) {
            out = out.replace(value, "[REDACTED]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{secret:?}"), "Secret(\"[REDACTED]\")");
        assert_eq!(secret.expose_secret(), "hunter2-very-secret");
    }

    #[test]
    fn redact_replaces_occurrences() {
        let secret = Secret::new("s3cr3t-value");
        assert_eq!(
            redact("bad secret s3cr3t-value given", &[&secret]),
            "bad secret [REDACTED] given"
        );
    }
}
