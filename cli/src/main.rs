//! `postman-codegen`: generate a client module or crate from a collection.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use postman_codegen::emit::runtime::DEFAULT_CRATE_PATH;
use postman_codegen::{generate_with, module_name_for, Environment, Options, Output};

use postman_codegen_cli::cli_error::{exit_code, Error};
use postman_codegen_cli::decoding;
use postman_codegen_cli::files::{cargo_toml, write};

/// Generation allocates many small token streams; mimalloc serves them faster than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(version, about = "Typed Rust clients from Postman collections")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client from a collection (to stdout unless -o or --crate is given).
    Generate {
        /// The collection JSON file.
        collection: PathBuf,
        /// Write the module to this file.
        #[arg(short, long, conflicts_with = "crate_dir")]
        output: Option<PathBuf>,
        /// Write a crate (Cargo.toml + src/lib.rs) into this directory; it depends on the
        /// runtime crate, or on crates.io alone with --embed-runtime.
        #[arg(long = "crate", value_name = "DIR")]
        crate_dir: Option<PathBuf>,
        /// Module or crate name (default: from the file name).
        #[arg(long)]
        name: Option<String>,
        /// Write nothing; fail if the files given by -o or --crate are not what would be
        /// generated (for CI of repositories that commit generated clients).
        #[arg(long)]
        check: bool,
        /// A Postman environment whose values are the defaults of the collection's variables
        /// (secrets are left out).
        #[arg(long, value_name = "FILE")]
        environment: Option<PathBuf>,
        /// Use the runtime at this Rust path (e.g. `crate::api_runtime`, written by
        /// `postman-codegen runtime`) instead of the runtime crate.
        #[arg(long, value_name = "PATH", conflicts_with = "crate_dir")]
        runtime_path: Option<String>,
        /// Carry the runtime's source in the generated code instead of depending on the
        /// runtime crate (postman-codegen-runtime).
        #[arg(long, conflicts_with = "runtime_path")]
        embed_runtime: bool,
        /// Make each operation's example a checked doctest, reaching the module at this Rust
        /// path's child (`my_crate` when the file is `src/<name>.rs` of `my_crate`, or
        /// included at its root); with --crate, the crate's own name is taken.
        #[arg(long, value_name = "PATH", conflicts_with = "crate_dir")]
        doc_tests: Option<String>,
    },
    /// Write the runtime that clients generated with `--runtime-path` share, as a module file,
    /// and print the dependencies it needs: with the auth schemes the given collections use, or
    /// every scheme when none is given.
    Runtime {
        /// Collections whose auth schemes the runtime carries (default: every scheme).
        collections: Vec<PathBuf>,
        /// The module file to write (e.g. `src/api_runtime.rs`).
        #[arg(short, long)]
        output: PathBuf,
        /// Write nothing; fail if the file is not what would be written.
        #[arg(long)]
        check: bool,
    },
    /// Report what changed in the generated API between two versions of a collection: each
    /// change breaking or compatible, and the version bump that follows.
    Diff {
        /// The collection as it was, then as it is now; with `--git`, only the collection.
        #[arg(required = true, num_args = 1..=2, value_name = "OLD NEW")]
        collections: Vec<PathBuf>,
        /// Compare the collection as committed at this git revision with the file as it is.
        #[arg(long, value_name = "REV")]
        git: Option<String>,
        /// `text`, `markdown` (for a pull request or a CHANGELOG) or `json`.
        #[arg(long, default_value = "text", value_parser = ["text", "markdown", "json"])]
        format: String,
        /// Exit with status 1 when a change is breaking (for CI).
        #[arg(long, value_name = "LEVEL", value_parser = ["breaking"])]
        fail_on: Option<String>,
        /// The client's current version: the report suggests the next one.
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
    },
    /// Add the responses recorded in newman JSON reports (`newman run -r json`) and HAR files
    /// to the collection as saved examples, scrubbed of credentials and (by default) of string
    /// values, so that the client types them.
    Learn {
        /// The collection JSON file (v2.0 or v2.1).
        collection: PathBuf,
        /// Newman reports and HAR files, or directories of them (`*.json`, `*.har`).
        #[arg(long, required = true, num_args = 1.., value_name = "REPORT")]
        from: Vec<PathBuf>,
        /// Write the collection here (default: stdout); may be the collection itself.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Keep string values, text bodies and every response header (credentials still go).
        #[arg(long)]
        keep_values: bool,
        /// At most this many learned examples per request and status.
        #[arg(long, default_value_t = 8, value_name = "N")]
        per_status: usize,
    },
    /// Decode the responses recorded in newman reports and HAR files with the generated types,
    /// each with the type its request and status have in the client.
    Decode {
        /// Directories of `*.json` collections.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Scratch directory for the check program.
        #[arg(long, value_name = "DIR")]
        scratch: PathBuf,
        /// Newman reports and HAR files, or directories of them.
        #[arg(long, required = true, num_args = 1.., value_name = "REPORT")]
        responses: Vec<PathBuf>,
        /// Fail when fewer than this percentage of the responses with a JSON type decode.
        #[arg(long, default_value_t = 0.0, value_name = "PERCENT")]
        min_percent: f64,
    },
}

fn main() -> ExitCode {
    exit_code(run(Cli::parse().command))
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Generate {
            collection,
            output,
            crate_dir,
            name,
            check,
            environment,
            runtime_path,
            embed_runtime,
            doc_tests,
        } => run_generate(
            &collection,
            &Target {
                output,
                crate_dir,
                name,
                runtime_path,
                embed_runtime,
                doc_tests,
            },
            check,
            environment.as_deref(),
        ),
        Command::Runtime {
            collections,
            output,
            check,
        } => run_runtime(&collections, &output, check),
        Command::Diff {
            collections,
            git,
            format,
            fail_on,
            version,
        } => run_diff(
            &collections,
            git.as_deref(),
            &format,
            fail_on.is_some(),
            version.as_deref(),
        ),
        Command::Learn {
            collection,
            from,
            output,
            keep_values,
            per_status,
        } => run_learn(
            &collection,
            &from,
            output.as_deref(),
            &postman_codegen::learn::Options {
                keep_values,
                per_status,
            },
        ),
        Command::Decode {
            dirs,
            scratch,
            responses,
            min_percent,
        } => decoding::run_observed(&dirs, &responses, &scratch, min_percent),
    }
}

/// `diff`: prints the report; fails when `fail_on_breaking` and a change is breaking.
fn run_diff(
    collections: &[PathBuf],
    git: Option<&str>,
    format: &str,
    fail_on_breaking: bool,
    version: Option<&str>,
) -> Result<(), Error> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let (old_name, old, new) = match (git, collections) {
        (None, [old, new]) => (old.display().to_string(), read(old)?, new),
        (Some(rev), [new]) => (
            format!("{rev}:{}", new.display()),
            committed(rev, new)?,
            new,
        ),
        (None, _) => return Err(Error::Usage("diff takes OLD and NEW collections".into())),
        (Some(_), _) => return Err(Error::Usage("diff --git REV takes one collection".into())),
    };
    let report =
        postman_codegen::compare(&old, &old_name, &read(new)?, &new.display().to_string())?;
    let format = match format {
        "markdown" => postman_codegen::diff::Format::Markdown,
        "json" => postman_codegen::diff::Format::Json,
        _ => postman_codegen::diff::Format::Text,
    };
    print!("{}", report.render(format, version));
    if fail_on_breaking && report.is_breaking() {
        return Err(Error::Check {
            path: new.display().to_string(),
            message: "breaking changes to the generated API (see above)".to_owned(),
        });
    }
    Ok(())
}

fn run_learn(
    collection: &Path,
    from: &[PathBuf],
    output: Option<&Path>,
    options: &postman_codegen::learn::Options,
) -> Result<(), Error> {
    let reports = postman_codegen::learn::ReportText::read_all(from)?;
    let source = std::fs::read(collection).map_err(|source| Error::Io {
        path: collection.display().to_string(),
        source,
    })?;
    let file = collection.display().to_string();
    let source = String::from_utf8_lossy(&source);
    let learned = postman_codegen::learn::learn(&source, &file, &reports, options)?;
    for diagnostic in learned.diagnostics.iter().chain(&learned.unmatched) {
        eprintln!("{diagnostic}");
    }
    eprintln!("{}", learned.summary);
    match output {
        Some(path) => crate::write(path, &learned.collection),
        None => {
            print!("{}", learned.collection);
            Ok(())
        }
    }
}

/// The text of `file` as committed at git revision `rev`.
fn committed(rev: &str, file: &Path) -> Result<String, Error> {
    let (dir, name) = match (file.parent(), file.file_name()) {
        (Some(dir), Some(name)) => (dir, name),
        _ => return Err(Error::Usage(format!("{}: not a file", file.display()))),
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let output = std::process::Command::new("git")
        .arg("show")
        .arg(format!("{rev}:./{}", name.to_string_lossy()))
        .current_dir(dir)
        .output()
        .map_err(|source| Error::Io {
            path: "git".to_owned(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Check {
            path: format!("{rev}:{}", file.display()),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    String::from_utf8(output.stdout).map_err(|_| Error::Check {
        path: format!("{rev}:{}", file.display()),
        message: "not UTF-8".to_owned(),
    })
}

/// Where `generate` writes, and in what shape.
struct Target {
    output: Option<PathBuf>,
    crate_dir: Option<PathBuf>,
    name: Option<String>,
    runtime_path: Option<String>,
    embed_runtime: bool,
    doc_tests: Option<String>,
}

fn run_generate(
    collection: &Path,
    target: &Target,
    check: bool,
    environment: Option<&Path>,
) -> Result<(), Error> {
    let source = std::fs::read_to_string(collection).map_err(|source| Error::Io {
        path: collection.display().to_string(),
        source,
    })?;
    let name = target
        .name
        .clone()
        .unwrap_or_else(|| module_name_for(collection));
    let module = postman_codegen::naming::snake(&name, "client");
    let runtime_crate = DEFAULT_CRATE_PATH.to_owned();
    let shape = match (
        &target.crate_dir,
        &target.runtime_path,
        target.embed_runtime,
    ) {
        (Some(_), _, embed) => Output::CrateRoot {
            runtime_crate: (!embed).then_some(runtime_crate),
        },
        (None, Some(runtime), _) => Output::SharedRuntime {
            name: module.clone(),
            runtime: runtime.clone(),
        },
        (None, None, true) => Output::Module(module.clone()),
        (None, None, false) => Output::RuntimeCrate {
            name: module.clone(),
            runtime: runtime_crate,
        },
    };
    let environment = match environment {
        Some(path) => Environment::read(path)?,
        None => Environment::default(),
    };
    // A crate's examples reach it by its own name.
    let doc_tests = match &target.crate_dir {
        Some(_) => Some(module.clone()),
        None => target.doc_tests.clone(),
    };
    let options = Options {
        environment,
        doc_tests,
    };
    let generated = generate_with(&source, &collection.display().to_string(), &shape, &options)?;
    for diagnostic in &generated.diagnostics {
        eprintln!("{diagnostic}");
    }
    eprintln!(
        "{}: {} of {} requests generated, {} warnings",
        collection.display(),
        generated.operations,
        generated.requests,
        generated.diagnostics.len()
    );
    let (all, writing) = (generated.scripts.all, generated.scripts.writing);
    if all.total() > 0 {
        eprintln!(
            "{}: scripts: {} translated in full, {} in part, {} not at all; of the {} that \
             write variables or edit requests, {} in full",
            collection.display(),
            all.full,
            all.partial,
            all.none,
            writing.total(),
            writing.full
        );
    }
    let files = match (&target.output, &target.crate_dir) {
        (Some(path), _) => vec![(path.clone(), generated.code)],
        (None, Some(dir)) => vec![
            (
                dir.join("Cargo.toml"),
                cargo_toml(
                    &name,
                    "2021",
                    true,
                    &generated.dependencies,
                    &generated.features,
                ),
            ),
            (dir.join("src").join("lib.rs"), generated.code),
        ],
        (None, None) if check => {
            return Err(Error::Usage(
                "--check needs -o or --crate to compare with".to_owned(),
            ))
        }
        (None, None) => {
            print!("{}", generated.code);
            return Ok(());
        }
    };
    for (path, content) in &files {
        write_or_check(path, content, check)?;
    }
    Ok(())
}

fn run_runtime(collections: &[PathBuf], output: &Path, check: bool) -> Result<(), Error> {
    let mut modules = BTreeSet::new();
    if collections.is_empty() {
        modules.extend(postman_codegen::emit::runtime::ALL_AUTH_MODULES);
    }
    for collection in collections {
        let source = std::fs::read_to_string(collection).map_err(|source| Error::Io {
            path: collection.display().to_string(),
            source,
        })?;
        let file = collection.display().to_string();
        modules.extend(postman_codegen::auth_modules(&source, &file)?);
    }
    let code = postman_codegen::runtime_file(&modules)?;
    write_or_check(output, &code, check)?;
    let dependencies = postman_codegen::client_dependencies(modules);
    eprintln!(
        "{}: the runtime needs these [dependencies]:\n{dependencies}",
        output.display()
    );
    Ok(())
}

fn write_or_check(path: &Path, content: &str, check: bool) -> Result<(), Error> {
    if check {
        up_to_date(path, content)
    } else {
        write(path, content)
    }
}

/// Fails unless `path` holds exactly `content`.
fn up_to_date(path: &Path, content: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    Err(Error::Check {
        path: path.display().to_string(),
        message: "out of date; run the command without --check".to_owned(),
    })
}
