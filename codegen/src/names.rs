//! Identifier rules: case conversion, Rust keywords, leading digits and uniqueness, in one place.
//!
//! - Keywords become raw identifiers (`type` → `r#type`); `self`, `super`, `crate` and `Self`
//!   cannot be raw, so they get a trailing underscore (`self_`).
//! - A name starting with a digit gets a prefix: `_` in snake case (`_2fa`), `N` in upper camel
//!   case (`N2fa`).
//! - A name with no letters or digits at all falls back to a caller-given placeholder.
//! - Type names that would shadow the prelude (`Option`, `String`, `Result`, ...) get a `Schema`
//!   suffix, so generated code can keep using the prelude names.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Prelude and std names the generated code uses unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Extend",
    "Unpin",
    "Debug",
    "Hash",
];

/// Keeps only characters that can appear in an identifier, turning the rest into word breaks.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn fix_snake(name: String, placeholder: &str) -> String {
    let name = if name.is_empty() {
        placeholder.to_string()
    } else {
        name
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A field, parameter or method name in snake case.
pub(crate) fn snake(raw: &str, placeholder: &str) -> String {
    fix_snake(snake_words(raw), placeholder)
}

thread_local! {
    /// Names converted to snake case and to upper camel case on this thread: the same property
    /// and parameter names recur across the schemas and operations of a document.
    static SNAKE_WORDS: RefCell<HashMap<String, String>> = Default::default();
    static CAMEL_WORDS: RefCell<HashMap<String, String>> = Default::default();
}

/// Forgets the case conversions this thread remembers (each generation forgets its own, so a
/// long-lived thread does not keep every name it has seen).
pub(crate) fn forget_conversions() {
    SNAKE_WORDS.with(|memo| memo.borrow_mut().clear());
    CAMEL_WORDS.with(|memo| memo.borrow_mut().clear());
}

/// `convert(raw)`, remembered in `memo`.
fn remembered(
    memo: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    raw: &str,
    convert: impl FnOnce(&str) -> String,
) -> String {
    if let Some(known) = memo.with(|memo| memo.borrow().get(raw).cloned()) {
        return known;
    }
    let converted = convert(raw);
    memo.with(|memo| memo.borrow_mut().insert(raw.to_string(), converted.clone()));
    converted
}

/// Words in snake case as text, not yet an identifier (no keyword or digit fixes): a part of a
/// longer name, such as a path segment in a derived operation name.
pub(crate) fn snake_words(raw: &str) -> String {
    remembered(&SNAKE_WORDS, raw, |raw| words(raw).to_snake_case())
}

/// A type or variant name in upper camel case.
pub(crate) fn camel(raw: &str, placeholder: &str) -> String {
    let name = remembered(&CAMEL_WORDS, raw, |raw| words(raw).to_upper_camel_case());
    let name = if name.is_empty() {
        placeholder.to_string()
    } else {
        name
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else if name == "Self" {
        "Self_".to_string()
    } else {
        name
    }
}

/// A type name: upper camel case, kept clear of prelude names.
pub(crate) fn type_name(raw: &str) -> String {
    let name = camel(raw, "Unnamed");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Schema")
    } else {
        name
    }
}

/// The runtime's names the generated crate re-exports at its root beside `Error`, `Client` and
/// `ClientBuilder` (and `FilePart` for an API with uploads). The operations module is
/// glob-exported there too, so its enums must not take these names (an explicit re-export
/// would hide an enum of the same name without a word).
pub(crate) const RUNTIME_REEXPORTS: &[&str] = &[
    "Answer",
    "ApiError",
    "AttemptOutcome",
    "AuthError",
    "AuthErrorKind",
    "BuildError",
    "BuildErrorKind",
    "ByteStream",
    "ClientInfo",
    "ConstraintViolation",
    "Hooks",
    "InvalidRequest",
    "InvalidResponse",
    "MayHaveBeenProcessed",
    "OperationInfo",
    "ParseEnumError",
    "ResponseValue",
    "RetryPolicy",
    "Secret",
    "TransportError",
    "UnexpectedStatus",
];

/// Every name the crate root holds besides the operations module's: [`RUNTIME_REEXPORTS`] and
/// the items the generated `mod.rs` defines or re-exports by name.
pub(crate) fn crate_root_names() -> impl Iterator<Item = &'static str> {
    RUNTIME_REEXPORTS
        .iter()
        .copied()
        .chain(["Error", "Client", "ClientBuilder", "FilePart"])
}

/// Crates a package may not be named after: the ones every Rust build already has.
const BUILT_IN_CRATES: &[&str] = &["alloc", "core", "proc_macro", "std", "test"];

/// Checks a Cargo package name; the error says what is wrong with it.
pub(crate) fn check_crate_name(name: &str) -> Result<(), String> {
    let shown = crate::emit::docs::one_line(name);
    let Some(first) = name.chars().next() else {
        return Err("the crate name is empty".to_string());
    };
    if name.len() > 64 {
        return Err(format!("{shown:?} is longer than 64 characters"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "{shown:?} contains {bad:?}; a crate name may hold only ASCII letters, digits, `-` and `_`"
        ));
    }
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!("{shown:?} must start with a letter or `_`"));
    }
    let lib_name = name.replace('-', "_");
    if KEYWORDS.contains(&lib_name.as_str()) || NOT_RAW.contains(&lib_name.as_str()) {
        return Err(format!("{shown:?} is a Rust keyword"));
    }
    if BUILT_IN_CRATES.contains(&lib_name.as_str()) {
        return Err(format!("{shown:?} is the name of a built-in crate"));
    }
    Ok(())
}

/// Hands out names unique within one scope, appending `2`, `3`, ... on a clash.
///
/// Each base name remembers the next suffix to try, so claiming one name `n` times costs `O(n)`
/// probes in all (not `O(n²)`), with the same result as trying every suffix from 2.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    taken: HashSet<String>,
    next_suffix: HashMap<(bool, String), u64>,
    /// Candidate names tried so far (what the suffix memory keeps small).
    probes: u64,
}

impl Namespace {
    /// Marks `name` as used without claiming a new one (for names the emitter adds itself).
    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(unraw(name).to_ascii_lowercase());
    }

    /// Returns `name`, or `name` with the smallest numeric suffix that is still free.
    pub(crate) fn claim(&mut self, name: String) -> String {
        let key = |n: &str| unraw(n).to_ascii_lowercase();
        self.probes += 1;
        if self.taken.insert(key(&name)) {
            return name;
        }
        let base = unraw(&name).trim_end_matches('_').to_string();
        let snake = base.chars().any(|c| c == '_') || base.chars().all(|c| !c.is_uppercase());
        let memory = (snake, key(&base));
        let mut n = self.next_suffix.get(&memory).copied().unwrap_or(2);
        loop {
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            self.probes += 1;
            n += 1;
            if self.taken.insert(key(&candidate)) {
                self.next_suffix.insert(memory, n);
                return candidate;
            }
        }
    }
}

fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remembered_names() -> usize {
        SNAKE_WORDS.with(|memo| memo.borrow().len()) + CAMEL_WORDS.with(|memo| memo.borrow().len())
    }

    /// A generation leaves nothing remembered on the calling thread, and what it remembered
    /// gives the names converting afresh gives.
    #[test]
    fn conversions_are_forgotten_after_a_generation() {
        assert_eq!(snake("createdAt", "x"), snake("createdAt", "x"));
        assert_eq!(camel("sales order", "X"), "SalesOrder");
        assert!(remembered_names() >= 2);
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    SalesOrder: {type: object, properties: {createdAt: {type: string}}}\n";
        let settings = crate::Settings {
            crate_name: "memo".to_string(),
            spec_path: "spec.yaml".to_string(),
            command: "test".to_string(),
            runtime: crate::Runtime::Crate {
                path: "../runtime".to_string(),
            },
        };
        assert!(crate::generate(doc, &settings).is_ok());
        assert_eq!(remembered_names(), 0);
        assert_eq!(snake("createdAt", "x"), "created_at");
    }

    #[test]
    fn identifier_table() {
        let cases = [
            ("customerNumber", "customer_number", "CustomerNumber"),
            ("type", "r#type", "Type"),
            ("self", "self_", "Self_"),
            ("2fa-code", "_2fa_code", "N2faCode"),
            ("e-invoice code", "e_invoice_code", "EInvoiceCode"),
            ("@odata.type", "odata_type", "OdataType"),
            ("$", "value", "Value"),
            ("async", "r#async", "Async"),
            ("crate", "crate_", "Crate"),
        ];
        for (raw, snake_expected, camel_expected) in cases {
            assert_eq!(snake(raw, "value"), snake_expected, "snake of {raw}");
            assert_eq!(camel(raw, "Value"), camel_expected, "camel of {raw}");
        }
    }

    #[test]
    fn type_names_avoid_the_prelude() {
        assert_eq!(type_name("Option"), "OptionSchema");
        assert_eq!(type_name("result"), "ResultSchema");
        assert_eq!(type_name("SalesOrder"), "SalesOrder");
    }

    #[test]
    fn clashes_get_numbered_deterministically() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("name".into()), "name");
        assert_eq!(ns.claim("name".into()), "name_2");
        assert_eq!(ns.claim("name".into()), "name_3");
        let mut types = Namespace::default();
        assert_eq!(types.claim("Customer".into()), "Customer");
        assert_eq!(types.claim("Customer".into()), "Customer2");
        let mut mixed = Namespace::default();
        mixed.reserve("item_3");
        assert_eq!(mixed.claim("item".into()), "item");
        assert_eq!(mixed.claim("item".into()), "item_2");
        assert_eq!(mixed.claim("item".into()), "item_4");
        assert_eq!(mixed.claim("item_2".into()), "item_2_2");
        let mut raw = Namespace::default();
        assert_eq!(raw.claim("r#type".into()), "r#type");
        assert_eq!(raw.claim("type_".into()), "type_");
    }

    #[test]
    fn many_clashing_names_cost_linear_probes() {
        let mut ns = Namespace::default();
        let count = 20_000;
        let mut last = String::new();
        for _ in 0..count {
            last = ns.claim("value".into());
        }
        assert_eq!(last, format!("value_{count}"));
        assert!(
            ns.probes <= 2 * count,
            "{} probes for {count} names: claiming is quadratic",
            ns.probes
        );
    }
}
