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

/// Shows as `<redacted>` in `Debug` output: what a generated request's credential fields show.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl Redacted {
    /// `Redacted` in place of `value`, for `Option::map`.
    pub fn of<T>(_value: T) -> Self {
        Self
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

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
    /// [`Client::execute`](super::Client::execute) sends it once; a sans-IO caller sends it itself.
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

    /// Whether the request waits for an access token that [`Client::authorize`](super::Client::authorize) (or
    /// [`Client::execute`](super::Client::execute)) fetches.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FilePart;

    fn prepared(body: Body) -> Prepared {
        let mut headers = http::HeaderMap::new();
        headers.insert("accept", http::HeaderValue::from_static("*/*"));
        insert_secret_header(&mut headers, "x-token", "t0p").unwrap();
        Prepared {
            method: http::Method::POST,
            url: "https://h.example/a?k=v".to_owned(),
            shown_url: "https://h.example/a?k=<redacted>".to_owned(),
            headers,
            body,
            challenge: None,
            token_slot: None,
        }
    }

    #[test]
    fn header_pair_checks_and_marks_credentials() {
        let (name, value) = header_pair("X-Api-Key", "k").unwrap();
        assert_eq!(name, "x-api-key");
        assert!(value.is_sensitive());
        for secret in [
            "Authorization",
            "Cookie",
            "X-Auth-Token",
            "Proxy-Authorization",
        ] {
            assert!(
                header_pair(secret, "v").unwrap().1.is_sensitive(),
                "{secret}"
            );
        }
        for plain in ["Accept", "Content-Type", "X-Request-Id"] {
            assert!(
                !header_pair(plain, "v").unwrap().1.is_sensitive(),
                "{plain}"
            );
        }
        let error = header_pair("a b", "v").unwrap_err().to_string();
        assert!(
            error.starts_with("cannot build request: invalid header name `a b`"),
            "{error}"
        );
        let error = header_pair("ok", "a\r\nb").unwrap_err().to_string();
        assert!(
            error.starts_with("cannot build request: invalid value for header `ok`"),
            "{error}"
        );
        // A secret header replaces what was there.
        let mut headers = http::HeaderMap::new();
        headers.append("x-key", http::HeaderValue::from_static("old"));
        headers.append("x-key", http::HeaderValue::from_static("older"));
        insert_secret_header(&mut headers, "X-Key", "new").unwrap();
        assert_eq!(headers.get_all("x-key").iter().count(), 1);
        assert!(headers["x-key"].is_sensitive());
    }

    #[test]
    fn into_http_encodes_the_body_and_sets_its_content_type() {
        let request = prepared(Body::Form(vec![("a".to_owned(), "1 2".to_owned())]))
            .into_http()
            .unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri(), "https://h.example/a?k=v");
        assert_eq!(
            request.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(request.headers()["x-token"], "t0p");
        assert_eq!(request.body(), b"a=1%202");
        let mut with_type = prepared(Body::Bytes {
            content_type: "application/xml".to_owned(),
            bytes: b"<a/>".to_vec(),
        });
        with_type
            .headers
            .insert("content-type", http::HeaderValue::from_static("text/plain"));
        let request = with_type.into_http().unwrap();
        assert_eq!(request.headers()["content-type"], "application/xml");
        assert_eq!(request.headers().get_all("content-type").iter().count(), 1);
        let request = prepared(Body::Empty).into_http().unwrap();
        assert!(!request.headers().contains_key("content-type"));
        assert!(request.body().is_empty());
        let mut bad = prepared(Body::Empty);
        bad.url = "not a url".to_owned();
        assert!(bad.into_http().is_err());
    }

    #[test]
    fn debug_and_curl_redact_credentials() {
        let request = prepared(Body::Bytes {
            content_type: "application/json".to_owned(),
            bytes: br#"{"it's":1}"#.to_vec(),
        });
        let shown = format!("{request:?}");
        assert!(!shown.contains("t0p") && !shown.contains("k=v"), "{shown}");
        assert!(shown.contains("k=<redacted>"), "{shown}");
        assert_eq!(
            request.to_curl(),
            "curl -X POST 'https://h.example/a?k=<redacted>' \\\n  \
             -H 'accept: */*' \\\n  \
             -H 'x-token: <redacted>' \\\n  \
             -H 'content-type: application/json' \\\n  \
             --data-binary '{\"it'\\''s\":1}'"
        );
    }

    #[test]
    fn curl_writes_forms_and_multipart_parts() {
        let mut request = prepared(Body::Form(vec![
            ("a".to_owned(), "1 2".to_owned()),
            ("b".to_owned(), "x".to_owned()),
        ]));
        request.headers.clear();
        assert_eq!(
            request.to_curl(),
            "curl -X POST 'https://h.example/a?k=<redacted>' \\\n  \
             --data-urlencode 'a=1 2' \\\n  --data-urlencode 'b=x'"
        );
        request.body = Body::Multipart(vec![
            Part::Text {
                name: "t".to_owned(),
                value: "v".to_owned(),
            },
            Part::File {
                name: "f".to_owned(),
                file: FilePart::new("a.png", vec![1]),
            },
        ]);
        assert!(request
            .to_curl()
            .ends_with(" \\\n  --form 't=v' \\\n  --form 'f=@a.png'"));
    }

    #[test]
    fn append_secret_query_encodes_and_redacts() {
        let mut request = prepared(Body::Empty);
        request.append_secret_query("access token", "a&b=c");
        assert_eq!(
            request.url,
            "https://h.example/a?k=v&access%20token=a%26b%3Dc"
        );
        assert_eq!(
            request.shown_url,
            "https://h.example/a?k=<redacted>&access%20token=<redacted>"
        );
        request.url = "https://h.example/a".to_owned();
        request.shown_url = request.url.clone();
        request.append_secret_query("sig", "s");
        assert_eq!(request.url, "https://h.example/a?sig=s");
        assert_eq!(request.shown_url, "https://h.example/a?sig=<redacted>");
        request.set_secret_header("x-plain-name", "v").unwrap();
        assert!(request.headers["x-plain-name"].is_sensitive());
        assert!(!request.needs_token());
    }

    /// Answers `Test` challenges with a header holding the challenge's parameter.
    #[derive(Debug)]
    struct TestChallenge;

    impl Challenge for TestChallenge {
        fn answer(
            &self,
            prepared: &Prepared,
            challenge: &str,
        ) -> Option<Result<Prepared, BuildError>> {
            let param = challenge.strip_prefix("Test ")?;
            let mut answered = prepared.clone();
            Some(
                answered
                    .set_secret_header("authorization", &format!("Test {param}"))
                    .map(|()| answered),
            )
        }
    }

    #[test]
    fn answer_challenge_asks_the_scheme_for_401_and_403_only() {
        let response = |status: u16, challenges: &[&str]| {
            let mut builder = http::Response::builder().status(status);
            for challenge in challenges {
                builder = builder.header("www-authenticate", *challenge);
            }
            builder.body(Vec::new()).unwrap()
        };
        let unanswerable = prepared(Body::Empty);
        assert!(unanswerable
            .answer_challenge(&response(401, &["Test a"]))
            .is_none());
        let mut request = prepared(Body::Empty);
        request.challenge = Some(std::sync::Arc::new(TestChallenge));
        assert!(request
            .answer_challenge(&response(200, &["Test a"]))
            .is_none());
        assert!(request
            .answer_challenge(&response(500, &["Test a"]))
            .is_none());
        assert!(request
            .answer_challenge(&response(401, &["Basic realm=x"]))
            .is_none());
        for status in [401, 403] {
            let answered = request
                .answer_challenge(&response(status, &["Basic realm=x", "Test p1"]))
                .unwrap()
                .unwrap();
            assert_eq!(answered.headers["authorization"], "Test p1");
        }
    }
}
