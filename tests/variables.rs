//! Postman variables on the wire: `{{name}}` in paths, queries, headers, bodies and auth is
//! resolved from the collection's variables, an environment and values set on the client,
//! in Postman's precedence, nested names included; dynamic values are generated per request;
//! secrets stay out of curl and `Debug`.

use postman_clients::runtime::Operation as _;
use postman_clients::variables::{self, tenants};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

const ENVIRONMENT: &str = r#"{
  "name": "Staging",
  "values": [
    {"key": "tenantId", "value": "from-environment", "enabled": true},
    {"key": "apiVersion", "value": "2025-06", "enabled": true},
    {"key": "which", "value": "nobody", "enabled": false},
    {"key": "accessToken", "value": "env-token-SECRET", "type": "secret", "enabled": true},
    {"key": "session", "value": "sess-SECRET", "type": "secret", "enabled": true}
  ]
}"#;

#[tokio::test]
async fn collection_variables_are_the_defaults_everywhere() {
    let server = server().await;
    let client = variables::Client::new().with_base_url(server.uri());
    tenants::list_items::Request::example()
        .send(&client)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/tenants/acme/items");
    assert_eq!(
        request.url.query(),
        Some("version=2024-01&nested=nested%20value&fixed=plain")
    );
    assert_eq!(header(&request, "x-api-key"), Some("collection-key"));
    // No token anywhere: the `{{accessToken}}` of the collection's bearer auth stays unsent.
    assert_eq!(header(&request, "authorization"), None);
    let trace = header(&request, "x-trace").expect("x-trace");
    let guid = trace.strip_prefix("trace-").expect("prefix kept");
    let groups: Vec<usize> = guid.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{guid}");
    assert_eq!(&guid[14..15], "4", "a version 4 UUID: {guid}");
}

#[tokio::test]
async fn the_environment_wins_over_the_collection_and_the_client_over_both() {
    let server = server().await;
    let client = variables::Client::new()
        .with_base_url(server.uri())
        .with_environment(ENVIRONMENT)
        .expect("an environment")
        .with_variable("apiVersion", "local");
    assert_eq!(
        client.variable("which").as_deref(),
        Some("world"),
        "disabled values are skipped"
    );
    tenants::list_items::Request::example()
        .send(&client)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/tenants/from-environment/items");
    assert_eq!(
        request.url.query(),
        Some("version=local&nested=nested%20value&fixed=plain")
    );
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer env-token-SECRET")
    );
}

#[tokio::test]
async fn values_set_on_the_request_and_credentials_set_on_the_client_win() {
    let server = server().await;
    let client = variables::Client::new()
        .with_base_url(server.uri())
        .with_environment(ENVIRONMENT)
        .expect("an environment")
        .with_bearer_token("client-token");
    let mut request = tenants::list_items::Request::example();
    request.tenant_id = Some("mine".to_owned());
    request.x_api_key = Some("my-key".to_owned());
    request.send(&client).await.expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/tenants/mine/items");
    assert_eq!(header(&request, "x-api-key"), Some("my-key"));
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer client-token")
    );
}

#[tokio::test]
async fn bodies_resolve_their_variables() {
    let server = server().await;
    let client = variables::Client::new().with_base_url(server.uri());
    tenants::create_item::Request::example()
        .send(&client)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/tenants/acme/items");
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(body["name"], "hello world");
    assert_eq!(body["tenant"], "acme");
    let created = body["created"].as_str().expect("a timestamp");
    assert_eq!(created.len(), "2026-12-01T19:37:56.123Z".len(), "{created}");
    assert!(
        created.starts_with("20") && created.ends_with('Z'),
        "{created}"
    );
    assert_eq!(&created[10..11], "T");

    let server = self::server().await;
    let client = variables::Client::new()
        .with_base_url(server.uri())
        .with_variable("greeting", "a&b");
    tenants::invite::Request::example()
        .send(&client)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "team=acme&note=from%20a%26b"
    );
}

#[test]
fn secret_variables_are_redacted_in_curl_and_debug() {
    let client = variables::Client::new()
        .with_environment(ENVIRONMENT)
        .expect("an environment")
        .with_secret_variable("tenantId", "tenant-SECRET");
    let mut request = tenants::list_items::Request::example();
    request.version = Some("{{session}}".to_owned());
    let prepared = request.prepare(&client).expect("prepared");
    let curl = prepared.to_curl();
    let debug = format!("{prepared:?} {client:?}");
    for shown in [&curl, &debug] {
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(!shown.contains("collection-key"), "{shown}");
    }
    assert!(curl.contains("version=<redacted>"), "{curl}");
    assert!(debug.contains("\"apiVersion\": \"2025-06\""), "{debug}");
}

#[test]
fn a_bad_environment_is_a_clear_error() {
    let error = variables::Client::new()
        .with_environment("[1, 2]")
        .expect_err("not an environment");
    assert!(error.to_string().contains("no `values` list"), "{error}");
    let error = variables::Client::new()
        .with_environment_file("/nonexistent/staging.postman_environment.json")
        .expect_err("no such file");
    assert!(
        error
            .to_string()
            .contains("staging.postman_environment.json"),
        "{error}"
    );
}

#[tokio::test]
async fn basic_auth_takes_its_password_from_a_variable() {
    use base64::Engine as _;
    let server = server().await;
    let client = postman_clients::body_modes::Client::new()
        .with_base_url(server.uri())
        .with_variable("adminPassword", "pw-SECRET");
    let request = postman_clients::body_modes::admin::purge_cache::Request::new();
    let curl = request.to_curl(&client).expect("builds");
    assert!(
        !curl.contains("pw-SECRET") && !curl.contains("cHctU0VDUkVU"),
        "{curl}"
    );
    // The server's empty body does not fit the saved example; the request is what counts.
    let _ = client.admin().purge_cache(&request).await;
    let request = only_request(&server).await;
    let expected = base64::engine::general_purpose::STANDARD.encode("admin:pw-SECRET");
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Basic {expected}").as_str())
    );
}

#[tokio::test]
async fn a_nested_variable_names_a_path_segment() {
    let server = server().await;
    let client = variables::Client::new().with_base_url(server.uri());
    let request = tenants::greeting_by_nested_name::Request::example();
    request.send(&client).await.expect("sent");
    assert_eq!(
        only_request(&server).await.url.path(),
        "/greetings/nested%20value"
    );
}

#[test]
fn every_dynamic_variable_the_generator_counts_on_is_produced() {
    use postman_codegen::ir::dynamic::{FIXED_DYNAMIC, GENERATED_DYNAMIC};
    let client = variables::runtime::Client::with_servers("s", &[("s", "http://127.0.0.1:9")]);
    let value = |name: &str| {
        let mut builder =
            variables::runtime::RequestBuilder::new(&client, "GET", "s").expect("a builder");
        builder.query("v", format!("{{{{{name}}}}}"));
        let request = builder
            .finish()
            .expect("builds")
            .into_http()
            .expect("builds");
        let query = request.uri().query().unwrap_or_default().to_owned();
        let value = query.strip_prefix("v=").expect("the pair").to_owned();
        percent_encoding::percent_decode_str(&value)
            .decode_utf8_lossy()
            .into_owned()
    };
    for name in GENERATED_DYNAMIC {
        let first = value(name);
        assert!(
            !first.is_empty() && !first.contains("{{"),
            "{name}: {first}"
        );
    }
    for (name, fixed) in FIXED_DYNAMIC {
        assert_eq!(value(name), *fixed);
    }
    let phone = value("$randomPhoneNumber");
    let groups: Vec<usize> = phone.split('-').map(str::len).collect();
    assert_eq!(groups, [3, 3, 4], "{phone}");
    assert_eq!(value("$notAVariable"), "{{$notAVariable}}");
}
