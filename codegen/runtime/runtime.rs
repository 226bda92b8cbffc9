//! Support code shared by every operation of this client: the `Client`, credentials, the
//! sans-IO request builder, multipart and curl rendering, and the error types.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub use tokens::{AccessToken, TokenError, TokenFuture, TokenGrant, TokenSource};

/// Characters left as they are in a url-encoded form: RFC 3986 unreserved characters only.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Characters left as they are in a path parameter: RFC 3986 `pchar`s (unreserved,
/// sub-delims, `:` and `@`), which stay inside their segment; Postman sends them raw too.
const PATH_PARAM: &AsciiSet = &FORM
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Characters escaped in a literal path segment taken from the collection (`\` too, which
/// URL parsers read as `/`).
const PATH_LITERAL: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'\\')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Characters escaped in a query key or value. `'` stays escaped: the URL parser under
/// reqwest escapes it in queries of `http` and `https` URLs, so `build()` would differ from
/// the wire.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

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
    /// its [`TokenSource`], else the collection's, else one fetched with the collection's
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

/// Transport configuration and credentials shared by all operations.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    servers: BTreeMap<String, String>,
    server_overrides: BTreeMap<String, String>,
    primary_server: String,
    variables: std::sync::Arc<Variables>,
    credentials: Credentials,
    default_headers: http::HeaderMap,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    tokens: tokens::Tokens,
}

impl Client {
    /// A client whose servers default to `servers` (key, base URL); `primary` names the one that
    /// [`Client::with_base_url`] replaces.
    pub fn with_servers(primary: &str, servers: &[(&str, &str)]) -> Self {
        Self {
            http: reqwest::Client::new(),
            servers: servers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            server_overrides: BTreeMap::new(),
            primary_server: primary.to_owned(),
            variables: std::sync::Arc::default(),
            credentials: Credentials::default(),
            default_headers: http::HeaderMap::new(),
            timeout: None,
            retry: None,
            tokens: tokens::Tokens::default(),
        }
    }

    /// Sends requests through this `reqwest::Client` (proxies, TLS settings, pools, ...).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Replaces the base URL of the collection's main server.
    pub fn with_base_url(self, url: impl Into<String>) -> Self {
        let key = self.primary_server.clone();
        self.with_server(&key, url)
    }

    /// Replaces the base URL of one server, keyed by its collection variable or literal origin.
    pub fn with_server(mut self, key: &str, url: impl Into<String>) -> Self {
        self.server_overrides.insert(key.to_owned(), url.into());
        self
    }

    /// The base URL requests to `key` go to: one set with [`Client::with_server`], else the
    /// variable of that name, else the collection's default; variables in it resolved.
    pub fn server(&self, key: &str) -> Option<String> {
        let url = self
            .server_overrides
            .get(key)
            .or_else(|| self.variables.get(key).map(|v| &v.value))
            .or_else(|| self.servers.get(key))?;
        Some(self.variables.resolve(url).text)
    }

    /// Uses these collection variables as the defaults of every `{{name}}` (the generated
    /// `Client::new` passes the collection's own).
    pub fn with_collection_variables(mut self, variables: &[(&str, &str)]) -> Self {
        let layer = &mut std::sync::Arc::make_mut(&mut self.variables).collection;
        for (name, value) in variables {
            layer.insert((*name).to_owned(), Variable::new(name, value, false));
        }
        self
    }

    /// Sets the variable `name`, as Postman's local variables do: it wins over the
    /// environment, globals and collection variables. Names that look like credentials
    /// (`apiKey`, `token`, `password`, ...) are redacted wherever requests are shown.
    pub fn with_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        std::sync::Arc::make_mut(&mut self.variables)
            .local
            .insert(name.to_owned(), Variable::new(name, &value, false));
        self
    }

    /// Sets the variable `name` and treats its value as a credential, whatever its name.
    pub fn with_secret_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        std::sync::Arc::make_mut(&mut self.variables)
            .local
            .insert(name.to_owned(), Variable::new(name, &value, true));
        self
    }

    /// Loads a Postman environment (`*.postman_environment.json` text): its enabled values
    /// win over globals and collection variables; `"type": "secret"` values are credentials.
    pub fn with_environment(mut self, json: &str) -> Result<Self, BuildError> {
        let values = variable_file(json)?;
        std::sync::Arc::make_mut(&mut self.variables)
            .environment
            .extend(values);
        Ok(self)
    }

    /// Loads a Postman environment from a file; see [`Client::with_environment`].
    pub fn with_environment_file(
        self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, BuildError> {
        let json = read_variable_file(path.as_ref())?;
        self.with_environment(&json)
    }

    /// Loads Postman globals (`*.postman_globals.json` text): they win over collection
    /// variables only.
    pub fn with_globals(mut self, json: &str) -> Result<Self, BuildError> {
        let values = variable_file(json)?;
        std::sync::Arc::make_mut(&mut self.variables)
            .globals
            .extend(values);
        Ok(self)
    }

    /// Loads Postman globals from a file; see [`Client::with_globals`].
    pub fn with_globals_file(self, path: impl AsRef<std::path::Path>) -> Result<Self, BuildError> {
        let json = read_variable_file(path.as_ref())?;
        self.with_globals(&json)
    }

    /// The value of the variable `name` as requests see it (local, environment, globals,
    /// then collection).
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(|v| v.value.as_str())
    }

    /// Uses `token` for bearer and OAuth 2.0 operations.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.token = Some(Secret::new(token));
        self
    }

    /// Uses an OAuth 2.0 access token (sent as the collection declares, `Bearer` by default).
    pub fn with_oauth2_token(self, token: impl Into<String>) -> Self {
        self.with_bearer_token(token)
    }

    /// Gets OAuth 2.0 access tokens (and bearer tokens) from `source`, for flows the client
    /// cannot run itself (authorization code, device code, your own token service). Tokens are
    /// cached, shared with the client's clones, and asked for again before they expire or after
    /// a `401`. A token set with [`Client::with_oauth2_token`] still comes first.
    pub fn with_token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.tokens = tokens::Tokens::with_source(std::sync::Arc::new(source));
        self
    }

    /// `prepared` with the access token it waits for (from the client's [`TokenSource`] or the
    /// collection's grant), fetched or from the cache; as it is when it needs none.
    /// [`Client::execute`] does this itself: call it when you send requests yourself.
    pub async fn authorize(&self, mut prepared: Prepared) -> Result<Prepared, TokenError> {
        if let Some(slot) = prepared.token_slot.take() {
            let token = self.tokens.get(&slot, &self.http, None).await?;
            slot.apply(&mut prepared, &token)?;
        }
        Ok(prepared)
    }

    /// Sends the token after a custom scheme, e.g. `Zoho-oauthtoken`.
    pub fn with_token_scheme(
        mut self,
        scheme: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        let mut prefix = scheme.into();
        if !prefix.is_empty() && !prefix.ends_with(' ') {
            prefix.push(' ');
        }
        self.credentials.token_prefix = Some(prefix);
        self.credentials.token = Some(Secret::new(token));
        self
    }

    /// Uses HTTP basic authentication.
    pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// Sets a setting of the collection's auth by its name in Postman (OAuth 1.0a
    /// `consumerSecret`, OAuth 2.0 `clientSecret` or `refreshToken`, AWS `secretKey`, JWT
    /// `secret`, `algorithm`, ...), over the collection's value; all are redacted like
    /// credentials.
    pub fn with_auth_param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.credentials
            .params
            .insert(name.to_owned(), Secret::new(value));
        self
    }

    /// Uses `key` for API key operations.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials.api_key = Some(Secret::new(key));
        self
    }

    /// Sends this header with every request.
    pub fn with_default_header(mut self, name: &str, value: &str) -> Result<Self, BuildError> {
        let (name, value) = header_pair(name, value)?;
        self.default_headers.append(name, value);
        Ok(self)
    }

    /// Gives up on a request after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries requests that failed for a transient reason, as `policy` says.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends a prepared request of `operation` and reads the whole response, retrying as the
    /// client's [`RetryPolicy`] allows. Dropping the future cancels the request and any wait
    /// between attempts; nothing is left behind. The error is never [`Error::Api`]: any status
    /// is a response here.
    pub async fn execute(
        &self,
        operation: OperationId,
        prepared: Prepared,
    ) -> Result<http::Response<Vec<u8>>, Error<std::convert::Infallible>> {
        let transport = |source: reqwest::Error| {
            Error::Transport(Box::new(TransportError {
                operation,
                source: source.without_url(),
            }))
        };
        let token_error = Error::Token;
        // A request that waits for a fetched token: the token, and the request without it.
        let mut fetched = match prepared.token_slot.clone() {
            Some(slot) => {
                let token = self.tokens.get(&slot, &self.http, None).await;
                Some((slot, token.map_err(token_error)?, prepared.clone()))
            }
            None => None,
        };
        let mut prepared = match &fetched {
            Some((slot, token, unsigned)) => {
                let mut signed = unsigned.clone();
                slot.apply(&mut signed, token).map_err(token_error)?;
                signed
            }
            None => prepared,
        };
        let (mut challenged, mut renewed) = (false, false);
        let mut retries = 0;
        loop {
            let outcome = self.send_once(prepared.clone().into_http()?).await;
            // A fetched token that is refused is renewed once.
            let refused = matches!(&outcome, Ok(r) if r.status() == http::StatusCode::UNAUTHORIZED);
            if let (true, false, Some((slot, token, unsigned))) = (refused, renewed, &mut fetched) {
                *token = self
                    .tokens
                    .get(slot, &self.http, Some(token))
                    .await
                    .map_err(token_error)?;
                prepared = unsigned.clone();
                slot.apply(&mut prepared, token).map_err(token_error)?;
                renewed = true;
                continue;
            }
            // A challenge (Digest) is answered once, before any retry.
            let answered = match (&outcome, challenged) {
                (Ok(response), false) => prepared.answer_challenge(response),
                _ => None,
            };
            if let Some(answered) = answered {
                prepared = answered?;
                challenged = true;
                continue;
            }
            let delay = self
                .retry
                .as_ref()
                .filter(|policy| retries < policy.max_retries && policy.allows(&prepared.method))
                .and_then(|policy| match &outcome {
                    Ok(response) => policy.delay_after(response, retries),
                    Err(e) if e.is_connect() || e.is_timeout() => Some(policy.backoff(retries)),
                    Err(_) => None,
                });
            match delay {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    retries += 1;
                }
                None => return outcome.map_err(transport),
            }
        }
    }

    async fn send_once(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, reqwest::Error> {
        let mut request = reqwest::Request::try_from(request)?;
        *request.timeout_mut() = self.timeout;
        let response = self.http.execute(request).await?;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let mut out = http::Response::new(response.bytes().await?.to_vec());
        *out.status_mut() = status;
        *out.version_mut() = version;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// One variable's value, and whether it is a credential (redacted wherever shown).
#[derive(Clone, PartialEq, Eq)]
struct Variable {
    value: String,
    secret: bool,
}

impl Variable {
    fn new(name: &str, value: &str, secret: bool) -> Self {
        Self {
            value: value.to_owned(),
            secret: secret || is_secret_name(name),
        }
    }
}

/// The variables `{{name}}` is resolved with, in Postman's layers: collection, globals,
/// environment, then local values set on the client, the later winning.
#[derive(Clone, Default, PartialEq, Eq)]
struct Variables {
    collection: BTreeMap<String, Variable>,
    globals: BTreeMap<String, Variable>,
    environment: BTreeMap<String, Variable>,
    local: BTreeMap<String, Variable>,
}

impl fmt::Debug for Variables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = [
            &self.collection,
            &self.globals,
            &self.environment,
            &self.local,
        ]
        .iter()
        .flat_map(|layer| layer.keys())
        .collect();
        names.sort();
        names.dedup();
        f.debug_map()
            .entries(names.into_iter().filter_map(|name| {
                let variable = self.get(name)?;
                let shown = if variable.secret {
                    REDACTED
                } else {
                    variable.value.as_str()
                };
                Some((name, shown))
            }))
            .finish()
    }
}

/// Text with its variables resolved, and whether a credential went into it.
struct Resolved {
    text: String,
    secret: bool,
}

/// Deepest nesting of `{{...}}` resolved (`{{a_{{b}}}}` is two).
const VARIABLE_DEPTH: usize = 20;

impl Variables {
    fn get(&self, name: &str) -> Option<&Variable> {
        [
            &self.local,
            &self.environment,
            &self.globals,
            &self.collection,
        ]
        .into_iter()
        .find_map(|layer| layer.get(name))
    }

    /// `text` with every `{{name}}` replaced as Postman does: innermost first, dynamic
    /// variables (`{{$guid}}`, `{{$timestamp}}`, ...) generated anew for each use, names
    /// the client does not know left as they are.
    fn resolve(&self, text: &str) -> Resolved {
        let mut resolved = Resolved {
            text: text.to_owned(),
            secret: false,
        };
        for _ in 0..VARIABLE_DEPTH {
            if !resolved.text.contains("{{") || !self.resolve_once(&mut resolved) {
                break;
            }
        }
        resolved
    }

    /// One pass over the text; whether anything was replaced.
    fn resolve_once(&self, resolved: &mut Resolved) -> bool {
        let mut out = String::with_capacity(resolved.text.len());
        let mut rest = resolved.text.as_str();
        let mut changed = false;
        while let Some(close) = rest.find("}}") {
            let Some(open) = rest[..close].rfind("{{") else {
                out.push_str(&rest[..close + 2]);
                rest = &rest[close + 2..];
                continue;
            };
            out.push_str(&rest[..open]);
            let name = &rest[open + 2..close];
            match self.get(name) {
                Some(variable) => {
                    out.push_str(&variable.value);
                    resolved.secret |= variable.secret;
                    changed = true;
                }
                None => match dynamic_value(name) {
                    Some(value) => {
                        out.push_str(&value);
                        changed = true;
                    }
                    None => out.push_str(&rest[open..close + 2]),
                },
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        resolved.text = out;
        changed
    }

    /// Resolves the variables in every string of a JSON value (keys included).
    fn resolve_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) if text.contains("{{") => {
                *text = self.resolve(text).text;
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.resolve_json(item);
                }
            }
            serde_json::Value::Object(map) if !map.is_empty() => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.resolve_json(&mut item);
                    map.insert(self.resolve(&key).text, item);
                }
            }
            _ => {}
        }
    }
}

/// A value for one of Postman's dynamic variables: a fresh one for those that need no data
/// table ([`GENERATED_DYNAMIC`]), a fixed one for the others the client knows
/// ([`FIXED_DYNAMIC`]); `None` for the rest, which are sent as written.
fn dynamic_value(name: &str) -> Option<String> {
    Some(match name {
        "$guid" | "$randomUUID" => uuid_v4(),
        "$timestamp" => unix_time(),
        "$isoTimestamp" => iso_timestamp(since_epoch()),
        "$randomInt" => fastrand::u32(0..=1000).to_string(),
        "$randomBoolean" => fastrand::bool().to_string(),
        "$randomAlphaNumeric" => random_chars(1, ALPHANUMERIC),
        "$randomPhoneNumber" => phone_number(),
        "$randomPhoneNumberExt" => format!("{}-{}", fastrand::u8(1..=99), phone_number()),
        "$randomHexColor" => format!("#{:06x}", fastrand::u32(..0x0100_0000)),
        "$randomIP" => {
            let octets: Vec<String> = (0..4).map(|_| fastrand::u8(..).to_string()).collect();
            octets.join(".")
        }
        "$randomMACAddress" => {
            let octets: Vec<String> = (0..6)
                .map(|_| format!("{:02x}", fastrand::u8(..)))
                .collect();
            octets.join(":")
        }
        "$randomPassword" => random_chars(15, ALPHANUMERIC),
        "$randomLatitude" => format!("{:.4}", fastrand::f64() * 180.0 - 90.0),
        "$randomLongitude" => format!("{:.4}", fastrand::f64() * 360.0 - 180.0),
        "$randomBankAccount" => random_chars(8, b"0123456789"),
        "$randomCreditCardMask" => random_chars(4, b"0123456789"),
        "$randomPrice" => format!("{}.{:02}", fastrand::u32(0..1000), fastrand::u8(..100)),
        "$randomSemver" => {
            let parts: Vec<String> = (0..3).map(|_| fastrand::u8(..10).to_string()).collect();
            parts.join(".")
        }
        _ => {
            let (_, value) = FIXED_DYNAMIC.iter().find(|(fixed, _)| *fixed == name)?;
            (*value).to_owned()
        }
    })
}

const ALPHANUMERIC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Characters of the nonces that signing schemes (OAuth 1.0a, Hawk) generate, as Postman
/// draws them.
pub const NONCE_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A random (version 4) UUID.
fn uuid_v4() -> String {
    let bits =
        fastrand::u128(..) & !(0xf000 << 64) & !(0xc000 << 48) | (0x4000 << 64) | (0x8000 << 48);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn since_epoch() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Seconds since the Unix epoch, as text.
fn unix_time() -> String {
    since_epoch().as_secs().to_string()
}

/// `count` characters drawn from `alphabet`.
fn random_chars(count: usize, alphabet: &[u8]) -> String {
    (0..count)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

/// A ten-digit North American number as Postman writes one: `682-324-9084`.
fn phone_number() -> String {
    format!(
        "{}{}-{}{}-{}",
        fastrand::u8(2..=9),
        random_chars(2, b"0123456789"),
        fastrand::u8(2..=9),
        random_chars(2, b"0123456789"),
        random_chars(4, b"0123456789")
    )
}

/// `2026-12-01T19:37:56.123Z` for a time since the Unix epoch.
fn iso_timestamp(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let (hour, minute, second) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{:03}Z",
        since_epoch.subsec_millis()
    )
}

/// The enabled values of a Postman environment or globals file.
fn variable_file(json: &str) -> Result<Vec<(String, Variable)>, BuildError> {
    let file: serde_json::Value = serde_json::from_str(json.trim_start_matches('\u{feff}'))
        .map_err(|e| BuildError::new(format!("not a Postman environment: {e}")))?;
    let values = file
        .get("values")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| BuildError::new("not a Postman environment: it has no `values` list"))?;
    Ok(values
        .iter()
        .filter(|v| v.get("enabled").and_then(serde_json::Value::as_bool) != Some(false))
        .filter_map(|v| {
            let name = v.get("key")?.as_str()?;
            let value = match v.get("value")? {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            let secret = v.get("type").and_then(serde_json::Value::as_str) == Some("secret");
            Some((name.to_owned(), Variable::new(name, &value, secret)))
        })
        .collect())
}

fn read_variable_file(path: &std::path::Path) -> Result<String, BuildError> {
    std::fs::read_to_string(path)
        .map_err(|e| BuildError::new(format!("cannot read {}: {e}", path.display())))
}

/// When to send a request again: on 429 and 503 responses and on connection errors and
/// timeouts, for idempotent methods only unless told otherwise, waiting as `Retry-After`
/// says or with exponential backoff and jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    all_methods: bool,
}

impl RetryPolicy {
    /// At most `max_retries` retries after the first attempt; backoff starts at 500 ms and
    /// doubles up to 30 s.
    pub fn new(max_retries: u32) -> Self {
        Self {
            max_retries,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            all_methods: false,
        }
    }

    /// Backoff starting at `initial` and doubling up to `max`. A `Retry-After` longer than
    /// `max` is not waited for: the response is returned instead.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Also retries methods that are not idempotent (`POST`, `PATCH`, ...), which may then
    /// take effect twice.
    pub fn retry_all_methods(mut self) -> Self {
        self.all_methods = true;
        self
    }

    fn allows(&self, method: &http::Method) -> bool {
        self.all_methods
            || matches!(
                *method,
                http::Method::GET
                    | http::Method::HEAD
                    | http::Method::OPTIONS
                    | http::Method::TRACE
                    | http::Method::PUT
                    | http::Method::DELETE
            )
    }

    /// Backoff before retry number `retries + 1`: half of the doubled delay, plus a random
    /// part of the other half.
    fn backoff(&self, retries: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retries))
            .min(self.max_backoff);
        let half = doubled / 2;
        let jitter = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=jitter))
    }

    /// How long to wait before retrying after `response`; `None` when it is not retried.
    fn delay_after(&self, response: &http::Response<Vec<u8>>, retries: u32) -> Option<Duration> {
        let status = response.status();
        if status != http::StatusCode::TOO_MANY_REQUESTS
            && status != http::StatusCode::SERVICE_UNAVAILABLE
        {
            return None;
        }
        match retry_after(response.headers()) {
            Some(wait) if wait > self.max_backoff => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retries)),
        }
    }
}

/// The wait a `Retry-After` header asks for, in seconds or until an HTTP date.
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// A request could not be built: a missing server, an invalid header value, ...
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build request: {message}")]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// A build error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

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

/// A decoded response with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    status: http::StatusCode,
    headers: http::HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// A response holding `value`.
    pub fn new(status: http::StatusCode, headers: http::HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value,
        }
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// Response headers (`Location`, `ETag`, rate limits, pagination `Link`, ...).
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Status, headers and value.
    pub fn into_parts(self) -> (http::StatusCode, http::HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

/// Everything an operation can fail with; `E` is the operation's own error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status, documented or not.
    Api(Box<ApiError<E>>),
    /// A response body did not fit the type the collection's examples describe.
    Decode(Box<DecodeError>),
    /// The request could not be built.
    Build(BuildError),
    /// The request could not be sent or the response not read.
    Transport(Box<TransportError>),
    /// No OAuth 2.0 access token could be had for the request.
    Token(TokenError),
}

impl Error<std::convert::Infallible> {
    /// The same failure as an error of any operation (it holds no operation's error).
    pub fn widen<E>(self) -> Error<E> {
        match self {
            Self::Api(api) => match api.error {},
            Self::Decode(e) => Error::Decode(e),
            Self::Build(e) => Error::Build(e),
            Self::Transport(e) => Error::Transport(e),
            Self::Token(e) => Error::Token(e),
        }
    }
}

impl<E> Error<E> {
    /// The status of the response, when there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.response().map(|r| r.status)
    }

    /// The response as it came, when there was one.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Self::Api(e) => Some(&e.response),
            Self::Decode(e) => Some(&e.response),
            Self::Build(_) | Self::Transport(_) | Self::Token(_) => None,
        }
    }

    /// The operation that failed, when it got as far as sending.
    pub fn operation(&self) -> Option<OperationId> {
        match self {
            Self::Api(e) => Some(e.operation),
            Self::Decode(e) => Some(e.operation),
            Self::Transport(e) => Some(e.operation),
            Self::Build(_) | Self::Token(_) => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Build(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::Token(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(&e.source),
            Self::Token(e) => Some(e),
            Self::Api(_) | Self::Decode(_) | Self::Build(_) => None,
        }
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        Self::Build(error)
    }
}

impl<E> From<Box<DecodeError>> for Error<E> {
    fn from(error: Box<DecodeError>) -> Self {
        Self::Decode(error)
    }
}

/// Longest body excerpt in error messages, in characters.
const EXCERPT: usize = 200;

/// The start of a body for messages: one line, at most [`EXCERPT`] characters.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(empty body)".to_owned();
    }
    match text.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// An error status: the operation's typed error beside the response as it came.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    operation: OperationId,
    response: RawResponse,
    error: E,
}

impl<E> ApiError<E> {
    /// The operation that failed.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.response.status
    }

    /// The response as it came: status, headers and body.
    pub fn response(&self) -> &RawResponse {
        &self.response
    }

    /// The documented error this status maps to, typed from the collection's examples.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The typed error, dropping the response.
    pub fn into_error(self) -> E {
        self.error
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.operation,
            self.response.status,
            excerpt(&self.response.body)
        )
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A response body that does not fit its type; the response is kept.
#[derive(Debug, Clone)]
pub struct DecodeError {
    operation: OperationId,
    response: RawResponse,
    error: JsonError,
}

impl DecodeError {
    /// The operation whose response did not decode.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.response.status
    }

    /// The response as it came.
    pub fn response(&self) -> &RawResponse {
        &self.response
    }

    /// Where decoding failed (`$.report.user.email`) and why.
    pub fn json_error(&self) -> &JsonError {
        &self.error
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the {} response does not decode at {}; body: {}",
            self.operation,
            self.response.status,
            self.error,
            excerpt(&self.response.body)
        )
    }
}

impl std::error::Error for DecodeError {}

/// The request could not be sent or its response not read. The URL, which may hold
/// credentials, is removed from the underlying error.
#[derive(Debug)]
pub struct TransportError {
    operation: OperationId,
    source: reqwest::Error,
}

impl TransportError {
    /// The operation that failed.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the request could not be sent or its response not read",
            self.operation
        )
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A response kept as it came: status, headers and body.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    /// Status code.
    pub status: http::StatusCode,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// Response body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Takes a response apart.
    pub fn from_http(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as untyped JSON.
    pub fn json_value(&self) -> Result<serde_json::Value, JsonError> {
        parse_json(&self.body)
    }

    /// Decodes the body of a response to `operation` as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        operation: OperationId,
    ) -> Result<T, Box<DecodeError>> {
        decode_json(&self.body).map_err(|error| {
            Box::new(DecodeError {
                operation,
                response: self.clone(),
                error,
            })
        })
    }

    /// A success holding `value`, with this response's status and headers.
    pub fn ok<T, E>(self, value: T) -> Result<Response<T>, Error<E>> {
        Ok(Response::new(self.status, self.headers, value))
    }

    /// A success holding the body of a response to `operation`, decoded as JSON.
    pub fn ok_json<T: serde::de::DeserializeOwned, S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(T) -> S,
    ) -> Result<Response<S>, Error<E>> {
        let value = self.json(operation)?;
        self.ok(wrap(value))
    }

    /// A success holding the body as text.
    pub fn ok_text<S, E>(self, wrap: impl FnOnce(String) -> S) -> Result<Response<S>, Error<E>> {
        let text = self.text();
        self.ok(wrap(text))
    }

    /// A success holding the response itself (a status the collection does not document).
    pub fn ok_raw<T, E>(self, wrap: impl FnOnce(Self) -> T) -> Result<Response<T>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(Response::new(status, headers, wrap(self)))
    }

    /// An error status of `operation` whose body decodes as JSON, beside this response.
    pub fn fail_json<T: serde::de::DeserializeOwned, S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(T) -> E,
    ) -> Result<Response<S>, Error<E>> {
        let value = self.json(operation)?;
        self.fail(operation, wrap(value))
    }

    /// An error status of `operation` with a text body, beside this response.
    pub fn fail_text<S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(String) -> E,
    ) -> Result<Response<S>, Error<E>> {
        let text = self.text();
        self.fail(operation, wrap(text))
    }

    /// An error status of `operation`: `error` beside this response.
    pub fn fail<T, E>(self, operation: OperationId, error: E) -> Result<Response<T>, Error<E>> {
        Err(Error::Api(Box::new(ApiError {
            operation,
            response: self,
            error,
        })))
    }
}

/// Why a JSON body did not decode: where (`$.report.user.email`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Path of the value that failed, from `$` (the whole body).
    pub path: String,
    /// What serde reported there.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Decodes a JSON body, naming the path of the value that failed. The body is read as a
/// [`serde_json::Value`] first, so every type's `Deserialize` is built for one deserializer.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, JsonError> {
    decode_value(parse_json(body)?).map_err(|(path, message)| JsonError {
        path: join_path("$", &path),
        message,
    })
}

/// A body as untyped JSON; what is not JSON fails at `$`.
fn parse_json(body: &[u8]) -> Result<serde_json::Value, JsonError> {
    serde_json::from_slice(body).map_err(|e| JsonError {
        path: "$".to_owned(),
        message: e.to_string(),
    })
}

/// `value` as a `T`; on failure, the path below `value` of what failed (`items[1].id`) and
/// why.
fn decode_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let outer = match e.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = e.into_inner().to_string();
        // A field of a generated type that failed below it says where (`JsonFields::take`).
        match message
            .strip_prefix(PATH_MARK)
            .and_then(|m| m.split_once(PATH_MARK))
        {
            Some((inner, message)) => (join_path(&outer, inner), message.to_owned()),
            None => (outer, message),
        }
    })
}

/// Marks the path that an error message of [`JsonFields::take`] starts with.
const PATH_MARK: char = '\u{1}';

/// `outer` and `inner` as one path: `a` and `b` give `a.b`, `a` and `[1]` give `a[1]`.
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (_, "") => outer.to_owned(),
        ("", _) => inner.to_owned(),
        _ if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
}

/// The fields of a JSON object being decoded into a generated struct: its `Deserialize`
/// takes each field by key, so the struct needs no code of its own beyond that list.
#[derive(Debug)]
pub struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl JsonFields {
    /// Reads the object a struct is decoded from.
    pub fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(Self)
    }

    /// Decodes the field `key`. A missing key reads as `null` (an `Option` field is `None`);
    /// for a type that needs a value it is the error `missing field`.
    pub fn take<T: serde::de::DeserializeOwned, E: serde::de::Error>(
        &mut self,
        key: &str,
    ) -> Result<T, E> {
        let value = self.0.remove(key);
        let missing = value.is_none();
        decode_value(value.unwrap_or(serde_json::Value::Null)).map_err(|(path, message)| {
            let (path, message) = if missing {
                (String::new(), format!("missing field `{key}`"))
            } else {
                (join_path(key, &path), message)
            };
            E::custom(format_args!("{PATH_MARK}{path}{PATH_MARK}{message}"))
        })
    }
}

/// Decodes a string into the variant of a generated enum that `variants` maps it to.
pub fn decode_variant<'de, D: serde::Deserializer<'de>, T: Copy>(
    deserializer: D,
    variants: &[(&str, T)],
) -> Result<T, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    match variants.iter().find(|(value, _)| *value == text) {
        Some((_, variant)) => Ok(*variant),
        None => {
            let expected: Vec<&str> = variants.iter().map(|(value, _)| *value).collect();
            Err(serde::de::Error::custom(format_args!(
                "unknown variant `{text}`, expected one of `{}`",
                expected.join("`, `")
            )))
        }
    }
}

/// A file sent as one part of a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// File name sent in `Content-Disposition`.
    pub file_name: String,
    /// Content type of the part; when unset, `application/octet-stream`, or none for an
    /// empty part without a file name (what Postman sends for a file field left empty).
    pub content_type: Option<String>,
    /// File contents.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file part with the given name and contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }
}

/// The body of a GraphQL request; its variables are typed from the collection's example
/// where it has one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GraphQlBody<V = serde_json::Value> {
    /// The query document.
    pub query: String,
    /// Variables of the query; left out of the body when `null`, as Postman does.
    #[serde(default, skip_serializing_if = "is_null")]
    pub variables: V,
}

/// Whether a value serializes as JSON `null`.
fn is_null<V: serde::Serialize>(value: &V) -> bool {
    serde_json::to_value(value).is_ok_and(|v| v.is_null())
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A text field.
    Text {
        /// Field name.
        name: String,
        /// Field value.
        value: String,
    },
    /// A file field.
    File {
        /// Field name.
        name: String,
        /// The file.
        file: FilePart,
    },
}

/// A value as JSON text (parameters and form fields that carry JSON objects).
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, BuildError> {
    serde_json::to_string(value).map_err(|e| BuildError::new(e.to_string()))
}

/// A request body before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// Bytes with a content type (JSON, XML, text, binary).
    Bytes {
        /// Content type; empty sends none.
        content_type: String,
        /// Encoded body.
        bytes: Vec<u8>,
    },
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
    /// `multipart/form-data` parts.
    Multipart(Vec<Part>),
}

/// Builds one request from an operation's template; used by the generated operations.
#[derive(Debug)]
pub struct RequestBuilder {
    method: http::Method,
    url: String,
    /// Key, value (none for a key alone) and whether the value is a credential.
    query: Vec<(String, Option<String>, bool)>,
    headers: http::HeaderMap,
    body: Body,
    variables: std::sync::Arc<Variables>,
    /// Path parameter values that came from secret variables, as encoded in the URL.
    secret_path_values: Vec<String>,
    /// What answers the server's challenge, set by a signing scheme that has one.
    challenge: Option<std::sync::Arc<dyn Challenge>>,
    /// Where the access token that the client fetches goes, when the auth waits for one.
    token_slot: Option<tokens::TokenSlot>,
    /// The first thing that went wrong, returned by [`Self::finish`].
    error: Option<BuildError>,
}

impl RequestBuilder {
    /// Starts a request to `server` (a key of the client's servers).
    pub fn new(client: &Client, method: &str, server: &str) -> Result<Self, BuildError> {
        let base = client
            .server(server)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| BuildError::new(format!("no base URL set for server `{server}`")))?;
        if base.contains("{{") {
            return Err(BuildError::new(format!(
                "the base URL `{base}` of server `{server}` has a variable the client does not know"
            )));
        }
        let method = http::Method::from_bytes(method.as_bytes())
            .map_err(|e| BuildError::new(format!("invalid method `{method}`: {e}")))?;
        Ok(Self {
            method,
            url: base.trim_end_matches('/').to_owned(),
            query: Vec::new(),
            headers: client.default_headers.clone(),
            body: Body::Empty,
            variables: std::sync::Arc::clone(&client.variables),
            secret_path_values: Vec::new(),
            challenge: None,
            token_slot: None,
            error: None,
        })
    }

    /// Keeps the first error, for [`Self::finish`].
    fn fail(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }

    /// Appends one path segment from literal text and parameter values; every parameter value is
    /// percent-encoded so that it stays inside this segment.
    pub fn segment(&mut self, pieces: &[Piece<'_>]) {
        self.url.push('/');
        for piece in pieces {
            match piece {
                Piece::Lit(text) => {
                    let text = self.variables.resolve(text).text;
                    self.url.extend(utf8_percent_encode(&text, PATH_LITERAL));
                }
                Piece::Param(value) => {
                    let resolved = self.variables.resolve(value);
                    let encoded = match resolved.text.as_str() {
                        "." => "%2E".to_owned(),
                        ".." => "%2E%2E".to_owned(),
                        text => utf8_percent_encode(text, PATH_PARAM).collect(),
                    };
                    if resolved.secret && !encoded.is_empty() {
                        self.secret_path_values.push(encoded.clone());
                    }
                    self.url.push_str(&encoded);
                }
            }
        }
    }

    /// Adds a query parameter; values of keys that name credentials (`api_key`,
    /// `access_token`, ...) are redacted wherever the request is shown.
    pub fn query(&mut self, key: &str, value: impl fmt::Display) {
        let key = self.variables.resolve(key);
        let value = self.variables.resolve(&value.to_string());
        let secret = is_secret_name(&key.text) || key.secret || value.secret;
        self.query.push((key.text, Some(value.text), secret));
    }

    /// [`Self::query`] when the value is set.
    pub fn query_opt(&mut self, key: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.query(key, value);
        }
    }

    /// Adds a query key without a value (`?human`), as Postman sends a key with none.
    pub fn query_flag(&mut self, key: &str) {
        self.query
            .push((self.variables.resolve(key).text, None, false));
    }

    /// Adds a header; a name or value that is not valid in a header fails the request.
    pub fn header(&mut self, name: &str, value: impl fmt::Display) {
        let resolved = self.variables.resolve(&value.to_string());
        match header_pair(name, &resolved.text) {
            Ok((name, mut value)) => {
                if resolved.secret {
                    value.set_sensitive(true);
                }
                self.headers.append(name, value);
            }
            Err(error) => self.fail(error),
        }
    }

    /// [`Self::header`] when the value is set.
    pub fn header_opt(&mut self, name: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    /// Applies the client's credentials the way `scheme` asks for.
    pub fn auth(&mut self, client: &Client, scheme: AuthScheme) -> Result<(), BuildError> {
        let creds = &client.credentials;
        // A credential set on the client, else the collection's template if its variables
        // are all known.
        let pick = |set: Option<&Secret>, template: Option<&str>| -> Option<String> {
            set.map(|s| s.expose().to_owned()).or_else(|| {
                let resolved = self.variables.resolve(template?).text;
                (!resolved.contains("{{")).then_some(resolved)
            })
        };
        match scheme {
            AuthScheme::None => Ok(()),
            AuthScheme::Token {
                header,
                prefix,
                credential,
                written,
            } => {
                let prefix = creds.token_prefix.as_deref().unwrap_or(prefix);
                // A bearer token from the client's token source, unless one is set.
                if let (false, None, Some(source)) = (written, &creds.token, &client.tokens.source)
                {
                    let slot = tokens::TokenSlot::new(prefix, false, String::new(), source.clone());
                    self.token_slot = Some(slot);
                    return Ok(());
                }
                // As in Postman, an empty bearer token sends nothing; a header written by hand
                // goes as written.
                match pick(creds.token.as_ref(), credential).filter(|t| written || !t.is_empty()) {
                    Some(token) => self.secret_header(header, &format!("{prefix}{token}")),
                    None => Ok(()),
                }
            }
            AuthScheme::OAuth2 {
                prefix,
                in_query,
                credential,
                grant,
            } => {
                let prefix = creds.token_prefix.as_deref().unwrap_or(prefix);
                let user_source = match (&creds.token, &client.tokens.source) {
                    (None, Some(source)) => Some((String::new(), source.clone())),
                    _ => None,
                };
                // As in Postman, an empty token sends nothing.
                let token = match user_source {
                    Some(_) => None,
                    None => pick(creds.token.as_ref(), credential).filter(|t| !t.is_empty()),
                };
                match token {
                    Some(token) if in_query => {
                        self.query
                            .push(("access_token".to_owned(), Some(token), true));
                        Ok(())
                    }
                    Some(token) => self.secret_header("authorization", &format!("{prefix}{token}")),
                    None => {
                        let source = user_source.or_else(|| grant?.source(self, client));
                        if let Some((key, source)) = source {
                            let slot = tokens::TokenSlot::new(prefix, in_query, key, source);
                            self.token_slot = Some(slot);
                        }
                        Ok(())
                    }
                }
            }
            AuthScheme::Basic { user, password } => {
                let pair = match &creds.basic {
                    Some((user, password)) => Some((user.clone(), password.expose().to_owned())),
                    None => pick(None, password).map(|password| {
                        let user = user.map(|u| self.variables.resolve(u).text);
                        (user.unwrap_or_default(), password)
                    }),
                };
                match pair {
                    Some((user, password)) => {
                        use base64::Engine as _;
                        let encoded = base64::engine::general_purpose::STANDARD
                            .encode(format!("{user}:{password}"));
                        self.secret_header("authorization", &format!("Basic {encoded}"))
                    }
                    None => Ok(()),
                }
            }
            AuthScheme::Signed(signer) => signer.sign(self, client),
            AuthScheme::ApiKey {
                name,
                prefix,
                in_query,
                credential,
            } => match pick(creds.api_key.as_ref(), credential) {
                Some(key) if in_query => {
                    self.query
                        .push((name.to_owned(), Some(format!("{prefix}{key}")), true));
                    Ok(())
                }
                Some(key) => self.secret_header(name, &format!("{prefix}{key}")),
                None => Ok(()),
            },
        }
    }

    /// A setting of a signing scheme: the client's ([`Client::with_auth_param`]), else the
    /// collection's with its variables resolved; `None` when empty or naming a variable the
    /// client does not know.
    pub fn auth_setting(
        &self,
        client: &Client,
        collection: &[(&str, &str)],
        name: &str,
    ) -> Option<String> {
        let value = match client.credentials.params.get(name) {
            Some(value) => value.expose().to_owned(),
            None => {
                let (_, template) = collection.iter().find(|(key, _)| *key == name)?;
                let resolved = self.variables.resolve(template).text;
                if resolved.contains("{{") {
                    return None;
                }
                resolved
            }
        };
        (!value.is_empty()).then_some(value)
    }

    fn secret_header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        insert_secret_header(&mut self.headers, name, value)
    }

    /// Starts a url-encoded body; [`Self::field`] adds its fields.
    pub fn form(&mut self) {
        self.body = Body::Form(Vec::new());
    }

    /// Starts a multipart body; [`Self::field`] and [`Self::file`] add its parts.
    pub fn multipart(&mut self) {
        self.body = Body::Multipart(Vec::new());
    }

    /// Adds a field to the url-encoded or multipart body that [`Self::form`] or
    /// [`Self::multipart`] started (variables in its name and value resolved); without one it
    /// fails the request.
    pub fn field(&mut self, name: &str, value: impl fmt::Display) {
        let name = self.variables.resolve(name).text;
        let value = self.variables.resolve(&value.to_string()).text;
        match &mut self.body {
            Body::Form(fields) => fields.push((name, value)),
            Body::Multipart(parts) => parts.push(Part::Text { name, value }),
            _ => self.fail(BuildError::new(format!(
                "field `{name}` outside a form body"
            ))),
        }
    }

    /// [`Self::field`] when the value is set.
    pub fn field_opt(&mut self, name: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// Adds a field whose value is sent as JSON text (see [`Self::field`]).
    pub fn field_json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match to_json(value) {
            Ok(text) => self.field(name, text),
            Err(error) => self.fail(error),
        }
    }

    /// Adds a file part to the multipart body that [`Self::multipart`] started; without one
    /// it fails the request.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        match &mut self.body {
            Body::Multipart(parts) => parts.push(Part::File {
                name: name.to_owned(),
                file: file.clone(),
            }),
            _ => self.fail(BuildError::new(format!(
                "file `{name}` outside a multipart body"
            ))),
        }
    }

    /// Sets the body; variables in its text and fields are resolved.
    pub fn body(&mut self, body: Body) {
        let resolve = |text: &str| self.variables.resolve(text).text;
        self.body = match body {
            Body::Empty => Body::Empty,
            Body::Bytes {
                content_type,
                bytes,
            } => match String::from_utf8(bytes) {
                Ok(text) => Body::Bytes {
                    content_type,
                    bytes: resolve(&text).into_bytes(),
                },
                Err(e) => Body::Bytes {
                    content_type,
                    bytes: e.into_bytes(),
                },
            },
            Body::Form(fields) => Body::Form(
                fields
                    .iter()
                    .map(|(key, value)| (resolve(key), resolve(value)))
                    .collect(),
            ),
            Body::Multipart(parts) => Body::Multipart(
                parts
                    .into_iter()
                    .map(|part| match part {
                        Part::Text { name, value } => Part::Text {
                            name: resolve(&name),
                            value: resolve(&value),
                        },
                        file @ Part::File { .. } => file,
                    })
                    .collect(),
            ),
        };
    }

    /// Sets a JSON body sent as `content_type`; variables in its strings are resolved.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T, content_type: &str) {
        self.json_template(value, content_type, &[]);
    }

    /// [`Self::json`] for a body the collection writes with unquoted variables
    /// (`"amount": {{amount}}`): each `(JSON pointer, variable)` that holds `null` is sent as
    /// the variable's text, as Postman substitutes it, when the client knows the variable.
    pub fn json_template<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
        content_type: &str,
        unquoted: &[(&str, &str)],
    ) {
        match self.json_text(value, unquoted) {
            Ok(text) => {
                self.body = Body::Bytes {
                    content_type: content_type.to_owned(),
                    bytes: text.into_bytes(),
                };
            }
            Err(error) => self.fail(error),
        }
    }

    fn json_text<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        unquoted: &[(&str, &str)],
    ) -> Result<String, BuildError> {
        let error = |e: serde_json::Error| BuildError::new(e.to_string());
        let mut value = serde_json::to_value(value).map_err(error)?;
        let mut substitutions = Vec::new();
        for (pointer, name) in unquoted {
            let Some(slot) = value.pointer_mut(pointer).filter(|v| v.is_null()) else {
                continue;
            };
            let resolved = self.variables.resolve(&format!("{{{{{name}}}}}"));
            if resolved.text.contains("{{") {
                continue;
            }
            // A string no serialized value holds, replaced by the text once serialized.
            let mark = format!("\u{0}postman-codegen-{}", substitutions.len());
            let serialized = serde_json::Value::String(mark.clone()).to_string();
            *slot = serde_json::Value::String(mark);
            substitutions.push((serialized, resolved.text));
        }
        self.variables.resolve_json(&mut value);
        let mut text = serde_json::to_string(&value).map_err(error)?;
        for (serialized, raw) in substitutions {
            text = text.replacen(&serialized, &raw, 1);
        }
        Ok(text)
    }

    /// Finishes the request, or returns the first error met while building it.
    pub fn finish(self) -> Result<Prepared, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let (query, shown_query) = self.query_strings();
        // What reqwest sends is this URL as its parser serializes it (dot segments resolved, ...):
        // the prepared request is that, so `build()` is exactly what goes on the wire. The shown
        // URL is the same with credentials redacted (the query is already in its final form).
        let url = format!("{}{query}", self.url);
        let (url, shown_url) = match reqwest::Url::parse(&url) {
            Ok(mut parsed) => {
                let url = parsed.to_string();
                parsed.set_query(None);
                let mut shown = parsed.to_string();
                for secret in &self.secret_path_values {
                    shown = shown.replace(secret.as_str(), REDACTED);
                }
                (url, format!("{shown}{shown_query}"))
            }
            Err(_) => (url, format!("{}{shown_query}", self.url)),
        };
        Ok(Prepared {
            method: self.method,
            url,
            shown_url,
            headers: self.headers,
            body: self.body,
            challenge: self.challenge,
            token_slot: self.token_slot,
        })
    }

    /// The URL [`Self::finish`] gives the request as it stands, for schemes that sign it.
    pub fn preview_url(&self) -> String {
        let url = format!("{}{}", self.url, self.query_strings().0);
        reqwest::Url::parse(&url).map_or(url, |parsed| parsed.to_string())
    }

    /// The query string (`?a=1&b`) as sent, and as shown with credentials redacted.
    fn query_strings(&self) -> (String, String) {
        let (mut query, mut shown_query) = (String::new(), String::new());
        for (i, (key, value, secret)) in self.query.iter().enumerate() {
            let key = format!(
                "{}{}",
                if i == 0 { '?' } else { '&' },
                utf8_percent_encode(key, QUERY)
            );
            query.push_str(&key);
            shown_query.push_str(&key);
            if let Some(value) = value {
                let value: String = utf8_percent_encode(value, QUERY).collect();
                query.push('=');
                query.push_str(&value);
                shown_query.push('=');
                shown_query.push_str(if *secret { REDACTED } else { &value });
            }
        }
        (query, shown_query)
    }
}

/// A piece of a path segment.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// Literal text from the collection.
    Lit(&'a str),
    /// A parameter value, percent-encoded.
    Param(&'a str),
}

/// A finished request: can become an `http::Request` or a curl command. Its `Debug` and
/// curl rendering redact credentials in the query string and headers.
#[derive(Clone)]
pub struct Prepared {
    /// Method.
    pub method: http::Method,
    /// Full URL with query.
    pub url: String,
    /// The URL with credentials in the query replaced by `<redacted>`.
    shown_url: String,
    /// Headers, credentials marked sensitive.
    pub headers: http::HeaderMap,
    /// Body before encoding.
    pub body: Body,
    /// The scheme that answers the server's challenge, if the request's auth has one.
    challenge: Option<std::sync::Arc<dyn Challenge>>,
    /// Where the access token that the client fetches goes ([`Client::authorize`]).
    token_slot: Option<tokens::TokenSlot>,
}

/// What a credential is shown as.
const REDACTED: &str = "<redacted>";

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("method", &self.method)
            .field("url", &self.shown_url)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Start of multipart boundaries; a counter is appended until no part contains the boundary.
const BOUNDARY: &str = "postman-codegen-boundary-7MA4YWxkTrZu0gW";

impl Prepared {
    /// The request signed for the challenge in `response` (a `401` or `403` whose
    /// `WWW-Authenticate` the request's auth scheme answers, such as Digest), or `None`.
    /// [`Client::execute`] sends it once; a sans-IO caller sends it itself.
    pub fn answer_challenge(
        &self,
        response: &http::Response<Vec<u8>>,
    ) -> Option<Result<Prepared, BuildError>> {
        let status = response.status();
        if status != http::StatusCode::UNAUTHORIZED && status != http::StatusCode::FORBIDDEN {
            return None;
        }
        let scheme = self.challenge.as_ref()?;
        response
            .headers()
            .get_all(http::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|value| scheme.answer(self, value))
    }

    /// Whether the request waits for an access token that [`Client::authorize`] (or
    /// [`Client::execute`]) fetches.
    pub fn needs_token(&self) -> bool {
        self.token_slot.is_some()
    }

    /// Appends a query parameter whose value is a credential (redacted when shown).
    pub fn append_secret_query(&mut self, key: &str, value: &str) {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        let key: String = utf8_percent_encode(key, QUERY).collect();
        let value: String = utf8_percent_encode(value, QUERY).collect();
        self.url.push_str(&format!("{separator}{key}={value}"));
        let separator = if self.shown_url.contains('?') {
            '&'
        } else {
            '?'
        };
        self.shown_url
            .push_str(&format!("{separator}{key}={REDACTED}"));
    }

    /// Sets a header whose value is a credential (marked sensitive, redacted when shown).
    pub fn set_secret_header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        insert_secret_header(&mut self.headers, name, value)
    }

    /// Encodes the request.
    pub fn into_http(self) -> Result<http::Request<Vec<u8>>, BuildError> {
        let mut builder = http::Request::builder()
            .method(self.method)
            .uri(self.url.as_str());
        let (content_type, bytes) = encode_body(self.body);
        if let Some(headers) = builder.headers_mut() {
            *headers = self.headers;
            if let Some(content_type) = content_type {
                let (name, value) = header_pair("content-type", &content_type)?;
                headers.insert(name, value);
            }
        }
        builder
            .body(bytes)
            .map_err(|e| BuildError::new(e.to_string()))
    }

    /// The request as a curl command; credentials show as `<redacted>`.
    pub fn to_curl(&self) -> String {
        let mut out = format!("curl -X {} {}", self.method, shell_quote(&self.shown_url));
        for (name, value) in &self.headers {
            let value = if value.is_sensitive() {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            out.push_str(&format!(
                " \\\n  -H {}",
                shell_quote(&format!("{name}: {value}"))
            ));
        }
        match &self.body {
            Body::Empty => {}
            Body::Bytes {
                content_type,
                bytes,
            } => {
                if !content_type.is_empty() {
                    out.push_str(&format!(
                        " \\\n  -H {}",
                        shell_quote(&format!("content-type: {content_type}"))
                    ));
                }
                out.push_str(&format!(
                    " \\\n  --data-binary {}",
                    shell_quote(&String::from_utf8_lossy(bytes))
                ));
            }
            Body::Form(fields) => {
                for (key, value) in fields {
                    out.push_str(&format!(
                        " \\\n  --data-urlencode {}",
                        shell_quote(&format!("{key}={value}"))
                    ));
                }
            }
            Body::Multipart(parts) => {
                for part in parts {
                    let field = match part {
                        Part::Text { name, value } => format!("{name}={value}"),
                        Part::File { name, file } => format!("{name}=@{}", file.file_name),
                    };
                    out.push_str(&format!(" \\\n  --form {}", shell_quote(&field)));
                }
            }
        }
        out
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Inserts a header whose value is a credential: marked sensitive, so it is redacted when shown.
fn insert_secret_header(
    headers: &mut http::HeaderMap,
    name: &str,
    value: &str,
) -> Result<(), BuildError> {
    let (name, mut value) = header_pair(name, value)?;
    value.set_sensitive(true);
    headers.insert(name, value);
    Ok(())
}

/// A checked header; values of headers that name credentials (`Authorization`, `Cookie`,
/// `X-Api-Key`, ...) are marked sensitive, so they are redacted wherever shown.
fn header_pair(
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue), BuildError> {
    let name = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| BuildError::new(format!("invalid header name `{name}`: {e}")))?;
    let mut value = http::HeaderValue::from_str(value)
        .map_err(|e| BuildError::new(format!("invalid value for header `{name}`: {e}")))?;
    value.set_sensitive(is_secret_name(name.as_str()));
    Ok((name, value))
}

fn encode_body(body: Body) -> (Option<String>, Vec<u8>) {
    match body {
        Body::Empty => (None, Vec::new()),
        Body::Bytes {
            content_type,
            bytes,
        } => (Some(content_type).filter(|c| !c.is_empty()), bytes),
        // An empty form goes as Postman sends it: no body and no content type.
        Body::Form(fields) if fields.is_empty() => (None, Vec::new()),
        Body::Multipart(parts) if parts.is_empty() => (None, Vec::new()),
        Body::Form(fields) => {
            let mut out = String::new();
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                out.extend(form_encode(key));
                out.push('=');
                out.extend(form_encode(value));
            }
            (
                Some("application/x-www-form-urlencoded".to_owned()),
                out.into_bytes(),
            )
        }
        Body::Multipart(parts) => {
            let boundary = pick_boundary(&parts);
            (
                Some(format!("multipart/form-data; boundary={boundary}")),
                encode_multipart(&parts, &boundary),
            )
        }
    }
}

fn form_encode(text: &str) -> impl Iterator<Item = &str> {
    percent_encoding::percent_encode(text.as_bytes(), FORM)
}

fn pick_boundary(parts: &[Part]) -> String {
    let mut boundary = BOUNDARY.to_owned();
    let mut n = 0u32;
    while parts.iter().any(|part| {
        let content = match part {
            Part::Text { value, .. } => value.as_bytes(),
            Part::File { file, .. } => file.bytes.as_slice(),
        };
        contains(content, boundary.as_bytes())
    }) {
        n += 1;
        boundary = format!("{BOUNDARY}{n}");
    }
    boundary
}

fn encode_multipart(parts: &[Part], boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let content = match part {
            Part::Text { name, value } => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                        quote_param(name)
                    )
                    .as_bytes(),
                );
                value.as_bytes()
            }
            Part::File { name, file } => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n",
                        quote_param(name),
                        quote_param(&file.file_name)
                    )
                    .as_bytes(),
                );
                // As in Postman, a part without a file (no name, no bytes) has no type.
                let no_file = file.file_name.is_empty() && file.bytes.is_empty();
                let content_type = match &file.content_type {
                    Some(content_type) => Some(content_type.as_str()),
                    None => (!no_file).then_some("application/octet-stream"),
                };
                if let Some(content_type) = content_type {
                    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
                }
                out.extend_from_slice(b"\r\n");
                file.bytes.as_slice()
            }
        };
        out.extend_from_slice(content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

fn quote_param(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\r', '\n'], " ")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
