//! What `learn` writes loses what is private: credentials always, and by default every string
//! value of a body, which keeps its kind (an email stays an email) but not its content, so the
//! types inferred from it are the same.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::is_secret_name;

/// Response headers worth documenting; the others (dates, request ids, cookies, caches) are
/// dropped unless values are kept.
const KEPT_HEADERS: &[&str] = &[
    "allow",
    "cache-control",
    "content-language",
    "content-type",
    "retry-after",
    "vary",
    "www-authenticate",
];

/// Headers that describe the bytes as they travelled, not the body written down.
const TRANSPORT_HEADERS: &[&str] = &[
    "connection",
    "content-encoding",
    "content-length",
    "keep-alive",
    "transfer-encoding",
];

/// What scrubbing removed or replaced, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrubbed {
    /// Credential headers dropped, by name (lower case), with counts.
    pub secret_headers: BTreeMap<String, usize>,
    /// Other headers dropped.
    pub other_headers: usize,
    /// Body fields whose name is a credential, their values replaced.
    pub secret_fields: usize,
    /// String values replaced by a placeholder of their kind.
    pub strings: usize,
    /// Text bodies (not JSON) replaced by a note of their length.
    pub text_bodies: usize,
    /// Credential query and header values of the item's own request left out of
    /// `originalRequest`.
    pub request_secrets: usize,
}

/// Scrubbing rules for one run.
#[derive(Debug, Clone, Copy)]
pub struct Scrubber {
    /// Keep string values, text bodies and every header but credentials.
    pub keep_values: bool,
}

impl Scrubber {
    /// The response headers to write.
    pub fn headers(
        &self,
        headers: &[(String, String)],
        out: &mut Scrubbed,
    ) -> Vec<(String, String)> {
        let mut kept = Vec::new();
        for (name, value) in headers {
            let lower = name.to_ascii_lowercase();
            if is_secret_name(&lower) {
                *out.secret_headers.entry(lower).or_default() += 1;
            } else if TRANSPORT_HEADERS.contains(&lower.as_str())
                || !(self.keep_values
                    || KEPT_HEADERS.contains(&lower.as_str())
                    || lower.contains("ratelimit"))
            {
                out.other_headers += 1;
            } else {
                kept.push((name.clone(), value.clone()));
            }
        }
        kept
    }

    /// A JSON body with credentials replaced and, unless values are kept, every string.
    pub fn json(&self, value: &mut Value, out: &mut Scrubbed) {
        match value {
            Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    match field {
                        Value::String(text) if is_secret_name(key) => {
                            if text != REDACTED {
                                out.secret_fields += 1;
                                *text = REDACTED.to_owned();
                            }
                        }
                        _ => self.json(field, out),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item, out)),
            Value::String(text) if !self.keep_values => {
                let placeholder = placeholder(text);
                if placeholder != text {
                    out.strings += 1;
                    *text = placeholder.to_owned();
                }
            }
            _ => {}
        }
    }

    /// A text body as written: itself when values are kept; else XML or HTML with its text and
    /// attribute values replaced (the markup stays), and other text as a note of its length.
    pub fn text(&self, text: &str, out: &mut Scrubbed) -> String {
        if self.keep_values || (text.starts_with(TEXT_NOTE) && text.ends_with(", not kept)")) {
            return text.to_owned();
        }
        let trimmed = text.trim();
        if trimmed.starts_with('<') && trimmed.ends_with('>') {
            return markup(text, out);
        }
        out.text_bodies += 1;
        format!("{TEXT_NOTE}{} bytes, not kept)", text.len())
    }

    /// The item's request as `originalRequest`: credentials in its headers and query are
    /// emptied unless they refer to a `{{variable}}`, and its auth block is left out.
    pub fn request(&self, request: &Value, out: &mut Scrubbed) -> Value {
        let mut request = request.clone();
        if let Some(map) = request.as_object_mut() {
            map.remove("auth");
            if let Some(headers) = map.get_mut("header").and_then(Value::as_array_mut) {
                headers.iter_mut().for_each(|h| empty_secret(h, out));
            }
            if let Some(url) = map.get_mut("url").and_then(Value::as_object_mut) {
                if let Some(query) = url.get_mut("query").and_then(Value::as_array_mut) {
                    let before = out.request_secrets;
                    query.iter_mut().for_each(|q| empty_secret(q, out));
                    if out.request_secrets > before {
                        // `raw` repeats the query; it would carry the secret on.
                        url.remove("raw");
                    }
                }
            }
        }
        request
    }
}

/// What a credential's string value becomes.
const REDACTED: &str = "<redacted>";

/// How a scrubbed text body starts.
const TEXT_NOTE: &str = "(text body of ";

/// Empties the value of a `{key, value}` entry whose key is a credential.
fn empty_secret(entry: &mut Value, out: &mut Scrubbed) {
    let secret = entry
        .get("key")
        .and_then(Value::as_str)
        .is_some_and(is_secret_name);
    let Some(value) = entry.get_mut("value") else {
        return;
    };
    // `Bearer {{token}}`: the secret is in a variable, not here.
    let template = value.as_str().is_some_and(|v| v.contains("{{"));
    if secret && !template && value.as_str().is_some_and(|v| !v.is_empty()) {
        out.request_secrets += 1;
        *value = Value::String(String::new());
    }
}

/// XML or HTML with each text node and attribute value replaced by a placeholder of its kind;
/// declarations, comments and CDATA markers are left as they are.
fn markup(text: &str, out: &mut Scrubbed) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        replace_text(&rest[..open], &mut result, out);
        let Some(close) = rest[open..].find('>').map(|i| open + i) else {
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open..=close];
        if tag.starts_with("<?") || tag.starts_with("<!") {
            result.push_str(tag);
        } else {
            // Attribute values: every second piece between quotes.
            for (i, piece) in tag.split('"').enumerate() {
                if i > 0 {
                    result.push('"');
                }
                if i % 2 == 1 {
                    replace_text(piece, &mut result, out);
                } else {
                    result.push_str(piece);
                }
            }
        }
        rest = &rest[close + 1..];
    }
    replace_text(rest, &mut result, out);
    result
}

/// Appends `text` with its content (not its surrounding white space) replaced.
fn replace_text(text: &str, result: &mut String, out: &mut Scrubbed) {
    let content = text.trim();
    if content.is_empty() {
        result.push_str(text);
        return;
    }
    let start = text.len() - text.trim_start().len();
    let replacement = placeholder(content);
    if replacement != content {
        out.strings += 1;
    }
    result.push_str(&text[..start]);
    result.push_str(replacement);
    result.push_str(&text[start + content.len()..]);
}

/// A value of the same kind as `text`: every placeholder is its own placeholder, so scrubbing
/// twice changes nothing.
pub fn placeholder(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let date = bytes.len() >= 10
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10);
    if text.is_empty() {
        ""
    } else if text == REDACTED {
        REDACTED
    } else if date && bytes.len() == 10 {
        "2000-01-01"
    } else if date && matches!(bytes.get(10), Some(b'T' | b' ')) {
        "2000-01-01T00:00:00Z"
    } else if uuid(text) {
        "00000000-0000-0000-0000-000000000000"
    } else if text.starts_with("http://") || text.starts_with("https://") {
        "https://example.com/"
    } else if email(text) {
        "user@example.com"
    } else if bytes.iter().all(u8::is_ascii_digit) {
        "0"
    } else {
        "string"
    }
}

fn uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_their_kind_and_are_their_own_placeholders() {
        for (text, kind) in [
            ("ann@corp.io", "user@example.com"),
            ("2024-05-01", "2000-01-01"),
            ("2024-05-01T10:11:12.5+02:00", "2000-01-01T00:00:00Z"),
            (
                "3f2b8c1e-0d4a-4b6e-9c7d-112233445566",
                "00000000-0000-0000-0000-000000000000",
            ),
            ("https://corp.io/u/1?token=x", "https://example.com/"),
            ("12345", "0"),
            ("Ann Smith", "string"),
            ("", ""),
        ] {
            assert_eq!(placeholder(text), kind, "{text}");
            assert_eq!(placeholder(kind), kind, "{kind}");
        }
    }

    #[test]
    fn markup_keeps_its_structure_and_loses_its_text() {
        let mut out = Scrubbed::default();
        let xml = "<?xml version=\"1.0\"?>\n<user id=\"42\" email=\"a@b.io\">\n  <name>Ann Smith</name>\n  <!-- note -->\n</user>";
        let scrubbed = Scrubber { keep_values: false }.text(xml, &mut out);
        assert_eq!(
            scrubbed,
            "<?xml version=\"1.0\"?>\n<user id=\"0\" email=\"user@example.com\">\n  <name>string</name>\n  <!-- note -->\n</user>"
        );
        assert_eq!(out.strings, 3);
        assert_eq!(
            Scrubber { keep_values: false }.text(&scrubbed, &mut out),
            scrubbed
        );
        assert_eq!(out.text_bodies, 0);
    }

    #[test]
    fn credentials_go_even_when_values_are_kept() {
        let mut out = Scrubbed::default();
        let scrubber = Scrubber { keep_values: true };
        let mut body =
            serde_json::json!({"access_token": "abc", "user": {"name": "Ann", "password": "p"}});
        scrubber.json(&mut body, &mut out);
        assert_eq!(
            body,
            serde_json::json!({"access_token": "<redacted>", "user": {"name": "Ann", "password": "<redacted>"}})
        );
        let headers = scrubber.headers(
            &[
                ("Set-Cookie".into(), "sid=1".into()),
                ("X-Request-Id".into(), "7".into()),
            ],
            &mut out,
        );
        assert_eq!(headers, [("X-Request-Id".to_owned(), "7".to_owned())]);
        assert_eq!(out.secret_fields, 2);
        assert_eq!(out.secret_headers.get("set-cookie"), Some(&1));
    }
}
