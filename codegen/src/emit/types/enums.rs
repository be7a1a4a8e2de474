//! Enums of string and integer `enum` schemas: documented variants plus `Unknown`, so a value
//! added on the server never breaks a response.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{schema_doc, value_doc};
use crate::emit::text;
use crate::emit::{Code, ident};
use crate::ir::{EnumVariant, IntVariant, TypeDef};

pub(super) fn emit_enum(def: &TypeDef, variants: &[EnumVariant]) -> Code {
    let name = ident(&def.name);
    let mut doc = schema_doc(def);
    doc.blank();
    doc.line("Parsing with `FromStr` accepts only the documented values; deserializing keeps any other value a server sends in `Unknown`, so a new server-side value never breaks a response. A request holding an `Unknown` value is refused before it is sent.");
    let type_name = &def.name;
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" {}", value_doc(v)));
    let definition = quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this client does not know, kept as sent (for example one added to the API later).
            Unknown(String),
        }

        impl #name {
            /// Every documented value, in document order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
    };
    let from_str = quote! {
        impl std::str::FromStr for #name {
            type Err = runtime::ParseEnumError;

            fn from_str(value: &str) -> Result<Self, runtime::ParseEnumError> {
                match value {
                    #( #values => Ok(Self::#idents), )*
                    other => Err(runtime::ParseEnumError::new(#type_name, other)),
                }
            }
        }
    };
    // The impls that do not depend on the values are written as text (see `emit::text`).
    let laid_out = text::string_enum_impls_laid_out(type_name);
    let (display, rest) = text::string_enum_impls(type_name);
    let mut code = Code::default();
    code.doc(&doc)
        .tokens(definition)
        .source(display, laid_out)
        .tokens(from_str)
        .source(rest, laid_out);
    code
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
