//! What the collection's scripts do, on the wire: a login's test script captures the token the
//! next requests send, a created cart's id goes into the next request's path, pre-request
//! scripts compute values and edit headers, a guard stops a request, and the collection's, a
//! folder's and a request's scripts run in that order.

use postman_clients::runtime::Operation as _;
use postman_clients::scripts::{
    self, create_cart, get_cart, get_device, get_profile, list_orders, log_in, place_order,
    reports, sign, stamp,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A shop that hands out a token and a cart id.
async fn shop() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"token": "t-123"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "c-9"})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> scripts::Client {
    scripts::Client::new().with_base_url(server.uri())
}

async fn last(server: &MockServer) -> Request {
    let received = server.received_requests().await.expect("recording");
    received.last().expect("a request").clone()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_captured_token_and_id_reach_the_next_requests() {
    let server = shop().await;
    let client = client(&server);
    // Before the login, the bearer token resolves to nothing and is not sent.
    client
        .create_cart(&create_cart::Request::example())
        .await
        .expect("creates");
    assert_eq!(header(&last(&server).await, "authorization"), None);

    client
        .log_in(&log_in::Request::example())
        .await
        .expect("logs in");
    assert_eq!(client.variable("access_token").as_deref(), Some("t-123"));
    // A clone shares what scripts wrote, as one environment is shared by a Postman run.
    let clone = client.clone();
    clone
        .create_cart(&create_cart::Request::example())
        .await
        .expect("creates");
    let created = last(&server).await;
    assert_eq!(header(&created, "authorization"), Some("Bearer t-123"));
    // The collection's pre-request script set the variable this header uses.
    assert_eq!(header(&created, "x-client-version"), Some("1.0"));

    client
        .get_cart(&get_cart::Request::example())
        .await
        .expect("gets");
    assert_eq!(last(&server).await.url.path(), "/carts/c-9");
}

#[tokio::test]
async fn scripts_can_be_turned_off() {
    let server = shop().await;
    let client = client(&server).with_scripts(false);
    client
        .log_in(&log_in::Request::example())
        .await
        .expect("logs in");
    assert_eq!(client.variable("access_token"), None);
    client
        .create_cart(&create_cart::Request::example())
        .await
        .expect("creates");
    let created = last(&server).await;
    assert_eq!(header(&created, "authorization"), None);
    // Nothing set the variable: it goes as written, as Postman sends a variable it does not know.
    assert_eq!(
        header(&created, "x-client-version"),
        Some("{{client_version}}")
    );
}

#[tokio::test]
async fn pre_request_scripts_compute_values_and_edit_headers() {
    let server = shop().await;
    let client = client(&server);
    client
        .stamp(&stamp::Request::example())
        .await
        .expect("sends");
    let sent = last(&server).await;
    let at = header(&sent, "x-requested-at").expect("the upserted header");
    assert_eq!(
        sent.headers.get_all("x-requested-at").iter().count(),
        1,
        "replaced"
    );
    assert!(
        at.len() == 24 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "an ISO timestamp: {at}"
    );
    assert_eq!(client.variable("requested_at").as_deref(), Some(at));
    let id = header(&sent, "x-request-id").expect("the added header");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(header(&sent, "x-legacy"), None, "removed");
    // Query edits: `v` replaced, `trace` added, `debug` removed.
    assert_eq!(sent.url.query(), Some("v=3&trace=on"));
}

#[tokio::test]
async fn a_guard_stops_the_request_with_the_scripts_message() {
    let server = shop().await;
    let client = client(&server);
    let error = client
        .get_device(&get_device::Request::example())
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("'device_id' must be set in the environment"),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
    let client = client.with_variable("device_id", "d-7");
    client
        .get_device(&get_device::Request::example())
        .await
        .expect("sends");
    assert_eq!(last(&server).await.url.path(), "/devices/d-7");
}

#[tokio::test]
async fn collection_folder_and_request_scripts_run_in_that_order() {
    let server = shop().await;
    let client = client(&server);
    client
        .reports()
        .export(&reports::export::Request::example())
        .await
        .expect("sends");
    assert_eq!(last(&server).await.url.query(), Some("format=csv-gz"));
}

#[tokio::test]
async fn a_literal_credential_is_the_callers_and_debug_hides_it() {
    use postman_clients::scripts::check_stock;
    let server = shop().await;
    let client = client(&server);
    let request = check_stock::Request::new("k-live-1").sku(42);
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("k-live-1") && shown.contains("x_api_key: <redacted>"),
        "{shown}"
    );
    assert!(shown.contains("sku: Some(42)"), "{shown}");
    client.check_stock(&request).await.expect("sends");
    assert_eq!(header(&last(&server).await, "x-api-key"), Some("k-live-1"));
    // The collection's literal is only the example.
    client
        .check_stock(&check_stock::Request::example())
        .await
        .expect("sends");
    assert_eq!(header(&last(&server).await, "x-api-key"), Some("abc123"));
}

#[tokio::test]
async fn a_captured_id_in_a_path_is_the_callers_to_give() {
    let server = shop().await;
    let client = client(&server);
    let created = client
        .create_cart(&create_cart::Request::example())
        .await
        .expect("creates");
    let (_, id) = &created.captured()[0];
    client
        .get_cart(&get_cart::Request::new(id.clone()))
        .await
        .expect("gets");
    assert_eq!(last(&server).await.url.path(), "/carts/c-9");
}

/// Scripts the generator could not translate in full (a loop, a callback, a regular
/// expression, a helper function, `btoa`) run as written in the runtime's JavaScript engine:
/// the tests build the clients with the `js` feature.
#[tokio::test]
async fn scripts_not_translated_in_full_run_in_the_javascript_engine() {
    let server = MockServer::start().await;
    let orders = serde_json::json!({
        "orders": [{"id": "a", "amount": 1.25}, {"id": "b", "amount": 2}, {"id": "c", "amount": 3}],
        "links": {"next": "http://localhost/orders?page=3"}
    });
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(orders))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server);

    let response = client
        .list_orders(&list_orders::Request::example())
        .await
        .expect("lists");
    assert_eq!(client.variable("orders_total").as_deref(), Some("6.25"));
    assert_eq!(
        client.variable("orders_next").as_deref(),
        Some("http://shop.test/orders?page=3")
    );
    let captured: Vec<&str> = response
        .captured()
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(captured, ["orders_total", "orders_next"]);

    for count in ["1", "2"] {
        client.sign(&sign::Request::example()).await.expect("signs");
        let sent = last(&server).await;
        let expected = base64_of(&format!("POST:{count}"));
        assert_eq!(header(&sent, "x-signature"), Some(expected.as_str()));
    }
    assert_eq!(client.variable("sign_count").as_deref(), Some("2"));
}

/// A script run as written draws its random numbers from the client's seed (the same nonce
/// for the same seed, every time), and reads the request as built before it ran: its URL with
/// the query, and the auth it declares itself.
#[tokio::test]
async fn scripts_draw_from_the_client_s_seed_and_read_the_built_request() {
    let server = shop().await;
    let nonce = |seed: Option<u32>| {
        let server = &server;
        async move {
            let client = client(server).with_bearer_token("tok");
            let client = match seed {
                Some(seed) => client.with_script_seed(seed),
                None => client,
            };
            let request = place_order::Request::example();
            client.place_order(&request).await.expect("places");
            let sent = last(server).await;
            let url = format!("{}/orders?source=web", server.uri());
            assert_eq!(header(&sent, "x-url"), Some(url.as_str()));
            assert_eq!(header(&sent, "x-auth"), Some("bearer"));
            header(&sent, "x-nonce").expect("a nonce").to_owned()
        }
    };
    let first = nonce(Some(7)).await;
    assert!(
        first.len() == 8 && first.bytes().all(|b| b.is_ascii_uppercase()),
        "{first}"
    );
    assert_eq!(nonce(Some(7)).await, first, "the same seed, the same nonce");
    let others = [nonce(Some(8)).await, nonce(None).await, nonce(None).await];
    assert!(
        others.iter().any(|other| *other != first),
        "other seeds draw other nonces: {others:?}"
    );
}

/// Requests a script sends (`pm.sendRequest`) go out through the client, to the base URL the
/// client was given, and their callbacks run with the answers: a pre-request script fetches a
/// token that the request then sends, and a test script looks up a value of the response.
#[tokio::test]
async fn requests_scripts_send_go_out_and_their_callbacks_run() {
    let server = MockServer::start().await;
    let json = |value: serde_json::Value| ResponseTemplate::new(200).set_body_json(value);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(json(serde_json::json!({"access_token": "fetched-1"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/profile"))
        .respond_with(json(serde_json::json!({"owner": "u-1", "plan": "gold"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/u-1"))
        .respond_with(json(serde_json::json!({"name": "Ada"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let paths = |received: &[Request]| -> Vec<String> {
        received.iter().map(|r| r.url.path().to_owned()).collect()
    };

    // Building the request sends nothing: the callback waits for a request that never goes.
    get_profile::Request::new()
        .prepare(&client)
        .expect("builds");
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());

    let response = client
        .get_profile(&get_profile::Request::new())
        .await
        .expect("the profile");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(paths(&received), ["/oauth/token", "/profile", "/users/u-1"]);
    let token = &received[0];
    assert_eq!(token.method.as_str(), "POST");
    assert_eq!(token.body, b"grant_type=client_credentials");
    let basic = format!("Basic {}", base64_of("shop:secret"));
    assert_eq!(header(token, "authorization"), Some(basic.as_str()));
    assert_eq!(
        header(token, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&received[1], "authorization"),
        Some("Bearer fetched-1")
    );
    assert_eq!(
        header(&received[2], "authorization"),
        None,
        "sent as written"
    );
    assert_eq!(
        client.variable("access_token").as_deref(),
        Some("fetched-1")
    );
    assert_eq!(client.variable("owner_name").as_deref(), Some("Ada"));
    assert_eq!(
        response.captured(),
        [("owner_name".to_owned(), "Ada".to_owned())]
    );

    // The token is kept: the next call fetches none.
    client
        .get_profile(&get_profile::Request::new())
        .await
        .expect("the profile again");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(paths(&received[3..]), ["/profile", "/users/u-1"]);

    // With scripts off, nothing but the request goes out.
    let off = scripts::Client::new()
        .with_base_url(server.uri())
        .with_scripts(false)
        .with_variable("access_token", "given");
    off.get_profile(&get_profile::Request::new())
        .await
        .expect("the profile without scripts");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(paths(&received[5..]), ["/profile"]);
    assert_eq!(header(&received[5], "authorization"), Some("Bearer given"));
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}
