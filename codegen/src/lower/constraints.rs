//! Constraint keywords of number, integer, array, object and untyped schemas: those the generated
//! code enforces become [`Constraints`]; every other one is named in a warning with its pointer.

use openapiv3::{AnySchema, ArrayType, IntegerType, NumberType, ObjectType};

use crate::ir::{Bound, Constraints, Number};
use crate::pointer::Pointer;

/// Where a warning goes: the place and the message.
pub(super) type Warn<'w> = dyn FnMut(&Pointer, String) + 'w;

/// `minimum`, `maximum` (3.0's boolean `exclusive*`, which normalising gives 3.1's numeric form
/// too) and `multipleOf` of a `number` schema; a bound that is not finite is not enforced.
pub(super) fn number(n: &NumberType, at: &Pointer, warn: &mut Warn<'_>) -> Constraints {
    let finite = |value: Option<f64>, keyword: &str, warn: &mut Warn<'_>| match value {
        Some(v) if !v.is_finite() => {
            warn(
                &at.join(keyword),
                format!("{keyword} {v} is not a finite number; not enforced"),
            );
            None
        }
        other => other,
    };
    let minimum = finite(n.minimum, "minimum", warn);
    let maximum = finite(n.maximum, "maximum", warn);
    let multiple_of = match finite(n.multiple_of, "multipleOf", warn) {
        Some(m) if m <= 0.0 => {
            warn_not_positive(&at.join("multipleOf"), m, warn);
            None
        }
        other => other,
    };
    warn_exclusive_without_bound(n.exclusive_minimum, minimum.is_none(), "Minimum", at, warn);
    warn_exclusive_without_bound(n.exclusive_maximum, maximum.is_none(), "Maximum", at, warn);
    Constraints {
        minimum: minimum.map(|v| bound(Number::Float(v), n.exclusive_minimum)),
        maximum: maximum.map(|v| bound(Number::Float(v), n.exclusive_maximum)),
        multiple_of: multiple_of.map(Number::Float),
        ..Constraints::default()
    }
}

/// The same for an `integer` schema (without an `enum`).
pub(super) fn integer(i: &IntegerType, at: &Pointer, warn: &mut Warn<'_>) -> Constraints {
    let multiple_of = match i.multiple_of {
        Some(m) if m <= 0 => {
            warn_not_positive(&at.join("multipleOf"), m, warn);
            None
        }
        // Every integer is a multiple of 1: nothing to check.
        Some(1) => None,
        other => other,
    };
    warn_exclusive_without_bound(
        i.exclusive_minimum,
        i.minimum.is_none(),
        "Minimum",
        at,
        warn,
    );
    warn_exclusive_without_bound(
        i.exclusive_maximum,
        i.maximum.is_none(),
        "Maximum",
        at,
        warn,
    );
    Constraints {
        minimum: i
            .minimum
            .map(|v| bound(Number::Int(v), i.exclusive_minimum)),
        maximum: i
            .maximum
            .map(|v| bound(Number::Int(v), i.exclusive_maximum)),
        multiple_of: multiple_of.map(Number::Int),
        ..Constraints::default()
    }
}

/// `minItems` and `maxItems` of an array schema; `uniqueItems` is not enforced (a warning).
pub(super) fn array(a: &ArrayType, at: &Pointer, warn: &mut Warn<'_>) -> Constraints {
    if a.unique_items {
        warn(
            &at.join("uniqueItems"),
            "uniqueItems is not enforced before sending".to_string(),
        );
    }
    Constraints {
        // Every array has at least 0 items: nothing to check.
        min_items: a.min_items.filter(|min| *min > 0),
        max_items: a.max_items,
        ..Constraints::default()
    }
}

/// `minProperties` and `maxProperties` are not enforced (a warning for each).
pub(super) fn object(o: &ObjectType, at: &Pointer, warn: &mut Warn<'_>) {
    for (keyword, value) in [
        ("minProperties", o.min_properties),
        ("maxProperties", o.max_properties),
    ] {
        if value.is_some() {
            warn(
                &at.join(keyword),
                format!("{keyword} is not enforced before sending"),
            );
        }
    }
}

/// A schema without one plain `type` (or with keywords its type does not have, such as
/// `pattern` next to `type: integer`): none of its constraint keywords is enforced.
pub(super) fn untyped(any: &AnySchema, at: &Pointer, warn: &mut Warn<'_>) {
    let present = [
        ("pattern", any.pattern.is_some()),
        ("minLength", any.min_length.is_some()),
        ("maxLength", any.max_length.is_some()),
        ("minimum", any.minimum.is_some()),
        ("maximum", any.maximum.is_some()),
        ("exclusiveMinimum", any.exclusive_minimum.is_some()),
        ("exclusiveMaximum", any.exclusive_maximum.is_some()),
        ("multipleOf", any.multiple_of.is_some()),
        ("minItems", any.min_items.is_some()),
        ("maxItems", any.max_items.is_some()),
        ("uniqueItems", any.unique_items.is_some()),
        ("minProperties", any.min_properties.is_some()),
        ("maxProperties", any.max_properties.is_some()),
    ];
    for (keyword, _) in present.iter().filter(|(_, is_there)| *is_there) {
        warn(
            &at.join(keyword),
            format!("{keyword} is not enforced: the schema has no single type it applies to"),
        );
    }
}

fn bound(value: Number, exclusive: bool) -> Bound {
    Bound { value, exclusive }
}

fn warn_not_positive(at: &Pointer, value: impl std::fmt::Display, warn: &mut Warn<'_>) {
    warn(
        at,
        format!("multipleOf must be greater than 0, is {value}; not enforced"),
    );
}

fn warn_exclusive_without_bound(
    exclusive: bool,
    no_bound: bool,
    which: &str,
    at: &Pointer,
    warn: &mut Warn<'_>,
) {
    if exclusive && no_bound {
        warn(
            &at.join(format!("exclusive{which}")),
            format!(
                "exclusive{which} without {} has no bound to exclude; ignored",
                which.to_ascii_lowercase()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<T>(f: impl FnOnce(&mut Warn<'_>) -> T) -> (T, Vec<String>) {
        let mut warnings = Vec::new();
        let value = f(&mut |at: &Pointer, message: String| {
            warnings.push(format!("{at}: {message}"));
        });
        (value, warnings)
    }

    #[test]
    fn integer_bounds_keep_exclusiveness_and_refuse_a_zero_multiple() {
        let schema = IntegerType {
            minimum: Some(0),
            exclusive_minimum: true,
            maximum: Some(10),
            multiple_of: Some(0),
            ..IntegerType::default()
        };
        let (c, warnings) = collect(|w| integer(&schema, &Pointer::root(), w));
        assert_eq!(
            c.minimum,
            Some(Bound {
                value: Number::Int(0),
                exclusive: true
            })
        );
        assert_eq!(
            c.maximum,
            Some(Bound {
                value: Number::Int(10),
                exclusive: false
            })
        );
        assert_eq!(c.multiple_of, None);
        assert_eq!(
            warnings,
            ["#/multipleOf: multipleOf must be greater than 0, is 0; not enforced"]
        );
    }

    #[test]
    fn number_bounds_that_are_not_finite_are_dropped_with_a_warning() {
        let schema = NumberType {
            maximum: Some(f64::INFINITY),
            multiple_of: Some(0.5),
            exclusive_minimum: true,
            ..NumberType::default()
        };
        let (c, warnings) = collect(|w| number(&schema, &Pointer::root(), w));
        assert_eq!(c.maximum, None);
        assert_eq!(c.multiple_of, Some(Number::Float(0.5)));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("#/maximum: "), "{warnings:?}");
        assert!(
            warnings[1].starts_with("#/exclusiveMinimum: "),
            "{warnings:?}"
        );
    }

    #[test]
    fn unique_items_and_property_counts_are_warned_about() {
        let schema = ArrayType {
            items: None,
            min_items: Some(1),
            max_items: None,
            unique_items: true,
        };
        let (c, warnings) = collect(|w| array(&schema, &Pointer::root(), w));
        assert_eq!(c.min_items, Some(1));
        assert_eq!(
            warnings,
            ["#/uniqueItems: uniqueItems is not enforced before sending"]
        );
        let object_schema = ObjectType {
            min_properties: Some(1),
            ..ObjectType::default()
        };
        let ((), warnings) = collect(|w| object(&object_schema, &Pointer::root(), w));
        assert_eq!(
            warnings,
            ["#/minProperties: minProperties is not enforced before sending"]
        );
    }
}
