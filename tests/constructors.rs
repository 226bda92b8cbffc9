//! Requests built with constructors and setters: `new` takes what is required, everything
//! optional starts empty and is sent only when set.

use postman_clients::runtime::Operation as _;
use postman_clients::{body_modes, zoom_users};

#[test]
fn update_a_user_sends_only_what_was_set() {
    use zoom_users::types::LoginType;
    use zoom_users::users::update_a_user::Request;
    let client = zoom_users::Client::new().with_bearer_token("tok");
    let built = Request::new("me")
        .body_map(|body| body.first_name("Jill"))
        .login_type(LoginType::GoogleOAuth)
        .build(&client)
        .expect("builds");
    assert_eq!(built.method(), "PATCH");
    assert_eq!(built.uri().path(), "/v2/users/me");
    assert_eq!(built.uri().query(), Some("login_type=1"));
    let body = String::from_utf8_lossy(built.body()).into_owned();
    assert!(
        body.contains("name=\"first_name\"\r\n\r\nJill\r\n"),
        "{body}"
    );
    assert_eq!(body.matches("Content-Disposition").count(), 1, "{body}");
}

#[test]
fn a_json_body_takes_its_required_fields_and_nested_types() {
    use body_modes::create_booking_from_a_template::{Body, Dates, Request};
    let client = body_modes::Client::new();
    let body = Body::new("Ann", 120, Dates::new("2026-01-01", "2026-01-08"));
    let built = Request::new(body.clone())
        .body_map(|body| body.note("late"))
        .build(&client)
        .expect("builds");
    let sent: serde_json::Value = serde_json::from_slice(built.body()).expect("JSON");
    assert_eq!(
        sent,
        serde_json::json!({
            "name": "Ann",
            "total": 120,
            "note": "late",
            "dates": {"in": "2026-01-01", "out": "2026-01-08"}
        })
    );
    // Without the optional note, the key is left out.
    let built = Request::new(body).build(&client).expect("builds");
    let sent: serde_json::Value = serde_json::from_slice(built.body()).expect("JSON");
    assert!(sent.get("note").is_none(), "{sent}");
}

#[test]
fn a_request_with_nothing_required_starts_empty() {
    use zoom_users::users::list_users::Request;
    assert_eq!(Request::new(), Request::default());
    let client = zoom_users::Client::new();
    let built = Request::new().page_size(30).build(&client).expect("builds");
    assert_eq!(built.uri().query(), Some("page_size=30"));
}
