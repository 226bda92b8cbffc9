//! `diff`: changes to the generated API between two versions of a collection, each classified
//! breaking or compatible.

use postman_codegen::compare;
use postman_codegen::diff::{Bump, Format, Report};
use serde_json::{json, Value};

fn collection(items: Value) -> String {
    json!({
        "info": {"name": "Users", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "baseUrl", "value": "https://api.test"}],
        "item": items,
    })
    .to_string()
}

fn get_user(query: Value, responses: Value) -> Value {
    json!({
        "name": "Get a user",
        "request": {"method": "GET", "url": {
            "raw": "{{baseUrl}}/users/:userId",
            "host": ["{{baseUrl}}"], "path": ["users", ":userId"],
            "query": query,
        }},
        "response": responses,
    })
}

fn example(code: u16, body: Value) -> Value {
    json!({"name": format!("{code}"), "code": code, "body": body.to_string(),
           "header": [{"key": "Content-Type", "value": "application/json"}]})
}

fn report(old: Value, new: Value) -> Report {
    compare(&collection(old), "old.json", &collection(new), "new.json").expect("both read")
}

/// The one change of a report, as (item, breaking).
fn only(report: &Report) -> (&str, bool) {
    assert_eq!(report.changes.len(), 1, "{report:#?}");
    let change = &report.changes[0];
    (change.item.as_str(), change.breaking)
}

fn base() -> Value {
    get_user(
        json!([{"key": "page", "value": "1"}]),
        json!([example(200, json!({"id": "u1", "email": "a@b.test"}))]),
    )
}

#[test]
fn the_same_api_is_no_change() {
    let report = report(json!([base()]), json!([base()]));
    assert!(report.changes.is_empty());
    assert_eq!(report.bump(), Bump::None);
    assert!(report.render(Format::Text, None).contains("no API change"));
}

#[test]
fn an_optional_parameter_is_compatible_and_a_required_one_breaks() {
    let optional = get_user(
        json!([{"key": "page", "value": "1"}, {"key": "fields", "value": "email"}]),
        json!([example(200, json!({"id": "u1", "email": "a@b.test"}))]),
    );
    let report = report(json!([base()]), json!([optional]));
    assert_eq!(only(&report), ("get_a_user::Request.fields", false));
    assert_eq!(report.bump(), Bump::Minor);

    let required = get_user(
        json!([{"key": "page", "value": "1"},
               {"key": "fields", "value": "email", "description": "(Required) Fields."}]),
        json!([example(200, json!({"id": "u1", "email": "a@b.test"}))]),
    );
    let report = self::report(json!([base()]), json!([required]));
    assert_eq!(only(&report), ("get_a_user::Request.fields", true));
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn a_retyped_or_removed_parameter_breaks() {
    let retyped = get_user(
        json!([{"key": "page", "value": "first"}]),
        json!([example(200, json!({"id": "u1", "email": "a@b.test"}))]),
    );
    let report = report(json!([base()]), json!([retyped]));
    assert_eq!(only(&report), ("get_a_user::Request.page", true));
    assert!(report.changes[0]
        .what
        .contains("`Option<i64>` → `Option<String>`"));
    assert!(
        !report.changes[0].silent,
        "a new type stops callers' code compiling"
    );

    let removed = get_user(
        json!([]),
        json!([example(200, json!({"id": "u1", "email": "a@b.test"}))]),
    );
    let report = self::report(json!([base()]), json!([removed]));
    assert_eq!(only(&report), ("get_a_user::Request.page", true));
}

#[test]
fn a_response_field_or_an_error_status_that_appears_is_compatible() {
    let more = get_user(
        json!([{"key": "page", "value": "1"}]),
        json!([
            example(200, json!({"id": "u1", "email": "a@b.test", "name": "Ada"})),
            example(404, json!({"code": 1001})),
        ]),
    );
    let report = report(json!([base()]), json!([more]));
    let items: Vec<(&str, bool)> = report
        .changes
        .iter()
        .map(|c| (c.item.as_str(), c.breaking))
        .collect();
    assert!(
        items.contains(&("get_a_user::Error::NotFound", false)),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .any(|(item, breaking)| item.ends_with(".name") && !breaking),
        "{items:?}"
    );
    assert!(!report.is_breaking(), "{items:?}");
}

#[test]
fn a_reworded_sentence_name_keeps_its_operation() {
    let mut old = base();
    old["name"] = json!("Retrieve the details of a single user of the account, by their id");
    let mut new = base();
    new["name"] = json!("Returns the full details of one user of this account, given an id");
    let report = report(json!([old.clone()]), json!([new]));
    assert!(report.changes.is_empty(), "{report:#?}");
    // A short name is the operation's own, so changing it moves the operation.
    let mut short = base();
    short["name"] = json!("Fetch one user");
    let report = self::report(json!([old]), json!([short]));
    assert!(report.changes[0].what.contains("moved to `fetch_one_user`"));
}

#[test]
fn a_renamed_request_is_one_breaking_move_and_a_removed_one_is_listed_once() {
    let mut renamed = base();
    renamed["name"] = json!("Fetch a user");
    let report = report(json!([base()]), json!([renamed]));
    assert_eq!(only(&report), ("get_a_user", true));
    assert!(report.changes[0].what.contains("moved to `fetch_a_user`"));

    let other =
        json!({"name": "List users", "request": {"method": "GET", "url": "{{baseUrl}}/users"}});
    let report = self::report(json!([base(), other.clone()]), json!([other]));
    assert_eq!(only(&report), ("get_a_user", true));
    let report = self::report(json!([other.clone()]), json!([other, base()]));
    assert_eq!(only(&report), ("get_a_user", false));
}

#[test]
fn a_changed_route_or_server_breaks() {
    let mut moved = base();
    moved["request"]["method"] = json!("POST");
    let report = report(json!([base()]), json!([moved]));
    assert_eq!(only(&report), ("get_a_user", true));
    assert!(report.changes[0]
        .what
        .contains("sends `POST /users/:userId`"));
    assert!(report.changes[0].silent, "callers' code still compiles");

    let form = |mode: &str| {
        json!([{"name": "Update a user", "request": {
            "method": "PATCH", "url": "{{baseUrl}}/users/:userId",
            "body": {"mode": mode, mode: [{"key": "first_name", "value": "Ada"}]},
        }}])
    };
    let report = self::report(form("urlencoded"), form("formdata"));
    assert_eq!(only(&report), ("update_a_user", true));
    assert!(
        report.changes[0].silent && report.changes[0].what.contains("a multipart body"),
        "{report:#?}"
    );

    let old = collection(json!([base()]));
    let new = old.replace("https://api.test", "https://api2.test");
    let report = compare(&old, "old.json", &new, "new.json").expect("both read");
    assert_eq!(only(&report), ("Client server `baseUrl`", true));
    assert!(report.changes[0].silent);
}

#[test]
fn reports_render_as_text_markdown_and_json() {
    let mut renamed = base();
    renamed["name"] = json!("Fetch a user");
    let report = report(json!([base()]), json!([renamed]));
    let markdown = report.render(Format::Markdown, Some("0.3.1"));
    assert!(
        markdown.contains("Suggested version bump: **major (0.4.0)**"),
        "{markdown}"
    );
    assert!(markdown.contains("### Breaking\n\n- `get_a_user`: operation moved"));
    let json: Value =
        serde_json::from_str(&report.render(Format::Json, Some("1.2.3"))).expect("JSON");
    assert_eq!(json["bump"], "major");
    assert_eq!(json["next_version"], "2.0.0");
    assert_eq!(json["changes"][0]["breaking"], true);
}

/// Format versions of one API (the corpus's v1, v2.0 and v2.1 fixtures) generate the same
/// client: no API change.
#[test]
fn format_versions_of_one_api_are_no_change() {
    let dir = std::env::var_os("POSTMAN_CODEGEN_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
        })
        .join("fixtures");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("POSTMAN_CODEGEN_REQUIRE_CORPUS").is_none(),
            "no corpus at {}",
            dir.display()
        );
        println!("skipped: no corpus at {}", dir.display());
        return;
    }
    for (old, new) in [
        (
            "pcrs-swagger-petstore-v1.0.0",
            "pcrs-swagger-petstore-v2.0.0",
        ),
        (
            "pcrs-swagger-petstore-v2.0.0",
            "pcrs-swagger-petstore-v2.1.0",
        ),
        ("pcrs-apikey-v1.0.0", "pcrs-apikey-v2.1.0"),
        (
            "newman-multi-level-folders-v1",
            "newman-multi-level-folders-v2",
        ),
    ] {
        let read = |name: &str| {
            let path = dir.join(format!("{name}.postman_collection.json"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let report = compare(&read(old), old, &read(new), new).expect("both read");
        assert_eq!(report.changes, [], "{old} → {new}");
    }
}

#[test]
fn paging_that_appears_is_compatible_and_paging_that_goes_breaks() {
    let list = |body: Value| {
        json!({
            "name": "List users",
            "request": {"method": "GET", "url": {
                "raw": "{{baseUrl}}/users?page=1",
                "host": ["{{baseUrl}}"], "path": ["users"],
                "query": [{"key": "page", "value": "1"}],
            }},
            "response": [example(200, body)],
        })
    };
    // A page number parameter alone is not paging; a saved page count confirms it.
    let unconfirmed = list(json!({"users": [{"id": "u1"}]}));
    let paged = list(json!({"page_count": 3, "users": [{"id": "u1"}]}));
    let gained = report(json!([unconfirmed.clone()]), json!([paged.clone()]));
    let paging = gained
        .changes
        .iter()
        .find(|c| c.item == "list_users::Request::pages")
        .unwrap_or_else(|| panic!("{gained:#?}"));
    assert!(!paging.breaking, "{paging:?}");
    assert!(paging.what.contains("paging by page number"), "{paging:?}");
    assert!(!gained.is_breaking(), "{gained:#?}");
    let lost = report(json!([paged]), json!([unconfirmed]));
    assert!(lost.is_breaking(), "{lost:#?}");
}
