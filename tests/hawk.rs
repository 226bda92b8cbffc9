//! Hawk as Postman signs requests, proven against the example of Hawk's README (a GET, and a
//! POST with its payload hash), also computed with Python's `hmac` and `hashlib`.

use postman_clients::hawk;
use postman_clients::runtime::Operation as _;

const KEY: &str = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn";

fn client() -> hawk::Client {
    hawk::Client::new()
        .with_secret_variable("hawkKey", KEY)
        .with_auth_param("timestamp", "1353832234")
        .with_auth_param("nonce", "j4h3g2")
}

#[test]
fn the_readme_example_signs_a_get() {
    let built = hawk::resource::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(
        built.headers()["authorization"].to_str().expect("text"),
        "Hawk id=\"dh37fgj492je\", ts=\"1353832234\", nonce=\"j4h3g2\", \
         ext=\"some-app-ext-data\", mac=\"6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE=\""
    );
}

#[test]
fn the_readme_example_signs_a_post_with_its_payload_hash() {
    let built = hawk::post_resource::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(built.body(), b"Thank you for flying Hawk");
    assert_eq!(
        built.headers()["authorization"].to_str().expect("text"),
        "Hawk id=\"dh37fgj492je\", ts=\"1353832234\", nonce=\"j4h3g2\", \
         hash=\"Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=\", ext=\"some-app-ext-data\", \
         mac=\"aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=\""
    );
}

#[test]
fn without_a_key_nothing_is_signed_and_fresh_values_go_otherwise() {
    let request = hawk::resource::Request::example();
    let unsigned = request.build(&hawk::Client::new()).expect("builds");
    assert!(unsigned.headers().get("authorization").is_none());
    let client = hawk::Client::new().with_auth_param("authKey", KEY);
    let header = |built: http::Request<Vec<u8>>| {
        built.headers()["authorization"]
            .to_str()
            .expect("text")
            .to_owned()
    };
    let first = header(request.build(&client).expect("builds"));
    let second = header(request.build(&client).expect("builds"));
    assert!(first.starts_with("Hawk id=\"dh37fgj492je\", ts=\""));
    assert_ne!(first, second, "a nonce of its own each time");
    let bad = hawk::Client::new()
        .with_auth_param("authKey", KEY)
        .with_auth_param("algorithm", "md5");
    let error = request
        .build(&bad)
        .expect_err("md5 is not a Hawk algorithm");
    assert!(error.to_string().contains("md5"), "{error}");
}
