//! Requests are counted in the JSON apart from the reader, so none is lost without a warning.

use postman_codegen::{generate, Generated, Output};
use serde_json::json;

fn run(collection: serde_json::Value) -> Generated {
    generate(
        &collection.to_string(),
        "c.json",
        &Output::Module("c".into()),
    )
    .expect("generates")
}

fn messages(generated: &Generated) -> Vec<String> {
    generated
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn v1_requests_sharing_an_id_are_both_kept() {
    let generated = run(json!({
        "name": "v1",
        "order": ["a"],
        "requests": [
            {"id": "a", "name": "First", "url": "https://x.test/1", "method": "GET"},
            {"id": "a", "name": "Second", "url": "https://x.test/2", "method": "GET"},
            "not a request"
        ]
    }));
    assert_eq!(
        generated.requests, 3,
        "every entry of `requests` is counted"
    );
    assert_eq!(generated.operations, 2);
    assert!(generated.code.contains("pub mod first") && generated.code.contains("pub mod second"));
    let messages = messages(&generated);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("(at /requests/1/id)") && m.contains("used twice")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("(at /requests/2)") && m.contains("dropped")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("holds 3 requests but 2 operations")),
        "the difference is reported: {messages:?}"
    );
}

#[test]
fn an_item_with_both_request_and_item_is_a_folder_and_says_so() {
    let generated = run(json!({
        "info": {"name": "both"},
        "item": [{
            "name": "Hybrid",
            "request": {"method": "GET", "url": "https://x.test/ignored"},
            "item": [{"name": "Inner", "request": {"method": "GET", "url": "https://x.test/inner"}}]
        }]
    }));
    assert_eq!((generated.requests, generated.operations), (1, 1));
    let messages = messages(&generated);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Hybrid (at /item/0/request)") && m.contains("read as a folder")),
        "{messages:?}"
    );
}

#[test]
fn items_instead_of_item_are_counted_and_generated() {
    let generated = run(json!({
        "info": {"name": "items"},
        "items": [
            {"name": "F", "items": [{"name": "A", "request": "https://x.test/a"}]},
            {"name": "B", "request": {"url": "https://x.test/b"}}
        ]
    }));
    assert_eq!((generated.requests, generated.operations), (2, 2));
}
