//! Raw JSON bodies as people write them in Postman: with `//` and `/* */` comments, trailing
//! commas and unquoted `{{variables}}` (Postman substitutes the text before sending). Read
//! leniently so such a body is still typed.

use serde_json::Value;

/// What had to be repaired for a template to parse.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Comments were removed.
    pub comments: bool,
    /// Trailing commas were removed.
    pub trailing_commas: bool,
    /// Unquoted variables, read as `null` (any JSON value): where each stands (a JSON
    /// pointer into the parsed value) and its name.
    pub variables: Vec<(String, String)>,
    /// Keys whose line ends in a comment saying "optional" (`"replyTo": "x" // Optional`).
    pub optional_keys: Vec<String>,
}

impl Repairs {
    /// One line for a warning.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.comments {
            parts.push("comments removed".to_owned());
        }
        if self.trailing_commas {
            parts.push("trailing commas removed".to_owned());
        }
        if !self.optional_keys.is_empty() {
            parts.push(format!(
                "{} optional as its comment says",
                self.optional_keys.join(", ")
            ));
        }
        if !self.variables.is_empty() {
            let names: Vec<String> = self
                .variables
                .iter()
                .map(|(_, v)| format!("{{{{{v}}}}}"))
                .collect();
            parts.push(format!(
                "unquoted {} typed as any JSON value",
                names.join(", ")
            ));
        }
        parts.join("; ")
    }
}

/// Parses `text` after repairing comments, trailing commas and unquoted variables; `None` when
/// it still is not JSON.
pub fn parse_template(text: &str) -> Option<(Value, Repairs)> {
    let mut repairs = Repairs::default();
    let cleaned = strip_trailing_commas(
        &strip_comments_and_variables(text, &mut repairs),
        &mut repairs,
    );
    let mut value = serde_json::from_str(&cleaned).ok()?;
    take_variables(&mut value, &mut String::new(), &mut repairs.variables);
    Some((value, repairs))
}

/// What an unquoted `{{name}}` is read as before parsing: a string no JSON text holds.
const VARIABLE_MARK: &str = "\u{0}postman-codegen-variable:";

/// Replaces the marked strings of unquoted variables with `null`, noting where they stood.
fn take_variables(value: &mut Value, pointer: &mut String, found: &mut Vec<(String, String)>) {
    let at = pointer.len();
    match value {
        Value::String(text) => {
            if let Some(name) = text.strip_prefix(VARIABLE_MARK) {
                found.push((pointer.clone(), name.to_owned()));
                *value = Value::Null;
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                pointer.push_str(&format!("/{i}"));
                take_variables(item, pointer, found);
                pointer.truncate(at);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                take_variables(item, pointer, found);
                pointer.truncate(at);
            }
        }
        _ => {}
    }
}

/// Removes comments and marks unquoted `{{name}}` (see [`VARIABLE_MARK`]).
fn strip_comments_and_variables(text: &str, repairs: &mut Repairs) -> String {
    rewrite(text, |rest, out| {
        if let Some(after) = rest.strip_prefix("//") {
            repairs.comments = true;
            let end = after.find('\n').unwrap_or(after.len());
            if after[..end].to_ascii_lowercase().contains("optional") {
                let line = out.rsplit('\n').next().unwrap_or_default();
                repairs.optional_keys.extend(first_key(line));
            }
            Some(&after[end..])
        } else if let Some(after) = rest.strip_prefix("/*") {
            repairs.comments = true;
            Some(after.find("*/").map_or("", |i| &after[i + 2..]))
        } else {
            let (name, after) = variable(rest)?;
            let mark = format!("{VARIABLE_MARK}{name}");
            out.push_str(&Value::String(mark).to_string());
            Some(after)
        }
    })
}

/// Removes commas that only whitespace separates from a closing `}` or `]`.
fn strip_trailing_commas(text: &str, repairs: &mut Repairs) -> String {
    rewrite(text, |rest, _| {
        let after = rest.strip_prefix(',')?;
        after.trim_start().starts_with(['}', ']']).then(|| {
            repairs.trailing_commas = true;
            after
        })
    })
}

/// Copies `text` with string literals untouched. Elsewhere `step` may consume the start of
/// the rest, writing its replacement, and return what follows; `None` copies one character.
fn rewrite<'a>(
    text: &'a str,
    mut step: impl FnMut(&'a str, &mut String) -> Option<&'a str>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            let end = string_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = step(rest, &mut out) {
            rest = after;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Byte length of the string literal `text` starts with, closing quote included (or all of
/// `text` when it is unterminated).
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// The key a line of JSON starts with (`"key": ...`).
fn first_key(line: &str) -> Option<String> {
    let line = line.trim_start();
    if !line.starts_with('"') {
        return None;
    }
    let end = string_end(line);
    let key: String = serde_json::from_str(&line[..end]).ok()?;
    line[end..].trim_start().starts_with(':').then_some(key)
}

/// A `{{name}}` at the start of `text`: the name and the text after it.
fn variable(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("{{")?;
    let end = inner.find("}}")?;
    let name = &inner[..end];
    let plain = !name.is_empty() && !name.contains(['{', '}', '"', '\n']);
    plain.then(|| (name.trim(), &inner[end + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repairs_what_people_write() {
        let text = r#"{
            "firstname": "{{first}}", // kept: a string
            "replyTo": "x", // Optional, defaults to none
            "totalprice": {{totalprice}},
            /* a block
               comment */
            "url": "http://x.test/a//b",
            "tags": ["a", "b",],
            "note": "a \" quote, ]",
        }"#;
        let (value, repairs) = parse_template(text).expect("repaired");
        assert_eq!(
            value,
            json!({
                "firstname": "{{first}}",
                "replyTo": "x",
                "totalprice": null,
                "url": "http://x.test/a//b",
                "tags": ["a", "b"],
                "note": "a \" quote, ]"
            })
        );
        assert!(repairs.comments && repairs.trailing_commas);
        assert_eq!(
            repairs.variables,
            [("/totalprice".to_owned(), "totalprice".to_owned())]
        );
        assert_eq!(repairs.optional_keys, ["replyTo"]);
        assert_eq!(
            repairs.describe(),
            "comments removed; trailing commas removed; replyTo optional as its comment says; \
             unquoted {{totalprice}} typed as any JSON value"
        );
    }

    #[test]
    fn what_cannot_be_repaired_stays_an_error() {
        assert!(parse_template("{ name: 1 }").is_none());
        assert!(parse_template("{\"a\": 1").is_none());
        assert!(parse_template("{\"a\": \"unterminated").is_none());
        assert!(parse_template("{\"a\": {{}}}").is_none());
    }
}
