//! The checks before sending that enforce a value's [`Constraints`], and their wording in docs.
//!
//! Struct fields (in `Validate` impls) and parameters (in the operation methods) share these, so
//! a rule is checked and described the same way wherever it applies.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::code_span;
use crate::emit::ident;
use crate::ir::{Bound, Constraints, Number, TypeRef};

/// The statements that check `var` (bound in scope: a `&str` for a string, a reference to the
/// number, or a reference to the array) against `c`; each returns a
/// `runtime::ConstraintViolation` at `json_name`, converted with `.into()` when `into_error`.
/// `wire` is the type the value is sent as (through aliases).
pub(crate) fn constraint_checks(
    c: &Constraints,
    wire: &TypeRef,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<TokenStream> {
    match wire {
        TypeRef::String => string_checks(c, var, json_name, into_error),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64 => {
            number_checks(c, wire, var, json_name, into_error)
        }
        TypeRef::Vec(_) => item_count_checks(c, var, json_name, into_error),
        _ => Vec::new(),
    }
}

/// Length and pattern of a string.
fn string_checks(
    c: &Constraints,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<TokenStream> {
    let value = ident(var);
    let mut checks = Vec::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let min = option_tokens(c.min_length);
        let max = option_tokens(c.max_length);
        checks.push(quote! {
            runtime::check_length(#value, #min, #max).map_err(|e| e.at(#json_name))?;
        });
    }
    if let Some(pattern) = &c.pattern {
        checks.push(pattern_check(
            pattern,
            json_name,
            &quote!(#value),
            into_error,
        ));
    }
    checks
}

/// Bounds and `multipleOf` of a number, compared in the type that holds them exactly.
fn number_checks(
    c: &Constraints,
    wire: &TypeRef,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<TokenStream> {
    let number = Numeric::of(wire, var);
    let refuse = |reason: String| refusal(&reason, json_name, into_error);
    let mut rules = Vec::new();
    for (bound, is_minimum) in [(c.minimum, true), (c.maximum, false)] {
        let Some(bound) = bound else { continue };
        let Some(limit) = number.literal(bound.value) else {
            continue;
        };
        let (breaks, reason) = match (is_minimum, bound.exclusive) {
            (true, false) => (quote!(number < #limit), "at least"),
            (true, true) => (quote!(number <= #limit), "greater than"),
            (false, false) => (quote!(number > #limit), "at most"),
            (false, true) => (quote!(number >= #limit), "less than"),
        };
        let refused = refuse(format!("must be {reason} {}, is {{{var}}}", bound.value));
        rules.push(quote!(if #breaks { #refused }));
    }
    if let Some(step) = c.multiple_of
        && let Some(step_literal) = number.literal(step)
    {
        let refused = refuse(format!("must be a multiple of {step}, is {{{var}}}"));
        rules.push(if number.is_float {
            // Within rounding: 0.3 is a multiple of 0.1 although 0.3 / 0.1 is not 3.
            quote! {
                let quotient = number / #step_literal;
                if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
                    #refused
                }
            }
        } else {
            quote!(if number % #step_literal != 0 { #refused })
        });
    }
    if rules.is_empty() {
        return rules;
    }
    let held = &number.expr;
    let mut checks = vec![quote!(let number = #held;)];
    checks.extend(rules);
    checks
}

/// The item count of an array.
fn item_count_checks(
    c: &Constraints,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<TokenStream> {
    let value = ident(var);
    let refuse = |reason: String| refusal(&reason, json_name, into_error);
    let mut rules = Vec::new();
    if let Some(min) = c.min_items {
        let limit = Literal::usize_unsuffixed(min);
        let refused = refuse(format!(
            "must have at least {min} item{}, has {{count}}",
            plural(min)
        ));
        rules.push(quote!(if count < #limit { #refused }));
    }
    if let Some(max) = c.max_items {
        let limit = Literal::usize_unsuffixed(max);
        let refused = refuse(format!(
            "must have at most {max} item{}, has {{count}}",
            plural(max)
        ));
        rules.push(quote!(if count > #limit { #refused }));
    }
    if rules.is_empty() {
        return rules;
    }
    let mut checks = vec![quote!(let count = #value.len();)];
    checks.extend(rules);
    checks
}

/// The rules of `c` as doc text (`at least 1 character`, `greater than 0`, ...), and the
/// documented `default`.
pub(crate) fn rules(c: &Constraints) -> Vec<String> {
    let mut rules = Vec::new();
    if let Some(min) = c.min_length {
        rules.push(format!("at least {min} character{}", plural(min)));
    }
    if let Some(max) = c.max_length {
        rules.push(format!("at most {max} character{}", plural(max)));
    }
    if let Some(pattern) = &c.pattern {
        rules.push(format!("matches {}", code_span(pattern)));
    }
    for (bound, words) in [
        (c.minimum, ["at least", "greater than"]),
        (c.maximum, ["at most", "less than"]),
    ] {
        if let Some(Bound { value, exclusive }) = bound {
            rules.push(format!("{} {value}", words[usize::from(exclusive)]));
        }
    }
    if let Some(step) = c.multiple_of {
        rules.push(format!("a multiple of {step}"));
    }
    if let Some(min) = c.min_items {
        rules.push(format!("at least {min} item{}", plural(min)));
    }
    if let Some(max) = c.max_items {
        rules.push(format!("at most {max} item{}", plural(max)));
    }
    rules
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The number in `var` as it is compared (bound to `number`): `i128` for integers (any bound
/// fits), `f64` for floating-point numbers.
struct Numeric {
    expr: TokenStream,
    is_float: bool,
}

impl Numeric {
    fn of(wire: &TypeRef, var: &str) -> Self {
        let value = ident(var);
        match wire {
            TypeRef::F64 => Self {
                expr: quote!(*#value),
                is_float: true,
            },
            TypeRef::F32 => Self {
                expr: quote!(f64::from(*#value)),
                is_float: true,
            },
            _ => Self {
                expr: quote!(i128::from(*#value)),
                is_float: false,
            },
        }
    }

    /// `number` as a literal of the compared type; `None` when an integer value cannot hold it.
    fn literal(&self, number: Number) -> Option<Literal> {
        match (number, self.is_float) {
            (Number::Int(v), false) => Some(Literal::i128_unsuffixed(i128::from(v))),
            (Number::Int(v), true) => Some(Literal::f64_unsuffixed(v as f64)),
            (Number::Float(v), true) => Some(Literal::f64_unsuffixed(v)),
            (Number::Float(_), false) => None,
        }
    }
}

/// `return Err(..)` with a violation at `json_name` whose reason is the format string `reason`.
fn refusal(reason: &str, json_name: &str, into_error: bool) -> TokenStream {
    let convert = into_error.then(|| quote!(.into()));
    quote! {
        return Err(runtime::ConstraintViolation::new(format!(#reason)).at(#json_name) #convert);
    }
}

/// Checks `var` (a `&str` in scope) against a `pattern`; the compiled regex lives in a static
/// local to the check, so names never clash.
fn pattern_check(
    pattern: &str,
    json_name: &str,
    var: &TokenStream,
    into_error: bool,
) -> TokenStream {
    let reason = format!("does not match the pattern {pattern}");
    let convert = into_error.then(|| quote!(.into()));
    quote! {
        static PATTERN: ::std::sync::LazyLock<Option<regex::Regex>> =
            ::std::sync::LazyLock::new(|| regex::Regex::new(#pattern).ok());
        if PATTERN.as_ref().is_some_and(|re| !re.is_match(#var)) {
            return Err(runtime::ConstraintViolation::new(#reason).at(#json_name) #convert);
        }
    }
}

/// `Some(n)` or `None`, with an unsuffixed literal.
fn option_tokens(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Literal::usize_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded() -> Constraints {
        Constraints {
            minimum: Some(Bound {
                value: Number::Int(0),
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: Number::Int(10),
                exclusive: false,
            }),
            multiple_of: Some(Number::Int(2)),
            ..Constraints::default()
        }
    }

    #[test]
    fn rules_read_as_the_checks_do() {
        assert_eq!(
            rules(&bounded()),
            ["greater than 0", "at most 10", "a multiple of 2"]
        );
        let items = Constraints {
            min_items: Some(1),
            max_items: Some(3),
            ..Constraints::default()
        };
        assert_eq!(rules(&items), ["at least 1 item", "at most 3 items"]);
    }

    #[test]
    fn checks_follow_the_wire_type() {
        let text = |wire: &TypeRef| {
            constraint_checks(&bounded(), wire, "value", "n", false)
                .iter()
                .map(ToString::to_string)
                .collect::<String>()
        };
        let integer = text(&TypeRef::I32);
        assert!(integer.contains("i128 :: from"), "{integer}");
        assert!(integer.contains("number <= 0"), "{integer}");
        assert!(integer.contains("number % 2"), "{integer}");
        let float = text(&TypeRef::F32);
        assert!(float.contains("f64 :: from"), "{float}");
        assert!(float.contains("number <= 0.0"), "{float}");
        assert!(float.contains("round"), "{float}");
        assert_eq!(text(&TypeRef::String), "", "no number rules on a string");
        assert_eq!(text(&TypeRef::Date), "");
    }
}
