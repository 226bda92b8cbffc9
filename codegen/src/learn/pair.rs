//! Which request item of the collection an observation answered: newman executions by item id
//! (or the item's names in the report's copy of the collection), HAR entries by method and URL
//! template (the item's path with `:params`, `{{vars}}` and its server).

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::report::{ranked_names, Sent};
use crate::collection::KeyValue;
use crate::diagnostics::pointer;
use crate::ir::substitute;

/// One request item of the collection.
#[derive(Debug, Clone)]
pub struct Target {
    /// JSON pointer of the item.
    pub pointer: String,
    /// Folder and request names, each with its rank among equal names of its siblings.
    pub ranked: Vec<(String, usize)>,
    id: Option<String>,
    method: String,
    template: Template,
}

/// A request's URL as a pattern: its host when known, and its path segments.
#[derive(Debug, Clone)]
struct Template {
    /// `None` when the host is a variable without a value (any host, any path prefix).
    host: Option<String>,
    segments: Vec<Segment>,
    /// Query pairs with literal values (`action=list`), which tell apart requests on one path.
    query: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `:id`, `{{id}}`, `{id}`.
    Any,
}

/// The request items of a collection.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every request item, in file order.
    pub targets: Vec<Target>,
}

impl Index {
    /// Indexes the request items of a v2.x collection's root.
    pub fn new(root: &Value) -> Self {
        let variables: Vec<KeyValue> = root
            .get("variable")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|variable| {
                Some(KeyValue {
                    key: variable.get("key")?.as_str()?.to_owned(),
                    value: variable.get("value")?.as_str().map(str::to_owned),
                    disabled: variable.get("disabled").and_then(Value::as_bool) == Some(true),
                    ..KeyValue::default()
                })
            })
            .collect();
        let mut index = Self::default();
        if let Some(items) = root.get("item").and_then(Value::as_array) {
            index.add(items, "/item", &mut Vec::new(), &variables);
        }
        index
    }

    fn add(
        &mut self,
        items: &[Value],
        at: &str,
        ranked: &mut Vec<(String, usize)>,
        variables: &[KeyValue],
    ) {
        for (i, (name, item)) in ranked_names(items).into_iter().enumerate() {
            let here = pointer(at, i);
            ranked.push(name);
            if let Some(children) = item.get("item").and_then(Value::as_array) {
                self.add(children, &pointer(&here, "item"), ranked, variables);
            } else if let Some(request) = item.get("request") {
                self.targets.push(Target {
                    pointer: here,
                    ranked: ranked.clone(),
                    id: item.get("id").and_then(Value::as_str).map(str::to_owned),
                    method: request
                        .get("method")
                        .and_then(Value::as_str)
                        .unwrap_or("GET")
                        .to_ascii_uppercase(),
                    template: Template::of(&url_text(request), variables),
                });
            }
            ranked.pop();
        }
    }

    /// The index of the target `sent` answered, if any.
    pub fn find(&self, sent: &Sent) -> Option<usize> {
        match sent {
            Sent::Item { id, path } => id
                .as_ref()
                .and_then(|id| self.targets.iter().position(|t| t.id.as_ref() == Some(id)))
                .or_else(|| {
                    let path = path.as_ref()?;
                    self.targets.iter().position(|t| &t.ranked == path)
                }),
            Sent::Url { method, url } => {
                let (host, segments) = split_url(url);
                let segments: Vec<String> = segments.iter().map(|s| decode(s)).collect();
                let query = query_pairs(url);
                let mut best: Option<(usize, (u8, usize, usize))> = None;
                for (i, target) in self.targets.iter().enumerate() {
                    if &target.method != method {
                        continue;
                    }
                    let Some(score) = target.template.score(host.as_deref(), &segments, &query)
                    else {
                        continue;
                    };
                    if best.is_none_or(|(_, b)| score > b) {
                        best = Some((i, score));
                    }
                }
                best.map(|(i, _)| i)
            }
        }
    }
}

impl Template {
    fn of(url: &str, variables: &[KeyValue]) -> Self {
        let url = substitute(url, variables);
        let (host, segments) = split_url(&url);
        Self {
            query: query_pairs(&url)
                .into_iter()
                .filter(|(_, value)| !value.contains("{{"))
                .collect(),
            host,
            segments: segments
                .iter()
                .map(|s| {
                    let any = s.starts_with(':')
                        || s.contains("{{")
                        || (s.starts_with('{') && s.ends_with('}'));
                    if any {
                        Segment::Any
                    } else {
                        Segment::Literal(decode(s))
                    }
                })
                .collect(),
        }
    }

    /// How well a URL matches (higher is better): a known host first, then more literal
    /// segments, then more of the template's literal query pairs; `None` when it does not
    /// match.
    fn score(
        &self,
        host: Option<&str>,
        segments: &[String],
        query: &[(String, String)],
    ) -> Option<(u8, usize, usize)> {
        let tail = match &self.host {
            Some(own) => {
                if host? != own || segments.len() != self.segments.len() {
                    return None;
                }
                segments
            }
            // An unknown base may carry a path prefix: the template matches the URL's tail.
            None => segments.get(segments.len().checked_sub(self.segments.len())?..)?,
        };
        let matches = self.segments.iter().zip(tail).all(|(own, seen)| match own {
            Segment::Any => true,
            Segment::Literal(text) => text == seen,
        });
        let literals = self
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        let pairs = self
            .query
            .iter()
            .filter(|pair| query.contains(pair))
            .count();
        matches.then_some((u8::from(self.host.is_some()), literals, pairs))
    }
}

/// A request's URL as written: `url.raw`, or its host and path joined.
fn url_text(request: &Value) -> String {
    let url = match request {
        Value::String(url) => return url.clone(),
        _ => request.get("url"),
    };
    match url {
        Some(Value::String(url)) => url.clone(),
        Some(Value::Object(parts)) => {
            if let Some(raw) = parts.get("raw").and_then(Value::as_str) {
                return raw.to_owned();
            }
            let join = |value: Option<&Value>, separator: &str| match value {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|p| match p {
                        Value::String(s) => s.clone(),
                        other => other
                            .get("value")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join(separator),
                _ => String::new(),
            };
            format!(
                "{}/{}",
                join(parts.get("host"), "."),
                join(parts.get("path"), "/")
            )
        }
        _ => String::new(),
    }
}

/// The host (lower case, with its port; `None` when it is a variable) and the non-empty path
/// segments of a URL, without query or fragment.
fn split_url(url: &str) -> (Option<String>, Vec<&str>) {
    let url = url.trim();
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, path) = if url.starts_with("{{") {
        let end = url.find("}}").map_or(url.len(), |i| i + 2);
        (None, &url[end..])
    } else {
        let end = url.find('/').unwrap_or(url.len());
        (Some(url[..end].to_ascii_lowercase()), &url[end..])
    };
    (host, path.split('/').filter(|s| !s.is_empty()).collect())
}

/// The query of a URL as decoded pairs.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split('#').next().unwrap_or_default().split_once('?');
    query
        .map(|(_, query)| query)
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let plus = |text: &str| decode(&text.replace('+', " "));
            (plus(key), plus(value))
        })
        .collect()
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}
