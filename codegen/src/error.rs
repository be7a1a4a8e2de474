//! Errors and warnings of the generator, each tied to a place in the document.

use std::fmt;

use crate::pointer::Pointer;

/// Why a document could not be turned into a client.
///
/// `pointer` is a JSON pointer into the document (for example
/// `#/paths/~1api~1v1~1salesorders/post/requestBody`); `message` says what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where in the document the problem is.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

impl Error {
    pub(crate) fn new(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// Something the generator left out or approximated; the output still builds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where in the document the construct is.
    pub pointer: String,
    /// What was skipped or approximated, and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
