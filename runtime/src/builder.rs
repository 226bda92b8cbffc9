use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::prepared::{header_pair, insert_secret_header, REDACTED};
use super::scripts::RequestEdits;
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
pub(super) const PATH_PARAM: &AsciiSet = &FORM
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
    /// The query of a link the request follows ([`Self::follow`]), as the server wrote it,
    /// and the keys whose values it redacts when shown.
    link_query: Option<(String, Vec<String>)>,
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
        let variables = client.current_variables();
        let base = client
            .server_with(server, &variables)
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
            link_query: None,
            headers: client.default_headers.clone(),
            body: Body::Empty,
            variables,
            secret_path_values: Vec::new(),
            challenge: None,
            token_slot: None,
            error: None,
        })
    }

    /// Keeps the first error, for [`Self::finish`].
    pub(super) fn fail(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }

    /// Fails the request when `text`, resolved for its URL, still holds a `{{name}}`: the
    /// literal text would go on the wire as part of the URL, which Postman does and no caller
    /// means. Dynamic names (`{{$...}}`) the client does not generate stay as written.
    fn check_resolved(&mut self, text: &str) {
        if let Some(name) = unresolved_variable(text) {
            let error = BuildError::new(format!(
                "the URL uses the variable `{name}`, which has no value: set it on the client \
                 (`with_variable`, an environment), or send first the request whose script \
                 captures it"
            ));
            self.fail(error);
        }
    }

    /// Appends one path segment from literal text and parameter values; every parameter value is
    /// percent-encoded so that it stays inside this segment. A segment that parameters make `.`
    /// or `..` is an error: URL parsers read it as a step up the path, whatever its encoding.
    pub fn segment(&mut self, pieces: &[Piece<'_>]) {
        self.url.push('/');
        let start = self.url.len();
        for piece in pieces {
            match piece {
                Piece::Lit(text) => {
                    let text = self.variables.resolve(text).text;
                    self.check_resolved(&text);
                    self.url.extend(utf8_percent_encode(&text, PATH_LITERAL));
                }
                Piece::Param(value) => {
                    let resolved = self.variables.resolve(value);
                    self.check_resolved(&resolved.text);
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
        if matches!(&self.url[start..], "%2E" | "%2E%2E") {
            let value = self.url[start..].replace("%2E", ".");
            self.fail(BuildError::new(format!(
                "a path parameter makes the segment `{value}`, which would leave its place in the path"
            )));
        }
    }

    /// Adds a query parameter; values of keys that name credentials (`api_key`,
    /// `access_token`, ...) are redacted wherever the request is shown.
    pub fn query(&mut self, key: &str, value: impl fmt::Display) {
        let key = self.variables.resolve(key);
        let value = self.variables.resolve(&value.to_string());
        self.check_resolved(&key.text);
        self.check_resolved(&value.text);
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
        let key = self.variables.resolve(key).text;
        self.check_resolved(&key);
        self.query.push((key, None, false));
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

    /// Applies the header and query edits of pre-request scripts, after the request's own.
    pub(super) fn apply(&mut self, edits: RequestEdits) {
        #[cfg(feature = "js")]
        edits.target.apply(self);
        for edit in edits.edits {
            if edit.replace && edit.query {
                self.query.retain(|(key, _, _)| *key != edit.name);
            } else if edit.replace {
                self.headers.remove(edit.name.as_str());
            }
            match (edit.value, edit.query) {
                (Some(value), true) => self.query(&edit.name, value),
                (Some(value), false) => self.header(&edit.name, value),
                (None, _) => {}
            }
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
                let user = || user.map(|u| self.variables.resolve(u).text);
                let pair = match (&creds.basic, password) {
                    (Some((user, password)), _) => {
                        Some((user.clone(), password.expose().to_owned()))
                    }
                    // A user name from a variable beside an empty password: sent as Postman
                    // sends it, once the variable has a value.
                    (None, None) => user()
                        .filter(|user| !user.contains("{{"))
                        .map(|user| (user, String::new())),
                    (None, Some(_)) => {
                        pick(None, password).map(|password| (user().unwrap_or_default(), password))
                    }
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

    /// Sends the request to `link` instead of the URL its template makes: a next page's link
    /// as the server gave it, absolute or relative to that URL. Its query goes out as written,
    /// and query parameters added after this (credentials) replace those of the same name. A
    /// link to another origin fails the request, since the request's credentials would go with
    /// it.
    pub(super) fn follow(&mut self, link: &str) {
        let here = self.preview_url();
        let parsed = reqwest::Url::parse(&here);
        let joined = parsed
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|url| url.join(link));
        let (here_url, mut next) = match (parsed, joined) {
            (Ok(here_url), Ok(next)) => (here_url, next),
            (_, Err(error)) | (Err(error), _) => {
                let message = format!("the next page's link `{link}` is not a URL: {error}");
                return self.fail(BuildError::new(message));
            }
        };
        if here_url.origin() != next.origin() {
            let message = format!(
                "the next page's link `{next}` leaves `{}`, and the request's credentials \
                 would go with it",
                here.split('?').next().unwrap_or_default()
            );
            return self.fail(BuildError::new(message));
        }
        let secret_keys = self
            .query
            .iter()
            .filter(|(_, _, secret)| *secret)
            .map(|(key, _, _)| key.clone())
            .collect();
        self.link_query = next.query().map(|query| (query.to_owned(), secret_keys));
        next.set_query(None);
        next.set_fragment(None);
        self.url = next.as_str().to_owned();
        self.query.clear();
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
        if let Some((link, secret_keys)) = &self.link_query {
            for pair in link.split('&') {
                let (key, value) = pair
                    .split_once('=')
                    .map_or((pair, None), |(k, v)| (k, Some(v)));
                let key_text = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
                if self.query.iter().any(|(own, _, _)| *own == key_text) {
                    continue;
                }
                let secret =
                    is_secret_name(&key_text) || secret_keys.iter().any(|k| *k == key_text);
                let start = if query.is_empty() { '?' } else { '&' };
                query.push(start);
                query.push_str(pair);
                shown_query.push(start);
                shown_query.push_str(key);
                if let Some(value) = value {
                    shown_query.push('=');
                    shown_query.push_str(if secret { REDACTED } else { value });
                }
            }
        }
        for (key, value, secret) in &self.query {
            let key = format!(
                "{}{}",
                if query.is_empty() { '?' } else { '&' },
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

/// The first `{{name}}` in `text` that names a variable (not a dynamic `{{$...}}` one).
fn unresolved_variable(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}")?;
        let name = &after[..close];
        if !name.is_empty() && !name.starts_with('$') && !name.contains('{') {
            return Some(name);
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Client {
        Client::with_servers("base", &[("base", "https://api.example.com/v1/")])
    }

    fn builder(client: &Client) -> RequestBuilder {
        RequestBuilder::new(client, "GET", "base").unwrap()
    }

    /// The request after `schemes` authenticated it, in turn.
    fn authed(client: &Client, schemes: &[AuthScheme]) -> Prepared {
        let mut b = builder(client);
        for scheme in schemes {
            b.auth(client, *scheme).unwrap();
        }
        b.finish().unwrap()
    }

    fn body_text(body: &Body) -> (&str, &str) {
        match body {
            Body::Bytes {
                content_type,
                bytes,
            } => (content_type, std::str::from_utf8(bytes).unwrap()),
            other => panic!("a body of bytes: {other:?}"),
        }
    }

    #[test]
    fn new_rejects_unknown_servers_unresolved_variables_and_bad_methods() {
        let client = Client::with_servers(
            "base",
            &[
                ("base", "https://{{host}}/v1"),
                ("empty", ""),
                ("ok", "https://ok"),
            ],
        );
        let message = |server: &str, method: &str| {
            RequestBuilder::new(&client, method, server)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            message("nope", "GET"),
            "cannot build request: no base URL set for server `nope`"
        );
        assert_eq!(
            message("empty", "GET"),
            "cannot build request: no base URL set for server `empty`"
        );
        assert!(message("base", "GET").contains("has a variable the client does not know"));
        assert!(message("ok", "GE T").starts_with("cannot build request: invalid method `GE T`"));
        // Once the variable is known, the server resolves.
        let client = client.with_variable("host", "h.example");
        let prepared = RequestBuilder::new(&client, "PATCH", "base")
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(prepared.url, "https://h.example/v1");
        assert_eq!(prepared.method, http::Method::PATCH);
    }

    #[test]
    fn path_parameters_stay_inside_their_segment() {
        let client = api().with_variable("id", "a/b");
        let mut b = builder(&client);
        b.segment(&[Piece::Lit("users")]);
        b.segment(&[Piece::Param("x/y?z#w %")]);
        b.segment(&[Piece::Param("!$&'()*+,;=:@-_.~")]);
        b.segment(&[Piece::Lit("v"), Piece::Param("{{id}}"), Piece::Lit(".json")]);
        b.segment(&[Piece::Lit("a b{c}")]);
        b.segment(&[Piece::Param("é")]);
        assert_eq!(
            b.finish().unwrap().url,
            "https://api.example.com/v1/users/x%2Fy%3Fz%23w%20%25/!$&'()*+,;=:@-_.~/va%2Fb.json/a%20b%7Bc%7D/%C3%A9"
        );
    }

    #[test]
    fn dot_path_parameters_are_percent_encoded() {
        let client = api();
        let mut b = builder(&client);
        b.segment(&[Piece::Param(".")]);
        b.segment(&[Piece::Param("..")]);
        b.segment(&[Piece::Param("...")]);
        assert_eq!(b.url, "https://api.example.com/v1/%2E/%2E%2E/...");
    }

    /// The URL parser under reqwest reads `%2E%2E` as `..` (WHATWG URL), so a path
    /// parameter `..` would still remove the segment before it, so it is refused.
    #[test]
    fn dot_dot_path_parameter_does_not_climb() {
        let client = api();
        for value in [".", ".."] {
            let mut b = builder(&client);
            b.segment(&[Piece::Lit("users")]);
            b.segment(&[Piece::Param(value)]);
            let error = b.finish().unwrap_err().to_string();
            assert!(error.contains(&format!("segment `{value}`")), "{error}");
        }
        let mut b = builder(&client);
        b.segment(&[Piece::Lit("v"), Piece::Param("..")]);
        assert!(b.finish().unwrap().url.ends_with("/v%2E%2E"));
    }

    #[test]
    fn query_is_encoded_and_credentials_are_redacted_when_shown() {
        let client = api()
            .with_secret_variable("sig", "s1")
            .with_variable("page", "2");
        let mut b = builder(&client);
        b.query("q", "a b&c=d#e'+/?:@");
        b.query("api_key", "k3y");
        b.query("page", "{{page}}");
        b.query("x", "{{sig}}");
        b.query_opt("absent", None::<&str>);
        b.query_opt("present", Some(1));
        b.query_flag("human");
        let url = b.preview_url();
        let prepared = b.finish().unwrap();
        let expected = "https://api.example.com/v1?q=a%20b%26c%3Dd%23e%27%2B/?:@\
                        &api_key=k3y&page=2&x=s1&present=1&human";
        assert_eq!(prepared.url, expected);
        assert_eq!(url, expected);
        assert_eq!(
            prepared.shown_url,
            "https://api.example.com/v1?q=a%20b%26c%3Dd%23e%27%2B/?:@\
             &api_key=<redacted>&page=2&x=<redacted>&present=1&human"
        );
    }

    #[test]
    fn follow_sends_the_links_query_as_written_with_the_requests_credentials() {
        let client = api().with_api_key("k3y");
        let mut b = builder(&client);
        b.segment(&[Piece::Lit("items")]);
        b.query("page", 1);
        b.query("token", "t0k");
        b.header("x-kept", "yes");
        b.follow("/v1/items?page=2&token=t0k&q=a+b%2Cc&api_key=old");
        let scheme = AuthScheme::ApiKey {
            name: "api_key",
            prefix: "",
            in_query: true,
            credential: None,
        };
        b.auth(&client, scheme).unwrap();
        let prepared = b.finish().unwrap();
        assert_eq!(
            prepared.url,
            "https://api.example.com/v1/items?page=2&token=t0k&q=a+b%2Cc&api_key=k3y"
        );
        assert_eq!(
            prepared.shown_url,
            "https://api.example.com/v1/items?page=2&token=<redacted>&q=a+b%2Cc&api_key=<redacted>"
        );
        assert_eq!(prepared.headers["x-kept"], "yes");

        let mut b = builder(&client);
        b.segment(&[Piece::Lit("items")]);
        b.follow("?after=x");
        assert_eq!(
            b.finish().unwrap().url,
            "https://api.example.com/v1/items?after=x"
        );
        for link in [
            "https://elsewhere.example/v1/items?page=2",
            "http://api.example.com/v1",
        ] {
            let mut b = builder(&client);
            b.follow(link);
            let error = b.finish().unwrap_err().to_string();
            assert!(
                error.contains("leaves `https://api.example.com/v1`"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_url_variable_without_a_value_is_an_error_naming_it() {
        let client = api().with_variable("known", "k");
        let error = |build: &dyn Fn(&mut RequestBuilder)| {
            let mut b = builder(&client);
            build(&mut b);
            b.finish().err().map(|e| e.to_string())
        };
        let path = error(&|b| b.segment(&[Piece::Param("{{cart-id}}")])).unwrap();
        assert!(path.contains("the URL uses the variable `cart-id`, which has no value"));
        let query = error(&|b| b.query("q", "{{known}}-{{missing}}")).unwrap();
        assert!(query.contains("`missing`"));
        assert!(error(&|b| b.query_flag("{{flag}}")).is_some());
        // Known variables and dynamic names the client does not generate are sent.
        assert_eq!(error(&|b| b.segment(&[Piece::Param("{{known}}")])), None);
        assert_eq!(error(&|b| b.query("q", "{{$unknownDynamic}}")), None);
        // Headers keep Postman's literal text.
        assert_eq!(error(&|b| b.header("X-Thing", "{{missing}}")), None);
    }

    #[test]
    fn secret_path_values_are_redacted_when_shown() {
        let client = api().with_secret_variable("account", "acc 42");
        let mut b = builder(&client);
        b.segment(&[Piece::Lit("accounts")]);
        b.segment(&[Piece::Param("{{account}}")]);
        let prepared = b.finish().unwrap();
        assert_eq!(prepared.url, "https://api.example.com/v1/accounts/acc%2042");
        assert_eq!(
            prepared.shown_url,
            "https://api.example.com/v1/accounts/<redacted>"
        );
        assert!(!format!("{prepared:?}").contains("acc%2042"));
    }

    #[test]
    fn headers_resolve_variables_and_mark_credentials_sensitive() {
        let client = api()
            .with_secret_variable("session", "s3")
            .with_variable("lang", "en");
        let mut b = builder(&client);
        b.header("Accept-Language", "{{lang}}");
        b.header("X-Session", "{{session}}");
        b.header("X-Api-Key", "plain");
        b.header_opt("X-Absent", None::<&str>);
        let headers = b.finish().unwrap().headers;
        assert_eq!(headers["accept-language"], "en");
        assert!(!headers["accept-language"].is_sensitive());
        assert_eq!(headers["x-session"], "s3");
        assert!(headers["x-session"].is_sensitive());
        assert!(headers["x-api-key"].is_sensitive());
        assert!(!headers.contains_key("x-absent"));
    }

    #[test]
    fn finish_returns_the_first_error() {
        let client = api();
        let mut b = builder(&client);
        b.header("bad name", "v");
        b.header("ok", "bad\nvalue");
        b.field("f", "v");
        let error = b.finish().unwrap_err().to_string();
        assert!(
            error.starts_with("cannot build request: invalid header name `bad name`"),
            "{error}"
        );
        let mut b = builder(&client);
        b.field("f", 1);
        assert_eq!(
            b.finish().unwrap_err().to_string(),
            "cannot build request: field `f` outside a form body"
        );
        let mut b = builder(&client);
        b.form();
        b.file("upload", &FilePart::new("a.txt", "a"));
        assert_eq!(
            b.finish().unwrap_err().to_string(),
            "cannot build request: file `upload` outside a multipart body"
        );
    }

    #[test]
    fn form_and_multipart_fields_resolve_variables() {
        let client = api().with_variable("who", "me");
        let mut b = builder(&client);
        b.form();
        b.field("name_{{who}}", "{{who}}");
        b.field_opt("skipped", None::<u8>);
        b.field_json("obj", &serde_json::json!({"a": [1]}));
        assert_eq!(
            b.body,
            Body::Form(vec![
                ("name_me".to_owned(), "me".to_owned()),
                ("obj".to_owned(), r#"{"a":[1]}"#.to_owned()),
            ])
        );
        b.multipart();
        b.field("t", "{{who}}");
        b.file("f", &FilePart::new("{{who}}.txt", "x"));
        assert_eq!(
            b.body,
            Body::Multipart(vec![
                Part::Text {
                    name: "t".to_owned(),
                    value: "me".to_owned(),
                },
                Part::File {
                    name: "f".to_owned(),
                    file: FilePart::new("{{who}}.txt", "x"),
                },
            ])
        );
    }

    #[test]
    fn body_resolves_variables_in_text_but_keeps_binary_bytes() {
        let client = api().with_variable("v", "1");
        let mut b = builder(&client);
        let bytes = |content_type: &str, bytes: &[u8]| Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.to_vec(),
        };
        b.body(bytes("text/plain", b"v={{v}}"));
        assert_eq!(body_text(&b.body), ("text/plain", "v=1"));
        b.body(bytes("", b"\xff{{v}}"));
        assert_eq!(b.body, bytes("", b"\xff{{v}}"));
    }

    #[test]
    fn json_template_sends_unquoted_variables_as_their_text() {
        let client = api()
            .with_variable("amount", "12.5")
            .with_variable("key", "k");
        let mut b = builder(&client);
        let value = serde_json::json!({
            "amount": null,
            "unknown": null,
            "set": 1,
            "{{key}}": "{{key}}-{{nope}}",
        });
        b.json_template(
            &value,
            "application/json",
            &[
                ("/amount", "amount"),
                ("/unknown", "nope"),
                ("/set", "amount"),
            ],
        );
        assert_eq!(
            body_text(&b.body),
            (
                "application/json",
                r#"{"amount":12.5,"unknown":null,"set":1,"k":"k-{{nope}}"}"#
            )
        );
    }

    #[test]
    fn auth_sends_the_clients_credentials_and_redacts_them() {
        let client = api()
            .with_basic_auth("user", "pass")
            .with_api_key("key1")
            .with_token_scheme("Zoho-oauthtoken", "tok");
        let basic = AuthScheme::Basic {
            user: None,
            password: None,
        };
        let api_key = AuthScheme::ApiKey {
            name: "key",
            prefix: "K ",
            in_query: true,
            credential: None,
        };
        let token = AuthScheme::Token {
            header: "x-token",
            prefix: "Bearer ",
            credential: None,
            written: false,
        };
        let oauth2 = AuthScheme::OAuth2 {
            prefix: "Bearer ",
            in_query: true,
            credential: None,
            grant: None,
        };
        let prepared = authed(&client, &[basic, api_key, token, oauth2]);
        assert_eq!(prepared.headers["authorization"], "Basic dXNlcjpwYXNz");
        assert!(prepared.headers["authorization"].is_sensitive());
        assert_eq!(prepared.headers["x-token"], "Zoho-oauthtoken tok");
        assert!(prepared.headers["x-token"].is_sensitive());
        assert!(!prepared.needs_token());
        assert_eq!(
            prepared.url,
            "https://api.example.com/v1?key=K%20key1&access_token=tok"
        );
        assert_eq!(
            prepared.shown_url,
            "https://api.example.com/v1?key=<redacted>&access_token=<redacted>"
        );
    }

    #[test]
    fn auth_falls_back_to_collection_templates_when_their_variables_are_known() {
        let token = |credential, written| AuthScheme::Token {
            header: "authorization",
            prefix: "Bearer ",
            credential,
            written,
        };
        let template = token(Some("{{accessToken}}"), false);
        let basic = AuthScheme::Basic {
            user: Some("{{user}}"),
            password: Some("{{password}}"),
        };
        // Unknown variables: nothing is sent.
        assert!(authed(&api(), &[template, basic]).headers.is_empty());
        let client = api()
            .with_variable("accessToken", "from-var")
            .with_variable("user", "u")
            .with_variable("password", "p");
        let header = |client: &Client, scheme| {
            let prepared = authed(client, &[scheme]);
            prepared.headers.get("authorization").cloned()
        };
        assert_eq!(header(&client, template).unwrap(), "Bearer from-var");
        assert_eq!(header(&client, basic).unwrap(), "Basic dTpw");
        let user_alone = AuthScheme::Basic {
            user: Some("{{user}}"),
            password: None,
        };
        assert_eq!(header(&client, user_alone).unwrap(), "Basic dTo=");
        assert_eq!(header(&api(), user_alone), None);
        // A token set on the client wins; an empty one sends nothing unless written by hand.
        assert_eq!(
            header(&client.clone().with_bearer_token("set"), template).unwrap(),
            "Bearer set"
        );
        let empty = client.with_bearer_token("");
        assert_eq!(header(&empty, token(None, false)), None);
        assert_eq!(header(&empty, token(None, true)).unwrap(), "Bearer ");
    }

    #[test]
    fn auth_setting_prefers_the_client_then_the_resolved_collection_value() {
        let client = api()
            .with_auth_param("consumerKey", "from-client")
            .with_variable("realm", "r1");
        let b = builder(&client);
        let collection = [
            ("consumerKey", "from-collection"),
            ("realm", "{{realm}}"),
            ("nonce", "{{unknown}}"),
            ("empty", ""),
        ];
        let setting = |name| b.auth_setting(&client, &collection, name);
        assert_eq!(setting("consumerKey").as_deref(), Some("from-client"));
        assert_eq!(setting("realm").as_deref(), Some("r1"));
        assert_eq!(setting("nonce"), None);
        assert_eq!(setting("empty"), None);
        assert_eq!(setting("missing"), None);
    }
}
