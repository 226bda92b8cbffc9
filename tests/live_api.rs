//! The client against responses its collection did not save: bodies that differ from the
//! examples still decode, errors keep what came back, credentials in the query string stay
//! out of every rendering, and transient failures are retried when asked.

use std::error::Error as _;
use std::time::{Duration, Instant};

use postman_clients::live_api::{
    self, archive_page, create_page, list_pages, list_tags, odd_keys, runtime,
};
use postman_clients::runtime::Operation as _;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "key-SECRET-123";
const TOKEN: &str = "tok-SECRET-456";

fn response(status: u16, body: &Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string().into_bytes())
        .expect("a response")
}

fn page_of(result: runtime::Response<list_pages::Success>) -> list_pages::OkBody {
    match result.into_inner() {
        list_pages::Success::Ok(body) => body,
        other => panic!("expected the documented 200, got {other:?}"),
    }
}

async fn server(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> live_api::Client {
    live_api::Client::new()
        .with_base_url(server.uri())
        .with_api_key(API_KEY)
}

#[test]
fn a_page_without_items_decodes() {
    let page = page_of(
        list_pages::Request::parse_response(response(200, &json!({"total": 0})))
            .expect("an empty page decodes"),
    );
    assert_eq!(page.items, None);
    assert_eq!(page.total, Some(0));
}

#[test]
fn null_fractions_and_unknown_fields_decode() {
    let body = json!({"items": [{
        "id": 3, "name": null, "width": 99.5, "price": 2, "email": null, "extra": true,
        "_links": {"self": {"href": "/pages/3"}}
    }]});
    let page = page_of(list_pages::Request::parse_response(response(200, &body)).expect("decodes"));
    let item = &page.items.expect("items")[0];
    assert_eq!(item.name, None, "null where a string was seen");
    assert_eq!(item.email, None);
    assert_eq!(
        item.width,
        Some(99.5),
        "a measure seen as 100 may be a fraction"
    );
    assert_eq!(item.price, Some(2.0), "an integer where a float was seen");
    let href = item.links.as_ref().and_then(|l| l.self_.as_ref());
    assert_eq!(
        href.and_then(|s| s.href.as_deref()),
        Some("/pages/3"),
        "the JSON key `self` decodes"
    );
}

#[test]
fn another_error_format_decodes_and_the_body_is_kept() {
    let body = json!({"code": 124, "message": "Access token is expired."});
    let error =
        list_pages::Request::parse_response(response(401, &body)).expect_err("401 is an error");
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    let runtime::Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert!(matches!(api.error(), list_pages::Error::Unauthorized(_)));
    let kept: Value = api.response().json_value().expect("JSON");
    assert_eq!(kept, body);
    assert_eq!(
        error.to_string(),
        "list_pages (GET /pages): 401 Unauthorized: \
         {\"code\":124,\"message\":\"Access token is expired.\"}"
    );
}

#[test]
fn a_body_that_does_not_fit_names_the_path_and_keeps_the_response() {
    let body = json!({"items": [{"id": 1}, {"id": "p-2"}]});
    let error = list_pages::Request::parse_response(response(200, &body))
        .expect_err("a string id does not fit");
    let runtime::Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.json_error().path, "$.items[1].id");
    assert_eq!(decode.status(), http::StatusCode::OK);
    assert_eq!(decode.response().json_value().expect("JSON"), body);
    let shown = error.to_string();
    assert!(
        shown.starts_with("list_pages (GET /pages): the 200 OK response does not decode at $.items[1].id: invalid type: string \"p-2\""),
        "{shown}"
    );
}

#[test]
fn every_json_key_round_trips() {
    let body = json!({
        "self": "s", "Self": "S", "crate": "c", "super": "p", "type": "t",
        "a-b": 1, "a_b": 2, "A_B": 3, "": "empty", "_links": {"self": {"href": "/keys"}}
    });
    let decoded = match odd_keys::Request::parse_response(response(200, &body))
        .expect("decodes")
        .into_inner()
    {
        odd_keys::Success::Ok(body) => body,
        other => panic!("{other:?}"),
    };
    assert_eq!(decoded.self_.as_deref(), Some("s"));
    assert_eq!(decoded.r#type.as_deref(), Some("t"));
    assert_eq!(serde_json::to_value(&decoded).expect("serializes"), body);
}

#[tokio::test]
async fn a_404_the_collection_saved_without_body_keeps_the_body_sent() {
    let body = json!({"code": 1001, "message": "Space does not exist"});
    let server = server(ResponseTemplate::new(404).set_body_json(&body)).await;
    let error = client(&server)
        .list_pages(&list_pages::Request::example())
        .await
        .expect_err("404");
    let runtime::Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.error(), &list_pages::Error::NotFound);
    assert_eq!(api.response().json_value().expect("JSON"), body);
    assert_eq!(
        error.to_string(),
        "list_pages (GET /pages): 404 Not Found: {\"code\":1001,\"message\":\"Space does not exist\"}"
    );
}

#[tokio::test]
async fn an_undocumented_2xx_is_a_success_and_headers_are_readable() {
    let server = server(
        ResponseTemplate::new(200)
            .insert_header("etag", "\"v7\"")
            .insert_header("link", "</pages?page=2>; rel=\"next\"")
            .set_body_json(json!({"id": 5})),
    )
    .await;
    let response = client(&server)
        .create_page(&create_page::Request::example())
        .await
        .expect("a 200 where 201 is documented is a success");
    assert_eq!(response.status(), http::StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"v7\"");
    assert_eq!(response.headers()["link"], "</pages?page=2>; rel=\"next\"");
    match response.into_inner() {
        create_page::Success::Undocumented(raw) => assert_eq!(raw.text(), "{\"id\":5}"),
        other => panic!("expected Undocumented, got {other:?}"),
    }
}

#[test]
fn elements_that_are_strings_in_one_example_and_objects_in_another_decode() {
    let body = json!({"tags": ["c", {"name": "d"}, 7]});
    let response = list_tags::Request::parse_response(response(200, &body)).expect("decodes");
    let list_tags::Success::Ok(tags) = response.into_inner() else {
        panic!("200 is documented")
    };
    assert_eq!(
        tags.tags,
        Some(vec![json!("c"), json!({"name": "d"}), json!(7)])
    );
}

#[test]
fn basic_auth_never_shows() {
    let client = live_api::Client::new().with_basic_auth("ada", "pa55-SECRET");
    let prepared = list_tags::Request::example()
        .prepare(&client)
        .expect("builds");
    assert!(prepared.headers["authorization"]
        .as_bytes()
        .starts_with(b"Basic "));
    let shown = format!("{}\n{prepared:?}\n{client:?}", prepared.to_curl());
    assert!(shown.contains("authorization: <redacted>"), "{shown}");
    assert!(
        !shown.contains("pa55-SECRET") && !shown.contains("YWRhOnBhNTUtU0VDUkVU"),
        "{shown}"
    );
}

#[test]
fn a_success_saved_without_body_keeps_the_body_that_comes() {
    let body = json!({"archived": true});
    let response = archive_page::Request::parse_response(response(200, &body)).expect("200");
    match response.into_inner() {
        archive_page::Success::Ok(raw) => assert_eq!(raw.json_value().expect("JSON"), body),
        other => panic!("expected Ok, got {other:?}"),
    }
}

/// Every way a request or its failure can be shown.
fn renderings(error: &runtime::Error<impl std::fmt::Debug>) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn credentials_in_the_query_string_never_show() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!({"total": 0}))).await;
    let api_key_client = client(&server);
    let token_client = live_api::Client::new()
        .with_base_url(server.uri())
        .with_oauth2_token(TOKEN);

    let pages = list_pages::Request::example();
    let prepared = pages.prepare(&api_key_client).expect("builds");
    assert!(prepared.url.contains(API_KEY), "the key is sent");
    let curl = prepared.to_curl();
    assert!(curl.contains("api_key=<redacted>"), "{curl}");
    assert!(!curl.contains(API_KEY), "{curl}");
    assert!(!format!("{prepared:?}").contains(API_KEY));
    assert!(!format!("{api_key_client:?}").contains(API_KEY));

    let search = live_api::search_with_an_o_auth_token::Request::example();
    let prepared = search.prepare(&token_client).expect("builds");
    assert!(prepared
        .url
        .ends_with(&format!("?q=ada&access_token={TOKEN}")));
    let curl = prepared.to_curl();
    assert!(curl.contains("access_token=<redacted>"), "{curl}");
    assert!(!curl.contains(TOKEN) && !format!("{prepared:?}").contains(TOKEN));

    api_key_client.list_pages(&pages).await.expect("sent");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received[0].url.query(),
        Some(format!("api_key={API_KEY}").as_str())
    );

    // Nothing listens on port 9 (discard) of 127.0.0.1: the connection is refused.
    let closed = |c: live_api::Client| c.with_base_url("http://127.0.0.1:9");
    let error = closed(api_key_client.clone())
        .list_pages(&pages)
        .await
        .expect_err("refused");
    assert!(matches!(error, runtime::Error::Transport(_)), "{error:?}");
    let shown = renderings(&error);
    assert!(shown.contains("list_pages (GET /pages)"), "{shown}");
    assert!(!shown.contains(API_KEY), "{shown}");
    let error = closed(token_client)
        .search_with_an_o_auth_token(&search)
        .await
        .expect_err("refused");
    let shown = renderings(&error);
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn credential_headers_are_redacted_by_name() {
    let client = live_api::Client::new()
        .with_default_header("X-Api-Key", API_KEY)
        .expect("a valid header")
        .with_default_header("X-Request-Id", "r-1")
        .expect("a valid header");
    let prepared = create_page::Request::example()
        .prepare(&client)
        .expect("builds");
    let curl = prepared.to_curl();
    assert!(curl.contains("-H 'x-api-key: <redacted>'"), "{curl}");
    assert!(curl.contains("-H 'x-request-id: r-1'"), "{curl}");
    assert!(!format!("{prepared:?}{client:?}").contains(API_KEY));
}

/// A server answering 429 with `Retry-After: 1` once, then 200.
async fn rate_limited_once() -> MockServer {
    rate_limited_once_for("1").await
}

/// A server answering 429 with this `Retry-After` once, then 200.
async fn rate_limited_once_for(retry_after: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", retry_after))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 0})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_when_retries_are_on() {
    let server = rate_limited_once().await;
    let client = client(&server).with_retry(runtime::RetryPolicy::new(2));
    let start = Instant::now();
    let response = client
        .list_pages(&list_pages::Request::example())
        .await
        .expect("succeeds after one retry");
    assert!(start.elapsed() >= Duration::from_millis(950), "waited");
    assert_eq!(response.status(), http::StatusCode::OK);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn a_retry_after_date_is_honoured() {
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    let server = rate_limited_once_for(&httpdate::fmt_http_date(at)).await;
    let start = Instant::now();
    client(&server)
        .with_retry(runtime::RetryPolicy::new(1))
        .list_pages(&list_pages::Request::example())
        .await
        .expect("succeeds after waiting until the date");
    assert!(start.elapsed() >= Duration::from_millis(900), "waited");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn a_429_is_returned_when_retries_are_off() {
    let server = rate_limited_once().await;
    let error = client(&server)
        .list_pages(&list_pages::Request::example())
        .await
        .expect_err("429");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert!(matches!(error, runtime::Error::Api(_)));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn a_post_is_not_retried_unless_asked() {
    let server = rate_limited_once().await;
    let policy = runtime::RetryPolicy::new(2)
        .with_backoff(Duration::from_millis(10), Duration::from_secs(2));
    let error = client(&server)
        .with_retry(policy.clone())
        .create_page(&create_page::Request::example())
        .await
        .expect_err("POST is not idempotent");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));

    let server = rate_limited_once().await;
    client(&server)
        .with_retry(policy.retry_all_methods())
        .create_page(&create_page::Request::example())
        .await
        .expect("retried when asked");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_backoff_is_not_waited_for() {
    let server = rate_limited_once().await;
    let policy = runtime::RetryPolicy::new(2)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(100));
    let error = client(&server)
        .with_retry(policy)
        .list_pages(&list_pages::Request::example())
        .await
        .expect_err("Retry-After: 1 is longer than 100 ms");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
}
