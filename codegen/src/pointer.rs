//! JSON pointers (RFC 6901, `#/...` fragment form) naming places in the document.

use std::collections::HashSet;
use std::fmt::{self, Write};
use std::hash::Hash;

/// A JSON pointer built segment by segment while walking the document. It is held as its
/// escaped text after the `#` (`/paths/~1pets/get`), so that a step down is one copy of a
/// string rather than of every segment; pointers compare by their segments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Pointer {
    escaped: String,
}

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This pointer with one more segment.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let mut escaped = String::with_capacity(self.escaped.len() + 16);
        escaped.push_str(&self.escaped);
        escaped.push('/');
        // Writing through the escaper needs no copy of the segment; it cannot fail.
        let _ = write!(Escaper(&mut escaped), "{segment}");
        Self { escaped }
    }

    /// Parses a local `$ref` such as `#/components/schemas/Customer`.
    pub fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        let mut pointer = Self::root();
        for segment in rest.split('/') {
            let segment = percent_decode(segment)
                .replace("~1", "/")
                .replace("~0", "~");
            pointer = pointer.join(segment);
        }
        Some(pointer)
    }

    /// The pointer one level up (the root stays the root).
    pub fn parent(&self) -> Self {
        let end = self.escaped.rfind('/').unwrap_or(0);
        Self {
            escaped: self.escaped[..end].to_string(),
        }
    }

    /// The segments, unescaped.
    pub fn segments(&self) -> Vec<String> {
        self.escaped_segments().map(unescape).collect()
    }

    fn escaped_segments(&self) -> impl Iterator<Item = &str> {
        self.escaped.split('/').skip(1)
    }
}

impl PartialOrd for Pointer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pointer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.escaped_segments()
            .map(unescape)
            .cmp(other.escaped_segments().map(unescape))
    }
}

/// A segment as written in a pointer (`~` as `~0`, `/` as `~1`) back to its text.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Writes text into a pointer with `~` as `~0` and `/` as `~1`.
struct Escaper<'a>(&'a mut String);

impl fmt::Write for Escaper<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
        Ok(())
    }
}

/// `$ref` values may percent-encode characters (`%7B` for `{`); decode the ASCII ones.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_string())
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        f.write_str(&self.escaped)
    }
}

/// The schema name a `#/components/schemas/<name>` reference names (`None` for any other form).
pub(crate) fn schema_ref_name(reference: &str) -> Option<String> {
    component_ref_name(reference, "schemas")
}

/// The name a `#/components/<section>/<name>` reference names (`None` for any other form).
pub(crate) fn component_ref_name(reference: &str, section: &str) -> Option<String> {
    // The usual spelling, a name with nothing to decode, read as it is.
    let plain = reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|name| !name.contains(['/', '~', '%']));
    if let Some(name) = plain {
        return Some(name.to_string());
    }
    match Pointer::parse_ref(reference)?.segments().as_slice() {
        [components, s, name] if components == "components" && s == section => Some(name.clone()),
        _ => None,
    }
}

/// How many links one chain of references is followed through at most: `$ref`s to components
/// that are themselves `$ref`s (schemas, parameters, request bodies, responses), or named
/// aliases of aliases. A cycle is caught where it closes, so this only bounds the work a
/// hostile document can ask of one lookup; real documents chain two or three links.
pub(crate) const MAX_REF_HOPS: usize = 1024;

/// One link of a chain: where it goes next, or what the chain ends at.
pub(crate) enum Hop<R, T> {
    Next(R),
    End(T),
}

/// How a chain of references ended.
pub(crate) enum Chain<R, T> {
    /// At a value that is not a reference.
    End(T),
    /// Back at a link it passed: the links followed, the last one repeating an earlier one.
    Cycle(Vec<R>),
    /// Longer than [`MAX_REF_HOPS`] links without ending or repeating.
    TooLong,
}

/// Follows a chain of references from `first`; `hop` reads one link (how the next one is found
/// is the caller's: a component map, the document, the type arena). The one chain follower of
/// the generator, so every kind of `$ref` is followed as far, and cycles are caught alike.
pub(crate) fn follow_chain<R: Eq + Hash + Clone, T>(
    first: R,
    mut hop: impl FnMut(&R) -> Hop<R, T>,
) -> Chain<R, T> {
    let mut seen = HashSet::from([first.clone()]);
    let mut links = vec![first];
    while links.len() <= MAX_REF_HOPS {
        let Some(current) = links.last() else {
            break;
        };
        match hop(current) {
            Hop::End(end) => return Chain::End(end),
            Hop::Next(next) => {
                let repeats = !seen.insert(next.clone());
                links.push(next);
                if repeats {
                    return Chain::Cycle(links);
                }
            }
        }
    }
    Chain::TooLong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        let p = Pointer::root()
            .join("paths")
            .join("/api/v1/salesorders")
            .join("post")
            .join("a~b");
        assert_eq!(p.to_string(), "#/paths/~1api~1v1~1salesorders/post/a~0b");
    }

    #[test]
    fn steps_up_and_down_and_orders_by_segments() {
        let a = Pointer::root().join("a");
        let empty = a.join("");
        assert_eq!(empty.to_string(), "#/a/");
        assert_eq!(empty.segments(), ["a", ""]);
        assert_eq!(empty.parent(), a);
        assert_eq!(a.parent(), Pointer::root());
        assert_eq!(Pointer::root().parent(), Pointer::root());
        assert!(Pointer::root().segments().is_empty());
        // By segments, not by the escaped text (where `-` sorts before `/`).
        assert!(a.join("x") < Pointer::root().join("a-b"));
        assert!(a.join("~") > a.join("/"));
    }

    #[test]
    fn parses_refs_round_trip() {
        let p = Pointer::parse_ref("#/components/schemas/Sales~1Order").expect("local ref");
        assert_eq!(p.segments(), ["components", "schemas", "Sales/Order"]);
        assert_eq!(p.to_string(), "#/components/schemas/Sales~1Order");
        assert_eq!(
            Pointer::parse_ref("#/paths/%7Bid%7D").map(|p| p.segments()),
            Some(vec!["paths".to_string(), "{id}".to_string()])
        );
        assert!(Pointer::parse_ref("other.yaml#/a").is_none());
        assert!(Pointer::parse_ref("#/a/%zz").is_some());
        assert!(Pointer::parse_ref("#/a/%4").is_some());
    }

    /// The plain spelling read as it is gives what decoding the pointer gives.
    #[test]
    fn component_names_read_plain_or_decoded_alike() {
        let cases = [
            ("#/components/schemas/Order", Some("Order")),
            ("#/components/schemas/", Some("")),
            ("#/components/schemas/Sales~1Order", Some("Sales/Order")),
            ("#/components/schemas/Sales~0Order", Some("Sales~Order")),
            ("#/components/schemas/Sales%20Order", Some("Sales Order")),
            ("#/components/schemas/Order/properties/id", None),
            ("#/components/schemasX/Order", None),
            ("#/components/responses/Order", None),
            ("#/components/schemas", None),
            ("other.yaml#/components/schemas/Order", None),
        ];
        for (reference, name) in cases {
            assert_eq!(schema_ref_name(reference).as_deref(), name, "{reference}");
            let decoded =
                Pointer::parse_ref(reference).and_then(|p| match p.segments().as_slice() {
                    [c, s, n] if c == "components" && s == "schemas" => Some(n.clone()),
                    _ => None,
                });
            assert_eq!(decoded.as_deref(), name, "{reference}");
        }
    }

    #[test]
    fn follows_chains_to_their_end_and_stops_at_cycles_and_the_limit() {
        let next = |to: &[usize]| {
            let to = to.to_vec();
            move |at: &usize| match to.get(*at) {
                Some(&n) if n != usize::MAX => Hop::Next(n),
                _ => Hop::End(*at),
            }
        };
        // 0 → 1 → 2 (ends).
        assert!(matches!(
            follow_chain(0, next(&[1, 2, usize::MAX])),
            Chain::End(2)
        ));
        // 0 → 1 → 2 → 1: the links, the repeat last.
        assert!(matches!(
            follow_chain(0, next(&[1, 2, 1])),
            Chain::Cycle(links) if links == [0, 1, 2, 1]
        ));
        // A chain that never repeats: cut at the limit.
        assert!(matches!(
            follow_chain(0usize, |at: &usize| Hop::<usize, ()>::Next(at + 1)),
            Chain::TooLong
        ));
        // Exactly as many links as the limit still ends.
        assert!(matches!(
            follow_chain(1usize, |at: &usize| if *at == MAX_REF_HOPS {
                Hop::End(*at)
            } else {
                Hop::Next(at + 1)
            }),
            Chain::End(MAX_REF_HOPS)
        ));
    }
}
