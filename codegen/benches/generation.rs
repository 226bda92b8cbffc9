//! Generation time per stage (parse, lower, emit, format) on the largest real collections of
//! the shared corpus and the one with the most scripts, as medians of repeated runs, against
//! reading the same file as plain JSON in the same process; the part of `lower` that parses and
//! translates scripts (`scripts`); and the size of what comes out. `cargo bench -p postman-codegen`;
//! `BENCH_RUNS=N` changes the number of runs (5 by default).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use postman_codegen::collection::{Collection, Item, Script};
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::ir::scripts::Translations;
use postman_codegen::{collection, emit, ir};

/// Every script of `collection`: its own, its folders' and its requests'.
fn scripts(collection: &Collection) -> Vec<&Script> {
    fn walk<'a>(items: &'a [Item], out: &mut Vec<&'a Script>) {
        for item in items {
            match item {
                Item::Folder(folder) => {
                    out.extend(&folder.scripts);
                    walk(&folder.items, out);
                }
                Item::Request(request) => out.extend(&request.scripts),
            }
        }
    }
    let mut out: Vec<&Script> = collection.scripts.iter().collect();
    walk(&collection.items, &mut out);
    out
}

/// Collections of `../shared/corpus/collections` (or `$POSTMAN_CODEGEN_CORPUS/collections`).
const COLLECTIONS: &[&str] = &["zoom-api", "github-v3-rest", "stripe-api", "f5-big-iq"];

fn corpus() -> PathBuf {
    std::env::var_os("POSTMAN_CODEGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// The median of `runs` timings of `work`, and its last result.
fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = work();
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1e3)
}

/// Peak resident memory of this process so far, from `/proc/self/status` (Linux).
fn peak_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0}", kib / 1024.0))
        })
        .unwrap_or_else(|| "-".to_owned())
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(5);
    let dir = corpus().join("collections");
    if !dir.is_dir() {
        println!("skipped: no corpus at {}", dir.display());
        return;
    }
    println!("median of {runs} runs, milliseconds; `json` is serde_json reading the same file");
    println!(
        "| collection | requests | scripts | json | parse | lower | of which scripts | emit | format | total | total/json | lines | lines/request | peak MiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for name in COLLECTIONS {
        let path = dir.join(format!("{name}.postman_collection.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("| {name} | missing | | | | | | | | | | | | |");
            continue;
        };
        let (json, _) = median(runs, || {
            serde_json::from_str::<serde_json::Value>(&text).map(|_| ())
        });
        let (parse, parsed) = median(runs, || {
            let mut diags = Diagnostics::new(name.to_string());
            collection::parse_collection(&text, &mut diags)
        });
        let Ok(parsed) = parsed else {
            println!("| {name} | does not parse | | | | | | | | | | | | |");
            continue;
        };
        let all_scripts = scripts(&parsed);
        let (translate, _) = median(runs, || {
            let mut translations = Translations::default();
            for script in &all_scripts {
                translations.get(script, |_, _| {});
            }
            translations.census()
        });
        let (lower, api) = median(runs, || {
            let mut diags = Diagnostics::new(name.to_string());
            ir::lower(&parsed, name, &mut diags)
        });
        let (emit, tokens) = median(runs, || emit::module(&api, name, emit::RuntimeAt::Own));
        let Ok(tokens) = tokens else {
            println!("| {name} | does not emit | | | | | | | | | | | | |");
            continue;
        };
        let (format, code) = median(runs, || emit::format(tokens.clone()));
        let Ok(code) = code else {
            println!("| {name} | does not format | | | | | | | | | | | | |");
            continue;
        };
        let lines = code.lines().count();
        let requests = parsed.requests_in_file.max(1);
        let total = parse + lower + emit + format;
        println!(
            "| {name} | {requests} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {lines} | {:.0} | {} |",
            all_scripts.len(),
            ms(json),
            ms(parse),
            ms(lower),
            ms(translate),
            ms(emit),
            ms(format),
            ms(total),
            total.as_secs_f64() / json.as_secs_f64().max(1e-9),
            lines as f64 / requests as f64,
            peak_mib()
        );
    }
}
