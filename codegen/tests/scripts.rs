//! Scripts of real collections as people write them: what cannot be read or understood is a
//! located warning, the rest of the collection still generates, and what is understood becomes
//! steps the operations run.

use postman_codegen::{generate, Output};
use serde_json::json;

fn collection(event: serde_json::Value) -> String {
    json!({
        "info": {"name": "s", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "Scripted", "event": event, "request": {"method": "GET", "url": "https://x.test/a"}},
            {"name": "Plain", "request": {"method": "GET", "url": "https://x.test/b"}}
        ]
    })
    .to_string()
}

/// The warnings of generating `source`, as `item path @ location: message`.
fn warnings(source: &str) -> (Vec<String>, String) {
    let generated = generate(source, "s.json", &Output::Module("s".into())).expect("generates");
    assert_eq!(
        generated.operations, 2,
        "the rest of the collection generates"
    );
    syn::parse_file(&generated.code).expect("the output parses");
    let warnings = generated
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} @ {}: {}",
                d.item_path.join(" / "),
                d.location,
                d.message
            )
        })
        .collect();
    (warnings, generated.code)
}

#[test]
fn a_syntax_error_is_a_located_warning_and_the_script_shows_in_the_docs() {
    let source = collection(json!([{
        "listen": "test",
        "script": {"exec": ["var data = pm.response.json();", "pm.environment.set('id', data.id;"]}
    }]));
    let (warnings, code) = warnings(&source);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("Scripted @ /item/0/event/0/script/exec: test script not translated (line 2: not valid JavaScript"),
        "{warnings:?}"
    );
    assert!(code.contains("/// - Its own test script is not run by the client (line 2)."));
    assert!(
        code.contains("pm.environment.set('id', data.id;"),
        "the script is in the docs"
    );
    assert!(!code.contains("const TEST: &'static [runtime::scripts::Step]"));
}

#[test]
fn an_exec_that_is_not_text_is_a_located_warning() {
    let source = collection(json!([
        {"listen": "prerequest", "script": {"exec": 42}},
        {"listen": "test", "script": {"exec": ["pm.environment.set('a', '1');", {"line": 2}]}},
        {"listen": "later", "script": {"exec": "x"}},
        {"listen": "test", "disabled": true, "script": {"exec": "not even JavaScript ("}}
    ]));
    let (warnings, _) = warnings(&source);
    assert_eq!(
        warnings,
        [
            "Scripted @ /item/0/event/0/script/exec: prerequest script `exec` is not text; the script is ignored",
            "Scripted @ /item/0/event/1/script/exec/1: test script line is not text; the script is ignored",
            "Scripted @ /item/0/event/2: event with `listen: later` is not a script Postman runs; ignored",
        ]
    );
}

#[test]
fn what_a_script_does_becomes_the_operations_steps() {
    let source = collection(json!([
        {"listen": "prerequest", "script": {"exec": "pm.variables.set('when', Date.now());"}},
        {"listen": "test", "script": {"exec": "pm.collectionVariables.set('token', pm.response.json().token);\npostman.setNextRequest('Plain');"}}
    ]));
    let (warnings, code) = warnings(&source);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]
        .contains("line 2: `postman.setNextRequest` (the order of requests is the caller's)"));
    assert!(warnings[0].contains("the client runs the rest"));
    // Compared without whitespace: the layout is the formatter's.
    let code = without_whitespace(&code);
    assert!(code.contains(&without_whitespace(
        "const PRE_REQUEST: &'static [runtime::scripts::Step] = &[runtime::scripts::Step::Set {"
    )));
    assert!(code.contains("value:runtime::scripts::Value::NowMillis"));
    assert!(code.contains("value:runtime::scripts::Value::Json(\"/token\")"));
}

fn without_whitespace(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn a_collection_script_is_understood_and_warned_about_once() {
    let source = json!({
        "info": {"name": "s", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "event": [{"listen": "test", "script": {"exec": "pm.sendRequest('https://x.test/token', function () {});"}}],
        "item": [
            {"name": "A", "request": {"method": "GET", "url": "https://x.test/a"}},
            {"name": "B", "request": {"method": "GET", "url": "https://x.test/b"}}
        ]
    })
    .to_string();
    let generated = generate(&source, "s.json", &Output::Module("s".into())).expect("generates");
    assert_eq!(
        generated.diagnostics.len(),
        1,
        "{:?}",
        generated.diagnostics
    );
    assert_eq!(generated.diagnostics[0].location, "/event/0/script/exec");
    assert!(generated.diagnostics[0].item_path.is_empty());
    assert_eq!(generated.scripts.all.none, 1);
    assert_eq!(generated.scripts.all.total(), 1);
    assert_eq!(
        generated
            .code
            .matches("The test script of the collection is not run by the client")
            .count(),
        2,
        "each operation's docs say so"
    );
}

#[test]
fn events_read_as_postman_reads_them() {
    // `event: null`, a single event for a list of one, and a script given as its text.
    let source = json!({
        "info": {"name": "s", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "event": null,
        "item": [
            {"name": "One", "event": {"listen": "test", "script": {"exec": "pm.environment.set('a', pm.response.json().a);"}},
             "request": {"method": "GET", "url": "https://x.test/a"}},
            {"name": "Text", "event": [{"listen": "test", "script": "pm.environment.set('b', '2');"}],
             "request": {"method": "GET", "url": "https://x.test/b"}}
        ]
    })
    .to_string();
    let generated = generate(&source, "s.json", &Output::Module("s".into())).expect("generates");
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
    assert_eq!(generated.scripts.all.full, 2);
    assert!(generated
        .code
        .contains("value: runtime::scripts::Value::Json(\"/a\")"));
    assert!(generated
        .code
        .contains("value: runtime::scripts::Value::Text(\"2\")"));
}
