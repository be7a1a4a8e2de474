//! Compares two surface files item by item (by key) and classifies each change for integrators.
//!
//! Breaking: code written against the old crate may no longer compile or behave the same
//! (an item removed, a type changed, a field that became required, read-only or write-only, a
//! parameter added or removed — parameters are positional —, a success variant added or
//! removed, an enum value or error variant removed, a constructor that takes other arguments).
//! Compatible: other additions, a new route for the same method, deprecations. Struct literals and exhaustive matches without a wildcard arm are
//! outside that promise: structs are built with `new` and `with_*`, enums matched with `_`.

use std::collections::BTreeSet;
use std::fmt;

use indexmap::IndexMap;

use super::{
    ALIAS, COLUMN_SEPARATOR, FENCE_CLOSE, FENCE_OPEN, FIELD, FN, STRUCT, TYPE_KINDS, VALUE, VARIANT,
};

/// One change between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item's key, e.g. `fn get_customer` or `field Customer.name`.
    pub item: String,
    /// What changed, e.g. `added`, `removed`, `type i64 (was i32)`.
    pub what: String,
    /// Whether code written against the old surface may break.
    pub breaking: bool,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        write!(f, "{class:<10} {}: {}", self.item, self.what)
    }
}

/// The changes from the surface file `old` to `new`: breaking ones first, each group in the
/// order of the new file, removed items last. Children of an added or removed type (its fields,
/// values, variants) are not listed again.
pub fn changes(old: &str, new: &str) -> Vec<Change> {
    let old = Surface::parse(old);
    let new = Surface::parse(new);
    let mut out = Vec::new();
    for (key, item) in &new.items {
        match old.items.get(key) {
            None if old.has_type(item.parent()) => out.push(added(item, &new)),
            None => {}
            Some(before) if before.line != item.line => compare(before, item, &old, &new, &mut out),
            Some(_) => {}
        }
    }
    for (key, item) in &old.items {
        if !new.items.contains_key(key) && new.has_type(item.parent()) {
            out.push(change(item.key, "removed", true));
        }
    }
    out.sort_by_key(|c| !c.breaking);
    out
}

/// The item lines of a surface file, by key.
struct Surface<'a> {
    items: IndexMap<&'a str, Item<'a>>,
    types: BTreeSet<&'a str>,
}

impl<'a> Surface<'a> {
    fn parse(text: &'a str) -> Self {
        let mut items = IndexMap::new();
        let mut inside = false;
        for line in text.lines() {
            let trimmed = line.trim_end();
            if !inside {
                inside = trimmed == FENCE_OPEN;
            } else if trimmed == FENCE_CLOSE {
                inside = false;
            } else if !trimmed.is_empty() {
                let item = Item::parse(trimmed);
                items.entry(item.key).or_insert(item);
            }
        }
        let types = items
            .values()
            .filter(|item| TYPE_KINDS.contains(&item.kind))
            .map(|item| item.name)
            .collect();
        Self { items, types }
    }

    /// Whether `field` is an argument of its struct's `new()` in this surface.
    fn is_constructor_arg(&self, field: &Item<'_>) -> bool {
        let Some((owner, name)) = field.name.split_once('.').filter(|_| field.kind == FIELD) else {
            return false;
        };
        self.items
            .get(format!("{STRUCT} {owner}").as_str())
            .is_some_and(|owner| constructor_args(owner).contains(&name))
    }

    /// Whether the type `name` is in this surface; `None` (a top-level item) counts as present.
    fn has_type(&self, name: Option<&str>) -> bool {
        name.is_none_or(|name| self.types.contains(name))
    }
}

/// One line: `kind name<signature> | column | column`.
struct Item<'a> {
    line: &'a str,
    /// `kind name`.
    key: &'a str,
    kind: &'a str,
    name: &'a str,
    /// The rest of the first column after the name (`(a: i64) -> T`, `: String`, `= "sv"`).
    signature: &'a str,
    columns: Vec<&'a str>,
}

impl<'a> Item<'a> {
    fn parse(line: &'a str) -> Self {
        let mut columns = split_columns(line);
        let head = if columns.is_empty() {
            line
        } else {
            columns.remove(0)
        };
        let (kind, rest) = head.split_once(' ').unwrap_or((head, ""));
        // A name holds `.` and `::`; it ends at `(`, `: `, ` ` or `=`.
        let name_end = rest
            .char_indices()
            .find(|&(i, c)| matches!(c, '(' | ' ' | '=') || rest[i..].starts_with(": "))
            .map_or(rest.len(), |(i, _)| i);
        let name = &rest[..name_end];
        let key_end = (kind.len() + 1 + name_end).min(head.len());
        Self {
            line,
            key: &head[..key_end],
            kind,
            name,
            signature: rest[name_end..].trim(),
            columns,
        }
    }

    /// The type a field, value or variant belongs to (`Customer` of `Customer.name`).
    fn parent(&self) -> Option<&'a str> {
        match self.kind {
            FIELD => self.name.split_once('.').map(|(parent, _)| parent),
            VALUE | VARIANT => self.name.split_once("::").map(|(parent, _)| parent),
            _ => None,
        }
    }

    /// The column starting with `label: `, or the bare column `label`.
    fn column(&self, label: &str) -> Option<&'a str> {
        self.columns.iter().find_map(|c| {
            if *c == label {
                Some("")
            } else {
                c.strip_prefix(label)?.strip_prefix(": ")
            }
        })
    }
}

fn change(item: &str, what: impl Into<String>, breaking: bool) -> Change {
    Change {
        item: item.to_string(),
        what: what.into(),
        breaking,
    }
}

fn added(item: &Item<'_>, new: &Surface<'_>) -> Change {
    if new.is_constructor_arg(item) {
        change(item.key, "added, a new() argument", true)
    } else {
        change(item.key, "added", false)
    }
}

fn compare(
    old: &Item<'_>,
    new: &Item<'_>,
    old_surface: &Surface<'_>,
    new_surface: &Surface<'_>,
    out: &mut Vec<Change>,
) {
    let key = new.key;
    match new.kind {
        FN => compare_operation(old, new, out),
        FIELD => out.extend(compare_field(old, new, old_surface, new_surface)),
        STRUCT => {
            // Arguments added or removed are named on their fields' lines. Two or more are
            // passed by name (an argument struct), so their order never matters; a change
            // between positional and named arguments breaks every call.
            if constructor_args_struct(old) != constructor_args_struct(new) {
                out.push(change(
                    key,
                    format!("new() is now {} (was {})", describe(new), describe(old)),
                    true,
                ));
            }
        }
        ALIAS => out.push(change(
            key,
            format!(
                "target {} (was {})",
                bare(new.signature),
                bare(old.signature)
            ),
            true,
        )),
        VALUE => out.push(change(
            key,
            format!(
                "wire value {} (was {})",
                bare(new.signature),
                bare(old.signature)
            ),
            true,
        )),
        _ => out.push(change(
            key,
            format!("{} (was {})", describe(new), describe(old)),
            true,
        )),
    }
}

/// One line for a changed field: its type, its presence and whether `new()` takes it.
fn compare_field(
    old: &Item<'_>,
    new: &Item<'_>,
    old_surface: &Surface<'_>,
    new_surface: &Surface<'_>,
) -> Option<Change> {
    let mut parts = Vec::new();
    let mut breaking = false;
    if old.signature != new.signature {
        parts.push(format!(
            "type {} (was {})",
            bare(new.signature),
            bare(old.signature)
        ));
        breaking = true;
    }
    let (before, after) = (presence(old), presence(new));
    if before != after {
        parts.push(format!("{after} (was {before})"));
        breaking |= ["required", "read-only", "write-only"]
            .iter()
            .any(|word| has_word(after, word) && !has_word(before, word));
    }
    match (
        old_surface.is_constructor_arg(old),
        new_surface.is_constructor_arg(new),
    ) {
        (false, true) => parts.push("now a new() argument".to_string()),
        (true, false) => parts.push("no longer a new() argument".to_string()),
        _ => {}
    }
    breaking |= old_surface.is_constructor_arg(old) != new_surface.is_constructor_arg(new);
    (!parts.is_empty()).then(|| change(new.key, parts.join("; "), breaking))
}

/// A field's presence column (`required`, `optional, deprecated`, ...).
fn presence<'a>(item: &Item<'a>) -> &'a str {
    item.columns.first().copied().unwrap_or_default()
}

/// The argument names of a struct line's `new(a, b)` column.
/// The arguments of `new(a, b)` or `new(ArgsStruct { a, b })`.
fn constructor_args<'a>(item: &Item<'a>) -> Vec<&'a str> {
    let Some(inside) = constructor_inside(item) else {
        return Vec::new();
    };
    let named = inside
        .split_once(" { ")
        .and_then(|(_, rest)| rest.strip_suffix(" }"));
    split_top_level(named.unwrap_or(inside))
}

/// The name of the struct `new()` takes its arguments in, if it takes them by name.
fn constructor_args_struct<'a>(item: &Item<'a>) -> Option<&'a str> {
    constructor_inside(item)?
        .split_once(" { ")
        .map(|(name, _)| name)
}

fn constructor_inside<'a>(item: &Item<'a>) -> Option<&'a str> {
    item.columns
        .first()
        .and_then(|c| c.strip_prefix("new(")?.strip_suffix(')'))
}

fn compare_operation(old: &Item<'_>, new: &Item<'_>, out: &mut Vec<Change>) {
    let key = new.key;
    if old.signature != new.signature {
        match (
            Signature::parse(old.signature),
            Signature::parse(new.signature),
        ) {
            (Some(before), Some(after)) => compare_signatures(key, &before, &after, out),
            _ => out.push(change(
                key,
                format!("signature {} (was {})", new.signature, old.signature),
                true,
            )),
        }
    }
    let (route_before, route_after) = (old.columns.first(), new.columns.first());
    if route_before != route_after {
        out.push(change(
            key,
            format!(
                "route {} (was {})",
                route_after.copied().unwrap_or_default(),
                route_before.copied().unwrap_or_default()
            ),
            false,
        ));
    }
    let before = variants(old.column("ok").unwrap_or_default());
    let after = variants(new.column("ok").unwrap_or_default());
    // A success enum is matched to get the value, so a new variant breaks callers too.
    compare_named(key, "success variant", &before, &after, true, out);
    let (before_enum, before) = error_enum(old.column("errors").unwrap_or_default());
    let (after_enum, after) = error_enum(new.column("errors").unwrap_or_default());
    if before_enum != after_enum {
        out.push(change(
            key,
            format!("error type {after_enum} (was {before_enum})"),
            true,
        ));
    }
    compare_named(
        key,
        "error variant",
        &variants(before),
        &variants(after),
        false,
        out,
    );
    match (
        old.column("deprecated").is_some(),
        new.column("deprecated").is_some(),
    ) {
        (false, true) => out.push(change(key, "deprecated", false)),
        (true, false) => out.push(change(key, "no longer deprecated", false)),
        _ => {}
    }
}

/// `(a: T, b: U) -> R`, split.
struct Signature<'a> {
    params: Vec<(&'a str, &'a str)>,
    returns: &'a str,
}

impl<'a> Signature<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let (params, returns) = text.strip_prefix('(')?.split_once(") -> ")?;
        let params = split_top_level(params)
            .into_iter()
            .map(|p| p.split_once(": ").unwrap_or((p, "")))
            .collect();
        Some(Self { params, returns })
    }
}

fn compare_signatures(key: &str, old: &Signature<'_>, new: &Signature<'_>, out: &mut Vec<Change>) {
    let before = out.len();
    compare_named(key, "parameter", &old.params, &new.params, true, out);
    let same_set = out.len() == before;
    let names = |s: &Signature<'_>| {
        s.params
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
    };
    if same_set && names(old) != names(new) {
        out.push(change(
            key,
            format!(
                "parameters reordered: ({}) (was ({}))",
                names(new).join(", "),
                names(old).join(", ")
            ),
            true,
        ));
    }
    if old.returns != new.returns {
        out.push(change(
            key,
            format!("returns {} (was {})", new.returns, old.returns),
            true,
        ));
    }
}

/// Compares lists of `(name, type)` by name: removed and changed entries are breaking, added
/// ones are breaking only when `added_breaks` (parameters, which are positional, and success
/// variants).
fn compare_named(
    key: &str,
    what: &str,
    old: &[(&str, &str)],
    new: &[(&str, &str)],
    added_breaks: bool,
    out: &mut Vec<Change>,
) {
    let find = |list: &[(&str, &str)], name: &str| {
        list.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.to_string())
    };
    for (name, ty) in new {
        match find(old, name) {
            None => out.push(change(
                key,
                format!("{what} {} added", typed(name, ty)),
                added_breaks,
            )),
            Some(before) if before != *ty => out.push(change(
                key,
                format!("{what} {} (was {})", typed(name, ty), typed(name, &before)),
                true,
            )),
            Some(_) => {}
        }
    }
    for (name, ty) in old {
        if find(new, name).is_none() {
            out.push(change(
                key,
                format!("{what} {} removed", typed(name, ty)),
                true,
            ));
        }
    }
}

/// `name: T` for parameters, `Name(T)` for variants, `name` when untyped.
fn typed(name: &str, ty: &str) -> String {
    if ty.is_empty() {
        name.to_string()
    } else if ty.starts_with('(') {
        format!("{name}{ty}")
    } else {
        format!("{name}: {ty}")
    }
}

/// `OpError::{A(T), B}` as `("OpError", "A(T), B")`.
fn error_enum(column: &str) -> (&str, &str) {
    match column.split_once("::{") {
        Some((name, list)) => (name, list.strip_suffix('}').unwrap_or(list)),
        None => ("", column),
    }
}

/// `A(T), B` as `[("A", "(T)"), ("B", "")]`.
fn variants(list: &str) -> Vec<(&str, &str)> {
    split_top_level(list)
        .into_iter()
        .map(|v| v.find('(').map_or((v, ""), |open| (&v[..open], &v[open..])))
        .collect()
}

/// Splits on `, ` outside of `()`, `<>` and `[]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(text[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || !parts.is_empty() {
        parts.push(last);
    }
    parts
}

/// Splits a line on ` | ` outside of double-quoted strings (which escape with `\`).
fn split_columns(line: &str) -> Vec<&str> {
    let mut columns = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' if !quoted && line[index..].starts_with(COLUMN_SEPARATOR) && index >= start => {
                columns.push(&line[start..index]);
                start = index + COLUMN_SEPARATOR.len();
            }
            _ => {}
        }
    }
    columns.push(&line[start..]);
    columns
}

/// Whether a comma-separated list of words holds `word`.
fn has_word(list: &str, word: &str) -> bool {
    list.split(',').any(|w| w.trim() == word)
}

/// A field's `: T` or a value's `= "v"` signature as `T` or `"v"`.
fn bare(signature: &str) -> &str {
    signature.trim_start_matches([':', '=']).trim()
}

/// Everything after the key: the signature and the columns.
fn describe(item: &Item<'_>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !item.signature.is_empty() {
        parts.push(item.signature);
    }
    parts.extend(&item.columns);
    parts.join(COLUMN_SEPARATOR)
}
