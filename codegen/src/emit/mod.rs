//! Emit stage: the IR to formatted Rust source (via `quote` and `prettyplease`), plus crate files.

mod checks;
mod code;
pub(crate) mod crate_files;
pub(crate) mod docs;
mod mock;
pub(crate) mod mod_file;
mod operations;
mod text;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::{Error, Result};
use crate::ir::{Api, TypeRef};
use crate::pointer::Pointer;

pub(crate) use code::{Code, forget_formatted_members};
pub(crate) use mock::emit_mock;
pub(crate) use operations::{
    body_arg_type, code_text, emit_operations, param_shape, payload_type, returned_type,
};
pub(crate) use text::type_text;
pub(crate) use types::{emit_types, field_type_text, held_type_text};

/// An identifier from a name made by [`crate::names`] (`r#` prefix honoured).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is written from: inside the `types` module or from a sibling module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Types,
    Sibling,
}

/// The Rust type of a [`TypeRef`].
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            // `integrity::check` has made a dangling id an internal error already.
            let name = api
                .types
                .get(*id)
                .map(|t| ident(&t.name))
                .unwrap_or_else(|| ident("UnknownType"));
            match scope {
                Scope::Types => quote!(#name),
                Scope::Sibling => quote!(types::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Binary => quote!(runtime::FilePart),
        TypeRef::Vec(item) => {
            let item = type_tokens(api, item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(api, value, scope);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
    }
}

/// Formats a token stream as a Rust file, as prettyplease lays it out; `what` names the file
/// in an internal error. The callers escape stray characters in the whole text they build
/// ([`format_item`], [`join_module`], `mod_file`), once.
fn format_tokens(tokens: TokenStream, what: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            &Pointer::root(),
            format!("internal: generated {what} is not valid Rust ({e}); please report this with the spec"),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Modules with fewer items than this are formatted on the calling thread: for the small
/// documents of everyday use, starting threads costs more than it saves.
pub(crate) const ITEMS_PER_THREAD: usize = 64;

/// Formats a module item by item, separated by blank lines: `count` items, `item(i)` building
/// the code of item `i` (tokens, or [`Code`] with pieces already laid out). Items are built and formatted on up to four threads (one per
/// [`ITEMS_PER_THREAD`] items), each taking a contiguous range, and joined in order, so the
/// output does not depend on the thread count. `prelude` holds the module's inner attributes and
/// imports, which each emitter decides from the IR (what its items refer to), never from the text.
pub(crate) fn format_module<C: Into<Code>>(
    header: &str,
    count: usize,
    item: impl Fn(usize) -> C + Sync,
    prelude: TokenStream,
    what: &str,
) -> Result<String> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get().min(4).min(count / ITEMS_PER_THREAD))
        .unwrap_or(1);
    if threads <= 1 {
        let body = (0..count)
            .map(|index| format_item(item(index), what))
            .collect::<Result<Vec<String>>>()?;
        return join_module(header, &[body], prelude, what);
    }
    let chunk = count.div_ceil(threads).max(1);
    let ranges: Vec<std::ops::Range<usize>> = (0..count)
        .step_by(chunk)
        .map(|start| start..(start + chunk).min(count))
        .collect();
    let item = &item;
    let formatted: Vec<Result<Vec<String>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                scope.spawn(move || {
                    range
                        .map(|index| format_item(item(index), what))
                        .collect::<Result<Vec<String>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::new(
                        &Pointer::root(),
                        format!("internal: formatting the {what} failed"),
                    ))
                })
            })
            .collect()
    });
    let chunks = formatted.into_iter().collect::<Result<Vec<_>>>()?;
    join_module(header, &chunks, prelude, what)
}

/// The formatted text of one module item (the text pieces get the same last guard against
/// stray characters as formatted tokens).
fn format_item(code: impl Into<Code>, what: &str) -> Result<String> {
    let text = code.into().format(|tokens| format_tokens(tokens, what))?;
    Ok(docs::escape_stray_characters(text))
}

/// The header, the formatted prelude and the formatted items in order, each item after a
/// blank line.
fn join_module(
    header: &str,
    chunks: &[Vec<String>],
    prelude: TokenStream,
    what: &str,
) -> Result<String> {
    let mut body = String::new();
    for text in chunks.iter().flatten() {
        body.push('\n');
        body.push_str(text);
    }
    let prelude = docs::escape_stray_characters(format_tokens(prelude, what)?);
    Ok(format!("{header}\n{prelude}{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(index: usize) -> TokenStream {
        let name = ident(&format!("Item{index}"));
        quote!(pub struct #name;)
    }

    /// The module text item by item, formatted one at a time on this thread.
    fn serial(count: usize) -> String {
        let mut body = String::new();
        for index in 0..count {
            body.push('\n');
            body.push_str(&format_tokens(item(index), "test").unwrap_or_default());
        }
        format!("// header\nuse std::fmt;\n{body}")
    }

    #[test]
    fn modules_read_the_same_whether_formatted_on_threads_or_not() {
        for count in [0, 1, ITEMS_PER_THREAD - 1, 4 * ITEMS_PER_THREAD + 3] {
            let text = format_module(
                "// header",
                count,
                item,
                quote!(
                    use std::fmt;
                ),
                "test",
            );
            assert_eq!(text.ok(), Some(serial(count)), "{count} items");
        }
    }
}
