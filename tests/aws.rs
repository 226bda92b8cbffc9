//! AWS Signature V4 as Postman's `awsv4` auth applies it. The signatures are proven against
//! AWS's signing test suite (`get-vanilla-query-order-key-case`, `post-vanilla`,
//! `get-vanilla-with-session-token`, and `get-vanilla` signed in the query), whose example
//! keys the collection's requests are signed with; the client's own requests carry the
//! current time, so they are checked for what the signature covers.

use std::time::{Duration, SystemTime};

use postman_clients::aws::{self, runtime::aws::Keys};
use postman_clients::runtime::Operation as _;
use sha2::Digest as _;

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

/// 2015-08-30T12:36:00Z, the suite's time.
fn suite_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn keys(session_token: Option<&str>) -> Keys {
    Keys {
        access_key: ACCESS_KEY.into(),
        secret_key: SECRET_KEY.into(),
        session_token: session_token.map(str::to_owned),
        region: "us-east-1".into(),
        service: "service".into(),
    }
}

/// The suite's request signed in headers: the `Authorization` value.
fn authorization(method: &str, url: &str, session_token: Option<&str>) -> String {
    let host = [("host".to_owned(), "example.amazonaws.com".to_owned())];
    let signed = aws::runtime::aws::signature(
        &keys(session_token),
        method,
        url,
        &host,
        b"",
        suite_time(),
        None,
    )
    .expect("signs");
    assert!(signed.query.is_empty());
    let header = |name: &str| {
        signed
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("x-amz-date").as_deref(), Some("20150830T123600Z"));
    assert_eq!(header("x-amz-security-token").as_deref(), session_token);
    header("authorization").expect("an Authorization header")
}

#[test]
fn the_suites_requests_signed_in_headers() {
    let scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    assert_eq!(
        authorization(
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            None
        ),
        format!(
            "{scope}, SignedHeaders=host;x-amz-date, \
             Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        )
    );
    assert_eq!(
        authorization("POST", "https://example.amazonaws.com/", None),
        format!(
            "{scope}, SignedHeaders=host;x-amz-date, \
             Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        )
    );
    assert_eq!(
        authorization("GET", "https://example.amazonaws.com/", Some(SESSION_TOKEN)),
        format!(
            "{scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, \
             Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        )
    );
}

#[test]
fn the_suites_request_signed_in_the_query() {
    let host = [("host".to_owned(), "example.amazonaws.com".to_owned())];
    let signed = aws::runtime::aws::signature(
        &keys(None),
        "GET",
        "https://example.amazonaws.com/",
        &host,
        b"",
        suite_time(),
        Some(Duration::from_secs(3600)),
    )
    .expect("signs");
    assert!(signed.headers.is_empty());
    let param = |name: &str| {
        signed
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        param("X-Amz-Credential"),
        Some("AKIDEXAMPLE/20150830/us-east-1/service/aws4_request")
    );
    assert_eq!(param("X-Amz-Expires"), Some("3600"));
    assert_eq!(
        param("X-Amz-Signature"),
        Some("e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d")
    );
}

fn client() -> aws::Client {
    aws::Client::new()
        .with_variable("awsAccessKey", ACCESS_KEY)
        .with_secret_variable("awsSecretKey", SECRET_KEY)
        .with_secret_variable("awsSessionToken", SESSION_TOKEN)
}

fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

#[test]
fn collection_requests_sign_now_with_their_body_hash_and_session_token() {
    let built = aws::put_item::Request::example()
        .build(&client())
        .expect("builds");
    let date = header(&built, "x-amz-date").expect("a date");
    assert_eq!(date.len(), "20150830T123600Z".len());
    let hash = hex(&sha2::Sha256::digest(built.body()));
    assert_eq!(header(&built, "x-amz-content-sha256"), Some(hash.as_str()));
    let auth = header(&built, "authorization").expect("signed");
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
            &date[..8]
        )),
        "{auth}"
    );
    let with_token = aws::get_with_session_token::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(
        header(&with_token, "x-amz-security-token"),
        Some(SESSION_TOKEN)
    );
    // The collection's own session token does not reach the collection-level requests.
    let plain = aws::get_vanilla_query_order_key_case::Request::example()
        .build(&client())
        .expect("builds");
    assert!(header(&plain, "x-amz-security-token").is_none());
    assert!(header(&plain, "x-amz-content-sha256").is_none());
}

#[test]
fn a_folder_signs_in_the_query_for_s3_and_shows_no_signature() {
    let request = aws::presigned::get_object::Request::example();
    let built = request.build(&client()).expect("builds");
    let query = built.uri().query().expect("a query");
    assert!(query.starts_with("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE"));
    assert!(query.contains("/eu-west-1/s3/aws4_request"), "{query}");
    assert!(query.contains("&X-Amz-Expires=86400&"), "{query}");
    assert!(header(&built, "authorization").is_none());
    let shown = request.to_curl(&client()).expect("builds");
    assert!(shown.contains("X-Amz-Signature=<redacted>"), "{shown}");
    assert!(!shown.contains(SECRET_KEY));
}

#[test]
fn without_keys_nothing_is_signed() {
    let built = aws::put_item::Request::example()
        .build(&aws::Client::new())
        .expect("builds");
    assert!(header(&built, "authorization").is_none());
    assert!(header(&built, "x-amz-date").is_none());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
