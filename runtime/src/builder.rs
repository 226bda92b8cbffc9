use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::prepared::{header_pair, insert_secret_header, REDACTED};
use super::variables::Variables;
use super::{
    is_secret_name, to_json, tokens, AuthScheme, Body, BuildError, Challenge, Client, FilePart,
    Part, Prepared, Secret,
};

/// Characters left as they are in a url-encoded form: RFC 3986 unreserved characters only.
pub(super) const FORM: &AsciiSet = &NON_ALPHANUMERIC
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
pub(super) const QUERY: &AsciiSet = &NON_ALPHANUMERIC
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

/// Builds one request from an operation's template; used by the generated operations.
#[derive(Debug)]
pub struct RequestBuilder {
    pub(super) method: http::Method,
    pub(super) url: String,
    /// Key, value (none for a key alone) and whether the value is a credential.
    pub(super) query: Vec<(String, Option<String>, bool)>,
    pub(super) headers: http::HeaderMap,
    pub(super) body: Body,
    variables: std::sync::Arc<Variables>,
    /// Path parameter values that came from secret variables, as encoded in the URL.
    secret_path_values: Vec<String>,
    /// What answers the server's challenge, set by a signing scheme that has one.
    pub(super) challenge: Option<std::sync::Arc<dyn Challenge>>,
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

    pub(super) fn secret_header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
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
