use std::fmt;

use super::scripts::{RequestEdits, Step};
use super::{
    AuthScheme, BuildError, Client, Error, Prepared, RawResponse, RequestBuilder, Response,
};

/// Which operation a response or an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationId {
    /// Module path of the operation (`users::update_a_user`).
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path as written in the collection.
    pub path: &'static str,
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.name, self.method, self.path)
    }
}

/// What sending operation `O` gives: its decoded success, or why it failed.
pub type Outcome<O> = Result<Response<<O as Operation>::Success>, Error<<O as Operation>::Error>>;

/// One request of the collection. Each operation's `Request` says only what is its own: its
/// server, method and auth in constants, its route, parameters and body in
/// [`Operation::encode`], its statuses in [`Operation::decode`]. Building, sending and decoding
/// are provided here.
///
/// Bring the trait into scope to call them: `use my_client::runtime::Operation as _;`.
pub trait Operation: Sync {
    /// The client of the collection the operation belongs to (its servers and variables).
    type Client: AsRef<Client> + Sync;
    /// The success responses: in a generated client, an enum with one variant per 2xx status
    /// the collection documents, holding the body typed from its saved examples, and
    /// `Undocumented` with any other 2xx response as it came. The enum is `#[non_exhaustive]`:
    /// more variants appear when the collection documents more statuses.
    type Success;
    /// The error statuses, inside [`Error::Api`]: in a generated client, an enum with one
    /// variant per other status the collection documents, with its body where the collection
    /// saved one, and `Undocumented` for any other status. The response itself is in
    /// [`ApiError::response`](super::ApiError::response).
    type Error: Send;
    /// Module path of the operation (`users::update_a_user`).
    const NAME: &'static str;
    /// HTTP method.
    const METHOD: &'static str;
    /// Path as written in the collection.
    const PATH: &'static str;
    /// The server the URL starts from: a key of the client's servers (see
    /// [`Client::with_server`]).
    const SERVER: &'static str;
    /// How the request authenticates.
    const AUTH: AuthScheme = AuthScheme::None;
    /// What the collection's pre-request scripts do before this request is built, collection,
    /// folders and request in order (as far as the generator translated them).
    const PRE_REQUEST: &'static [Step] = &[];
    /// What the collection's test scripts do once this request's response is in.
    const TEST: &'static [Step] = &[];
    /// Postman's name for the auth the request declares itself (`oauth1`, `bearer`, ...), as
    /// its pre-request scripts run as written read it (`pm.request.auth.type`); `None` where
    /// it inherits its auth, as Postman's scripts then see none.
    const REQUEST_AUTH: Option<&'static str> = None;
    /// The operation, as errors name it.
    const ID: OperationId = OperationId {
        name: Self::NAME,
        method: Self::METHOD,
        path: Self::PATH,
    };

    /// Writes what is the request's own into `builder`: path segments, query, headers and
    /// body. Errors (an invalid header, a body that does not serialize) are kept by the
    /// builder and returned by [`RequestBuilder::finish`].
    fn encode(&self, builder: &mut RequestBuilder);

    /// Builds the request without sending it: URL, headers, credentials and body.
    fn prepare(&self, client: &Self::Client) -> Result<Prepared, BuildError> {
        prepare(self, client, None)
    }

    /// Builds the request as [`Operation::prepare`] does, but to `link`: a URL the server
    /// handed out for this operation (a next page's link), absolute or relative to the
    /// request's own URL. Headers, body and credentials are the request's; the query is the
    /// link's, but for credentials the operation sends in the query. A link to another origin
    /// is an error: the credentials would go with it.
    fn prepare_to(&self, client: &Self::Client, link: &str) -> Result<Prepared, BuildError> {
        prepare(self, client, Some(link))
    }

    /// Runs the collection's test scripts of this request on a response it got, however it
    /// was sent: the variables they capture (name, value), which are set on the client when
    /// its scripts are on (see [`Client::with_scripts`]). Requests the scripts send
    /// (`pm.sendRequest`) do not go out here. [`Operation::send`] runs them for you, sending
    /// those too with the runtime's `js` feature, and keeps what they capture in
    /// [`Response::captured`].
    fn run_test_scripts(client: &Self::Client, response: &RawResponse) -> Vec<(String, String)> {
        client.as_ref().run_test(Self::ID, Self::TEST, response)
    }

    /// Decodes a response: a documented or undocumented 2xx is a success, any other status an
    /// [`Error::Api`] holding the typed error and the response.
    fn decode(raw: RawResponse) -> Outcome<Self>;

    /// The request as an `http::Request`, ready for any HTTP client.
    fn build(&self, client: &Self::Client) -> Result<http::Request<Vec<u8>>, BuildError> {
        self.prepare(client)?.into_http()
    }

    /// The request as a curl command (credentials redacted).
    fn to_curl(&self, client: &Self::Client) -> Result<String, BuildError> {
        Ok(self.prepare(client)?.to_curl())
    }

    /// Decodes an `http::Response`, however it was sent (see [`Operation::decode`]).
    fn parse_response(response: http::Response<Vec<u8>>) -> Outcome<Self> {
        Self::decode(RawResponse::from_http(response))
    }

    /// Sends the request (retrying as the client's policy allows) and decodes the response.
    /// With the runtime's `js` feature, requests the collection's scripts send
    /// (`pm.sendRequest`) go out too, before the request for its pre-request scripts and after
    /// the response for its test scripts; [`Operation::prepare`] sends nothing.
    fn send<'a>(
        &'a self,
        client: &'a Self::Client,
    ) -> impl std::future::Future<Output = Outcome<Self>> + Send + 'a {
        async move { exchange::<Self>(client, prepare_sending(self, client, None).await?).await }
    }
}

/// [`Operation::prepare`], to `link` when there is one.
fn prepare<O: Operation + ?Sized>(
    operation: &O,
    client: &O::Client,
    link: Option<&str>,
) -> Result<Prepared, BuildError> {
    let view = || request_view(operation, client);
    let edits = client
        .as_ref()
        .run_pre_request(O::ID, O::PRE_REQUEST, &view)?;
    build(operation, client, edits, link)
}

/// [`prepare`] on the way to sending: requests the pre-request scripts send go out first.
pub(super) async fn prepare_sending<O: Operation + ?Sized>(
    operation: &O,
    client: &O::Client,
    link: Option<&str>,
) -> Result<Prepared, BuildError> {
    let view = || request_view(operation, client);
    let edits = client
        .as_ref()
        .run_pre_request_sending(O::ID, O::PRE_REQUEST, &view)
        .await?;
    build(operation, client, edits, link)
}

/// The request as `operation` builds it before its pre-request scripts run, as scripts run as
/// written read it: `{url, query, auth}` (its URL without the query, the query's pairs, and
/// Postman's name for its auth), `null` where it cannot be started.
fn request_view<O: Operation + ?Sized>(operation: &O, client: &O::Client) -> serde_json::Value {
    let Ok(mut builder) = RequestBuilder::new(client.as_ref(), O::METHOD, O::SERVER) else {
        return serde_json::Value::Null;
    };
    operation.encode(&mut builder);
    let query: Vec<[String; 2]> = builder
        .query
        .iter()
        .map(|(key, value, _)| [key.clone(), value.clone().unwrap_or_default()])
        .collect();
    serde_json::json!({"url": builder.url, "query": query, "auth": O::REQUEST_AUTH})
}

/// The request of `operation` with the pre-request scripts' `edits`, to `link` when there is
/// one.
fn build<O: Operation + ?Sized>(
    operation: &O,
    client: &O::Client,
    edits: RequestEdits,
    link: Option<&str>,
) -> Result<Prepared, BuildError> {
    let client = client.as_ref();
    let mut builder = RequestBuilder::new(client, O::METHOD, O::SERVER)?;
    operation.encode(&mut builder);
    builder.apply(edits);
    if let Some(link) = link {
        builder.follow(link);
    }
    builder.auth(client, O::AUTH)?;
    builder.finish()
}

/// Sends a prepared request of `O` (retrying as the client's policy allows), runs its test
/// scripts and decodes the response.
pub(super) async fn exchange<O: Operation + ?Sized>(
    client: &O::Client,
    prepared: Prepared,
) -> Outcome<O> {
    let response = client
        .as_ref()
        .execute(O::ID, prepared)
        .await
        .map_err(Error::widen)?;
    let response = RawResponse::from_http(response);
    let captured = client
        .as_ref()
        .run_test_sending(O::ID, O::TEST, &response)
        .await;
    O::decode(response).map(|decoded| decoded.with_captured(captured))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Piece;

    struct Api(Client);

    impl AsRef<Client> for Api {
        fn as_ref(&self) -> &Client {
            &self.0
        }
    }

    /// An operation written by hand as the generator writes them.
    struct GetUser<'a> {
        id: &'a str,
    }

    impl Operation for GetUser<'_> {
        type Client = Api;
        type Success = String;
        type Error = u16;
        const NAME: &'static str = "users::get_user";
        const METHOD: &'static str = "GET";
        const PATH: &'static str = "/users/:id";
        const SERVER: &'static str = "main";
        const AUTH: AuthScheme = AuthScheme::Basic {
            user: Some("{{user}}"),
            password: Some("{{password}}"),
        };

        fn encode(&self, builder: &mut RequestBuilder) {
            builder.segment(&[Piece::Lit("users")]);
            builder.segment(&[Piece::Param(self.id)]);
            builder.query("fields", "a,b");
        }

        fn decode(raw: RawResponse) -> Outcome<Self> {
            match raw.status.as_u16() {
                200..=299 => raw.ok_text(|text| text),
                status => raw.fail(Self::ID, status),
            }
        }
    }

    fn api() -> Api {
        Api(
            Client::with_servers("main", &[("main", "https://api.example")])
                .with_variable("user", "u")
                .with_variable("password", "p"),
        )
    }

    #[test]
    fn operation_id_names_the_operation() {
        assert_eq!(GetUser::ID.to_string(), "users::get_user (GET /users/:id)");
        assert_eq!(GetUser::ID.path, GetUser::PATH);
    }

    #[test]
    fn provided_methods_build_the_request_with_its_auth() {
        let api = api();
        let request = GetUser { id: "a b" }.build(&api).unwrap();
        assert_eq!(request.uri(), "https://api.example/users/a%20b?fields=a,b");
        assert_eq!(request.headers()["authorization"], "Basic dTpw");
        assert_eq!(
            GetUser { id: "7" }.to_curl(&api).unwrap(),
            "curl -X GET 'https://api.example/users/7?fields=a,b' \\\n  \
             -H 'authorization: <redacted>'"
        );
        let no_server = Api(Client::with_servers("other", &[]));
        assert_eq!(
            GetUser { id: "7" }
                .build(&no_server)
                .unwrap_err()
                .to_string(),
            "cannot build request: no base URL set for server `main`"
        );
    }

    #[test]
    fn parse_response_decodes_through_the_operation() {
        let response = |status: u16, body: &str| {
            http::Response::builder()
                .status(status)
                .body(body.as_bytes().to_vec())
                .unwrap()
        };
        let ok = GetUser::parse_response(response(200, "hello")).unwrap();
        assert_eq!(ok.into_inner(), "hello");
        let error = GetUser::parse_response(response(404, "missing")).unwrap_err();
        assert_eq!(error.operation(), Some(GetUser::ID));
        assert!(matches!(&error, Error::Api(api) if *api.error() == 404));
        assert_eq!(
            error.to_string(),
            "users::get_user (GET /users/:id): 404 Not Found: missing"
        );
    }
}
