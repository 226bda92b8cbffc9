//! A request the mock received, with what a test asks of it.

use serde::de::DeserializeOwned;

use crate::{FilePart, GraphQlBody};

/// A request the mock received for an operation: its path parameters, query, headers and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    method: http::Method,
    url: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Received {
    pub(super) fn new(request: &wiremock::Request, path_params: Vec<(String, String)>) -> Self {
        Self {
            method: request.method.clone(),
            url: request.url.to_string(),
            path_params,
            query: request.url.query_pairs().into_owned().collect(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        }
    }

    /// The method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The whole URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The value of path parameter `name` (as the collection names it: `userId`).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        let mut values = self.path_params.iter().filter(|(n, _)| n == name);
        values.next().map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `key`, decoded.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query_all(key).into_iter().next()
    }

    /// Every value of query parameter `key`, in order.
    pub fn query_all(&self, key: &str) -> Vec<&str> {
        let values = self.query.iter().filter(|(k, _)| k == key);
        values.map(|(_, v)| v.as_str()).collect()
    }

    /// The first value of header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The body as it came.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body read as JSON into `T` (a generated type, or `serde_json::Value`).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The value of body field `name` as text: a top-level field of a JSON object (a string
    /// as it is, anything else as JSON), a URL-encoded form field, or a multipart text part.
    pub fn body_field(&self, name: &str) -> Option<String> {
        let media = self.media_type();
        if media == "application/x-www-form-urlencoded" || media == "multipart/form-data" {
            return self.form_fields(name).into_iter().next();
        }
        match self.json::<serde_json::Value>().ok()?.get(name)? {
            serde_json::Value::String(text) => Some(text.clone()),
            value => Some(value.to_string()),
        }
    }
}

impl Received {
    /// The media type of the body, lowercase, without parameters.
    fn media_type(&self) -> String {
        let content_type = self.header("content-type").unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default();
        media.trim().to_ascii_lowercase()
    }

    /// Every value of form field `name`: URL-encoded fields, or multipart parts as text.
    fn form_fields(&self, name: &str) -> Vec<String> {
        match self.media_type().as_str() {
            "application/x-www-form-urlencoded" => url::form_urlencoded::parse(&self.body)
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .collect(),
            "multipart/form-data" => self.parts(name).map_or_else(Vec::new, |parts| {
                let text = |part: &Part<'_>| String::from_utf8_lossy(part.content).into_owned();
                parts.iter().map(text).collect()
            }),
            _ => Vec::new(),
        }
    }

    /// The multipart parts named `name`, when the body is multipart.
    fn parts(&self, name: &str) -> Option<Vec<Part<'_>>> {
        let boundary = boundary(self.header("content-type")?)?;
        let parts = multipart(&self.body, &boundary);
        Some(parts.into_iter().filter(|p| p.name == name).collect())
    }

    /// Every value of `key` at `place`, as text.
    fn texts(&self, place: Place, key: &str) -> Vec<String> {
        match place {
            Place::Path => self
                .path_param(key)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            Place::Query => self.query_all(key).into_iter().map(str::to_owned).collect(),
            Place::Header => self
                .headers
                .get_all(key)
                .iter()
                .filter_map(|v| Some(v.to_str().ok()?.to_owned()))
                .collect(),
            Place::Field => self.form_fields(key),
        }
    }

    /// The first value of `key` at `place`, read into `T`; `None` when there is none.
    pub fn value<T: DeserializeOwned>(
        &self,
        place: Place,
        key: &str,
    ) -> Result<Option<T>, Undecoded> {
        let text = self.texts(place, key).into_iter().next();
        text.map(|text| from_text(&text, place, key)).transpose()
    }

    /// The first value of `key` at `place`, read into `T`, which must be there.
    pub fn required<T: DeserializeOwned>(&self, place: Place, key: &str) -> Result<T, Undecoded> {
        self.value(place, key)?.ok_or_else(|| Undecoded {
            what: place.describe(key),
            reason: "it is missing".to_owned(),
        })
    }

    /// Every value of `key` at `place`, each read into `T`.
    pub fn values<T: DeserializeOwned>(
        &self,
        place: Place,
        key: &str,
    ) -> Result<Vec<T>, Undecoded> {
        let texts = self.texts(place, key);
        texts
            .iter()
            .map(|text| from_text(text, place, key))
            .collect()
    }

    /// Whether the query holds `key` (with or without a value).
    pub fn flag(&self, key: &str) -> bool {
        self.query.iter().any(|(k, _)| k == key)
    }

    /// The multipart part `name` as a file.
    pub fn file(&self, name: &str) -> Option<FilePart> {
        let parts = self.parts(name)?;
        let part = parts.into_iter().next()?;
        let mut file = FilePart::new(part.file_name.unwrap_or_default(), part.content.to_vec());
        // The type an unset one is sent as reads back unset.
        file.content_type = part
            .content_type
            .filter(|t| !t.eq_ignore_ascii_case("application/octet-stream"));
        Some(file)
    }

    /// The multipart part `name` as a file, which must be there.
    pub fn required_file(&self, name: &str) -> Result<FilePart, Undecoded> {
        self.file(name).ok_or_else(|| Undecoded {
            what: Place::Field.describe(name),
            reason: "it is missing".to_owned(),
        })
    }

    /// The body read as JSON into `T`; an error names the path of the value that failed.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<T, Undecoded> {
        crate::decode_json(&self.body).map_err(|e| Undecoded {
            what: "the JSON body".to_owned(),
            reason: e.to_string(),
        })
    }

    /// The body read as a GraphQL request whose variables are `V` (`null` when left out).
    pub fn graphql_body<V: DeserializeOwned>(&self) -> Result<GraphQlBody<V>, Undecoded> {
        let mut body: serde_json::Map<String, serde_json::Value> = self.json_body()?;
        let undecoded = |reason: String| Undecoded {
            what: "the GraphQL body".to_owned(),
            reason,
        };
        let query = match body.remove("query") {
            Some(serde_json::Value::String(query)) => query,
            _ => return Err(undecoded("it has no query".to_owned())),
        };
        let variables = body.remove("variables").unwrap_or_default();
        let variables = serde_json::from_value(variables).map_err(|e| undecoded(e.to_string()))?;
        Ok(GraphQlBody { query, variables })
    }

    /// The body as text.
    pub fn text_body(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Where a request carries a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A path parameter, by its name in the collection.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A URL-encoded or multipart form field.
    Field,
}

impl Place {
    fn describe(self, key: &str) -> String {
        let place = match self {
            Self::Path => "path parameter",
            Self::Query => "query parameter",
            Self::Header => "header",
            Self::Field => "form field",
        };
        format!("{place} `{key}`")
    }
}

/// Why a received request does not read into its operation's `Request`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {reason}")]
pub struct Undecoded {
    /// What was read: "query parameter `page`", "the JSON body".
    pub what: String,
    /// Why it does not read.
    pub reason: String,
}

/// `text` read into `T`: as a string first (text and string enums), then as JSON (numbers,
/// booleans, code enums, JSON values).
fn from_text<T: DeserializeOwned>(text: &str, place: Place, key: &str) -> Result<T, Undecoded> {
    if let Ok(value) = serde_json::from_value(serde_json::Value::String(text.to_owned())) {
        return Ok(value);
    }
    crate::decode_json(text.as_bytes()).map_err(|e| Undecoded {
        what: place.describe(key),
        reason: format!("`{text}` does not read: {e}"),
    })
}

/// The `boundary` parameter of a multipart content type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        let value = value.trim().trim_matches('"');
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.to_owned())
    })
}

/// One part of a multipart body.
struct Part<'a> {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: &'a [u8],
}

/// The parts of a multipart body, in order.
fn multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let Some(end) = find(chunk, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&chunk[..end]);
        let content = &chunk[end + 4..];
        let content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let (mut name, mut file_name, mut content_type) = (None, None, None);
        for line in head.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim();
            if key.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            } else if key.eq_ignore_ascii_case("content-disposition") {
                name = quoted_param(value, "name");
                file_name = quoted_param(value, "filename");
            }
        }
        if let Some(name) = name {
            parts.push(Part {
                name,
                file_name,
                content_type,
                content,
            });
        }
    }
    parts
}

/// The quoted value of parameter `key` in a `Content-Disposition` value.
fn quoted_param(value: &str, key: &str) -> Option<String> {
    value.split(';').find_map(|param| {
        let (k, v) = param.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn split<'a>(mut body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(at) = find(body, delimiter) {
        out.push(&body[..at]);
        body = &body[at + delimiter.len()..];
    }
    out.push(body);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_are_found_by_name() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nJill\r\n\
--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
Content-Type: text/plain\r\n\r\nline\r\n--b--\r\n";
        let parts = multipart(body, "b");
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["first_name", "file"]);
        assert_eq!(parts[0].content, b"Jill");
        assert_eq!(parts[1].content, b"line");
        assert_eq!(parts[1].file_name.as_deref(), Some("a.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(
            boundary("multipart/form-data; boundary=\"b\"").as_deref(),
            Some("b")
        );
    }
}

#[cfg(test)]
mod reading {
    use super::*;

    #[test]
    fn text_reads_as_strings_first_then_as_json() {
        let read = |text| from_text::<serde_json::Value>(text, Place::Query, "k");
        assert_eq!(read("5").unwrap(), serde_json::json!("5"));
        assert_eq!(from_text::<i64>("5", Place::Query, "k").unwrap(), 5);
        assert!(from_text::<bool>("true", Place::Query, "k").unwrap());
        assert_eq!(
            from_text::<String>("\"quoted\"", Place::Query, "k").unwrap(),
            "\"quoted\""
        );
        let error = from_text::<i64>("five", Place::Query, "page").unwrap_err();
        assert!(error
            .to_string()
            .starts_with("query parameter `page`: `five` does not read"));
    }
}
