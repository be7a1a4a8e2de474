//! Generated crates really build and behave: every `codegen/tests/fixtures/*.yaml` is generated
//! with `xtask::generate_crate` into one scratch workspace (once per run, under
//! `<target dir>/generated-crates/`), which must pass `cargo clippy -D warnings` and `cargo doc`
//! with `-D warnings`, and whose behaviour crates (`tests/fixture_behaviour/*.rs`: the mapping
//! table and the operation features at run time, against wiremock on loopback) must pass.
//!
//! One behaviour test on its own: `cargo xtask behaviour NAME_FILTER`.

use std::path::Path;

use xtask::scratch::{self, ScratchWorkspace};

#[test]
fn fixture_crates_pass_clippy_rustdoc_and_their_behaviour_tests() {
    let root = xtask::workspace_root();
    // `<target dir>/tmp`, so `CARGO_TARGET_DIR` is honoured.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let members = scratch::fixture_members(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        members.len() >= 7,
        "expected the fixtures of codegen/tests/fixtures, found {members:?}"
    );
    let workspace = ScratchWorkspace::prepare(&root, target_dir, "fixtures", &members)
        .unwrap_or_else(|e| panic!("{e}"));
    let lint = workspace.lint();
    let tests = workspace.test(None);
    let failures: Vec<String> = [lint.err(), tests.err()].into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
