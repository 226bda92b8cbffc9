use std::collections::BTreeMap;
use std::time::Duration;

use super::prepared::header_pair;
use super::scripts::{RequestEdits, Run, Step, Written};
use super::variables::{read_variable_file, variable_file, Variable, Variables};
use super::RawResponse;
use super::{
    tokens, BuildError, Credentials, Error, OperationId, Prepared, RetryPolicy, Secret, TokenError,
    TokenSource, TransportError,
};

/// How many pages a stream goes through unless the client says otherwise.
const DEFAULT_MAX_PAGES: usize = 1000;

/// Transport configuration and credentials shared by all operations.
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    servers: BTreeMap<String, String>,
    server_overrides: BTreeMap<String, String>,
    primary_server: String,
    pub(super) variables: std::sync::Arc<Variables>,
    pub(super) credentials: Credentials,
    pub(super) default_headers: http::HeaderMap,
    pub(super) timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    /// The most pages a stream of pages goes through.
    max_pages: usize,
    pub(super) tokens: tokens::Tokens,
    /// Variables the collection's scripts wrote, shared by clones.
    pub(super) written: std::sync::Arc<Written>,
    /// Whether the collection's scripts run.
    scripts: bool,
    /// The seed scripts draw random numbers from, where one is set.
    script_seed: Option<u32>,
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
            max_pages: DEFAULT_MAX_PAGES,
            tokens: tokens::Tokens::default(),
            written: std::sync::Arc::default(),
            scripts: true,
            script_seed: None,
        }
    }

    /// Whether the collection's pre-request and test scripts run, as far as the generator
    /// translated them (on by default, as in Postman): pre-request steps set variables and edit
    /// headers before a request is built, test steps capture values of the response into
    /// variables that later requests use. Variables scripts write are shared by the client and
    /// its clones, as one environment is shared by a Postman run.
    pub fn with_scripts(mut self, on: bool) -> Self {
        self.scripts = on;
        self
    }

    /// Scripts draw their random numbers (`Math.random`, and the ids, names and numbers they
    /// make with it) from this seed, afresh each time a request's scripts run: what scripts
    /// compute is then the same on every run, for tests that compare what was sent. With the
    /// `js` feature, each script draws from the seed mixed with its own text. Without a seed
    /// (the default), each request's scripts draw from a new one.
    pub fn with_script_seed(mut self, seed: u32) -> Self {
        self.script_seed = Some(seed);
        self
    }

    /// The seed one request's scripts draw from.
    pub(super) fn script_seed(&self) -> u32 {
        self.script_seed
            .unwrap_or_else(super::random::Random::fresh_seed)
    }

    /// Runs an operation's pre-request `steps` (when scripts are on): the variables they write,
    /// and the header edits the request must take. Scripts run as written read the request as
    /// `view` gives it (see `operation::request_view`).
    pub(super) fn run_pre_request(
        &self,
        operation: OperationId,
        steps: &[Step],
        view: &(dyn Fn() -> serde_json::Value + Sync),
    ) -> Result<RequestEdits, BuildError> {
        if !self.scripts || steps.is_empty() {
            return Ok(RequestEdits::default());
        }
        let variables = self.script_variables();
        let mut run = Run::new(&self.written, &variables, None);
        run.operation = Some(operation);
        run.seeded(self.script_seed());
        #[cfg(feature = "js")]
        run.view_request(steps, view);
        #[cfg(not(feature = "js"))]
        let _ = view;
        run.steps(steps)?;
        Ok(run.edits)
    }

    /// [`Client::run_pre_request`] on the way to sending the request: with the `js` feature,
    /// the requests scripts send (`pm.sendRequest`) go out and their callbacks run.
    pub(super) async fn run_pre_request_sending(
        &self,
        operation: OperationId,
        steps: &[Step],
        view: &(dyn Fn() -> serde_json::Value + Sync),
    ) -> Result<RequestEdits, BuildError> {
        #[cfg(feature = "js")]
        if self.scripts && super::script_requests::may_send(steps) {
            let finished = self.run_sending(operation, steps, None, view).await;
            return finished.result.map(|()| finished.edits);
        }
        self.run_pre_request(operation, steps, view)
    }

    /// Runs an operation's test `steps` on its `response`: the variables they set, which the
    /// client keeps when scripts are on. A step that fails stops the steps after it, as an
    /// error stops a Postman test script; the response is returned all the same.
    pub(super) fn run_test(
        &self,
        operation: OperationId,
        steps: &[Step],
        response: &RawResponse,
    ) -> Vec<(String, String)> {
        if steps.is_empty() {
            return Vec::new();
        }
        let scratch = Written::default();
        let written = if self.scripts {
            &*self.written
        } else {
            &scratch
        };
        let variables = self.script_variables();
        let mut run = Run::new(written, &variables, Some(response));
        run.operation = Some(operation);
        run.seeded(self.script_seed());
        let _stopped = run.steps(steps);
        run.captured
    }

    /// [`Client::run_test`] as the client sends a request: with the `js` feature and scripts
    /// on, the requests scripts send go out and their callbacks run.
    pub(super) async fn run_test_sending(
        &self,
        operation: OperationId,
        steps: &[Step],
        response: &RawResponse,
    ) -> Vec<(String, String)> {
        #[cfg(feature = "js")]
        if self.scripts && super::script_requests::may_send(steps) {
            return self
                .run_sending(operation, steps, Some(response), &|| {
                    serde_json::Value::Null
                })
                .await
                .captured;
        }
        self.run_test(operation, steps, response)
    }

    /// The variables scripts see: the client's, where a server's base URL set with
    /// [`Client::with_server`] is also the value of the variable naming it, as
    /// `pm.variables.get("base_url")` reads it.
    pub(super) fn script_variables(&self) -> std::sync::Arc<Variables> {
        let mut named = self
            .server_overrides
            .iter()
            .filter(|(key, _)| !key.contains("://"))
            .peekable();
        if named.peek().is_none() {
            return std::sync::Arc::clone(&self.variables);
        }
        let mut variables = Variables::clone(&self.variables);
        for (key, url) in named {
            variables
                .local
                .insert(key.clone(), Variable::new(key, url, false));
        }
        std::sync::Arc::new(variables)
    }

    /// The variables requests resolve `{{name}}` with: the client's, with what scripts wrote
    /// over them.
    pub(super) fn current_variables(&self) -> std::sync::Arc<Variables> {
        self.written.over(&self.variables)
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
        self.server_with(key, &self.current_variables())
    }

    /// [`Client::server`] with `variables`, the client's as a request sees them.
    pub(super) fn server_with(&self, key: &str, variables: &Variables) -> Option<String> {
        let url = self
            .server_overrides
            .get(key)
            .or_else(|| variables.get(key).map(|v| &v.value))
            .or_else(|| self.servers.get(key))?;
        Some(variables.resolve(url).text)
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
    /// then collection), with what the collection's scripts wrote.
    pub fn variable(&self, name: &str) -> Option<String> {
        self.current_variables().get(name).map(|v| v.value.clone())
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

    /// Ends a stream of pages with an error after `max` pages (1,000 by default), against
    /// servers that never say a page is the last.
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.max_pages = max;
        self
    }

    /// The most pages a stream of pages goes through; see [`Client::with_max_pages`].
    pub fn max_pages(&self) -> usize {
        self.max_pages
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccessToken, AuthScheme, RequestBuilder, TokenFuture};

    fn api() -> Client {
        Client::with_servers(
            "main",
            &[
                ("main", "https://main.example"),
                ("files", "{{files_host}}/up"),
            ],
        )
    }

    #[test]
    fn server_prefers_override_then_variable_then_default() {
        let client = api();
        assert_eq!(
            client.server("main").as_deref(),
            Some("https://main.example")
        );
        assert_eq!(client.server("files").as_deref(), Some("{{files_host}}/up"));
        assert_eq!(client.server("other"), None);
        let client = client
            .with_variable("files_host", "https://files.example")
            .with_variable("main", "https://from-variable.example");
        assert_eq!(
            client.server("files").as_deref(),
            Some("https://files.example/up")
        );
        assert_eq!(
            client.server("main").as_deref(),
            Some("https://from-variable.example")
        );
        let client = client.with_base_url("https://override.example");
        assert_eq!(
            client.server("main").as_deref(),
            Some("https://override.example")
        );
        let client = client.with_server("files", "http://localhost:{{port}}");
        let client = client.with_variable("port", "8080");
        assert_eq!(
            client.server("files").as_deref(),
            Some("http://localhost:8080")
        );
    }

    #[test]
    fn variable_layers_win_in_postman_order() {
        let env = r#"{"values": [{"key": "a", "value": "env"}, {"key": "b", "value": "env"}]}"#;
        let globals = r#"{"values": [{"key": "a", "value": "glob"}, {"key": "b", "value": "glob"},
            {"key": "c", "value": "glob"}]}"#;
        let client = api()
            .with_collection_variables(&[
                ("a", "coll"),
                ("b", "coll"),
                ("c", "coll"),
                ("d", "coll"),
            ])
            .with_globals(globals)
            .unwrap()
            .with_environment(env)
            .unwrap()
            .with_variable("a", "local");
        assert_eq!(client.variable("a").as_deref(), Some("local"));
        assert_eq!(client.variable("b").as_deref(), Some("env"));
        assert_eq!(client.variable("c").as_deref(), Some("glob"));
        assert_eq!(client.variable("d").as_deref(), Some("coll"));
        assert_eq!(client.variable("e"), None);
    }

    #[test]
    fn environment_files_that_cannot_be_read_or_parsed_fail() {
        let error = api().with_environment("{").unwrap_err().to_string();
        assert!(
            error.starts_with("cannot build request: not a Postman environment:"),
            "{error}"
        );
        let error = api().with_globals(r#"{"name": "x"}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot build request: not a Postman environment: it has no `values` list"
        );
        let error = api()
            .with_environment_file("/nonexistent/env.json")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("cannot read /nonexistent/env.json"),
            "{error}"
        );
    }

    #[test]
    fn debug_output_hides_credentials() {
        let client = api()
            .with_bearer_token("bearer-value")
            .with_basic_auth("user", "basic-password")
            .with_api_key("api-key-value")
            .with_auth_param("clientSecret", "param-value")
            .with_secret_variable("plain", "secret-variable-value")
            .with_variable("apiKey", "named-secret-value")
            .with_variable("visible", "shown-value")
            .with_default_header("Authorization", "Bearer header-value")
            .unwrap();
        let shown = format!("{client:?}");
        for hidden in [
            "bearer-value",
            "basic-password",
            "api-key-value",
            "param-value",
            "secret-variable-value",
            "named-secret-value",
            "header-value",
        ] {
            assert!(!shown.contains(hidden), "{hidden} shown in {shown}");
        }
        assert!(shown.contains("shown-value"), "{shown}");
    }

    #[test]
    fn default_headers_are_checked_and_sent() {
        let error = api().with_default_header("X-Bad", "a\nb").unwrap_err();
        assert!(error
            .to_string()
            .contains("invalid value for header `x-bad`"));
        let client = api().with_default_header("X-Trace", "1").unwrap();
        let prepared = RequestBuilder::new(&client, "GET", "main")
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(prepared.headers["x-trace"], "1");
        assert!(!prepared.headers["x-trace"].is_sensitive());
    }

    #[derive(Debug)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl TokenSource for Counting {
        fn fetch<'a>(
            &'a self,
            _http: &'a reqwest::Client,
            _previous: Option<&'a AccessToken>,
        ) -> TokenFuture<'a> {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move { Ok(AccessToken::new(format!("fetched-{n}"))) })
        }
    }

    fn oauth2_request(client: &Client) -> Prepared {
        let mut builder = RequestBuilder::new(client, "GET", "main").unwrap();
        let scheme = AuthScheme::OAuth2 {
            prefix: "Bearer ",
            in_query: false,
            credential: None,
            grant: None,
        };
        builder.auth(client, scheme).unwrap();
        builder.finish().unwrap()
    }

    #[tokio::test]
    async fn authorize_applies_a_cached_token_from_the_source() {
        let client = api().with_token_source(Counting(0.into()));
        let prepared = oauth2_request(&client);
        assert!(prepared.needs_token());
        assert!(!prepared.headers.contains_key("authorization"));
        let authorized = client.authorize(prepared).await.unwrap();
        assert!(!authorized.needs_token());
        assert_eq!(authorized.headers["authorization"], "Bearer fetched-0");
        assert!(authorized.headers["authorization"].is_sensitive());
        // A clone shares the cache: no second fetch.
        let clone = client.clone();
        let again = clone.authorize(oauth2_request(&clone)).await.unwrap();
        assert_eq!(again.headers["authorization"], "Bearer fetched-0");
        // A token set on the client comes first: nothing is fetched.
        let client = client.with_oauth2_token("mine");
        let prepared = oauth2_request(&client);
        assert!(!prepared.needs_token());
        assert_eq!(prepared.headers["authorization"], "Bearer mine");
        let untouched = client.authorize(prepared.clone()).await.unwrap();
        assert_eq!(untouched.url, prepared.url);
        assert_eq!(untouched.headers, prepared.headers);
    }
}
