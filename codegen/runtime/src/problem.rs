//! What an error body says, read leniently for messages: the ProblemDetails `title` (or
//! `detail`) and the `errors` map of ASP.NET Core's ValidationProblemDetails.

use std::fmt;

use serde_json::Value;

use super::error::truncate;
use super::secret::{Secret, redact};

/// Field errors kept from one body at most; the rest are counted.
const MAX_FIELDS: usize = 100;
/// Characters kept of one message, title or field name.
const MAX_TEXT: usize = 500;
/// What `Display` shows at most: fields, messages per field, characters per message.
const SHOWN_FIELDS: usize = 3;
const SHOWN_MESSAGES: usize = 2;
const SHOWN_TEXT: usize = 120;

/// The validation messages for one field of a request, from a ValidationProblemDetails body
/// (`"errors": {"CustomerNumber": ["The CustomerNumber field is required."]}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    field: String,
    messages: Vec<String>,
}

impl FieldError {
    /// The field as the server names it (for example `CustomerNumber` or
    /// `SalesOrderlines[0].Quantity`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The server's messages for the field.
    pub fn messages(&self) -> &[String] {
        &self.messages
    }
}

/// The readable parts of an error body; empty when the body is not a JSON object.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProblemSummary {
    title: Option<String>,
    field_errors: Vec<FieldError>,
    more_fields: usize,
}

impl ProblemSummary {
    /// Reads `title` (or `detail`) and `errors` from `body`, with `secrets` redacted and every
    /// text bounded.
    pub(crate) fn parse(body: &[u8], secrets: &[&Secret]) -> Self {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let clean = |text: &str| truncate(&redact(text, secrets), MAX_TEXT).into_owned();
        let title = ["title", "detail"]
            .iter()
            .find_map(|key| members.get(*key).and_then(Value::as_str))
            .filter(|text| !text.trim().is_empty())
            .map(clean);
        let mut field_errors = Vec::new();
        let mut more_fields = 0;
        if let Some(Value::Object(errors)) = members.get("errors") {
            for (field, value) in errors {
                let messages: Vec<String> = match value {
                    Value::String(text) => vec![clean(text)],
                    Value::Array(items) => {
                        items.iter().filter_map(Value::as_str).map(clean).collect()
                    }
                    _ => continue,
                };
                if field_errors.len() < MAX_FIELDS {
                    field_errors.push(FieldError {
                        field: clean(field),
                        messages,
                    });
                } else {
                    more_fields += 1;
                }
            }
        }
        ProblemSummary {
            title,
            field_errors,
            more_fields,
        }
    }

    pub(crate) fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub(crate) fn field_errors(&self) -> &[FieldError] {
        &self.field_errors
    }

    /// `": <title>: Field: message; Field: message (and 2 more fields)"`, bounded.
    pub(crate) fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(title) = &self.title {
            write!(f, ": {}", one_line(title, SHOWN_TEXT))?;
        }
        for (index, error) in self.field_errors.iter().take(SHOWN_FIELDS).enumerate() {
            f.write_str(if index == 0 { ": " } else { "; " })?;
            write!(f, "{}:", one_line(&error.field, SHOWN_TEXT))?;
            for message in error.messages.iter().take(SHOWN_MESSAGES) {
                write!(f, " {}", one_line(message, SHOWN_TEXT))?;
            }
        }
        let hidden = self.field_errors.len().saturating_sub(SHOWN_FIELDS) + self.more_fields;
        if hidden > 0 {
            write!(f, " (and {hidden} more field(s))")?;
        }
        Ok(())
    }
}

/// `text` on one line (whitespace collapsed), at most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&joined, max).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Shown<'a>(&'a ProblemSummary);

    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.write(f)
        }
    }

    #[test]
    fn reads_validation_problem_details() {
        let body = br#"{"title":"One or more validation errors occurred.","status":400,
            "errors":{"CustomerNumber":["The CustomerNumber field is required."],
                      "Name":"too long"}}"#;
        let summary = ProblemSummary::parse(body, &[]);
        assert_eq!(
            summary.title(),
            Some("One or more validation errors occurred.")
        );
        assert_eq!(summary.field_errors().len(), 2);
        assert_eq!(summary.field_errors()[0].field(), "CustomerNumber");
        assert_eq!(summary.field_errors()[1].messages(), ["too long"]);
        assert_eq!(
            Shown(&summary).to_string(),
            ": One or more validation errors occurred.: CustomerNumber: The CustomerNumber field is required.; Name: too long"
        );
    }

    #[test]
    fn display_is_bounded_and_redacted() {
        let secret = Secret::new("tok-123456");
        let errors: serde_json::Map<String, Value> = (0..500)
            .map(|i| {
                (
                    format!("F{i:03}"),
                    serde_json::json!(["x".repeat(10_000), "tok-123456"]),
                )
            })
            .collect();
        let body = serde_json::json!({ "title": "tok-123456", "errors": errors }).to_string();
        let summary = ProblemSummary::parse(body.as_bytes(), &[&secret]);
        assert_eq!(summary.field_errors().len(), MAX_FIELDS);
        let text = Shown(&summary).to_string();
        assert!(text.chars().count() < 1000, "{}", text.len());
        assert!(text.ends_with("(and 497 more field(s))"), "{text}");
        assert!(!text.contains("tok-123456") && !body.is_empty(), "{text}");
        assert_eq!(summary.field_errors()[0].messages()[1], "[REDACTED]");
    }

    #[test]
    fn anything_else_reads_as_empty() {
        for body in [&b"<html>404</html>"[..], b"", b"[1]", b"{\"errors\": 5}"] {
            let summary = ProblemSummary::parse(body, &[]);
            assert!(summary.title().is_none() && summary.field_errors().is_empty());
        }
    }
}
