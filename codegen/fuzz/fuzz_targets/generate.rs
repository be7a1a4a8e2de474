//! Fuzz target: `codegen::generate` on any UTF-8 text must return `Ok` or an `Err`, never
//! panic, and an `Ok` must carry every file with its `@generated` header.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let settings = codegen::Settings {
        crate_name: "fuzzed".to_string(),
        spec_path: "fuzz.yaml".to_string(),
        command: "cargo fuzz".to_string(),
        runtime: codegen::Runtime::Crate {
            path: "../runtime".to_string(),
        },
    };
    if let Ok(generated) = codegen::generate(text, &settings) {
        for file in &generated.files {
            assert!(
                file.contents.starts_with("// @generated")
                    || file.contents.starts_with("# @generated"),
                "{} has no @generated header",
                file.path
            );
        }
    }
});
