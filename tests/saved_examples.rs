//! Every saved response example of the collections, served back by a real HTTP server, decodes
//! into the operation's typed success value or a documented error variant.

use postman_clients::runtime::Operation as _;
use postman_clients::{zoho_mail, zoom_users};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The saved examples of the request at `item_path` in a collection of `collections/`:
/// (status, content type, body).
fn saved_examples(file: &str, item_path: &[&str]) -> Vec<(u16, String, String)> {
    let path = format!("{}/collections/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("collection readable");
    let mut node: Value = serde_json::from_str(&text).expect("collection is JSON");
    for name in item_path {
        node = node["item"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["name"] == *name))
            .unwrap_or_else(|| panic!("{name} not found in {file}"))
            .clone();
    }
    let examples: Vec<(u16, String, String)> = node["response"]
        .as_array()
        .expect("saved examples")
        .iter()
        .map(|e| {
            let content_type = e["header"]
                .as_array()
                .and_then(|h| h.iter().find(|h| h["key"] == "Content-Type"))
                .and_then(|h| h["value"].as_str())
                .unwrap_or("text/plain")
                .to_owned();
            let code = e["code"].as_u64().expect("code") as u16;
            (
                code,
                content_type,
                e["body"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        examples.iter().any(|(c, _, _)| (200..300).contains(c)),
        "a 2xx example"
    );
    assert!(examples.iter().any(|(c, _, _)| *c >= 400), "a 4xx example");
    examples
}

async fn serve(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", content_type)
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    server
}

/// Serves each saved example of one request to its operation and checks the decoded outcome.
macro_rules! check_examples {
    ($client:ident, $file:expr, [$($name:expr),+], $($op:ident)::+) => {{
        use $client::$($op)::+ as op;
        for (status, content_type, body) in saved_examples($file, &[$($name),+]) {
            let server = serve(status, &content_type, &body).await;
            let client = $client::Client::new().with_base_url(server.uri()).with_bearer_token("t");
            match op::Request::example().send(&client).await {
                Ok(_) => assert!((200..300).contains(&status), "{status} decoded as success"),
                Err($client::runtime::Error::Api(error)) => {
                    assert!(status >= 300, "{status} is a success, got {error:?}");
                    assert!(
                        !matches!(error.error(), op::Error::Undocumented),
                        "{status} is documented, got {error:?}"
                    );
                }
                Err(other) => panic!("{status} example of {:?}: {other:?}", [$($name),+]),
            }
        }
    }};
}

#[tokio::test]
async fn zoom_users_examples_decode() {
    let file = "zoom-users.postman_collection.json";
    check_examples!(zoom_users, file, ["Users", "List users"], users::list_users);
    check_examples!(
        zoom_users,
        file,
        ["Users", "Create users"],
        users::create_users
    );
    check_examples!(zoom_users, file, ["Users", "Get a user"], users::get_a_user);
    check_examples!(
        zoom_users,
        file,
        ["Users", "Update a user"],
        users::update_a_user
    );
    check_examples!(
        zoom_users,
        file,
        ["Users", "Update a user's password"],
        users::update_a_users_password
    );
    check_examples!(
        zoom_users,
        file,
        ["Users", "Update user status"],
        users::update_user_status
    );
    check_examples!(
        zoom_users,
        file,
        ["Users", "Delete a user"],
        users::delete_a_user
    );
}

#[tokio::test]
async fn zoho_mail_examples_decode() {
    check_examples!(
        zoho_mail,
        "zoho-mail.postman_collection.json",
        ["Accounts", "Reset user password"],
        accounts::reset_user_password
    );
}
