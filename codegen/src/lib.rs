//! Generates typed, async Rust clients from Postman collections.
//!
//! The pipeline: [`collection`] parses the JSON, [`ir`] lowers it to a normalized API,
//! [`emit`] turns that into Rust. [`Builder`] runs it from a `build.rs`, like `prost-build`:
//!
//! ```no_run
//! // build.rs
//! postman_codegen::Builder::new()
//!     .collection_dir("collections")
//!     .generate()
//!     .expect("generating clients");
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/postman_clients.rs"));
//! ```

pub mod collection;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod environment;
pub mod files;
pub mod ir;
pub mod learn;
pub mod naming;

mod builder;

// Which names are credentials: one rule for the generator (environments, `learn`) and the
// clients it emits. At the crate root, so that every module sees it.
include!("../runtime/secret_names.rs");

pub use builder::{Builder, Report};
pub use diagnostics::{Diagnostic, Severity};
pub use environment::Environment;

use std::collections::BTreeSet;

use diagnostics::Diagnostics;

/// What a generation run can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The input is not a usable collection.
    #[error("{0}")]
    Input(Diagnostic),
    /// The generator produced tokens that do not parse (a bug; please report it).
    #[error("{file}: internal error, generated code does not parse: {message}")]
    Emit {
        /// The collection.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A setting given to the generator is not usable (a runtime path that is not a Rust path).
    #[error("{0}")]
    Settings(String),
}

/// What to wrap the generated items in, and where the client finds its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `pub mod name { ... }` using the runtime crate (`postman-codegen-runtime`) at the Rust
    /// path `runtime` ([`emit::runtime::DEFAULT_CRATE_PATH`] unless the crate is renamed).
    RuntimeCrate {
        /// Module name.
        name: String,
        /// Rust path of the runtime crate, as seen from inside the generated module.
        runtime: String,
    },
    /// `pub mod name { ... }`, for including into a crate, carrying its own runtime.
    Module(String),
    /// `pub mod name { ... }` that uses a runtime the generator wrote, at the path `runtime`
    /// (`super::runtime`, `crate::api_runtime`), instead of carrying one; see [`emit::runtime`].
    SharedRuntime {
        /// Module name.
        name: String,
        /// Rust path of the runtime module, as seen from inside the generated module.
        runtime: String,
    },
    /// The root of a crate (`lib.rs`): using the runtime crate at the path `runtime_crate`, or
    /// carrying its own runtime when it is `None`.
    CrateRoot {
        /// Rust path of the runtime crate (`::postman_codegen_runtime`).
        runtime_crate: Option<String>,
    },
}

/// Generated code with what happened on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Formatted Rust source.
    pub code: String,
    /// Warnings (what was dropped or degraded).
    pub diagnostics: Vec<Diagnostic>,
    /// Requests written in the file, counted apart from the reader
    /// ([`collection::requests_in`]).
    pub requests: usize,
    /// Operations generated.
    pub operations: usize,
    /// The `[dependencies]` lines the code needs: the runtime crate with the features of the
    /// signing schemes the collection uses ([`runtime_dependency`]), or for code that carries
    /// its runtime, [`CLIENT_DEPENDENCIES`] and the crates of those schemes
    /// ([`client_dependencies`]).
    pub dependencies: String,
    /// The `[features]` lines the crate holding the code declares: [`MOCK_FEATURE`] and
    /// [`JS_FEATURE`] for a client on the runtime crate, else none.
    pub features: String,
    /// The auth modules the client needs in its runtime.
    pub auth_modules: BTreeSet<ir::AuthModule>,
    /// How many of the collection's scripts were translated in full, in part, not at all.
    pub scripts: ir::scripts::Census,
}

/// Generates one collection. `file` names the input in messages.
pub fn generate(source: &str, file: &str, output: &Output) -> Result<Generated, Error> {
    generate_with_environment(source, file, output, &Environment::default())
}

/// [`generate`] with `environment`'s values as the defaults of the collection's variables
/// (base URLs, `{{name}}` defaults); its secrets never enter the code.
pub fn generate_with_environment(
    source: &str,
    file: &str,
    output: &Output,
    environment: &Environment,
) -> Result<Generated, Error> {
    let options = Options {
        environment: environment.clone(),
        doc_tests: None,
    };
    generate_with(source, file, output, &options)
}

/// How [`generate_with`] generates, besides where the code goes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Values over the collection's variables ([`generate_with_environment`]).
    pub environment: Environment,
    /// The Rust path of the crate, or module, that holds the generated code as seen from a
    /// doctest (`my_crate`): each operation's example is then a checked doctest (`no_run`);
    /// without it, the generator cannot know where the client is and the examples are text.
    pub doc_tests: Option<String>,
}

/// [`generate`] with [`Options`].
pub fn generate_with(
    source: &str,
    file: &str,
    output: &Output,
    options: &Options,
) -> Result<Generated, Error> {
    let mut diags = Diagnostics::new(file);
    let mut collection = collection::parse_collection(source, &mut diags).map_err(Error::Input)?;
    options.environment.apply(&mut collection.variables);
    let module_name = match output {
        Output::Module(name)
        | Output::SharedRuntime { name, .. }
        | Output::RuntimeCrate { name, .. } => name.as_str(),
        Output::CrateRoot { .. } => "",
    };
    let mut api = ir::lower(&collection, module_name, &mut diags);
    api.doc_tests = options.doc_tests.as_ref().map(|path| match module_name {
        "" => path.clone(),
        name => format!("{path}::{name}"),
    });
    let requests = collection.requests_in_file;
    let operations = count_operations(&api.root);
    if operations != requests {
        diags.warn(
            &[],
            "",
            format!(
                "the file holds {requests} requests but {operations} operations were generated"
            ),
        );
    }
    let tokens = match output {
        Output::Module(name) => emit::module(&api, name, emit::RuntimeAt::Own),
        Output::SharedRuntime { name, runtime } => {
            let path = runtime_path(runtime)?;
            emit::module(&api, name, emit::RuntimeAt::Path(&path))
        }
        Output::RuntimeCrate { name, runtime } => {
            let path = runtime_path(runtime)?;
            emit::module(&api, name, emit::RuntimeAt::Crate(&path))
        }
        Output::CrateRoot {
            runtime_crate: Some(runtime),
        } => {
            let path = runtime_path(runtime)?;
            emit::crate_root(&api, emit::RuntimeAt::Crate(&path))
        }
        Output::CrateRoot {
            runtime_crate: None,
        } => emit::crate_root(&api, emit::RuntimeAt::Own),
    };
    let code = formatted(tokens, file)?;
    let on_runtime_crate = matches!(
        output,
        Output::RuntimeCrate { .. }
            | Output::CrateRoot {
                runtime_crate: Some(_)
            }
    );
    let auth_modules = api.auth_modules();
    let scripts = api.scripts;
    Ok(Generated {
        code,
        diagnostics: diags.into_vec(),
        requests,
        operations,
        dependencies: match on_runtime_crate {
            true => runtime_dependency(&auth_modules, &RuntimeSource::default()),
            false => client_dependencies(auth_modules.iter().copied()),
        },
        features: match on_runtime_crate {
            true => runtime_crate_features(),
            false => String::new(),
        },
        auth_modules,
        scripts,
    })
}

/// The auth modules a collection's client needs in its runtime, read without generating the
/// client.
pub fn auth_modules(source: &str, file: &str) -> Result<BTreeSet<ir::AuthModule>, Error> {
    let mut diags = Diagnostics::new(file);
    let collection = collection::parse_collection(source, &mut diags).map_err(Error::Input)?;
    Ok(ir::lower(&collection, "", &mut diags).auth_modules())
}

/// The changes to the generated API from the collection `old` to the collection `new`
/// (their texts, and file names for messages), classified as breaking or compatible.
pub fn compare(
    old: &str,
    old_file: &str,
    new: &str,
    new_file: &str,
) -> Result<diff::Report, Error> {
    let lower = |source: &str, file: &str| -> Result<ir::Api, Error> {
        let mut diags = Diagnostics::new(file);
        let collection = collection::parse_collection(source, &mut diags).map_err(Error::Input)?;
        Ok(ir::lower(&collection, "", &mut diags))
    };
    Ok(diff::diff(&lower(old, old_file)?, &lower(new, new_file)?))
}

/// The runtime alone, as a module file with the auth modules in `modules`: one runtime for the
/// clients generated with [`Output::SharedRuntime`] pointing at it.
pub fn runtime_file(modules: &BTreeSet<ir::AuthModule>) -> Result<String, Error> {
    formatted(Ok(emit::runtime_file(modules)), "the runtime")
}

/// Emitted tokens as a Rust file; a failure is an internal error about `file`.
pub(crate) fn formatted(
    tokens: Result<proc_macro2::TokenStream, syn::Error>,
    file: &str,
) -> Result<String, Error> {
    let emit_error = |e: syn::Error| Error::Emit {
        file: file.to_owned(),
        message: e.to_string(),
    };
    tokens.and_then(emit::format).map_err(emit_error)
}

/// Reads the path of a runtime module given by the user.
fn runtime_path(text: &str) -> Result<syn::Path, Error> {
    syn::parse_str(text).map_err(|e| Error::Settings(format!("runtime path `{text}`: {e}")))
}

/// Module name for a collection file: its stem without `.postman_collection`, in snake case.
pub fn module_name_for(path: &std::path::Path) -> String {
    naming::snake(&files::collection_stem(path), "collection")
}

fn count_operations(module: &ir::Module) -> usize {
    module.operations.len() + module.modules.iter().map(count_operations).sum::<usize>()
}

/// Where a generated crate takes the runtime crate from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// crates.io, at the generator's version.
    Registry,
    /// A directory holding the runtime crate (a checkout of the generator).
    Path(std::path::PathBuf),
}

impl Default for RuntimeSource {
    /// The runtime crate beside the generator when it runs from a checkout, crates.io otherwise.
    fn default() -> Self {
        let beside = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        match beside.join("Cargo.toml").is_file() {
            true => Self::Path(beside.canonicalize().unwrap_or(beside)),
            false => Self::Registry,
        }
    }
}

/// The `[dependencies]` line of the runtime crate, from `source`, with the features of the
/// signing schemes in `modules`.
pub fn runtime_dependency(modules: &BTreeSet<ir::AuthModule>, source: &RuntimeSource) -> String {
    let features: Vec<String> = emit::runtime::feature_names(modules)
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    let at = match source {
        RuntimeSource::Registry => format!("version = {:?}", emit::runtime::VERSION),
        RuntimeSource::Path(dir) => format!("path = {:?}", dir.display().to_string()),
    };
    let features = match features.is_empty() {
        true => String::new(),
        false => format!(", features = [{}]", features.join(", ")),
    };
    format!("{} = {{ {at}{features} }}", emit::runtime::CRATE_NAME)
}

/// [`CLIENT_DEPENDENCIES`] with the crates of the signing `schemes` (OAuth 1.0a brings
/// `hmac`, `sha1` and `sha2`), each line once.
pub fn client_dependencies(schemes: impl IntoIterator<Item = ir::AuthModule>) -> String {
    let mut lines: Vec<&str> = CLIENT_DEPENDENCIES.lines().collect();
    for scheme in schemes {
        for line in scheme.dependencies().lines() {
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    lines.join("\n")
}

/// The `[features]` line of a crate whose clients are on the runtime crate: `mock` compiles
/// each client's `mock` module (a mock of its API for tests) with the runtime's mock.
pub const MOCK_FEATURE: &str = r#"mock = ["postman-codegen-runtime/mock"]"#;

/// The `[features]` line of a crate whose clients are on the runtime crate: `js` runs the
/// scripts the generator could not translate in full as written, in the runtime's embedded
/// JavaScript engine.
pub const JS_FEATURE: &str = r#"js = ["postman-codegen-runtime/js"]"#;

/// The `[features]` lines of a crate whose clients are on the runtime crate.
pub(crate) fn runtime_crate_features() -> String {
    format!("{MOCK_FEATURE}\n{JS_FEATURE}")
}

/// The dependencies every generated client needs, as `[dependencies]` lines of a
/// `Cargo.toml`; a collection whose auth signs requests needs more
/// ([`Generated::dependencies`]).
pub const CLIENT_DEPENDENCIES: &str = r#"base64 = "0.22"
futures-util = { version = "0.3", default-features = false }
http = "1"
percent-encoding = "2"
reqwest = { version = "0.13", default-features = false, features = ["rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order"] }
serde_path_to_error = "0.1"
thiserror = "2"
tokio = { version = "1", features = ["sync", "time"] }
httpdate = "1"
fastrand = "2""#;
