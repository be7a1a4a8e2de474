//! The parameters of an operation's method: how each is taken, checked, and written into
//! the path, the query or the headers.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::checks;
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
/// pushes that build the query and the headers.
pub(super) struct ParamCode {
    pub(super) args: Vec<TokenStream>,
    pub(super) checks: Vec<TokenStream>,
    pub(super) query: Vec<TokenStream>,
    pub(super) headers: Vec<TokenStream>,
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

/// The checks of one parameter: its constraints, then its value's own checks.
fn param_checks(api: &Api, param: &Param, shape: &ParamShape) -> Vec<TokenStream> {
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
        checks.push(match (param.required, shape.by_ref) {
            (true, true) => quote!({ let __value = #arg; #(#param_checks)* }),
            (true, false) => quote!({ let __value = &#arg; #(#param_checks)* }),
            (false, true) => quote!(if let Some(__value) = #arg { #(#param_checks)* }),
            (false, false) => quote!(if let Some(__value) = &#arg { #(#param_checks)* }),
        });
    }
    if api.is_checked(&param.ty) {
        let check = quote!(runtime::Validate::validate(&__value).map_err(|e| e.at(#json_name))?;);
        checks.push(if param.required {
            quote!({ let __value = #arg; #check })
        } else {
            quote!(if let Some(__value) = #arg { #check })
        });
    }
    checks
}

/// The statement that writes a query or header parameter into `__list` (when it is set).
fn param_push(param: &Param, shape: &ParamShape) -> TokenStream {
    let arg = ident(&param.rust_name);
    let json_name = &param.json_name;
    let value = if shape.by_ref {
        quote!(__value)
    } else {
        quote!(&__value)
    };
    let key = match param.location {
        ParamLocation::Query => quote!(#json_name.into()),
        _ => quote!(#json_name),
    };
    let push = match (param.style, &param.ty) {
        (QueryStyle::Object { deep }, _) => {
            quote!(runtime::push_object_query(&mut __list, #json_name, __value, #deep)?;)
        }
        (QueryStyle::Delimited(delimiter), _) => {
            let delimiter = delimiter.to_string();
            quote! {
                let __joined: Vec<String> = __value.iter().map(runtime::ToParam::to_param).collect();
                __list.push((#key, __joined.join(#delimiter)));
            }
        }
        (QueryStyle::Form, TypeRef::Vec(_)) => quote! {
            for __item in __value.iter() {
                __list.push((#key, runtime::ToParam::to_param(__item)));
            }
        },
        (QueryStyle::Form, _) => {
            quote!(__list.push((#key, runtime::ToParam::to_param(#value)));)
        }
    };
    if param.required {
        quote!({ let __value = #arg; #push })
    } else {
        quote!(if let Some(__value) = #arg { #push })
    }
}
pub(super) fn list_init(pushes: &[TokenStream]) -> TokenStream {
    if pushes.is_empty() {
        quote!(Vec::new())
    } else {
        quote!({
            let mut __list = Vec::new();
            #(#pushes)*
            __list
        })
    }
}

/// The request path: literals as they are, parameters percent-encoded as one segment each.
pub(super) fn path_expr(api: &Api, op: &Operation) -> TokenStream {
    let mut pushes = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
                [only] => pushes.push(quote!(__path.push(#only);)),
                _ => pushes.push(quote!(__path.push_str(#text);)),
            },
            PathPart::Param(index) => {
                // `integrity::check` has made a missing parameter an internal error already.
                let Some(param) = op.params.get(*index) else {
                    continue;
                };
                let arg = ident(&param.rust_name);
                let json_name = &param.json_name;
                let by_ref = param_shape(api, param).by_ref;
                let text = if param.ty == TypeRef::String {
                    quote!(#arg)
                } else if by_ref {
                    quote!(&runtime::ToParam::to_param(#arg))
                } else {
                    quote!(&runtime::ToParam::to_param(&#arg))
                };
                pushes.push(
                    quote!(__path.push_str(&runtime::encode_path_param(#json_name, #text)?);),
                );
            }
        }
    }
    match op.path.as_slice() {
        [PathPart::Literal(text)] => quote!(String::from(#text)),
        _ => quote!({
            let mut __path = String::new();
            #(#pushes)*
            __path
        }),
    }
}
