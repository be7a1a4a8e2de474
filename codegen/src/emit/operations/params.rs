//! The parameters of an operation's method: how each is taken, checked, and written into
//! the path, the query or the headers.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::checks;
use crate::emit::text::{Written, indented, map_err_chain};
use crate::emit::{Scope, ident, type_tokens};
use crate::ir::{self, Api, Operation, Param, ParamLocation, PathPart, QueryStyle, TypeRef};

/// How a parameter is taken by the method and turned into its wire string.
pub(crate) struct ParamShape {
    pub(crate) signature: TokenStream,
    /// The signature without the `Option` of an optional parameter.
    pub(crate) inner: TokenStream,
    /// Whether the bound name is already a reference (so `to_param` takes it as is).
    by_ref: bool,
}

/// The type a parameter is sent as, through named aliases (`String` for `types::Name`).
fn wire_type<'a>(api: &'a Api, param: &'a Param) -> &'a TypeRef {
    ir::alias_target(&param.ty, &|id| api.types.get(id).map(|def| &def.kind))
}

pub(crate) fn param_shape(api: &Api, param: &Param) -> ParamShape {
    let copy_alias = matches!(param.ty, TypeRef::Named(_)) && {
        let wire = wire_type(api, param);
        wire.is_builtin_scalar() && *wire != TypeRef::String
    };
    let (inner, by_ref) = match &param.ty {
        TypeRef::String => (quote!(&str), true),
        TypeRef::Named(_) if copy_alias => (type_tokens(api, &param.ty, Scope::Sibling), false),
        TypeRef::Vec(item) => {
            let item = type_tokens(api, item, Scope::Sibling);
            (quote!(&[#item]), true)
        }
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Json => {
            let ty = type_tokens(api, &param.ty, Scope::Sibling);
            (quote!(&#ty), true)
        }
        other => (type_tokens(api, other, Scope::Sibling), false),
    };
    let signature = if param.required {
        inner.clone()
    } else {
        quote!(Option<#inner>)
    };
    ParamShape {
        signature,
        inner,
        by_ref,
    }
}

/// What the parameters add to a method: its arguments, the checks run before sending, and the
/// pushes that build the query and the headers (as [`Written`] text).
pub(super) struct ParamCode {
    pub(super) args: Vec<TokenStream>,
    pub(super) checks: Vec<Written>,
    pub(super) query: Vec<Written>,
    pub(super) headers: Vec<Written>,
}

impl ParamCode {
    pub(super) fn new(api: &Api, op: &Operation) -> Self {
        let mut code = ParamCode {
            args: Vec::new(),
            checks: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
        };
        for param in &op.params {
            code.add(api, param);
        }
        code
    }

    fn add(&mut self, api: &Api, param: &Param) {
        let arg = ident(&param.rust_name);
        let shape = param_shape(api, param);
        let sig = &shape.signature;
        self.args.push(quote!(#arg: #sig));
        self.checks.extend(param_checks(api, param, &shape));
        let target = match param.location {
            // Path parameters are written by `path_expr`.
            ParamLocation::Path => return,
            ParamLocation::Query => &mut self.query,
            ParamLocation::Header => &mut self.headers,
        };
        target.push(param_push(param, &shape));
    }
}

/// The checks of one parameter (statements of the method's body): its constraints, then its
/// value's own checks.
fn param_checks(api: &Api, param: &Param, shape: &ParamShape) -> Vec<Written> {
    let arg = ident(&param.rust_name);
    let json_name = &param.json_name;
    let mut checks = Vec::new();
    let param_checks = checks::constraint_checks(
        &param.constraints,
        wire_type(api, param),
        "__value",
        json_name,
        true,
    );
    if !param_checks.is_empty() {
        let open = match (param.required, shape.by_ref) {
            (true, true) => format!("        {{\n            let __value = {arg};\n"),
            (true, false) => format!("        {{\n            let __value = &{arg};\n"),
            (false, true) => format!("        if let Some(__value) = {arg} {{\n"),
            (false, false) => format!("        if let Some(__value) = &{arg} {{\n"),
        };
        checks.push(checks::check_statement(&open, param_checks));
    }
    if api.is_checked(&param.ty) {
        let call = "runtime::Validate::validate(&__value)";
        let check = map_err_chain(checks::CHECK_INDENT, call, json_name);
        let open = if param.required {
            format!("        {{\n            let __value = {arg};\n")
        } else {
            format!("        if let Some(__value) = {arg} {{\n")
        };
        checks.push(checks::check_statement(&open, vec![check]));
    }
    checks
}

/// The statement that writes a query or header parameter into `__list` (when it is set). The
/// formatter's layout of a delimited list's joining chain is not known here.
fn param_push(param: &Param, shape: &ParamShape) -> Written {
    let arg = ident(&param.rust_name);
    let json_name = literal(&param.json_name);
    let value = if shape.by_ref { "__value" } else { "&__value" };
    let key = match param.location {
        ParamLocation::Query => format!("{json_name}.into()"),
        _ => json_name.clone(),
    };
    let (push, known) = match (param.style, &param.ty) {
        (QueryStyle::Object { deep }, _) => (
            format!("runtime::push_object_query(&mut __list, {json_name}, __value, {deep})?;"),
            true,
        ),
        (QueryStyle::Delimited(delimiter), _) => (
            format!(
                "let __joined: Vec<String> = __value.iter().map(runtime::ToParam::to_param).collect();\n__list.push(({key}, __joined.join({})));",
                literal(&delimiter.to_string())
            ),
            false,
        ),
        (QueryStyle::Form, TypeRef::Vec(_)) => (
            format!(
                "for __item in __value.iter() {{\n    __list.push(({key}, runtime::ToParam::to_param(__item)));\n}}"
            ),
            true,
        ),
        (QueryStyle::Form, _) => (
            format!("__list.push(({key}, runtime::ToParam::to_param({value})));"),
            true,
        ),
    };
    let push = indented(&push, "    ");
    let text = if param.required {
        format!("{{\n    let __value = {arg};\n{push}\n}}")
    } else {
        format!("if let Some(__value) = {arg} {{\n{push}\n}}")
    };
    Written { text, known }
}

/// The value of the query or header list: `Vec::new()`, or a block that pushes each parameter.
pub(super) fn list_init(pushes: &[Written]) -> Written {
    if pushes.is_empty() {
        return Written::known("Vec::new()".to_string());
    }
    let mut text = "{\n    let mut __list = Vec::new();\n".to_string();
    for push in pushes {
        text.push_str(&indented(&push.text, "    "));
        text.push('\n');
    }
    text.push_str("    __list\n}");
    Written {
        text,
        known: pushes.iter().all(|push| push.known),
    }
}

/// The request path: literals as they are, parameters percent-encoded as one segment each.
pub(super) fn path_expr(api: &Api, op: &Operation) -> Written {
    if let [PathPart::Literal(text)] = op.path.as_slice() {
        return Written::known(format!("String::from({})", literal(text)));
    }
    let mut text = "{\n    let mut __path = String::new();\n".to_string();
    for part in &op.path {
        match part {
            PathPart::Literal(literal_text) => {
                let mut chars = literal_text.chars();
                match (chars.next(), chars.next()) {
                    (Some(only), None) => text.push_str(&format!(
                        "    __path.push({});\n",
                        proc_macro2::Literal::character(only)
                    )),
                    _ => text.push_str(&format!(
                        "    __path.push_str({});\n",
                        literal(literal_text)
                    )),
                }
            }
            PathPart::Param(index) => {
                // `integrity::check` has made a missing parameter an internal error already.
                let Some(param) = op.params.get(*index) else {
                    continue;
                };
                let arg = ident(&param.rust_name);
                let value = if param.ty == TypeRef::String {
                    arg.to_string()
                } else if param_shape(api, param).by_ref {
                    format!("&runtime::ToParam::to_param({arg})")
                } else {
                    format!("&runtime::ToParam::to_param(&{arg})")
                };
                text.push_str(&format!(
                    "    __path.push_str(&runtime::encode_path_param({}, {value})?);\n",
                    literal(&param.json_name)
                ));
            }
        }
    }
    text.push_str("    __path\n}");
    Written::known(text)
}

/// A string literal as text.
fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}
