//! `postman-codegen corpus`: generate many collections, report per collection, optionally
//! compile every output in one scratch crate.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use postman_codegen::{generate, module_name_for, naming::Namespace, Error, Output};

/// One row of the report.
struct Row {
    file: String,
    requests: usize,
    operations: usize,
    warnings: usize,
    error: Option<String>,
    millis: f64,
}

/// Runs the corpus; fails when a collection that parses yields fewer operations than requests,
/// or when the scratch crate does not pass `cargo clippy -D warnings`.
pub fn run(dirs: &[PathBuf], compile: Option<&Path>) -> Result<(), Error> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut names = Namespace::with_reserved(&["runtime"]);
    let mut rows = Vec::new();
    let mut modules = Vec::new();
    for file in &files {
        let label = file.display().to_string();
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                rows.push(Row {
                    file: label,
                    requests: 0,
                    operations: 0,
                    warnings: 0,
                    error: Some(e.to_string()),
                    millis: 0.0,
                });
                continue;
            }
        };
        let name = names.claim(&module_name_for(file));
        let start = Instant::now();
        let result = generate(&source, &label, &Output::Module(name.clone()));
        let millis = start.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(generated) => {
                rows.push(Row {
                    file: label,
                    requests: generated.requests,
                    operations: generated.operations,
                    warnings: generated.diagnostics.len(),
                    error: None,
                    millis,
                });
                modules.push((name, generated.code));
            }
            Err(e) => rows.push(Row {
                file: label,
                requests: 0,
                operations: 0,
                warnings: 0,
                error: Some(e.to_string()),
                millis,
            }),
        }
    }
    let compiled = match compile {
        Some(dir) => Some(compile_all(dir, &modules)?),
        None => None,
    };
    print_table(&rows, compiled);
    let dropped: Vec<&Row> = rows
        .iter()
        .filter(|r| r.error.is_none() && r.operations != r.requests)
        .collect();
    if !dropped.is_empty() || compiled == Some(false) {
        return Err(Error::Io {
            path: "corpus".to_owned(),
            source: std::io::Error::other(format!(
                "{} collections dropped requests; compiled: {compiled:?}",
                dropped.len()
            )),
        });
    }
    Ok(())
}

/// Lines of generated code per scratch crate: keeps rustc's memory in bounds and lets cargo
/// build crates in parallel.
const LINES_PER_CRATE: usize = 150_000;

/// Writes the modules into a workspace of scratch crates and runs
/// `cargo clippy --workspace -- -D warnings` on it.
fn compile_all(dir: &Path, modules: &[(String, String)]) -> Result<bool, Error> {
    let mut crates: Vec<Vec<&(String, String)>> = vec![Vec::new()];
    let mut lines = 0;
    for module in modules {
        let module_lines = module.1.lines().count();
        if lines + module_lines > LINES_PER_CRATE && !crates[crates.len() - 1].is_empty() {
            crates.push(Vec::new());
            lines = 0;
        }
        lines += module_lines;
        if let Some(last) = crates.last_mut() {
            last.push(module);
        }
    }
    let members: Vec<String> = (0..crates.len()).map(|i| format!("\"part{i}\"")).collect();
    crate::write(
        &dir.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )?;
    for (i, part) in crates.iter().enumerate() {
        let crate_dir = dir.join(format!("part{i}"));
        let manifest =
            crate::cargo_toml(&format!("corpus-part{i}"), "").replace("\n[workspace]\n", "\n");
        crate::write(&crate_dir.join("Cargo.toml"), &manifest)?;
        let mut lib = String::new();
        for (name, code) in part {
            crate::write(&crate_dir.join("src").join(format!("{name}.rs")), code)?;
            lib.push_str(&format!("include!(\"{name}.rs\");\n"));
        }
        crate::write(&crate_dir.join("src").join("lib.rs"), &lib)?;
    }
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["clippy", "--quiet", "--workspace", "--", "-D", "warnings"])
        .current_dir(dir)
        .status()
        .map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
    Ok(status.success())
}

fn print_table(rows: &[Row], compiled: Option<bool>) {
    let compiled = match compiled {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "-",
    };
    println!("| collection | requests | operations | warnings | error | compiled | ms |");
    println!("|---|---:|---:|---:|---|---|---:|");
    let (mut requests, mut operations) = (0, 0);
    for row in rows {
        requests += row.requests;
        operations += row.operations;
        let name = Path::new(&row.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.trim_end_matches(".postman_collection.json");
        let error = row.error.as_deref().unwrap_or("").replace('|', "/");
        let built = if row.error.is_some() { "-" } else { compiled };
        println!(
            "| {name} | {} | {} | {} | {error} | {built} | {:.1} |",
            row.requests, row.operations, row.warnings, row.millis
        );
    }
    println!(
        "| total ({} files) | {requests} | {operations} | | | | |",
        rows.len()
    );
}
