//! The checks before sending that enforce a value's [`Constraints`], and their wording in docs.
//!
//! Struct fields (in `Validate` impls) and parameters (in the operation methods) share these, so
//! a rule is checked and described the same way wherever it applies.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::code_span;
use crate::emit::ident;
use crate::emit::text::{MAX_LINE, Written, map_err_chain};
use crate::ir::{Bound, Constraints, Number, TypeRef};

/// The statements that check `var` (bound in scope: a `&str` for a string, a reference to the
/// number, or a reference to the array) against `c`; each returns a
/// `runtime::ConstraintViolation` at `json_name`, converted with `.into()` when `into_error`.
/// `wire` is the type the value is sent as (through aliases). Each is text indented by
/// [`CHECK_INDENT`] (the block of a [`check_statement`]); a length check is laid out, the
/// others are formatted.
pub(crate) fn constraint_checks(
    c: &Constraints,
    wire: &TypeRef,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<Written> {
    let (laid_out, formatted) = match wire {
        TypeRef::String => (
            length_check(c, var, json_name),
            pattern_check(c, var, json_name, into_error),
        ),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64 => {
            (None, number_checks(c, wire, var, json_name, into_error))
        }
        TypeRef::Vec(_) => (None, item_count_checks(c, var, json_name, into_error)),
        _ => (None, Vec::new()),
    };
    let formatted = formatted.into_iter().map(|tokens| Written {
        text: format!("{CHECK_INDENT}{tokens}\n"),
        known: false,
    });
    laid_out.into_iter().chain(formatted).collect()
}

/// The indent of the checks in a [`check_statement`]: a block in a method of an `impl` block.
pub(crate) const CHECK_INDENT: &str = "            ";

/// A statement (indented by 8, in a method of an `impl` block) that opens with `open` (its
/// first line, or lines, with their line breaks) and runs `checks` in its block.
pub(crate) fn check_statement(open: &str, checks: Vec<Written>) -> Written {
    let known = checks.iter().all(|check| check.known);
    let mut text = open.to_string();
    for check in checks {
        text.push_str(&check.text);
    }
    text.push_str("        }\n");
    let known = known && text.lines().all(|line| line.len() <= MAX_LINE);
    Written { text, known }
}

/// The length of a string, laid out where it fits.
fn length_check(c: &Constraints, var: &str, json_name: &str) -> Option<Written> {
    if c.min_length.is_none() && c.max_length.is_none() {
        return None;
    }
    let bound = |value: Option<usize>| value.map_or("None".to_string(), |v| format!("Some({v})"));
    let call = format!(
        "runtime::check_length({var}, {}, {})",
        bound(c.min_length),
        bound(c.max_length)
    );
    Some(map_err_chain(CHECK_INDENT, &call, json_name))
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

/// Checks `var` (a `&str` in scope) against the `pattern` of `c`; the compiled regex lives in
/// a static local to the check, so names never clash.
fn pattern_check(
    c: &Constraints,
    var: &str,
    json_name: &str,
    into_error: bool,
) -> Vec<TokenStream> {
    let Some(pattern) = &c.pattern else {
        return Vec::new();
    };
    let var = ident(var);
    let reason = format!("does not match the pattern {pattern}");
    let convert = into_error.then(|| quote!(.into()));
    vec![quote! {
        static PATTERN: ::std::sync::LazyLock<Option<regex::Regex>> =
            ::std::sync::LazyLock::new(|| regex::Regex::new(#pattern).ok());
        if PATTERN.as_ref().is_some_and(|re| !re.is_match(#var)) {
            return Err(runtime::ConstraintViolation::new(#reason).at(#json_name) #convert);
        }
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::tests::{formatted, in_impl};

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
    fn laid_out_length_checks_read_as_formatted() {
        let (mut one_line, mut broken, mut longest) = (0, 0, 0);
        for len in 1..=70 {
            let field = "f".repeat(len);
            let length = Constraints {
                min_length: Some(1),
                max_length: (len % 2 == 0).then_some(len),
                ..Constraints::default()
            };
            for open in [
                format!("        if let Some(value) = self.{field}.as_deref() {{\n"),
                format!("        {{\n            let value = self.{field}.as_str();\n"),
            ] {
                let checks = constraint_checks(&length, &TypeRef::String, "value", &field, false);
                let statement = check_statement(&open, checks);
                if !statement.known {
                    continue;
                }
                if statement.text.contains("\n                .map_err") {
                    broken += 1;
                } else {
                    one_line += 1;
                }
                let widest = statement.text.lines().map(str::len).max().unwrap_or(0);
                longest = longest.max(widest);
                let text = in_impl(&format!("    fn f() {{\n{}    }}\n", statement.text));
                assert_eq!(formatted(&text), text, "{len}");
            }
        }
        assert!(one_line > 10 && broken > 10, "{one_line} {broken}");
        assert_eq!(longest, MAX_LINE);
    }

    #[test]
    fn checks_follow_the_wire_type() {
        let text = |wire: &TypeRef| {
            constraint_checks(&bounded(), wire, "value", "n", false)
                .into_iter()
                .map(|check| check.text)
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
