//! Operation lowering: paths and methods to [`Operation`]s with parameters, body and responses.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Response as RawResponse,
    SecurityScheme, StatusCode,
};

use crate::error::{Error, Result, Warning};
use crate::ir::{
    self, Body, Docs, Method, NamedResponse, Operation, Param, ParamLocation, PathPart, Payload,
    QueryStyle, Response, StatusSpec, TypeRef,
};
use crate::lower::types::{Lowered, TypeSpace, docs_of};
use crate::names::{self, Namespace};
use crate::pointer::{Chain, Hop, Pointer, follow_chain};

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

/// Security schemes satisfied by `Authorization: Bearer <token>`: OAuth2, OpenID Connect and
/// HTTP bearer. Operations requiring one of them are sent with the client's token.
fn bearer_schemes(doc: &OpenAPI) -> BTreeSet<String> {
    doc.components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter(|(_, scheme)| match scheme {
            ReferenceOr::Item(SecurityScheme::OAuth2 { .. })
            | ReferenceOr::Item(SecurityScheme::OpenIDConnect { .. }) => true,
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
                scheme.eq_ignore_ascii_case("bearer")
            }
            _ => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// One warning per security scheme the client cannot satisfy (API keys, HTTP basic, ...).
fn unsupported_security_schemes(doc: &OpenAPI) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let bearer = bearer_schemes(doc);
    for (name, _) in doc
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
    {
        if !bearer.contains(name) {
            warnings.push(Warning {
                pointer: Pointer::root()
                    .join("components")
                    .join("securitySchemes")
                    .join(name)
                    .to_string(),
                message: "only bearer-token schemes (OAuth2, OpenID Connect, HTTP bearer) are supported; the client does not send the credentials of this scheme".to_string(),
            });
        }
    }
    warnings
}

/// The token URL of the first OAuth2 client-credentials scheme.
pub(crate) fn client_credentials_token_url(doc: &OpenAPI) -> Option<String> {
    let schemes = doc
        .components
        .iter()
        .flat_map(|c| c.security_schemes.values());
    for scheme in schemes {
        if let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) = scheme
            && let Some(flow) = &flows.client_credentials
        {
            return Some(flow.token_url.clone());
        }
    }
    None
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
        let at = self.at.clone();
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| derived_operation_id(method, path));
        let type_hint = names::camel(&operation_id, "Operation");

        // Parameters: the operation's own override the path item's by (name, location).
        let mut raw_params: Vec<(Pointer, &Parameter)> = Vec::new();
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
        for (here, param) in own.chain(shared) {
            let param = resolve(param, &here, "parameters", |c| &c.parameters, self.doc)?;
            let data = param.parameter_data_ref();
            let key = (data.name.clone(), parameter_in(param));
            if seen.insert(key) {
                raw_params.push((here, param));
            }
        }

        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        param_names.reserve("body");
        param_names.reserve("self");
        for (here, param) in raw_params {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    if data.required {
                        return Ok(Err(Skip(format!(
                            "required cookie parameter {:?} is not supported",
                            data.name
                        ))));
                    }
                    self.warn(
                        &here,
                        "cookie parameters are not supported; the parameter is skipped",
                    );
                    continue;
                }
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => schema,
                ParameterSchemaOrContent::Content(_) => {
                    if data.required {
                        return Ok(Err(Skip(format!(
                            "required parameter {:?} uses `content` instead of `schema`, which is not supported",
                            data.name
                        ))));
                    }
                    self.warn(
                        &here,
                        "parameters with `content` are not supported; the parameter is skipped",
                    );
                    continue;
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
            if !is_scalar(&lowered.ty, self.space) {
                let allowed = location == ParamLocation::Query
                    && match &lowered.ty {
                        TypeRef::Vec(item) => is_scalar(item, self.space),
                        _ => is_object,
                    };
                if !allowed {
                    if data.required {
                        return Ok(Err(Skip(format!(
                            "parameter {:?} has a non-scalar schema, which is not supported in the {}",
                            data.name,
                            parameter_in(param)
                        ))));
                    }
                    self.warn(
                        &here,
                        "non-scalar parameter schemas are not supported; the parameter is skipped",
                    );
                    continue;
                }
            }
            let mut docs = match schema {
                ReferenceOr::Item(s) => docs_of(s),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            if data.description.is_some() {
                docs.description = data.description.clone();
            }
            params.push(Param {
                json_name: data.name.clone(),
                rust_name: param_names.claim(names::snake(&data.name, "param")),
                location,
                style,
                required: data.required || location == ParamLocation::Path,
                ty: lowered.ty,
                constraints: lowered.constraints,
                docs,
            });
        }

        // Path parameters first, in the order the template names them; then the rest.
        let template_order: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => (0, template_order.iter().position(|n| *n == p.json_name)),
            _ => (1, None),
        });
        let path_parts = match self.parse_template(path, &params) {
            Ok(parts) => parts,
            // Errors at the operation (not the path's own syntax) skip it when lenient.
            Err(error) if self.lenient && error.pointer == at.to_string() => {
                return Ok(Err(Skip(format!(
                    "{} (--strict refuses the document)",
                    error.message
                ))));
            }
            Err(error) => return Err(error),
        };

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let here = at.join("requestBody");
                let body = resolve(
                    body,
                    &here,
                    "requestBodies",
                    |c| &c.request_bodies,
                    self.doc,
                )?;
                match self.payload(&body.content, &format!("{type_hint}Body"), &here, true)? {
                    Choice::Chosen(payload, content_type) => Some(Body {
                        payload,
                        required: body.required,
                        content_type,
                        description: body.description.clone(),
                    }),
                    Choice::Empty => None,
                    Choice::Unsupported(types) => {
                        if body.required {
                            return Ok(Err(Skip(format!(
                                "request body media type(s) {types:?} are not supported (JSON, form-urlencoded, multipart, text/plain and raw bytes are)"
                            ))));
                        }
                        self.warn(&here, format!("optional request body of media type(s) {types:?} is not supported; the operation is generated without a body"));
                        None
                    }
                }
            }
        };

        let (successes, errors) = self.lower_responses(op, &type_hint)?;
        let first_body = successes.first().map(|s| &s.response.body);
        let success_enum = successes
            .iter()
            .any(|s| Some(&s.response.body) != first_body)
            .then(|| format!("{type_hint}Success"));
        let security = op.security.as_ref().or(self.doc.security.as_ref());
        let authenticated = security.is_some_and(|requirements| {
            requirements.iter().any(|r| {
                r.keys()
                    .any(|scheme| bearer_schemes(self.doc).contains(scheme))
            })
        });
        if !op.callbacks.is_empty() {
            let here = at.join("callbacks");
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

    /// Splits `/a/{b}/c` into parts; every `{name}` must be a declared path parameter and vice versa.
    fn parse_template(&mut self, path: &str, params: &[Param]) -> Result<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = BTreeSet::new();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(Error::new(
                    &Pointer::root().join("paths").join(path),
                    "unclosed `{` in the path template",
                ));
            };
            let name = &after[..close];
            let index = params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.json_name == name)
                .ok_or_else(|| {
                    Error::new(
                        &self.at,
                        format!("the path template names `{{{name}}}` but the operation declares no path parameter {name:?}"),
                    )
                })?;
            used.insert(index);
            parts.push(PathPart::Param(index));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        for (index, param) in params.iter().enumerate() {
            if param.location == ParamLocation::Path && !used.contains(&index) {
                return Err(Error::new(
                    &self.at,
                    format!(
                        "path parameter {:?} is declared but the path template {path:?} has no `{{{}}}`",
                        param.json_name, param.json_name
                    ),
                ));
            }
        }
        Ok(parts)
    }

    fn lower_responses(
        &mut self,
        op: &openapiv3::Operation,
        type_hint: &str,
    ) -> Result<(Vec<NamedResponse>, Vec<NamedResponse>)> {
        let responses_at = self.at.join("responses");
        let mut entries: Vec<(StatusSpec, Pointer, &ReferenceOr<RawResponse>)> = op
            .responses
            .responses
            .iter()
            .map(|(code, response)| {
                let spec = match code {
                    StatusCode::Code(n) => StatusSpec::Code(*n),
                    StatusCode::Range(n) => StatusSpec::Range(*n),
                };
                (spec, responses_at.join(code), response)
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push((StatusSpec::Default, responses_at.join("default"), default));
        }
        entries.sort_by_key(|(spec, _, _)| *spec);

        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut success_variants = Namespace::default();
        let mut error_variants = Namespace::default();
        for (status, here, response) in entries {
            let response = resolve(response, &here, "responses", |c| &c.responses, self.doc)?;
            let is_success = match status {
                StatusSpec::Code(n) => (200..300).contains(&n),
                StatusSpec::Range(n) => n == 2,
                StatusSpec::Default => false,
            };
            let variant = variant_name(status);
            let hint = if is_success {
                format!("{type_hint}Response")
            } else {
                format!("{type_hint}{variant}")
            };
            let body = match self.payload(&response.content, &hint, &here, false)? {
                Choice::Chosen(payload, _) => Some(payload),
                Choice::Empty | Choice::Unsupported(_) => None,
            };
            let lowered = Response {
                status,
                description: response.description.clone(),
                body,
            };
            let (list, names) = if is_success {
                (&mut successes, &mut success_variants)
            } else {
                (&mut errors, &mut error_variants)
            };
            list.push(NamedResponse {
                response: lowered,
                variant: names.claim(variant),
            });
        }
        if successes.is_empty() {
            successes.push(NamedResponse {
                response: Response {
                    status: StatusSpec::Range(2),
                    description: "Success (no success response is documented).".to_string(),
                    body: None,
                },
                variant: "Success".to_string(),
            });
        }
        Ok((successes, errors))
    }

    /// Picks the media type of a body and lowers its schema: JSON first, then a form, bytes or
    /// text. `None` when there is no content; a warning when only unsupported types are offered.
    fn payload(
        &mut self,
        content: &IndexMap<String, MediaType>,
        hint: &str,
        here: &Pointer,
        request: bool,
    ) -> Result<Choice> {
        if content.is_empty() {
            return Ok(Choice::Empty);
        }
        if let Some((content_type, media)) = json_media(content) {
            let ty = match &media.schema {
                Some(schema) => {
                    let at = here.join("content").join(content_type).join("schema");
                    let lowered = self.space.lower(schema, hint, &at)?;
                    if request {
                        self.space.warn_unenforced(&lowered, &at);
                    }
                    lowered.ty
                }
                None => TypeRef::Json,
            };
            return Ok(Choice::Chosen(Payload::Json(ty), content_type.to_string()));
        }
        if request
            && let Some((content_type, media)) = content
                .iter()
                .find(|(ct, _)| essence(ct) == "application/x-www-form-urlencoded")
            && let Some(schema) = &media.schema
        {
            let at = here.join("content").join(content_type).join("schema");
            let ty = self.space.lower(schema, hint, &at)?.ty;
            if matches!(ty, TypeRef::Named(_) | TypeRef::Map(_)) {
                return Ok(Choice::Chosen(Payload::Form(ty), content_type.clone()));
            }
        }
        if request
            && let Some((content_type, media)) = content
                .iter()
                .find(|(ct, _)| essence(ct) == "multipart/form-data")
            && let Some(schema) = &media.schema
        {
            let at = here.join("content").join(content_type).join("schema");
            let ty = self.space.lower(schema, hint, &at)?.ty;
            if matches!(ty, TypeRef::Named(id) if self.space.is_struct(id)) {
                return Ok(Choice::Chosen(Payload::Multipart(ty), content_type.clone()));
            }
        }
        if let Some((content_type, _)) = content.iter().find(|(ct, _)| essence(ct) == "text/plain")
        {
            return Ok(Choice::Chosen(Payload::Text, content_type.clone()));
        }
        let is_raw = |ct: &str| {
            let ct = essence(ct);
            !(ct.starts_with("multipart/")
                || ct == "application/x-www-form-urlencoded"
                || ct.contains("xml")
                || ct.starts_with("text/"))
        };
        if let Some((content_type, media)) = content.iter().find(|(ct, _)| is_raw(ct)) {
            self.warn_unused_schema(media, content_type, here, request);
            return Ok(Choice::Chosen(Payload::Bytes, content_type.clone()));
        }
        let types: Vec<String> = content.keys().cloned().collect();
        if request {
            return Ok(Choice::Unsupported(types));
        }
        self.warn(
            here,
            format!("response media type(s) {types:?} are not decoded; the body is returned as raw bytes"),
        );
        Ok(Choice::Chosen(
            Payload::Bytes,
            types.into_iter().next().unwrap_or_default(),
        ))
    }

    /// A body taken as raw bytes whose media type has a schema that describes more than bytes
    /// (not `type: string`): the schema is not used, which the user should hear about.
    fn warn_unused_schema(
        &mut self,
        media: &MediaType,
        content_type: &str,
        here: &Pointer,
        request: bool,
    ) {
        let Some(schema) = &media.schema else { return };
        let at = here.join("content").join(content_type).join("schema");
        let is_bytes = match self.space.deref(schema, &at) {
            Ok(s) => matches!(
                s.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
            ),
            Err(_) => false,
        };
        if !is_bytes {
            let direction = if request { "sent" } else { "returned" };
            self.warn(
                &at,
                format!("{content_type:?} is not a media type the generator encodes; the body is {direction} as raw bytes (bytes::Bytes) and this schema is not used"),
            );
        }
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

/// A media type's essence: without parameters (`; charset=utf-8`), trimmed, lower-case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or(media_type)
        .trim()
        .to_ascii_lowercase()
}

/// Picks the JSON media type: `application/json`, then any `+json` or `text/json` type.
fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let is_json = |ct: &str| {
        let ct = essence(ct);
        ct == "application/json" || ct == "text/json" || ct.ends_with("+json") || ct == "*/*"
    };
    content
        .iter()
        .find(|(ct, _)| ct.as_str() == "application/json")
        .or_else(|| content.iter().find(|(ct, _)| is_json(ct)))
        .map(|(ct, media)| (ct.as_str(), media))
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

/// `404` → `NotFound`, `4XX` → `ClientError`, `default` → `Default`.
fn variant_name(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => match reason_phrase(code) {
            Some(reason) => names::camel(reason, "Status"),
            None => format!("Status{code}"),
        },
        StatusSpec::Range(2) => "Success".to_string(),
        StatusSpec::Range(4) => "ClientError".to_string(),
        StatusSpec::Range(5) => "ServerError".to_string(),
        StatusSpec::Range(n) => format!("Status{n}xx"),
        StatusSpec::Default => "Default".to_string(),
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Entity",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
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

    #[test]
    fn names_error_variants_by_reason() {
        assert_eq!(variant_name(StatusSpec::Code(400)), "BadRequest");
        assert_eq!(variant_name(StatusSpec::Code(500)), "InternalServerError");
        assert_eq!(variant_name(StatusSpec::Code(499)), "Status499");
        assert_eq!(variant_name(StatusSpec::Range(4)), "ClientError");
        assert_eq!(variant_name(StatusSpec::Default), "Default");
    }
}
