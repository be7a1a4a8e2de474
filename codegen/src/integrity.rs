//! The IR's own consistency, checked once between lowering and emitting: every type reference
//! names a type of the arena and every path-template parameter is one of its operation's. The
//! emitters then never meet an impossible state; a lowering bug becomes an internal error
//! instead of a request to the wrong URL or a type that does not exist.

use crate::error::{Error, Result};
use crate::ir::{Api, Operation, PathPart, Payload, TypeKind, TypeRef, UnionVariant};
use crate::pointer::Pointer;

/// Checks `api`; the error names the type or operation whose reference is dangling.
pub(crate) fn check(api: &Api) -> Result<()> {
    for def in &api.types {
        let refs: Vec<&TypeRef> = match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|v| match v {
                    UnionVariant::Value { ty, .. } => Some(ty),
                    UnionVariant::Unit { .. } => None,
                })
                .collect(),
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
        };
        for ty in refs {
            known(api, ty).map_err(|problem| internal(&def.pointer, &def.name, &problem))?;
        }
    }
    for op in &api.operations {
        check_operation(api, op).map_err(|problem| {
            let pointer = Pointer::root()
                .join("paths")
                .join(&op.path_template)
                .join(op.method.as_str().to_ascii_lowercase());
            internal(&pointer.to_string(), &op.operation_id, &problem)
        })?;
    }
    Ok(())
}

fn check_operation(api: &Api, op: &Operation) -> std::result::Result<(), String> {
    for part in &op.path {
        if let PathPart::Param(index) = part
            && op.params.get(*index).is_none()
        {
            return Err(format!(
                "the path template refers to parameter #{index}, which the operation lacks"
            ));
        }
    }
    for param in &op.params {
        known(api, &param.ty)?;
    }
    let payloads = op.body.iter().map(|body| &body.payload).chain(
        op.successes
            .iter()
            .chain(&op.errors)
            .filter_map(|r| r.response.body.as_ref()),
    );
    for payload in payloads {
        if let Payload::Json(ty) | Payload::Form(ty) | Payload::Multipart(ty) = payload {
            known(api, ty)?;
        }
    }
    Ok(())
}

/// `Err` when `ty` (or an item or value type in it) names no type of the arena.
fn known(api: &Api, ty: &TypeRef) -> std::result::Result<(), String> {
    match ty {
        TypeRef::Named(id) if api.types.get(*id).is_none() => {
            Err(format!("it refers to type #{id}, which does not exist"))
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) => known(api, inner),
        _ => Ok(()),
    }
}

fn internal(pointer: &str, name: &str, problem: &str) -> Error {
    Error {
        pointer: pointer.to_string(),
        message: format!(
            "internal error of the generator at `{name}`: {problem}; please report it"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Method;

    fn api_with(types: Vec<crate::ir::TypeDef>, operations: Vec<Operation>) -> Api {
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            types,
            operations,
            operations_in_document: 0,
            token_url: None,
        }
    }

    #[test]
    fn a_dangling_type_reference_is_an_internal_error() {
        let def = crate::ir::TypeDef {
            name: "Holder".into(),
            pointer: "#/components/schemas/Holder".into(),
            docs: Default::default(),
            kind: TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Named(7)))),
        };
        let error = check(&api_with(vec![def], Vec::new())).expect_err("dangling");
        assert!(error.message.contains("internal error"), "{error}");
        assert!(error.message.contains("type #7"), "{error}");
        assert_eq!(error.pointer, "#/components/schemas/Holder");
    }

    #[test]
    fn a_path_parameter_the_operation_lacks_is_an_internal_error() {
        let op = Operation {
            operation_id: "getA".into(),
            method_name: "get_a".into(),
            error_type: "GetAError".into(),
            method: Method::Get,
            path_template: "/a/{id}".into(),
            path: vec![PathPart::Literal("/a/".into()), PathPart::Param(0)],
            params: Vec::new(),
            body: None,
            successes: Vec::new(),
            success_enum: None,
            errors: Vec::new(),
            summary: None,
            description: None,
            deprecated: false,
            authenticated: false,
        };
        let error = check(&api_with(Vec::new(), vec![op])).expect_err("no parameter 0");
        assert!(error.message.contains("parameter #0"), "{error}");
        assert_eq!(error.pointer, "#/paths/~1a~1{id}/get");
    }
}
