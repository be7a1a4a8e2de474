//! A string that holds a secret (client secret, access token) and never shows it in `Debug` output.

use std::fmt;
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

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

/// Replaces every occurrence of a secret in `text` with `[REDACTED]`: the value as it is, and
/// the spellings a server may echo it in (percent-encoded as in a URL or a form body, upper- or
/// lower-case hex, `+` for spaces; JSON-escaped, also with every non-ASCII and HTML-sensitive
/// character as `\uXXXX`, as ASP.NET's System.Text.Json writes it).
///
/// Used on text that comes back from a server (for example a token endpoint's error
/// description) before it is stored in an error, in case the server echoes what it was sent.
pub(crate) fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        for spelling in spellings(secret.expose_secret()) {
            // Very short values would redact ordinary words; they are not worth hiding anyway.
            if spelling.len() >= 4 && out.contains(spelling.as_str()) {
                out = out.replace(spelling.as_str(), "[REDACTED]");
            }
        }
    }
    out
}

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const URL_ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `application/x-www-form-urlencoded` as the WHATWG URL standard writes it (space becomes `+`).
const FORM_ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'*')
    .remove(b' ');

/// The ways `value` can be spelled in text a server sends back, longest first so that a
/// spelling that contains another is replaced whole.
fn spellings(value: &str) -> Vec<String> {
    let mut out = vec![value.to_owned()];
    for set in [URL_ENCODED, FORM_ENCODED, NON_ALPHANUMERIC] {
        let encoded = utf8_percent_encode(value, set).to_string();
        for space in ["+", "%20"] {
            let encoded = encoded.replace(' ', space);
            out.push(lowercase_hex_escapes(&encoded, "%", 2));
            out.push(encoded);
        }
    }
    if let Ok(json) = serde_json::to_string(value) {
        out.push(json.trim_matches('"').to_owned());
    }
    let escaped = json_ascii_escaped(value);
    out.push(lowercase_hex_escapes(&escaped, "\\u", 4));
    out.push(escaped);
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// JSON string content with every non-ASCII, control or HTML-sensitive character (`"`, `\`,
/// `&`, `'`, `<`, `>`, `+`, `` ` ``) written as `\uXXXX` (UTF-16, upper-case hex).
fn json_ascii_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric()
            || (c.is_ascii() && !c.is_ascii_control() && !"\"\\&'<>+`".contains(c))
        {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        }
    }
    out
}

/// `text` with the `digits` hex digits after each `marker` (`%` or `\\u`) in lower case.
fn lowercase_hex_escapes(text: &str, marker: &str, digits: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find(marker) {
        let (before, after) = rest.split_at(index + marker.len());
        out.push_str(before);
        let hex: String = after.chars().take(digits).collect();
        out.push_str(&hex.to_ascii_lowercase());
        rest = &after[hex.len()..];
    }
    out.push_str(rest);
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
    fn redact_replaces_encoded_spellings() {
        let secret = Secret::new("a&b=c+d/é ~x");
        for echoed in [
            "a&b=c+d/é ~x",
            "a%26b%3Dc%2Bd%2F%C3%A9%20~x",
            "a%26b%3dc%2bd%2f%c3%a9%20~x",
            "a%26b%3Dc%2Bd%2F%C3%A9+%7Ex",
            "a\\u0026b=c\\u002Bd/\\u00E9 ~x",
            "a\\u0026b=c\\u002bd/\\u00e9 ~x",
        ] {
            let text = format!("client_secret={echoed}&grant_type=client_credentials");
            let redacted = redact(&text, &[&secret]);
            assert_eq!(
                redacted, "client_secret=[REDACTED]&grant_type=client_credentials",
                "{echoed}"
            );
        }
        let json = serde_json::json!({ "echo": "quote\"back" }).to_string();
        let secret = Secret::new("quote\"back");
        assert_eq!(redact(&json, &[&secret]), r#"{"echo":"[REDACTED]"}"#);
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
