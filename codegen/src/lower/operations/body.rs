//! The request body and the payloads of responses: the media type picked (JSON, form,
//! multipart, text or raw bytes) and its schema lowered.

use indexmap::IndexMap;
use openapiv3::MediaType;

use super::{Choice, OperationLowering, Skip, resolve};
use crate::error::Result;
use crate::ir::{Body, Payload, TypeRef};
use crate::pointer::Pointer;

impl OperationLowering<'_, '_, '_> {
    /// The request body; one of only unsupported media types skips the operation when it is
    /// required and is left out with a warning otherwise.
    pub(super) fn lower_body(
        &mut self,
        op: &openapiv3::Operation,
        type_hint: &str,
    ) -> Result<std::result::Result<Option<Body>, Skip>> {
        let Some(body) = &op.request_body else {
            return Ok(Ok(None));
        };
        let here = self.at.join("requestBody");
        let body = resolve(
            body,
            &here,
            "requestBodies",
            |c| &c.request_bodies,
            self.doc,
        )?;
        Ok(
            match self.payload(&body.content, &format!("{type_hint}Body"), &here, true)? {
                Choice::Chosen(payload, content_type) => Ok(Some(Body {
                    payload,
                    required: body.required,
                    content_type,
                    description: body.description.clone(),
                })),
                Choice::Empty => Ok(None),
                Choice::Unsupported(types) if body.required => Err(Skip(format!(
                    "request body media type(s) {types:?} are not supported (JSON, form-urlencoded, multipart, text/plain and raw bytes are)"
                ))),
                Choice::Unsupported(types) => {
                    self.warn(&here, format!("optional request body of media type(s) {types:?} is not supported; the operation is generated without a body"));
                    Ok(None)
                }
            },
        )
    }

    /// Picks the media type of a body and lowers its schema: JSON first, then a form, bytes or
    /// text. `None` when there is no content; a warning when only unsupported types are offered.
    pub(super) fn payload(
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
