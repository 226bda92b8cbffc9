//! The clients of `collections/` share one runtime: one error type and one client type serve
//! every collection, while each request still asks for its own collection's client.

use postman_clients::runtime::{self, Operation};
use postman_clients::{zoho_mail, zoom_users};

/// One handler for the errors of any operation of any collection.
fn status_of<E>(error: &runtime::Error<E>) -> Option<u16> {
    error.status().map(|status| status.as_u16())
}

fn not_found() -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(404)
        .header("content-type", "application/json")
        .body(br#"{"code": 1001, "message": "User does not exist"}"#.to_vec())
        .expect("a response")
}

#[test]
fn one_error_handler_serves_every_collection() {
    let zoom = zoom_users::users::get_a_user::Request::parse_response(not_found())
        .expect_err("404 is an error");
    let zoho = zoho_mail::accounts::reset_user_password::Request::parse_response(not_found())
        .expect_err("404 is an error");
    assert_eq!(status_of(&zoom), Some(404));
    assert_eq!(status_of(&zoho), Some(404));
    let runtime::Error::Api(api) = zoom else {
        panic!("an API error: {zoom}")
    };
    assert!(
        matches!(api.error(), zoom_users::users::get_a_user::Error::NotFound(body) if body.code == Some(1001)),
        "the typed body: {:?}",
        api.error()
    );
    assert_eq!(api.operation().name, "users::get_a_user");
}

#[test]
fn each_collection_client_is_the_runtime_client_with_its_servers() {
    let clients: [runtime::Client; 2] = [
        zoom_users::Client::new().into(),
        zoho_mail::Client::new()
            .with_base_url("http://127.0.0.1:9")
            .into(),
    ];
    assert_eq!(
        clients[0].server("baseUrl").as_deref(),
        Some("https://api.zoom.us/v2")
    );
    assert_eq!(
        clients[1].server("baseUrl").as_deref(),
        Some("http://127.0.0.1:9")
    );
}

/// Compiles only for a request whose operation takes the Zoom client.
fn zoom_request<O: Operation<Client = zoom_users::Client>>(request: &O) -> String {
    request
        .to_curl(&zoom_users::Client::new())
        .expect("a curl command")
}

#[test]
fn a_request_is_prepared_with_its_own_collection_client() {
    let curl = zoom_request(&zoom_users::users::delete_a_user::Request::new("me"));
    assert!(curl.contains("https://api.zoom.us/v2/users/me"), "{curl}");
    assert_eq!(
        <zoom_users::users::delete_a_user::Request as Operation>::ID.to_string(),
        "users::delete_a_user (DELETE /users/:userId)"
    );
}
