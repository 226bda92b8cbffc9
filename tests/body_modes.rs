//! Every body mode and auth placement of `collections/body-modes`, checked on the wire.

use std::convert::Infallible;

use postman_clients::body_modes::{self, admin, runtime};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> body_modes::Client {
    body_modes::Client::new()
        .with_base_url(server.uri())
        .with_api_key("k 1")
        .with_basic_auth("admin", "pw")
}

async fn sent(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn content_type(request: &wiremock::Request) -> &str {
    request
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn urlencoded_form_with_api_key_in_query() {
    let server = server(200, r#"{"id": 7, "received": {"name": "Ada Lovelace"}}"#).await;
    let response = client(&server)
        .submit_form(&body_modes::submit_form::Request::example())
        .await
        .expect("200");
    let body_modes::submit_form::Success::Ok(ok) = response.into_inner() else {
        panic!("200 is documented")
    };
    assert_eq!(ok.id, Some(7));
    let request = sent(&server).await;
    assert_eq!(request.url.path(), "/forms");
    assert_eq!(request.url.query(), Some("api_key=k%201"));
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("name".into(), "Ada Lovelace".into()),
            ("tags".into(), "a&b=c d".into()),
            ("count".into(), "3".into())
        ]
    );
}

#[tokio::test]
async fn multipart_file_part_and_variable_path_segment() {
    let server = server(
        201,
        r#"{"url": "https://cdn.example.com/a.png", "size": 1024}"#,
    )
    .await;
    let mut request = body_modes::upload_avatar::Request::example();
    assert_eq!(
        request.account_id, None,
        "unset: the client sends its value of the collection variable"
    );
    request.body.avatar = runtime::FilePart {
        file_name: "me.png".into(),
        content_type: Some("image/png".into()),
        bytes: vec![0x89, b'P', b'N', b'G', 0, 255],
    };
    let response = client(&server).upload_avatar(&request).await.expect("201");
    let body_modes::upload_avatar::Success::Created(created) = response.into_inner() else {
        panic!("201 is documented")
    };
    assert_eq!(created.size, Some(1024));
    let sent = sent(&server).await;
    assert_eq!(sent.url.path(), "/accounts/acct-1/avatar");
    let boundary = multer::parse_boundary(content_type(&sent)).expect("boundary");
    let body = bytes::Bytes::from(sent.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let file = multipart.next_field().await.unwrap().expect("file part");
    assert_eq!(file.name(), Some("avatar"));
    assert_eq!(file.file_name(), Some("me.png"));
    assert_eq!(
        file.content_type().map(|m| m.to_string()),
        Some("image/png".into())
    );
    assert_eq!(
        file.bytes().await.unwrap().as_ref(),
        &[0x89, b'P', b'N', b'G', 0, 255]
    );
    let caption = multipart.next_field().await.unwrap().expect("caption part");
    assert_eq!(caption.name(), Some("caption"));
    assert_eq!(caption.text().await.unwrap(), "Me, 2024");
    assert!(multipart.next_field().await.unwrap().is_none());
}

#[tokio::test]
async fn raw_xml_keeps_its_mime_and_text_responses_stay_text() {
    let server = server(400, "<error>bad</error>").await;
    let result = client(&server)
        .send_xml(&body_modes::send_xml::Request::example())
        .await;
    match result {
        Err(runtime::Error::Api(e)) => match e.into_error() {
            body_modes::send_xml::Error::BadRequest(text) => assert_eq!(text, "<error>bad</error>"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let request = sent(&server).await;
    assert_eq!(content_type(&request), "application/xml");
    assert_eq!(request.body, b"<note><to>Tove</to></note>");
}

#[tokio::test]
async fn graphql_sends_query_and_typed_variables_as_json() {
    let server = server(200, r#"{"data": {"hero": {"name": "R2-D2"}}}"#).await;
    let mut request = body_modes::graph_ql_query::Request::example();
    assert_eq!(
        request.body.variables.episode, "JEDI",
        "variables are typed"
    );
    request.body.variables.episode = "EMPIRE".into();
    let response = client(&server).graph_ql_query(&request).await.expect("200");
    let body_modes::graph_ql_query::Success::Ok(ok) = response.into_inner() else {
        panic!("200 is documented")
    };
    let hero = ok.data.and_then(|d| d.hero).and_then(|h| h.name);
    assert_eq!(hero.as_deref(), Some("R2-D2"));
    let request = sent(&server).await;
    assert_eq!(content_type(&request), "application/json");
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"query": "query Hero($episode: Episode) { hero(episode: $episode) { name } }", "variables": {"episode": "EMPIRE"}})
    );
}

#[tokio::test]
async fn binary_body_is_sent_as_bytes() {
    let server = server(204, "").await;
    let request = body_modes::upload_binary::Request::new("q3 report.pdf", vec![1, 2, 3, 0, 255]);
    client(&server).upload_binary(&request).await.expect("204");
    let sent = sent(&server).await;
    assert_eq!(sent.method.as_str(), "PUT");
    assert_eq!(sent.url.path(), "/blobs/q3%20report.pdf");
    assert_eq!(
        content_type(&sent),
        "",
        "as in Postman, a file body has no content type the collection does not declare"
    );
    assert_eq!(sent.body, vec![1, 2, 3, 0, 255]);
}

#[tokio::test]
async fn folder_basic_auth_overrides_collection_api_key_and_custom_method_works() {
    let server = server(200, r#"{"purged": 12}"#).await;
    let request = admin::purge_cache::Request::new().scope(admin::purge_cache::Scope::Images);
    let response = client(&server)
        .admin()
        .purge_cache(&request)
        .await
        .expect("200");
    let admin::purge_cache::Success::Ok(ok) = response.into_inner() else {
        panic!("200 is documented")
    };
    assert_eq!(ok.purged, Some(12));
    let sent = sent(&server).await;
    assert_eq!(sent.method.as_str(), "PURGE");
    assert_eq!(
        sent.url.query(),
        Some("scope=images"),
        "no api key: the folder uses basic auth"
    );
    assert_eq!(sent.headers["authorization"], "Basic YWRtaW46cHc=");
}

#[tokio::test]
async fn timeout_is_applied() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client(&server).with_timeout(std::time::Duration::from_millis(100));
    let result = client
        .admin()
        .purge_cache(&admin::purge_cache::Request::example())
        .await;
    match result {
        Err(runtime::Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn default_headers_and_a_configured_reqwest_client_are_used() {
    let server = server(200, r#"{"purged": 1}"#).await;
    let http = reqwest::Client::builder()
        .user_agent("custom-agent/1.0")
        .build()
        .expect("reqwest client");
    let client = client(&server)
        .with_http_client(http)
        .with_default_header("x-tenant", "acme")
        .expect("valid header");
    client
        .admin()
        .purge_cache(&admin::purge_cache::Request::example())
        .await
        .expect("200");
    let sent = sent(&server).await;
    assert_eq!(sent.headers["x-tenant"], "acme");
    assert_eq!(sent.headers["user-agent"], "custom-agent/1.0");
    assert!(body_modes::Client::new()
        .with_default_header("bad header", "x")
        .is_err());
}

#[tokio::test]
async fn repeated_query_keys_are_sent_once_per_value_and_alternatives_once() {
    let server = server(200, r#"{"hits": 2}"#).await;
    let mut request = body_modes::search_with_repeated_keys::Request::example();
    assert_eq!(request.tag, ["red", "dark blue"]);
    assert_eq!(request.id, [3, 5]);
    assert_eq!(
        request.sort, None,
        "disabled alternatives are not sent by default"
    );
    client(&server)
        .search_with_repeated_keys(&request)
        .await
        .expect("200");
    let pairs: Vec<(String, String)> = sent(&server).await.url.query_pairs().into_owned().collect();
    let expected = [
        ("tag", "red"),
        ("tag", "dark blue"),
        ("id", "3"),
        ("id", "5"),
        ("api_key", "k 1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs, expected);

    let server = self::server(200, r#"{"hits": 0}"#).await;
    request.tag = vec!["a&b=c".into()];
    request.id.clear();
    request.sort = Some("-created".into());
    client(&server)
        .search_with_repeated_keys(&request)
        .await
        .expect("200");
    let query = sent(&server)
        .await
        .url
        .query()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(query, "tag=a%26b%3Dc&sort=-created&api_key=k%201");
}

#[tokio::test]
async fn a_json_template_with_comments_and_an_unquoted_variable_is_typed() {
    let server = server(201, r#"{"id": 9}"#).await;
    let mut request = body_modes::create_booking_from_a_template::Request::example();
    request.body.name = "Ada".into();
    request.body.total = json!(120.5);
    assert_eq!(request.body.note.as_deref(), Some("late arrival"));
    request.body.note = None;
    let response = client(&server)
        .create_booking_from_a_template(&request)
        .await
        .expect("201");
    let body_modes::create_booking_from_a_template::Success::Created(created) =
        response.into_inner()
    else {
        panic!("201 is documented")
    };
    assert_eq!(created.id, Some(9));
    let sent = sent(&server).await;
    assert_eq!(content_type(&sent), "application/json");
    let body: Value = serde_json::from_slice(&sent.body).expect("JSON on the wire");
    assert_eq!(
        body,
        json!({"name": "Ada", "total": 120.5, "dates": {"in": "2026-01-01", "out": "2026-01-08"}})
    );
}
