//! HTTP Digest as Postman computes it, proven against RFC 7616's example (section 3.9.1) and
//! on the wire: a request the collection gives a realm and nonce is signed at once; one
//! without answers the server's `401` challenge once.

use postman_clients::digest::{self, runtime};
use postman_clients::runtime::Operation as _;
use wiremock::matchers::{any, header_exists};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// RFC 7616, section 3.9.1: the same request with MD5 and with SHA-256.
fn rfc_7616(algorithm: &str) -> runtime::digest::Params {
    runtime::digest::Params {
        username: "Mufasa".into(),
        password: "Circle of Life".into(),
        realm: "http-auth@example.org".into(),
        nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".into(),
        algorithm: algorithm.into(),
        qop: "auth".into(),
        nonce_count: "00000001".into(),
        client_nonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ".into(),
        opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS".into(),
    }
}

#[test]
fn rfc_7616_responses() {
    let header = |algorithm| {
        runtime::digest::header(&rfc_7616(algorithm), "GET", "/dir/index.html", b"")
            .expect("computes")
    };
    assert!(header("MD5").contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""));
    assert!(header("SHA-256")
        .contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""));
    assert!(runtime::digest::header(&rfc_7616("SHA-1"), "GET", "/", b"").is_err());
}

#[test]
fn given_realm_and_nonce_sign_at_once_as_postman_writes_the_header() {
    let client = digest::Client::new().with_secret_variable("password", "Circle of Life");
    let built = digest::index::Request::example()
        .build(&client)
        .expect("builds");
    assert_eq!(
        built.headers()["authorization"].to_str().expect("text"),
        "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", \
         nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", uri=\"/dir/index.html\", \
         algorithm=\"SHA-256\", qop=auth, nc=00000001, \
         cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", \
         response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", \
         opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
    );
}

#[tokio::test]
async fn the_servers_challenge_is_answered_once() {
    let server = MockServer::start().await;
    Mock::given(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).insert_header(
            "www-authenticate",
            "Digest realm=\"api\", qop=\"auth,auth-int\", nonce=\"n0nce\", opaque=\"op\"",
        ))
        .mount(&server)
        .await;
    let client = digest::Client::new()
        .with_base_url(server.uri())
        .with_secret_variable("password", "pw");
    let request = digest::profile::Request::example();
    let first = request.build(&client).expect("builds");
    assert!(
        first.headers().get("authorization").is_none(),
        "no realm and nonce yet: sent unsigned"
    );
    client
        .profile(&request)
        .await
        .expect("200 after the challenge");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 2);
    let answer = received[1].headers["authorization"].to_str().expect("text");
    let field = |name: &str| {
        let start = answer.find(&format!("{name}=")).expect(name) + name.len() + 1;
        let rest = &answer[start..];
        let rest = rest.strip_prefix('"').unwrap_or(rest);
        rest[..rest.find(['"', ',']).unwrap_or(rest.len())].to_owned()
    };
    assert_eq!(field("realm"), "api");
    assert_eq!(field("qop"), "auth");
    assert_eq!(field("nc"), "00000001");
    let expected = runtime::digest::Params {
        username: "Mufasa".into(),
        password: "pw".into(),
        realm: "api".into(),
        nonce: "n0nce".into(),
        algorithm: "MD5".into(),
        qop: "auth".into(),
        nonce_count: "00000001".into(),
        client_nonce: field("cnonce"),
        opaque: "op".into(),
    };
    let recomputed = runtime::digest::header(&expected, "GET", "/profile", b"").expect("computes");
    assert_eq!(answer, recomputed);

    // A server that keeps refusing gets one answer, not a loop.
    let refusing = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", "Digest realm=\"a\", nonce=\"b\""),
        )
        .mount(&refusing)
        .await;
    let client = client.with_base_url(refusing.uri());
    let error = client.profile(&request).await.expect_err("401");
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(
        refusing.received_requests().await.expect("recorded").len(),
        2
    );
}
