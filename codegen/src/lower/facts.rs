//! The analysis pass after lowering: what each type is among the others (validating, boxed
//! members, self-containing aliases, multipart forms) and what the crate needs, recorded in the
//! IR so that the emitters only print.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::ir::{self, Api, CrateNeeds, Payload, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::pointer::Pointer;

/// Records every fact of [`crate::ir::TypeFacts`], the members held in a `Box` and the crate's
/// [`CrateNeeds`]; refuses aliases that are only a `$ref` to themselves.
pub(crate) fn record(api: &mut Api) -> Result<()> {
    refuse_alias_cycles(api)?;
    let validates = validating_types(api);
    let self_containing: Vec<bool> = (0..api.types.len())
        .map(|id| alias_contains_itself(api, id))
        .collect();
    let multipart: BTreeSet<TypeId> = api
        .operations
        .iter()
        .filter_map(|op| match op.body.as_ref().map(|b| &b.payload) {
            Some(Payload::Multipart(TypeRef::Named(id))) => Some(*id),
            _ => None,
        })
        .collect();
    let scalar_union: Vec<bool> = (0..api.types.len())
        .map(|id| is_scalar_union(api, id))
        .collect();
    mark_boxed_members(api);
    for (id, def) in api.types.iter_mut().enumerate() {
        def.facts.scalar_union = scalar_union[id];
        def.facts.validates = validates[id];
        def.facts.self_containing = self_containing[id];
        def.facts.multipart_form = multipart.contains(&id);
    }
    api.needs = crate_needs(api);
    Ok(())
}

/// Whether type `id` is a union whose variants are all scalars (a parameter value).
fn is_scalar_union(api: &Api, id: TypeId) -> bool {
    let kind_of = |i: TypeId| api.types.get(i).map(|def| &def.kind);
    let ty = TypeRef::Named(id);
    matches!(kind_of(id), Some(TypeKind::Union(_))) && ir::is_param_scalar(&ty, &kind_of)
}

/// A chain of aliases that comes back to where it started has no shape to write.
fn refuse_alias_cycles(api: &Api) -> Result<()> {
    for (id, def) in api.types.iter().enumerate() {
        let mut current = id;
        let mut steps = 0;
        while let Some(TypeKind::Alias(TypeRef::Named(next))) =
            api.types.get(current).map(|t| &t.kind)
        {
            current = *next;
            steps += 1;
            if current == id || steps > api.types.len() {
                return Err(Error::new(
                    &Pointer::parse_ref(&def.pointer).unwrap_or_default(),
                    "this schema is only a $ref to itself (through a cycle of $refs); it has no shape",
                ));
            }
        }
    }
    Ok(())
}

/// Whether a value of `ty` is checked, given which named types validate: a floating-point
/// number (NaN and the infinities have no JSON spelling) or a validating type, in arrays and
/// maps too.
fn checked(ty: &TypeRef, validates: &[bool]) -> bool {
    match ty.innermost() {
        TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::Named(id) => validates.get(*id).copied().unwrap_or(false),
        _ => false,
    }
}

/// Which types validate: enums, structs with constrained fields, types holding floating-point
/// numbers, and whatever holds one of those (spread from each along the reverse references,
/// so each type is visited once).
fn validating_types(api: &Api) -> Vec<bool> {
    let count = api.types.len();
    let mut validates: Vec<bool> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => true,
            TypeKind::Struct(s) if s.fields.iter().any(|f| !f.constraints.is_empty()) => true,
            kind => kind.member_types().into_iter().any(|ty| checked(ty, &[])),
        })
        .collect();
    let mut held_by: Vec<Vec<TypeId>> = vec![Vec::new(); count];
    for (id, def) in api.types.iter().enumerate() {
        for ty in def.kind.member_types() {
            if let TypeRef::Named(target) = ty.innermost()
                && let Some(holders) = held_by.get_mut(*target)
            {
                holders.push(id);
            }
        }
    }
    let mut pending: Vec<TypeId> = (0..count).filter(|id| validates[*id]).collect();
    while let Some(id) = pending.pop() {
        for &holder in &held_by[id] {
            if !validates[holder] {
                validates[holder] = true;
                pending.push(holder);
            }
        }
    }
    validates
}

/// The named types a value of `def` holds inline (not inside a `Vec` or map): holding one of
/// these that in turn holds `def` would make it infinitely large.
fn inline_targets(def: &TypeDef) -> Vec<TypeId> {
    def.kind
        .held_inline()
        .into_iter()
        .filter_map(|ty| match ty {
            TypeRef::Named(target) => Some(*target),
            _ => None,
        })
        .collect()
}

/// Boxes each struct field and union variant whose type holds, inline, the type it is in: the
/// two are in the same strongly connected component of the graph of inline members
/// (typify breaks cycles the same way).
fn mark_boxed_members(api: &mut Api) {
    let graph: Vec<Vec<TypeId>> = api.types.iter().map(inline_targets).collect();
    let component = strongly_connected_components(&graph);
    let same = |owner: TypeId, ty: &TypeRef| match ty {
        TypeRef::Named(target) => component.get(*target) == component.get(owner),
        _ => false,
    };
    for (owner, def) in api.types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = same(owner, &field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    if let UnionVariant::Value { ty, boxed, .. } = variant {
                        *boxed = same(owner, ty);
                    }
                }
            }
            TypeKind::Alias(_) | TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
        }
    }
}

/// The strongly connected component of each node (Tarjan's algorithm with an explicit stack,
/// so a long chain of types cannot overflow the thread's stack); edges to nodes outside the
/// graph are ignored.
fn strongly_connected_components(graph: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = graph.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; count];
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges have been followed)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(node, followed)) = work.last() {
            match graph[node].get(followed) {
                Some(&target) => {
                    if let Some(top) = work.last_mut() {
                        top.1 += 1;
                    }
                    if target >= count {
                        continue;
                    }
                    if index[target] == UNSEEN {
                        index[target] = next_index;
                        low[target] = next_index;
                        next_index += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        work.push((target, 0));
                    } else if on_stack[target] {
                        low[node] = low[node].min(index[target]);
                    }
                }
                None => {
                    work.pop();
                    if let Some(&(parent, _)) = work.last() {
                        low[parent] = low[parent].min(low[node]);
                    }
                    if low[node] == index[node] {
                        while let Some(member) = stack.pop() {
                            on_stack[member] = false;
                            component[member] = next_component;
                            if member == node {
                                break;
                            }
                        }
                        next_component += 1;
                    }
                }
            }
        }
    }
    component
}

/// Whether alias `id` reaches itself through the types it names, following only aliases and
/// the items and values of arrays and maps (structs, enums and unions are types of their own
/// and end the search).
fn alias_contains_itself(api: &Api, id: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = match api.types.get(id).map(|t| &t.kind) {
        Some(TypeKind::Alias(ty)) => vec![ty],
        _ => return false,
    };
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(target) if *target == id => return true,
            TypeRef::Named(target) => {
                if seen.insert(*target)
                    && let Some(TypeKind::Alias(inner)) = api.types.get(*target).map(|t| &t.kind)
                {
                    stack.push(inner);
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) => stack.push(inner),
            _ => {}
        }
    }
    false
}

/// What the crate needs: `regex` when a pattern is checked (every one in the IR is:
/// `integrity::check` refuses a constraint its value's type cannot carry), the file-part
/// re-export when a type holds a file.
fn crate_needs(api: &Api) -> CrateNeeds {
    let field_patterns = api.types.iter().any(|def| match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| f.constraints.pattern.is_some()),
        _ => false,
    });
    let param_patterns = api
        .operations
        .iter()
        .any(|op| op.params.iter().any(|p| p.constraints.pattern.is_some()));
    CrateNeeds {
        patterns: field_patterns || param_patterns,
        file_parts: api.types.iter().any(|def| {
            def.kind
                .member_types()
                .into_iter()
                .any(TypeRef::mentions_binary)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_cycles_and_leave_the_rest_alone() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 and 4 (alone, with an edge out of the graph) are not.
        let graph = vec![vec![1], vec![2], vec![0], vec![0], vec![99]];
        let component = strongly_connected_components(&graph);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[3], component[0]);
        assert_ne!(component[4], component[0]);
        assert_ne!(component[4], component[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let count = 200_000;
        let graph: Vec<Vec<usize>> = (0..count).map(|n| vec![(n + 1) % count]).collect();
        let component = strongly_connected_components(&graph);
        assert!(component.iter().all(|c| *c == component[0]));
    }
}
