//! Support code shared by every operation of this client: the `Client`, credentials, the
//! sans-IO request builder, multipart and curl rendering, and the error types.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a path parameter: RFC 3986 unreserved characters only.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Characters escaped in a literal path segment taken from the collection.
const PATH_LITERAL: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Characters escaped in a query key or value.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
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

/// How an operation authenticates, as the collection declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// No credentials are sent.
    None,
    /// A token in a header after a prefix, e.g. `Authorization: Bearer <token>`.
    Token {
        /// Header name.
        header: &'static str,
        /// Text sent before the token, e.g. `"Bearer "` or `"Zoho-oauthtoken "`.
        prefix: &'static str,
    },
    /// HTTP basic authentication.
    Basic,
    /// An API key in a header or in the query string.
    ApiKey {
        /// Header or query parameter name.
        name: &'static str,
        /// Text sent before the key.
        prefix: &'static str,
        /// Whether the key goes into the query string instead of a header.
        in_query: bool,
    },
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
}

/// Transport configuration and credentials shared by all operations.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    servers: BTreeMap<String, String>,
    primary_server: String,
    credentials: Credentials,
    default_headers: http::HeaderMap,
    timeout: Option<Duration>,
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
            primary_server: primary.to_owned(),
            credentials: Credentials::default(),
            default_headers: http::HeaderMap::new(),
            timeout: None,
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
        self.servers.insert(key.to_owned(), url.into());
        self
    }

    /// The base URL requests to `key` go to.
    pub fn server(&self, key: &str) -> Option<&str> {
        self.servers.get(key).map(String::as_str)
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

    /// Sends the token after a custom scheme, e.g. `Zoho-oauthtoken`.
    pub fn with_token_scheme(mut self, scheme: impl Into<String>, token: impl Into<String>) -> Self {
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

    /// Sends a built request and reads the whole response.
    pub async fn execute<E>(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error<E>> {
        let mut request = reqwest::Request::try_from(request)?;
        *request.timeout_mut() = self.timeout;
        let response = self.http.execute(request).await?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = response.headers().clone();
        }
        let body = response.bytes().await?.to_vec();
        builder
            .body(body)
            .map_err(|e| Error::Build(BuildError::new(e.to_string())))
    }
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

/// Everything an operation can fail with; `E` is the operation's own error enum.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The server answered with a documented or unexpected error status (boxed: error bodies
    /// can be large).
    #[error("the server answered with an error status")]
    Api(Box<E>),
    /// The request could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The request could not be sent or the response not read.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response body did not match the type the collection's examples describe.
    #[error("cannot decode the {status} response: {message}")]
    Decode {
        /// Status of the response.
        status: u16,
        /// What went wrong.
        message: String,
        /// The body as received.
        body: Vec<u8>,
    },
}

impl<E> Error<E> {
    /// An error status response.
    pub fn api(error: E) -> Self {
        Self::Api(Box::new(error))
    }
}

/// A response kept as it came: status, headers and body.
#[derive(Debug, Clone)]
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

    /// Decodes the body as JSON.
    pub fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: self.status.as_u16(),
            message: e.to_string(),
            body: self.body.clone(),
        })
    }
}

/// A file sent as one part of a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// File name sent in `Content-Disposition`.
    pub file_name: String,
    /// Content type of the part; `application/octet-stream` when unset.
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
    /// Variables of the query.
    #[serde(default)]
    pub variables: V,
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

impl Part {
    /// A text field.
    pub fn text(name: &str, value: String) -> Self {
        Self::Text {
            name: name.to_owned(),
            value,
        }
    }

    /// A file field.
    pub fn file(name: &str, file: FilePart) -> Self {
        Self::File {
            name: name.to_owned(),
            file,
        }
    }
}

/// A url-encoded body from the fields that are set.
pub fn form_body(fields: Vec<Option<(&str, String)>>) -> Body {
    Body::Form(
        fields
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

/// A multipart body from the parts that are set.
pub fn multipart_body(parts: Vec<Option<Part>>) -> Body {
    Body::Multipart(parts.into_iter().flatten().collect())
}

/// A value as JSON text (form fields that carry JSON objects).
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
        /// Content type.
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
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    body: Body,
}

impl RequestBuilder {
    /// Starts a request to `server` (a key of the client's servers).
    pub fn new(client: &Client, method: &str, server: &str) -> Result<Self, BuildError> {
        let base = client
            .server(server)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| BuildError::new(format!("no base URL set for server `{server}`")))?;
        let method = http::Method::from_bytes(method.as_bytes())
            .map_err(|e| BuildError::new(format!("invalid method `{method}`: {e}")))?;
        Ok(Self {
            method,
            url: base.trim_end_matches('/').to_owned(),
            query: Vec::new(),
            headers: client.default_headers.clone(),
            body: Body::Empty,
        })
    }

    /// Appends one path segment from literal text and parameter values; every parameter value is
    /// percent-encoded so that it stays inside this segment.
    pub fn segment(&mut self, pieces: &[Piece<'_>]) {
        self.url.push('/');
        for piece in pieces {
            match piece {
                Piece::Lit(text) => self
                    .url
                    .extend(utf8_percent_encode(text, PATH_LITERAL)),
                Piece::Param(value) => match *value {
                    "." => self.url.push_str("%2E"),
                    ".." => self.url.push_str("%2E%2E"),
                    _ => self.url.extend(utf8_percent_encode(value, PATH_PARAM)),
                },
            }
        }
    }

    /// Adds a query parameter.
    pub fn query(&mut self, key: &str, value: &str) {
        self.query.push((key.to_owned(), value.to_owned()));
    }

    /// Adds a header, checking its name and value.
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        let (name, value) = header_pair(name, value)?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Applies the client's credentials the way `scheme` asks for.
    pub fn auth(&mut self, client: &Client, scheme: AuthScheme) -> Result<(), BuildError> {
        let creds = &client.credentials;
        match scheme {
            AuthScheme::None => Ok(()),
            AuthScheme::Token { header, prefix } => match &creds.token {
                Some(token) => {
                    let prefix = creds.token_prefix.as_deref().unwrap_or(prefix);
                    self.secret_header(header, &format!("{prefix}{}", token.expose()))
                }
                None => Ok(()),
            },
            AuthScheme::Basic => match &creds.basic {
                Some((user, password)) => {
                    use base64::Engine as _;
                    let raw = format!("{user}:{}", password.expose());
                    let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                    self.secret_header("authorization", &format!("Basic {encoded}"))
                }
                None => Ok(()),
            },
            AuthScheme::ApiKey {
                name,
                prefix,
                in_query,
            } => match &creds.api_key {
                Some(key) if in_query => {
                    self.query(name, &format!("{prefix}{}", key.expose()));
                    Ok(())
                }
                Some(key) => self.secret_header(name, &format!("{prefix}{}", key.expose())),
                None => Ok(()),
            },
        }
    }

    fn secret_header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        let (name, mut value) = header_pair(name, value)?;
        value.set_sensitive(true);
        self.headers.insert(name, value);
        Ok(())
    }

    /// Sets the body.
    pub fn body(&mut self, body: Body) {
        self.body = body;
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
        let bytes = serde_json::to_vec(value).map_err(|e| BuildError::new(e.to_string()))?;
        self.body = Body::Bytes {
            content_type: "application/json".to_owned(),
            bytes,
        };
        Ok(())
    }

    /// Finishes the request.
    pub fn finish(self) -> Prepared {
        let mut url = self.url;
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(key, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        Prepared {
            method: self.method,
            url,
            headers: self.headers,
            body: self.body,
        }
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

/// A finished request: can become an `http::Request` or a curl command.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Method.
    pub method: http::Method,
    /// Full URL with query.
    pub url: String,
    /// Headers, credentials marked sensitive.
    pub headers: http::HeaderMap,
    /// Body before encoding.
    pub body: Body,
}

/// Start of multipart boundaries; a counter is appended until no part contains the boundary.
const BOUNDARY: &str = "postman-codegen-boundary-7MA4YWxkTrZu0gW";

impl Prepared {
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
        let mut out = format!("curl -X {} {}", self.method, shell_quote(&self.url));
        for (name, value) in &self.headers {
            let value = if value.is_sensitive() {
                "<redacted>".to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            out.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{name}: {value}"))));
        }
        match &self.body {
            Body::Empty => {}
            Body::Bytes {
                content_type,
                bytes,
            } => {
                out.push_str(&format!(
                    " \\\n  -H {} \\\n  --data-binary {}",
                    shell_quote(&format!("content-type: {content_type}")),
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

fn header_pair(
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue), BuildError> {
    let name = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| BuildError::new(format!("invalid header name `{name}`: {e}")))?;
    let value = http::HeaderValue::from_str(value)
        .map_err(|e| BuildError::new(format!("invalid value for header `{name}`: {e}")))?;
    Ok((name, value))
}

fn encode_body(body: Body) -> (Option<String>, Vec<u8>) {
    match body {
        Body::Empty => (None, Vec::new()),
        Body::Bytes {
            content_type,
            bytes,
        } => (Some(content_type), bytes),
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
    percent_encoding::percent_encode(text.as_bytes(), PATH_PARAM)
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
                let content_type = file
                    .content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream");
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
                        quote_param(name),
                        quote_param(&file.file_name)
                    )
                    .as_bytes(),
                );
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
