use std::fmt;

use percent_encoding::utf8_percent_encode;

use super::body::encode_body;
use super::builder::QUERY;
use super::{is_secret_name, tokens, Body, BuildError, Challenge, Part};

/// A finished request: can become an `http::Request` or a curl command. Its `Debug` and
/// curl rendering redact credentials in the query string and headers.
#[derive(Clone)]
pub struct Prepared {
    /// Method.
    pub method: http::Method,
    /// Full URL with query.
    pub url: String,
    /// The URL with credentials in the query replaced by `<redacted>`.
    pub(super) shown_url: String,
    /// Headers, credentials marked sensitive.
    pub headers: http::HeaderMap,
    /// Body before encoding.
    pub body: Body,
    /// The scheme that answers the server's challenge, if the request's auth has one.
    pub(super) challenge: Option<std::sync::Arc<dyn Challenge>>,
    /// Where the access token that the client fetches goes ([`Client::authorize`]).
    pub(super) token_slot: Option<tokens::TokenSlot>,
}

/// What a credential is shown as.
pub(super) const REDACTED: &str = "<redacted>";

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
pub(super) const BOUNDARY: &str = "postman-codegen-boundary-7MA4YWxkTrZu0gW";

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
pub(super) fn insert_secret_header(
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
pub(super) fn header_pair(
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
