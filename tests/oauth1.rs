//! OAuth 1.0a as Postman signs requests, proven against published vectors: RFC 5849 (the
//! signature base string of section 3.4.1.1 and the example of section 1.2), the OAuth Core
//! 1.0 appendix A example and Twitter's "Creating a signature" example; vectors without a
//! published source were computed with oauthlib 3.2.2 (PyPI) or Python's `hmac` and `hashlib`.

use postman_clients::oauth1::{self, query_placement, runtime};
use postman_clients::runtime::Operation as _;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn rfc_5849_base_string_and_signatures() {
    // RFC 5849, section 3.4.1.1: query and body parameters, repeated keys, empty values.
    let base = runtime::oauth1::base_string(
        "post",
        "http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        &pairs(&[
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("c2", ""),
            ("a3", "2 q"),
        ]),
    );
    assert_eq!(
        base,
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
    );
    let photos = |timestamp: &str, nonce: &str, version: Option<&str>| {
        let mut params = pairs(&[
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", timestamp),
            ("oauth_nonce", nonce),
        ]);
        params.extend(version.map(|v| ("oauth_version".to_owned(), v.to_owned())));
        let base = runtime::oauth1::base_string(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &params,
        );
        runtime::oauth1::signature("HMAC-SHA1", &base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
            .expect("signs")
    };
    // RFC 5849, section 1.2.
    assert_eq!(
        photos("137131202", "chapoH", None),
        "MdpQcU8iPSUjWoN/UDMsK2sui9I="
    );
    // OAuth Core 1.0, appendix A.5.
    assert_eq!(
        photos("1191242096", "kllo9940pd9333jh", Some("1.0")),
        "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    );
    assert_eq!(
        runtime::oauth1::signature("PLAINTEXT", "ignored", "c&s", "t s").expect("signs"),
        "c%26s&t%20s"
    );
    let unsupported = runtime::oauth1::signature("RSA-SHA1", "x", "c", "t");
    assert!(unsupported.unwrap_err().to_string().contains("RSA-SHA1"));
}

/// A client with Twitter's published credentials, nonce and timestamp.
fn twitter_client() -> oauth1::Client {
    oauth1::Client::new()
        .with_variable("consumerKey", "xvz1evFS4wEEPTGEFPHBog")
        .with_secret_variable(
            "consumerSecret",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        )
        .with_variable(
            "accessToken",
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        )
        .with_auth_param("tokenSecret", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
        .with_auth_param("nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg")
        .with_auth_param("timestamp", "1318622958")
}

#[test]
fn twitters_example_signs_the_header_over_query_and_form() {
    let request = oauth1::update_status::Request::example();
    let built = request.build(&twitter_client()).expect("builds");
    let header = built.headers()["authorization"].to_str().expect("text");
    assert_eq!(
        header,
        "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\",\
         oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\",\
         oauth_signature_method=\"HMAC-SHA1\",oauth_timestamp=\"1318622958\",\
         oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\",oauth_version=\"1.0\",\
         oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""
    );
    let shown = format!(
        "{:?}",
        request.prepare(&twitter_client()).expect("prepares")
    );
    assert!(
        !shown.contains("hCtSmYh"),
        "the header is redacted: {shown}"
    );
}

#[test]
fn a_folder_puts_the_parameters_in_the_query() {
    let client = oauth1::Client::new()
        .with_auth_param("consumerKey", "ck")
        .with_auth_param("consumerSecret", "cs")
        .with_auth_param("nonce", "abc123")
        .with_auth_param("timestamp", "1700000000");
    let built = query_placement::search::Request::example()
        .build(&client)
        .expect("builds");
    assert!(built.headers().get("authorization").is_none());
    // oauthlib's signature, `wWk/AONDRPNj2jwnxm1TMP8Dqak=`; a query may hold `/` as it is.
    assert_eq!(
        built.uri().query(),
        Some(
            "q=rust%20lang&oauth_consumer_key=ck&oauth_signature_method=HMAC-SHA1&\
             oauth_timestamp=1700000000&oauth_nonce=abc123&oauth_version=1.0&\
             oauth_signature=wWk/AONDRPNj2jwnxm1TMP8Dqak%3D"
        )
    );
}

#[test]
fn a_request_signs_its_body_hash_with_hmac_sha256_and_a_realm() {
    let client = oauth1::Client::new()
        .with_auth_param("consumerKey", "ck")
        .with_auth_param("consumerSecret", "cs")
        .with_auth_param("token", "tk")
        .with_auth_param("tokenSecret", "ts")
        .with_auth_param("nonce", "abc123")
        .with_auth_param("timestamp", "1700000000");
    let built = oauth1::upload_media::Request::example()
        .build(&client)
        .expect("builds");
    assert_eq!(built.body(), br#"{"media":"aGk="}"#);
    assert_eq!(
        built.headers()["authorization"].to_str().expect("text"),
        "OAuth realm=\"media\",oauth_consumer_key=\"ck\",oauth_token=\"tk\",\
         oauth_signature_method=\"HMAC-SHA256\",oauth_timestamp=\"1700000000\",\
         oauth_nonce=\"abc123\",\
         oauth_body_hash=\"hM8ns%2FEaxGFiKbm6xDIB0yd16L5QB10rRovLJ8JAVS4%3D\",\
         oauth_signature=\"UkvFF%2FhOnRDpKbjG4c03mtEAQ5VKT8D1y0j7ECOL6m8%3D\""
    );
}

#[tokio::test]
async fn without_a_consumer_secret_nothing_is_signed_and_a_fresh_nonce_goes_each_time() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let request = oauth1::update_status::Request::example();
    let unsigned = oauth1::Client::new().with_base_url(server.uri());
    let built = request.build(&unsigned).expect("builds");
    assert!(built.headers().get("authorization").is_none());

    let client = oauth1::Client::new()
        .with_base_url(server.uri())
        .with_auth_param("consumerKey", "ck")
        .with_auth_param("consumerSecret", "cs");
    client.update_status(&request).await.expect("200");
    client.update_status(&request).await.expect("200");
    let received = server.received_requests().await.expect("recorded");
    let nonces: Vec<String> = received
        .iter()
        .map(|r| {
            let header = r.headers["authorization"].to_str().expect("text");
            let start = header.find("oauth_nonce=\"").expect("a nonce") + 13;
            header[start..start + 11].to_owned()
        })
        .collect();
    assert_ne!(nonces[0], nonces[1]);
    assert_eq!(
        received[0].body,
        b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
    );
}
