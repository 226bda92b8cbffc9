//! Observed responses read from newman JSON reports (`newman run -r json`) and HAR 1.2 files.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use crate::diagnostics::{pointer, Diagnostics};

/// One response that a report recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// JSON pointer of the entry in its report.
    pub location: String,
    /// What identifies the request it answered.
    pub request: Sent,
    /// Status code.
    pub code: u16,
    /// Reason phrase as the report gives it (may be empty).
    pub status: String,
    /// Response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

/// The request an observation answered, as the report identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// A newman execution: the item's id and its folder and request names (with each name's
    /// rank among equal names of its siblings) in the report's copy of the collection.
    Item {
        /// Item id in the report.
        id: Option<String>,
        /// Names from the collection root, `None` when the report's collection has no such id.
        path: Option<Vec<(String, usize)>>,
    },
    /// A HAR entry: what was sent.
    Url {
        /// HTTP method.
        method: String,
        /// Full URL.
        url: String,
    },
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// UTF-8 text.
    Text(String),
    /// Bytes that are not UTF-8; only their length is kept.
    Binary(usize),
}

/// What a report file holds.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The name of the collection a newman report ran (`None` for HAR).
    pub collection: Option<String>,
    /// The responses it recorded.
    pub observations: Vec<Observation>,
}

/// Reads a newman JSON report or a HAR file; `diags` names the report. Entries without a usable
/// response are warnings; a file that is neither is an error.
pub fn read(text: &str, diags: &mut Diagnostics) -> Result<Report, crate::Diagnostic> {
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        diags.error(
            &[],
            &format!("line {} column {}", e.line(), e.column()),
            format!("not JSON: {e}"),
        )
    })?;
    if let Some(executions) = root.pointer("/run/executions") {
        return Ok(newman(&root, executions, diags));
    }
    if let Some(entries) = root.pointer("/log/entries") {
        return Ok(har(entries, diags));
    }
    Err(diags.error(
        &[],
        "",
        "neither a newman JSON report (`run.executions`) nor a HAR file (`log.entries`)",
    ))
}

fn newman(root: &Value, executions: &Value, diags: &mut Diagnostics) -> Report {
    let mut paths = BTreeMap::new();
    if let Some(items) = root.pointer("/collection/item") {
        item_paths(items, &mut Vec::new(), &mut paths);
    }
    let list = executions.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut observations = Vec::new();
    for (i, execution) in list.iter().enumerate() {
        let at = pointer("/run/executions", i);
        let id = execution
            .pointer("/item/id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let name = execution.pointer("/item/name").and_then(Value::as_str);
        let label = name.map(|n| vec![n.to_owned()]).unwrap_or_default();
        let Some(response) = execution.get("response").filter(|r| r.is_object()) else {
            diags.warn(&label, &at, "no response (the request failed); skipped");
            continue;
        };
        let Some(code) = status_code(response.get("code")) else {
            diags.warn(&label, &pointer(&at, "response"), "no status code; skipped");
            continue;
        };
        let body = match response.pointer("/stream/data").and_then(Value::as_array) {
            Some(data) => {
                let bytes: Option<Vec<u8>> = data
                    .iter()
                    .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect();
                match bytes {
                    Some(bytes) => body_of(bytes),
                    None => {
                        diags.warn(
                            &label,
                            &pointer(&at, "response/stream"),
                            "body is not bytes; skipped",
                        );
                        continue;
                    }
                }
            }
            None => Body::Empty,
        };
        let path = id.as_ref().and_then(|id| paths.get(id).cloned());
        observations.push(Observation {
            location: at,
            request: Sent::Item { id, path },
            code,
            status: text_of(response.get("status")),
            headers: pairs(response.get("header"), "key"),
            body,
        });
    }
    Report {
        collection: root
            .pointer("/collection/info/name")
            .and_then(Value::as_str)
            .map(str::to_owned),
        observations,
    }
}

/// Records each request item's id with its names from the root.
fn item_paths(
    items: &Value,
    path: &mut Vec<(String, usize)>,
    out: &mut BTreeMap<String, Vec<(String, usize)>>,
) {
    let Some(list) = items.as_array() else {
        return;
    };
    for (name, item) in ranked_names(list) {
        path.push(name);
        if let Some(children) = item.get("item") {
            item_paths(children, path, out);
        } else if let Some(id) = item.get("id").and_then(Value::as_str) {
            out.insert(id.to_owned(), path.clone());
        }
        path.pop();
    }
}

/// Each item with its name and the name's rank among its siblings of the same name.
pub(super) fn ranked_names(list: &[Value]) -> Vec<((String, usize), &Value)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    list.iter()
        .map(|item| {
            let name = text_of(item.get("name"));
            let rank = seen.entry(name.clone()).or_default();
            let key = (name, *rank);
            *rank += 1;
            (key, item)
        })
        .collect()
}

fn har(entries: &Value, diags: &mut Diagnostics) -> Report {
    let list = entries.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut observations = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let at = pointer("/log/entries", i);
        let method = entry.pointer("/request/method").and_then(Value::as_str);
        let url = entry.pointer("/request/url").and_then(Value::as_str);
        let (Some(method), Some(url)) = (method, url) else {
            diags.warn(&[], &pointer(&at, "request"), "no method or URL; skipped");
            continue;
        };
        let label = [format!("{method} {url}")];
        let Some(code) = status_code(entry.pointer("/response/status")) else {
            diags.warn(
                &label,
                &pointer(&at, "response"),
                "no response status; skipped",
            );
            continue;
        };
        let content = entry.pointer("/response/content");
        let text = content.and_then(|c| c.get("text")).and_then(Value::as_str);
        let base64 = content
            .and_then(|c| c.get("encoding"))
            .and_then(Value::as_str)
            == Some("base64");
        let body = match text {
            None | Some("") => Body::Empty,
            Some(text) if base64 => {
                match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                    Ok(bytes) => body_of(bytes),
                    Err(e) => {
                        diags.warn(
                            &label,
                            &pointer(&at, "response/content/text"),
                            format!("body is not base64 ({e}); skipped"),
                        );
                        continue;
                    }
                }
            }
            Some(text) => Body::Text(text.to_owned()),
        };
        observations.push(Observation {
            location: at,
            request: Sent::Url {
                method: method.to_ascii_uppercase(),
                url: url.to_owned(),
            },
            code,
            status: text_of(entry.pointer("/response/statusText")),
            headers: pairs(entry.pointer("/response/headers"), "name"),
            body,
        });
    }
    Report {
        collection: None,
        observations,
    }
}

fn body_of(bytes: Vec<u8>) -> Body {
    if bytes.is_empty() {
        return Body::Empty;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes().len()),
    }
}

fn status_code(value: Option<&Value>) -> Option<u16> {
    let code = match value? {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u16::try_from(code).ok().filter(|c| (100..600).contains(c))
}

fn text_of(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// `[{key, value}]` (newman) or `[{name, value}]` (HAR) as pairs.
fn pairs(value: Option<&Value>, key: &str) -> Vec<(String, String)> {
    value
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| {
            let name = h.get(key)?.as_str()?;
            Some((name.to_owned(), text_of(h.get("value"))))
        })
        .collect()
}
