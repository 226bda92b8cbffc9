//! Sloppy but usable input generates, and every repair is a warning with item path and JSON
//! location: BOM, CRLF, missing and custom methods, wrong types inside items.

use postman_codegen::{generate, Generated, Output};

fn run(text: &str) -> Generated {
    generate(text, "sloppy.json", &Output::Module("sloppy".into())).expect("generates")
}

fn warning_at<'a>(generated: &'a Generated, location: &str) -> &'a str {
    generated
        .diagnostics
        .iter()
        .find(|d| d.location == location)
        .map(|d| d.message.as_str())
        .unwrap_or_else(|| panic!("no warning at {location}: {:?}", generated.diagnostics))
}

#[test]
fn bom_and_crlf_are_read() {
    let text = "\u{feff}{\r\n\"info\": {\"name\": \"crlf\"},\r\n\"item\": [{\"name\": \"Get\",\r\n\"request\": {\"method\": \"GET\", \"url\": \"https://x.test/a\"}}]\r\n}\r\n";
    let generated = run(text);
    assert_eq!((generated.requests, generated.operations), (1, 1));
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
}

#[test]
fn missing_lower_case_custom_and_invalid_methods() {
    let text = r#"{"info": {"name": "methods"}, "item": [{"name": "Folder", "item": [
        {"name": "No method", "request": {"url": "https://x.test/a"}},
        {"name": "Lower", "request": {"method": "patch", "url": "https://x.test/b"}},
        {"name": "Purge", "request": {"method": "PURGE", "url": "https://x.test/c"}},
        {"name": "Broken", "request": {"method": "GE T", "url": "https://x.test/d"}},
        {"name": "Number", "request": {"method": 7, "url": "https://x.test/e"}}
    ]}]}"#;
    let generated = run(text);
    assert_eq!((generated.requests, generated.operations), (5, 5));
    let missing = generated
        .diagnostics
        .iter()
        .find(|d| d.item_path == ["Folder", "No method"])
        .expect("missing method warned");
    assert_eq!(missing.location, "/item/0/item/0/request/method");
    assert!(missing.message.contains("using GET"));
    assert!(
        warning_at(&generated, "/item/0/item/3/request/method").contains("not a valid HTTP token")
    );
    assert!(warning_at(&generated, "/item/0/item/4/request/method").contains("not a string"));
    assert!(generated.code.contains("\"PATCH\""));
    assert!(generated.code.contains("\"PURGE\""));
}

#[test]
fn wrong_types_inside_items_are_located_warnings() {
    let text = r#"{"info": {"name": "types"}, "item": [
        {"name": "Headers", "request": {"method": "GET", "url": "https://x.test/a", "header": 5}},
        {"name": "Body", "request": {"method": "POST", "url": "https://x.test/b", "body": "text"}},
        {"name": "Examples", "request": {"method": "GET", "url": "https://x.test/c"}, "response": {"code": 200}},
        {"name": "Auth", "request": {"method": "GET", "url": "https://x.test/d", "auth": ["bearer"]}},
        7
    ]}"#;
    let generated = run(text);
    assert_eq!(generated.operations, 4);
    for location in [
        "/item/0/request/header",
        "/item/1/request/body",
        "/item/2/response",
        "/item/3/request/auth",
        "/item/4",
    ] {
        warning_at(&generated, location);
    }
    assert!(generated
        .diagnostics
        .iter()
        .all(|d| d.to_string().starts_with("warning: sloppy.json")));
}

#[test]
fn examples_without_a_code_take_it_from_status_text_or_name() {
    let text = r#"{"info": {"name": "codes"}, "item": [{"name": "Pay", "request": {"method": "POST", "url": "https://x.test/pay"}, "response": [
        {"name": "Declined", "status": "Unprocessable Entity", "body": "{\"reason\": \"declined\"}"},
        {"name": "404 - no such card", "body": "{\"missing\": true}"},
        {"name": "Fabrikam payment", "body": "{\"id\": 1}"},
        {"name": "2024 report", "body": "{\"id\": 2}"},
        {"name": "OK", "body": "{\"paid\": true}"},
        {"name": "Created (201)", "body": "{\"id\": 3}"},
        {"name": "Conflict 404", "body": "{\"id\": 4}"},
        {"name": "not found", "body": "{\"gone\": true}"}
    ]}]}"#;
    let generated = run(text);
    assert!(warning_at(&generated, "/item/0/response/0").contains("422 read from its status text"));
    assert!(warning_at(&generated, "/item/0/response/1").contains("404 read from its name"));
    assert!(warning_at(&generated, "/item/0/response/2").contains("not typed"));
    assert!(warning_at(&generated, "/item/0/response/3").contains("not typed"));
    // A reason phrase as the name gives the status, alone or with its own code.
    assert!(warning_at(&generated, "/item/0/response/4").contains("200 read from its name"));
    assert!(warning_at(&generated, "/item/0/response/5").contains("201 read from its name"));
    assert!(
        warning_at(&generated, "/item/0/response/6").contains("not typed"),
        "a phrase with another status's code is not guessed"
    );
    assert!(warning_at(&generated, "/item/0/response/7").contains("404 read from its name"));
    assert!(generated.code.contains("UnprocessableEntity("));
    assert!(generated.code.contains("NotFound("));
    assert!(generated.code.contains("Ok("));
    assert!(generated.code.contains("Created("));
}

#[test]
fn a_repeated_query_key_with_an_enum_hint_is_a_list_of_that_enum() {
    let text = r#"{"info": {"name": "enum"}, "item": [{"name": "List", "request": {"method": "GET", "url": {
        "raw": "https://x.test/items?status=open&status=closed", "host": ["x", "test"], "path": ["items"],
        "query": [{"key": "status", "value": "open", "description": "This can only be one of open, closed"},
                  {"key": "status", "value": "closed"}]}}}]}"#;
    let generated = run(text);
    assert!(
        generated.code.contains("pub status: Vec<Status>"),
        "{}",
        generated.code
    );
    assert!(generated
        .code
        .contains("status: Vec::from([Status::Open, Status::Closed])"));
}

#[test]
fn v1_warnings_point_at_v1_keys() {
    // The first request has no method (GET, whose body Postman prunes); the second a body.
    let text = r#"{"name": "v1", "order": ["a", "b"], "requests": [
        {"id": "a", "name": "Get", "url": "https://x.test/a"},
        {"id": "b", "name": "Post", "method": "POST", "url": "https://x.test/a", "dataMode": "raw", "rawModeData": "{\"a\": {{b}}}"}
    ]}"#;
    let generated = run(text);
    assert!(warning_at(&generated, "/requests/0/method").contains("no method"));
    assert!(warning_at(&generated, "/requests/1/rawModeData").contains("read leniently"));
}

#[test]
fn a_v1_request_with_null_query_params_keeps_the_query_of_its_url() {
    use postman_codegen::collection::{parse_collection, Item};
    use postman_codegen::diagnostics::Diagnostics;
    let text = r#"{"id": "c", "name": "v1", "order": ["r"], "requests": [{"id": "r", "name": "Find",
        "method": "GET", "url": "https://x.test/pets?status={{status}}&limit=2", "queryParams": null}]}"#;
    let collection = parse_collection(text, &mut Diagnostics::new("v1.json")).expect("parses");
    let Some(Item::Request(request)) = collection.items.first() else {
        panic!("one request: {:?}", collection.items)
    };
    let query: Vec<(&str, Option<&str>)> = request
        .request
        .url
        .query
        .iter()
        .map(|q| (q.key.as_str(), q.value.as_deref()))
        .collect();
    assert_eq!(
        query,
        [("status", Some("{{status}}")), ("limit", Some("2"))]
    );
}
