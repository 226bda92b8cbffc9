use std::collections::BTreeMap;
use std::fmt;

use super::{BuildError, Client, Prepared, RequestBuilder, TokenGrant};

/// A credential that never shows up in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A scheme that signs the request once the rest of it is set (OAuth 1.0a, ...). Each lives in
/// a module of the runtime that only clients whose collection uses it carry.
pub trait Signer: fmt::Debug + Sync {
    /// Adds the scheme's credentials to the request; a missing setting sends none, as in
    /// Postman, and a setting the scheme cannot use is an error.
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError>;
}

/// A scheme that answers a server's challenge (`401` with `WWW-Authenticate`), such as Digest:
/// [`Prepared::answer_challenge`] asks it, and [`Client::execute`] does so once per request.
pub trait Challenge: fmt::Debug + Send + Sync {
    /// The request again, signed for the `WWW-Authenticate` value `challenge`; `None` when
    /// the challenge is not for this scheme.
    fn answer(&self, prepared: &Prepared, challenge: &str) -> Option<Result<Prepared, BuildError>>;
}

/// How an operation authenticates, as the collection declares it. A `credential` is the
/// collection's value when it names variables (`{{accessToken}}`): used, resolved, when the
/// client has no credential of that kind.
#[derive(Debug, Clone, Copy)]
pub enum AuthScheme {
    /// No credentials are sent.
    None,
    /// A token in a header after a prefix, e.g. `Authorization: Bearer <token>`.
    Token {
        /// Header name.
        header: &'static str,
        /// Text sent before the token, e.g. `"Bearer "` or `"Zoho-oauthtoken "`.
        prefix: &'static str,
        /// The collection's token, as a variable template.
        credential: Option<&'static str>,
        /// Written by hand as a header: sent even when the token is empty, as Postman sends
        /// headers (an empty bearer or OAuth 2.0 token sends nothing).
        written: bool,
    },
    /// An OAuth 2.0 access token: the client's ([`Client::with_oauth2_token`]), else one from
    /// its [`TokenSource`](super::TokenSource), else the collection's, else one fetched with the collection's
    /// `grant`.
    OAuth2 {
        /// Text sent before the token in the `Authorization` header, e.g. `"Bearer "`.
        prefix: &'static str,
        /// Whether the token goes into the `access_token` query parameter instead.
        in_query: bool,
        /// The collection's token, as a variable template.
        credential: Option<&'static str>,
        /// The collection's way to fetch a token, when it names a token URL.
        grant: Option<&'static dyn TokenGrant>,
    },
    /// HTTP basic authentication.
    Basic {
        /// The collection's user name (variables resolved).
        user: Option<&'static str>,
        /// The collection's password, as a variable template.
        password: Option<&'static str>,
    },
    /// An API key in a header or in the query string.
    ApiKey {
        /// Header or query parameter name.
        name: &'static str,
        /// Text sent before the key.
        prefix: &'static str,
        /// Whether the key goes into the query string instead of a header.
        in_query: bool,
        /// The collection's key, as a variable template.
        credential: Option<&'static str>,
    },
    /// A scheme that signs the finished request; its settings come from the collection
    /// (secrets only as variable templates) and from [`Client::with_auth_param`].
    Signed(&'static dyn Signer),
}

/// The credentials a `Client` holds; each operation uses the one its scheme needs.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// Token for bearer, OAuth 2.0 and custom-prefix schemes.
    pub token: Option<Secret>,
    /// Prefix sent before the token instead of the one the collection declares.
    pub token_prefix: Option<String>,
    /// User name and password for basic authentication.
    pub basic: Option<(String, Secret)>,
    /// Value for API key schemes.
    pub api_key: Option<Secret>,
    /// Settings of auth schemes by their names in Postman (`consumerKey`, `clientSecret`,
    /// `secretKey`, ...), over the collection's.
    pub params: BTreeMap<String, Secret>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_exposed_only_on_request() {
        let secret = Secret::new("hunter2");
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{:#?}", Some(secret)), "Some(\n    Secret(***),\n)");
    }

    #[test]
    fn credentials_debug_shows_no_secret() {
        let credentials = Credentials {
            token: Some(Secret::new("tok-value")),
            token_prefix: Some("Token ".to_owned()),
            basic: Some(("alice".to_owned(), Secret::new("pw-value"))),
            api_key: Some(Secret::new("key-value")),
            params: BTreeMap::from([("clientSecret".to_owned(), Secret::new("param-value"))]),
        };
        let shown = format!("{credentials:?}");
        for hidden in ["tok-value", "pw-value", "key-value", "param-value"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
        // What is not a credential is shown.
        for visible in ["Token ", "alice", "clientSecret"] {
            assert!(shown.contains(visible), "{visible} not in {shown}");
        }
    }

    /// A scheme that signs with a header naming the method and a client setting.
    #[derive(Debug)]
    struct Stamp;

    impl Signer for Stamp {
        fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
            let key = builder
                .auth_setting(client, &[("key", "{{stampKey}}")], "key")
                .ok_or_else(|| BuildError::new("no stamp key"))?;
            builder.secret_header("x-stamp", &format!("{}:{key}", builder.method))
        }
    }

    #[test]
    fn signed_scheme_signs_through_its_signer() {
        static STAMP: Stamp = Stamp;
        let client = Client::with_servers("s", &[("s", "https://s.example")]);
        let mut builder = RequestBuilder::new(&client, "PUT", "s").unwrap();
        let error = builder
            .auth(&client, AuthScheme::Signed(&STAMP))
            .unwrap_err();
        assert_eq!(error.to_string(), "cannot build request: no stamp key");

        let client = client.with_variable("stampKey", "k1");
        let mut builder = RequestBuilder::new(&client, "PUT", "s").unwrap();
        builder.auth(&client, AuthScheme::Signed(&STAMP)).unwrap();
        let prepared = builder.finish().unwrap();
        assert_eq!(prepared.headers["x-stamp"], "PUT:k1");
        assert!(prepared.headers["x-stamp"].is_sensitive());
        assert!(prepared.to_curl().contains("x-stamp: <redacted>"));
    }
}
