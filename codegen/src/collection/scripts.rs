//! Pre-request and test scripts: v2's `event` lists on the collection, folders and items, and
//! v1's `preRequestScript` and `tests` texts.

use serde_json::{Map, Value};

use super::json::Ctx;
use crate::diagnostics::pointer;

/// When a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Listen {
    /// Before the request is built (`prerequest`).
    PreRequest,
    /// After the response arrives (`test`).
    Test,
}

impl Listen {
    /// The event's name in the collection format.
    pub fn name(self) -> &'static str {
        match self {
            Self::PreRequest => "prerequest",
            Self::Test => "test",
        }
    }
}

/// One script, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// When it runs.
    pub listen: Listen,
    /// Its source text, lines joined with `\n`.
    pub source: String,
    /// JSON pointer of its text (`/item/0/event/1/script/exec`).
    pub location: String,
}

/// The enabled scripts of the `event` list of `map` (at `location`); a script that cannot be
/// read is a warning and is left out.
pub fn read_events(map: &Map<String, Value>, location: &str, ctx: &mut Ctx<'_>) -> Vec<Script> {
    let at = pointer(location, "event");
    // Postman takes a single event for a list of one.
    let events = match map.get("event") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(events)) => events.as_slice(),
        Some(event @ Value::Object(_)) => std::slice::from_ref(event),
        Some(_) => {
            ctx.warn(&at, "`event` is not a list; its scripts are ignored");
            return Vec::new();
        }
    };
    let single = !matches!(map.get("event"), Some(Value::Array(_)));
    let mut scripts = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let at = if single { at.clone() } else { pointer(&at, i) };
        let Some(event) = event.as_object() else {
            ctx.warn(&at, "event is not an object; ignored");
            continue;
        };
        if event.get("disabled").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let listen = match event.get("listen").and_then(Value::as_str) {
            Some("prerequest") => Listen::PreRequest,
            Some("test") => Listen::Test,
            other => {
                let what = other.map_or("no `listen`".to_owned(), |l| format!("`listen: {l}`"));
                ctx.warn(
                    &at,
                    format!("event with {what} is not a script Postman runs; ignored"),
                );
                continue;
            }
        };
        let script_at = pointer(&at, "script");
        let script = match event.get("script") {
            Some(Value::Object(script)) => script,
            // Postman reads a script given as text as its source.
            Some(text @ Value::String(_)) => {
                scripts.extend(read_exec(Some(text), &script_at, listen, ctx));
                continue;
            }
            None | Some(Value::Null) => continue,
            Some(_) => {
                ctx.warn(&script_at, "script is not an object; ignored");
                continue;
            }
        };
        if script.get("src").is_some() && script.get("exec").is_none() {
            ctx.warn(
                &script_at,
                "script refers to a file (`src`) the client cannot read; ignored",
            );
            continue;
        }
        if let Some(script) = read_exec(
            script.get("exec"),
            &pointer(&script_at, "exec"),
            listen,
            ctx,
        ) {
            scripts.push(script);
        }
    }
    scripts
}

/// A script whose text is `exec` (a string or a list of lines), `None` when it is empty or
/// not text (a warning says so).
pub fn read_exec(
    exec: Option<&Value>,
    location: &str,
    listen: Listen,
    ctx: &mut Ctx<'_>,
) -> Option<Script> {
    let source = match exec? {
        Value::String(text) => text.clone(),
        Value::Array(lines) => {
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                match line {
                    Value::String(line) => text.push_str(line),
                    Value::Null => {}
                    _ => {
                        ctx.warn(
                            &pointer(location, i),
                            format!(
                                "{} script line is not text; the script is ignored",
                                listen.name()
                            ),
                        );
                        return None;
                    }
                }
                text.push('\n');
            }
            text
        }
        Value::Null => return None,
        _ => {
            ctx.warn(
                location,
                format!(
                    "{} script `exec` is not text; the script is ignored",
                    listen.name()
                ),
            );
            return None;
        }
    };
    (!source.trim().is_empty()).then(|| Script {
        listen,
        source,
        location: location.to_owned(),
    })
}
