//! The generated mock of an API, used as a downstream crate's tests use it: default answers
//! from the saved examples, typed stubs per body mode, an error status, verification of what
//! was sent, and requests that match no operation.

use postman_clients::body_modes;
use postman_clients::runtime::{self, Operation as _};
use postman_clients::zoom_users::{self, users};

#[tokio::test]
async fn answers_each_operation_with_its_first_saved_success() {
    let server = zoom_users::mock::MockServer::start().await;
    let client = server.client();

    let user = users::get_a_user::Request::new("me")
        .send(&client)
        .await
        .unwrap();
    let users::get_a_user::Success::Ok(user) = user.into_inner() else {
        panic!("the saved 200 decodes into `Ok`");
    };
    // The saved example's own values come back.
    assert!(user.email.as_deref().is_some_and(|e| e.contains('@')));

    let updated = users::update_a_user::Request::new("42")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(updated.status(), 204);
    assert!(matches!(
        updated.value(),
        users::update_a_user::Success::NoContent
    ));
}

#[tokio::test]
async fn a_stub_answers_with_a_typed_error_and_its_body() {
    let server = zoom_users::mock::MockServer::start().await;
    let mut body = zoom_users::types::ErrorCodeMessage::default();
    body.code = Some(1001);
    body.message = Some("User does not exist: 42".to_owned());
    server
        .on::<users::update_a_user::Request>()
        .path_param("userId", "42")
        .fail(users::update_a_user::Error::NotFound(body.clone()));

    let client = server.client();
    let err = users::update_a_user::Request::new("42")
        .send(&client)
        .await
        .unwrap_err();
    let runtime::Error::Api(api) = err else {
        panic!("a 404 is an API error: {err}");
    };
    assert_eq!(api.status(), 404);
    assert_eq!(
        api.error(),
        &users::update_a_user::Error::NotFound(body),
        "the stubbed body decodes back"
    );
    // The stub holds only for user 42; another user gets the saved success.
    let other = users::update_a_user::Request::new("7")
        .send(&client)
        .await
        .unwrap();
    assert!(matches!(
        other.value(),
        users::update_a_user::Success::NoContent
    ));
}

#[tokio::test]
async fn a_stub_answers_with_a_saved_example_of_any_status() {
    let server = zoom_users::mock::MockServer::start().await;
    server
        .on::<users::update_a_user::Request>()
        .example(400)
        .unwrap();
    let missing = server.on::<users::update_a_user::Request>().example(418);
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("no saved example with status 418"),
        "a status the collection did not save is an error that says so"
    );
    let err = users::update_a_user::Request::new("42")
        .send(&server.client())
        .await
        .unwrap_err();
    let runtime::Error::Api(api) = err else {
        panic!("a 400 is an API error: {err}");
    };
    let users::update_a_user::Error::BadRequest(body) = api.error() else {
        panic!("the saved 400 decodes into `BadRequest`: {:?}", api.error());
    };
    assert!(body
        .message
        .as_deref()
        .is_some_and(|m| m.contains("pronouns")));
}

#[tokio::test]
async fn verification_reads_a_multipart_body() {
    let server = zoom_users::mock::MockServer::start().await;
    let client = server.client();
    users::update_a_user::Request::new("jill@example.com")
        .body_map(|body| body.first_name("Jill").last_name("Valentine"))
        .send(&client)
        .await
        .unwrap();

    let received = server.received::<users::update_a_user::Request>();
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    assert_eq!(sent.method(), "PATCH");
    assert_eq!(sent.path_param("userId"), Some("jill@example.com"));
    assert_eq!(sent.body_field("first_name").as_deref(), Some("Jill"));
    assert_eq!(sent.body_field("last_name").as_deref(), Some("Valentine"));
    assert_eq!(
        sent.body_field("dept"),
        None,
        "fields left unset are not sent"
    );
    assert!(server.received::<users::get_a_user::Request>().is_empty());
}

#[tokio::test]
async fn verification_reads_a_json_body() {
    let server = zoom_users::mock::MockServer::start().await;
    let info =
        users::create_users::UserInfo::new("jill@example.com", 1, "Jill", "Valentine", "s3cret");
    let body = users::create_users::Body::new("create", info);
    let created = users::create_users::Request::new(body)
        .send(&server.client())
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let sent = &server.received::<users::create_users::Request>()[0];
    assert_eq!(sent.body_field("action").as_deref(), Some("create"));
    let json: runtime::serde_json::Value = sent.json().unwrap();
    assert_eq!(json["user_info"]["first_name"], "Jill");
}

/// A stub per body mode: each answers only the request whose body holds the field asked for.
#[tokio::test]
async fn stubs_match_body_fields_of_each_body_mode() {
    let server = body_modes::mock::MockServer::start().await;
    let client = server.client().with_api_key("key");

    // URL-encoded form.
    let mut ok = body_modes::submit_form::OkBody::default();
    ok.id = Some(77);
    server
        .on::<body_modes::submit_form::Request>()
        .body_field("name", "Jill")
        .reply(body_modes::submit_form::Success::Ok(ok.clone()));
    let form = body_modes::submit_form::Body::new("Jill").count(3);
    let reply = body_modes::submit_form::Request::new(form)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(reply.value(), &body_modes::submit_form::Success::Ok(ok));
    let sent = &server.received::<body_modes::submit_form::Request>()[0];
    assert_eq!(sent.body_field("count").as_deref(), Some("3"));

    // Multipart with a file.
    let mut created = body_modes::upload_avatar::CreatedBody::default();
    created.size = Some(4);
    server
        .on::<body_modes::upload_avatar::Request>()
        .body_field("caption", "me")
        .reply(body_modes::upload_avatar::Success::Created(created.clone()));
    let file = runtime::FilePart::new("a.png", b"\x89PNG".to_vec());
    let avatar = body_modes::upload_avatar::Body::new(file).caption("me");
    let upload = body_modes::upload_avatar::Request::new(avatar)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        upload.value(),
        &body_modes::upload_avatar::Success::Created(created)
    );

    // Raw XML, answered with text.
    server
        .on::<body_modes::send_xml::Request>()
        .reply(body_modes::send_xml::Success::Ok("<ok/>".to_owned()));
    let xml = body_modes::send_xml::Request::new("<note/>".to_owned())
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        xml.value(),
        &body_modes::send_xml::Success::Ok("<ok/>".to_owned())
    );
    let sent = &server.received::<body_modes::send_xml::Request>()[0];
    assert_eq!(sent.body(), b"<note/>");

    // GraphQL: the variables are a JSON field of the body.
    server
        .on::<body_modes::graph_ql_query::Request>()
        .fail(body_modes::graph_ql_query::Error::Undocumented);
    let err = body_modes::graph_ql_query::Request::example()
        .send(&client)
        .await
        .unwrap_err();
    assert!(err.status().is_some_and(|s| s.is_server_error()), "{err}");
    let sent = &server.received::<body_modes::graph_ql_query::Request>()[0];
    let json: runtime::serde_json::Value = sent.json().unwrap();
    assert!(json["query"].as_str().is_some_and(|q| q.contains("hero")));

    // Binary, on a path parameter.
    server
        .on::<body_modes::upload_binary::Request>()
        .path_param("name", "a.bin")
        .reply(body_modes::upload_binary::Success::NoContent);
    let binary = body_modes::upload_binary::Request::new("a.bin", vec![1, 2, 3])
        .send(&client)
        .await
        .unwrap();
    assert!(matches!(
        binary.value(),
        body_modes::upload_binary::Success::NoContent
    ));
    let sent = &server.received::<body_modes::upload_binary::Request>()[0];
    assert_eq!(sent.body(), [1, 2, 3]);
}

#[tokio::test]
async fn the_newest_matching_stub_answers() {
    let server = zoom_users::mock::MockServer::start().await;
    let op = || server.on::<users::update_a_user::Request>();
    op().fail(users::update_a_user::Error::Undocumented);
    op().reply(users::update_a_user::Success::NoContent);
    let client = server.client();
    let reply = users::update_a_user::Request::new("1").send(&client).await;
    assert!(reply.is_ok(), "the newer stub wins: {reply:?}");
}

#[tokio::test]
async fn a_request_no_operation_matches_names_the_closest() {
    let server = zoom_users::mock::MockServer::start().await;
    let response = runtime::reqwest::Client::new()
        .delete(format!("{}/users/42/pasword", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let text = response.text().await.unwrap();
    let unmatched = server.take_unmatched();
    assert_eq!(unmatched, std::slice::from_ref(&text));
    assert!(
        text.contains("DELETE /users/42/pasword")
            && text.contains("users::update_a_users_password (PUT /users/:userId/password)"),
        "{text}"
    );
}

#[tokio::test]
#[should_panic(expected = "match no operation")]
async fn an_unmatched_request_fails_the_test() {
    let server = zoom_users::mock::MockServer::start().await;
    let _ = runtime::reqwest::get(format!("{}/nowhere", server.uri())).await;
}

/// What the code under test sent, read back into each operation's own `Request`: equal to
/// the request it built, for each body mode.
#[tokio::test]
async fn requests_read_back_into_their_request_type() {
    let server = zoom_users::mock::MockServer::start().await;
    let client = server.client();
    let update = users::update_a_user::Request::new("jill@example.com")
        .login_type(zoom_users::types::LoginType::FacebookOAuth)
        .remove_tsp_credentials(true)
        .body_map(|body| body.first_name("Jill").pmi(3_542_471_135_i64));
    update.send(&client).await.unwrap();
    assert_eq!(
        server.requests::<users::update_a_user::Request>().unwrap(),
        [update]
    );

    let server = body_modes::mock::MockServer::start().await;
    let client = server.client().with_api_key("key");
    let form =
        body_modes::submit_form::Request::new(body_modes::submit_form::Body::new("Jill").count(3));
    form.send(&client).await.unwrap();
    assert_eq!(
        server
            .requests::<body_modes::submit_form::Request>()
            .unwrap(),
        [form]
    );

    let file = runtime::FilePart::new("a.png", b"\x89PNG".to_vec());
    // Set here: left unset, the client would fill it from `{{accountId}}`, and it would come
    // back set, as it went out.
    let avatar = body_modes::upload_avatar::Request::new(
        body_modes::upload_avatar::Body::new(file).caption("me"),
    )
    .account_id("acct-9");
    avatar.send(&client).await.unwrap();
    assert_eq!(
        server
            .requests::<body_modes::upload_avatar::Request>()
            .unwrap(),
        [avatar]
    );

    let graphql = body_modes::graph_ql_query::Request::example();
    graphql.send(&client).await.unwrap();
    assert_eq!(
        server
            .requests::<body_modes::graph_ql_query::Request>()
            .unwrap(),
        [graphql]
    );

    let binary = body_modes::upload_binary::Request::new("a.bin", vec![0, 1, 2]);
    binary.send(&client).await.unwrap();
    assert_eq!(
        server
            .requests::<body_modes::upload_binary::Request>()
            .unwrap(),
        [binary]
    );

    let xml = body_modes::send_xml::Request::new("<note/>".to_owned());
    xml.send(&client).await.unwrap();
    assert_eq!(
        server.requests::<body_modes::send_xml::Request>().unwrap(),
        [xml]
    );

    let search = body_modes::search_with_repeated_keys::Request::example();
    search.send(&client).await.unwrap();
    assert_eq!(
        server
            .requests::<body_modes::search_with_repeated_keys::Request>()
            .unwrap(),
        [search]
    );
}

#[tokio::test]
async fn a_request_that_does_not_read_back_says_why() {
    let server = body_modes::mock::MockServer::start().await;
    // Sent by hand, without the form's required field.
    let response = runtime::reqwest::Client::new()
        .post(format!("{}/forms", server.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("count=3")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let error = server
        .requests::<body_modes::submit_form::Request>()
        .unwrap_err();
    assert_eq!(error.to_string(), "form field `name`: it is missing");
}
