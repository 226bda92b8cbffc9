//! The `build.rs` entry point: collections in, one Rust file in `OUT_DIR` out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::learn::{learn, Options as LearnOptions, ReportText};
use crate::naming::Namespace;
use crate::{
    emit, generate_with, module_name_for, Diagnostic, Environment, Error, Options, Output,
};

/// Generates clients for a set of collections into one file, as `prost-build` does for protos.
#[derive(Debug, Clone)]
pub struct Builder {
    collections: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    file_name: String,
    cargo_instructions: bool,
    environment: Option<PathBuf>,
    runtime: Runtime,
    api_changes: bool,
    examples_from: Vec<PathBuf>,
    doc_tests: Option<String>,
}

/// Where the generated clients find their runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Runtime {
    /// The runtime crate at this path.
    Crate(String),
    /// A runtime the generator wrote, kept by the user at this path.
    Kept(String),
    /// One runtime written into the generated file.
    Embedded,
}

impl Runtime {
    /// How to generate the module `name` for this runtime.
    fn output(&self, name: &str) -> Output {
        let name = name.to_owned();
        match self {
            Self::Crate(path) => Output::RuntimeCrate {
                name,
                runtime: path.clone(),
            },
            Self::Kept(path) => Output::SharedRuntime {
                name,
                runtime: path.clone(),
            },
            Self::Embedded => Output::SharedRuntime {
                name,
                runtime: "super::runtime".to_owned(),
            },
        }
    }
}

/// What a [`Builder`] run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The generated file.
    pub output: PathBuf,
    /// Whether it was (re)written; `false` when its content was already up to date.
    pub written: bool,
    /// Module name and source file of each collection.
    pub modules: Vec<(String, PathBuf)>,
    /// Warnings from every collection.
    pub diagnostics: Vec<Diagnostic>,
    /// The `[dependencies]` lines the generated file needs: the runtime crate with the features
    /// of the signing schemes its collections use, or, with the runtime embedded or kept,
    /// [`crate::CLIENT_DEPENDENCIES`] and the crates of those schemes.
    pub dependencies: String,
    /// The `[features]` lines the crate including the file declares: [`crate::MOCK_FEATURE`]
    /// (each client's `mock` module) and [`crate::JS_FEATURE`] on the runtime crate, else none.
    pub features: String,
    /// With [`Builder::api_changes`]: the reports written in this run, one per collection
    /// whose generated API changed.
    pub api_changes: Vec<PathBuf>,
    /// Per module, how many of its collection's scripts were translated in full, in part, not
    /// at all (each script not translated in full is also a warning).
    pub scripts: Vec<(String, crate::ir::scripts::Census)>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder writing `postman_clients.rs` into `$OUT_DIR`, with cargo instructions on.
    pub fn new() -> Self {
        Self {
            collections: Vec::new(),
            dirs: Vec::new(),
            out_dir: None,
            file_name: "postman_clients.rs".to_owned(),
            cargo_instructions: true,
            environment: None,
            runtime: Runtime::Crate(emit::runtime::DEFAULT_CRATE_PATH.to_owned()),
            api_changes: false,
            examples_from: Vec::new(),
            doc_tests: None,
        }
    }

    /// Adds one collection file.
    pub fn collection(mut self, path: impl Into<PathBuf>) -> Self {
        self.collections.push(path.into());
        self
    }

    /// Takes the values of a Postman environment file as the defaults of every collection's
    /// variables (base URLs, `{{name}}` defaults); its secrets stay out of the code.
    pub fn environment(mut self, path: impl Into<PathBuf>) -> Self {
        self.environment = Some(path.into());
        self
    }

    /// Adds every `*.json` file of a directory (sorted by name).
    pub fn collection_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Names the generated file (default `postman_clients.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Reaches the runtime crate, `postman-codegen-runtime`, by this Rust path (default
    /// `::postman_codegen_runtime`; another for a renamed dependency or a re-export), as
    /// prost-build's `prost_path` does.
    pub fn runtime_crate_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = Runtime::Crate(path.into());
        self
    }

    /// Uses a runtime the generator wrote, at this Rust path as seen from the generated file's
    /// modules (`crate::api_runtime`, `::api_runtime`), instead of the runtime crate: for a
    /// crate that keeps one runtime for several generated files. Write that runtime with
    /// `postman-codegen runtime`; the clients fail to compile, saying so, if it is not the one
    /// they were generated for.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = Runtime::Kept(path.into());
        self
    }

    /// Writes the runtime's source into the generated file, once for all its collections,
    /// instead of using the runtime crate: the file then needs [`crate::CLIENT_DEPENDENCIES`]
    /// and the crates of its signing schemes rather than `postman-codegen-runtime`.
    pub fn embed_runtime(mut self, on: bool) -> Self {
        self.runtime = match on {
            true => Runtime::Embedded,
            false => Runtime::Crate(emit::runtime::DEFAULT_CRATE_PATH.to_owned()),
        };
        self
    }

    /// Makes each operation's example a checked doctest (`no_run`), reaching the clients at
    /// `path`: the crate (`my_crate`) when the file is included at its root, as the README does,
    /// or the module that includes it (`my_crate::api`). Without it the generator cannot know
    /// where the clients are, and the examples are text. Each example is one doctest for
    /// `cargo test` to build (see the README for what that costs).
    pub fn doc_tests(mut self, path: impl Into<String>) -> Self {
        self.doc_tests = Some(path.into());
        self
    }

    /// When a collection changes, writes what changed in its generated API (`diff`'s Markdown
    /// report) to `<module>.api-changes.md` beside the generated file, and warns when a change
    /// is breaking. The builder keeps the collection it last generated from as
    /// `<module>.collection.json` there to compare with. Off by default.
    pub fn api_changes(mut self, on: bool) -> Self {
        self.api_changes = on;
        self
    }

    /// Adds the responses recorded in the newman JSON reports and HAR files of `dir` (`*.json`,
    /// `*.har`) to every collection's saved examples before generating, as
    /// `postman-codegen learn` would, without editing the collection files: responses the
    /// collection never saved get types. Each report is read once; what pairs with no request
    /// of a collection is warned about only when the builder has one collection.
    pub fn examples_from(mut self, dir: impl Into<PathBuf>) -> Self {
        self.examples_from.push(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines (default on).
    pub fn cargo_instructions(mut self, on: bool) -> Self {
        self.cargo_instructions = on;
        self
    }

    /// Generates every collection, one `pub mod` each, and writes the file if it changed.
    pub fn generate(&self) -> Result<Report, Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Io {
                    path: "$OUT_DIR".to_owned(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "OUT_DIR is not set: call from build.rs or set out_dir",
                    ),
                })?,
        };
        let environment = match &self.environment {
            Some(path) => {
                self.rerun_if_changed(path);
                Environment::read(path)?
            }
            None => Environment::default(),
        };
        let options = Options {
            environment,
            doc_tests: self.doc_tests.clone(),
        };
        let mut files = self.collections.clone();
        for dir in &self.dirs {
            self.rerun_if_changed(dir);
            files.extend(crate::files::json_files(dir)?);
        }
        let mut names = Namespace::with_reserved(&["runtime"]);
        let mut clients = String::new();
        let mut modules = Vec::new();
        let mut scripts = Vec::new();
        let mut diagnostics = Vec::new();
        let mut auth_modules = BTreeSet::new();
        let mut api_changes = Vec::new();
        let reports = self.reports()?;
        let single = files.len() == 1;
        for file in files {
            self.rerun_if_changed(&file);
            let mut source = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                path: file.display().to_string(),
                source,
            })?;
            let mut learned_warnings = Vec::new();
            if !reports.is_empty() {
                let file_name = file.display().to_string();
                let learned = learn(&source, &file_name, &reports, &LearnOptions::default())?;
                source = learned.collection;
                learned_warnings = learned.diagnostics;
                if single {
                    learned_warnings.extend(learned.unmatched);
                }
            }
            let name = names.claim(&module_name_for(&file));
            let generated = generate_with(
                &source,
                &file.display().to_string(),
                &self.runtime.output(&name),
                &options,
            )?;
            clients.push('\n');
            clients.push_str(&generated.code);
            learned_warnings.extend(generated.diagnostics);
            if self.cargo_instructions {
                for line in cargo_warnings(&file, &learned_warnings) {
                    println!("cargo:warning={line}");
                }
            }
            diagnostics.extend(learned_warnings);
            auth_modules.extend(generated.auth_modules);
            if self.api_changes {
                api_changes.extend(self.write_api_changes(&out_dir, &name, &file, &source)?);
            }
            scripts.push((name.clone(), generated.scripts));
            modules.push((name, file));
        }
        let mut code = String::from("// Generated by postman-codegen. Do not edit.\n");
        if self.runtime == Runtime::Embedded {
            code.push('\n');
            code.push_str(&crate::formatted(
                Ok(emit::shared_runtime(&auth_modules)),
                "the runtime",
            )?);
        }
        let dependencies = match &self.runtime {
            Runtime::Crate(_) => {
                crate::runtime_dependency(&auth_modules, &crate::RuntimeSource::default())
            }
            Runtime::Embedded | Runtime::Kept(_) => {
                crate::client_dependencies(auth_modules.iter().copied())
            }
        };
        let features = match &self.runtime {
            Runtime::Crate(_) => crate::runtime_crate_features(),
            Runtime::Embedded | Runtime::Kept(_) => String::new(),
        };
        code.push_str(&clients);
        let output = out_dir.join(&self.file_name);
        let written = write_if_changed(&output, &code)?;
        Ok(Report {
            output,
            written,
            modules,
            diagnostics,
            dependencies,
            features,
            api_changes,
            scripts,
        })
    }

    /// Compares `source` with the collection module `name` was last generated from, writes
    /// the report when they differ, and keeps `source` for the next run.
    fn write_api_changes(
        &self,
        out_dir: &Path,
        name: &str,
        file: &Path,
        source: &str,
    ) -> Result<Option<PathBuf>, Error> {
        let kept = out_dir.join(format!("{name}.collection.json"));
        let previous = std::fs::read_to_string(&kept).ok();
        let mut written = None;
        if let Some(previous) = previous.filter(|p| p != source) {
            let report = crate::compare(
                &previous,
                &kept.display().to_string(),
                source,
                &file.display().to_string(),
            )?;
            let path = out_dir.join(format!("{name}.api-changes.md"));
            write_if_changed(&path, &report.render(crate::diff::Format::Markdown, None))?;
            if self.cargo_instructions && report.is_breaking() {
                println!(
                    "cargo:warning={}: breaking changes to the generated API of `{name}`, see {}",
                    file.display(),
                    path.display()
                );
            }
            written = Some(path);
        }
        write_if_changed(&kept, source)?;
        Ok(written)
    }

    /// The reports of [`Builder::examples_from`], read once.
    fn reports(&self) -> Result<Vec<ReportText>, Error> {
        for dir in &self.examples_from {
            self.rerun_if_changed(dir);
        }
        let reports = ReportText::read_all(&self.examples_from)?;
        for report in &reports {
            self.rerun_if_changed(Path::new(&report.name));
        }
        Ok(reports)
    }

    fn rerun_if_changed(&self, path: &Path) {
        if self.cargo_instructions {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// Warnings printed per collection in a build; the [`Report`] keeps them all.
const CARGO_WARNINGS_PER_FILE: usize = 10;

/// The `cargo:warning` lines for one collection: the first few warnings, then a count of the
/// rest, so that a collection with hundreds of them does not flood every build.
fn cargo_warnings(file: &Path, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut lines: Vec<String> = diagnostics
        .iter()
        .take(CARGO_WARNINGS_PER_FILE)
        .map(ToString::to_string)
        .collect();
    let rest = diagnostics.len().saturating_sub(CARGO_WARNINGS_PER_FILE);
    if rest > 0 {
        lines.push(format!(
            "{}: {rest} more warnings; `postman-codegen generate {}` lists them all",
            file.display(),
            file.display()
        ));
    }
    lines
}

/// Writes `content` unless the file already holds exactly that; returns whether it wrote.
fn write_if_changed(path: &Path, content: &str) -> Result<bool, Error> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    std::fs::write(path, content).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    #[test]
    fn a_flood_of_warnings_is_cut_to_a_few_and_a_count() {
        let warning = |i: usize| Diagnostic {
            severity: Severity::Warning,
            file: "big.json".to_owned(),
            item_path: vec![format!("Request {i}")],
            location: format!("/item/{i}/request/method"),
            message: "request has no method; using GET".to_owned(),
        };
        let few: Vec<Diagnostic> = (0..3).map(warning).collect();
        assert_eq!(cargo_warnings(Path::new("big.json"), &few).len(), 3);
        let many: Vec<Diagnostic> = (0..519).map(warning).collect();
        let lines = cargo_warnings(Path::new("big.json"), &many);
        assert_eq!(lines.len(), CARGO_WARNINGS_PER_FILE + 1);
        assert!(lines[0].contains("Request 0 (at /item/0/request/method)"));
        assert_eq!(
            lines[CARGO_WARNINGS_PER_FILE],
            "big.json: 509 more warnings; `postman-codegen generate big.json` lists them all"
        );
    }
}
