//! The generated clients against a real HTTP server on 127.0.0.1 that records every request.

use std::convert::Infallible;

use postman_clients::runtime::Operation as _;
use postman_clients::{zoho_mail, zoom_users};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-123";

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

fn zoom(server: &MockServer) -> zoom_users::Client {
    zoom_users::Client::new()
        .with_base_url(server.uri())
        .with_bearer_token(TOKEN)
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request reaches the server");
    requests.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
        .unwrap_or_else(|| panic!("header {name} missing"))
}

/// The fields of a multipart body, parsed by an independent parser (multer), in order.
async fn multipart_fields(request: &wiremock::Request) -> Vec<(String, String)> {
    let boundary = multer::parse_boundary(header(request, "content-type")).expect("boundary");
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("valid multipart") {
        let name = field.name().expect("named field").to_owned();
        fields.push((name, field.text().await.expect("text field")));
    }
    fields
}

#[tokio::test]
async fn update_a_user_sends_each_field_with_its_own_value() {
    let server = server_answering(204).await;
    let mut request = zoom_users::users::update_a_user::Request::example();
    request.user_id = "a/b c?d".to_owned();
    let result = zoom(&server).users().update_a_user(&request).await;
    assert!(
        matches!(
            result.as_ref().map(|r| r.value()),
            Ok(zoom_users::users::update_a_user::Success::NoContent)
        ),
        "204 decodes as success: {result:?}"
    );

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "PATCH");
    assert_eq!(sent.url.path(), "/users/a%2Fb%20c%3Fd");
    assert_eq!(
        sent.url.query(),
        Some("login_type=100&remove_tsp_credentials=true")
    );
    assert_eq!(header(&sent, "authorization"), format!("Bearer {TOKEN}"));
    assert!(header(&sent, "content-type").starts_with("multipart/form-data; boundary="));

    let fields = multipart_fields(&sent).await;
    let expected_text = [
        ("first_name", "in nu"),
        ("last_name", "elit "),
        ("type", "99"),
        ("pmi", "-25518892"),
        ("use_pmi", "false"),
        ("timezone", "anim ipsum in"),
        ("language", "dolor veniam cupidatat"),
        ("dept", "dolor tempor"),
        ("vanity_name", "in quis dolor labore"),
        ("host_key", "enim p"),
        ("cms_user_id", "nisi commodo Ut"),
        ("job_title", "nisi elit fugiat"),
        ("company", "dolore mollit enim ex"),
        ("location", "reprehenderit laboris esse dolore"),
        ("phone_number", "proident incididunt"),
        ("phone_country", "mollit labore et laborum"),
        ("group_id", "amet Lorem reprehenderit eu sed"),
        ("manager", "H-BwfF@h.qxj"),
        ("pronouns", "exercitation laboris"),
        ("pronouns_option", "2"),
    ];
    assert_eq!(fields.len(), expected_text.len() + 2, "fields: {fields:?}");
    for (name, value) in expected_text {
        let got: Vec<&str> = fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(got, vec![value], "field {name} carries its own value only");
    }
    let json_field = |name: &str| -> Value {
        let (_, text) = fields.iter().find(|(n, _)| n == name).expect("field sent");
        serde_json::from_str(text).expect("JSON field")
    };
    assert_eq!(
        json_field("custom_attributes"),
        json!({"key": "fugiat", "name": "reprehenderit ullamco sit fugiat", "value": "incididunt"})
    );
    assert_eq!(
        json_field("phone_numbers"),
        json!({"country": "ut ullamco ea", "code": "ad adipisicing", "number": "eiusmod ipsum enim", "label": "Home"})
    );
}

#[tokio::test]
async fn unset_optional_fields_are_not_sent() {
    use zoom_users::types::LoginType;
    use zoom_users::users::update_a_user::Request;
    let server = server_answering(204).await;
    let mut request = Request::example()
        .login_type(LoginType::SingleSignOn)
        .body_map(|body| body.first_name("Ada"));
    request.user_id = "me".to_owned();
    request.remove_tsp_credentials = None;
    request.body.last_name = None;
    request.body.custom_attributes = None;
    zoom(&server)
        .users()
        .update_a_user(&request)
        .await
        .expect("sent");
    let sent = only_request(&server).await;
    assert_eq!(sent.url.path(), "/users/me");
    assert_eq!(sent.url.query(), Some("login_type=101"));
    let fields = multipart_fields(&sent).await;
    assert!(fields.iter().any(|(n, v)| n == "first_name" && v == "Ada"));
    assert!(!fields
        .iter()
        .any(|(n, _)| n == "last_name" || n == "custom_attributes"));
}

#[tokio::test]
async fn update_password_and_status_send_their_forms() {
    let server = server_answering(204).await;
    let client = zoom(&server);
    let mut password = zoom_users::users::update_a_users_password::Request::example();
    password.user_id = "../admin".to_owned();
    client
        .users()
        .update_a_users_password(&password)
        .await
        .expect("204");
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "PUT");
    assert_eq!(sent.url.path(), "/users/..%2Fadmin/password");
    assert_eq!(
        multipart_fields(&sent).await,
        vec![("password".to_owned(), "dolor Excepteur minim".to_owned())]
    );

    let server = server_answering(204).await;
    use zoom_users::users::update_user_status::{Action, Body, Request};
    let status = Request::new("u1", Body::new(Action::Activate));
    let result = zoom(&server).users().update_user_status(&status).await;
    assert!(matches!(
        result.map(|r| r.into_inner()),
        Ok(zoom_users::users::update_user_status::Success::NoContent)
    ));
    let sent = only_request(&server).await;
    assert_eq!(sent.url.path(), "/users/u1/status");
    assert_eq!(header(&sent, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(
        multipart_fields(&sent).await,
        vec![("action".to_owned(), "activate".to_owned())]
    );
}

#[tokio::test]
async fn zoho_reset_password_sends_json_with_custom_auth_scheme() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": {"code": 200, "description": "success"}})),
        )
        .mount(&server)
        .await;
    let client = zoho_mail::Client::new()
        .with_base_url(server.uri())
        .with_oauth2_token(TOKEN);
    let request = zoho_mail::accounts::reset_user_password::Request::example();
    let response = client
        .accounts()
        .reset_user_password(&request)
        .await
        .expect("200 decodes");
    let zoho_mail::accounts::reset_user_password::Success::Ok(ok) = response.into_inner() else {
        panic!("200 is documented")
    };
    let status = ok.status.expect("a status");
    assert_eq!(status.code, Some(200));
    assert_eq!(status.description.as_deref(), Some("success"));

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "PUT");
    assert_eq!(
        sent.url.path(),
        "/api/organization/1234567890/accounts/1234"
    );
    assert_eq!(sent.url.query(), None);
    assert_eq!(
        header(&sent, "authorization"),
        format!("Zoho-oauthtoken {TOKEN}")
    );
    assert_eq!(header(&sent, "accept"), "application/json");
    assert_eq!(header(&sent, "content-type"), "application/json");
    let body: Value = serde_json::from_slice(&sent.body).expect("JSON body");
    assert_eq!(
        body,
        json!({"password": "t*c9ma", "resetAuthToken": true, "oneTimePassword": true, "zuid": 1234, "mode": "resetPassword"})
    );
}

#[tokio::test]
async fn list_users_sends_only_enabled_query_params() {
    let server = server_answering(200).await;
    let request = zoom_users::users::list_users::Request::example();
    assert_eq!(
        request.page_number, None,
        "disabled param is optional and unset"
    );
    let _ = zoom(&server).users().list_users(&request).await;
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "GET");
    assert_eq!(sent.url.path(), "/users");
    assert_eq!(sent.url.query(), Some("status=active&page_size=30"));
    assert!(sent.body.is_empty());
}

type ListUsersResult = Result<
    zoom_users::runtime::Response<zoom_users::users::list_users::Success>,
    zoom_users::runtime::Error<zoom_users::users::list_users::Error>,
>;

/// Sends the example list request to a server answering with `response`.
async fn list_answered_by(response: ResponseTemplate) -> ListUsersResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    zoom(&server)
        .users()
        .list_users(&zoom_users::users::list_users::Request::example())
        .await
}

#[tokio::test]
async fn documented_statuses_decode_into_their_variants() {
    use zoom_users::users::list_users;
    let result = list_answered_by(
        ResponseTemplate::new(404)
            .set_body_json(json!({"code": 1010, "message": "Role does not exist."})),
    )
    .await;
    match result {
        Err(zoom_users::runtime::Error::Api(error)) => match error.into_error() {
            list_users::Error::NotFound(body) => {
                assert_eq!(body.code, Some(1010));
                assert_eq!(body.message.as_deref(), Some("Role does not exist."));
            }
            other => panic!("expected NotFound, got {other:?}"),
        },
        other => panic!("expected an API error, got {other:?}"),
    }

    let result = list_answered_by(
        ResponseTemplate::new(418)
            .insert_header("x-trace", "abc")
            .set_body_string("teapot"),
    )
    .await;
    match result {
        Err(zoom_users::runtime::Error::Api(error)) => {
            assert_eq!(error.error(), &list_users::Error::Undocumented);
            let raw = error.response();
            assert_eq!(raw.status.as_u16(), 418);
            assert_eq!(
                raw.headers.get("x-trace").map(|v| v.as_bytes()),
                Some(&b"abc"[..])
            );
            assert_eq!(raw.text(), "teapot");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn secrets_stay_out_of_debug_and_curl() {
    let client = zoom_users::Client::new().with_bearer_token("super-secret");
    assert!(!format!("{client:?}").contains("super-secret"));
    let curl = zoom_users::users::update_a_users_password::Request::example()
        .to_curl(&client)
        .expect("builds");
    assert!(!curl.contains("super-secret"));
    assert!(curl.starts_with(
        "curl -X PUT 'https://api.zoom.us/v2/users/quis%20officia%20in%20reprehenderit/password'"
    ));
    assert!(curl.contains("-H 'authorization: <redacted>'"));
    assert!(curl.contains("--form 'password=dolor Excepteur minim'"));
}

#[test]
fn build_produces_an_http_request_without_sending() {
    let client = zoho_mail::Client::new().with_token_scheme("Custom", "t");
    let request = zoho_mail::accounts::reset_user_password::Request::example()
        .build(&client)
        .expect("builds");
    assert_eq!(request.method(), "PUT");
    assert_eq!(
        request.uri().to_string(),
        "https://mail.zoho.com/api/organization/1234567890/accounts/1234"
    );
    assert_eq!(request.headers()["authorization"], "Custom t");
}
