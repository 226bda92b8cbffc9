//! The client of one collection: a [`runtime::Client`] set up with the collection's servers and
//! variables. The generator adds `new` and the operations' accessors, and copies each
//! forwarding method's documentation from the runtime's method of the same name.

#[derive(Debug, Clone)]
pub struct Client(runtime::Client);

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl std::ops::Deref for Client {
    type Target = runtime::Client;

    fn deref(&self) -> &runtime::Client {
        &self.0
    }
}

impl AsRef<runtime::Client> for Client {
    fn as_ref(&self) -> &runtime::Client {
        &self.0
    }
}

impl From<Client> for runtime::Client {
    fn from(client: Client) -> Self {
        client.0
    }
}

impl Client {
    pub fn with_http_client(self, http: runtime::reqwest::Client) -> Self {
        Self(self.0.with_http_client(http))
    }

    pub fn with_base_url(self, url: impl Into<String>) -> Self {
        Self(self.0.with_base_url(url))
    }

    pub fn with_scripts(self, on: bool) -> Self {
        Self(self.0.with_scripts(on))
    }

    pub fn with_script_seed(self, seed: u32) -> Self {
        Self(self.0.with_script_seed(seed))
    }

    pub fn with_server(self, key: &str, url: impl Into<String>) -> Self {
        Self(self.0.with_server(key, url))
    }

    pub fn with_collection_variables(self, variables: &[(&str, &str)]) -> Self {
        Self(self.0.with_collection_variables(variables))
    }

    pub fn with_variable(self, name: &str, value: impl Into<String>) -> Self {
        Self(self.0.with_variable(name, value))
    }

    pub fn with_secret_variable(self, name: &str, value: impl Into<String>) -> Self {
        Self(self.0.with_secret_variable(name, value))
    }

    pub fn with_environment(self, json: &str) -> Result<Self, runtime::BuildError> {
        self.0.with_environment(json).map(Self)
    }

    pub fn with_environment_file(
        self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, runtime::BuildError> {
        self.0.with_environment_file(path).map(Self)
    }

    pub fn with_globals(self, json: &str) -> Result<Self, runtime::BuildError> {
        self.0.with_globals(json).map(Self)
    }

    pub fn with_globals_file(
        self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, runtime::BuildError> {
        self.0.with_globals_file(path).map(Self)
    }

    pub fn with_bearer_token(self, token: impl Into<String>) -> Self {
        Self(self.0.with_bearer_token(token))
    }

    pub fn with_oauth2_token(self, token: impl Into<String>) -> Self {
        Self(self.0.with_oauth2_token(token))
    }

    pub fn with_token_source(self, source: impl runtime::TokenSource + 'static) -> Self {
        Self(self.0.with_token_source(source))
    }

    pub fn with_token_scheme(self, scheme: impl Into<String>, token: impl Into<String>) -> Self {
        Self(self.0.with_token_scheme(scheme, token))
    }

    pub fn with_basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        Self(self.0.with_basic_auth(user, password))
    }

    pub fn with_auth_param(self, name: &str, value: impl Into<String>) -> Self {
        Self(self.0.with_auth_param(name, value))
    }

    pub fn with_api_key(self, key: impl Into<String>) -> Self {
        Self(self.0.with_api_key(key))
    }

    pub fn with_default_header(self, name: &str, value: &str) -> Result<Self, runtime::BuildError> {
        self.0.with_default_header(name, value).map(Self)
    }

    pub fn with_timeout(self, timeout: std::time::Duration) -> Self {
        Self(self.0.with_timeout(timeout))
    }

    pub fn with_retry(self, policy: runtime::RetryPolicy) -> Self {
        Self(self.0.with_retry(policy))
    }

    pub fn with_max_pages(self, max: usize) -> Self {
        Self(self.0.with_max_pages(max))
    }
}
