//! `generated/mod.rs`: the module declarations, the re-exports and the `Client`, a template
//! written as text in prettyplease's layout (only its doc lines, the API version, the token URL
//! and the crate name come from the document).

use quote::quote;

use crate::emit::code::Code;
use crate::emit::docs::{code_span, escape_stray_characters};
use crate::emit::text::MAX_LINE;
use crate::error::Result;
use crate::ir::Api;
use crate::names::RUNTIME_REEXPORTS;
use crate::{RUNTIME_CRATE, Runtime};

/// The file's text after `header`.
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
    let mut text = String::from("#[cfg(feature = \"mock\")]\npub mod mock;\npub mod operations;\n");
    text.push_str(&match runtime {
        Runtime::Crate { .. } => format!(
            "/// The runtime: client engine, tokens, retries, errors.\npub use ::{} as runtime;\n",
            RUNTIME_CRATE.replace('-', "_")
        ),
        Runtime::Vendored => "pub mod runtime;\n".to_string(),
    });
    text.push_str("pub mod types;\n");
    // A glob over an empty module is an unused import.
    if !api.operations.is_empty() {
        text.push_str("pub use operations::*;\n");
    }
    // Only an API with file uploads has `FilePart` in its public API.
    if api.needs.file_parts {
        text.push_str("pub use runtime::FilePart;\n");
    }
    text.push_str(&error_example(crate_ident));
    text.push_str("pub use runtime::Error;\n");
    text.push_str(&use_list("pub use runtime::", RUNTIME_REEXPORTS));
    text.push_str(REEXPORTED_CRATES);
    text.push_str(&client_items(api, crate_ident));
    let laid_out = text
        .lines()
        .all(|line| line.starts_with("///") || line.len() <= MAX_LINE);
    let mut code = Code::default();
    code.tokens(quote!(#![doc = #doc])).source(text, laid_out);
    let body = code.format(|tokens| super::format_tokens(tokens, "generated/mod.rs"))?;
    Ok(format!("{header}\n{}", escape_stray_characters(body)))
}

/// `prefix{A, B, ...};` as the formatter lays out a use list: one name without braces; on one
/// line when it fits in
/// [`MAX_LINE`] columns, else the names filled into lines of at most that width, indented by
/// four, each followed by a comma.
fn use_list(prefix: &str, names: &[&str]) -> String {
    if let [name] = names {
        return format!("{prefix}{name};\n");
    }
    let one_line = format!("{prefix}{{{}}};\n", names.join(", "));
    if one_line.len() <= MAX_LINE + 1 {
        return one_line;
    }
    let mut text = format!("{prefix}{{\n");
    let mut line = String::new();
    for name in names {
        if !line.is_empty() && line.len() + 1 + name.len() + 1 > MAX_LINE {
            text.push_str(&line);
            text.push('\n');
            line.clear();
        }
        if line.is_empty() {
            line.push_str("   ");
        }
        line.push(' ');
        line.push_str(name);
        line.push(',');
    }
    if !line.is_empty() {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("};\n");
    text
}

/// The crates whose types the public API uses, re-exported.
const REEXPORTED_CRATES: &str =
    "/// Re-exported: the public API uses their types (dates, free-form JSON, binary bodies,
/// an own HTTP client).
pub use ::bytes;
pub use ::chrono;
pub use runtime::reqwest;
pub use ::serde_json;
";

/// The doc example of `Error`: telling a call the server may have processed from one it refused.
fn error_example(crate_ident: &str) -> String {
    format!(
        "/// # Example
///
/// ```
/// fn report<E: std::fmt::Debug>(error: &{crate_ident}::Error<E>) {{
///     if error.may_have_been_processed() {{
///         eprintln!(\"check the server before resending: {{error}}\");
///     }} else if let Some(status) = error.status() {{
///         eprintln!(\"HTTP {{status}}: {{error}} (request id {{:?}})\", error.request_id());
///     }} else {{
///         eprintln!(\"{{error}}\");
///     }}
/// }}
/// ```
"
    )
}

/// The generated `Client`, its builder and the runtime traits it implements.
fn client_items(api: &Api, crate_ident: &str) -> String {
    let api_version = proc_macro2::Literal::string(&api.version);
    let token_url = match &api.token_url {
        Some(url) => format!("Some({})", proc_macro2::Literal::string(url)),
        None => "None".to_string(),
    };
    format!(
        "/// The client of this API: one async method per operation (see [`operations`]).
///
/// Build one with [`Client::builder`]; [`ClientBuilder`] lists the settings and
/// [`runtime::ClientCore`] what every call does (tokens, retries, hooks, tracing).
/// Successful calls return a [`ResponseValue`]: the value (it derefs to it;
/// [`ResponseValue::into_inner`] takes it out) with the answer's status and headers.
/// Cloning is cheap: clones share one connection pool and one token cache.
///
/// # Example
///
/// ```no_run
/// fn client() -> Result<{crate_ident}::Client, {crate_ident}::BuildError> {{
///     {crate_ident}::Client::builder(\"https://api.example.com\")
///         .bearer_token(\"an access token\")
///         .build()
/// }}
/// ```
#[derive(Clone)]
pub struct Client {{
    core: runtime::ClientCore,
}}
/// Builds a [`Client`]: start with [`Client::builder`], finish with
/// [`build`](runtime::ClientBuilder::build).
pub type ClientBuilder = runtime::ClientBuilder<Client>;
impl Client {{
    /// Starts building a client for the API at `base_url` (for example
    /// `https://api.example.com`, or with a path prefix such as `https://host/api`; a
    /// trailing `/` is ignored).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {{
        runtime::ClientBuilder::new(base_url)
    }}
    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {{
        self.core.base_url()
    }}
}}
impl std::fmt::Debug for Client {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        std::fmt::Debug::fmt(&self.core, f)
    }}
}}
impl runtime::ApiClient for Client {{
    const API: runtime::ApiInfo = runtime::ApiInfo {{
        api_version: {api_version},
        token_url: {token_url},
        user_agent: concat!(env!(\"CARGO_PKG_NAME\"), \"/\", env!(\"CARGO_PKG_VERSION\")),
    }};
    fn from_core(core: runtime::ClientCore) -> Self {{
        Client {{ core }}
    }}
}}
impl runtime::ClientInfo<()> for Client {{
    fn api_version() -> &'static str {{
        <Client as runtime::ApiClient>::API.api_version
    }}
    fn baseurl(&self) -> &str {{
        self.core.base_url()
    }}
    fn client(&self) -> &reqwest::Client {{
        self.core.http_client()
    }}
    fn inner(&self) -> &() {{
        &()
    }}
}}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::formatted;

    #[test]
    fn the_use_list_reads_as_formatted() {
        for count in 1..=RUNTIME_REEXPORTS.len() {
            let text = use_list("pub use runtime::", &RUNTIME_REEXPORTS[..count]);
            assert_eq!(formatted(&text), text, "{count}");
        }
        // Names of every length up to a line's width, so lines end at every column.
        let names: Vec<String> = (1..=40).map(|len| "N".repeat(len)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let text = use_list("pub use a::", &names);
        assert_eq!(formatted(&text), text);
    }

    #[test]
    fn the_template_reads_as_formatted() {
        for (crate_ident, version, token_url) in [
            ("gks_api", "v1", Some("https://id.simutek.se/connect/token")),
            ("a", "1.0.0 \"beta\" \\ \u{7}", None),
            (
                "a_crate_name_of_some_length",
                "2024-01-01",
                Some("https://x"),
            ),
        ] {
            let api = Api {
                version: version.to_string(),
                token_url: token_url.map(str::to_string),
                ..Api::default()
            };
            let mut text = error_example(crate_ident);
            text.push_str(REEXPORTED_CRATES);
            text.push_str(&client_items(&api, crate_ident));
            assert!(
                text.lines()
                    .all(|l| l.starts_with("///") || l.len() <= MAX_LINE)
            );
            assert_eq!(formatted(&text), text, "{crate_ident}");
        }
    }
}
