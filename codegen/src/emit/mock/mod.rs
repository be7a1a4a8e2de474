//! Emits the `mock` module (cargo feature `mock`): a loopback server that stands in for the API
//! in integrators' tests, with one typed expectation builder per operation.

mod answers;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::code::Member;
use crate::emit::docs::code_span;
use crate::emit::operations::param_shape;
use crate::emit::{Code, format_module, ident, text};
use crate::error::Result;
use crate::ir::{Api, Operation, Param, ParamLocation, Payload, QueryStyle, StatusSpec, TypeRef};
use crate::names;

pub(crate) fn emit_mock(api: &Api, header: &str) -> Result<String> {
    let item = |index: usize| match index {
        0 => server(api),
        _ => operation(api, &api.operations[index - 1]),
    };
    format_module(
        header,
        api.operations.len() + 1,
        item,
        prelude(api),
        "mock module",
    )
}

/// The module's doc and imports: `operations` when an answer is a success or error enum of it,
/// `types` when a narrower or an answer takes a named type (written `types::Name`).
fn prelude(api: &Api) -> TokenStream {
    let named = |ty: &TypeRef| matches!(ty.innermost(), TypeRef::Named(_));
    let uses_types = api.operations.iter().any(|op| {
        op.params.iter().any(|p| narrowable(api, p) && named(&p.ty))
            || json_body(op).is_some_and(named)
            || (op.success_enum.is_none()
                && op
                    .successes
                    .first()
                    .and_then(|first| first.response.body.as_ref())
                    .and_then(Payload::value_type)
                    .is_some_and(named))
    });
    let uses_operations = api
        .operations
        .iter()
        .any(|op| op.success_enum.is_some() || !op.errors.is_empty());
    let types_import = uses_types.then(|| {
        quote!(
            use super::types;
        )
    });
    let operations_import = uses_operations.then(|| {
        quote!(
            use super::operations;
        )
    });
    quote! {
        #![doc = " Typed mocks for testing code that uses this client without the real API (cargo feature `mock`)."]
        #![doc = ""]
        #![doc = " [`MockServer::start`] starts a server on loopback; [`MockServer::client`] gives a [`Client`](super::Client) for it. Each operation has an expectation builder (`server.place_sales_order()`-style): narrow it to the calls it answers, then answer with a documented success or error value. The returned [`MockHandle`] counts the calls it answered, and checks [`times`](MockHandle) when dropped."]
        #![allow(clippy::too_many_arguments)]
        use super::runtime;
        #operations_import
        #types_import
    }
}

/// `MockServer`, `MockHandle`, and the matchers and answers the expectations of this API use.
fn server(api: &Api) -> Code {
    let ops = &api.operations;
    let has_param = |location: ParamLocation| {
        ops.iter().any(|op| {
            op.params
                .iter()
                .any(|p| p.location == location && param_narrower(api, p).is_some())
        })
    };
    let json_answer = ops.iter().any(|op| {
        op.successes.iter().chain(&op.errors).any(|named| {
            matches!(
                named.response.body,
                Some(Payload::Json(_) | Payload::Form(_) | Payload::Multipart(_))
            )
        })
    });
    let mut code = Code::default();
    code.source(SERVER_CORE.to_string(), true);
    // Every expectation matches its path; an API without operations has none.
    if !ops.is_empty() {
        code.source(PATH_MATCHER.to_string(), true);
    }
    let helpers = [
        (has_param(ParamLocation::Path), PATH_VALUE),
        (has_param(ParamLocation::Header), HEADER_MATCHER),
        (json_answer, JSON_RESPONSE),
        (ops.iter().any(|op| json_body(op).is_some()), BODY_MATCHER),
    ];
    for (used, text) in helpers {
        if used {
            code.source(text.to_string(), true);
        }
    }
    code
}

/// `MockServer` and `MockHandle`, the same in every API, as the formatter lays them out.
const SERVER_CORE: &str = r#"/// A server on 127.0.0.1 that answers like the API, as its expectations say; nothing
/// else is answered (404).
pub struct MockServer {
    server: wiremock::MockServer,
}
impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }
    /// The base URL, for `Client::builder`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }
    /// A client for this server: a static bearer token, no retries.
    pub fn client(&self) -> Result<super::Client, runtime::BuildError> {
        super::Client::builder(self.uri())
            .bearer_token("mock-token")
            .retry_policy(runtime::RetryPolicy::none())
            .build()
    }
    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }
}
/// A mounted expectation. It answers until dropped; dropping it checks the number of
/// calls set with `times` (panicking in the test when it differs).
pub struct MockHandle {
    guard: wiremock::MockGuard,
}
impl MockHandle {
    /// How many calls this expectation answered.
    pub async fn calls(&self) -> usize {
        self.guard.received_requests().await.len()
    }
    /// The requests this expectation answered.
    pub async fn requests(&self) -> Vec<wiremock::Request> {
        self.guard.received_requests().await
    }
}
"#;

/// `PathPiece` and `PathMatches`, the matcher of a path template, as the formatter lays them
/// out.
const PATH_MATCHER: &str = r#"/// One piece of a path template: literal text, or a parameter (`None`: any value).
#[allow(dead_code)]
enum PathPiece {
    Literal(&'static str),
    Param(Option<String>),
}
/// Matches a request path against a template, parameter values percent-encoded as the
/// client sends them.
struct PathMatches(Vec<PathPiece>);
impl PathMatches {
    fn matches_from(pieces: &[PathPiece], path: &str) -> bool {
        match pieces.split_first() {
            None => path.is_empty(),
            Some((PathPiece::Literal(text), rest)) => {
                path.strip_prefix(text)
                    .is_some_and(|path| Self::matches_from(rest, path))
            }
            Some((PathPiece::Param(Some(value)), rest)) => {
                path.strip_prefix(value.as_str())
                    .is_some_and(|path| Self::matches_from(rest, path))
            }
            Some((PathPiece::Param(None), rest)) => {
                let segment = path.find('/').unwrap_or(path.len());
                (1..=segment)
                    .filter(|end| path.is_char_boundary(*end))
                    .any(|end| Self::matches_from(rest, &path[end..]))
            }
        }
    }
}
impl wiremock::Match for PathMatches {
    fn matches(&self, request: &wiremock::Request) -> bool {
        Self::matches_from(&self.0, request.url.path())
    }
}
"#;

/// `path_value`, for an API with path parameters to narrow by, as the formatter lays it out.
const PATH_VALUE: &str = r#"/// A parameter value as it appears in the path.
fn path_value(name: &'static str, value: &str) -> String {
    runtime::encode_path_param::<()>(name, value).unwrap_or_else(|_| value.to_string())
}
"#;

/// `HeaderIs`, for an API with header parameters to narrow by, as the formatter lays it out.
const HEADER_MATCHER: &str = r#"/// Matches requests with a header of exactly this value.
struct HeaderIs(&'static str, String);
impl wiremock::Match for HeaderIs {
    fn matches(&self, request: &wiremock::Request) -> bool {
        request.headers.get(self.0).and_then(|v| v.to_str().ok())
            == Some(self.1.as_str())
    }
}
"#;

/// `json_response`, for an API with a JSON answer, as the formatter lays it out.
const JSON_RESPONSE: &str = r#"/// A JSON response body (empty when the value cannot be written as JSON).
fn json_response(
    status: u16,
    value: &impl ::serde::Serialize,
) -> wiremock::ResponseTemplate {
    let body = serde_json::to_vec(value).unwrap_or_default();
    wiremock::ResponseTemplate::new(status).set_body_raw(body, "application/json")
}
"#;

/// `BodyMatches`, for an API with a JSON request body, as the formatter lays it out.
const BODY_MATCHER: &str = r#"/// Matches requests whose JSON body, read as `T`, passes a check.
struct BodyMatches<T>(Box<dyn Fn(&T) -> bool + Send + Sync>);
impl<T: ::serde::de::DeserializeOwned + 'static> wiremock::Match for BodyMatches<T> {
    fn matches(&self, request: &wiremock::Request) -> bool {
        serde_json::from_slice::<T>(&request.body).is_ok_and(|body| (self.0)(&body))
    }
}
"#;

/// The JSON request body type of an operation, if it has one.
fn json_body(op: &Operation) -> Option<&TypeRef> {
    match &op.body.as_ref()?.payload {
        Payload::Json(ty) => Some(ty),
        _ => None,
    }
}

/// Whether calls can be narrowed by the parameter's value: a built-in scalar or an enum, sent
/// as one `name=value` pair.
fn narrowable(api: &Api, param: &Param) -> bool {
    let scalar = match &param.ty {
        TypeRef::Named(id) => matches!(
            api.types.get(*id).map(|t| &t.kind),
            Some(crate::ir::TypeKind::StringEnum(_) | crate::ir::TypeKind::IntEnum(_))
        ),
        other => other.is_builtin_scalar(),
    };
    scalar && param.style == QueryStyle::Form
}

/// The expectation builder of one operation and its constructor on `MockServer`: the struct
/// and the constructor as text, then the builder's methods, those that depend on the API
/// formatted one by one.
fn operation(api: &Api, op: &Operation) -> Code {
    let method_name = op.method_name.trim_start_matches("r#");
    let builder = format!("{}Mock", names::camel(method_name, "Operation"));
    let mut code = Code::default();
    let (head, head_laid_out) = head(op, method_name, &builder);
    code.source(head, head_laid_out);
    let mut members: Vec<Member> = op
        .params
        .iter()
        .filter_map(|param| param_narrower(api, param))
        .collect();
    if let Some(ty) = json_body(op) {
        let body = text::type_text(api, ty, crate::emit::Scope::Sibling);
        members.push(body_narrower(&body));
        members.push(body_check(&body));
    }
    members.push(laid_out(TIMES));
    members.extend(answers::ok(api, op));
    members.extend(answers::error(op));
    members.push(laid_out(STATUS));
    members.push(answers::mount(op));
    code.text_block(format!("impl {builder}<'_> {{}}\n"), members, "impl S");
    code
}

/// A member in the formatter's layout.
fn laid_out(source: &str) -> Member {
    Member {
        source: source.to_string(),
        laid_out: true,
    }
}

/// `times(n)`, as the formatter lays it out.
const TIMES: &str =
    "    /// Expects exactly `n` calls; checked when the returned [`MockHandle`] is dropped.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }
";

/// `status(status)`, as the formatter lays it out.
const STATUS: &str =
    "    /// Answers with this status and no body: an answer the API does not document, such
    /// as a gateway's 503 (a call that is not idempotent then fails with
    /// `Error::MayHaveBeenProcessed`; an idempotent one is retried first).
    pub async fn status(self, status: u16) -> MockHandle {
        self.answer(wiremock::ResponseTemplate::new(status)).await
    }
";

/// `body(..)` narrowing to one JSON body of type `body` (as written from a sibling module);
/// laid out when its signature is short enough.
fn body_narrower(body: &str) -> Member {
    let source = format!(
        "    /// Only calls whose JSON body equals `body`.
    pub fn body(mut self, body: &{body}) -> Self {{
        let value = serde_json::to_value(body).unwrap_or_default();
        self.mock = self.mock.and(wiremock::matchers::body_json(value));
        self
    }}
"
    );
    Member::fitting(source)
}

/// `body_matches(check)`: narrows the calls to those whose body (of type `body`) passes a
/// check.
fn body_check(body: &str) -> Member {
    let signature = text::method_signature(
        "pub fn body_matches",
        &[
            "mut self".to_string(),
            format!("check: impl Fn(&{body}) -> bool + Send + Sync + 'static"),
        ],
        "Self",
    );
    Member::fitting(format!(
        "    /// Only calls whose body, read back as the documented type, passes `check`.
{signature}        self.mock = self.mock.and(BodyMatches::<{body}>(Box::new(check)));
        self
    }}
"
    ))
}

/// An outer doc line as the formatter prints it (`///`), or as an attribute, which is then
/// formatted (text with a line break, or starting with `/`).
fn outer_doc(doc: &str, indent: &str) -> (String, bool) {
    if doc.contains('\n') || doc.starts_with('/') {
        let literal = proc_macro2::Literal::string(doc);
        (format!("{indent}#[doc = {literal}]\n"), false)
    } else {
        (format!("{indent}///{}\n", doc.trim_end_matches(' ')), true)
    }
}

/// The builder struct and its constructor on `MockServer`, as Rust source, and whether that is
/// in the formatter's layout (doc lines as `///`, every other line short enough).
fn head(op: &Operation, method_name: &str, builder: &str) -> (String, bool) {
    let fields: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(builder_name)
        .collect();
    let call = format!("{} {}", op.method.as_str(), op.path_template);
    let names = (method_name, op.method_name.as_str(), builder);
    head_source(names, op.method.as_str(), &call, &fields)
}

/// [`head`] from the names (the method's without `r#`, as written, and the builder's), the HTTP
/// method, the call as documented (`GET /path`) and the path fields.
fn head_source(
    (method_name, constructor, builder): (&str, &str, &str),
    http_method: &str,
    call: &str,
    fields: &[String],
) -> (String, bool) {
    let (doc, doc_laid_out) = outer_doc(
        &format!(
            " An expected call of [`Client::{method_name}`](super::Client::{method_name}) (`{call}`); narrow it with the methods below, then answer it with `ok` or `error`."
        ),
        "",
    );
    let (constructor_doc, _) = outer_doc(
        &format!(" Expects calls of `{method_name}`; see [`{builder}`]."),
        "    ",
    );
    let mut declared = String::new();
    let mut initialised = String::new();
    for field in fields {
        declared.push_str(&format!("    {field}: Option<String>,\n"));
        initialised.push_str(&format!("            {field}: None,\n"));
    }
    let method = proc_macro2::Literal::string(http_method);
    let source = format!(
        "{doc}pub struct {builder}<'a> {{
    server: &'a MockServer,
    mock: wiremock::MockBuilder,
    times: Option<u64>,
{declared}}}
impl MockServer {{
{constructor_doc}    pub fn {constructor}(&self) -> {builder}<'_> {{
        {builder} {{
            server: self,
            mock: wiremock::Mock::given(wiremock::matchers::method({method})),
            times: None,
{initialised}        }}
    }}
}}
"
    );
    let short = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("///"))
        .all(|line| line.len() <= text::MAX_LINE);
    (source, doc_laid_out && short)
}

/// The names an expectation builder has of its own: its fields and methods.
const BUILDER_NAMES: &[&str] = &[
    "answer",
    "body",
    "body_matches",
    "error",
    "mock",
    "ok",
    "server",
    "status",
    "times",
];

/// The name of a parameter's narrowing method (and, for a path parameter, its field): the
/// parameter's own, with `_param` appended when the builder has that name already.
fn builder_name(param: &Param) -> String {
    if BUILDER_NAMES.contains(&param.rust_name.as_str()) {
        format!("{}_param", param.rust_name)
    } else {
        param.rust_name.clone()
    }
}

/// A method narrowing the expectation to one value of a path, query or header parameter (only
/// for values sent as one piece of text), as text; laid out when its lines are short enough.
fn param_narrower(api: &Api, param: &Param) -> Option<Member> {
    if !narrowable(api, param) {
        return None;
    }
    let name = ident(&builder_name(param));
    let json_name = proc_macro2::Literal::string(&param.json_name);
    let ty = crate::emit::code_text(&param_shape(api, param).inner);
    let to_param = "runtime::ToParam::to_param(&value)";
    let (place, narrow) = match param.location {
        ParamLocation::Path => (
            "path",
            format!("self.{name} = Some(path_value({json_name}, &{to_param}));"),
        ),
        ParamLocation::Query => (
            "query",
            format!(
                "self.mock = self.mock.and(wiremock::matchers::query_param({json_name}, {to_param}));"
            ),
        ),
        ParamLocation::Header => (
            "header",
            format!("self.mock = self.mock.and(HeaderIs({json_name}, {to_param}));"),
        ),
    };
    let (doc, doc_laid_out) = outer_doc(
        &format!(
            " Only calls with this {place} parameter {} value.",
            code_span(&param.json_name)
        ),
        "    ",
    );
    let source = format!(
        "{doc}    pub fn {name}(mut self, value: {ty}) -> Self {{\n        {narrow}\n        self\n    }}\n"
    );
    let short = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("///"))
        .all(|line| line.len() <= text::MAX_LINE);
    Some(Member {
        laid_out: doc_laid_out && short,
        source,
    })
}

/// The status a response entry is answered with (`4XX` as 400, `default` as 500 for errors and
/// 200 for successes).
fn answer_status(status: StatusSpec, error: bool) -> u16 {
    match status {
        StatusSpec::Code(code) => code,
        StatusSpec::Range(n) => n * 100,
        StatusSpec::Default if error => 500,
        StatusSpec::Default => 200,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::{formatted, in_impl};

    #[test]
    fn fixed_server_items_read_as_formatted() {
        assert_eq!(formatted(SERVER_CORE), SERVER_CORE);
        assert_eq!(formatted(PATH_MATCHER), PATH_MATCHER);
        for text in [PATH_VALUE, HEADER_MATCHER, JSON_RESPONSE, BODY_MATCHER] {
            assert_eq!(formatted(text), text);
        }
    }

    #[test]
    fn laid_out_builder_heads_read_as_formatted() {
        let (mut laid_out, mut longest) = (0, 0);
        for len in 1..=70 {
            // `a_b` becomes `AB`: the two names grow at different rates.
            let mut method: String = std::iter::repeat_n('a', len / 2 + 1).collect();
            if len % 2 == 1 {
                method.push_str("_b");
            }
            let builder = format!("{}Mock", names::camel(&method, "Operation"));
            for fields in [vec![], vec!["id".to_string(), format!("{method}_id")]] {
                let names = (method.as_str(), method.as_str(), builder.as_str());
                let (source, is_laid_out) = head_source(names, "GET", "GET /a/{id}", &fields);
                let widest = source
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("///"))
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                if is_laid_out {
                    laid_out += 1;
                    longest = widest.max(longest);
                    assert_eq!(formatted(&source), source, "{len}");
                } else {
                    assert!(widest > text::MAX_LINE);
                }
            }
        }
        assert_eq!(longest, text::MAX_LINE);
        assert!(laid_out > 40, "{laid_out}");
        let names = ("a", "a", "AMock");
        let (source, is_laid_out) = head_source(names, "GET", "GET /a\nb", &[]);
        assert!(!is_laid_out);
        assert!(formatted(&source).starts_with("/**"));
    }

    #[test]
    fn laid_out_builder_methods_read_as_formatted() {
        let fixed = format!("{TIMES}{STATUS}");
        assert_eq!(formatted(&in_impl(&fixed)), in_impl(&fixed));
        let (mut laid_out, mut longest) = (0, 0);
        for len in 1..=80 {
            let name: String = std::iter::repeat_n('A', len).collect();
            for ty in [format!("types::{name}"), format!("Vec<types::{name}>")] {
                for method in [body_narrower(&ty), body_check(&ty)] {
                    let widest = method.source.lines().map(str::len).max().unwrap_or(0);
                    if method.laid_out {
                        laid_out += 1;
                        longest = widest.max(longest);
                        assert_eq!(formatted(&in_impl(&method.source)), in_impl(&method.source));
                    } else {
                        assert!(widest > text::MAX_LINE);
                    }
                }
            }
        }
        assert_eq!(longest, text::MAX_LINE);
        assert!(laid_out > 80, "{laid_out}");
    }
}
