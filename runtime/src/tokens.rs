//! OAuth 2.0 access tokens that the client gets itself: from a [`TokenSource`] the caller
//! plugs in, or from the collection's grant ([`TokenGrant`]). Tokens are cached per source,
//! shared across clones of the `Client`, fetched once for concurrent requests, renewed before
//! they expire and once after a `401`, and never shown.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{BuildError, Client, RawResponse, RequestBuilder, Secret};

/// A token this close to its expiry is renewed before it is sent.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// An OAuth 2.0 access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    value: Secret,
    expires_at: Option<Instant>,
    refresh_token: Option<Secret>,
}

impl AccessToken {
    /// A token that does not say when it expires.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: Secret::new(value),
            expires_at: None,
            refresh_token: None,
        }
    }

    /// The token, expiring `lifetime` from now.
    #[must_use]
    pub fn expiring_in(mut self, lifetime: Duration) -> Self {
        self.expires_at = Instant::now().checked_add(lifetime);
        self
    }

    /// The token, with a refresh token that gets the next one.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        self.refresh_token = Some(Secret::new(refresh_token));
        self
    }

    /// The token itself.
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// The refresh token the token endpoint gave with it.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// Whether the token is still good for a request sent now.
    pub fn is_fresh(&self) -> bool {
        self.expires_at.is_none_or(|at| {
            Instant::now()
                .checked_add(EXPIRY_MARGIN)
                .is_some_and(|soon| soon < at)
        })
    }
}

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<AccessToken, TokenError>> + Send + 'a>,
>;

/// Where OAuth 2.0 access tokens come from, for flows the client cannot run itself
/// (authorization code, device code, a token service of your own). Set with
/// [`Client::with_token_source`]; the client caches what it returns and asks again when the
/// token is about to expire or a request is refused with `401`.
pub trait TokenSource: fmt::Debug + Send + Sync {
    /// A new token. `previous` is the one it replaces (expired or refused), whose refresh
    /// token the source may use.
    fn fetch<'a>(
        &'a self,
        http: &'a reqwest::Client,
        previous: Option<&'a AccessToken>,
    ) -> TokenFuture<'a>;
}

/// The collection's way to get a token (the `oauth2` module's `Grant`).
pub trait TokenGrant: fmt::Debug + Sync {
    /// The source of tokens for this request's settings, and a key naming the token it gives;
    /// `None` when the settings cannot fetch one (no token URL, no client id, an interactive
    /// grant without a refresh token).
    fn source(
        &self,
        builder: &RequestBuilder,
        client: &Client,
    ) -> Option<(String, Arc<dyn TokenSource>)>;
}

/// Why no access token could be had.
#[derive(Debug)]
pub struct TokenError(Box<TokenFailure>);

#[derive(Debug)]
struct TokenFailure {
    message: String,
    response: Option<RawResponse>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TokenError {
    /// An error that `message` describes.
    pub fn new(message: impl Into<String>) -> Self {
        Self(Box::new(TokenFailure {
            message: message.into(),
            response: None,
            source: None,
        }))
    }

    /// The error, with the token endpoint's response kept.
    #[must_use]
    pub fn with_response(mut self, response: RawResponse) -> Self {
        self.0.response = Some(response);
        self
    }

    /// The error, caused by `source`.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// The token endpoint's response, when it answered.
    pub fn response(&self) -> Option<&RawResponse> {
        self.0.response.as_ref()
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Where a fetched token goes in a request, and what fetches it.
#[derive(Debug, Clone)]
pub(crate) struct TokenSlot {
    /// The `Authorization` header's text before the token; unused in the query.
    prefix: String,
    /// Sent as the `access_token` query parameter.
    in_query: bool,
    /// Names the token in the client's cache.
    key: String,
    source: Arc<dyn TokenSource>,
}

impl TokenSlot {
    pub(crate) fn new(
        prefix: &str,
        in_query: bool,
        key: String,
        source: Arc<dyn TokenSource>,
    ) -> Self {
        Self {
            prefix: prefix.to_owned(),
            in_query,
            key,
            source,
        }
    }

    /// `prepared` with `token` where this slot says.
    pub(crate) fn apply(
        &self,
        prepared: &mut super::Prepared,
        token: &AccessToken,
    ) -> Result<(), TokenError> {
        let value = token.secret().expose();
        if self.in_query {
            prepared.append_secret_query("access_token", value);
            return Ok(());
        }
        prepared
            .set_secret_header("authorization", &format!("{}{value}", self.prefix))
            .map_err(|e: BuildError| {
                TokenError::new(format!("the access token cannot be sent: {e}"))
            })
    }
}

/// The token cache of a client and its clones.
#[derive(Clone, Default)]
pub(crate) struct Tokens {
    /// The caller's source, over the collection's grant.
    pub(crate) source: Option<Arc<dyn TokenSource>>,
    cache: Arc<tokio::sync::Mutex<BTreeMap<String, AccessToken>>>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// Tokens from `source`, with a cache of their own.
    pub(crate) fn with_source(source: Arc<dyn TokenSource>) -> Self {
        Self {
            source: Some(source),
            cache: Arc::default(),
        }
    }

    /// The slot's cached token while it is fresh and not `refused`; else a new one. The lock
    /// is held while fetching, so concurrent requests wait for one fetch.
    pub(crate) async fn get(
        &self,
        slot: &TokenSlot,
        http: &reqwest::Client,
        refused: Option<&AccessToken>,
    ) -> Result<AccessToken, TokenError> {
        let mut cache = self.cache.lock().await;
        let previous = cache.get(&slot.key).cloned();
        if let Some(token) = &previous {
            let was_refused = refused.is_some_and(|r| r.secret() == token.secret());
            if token.is_fresh() && !was_refused {
                return Ok(token.clone());
            }
        }
        let token = slot.source.fetch(http, previous.as_ref()).await?;
        cache.insert(slot.key.clone(), token.clone());
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// Hands out `t0`, `t1`, ... with `lifetime`, and records the previous token it was given.
    #[derive(Debug)]
    struct Counter {
        fetches: AtomicUsize,
        lifetime: Option<Duration>,
        previous: Mutex<Vec<Option<String>>>,
    }

    impl Counter {
        fn new(lifetime: Option<Duration>) -> Arc<Self> {
            Arc::new(Self {
                fetches: AtomicUsize::new(0),
                lifetime,
                previous: Mutex::new(Vec::new()),
            })
        }
    }

    impl TokenSource for Counter {
        fn fetch<'a>(
            &'a self,
            _http: &'a reqwest::Client,
            previous: Option<&'a AccessToken>,
        ) -> TokenFuture<'a> {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst);
            let seen = previous.map(|p| p.secret().expose().to_owned());
            self.previous.lock().unwrap().push(seen);
            let token = AccessToken::new(format!("t{n}")).with_refresh_token(format!("r{n}"));
            let token = match self.lifetime {
                Some(lifetime) => token.expiring_in(lifetime),
                None => token,
            };
            Box::pin(async move { Ok(token) })
        }
    }

    #[derive(Debug)]
    struct Failing;

    impl TokenSource for Failing {
        fn fetch<'a>(
            &'a self,
            _http: &'a reqwest::Client,
            _previous: Option<&'a AccessToken>,
        ) -> TokenFuture<'a> {
            Box::pin(async { Err(TokenError::new("token endpoint said no")) })
        }
    }

    fn slot(key: &str, source: Arc<dyn TokenSource>) -> TokenSlot {
        TokenSlot::new("Bearer ", false, key.to_owned(), source)
    }

    fn value(token: &AccessToken) -> &str {
        token.secret().expose()
    }

    #[test]
    fn access_token_freshness_and_debug() {
        let token = AccessToken::new("abc123").with_refresh_token("zyx987");
        assert!(token.is_fresh());
        assert_eq!(token.refresh_token().map(Secret::expose), Some("zyx987"));
        let shown = format!("{token:?}");
        assert!(
            !shown.contains("abc123") && !shown.contains("zyx987"),
            "{shown}"
        );
        assert!(AccessToken::new("a")
            .expiring_in(Duration::from_secs(3600))
            .is_fresh());
        // Within the expiry margin, a token is renewed.
        assert!(!AccessToken::new("a")
            .expiring_in(Duration::from_secs(29))
            .is_fresh());
        assert!(!AccessToken::new("a").expiring_in(Duration::ZERO).is_fresh());
    }

    #[test]
    fn token_error_keeps_response_and_source() {
        let response = RawResponse {
            status: http::StatusCode::BAD_REQUEST,
            headers: http::HeaderMap::new(),
            body: b"{\"error\":\"invalid_grant\"}".to_vec(),
        };
        let error = TokenError::new("the grant was refused")
            .with_response(response.clone())
            .with_source(std::io::Error::other("io"));
        assert_eq!(error.to_string(), "the grant was refused");
        assert_eq!(error.response(), Some(&response));
        let source = std::error::Error::source(&error).unwrap();
        assert_eq!(source.to_string(), "io");
        let plain = TokenError::new("x");
        assert!(plain.response().is_none());
        assert!(std::error::Error::source(&plain).is_none());
    }

    #[tokio::test]
    async fn tokens_are_cached_per_key_and_shared_by_clones() {
        let http = reqwest::Client::new();
        let source = Counter::new(Some(Duration::from_secs(3600)));
        let tokens = Tokens::with_source(source.clone());
        let (a, b) = (slot("a", source.clone()), slot("b", source.clone()));
        assert_eq!(value(&tokens.get(&a, &http, None).await.unwrap()), "t0");
        assert_eq!(value(&tokens.get(&a, &http, None).await.unwrap()), "t0");
        assert_eq!(
            value(&tokens.clone().get(&a, &http, None).await.unwrap()),
            "t0"
        );
        assert_eq!(value(&tokens.get(&b, &http, None).await.unwrap()), "t1");
        assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
        // Another cache does not share them.
        let other = Tokens::with_source(source.clone());
        assert_eq!(value(&other.get(&a, &http, None).await.unwrap()), "t2");
    }

    #[tokio::test]
    async fn refused_and_expiring_tokens_are_renewed_with_the_previous_one() {
        let http = reqwest::Client::new();
        let source = Counter::new(Some(Duration::from_secs(3600)));
        let tokens = Tokens::default();
        let a = slot("a", source.clone());
        let first = tokens.get(&a, &http, None).await.unwrap();
        let renewed = tokens.get(&a, &http, Some(&first)).await.unwrap();
        assert_eq!(value(&renewed), "t1");
        // A refusal of a token already replaced fetches nothing.
        let same = tokens.get(&a, &http, Some(&first)).await.unwrap();
        assert_eq!(value(&same), "t1");
        assert_eq!(
            *source.previous.lock().unwrap(),
            [None, Some("t0".to_owned())]
        );

        let short = Counter::new(Some(Duration::from_secs(5)));
        let s = slot("s", short.clone());
        assert_eq!(value(&tokens.get(&s, &http, None).await.unwrap()), "t0");
        assert_eq!(value(&tokens.get(&s, &http, None).await.unwrap()), "t1");
        assert_eq!(
            *short.previous.lock().unwrap(),
            [None, Some("t0".to_owned())]
        );
    }

    #[tokio::test]
    async fn a_failed_fetch_caches_nothing() {
        let http = reqwest::Client::new();
        let tokens = Tokens::default();
        let failing = slot("k", Arc::new(Failing));
        let error = tokens.get(&failing, &http, None).await.unwrap_err();
        assert_eq!(error.to_string(), "token endpoint said no");
        let source = Counter::new(None);
        let token = tokens.get(&slot("k", source), &http, None).await.unwrap();
        assert_eq!(value(&token), "t0");
    }

    #[test]
    fn slot_puts_the_token_in_a_header_or_the_query() {
        let client = Client::with_servers("s", &[("s", "https://s.example/x")]);
        let prepared = || {
            RequestBuilder::new(&client, "GET", "s")
                .unwrap()
                .finish()
                .unwrap()
        };
        let token = AccessToken::new("qv7");
        let source: Arc<dyn TokenSource> = Counter::new(None);
        let mut header = prepared();
        TokenSlot::new("MAC ", false, String::new(), source.clone())
            .apply(&mut header, &token)
            .unwrap();
        assert_eq!(header.headers["authorization"], "MAC qv7");
        assert!(header.headers["authorization"].is_sensitive());
        let mut query = prepared();
        TokenSlot::new("Bearer ", true, String::new(), source.clone())
            .apply(&mut query, &token)
            .unwrap();
        assert_eq!(query.url, "https://s.example/x?access_token=qv7");
        assert!(!query.headers.contains_key("authorization"));
        assert!(!format!("{query:?}").contains("qv7"));
        let mut bad = prepared();
        let error = TokenSlot::new("Bearer ", false, String::new(), source)
            .apply(&mut bad, &AccessToken::new("a\nb"))
            .unwrap_err();
        assert!(error
            .to_string()
            .starts_with("the access token cannot be sent: cannot build request: invalid value"));
    }
}
