//! `xtask decode`: the control and leave-one-out decode checks over every saved JSON
//! response of the collections, with a per-collection table and a baseline.

use std::collections::BTreeMap;
use std::path::Path;

use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::decode_check::Check;
use postman_codegen_cli::decoding::{decode_all, describe, gather, SHOWN_FAILURES};
use postman_codegen_cli::scratch::percent;

use super::counts;

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
            Check::LeaveOneOut | Check::Observed => (&mut self.loo_ok, &mut self.loo),
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
    let (cases, owners) = gather(dirs, |cases, source, name| {
        cases.add_collection(source, name).is_ok()
    })?;
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
    counts::settle("decode", baseline, update, &tallies)
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

impl counts::Counts for Tally {
    const COLUMNS: &'static [&'static str] = &[
        "control",
        "control_decoded",
        "leave_one_out",
        "leave_one_out_decoded",
    ];

    fn values(&self) -> Vec<usize> {
        vec![self.control, self.control_ok, self.loo, self.loo_ok]
    }

    fn from_values(values: &[usize]) -> Option<Self> {
        let [control, control_ok, loo, loo_ok] = values else {
            return None;
        };
        Some(Self {
            control: *control,
            control_ok: *control_ok,
            loo: *loo,
            loo_ok: *loo_ok,
        })
    }

    fn checked(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("control cases", self.control),
            ("control decoded", self.control_ok),
            ("leave-one-out cases", self.loo),
            ("leave-one-out decoded", self.loo_ok),
        ]
    }
}
