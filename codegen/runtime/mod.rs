//! The runtime of the generated client: the [`Client`] and its builder, authentication (OAuth 2.0
//! client credentials with a shared token cache), retries, the [`Error`] type, and helpers the
//! generated operations and types use. Copied verbatim into every generated crate.

mod auth;
mod client;
mod error;
mod form;
mod model;
mod multipart;
mod problem;
mod request;
mod retry;
mod secret;

pub use client::{BuildError, BuildErrorKind, Client, ClientBuilder};
pub use error::{
    ApiError, AuthError, AuthErrorKind, Error, InvalidRequest, InvalidResponse,
    MayHaveBeenProcessed, TransportError, UnexpectedStatus,
};
pub use model::{ConstraintViolation, ParseEnumError, ToParam, Validate, check_length};
pub use multipart::FilePart;
pub use problem::FieldError;
pub use retry::RetryPolicy;
pub use secret::Secret;

// Used by generated code; which of them depends on the API description.
#[allow(unused_imports)]
pub(crate) use form::form_body;
#[allow(unused_imports)]
pub(crate) use multipart::{Multipart, MultipartForm, multipart_body};
#[allow(unused_imports)]
pub(crate) use request::{
    OperationRequest, RequestBody, encode_path_param, json_body, push_object_query,
};
