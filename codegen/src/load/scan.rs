//! The first pass over the document text, before the typed parse: syntax, repeated keys, the
//! bounds on nesting and on what YAML aliases expand to, values JSON cannot hold, and keys the
//! typed model would drop without a word.
//!
//! - Flow collections (`[`, `{`) nested deeper than [`MAX_FLOW_DEPTH`] are refused before the YAML
//!   parser sees them (its time grows with the square of the depth).
//! - The document after alias expansion may be at most [`EXPANSION_FACTOR`] times the size of its
//!   text plus [`EXPANSION_SLACK`] (one unit per node plus the bytes of every string and key), so
//!   memory and output stay proportional to the text.
//! - `.inf`, `.nan`, integers beyond 64 bits, custom YAML tags and merge keys (`<<`) are refused
//!   with their pointer: the typed model would misread them (or panic inside `openapiv3`).
//! - Path keys without a leading `/` and response keys that are not status codes get a warning:
//!   the typed model drops them.

use std::collections::HashSet;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Value};

use crate::error::Warning;
use crate::pointer::Pointer;

/// Deepest nesting of YAML flow collections read.
pub(crate) const MAX_FLOW_DEPTH: usize = 256;
/// How many times its own size a document may grow to when its YAML aliases are expanded.
pub(crate) const EXPANSION_FACTOR: usize = 4;
/// Expansion every document may have beyond [`EXPANSION_FACTOR`] (1 MiB).
pub(crate) const EXPANSION_SLACK: usize = 1 << 20;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the first pass learned: the document as a value and the warnings about dropped keys.
pub(crate) struct Outline {
    /// The document as the order-keeping value `serde_yaml::from_str` (or, for JSON,
    /// `serde_json::from_str`) would give, so the text is not parsed a second time for it.
    pub root: Value,
    /// Operations the typed model drops (each named in a warning).
    pub lost_operations: usize,
    pub warnings: Vec<Warning>,
}

impl Outline {
    /// The top-level member `key` (`openapi`, `swagger`): its text, or how it looks when it is
    /// not a string.
    pub(crate) fn version_member(&self, key: &str) -> Option<Result<String, String>> {
        self.root.get(key).map(|value| match value {
            Value::String(text) => Ok(text.clone()),
            Value::Number(number) => Err(number_text(number)),
            other => Err(kind(other).to_string()),
        })
    }
}

/// A number as the scan reads it: integers in full, floats as Rust prints an `f64`.
fn number_text(number: &serde_yaml::Number) -> String {
    if let Some(value) = number.as_u64() {
        value.to_string()
    } else if let Some(value) = number.as_i64() {
        value.to_string()
    } else {
        number.as_f64().unwrap_or(f64::NAN).to_string()
    }
}

/// The kind of a value, for messages (`an object`, `a string`, ...), as the shape walk names it.
pub(crate) fn kind(value: &Value) -> &'static str {
    serde_json::to_value(value).map_or("a tagged value", |json| crate::shape::kind(&json))
}

/// Why the first pass stopped: a problem at a place, or text that does not parse.
pub(crate) enum ScanError {
    At(Pointer, String),
    Syntax(String),
}

/// Runs the first pass over `text` (JSON when `is_json`, else YAML). It runs without
/// tracking where it is (which costs an allocation per key); a document it stops at is read
/// again with its path tracked, for the place of the problem.
pub(crate) fn scan(text: &str, is_json: bool) -> Result<Outline, ScanError> {
    if !is_json {
        check_flow_depth(text)?;
    }
    let mut state = State::new(text, is_json);
    let result = pass(text, is_json, &mut state, None);
    match result {
        Ok(root) => Ok(Outline {
            root,
            lost_operations: state.lost_operations,
            warnings: state.warnings,
        }),
        Err(message) => Err(match state.problem {
            Some(problem) => ScanError::At(place_of_problem(text, is_json), problem),
            None => ScanError::Syntax(message),
        }),
    }
}

/// Where the first pass stops in `text`, which it has stopped at once: the pass again, its path
/// tracked.
fn place_of_problem(text: &str, is_json: bool) -> Pointer {
    let mut track = serde_path_to_error::Track::new();
    // The pass fails as it did; what is kept is where.
    let _failed = pass(
        text,
        is_json,
        &mut State::new(text, is_json),
        Some(&mut track),
    );
    super::shape_pointer(&track.path())
}

/// One pass over the whole of `text`: the document as a value, or the parser's message;
/// `track`, when given, follows where the pass is.
fn pass(
    text: &str,
    is_json: bool,
    state: &mut State,
    track: Option<&mut serde_path_to_error::Track>,
) -> Result<Value, String> {
    let root = Node {
        state,
        place: Place::Root,
    };
    if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = match track {
            Some(track) => root.deserialize(serde_path_to_error::Deserializer::new(&mut de, track)),
            None => root.deserialize(&mut de),
        };
        value
            .and_then(|seen| de.end().map(|()| seen))
            .map_err(|e| e.to_string())
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        let value = match track {
            Some(track) => root.deserialize(serde_path_to_error::Deserializer::new(de, track)),
            None => root.deserialize(de),
        };
        value.map_err(|e| e.to_string())
    }
}

/// Refuses YAML whose flow collections nest deeper than [`MAX_FLOW_DEPTH`], counting brackets
/// (also those inside strings, which only makes the check stricter than the parser).
fn check_flow_depth(text: &str) -> Result<(), ScanError> {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(ScanError::At(
                        Pointer::root(),
                        format!(
                            "flow collections (`[`, `{{`) are nested more than {MAX_FLOW_DEPTH} levels deep"
                        ),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct State {
    /// Nodes and string bytes the rest of the document may still hold.
    budget: usize,
    is_yaml: bool,
    /// The problem the pass stopped at (its place is the tracked path).
    problem: Option<String>,
    /// Operations under paths the typed model drops.
    lost_operations: usize,
    warnings: Vec<Warning>,
}

impl State {
    /// The state at the start of a pass over `text`.
    fn new(text: &str, is_json: bool) -> Self {
        State {
            budget: text
                .len()
                .saturating_mul(EXPANSION_FACTOR)
                .saturating_add(EXPANSION_SLACK),
            is_yaml: !is_json,
            problem: None,
            lost_operations: 0,
            warnings: Vec::new(),
        }
    }

    /// Takes `size` from the budget, or stops the pass.
    fn spend<E: de::Error>(&mut self, size: usize) -> Result<(), E> {
        match self.budget.checked_sub(size.saturating_add(1)) {
            Some(rest) => {
                self.budget = rest;
                Ok(())
            }
            None => self.stop(format!(
                "the document expands to more than {EXPANSION_FACTOR} times its size plus 1 MiB when its YAML aliases are resolved; write repeated parts once and refer to them with $ref"
            )),
        }
    }

    fn stop<T, E: de::Error>(&mut self, problem: String) -> Result<T, E> {
        let error = E::custom(&problem);
        self.problem = Some(problem);
        Err(error)
    }
}

/// Where a value sits, for the checks on path and status keys and on exclusive members.
#[derive(Clone)]
enum Place {
    Root,
    Paths(Pointer),
    /// A path item, and whether the typed model keeps it (its path starts with `/`).
    PathItem(Pointer, bool),
    Operation(Pointer),
    Responses(Pointer),
    /// A list or map of parameters, a map of headers or of links.
    Holder(Exclusive),
    /// An object that may hold only one of two members.
    Object(Exclusive),
    /// The property map of a schema: its keys are names, its values schemas.
    Properties,
    /// An example, default, enum value or extension: any JSON, nothing checked.
    Free,
    Other,
}

/// Two members of which an object may have one (`openapiv3` flattens them into one enum and
/// panics when both are there, in some orders).
#[derive(Clone, Copy)]
struct Exclusive {
    what: &'static str,
    members: [&'static str; 2],
}

const PARAMETER: Exclusive = Exclusive {
    what: "a parameter or header",
    members: ["schema", "content"],
};
const LINK: Exclusive = Exclusive {
    what: "a link",
    members: ["operationRef", "operationId"],
};

impl Place {
    /// The place of the value under `key`, warning about keys the typed model drops.
    fn child(&self, key: &str, state: &mut State) -> Place {
        match self {
            Place::Root => match key {
                "paths" => Place::Paths(Pointer::root().join("paths")),
                _ => Place::Other.child(key, state),
            },
            Place::Paths(at) => {
                let here = at.join(key);
                if !key.starts_with('/') && !key.starts_with("x-") {
                    state.warnings.push(warning(
                        &here,
                        "a path must start with `/`; this path is left out",
                    ));
                }
                Place::PathItem(here, key.starts_with('/'))
            }
            Place::PathItem(at, kept) if METHODS.contains(&key) => {
                let here = at.join(key);
                if !kept {
                    state.lost_operations += 1;
                    state.warnings.push(warning(
                        &here,
                        "operation left out: its path does not start with `/`",
                    ));
                }
                Place::Operation(here)
            }
            Place::Operation(at) if key == "responses" => Place::Responses(at.join(key)),
            Place::Responses(at) => {
                if !is_status_key(key) {
                    state.warnings.push(warning(
                        &at.join(key),
                        "not a status code (`100` to `599`, `1XX` to `5XX`) or `default`; this response is left out",
                    ));
                }
                Place::Other
            }
            Place::Holder(exclusive) => Place::Object(*exclusive),
            Place::Properties => Place::Other,
            Place::Free => Place::Free,
            _ => match key {
                "parameters" => Place::Holder(PARAMETER),
                "headers" => Place::Holder(PARAMETER),
                "links" => Place::Holder(LINK),
                "properties" => Place::Properties,
                "example" | "examples" | "default" | "enum" => Place::Free,
                key if key.starts_with("x-") => Place::Free,
                _ => Place::Other,
            },
        }
    }

    /// The place of an element of a list.
    fn element(&self) -> Place {
        match self {
            Place::Holder(exclusive) => Place::Object(*exclusive),
            Place::Free => Place::Free,
            _ => Place::Other,
        }
    }
}

/// The response keys the typed model keeps: `default`, extensions, three digits from 100, `nXX`.
fn is_status_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key == "default"
        || key.starts_with("x-")
        || (bytes.len() == 3
            && bytes[0].is_ascii_digit()
            && (key.parse::<u16>().is_ok_and(|code| code >= 100)
                || bytes[1..].eq_ignore_ascii_case(b"XX")))
}

fn warning(at: &Pointer, message: &str) -> Warning {
    Warning {
        pointer: at.to_string(),
        message: message.to_string(),
    }
}

/// One value of the document.
struct Node<'s> {
    state: &'s mut State,
    place: Place,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Builds the value as `serde_yaml::Value`'s own `Deserialize` would, checking on the way.
impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        self.state.spend(0)?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        self.state.spend(0)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        self.state.spend(0)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        match i64::try_from(value) {
            Ok(value) => self.visit_i64(value),
            Err(_) => self.state.stop(format!(
                "the integer {value} does not fit in 64 bits; write it as a string if it is not a number"
            )),
        }
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => self.state.stop(format!(
                "the integer {value} does not fit in 64 bits; write it as a string if it is not a number"
            )),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        if !value.is_finite() {
            return self.state.stop(format!(
                "{value} is not a number JSON can hold (YAML `.inf`, `.nan` or out of range); OpenAPI documents hold JSON values"
            ));
        }
        self.state.spend(0)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        self.state.spend(value.len())?;
        Ok(Value::String(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.state.spend(0)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, _) = data.variant::<String>()?;
        self.state.stop(format!(
            "the custom YAML tag `!{tag}` is not supported; OpenAPI documents hold plain JSON values"
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.state.spend(0)?;
        let place = self.place.element();
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Node {
            state: &mut *self.state,
            place: place.clone(),
        })? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.state.spend(0)?;
        let mut exclusive_seen = [false; 2];
        let mut members = Mapping::new();
        // The texts of the keys that are not strings; string keys are found in `members`.
        let mut other_keys: HashSet<String> = HashSet::new();
        while let Some((key_value, other_text)) = map.next_key_seed(Key(&mut *self.state))? {
            let key = match (&key_value, &other_text) {
                (_, Some(text)) => text.as_str(),
                (Value::String(text), None) => text.as_str(),
                (_, None) => "",
            };
            if let Place::Object(exclusive) = &self.place {
                for (member, found) in exclusive.members.iter().zip(&mut exclusive_seen) {
                    *found |= key == *member;
                }
            }
            if members.contains_key(key) || other_keys.contains(key) {
                return self.state.stop(format!(
                    "duplicate key {key:?}: a key may appear only once in an object"
                ));
            }
            if self.state.is_yaml && key == "<<" {
                return self.state.stop(
                    "YAML merge keys (`<<`) are not supported; write the members out or use allOf"
                        .to_string(),
                );
            }
            let place = self.place.child(key, self.state);
            other_keys.extend(other_text);
            let value = map.next_value_seed(Node {
                state: &mut *self.state,
                place,
            })?;
            members.insert(key_value, value);
        }
        if let (Place::Object(exclusive), [true, true]) = (&self.place, exclusive_seen) {
            let [first, second] = exclusive.members;
            return self.state.stop(format!(
                "{} has either `{first}` or `{second}`, not both",
                exclusive.what
            ));
        }
        Ok(Value::Mapping(members))
    }
}

/// A mapping key as a value, with its text where the key is not a string (YAML keys may be
/// numbers, such as status codes, or null; a string key's text is the string). Integers beyond
/// 64 bits, which `serde_yaml::Value` cannot hold, are kept as strings of their digits.
struct Key<'s>(&'s mut State);

/// What [`Key`] reads: the key and, for a key that is not a string, its text.
type KeyRead = (Value, Option<String>);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = KeyRead;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Key<'_> {
    fn string<E: de::Error>(self, text: String) -> Result<KeyRead, E> {
        self.0.spend(text.len())?;
        Ok((Value::String(text), None))
    }

    fn other<E: de::Error>(self, text: String, value: Value) -> Result<KeyRead, E> {
        self.0.spend(text.len())?;
        Ok((value, Some(text)))
    }

    fn not_scalar<E: de::Error>(self) -> Result<KeyRead, E> {
        self.0
            .stop("a key must be a string (or a number); this key is a collection".to_string())
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = KeyRead;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        self.other(value.to_string(), Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        self.other(value.to_string(), Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        self.other(value.to_string(), Value::Number(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Self::Value, E> {
        self.string(value.to_string())
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Self::Value, E> {
        self.string(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        self.other(value.to_string(), Value::Number(value.into()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        self.string(value.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.other("null".to_string(), Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.not_scalar()
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.not_scalar()
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        self.not_scalar()
    }
}

/// The line (1-based) of the value at `pointer` in the document text, when the parser can tell
/// (for YAML, the line where the object holding it starts).
pub(crate) fn line_of(text: &str, is_json: bool, pointer: &Pointer) -> Option<usize> {
    let segments = pointer.segments();
    let target = segments.as_slice();
    if target.is_empty() {
        return None;
    }
    let seek = Seek { target, depth: 0 };
    if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        match seek.deserialize(&mut de) {
            Err(e) if e.to_string().contains(FOUND) => Some(e.line()),
            _ => None,
        }
    } else {
        match seek.deserialize(serde_yaml::Deserializer::from_str(text)) {
            Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| l.line()),
            _ => None,
        }
    }
}

/// The message [`Seek`] stops with when it reaches its target.
const FOUND: &str = "found the place";

/// Walks down to `target[depth..]`, skipping everything else, and stops at the target's key.
struct Seek<'t> {
    target: &'t [String],
    depth: usize,
}

impl Seek<'_> {
    fn at_key<E: de::Error>(&self, key: &str) -> Result<Option<Seek<'_>>, E> {
        if self.target.get(self.depth).map(String::as_str) != Some(key) {
            return Ok(None);
        }
        if self.depth + 1 == self.target.len() {
            return Err(E::custom(FOUND));
        }
        Ok(Some(Seek {
            target: self.target,
            depth: self.depth + 1,
        }))
    }
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let found = match self.at_key::<A::Error>(&index.to_string())? {
                Some(inner) => seq.next_element_seed(inner)?,
                None => seq.next_element::<de::IgnoredAny>()?.map(|_| ()),
            };
            if found.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match self.at_key::<A::Error>(&key)? {
                Some(inner) => map.next_value_seed(inner)?,
                None => map.next_value::<de::IgnoredAny>().map(|_| ())?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value the scan builds, or its error message.
    fn scanned(text: &str, is_json: bool) -> Value {
        match scan(text, is_json) {
            Ok(outline) => outline.root,
            Err(ScanError::At(at, message)) => panic!("{at}: {message}"),
            Err(ScanError::Syntax(message)) => panic!("{message}"),
        }
    }

    /// Keys that read as the same text are one key, whatever their YAML type; the problem
    /// names the map that holds them.
    #[test]
    fn keys_of_the_same_text_are_repeated_keys() {
        for (first, second) in [
            ("200", "'200'"),
            ("'200'", "200"),
            ("true", "'true'"),
            ("7", "7"),
            ("a", "'a'"),
        ] {
            let text = format!("openapi: 3.0.3\nx-map:\n  {first}: 1\n  {second}: 2\n");
            match scan(&text, false) {
                Err(ScanError::At(at, message)) => {
                    assert_eq!(at.to_string(), "#/x-map", "{first} {second}");
                    assert!(message.starts_with("duplicate key"), "{message}");
                }
                _ => panic!("{first} and {second} are one key"),
            }
        }
        let text = "openapi: 3.0.3\nx-map:\n  200: 1\n  '201': 2\n  null: 3\n  'nul': 4\n";
        let map = scanned(text, false);
        assert_eq!(
            map.get("x-map")
                .and_then(Value::as_mapping)
                .map(Mapping::len),
            Some(4)
        );
    }

    #[test]
    fn the_value_is_the_one_serde_yaml_reads() {
        let yaml = "openapi: 3.0.3\ninfo: &info {title: 12, version: 1.0, x-n: -3, x-f: 2.5}\n\
                    paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n        '404': {description: ~}\n\
                    x-copy: *info\nx-list: [true, null, 'yes', \"q\", 18446744073709551615]\n\
                    x-keys: {1: a, true: b, null: c, 1.5: d}\n";
        let expected: Value = serde_yaml::from_str(yaml).expect("valid YAML");
        assert_eq!(scanned(yaml, false), expected);
        let json = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "x": [1, -2, 2.5, 1e300, null, true, {"b": 1, "a": [{}]}]}"#;
        let expected: Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(scanned(json, true), expected);
        // Mappings keep the document's order.
        let keys = scanned("{z: 1, a: 2, m: 3}", false)
            .as_mapping()
            .map(|m| m.keys().filter_map(Value::as_str).collect::<String>())
            .unwrap_or_default();
        assert_eq!(keys, "zam");
    }

    #[test]
    fn version_members_read_as_before() {
        let outline = |text: &str| scan(text, false).ok().expect("scans");
        let doc = outline("openapi: 3.0\nswagger: [1]\n");
        assert_eq!(doc.version_member("openapi"), Some(Err("3".to_string())));
        assert_eq!(
            doc.version_member("swagger"),
            Some(Err("an array".to_string()))
        );
        assert_eq!(doc.version_member("info"), None);
        let doc = outline("openapi: '3.1.0'\nswagger: 2\n");
        assert_eq!(doc.version_member("openapi"), Some(Ok("3.1.0".to_string())));
        assert_eq!(doc.version_member("swagger"), Some(Err("2".to_string())));
    }
}
