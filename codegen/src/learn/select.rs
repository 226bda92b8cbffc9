//! A bounded set of examples per request and status: the JSON bodies, richest first, that each
//! change the shape inferred from what is already kept. Unifying shapes is order-free, so the
//! kept set infers the same type as every response observed, and choosing again from what was
//! kept plus the same responses keeps the same set.

use serde_json::Value;

use super::example::{Candidate, Kind};
use crate::ir::Shape;

/// What to write for one status.
pub struct Selection {
    /// The candidates kept.
    pub kept: Vec<Candidate>,
    /// Whether the limit left out a body that would have changed the inferred shape.
    pub narrowed: bool,
}

/// The candidates to write for one status, given the examples the collection already saves
/// for it: JSON bodies that each change the inferred shape (at most `limit`); without any
/// JSON, one other response so that the status is documented.
pub fn select(saved: &[&Value], candidates: Vec<Candidate>, limit: usize) -> Selection {
    let mut shape = saved
        .iter()
        .filter_map(|e| e.get("body")?.as_str())
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .filter(|v| v.is_object() || v.is_array())
        .map(|v| Shape::of(&v))
        .fold(Shape::Unknown, Shape::unify);
    let documented = !saved.is_empty();
    let mut keyed: Vec<_> = candidates.into_iter().map(|c| (order(&c), c)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 .2 == b.0 .2 && a.0 .0 == b.0 .0);
    let mut kept = Vec::new();
    let mut narrowed = false;
    for (_, candidate) in keyed {
        match &candidate.body {
            Kind::Json(value) => {
                let next = shape.clone().unify(Shape::of(value));
                // The first body documents a status that nothing documents yet.
                let first = kept.is_empty() && !documented;
                if next == shape && !first {
                    continue;
                }
                if kept.len() == limit {
                    narrowed = true;
                    continue;
                }
                shape = next;
                kept.push(candidate);
            }
            _ if kept.is_empty() && !documented => kept.push(candidate),
            _ => {}
        }
    }
    Selection { kept, narrowed }
}

/// Sort key: JSON first, richest first, then by text; deterministic for equal sets.
fn order(candidate: &Candidate) -> (u8, std::cmp::Reverse<usize>, String, Vec<(String, String)>) {
    let (rank, size, text) = match &candidate.body {
        Kind::Json(value) => (0, nodes(value), value.to_string()),
        Kind::Text(text) => (1, 0, text.clone()),
        Kind::Empty => (2, 0, String::new()),
    };
    (
        rank,
        std::cmp::Reverse(size),
        text,
        candidate.headers.clone(),
    )
}

/// Values in a JSON document.
fn nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(map) => map.values().map(nodes).sum(),
        _ => 0,
    }
}
