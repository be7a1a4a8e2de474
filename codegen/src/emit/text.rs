//! The repetitive parts of the generated code (setters, the fixed impls of enums) written
//! directly as text in prettyplease's layout, skipping the tokens → `syn` → text round trip.
//! Each writer says when its text is laid out; otherwise the text goes through the formatter.
//! The tests check that formatting laid-out text leaves it unchanged.

use crate::emit::Scope;
use crate::emit::code::Member;
use crate::ir::{Api, TypeRef};

/// The longest line written as laid-out text: prettyplease's margin, up to which it breaks no
/// line at the shallow indentation of these items (the tests check lines of exactly this
/// length; one character more and the formatter breaks them).
pub(crate) const MAX_LINE: usize = 89;

/// The Rust type of a [`TypeRef`] as the formatter prints it (the text of
/// [`super::type_tokens`]).
pub(crate) fn type_text(api: &Api, ty: &TypeRef, scope: Scope) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = api
                .types
                .get(*id)
                .map_or("UnknownType", |t| t.name.as_str());
            match scope {
                Scope::Types => name.to_string(),
                Scope::Sibling => format!("types::{name}"),
            }
        }
        TypeRef::String => "String".to_string(),
        TypeRef::Bool => "bool".to_string(),
        TypeRef::I32 => "i32".to_string(),
        TypeRef::I64 => "i64".to_string(),
        TypeRef::U64 => "u64".to_string(),
        TypeRef::F32 => "f32".to_string(),
        TypeRef::F64 => "f64".to_string(),
        TypeRef::DateTime => "::chrono::DateTime<::chrono::Utc>".to_string(),
        TypeRef::Date => "::chrono::NaiveDate".to_string(),
        TypeRef::Json => "::serde_json::Value".to_string(),
        TypeRef::Binary => "runtime::FilePart".to_string(),
        TypeRef::Vec(item) => format!("Vec<{}>", type_text(api, item, scope)),
        TypeRef::Map(value) => format!(
            "::std::collections::BTreeMap<String, {}>",
            type_text(api, value, scope)
        ),
    }
}

/// A builder method of a struct: `pub fn with_x(mut self, value: impl Into<T>) -> Self`.
pub(crate) struct Setter<'a> {
    /// The method's name (`with_x`).
    pub method: String,
    /// The field it sets, as written in Rust (`x`, `r#type`).
    pub field: &'a str,
    /// The doc line, after `///`.
    pub doc: String,
    /// The `#[deprecated]` note of the field.
    pub deprecated: Option<String>,
    /// The field's type without `Option` (`T`).
    pub inner: String,
    /// Whether the field holds the value in a `Box`.
    pub boxed: bool,
}

impl Setter<'_> {
    /// The method as Rust source, indented for an `impl` block.
    pub fn source(&self) -> String {
        let deprecated = self
            .deprecated
            .as_deref()
            .map_or(String::new(), |note| format!("    {}\n", deprecated(note)));
        let value = if self.boxed {
            "Box::new(value.into())"
        } else {
            "value.into()"
        };
        format!(
            "{doc}{deprecated}    pub fn {method}(mut self, value: impl Into<{inner}>) -> Self {{\n        self.{field} = Some({value});\n        self\n    }}\n",
            doc = doc_line(&self.doc),
            method = self.method,
            inner = self.inner,
            field = self.field,
        )
    }

    /// The method as a member of the `impl` block.
    pub fn member(&self) -> Member {
        Member {
            source: self.source(),
            laid_out: self.laid_out(),
        }
    }

    /// Whether [`Setter::source`] is in the formatter's layout: no attribute but the doc line
    /// (which is never broken) and every other line short enough.
    pub fn laid_out(&self) -> bool {
        self.deprecated.is_none()
            && self
                .source()
                .lines()
                .skip(1)
                .all(|line| line.len() <= MAX_LINE)
    }
}

/// Rust source of an expression or statement (each writer says at which indent), in the
/// formatter's layout where `known` (and its lines fit where it is put); otherwise valid Rust
/// for the formatter to lay out.
pub(crate) struct Written {
    pub text: String,
    pub known: bool,
}

impl Written {
    pub(crate) fn known(text: String) -> Self {
        Written { text, known: true }
    }
}

/// `text` with `indent` before each of its lines.
pub(crate) fn indented(text: &str, indent: &str) -> String {
    text.lines()
        .map(|line| format!("{indent}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `{indent}{call}.map_err(|e| e.at("json_name"))?;` as the formatter lays it out: on one
/// line, else `.map_err` on a line of its own; on one line for the formatter when the call
/// alone does not fit.
pub(crate) fn map_err_chain(indent: &str, call: &str, json_name: &str) -> Written {
    let json_name = proc_macro2::Literal::string(json_name);
    let map_err = format!(".map_err(|e| e.at({json_name}))?;");
    let one_line = format!("{indent}{call}{map_err}\n");
    if one_line.len() <= MAX_LINE + 1 {
        return Written::known(one_line);
    }
    let broken = format!("{indent}{call}\n{indent}    {map_err}\n");
    if broken.lines().all(|line| line.len() <= MAX_LINE) {
        Written::known(broken)
    } else {
        Written {
            text: one_line,
            known: false,
        }
    }
}

/// The first line(s) of a method in an `impl` block, `{head}({params}) -> {returned} {`, as
/// the formatter lays them out while the return type stays on one line: on one line when it
/// fits, else one parameter per line (the caller checks that the last line fits).
pub(crate) fn method_signature(head: &str, params: &[String], returned: &str) -> String {
    let one_line = format!("    {head}({}) -> {returned} {{\n", params.join(", "));
    if one_line.len() <= MAX_LINE + 1 {
        return one_line;
    }
    let mut broken = format!("    {head}(\n");
    for param in params {
        broken.push_str(&format!("        {param},\n"));
    }
    broken.push_str(&format!("    ) -> {returned} {{\n"));
    broken
}

/// An arm of a `match` whose block is indented by 8 (in a method of an `impl` block): on one
/// line when it fits (the formatter does not count the arm's comma), else its expression in a
/// block of its own, as the formatter puts an arm that does not fit.
pub(crate) fn match_arm(pattern: &str, expression: &str) -> String {
    let one_line = format!("            {pattern} => {expression}");
    if one_line.len() <= MAX_LINE {
        one_line + ",\n"
    } else {
        format!("            {pattern} => {{\n                {expression}\n            }}\n")
    }
}

/// A doc line (`doc` starts with a space, as in `#[doc = " ..."]`) as the formatter prints it
/// in a block: `///` and the text without trailing spaces.
pub(crate) fn doc_line(doc: &str) -> String {
    format!("    ///{}\n", doc.trim_end_matches(' '))
}

/// A `#[deprecated]` attribute with its note.
pub(crate) fn deprecated(note: &str) -> String {
    format!(
        "#[deprecated(note = {})]",
        proc_macro2::Literal::string(note)
    )
}

/// The widest struct literal the formatter keeps on one line: prettyplease's
/// `end_with_max_width(34)` measures it up to its closing brace.
const MAX_ONE_LINE_LITERAL: usize = 35;

/// `new()` of a struct: its doc line, parameters and the field initialisers of its `Self`
/// literal, as a member of the `impl` block. The formatter puts the literal on one line when it
/// is at most [`MAX_ONE_LINE_LITERAL`] wide, else one initialiser per line; laid out when every
/// line is short enough.
pub(crate) fn constructor(doc: &str, params: &[String], inits: &[String]) -> Member {
    let one_line = if inits.is_empty() {
        "Self {}".to_string()
    } else {
        format!("Self {{ {} }}", inits.join(", "))
    };
    let literal = if one_line.len() <= MAX_ONE_LINE_LITERAL {
        format!("        {one_line}\n")
    } else {
        let mut broken = "        Self {\n".to_string();
        for init in inits {
            broken.push_str(&format!("            {init},\n"));
        }
        broken.push_str("        }\n");
        broken
    };
    let source = format!(
        "{}    pub fn new({}) -> Self {{\n{literal}    }}\n",
        doc_line(doc),
        params.join(", ")
    );
    Member {
        laid_out: source.lines().skip(1).all(|line| line.len() <= MAX_LINE),
        source,
    }
}

/// An attribute of a struct field, `#[name(items)]`, as Rust source indented for the struct's
/// block.
pub(crate) struct Attribute {
    text: String,
    /// Whether `text` is in the formatter's layout.
    laid_out: bool,
}

/// `#[name(items)]` as the formatter prints it in a struct's block: on one line when that fits,
/// else one item per line (commas between them); laid out when every line is short enough.
pub(crate) fn list_attribute(name: &str, items: &[String]) -> Attribute {
    let one_line = format!("    #[{name}({})]\n", items.join(", "));
    if one_line.len() <= MAX_LINE + 1 {
        return Attribute {
            text: one_line,
            laid_out: true,
        };
    }
    let mut text = format!("    #[{name}(\n");
    text.push_str(
        &items
            .iter()
            .map(|item| format!("        {item}"))
            .collect::<Vec<_>>()
            .join(",\n"),
    );
    text.push_str("\n    )]\n");
    Attribute {
        laid_out: text.lines().all(|line| line.len() <= MAX_LINE),
        text,
    }
}

/// A field of a struct: its doc comment (already as `///` lines), attributes and declaration,
/// as Rust source indented for the struct's block; laid out when its attributes are and its
/// declaration is short enough.
pub(crate) fn field(doc: &str, attrs: &[Attribute], name: &str, ty: &str) -> Member {
    let mut source = doc.to_string();
    for attr in attrs {
        source.push_str(&attr.text);
    }
    let declaration = format!("    pub {name}: {ty},\n");
    source.push_str(&declaration);
    Member {
        laid_out: attrs.iter().all(|attr| attr.laid_out) && declaration.len() <= MAX_LINE + 1,
        source,
    }
}

/// The impls of a string enum `name` that do not depend on its values, in the formatter's
/// layout when `name` is short enough: `Display` (first part), then `Serialize`,
/// `Deserialize`, `From<&str>`, `From<String>`, `ToParam` and `Validate` (second part). The
/// `FromStr` impl goes between the two.
pub(crate) fn string_enum_impls(name: &str) -> (String, String) {
    let display = format!(
        "impl std::fmt::Display for {name} {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}
"
    );
    let rest = format!(
        "impl ::serde::Serialize for {name} {{
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {{
        serializer.serialize_str(self.as_str())
    }}
}}
impl<'de> ::serde::Deserialize<'de> for {name} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {{
        let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
        Ok(Self::from(value))
    }}
}}
/// The documented value, or `Unknown` (which a request refuses before sending).
impl From<&str> for {name} {{
    fn from(value: &str) -> Self {{
        value.parse().unwrap_or_else(|_| Self::Unknown(value.to_string()))
    }}
}}
/// The documented value, or `Unknown` (which a request refuses before sending).
impl From<String> for {name} {{
    fn from(value: String) -> Self {{
        match value.parse() {{
            Ok(known) => known,
            Err(_) => Self::Unknown(value),
        }}
    }}
}}
impl runtime::ToParam for {name} {{
    fn to_param(&self) -> String {{
        self.as_str().to_string()
    }}
}}
impl runtime::Validate for {name} {{
    fn validate(&self) -> Result<(), runtime::ConstraintViolation> {{
        match self {{
            Self::Unknown(value) => {{
                Err(runtime::ConstraintViolation::undocumented(value, Self::VALUES))
            }}
            _ => Ok(()),
        }}
    }}
}}
"
    );
    (display, rest)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `source` formatted by prettyplease (as the emitters format tokens).
    pub(crate) fn formatted(source: &str) -> String {
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{e}:\n{source}"));
        prettyplease::unparse(&file)
    }

    /// A name of `len` characters.
    fn name_of(len: usize) -> String {
        let mut name = "N".to_string();
        name.extend(std::iter::repeat_n('a', len.saturating_sub(1)));
        name
    }

    pub(crate) fn in_impl(methods: &str) -> String {
        format!("impl T {{\n{methods}}}\n")
    }

    #[test]
    fn laid_out_setters_read_as_formatted() {
        let (mut laid_out, mut longest) = (0, 0);
        for method_len in 1..=80 {
            for (inner, boxed) in [
                ("String", false),
                ("Vec<Address>", true),
                ("::std::collections::BTreeMap<String, i64>", false),
            ] {
                let setter = Setter {
                    method: name_of(method_len),
                    field: "r#type",
                    doc: " Sets `type`.".to_string(),
                    deprecated: None,
                    inner: inner.to_string(),
                    boxed,
                };
                let source = setter.source();
                let widest = source.lines().skip(1).map(str::len).max().unwrap_or(0);
                if widest == MAX_LINE + 1 {
                    // Where the laid-out text ends, the formatter starts breaking lines.
                    assert!(!setter.laid_out());
                    let text = in_impl(&source);
                    assert_ne!(formatted(&text), text);
                }
                if setter.laid_out() {
                    laid_out += 1;
                    longest = source
                        .lines()
                        .skip(1)
                        .map(str::len)
                        .max()
                        .unwrap_or(0)
                        .max(longest);
                    let text = in_impl(&source);
                    assert_eq!(formatted(&text), text);
                }
            }
        }
        // Signatures of exactly the longest line are checked; longer ones are left to the
        // formatter, which breaks them at some length.
        assert_eq!(longest, MAX_LINE);
        assert!((30..100).contains(&laid_out), "{laid_out}");
        let deprecated = Setter {
            method: "with_x".to_string(),
            field: "x",
            doc: " Sets [`Self::x`].".to_string(),
            deprecated: Some("use \"y\"".to_string()),
            inner: "String".to_string(),
            boxed: false,
        };
        assert!(!deprecated.laid_out());
        assert!(
            formatted(&in_impl(&deprecated.source()))
                .contains("#[deprecated(note = \"use \\\"y\\\"\")]")
        );
    }

    #[test]
    fn laid_out_fields_read_as_formatted() {
        let (mut checked, mut broken, mut longest) = (0, 0, 0);
        let doc = "    /// The `x` member.\n    ///\n    /// Optional: omitted.\n";
        for len in 1..=80 {
            let name = name_of(len).to_lowercase();
            let rename = list_attribute(
                "serde",
                &[
                    format!("rename = {}", proc_macro2::Literal::string(&name)),
                    "default".to_string(),
                    "skip_serializing_if = \"Option::is_none\"".to_string(),
                ],
            );
            let note = list_attribute("deprecated", &[format!("note = \"{}\"", "n".repeat(len))]);
            let flatten = list_attribute("serde", &["flatten".to_string()]);
            for (attrs, ty) in [
                (vec![rename], "Option<Box<Vec<Address>>>"),
                (
                    vec![note],
                    "::std::collections::BTreeMap<String, Vec<String>>",
                ),
                (vec![flatten], "String"),
            ] {
                let field = field(doc, &attrs, &name, ty);
                if field.laid_out {
                    checked += 1;
                    if field.source.contains("(\n") {
                        broken += 1;
                    }
                    let widest = field.source.lines().map(str::len).max().unwrap_or(0);
                    longest = widest.max(longest);
                    let text = format!("pub struct S {{\n{0}{0}}}\n", field.source);
                    assert_eq!(formatted(&text), text);
                }
            }
        }
        assert_eq!(longest, MAX_LINE);
        assert!(checked > 30 && broken > 20, "{checked} {broken}");
    }

    #[test]
    fn laid_out_constructors_read_as_formatted() {
        let (mut one_line, mut broken, mut longest, mut widest_literal) = (0, 0, 0, 0);
        for len in 1..=80 {
            for count in 0..=4 {
                let inits: Vec<String> = (0..count)
                    .map(|i| format!("{}{i}: None", name_of(len).to_lowercase()))
                    .collect();
                for params in [vec![], vec![format!("required: {}", name_of(len))]] {
                    let new = constructor(" Creates a `T`.", &params, &inits);
                    if new.laid_out {
                        let widest = new.source.lines().skip(1).map(str::len).max();
                        longest = widest.unwrap_or(0).max(longest);
                        let lines = new.source.lines().count();
                        if lines == 4 {
                            one_line += 1;
                            let literal = new.source.lines().nth(2).map_or(0, |l| l.trim().len());
                            widest_literal = widest_literal.max(literal);
                        } else {
                            broken += 1
                        }
                        let text = in_impl(&new.source);
                        assert_eq!(formatted(&text), text, "{len} {count}");
                    }
                }
            }
        }
        assert_eq!(longest, MAX_LINE);
        assert_eq!(widest_literal, MAX_ONE_LINE_LITERAL);
        assert!(one_line > 20 && broken > 20, "{one_line} {broken}");
    }

    #[test]
    fn laid_out_enum_impls_read_as_formatted() {
        let mut longest = 0;
        for len in 1..=80 {
            let name = name_of(len);
            let (display, rest) = string_enum_impls(&name);
            if (display.lines().chain(rest.lines())).all(|line| line.len() <= MAX_LINE) {
                longest = len;
                assert_eq!(formatted(&display), display, "{len}");
                assert_eq!(formatted(&rest), rest, "{len}");
            }
        }
        assert_eq!(
            longest,
            MAX_LINE - "impl<'de> ::serde::Deserialize<'de> for  {".len()
        );
    }
}
