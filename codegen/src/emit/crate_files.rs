//! The files around the generated modules: `generated/mod.rs` (with the `Client`), the vendored
//! runtime, `lib.rs`, `Cargo.toml`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::code_span;
use crate::emit::format_file;
use crate::emit::ident;
use crate::error::{Error, Result};
use crate::ir::Api;
use crate::names::RUNTIME_REEXPORTS;
use crate::pointer::Pointer;
use crate::{RUNTIME_CRATE, Runtime};

/// The runtime's source (`codegen/runtime/src/`), for a crate that carries its own copy
/// ([`Runtime::Vendored`]): file name and contents.
const RUNTIME_SOURCES: &[(&str, &str)] = &[
    ("answer.rs", include_str!("../../runtime/src/answer.rs")),
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

/// The workspace's manifest. Its `[workspace.dependencies]` lines are the one source of a
/// generated crate's dependency lines: the versions and features `gks-api` is built and tested
/// with.
const WORKSPACE_MANIFEST: &str = include_str!("../../../Cargo.toml");

/// Crates the generated code itself uses.
const GENERATED_CODE_DEPENDENCIES: &[&str] = &["bytes", "chrono", "serde", "serde_json"];

/// The crate of the generated `mock` module, optional behind the crate's `mock` feature.
const MOCK_DEPENDENCY: &str = "wiremock";

/// The runtime's own dependencies besides those above (`codegen/runtime/Cargo.toml`), for a
/// vendored copy.
const RUNTIME_DEPENDENCIES: &[&str] = &[
    "fastrand",
    "futures-core",
    "percent-encoding",
    "progenitor-client",
    "reqwest",
    "tokio",
    "tracing",
];

/// Only for an API with `pattern`s.
const REGEX: &str = "regex";

/// The `name = ...` line of `[workspace.dependencies]` in [`WORKSPACE_MANIFEST`].
fn workspace_dependency(name: &str) -> Result<String> {
    WORKSPACE_MANIFEST
        .split("[workspace.dependencies]")
        .nth(1)
        .map(|rest| rest.split("\n[").next().unwrap_or(rest))
        .and_then(|section| {
            section
                .lines()
                .find(|line| line.split('=').next().map(str::trim) == Some(name))
        })
        .map(str::to_string)
        .ok_or_else(|| {
            Error::new(
                &Pointer::root(),
                format!("internal: the workspace manifest declares no dependency {name:?}"),
            )
        })
}

/// A dependency line made optional: `name = "1"` → `name = { version = "1", optional = true }`.
fn optional(line: &str) -> String {
    match line.split_once('=') {
        Some((name, value)) => {
            let value = value.trim();
            match value.strip_prefix('{') {
                Some(table) => format!("{}= {{ optional = true,{table}", name),
                None => format!("{}= {{ version = {value}, optional = true }}", name),
            }
        }
        None => line.to_string(),
    }
}

/// The dependency names and `Cargo.toml` lines this API's crate needs.
pub(crate) fn dependencies(api: &Api, runtime: &Runtime) -> Result<Vec<(String, String)>> {
    let mut deps = Vec::new();
    for name in GENERATED_CODE_DEPENDENCIES {
        deps.push((name.to_string(), workspace_dependency(name)?));
    }
    deps.push((
        MOCK_DEPENDENCY.to_string(),
        optional(&workspace_dependency(MOCK_DEPENDENCY)?),
    ));
    match runtime {
        Runtime::Crate { path } => deps.push((
            RUNTIME_CRATE.to_string(),
            format!("{RUNTIME_CRATE} = {{ path = {} }}", toml_string(path)),
        )),
        Runtime::Vendored => {
            for name in RUNTIME_DEPENDENCIES {
                deps.push((name.to_string(), workspace_dependency(name)?));
            }
        }
    }
    if api.needs.patterns {
        deps.push((REGEX.to_string(), workspace_dependency(REGEX)?));
    }
    deps.sort();
    Ok(deps)
}

/// The vendored runtime: `src/generated/runtime/*.rs`, the crate root as `mod.rs`, unit tests
/// left out, each with an `@generated` header naming its source file (not the document).
pub(crate) fn vendored_runtime(command: &str) -> Vec<(String, String)> {
    RUNTIME_SOURCES
        .iter()
        .map(|(name, contents)| {
            let header = format!(
                "// @generated by `{command}`: a copy of `codegen/runtime/src/{name}` ({RUNTIME_CRATE}). Do not edit by hand: change that file and run `{command}`."
            );
            let name = if *name == "lib.rs" { "mod.rs" } else { name };
            let code = match contents.find(UNIT_TESTS_START) {
                Some(at) => &contents[..=at],
                None => contents,
            };
            (name.to_string(), format!("{header}\n{code}"))
        })
        .collect()
}

pub(crate) fn mod_rs(
    api: &Api,
    crate_ident: &str,
    runtime: &Runtime,
    header: &str,
) -> Result<String> {
    let doc = format!(
        " Generated client for {} (version {}).",
        code_span(&api.title),
        code_span(&api.version)
    );
    let error_example = error_example(crate_ident);
    let runtime_module = runtime_module(runtime);
    let runtime_reexports = RUNTIME_REEXPORTS.iter().map(|name| ident(name));
    // Only an API with file uploads has `FilePart` in its public API.
    let file_part_export = api.needs.file_parts.then(|| {
        quote!(
            pub use runtime::FilePart;
        )
    });
    // A glob over an empty module is an unused import.
    let operations_export = (!api.operations.is_empty()).then(|| {
        quote!(
            pub use operations::*;
        )
    });
    let client = client_items(api, crate_ident);
    let tokens = quote! {
        #![doc = #doc]
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod operations;
        #runtime_module
        pub mod types;

        #operations_export
        #file_part_export
        #( #[doc = #error_example] )*
        pub use runtime::Error;
        pub use runtime::{ #(#runtime_reexports),* };

        /// Re-exported: the public API uses their types (dates, free-form JSON, binary bodies,
        /// an own HTTP client).
        pub use ::bytes;
        pub use ::chrono;
        pub use runtime::reqwest;
        pub use ::serde_json;

        #client
    };
    format_file(tokens, header, "generated/mod.rs")
}

/// The doc example of `Error`: telling a call the server may have processed from one it refused.
fn error_example(crate_ident: &str) -> Vec<String> {
    vec![
        " # Example".to_string(),
        String::new(),
        " ```".to_string(),
        format!(" fn report<E: std::fmt::Debug>(error: &{crate_ident}::Error<E>) {{"),
        "     if error.may_have_been_processed() {".to_string(),
        "         eprintln!(\"check the server before resending: {error}\");".to_string(),
        "     } else if let Some(status) = error.status() {".to_string(),
        "         eprintln!(\"HTTP {status}: {error} (request id {:?})\", error.request_id());"
            .to_string(),
        "     } else {".to_string(),
        "         eprintln!(\"{error}\");".to_string(),
        "     }".to_string(),
        " }".to_string(),
        " ```".to_string(),
    ]
}

/// `runtime`: the `gks-runtime` crate re-exported, or the vendored copy as a module.
fn runtime_module(runtime: &Runtime) -> TokenStream {
    match runtime {
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
    }
}

/// The generated `Client` (a template: only the doc example, the API version and the token
/// URL come from the document), its builder and the runtime traits it implements.
fn client_items(api: &Api, crate_ident: &str) -> TokenStream {
    let token_url: TokenStream = match &api.token_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let api_version = &api.version;
    let client_example = [
        " # Example".to_string(),
        String::new(),
        " ```no_run".to_string(),
        format!(" fn client() -> Result<{crate_ident}::Client, {crate_ident}::BuildError> {{"),
        format!("     {crate_ident}::Client::builder(\"https://api.example.com\")"),
        "         .bearer_token(\"an access token\")".to_string(),
        "         .build()".to_string(),
        " }".to_string(),
        " ```".to_string(),
    ];
    quote! {
        /// The client of this API: one async method per operation (see [`operations`]).
        ///
        /// Build one with [`Client::builder`]; [`ClientBuilder`] lists the settings and
        /// [`runtime::ClientCore`] what every call does (tokens, retries, hooks, tracing).
        /// Successful calls return a [`ResponseValue`]: the value (it derefs to it;
        /// [`ResponseValue::into_inner`] takes it out) with the answer's status and headers.
        /// Cloning is cheap: clones share one connection pool and one token cache.
        ///
        #( #[doc = #client_example] )*
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
    }
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

pub(crate) fn cargo_toml(
    crate_name: &str,
    header: &str,
    api: &Api,
    runtime: &Runtime,
) -> Result<String> {
    let deps: Vec<String> = dependencies(api, runtime)?
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let name = toml_string(crate_name);
    let description = toml_string(&format!("Async client for {}", api.title));
    Ok(format!(
        "{header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\ndescription = {description}\npublish = false\n\n[dependencies]\n{}\n\n[features]\n# Typed mocks of the API for tests (the `mock` module).\nmock = [\"dep:{MOCK_DEPENDENCY}\"]\n\n# Standalone: not part of any enclosing workspace.\n[workspace]\n",
        deps.join("\n")
    ))
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
    fn every_dependency_line_comes_from_the_workspace_manifest() {
        for name in GENERATED_CODE_DEPENDENCIES
            .iter()
            .chain(RUNTIME_DEPENDENCIES)
            .chain([&MOCK_DEPENDENCY, &REGEX])
        {
            let line = workspace_dependency(name).expect(name);
            assert!(line.starts_with(&format!("{name} = ")), "{line}");
        }
        assert!(workspace_dependency("no-such-crate").is_err());
        assert_eq!(
            optional(r#"wiremock = "0.6""#),
            r#"wiremock = { version = "0.6", optional = true }"#
        );
        assert_eq!(
            optional(r#"x = { version = "1", features = ["a"] }"#),
            r#"x = { optional = true, version = "1", features = ["a"] }"#
        );
    }

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string("plain"), "\"plain\"");
        assert_eq!(
            toml_string("a\"b\\c\nd\u{1}\u{7f}"),
            "\"a\\\"b\\\\c\\u000Ad\\u0001\\u007F\""
        );
    }
}
