//! The corpus baseline: per collection, the requests, operations and warnings of an accepted
//! run and whether it generated. A run that is worse on any of them is a regression.

use std::collections::BTreeMap;
use std::path::Path;

use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files;

use super::Row;

/// One collection's accepted result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    requests: usize,
    operations: usize,
    warnings: usize,
    generates: bool,
}

const HEADER: &str = "collection\trequests\toperations\twarnings\toutcome";

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<BTreeMap<String, Expected>, Error> {
    let rows = super::read_tsv(path, HEADER, |fields| {
        let [name, requests, operations, warnings, outcome] = fields else {
            return None;
        };
        let generates = match *outcome {
            "ok" => true,
            "error" => false,
            _ => return None,
        };
        let expected = Expected {
            requests: requests.parse().ok()?,
            operations: operations.parse().ok()?,
            warnings: warnings.parse().ok()?,
            generates,
        };
        Some(((*name).to_owned(), expected))
    })?;
    Ok(rows.into_iter().collect())
}

/// Writes this run as the new baseline.
pub fn write(path: &Path, rows: &[Row]) -> Result<(), Error> {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        let outcome = if row.error.is_none() { "ok" } else { "error" };
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{outcome}\n",
            row.name, row.requests, row.operations, row.warnings
        ));
    }
    files::write(path, &text)
}

/// Regressions of `rows` against `expected`; improvements are printed so the baseline can be
/// raised with `--update-baseline`.
pub fn compare(expected: &BTreeMap<String, Expected>, rows: &[Row]) -> Vec<String> {
    let mut regressions = Vec::new();
    let mut improvements = Vec::new();
    for row in rows {
        let Some(before) = expected.get(&row.name) else {
            improvements.push(format!("{}: new collection", row.name));
            continue;
        };
        let generates = row.error.is_none();
        let mut note = |worse: bool, what: String| {
            let line = format!("{}: {what}", row.name);
            if worse {
                regressions.push(line);
            } else {
                improvements.push(line);
            }
        };
        if generates != before.generates {
            let what = match &row.error {
                Some(e) => format!("no longer generates: {e}"),
                None => "generates now".to_owned(),
            };
            note(!generates, what);
            continue;
        }
        if row.requests != before.requests {
            let what = format!("{} requests, was {}", row.requests, before.requests);
            note(row.requests < before.requests, what);
        }
        if row.operations != before.operations {
            let what = format!("{} operations, was {}", row.operations, before.operations);
            note(row.operations < before.operations, what);
        }
        if row.warnings != before.warnings {
            let what = format!("{} warnings, was {}", row.warnings, before.warnings);
            note(row.warnings > before.warnings, what);
        }
    }
    for name in expected.keys() {
        if !rows.iter().any(|r| &r.name == name) {
            regressions.push(format!("{name}: in the baseline but not found"));
        }
    }
    for line in &improvements {
        eprintln!("better than the baseline: {line}");
    }
    regressions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, operations: usize, warnings: usize, error: Option<&str>) -> Row {
        Row {
            name: name.to_owned(),
            module: name.to_owned(),
            requests: 3,
            operations,
            warnings,
            scripts: postman_codegen::ir::scripts::Census::default(),
            error: error.map(str::to_owned),
            compiled: None,
            millis: 1.0,
        }
    }

    #[test]
    fn worse_results_are_regressions_and_better_ones_are_not() {
        let dir = std::env::temp_dir().join(format!("corpus-baseline-{}", std::process::id()));
        let path = dir.join("baseline.tsv");
        let accepted = [
            row("same", 3, 2, None),
            row("more-warnings", 3, 2, None),
            row("fewer-warnings", 3, 2, None),
            row("lost-operation", 3, 0, None),
            row("now-fails", 3, 0, None),
            row("now-generates", 0, 0, Some("bad")),
            row("gone", 3, 0, None),
        ];
        write(&path, &accepted).expect("written");
        let expected = read(&path).expect("read back");
        assert_eq!(expected.len(), accepted.len());
        let run = [
            row("same", 3, 2, None),
            row("more-warnings", 3, 3, None),
            row("fewer-warnings", 3, 1, None),
            row("lost-operation", 2, 0, None),
            row("now-fails", 0, 0, Some("invalid JSON")),
            row("now-generates", 3, 0, None),
            row("new", 3, 9, None),
        ];
        let regressions = compare(&expected, &run);
        assert_eq!(
            regressions,
            vec![
                "more-warnings: 3 warnings, was 2",
                "lost-operation: 2 operations, was 3",
                "now-fails: no longer generates: invalid JSON",
                "gone: in the baseline but not found",
            ]
        );
    }

    #[test]
    fn a_malformed_baseline_names_its_line() {
        let dir = std::env::temp_dir().join(format!("corpus-bad-{}", std::process::id()));
        let path = dir.join("baseline.tsv");
        files::write(&path, &format!("{HEADER}\na\t1\t1\tmany\tok\n")).expect("written");
        let err = read(&path).expect_err("malformed").to_string();
        assert!(err.contains("baseline.tsv:2"), "{err}");
    }
}
