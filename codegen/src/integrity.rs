//! The IR's own consistency, checked once between lowering and emitting: every type reference
//! names a type of the arena, every path-template parameter is one of its operation's, and
//! every constraint is one its value's type can be checked against. The emitters then never
//! meet an impossible state; a lowering bug becomes an internal error instead of a request to
//! the wrong URL, a type that does not exist or a rule documented as checked that is not.

use crate::error::{Error, Result};
use crate::ir::{self, Api, Constraints, Number, Operation, PathPart, TypeKind, TypeRef};

/// Checks `api`; the error names the type or operation whose reference is dangling.
pub(crate) fn check(api: &Api) -> Result<()> {
    for def in &api.types {
        for ty in def.kind.member_types() {
            known(api, ty).map_err(|problem| internal(&def.pointer, &def.name, &problem))?;
        }
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                fits(&field.constraints, &field.ty)
                    .map_err(|problem| internal(&def.pointer, &field.json_name, &problem))?;
            }
        }
    }
    for op in &api.operations {
        check_operation(api, op)
            .map_err(|problem| internal(&op.pointer(), &op.operation_id, &problem))?;
    }
    Ok(())
}

/// `Err` when `c` has a rule a value of `ty` cannot be checked against: string rules need a
/// string, bounds and `multipleOf` a number, item counts an array (lowering drops any other,
/// with a warning).
fn fits(c: &Constraints, ty: &TypeRef) -> std::result::Result<(), String> {
    let misfit = if c.has_string_rules() && *ty != TypeRef::String {
        "string rules"
    } else if c.has_number_rules() && !ty.is_number() {
        "number rules"
    } else if !matches!(ty, TypeRef::F32 | TypeRef::F64)
        && [c.minimum, c.maximum]
            .into_iter()
            .flatten()
            .map(|bound| bound.value)
            .chain(c.multiple_of)
            .any(|number| matches!(number, Number::Float(_)))
    {
        "fractional bounds"
    } else if c.has_item_rules() && !matches!(ty, TypeRef::Vec(_)) {
        "item counts"
    } else {
        return Ok(());
    };
    Err(format!(
        "it has {misfit} its type ({ty:?}) cannot be checked against"
    ))
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
    for ty in op.mentioned_types() {
        known(api, ty)?;
    }
    for param in &op.params {
        let wire = ir::alias_target(&param.ty, &|id| api.types.get(id).map(|t| &t.kind));
        fits(&param.constraints, wire)?;
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
            needs: Default::default(),
        }
    }

    #[test]
    fn a_dangling_type_reference_is_an_internal_error() {
        let def = crate::ir::TypeDef {
            name: "Holder".into(),
            pointer: "#/components/schemas/Holder".into(),
            docs: Default::default(),
            kind: TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Named(7)))),
            facts: Default::default(),
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
