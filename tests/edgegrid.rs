//! Akamai EdgeGrid as Postman signs requests, proven against the test cases of Akamai's own
//! library (`akamai/edgegrid/test/testcases.json` and `testdata.json` of
//! AkamaiOPEN-edgegrid-python): the collection repeats those requests, and the client signs
//! them with the same credentials, nonce and timestamp.

use postman_clients::edgegrid;
use postman_clients::runtime::Operation as _;

const CLIENT_SECRET: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=";

fn client() -> edgegrid::Client {
    edgegrid::Client::new()
        .with_secret_variable(
            "edgegridAccessToken",
            "akab-access-token-xxx-xxxxxxxxxxxxxxxx",
        )
        .with_secret_variable(
            "edgegridClientToken",
            "akab-client-token-xxx-xxxxxxxxxxxxxxxx",
        )
        .with_secret_variable("edgegridClientSecret", CLIENT_SECRET)
        .with_variable("edgegridNonce", "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        .with_variable("edgegridTimestamp", "20140321T19:34:21+0000")
}

/// The `Authorization` value Akamai's test cases expect, with this signature.
fn expected(signature: &str) -> String {
    format!(
        "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;\
         access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;timestamp=20140321T19:34:21+0000;\
         nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;signature={signature}"
    )
}

fn signed(request: &http::Request<Vec<u8>>) -> &str {
    request.headers()["authorization"].to_str().expect("text")
}

#[test]
fn akamais_test_cases() {
    let client = client();
    let cases = [
        (
            edgegrid::simple_get::Request::example().build(&client),
            "tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU=",
        ),
        (
            edgegrid::get_with_querystring::Request::example().build(&client),
            "hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA=",
        ),
        (
            edgegrid::post_inside_limit::Request::example().build(&client),
            "hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4=",
        ),
        // Only the first 2,048 bytes are hashed: the same signature as a body of exactly that.
        (
            edgegrid::post_too_large::Request::example().build(&client),
            "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY=",
        ),
        (
            edgegrid::headers_out_of_order::Request::example().build(&client),
            "Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY=",
        ),
        // The body of a PUT is not hashed.
        (
            edgegrid::put_test::Request::example().build(&client),
            "GNBWEYSEWOLtu+7dD52da2C39aX/Jchpon3K/AmBqBU=",
        ),
    ];
    for (built, signature) in cases {
        let built = built.expect("builds");
        assert_eq!(signed(&built), expected(signature), "{}", built.uri());
    }
}

#[test]
fn without_credentials_nothing_is_signed_and_fresh_values_go_otherwise() {
    let request = edgegrid::simple_get::Request::example();
    let unsigned = request.build(&edgegrid::Client::new()).expect("builds");
    assert!(unsigned.headers().get("authorization").is_none());
    let fresh = client()
        .with_variable("edgegridNonce", "")
        .with_variable("edgegridTimestamp", "");
    let first = request.build(&fresh).expect("builds");
    let second = request.build(&fresh).expect("builds");
    assert_ne!(
        signed(&first),
        signed(&second),
        "a nonce of its own each time"
    );
    let timestamp = signed(&first)
        .split(";timestamp=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("a timestamp");
    assert_eq!(
        timestamp.len(),
        "20140321T19:34:21+0000".len(),
        "{timestamp}"
    );
    assert!(timestamp.ends_with("+0000") && timestamp.as_bytes()[8] == b'T');
    let shown = request.to_curl(&client()).expect("builds");
    assert!(!shown.contains("signature="), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET));
}
