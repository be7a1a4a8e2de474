//! Enums of string and integer `enum` schemas: documented variants plus `Unknown`, so a value
//! added on the server never breaks a response.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{schema_doc, value_doc};
use crate::emit::text;
use crate::emit::{Code, ident};
use crate::ir::{EnumVariant, IntVariant, TypeDef};

pub(super) fn emit_enum(def: &TypeDef, variants: &[EnumVariant]) -> Code {
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line("Parsing with `FromStr` accepts only the documented values; deserializing keeps any other value a server sends in `Unknown`, so a new server-side value never breaks a response. A request holding an `Unknown` value is refused before it is sent.");
    let type_name = &def.name;
    let variants: Vec<VariantText> = variants
        .iter()
        .map(|v| VariantText {
            ident: ident(&v.rust_name).to_string(),
            literal: proc_macro2::Literal::string(&v.value).to_string(),
            doc: text::doc_line(&format!(" {}", value_doc(&v.value))),
        })
        .collect();
    // Written as text (see `emit::text`); a part is formatted only when a line of it is too
    // long.
    let (definition, from_str) = string_enum_text(type_name, &variants);
    let (display, rest) = text::string_enum_impls(type_name);
    let mut code = Code::default();
    code.doc(&doc);
    for part in [definition, display, from_str, rest] {
        let laid_out = laid_out(&part);
        code.source(part, laid_out);
    }
    code
}

/// A variant of a string enum as written in the code: its name, its value as a string
/// literal, its doc line (indented for the enum's block).
struct VariantText {
    ident: String,
    literal: String,
    doc: String,
}

/// The definition of a string enum with `VALUES` and `as_str` (first), and its `FromStr` impl
/// (second), in the formatter's layout when every line is short enough ([`laid_out`]).
fn string_enum_text(name: &str, variants: &[VariantText]) -> (String, String) {
    let mut definition = format!(
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{\n"
    );
    for variant in variants {
        definition.push_str(&format!("{}    {},\n", variant.doc, variant.ident));
    }
    definition.push_str("    /// A value this client does not know, kept as sent (for example one added to the API later).\n    Unknown(String),\n}\n");
    definition.push_str(&format!(
        "impl {name} {{\n    /// Every documented value, in document order.\n{}",
        values_const(variants)
    ));
    definition.push_str("    /// The value as sent on the wire.\n    pub fn as_str(&self) -> &str {\n        match self {\n");
    for variant in variants {
        definition.push_str(&format!(
            "            Self::{} => {},\n",
            variant.ident, variant.literal
        ));
    }
    definition
        .push_str("            Self::Unknown(value) => value.as_str(),\n        }\n    }\n}\n");
    let mut from_str = format!(
        "impl std::str::FromStr for {name} {{\n    type Err = runtime::ParseEnumError;\n    fn from_str(value: &str) -> Result<Self, runtime::ParseEnumError> {{\n        match value {{\n"
    );
    for variant in variants {
        from_str.push_str(&format!(
            "            {} => Ok(Self::{}),\n",
            variant.literal, variant.ident
        ));
    }
    from_str.push_str(&unknown_value_arm(name));
    from_str.push_str("        }\n    }\n}\n");
    (definition, from_str)
}

/// The last arm of `FromStr`, refusing an undocumented value, as the formatter breaks it
/// step by step: [`text::match_arm`]; else the call inside `Err(..)` on a line of its own;
/// else its arguments too (the formatter counts no trailing comma against the margin).
fn unknown_value_arm(name: &str) -> String {
    let name = proc_macro2::Literal::string(name);
    let call = format!("runtime::ParseEnumError::new({name}, other)");
    let arm = text::match_arm("other", &format!("Err({call})"));
    if arm.lines().count() == 1 || arm.lines().all(|line| line.len() <= text::MAX_LINE) {
        return arm;
    }
    if 20 + call.len() <= text::MAX_LINE {
        return format!(
            "            other => {{\n                Err(\n                    {call},\n                )\n            }}\n"
        );
    }
    format!(
        "            other => {{
                Err(
                    runtime::ParseEnumError::new(
                        {name},
                        other,
                    ),
                )
            }}
"
    )
}

/// `VALUES`: on one line when it fits, else one value per line.
fn values_const(variants: &[VariantText]) -> String {
    let literals: Vec<&str> = variants.iter().map(|v| v.literal.as_str()).collect();
    let one_line = format!(
        "    pub const VALUES: &'static [&'static str] = &[{}];\n",
        literals.join(", ")
    );
    if one_line.len() <= text::MAX_LINE + 1 {
        return one_line;
    }
    let mut broken = "    pub const VALUES: &'static [&'static str] = &[\n".to_string();
    for literal in literals {
        broken.push_str(&format!("        {literal},\n"));
    }
    broken.push_str("    ];\n");
    broken
}

/// Whether text is in the formatter's layout as far as line lengths go: every line but the
/// doc lines (which are never broken) at most [`text::MAX_LINE`] long, a match arm's trailing
/// comma not counted (as the formatter counts it).
fn laid_out(text: &str) -> bool {
    text.lines().all(|line| {
        let is_arm = line.ends_with(',') && line.contains(" => ");
        line.trim_start().starts_with("///")
            || line.len() <= text::MAX_LINE
            || (is_arm && line.len() == text::MAX_LINE + 1)
    })
}

pub(super) fn emit_int_enum(def: &TypeDef, variants: &[IntVariant]) -> Code {
    let name = ident(&def.name);
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line(
        "Sent as an integer. Deserializing keeps any other value a server sends in `Unknown`; a request holding an `Unknown` value is refused before it is sent.",
    );
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value))
        .collect();
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    let conversions = int_enum_conversions(&name);
    let mut code = Code::default();
    code.doc(&doc).tokens(quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this client does not know, kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// The variant for a wire value (`Unknown` for an undocumented one).
            pub fn from_value(value: i64) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other),
                }
            }
        }

        #conversions

        impl runtime::Validate for #name {
            fn validate(&self) -> Result<(), runtime::ConstraintViolation> {
                match self {
                    Self::Unknown(value) => Err(runtime::ConstraintViolation::undocumented(value, &[#(#values),*])),
                    _ => Ok(()),
                }
            }
        }
    });
    code
}

/// The impls of an integer enum that do not depend on its values: `Display`, serde through
/// `i64`, `From<i64>` and `ToParam`.
fn int_enum_conversions(name: &Ident) -> TokenStream {
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from_value(<i64 as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }

        /// The documented value, or `Unknown` (which a request refuses before sending).
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                Self::from_value(value)
            }
        }

        impl runtime::ToParam for #name {
            fn to_param(&self) -> String {
                self.value().to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::formatted;

    fn variants(count: usize, len: usize) -> Vec<VariantText> {
        (0..count)
            .map(|i| {
                let value = format!("{i}{}", "v".repeat(len));
                VariantText {
                    // Names and values of different lengths, so lines end at every column.
                    ident: format!("V{i}{}", "a".repeat(len + len % 3)),
                    literal: proc_macro2::Literal::string(&value).to_string(),
                    doc: text::doc_line(&format!(" {}", value_doc(&value))),
                }
            })
            .collect()
    }

    #[test]
    fn from_str_of_long_names_reads_as_formatted() {
        let (mut block, mut broken, mut comma_past_margin) = (0, 0, 0);
        for len in 1..=70 {
            let (_, from_str) = string_enum_text(&"N".repeat(len), &variants(1, 3));
            if !laid_out(&from_str) {
                continue;
            }
            block += usize::from(from_str.contains("other => {\n                Err(runtime"));
            broken += usize::from(from_str.contains("                Err(\n"));
            comma_past_margin += from_str
                .lines()
                .filter(|line| line.len() == text::MAX_LINE + 1)
                .count();
            assert_eq!(formatted(&from_str), from_str, "{len}");
        }
        assert!(
            block >= 5 && broken > 5 && comma_past_margin == 1,
            "{block} {broken} {comma_past_margin}"
        );
    }

    #[test]
    fn laid_out_string_enums_read_as_formatted() {
        let (mut checked, mut one_line, mut broken, mut longest) = (0, 0, 0, 0);
        for len in 0..=80 {
            for count in [0, 1, 2, 7] {
                for name in ["E", "AnEnumOfSomeLengthToo"] {
                    let (definition, from_str) = string_enum_text(name, &variants(count, len));
                    if !(laid_out(&definition) && laid_out(&from_str)) {
                        continue;
                    }
                    checked += 1;
                    if definition.contains("&[\n") {
                        broken += 1;
                    } else {
                        one_line += 1;
                    }
                    longest = (definition.lines().chain(from_str.lines()))
                        .filter(|line| !line.trim_start().starts_with("///"))
                        .map(str::len)
                        .max()
                        .unwrap_or(0)
                        .max(longest);
                    assert_eq!(formatted(&definition), definition, "{len} {count}");
                    assert_eq!(formatted(&from_str), from_str, "{len} {count}");
                }
            }
        }
        assert!(
            checked > 40 && one_line > 10 && broken >= 10,
            "{checked} {one_line} {broken}"
        );
        assert_eq!(longest, text::MAX_LINE);
    }
}
