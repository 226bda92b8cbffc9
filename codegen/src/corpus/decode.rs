//! `postman-codegen decode`: the control and leave-one-out decode checks over every saved JSON
//! response of the collections, with a per-collection table and a baseline.

use std::collections::BTreeMap;
use std::path::Path;

use postman_codegen::decode_check::{cases_file, parts, program, Case, Cases, Check};
use postman_codegen::Error;

use super::{collection_files, collection_name, percent};

/// Failures printed in full before the rest are only counted.
const SHOWN_FAILURES: usize = 40;

/// One collection's results: decoded and total, for control and leave-one-out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    control_ok: usize,
    control: usize,
    loo_ok: usize,
    loo: usize,
}

impl Tally {
    fn add(&mut self, check: Check, ok: bool) {
        let (decoded, total) = match check {
            Check::Control => (&mut self.control_ok, &mut self.control),
            Check::LeaveOneOut => (&mut self.loo_ok, &mut self.loo),
        };
        *total += 1;
        *decoded += usize::from(ok);
    }
}

/// Runs both checks in a scratch crate under `scratch`; fails on a collection that does worse
/// than `baseline` (unless `update` rewrites it).
pub fn run(
    dirs: &[std::path::PathBuf],
    scratch: &Path,
    baseline: Option<&Path>,
    update: bool,
) -> Result<(), Error> {
    let mut cases = Cases::default();
    let mut owners: Vec<(String, usize)> = Vec::new();
    for file in collection_files(dirs)? {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let source = String::from_utf8_lossy(&bytes);
        if cases
            .add_collection(&source, &file.display().to_string())
            .is_ok()
        {
            owners.push((collection_name(&file), cases.cases.len()));
        }
    }
    let results = decode_all(scratch, &cases)?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut start = 0;
    let mut failures = Vec::new();
    for (name, end) in &owners {
        if *end == start {
            continue;
        }
        let tally = tallies.entry(name.clone()).or_default();
        for (case, result) in cases.cases[start..*end].iter().zip(&results[start..*end]) {
            tally.add(case.check, result.is_ok());
            if let Err(e) = result {
                failures.push(describe(name, case, e));
            }
        }
        start = *end;
    }
    for line in failures.iter().take(SHOWN_FAILURES) {
        eprintln!("{line}");
    }
    if failures.len() > SHOWN_FAILURES {
        eprintln!("... and {} more failures", failures.len() - SHOWN_FAILURES);
    }
    print_table(&tallies);
    let Some(path) = baseline else {
        return Ok(());
    };
    if update {
        write_baseline(path, &tallies)?;
        eprintln!("baseline written to {}", path.display());
        return Ok(());
    }
    let regressions = compare(&read_baseline(path)?, &tallies);
    for line in &regressions {
        eprintln!("regression: {line}");
    }
    if regressions.is_empty() {
        Ok(())
    } else {
        Err(Error::Io {
            path: "decode".to_owned(),
            source: std::io::Error::other(format!("{} regressions", regressions.len())),
        })
    }
}

fn describe(collection: &str, case: &Case, error: &str) -> String {
    let check = match case.check {
        Check::Control => "control",
        Check::LeaveOneOut => "leave-one-out",
    };
    format!(
        "{collection}: {} ({}, {check}): {error}",
        case.item_path.join(" / "),
        case.status
    )
}

/// Struct fields per check program: parts compile in parallel and within memory.
const FIELDS_PER_PART: usize = 6_000;

/// Builds the check programs in a workspace under `scratch` and runs them; one result per
/// case.
fn decode_all(scratch: &Path, cases: &Cases) -> Result<Vec<Result<(), String>>, Error> {
    let emit_error = |e: syn::Error| Error::Emit {
        file: "decode check".to_owned(),
        message: e.to_string(),
    };
    let parts = parts(cases, FIELDS_PER_PART);
    super::remove_old_parts(scratch)?;
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}")).collect();
    super::write_workspace_manifest(scratch, &names)?;
    for (name, part) in names.iter().zip(parts) {
        let dir = scratch.join(name);
        let package = format!("decode-check-{name}");
        crate::write(
            &dir.join("Cargo.toml"),
            &crate::cargo_toml(&package, "2021", false),
        )?;
        let code = program(cases, part).map_err(emit_error)?;
        crate::write(&dir.join("src").join("main.rs"), &code)?;
    }
    let cases_path = scratch.join("cases.json");
    crate::write(&cases_path, &cases_file(cases))?;
    let cases_path = cases_path.canonicalize().map_err(|source| Error::Io {
        path: cases_path.display().to_string(),
        source,
    })?;
    super::cargo_output(scratch, &["build", "--quiet", "--workspace"])?;
    let mut results: Vec<Option<Result<(), String>>> = cases
        .cases
        .iter()
        .map(|c| c.group.is_none().then_some(Ok(())))
        .collect();
    for name in &names {
        let package = format!("decode-check-{name}");
        let cases_arg = cases_path.display().to_string();
        let stdout = super::cargo_output(
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

fn print_table(tallies: &BTreeMap<String, Tally>) {
    println!("| collection | control | decoded | % | leave-one-out | decoded | % |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let row = |label: &str, t: &Tally| {
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            t.control,
            t.control_ok,
            percent(t.control_ok, t.control),
            t.loo,
            t.loo_ok,
            percent(t.loo_ok, t.loo)
        );
    };
    let mut sum = Tally::default();
    for (name, t) in tallies {
        row(name, t);
        sum.control += t.control;
        sum.control_ok += t.control_ok;
        sum.loo += t.loo;
        sum.loo_ok += t.loo_ok;
    }
    row(&format!("total ({} collections)", tallies.len()), &sum);
}

const HEADER: &str = "collection\tcontrol\tcontrol_decoded\tleave_one_out\tleave_one_out_decoded";

fn write_baseline(path: &Path, tallies: &BTreeMap<String, Tally>) -> Result<(), Error> {
    let mut text = format!("{HEADER}\n");
    for (name, t) in tallies {
        text.push_str(&format!(
            "{name}\t{}\t{}\t{}\t{}\n",
            t.control, t.control_ok, t.loo, t.loo_ok
        ));
    }
    crate::write(path, &text)
}

fn read_baseline(path: &Path) -> Result<BTreeMap<String, Tally>, Error> {
    let rows = super::read_tsv(path, HEADER, |fields| {
        let [name, control, control_ok, loo, loo_ok] = fields else {
            return None;
        };
        let tally = Tally {
            control: control.parse().ok()?,
            control_ok: control_ok.parse().ok()?,
            loo: loo.parse().ok()?,
            loo_ok: loo_ok.parse().ok()?,
        };
        Some(((*name).to_owned(), tally))
    })?;
    Ok(rows.into_iter().collect())
}

/// Regressions: fewer cases, or fewer decoded, than the baseline.
fn compare(expected: &BTreeMap<String, Tally>, run: &BTreeMap<String, Tally>) -> Vec<String> {
    let mut regressions = Vec::new();
    for (name, before) in expected {
        let now = run.get(name).copied().unwrap_or_default();
        for (what, was, is) in [
            ("control cases", before.control, now.control),
            ("control decoded", before.control_ok, now.control_ok),
            ("leave-one-out cases", before.loo, now.loo),
            ("leave-one-out decoded", before.loo_ok, now.loo_ok),
        ] {
            if is < was {
                regressions.push(format!("{name}: {is} {what}, was {was}"));
            } else if is > was {
                eprintln!("better than the baseline: {name}: {is} {what}, was {was}");
            }
        }
    }
    regressions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_decoded_or_fewer_cases_are_regressions() {
        let tally = |control_ok, loo_ok| Tally {
            control_ok,
            control: 10,
            loo_ok,
            loo: 4,
        };
        let expected = BTreeMap::from([
            ("a".to_owned(), tally(10, 3)),
            ("b".to_owned(), tally(9, 4)),
            ("gone".to_owned(), tally(10, 4)),
        ]);
        let run = BTreeMap::from([
            ("a".to_owned(), tally(10, 4)),
            ("b".to_owned(), tally(8, 4)),
        ]);
        assert_eq!(
            compare(&expected, &run),
            vec![
                "b: 8 control decoded, was 9",
                "gone: 0 control cases, was 10",
                "gone: 0 control decoded, was 10",
                "gone: 0 leave-one-out cases, was 4",
                "gone: 0 leave-one-out decoded, was 4",
            ]
        );
    }
}
