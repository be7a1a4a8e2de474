//! The security of operations: which schemes the client satisfies with its bearer token,
//! which it cannot, and the token URL of client credentials.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::error::Warning;
use crate::pointer::Pointer;

/// Security schemes satisfied by `Authorization: Bearer <token>`: OAuth2, OpenID Connect and
/// HTTP bearer. Operations requiring one of them are sent with the client's token.
fn bearer_schemes(doc: &OpenAPI) -> BTreeSet<String> {
    doc.components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter(|(_, scheme)| match scheme {
            ReferenceOr::Item(SecurityScheme::OAuth2 { .. })
            | ReferenceOr::Item(SecurityScheme::OpenIDConnect { .. }) => true,
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
                scheme.eq_ignore_ascii_case("bearer")
            }
            _ => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// One warning per security scheme the client cannot satisfy (API keys, HTTP basic, ...).
pub(super) fn unsupported_security_schemes(doc: &OpenAPI) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let bearer = bearer_schemes(doc);
    for (name, _) in doc
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
    {
        if !bearer.contains(name) {
            warnings.push(Warning {
                pointer: Pointer::root()
                    .join("components")
                    .join("securitySchemes")
                    .join(name)
                    .to_string(),
                message: "only bearer-token schemes (OAuth2, OpenID Connect, HTTP bearer) are supported; the client does not send the credentials of this scheme".to_string(),
            });
        }
    }
    warnings
}

/// The token URL of the first OAuth2 client-credentials scheme.
pub(crate) fn client_credentials_token_url(doc: &OpenAPI) -> Option<String> {
    let schemes = doc
        .components
        .iter()
        .flat_map(|c| c.security_schemes.values());
    for scheme in schemes {
        if let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) = scheme
            && let Some(flow) = &flows.client_credentials
        {
            return Some(flow.token_url.clone());
        }
    }
    None
}

/// Whether the operation is sent with the client's token: its `security` (or the document's)
/// names a scheme satisfied by a bearer token.
pub(super) fn is_authenticated(doc: &OpenAPI, op: &openapiv3::Operation) -> bool {
    let security = op.security.as_ref().or(doc.security.as_ref());
    security.is_some_and(|requirements| {
        requirements
            .iter()
            .any(|r| r.keys().any(|scheme| bearer_schemes(doc).contains(scheme)))
    })
}
