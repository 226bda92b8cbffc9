//! URL templates: which server, which path segments, which path parameters.

use std::collections::BTreeMap;

use super::infer::Typer;
use super::params::{param, Entry};
use super::{Param, ParamIn, Piece, Server};
use crate::collection::{KeyValue, Url};
use crate::naming::Namespace;

/// A URL taken apart for one operation.
pub struct LoweredUrl {
    /// The server the request goes to.
    pub server: Server,
    /// Path segments after the base URL.
    pub segments: Vec<Vec<Piece>>,
    /// Path parameters.
    pub params: Vec<Param>,
    /// Path as written.
    pub path: String,
}

/// Key of the server used when a URL has no host at all.
pub const NO_HOST: &str = "baseUrl";

/// The single `{{name}}` that `text` consists of, if it is exactly one variable.
pub fn whole_variable(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then_some(inner)
}

/// Replaces `{{name}}` with collection variable values (one level, unknown names kept).
pub fn substitute(text: &str, variables: &[KeyValue]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = &after[..end];
                match variables.iter().find(|v| v.key == name && !v.disabled) {
                    Some(var) => out.push_str(var.value.as_deref().unwrap_or_default()),
                    None => out.push_str(&rest[start..start + 4 + end]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Lowers a URL; path parameters get fields from `fields` and types from `typer`.
pub fn lower_url(
    url: &Url,
    variables: &[KeyValue],
    typer: &mut Typer,
    fields: &mut Namespace,
) -> LoweredUrl {
    let server = server(url, variables);
    let mut params: Vec<Param> = Vec::new();
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    let mut segments = Vec::new();
    for segment in &url.path {
        let mut pieces = Vec::new();
        for (text, is_param) in split_segment(segment) {
            if !is_param {
                pieces.push(Piece::Lit(text.to_owned()));
                continue;
            }
            let field = by_name.entry(text.to_owned()).or_insert_with(|| {
                let declared = url.variables.iter().find(|v| v.key == text);
                let fallback = variables.iter().find(|v| v.key == text);
                let example = declared
                    .and_then(|v| v.value.as_deref())
                    .filter(|v| !v.is_empty())
                    .or_else(|| fallback.and_then(|v| v.value.as_deref()));
                // A `{{name}}` in the path is the variable itself; a `:name` or `{name}`
                // without a value is sent as written, as Postman does.
                let variable = format!("{{{{{text}}}}}");
                let as_written = [format!(":{text}"), format!("{{{text}}}")]
                    .into_iter()
                    .find(|written| segment.contains(written.as_str()));
                let example = if segment.contains(&variable) {
                    Some(variable.as_str())
                } else {
                    example.or(as_written.as_deref())
                };
                let entry = Entry {
                    key: text,
                    value: example,
                    description: declared.and_then(|v| v.description.as_deref()),
                    required: true,
                    disabled: false,
                };
                let p = param(&entry, ParamIn::Path, false, typer, fields);
                let field = p.field.clone();
                params.push(p);
                field
            });
            pieces.push(Piece::Param(field.clone()));
        }
        segments.push(pieces);
    }
    LoweredUrl {
        server,
        segments,
        params,
        path: format!("/{}", url.path.join("/")),
    }
}

/// Splits a path segment into literal text and parameter names: a whole `:name` segment,
/// `{{name}}` anywhere, or a literal `{name}` (OpenAPI style).
fn split_segment(segment: &str) -> Vec<(&str, bool)> {
    if let Some(name) = segment.strip_prefix(':').filter(|n| !n.is_empty()) {
        return vec![(name, true)];
    }
    let mut out = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        let (open, close) = match (rest.find("{{"), rest.find('{')) {
            (Some(i), _) => (i, "}}"),
            (None, Some(i)) => (i, "}"),
            (None, None) => break,
        };
        let after = &rest[open + close.len()..];
        let end = match close {
            "}}" => closing_braces(after),
            _ => after.find(close),
        };
        let Some(end) = end.filter(|&e| e > 0) else {
            break;
        };
        if open > 0 {
            out.push((&rest[..open], false));
        }
        out.push((&after[..end], true));
        rest = &after[end + close.len()..];
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

/// Where the `}}` that closes a `{{` just before `text` starts, past nested `{{...}}`
/// (`hello_{{var}}}}`).
fn closing_braces(text: &str) -> Option<usize> {
    let mut depth = 1;
    let mut i = 0;
    while i + 1 < text.len() {
        match &text.as_bytes()[i..i + 2] {
            b"{{" => {
                depth += 1;
                i += 2;
            }
            b"}}" => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// The server of a URL: a host that is one variable is keyed by the variable's name; any other
/// host by its origin as written. Defaults come from collection variables.
fn server(url: &Url, variables: &[KeyValue]) -> Server {
    let host = url.host.join(".");
    if host.is_empty() {
        return Server {
            key: NO_HOST.to_owned(),
            default: String::new(),
        };
    }
    if url.protocol.is_none() && url.port.is_none() {
        if let Some(name) = whole_variable(&host) {
            let default = variables
                .iter()
                .find(|v| v.key == name && !v.disabled)
                .and_then(|v| v.value.as_deref())
                .map(|v| substitute(v, variables))
                .unwrap_or_default();
            return Server {
                key: name.to_owned(),
                default: usable(default),
            };
        }
    }
    let mut origin = match &url.protocol {
        Some(protocol) => format!("{protocol}://{host}"),
        None if host.starts_with("{{") => host,
        None => format!("https://{host}"),
    };
    if let Some(port) = &url.port {
        origin = format!("{origin}:{port}");
    }
    let default = usable(substitute(&origin, variables));
    Server {
        key: origin,
        default,
    }
}

/// A default base URL only if no variable is left unresolved in it.
fn usable(url: String) -> String {
    if url.contains("{{") {
        String::new()
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_into_literals_and_params() {
        assert_eq!(split_segment(":userId"), vec![("userId", true)]);
        assert_eq!(
            split_segment("v{{version}}.json"),
            vec![("v", false), ("version", true), (".json", false)]
        );
        assert_eq!(split_segment("{id}"), vec![("id", true)]);
        assert_eq!(
            split_segment("{{hello_{{var}}}}.json"),
            vec![("hello_{{var}}", true), (".json", false)]
        );
        assert_eq!(split_segment("{{a}}}}"), vec![("a", true), ("}}", false)]);
        assert_eq!(split_segment("users"), vec![("users", false)]);
        assert_eq!(split_segment("a{"), vec![("a{", false)]);
    }

    #[test]
    fn substitutes_known_variables_only() {
        let vars = vec![KeyValue {
            key: "host".into(),
            value: Some("example.com".into()),
            ..KeyValue::default()
        }];
        assert_eq!(
            substitute("https://{{host}}/{{x}}", &vars),
            "https://example.com/{{x}}"
        );
    }
}
