//! `postman-codegen learn`: responses observed in newman JSON reports and HAR files become
//! saved examples of the collection, in Postman's own format, so that types, errors and decode
//! checks work from them unchanged.
//!
//! `report` reads the reports, `pair` finds the request each observation answered, `scrub`
//! takes out what is private, `example` turns responses into candidate examples and back, and
//! `select` keeps a bounded set per request and status: the fewest responses whose shapes give
//! the same inferred type as all of them.

mod example;
mod pair;
mod report;
mod scrub;
mod select;

pub use scrub::Scrubbed;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::{pointer, Diagnostics};
use crate::{Diagnostic, Error};
use example::Candidate;
use report::{Observation, Sent};
use scrub::Scrubber;

/// The key that marks an example `learn` wrote, with how many responses it was chosen from.
pub const LEARNED_KEY: &str = "_learned";

/// How `learn` writes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Keep string values, text bodies and every response header (credentials still go).
    pub keep_values: bool,
    /// At most this many learned examples per request and status.
    pub per_status: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            keep_values: false,
            per_status: 8,
        }
    }
}

/// A report's text with the name messages give it.
#[derive(Debug, Clone)]
pub struct ReportText {
    /// File name.
    pub name: String,
    /// Its contents.
    pub text: String,
}

impl ReportText {
    /// Reads the newman reports and HAR files at `paths`: each file, and the `*.json` and
    /// `*.har` files of each directory ([`crate::files::report_files`]).
    pub fn read_all(paths: &[std::path::PathBuf]) -> Result<Vec<Self>, Error> {
        crate::files::report_files(paths)?
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                Ok(Self {
                    name: path.display().to_string(),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                })
            })
            .collect()
    }
}

/// The collection with what was learned, and what happened.
#[derive(Debug, Clone)]
pub struct Learned {
    /// The collection's JSON with the learned examples.
    pub collection: String,
    /// Counts for the report.
    pub summary: Summary,
    /// Warnings: report entries without a usable response, statuses with more shapes than
    /// [`Options::per_status`].
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings about what did not belong to this collection: requests of the reports that
    /// match none of its requests, reports of another collection.
    pub unmatched: Vec<Diagnostic>,
}

/// What a `learn` run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Responses read from the reports.
    pub observed: usize,
    /// Of those, responses paired with a request.
    pub paired: usize,
    /// Requests that got observations.
    pub requests: usize,
    /// Requests whose success response had no JSON example before and has one now.
    pub newly_typed: usize,
    /// Learned examples in the collection after the run (written or kept).
    pub examples: usize,
    /// Responses with a binary body, not written: their statuses stay undocumented, so that
    /// the client keeps their bytes.
    pub binary: usize,
    /// What scrubbing took out.
    pub scrubbed: Scrubbed,
}

/// Adds the responses of `reports` to the collection `source` (named `file` in messages) as
/// saved examples.
pub fn learn(
    source: &str,
    file: &str,
    reports: &[ReportText],
    options: &Options,
) -> Result<Learned, Error> {
    let mut root = collection_root(source, file)?;
    let index = pair::Index::new(&root);
    let pairing = Pairing::of(&root, &index, file, reports)?;
    let mut summary = Summary {
        observed: pairing.observed,
        paired: pairing.groups.values().map(Vec::len).sum(),
        ..Summary::default()
    };
    let scrubber = Scrubber {
        keep_values: options.keep_values,
    };
    let mut touched: BTreeMap<usize, Vec<(u16, Vec<Observation>)>> = BTreeMap::new();
    for ((target, code), observations) in pairing.groups {
        touched
            .entry(target)
            .or_default()
            .push((code, observations));
    }
    summary.requests = touched.len();
    let mut diags = Diagnostics::new(file);
    for (target, statuses) in touched {
        let target = &index.targets[target];
        let Some(item) = root
            .pointer_mut(&target.pointer)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let path: Vec<String> = target.ranked.iter().map(|(n, _)| n.clone()).collect();
        if item.get("response").is_some_and(|r| !r.is_array()) {
            diags.warn(
                &path,
                &pointer(&target.pointer, "response"),
                "`response` is not a list; nothing learned for this request",
            );
            continue;
        }
        let narrowed = learn_item(item, statuses, &scrubber, options, &mut summary);
        for code in narrowed {
            diags.warn(
                &path,
                &target.pointer,
                format!(
                    "{code}: more than {} response shapes; the type rests on the {} kept \
                     (raise --per-status to keep more)",
                    options.per_status, options.per_status
                ),
            );
        }
    }
    let mut diagnostics = pairing.diagnostics;
    diagnostics.extend(diags.into_vec());
    summary.examples = count_learned(&root);
    Ok(Learned {
        collection: write(&root),
        summary,
        diagnostics,
        unmatched: pairing.unmatched,
    })
}

/// Writes the observations of one request item, by status, into its saved examples: for each
/// status, its earlier learned examples and the new responses are chosen from again. Returns
/// the statuses whose limit left out a shape.
fn learn_item(
    item: &mut Map<String, Value>,
    statuses: Vec<(u16, Vec<Observation>)>,
    scrubber: &Scrubber,
    options: &Options,
    summary: &mut Summary,
) -> Vec<u16> {
    let typed_before = typed(item);
    let mut narrowed = Vec::new();
    let request = item.get("request").cloned().unwrap_or(Value::Null);
    let original = scrubber.request(&request, &mut summary.scrubbed);
    let mut examples = match item.remove("response") {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    for (code, observations) in statuses {
        let (earlier, others): (Vec<Value>, Vec<Value>) = examples
            .into_iter()
            .partition(|e| e.get(LEARNED_KEY).is_some() && code_of(e) == Some(code));
        examples = others;
        let saved: Vec<&Value> = examples
            .iter()
            .filter(|e| code_of(e) == Some(code))
            .collect();
        let mut candidates: Vec<Candidate> = earlier.iter().map(Candidate::from_example).collect();
        let mut observed = 0;
        for observation in &observations {
            match Candidate::observed(observation, scrubber, &mut summary.scrubbed) {
                Some(candidate) => {
                    candidates.push(candidate);
                    observed += 1;
                }
                None => summary.binary += 1,
            }
        }
        let selection = select::select(&saved, candidates, options.per_status);
        if selection.narrowed {
            narrowed.push(code);
        }
        let count = selection.kept.len();
        for (i, candidate) in selection.kept.into_iter().enumerate() {
            let number = if count > 1 {
                format!(" ({})", i + 1)
            } else {
                String::new()
            };
            examples.push(candidate.example(code, &number, &original, observed));
        }
    }
    item.insert("response".to_owned(), Value::Array(examples));
    if !typed_before && typed(item) {
        summary.newly_typed += 1;
    }
    narrowed
}

/// One response of a report with the request it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairedResponse {
    /// Folder and request names, each with its rank among equal names of its siblings.
    pub item_path: Vec<(String, usize)>,
    /// Status code.
    pub status: u16,
    /// The body, when it is text.
    pub body: Option<String>,
}

/// The responses of `reports` that answered requests of the collection `source`, as they
/// came (nothing scrubbed or chosen): for checking a client against responses it was not
/// generated from.
pub fn paired(
    source: &str,
    file: &str,
    reports: &[ReportText],
) -> Result<Vec<PairedResponse>, Error> {
    let root = collection_root(source, file)?;
    let index = pair::Index::new(&root);
    let pairing = Pairing::of(&root, &index, file, reports)?;
    Ok(pairing
        .groups
        .into_iter()
        .flat_map(|((target, status), observations)| {
            let item_path = index.targets[target].ranked.clone();
            observations.into_iter().map(move |o| PairedResponse {
                item_path: item_path.clone(),
                status,
                body: match o.body {
                    report::Body::Text(text) => Some(text),
                    _ => None,
                },
            })
        })
        .collect())
}

/// A v2.x collection's JSON; a located error for anything else.
fn collection_root(source: &str, file: &str) -> Result<Value, Error> {
    let diags = Diagnostics::new(file);
    let root: Value = serde_json::from_str(source.trim_start_matches('\u{feff}')).map_err(|e| {
        Error::Input(diags.error(
            &[],
            &format!("line {} column {}", e.line(), e.column()),
            format!("not JSON: {e}"),
        ))
    })?;
    if root.get("item").and_then(Value::as_array).is_none() {
        let message = if root.get("requests").is_some() {
            "a v1 collection: `learn` writes v2.0/v2.1 collections (export it from Postman as v2.1)"
        } else {
            "not a v2.0/v2.1 collection: no `item` list"
        };
        return Err(Error::Input(diags.error(&[], "", message)));
    }
    Ok(root)
}

/// The observations of some reports grouped by the request (its index) and status they
/// answered, with what could not be paired.
struct Pairing {
    groups: BTreeMap<(usize, u16), Vec<Observation>>,
    observed: usize,
    diagnostics: Vec<Diagnostic>,
    unmatched: Vec<Diagnostic>,
}

impl Pairing {
    fn of(
        root: &Value,
        index: &pair::Index,
        file: &str,
        reports: &[ReportText],
    ) -> Result<Self, Error> {
        let name = root
            .pointer("/info/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut pairing = Self {
            groups: BTreeMap::new(),
            observed: 0,
            diagnostics: Vec::new(),
            unmatched: Vec::new(),
        };
        for report in reports {
            let mut diags = Diagnostics::new(&report.name);
            let read = report::read(&report.text, &mut diags).map_err(Error::Input)?;
            pairing.diagnostics.extend(diags.into_vec());
            let mut paired = 0;
            let mut unmatched: BTreeMap<String, (String, usize)> = BTreeMap::new();
            for observation in read.observations {
                pairing.observed += 1;
                match index.find(&observation.request) {
                    Some(target) => {
                        paired += 1;
                        let group = pairing.groups.entry((target, observation.code));
                        group.or_default().push(observation);
                    }
                    None => {
                        let entry = unmatched
                            .entry(label(&observation.request))
                            .or_insert_with(|| (observation.location.clone(), 0));
                        entry.1 += 1;
                    }
                }
            }
            let mut foreign = Diagnostics::new(&report.name);
            match read.collection.filter(|other| paired == 0 && other != name) {
                Some(other) => foreign.warn(
                    &[],
                    "/collection/info/name",
                    format!("a report of the collection `{other}`, not `{name}`: nothing learned"),
                ),
                None => {
                    for (request, (location, count)) in unmatched {
                        let times = if count == 1 {
                            String::new()
                        } else {
                            format!(" ({count} responses)")
                        };
                        foreign.warn(
                            &[request],
                            &location,
                            format!("matches no request of {file}; not learned{times}"),
                        );
                    }
                }
            }
            pairing.unmatched.extend(foreign.into_vec());
        }
        Ok(pairing)
    }
}

/// How a report names the request of an observation, for messages.
fn label(sent: &Sent) -> String {
    match sent {
        Sent::Item { id, path } => match (path, id) {
            (Some(path), _) => path
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            (None, Some(id)) => format!("item {id}"),
            (None, None) => "an item without id".to_owned(),
        },
        Sent::Url { method, url } => {
            format!(
                "{method} {}",
                url.split(['?', '#']).next().unwrap_or_default()
            )
        }
    }
}

/// A saved example's status code.
fn code_of(example: &Value) -> Option<u16> {
    let code = example.get("code")?;
    code.as_u64()
        .or_else(|| code.as_str()?.trim().parse().ok())
        .and_then(|c| u16::try_from(c).ok())
}

/// Whether a request item has a success example with a JSON object or array body.
fn typed(item: &Map<String, Value>) -> bool {
    item.get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| code_of(e).is_some_and(|c| (200..300).contains(&c)))
        .filter_map(|e| e.get("body")?.as_str())
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .any(|v| v.is_object() || v.is_array())
}

fn count_learned(value: &Value) -> usize {
    match value {
        Value::Object(map) => {
            usize::from(map.contains_key(LEARNED_KEY))
                + map.values().map(count_learned).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_learned).sum(),
        _ => 0,
    }
}

/// The collection as Postman exports it: tab-indented, with a final newline.
fn write(root: &Value) -> String {
    use serde::Serialize as _;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    root.serialize(&mut serializer)
        .expect("a JSON value serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.scrubbed;
        write!(
            f,
            "learned {} of {} responses into {} requests ({} newly typed); {} learned examples in all",
            self.paired, self.observed, self.requests, self.newly_typed, self.examples
        )?;
        if self.binary > 0 {
            write!(
                f,
                "\n{} binary responses not written: their statuses stay undocumented, so the \
                 client keeps their bytes",
                self.binary
            )?;
        }
        let secret_headers: Vec<String> = s
            .secret_headers
            .iter()
            .map(|(name, count)| format!("{name} ×{count}"))
            .collect();
        write!(
            f,
            "\nscrubbed: {} string values, {} credential fields, {} text bodies, {} credentials of the requests, credential headers [{}], {} other headers",
            s.strings,
            s.secret_fields,
            s.text_bodies,
            s.request_secrets,
            secret_headers.join(", "),
            s.other_headers
        )
    }
}
