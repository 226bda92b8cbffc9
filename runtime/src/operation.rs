use std::fmt;

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
    /// The success responses: one variant per documented 2xx status.
    type Success;
    /// The operation's error statuses, inside [`Error::Api`].
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
        let client = client.as_ref();
        let mut builder = RequestBuilder::new(client, Self::METHOD, Self::SERVER)?;
        self.encode(&mut builder);
        builder.auth(client, Self::AUTH)?;
        builder.finish()
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
    fn send<'a>(
        &'a self,
        client: &'a Self::Client,
    ) -> impl std::future::Future<Output = Outcome<Self>> + Send + 'a {
        async move {
            let prepared = self.prepare(client)?;
            let response = client
                .as_ref()
                .execute(Self::ID, prepared)
                .await
                .map_err(Error::widen)?;
            Self::parse_response(response)
        }
    }
}
