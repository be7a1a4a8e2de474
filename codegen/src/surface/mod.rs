//! The public surface of a generated crate as a diff-friendly text file (`API.md`), and the
//! comparison of two such files into changes marked breaking or compatible for integrators.
//!
//! Every item is one line whose first words are a stable key (`fn get_customer`,
//! `field Customer.name`, `value SalesOrderLanguageCode::Sv`, ...), followed by its signature
//! and ` | `-separated columns. [`changes`] matches lines by key, never by position, so
//! reordering the spec changes nothing and a changed item is named once.

mod diff;
mod render;

pub use diff::{Change, changes};
pub(crate) use render::render;

/// Path of the surface file, relative to the crate root (next to `Cargo.toml`).
pub const SURFACE_FILE: &str = "API.md";

/// Item kinds, the first word of a surface line.
const FN: &str = "fn";
const STRUCT: &str = "struct";
const FIELD: &str = "field";
const ENUM: &str = "enum";
const VALUE: &str = "value";
const UNION: &str = "union";
const VARIANT: &str = "variant";
const ALIAS: &str = "type";

/// Kinds that name a type (the parents of fields, values and variants).
const TYPE_KINDS: &[&str] = &[STRUCT, ENUM, UNION, ALIAS];

/// Separator of a line's columns.
const COLUMN_SEPARATOR: &str = " | ";
/// The fence that opens a block of item lines; only lines inside such blocks are items.
const FENCE_OPEN: &str = "```text";
const FENCE_CLOSE: &str = "```";
