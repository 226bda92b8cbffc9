//! The reference sender: newman runs a copy of the collection whose hosts point at the
//! recording server, and its JSON report says which record each item produced.

use postman_codegen_cli::files::write;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use postman_codegen::collection::split_authority;
use postman_codegen::ir::whole_variable;
use serde_json::Value;

use super::{server_urls, workflow, ItemKey, Sent, Subject};

/// Longest time newman may take over one request, in milliseconds.
const REQUEST_TIMEOUT_MS: &str = "5000";
/// Longest time newman may take over one collection, in milliseconds.
const RUN_TIMEOUT_MS: &str = "300000";

/// What newman did with one collection.
#[derive(Debug, Default)]
pub struct Report {
    /// What it sent for each item.
    pub sent: BTreeMap<ItemKey, Sent>,
    /// Items whose request uses dynamic variables (`{{$guid}}`, ...).
    pub dynamic: BTreeSet<ItemKey>,
    /// The errors pre-request scripts threw, per item (their messages).
    pub script_errors: BTreeMap<ItemKey, Vec<String>>,
}

/// Runs newman over `subject`. A collection newman cannot run gives an empty report (every
/// item then counts as not sent by newman).
pub fn run(newman: &Path, scratch: &Path, subject: &Subject, origin: &str) -> Report {
    match try_run(newman, scratch, subject, origin) {
        Ok(sent) => sent,
        Err(message) => {
            eprintln!("{}: newman: {message}", subject.name);
            Report::default()
        }
    }
}

fn try_run(
    newman: &Path,
    scratch: &Path,
    subject: &Subject,
    origin: &str,
) -> Result<Report, String> {
    let text = subject.source.trim_start_matches('\u{feff}');
    let mut collection: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match &subject.plan {
        Some(plan) => {
            items_renamed(&mut collection);
            tag_requests(&mut collection, &plan.tags());
            flow_off(&mut collection);
        }
        None => comparable(&mut collection),
    }
    rewrite_hosts(&mut collection, origin);
    let dir = scratch.join("newman");
    let input = dir.join(format!("{}.json", subject.module));
    let report = dir.join(format!("{}.report.json", subject.module));
    let _ = std::fs::remove_file(&report);
    write(&input, &collection.to_string()).map_err(|e| e.to_string())?;
    let mut command = Command::new(newman);
    command
        .arg("run")
        .arg(&input)
        .args(["--reporters", "json", "--reporter-json-export"])
        .arg(&report)
        .args(["--timeout-request", REQUEST_TIMEOUT_MS])
        .args(["--timeout", RUN_TIMEOUT_MS])
        .args(["--suppress-exit-code", "--ignore-redirects", "--insecure"]);
    for (key, path) in server_urls(&subject.api) {
        if is_variable_server(&key) {
            command
                .arg("--env-var")
                .arg(format!("{key}={origin}{path}"));
        }
    }
    for (name, value) in &subject.undefined {
        command.arg("--env-var").arg(format!("{name}={value}"));
    }
    let output = command.output().map_err(|e| e.to_string())?;
    let report = std::fs::read_to_string(&report).map_err(|_| {
        format!(
            "no report; stderr: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )
    })?;
    let report: Value = serde_json::from_str(&report).map_err(|e| e.to_string())?;
    Ok(read_report(&report))
}

/// Makes the copy newman runs say what the client was generated from, apart from its
/// scripts: they are removed (scripts that choose the next request would keep items from
/// running; a workflow run keeps them), and `items` is renamed ([`items_renamed`]).
fn comparable(value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    map.remove("event");
    if let Some(Value::Array(items)) = map.get_mut("item") {
        for item in items {
            comparable(item);
        }
    }
    items_renamed(value);
}

/// Renames `items`, which the generator reads as `item`, throughout.
fn items_renamed(value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    if !map.contains_key("item") {
        if let Some(items) = map.remove("items") {
            map.insert("item".to_owned(), items);
        }
    }
    if let Some(Value::Array(items)) = map.get_mut("item") {
        for item in items {
            items_renamed(item);
        }
    }
}

/// What every script of a workflow run starts with: `setNextRequest` does nothing.
/// postman-runtime's own `disableSNR` still ends the run where a script asks for a next
/// request, and newman does not expose it.
const FLOW_OFF: &str =
    "pm.execution.setNextRequest = function () {}; postman.setNextRequest = function () {}; ";

/// What a script of a workflow run starts with, on its first line so that the lines errors
/// name stay the same: [`FLOW_OFF`], and `Math.random` set to the generator the client's
/// scripts draw from with `with_script_seed(`[`workflow::SCRIPT_SEED`]`)`: mulberry32 from the
/// seed mixed with the script's text (FNV-1a of its trimmed source, lines joined with `\n`).
fn prefix(source: &str) -> String {
    let hash = source.trim().bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let seed = workflow::SCRIPT_SEED ^ hash;
    format!(
        "{FLOW_OFF}Math.random = (function (a) {{ return function () {{ \
         a = (a + 0x6d2b79f5) >>> 0; var t = Math.imul(a ^ (a >>> 15), 1 | a); \
         t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; \
         return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }}; }})({seed}); "
    )
}

/// Prepares the scripts of the copy a workflow run gives newman ([`prefix`]). Each item then
/// runs once, in the collection's order, as the client sends each operation when it is called
/// (as the Postman app's Send does with one request), and draws the numbers the client draws.
fn flow_off(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("exec" | "preRequestScript" | "tests", Value::String(text)) => {
                        text.insert_str(0, &prefix(text));
                    }
                    ("exec", Value::Array(lines)) => {
                        let source: Vec<&str> = lines
                            .iter()
                            .map(|line| line.as_str().unwrap_or_default())
                            .collect();
                        let prefix = prefix(&source.join("\n"));
                        match lines.first_mut() {
                            Some(Value::String(first)) => first.insert_str(0, &prefix),
                            _ => lines.insert(0, Value::String(prefix)),
                        }
                    }
                    (_, value) => flow_off(value),
                }
            }
        }
        Value::Array(values) => values.iter_mut().for_each(flow_off),
        _ => {}
    }
}

/// Adds to each request item of a workflow run the header that names it to the recording
/// server.
fn tag_requests(collection: &mut Value, tags: &BTreeMap<ItemKey, String>) {
    let mut keys = Vec::new();
    workflow::walk(
        collection.get("item"),
        &mut Vec::new(),
        &mut BTreeMap::new(),
        &mut |key, _| keys.push(key),
    );
    let mut keys = keys.into_iter();
    tag_items(collection.get_mut("item"), &mut keys, tags);
}

fn tag_items(
    items: Option<&mut Value>,
    keys: &mut impl Iterator<Item = ItemKey>,
    tags: &BTreeMap<ItemKey, String>,
) {
    for item in items.and_then(Value::as_array_mut).into_iter().flatten() {
        if item.get("request").is_none() && item.get("item").is_some() {
            tag_items(item.get_mut("item"), keys, tags);
            continue;
        }
        let Some(tag) = keys.next().and_then(|key| tags.get(&key)) else {
            continue;
        };
        let header = serde_json::json!({"key": workflow::ITEM_HEADER, "value": tag});
        match item.get_mut("request") {
            Some(Value::Object(request)) => match request.get_mut("header") {
                Some(Value::Array(headers)) => headers.push(header),
                // Headers written as lines (v2.0's `"header": "Name: value\n..."`).
                Some(Value::String(lines)) => {
                    if !lines.is_empty() && !lines.ends_with('\n') {
                        lines.push('\n');
                    }
                    lines.push_str(&format!("{}: {tag}\n", workflow::ITEM_HEADER));
                }
                _ => {
                    request.insert("header".to_owned(), Value::Array(vec![header]));
                }
            },
            Some(url @ Value::String(_)) => {
                let url = url.take();
                item["request"] =
                    serde_json::json!({"url": url, "method": "GET", "header": [header]});
            }
            _ => {}
        }
    }
}

/// Whether a server key names a variable (its value is redirected) rather than an origin
/// written in the URLs (which are rewritten).
pub fn is_variable_server(key: &str) -> bool {
    !key.contains("://") && !key.contains("{{")
}

/// Points every request URL whose host is not one variable at `origin`.
fn rewrite_hosts(collection: &mut Value, origin: &str) {
    if let Some(items) = collection.get_mut("item") {
        rewrite_items(items, origin);
    }
    if let Some(Value::Array(requests)) = collection.get_mut("requests") {
        for request in requests {
            if let Some(url) = request.get_mut("url") {
                rewrite_url(url, origin);
            }
        }
    }
}

fn rewrite_items(items: &mut Value, origin: &str) {
    let Value::Array(items) = items else {
        return;
    };
    for item in items {
        if let Some(children) = item.get_mut("item") {
            rewrite_items(children, origin);
        }
        match item.get_mut("request") {
            Some(url @ Value::String(_)) => rewrite_url(url, origin),
            Some(Value::Object(request)) => {
                if let Some(url) = request.get_mut("url") {
                    rewrite_url(url, origin);
                }
            }
            _ => {}
        }
    }
}

fn rewrite_url(url: &mut Value, origin: &str) {
    match url {
        Value::String(raw) => *raw = rewrite_raw(raw, origin),
        Value::Object(map) => {
            if let Some(Value::String(raw)) = map.get_mut("raw") {
                *raw = rewrite_raw(raw, origin);
            }
            let host = match map.get("host") {
                Some(Value::Array(labels)) => labels
                    .iter()
                    .map(|l| l.as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("."),
                Some(Value::String(host)) => host.clone(),
                _ => return,
            };
            let variable_host = whole_variable(&host).is_some()
                && !map.contains_key("protocol")
                && !map.contains_key("port");
            if !variable_host {
                let (scheme, authority) = origin.split_once("://").unwrap_or(("http", origin));
                let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
                map.insert("protocol".to_owned(), scheme.into());
                map.insert("host".to_owned(), Value::Array(vec![host.into()]));
                map.insert("port".to_owned(), port.into());
            }
        }
        _ => {}
    }
}

/// A raw URL with its scheme and authority replaced by `origin`, unless its host is one
/// variable or it has none.
fn rewrite_raw(raw: &str, origin: &str) -> String {
    let text = raw.trim();
    let after_scheme = match text.find("://") {
        Some(i) if !text[..i].contains('/') => i + 3,
        _ => 0,
    };
    let (host, rest) = split_authority(&text[after_scheme..]);
    if host.is_empty() || (after_scheme == 0 && whole_variable(host).is_some()) {
        return raw.to_owned();
    }
    format!("{origin}{rest}")
}

/// What each item of a newman report produced: the record number its response carries, or
/// the failure newman reported.
fn read_report(report: &Value) -> Report {
    let mut keys = BTreeMap::new();
    let mut seen = BTreeMap::new();
    let mut dynamic = BTreeSet::new();
    if let Some(items) = report.pointer("/collection/item") {
        item_keys(items, &mut Vec::new(), &mut seen, &mut keys, &mut dynamic);
    }
    let mut failures: BTreeMap<&str, String> = BTreeMap::new();
    let mut script_errors: BTreeMap<ItemKey, Vec<String>> = BTreeMap::new();
    for failure in report
        .pointer("/run/failures")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = failure.pointer("/source/id").and_then(Value::as_str);
        let message = failure.pointer("/error/message").and_then(Value::as_str);
        if let (Some(id), Some(message)) = (id, message) {
            failures.entry(id).or_insert_with(|| message.to_owned());
            let at = failure.get("at").and_then(Value::as_str);
            if let (Some("prerequest-script"), Some(key)) = (at, keys.get(id)) {
                let errors = script_errors.entry(key.clone()).or_default();
                errors.push(message.to_owned());
            }
        }
    }
    let mut sent = BTreeMap::new();
    for execution in report
        .pointer("/run/executions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = execution.pointer("/item/id").and_then(Value::as_str) else {
            continue;
        };
        let Some(key) = keys.get(id) else {
            continue;
        };
        let record = execution
            .pointer("/response/header")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|h| h.get("key").and_then(Value::as_str) == Some("x-parity-record"))
            .and_then(|h| h.get("value")?.as_str()?.parse().ok());
        let outcome = record.ok_or_else(|| {
            failures
                .get(id)
                .cloned()
                .unwrap_or_else(|| "no response from the recording server".to_owned())
        });
        sent.entry(key.clone()).or_insert(outcome);
    }
    Report {
        sent,
        dynamic,
        script_errors,
    }
}

/// Item ids of a report's collection, with their item paths and occurrences, and the items
/// whose request uses dynamic variables.
fn item_keys(
    items: &Value,
    path: &mut Vec<String>,
    seen: &mut BTreeMap<Vec<String>, usize>,
    keys: &mut BTreeMap<String, ItemKey>,
    dynamic: &mut BTreeSet<ItemKey>,
) {
    for item in items.as_array().into_iter().flatten() {
        let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
        path.push(name.to_owned());
        match item.get("item") {
            Some(children) => item_keys(children, path, seen, keys, dynamic),
            None => {
                let occurrence = seen.entry(path.clone()).or_insert(0);
                let key = (path.clone(), *occurrence);
                if item
                    .get("request")
                    .is_some_and(|r| r.to_string().contains("{{$"))
                {
                    dynamic.insert(key.clone());
                }
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    keys.insert(id.to_owned(), key);
                }
                *occurrence += 1;
            }
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:9";

    #[test]
    fn literal_hosts_are_rewritten_and_variable_hosts_kept() {
        assert_eq!(
            rewrite_raw("https://api.zoom.us/v2/users?x=1", ORIGIN),
            "http://127.0.0.1:9/v2/users?x=1"
        );
        assert_eq!(
            rewrite_raw("{{baseUrl}}/users", ORIGIN),
            "{{baseUrl}}/users"
        );
        assert_eq!(
            rewrite_raw("https://{{host}}/a/{{b}}", ORIGIN),
            "http://127.0.0.1:9/a/{{b}}"
        );
        assert_eq!(
            rewrite_raw("{{host}}:8080/a", ORIGIN),
            "http://127.0.0.1:9/a"
        );
        assert_eq!(rewrite_raw("/relative", ORIGIN), "/relative");
    }

    #[test]
    fn url_objects_get_the_origin_in_their_parts() {
        let mut url = serde_json::json!({
            "raw": "https://api.example.com/x",
            "protocol": "https",
            "host": ["api", "example", "com"],
            "path": ["x"]
        });
        rewrite_url(&mut url, ORIGIN);
        assert_eq!(url["raw"], "http://127.0.0.1:9/x");
        assert_eq!(url["host"], serde_json::json!(["127.0.0.1"]));
        assert_eq!(url["port"], "9");
        assert_eq!(url["protocol"], "http");
    }

    #[test]
    fn report_items_pair_with_their_records() {
        let report = serde_json::json!({
            "collection": {"item": [
                {"name": "F", "item": [{"id": "a", "name": "R"}, {"id": "b", "name": "R"}]},
                {"id": "c", "name": "S"}
            ]},
            "run": {
                "executions": [
                    {"item": {"id": "a"}, "response": {"header": [{"key": "x-parity-record", "value": "7"}]}},
                    {"item": {"id": "b"}, "response": {"header": [{"key": "x-parity-record", "value": "8"}]}},
                    {"item": {"id": "c"}}
                ],
                "failures": [
                    {"source": {"id": "c"}, "error": {"message": "Invalid URI"}},
                    {"source": {"id": "b"}, "at": "prerequest-script", "error": {"message": "set id"}},
                    {"source": {"id": "a"}, "at": "test-script", "error": {"message": "no body"}}
                ]
            }
        });
        let report = read_report(&report);
        let sent = &report.sent;
        let key = |names: &[&str], n| (names.iter().map(|s| (*s).to_owned()).collect(), n);
        assert_eq!(sent[&key(&["F", "R"], 0)], Ok(7));
        assert_eq!(sent[&key(&["F", "R"], 1)], Ok(8));
        assert_eq!(sent[&key(&["S"], 0)], Err("Invalid URI".to_owned()));
        let errors: Vec<_> = report.script_errors.into_iter().collect();
        assert_eq!(errors, [(key(&["F", "R"], 1), vec!["set id".to_owned()])]);
    }

    #[test]
    fn every_script_starts_with_flow_control_off_and_its_seed() {
        let mut collection = serde_json::json!({
            "event": [{"listen": "prerequest", "script": {"exec": "postman.setNextRequest(null);"}}],
            "item": [{"name": "F", "item": [{
                "name": "R",
                "event": [
                    {"listen": "test", "script": {"exec": ["let a = 1;", "pm.execution.setNextRequest('X');"]}},
                    {"listen": "prerequest", "script": {"exec": []}}
                ],
                "request": {"url": "/exec", "body": {"mode": "raw", "raw": "{\"exec\": 1}"}}
            }]}],
            "requests": [{"tests": "postman.setNextRequest('Y');"}]
        });
        flow_off(&mut collection);
        let first = "postman.setNextRequest(null);";
        assert_eq!(
            collection["event"][0]["script"]["exec"],
            format!("{}{first}", prefix(first))
        );
        let events = &collection["item"][0]["item"][0]["event"];
        let lines = "let a = 1;\npm.execution.setNextRequest('X');";
        assert_eq!(
            events[0]["script"]["exec"][0],
            format!("{}let a = 1;", prefix(lines))
        );
        assert_eq!(
            events[0]["script"]["exec"][1],
            "pm.execution.setNextRequest('X');"
        );
        assert_eq!(events[1]["script"]["exec"], serde_json::json!([prefix("")]));
        let request = &collection["item"][0]["item"][0]["request"];
        assert_eq!(request["url"], "/exec");
        assert_eq!(request["body"]["raw"], "{\"exec\": 1}");
        let tests = "postman.setNextRequest('Y');";
        assert_eq!(
            collection["requests"][0]["tests"],
            format!("{}{tests}", prefix(tests))
        );
    }

    /// The seed of a script's `Math.random` is the run's mixed with the script's text as the
    /// runtime mixes them (its test holds the same figure).
    #[test]
    fn a_script_s_seed_is_mixed_with_its_text() {
        let seed = workflow::SCRIPT_SEED ^ 0x1a47_e90b;
        assert!(prefix("  abc\n").contains(&format!("}})({seed}); ")));
        assert!(prefix("abc").starts_with(FLOW_OFF));
    }

    #[test]
    fn each_request_is_tagged_whatever_its_headers_are_written_as() {
        let mut collection = serde_json::json!({"item": [
            {"name": "A", "request": {"url": "/a", "header": [{"key": "X", "value": "1"}]}},
            {"name": "B", "request": {"url": "/b", "header": "Authorization: Hawk id=\"x\""}},
            {"name": "C", "request": "/c"}
        ]});
        let key = |name: &str| (vec![name.to_owned()], 0);
        let tags = BTreeMap::from([
            (key("A"), "t-0".to_owned()),
            (key("B"), "t-1".to_owned()),
            (key("C"), "t-2".to_owned()),
        ]);
        tag_requests(&mut collection, &tags);
        let request = |i: usize| &collection["item"][i]["request"];
        assert_eq!(
            request(0)["header"],
            serde_json::json!([{"key": "X", "value": "1"}, {"key": workflow::ITEM_HEADER, "value": "t-0"}])
        );
        assert_eq!(
            request(1)["header"],
            format!(
                "Authorization: Hawk id=\"x\"\n{}: t-1\n",
                workflow::ITEM_HEADER
            )
        );
        assert_eq!(request(2)["url"], "/c");
        assert_eq!(request(2)["header"][0]["value"], "t-2");
    }
}
