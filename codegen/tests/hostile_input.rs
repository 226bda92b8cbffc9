//! Collection text can only ever become literals and doc attributes, names always become valid
//! identifiers, and adding a request renames nothing.

use postman_codegen::collection::parse_collection;
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::{generate, ir, Output};
use proc_macro2::{TokenStream, TokenTree};
use serde_json::json;

/// A collection whose every description, value, example and script carries `text`.
fn collection_with_text(text: &str) -> String {
    // The text as a JavaScript string: a script that stores it and reads it back, and the text
    // itself as a script.
    let js = serde_json::to_string(text).expect("a JSON string");
    let script = [
        format!("pm.environment.set({js}, pm.response.json()[{js}] + {js});"),
        format!("if (pm.environment.get({js}) === {js}) {{ throw new Error({js}); }}"),
    ];
    json!({
        "info": {"name": "Hostile", "description": text, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "baseUrl", "value": "https://example.com"}],
        "item": [{
            "name": "Folder",
            "description": text,
            "item": [{
                "name": "Do it",
                "event": [
                    {"listen": "test", "script": {"exec": script}},
                    {"listen": "prerequest", "script": {"exec": text}}
                ],
                "request": {
                    "method": "POST",
                    "description": text,
                    "url": {
                        "raw": "{{baseUrl}}/things/:id",
                        "host": ["{{baseUrl}}"],
                        "path": ["things", ":id"],
                        "query": [{"key": "q", "value": text, "description": text}],
                        "variable": [{"key": "id", "value": text, "description": text}]
                    },
                    "body": {"mode": "formdata", "formdata": [
                        {"key": "field", "value": text, "description": text, "type": "text"}
                    ]}
                },
                "response": [{"name": text, "code": 200, "body": json!({"note": text}).to_string()},
                             {"name": text, "code": 400, "body": text}]
            }]
        }]
    })
    .to_string()
}

/// Tokens with every string literal blanked, doc attributes and trailing commas (layout) removed.
fn shape(code: &str) -> String {
    fn blank(tokens: TokenStream) -> TokenStream {
        let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
        if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            trees.pop();
        }
        trees
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(g.delimiter(), blank(g.stream()));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                TokenTree::Literal(lit) if lit.to_string().starts_with(['"', 'r']) => {
                    TokenTree::Literal(proc_macro2::Literal::string(""))
                }
                other => other,
            })
            .collect()
    }
    let file: TokenStream = code.parse().expect("generated code tokenizes");
    blank(file).to_string().replace("# [doc = \"\"] ", "")
}

#[test]
fn hostile_text_only_changes_literals() {
    let plain = generate(
        &collection_with_text("plain text"),
        "plain.json",
        &Output::Module("m".into()),
    )
    .expect("plain generates");
    let hostile_text = format!(
        "*/ /* \"# r#\"x\"# #[cfg(any())] }} fn evil() {{}} \\ \\\\ \u{7}\u{1b}[31m \r\n line\t2 //! inner {}",
        "long ".repeat(20_000)
    );
    let hostile = generate(
        &collection_with_text(&hostile_text),
        "hostile.json",
        &Output::Module("m".into()),
    )
    .expect("hostile generates");
    syn::parse_file(&hostile.code).expect("hostile output parses");
    assert!(
        shape(&plain.code) == shape(&hostile.code),
        "only literals differ"
    );
    assert!(
        hostile.code.contains("fn evil"),
        "the text is there, as literals"
    );
    assert!(
        !shape(&hostile.code).contains("fn evil"),
        "text never becomes code"
    );
}

fn op_idents(items: serde_json::Value) -> Vec<(String, String)> {
    let source = json!({"info": {"name": "n"}, "item": items}).to_string();
    let mut diags = Diagnostics::new("names.json");
    let collection = parse_collection(&source, &mut diags).expect("parses");
    let api = ir::lower(&collection, "m", &mut diags);
    api.root
        .operations
        .iter()
        .map(|op| (op.item_path.join("/"), op.ident.clone()))
        .collect()
}

fn request(name: &str, method: &str) -> serde_json::Value {
    json!({"name": name, "request": {"method": method, "url": "https://example.com/x"}})
}

#[test]
fn odd_names_give_valid_distinct_identifiers() {
    let names = [
        "",
        "type",
        "self",
        "2fa setup",
        "用户列表",
        "🚀 launch",
        "line\nbreak",
        "Get user",
        "Get user",
        "crate",
        "Self",
    ];
    let items: Vec<_> = names.iter().map(|n| request(n, "GET")).collect();
    let idents = op_idents(json!(items));
    let mut seen = std::collections::BTreeSet::new();
    for (_, ident) in &idents {
        assert!(seen.insert(ident.clone()), "{ident} is unique");
        let token = postman_codegen::naming::ident(ident);
        syn::parse_str::<syn::Ident>(&token.to_string()).expect("valid identifier");
    }
    let source = json!({"info": {"name": "n"}, "item": items}).to_string();
    let generated =
        generate(&source, "names.json", &Output::Module("m".into())).expect("generates");
    syn::parse_file(&generated.code).expect("parses");
    assert_eq!(generated.operations, names.len());
}

#[test]
fn adding_an_unrelated_request_renames_nothing() {
    let before = op_idents(json!([
        request("List", "GET"),
        request("Item", "GET"),
        request("Item", "POST")
    ]));
    let after = op_idents(json!([
        request("Brand new", "GET"),
        request("List", "GET"),
        request("Other", "PUT"),
        request("Item", "GET"),
        request("Item", "POST")
    ]));
    for pair in &before {
        assert!(after.contains(pair), "{pair:?} kept its name in {after:?}");
    }
    assert_eq!(
        before[2].1, "item_post",
        "duplicate names are told apart by method"
    );
}

fn routed(name: &str, method: &str, url: &str) -> serde_json::Value {
    json!({"name": name, "request": {"method": method, "url": url}})
}

#[test]
fn a_sentence_name_is_short_and_stays_when_requests_are_added() {
    let sentence = "Retrieve a list of all short codes in the proxy number pool for the service. \
                    A maximum of 100 records will be returned per page.";
    let route = "https://proxy.twilio.com/v1/Services/:ServiceSid/ShortCodes";
    let before = op_idents(json!([routed(sentence, "GET", route)]));
    assert_eq!(before[0].1, "list_service_short_codes");
    let after = op_idents(json!([
        routed(
            "Retrieve a list of all phone numbers in the proxy number pool for a service",
            "GET",
            "https://proxy.twilio.com/v1/Services/:ServiceSid/PhoneNumbers"
        ),
        routed(
            "Another request about something else entirely",
            "POST",
            route
        ),
        routed(sentence, "GET", route),
    ]));
    assert!(after.contains(&before[0]), "{after:?}");
    for (_, ident) in &after {
        assert!(ident.len() <= 50, "{ident}");
    }
}
