//! The drift gate: the committed `gks-api/src/generated/` is exactly what the generator makes
//! of `spec/gks.yaml` (rust-analyzer's pattern: a plain test, so `cargo test` catches a stale
//! or hand-edited generated file).

#[test]
fn committed_gks_api_is_what_the_generator_makes_of_the_spec() {
    if let Err(report) = xtask::regen(&xtask::workspace_root(), true) {
        panic!("{report}");
    }
}
