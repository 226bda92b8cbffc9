//! `learn`: pairing newman executions and HAR entries with requests, the bounded set of
//! examples, determinism, scrubbing, bad reports, and what the generator makes of the result.

#[path = "learn/newman.rs"]
mod newman;
#[path = "../../codegen/tests/support/mod.rs"]
mod support;

use postman_codegen::learn::{learn, paired, Learned, Options, ReportText};
use postman_codegen::{generate, Output};
use serde_json::{json, Value};

const BASE: &str = "https://api.shop.test/v2";

/// A collection with no saved responses: two requests under a `{{base}}` with a path prefix,
/// one with a literal host, and one with an id.
fn collection() -> Value {
    json!({
        "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "Users", "item": [
                {"name": "List users", "request": {"method": "GET",
                    "url": {"raw": "{{base}}/users?page=1", "host": ["{{base}}"], "path": ["users"],
                            "query": [{"key": "page", "value": "1"}, {"key": "api_key", "value": "live-key-123"}]}}},
                {"name": "Get a user", "request": {"method": "GET",
                    "header": [{"key": "Authorization", "value": "Bearer {{token}}"}],
                    "url": "{{base}}/users/:userId"}},
                {"name": "Update a user", "id": "upd-1", "request": {"method": "PATCH",
                    "header": [{"key": "X-Api-Key", "value": "hard-coded-secret"}],
                    "url": "{{base}}/users/:userId",
                    "body": {"mode": "raw", "raw": "{\"name\": \"x\"}"}}}
            ]},
            {"name": "Ping", "request": {"method": "GET", "url": "https://status.shop.test/ping"}},
            {"name": "Ping in detail", "request": {"method": "GET", "url": "https://status.shop.test/ping?detail=full&at={{now}}"}}
        ],
        "variable": [{"key": "base", "value": BASE}]
    })
}

fn user(id: u64, name: &str, email: Option<&str>, score: Value) -> Value {
    let mut user = json!({"id": id, "name": name, "score": score, "manager": null});
    if let Some(email) = email {
        user["email"] = json!(email);
    }
    user
}

/// A newman execution as `newman run -r json` writes it.
fn execution(id: &str, name: &str, code: u16, status: &str, body: &Value) -> Value {
    let bytes: Vec<u8> = body.to_string().into_bytes();
    json!({
        "cursor": {}, "id": "e",
        "item": {"id": id, "name": name},
        "request": {"method": "GET", "url": {}},
        "response": {"id": "r", "status": status, "code": code,
            "header": [
                {"key": "Content-Type", "value": "application/json"},
                {"key": "Set-Cookie", "value": "session=s3cr3t-cookie"},
                {"key": "Date", "value": "Wed, 02 Dec 2026 10:00:00 GMT"}
            ],
            "stream": {"type": "Buffer", "data": bytes}, "cookie": [], "responseTime": 5}
    })
}

/// A newman report: its copy of the collection carries ids newman made up for items that had
/// none, which executions name.
fn newman_report(executions: Vec<Value>) -> String {
    let mut copy = collection();
    copy["item"][0]["item"][0]["id"] = json!("gen-list");
    copy["item"][0]["item"][1]["id"] = json!("gen-get");
    copy["item"][1]["id"] = json!("gen-ping");
    json!({"collection": copy, "environment": {}, "globals": {}, "run": {"executions": executions}})
        .to_string()
}

fn training_executions() -> Vec<Value> {
    vec![
        execution(
            "gen-list",
            "List users",
            200,
            "OK",
            &json!({"users": [
            user(1, "Ann Archer", Some("ann@corp.example"), json!(3)),
            user(2, "Bob Baker", None, json!(4.5))
        ], "next": "https://api.shop.test/v2/users?page=2&cursor=opaque-cursor-1"}),
        ),
        execution(
            "gen-list",
            "List users",
            200,
            "OK",
            &json!({"users": [], "next": null}),
        ),
        execution(
            "gen-get",
            "Get a user",
            200,
            "OK",
            &user(1, "Ann Archer", Some("ann@corp.example"), json!(3)),
        ),
        execution(
            "gen-get",
            "Get a user",
            404,
            "Not Found",
            &json!({"error": "no user 99", "access_token": "tok-should-go"}),
        ),
        execution(
            "upd-1",
            "Update a user",
            200,
            "OK",
            &user(1, "Ann Updated", Some("ann@corp.example"), json!(7)),
        ),
        execution("gen-ping", "Ping", 200, "OK", &json!({"ok": true})),
    ]
}

fn report(name: &str, text: String) -> ReportText {
    ReportText {
        name: name.to_owned(),
        text,
    }
}

fn run(collection: &Value, reports: &[ReportText], options: &Options) -> Learned {
    learn(&collection.to_string(), "shop.json", reports, options).expect("learns")
}

fn examples<'a>(collection: &'a Value, pointer: &str) -> Vec<&'a Value> {
    collection
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the output is JSON")
}

#[test]
fn newman_executions_pair_by_item_id_or_by_the_item_path_in_the_report() {
    let learned = run(
        &collection(),
        &[report("run.json", newman_report(training_executions()))],
        &Options::default(),
    );
    let out = parse(&learned.collection);
    let list = examples(&out, "/item/0/item/0/response");
    let get = examples(&out, "/item/0/item/1/response");
    let update = examples(&out, "/item/0/item/2/response");
    let ping = examples(&out, "/item/1/response");
    // Two list responses of different shapes; 200 and 404 for "Get a user".
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_eq!(
        get.iter().map(|e| e["code"].as_u64()).collect::<Vec<_>>(),
        [Some(200), Some(404)]
    );
    assert_eq!(update.len(), 1, "paired by the collection's own id");
    assert_eq!(ping.len(), 1);
    assert_eq!(get[1]["name"], "Learned: 404 Not Found");
    assert_eq!(get[1]["_learned"]["observed"], 1);
    assert_eq!(list[0]["_learned"]["observed"], 2);
    let summary = &learned.summary;
    assert_eq!(
        (summary.observed, summary.paired, summary.requests),
        (6, 6, 4)
    );
    assert_eq!(summary.newly_typed, 4);
    assert!(learned.diagnostics.is_empty() && learned.unmatched.is_empty());
}

#[test]
fn a_bounded_set_infers_what_every_response_infers() {
    // Thirty responses of "Get a user", in five shapes.
    let mut executions = Vec::new();
    for i in 0..30u64 {
        let body = match i % 5 {
            0 => user(i, &format!("User {i}"), Some("u@corp.example"), json!(i)),
            1 => user(i, &format!("User {i}"), None, json!(i)),
            2 => user(
                i,
                &format!("User {i}"),
                Some("u@corp.example"),
                json!(i as f64 + 0.5),
            ),
            3 => json!({"id": i, "name": format!("User {i}"), "score": 1, "manager": {"id": 1}}),
            _ => json!({"id": i, "name": null, "score": 2, "manager": null}),
        };
        executions.push(execution("gen-get", "Get a user", 200, "OK", &body));
    }
    let reports = [report("many.json", newman_report(executions.clone()))];
    let bounded = run(&collection(), &reports, &Options::default());
    let kept = examples(&parse(&bounded.collection), "/item/0/item/1/response").len();
    assert!((2..=5).contains(&kept), "kept {kept} of 30");

    // Every response saved as an example, by hand, infers the same types.
    let mut all = collection();
    all["item"][0]["item"][1]["response"] = executions
        .iter()
        .map(|e| {
            let bytes: Vec<u8> = e["response"]["stream"]["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_u64().unwrap() as u8)
                .collect();
            json!({"name": "saved", "code": 200, "body": String::from_utf8(bytes).unwrap()})
        })
        .collect();
    let code = |collection: &str| -> String {
        let generated = generate(collection, "shop.json", &Output::Module("shop".into())).unwrap();
        generated
            .code
            .lines()
            .filter(|l| !l.trim_start().starts_with("///"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(code(&bounded.collection), code(&all.to_string()));

    // A limit of one keeps one.
    let one = run(
        &collection(),
        &reports,
        &Options {
            per_status: 1,
            ..Options::default()
        },
    );
    assert_eq!(
        examples(&parse(&one.collection), "/item/0/item/1/response").len(),
        1
    );
    // ... and says that the type rests on fewer shapes than were seen.
    let warnings: Vec<String> = one.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("Users / Get a user") && warnings[0].contains("200: more than 1"));
    assert!(bounded.diagnostics.is_empty());
}

#[test]
fn learning_is_deterministic_and_learning_again_changes_nothing() {
    let reports = [report("run.json", newman_report(training_executions()))];
    let first = run(&collection(), &reports, &Options::default());
    let second = run(&collection(), &reports, &Options::default());
    assert_eq!(first.collection, second.collection);
    let again = run(&parse(&first.collection), &reports, &Options::default());
    assert_eq!(again.collection, first.collection);
    // Reports in another order learn the same set.
    let mut reversed = training_executions();
    reversed.reverse();
    let other_order = run(
        &collection(),
        &[report("run.json", newman_report(reversed))],
        &Options::default(),
    );
    assert_eq!(other_order.collection, first.collection);
}

/// The examples `learn` wrote (the collection's own requests keep what they had).
fn written_examples(collection: &str) -> String {
    fn collect(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Array(list)) = map.get("response") {
                    out.extend(list.iter().cloned());
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(&parse(collection), &mut out);
    assert!(!out.is_empty());
    Value::Array(out).to_string()
}

/// Every string value of the report's response bodies.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn nothing_private_is_written_unless_values_are_kept_and_credentials_never() {
    let reports = [report("run.json", newman_report(training_executions()))];
    let learned = run(&collection(), &reports, &Options::default());
    let text = &written_examples(&learned.collection);
    let mut originals = Vec::new();
    for execution in training_executions() {
        let bytes: Vec<u8> = execution["response"]["stream"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_u64().unwrap() as u8)
            .collect();
        strings(&serde_json::from_slice(&bytes).unwrap(), &mut originals);
    }
    assert!(originals.len() > 5);
    for original in &originals {
        assert!(!text.contains(original.as_str()), "{original} was written");
    }
    for secret in [
        "s3cr3t-cookie",
        "Set-Cookie",
        "live-key-123",
        "hard-coded-secret",
        "tok-should-go",
    ] {
        assert!(!text.contains(secret), "{secret} was written");
    }
    // The item's own request keeps its `{{token}}` template: not a secret.
    assert!(text.contains("Bearer {{token}}"));
    let out = parse(&learned.collection);
    let ann = parse(
        out.pointer("/item/0/item/1/response/0/body")
            .unwrap()
            .as_str()
            .unwrap(),
    );
    assert_eq!(ann["email"], "user@example.com");
    assert_eq!(ann["name"], "string");
    assert_eq!(ann["id"], 1, "numbers are kept");
    let scrubbed = &learned.summary.scrubbed;
    assert!(scrubbed.strings >= 5);
    assert_eq!(scrubbed.secret_fields, 1);
    assert_eq!(scrubbed.secret_headers.get("set-cookie"), Some(&6));

    let kept = run(
        &collection(),
        &reports,
        &Options {
            keep_values: true,
            ..Options::default()
        },
    );
    let kept = written_examples(&kept.collection);
    assert!(kept.contains("Ann Archer"));
    assert!(kept.contains("Wed, 02 Dec 2026"), "other headers are kept");
    for secret in [
        "s3cr3t-cookie",
        "live-key-123",
        "hard-coded-secret",
        "tok-should-go",
    ] {
        assert!(!kept.contains(secret), "{secret} was written");
    }
}

fn har_entry(
    method: &str,
    url: &str,
    status: u16,
    mime: &str,
    text: Option<(&str, bool)>,
) -> Value {
    let mut content = json!({"size": 0, "mimeType": mime});
    if let Some((text, base64)) = text {
        content["text"] = json!(text);
        if base64 {
            content["encoding"] = json!("base64");
        }
    }
    json!({
        "startedDateTime": "2026-12-02T10:00:00Z", "time": 1,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Content-Type", "value": mime}], "cookies": [], "content": content,
            "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    })
}

fn har(entries: Vec<Value>) -> String {
    json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}})
        .to_string()
}

#[test]
fn har_entries_pair_by_method_and_url_template() {
    use base64::Engine as _;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(r#"{"ok": true, "region": "eu"}"#);
    let entries = vec![
        har_entry(
            "GET",
            &format!("{BASE}/users?page=3"),
            200,
            "application/json",
            Some((r#"{"users": [], "next": null}"#, false)),
        ),
        har_entry(
            "GET",
            &format!("{BASE}/users/42"),
            200,
            "application/json",
            Some((r#"{"id": 42}"#, false)),
        ),
        har_entry(
            "patch",
            &format!("{BASE}/users/42"),
            500,
            "text/html",
            Some(("<html>oops</html>", false)),
        ),
        har_entry(
            "GET",
            "https://status.shop.test/ping",
            200,
            "application/json",
            Some((&encoded, true)),
        ),
        har_entry(
            "GET",
            "https://elsewhere.test/v2/users",
            200,
            "application/json",
            Some(("{}", false)),
        ),
        har_entry(
            "GET",
            "https://unrelated.test/a/b",
            200,
            "application/json",
            Some(("{}", false)),
        ),
        har_entry(
            "GET",
            "https://unrelated.test/a/b",
            200,
            "application/json",
            Some(("{}", false)),
        ),
        har_entry("GET", &format!("{BASE}/users/1"), 0, "", None),
        har_entry(
            "GET",
            &format!("{BASE}/users/5"),
            206,
            "image/png",
            Some((
                &base64::engine::general_purpose::STANDARD.encode([0x89, b'P', 0xff, 0xfe]),
                true,
            )),
        ),
        har_entry(
            "GET",
            "https://status.shop.test/ping",
            503,
            "text/plain",
            Some(("down for maintenance", false)),
        ),
        har_entry(
            "GET",
            "https://status.shop.test/ping?at=1&detail=full",
            200,
            "application/json",
            Some((r#"{"checks": []}"#, false)),
        ),
    ];
    let learned = run(
        &collection(),
        &[report("browser.har", har(entries))],
        &Options::default(),
    );
    let out = parse(&learned.collection);
    assert_eq!(examples(&out, "/item/0/item/0/response").len(), 1);
    assert_eq!(examples(&out, "/item/0/item/1/response").len(), 1);
    let update = examples(&out, "/item/0/item/2/response");
    assert_eq!(update[0]["code"], 500);
    assert_eq!(
        update[0]["body"], "<html>string</html>",
        "markup keeps its structure"
    );
    assert_eq!(update[0]["status"], "Internal Server Error");
    let ping = examples(&out, "/item/1/response");
    assert!(ping[0]["body"]
        .as_str()
        .unwrap()
        .contains("\"region\": \"string\""));
    assert_eq!(ping[1]["code"], 503);
    assert_eq!(ping[1]["body"], "(text body of 20 bytes, not kept)");
    // A binary body is not written: its status stays undocumented and keeps its bytes.
    let get = examples(&out, "/item/0/item/1/response");
    assert_eq!(
        get.iter().map(|e| e["code"].as_u64()).collect::<Vec<_>>(),
        [Some(200)]
    );
    assert_eq!(learned.summary.binary, 1);
    // The literal query pair tells the detailed ping apart.
    let detail = examples(&out, "/item/2/response");
    assert_eq!(detail.len(), 1);
    assert!(detail[0]["body"].as_str().unwrap().contains("checks"));
    // The literal host must match: elsewhere.test does not answer "List users".
    let unmatched: Vec<String> = learned.unmatched.iter().map(ToString::to_string).collect();
    assert_eq!(unmatched.len(), 2, "{unmatched:#?}");
    assert!(
        unmatched[0].contains("GET https://elsewhere.test/v2/users")
            || unmatched[1].contains("GET https://elsewhere.test/v2/users")
    );
    assert!(unmatched
        .iter()
        .any(|w| w.contains("(2 responses)") && w.contains("/log/entries/5")));
    // The entry without a response is a located warning.
    assert_eq!(learned.diagnostics.len(), 1);
    assert!(learned.diagnostics[0].to_string().contains("browser.har"));
    assert_eq!(learned.diagnostics[0].location, "/log/entries/7/response");
}

#[test]
fn bad_reports_are_located_errors_or_warnings() {
    let collection = collection();
    let truncated = newman_report(training_executions());
    let truncated = &truncated[..truncated.len() / 2];
    let error = learn(
        &collection.to_string(),
        "shop.json",
        &[report("cut.json", truncated.to_owned())],
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("cut.json") && error.contains("line 1 column"),
        "{error}"
    );

    let error = learn(
        &collection.to_string(),
        "shop.json",
        &[report("env.json", r#"{"values": []}"#.into())],
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("neither a newman JSON report"), "{error}");

    // A report of another collection: nothing learned, one warning that says so.
    let mut other: Value = serde_json::from_str(&newman_report(vec![execution(
        "x-1",
        "Other",
        200,
        "OK",
        &json!({}),
    )]))
    .unwrap();
    other["collection"]["info"]["name"] = json!("Another API");
    let learned = run(
        &collection,
        &[report("other.json", other.to_string())],
        &Options::default(),
    );
    assert_eq!(learned.summary.paired, 0);
    assert_eq!(learned.unmatched.len(), 1);
    assert!(learned.unmatched[0]
        .message
        .contains("`Another API`, not `Shop`"));
    assert_eq!(
        parse(&learned.collection),
        collection,
        "the collection is unchanged"
    );

    // A HAR file of another API: every entry is a warning, nothing is learned.
    let entries = (0..3)
        .map(|i| {
            har_entry(
                "GET",
                &format!("https://other-api.test/v1/things/{i}"),
                200,
                "application/json",
                Some(("{\"a\": 1}", false)),
            )
        })
        .collect();
    let learned = run(
        &collection,
        &[report("other.har", har(entries))],
        &Options::default(),
    );
    assert_eq!((learned.summary.observed, learned.summary.paired), (3, 0));
    assert_eq!(learned.unmatched.len(), 3);
    assert_eq!(
        parse(&learned.collection),
        collection,
        "the collection is unchanged"
    );

    // A request whose `response` is not a list keeps it, with a warning.
    let mut odd = collection.clone();
    odd["item"][1]["response"] = json!({"not": "a list"});
    let learned = run(
        &odd,
        &[report("run.json", newman_report(training_executions()))],
        &Options::default(),
    );
    assert_eq!(
        parse(&learned.collection)["item"][1]["response"],
        json!({"not": "a list"})
    );
    assert!(learned
        .diagnostics
        .iter()
        .any(|d| d.location == "/item/1/response" && d.item_path == ["Ping"]));

    // Collections learn cannot write.
    for (text, expected) in [
        ("{\"requests\": []}", "a v1 collection"),
        ("[1, 2]", "no `item` list"),
        ("{\"item\": ", "not JSON"),
    ] {
        let error = learn(text, "c.json", &[], &Options::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("c.json") && error.contains(expected),
            "{error}"
        );
    }
}

#[test]
fn the_generated_client_types_learned_statuses_and_says_from_how_much() {
    let learned = run(
        &collection(),
        &[report("run.json", newman_report(training_executions()))],
        &Options::default(),
    );
    let code = generate(
        &learned.collection,
        "shop.json",
        &Output::Module("shop".into()),
    )
    .unwrap()
    .code;
    assert!(code.contains("404 => raw.fail_json("), "404 is typed");
    assert!(code.contains("chosen from 2 observed responses by `postman-codegen learn`"));
    assert_eq!(
        untyped_successes(&code),
        1,
        "every request but the one never observed has a typed success"
    );
    let before = generate(
        &collection().to_string(),
        "shop.json",
        &Output::Module("shop".into()),
    )
    .unwrap()
    .code;
    assert_eq!(untyped_successes(&before), 5);
}

#[test]
fn paired_responses_keep_what_came_unscrubbed() {
    let responses = paired(
        &collection().to_string(),
        "shop.json",
        &[report("run.json", newman_report(training_executions()))],
    )
    .unwrap();
    assert_eq!(responses.len(), 6);
    let not_found = responses.iter().find(|r| r.status == 404).unwrap();
    assert_eq!(
        not_found.item_path,
        [("Users".to_owned(), 0), ("Get a user".to_owned(), 0)]
    );
    assert!(not_found.body.as_deref().unwrap().contains("tok-should-go"));
}

#[test]
fn learned_collections_validate_against_the_collection_schema() {
    let har_entries = vec![har_entry("GET", &format!("{BASE}/users/7"), 204, "", None)];
    for options in [
        Options::default(),
        Options {
            keep_values: true,
            ..Options::default()
        },
    ] {
        let learned = run(
            &collection(),
            &[
                report("run.json", newman_report(training_executions())),
                report("b.har", har(har_entries.clone())),
            ],
            &options,
        );
        assert!(learned.summary.examples >= 7);
        let Some(errors) = schema_errors(&parse(&learned.collection)) else {
            return;
        };
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

/// What the official v2.1.0 collection schema (draft-04, in the shared corpus) finds wrong with
/// `collection`; `None` without the corpus.
fn schema_errors(collection: &Value) -> Option<Vec<String>> {
    let root = support::corpus_root()?;
    let schema_file = root.join("schema/bundled-draft-04/collection-v2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_file).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    Some(
        validator
            .iter_errors(collection)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}

/// How many operations of generated code decode no documented success status: their `decode`
/// goes straight to the undocumented arm.
fn untyped_successes(code: &str) -> usize {
    let mut untyped = 0;
    let mut documented = None;
    for line in code.lines() {
        if line.contains("fn decode(") {
            documented = Some(false);
        } else if line.contains("raw.ok_json(")
            || line.contains("raw.ok_text(")
            || line.contains("raw.ok(")
        {
            documented = documented.map(|_| true);
        } else if line.contains("_ if raw.status.is_success()") {
            untyped += usize::from(documented == Some(false));
            documented = None;
        }
    }
    untyped
}
