//! Responses grouped by status, typed from every saved example of that status.

use std::collections::BTreeMap;

use serde_json::Value;

use super::infer::{Shape, Typer};
use super::{Response, ResponseKind, SavedResponse};
use crate::collection::Example;
use crate::diagnostics::Diagnostics;
use crate::naming::{camel, Namespace};

/// Lowers the saved examples of one request.
pub fn lower_responses(
    examples: &[&Example],
    typer: &mut Typer,
    item_path: &[String],
    diags: &mut Diagnostics,
) -> Vec<Response> {
    let mut by_status: BTreeMap<u16, Vec<&Example>> = BTreeMap::new();
    for &example in examples {
        if let Some(code) = status_of(example, item_path, diags) {
            by_status.entry(code).or_default().push(example);
        }
    }
    let mut variants = Namespace::with_reserved(&["Undocumented"]);
    by_status
        .into_iter()
        .map(|(status, examples)| {
            let variant = variants.claim(&variant_name(status));
            let kind = kind(status, &examples, &variant, typer, item_path, diags);
            // Learned examples are named after their status; the note below counts them.
            let mut doc: Vec<String> = examples
                .iter()
                .filter(|e| e.observed.is_none())
                .map(|e| e.name.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            doc.extend(learned_note(&examples));
            Response {
                status,
                variant,
                kind,
                doc: (!doc.is_empty()).then(|| doc.join("\n\n")),
                saved: saved(examples[0]),
            }
        })
        .collect()
}

/// Headers a server sets for the body it sends, which a saved response's may contradict.
const FRAMING_HEADERS: &[&str] = &[
    "connection",
    "content-encoding",
    "content-length",
    "keep-alive",
    "transfer-encoding",
];

/// `example` as the mock sends it.
fn saved(example: &Example) -> SavedResponse {
    let headers = example
        .headers
        .iter()
        .filter(|h| !h.disabled && !FRAMING_HEADERS.contains(&h.key.to_ascii_lowercase().as_str()))
        .map(|h| (h.key.clone(), h.value.clone().unwrap_or_default()))
        .collect();
    SavedResponse {
        headers,
        body: example.body.clone().unwrap_or_default(),
    }
}

/// How many observations the type of a status rests on, where `learn` chose some of its
/// examples.
fn learned_note(examples: &[&Example]) -> Option<String> {
    let observed = examples.iter().filter_map(|e| e.observed).max()?;
    let learned = examples.iter().filter(|e| e.observed.is_some()).count();
    let saved = examples.len();
    let responses = if observed == 1 {
        "response"
    } else {
        "responses"
    };
    Some(format!(
        "Typed from {saved} saved example{}, {learned} of them chosen from {observed} observed \
         {responses} by `postman-codegen learn`.",
        if saved == 1 { "" } else { "s" }
    ))
}

/// The status of a saved example: its code, else one read from its status text or name (with
/// a warning); `None` (with a warning) when it has none.
pub fn status_of(example: &Example, item_path: &[String], diags: &mut Diagnostics) -> Option<u16> {
    if let Some(code) = example.code.filter(|c| (100..600).contains(c)) {
        return Some(code);
    }
    if let Some((code, from)) = status_from_text(example) {
        diags.warn(
            item_path,
            &example.location,
            format!("response example has no status code; {code} read from its {from}"),
        );
        return Some(code);
    }
    diags.warn(
        item_path,
        &example.location,
        "response example has no valid status code; not typed",
    );
    None
}

/// The status an example without a code names: its status text is a reason phrase
/// (`Unprocessable Entity`), its name starts with a code (`422 - Invalid card`), or its name is
/// a reason phrase, with or without its code after it (`Not Found`, `Created (201)`).
fn status_from_text(example: &Example) -> Option<(u16, &'static str)> {
    if let Some(code) = example.status.as_deref().and_then(reason_code) {
        return Some((code, "status text"));
    }
    let name = example.name.trim_start();
    if let Some(code) = reason_code(name) {
        return Some((code, "name"));
    }
    // `OK 200`, `Created (201)`, `Not Found - 404`: the phrase, then its own code.
    let phrase = name.trim_end_matches(|c: char| c.is_ascii_digit() || " ()-:".contains(c));
    let written = name[phrase.len()..].trim_matches(|c: char| !c.is_ascii_digit());
    if let Some(code) = reason_code(phrase).filter(|code| written == code.to_string()) {
        return Some((code, "name"));
    }
    let digits = name
        .get(..3)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let followed_by_digit = name[3..].starts_with(|c: char| c.is_ascii_digit());
    let code: u16 = digits.parse().ok()?;
    ((100..600).contains(&code) && !followed_by_digit).then_some((code, "name"))
}

/// The status whose reason phrase `text` is (`Not Found` is 404), in any case.
fn reason_code(text: &str) -> Option<u16> {
    let text = text.trim();
    (100..600).find(|&code| {
        http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .is_some_and(|reason| reason.eq_ignore_ascii_case(text))
    })
}

/// `Ok`, `NotFound`, ... from the status's reason phrase; `Status599` for unknown codes.
fn variant_name(status: u16) -> String {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|reason| camel(reason, "Status"))
        .unwrap_or_else(|| format!("Status{status}"))
}

fn kind(
    status: u16,
    examples: &[&Example],
    variant: &str,
    typer: &mut Typer,
    item_path: &[String],
    diags: &mut Diagnostics,
) -> ResponseKind {
    let bodies: Vec<&Example> = examples
        .iter()
        .copied()
        .filter(|e| e.body.as_deref().is_some_and(|b| !b.trim().is_empty()))
        .collect();
    if matches!(status, 204 | 205 | 304) || bodies.is_empty() {
        return ResponseKind::Empty;
    }
    let mut shape = Shape::Unknown;
    for example in &bodies {
        let text = example.body.as_deref().unwrap_or_default();
        match serde_json::from_str::<Value>(text) {
            Ok(value) if value.is_object() || value.is_array() => {
                shape = shape.unify(Shape::of(&value));
            }
            Ok(_) => return ResponseKind::Text,
            Err(e) => {
                if declares_json(example) {
                    diags.warn(
                        item_path,
                        &example.location,
                        format!("{status} example body is not valid JSON ({e}); decoded as text"),
                    );
                }
                return ResponseKind::Text;
            }
        }
    }
    ResponseKind::Json(typer.response_ty(&shape, &format!("{variant}Body")))
}

fn declares_json(example: &Example) -> bool {
    example.headers.iter().any(|h| {
        h.key.eq_ignore_ascii_case("content-type")
            && h.value.as_deref().is_some_and(|v| v.contains("json"))
    })
}
