//! A response as a candidate example (from a report, scrubbed, or from an earlier `learn`), and
//! as the saved example Postman reads.

use serde_json::{json, Value};

use super::report::{Body, Observation};
use super::scrub::{Scrubbed, Scrubber};
use super::LEARNED_KEY;

/// What a response body is, once scrubbed.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A JSON object or array.
    Json(Value),
    /// Anything else that is text (scalars, XML, HTML, plain text).
    Text(String),
    /// No body.
    Empty,
}

/// A response that may become an example.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Reason phrase.
    pub status: String,
    /// Headers, scrubbed.
    pub headers: Vec<(String, String)>,
    /// Body, scrubbed.
    pub body: Kind,
}

impl Candidate {
    /// A response from a report, scrubbed; `None` for a binary body, which is not written: a
    /// status the collection does not document keeps its bytes in the client, and one that
    /// examples without a body document would drop them.
    pub fn observed(
        observation: &Observation,
        scrubber: &Scrubber,
        out: &mut Scrubbed,
    ) -> Option<Self> {
        let body = match &observation.body {
            Body::Empty => Kind::Empty,
            Body::Binary(_) => return None,
            Body::Text(text) => match serde_json::from_str::<Value>(text) {
                Ok(mut value) if value.is_object() || value.is_array() => {
                    scrubber.json(&mut value, out);
                    Kind::Json(value)
                }
                _ => Kind::Text(scrubber.text(text, out)),
            },
        };
        Some(Self {
            status: observation.status.clone(),
            headers: scrubber.headers(&observation.headers, out),
            body,
        })
    }

    /// An example an earlier run learned (already scrubbed).
    pub fn from_example(example: &Value) -> Self {
        let text = example.get("body").and_then(Value::as_str);
        let body = match text {
            None | Some("") => Kind::Empty,
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(value) if value.is_object() || value.is_array() => Kind::Json(value),
                _ => Kind::Text(text.to_owned()),
            },
        };
        let headers = example
            .get("header")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| {
                Some((
                    h.get("key")?.as_str()?.to_owned(),
                    h.get("value")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                ))
            })
            .collect();
        Self {
            status: example
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            headers,
            body,
        }
    }

    /// The saved example this candidate becomes.
    pub fn example(self, code: u16, number: &str, original: &Value, observed: usize) -> Value {
        let status = if self.status.is_empty() {
            http::StatusCode::from_u16(code)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or_default()
                .to_owned()
        } else {
            self.status
        };
        let (language, body) = match self.body {
            Kind::Json(value) => (
                "json",
                Some(serde_json::to_string_pretty(&value).expect("a JSON value serializes")),
            ),
            Kind::Text(text) => ("text", Some(text)),
            Kind::Empty => ("text", None),
        };
        let mut example = json!({
            "name": format!("Learned: {code} {status}{number}").trim_end(),
            "originalRequest": original,
            "status": status,
            "code": code,
            "_postman_previewlanguage": language,
            "header": self.headers.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
            "cookie": [],
        });
        if let Some(body) = body {
            example["body"] = Value::String(body);
        }
        example[LEARNED_KEY] = json!({ "observed": observed });
        example
    }
}
