//! `xtask parity`: newman and the generated client send every request of the
//! collections to one recording server on 127.0.0.1; the requests are paired by item path
//! and compared, and a per-collection table and the kinds of difference are printed.

mod compare;
mod newman;
mod recorder;
mod sender;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use postman_codegen::collection::{parse_collection, Collection};
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::ir::{self, Api};
use postman_codegen::{emit, module_name_for, naming::Namespace};
use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files::write;

use compare::Difference;
use recorder::Record;

use super::counts;
use postman_codegen::files::collection_stem;
use postman_codegen_cli::scratch::{collection_files, percent};

/// One collection taken through both senders.
pub struct Subject {
    /// Name in tables.
    name: String,
    /// Module the generated client is included as.
    module: String,
    /// The collection file's text.
    source: String,
    /// Variables it uses but does not define, with the value both senders get.
    undefined: Vec<(String, String)>,
    /// The parsed collection (variables, auth values).
    collection: Collection,
    /// Its lowered API (servers, operations with item paths).
    api: Api,
    /// The generated module.
    code: String,
}

/// What one sender did with one item: the record the server kept, or why there is none.
pub type Sent = Result<u64, String>;

/// Item path with its occurrence among items of the same path, so duplicates pair in order.
pub type ItemKey = (Vec<String>, usize);

/// One collection's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    requests: usize,
    paired: usize,
    identical: usize,
    /// Identical but for a difference kept on purpose ([`compare::documented`]).
    documented: usize,
}

/// Runs both senders over every collection of `dirs`, compares, prints, and fails on a
/// collection with fewer identical requests than `baseline` (unless `update` rewrites it).
pub fn run(
    dirs: &[PathBuf],
    scratch: &Path,
    newman: &Path,
    baseline: Option<&Path>,
    update: bool,
) -> Result<(), Error> {
    let subjects = subjects(dirs)?;
    std::fs::create_dir_all(scratch).map_err(|source| Error::Io {
        path: scratch.display().to_string(),
        source,
    })?;
    let mut build = sender::start_build(scratch, &subjects)?;
    let recorder = recorder::Recorder::start(scratch)?;
    let origin = recorder.origin();
    let mut from_newman = BTreeMap::new();
    for subject in &subjects {
        from_newman.insert(
            subject.name.clone(),
            newman::run(newman, scratch, subject, &origin),
        );
    }
    let from_client = sender::finish_and_run(&mut build, scratch, &subjects, &origin)?;
    let records = recorder.stop()?;
    let mut tallies = BTreeMap::new();
    let mut differences: Vec<(String, Difference)> = Vec::new();
    for subject in &subjects {
        let newman_sent = from_newman.remove(&subject.name).unwrap_or_default();
        let client_sent = from_client
            .get(&subject.module)
            .cloned()
            .unwrap_or_default();
        let (tally, found) = compare_subject(&newman_sent, &client_sent, &records);
        tallies.insert(subject.name.clone(), tally);
        differences.extend(found.into_iter().map(|d| (subject.name.clone(), d)));
    }
    print_table(&tallies);
    print_differences(&differences);
    let listing: String = differences
        .iter()
        .map(|(collection, d)| {
            let records = d
                .records
                .map(|(newman, client)| format!("\t{newman}\t{client}"))
                .unwrap_or_default();
            format!("{collection}\t{}\t{}{records}\n", d.kind, d.detail)
        })
        .collect();
    let listing_path = scratch.join("differences.tsv");
    write(&listing_path, &listing)?;
    println!("every difference: {}", listing_path.display());
    counts::settle("parity", baseline, update, &tallies)
}

/// Every collection that parses and generates, with its IR and code.
fn subjects(dirs: &[PathBuf]) -> Result<Vec<Subject>, Error> {
    let mut names = Namespace::with_reserved(&["runtime", "main"]);
    let mut subjects = Vec::new();
    for file in collection_files(dirs)? {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let source = String::from_utf8_lossy(&bytes).into_owned();
        let label = file.display().to_string();
        let module = names.claim(&module_name_for(&file));
        // Parsed and lowered once: the code from the same IR the senders are written from.
        let mut diags = Diagnostics::new(label);
        let Ok(collection) = parse_collection(&source, &mut diags) else {
            continue;
        };
        let api = ir::lower(&collection, &module, &mut diags);
        let Ok(code) = emit::module(&api, &module, emit::RuntimeAt::Own).and_then(emit::format)
        else {
            continue;
        };
        subjects.push(Subject {
            name: collection_stem(&file),
            undefined: undefined_variables(&source, &api),
            source,
            module,
            collection,
            api,
            code,
        });
    }
    Ok(subjects)
}

/// Each server of `api` with the path its requests keep when they go to the recording
/// server: a server named by a variable keeps the path of its default (`https://x.com/v2`
/// gives `/v2`); one written as an origin in the URLs has none.
fn server_urls(api: &Api) -> Vec<(String, String)> {
    api.servers
        .iter()
        .map(|server| {
            let path = if newman::is_variable_server(&server.key) {
                let after_scheme = server
                    .default
                    .split_once("://")
                    .map_or("", |(_, rest)| rest);
                after_scheme
                    .find('/')
                    .map_or("", |i| &after_scheme[i..])
                    .trim_end_matches('/')
                    .to_owned()
            } else {
                String::new()
            };
            (server.key.clone(), path)
        })
        .collect()
}

/// Variables the collection uses but does not define, each with a value both senders are
/// given (`parity-NAME`), so that they send the same request rather than both the text
/// `{{NAME}}`. Servers are set apart, and dynamic `{{$...}}` names are each sender's own.
fn undefined_variables(source: &str, api: &Api) -> Vec<(String, String)> {
    let defined: BTreeSet<&str> = api
        .variables
        .iter()
        .map(|(name, _)| name.as_str())
        .chain(api.servers.iter().map(|s| s.key.as_str()))
        .collect();
    let mut names = BTreeSet::new();
    let mut rest = source;
    while let Some(close) = rest.find("}}") {
        if let Some(open) = rest[..close].rfind("{{") {
            let name = &rest[open + 2..close];
            let usable = !name.is_empty()
                && !name.starts_with('$')
                && !name.contains(['=', '"', '\\'])
                && !name.chars().any(char::is_whitespace);
            if usable && !defined.contains(name) {
                names.insert(name.to_owned());
            }
        }
        rest = &rest[close + 2..];
    }
    names
        .into_iter()
        .map(|name| {
            let value = format!("parity-{name}");
            (name, value)
        })
        .collect()
}

/// Pairs what the two senders sent for each item and compares the requests.
fn compare_subject(
    newman: &newman::Report,
    client: &BTreeMap<ItemKey, Sent>,
    records: &BTreeMap<u64, Record>,
) -> (Tally, Vec<Difference>) {
    let mut tally = Tally {
        requests: client.len(),
        ..Tally::default()
    };
    let mut found = Vec::new();
    for (key, ours) in client {
        let item = key.0.join(" / ");
        let theirs = newman
            .sent
            .get(key)
            .cloned()
            .unwrap_or_else(|| Err("newman did not run this item".to_owned()));
        let record = |sent: &Sent| sent.as_ref().ok().and_then(|id| records.get(id));
        let verdict = match (record(&theirs), record(ours)) {
            (Some(expected), Some(actual)) => {
                tally.paired += 1;
                compare::items(expected, actual, newman.dynamic.contains(key)).map_err(|d| {
                    let ids = theirs.as_ref().ok().zip(ours.as_ref().ok());
                    d.with_records(ids.map(|(t, o)| (*t, *o)))
                })
            }
            (None, _) => Err(compare::unsent("not sent by newman", &theirs)),
            (_, None) => Err(compare::unsent("not sent by the client", ours)),
        };
        match verdict {
            Ok(None) => tally.identical += 1,
            Ok(Some(reason)) => {
                tally.documented += 1;
                found.push(Difference {
                    kind: format!("documented: {reason}"),
                    detail: item,
                    records: None,
                });
            }
            Err(difference) => found.push(difference.at(&item)),
        }
    }
    (tally, found)
}

fn print_table(tallies: &BTreeMap<String, Tally>) {
    println!("| collection | requests | paired | identical | documented | parity |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |label: &str, t: &Tally| {
        println!(
            "| {label} | {} | {} | {} | {} | {} |",
            t.requests,
            t.paired,
            t.identical,
            t.documented,
            percent(t.identical + t.documented, t.requests)
        );
    };
    let mut sum = Tally::default();
    for (name, t) in tallies {
        row(name, t);
        sum.requests += t.requests;
        sum.paired += t.paired;
        sum.identical += t.identical;
        sum.documented += t.documented;
    }
    row(&format!("total ({} collections)", tallies.len()), &sum);
}

/// Kinds of difference, most frequent first, with how many requests each hits and one
/// example.
fn print_differences(differences: &[(String, Difference)]) {
    let mut kinds: BTreeMap<&str, Vec<&(String, Difference)>> = BTreeMap::new();
    for entry in differences {
        kinds.entry(entry.1.kind.as_str()).or_default().push(entry);
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    println!();
    println!("| difference | requests | example |");
    println!("|---|---:|---|");
    for (kind, entries) in &kinds {
        let (collection, first) = entries[0];
        let example = format!("{collection}: {}", first.detail).replace('|', "/");
        println!("| {kind} | {} | {example} |", entries.len());
    }
}

impl counts::Counts for Tally {
    const COLUMNS: &'static [&'static str] = &["requests", "paired", "identical", "documented"];

    fn values(&self) -> Vec<usize> {
        vec![self.requests, self.paired, self.identical, self.documented]
    }

    fn from_values(values: &[usize]) -> Option<Self> {
        let [requests, paired, identical, documented] = values else {
            return None;
        };
        Some(Self {
            requests: *requests,
            paired: *paired,
            identical: *identical,
            documented: *documented,
        })
    }

    /// Requests, and those sent alike (identical, or different only as documented).
    fn checked(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("requests", self.requests),
            ("sent alike", self.identical + self.documented),
        ]
    }
}
