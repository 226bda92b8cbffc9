//! Requests go out as Postman sends them: bodies of GET, HEAD, ... are pruned unless the item,
//! a folder or the collection sets `protocolProfileBehavior.disableBodyPruning`, and a body
//! marked `disabled` is not sent, GraphQL bodies without variables leave the key out, and a
//! declared `Content-Type` goes out without a body too; a query key without a value is sent
//! alone and a value written percent-encoded is not encoded twice; unquoted variables of a raw
//! JSON body go as their text, keys in the order written; an empty bearer token sends nothing;
//! a file field left empty is a part without a content type.

use postman_clients::postman_behaviour::{self, bodies_kept};
use postman_clients::runtime::Operation as _;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The body of the only request `server` received.
async fn received_body(server: &MockServer) -> Vec<u8> {
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    requests[0].body.clone()
}

fn client(server: &MockServer) -> postman_behaviour::Client {
    postman_behaviour::Client::new().with_base_url(server.uri())
}

#[tokio::test]
async fn a_get_body_is_pruned() {
    let server = server().await;
    let request = postman_behaviour::search_with_a_body::Request::example();
    assert!(request
        .build(&client(&server))
        .expect("builds")
        .body()
        .is_empty());
    client(&server)
        .search_with_a_body(&request)
        .await
        .expect("200");
    assert!(received_body(&server).await.is_empty());
}

#[tokio::test]
async fn disable_body_pruning_keeps_it_on_the_item_and_from_a_folder() {
    let server = server().await;
    client(&server)
        .search_keeping_its_body(&postman_behaviour::search_keeping_its_body::Request::example())
        .await
        .expect("200");
    let body: Value = serde_json::from_slice(&received_body(&server).await).expect("JSON");
    assert_eq!(body, json!({"q": "ada"}));

    let request = bodies_kept::head_with_a_body::Request::example();
    let built = request.build(&client(&server)).expect("builds");
    assert_eq!(built.method(), "HEAD");
    let body: Value = serde_json::from_slice(built.body()).expect("JSON");
    assert_eq!(body, json!({"deep": true}), "inherited from the folder");

    let request = bodies_kept::get_pruned_again::Request::example();
    let built = request.build(&client(&server)).expect("builds");
    assert!(built.body().is_empty(), "the item's own `false` wins");
}

#[tokio::test]
async fn graphql_without_variables_leaves_the_key_out() {
    let server = server().await;
    let request = postman_behaviour::graph_ql_without_variables::Request::example();
    client(&server)
        .graph_ql_without_variables(&request)
        .await
        .expect("200");
    let body: Value = serde_json::from_slice(&received_body(&server).await).expect("JSON");
    assert_eq!(body, json!({"query": "{ viewer { login } }"}));
}

#[tokio::test]
async fn a_disabled_body_is_not_sent() {
    let server = server().await;
    let request = postman_behaviour::post_with_a_disabled_body::Request::example();
    client(&server)
        .post_with_a_disabled_body(&request)
        .await
        .expect("200");
    assert!(received_body(&server).await.is_empty());
}

#[tokio::test]
async fn a_declared_content_type_is_sent_without_a_body() {
    let server = server().await;
    let request = postman_behaviour::delete_with_a_declared_content_type::Request::example();
    client(&server)
        .delete_with_a_declared_content_type(&request)
        .await
        .expect("200");
    let requests = server.received_requests().await.expect("recorded");
    let content_type = requests[0].headers.get("content-type");
    assert_eq!(
        content_type.and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn query_keys_alone_and_encoded_values_go_as_written() {
    let server = server().await;
    let request = postman_behaviour::search_with_flags::Request::example();
    assert!(request.human);
    assert_eq!(request.filter.as_deref(), Some("urn:li:person"));
    client(&server)
        .search_with_flags(&request)
        .await
        .expect("200");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(
        requests[0].url.query(),
        Some("human&v=&filter=urn:li:person")
    );
    let mut request = request;
    request.human = false;
    let built = request.build(&client(&server)).expect("builds");
    assert_eq!(built.uri().query(), Some("v=&filter=urn:li:person"));
}

#[test]
fn a_form_with_no_field_set_has_no_body_and_no_content_type() {
    use postman_behaviour::runtime;
    let client = runtime::Client::with_servers("s", &[("s", "http://127.0.0.1:9")]);
    for start in [
        runtime::RequestBuilder::form,
        runtime::RequestBuilder::multipart,
    ] {
        let mut builder = runtime::RequestBuilder::new(&client, "PUT", "s").expect("a builder");
        start(&mut builder);
        builder.field_opt("unset", None::<&str>);
        let request = builder
            .finish()
            .expect("builds")
            .into_http()
            .expect("builds");
        assert!(request.headers().get("content-type").is_none());
        assert!(request.body().is_empty());
    }
}

#[tokio::test]
async fn unquoted_variables_are_sent_as_their_text_and_keys_in_written_order() {
    let server = server().await;
    let request = postman_behaviour::pay_with_unquoted_variables::Request::example();
    client(&server)
        .pay_with_unquoted_variables(&request)
        .await
        .expect("200");
    assert_eq!(
        String::from_utf8(received_body(&server).await).expect("text"),
        r#"{"zeta":[{"amount":12.50,"note":null},{"amount":3,"note":"tip"}],"currency":"EUR","alpha":"\"EUR\""}"#,
        "a quoted `{{{{currency}}}}` is a string holding the variable's text"
    );

    // A value set by the caller wins over the variable; an unknown variable stays `null`.
    let mut request = request;
    request.body.currency = json!("USD");
    let client = client(&server).with_variable("amount", "{\"cents\": 1250}");
    let built = request.build(&client).expect("builds");
    assert_eq!(
        std::str::from_utf8(built.body()).expect("text"),
        r#"{"zeta":[{"amount":{"cents": 1250},"note":null},{"amount":3,"note":"tip"}],"currency":"USD","alpha":"\"EUR\""}"#
    );
    let unknown = postman_behaviour::runtime::Client::with_servers("s", &[("s", "http://x.test")]);
    let mut builder =
        postman_behaviour::runtime::RequestBuilder::new(&unknown, "POST", "s").expect("builds");
    builder.json_template(&json!({"a": null}), "application/json", &[("/a", "nobody")]);
    let built = builder
        .finish()
        .expect("builds")
        .into_http()
        .expect("builds");
    assert_eq!(built.body(), br#"{"a":null}"#);
}

#[tokio::test]
async fn a_bearer_token_that_resolves_to_nothing_sends_no_authorization() {
    let server = server().await;
    let request = postman_behaviour::bearer_with_an_empty_token::Request::example();
    let built = request.build(&client(&server)).expect("builds");
    assert!(built.headers().get("authorization").is_none());
    let client = client(&server).with_variable("sessionToken", "s3cret");
    client
        .bearer_with_an_empty_token(&request)
        .await
        .expect("200");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].headers["authorization"], "Bearer s3cret");

    // A header written by hand goes as written, empty token or not.
    use postman_behaviour::runtime;
    let client = runtime::Client::with_servers("s", &[("s", "http://127.0.0.1:9")])
        .with_collection_variables(&[("token", "")]);
    let mut builder = runtime::RequestBuilder::new(&client, "GET", "s").expect("a builder");
    let written = runtime::AuthScheme::Token {
        header: "Authorization",
        prefix: "Bearer ",
        credential: Some("{{token}}"),
        written: true,
    };
    builder.auth(&client, written).expect("applies");
    let request = builder
        .finish()
        .expect("builds")
        .into_http()
        .expect("builds");
    assert_eq!(request.headers()["authorization"], "Bearer ");
}

#[tokio::test]
async fn a_file_field_left_empty_is_a_part_without_a_content_type() {
    let server = server().await;
    let mut request = postman_behaviour::upload_with_an_empty_file_field::Request::example();
    let body = request
        .build(&client(&server))
        .expect("builds")
        .body()
        .clone();
    let text = String::from_utf8(body).expect("text");
    let boundary = text.lines().next().expect("a first line");
    assert_eq!(
        text,
        format!(
            "{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n\
             {boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nempty\r\n{boundary}--\r\n"
        )
    );
    request.body.file = postman_behaviour::runtime::FilePart::new("a.txt", "hi");
    client(&server)
        .upload_with_an_empty_file_field(&request)
        .await
        .expect("200");
    let sent = String::from_utf8(received_body(&server).await).expect("text");
    assert!(sent.contains(
        "name=\"file\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhi\r\n"
    ));
}

#[test]
fn a_query_key_goes_where_its_first_enabled_entry_is() {
    let client = postman_behaviour::Client::new();
    let request = postman_behaviour::search_with_a_disabled_alternative_first::Request::example();
    let built = request.build(&client).expect("builds");
    assert_eq!(built.uri().query(), Some("q=rust&key=k1"));
}

#[test]
fn the_first_thing_that_goes_wrong_while_building_fails_the_request() {
    use postman_behaviour::runtime;
    let client = runtime::Client::with_servers("s", &[("s", "http://127.0.0.1:9")]);
    let mut builder = runtime::RequestBuilder::new(&client, "POST", "s").expect("a builder");
    builder.header("x-note", "line\nbreak");
    builder.header("bad name", "v");
    builder.query("kept", "going");
    let error = builder.finish().expect_err("an invalid header value");
    assert!(
        error
            .to_string()
            .contains("invalid value for header `x-note`"),
        "{error}"
    );

    let mut builder = runtime::RequestBuilder::new(&client, "POST", "s").expect("a builder");
    builder.field("orphan", 1);
    let error = builder.finish().expect_err("a field needs a form");
    assert!(error.to_string().contains("field `orphan`"), "{error}");

    let mut builder = runtime::RequestBuilder::new(&client, "POST", "s").expect("a builder");
    builder.form();
    builder.field("a", 1);
    builder.field_opt("b", None::<i64>);
    builder.field_opt("c", Some(true));
    builder.field_json("d", &serde_json::json!({"x": [1]}));
    let request = builder
        .finish()
        .expect("builds")
        .into_http()
        .expect("builds");
    assert_eq!(
        std::str::from_utf8(request.body()).expect("text"),
        "a=1&c=true&d=%7B%22x%22%3A%5B1%5D%7D"
    );
}

#[tokio::test]
async fn a_request_to_the_servers_root_sends_the_base_url_alone() {
    let server = server().await;
    let request = postman_behaviour::ping_the_root::Request::new();
    client(&server).ping_the_root(&request).await.expect("200");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(requests[0].url.path(), "/");
    assert_eq!(requests[0].url.query(), None);
    assert!(requests[0].body.is_empty());
}
