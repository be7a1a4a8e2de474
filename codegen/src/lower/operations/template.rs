//! The path template of an operation: split into literal and parameter parts, checked
//! against the declared path parameters.

use std::collections::BTreeSet;

use super::{OperationLowering, Skip};
use crate::error::{Error, Result};
use crate::ir::{Param, ParamLocation, PathPart};
use crate::pointer::Pointer;

impl OperationLowering<'_, '_, '_> {
    /// The path's parts; an error at the operation (not the path's own syntax) skips it when
    /// lenient.
    pub(super) fn path_parts(
        &mut self,
        path: &str,
        params: &[Param],
    ) -> Result<std::result::Result<Vec<PathPart>, Skip>> {
        match self.parse_template(path, params) {
            Ok(parts) => Ok(Ok(parts)),
            Err(error) if self.lenient && error.pointer == self.at.to_string() => Ok(Err(Skip(
                format!("{} (--strict refuses the document)", error.message),
            ))),
            Err(error) => Err(error),
        }
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
}
