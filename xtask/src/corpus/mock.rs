//! `xtask mock`: every collection's mock answers each of its operations with each saved
//! example, and the client decodes it into the variant of that status (served); the value it
//! decoded, stubbed back as a typed answer, decodes equal (typed); the request the mock got
//! reads back into the operation's `Request` (read). A per-collection table and a baseline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use postman_codegen::collection::parse_collection;
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::files::collection_stem;
use postman_codegen::ir::{self, Module};
use postman_codegen::naming::{ident, Namespace};
use postman_codegen::{emit, module_name_for};
use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files::{cargo_toml, write};
use postman_codegen_cli::scratch::{
    cargo, collection_files, percent, remove_old_parts, write_workspace_manifest,
};
use proc_macro2::TokenStream;
use quote::quote;

use super::counts::{self, Counts};

/// One collection's counts: saved examples (operation and status), those served and decoded
/// into their documented variant, those whose typed answer decodes back equal, and those whose
/// request the mock read back into its `Request`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    cases: usize,
    served: usize,
    typed: usize,
    read: usize,
}

impl Counts for Tally {
    const COLUMNS: &'static [&'static str] = &["cases", "served", "typed", "read"];

    fn values(&self) -> Vec<usize> {
        vec![self.cases, self.served, self.typed, self.read]
    }

    fn from_values(values: &[usize]) -> Option<Self> {
        match values {
            [cases, served, typed, read] => Some(Self {
                cases: *cases,
                served: *served,
                typed: *typed,
                read: *read,
            }),
            _ => None,
        }
    }

    fn checked(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("served", self.served),
            ("typed", self.typed),
            ("read", self.read),
        ]
    }
}

/// A collection as the check takes it.
struct Subject {
    name: String,
    module: String,
    code: String,
    /// Each operation's path below the module and the statuses of its saved examples.
    cases: Vec<(TokenStream, Vec<u16>)>,
    /// Variables it uses but does not define, with a value the client is given.
    undefined: Vec<(String, String)>,
}

/// Failures printed in full; the rest are counted.
const SHOWN_FAILURES: usize = 30;

/// Lines of generated code per check program.
const LINES_PER_PART: usize = 150_000;

/// Runs the check under `scratch`; fails on a collection that does worse than `baseline`
/// (unless `update` rewrites it).
pub fn run(
    dirs: &[PathBuf],
    scratch: &Path,
    baseline: Option<&Path>,
    update: bool,
) -> Result<(), Error> {
    let subjects = subjects(dirs)?;
    let parts =
        super::compile::split_by_lines(&subjects, LINES_PER_PART, |s| s.code.lines().count());
    remove_old_parts(scratch)?;
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}")).collect();
    write_workspace_manifest(scratch, &names)?;
    for (name, part) in names.iter().zip(&parts) {
        write_part(&scratch.join(name), name, part)?;
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for subject in &subjects {
        tallies.insert(subject.name.clone(), Tally::default());
    }
    // Built together, so that cargo builds parts side by side.
    postman_codegen_cli::scratch::cargo_output(scratch, &["build", "--quiet", "--workspace"])?;
    let mut failures = Vec::new();
    for name in &names {
        let package = format!("mock-check-{name}");
        let output = cargo()
            .args(["run", "--quiet", "-p", &package])
            .current_dir(scratch)
            .output()
            .map_err(|source| Error::Io {
                path: scratch.display().to_string(),
                source,
            })?;
        if !output.status.success() {
            return Err(Error::Check {
                path: scratch.join(name).display().to_string(),
                message: format!(
                    "the mock check program failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ),
            });
        }
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let mut fields = line.splitn(5, '\t');
            let (Some(module), Some(op), Some(status), Some(read), Some(outcome)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            let Some(subject) = subjects.iter().find(|s| s.module == module) else {
                continue;
            };
            let tally = tallies.entry(subject.name.clone()).or_default();
            tally.cases += 1;
            match read {
                "read" => tally.read += 1,
                _ => failures.push(format!("{}: {op} {status}: {read}", subject.name)),
            }
            match outcome {
                "ok" => {
                    tally.served += 1;
                    tally.typed += 1;
                }
                typed if typed.starts_with("typed ") => {
                    tally.served += 1;
                    failures.push(format!("{}: {op} {status}: {outcome}", subject.name));
                }
                _ => failures.push(format!("{}: {op} {status}: {outcome}", subject.name)),
            }
        }
    }
    for line in failures.iter().take(SHOWN_FAILURES) {
        eprintln!("{line}");
    }
    if failures.len() > SHOWN_FAILURES {
        eprintln!("... and {} more failures", failures.len() - SHOWN_FAILURES);
    }
    print_table(&tallies);
    counts::settle("mock", baseline, update, &tallies)
}

/// Every collection of `dirs` that generates, with its cases.
fn subjects(dirs: &[PathBuf]) -> Result<Vec<Subject>, Error> {
    let runtime: syn::Path = syn::parse_quote!(::postman_codegen_runtime);
    let mut names = Namespace::with_reserved(&["runtime", "main", "check"]);
    let mut subjects = Vec::new();
    for file in collection_files(dirs)? {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let source = String::from_utf8_lossy(&bytes).into_owned();
        let module = names.claim(&module_name_for(&file));
        let mut diags = Diagnostics::new(file.display().to_string());
        let Ok(collection) = parse_collection(&source, &mut diags) else {
            continue;
        };
        let api = ir::lower(&collection, &module, &mut diags);
        let Ok(code) =
            emit::module(&api, &module, emit::RuntimeAt::Crate(&runtime)).and_then(emit::format)
        else {
            continue;
        };
        let mut cases = Vec::new();
        operations(&api.root, &quote!(), &mut |path, op| {
            let statuses: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
            if !statuses.is_empty() {
                cases.push((path, statuses));
            }
        });
        subjects.push(Subject {
            name: collection_stem(&file),
            undefined: super::parity::undefined_variables(&source, &api),
            module,
            code,
            cases,
        });
    }
    Ok(subjects)
}

/// Visits every operation with its module path below the client's root.
fn operations(
    module: &Module,
    path: &TokenStream,
    visit: &mut impl FnMut(TokenStream, &ir::Operation),
) {
    for op in &module.operations {
        let name = ident(&op.ident);
        visit(quote!(#path #name), op);
    }
    for child in &module.modules {
        let name = ident(&child.ident);
        operations(child, &quote!(#path #name::), visit);
    }
}

fn write_part(dir: &Path, name: &str, part: &[&Subject]) -> Result<(), Error> {
    let runtime = postman_codegen::runtime_dependency(
        &postman_codegen::ir::AuthModule::ALL
            .iter()
            .copied()
            .collect(),
        &postman_codegen::RuntimeSource::default(),
    );
    let dependencies =
        format!("{runtime}\ntokio = {{ version = \"1\", features = [\"rt\", \"time\"] }}");
    let features = format!("default = [\"mock\"]\n{}", postman_codegen::MOCK_FEATURE);
    let manifest = cargo_toml(
        &format!("mock-check-{name}"),
        "2021",
        false,
        &dependencies,
        &features,
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    for subject in part {
        let file = dir.join("src").join(format!("{}.rs", subject.module));
        write(&file, &subject.code)?;
    }
    write(&dir.join("src").join("main.rs"), &program(part)?)
}

/// The program of one part: each collection's mock and client, every case in turn.
fn program(part: &[&Subject]) -> Result<String, Error> {
    let includes = part.iter().map(|s| {
        let file = format!("{}.rs", s.module);
        quote!(include!(#file);)
    });
    let collections = part.iter().map(|subject| {
        let module = ident(&subject.module);
        let module_name = &subject.module;
        let variables = subject
            .undefined
            .iter()
            .map(|(name, value)| quote!(.with_variable(#name, #value)));
        let cases = subject.cases.iter().map(|(path, statuses)| {
            quote!(check(&server, &client, #module_name, #module::#path::Request::example(), &[#(#statuses),*]).await;)
        });
        quote! {
            {
                let server = #module::mock::MockServer::start().await;
                let client = server
                    .client()
                    .with_scripts(false)
                    .with_timeout(std::time::Duration::from_secs(10))
                    #(#variables)*;
                #(#cases)*
                for message in server.take_unmatched() {
                    eprintln!("{}: unmatched: {message}", #module_name);
                }
            }
        }
    });
    let tokens = quote! {
        #![allow(warnings, clippy::all)]
        #(#includes)*

        use postman_codegen_runtime as rt;
        use rt::mock::{MockServer, Mocked, MockedApi};
        use rt::Operation as _;
        use std::fmt::Debug;

        /// Answers `request` with each saved example in turn and prints what came of it.
        async fn check<C: MockedApi, O>(server: &MockServer<C>, client: &C, module: &str, request: O, statuses: &[u16])
        where
            O: Mocked<Client = C>,
            O::Success: Clone + PartialEq + Debug,
            O::Error: Clone + PartialEq + Debug,
        {
            for &status in statuses {
                let before = server.received::<O>().len();
                let outcome = case(server, client, &request, status).await;
                let outcome = outcome.replace(['\n', '\t'], " ");
                // The first request of the case, read back into its `Request` (requests of
                // operations on the same route are the group's, which `received` lists too).
                let read = match server.received::<O>().get(before).map(O::request) {
                    Some(Ok(_)) => "read".to_owned(),
                    None => "unread: the request did not arrive".to_owned(),
                    Some(Err(e)) => format!("unread: {e}").replace(['\n', '\t'], " "),
                };
                println!("{module}\t{}\t{status}\t{read}\t{outcome}", O::NAME);
            }
        }

        /// `ok`; `typed ...` when only the typed answer failed; else what went wrong.
        async fn case<C: MockedApi, O>(server: &MockServer<C>, client: &C, request: &O, status: u16) -> String
        where
            O: Mocked<Client = C>,
            O::Success: Clone + PartialEq + Debug,
            O::Error: Clone + PartialEq + Debug,
        {
            if let Err(e) = server.on::<O>().example(status) {
                return format!("setup: {e}");
            }
            let before = server.received::<O>().len();
            let outcome = request.send(client).await;
            if server.received::<O>().len() != before + 1 {
                let unmatched = server.take_unmatched().join("; ");
                return format!("not routed to the operation: {unmatched} {outcome:?}");
            }
            match outcome {
                Ok(response) if response.status().as_u16() != status => {
                    format!("status {} came back", response.status())
                }
                Ok(response) => {
                    let value = response.into_inner();
                    if format!("{value:?}").starts_with("Undocumented") {
                        return "decoded as undocumented".to_owned();
                    }
                    server.on::<O>().reply(value.clone());
                    match request.send(client).await {
                        Ok(again) if *again.value() == value => "ok".to_owned(),
                        Ok(again) => format!("typed: decoded {:?}", again.value()),
                        Err(e) => format!("typed: {e}"),
                    }
                }
                Err(rt::Error::Api(api)) if api.status().as_u16() != status => {
                    format!("status {} came back", api.status())
                }
                Err(rt::Error::Api(api)) => {
                    let error = api.error().clone();
                    if format!("{error:?}").starts_with("Undocumented") {
                        return "decoded as undocumented".to_owned();
                    }
                    server.on::<O>().fail(error.clone());
                    match request.send(client).await {
                        Err(rt::Error::Api(again)) if *again.error() == error => "ok".to_owned(),
                        Err(e) => format!("typed: {e}"),
                        Ok(again) => format!("typed: a success {:?}", again.status()),
                    }
                }
                Err(e) => format!("{e}"),
            }
        }

        fn main() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async {
                #(#collections)*
            });
        }
    };
    postman_codegen::emit::format(tokens).map_err(|e| Error::Check {
        path: "mock check".to_owned(),
        message: format!("the check program does not format: {e}"),
    })
}

fn print_table(tallies: &BTreeMap<String, Tally>) {
    println!("| collection | saved examples | served | % | typed | % | read | % |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let row = |label: &str, t: &Tally| {
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} |",
            t.cases,
            t.served,
            percent(t.served, t.cases),
            t.typed,
            percent(t.typed, t.cases),
            t.read,
            percent(t.read, t.cases)
        );
    };
    let mut total = Tally::default();
    for (name, tally) in tallies.iter().filter(|(_, t)| t.cases > 0) {
        row(name, tally);
        total.cases += tally.cases;
        total.served += tally.served;
        total.typed += tally.typed;
        total.read += tally.read;
    }
    row("**total**", &total);
}
