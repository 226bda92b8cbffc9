//! `xtask corpus`: generate many collections, report per collection, optionally
//! compile every output under clippy and compare the results with a baseline.

mod baseline;
mod compile;
mod counts;
pub mod decode;
pub mod mock;
pub mod parity;

use std::path::{Path, PathBuf};
use std::time::Instant;

use postman_codegen::{generate, module_name_for, naming::Namespace};
use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::scratch::collection_files;

use compile::Compiled;

/// One row of the report.
pub struct Row {
    /// File name without `.postman_collection.json`.
    pub name: String,
    /// Module the output was compiled as.
    pub module: String,
    /// Requests in the file.
    pub requests: usize,
    /// Operations generated.
    pub operations: usize,
    /// Warnings, other than those of scripts the client does not run in full (counted in
    /// `scripts`).
    pub warnings: usize,
    /// How many scripts were translated in full, in part, not at all.
    pub scripts: postman_codegen::ir::scripts::Census,
    /// Why generation failed.
    pub error: Option<String>,
    /// Whether the output passed clippy (`None` without `--compile`).
    pub compiled: Option<Compiled>,
    /// Generation time.
    pub millis: f64,
}

/// What the runner is asked to do besides generating.
pub struct Options<'a> {
    /// Scratch directory to compile the outputs in.
    pub compile: Option<&'a Path>,
    /// Baseline TSV to compare with.
    pub baseline: Option<&'a Path>,
    /// Rewrite the baseline from this run instead of comparing.
    pub update_baseline: bool,
}

/// Runs the corpus. Fails when a collection loses requests, an output does not compile, or
/// the run is worse than the baseline.
pub fn run(dirs: &[PathBuf], options: &Options<'_>) -> Result<(), Error> {
    let mut rows = Vec::new();
    let mut modules = Vec::new();
    let mut names = Namespace::with_reserved(&["runtime"]);
    for file in collection_files(dirs)? {
        let module = names.claim(&module_name_for(&file));
        let (row, code) = generate_one(&file, module);
        rows.push(row);
        modules.extend(code);
    }
    if let Some(dir) = options.compile {
        let statuses = compile::compile_all(dir, &modules)?;
        for row in rows.iter_mut().filter(|r| r.error.is_none()) {
            row.compiled = statuses.get(&row.module).copied();
        }
    }
    print_table(&rows);
    let mut problems: Vec<String> = rows
        .iter()
        .filter(|r| r.error.is_none() && r.operations != r.requests)
        .map(|r| {
            format!(
                "{}: {} requests, {} operations",
                r.name, r.requests, r.operations
            )
        })
        .collect();
    problems.extend(
        rows.iter()
            .filter(|r| matches!(r.compiled, Some(c) if c != Compiled::Yes))
            .map(|r| format!("{}: output does not pass clippy", r.name)),
    );
    if let Some(path) = options.baseline {
        if options.update_baseline {
            baseline::write(path, &rows)?;
            eprintln!("baseline written to {}", path.display());
        } else {
            problems.extend(baseline::compare(&baseline::read(path)?, &rows));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    for problem in &problems {
        eprintln!("regression: {problem}");
    }
    Err(Error::Check {
        path: "corpus".to_owned(),
        message: format!("{} regressions", problems.len()),
    })
}

/// Reads a baseline TSV: each line after the header (`header`) becomes a `T` through `row`,
/// which gets the line's fields; a line it rejects is an error naming the file and line.
fn read_tsv<T>(
    path: &Path,
    header: &str,
    row: impl Fn(&[&str]) -> Option<T>,
) -> Result<Vec<T>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    text.lines()
        .enumerate()
        .skip(1)
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            row(&fields).ok_or_else(|| Error::Check {
                path: format!("{}:{}", path.display(), i + 1),
                message: format!("expected `{header}`, found `{line}`"),
            })
        })
        .collect()
}

/// Generates one file: its row, and its module's code when it generated.
fn generate_one(file: &Path, module: String) -> (Row, Option<(String, String)>) {
    let label = file.display().to_string();
    let mut row = Row {
        name: postman_codegen::files::collection_stem(file),
        module: module.clone(),
        requests: 0,
        operations: 0,
        warnings: 0,
        scripts: postman_codegen::ir::scripts::Census::default(),
        error: None,
        compiled: None,
        millis: 0.0,
    };
    let source = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            row.error = Some(format!("{label}: {e}"));
            return (row, None);
        }
    };
    let start = Instant::now();
    let result = generate(
        &source,
        &label,
        &postman_codegen::Output::RuntimeCrate {
            name: module.clone(),
            runtime: postman_codegen::emit::runtime::DEFAULT_CRATE_PATH.to_owned(),
        },
    );
    row.millis = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(generated) => {
            row.requests = generated.requests;
            row.operations = generated.operations;
            // Each script not translated in full is one warning, counted by the census.
            let scripts = generated.scripts;
            row.warnings = (generated.diagnostics.len())
                .saturating_sub(scripts.all.partial + scripts.all.none);
            row.scripts = scripts;
            (row, Some((module, generated.code)))
        }
        Err(e) => {
            row.error = Some(e.to_string());
            (row, None)
        }
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "| collection | requests | operations | warnings | scripts full/part/none | error | compiled | ms |"
    );
    println!("|---|---:|---:|---:|---:|---|---|---:|");
    for row in rows {
        let error = row.error.as_deref().unwrap_or("").replace('|', "/");
        let compiled = row.compiled.map_or("-", Compiled::label);
        let s = row.scripts.all;
        println!(
            "| {} | {} | {} | {} | {}/{}/{} | {error} | {compiled} | {:.1} |",
            row.name,
            row.requests,
            row.operations,
            row.warnings,
            s.full,
            s.partial,
            s.none,
            row.millis
        );
    }
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    println!(
        "| total ({} files) | {} | {} | {} | {}/{}/{} | {} failed | {} compiled | {:.0} |",
        rows.len(),
        sum(|r| r.requests),
        sum(|r| r.operations),
        sum(|r| r.warnings),
        sum(|r| r.scripts.all.full),
        sum(|r| r.scripts.all.partial),
        sum(|r| r.scripts.all.none),
        sum(|r| usize::from(r.error.is_some())),
        sum(|r| usize::from(r.compiled == Some(Compiled::Yes))),
        rows.iter().map(|r| r.millis).sum::<f64>()
    );
    print_census(rows);
}

/// The scripts of every collection per idiom: how many use it, and how many of those were
/// translated in full, in part, not at all.
fn print_census(rows: &[Row]) {
    use postman_codegen::ir::scripts::{Census, Counts, Idiom};
    let mut total = Census::default();
    for row in rows {
        total += row.scripts;
    }
    let percent = |c: Counts| {
        if c.total() == 0 {
            "-".to_owned()
        } else {
            format!("{:.1}%", 100.0 * c.full as f64 / c.total() as f64)
        }
    };
    println!();
    println!("| scripts | count | full | part | none | in full |");
    println!("|---|---:|---:|---:|---:|---:|");
    let line = |name: &str, c: Counts| {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            c.total(),
            c.full,
            c.partial,
            c.none,
            percent(c)
        );
    };
    line("all", total.all);
    line("writing variables or editing requests", total.writing);
    for (idiom, counts) in Idiom::ALL.iter().zip(total.idioms) {
        line(&format!("... {}", idiom.name()), counts);
    }
    println!(
        "\n{} of the {} scripts not translated in full run as written with the client's `js` \
         feature; {} of the {} that write variables or edit requests.",
        total.sandboxed,
        total.all.partial + total.all.none,
        total.writing_sandboxed,
        total.writing.partial + total.writing.none
    );
}
