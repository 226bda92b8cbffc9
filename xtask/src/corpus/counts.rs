//! Baselines of counts per collection (the decode and parity checks): a TSV with one column
//! per count. A run with less of any checked count than the baseline is a regression.

use std::collections::BTreeMap;
use std::path::Path;

use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files;

/// A row of counts that a baseline keeps.
pub trait Counts: Sized + Default {
    /// Column names after `collection`.
    const COLUMNS: &'static [&'static str];

    /// The counts, in column order.
    fn values(&self) -> Vec<usize>;

    /// Counts read back in column order.
    fn from_values(values: &[usize]) -> Option<Self>;

    /// The counts that must not fall below the baseline, with what they are called.
    fn checked(&self) -> Vec<(&'static str, usize)>;
}

/// After a run: nothing without a baseline; with `update`, writes it; else fails on every
/// regression (and prints improvements). `check` names the run in the error.
pub fn settle<T: Counts>(
    check: &str,
    baseline: Option<&Path>,
    update: bool,
    run: &BTreeMap<String, T>,
) -> Result<(), Error> {
    let Some(path) = baseline else {
        return Ok(());
    };
    if update {
        write(path, run)?;
        eprintln!("baseline written to {}", path.display());
        return Ok(());
    }
    let found = regressions(&read(path)?, run);
    for line in &found {
        eprintln!("regression: {line}");
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::Check {
            path: check.to_owned(),
            message: format!("{} regressions", found.len()),
        })
    }
}

fn header<T: Counts>() -> String {
    std::iter::once("collection")
        .chain(T::COLUMNS.iter().copied())
        .collect::<Vec<_>>()
        .join("\t")
}

fn write<T: Counts>(path: &Path, run: &BTreeMap<String, T>) -> Result<(), Error> {
    let mut text = format!("{}\n", header::<T>());
    for (name, counts) in run {
        let values: Vec<String> = counts.values().iter().map(usize::to_string).collect();
        text.push_str(&format!("{name}\t{}\n", values.join("\t")));
    }
    files::write(path, &text)
}

fn read<T: Counts>(path: &Path) -> Result<BTreeMap<String, T>, Error> {
    let header = header::<T>();
    let rows = super::read_tsv(path, &header, |fields| {
        let (name, values) = fields.split_first()?;
        if values.len() != T::COLUMNS.len() {
            return None;
        }
        let values: Vec<usize> = values
            .iter()
            .map(|v| v.parse().ok())
            .collect::<Option<_>>()?;
        Some(((*name).to_owned(), T::from_values(&values)?))
    })?;
    Ok(rows.into_iter().collect())
}

/// Every checked count that fell, per collection; a collection missing from the run has
/// none of anything.
fn regressions<T: Counts>(
    expected: &BTreeMap<String, T>,
    run: &BTreeMap<String, T>,
) -> Vec<String> {
    let missing = T::default();
    let mut found = Vec::new();
    for (name, before) in expected {
        let now = run.get(name).unwrap_or(&missing);
        for ((what, was), (_, is)) in before.checked().into_iter().zip(now.checked()) {
            if is < was {
                found.push(format!("{name}: {is} {what}, was {was}"));
            } else if is > was {
                eprintln!("better than the baseline: {name}: {is} {what}, was {was}");
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Pair(usize, usize);

    impl Counts for Pair {
        const COLUMNS: &'static [&'static str] = &["total", "good"];

        fn values(&self) -> Vec<usize> {
            vec![self.0, self.1]
        }

        fn from_values(values: &[usize]) -> Option<Self> {
            Some(Self(*values.first()?, *values.get(1)?))
        }

        fn checked(&self) -> Vec<(&'static str, usize)> {
            vec![("good", self.1)]
        }
    }

    #[test]
    fn fewer_of_a_checked_count_is_a_regression_and_a_file_round_trips() {
        let expected = BTreeMap::from([
            ("a".to_owned(), Pair(10, 8)),
            ("b".to_owned(), Pair(10, 8)),
            ("gone".to_owned(), Pair(3, 3)),
        ]);
        let run = BTreeMap::from([("a".to_owned(), Pair(9, 9)), ("b".to_owned(), Pair(10, 7))]);
        assert_eq!(
            regressions(&expected, &run),
            vec!["b: 7 good, was 8", "gone: 0 good, was 3"]
        );
        let path = std::env::temp_dir().join(format!("counts-{}.tsv", std::process::id()));
        write(&path, &expected).expect("written");
        assert_eq!(read::<Pair>(&path).expect("read"), expected);
        std::fs::remove_file(&path).expect("removed");
    }
}
