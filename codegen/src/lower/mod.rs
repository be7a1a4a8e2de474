//! Lowering: the parsed document to the [`crate::ir`] representation, checking it on the way.

mod constraints;
mod facts;
mod inheritance;
mod operations;
mod pattern;
mod types;

use openapiv3::OpenAPI;

use crate::error::{Result, Warning};
use crate::ir::Api;

pub(crate) use types::TypeSpace;

/// Lowers the whole document: all component schemas first, then every operation, then the
/// facts the emitters need about the types among each other (`facts`); `lenient`
/// skips operations whose path template and path parameters disagree instead of failing.
pub(crate) fn lower(doc: &OpenAPI, warnings: &mut Vec<Warning>, lenient: bool) -> Result<Api> {
    let mut space = TypeSpace::new(doc);
    space.register_components()?;
    let operations = operations::lower_operations(doc, &mut space, lenient)?;
    let token_url = operations::client_credentials_token_url(doc);
    let (types, type_warnings) = space.finish()?;
    warnings.extend(type_warnings);
    warnings.extend(operations.warnings);
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        types,
        operations: operations.operations,
        operations_in_document: operations.present,
        token_url,
        needs: Default::default(),
    };
    facts::record(&mut api)?;
    Ok(api)
}
