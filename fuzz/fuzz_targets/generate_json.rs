//! Structure-aware: JSON trees built from the collection format's own keys and typical values,
//! with wrong types anywhere, so the fuzzer spends its time in lowering and emission rather
//! than in the JSON parser. Never panics; whatever generates is valid Rust.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use postman_codegen::{generate, Output};
use serde_json::{Map, Value};

/// Keys of the v1, v2.0 and v2.1 formats.
const KEYS: &[&str] = &[
    "info",
    "name",
    "schema",
    "item",
    "items",
    "request",
    "response",
    "url",
    "raw",
    "protocol",
    "host",
    "port",
    "path",
    "query",
    "variable",
    "header",
    "body",
    "mode",
    "formdata",
    "urlencoded",
    "file",
    "graphql",
    "auth",
    "type",
    "key",
    "value",
    "disabled",
    "description",
    "content",
    "method",
    "code",
    "status",
    "options",
    "language",
    "src",
    "contentType",
    "variables",
    "bearer",
    "basic",
    "apikey",
    "oauth2",
    "noauth",
    "token",
    "in",
    "headerPrefix",
    "requests",
    "folders",
    "order",
    "folders_order",
    "id",
    "folder",
    "collectionId",
    "data",
    "dataMode",
    "rawModeData",
    "headers",
    "pathVariables",
    "pathVariableData",
    "queryParams",
    "responses",
    "responseCode",
    "text",
    "_postman_previewlanguage",
    "originalRequest",
];

/// Values that steer into interesting branches.
const TEXTS: &[&str] = &[
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
    "{{baseUrl}}",
    "{{baseUrl}}/users/:userId?page=1&page=2#frag",
    ":userId",
    "{id}",
    "{{id}}",
    "https://api.example.com:8443/v1/{{x}}/a b",
    "raw",
    "urlencoded",
    "formdata",
    "file",
    "graphql",
    "json",
    "xml",
    "text",
    "bearer",
    "basic",
    "apikey",
    "oauth2",
    "noauth",
    "inherit",
    "header",
    "query",
    "GET",
    "post",
    "PURGE",
    "",
    "200",
    "404",
    "Content-Type",
    "application/json",
    "Authorization",
    "Bearer {{token}}",
    "<integer>",
    "<string>",
    "(Required) The id",
    "This can only be one of a, b",
    "{\"a\":1,\"b\":[{\"c\":null}]}",
    "[1, \"x\", {\"y\": true}]",
    "{ \"a\": {{n}} }",
    "*/ #[x] \"# \\",
    "self",
    "type",
    "r#fn",
    "1st",
    "名前",
    "🦀",
    "a\nb",
];

#[derive(Arbitrary, Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(u8),
    Other(String),
    Array(Vec<Node>),
    Object(Vec<(u8, Node)>),
    /// A key outside the format's vocabulary.
    OddObject(Vec<(String, Node)>),
}

impl Node {
    fn to_value(&self, depth: usize) -> Value {
        if depth > 24 {
            return Value::Null;
        }
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::Text(i) => Value::from(TEXTS[usize::from(*i) % TEXTS.len()]),
            Node::Other(s) => Value::from(s.as_str()),
            Node::Array(items) => items.iter().map(|n| n.to_value(depth + 1)).collect(),
            Node::Object(entries) => {
                let map: Map<String, Value> = entries
                    .iter()
                    .map(|(k, v)| {
                        let key = KEYS[usize::from(*k) % KEYS.len()];
                        (key.to_owned(), v.to_value(depth + 1))
                    })
                    .collect();
                Value::Object(map)
            }
            Node::OddObject(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value(depth + 1)))
                    .collect(),
            ),
        }
    }
}

/// A collection root: v2 (`info` + `item`) or v1 (`requests`), plus arbitrary extra keys.
#[derive(Arbitrary, Debug)]
struct Root {
    v1: bool,
    schema: u8,
    items: Vec<Node>,
    extra: Vec<(u8, Node)>,
}

fuzz_target!(|root: Root| {
    let mut map = Map::new();
    let items: Value = root.items.iter().map(|n| n.to_value(0)).collect();
    if root.v1 {
        map.insert("requests".into(), items);
    } else {
        let schema = TEXTS[usize::from(root.schema) % 2];
        map.insert(
            "info".into(),
            serde_json::json!({"name": "fuzz", "schema": schema}),
        );
        map.insert("item".into(), items);
    }
    for (k, v) in &root.extra {
        map.insert(KEYS[usize::from(*k) % KEYS.len()].to_owned(), v.to_value(0));
    }
    let text = Value::Object(map).to_string();
    if let Ok(generated) = generate(&text, "fuzz.json", &Output::Module("m".into())) {
        assert!(syn::parse_file(&generated.code).is_ok());
    }
});
