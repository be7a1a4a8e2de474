//! Lenient repairs (`cargo xtask generate` without `--strict`) of references to parameters,
//! responses and request bodies that cannot be followed: the parameter is left out, the
//! response or body becomes any JSON (`serde_json::Value`). The normalising pass applies them
//! and warns with each one's pointer.

use std::collections::HashMap;

use serde_yaml::{Mapping as Map, Value};

use crate::pointer::{Chain, Hop, follow_chain};

/// The sections repaired here.
const SECTIONS: &[&str] = &["parameters", "responses", "requestBodies"];

/// The components of the repaired sections: for each name, its own `$ref` when it is one.
#[derive(Debug, Default)]
pub(super) struct ComponentRefs {
    sections: HashMap<&'static str, HashMap<String, Option<String>>>,
}

impl ComponentRefs {
    pub(super) fn of(doc: &Value) -> Self {
        let components = doc.get("components");
        let sections = SECTIONS
            .iter()
            .map(|section| {
                let names = components
                    .and_then(|c| c.get(*section))
                    .and_then(Value::as_mapping)
                    .map(|map| {
                        map.iter()
                            .map(|(name, value)| (super::normalize::key_text(name), own_ref(value)))
                            .collect()
                    })
                    .unwrap_or_default();
                (*section, names)
            })
            .collect();
        Self { sections }
    }

    /// Why `value`'s `$ref` (into `#/components/<section>`) cannot be followed, if it cannot. A
    /// cycle is left to lowering to report: it follows the chain the same way.
    pub(super) fn broken(&self, value: &Value, section: &str) -> Option<String> {
        let hop = |reference: &String| {
            let Some(name) = crate::pointer::component_ref_name(reference, section) else {
                return Hop::End(Some(format!(
                    "$ref {reference:?} cannot be followed: only #/components/{section}/<name> is supported here"
                )));
            };
            match self
                .sections
                .get(section)
                .and_then(|names| names.get(&name))
            {
                None => Hop::End(Some(format!(
                    "dangling $ref {reference:?}: there is no {name:?} in #/components/{section}"
                ))),
                Some(None) => Hop::End(None),
                Some(Some(next)) => Hop::Next(next.clone()),
            }
        };
        match follow_chain(own_ref(value)?, hop) {
            Chain::End(problem) => problem,
            Chain::Cycle(_) | Chain::TooLong => None,
        }
    }
}

/// The `$ref` of a value that is a reference.
fn own_ref(value: &Value) -> Option<String> {
    value.get("$ref")?.as_str().map(str::to_string)
}

/// Removes the parameters whose `$ref` cannot be followed from `list`; returns, for each one
/// removed, its original index and why.
pub(super) fn drop_broken_parameters(
    list: &mut Vec<Value>,
    refs: &ComponentRefs,
) -> Vec<(usize, String)> {
    let mut dropped = Vec::new();
    let mut index = 0;
    list.retain(|param| {
        let problem = refs.broken(param, "parameters");
        if let Some(problem) = problem.clone() {
            dropped.push((index, problem));
        }
        index += 1;
        problem.is_none()
    });
    dropped
}

/// What stands in for a response or request body whose `$ref` cannot be followed: any JSON.
pub(super) fn any_json(description: &str) -> Value {
    let mut media = Map::new();
    media.insert(Value::from("schema"), Value::Mapping(Map::new()));
    let mut content = Map::new();
    content.insert(Value::from("application/json"), Value::Mapping(media));
    let mut stand_in = Map::new();
    stand_in.insert(Value::from("description"), Value::from(description));
    stand_in.insert(Value::from("content"), Value::Mapping(content));
    Value::Mapping(stand_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("YAML")
    }

    #[test]
    fn follows_chains_and_names_what_is_missing() {
        let doc = yaml(
            "components:\n  parameters:\n    Limit: {name: limit, in: query}\n    Alias: {$ref: '#/components/parameters/Limit'}\n    Lost: {$ref: '#/components/parameters/Gone'}\n",
        );
        let refs = ComponentRefs::of(&doc);
        let at = |r: &str| yaml(&format!("$ref: '{r}'"));
        assert_eq!(
            refs.broken(&at("#/components/parameters/Alias"), "parameters"),
            None
        );
        let lost = refs.broken(&at("#/components/parameters/Lost"), "parameters");
        assert!(lost.is_some_and(|m| m.contains("\"Gone\"")));
        let wrong_section = refs.broken(&at("#/components/schemas/Limit"), "parameters");
        assert!(wrong_section.is_some_and(|m| m.contains("cannot be followed")));
        assert_eq!(
            refs.broken(&yaml("{name: inline, in: query}"), "parameters"),
            None
        );
    }

    #[test]
    fn leaves_cycles_to_lowering() {
        let doc = yaml(
            "components:\n  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    B: {$ref: '#/components/parameters/A'}\n    C: {$ref: '#/components/parameters/Gone'}\n",
        );
        let refs = ComponentRefs::of(&doc);
        let at = |r: &str| yaml(&format!("$ref: '{r}'"));
        assert_eq!(
            refs.broken(&at("#/components/parameters/A"), "parameters"),
            None
        );
        assert!(
            refs.broken(&at("#/components/parameters/C"), "parameters")
                .is_some_and(|m| m.contains("dangling"))
        );
    }

    #[test]
    fn drops_only_the_broken_parameters_and_reports_their_places() {
        let refs = ComponentRefs::of(&yaml("components: {}"));
        let mut list = vec![
            yaml("{name: a, in: query}"),
            yaml("$ref: ''"),
            yaml("{name: b, in: query}"),
            yaml("$ref: '#/components/parameters/Nope'"),
        ];
        let dropped = drop_broken_parameters(&mut list, &refs);
        assert_eq!(dropped.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(list.len(), 2);
    }
}
