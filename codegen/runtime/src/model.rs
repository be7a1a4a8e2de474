//! Support for generated models: checks before a request is sent, enum parsing, parameter text.

use std::collections::BTreeMap;
use std::fmt;

/// A value that breaks a documented constraint (`minLength`, `maxLength`, `pattern`,
/// `minimum`/`maximum` and their exclusive forms, `multipleOf`, `minItems`/`maxItems`, a closed
/// `enum`) or that JSON cannot carry (NaN, infinity), found before the request was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolation {
    pointer: String,
    reason: String,
}

impl ConstraintViolation {
    /// A violation at the value itself.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            pointer: String::new(),
            reason: reason.into(),
        }
    }

    /// An enum value outside the documented ones (an `Unknown` variant), which the server would
    /// refuse.
    pub fn undocumented<V: fmt::Debug + ?Sized, D: fmt::Display>(
        value: &V,
        documented: &[D],
    ) -> Self {
        let documented: Vec<String> = documented.iter().map(ToString::to_string).collect();
        Self::new(format!(
            "{value:?} is not one of the documented values ({})",
            documented.join(", ")
        ))
    }

    /// The same violation one level down, inside `segment` (a member name or an array index).
    pub fn at(mut self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        self.pointer = format!("/{segment}{}", self.pointer);
        self
    }

    /// JSON pointer of the offending value inside the request (for example `/customerNumber`).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What is wrong with the value.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.pointer, self.reason)
        }
    }
}

impl std::error::Error for ConstraintViolation {}

impl<E> From<ConstraintViolation> for super::Error<E> {
    fn from(violation: ConstraintViolation) -> Self {
        super::Error::invalid_request(violation.pointer, violation.reason)
    }
}

/// Checks the length of a string in characters (Unicode scalar values), as JSON Schema counts.
pub fn check_length(
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ConstraintViolation> {
    let length = value.chars().count();
    if let Some(min) = min.filter(|min| length < *min) {
        return Err(ConstraintViolation::new(format!(
            "must be at least {min} characters long, is {length}"
        )));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        return Err(ConstraintViolation::new(format!(
            "must be at most {max} characters long, is {length}"
        )));
    }
    Ok(())
}

/// Checks a value against the constraints of its schema before it is sent.
pub trait Validate {
    /// `Err` names the first offending value by its JSON pointer inside `self`.
    fn validate(&self) -> Result<(), ConstraintViolation>;
}

// `#[inline]` on the checks of numbers: generated types call them for every number field, from
// another crate, where a plain function is not inlined (callgrind: 1,500 instructions per
// 20-line order without it).
impl Validate for f64 {
    #[inline]
    fn validate(&self) -> Result<(), ConstraintViolation> {
        if self.is_finite() {
            Ok(())
        } else {
            Err(not_finite(*self))
        }
    }
}

impl Validate for f32 {
    #[inline]
    fn validate(&self) -> Result<(), ConstraintViolation> {
        f64::from(*self).validate()
    }
}

#[cold]
fn not_finite(value: f64) -> ConstraintViolation {
    ConstraintViolation::new(format!("must be a finite number, is {value}"))
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        (**self).validate()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        match self {
            Some(value) => value.validate(),
            None => Ok(()),
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        (**self).validate()
    }
}

impl<T: Validate> Validate for [T] {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        for (index, item) in self.iter().enumerate() {
            item.validate().map_err(|e| e.at(index))?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        self.as_slice().validate()
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self) -> Result<(), ConstraintViolation> {
        for (key, value) in self {
            value.validate().map_err(|e| e.at(key))?;
        }
        Ok(())
    }
}

/// A string that is not one of an enum's documented values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    value: String,
}

impl ParseEnumError {
    /// `value` is not a documented value of `type_name`.
    pub fn new(type_name: &'static str, value: &str) -> Self {
        Self {
            type_name,
            value: value.to_string(),
        }
    }

    /// The rejected value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a documented value of {}",
            self.value, self.type_name
        )
    }
}

impl std::error::Error for ParseEnumError {}

/// How a value is written as a path segment, query value or header value.
pub trait ToParam {
    /// The value as text, before percent-encoding.
    fn to_param(&self) -> String;
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {
        $(impl ToParam for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}
display_param!(bool, i32, i64, u64, f32, f64, chrono::NaiveDate);

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}
