//! Operation lowering: paths and methods to [`Operation`]s. This module walks the paths and
//! assembles each operation; [`params`], [`body`], [`responses`], [`security`] and
//! [`template`] lower its parts.

mod body;
mod params;
mod responses;
mod security;
mod template;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use crate::error::{Error, Result, Warning};
use crate::ir::{Method, Operation, Payload};
use crate::lower::types::TypeSpace;
use crate::names::{self, Namespace};
use crate::pointer::{Chain, Hop, Pointer, follow_chain};
use params::order_params;
pub(crate) use security::client_credentials_token_url;
use security::unsupported_security_schemes;

pub(crate) struct LoweredOperations {
    pub operations: Vec<Operation>,
    /// Operations in the inline path items, generated or not.
    pub present: usize,
    pub warnings: Vec<Warning>,
}

/// Method names the generated `Client` already has (its own and those of `Clone` and `Debug`);
/// operations get a suffix instead of clashing. The trait methods of `ClientInfo` are not
/// reserved: an operation of that name shadows them only in method-call syntax.
const CLIENT_METHODS: &[&str] = &["builder", "base_url", "clone", "fmt"];

pub(crate) fn lower_operations(
    doc: &OpenAPI,
    space: &mut TypeSpace<'_>,
    lenient: bool,
) -> Result<LoweredOperations> {
    let mut warnings = unsupported_security_schemes(doc);
    let mut method_names = Namespace::default();
    for reserved in CLIENT_METHODS {
        method_names.reserve(reserved);
    }
    let mut type_names = Namespace::default();
    for reserved in crate::names::crate_root_names() {
        type_names.reserve(reserved);
    }
    let mut operations = Vec::new();
    let mut present = 0;
    for (path, item) in &doc.paths.paths {
        let path_pointer = Pointer::root().join("paths").join(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                warnings.push(Warning {
                    pointer: path_pointer.to_string(),
                    message: format!(
                        "path item $ref {reference:?} is not supported; the path is skipped"
                    ),
                });
                continue;
            }
        };
        let methods = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            present += 1;
            let at = path_pointer.join(method.as_str().to_ascii_lowercase());
            let mut lowering = OperationLowering {
                doc,
                space: &mut *space,
                at: at.clone(),
                lenient,
                warnings: Vec::new(),
            };
            if let Some(mut operation) = lowering.lower(path, method, op, &item.parameters)? {
                operation.method_name = method_names.claim(operation.method_name);
                let unraw = operation
                    .method_name
                    .trim_start_matches("r#")
                    .trim_end_matches('_');
                let base = match names::camel(unraw, "Operation") {
                    name if name == "Self_" => "Self".to_string(),
                    name => name,
                };
                operation.error_type = type_names.claim(format!("{base}Error"));
                if operation.success_enum.is_some() {
                    operation.success_enum = Some(type_names.claim(format!("{base}Success")));
                }
                operations.push(operation);
            }
            warnings.extend(lowering.warnings);
        }
    }
    Ok(LoweredOperations {
        operations,
        present,
        warnings,
    })
}

struct OperationLowering<'d, 's, 'a> {
    doc: &'d OpenAPI,
    space: &'s mut TypeSpace<'a>,
    at: Pointer,
    /// Skip an operation whose path template and parameters disagree instead of failing.
    lenient: bool,
    warnings: Vec<Warning>,
}

/// An operation the generator leaves out, with the reason (becomes a warning).
struct Skip(String);

/// The media type picked for a body.
enum Choice {
    /// No content documented.
    Empty,
    /// The payload and its media type.
    Chosen(Payload, String),
    /// Only media types the generator cannot encode (the list).
    Unsupported(Vec<String>),
}

impl OperationLowering<'_, '_, '_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    /// Lowers one operation; `Ok(None)` when it is skipped (with a warning).
    fn lower(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
    ) -> Result<Option<Operation>> {
        match self.lower_inner(path, method, op, shared_params)? {
            Ok(operation) => Ok(Some(operation)),
            Err(Skip(reason)) => {
                let at = self.at.clone();
                self.warn(&at, format!("operation skipped: {reason}"));
                Ok(None)
            }
        }
    }

    fn lower_inner(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
    ) -> Result<std::result::Result<Operation, Skip>> {
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| derived_operation_id(method, path));
        let type_hint = names::camel(&operation_id, "Operation");
        let raw_params = self.merged_params(op, shared_params)?;
        let mut params = match self.lower_params(raw_params, &type_hint)? {
            Ok(params) => params,
            Err(skip) => return Ok(Err(skip)),
        };
        order_params(path, &mut params);
        let path_parts = match self.path_parts(path, &params)? {
            Ok(parts) => parts,
            Err(skip) => return Ok(Err(skip)),
        };
        let body = match self.lower_body(op, &type_hint)? {
            Ok(body) => body,
            Err(skip) => return Ok(Err(skip)),
        };
        let (successes, errors) = self.lower_responses(op, &type_hint)?;
        let first_body = successes.first().map(|s| &s.response.body);
        let success_enum = successes
            .iter()
            .any(|s| Some(&s.response.body) != first_body)
            .then(|| format!("{type_hint}Success"));
        let authenticated = security::is_authenticated(self.doc, op);
        if !op.callbacks.is_empty() {
            let here = self.at.join("callbacks");
            self.warn(
                &here,
                "callbacks are not supported; they are left out of the client",
            );
        }
        Ok(Ok(Operation {
            operation_id: operation_id.clone(),
            method_name: names::snake(&operation_id, "operation"),
            error_type: String::new(),
            method,
            path_template: path.to_string(),
            path: path_parts,
            params,
            body,
            successes,
            success_enum,
            errors,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            authenticated,
        }))
    }
}

/// Follows a `$ref` (and a chain of them) into `#/components/<section>/<name>`.
fn resolve<'p, T>(
    item: &'p ReferenceOr<T>,
    at: &Pointer,
    section: &str,
    pick: impl Fn(&'p openapiv3::Components) -> &'p IndexMap<String, ReferenceOr<T>>,
    doc: &'p OpenAPI,
) -> Result<&'p T> {
    let first = match item {
        ReferenceOr::Item(item) => return Ok(item),
        ReferenceOr::Reference { reference } => reference.as_str(),
    };
    let hop = |reference: &&'p str| {
        let Some(name) = crate::pointer::component_ref_name(reference, section) else {
            return Hop::End(Err(Error::new(
                at,
                format!("unsupported $ref {reference:?}: expected #/components/{section}/<name>"),
            )));
        };
        match doc.components.as_ref().and_then(|c| pick(c).get(&name)) {
            Some(ReferenceOr::Item(item)) => Hop::End(Ok(item)),
            Some(ReferenceOr::Reference { reference }) => Hop::Next(reference.as_str()),
            None => Hop::End(Err(Error::new(
                at,
                format!(
                    "dangling $ref {reference:?}: there is no {name:?} in #/components/{section}"
                ),
            ))),
        }
    };
    match follow_chain(first, hop) {
        Chain::End(found) => found,
        Chain::Cycle(_) | Chain::TooLong => Err(Error::new(at, "a cycle of $refs")),
    }
}

/// `GET /api/todo/{id}` → `get_api_todo_by_id`.
fn derived_operation_id(method: Method, path: &str) -> String {
    let mut words = vec![method.as_str().to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                let param = names::snake_words(param);
                let param = if param.is_empty() {
                    "param".to_string()
                } else {
                    param
                };
                words.push(format!("by_{param}"));
            }
            None => words.push(names::snake_words(segment)),
        }
    }
    words.retain(|w| !w.is_empty());
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_readable_operation_ids() {
        assert_eq!(
            derived_operation_id(Method::Get, "/api/todo/{id}"),
            "get_api_todo_by_id"
        );
        assert_eq!(derived_operation_id(Method::Post, "/"), "post");
        assert_eq!(
            derived_operation_id(Method::Get, "/api/Enum"),
            "get_api_enum"
        );
        assert_eq!(
            derived_operation_id(Method::Put, "/type/{self}/{2fa}"),
            "put_type_by_self_by_2fa"
        );
        assert_eq!(
            derived_operation_id(Method::Delete, "/api/Items/{itemId}/sub-items"),
            "delete_api_items_by_item_id_sub_items"
        );
    }
}
