//! Types several operations share live once in the client's `types` module, named
//! after what they are; the names stay when unrelated requests come and go.

use postman_codegen::collection::parse_collection;
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::ir::{self, Api, ResponseKind, Ty, TypeDef};
use serde_json::{json, Value};

fn request(name: &str, method: &str, path: &str, responses: Value) -> Value {
    json!({
        "name": name,
        "request": {"method": method, "url": format!("https://api.test{path}")},
        "response": responses,
    })
}

fn example(code: u16, body: Value) -> Value {
    json!({"name": format!("{code}"), "code": code, "body": body.to_string(),
           "header": [{"key": "Content-Type", "value": "application/json"}]})
}

fn user() -> Value {
    json!({"id": "u1", "email": "a@b.test", "settings": {"theme": "dark", "beta": false}})
}

fn error() -> Value {
    json!({"code": 1001, "message": "User does not exist"})
}

fn users_requests() -> Vec<Value> {
    vec![
        request(
            "List users",
            "GET",
            "/users",
            json!([example(200, json!({"page": 1, "users": [user()]}))]),
        ),
        request(
            "Get a user",
            "GET",
            "/users/:userId",
            json!([example(200, user()), example(404, error())]),
        ),
        request(
            "Delete a user",
            "DELETE",
            "/users/:userId",
            json!([example(400, error())]),
        ),
    ]
}

fn lower(items: Vec<Value>) -> Api {
    let collection = json!({
        "info": {"name": "Users", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": items,
    });
    let mut diags = Diagnostics::new("users.json");
    let collection = parse_collection(&collection.to_string(), &mut diags).expect("parses");
    ir::lower(&collection, "users", &mut diags)
}

fn shared_names(api: &Api) -> Vec<String> {
    api.types
        .iter()
        .map(|t| match &t.def {
            TypeDef::Struct(def) => def.name.clone(),
            TypeDef::Enum(def) => def.name.clone(),
        })
        .collect()
}

fn response_ty(api: &Api, op: &str, status: u16) -> Ty {
    let op = api
        .root
        .operations
        .iter()
        .find(|o| o.ident == op)
        .expect("the operation");
    let response = op
        .responses
        .iter()
        .find(|r| r.status == status)
        .expect("the status");
    match &response.kind {
        ResponseKind::Json(ty) => ty.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn shared_shapes_are_named_after_what_they_are() {
    let api = lower(users_requests());
    assert_eq!(
        shared_names(&api),
        ["Settings", "User", "ErrorCodeMessage"],
        "the field that holds it, the list's items and the path's resource, the error's fields"
    );
    assert_eq!(
        response_ty(&api, "get_a_user", 200),
        Ty::Shared("User".into())
    );
    assert_eq!(
        response_ty(&api, "get_a_user", 404),
        Ty::Shared("ErrorCodeMessage".into())
    );
    assert_eq!(
        response_ty(&api, "delete_a_user", 400),
        Ty::Shared("ErrorCodeMessage".into())
    );
    let users = &api.types[1].users;
    assert_eq!(users, &["list_users", "get_a_user"]);
}

#[test]
fn a_thing_met_as_an_item_and_from_its_collection_is_named_in_the_singular() {
    let product = || json!({"id": "p1", "name": "Pen", "price": 2});
    let api = lower(vec![
        request(
            "Get a product",
            "GET",
            "/products/:id",
            json!([example(200, product())]),
        ),
        request(
            "Create a product",
            "POST",
            "/products",
            json!([example(201, product())]),
        ),
    ]);
    assert_eq!(shared_names(&api), ["Product"]);
    assert_eq!(
        response_ty(&api, "create_a_product", 201),
        Ty::Shared("Product".into())
    );
}

#[test]
fn unrelated_requests_rename_nothing() {
    let before = shared_names(&lower(users_requests()));
    let unrelated = || {
        request(
            "Get a meeting",
            "GET",
            "/meetings/:id",
            json!([example(
                200,
                json!({"topic": "x", "settings": {"audio": "voip"}})
            )]),
        )
    };
    let mut first = vec![unrelated()];
    first.extend(users_requests());
    let mut last = users_requests();
    last.push(unrelated());
    assert_eq!(shared_names(&lower(first)), before);
    assert_eq!(shared_names(&lower(last)), before);
}

#[test]
fn what_an_operation_sends_stays_its_own() {
    let mut items = users_requests();
    items.push(json!({
        "name": "Update a user",
        "request": {
            "method": "PATCH",
            "url": "https://api.test/users/:userId",
            "body": {"mode": "raw", "raw": user().to_string(),
                     "options": {"raw": {"language": "json"}}},
        },
        "response": [example(200, user())],
    }));
    let api = lower(items);
    let update = api
        .root
        .operations
        .iter()
        .find(|o| o.ident == "update_a_user")
        .expect("the operation");
    let ir::Body::Json { ty, .. } = &update.body else {
        panic!("a JSON body: {:?}", update.body)
    };
    assert!(
        matches!(ty, Ty::Named(_)),
        "the body keeps its setters: {ty:?}"
    );
    assert_eq!(
        response_ty(&api, "update_a_user", 200),
        Ty::Shared("User".into())
    );
    assert_eq!(
        api.types[1].users,
        ["list_users", "get_a_user", "update_a_user"]
    );
}

#[test]
fn generated_operations_refer_to_the_types_module() {
    let collection = json!({
        "info": {"name": "Users", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": users_requests(),
    });
    let generated = postman_codegen::generate(
        &collection.to_string(),
        "users.json",
        &postman_codegen::Output::Module("users".into()),
    )
    .expect("generates");
    let code = generated.code;
    assert_eq!(code.matches("pub struct User {").count(), 1);
    assert!(code.contains("NotFound(types::ErrorCodeMessage)"), "{code}");
    assert!(!code.contains("BadRequestBody"));
}

fn sending(name: &str, method: &str, path: &str, body: Value) -> Value {
    json!({
        "name": name,
        "request": {
            "method": method,
            "url": format!("https://api.test{path}"),
            "body": {"mode": "raw", "raw": body.to_string(),
                     "options": {"raw": {"language": "json"}}},
        },
    })
}

#[test]
fn what_several_operations_send_is_shared_with_its_setters_and_each_body_stays_its_own() {
    let settings = json!({"audio": "voip", "mute": true});
    let items = vec![
        sending(
            "Create a meeting",
            "POST",
            "/meetings",
            json!({"topic": "Standup", "settings": settings}),
        ),
        sending(
            "Update a meeting",
            "PATCH",
            "/meetings/:id",
            json!({"settings": settings}),
        ),
    ];
    let api = lower(items.clone());
    assert_eq!(shared_names(&api), ["Settings"]);
    assert!(api.types[0].sent);
    for op in &api.root.operations {
        let ir::Body::Json { ty, .. } = &op.body else {
            panic!("a JSON body: {:?}", op.body)
        };
        assert_eq!(ty, &Ty::Named("Body".into()), "{}", op.ident);
    }
    let collection = json!({
        "info": {"name": "Meetings", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": items,
    });
    let code = postman_codegen::generate(
        &collection.to_string(),
        "meetings.json",
        &postman_codegen::Output::Module("meetings".into()),
    )
    .expect("generates")
    .code;
    assert_eq!(code.matches("pub struct Settings {").count(), 1);
    let types = &code[code.find("pub mod types {").expect("a types module")..];
    assert!(
        types.contains("impl Settings {") && types.contains("pub fn new("),
        "the shared type keeps its constructor: {types}"
    );
    assert_eq!(
        code.matches("settings: types::Settings {").count(),
        2,
        "each example builds the shared type"
    );
}
