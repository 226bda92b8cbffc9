//! OAuth 2.0 tokens the client fetches itself, against a token endpoint on 127.0.0.1: the
//! collection's client credentials grant (credentials in a basic header), a folder's password
//! grant (credentials in the body), a request's token in the query; the cache shared by clones
//! and concurrent requests, renewal before expiry (with the refresh token) and after a `401`,
//! a token source of the caller's own, and the errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use postman_clients::oauth2::{self, runtime};
use postman_clients::runtime::Operation as _;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A client of `server` for both the API and its token endpoint.
fn client(server: &MockServer) -> oauth2::Client {
    oauth2::Client::new()
        .with_base_url(format!("{}/v1", server.uri()))
        .with_variable("authServer", server.uri())
        .with_variable("clientId", "widget-app")
        .with_secret_variable("clientSecret", "s3cret")
}

/// A token endpoint that answers `tokens` in turn (the last one again after them).
async fn token_endpoint(server: &MockServer, tokens: &[serde_json::Value]) {
    let tokens = tokens.to_vec();
    let calls = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = calls.fetch_add(1, Ordering::SeqCst).min(tokens.len() - 1);
            ResponseTemplate::new(200).set_body_json(tokens[n].clone())
        })
        .mount(server)
        .await;
}

/// An API that accepts the bearer `token`.
async fn api_accepting(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(5)
        .mount(server)
        .await;
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recorded");
    requests
        .into_iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .collect()
}

#[tokio::test]
async fn client_credentials_are_fetched_once_and_shared_by_clones() {
    let server = MockServer::start().await;
    token_endpoint(
        &server,
        &[serde_json::json!({"access_token": "t1", "token_type": "Bearer", "expires_in": 3600})],
    )
    .await;
    api_accepting(&server, "t1").await;
    let client = client(&server);
    let list = oauth2::list_widgets::Request::example();
    list.send(&client).await.expect("first request");
    list.send(&client.clone()).await.expect("from a clone");
    let tokens = token_requests(&server).await;
    assert_eq!(tokens.len(), 1, "one token for both requests");
    let request = &tokens[0];
    // "widget-app:s3cret" in base64.
    assert_eq!(
        request.headers["authorization"],
        "Basic d2lkZ2V0LWFwcDpzM2NyZXQ="
    );
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&request.body).expect("text"),
        "grant_type=client_credentials&scope=read%20write"
    );
}

#[tokio::test]
async fn a_folder_password_grant_sends_client_credentials_in_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string(
            "grant_type=password&username=jill&password=pa%26ss&scope=account\
             &client_id=widget-app&client_secret=s3cret",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "u1"})),
        )
        .mount(&server)
        .await;
    api_accepting(&server, "u1").await;
    let client = client(&server)
        .with_variable("username", "jill")
        .with_secret_variable("password", "pa&ss");
    oauth2::accounts::get_account::Request::example()
        .send(&client)
        .await
        .expect("the account");
    let tokens = token_requests(&server).await;
    assert!(tokens[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_token_in_the_query_comes_last_and_is_redacted_when_shown() {
    let server = MockServer::start().await;
    token_endpoint(&server, &[serde_json::json!({"access_token": "q&1"})]).await;
    Mock::given(method("GET"))
        .and(path("/v1/widgets/w-1"))
        .and(query_param("access_token", "q&1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client(&server);
    let request = oauth2::get_widget_in_query::Request::example();
    request.send(&client).await.expect("the widget");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received.last().expect("sent").url.query(),
        Some("verbose=true&access_token=q%261")
    );
    let prepared = request.prepare(&client).expect("prepares");
    assert!(prepared.needs_token());
    let authorized = client.authorize(prepared).await.expect("authorized");
    assert!(!authorized.needs_token());
    assert!(authorized.url.ends_with("access_token=q%261"));
    let shown = format!("{authorized:?} {}", authorized.to_curl());
    assert!(!shown.contains("q%261"), "{shown}");
    assert!(shown.contains("access_token=<redacted>"), "{shown}");
}

#[tokio::test]
async fn a_token_about_to_expire_is_renewed_with_its_refresh_token() {
    let server = MockServer::start().await;
    // Ten seconds is inside the renewal margin: the next request renews it.
    token_endpoint(
        &server,
        &[
            serde_json::json!({"access_token": "t1", "expires_in": 10, "refresh_token": "r1"}),
            serde_json::json!({"access_token": "t1", "expires_in": 3600}),
        ],
    )
    .await;
    api_accepting(&server, "t1").await;
    let client = client(&server);
    let list = oauth2::list_widgets::Request::example();
    list.send(&client).await.expect("first");
    list.send(&client).await.expect("second");
    list.send(&client).await.expect("third");
    let bodies: Vec<String> = token_requests(&server)
        .await
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(
        bodies,
        [
            "grant_type=client_credentials&scope=read%20write",
            "grant_type=refresh_token&refresh_token=r1&scope=read%20write",
        ]
    );
}

#[tokio::test]
async fn a_refused_token_is_renewed_once() {
    let server = MockServer::start().await;
    token_endpoint(
        &server,
        &[
            serde_json::json!({"access_token": "revoked"}),
            serde_json::json!({"access_token": "t2"}),
        ],
    )
    .await;
    api_accepting(&server, "t2").await;
    let client = client(&server);
    let list = oauth2::list_widgets::Request::example();
    list.send(&client)
        .await
        .expect("sent again with a new token");
    assert_eq!(token_requests(&server).await.len(), 2);
    // A second refusal is the caller's to see.
    let server = MockServer::start().await;
    token_endpoint(&server, &[serde_json::json!({"access_token": "revoked"})]).await;
    api_accepting(&server, "never").await;
    let error = list
        .send(&self::client(&server))
        .await
        .expect_err("refused twice");
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn concurrent_requests_share_one_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "t1", "expires_in": 3600}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    api_accepting(&server, "t1").await;
    let client = client(&server);
    let sends = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            oauth2::list_widgets::Request::example()
                .send(&client)
                .await
                .map(|_| ())
        })
    });
    for sent in join_all(sends).await {
        sent.expect("joined").expect("sent");
    }
    assert_eq!(token_requests(&server).await.len(), 1);
}

/// Awaits every task.
async fn join_all<T>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        out.push(task.await);
    }
    out
}

/// A token source of the caller's own, as for the authorization code flow.
#[derive(Debug, Default)]
struct Counting(AtomicUsize);

impl runtime::TokenSource for Counting {
    fn fetch<'a>(
        &'a self,
        _http: &'a reqwest::Client,
        previous: Option<&'a runtime::AccessToken>,
    ) -> runtime::TokenFuture<'a> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            assert_eq!(previous.is_some(), n > 0);
            Ok(runtime::AccessToken::new(format!("mine-{n}")))
        })
    }
}

#[tokio::test]
async fn a_token_source_of_the_callers_own_comes_before_the_grant() {
    let server = MockServer::start().await;
    api_accepting(&server, "mine-0").await;
    let source = Arc::new(Counting::default());
    let client = client(&server).with_token_source(SharedSource(Arc::clone(&source)));
    let list = oauth2::list_widgets::Request::example();
    list.send(&client).await.expect("first");
    list.send(&client).await.expect("second");
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    assert!(token_requests(&server).await.is_empty());
    // A token set on the client comes first of all.
    let fixed = client.with_oauth2_token("mine-0");
    let prepared = list.prepare(&fixed).expect("prepares");
    assert!(!prepared.needs_token());
}

/// Lets the test count what the client's source was asked.
#[derive(Debug)]
struct SharedSource(Arc<Counting>);

impl runtime::TokenSource for SharedSource {
    fn fetch<'a>(
        &'a self,
        http: &'a reqwest::Client,
        previous: Option<&'a runtime::AccessToken>,
    ) -> runtime::TokenFuture<'a> {
        self.0.fetch(http, previous)
    }
}

#[tokio::test]
async fn a_refused_grant_is_an_error_that_keeps_the_answer_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({"error": "invalid_client"})),
        )
        .mount(&server)
        .await;
    let error = oauth2::list_widgets::Request::example()
        .send(&client(&server))
        .await
        .expect_err("no token");
    let runtime::Error::Token(token_error) = &error else {
        panic!("expected a token error, got {error:?}");
    };
    let message = error.to_string();
    assert!(message.contains("/oauth/token"), "{message}");
    assert!(message.contains("400"), "{message}");
    assert!(message.contains("invalid_client"), "{message}");
    assert!(!format!("{message} {error:?}").contains("s3cret"));
    let kept = token_error.response().expect("the answer is kept");
    assert_eq!(kept.status, http::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_a_client_id_nothing_is_fetched_and_nothing_sent() {
    let server = MockServer::start().await;
    let client = client(&server).with_variable("clientId", "");
    let prepared = oauth2::list_widgets::Request::example()
        .prepare(&client)
        .expect("prepares");
    assert!(!prepared.needs_token());
    assert!(prepared.headers.get("authorization").is_none());
    // The collection's own token variable, when set, is sent as it is.
    let given = client.with_secret_variable("accessToken", "given");
    let prepared = oauth2::list_widgets::Request::example()
        .prepare(&given)
        .expect("prepares");
    assert_eq!(prepared.headers["authorization"], "Bearer given");
}

#[test]
fn token_answers_are_read_as_json_or_a_form_and_odd_lifetimes_do_not_panic() {
    use runtime::oauth2::read_token;
    let form = read_token(b"access_token=f%2B1&token_type=bearer&expires_in=3600&refresh_token=r")
        .expect("a form answer");
    assert_eq!(form.secret().expose(), "f+1");
    assert_eq!(form.refresh_token().map(runtime::Secret::expose), Some("r"));
    assert!(form.is_fresh());
    for lifetime in ["\"NaN\"", "\"inf\"", "-5", "1e300", "\"soon\""] {
        let body = format!(r#"{{"access_token": "a", "expires_in": {lifetime}}}"#);
        assert!(read_token(body.as_bytes()).is_some(), "{body}");
    }
    assert!(read_token(br#"{"error": "invalid_grant"}"#).is_none());
    assert!(read_token(br#"{"access_token": ""}"#).is_none());
    assert!(read_token(b"[1, 2]").is_none());
    // An answer that says it has already expired is renewed before the next request.
    let expired = read_token(br#"{"access_token": "a", "expires_in": 0}"#).expect("a token");
    assert!(!expired.is_fresh());
}
