//! Proof that `diff` classifies right, in the manner of cargo-semver-checks: for each class of
//! change, code written against the old collection's client is compiled against the new one's,
//! and it must fail to compile exactly when `diff` reports a change that breaks compilation.

use std::path::{Path, PathBuf};
use std::process::Command;

use postman_codegen::{compare, generate, Output};
use serde_json::{json, Value};

/// A collection of `items`; `{"baseUrl": .., "item": [..]}` gives its base URL too.
fn collection(items: Value) -> String {
    let (base_url, items) = match items {
        Value::Object(mut with) => (with["baseUrl"].take(), with["item"].take()),
        items => (json!("https://api.test"), items),
    };
    json!({
        "info": {"name": "Users", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "baseUrl", "value": base_url}],
        "item": items,
    })
    .to_string()
}

fn get_user(method: &str, name: &str, query: Value, body: Value) -> Value {
    json!({
        "name": name,
        "request": {"method": method, "url": {
            "raw": "{{baseUrl}}/users/:userId",
            "host": ["{{baseUrl}}"], "path": ["users", ":userId"],
            "query": query,
        }},
        "response": [{"name": "OK", "code": 200, "body": body.to_string(),
                      "header": [{"key": "Content-Type", "value": "application/json"}]}],
    })
}

fn page() -> Value {
    json!({"key": "page", "value": "1"})
}

fn order(values: &str) -> Value {
    json!({"key": "order", "value": "asc",
           "description": format!("Sort order. (This can only be one of {values})")})
}

fn user() -> Value {
    json!({"id": "u1", "email": "a@b.test"})
}

fn update_user(fields: Value) -> Value {
    json!({
        "name": "Update a user",
        "request": {"method": "PATCH", "url": "{{baseUrl}}/users/:userId",
                    "body": {"mode": "urlencoded", "urlencoded": fields}},
    })
}

fn create_user(body: Value) -> Value {
    json!({
        "name": "Create a user",
        "request": {"method": "POST", "url": "{{baseUrl}}/users",
                    "body": {"mode": "raw", "raw": body.to_string(),
                             "options": {"raw": {"language": "json"}}}},
    })
}

fn first_name() -> Value {
    json!({"key": "first_name", "value": "Ada"})
}

/// The old collection, with `get` in place of its first request.
fn base_with(get: Value) -> Value {
    json!([
        get,
        update_user(json!([first_name()])),
        create_user(json!({"email": "a@b.test"})),
    ])
}

fn base() -> Value {
    base_with(get_user(
        "GET",
        "Get a user",
        json!([page(), order("asc,desc")]),
        user(),
    ))
}

/// Old items, new items, and code written against the old client.
struct Case {
    name: &'static str,
    new: Value,
    code: &'static str,
    breaking: bool,
}

const USE_REQUEST: &str = r#"
    let request = get_a_user::Request::new("u1").page(2).order(get_a_user::Order::Asc);
    let _ = request;
"#;

const BUILD_BODIES: &str = r#"
    let update = update_a_user::Request::new("u1").body_map(|b| b.first_name("Ada"));
    let create = create_a_user::Request::new(create_a_user::Body::new("a@b.test"));
    let _ = (update, create);
"#;

const READ_BODY: &str = r#"
    fn email(success: get_a_user::Success) -> Option<String> {
        match success {
            get_a_user::Success::Ok(body) => body.email,
            _ => None,
        }
    }
    fn undocumented(error: &get_a_user::Error) -> bool {
        matches!(error, get_a_user::Error::Undocumented)
    }
    fn ascending(order: get_a_user::Order) -> bool {
        match order {
            get_a_user::Order::Asc => true,
            _ => false,
        }
    }
    let _ = (email, undocumented, ascending);
"#;

fn cases() -> Vec<Case> {
    let with =
        |name: &str, query: Value, body: Value| base_with(get_user("GET", name, query, body));
    let replace = |index: usize, item: Value| {
        let mut items = base();
        items[index] = item;
        items
    };
    let list_users = |query: Value| {
        json!({"name": "List users", "request": {"method": "GET", "url": {
            "raw": "{{baseUrl}}/users", "host": ["{{baseUrl}}"], "path": ["users"], "query": query,
        }}})
    };
    let mut added_request = base();
    added_request
        .as_array_mut()
        .expect("items")
        .push(list_users(json!([])));
    let mut shared_enum = base();
    shared_enum
        .as_array_mut()
        .expect("items")
        .push(list_users(json!([order("asc,desc")])));
    let mut new_server = base();
    new_server[2]["request"]["url"] = json!("https://other.test/users");
    let mut new_auth = base();
    new_auth[1]["request"]["auth"] =
        json!({"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]});
    let mut error_status = base();
    error_status[0]["response"]
        .as_array_mut()
        .expect("responses")
        .push(
            json!({"name": "Not found", "code": 404, "body": "{\"code\": 1001}",
                     "header": [{"key": "Content-Type", "value": "application/json"}]}),
        );
    let mut multipart = base();
    multipart[1]["request"]["body"] = json!({"mode": "formdata", "formdata": [first_name()]});
    let mut no_success = base();
    no_success[0]["response"] = json!([]);
    vec![
        Case {
            name: "optional parameter added",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc"), {"key": "fields", "value": "email"}]),
                user(),
            ),
            code: USE_REQUEST,
            breaking: false,
        },
        Case {
            name: "required parameter added",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc"),
                {"key": "fields", "value": "email", "description": "(Required) Fields."}]),
                user(),
            ),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "parameter retyped",
            new: with(
                "Get a user",
                json!([{"key": "page", "value": "first"}, order("asc,desc")]),
                user(),
            ),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "parameter removed",
            new: with("Get a user", json!([order("asc,desc")]), user()),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "enum value added",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc,random")]),
                user(),
            ),
            code: READ_BODY,
            breaking: false,
        },
        Case {
            name: "enum value removed",
            new: with("Get a user", json!([page(), order("desc,random")]), user()),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "enum value sent differently (compiles, sends differently)",
            new: with("Get a user", json!([page(), order("ASC,desc")]), user()),
            code: READ_BODY,
            breaking: true,
        },
        Case {
            name: "enum moved to the shared types",
            new: shared_enum,
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "response field added",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc")]),
                json!({"id": "u1", "email": "a@b.test", "name": "Ada"}),
            ),
            code: READ_BODY,
            breaking: false,
        },
        Case {
            name: "response field retyped",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc")]),
                json!({"id": "u1", "email": 7}),
            ),
            code: READ_BODY,
            breaking: true,
        },
        Case {
            name: "success status removed",
            new: no_success,
            code: READ_BODY,
            breaking: true,
        },
        Case {
            name: "success body retyped",
            new: with(
                "Get a user",
                json!([page(), order("asc,desc")]),
                json!([user()]),
            ),
            code: READ_BODY,
            breaking: true,
        },
        Case {
            name: "optional form field added",
            new: replace(
                1,
                update_user(json!([first_name(), {"key": "last_name", "value": "L"}])),
            ),
            code: BUILD_BODIES,
            breaking: false,
        },
        Case {
            name: "required form field added",
            new: replace(
                1,
                update_user(json!([first_name(),
                {"key": "last_name", "value": "L", "description": "(Required) Last name."}])),
            ),
            code: BUILD_BODIES,
            breaking: true,
        },
        Case {
            name: "form field removed",
            new: replace(1, update_user(json!([{"key": "last_name", "value": "L"}]))),
            code: BUILD_BODIES,
            breaking: true,
        },
        Case {
            name: "JSON body field added",
            new: replace(2, create_user(json!({"email": "a@b.test", "name": "Ada"}))),
            code: BUILD_BODIES,
            breaking: true,
        },
        Case {
            name: "request renamed",
            new: with("Fetch a user", json!([page(), order("asc,desc")]), user()),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "request removed",
            new: replace(0, list_users(json!([]))),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "request added",
            new: added_request,
            code: USE_REQUEST,
            breaking: false,
        },
        Case {
            name: "method changed (compiles, sends differently)",
            new: base_with(get_user(
                "POST",
                "Get a user",
                json!([page(), order("asc,desc")]),
                user(),
            )),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "error status added",
            new: error_status,
            code: READ_BODY,
            breaking: false,
        },
        Case {
            name: "parameter sent under another key (compiles, sends differently)",
            new: with(
                "Get a user",
                json!([{"key": "Page", "value": "1"}, order("asc,desc")]),
                user(),
            ),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "default base URL changed (compiles, sends elsewhere)",
            new: json!({"baseUrl": "https://v2.api.test", "item": base()}),
            code: USE_REQUEST,
            breaking: true,
        },
        Case {
            name: "body mode changed (compiles, sends differently)",
            new: multipart,
            code: BUILD_BODIES,
            breaking: true,
        },
        Case {
            name: "server changed (compiles, sends elsewhere)",
            new: new_server,
            code: BUILD_BODIES,
            breaking: true,
        },
        Case {
            name: "auth changed (compiles, sends other credentials)",
            new: new_auth,
            code: BUILD_BODIES,
            breaking: true,
        },
    ]
}

/// A scratch crate holding a client and code that uses it.
struct Scratch {
    dir: PathBuf,
    target: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-proof");
        let dir = root.join("crate");
        std::fs::create_dir_all(dir.join("src")).expect("scratch directory");
        Self {
            dir,
            target: root.join("target"),
        }
    }

    /// Whether `code` compiles against the client of `items`.
    fn compiles(&self, items: &Value, code: &str) -> Result<(), String> {
        let generated = generate(
            &collection(items.clone()),
            "case.json",
            &Output::Module("client".into()),
        )
        .expect("generates");
        let manifest = format!(
            "[package]\nname = \"diff-proof\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n[workspace]\n",
            generated.dependencies
        );
        std::fs::write(self.dir.join("Cargo.toml"), manifest).expect("manifest");
        let lib = format!(
            "{}\n#[allow(dead_code, unused_imports, unused_variables)]\nfn user_code() {{\n    use client::*;\n    use client::runtime::Operation as _;\n{code}}}\n",
            generated.code
        );
        std::fs::write(self.dir.join("src/lib.rs"), lib).expect("lib.rs");
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["check", "--quiet", "--message-format=short"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .output()
            .expect("cargo runs");
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

#[test]
fn code_for_the_old_client_fails_to_compile_exactly_when_diff_says_it_breaks() {
    let scratch = Scratch::new();
    for code in [USE_REQUEST, READ_BODY, BUILD_BODIES] {
        if let Err(errors) = scratch.compiles(&base(), code) {
            panic!("the code compiles against the old client:\n{errors}");
        }
    }
    for case in cases() {
        let report = compare(
            &collection(base()),
            "old.json",
            &collection(case.new.clone()),
            "new.json",
        )
        .expect("both read");
        assert_eq!(
            report.is_breaking(),
            case.breaking,
            "{}: {report:#?}",
            case.name
        );
        let stops_compiling = report.changes.iter().any(|c| c.breaking && !c.silent);
        let compiled = scratch.compiles(&case.new, case.code);
        assert_eq!(
            compiled.is_err(),
            stops_compiling,
            "{}: diff says {}, the compiler says {compiled:?}\n{report:#?}",
            case.name,
            if stops_compiling {
                "it stops compiling"
            } else {
                "it compiles"
            },
        );
    }
}
