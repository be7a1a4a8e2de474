//! Enum types of string and integer `enum` schemas: variants named from their values.

use indexmap::IndexMap;

use crate::ir::{EnumVariant, IntVariant};
use crate::names::{self, Namespace};

pub(super) fn int_variants(
    values: &[Option<i64>],
    extensions: &IndexMap<String, serde_json::Value>,
) -> Vec<IntVariant> {
    let values: Vec<i64> = values.iter().flatten().copied().collect();
    let names: Option<Vec<&str>> = extensions
        .get("x-enumNames")
        .or_else(|| extensions.get("x-enum-varnames"))
        .and_then(|v| v.as_array())
        .and_then(|names| names.iter().map(|n| n.as_str()).collect())
        .filter(|names: &Vec<&str>| names.len() == values.len());
    let mut variant_names = Namespace::default();
    variant_names.reserve("Unknown");
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(index, value)| {
            let fallback = if *value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("Value{value}")
            };
            let raw = names
                .as_ref()
                .and_then(|n| n.get(index))
                .copied()
                .unwrap_or(&fallback);
            IntVariant {
                rust_name: variant_names.claim(names::camel(raw, &fallback)),
                value: *value,
            }
        })
        .collect()
}

pub(super) fn enum_variants(values: &[Option<String>]) -> Vec<EnumVariant> {
    let mut variant_names = Namespace::default();
    variant_names.reserve("Unknown");
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .flatten()
        .filter(|v| seen.insert(v.as_str()))
        .enumerate()
        .map(|(index, value)| {
            let spelled = match value.strip_prefix('-') {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("minus {rest}")
                }
                _ => value.clone(),
            };
            EnumVariant {
                rust_name: variant_names.claim(names::camel(&spelled, &format!("Value{index}"))),
                value: value.clone(),
            }
        })
        .collect()
}
