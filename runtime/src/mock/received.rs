//! A request the mock received, with what a test asks of it.

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
        let content_type = self.header("content-type").unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default().trim();
        if media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            let mut pairs = url::form_urlencoded::parse(&self.body);
            return pairs.find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        }
        if media.eq_ignore_ascii_case("multipart/form-data") {
            let boundary = boundary(content_type)?;
            let part = multipart(&self.body, &boundary)
                .into_iter()
                .find(|(part_name, _)| part_name == name)?;
            return Some(String::from_utf8_lossy(part.1).into_owned());
        }
        match self.json::<serde_json::Value>().ok()?.get(name)? {
            serde_json::Value::String(text) => Some(text.clone()),
            value => Some(value.to_string()),
        }
    }
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

/// The parts of a multipart body: each part's name and content.
fn multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<(String, &'a [u8])> {
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
        let name = head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            if !key.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            let start = value.find("name=\"")? + 6;
            let rest = &value[start..];
            Some(rest[..rest.find('"')?].to_owned())
        });
        if let Some(name) = name {
            parts.push((name, content));
        }
    }
    parts
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
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["first_name", "file"]);
        assert_eq!(parts[0].1, b"Jill");
        assert_eq!(parts[1].1, b"line");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"b\"").as_deref(),
            Some("b")
        );
    }
}
