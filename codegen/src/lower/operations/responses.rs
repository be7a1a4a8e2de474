//! The responses of an operation: split into the success payloads and the error variants,
//! named by status.

use openapiv3::{ReferenceOr, Response as RawResponse, StatusCode};

use super::{Choice, OperationLowering, resolve};
use crate::error::Result;
use crate::ir::{NamedResponse, Response, StatusSpec};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

impl OperationLowering<'_, '_, '_> {
    pub(super) fn lower_responses(
        &mut self,
        op: &openapiv3::Operation,
        type_hint: &str,
    ) -> Result<(Vec<NamedResponse>, Vec<NamedResponse>)> {
        let responses_at = self.at.join("responses");
        let mut entries: Vec<(StatusSpec, Pointer, &ReferenceOr<RawResponse>)> = op
            .responses
            .responses
            .iter()
            .map(|(code, response)| {
                let spec = match code {
                    StatusCode::Code(n) => StatusSpec::Code(*n),
                    StatusCode::Range(n) => StatusSpec::Range(*n),
                };
                (spec, responses_at.join(code), response)
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push((StatusSpec::Default, responses_at.join("default"), default));
        }
        entries.sort_by_key(|(spec, _, _)| *spec);

        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut success_variants = Namespace::default();
        let mut error_variants = Namespace::default();
        for (status, here, response) in entries {
            let response = resolve(response, &here, "responses", |c| &c.responses, self.doc)?;
            let is_success = match status {
                StatusSpec::Code(n) => (200..300).contains(&n),
                StatusSpec::Range(n) => n == 2,
                StatusSpec::Default => false,
            };
            let variant = variant_name(status);
            let hint = if is_success {
                format!("{type_hint}Response")
            } else {
                format!("{type_hint}{variant}")
            };
            let body = match self.payload(&response.content, &hint, &here, false)? {
                Choice::Chosen(payload, _) => Some(payload),
                Choice::Empty | Choice::Unsupported(_) => None,
            };
            let lowered = Response {
                status,
                description: response.description.clone(),
                body,
            };
            let (list, names) = if is_success {
                (&mut successes, &mut success_variants)
            } else {
                (&mut errors, &mut error_variants)
            };
            list.push(NamedResponse {
                response: lowered,
                variant: names.claim(variant),
            });
        }
        if successes.is_empty() {
            successes.push(NamedResponse {
                response: Response {
                    status: StatusSpec::Range(2),
                    description: "Success (no success response is documented).".to_string(),
                    body: None,
                },
                variant: "Success".to_string(),
            });
        }
        Ok((successes, errors))
    }
}

/// `404` → `NotFound`, `4XX` → `ClientError`, `default` → `Default`.
fn variant_name(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => match reason_phrase(code) {
            Some(reason) => names::camel(reason, "Status"),
            None => format!("Status{code}"),
        },
        StatusSpec::Range(2) => "Success".to_string(),
        StatusSpec::Range(4) => "ClientError".to_string(),
        StatusSpec::Range(5) => "ServerError".to_string(),
        StatusSpec::Range(n) => format!("Status{n}xx"),
        StatusSpec::Default => "Default".to_string(),
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Entity",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_error_variants_by_reason() {
        assert_eq!(variant_name(StatusSpec::Code(400)), "BadRequest");
        assert_eq!(variant_name(StatusSpec::Code(500)), "InternalServerError");
        assert_eq!(variant_name(StatusSpec::Code(499)), "Status499");
        assert_eq!(variant_name(StatusSpec::Range(4)), "ClientError");
        assert_eq!(variant_name(StatusSpec::Default), "Default");
    }
}
