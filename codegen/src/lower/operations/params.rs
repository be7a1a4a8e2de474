//! The parameters of an operation: path-item and operation level merged, each lowered to a
//! [`Param`] the method can send, or left out with a warning.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::{OperationLowering, Skip, resolve};
use crate::error::Result;
use crate::ir::{self, Docs, Param, ParamLocation, QueryStyle, TypeRef};
use crate::lower::types::{Lowered, TypeSpace, docs_of};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

impl<'d> OperationLowering<'d, '_, '_> {
    /// A parameter's lowered schema as the method takes it: `format: binary` is text here (it
    /// is a file only in multipart bodies); a `$ref` to an alias of a scalar keeps the alias and
    /// brings its constraints along; an alias of an array or map is replaced by what it names,
    /// so it is written like an inline one.
    fn param_value(&self, mut lowered: Lowered) -> Lowered {
        if let Some(constraints) = self.space.alias_constraints(&lowered.ty) {
            lowered.constraints = constraints.clone();
        }
        let target = ir::alias_target(&lowered.ty, &|id| self.space.kind(id)).clone();
        if matches!(target, TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Binary) {
            lowered.ty = target;
        }
        let text = |ty: TypeRef| match ty {
            TypeRef::Binary => TypeRef::String,
            other => other,
        };
        lowered.ty = match lowered.ty {
            TypeRef::Vec(item) => TypeRef::Vec(Box::new(text(*item))),
            other => text(other),
        };
        lowered
    }

    /// The operation's parameters with the path item's: the operation's own override the path
    /// item's by (name, location).
    pub(super) fn merged_params<'o>(
        &self,
        op: &'o openapiv3::Operation,
        shared_params: &'o [ReferenceOr<Parameter>],
    ) -> Result<Vec<(Pointer, &'o Parameter)>>
    where
        'd: 'o,
    {
        let at = &self.at;
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (at.join("parameters").join(i), p));
        let shared_at = at.parent();
        let shared = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| (shared_at.join("parameters").join(i), p));
        let mut seen = BTreeSet::new();
        let mut raw_params = Vec::new();
        for (here, param) in own.chain(shared) {
            let param = resolve(param, &here, "parameters", |c| &c.parameters, self.doc)?;
            let data = param.parameter_data_ref();
            let key = (data.name.clone(), parameter_in(param));
            if seen.insert(key) {
                raw_params.push((here, param));
            }
        }
        Ok(raw_params)
    }

    /// Lowers each parameter; one that cannot be sent is skipped with a warning, or skips the
    /// operation when it is required.
    pub(super) fn lower_params(
        &mut self,
        raw_params: Vec<(Pointer, &Parameter)>,
        type_hint: &str,
    ) -> Result<std::result::Result<Vec<Param>, Skip>> {
        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        param_names.reserve("body");
        param_names.reserve("self");
        for (here, param) in raw_params {
            match self.lower_param(&here, param, type_hint)? {
                Ok(Some(mut lowered)) => {
                    lowered.rust_name =
                        param_names.claim(names::snake(&lowered.json_name, "param"));
                    params.push(lowered);
                }
                Ok(None) => {}
                Err(skip) => return Ok(Err(skip)),
            }
        }
        Ok(Ok(params))
    }

    /// One parameter (its `rust_name` left for [`Self::lower_params`] to claim); `Ok(None)`
    /// when it is left out with a warning.
    fn lower_param(
        &mut self,
        here: &Pointer,
        param: &Parameter,
        type_hint: &str,
    ) -> Result<std::result::Result<Option<Param>, Skip>> {
        let data = param.parameter_data_ref();
        let skip_or_warn = |this: &mut Self, skip: String, warning: &str| {
            if data.required {
                Err(Skip(skip))
            } else {
                this.warn(here, warning);
                Ok(None)
            }
        };
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => {
                return Ok(skip_or_warn(
                    self,
                    format!("required cookie parameter {:?} is not supported", data.name),
                    "cookie parameters are not supported; the parameter is skipped",
                ));
            }
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                return Ok(skip_or_warn(
                    self,
                    format!(
                        "required parameter {:?} uses `content` instead of `schema`, which is not supported",
                        data.name
                    ),
                    "parameters with `content` are not supported; the parameter is skipped",
                ));
            }
        };
        let hint = format!("{type_hint}{}", names::camel(&data.name, "Param"));
        let lowered = self.space.lower(schema, &hint, &here.join("schema"))?;
        let lowered = self.param_value(lowered);
        let is_object = match &lowered.ty {
            TypeRef::Map(_) => true,
            TypeRef::Named(id) => self.space.is_struct(*id),
            _ => false,
        };
        let style = query_style(param, &lowered.ty, is_object);
        if !self.can_send(location, &lowered.ty, is_object) {
            return Ok(skip_or_warn(
                self,
                format!(
                    "parameter {:?} has a non-scalar schema, which is not supported in the {}",
                    data.name,
                    parameter_in(param)
                ),
                "non-scalar parameter schemas are not supported; the parameter is skipped",
            ));
        }
        let mut docs = match schema {
            ReferenceOr::Item(s) => docs_of(s),
            ReferenceOr::Reference { .. } => Docs::default(),
        };
        if data.description.is_some() {
            docs.description = data.description.clone();
        }
        Ok(Ok(Some(Param {
            json_name: data.name.clone(),
            rust_name: String::new(),
            location,
            style,
            required: data.required || location == ParamLocation::Path,
            ty: lowered.ty,
            constraints: lowered.constraints,
            docs,
        })))
    }

    /// Whether a parameter of type `ty` can be written at `location`: a scalar anywhere, an
    /// array of scalars or an object in the query.
    fn can_send(&self, location: ParamLocation, ty: &TypeRef, is_object: bool) -> bool {
        is_scalar(ty, self.space)
            || (location == ParamLocation::Query
                && match ty {
                    TypeRef::Vec(item) => is_scalar(item, self.space),
                    _ => is_object,
                })
    }
}

/// Path parameters first, in the order the template names them; then the rest.
pub(super) fn order_params(path: &str, params: &mut [Param]) {
    let template_order: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .collect();
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, template_order.iter().position(|n| *n == p.json_name)),
        _ => (1, None),
    });
}

/// The query style of a parameter, from its `style`, `explode` and type. Objects are always
/// written exploded (`member=value`), also where `explode: false` asks for `name=m1,v1,m2,v2`.
fn query_style(param: &Parameter, ty: &TypeRef, is_object: bool) -> QueryStyle {
    let Parameter::Query {
        parameter_data,
        style,
        ..
    } = param
    else {
        return QueryStyle::Form;
    };
    let explode = parameter_data
        .explode
        .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
    match (style, ty) {
        (openapiv3::QueryStyle::DeepObject, _) => QueryStyle::Object { deep: true },
        _ if is_object => QueryStyle::Object { deep: false },
        (openapiv3::QueryStyle::SpaceDelimited, TypeRef::Vec(_)) => QueryStyle::Delimited(' '),
        (openapiv3::QueryStyle::PipeDelimited, TypeRef::Vec(_)) => QueryStyle::Delimited('|'),
        (_, TypeRef::Vec(_)) if !explode => QueryStyle::Delimited(','),
        _ => QueryStyle::Form,
    }
}

/// The parameter's `in`, cookie included (the IR's [`ParamLocation`] has no cookie: cookie
/// parameters are skipped with a warning).
fn parameter_in(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => ParamLocation::Path.as_str(),
        Parameter::Query { .. } => ParamLocation::Query.as_str(),
        Parameter::Header { .. } => ParamLocation::Header.as_str(),
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Whether a value of this type can be written as one path, query or header value.
fn is_scalar(ty: &TypeRef, space: &TypeSpace<'_>) -> bool {
    ir::is_param_scalar(ty, &|id| space.kind(id))
}
