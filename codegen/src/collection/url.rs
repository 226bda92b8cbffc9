//! URLs: plain strings, objects with or without `raw`, path segments as strings or objects.

use serde_json::Value;

use super::json::{key_values, text, Ctx};
use super::{KeyValue, Url};
use crate::diagnostics::pointer;

/// Splits a raw URL (`{{baseUrl}}/users/:id?x=1`) into protocol, host, port, path and query.
pub fn parse_raw_url(raw: &str) -> Url {
    let mut rest = raw.trim();
    if let Some(hash) = rest.find('#') {
        rest = &rest[..hash];
    }
    let mut url = Url {
        raw: Some(raw.to_owned()),
        ..Url::default()
    };
    if let Some((query_start, query)) = rest.split_once('?') {
        url.query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                // `?human` has no value at all, unlike `?human=`.
                let (key, value) = match pair.split_once('=') {
                    Some((key, value)) => (key, Some(value.to_owned())),
                    None => (pair, None),
                };
                KeyValue {
                    key: key.to_owned(),
                    value,
                    ..KeyValue::default()
                }
            })
            .collect();
        rest = query_start;
    }
    if let Some((protocol, after)) = rest.split_once("://") {
        if !protocol.contains('/') {
            url.protocol = Some(protocol.to_owned());
            rest = after;
        }
    }
    let (authority, path) = split_authority(rest);
    let (host, port) = split_port(authority);
    url.host = if host.is_empty() {
        Vec::new()
    } else {
        vec![host.to_owned()]
    };
    url.port = port.map(str::to_owned);
    url.path = path.split('/').map(str::to_owned).collect();
    if url.path.first().is_some_and(String::is_empty) {
        url.path.remove(0);
    }
    url
}

/// Splits `host:port/path` at the first `/`, `?` or `#` that is not inside `{{...}}`.
pub fn split_authority(text: &str) -> (&str, &str) {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"{{") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"}}") {
            depth = depth.saturating_sub(1);
            i += 2;
        } else if matches!(bytes[i], b'/' | b'?' | b'#') && depth == 0 {
            return (&text[..i], &text[i..]);
        } else {
            i += 1;
        }
    }
    (text, "")
}

fn split_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, Some(port))
        }
        _ => (authority, None),
    }
}

/// Reads a request's `url`: a string, or an object with `raw` and/or `host`/`path`/`query`.
pub fn read_url(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Url {
    let map = match value {
        Some(Value::String(raw)) => return parse_raw_url(raw),
        Some(Value::Object(map)) => map,
        None | Some(Value::Null) => {
            ctx.warn(location, "request has no URL; using an empty path");
            return Url::default();
        }
        Some(_) => {
            ctx.warn(
                location,
                "URL is neither a string nor an object; using an empty path",
            );
            return Url::default();
        }
    };
    let raw = map.get("raw").and_then(Value::as_str);
    let mut url = raw.map(parse_raw_url).unwrap_or_default();
    if let Some(host) = map.get("host") {
        url.host = segments(host, '.');
    }
    if let Some(path) = map.get("path") {
        url.path = segments(path, '/');
    }
    if let Some(protocol) = map.get("protocol").and_then(Value::as_str) {
        url.protocol = Some(protocol.to_owned());
    }
    if let Some(port) = map.get("port").and_then(text) {
        url.port = Some(port);
    }
    if map.contains_key("query") {
        url.query = key_values(map.get("query"), &pointer(location, "query"), ctx);
    } else {
        let at = pointer(location, "query");
        for kv in &mut url.query {
            kv.location.clone_from(&at);
        }
    }
    url.variables = key_values(map.get("variable"), &pointer(location, "variable"), ctx);
    // A path list that starts with `""` (`["", "v1"]`) is sent by Postman as `//v1`: kept.
    if raw.is_none() && url.host.is_empty() && url.path.is_empty() {
        ctx.warn(location, "URL object has no `raw`, `host` or `path`");
    }
    url
}

/// Host or path given as a list of strings (or `{value}` objects) or as one string.
fn segments(value: &Value, separator: char) -> Vec<String> {
    match value {
        Value::String(s) => {
            let s = s.strip_prefix('/').unwrap_or(s);
            s.split(separator).map(str::to_owned).collect()
        }
        Value::Array(list) => list
            .iter()
            .filter_map(|segment| match segment {
                Value::Object(map) => map.get("value").and_then(text),
                other => text(other),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_url_with_variable_host_and_query() {
        let url = parse_raw_url("{{baseUrl}}/users/:userId?login_type=100&x");
        assert_eq!(url.host, vec!["{{baseUrl}}"]);
        assert_eq!(url.path, vec!["users", ":userId"]);
        assert_eq!(url.query.len(), 2);
        assert_eq!(url.query[1].key, "x");
    }

    #[test]
    fn raw_url_with_protocol_port_and_hash() {
        let url = parse_raw_url("https://api.example.com:8443/v1/items#frag");
        assert_eq!(url.protocol.as_deref(), Some("https"));
        assert_eq!(url.host, vec!["api.example.com"]);
        assert_eq!(url.port.as_deref(), Some("8443"));
        assert_eq!(url.path, vec!["v1", "items"]);
    }

    #[test]
    fn slash_inside_variable_stays_in_host() {
        let url = parse_raw_url("{{a/b}}/x");
        assert_eq!(url.host, vec!["{{a/b}}"]);
        assert_eq!(url.path, vec!["x"]);
    }
}
