//! Emits the `operations` module: one async method on `Client` per operation, and the
//! success and error enums of its responses. The method's pieces come from [`params`],
//! [`body`] and [`responses`]; its doc from [`docs`].

mod body;
mod docs;
mod layout;
mod params;
mod responses;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::text::Written;
use crate::emit::{Code, format_module, ident};
use crate::error::Result;
use crate::ir::{Api, Operation, TypeRef};
pub(crate) use body::body_arg_type;
use docs::method_doc;
pub(crate) use params::param_shape;
use params::{ParamCode, list_init, path_expr};
use responses::{emit_error_enum, emit_success_enum, status_match, streams_success};
pub(crate) use responses::{payload_type, returned_type};

/// The operations module; `crate_ident` (the crate's name as a path) is used in doc examples.
pub(crate) fn emit_operations(api: &Api, crate_ident: &str, header: &str) -> Result<String> {
    // Items: one `impl Client` block per operation (so the module formats item by item), then
    // the success enums, then the error enums.
    let with_success: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.success_enum.is_some())
        .collect();
    let operations = api.operations.len();
    let count = operations * 2 + with_success.len();
    let item = |index: usize| {
        let mut code = Code::default();
        if index < operations {
            // The doc comment as text; the method alone is formatted.
            let op = &api.operations[index];
            let doc = method_doc(api, op, crate_ident);
            code.source(format!("impl Client {{\n{doc}"), true)
                .append(emit_method(api, op))
                .source("}\n".to_string(), true);
        } else if index < operations + with_success.len() {
            code.append(
                emit_success_enum(api, with_success[index - operations]).unwrap_or_default(),
            );
        } else {
            code.append(emit_error_enum(
                api,
                &api.operations[index - operations - with_success.len()],
            ));
        }
        code
    };
    format_module(header, count, item, prelude(api), "operations module")
}

/// The module's doc and imports: `types` when an operation takes or gives a named type (each
/// is written `types::Name`), the runtime and `Client` when there is an operation.
fn prelude(api: &Api) -> TokenStream {
    let types_import = api
        .operations
        .iter()
        .flat_map(Operation::mentioned_types)
        .any(|ty| matches!(ty.innermost(), TypeRef::Named(_)))
        .then(|| {
            quote!(
                use super::types;
            )
        });
    // A document without operations has nothing that uses the imports.
    let has_operations = !api.operations.is_empty();
    let runtime_import = has_operations.then(|| {
        quote!(
            use super::runtime::{self, Error};
            use super::Client;
        )
    });
    let doc = if has_operations {
        " Operations of the API: one async method on [`Client`] per operation, and the documented error bodies of each."
    } else {
        " Operations of the API: the document has none."
    };
    quote! {
        #![doc = #doc]
        #![allow(clippy::too_many_arguments)]
        #runtime_import
        #types_import
    }
}

/// Tokens of a type as code text: no spaces but after commas (the types of method signatures
/// need none: no `dyn`, `impl` or `mut`).
pub(crate) fn code_text(tokens: &TokenStream) -> String {
    let text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.replace(',', ", ")
}

/// One operation's method without its doc comment: checks, then the request, then the match
/// over the status. Its attributes, signature, match and a request without parameters in the
/// path, query or headers are written as text (see [`layout`]); each other statement is
/// formatted alone, and a method whose signature [`layout::signature`] cannot lay out is
/// formatted whole.
fn emit_method(api: &Api, op: &Operation) -> Code {
    let parts = MethodParts::new(api, op);
    let args: Vec<String> = parts
        .args
        .iter()
        .map(code_text)
        .map(|arg| arg.replacen(':', ": ", 1))
        .collect();
    let returned = code_text(&parts.returned);
    let name = ident(&op.method_name).to_string();
    let error_type = ident(&op.error_type).to_string();
    match layout::signature(&name, &args, &returned, &error_type) {
        Some(signature) => parts.laid_out(signature),
        None => {
            // Valid Rust on one line, which the formatter then lays out.
            let signature = format!(
                "    pub async fn {name}(&self, {}) -> Result<runtime::ResponseValue<{returned}>, Error<{error_type}>> {{\n",
                args.join(", ")
            );
            parts.whole(signature)
        }
    }
}

/// A method's parts: its attributes and match as text, the rest as tokens.
struct MethodParts {
    /// `#[deprecated]` and `#[allow(..)]` lines, when the method has them.
    attributes: String,
    args: Vec<TokenStream>,
    checks: Vec<Written>,
    returned: TokenStream,
    /// `let request = ...;`, and whether it is laid out.
    request: (String, bool),
    /// The `match` over the status, and whether it is laid out.
    status_match: (String, bool),
}

impl MethodParts {
    fn new(api: &Api, op: &Operation) -> Self {
        let ParamCode {
            mut args,
            mut checks,
            query,
            headers,
        } = ParamCode::new(api, op);
        let mut body_value = Written::known("None".to_string());
        if let Some(body) = &op.body {
            let code = body::BodyCode::new(api, body);
            args.push(code.arg);
            checks.extend(code.check);
            body_value = code.value;
        }
        let (status_match, laid_out, overlapping) = status_match(op);
        let mut attributes = String::new();
        if op.deprecated {
            attributes
                .push_str("    #[deprecated(note = \"deprecated in the API description\")]\n");
        }
        if overlapping {
            attributes.push_str("    #[allow(clippy::match_overlapping_arm)]\n");
        }
        let request = layout::RequestText {
            operation_id: &op.operation_id,
            method: op.method.as_str(),
            path_template: &op.path_template,
            path: path_expr(api, op),
            query: list_init(&query),
            headers: list_init(&headers),
            body: body_value,
            idempotent: op.method.is_idempotent(),
            authenticated: op.authenticated,
            stream_success: streams_success(op),
        }
        .statement();
        MethodParts {
            attributes,
            args,
            checks,
            returned: returned_type(api, op),
            request,
            status_match: (status_match, laid_out),
        }
    }

    /// The method as source to format whole, after `signature` (a valid one, not laid out).
    fn whole(self, signature: String) -> Code {
        let mut source = self.attributes;
        source.push_str(&signature);
        for check in &self.checks {
            source.push_str(&check.text);
        }
        source.push_str(&self.request.0);
        source.push_str("        let response = self.core.execute(request).await?;\n");
        source.push_str(&self.status_match.0);
        source.push_str("    }\n");
        let mut code = Code::default();
        code.member_source(source, "impl S");
        code
    }

    /// The method with its attributes and `signature` (and its request, when given) as text,
    /// each other statement formatted alone.
    fn laid_out(self, signature: String) -> Code {
        let mut code = Code::default();
        code.source(self.attributes + &signature, true);
        for check in self.checks {
            code.written_statement(check);
        }
        match self.request {
            (text, true) => code.source(text, true),
            (text, false) => code.statement_source(text),
        };
        code.source(
            "        let response = self.core.execute(request).await?;\n".to_string(),
            true,
        );
        match self.status_match {
            (text, true) => code.source(text, true),
            (text, false) => code.statement_source(text),
        };
        code.source("    }\n".to_string(), true);
        code
    }
}
