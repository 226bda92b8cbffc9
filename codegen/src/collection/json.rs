//! Lenient readers for the loosely typed values real collections contain.

use serde_json::Value;

use super::{Auth, AuthKind, KeyValue};
use crate::diagnostics::{pointer, Diagnostics};

/// Where in the file we are: the item path for messages and the diagnostics sink.
pub struct Ctx<'a> {
    /// Folder and request names leading here.
    pub item_path: Vec<String>,
    /// Where warnings go.
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// Records a warning at `location`.
    pub fn warn(&mut self, location: &str, message: impl Into<String>) {
        self.diags.warn(&self.item_path, location, message);
    }
}

/// A scalar as text: strings as they are, numbers and booleans printed, `null` as `None`.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A description: a string or `{content, type}`; empty ones are `None`.
pub fn description(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.clone(),
        Value::Object(map) => map.get("content").and_then(|c| c.as_str())?.to_owned(),
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Whether an entry is turned off (`disabled: true`, or v1's `enabled: false`).
pub fn disabled(map: &serde_json::Map<String, Value>) -> bool {
    map.get("disabled")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || map.get("enabled").and_then(Value::as_bool) == Some(false)
}

/// A list of key/value entries; a string is read as `Key: Value` lines (headers).
pub fn key_values(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Vec<KeyValue> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => header_lines(s, location),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                let at = pointer(location, i);
                let kv = key_value(entry, &at);
                if kv.is_none() && !entry.is_null() {
                    ctx.warn(&at, "entry is not an object with a `key`; dropped");
                }
                kv
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| KeyValue {
                key: k.clone(),
                value: text(v),
                location: pointer(location, k),
                ..KeyValue::default()
            })
            .collect(),
        Some(_) => {
            ctx.warn(location, "expected a list of key/value entries; ignored");
            Vec::new()
        }
    }
}

fn key_value(entry: &Value, location: &str) -> Option<KeyValue> {
    let map = entry.as_object()?;
    let key = map.get("key").or_else(|| map.get("id")).and_then(text)?;
    let content_type = map
        .get("contentType")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let src = match map.get("src") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(list)) => list.iter().find_map(Value::as_str).map(str::to_owned),
        _ => None,
    };
    Some(KeyValue {
        key,
        value: map.get("value").and_then(text),
        description: description(map.get("description")),
        disabled: disabled(map),
        kind: map.get("type").and_then(Value::as_str).map(str::to_owned),
        content_type,
        src,
        location: location.to_owned(),
    })
}

/// Reads `Key: Value` lines; lines starting with `//` are disabled entries.
pub fn header_lines(text: &str, location: &str) -> Vec<KeyValue> {
    text.lines()
        .filter_map(|line| {
            let (disabled, line) = match line.trim().strip_prefix("//") {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            (!key.is_empty()).then(|| KeyValue {
                key: key.to_owned(),
                value: Some(value.trim().to_owned()),
                disabled,
                location: location.to_owned(),
                ..KeyValue::default()
            })
        })
        .collect()
}

/// Reads auth in v2.0 (`{type, bearer: {token}}`) or v2.1 (`{type, bearer: [{key, value}]}`)
/// form.
pub fn read_auth(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Option<Auth> {
    let map = match value? {
        Value::Object(map) => map,
        Value::Null => return None,
        _ => {
            ctx.warn(location, "auth is not an object; ignored");
            return None;
        }
    };
    let Some(kind) = map.get("type").and_then(Value::as_str) else {
        ctx.warn(location, "auth has no `type`; ignored");
        return None;
    };
    let params = match map.get(kind) {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| Some((p.get("key").and_then(text)?, p.get("value").and_then(text)?)))
            .collect(),
        Some(Value::Object(obj)) => obj
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), text(v)?)))
            .collect(),
        _ => Vec::new(),
    };
    Some(Auth {
        kind: AuthKind::from_name(kind),
        params,
        location: location.to_owned(),
    })
}
