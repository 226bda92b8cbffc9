//! `xtask parity`: newman and the generated client send every request of the
//! collections to one recording server on 127.0.0.1; the requests are paired by item path
//! and compared, and a per-collection table and the kinds of difference are printed.

mod compare;
mod newman;
mod recorder;
mod sender;
mod workflow;

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
    /// In a workflow run: the order, the answers and the scripted items.
    plan: Option<workflow::Plan>,
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

/// One collection's counts in a workflow run: with the requests that use a variable a script
/// sets, and how many of them were sent alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkflowTally {
    all: Tally,
    scripted: usize,
    scripted_alike: usize,
}

/// Runs both senders over every collection of `dirs`, compares, prints, and fails on a
/// collection with fewer identical requests than `baseline` (unless `update` rewrites it).
/// With `workflow`, the collections run as programs ([`workflow`]).
pub fn run(
    dirs: &[PathBuf],
    scratch: &Path,
    newman: &Path,
    baseline: Option<&Path>,
    update: bool,
    workflow: bool,
) -> Result<(), Error> {
    let subjects = subjects(dirs, workflow)?;
    std::fs::create_dir_all(scratch).map_err(|source| Error::Io {
        path: scratch.display().to_string(),
        source,
    })?;
    let mut build = sender::start_build(scratch, &subjects, workflow)?;
    let answers = if workflow {
        let answers: serde_json::Map<String, serde_json::Value> = subjects
            .iter()
            .filter_map(|s| s.plan.as_ref())
            .flat_map(|plan| plan.answers.clone())
            .collect();
        let path = scratch.join("answers.json");
        write(&path, &serde_json::Value::Object(answers).to_string())?;
        Some(path)
    } else {
        None
    };
    let recorder = recorder::Recorder::start(scratch, answers.as_deref())?;
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
        let scripted = subject.plan.as_ref().map(|plan| &plan.scripted);
        let (tally, found) = compare_subject(&newman_sent, &client_sent, &records, scripted);
        tallies.insert(subject.name.clone(), tally);
        differences.extend(found.into_iter().map(|d| (subject.name.clone(), d)));
    }
    let plain: BTreeMap<String, Tally> = tallies.iter().map(|(k, t)| (k.clone(), t.all)).collect();
    print_table(&plain);
    if workflow {
        print_scripted(&tallies);
    }
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
    if workflow {
        counts::settle("workflow parity", baseline, update, &tallies)
    } else {
        counts::settle("parity", baseline, update, &plain)
    }
}

/// The requests that use a variable a script sets, per collection that has any.
fn print_scripted(tallies: &BTreeMap<String, WorkflowTally>) {
    println!();
    println!("| collection | requests on script variables | sent alike | % |");
    println!("|---|---:|---:|---:|");
    let (mut scripted, mut alike) = (0, 0);
    for (name, t) in tallies.iter().filter(|(_, t)| t.scripted > 0) {
        println!(
            "| {name} | {} | {} | {} |",
            t.scripted,
            t.scripted_alike,
            percent(t.scripted_alike, t.scripted)
        );
        scripted += t.scripted;
        alike += t.scripted_alike;
    }
    println!(
        "| total | {scripted} | {alike} | {} |",
        percent(alike, scripted)
    );
}

/// Every collection that parses and generates, with its IR and code (and its plan, for a
/// `workflow` run).
fn subjects(dirs: &[PathBuf], workflow: bool) -> Result<Vec<Subject>, Error> {
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
        // A workflow runs the scripts not translated in full as written: its clients are on
        // the runtime crate, built with its JavaScript engine (`sender::start_build`).
        let runtime_crate: syn::Path = syn::parse_quote!(::postman_codegen_runtime);
        let runtime_at = match workflow {
            true => emit::RuntimeAt::Crate(&runtime_crate),
            false => emit::RuntimeAt::Own,
        };
        let Ok(code) = emit::module(&api, &module, runtime_at).and_then(emit::format) else {
            continue;
        };
        subjects.push(Subject {
            name: collection_stem(&file),
            plan: workflow.then(|| workflow::Plan::of(&source, &module)),
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
pub(super) fn undefined_variables(source: &str, api: &Api) -> Vec<(String, String)> {
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
            // Postman names may hold spaces (`{{site id}}`); line breaks and quotes mark
            // text that only looks like a variable.
            let usable = !name.is_empty()
                && !name.starts_with('$')
                && !name.contains(['=', '"', '\\'])
                && !name.chars().any(|c| c.is_whitespace() && c != ' ');
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

/// Pairs what the two senders sent for each item and compares the requests; `scripted`
/// items are also counted apart.
fn compare_subject(
    newman: &newman::Report,
    client: &BTreeMap<ItemKey, Sent>,
    records: &BTreeMap<u64, Record>,
    scripted: Option<&BTreeSet<ItemKey>>,
) -> (WorkflowTally, Vec<Difference>) {
    let mut tally = Tally {
        requests: client.len(),
        ..Tally::default()
    };
    let (mut on_scripts, mut on_scripts_alike) = (0, 0);
    let mut found = Vec::new();
    for (key, ours) in client {
        let item = key.0.join(" / ");
        let theirs = newman
            .sent
            .get(key)
            .cloned()
            .unwrap_or_else(|| Err("newman did not run this item".to_owned()));
        let record = |sent: &Sent| sent.as_ref().ok().and_then(|id| records.get(id));
        // The client stopped the request where newman reported that same script error.
        let guarded = || {
            ours.as_ref().is_err_and(|message| {
                newman
                    .script_errors
                    .get(key)
                    .is_some_and(|errors| compare::stopped_by_guard(errors, message))
            })
        };
        let verdict = match (record(&theirs), record(ours)) {
            (Some(expected), Some(actual)) => {
                tally.paired += 1;
                // Scripts, which a workflow runs, make UUIDs and times of their own too.
                let dynamic = scripted.is_some() || newman.dynamic.contains(key);
                compare::items(expected, actual, dynamic).map_err(|d| {
                    let ids = theirs.as_ref().ok().zip(ours.as_ref().ok());
                    d.with_records(ids.map(|(t, o)| (*t, *o)))
                })
            }
            (_, None) if guarded() => Ok(Some(compare::documented::GUARD)),
            (None, _) => Err(compare::unsent("not sent by newman", &theirs)),
            (Some(expected), None) => match ours {
                Err(message) if compare::refused_unresolved(expected, message) => {
                    Ok(Some(compare::documented::UNRESOLVED))
                }
                _ => Err(compare::unsent("not sent by the client", ours)),
            },
        };
        let on_script_variable = scripted.is_some_and(|s| s.contains(key));
        on_scripts += usize::from(on_script_variable);
        on_scripts_alike += usize::from(on_script_variable && verdict.is_ok());
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
    let tally = WorkflowTally {
        all: tally,
        scripted: on_scripts,
        scripted_alike: on_scripts_alike,
    };
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

impl counts::Counts for WorkflowTally {
    const COLUMNS: &'static [&'static str] = &[
        "requests",
        "paired",
        "identical",
        "documented",
        "scripted",
        "scripted_alike",
    ];

    fn values(&self) -> Vec<usize> {
        let mut values = self.all.values();
        values.extend([self.scripted, self.scripted_alike]);
        values
    }

    fn from_values(values: &[usize]) -> Option<Self> {
        let (all, scripted) = values.split_at_checked(4)?;
        let [scripted, scripted_alike] = scripted else {
            return None;
        };
        Some(Self {
            all: Tally::from_values(all)?,
            scripted: *scripted,
            scripted_alike: *scripted_alike,
        })
    }

    /// As [`Tally`], and the requests on script variables sent alike.
    fn checked(&self) -> Vec<(&'static str, usize)> {
        let mut checked = self.all.checked();
        checked.push(("sent alike on script variables", self.scripted_alike));
        checked
    }
}
