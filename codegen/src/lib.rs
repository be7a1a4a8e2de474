//! Generates a typed async Rust client crate from an OpenAPI 3.0 document (3.1 and 3.2 are
//! normalised into the 3.0 model on load).
//!
//! One entry point, [`generate`]: document text and [`Settings`] in, the crate's files out as
//! data. No file IO, deterministic output, and an [`Error`] naming a JSON pointer instead of a
//! panic when the document cannot be handled. The stages: `load` (parse and
//! version check) → `lower` (validate and build the IR of types and operations) → `emit`
//! (`quote` tokens, formatted by `prettyplease`), plus the crate's API surface file ([`surface`]).

mod emit;
mod error;
mod integrity;
mod ir;
mod load;
mod lower;
mod names;
mod pointer;
mod shape;
pub mod surface;

pub use error::{Error, Warning};
pub use pointer::Pointer;

/// Where generated modules live inside the crate; everything below it belongs to the generator.
pub const GENERATED_DIR: &str = "src/generated";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Name of the generated crate (used in `Cargo.toml`).
    pub crate_name: String,
    /// Path of the document as shown in the `@generated` header, e.g. `spec/gks.yaml`.
    pub spec_path: String,
    /// The command that regenerates the files, named in the header, e.g. `cargo xtask regen`.
    pub command: String,
    /// How the crate gets its runtime.
    pub runtime: Runtime,
}

/// The package name of the runtime crate (`codegen/runtime`), which generated crates depend on.
pub const RUNTIME_CRATE: &str = "gks-runtime";

/// How a generated crate gets the runtime every generated client needs (client engine, tokens,
/// retries, errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A path dependency on the [`RUNTIME_CRATE`] (it is not published): the generated code then
    /// holds only what comes from the document, and a fix of the runtime reaches the crate
    /// without regenerating it.
    Crate {
        /// The runtime crate's directory, as written in `Cargo.toml` (absolute, or relative to
        /// the generated crate).
        path: String,
    },
    /// A copy of the runtime's source in `src/generated/runtime/` (without its unit tests), and
    /// its dependencies in `Cargo.toml`: the crate builds anywhere on its own.
    Vendored,
}

/// Whether a file is regenerated in place or only written when a new crate is scaffolded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Below [`GENERATED_DIR`]; always owned by the generator.
    Module,
    /// `Cargo.toml` and `src/lib.rs` of a standalone crate: written (again) by every `cargo
    /// xtask generate`, never by `regen`, which leaves `gks-api`'s hand-kept ones alone.
    Scaffold,
    /// [`surface::SURFACE_FILE`] next to `Cargo.toml`: the public API, one line per item;
    /// always owned by the generator.
    Surface,
}

impl FileKind {
    /// Whether the generator rewrites the file in an existing crate (everything but scaffold).
    pub fn is_regenerated(self) -> bool {
        self != FileKind::Scaffold
    }
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// Full contents, starting with the `@generated` header.
    pub contents: String,
    /// Module or scaffold file.
    pub kind: FileKind,
}

/// The generator's output.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Files sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Constructs that were skipped or approximated, each with its pointer.
    pub warnings: Vec<Warning>,
    /// Crates the generated code depends on (names as in `Cargo.toml`).
    pub dependencies: Vec<String>,
    /// Number of operations generated.
    pub operation_count: usize,
    /// Number of operations in the document; each one not generated is named in a warning.
    pub operations_in_document: usize,
    /// Number of named types generated.
    pub type_count: usize,
}

/// Checks a crate name the way Cargo does (ASCII letters, digits, `-` and `_`, starting with a
/// letter or `_`, at most 64 characters, not a Rust keyword or a built-in crate such as `std`),
/// with the reason when it is refused.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    names::check_crate_name(name)
}

/// How a document's broken parts are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// A `$ref` to a schema, parameter, request body or response that cannot be followed, or an
    /// operation whose path parameters and template disagree, is an error (`cargo xtask regen`,
    /// `cargo xtask generate --strict`).
    #[default]
    Strict,
    /// Such a schema, request body or response is read as any JSON value (`serde_json::Value`),
    /// such a parameter is left out and such an operation is skipped, each with a warning naming
    /// its pointer (`cargo xtask generate`): most of a typed client rather than none.
    Lenient,
}

/// Generates a client crate from the text of an OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON),
/// strictly (see [`Strictness`]).
pub fn generate(spec_text: &str, settings: &Settings) -> Result<Generated, Error> {
    generate_with(spec_text, settings, Strictness::Strict)
}

/// [`generate`] with a choice of [`Strictness`].
pub fn generate_with(
    spec_text: &str,
    settings: &Settings,
    strictness: Strictness,
) -> Result<Generated, Error> {
    let _memos = ThreadMemos;
    let Analysed {
        api,
        mut warnings,
        operations_in_document,
    } = analyse(spec_text, strictness == Strictness::Lenient)?;
    names::check_crate_name(&settings.crate_name)
        .map_err(|problem| Error::new(&Pointer::root(), format!("crate name: {problem}")))?;
    let files = crate_files(&api, settings)?;
    warnings.sort();
    warnings.dedup();
    Ok(Generated {
        files,
        warnings,
        dependencies: emit::crate_files::dependencies(&api, &settings.runtime)?
            .into_iter()
            .map(|(name, _)| name)
            .collect(),
        operation_count: api.operations.len(),
        operations_in_document,
        type_count: api.types.len(),
    })
}

/// Forgets, when dropped, what the calling thread remembered while generating (case
/// conversions, formatted members): memos that help within one document, and would otherwise
/// keep every document's names in a long-lived thread. The threads the emitters start end
/// with their memos.
struct ThreadMemos;

impl Drop for ThreadMemos {
    fn drop(&mut self) {
        names::forget_conversions();
        emit::forget_formatted_members();
    }
}

/// A document loaded, lowered and checked, with its warnings pointing into the text as given.
struct Analysed {
    api: ir::Api,
    warnings: Vec<Warning>,
    /// Operations in the document, those the load could not keep included.
    operations_in_document: usize,
}

/// Loads and lowers the document, maps every pointer back to the text as given (a 3.1
/// document is read through its 3.0 rewrite) and checks the IR's integrity.
fn analyse(spec_text: &str, lenient: bool) -> Result<Analysed, Error> {
    let loaded = load::load(spec_text, lenient)?;
    let remap = loaded.remap;
    let mut warnings = loaded.warnings;
    let mut lowered_warnings = Vec::new();
    let mut api =
        lower::lower(&loaded.doc, &mut lowered_warnings, lenient).map_err(|e| remap.error(e))?;
    warnings.extend(lowered_warnings.into_iter().map(|w| remap.warning(w)));
    for def in &mut api.types {
        def.pointer = remap.pointer(&def.pointer);
    }
    integrity::check(&api)?;
    let operations_in_document = api.operations_in_document + loaded.lost_operations;
    Ok(Analysed {
        api,
        warnings,
        operations_in_document,
    })
}

/// Every file of the crate, sorted by path, each starting with the `@generated` header.
fn crate_files(api: &ir::Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    // The path and command go into `//` and `#` comments: on one line, control characters escaped.
    let command = emit::docs::one_line(&settings.command);
    let header = format!(
        "// @generated by `{command}` from `{}`. Do not edit by hand: change the spec or the generator and run `{command}`.",
        emit::docs::one_line(&settings.spec_path),
    );
    let toml_header = header.replacen("//", "#", 1);
    // The crate as a path in doc examples (a checked crate name: ASCII, `-` becomes `_`).
    let crate_ident = settings.crate_name.replace('-', "_");
    let module = |name: &str| format!("{GENERATED_DIR}/{name}");
    let file = |path: String, contents: String, kind: FileKind| GeneratedFile {
        path,
        contents,
        kind,
    };
    let surface_header = markdown_header(&header);
    let render_surface = || surface::render(api, &settings.crate_name, &surface_header);
    // The surface of a large API is rendered on a thread of its own while the modules are
    // formatted (a small one's is quicker than starting a thread).
    let (modules, surface) = std::thread::scope(|scope| {
        let large = api.operations.len() + api.types.len() >= emit::ITEMS_PER_THREAD;
        let surface = large.then(|| scope.spawn(render_surface));
        let modules = [
            emit::mod_file::mod_rs(api, &crate_ident, &settings.runtime, &header),
            emit::emit_types(api, &header),
            emit::emit_operations(api, &crate_ident, &header),
            emit::emit_mock(api, &header),
        ];
        let surface = match surface {
            Some(handle) => handle.join().map_err(|_| {
                Error::new(&Pointer::root(), "internal: rendering the surface failed")
            }),
            None => Ok(render_surface()),
        };
        (modules, surface)
    });
    let [mod_rs, types, operations, mock] = modules;
    let mut files = vec![
        file(module("mod.rs"), mod_rs?, FileKind::Module),
        file(module("types.rs"), types?, FileKind::Module),
        file(module("operations.rs"), operations?, FileKind::Module),
        file(module("mock.rs"), mock?, FileKind::Module),
        file(
            surface::SURFACE_FILE.to_string(),
            surface?,
            FileKind::Surface,
        ),
        file(
            "src/lib.rs".to_string(),
            emit::crate_files::lib_rs(api, &header)?,
            FileKind::Scaffold,
        ),
        file(
            "Cargo.toml".to_string(),
            emit::crate_files::cargo_toml(
                &settings.crate_name,
                &toml_header,
                api,
                &settings.runtime,
            )?,
            FileKind::Scaffold,
        ),
    ];
    if settings.runtime == Runtime::Vendored {
        for (name, contents) in emit::crate_files::vendored_runtime(&command) {
            files.push(file(
                module(&format!("runtime/{name}")),
                contents,
                FileKind::Module,
            ));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The `@generated` line of a Markdown file: the Rust comment as an HTML comment.
fn markdown_header(header: &str) -> String {
    format!("<!-- {} -->", header.trim_start_matches("// "))
}
