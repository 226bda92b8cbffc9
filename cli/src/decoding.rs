//! Decoding responses with the generated types: cases gathered from collections, built into
//! check programs in a scratch workspace and run. `decode --responses` checks recorded
//! responses this way; the workspace's corpus checks use it for the saved examples.

use std::path::{Path, PathBuf};

use crate::cli_error::Error;
use crate::decode_check::{cases_file, parts, program, Case, Cases, Check};
use crate::files::{cargo_toml, write};
use crate::scratch::{
    all_dependencies, cargo_output, collection_files, percent, remove_old_parts,
    write_workspace_manifest,
};
use postman_codegen::files::collection_stem;

/// Failures printed in full before the rest are only counted.
pub const SHOWN_FAILURES: usize = 40;

/// The cases that `add` makes of each readable collection of `dirs` (given its text and file
/// name; `false` when it is not a collection), with each collection's name and the end of its
/// cases.
pub fn gather(
    dirs: &[PathBuf],
    mut add: impl FnMut(&mut Cases, &str, &str) -> bool,
) -> Result<(Cases, Vec<(String, usize)>), Error> {
    let mut cases = Cases::default();
    let mut owners = Vec::new();
    for file in collection_files(dirs)? {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let source = String::from_utf8_lossy(&bytes);
        if add(&mut cases, &source, &file.display().to_string()) {
            owners.push((collection_stem(&file), cases.cases.len()));
        }
    }
    Ok((cases, owners))
}

/// One failed case, for the log: collection, item path, status, check and error.
pub fn describe(collection: &str, case: &Case, error: &str) -> String {
    let check = match case.check {
        Check::Control => "control",
        Check::LeaveOneOut => "leave-one-out",
        Check::Observed => "observed",
    };
    format!(
        "{collection}: {} ({}, {check}): {error}",
        case.item_path.join(" / "),
        case.status
    )
}

/// Decodes the responses recorded in `reports` (newman reports, HAR files) that answered
/// requests of the collections, each with the type the client has for its request and status:
/// does the client decode what the service really sent? Prints a table per collection; fails
/// when fewer than `min_percent` of the responses with a JSON type decode.
pub fn run_observed(
    dirs: &[PathBuf],
    reports: &[PathBuf],
    scratch: &Path,
    min_percent: f64,
) -> Result<(), Error> {
    let texts = postman_codegen::learn::ReportText::read_all(reports)?;
    let (cases, owners) = gather(dirs, |cases, source, name| {
        postman_codegen::learn::paired(source, name, &texts)
            .is_ok_and(|responses| cases.add_observed(source, name, &responses).is_ok())
    })?;
    let results = decode_all(scratch, &cases)?;
    println!("| collection | observed | with a JSON type | decoded | % |");
    println!("|---|---:|---:|---:|---:|");
    let (mut start, mut typed, mut decoded) = (0, 0, 0);
    let mut failures = Vec::new();
    for (name, end) in &owners {
        let part = start..*end;
        start = *end;
        let these = &cases.cases[part.clone()];
        let with_type = these.iter().filter(|c| c.group.is_some()).count();
        let ok = these
            .iter()
            .zip(&results[part])
            .filter(|(c, r)| {
                if let Err(e) = r {
                    failures.push(describe(name, c, e));
                }
                c.group.is_some() && r.is_ok()
            })
            .count();
        println!(
            "| {name} | {} | {with_type} | {ok} | {} |",
            these.len(),
            percent(ok, with_type)
        );
        typed += with_type;
        decoded += ok;
    }
    for line in failures.iter().take(SHOWN_FAILURES) {
        eprintln!("{line}");
    }
    if failures.len() > SHOWN_FAILURES {
        eprintln!("... and {} more failures", failures.len() - SHOWN_FAILURES);
    }
    println!(
        "observed responses with a JSON type: {typed}, decoded: {decoded} ({})",
        percent(decoded, typed)
    );
    let rate = if typed == 0 {
        100.0
    } else {
        100.0 * decoded as f64 / typed as f64
    };
    if rate < min_percent {
        return Err(Error::Check {
            path: "decode --responses".to_owned(),
            message: format!(
                "{decoded} of {typed} observed responses decode, under {min_percent}%"
            ),
        });
    }
    Ok(())
}

/// Struct fields per check program: parts compile in parallel and within memory.
const FIELDS_PER_PART: usize = 6_000;

/// Builds the check programs in a workspace under `scratch` and runs them; one result per
/// case.
pub fn decode_all(scratch: &Path, cases: &Cases) -> Result<Vec<Result<(), String>>, Error> {
    let parts = parts(cases, FIELDS_PER_PART);
    remove_old_parts(scratch)?;
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}")).collect();
    write_workspace_manifest(scratch, &names)?;
    for (name, part) in names.iter().zip(parts) {
        let dir = scratch.join(name);
        let package = format!("decode-check-{name}");
        write(
            &dir.join("Cargo.toml"),
            &cargo_toml(&package, "2021", false, &all_dependencies(), ""),
        )?;
        let code = program(cases, part).map_err(|e| Error::Check {
            path: dir.display().to_string(),
            message: format!("the check program does not format: {e}"),
        })?;
        write(&dir.join("src").join("main.rs"), &code)?;
    }
    let cases_path = scratch.join("cases.json");
    write(&cases_path, &cases_file(cases))?;
    let cases_path = cases_path.canonicalize().map_err(|source| Error::Io {
        path: cases_path.display().to_string(),
        source,
    })?;
    cargo_output(scratch, &["build", "--quiet", "--workspace"])?;
    let mut results: Vec<Option<Result<(), String>>> = cases
        .cases
        .iter()
        .map(|c| c.group.is_none().then_some(Ok(())))
        .collect();
    for name in &names {
        let package = format!("decode-check-{name}");
        let cases_arg = cases_path.display().to_string();
        let stdout = cargo_output(
            scratch,
            &["run", "--quiet", "-p", &package, "--", &cases_arg],
        )?;
        for line in stdout.lines() {
            let mut fields = line.splitn(3, '\t');
            let index = fields.next().and_then(|i| i.parse::<usize>().ok());
            let Some(slot) = index.and_then(|i| results.get_mut(i)) else {
                continue;
            };
            *slot = Some(match (fields.next(), fields.next()) {
                (Some("ok"), _) => Ok(()),
                (_, message) => Err(message.unwrap_or_default().to_owned()),
            });
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("no result from the check program".to_owned())))
        .collect())
}
