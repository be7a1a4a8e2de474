//! The files around the generated modules: `generated/mod.rs`, the runtime, `lib.rs`, `Cargo.toml`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::code_span;
use crate::emit::format_file;
use crate::error::Result;
use crate::ir::{Api, TypeKind};

/// The runtime every generated crate carries, copied verbatim (path below `src/generated/runtime/`).
pub(crate) const RUNTIME_FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/auth.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("form.rs", include_str!("../../runtime/form.rs")),
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("model.rs", include_str!("../../runtime/model.rs")),
    ("multipart.rs", include_str!("../../runtime/multipart.rs")),
    ("problem.rs", include_str!("../../runtime/problem.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("secret.rs", include_str!("../../runtime/secret.rs")),
];

/// Dependencies of a generated crate, as `Cargo.toml` lines; `regex` only when patterns exist.
const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#"bytes = "1""#),
    (
        "chrono",
        r#"chrono = { version = "0.4", default-features = false, features = ["std", "clock", "serde"] }"#,
    ),
    ("fastrand", r#"fastrand = "2""#),
    ("percent-encoding", r#"percent-encoding = "2""#),
    (
        "reqwest",
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "rustls", "http2"] }"#,
    ),
    (
        "serde",
        r#"serde = { version = "1", features = ["derive"] }"#,
    ),
    ("serde_json", r#"serde_json = "1""#),
    (
        "tokio",
        r#"tokio = { version = "1", features = ["sync", "time"] }"#,
    ),
    ("tracing", r#"tracing = "0.1""#),
    // Only with the `mock` feature (the generated `mock` module).
    (
        "wiremock",
        r#"wiremock = { version = "0.6", optional = true }"#,
    ),
];
const REGEX: (&str, &str) = ("regex", r#"regex = "1""#);

/// The dependency names and lines this API needs.
pub(crate) fn dependencies(api: &Api) -> Vec<(&'static str, &'static str)> {
    let mut deps = DEPENDENCIES.to_vec();
    let has_patterns = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| f.constraints.pattern.is_some()),
        _ => false,
    }) || api.operations.iter().any(|op| {
        op.params
            .iter()
            .any(|p| p.constraints.pattern.is_some() && super::operations::checks_param(api, p))
    });
    if has_patterns {
        deps.push(REGEX);
        deps.sort();
    }
    deps
}

pub(crate) fn mod_rs(api: &Api, header: &str) -> Result<String> {
    let doc = format!(
        " Generated client for {} (version {}).",
        code_span(&api.title),
        code_span(&api.version)
    );
    let token_url: TokenStream = match &api.token_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    // A glob over an empty module is an unused import.
    let operations_export = (!api.operations.is_empty()).then(|| {
        quote!(
            pub use operations::*;
        )
    });
    let tokens = quote! {
        #![doc = #doc]
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod operations;
        pub mod runtime;
        pub mod types;

        #operations_export
        pub use runtime::{
            ApiError, AuthError, AuthErrorKind, BuildError, BuildErrorKind, Client, ClientBuilder,
            ConstraintViolation, Error, FilePart, InvalidRequest, InvalidResponse, MayHaveBeenProcessed,
            ParseEnumError, RetryPolicy, Secret, TransportError, UnexpectedStatus,
        };

        /// Re-exported: the public API uses their types (dates, free-form JSON, binary bodies).
        pub use ::bytes;
        pub use ::chrono;
        pub use ::serde_json;

        /// Token URL of the document's OAuth2 client-credentials scheme, if it has one.
        pub(crate) const SPEC_TOKEN_URL: Option<&str> = #token_url;
    };
    format_file(tokens, header, "generated/mod.rs")
}

pub(crate) fn lib_rs(api: &Api, header: &str) -> Result<String> {
    let title = format!(
        " Async Rust client for {} (version {}).",
        code_span(&api.title),
        code_span(&api.version)
    );
    let description = api
        .description
        .as_deref()
        .map(|d| {
            super::docs::sanitize(d)
                .into_iter()
                .map(|l| format!(" {l}"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let tokens = quote! {
        #![doc = #title]
        #![doc = ""]
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = " Build a [`Client`] with [`Client::builder`]; every operation is an async method on it."]
        #![warn(missing_docs)]
        #[rustfmt::skip]
        mod generated;
        pub use generated::*;
    };
    format_file(tokens, header, "lib.rs")
}

pub(crate) fn cargo_toml(crate_name: &str, header: &str, api: &Api) -> String {
    let deps: Vec<&str> = dependencies(api)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let name = toml_string(crate_name);
    let description = toml_string(&format!("Async client for {}", api.title));
    format!(
        "{header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\ndescription = {description}\npublish = false\n\n[dependencies]\n{}\n\n[features]\n# Typed mocks of the API for tests (the `mock` module).\nmock = [\"dep:wiremock\"]\n\n# Standalone: not part of any enclosing workspace.\n[workspace]\n",
        deps.join("\n")
    )
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Prefixes a runtime file with the `@generated` header.
pub(crate) fn runtime_file(contents: &str, header: &str) -> String {
    format!("{header}\n{contents}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string("plain"), "\"plain\"");
        assert_eq!(
            toml_string("a\"b\\c\nd\u{1}\u{7f}"),
            "\"a\\\"b\\\\c\\u000Ad\\u0001\\u007F\""
        );
    }
}
