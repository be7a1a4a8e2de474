//! The files around the generated modules: `generated/mod.rs` (with the `Client`), the vendored
//! runtime, `lib.rs`, `Cargo.toml`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::code_span;
use crate::emit::format_file;
use crate::emit::ident;
use crate::error::Result;
use crate::ir::{Api, TypeKind};
use crate::{RUNTIME_CRATE, Runtime};

/// The runtime's source (`codegen/runtime/src/`), for a crate that carries its own copy
/// ([`Runtime::Vendored`]): file name and contents.
const RUNTIME_SOURCES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("form.rs", include_str!("../../runtime/src/form.rs")),
    ("hooks.rs", include_str!("../../runtime/src/hooks.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("model.rs", include_str!("../../runtime/src/model.rs")),
    (
        "multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    ("problem.rs", include_str!("../../runtime/src/problem.rs")),
    ("request.rs", include_str!("../../runtime/src/request.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../runtime/src/secret.rs")),
];

/// The line that starts a runtime file's unit tests, which a vendored copy leaves out (they are
/// the runtime crate's, run by its own `cargo test`).
const UNIT_TESTS_START: &str = "\n#[cfg(test)]\nmod tests {";

/// Dependencies the generated code itself uses, as `Cargo.toml` lines.
const GENERATED_CODE_DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#"bytes = "1""#),
    (
        "chrono",
        r#"chrono = { version = "0.4", default-features = false, features = ["std", "clock", "serde"] }"#,
    ),
    (
        "serde",
        r#"serde = { version = "1", features = ["derive"] }"#,
    ),
    ("serde_json", r#"serde_json = "1""#),
    // Only with the `mock` feature (the generated `mock` module).
    (
        "wiremock",
        r#"wiremock = { version = "0.6", optional = true }"#,
    ),
];

/// The runtime's own dependencies besides those above (`codegen/runtime/Cargo.toml`), for a
/// vendored copy.
const RUNTIME_DEPENDENCIES: &[(&str, &str)] = &[
    ("fastrand", r#"fastrand = "2""#),
    ("futures-core", r#"futures-core = "0.3""#),
    ("percent-encoding", r#"percent-encoding = "2""#),
    ("progenitor-client", r#"progenitor-client = "0.15""#),
    (
        "reqwest",
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "rustls", "http2"] }"#,
    ),
    (
        "tokio",
        r#"tokio = { version = "1", features = ["sync", "time"] }"#,
    ),
    ("tracing", r#"tracing = "0.1""#),
];
const REGEX: (&str, &str) = ("regex", r#"regex = "1""#);

/// The dependency names and `Cargo.toml` lines this API's crate needs.
pub(crate) fn dependencies(api: &Api, runtime: &Runtime) -> Vec<(String, String)> {
    let mut deps: Vec<(String, String)> = GENERATED_CODE_DEPENDENCIES
        .iter()
        .map(|(name, line)| (name.to_string(), line.to_string()))
        .collect();
    match runtime {
        Runtime::Crate { path } => deps.push((
            RUNTIME_CRATE.to_string(),
            format!("{RUNTIME_CRATE} = {{ path = {} }}", toml_string(path)),
        )),
        Runtime::Vendored => deps.extend(
            RUNTIME_DEPENDENCIES
                .iter()
                .map(|(name, line)| (name.to_string(), line.to_string())),
        ),
    }
    let has_patterns = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| f.constraints.pattern.is_some()),
        _ => false,
    }) || api.operations.iter().any(|op| {
        op.params
            .iter()
            .any(|p| p.constraints.pattern.is_some() && super::operations::checks_param(api, p))
    });
    if has_patterns {
        deps.push((REGEX.0.to_string(), REGEX.1.to_string()));
    }
    deps.sort();
    deps
}

/// The vendored runtime: `src/generated/runtime/*.rs`, each with the `@generated` header, the
/// crate root as `mod.rs`, unit tests left out.
pub(crate) fn vendored_runtime(header: &str) -> Vec<(String, String)> {
    RUNTIME_SOURCES
        .iter()
        .map(|(name, contents)| {
            let name = if *name == "lib.rs" { "mod.rs" } else { name };
            let code = match contents.find(UNIT_TESTS_START) {
                Some(at) => &contents[..=at],
                None => contents,
            };
            (name.to_string(), format!("{header}\n{code}"))
        })
        .collect()
}

pub(crate) fn mod_rs(api: &Api, runtime: &Runtime, header: &str) -> Result<String> {
    let doc = format!(
        " Generated client for {} (version {}).",
        code_span(&api.title),
        code_span(&api.version)
    );
    let token_url: TokenStream = match &api.token_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let api_version = &api.version;
    let runtime_module = match runtime {
        Runtime::Crate { .. } => {
            let name = ident(&RUNTIME_CRATE.replace('-', "_"));
            quote!(
                /// The runtime: client engine, tokens, retries, errors.
                pub use ::#name as runtime;
            )
        }
        Runtime::Vendored => quote!(
            pub mod runtime;
        ),
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
        #runtime_module
        pub mod types;

        #operations_export
        pub use runtime::{
            ApiError, AttemptOutcome, AuthError, AuthErrorKind, BuildError, BuildErrorKind, ByteStream,
            ClientInfo, ConstraintViolation, Error, FilePart, Hooks, InvalidRequest, InvalidResponse,
            MayHaveBeenProcessed, OperationInfo, ParseEnumError, ResponseValue, RetryPolicy, Secret,
            TransportError, UnexpectedStatus,
        };

        /// Re-exported: the public API uses their types (dates, free-form JSON, binary bodies,
        /// an own HTTP client).
        pub use ::bytes;
        pub use ::chrono;
        pub use runtime::reqwest;
        pub use ::serde_json;

        /// The client of this API: one async method per operation (see [`operations`]).
        ///
        /// Build one with [`Client::builder`]; [`ClientBuilder`] lists the settings and
        /// [`runtime::ClientCore`] what every call does (tokens, retries, hooks, tracing).
        /// Successful calls return a [`ResponseValue`]: the value (it derefs to it;
        /// [`ResponseValue::into_inner`] takes it out) with the answer's status and headers.
        /// Cloning is cheap: clones share one connection pool and one token cache.
        #[derive(Clone)]
        pub struct Client {
            core: runtime::ClientCore,
        }

        /// Builds a [`Client`]: start with [`Client::builder`], finish with
        /// [`build`](runtime::ClientBuilder::build).
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        impl Client {
            /// Starts building a client for the API at `base_url` (for example
            /// `https://api.example.com`, or with a path prefix such as `https://host/api`; a
            /// trailing `/` is ignored).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                runtime::ClientBuilder::new(base_url)
            }

            /// The base URL, without a trailing `/`.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.core, f)
            }
        }

        impl runtime::ApiClient for Client {
            const API: runtime::ApiInfo = runtime::ApiInfo {
                api_version: #api_version,
                token_url: #token_url,
                user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            };

            fn from_core(core: runtime::ClientCore) -> Self {
                Client { core }
            }
        }

        impl runtime::ClientInfo<()> for Client {
            fn api_version() -> &'static str {
                <Client as runtime::ApiClient>::API.api_version
            }

            fn baseurl(&self) -> &str {
                self.core.base_url()
            }

            fn client(&self) -> &reqwest::Client {
                self.core.http_client()
            }

            fn inner(&self) -> &() {
                &()
            }
        }
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

pub(crate) fn cargo_toml(crate_name: &str, header: &str, api: &Api, runtime: &Runtime) -> String {
    let deps: Vec<String> = dependencies(api, runtime)
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
