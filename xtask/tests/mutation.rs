//! The generator never panics on mutated versions of the project's own documents (every
//! fixture and `spec/gks.yaml`): each mutant gives `Ok` or an error naming a JSON pointer.
//! `cargo xtask corpus DIR` runs the same sweep over documents written by others.

use xtask::mutation;

const CASES_PER_DOCUMENT: usize = 150;

#[test]
fn mutated_documents_never_panic() {
    let root = xtask::workspace_root();
    let mut paths: Vec<_> = xtask::scratch::fixture_members(&root)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|m| m.spec)
        .collect();
    paths.push(root.join(xtask::GKS_SPEC));
    let documents: Vec<_> = paths
        .iter()
        .map(|p| mutation::read_document(p).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let summary = mutation::sweep(&documents, CASES_PER_DOCUMENT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.cases, documents.len() * CASES_PER_DOCUMENT);
    assert_eq!(summary.cases, summary.generated + summary.rejected);
    assert!(
        summary.generated > 0 && summary.rejected > 0,
        "the mutations should produce both outcomes: {summary}"
    );
}
