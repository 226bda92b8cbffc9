//! Whether two recorded requests are the same request: method, path, query pairs in order,
//! headers (but what is random or transport-level), and the body by its content type.

use serde_json::Value;

use super::recorder::Record;
use super::Sent;

/// Headers left out of the comparison: random or set by the transport.
const IGNORED_HEADERS: &[&str] = &[
    "postman-token",
    "user-agent",
    "host",
    "content-length",
    "connection",
    "accept-encoding",
];

/// How two requests of one item differ: the first aspect that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Kind, for the summary (`query`, `header content-type`, `body`, ...).
    pub kind: String,
    /// The item and both sides, for an example.
    pub detail: String,
    /// Numbers of the records newman's and the client's request were kept as.
    pub records: Option<(u64, u64)>,
}

impl Difference {
    fn new(kind: impl Into<String>, newman: impl AsRef<str>, client: impl AsRef<str>) -> Self {
        Self {
            kind: kind.into(),
            detail: format!(
                "newman `{}`, client `{}`",
                short(newman.as_ref()),
                short(client.as_ref())
            ),
            records: None,
        }
    }

    /// The same difference, with the records it was found between.
    pub fn with_records(mut self, records: Option<(u64, u64)>) -> Self {
        self.records = records;
        self
    }

    /// The same difference, naming the item it was found in.
    pub fn at(mut self, item: &str) -> Self {
        self.detail = format!("{item}: {}", self.detail);
        self
    }
}

/// An item one side did not send.
pub fn unsent(kind: &str, sent: &Sent) -> Difference {
    Difference {
        kind: kind.to_owned(),
        detail: match sent {
            Ok(id) => format!("record {id} is missing"),
            Err(message) => short(message),
        },
        records: None,
    }
}

/// At most 160 characters of `text`, on one line.
fn short(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Differences kept on purpose, listed in the README: the requests count as identical.
pub mod documented {
    /// Newman adds `Cache-Control: no-cache` to every request (the Postman app's "Send
    /// no-cache header" setting); the collection does not ask for it, so the client does not.
    pub const NO_CACHE: &str = "newman's own Cache-Control: no-cache";
    /// Characters Postman leaves raw in a path or query (`{`, `}`, `'`, `|`, ...) are
    /// percent-encoded; every segment and query pair decodes to the same text.
    pub const ENCODING: &str = "percent-encoding of the same text";
    /// A query parameter, header, path segment or url-encoded field whose value is a
    /// placeholder (`<string>`, `<integer>`) is a typed field that `example()` leaves unset or
    /// empty; newman sends the placeholder text.
    pub const PLACEHOLDER: &str = "a `<type>` placeholder is not sent";
    /// Where the collection uses dynamic variables (`{{$guid}}`, `{{$timestamp}}`,
    /// `{{$isoTimestamp}}`), each sender generates its own value: UUIDs, Unix times and ISO
    /// timestamps are compared by their form.
    pub const DYNAMIC: &str = "dynamic values compared by form";
    /// Postman sends a raw JSON body as written, trailing commas included; the client types
    /// the body and sends it as JSON, without them.
    pub const TRAILING_COMMAS: &str = "trailing commas of a JSON body are not sent";
    /// Where the collection fixes no OAuth 1.0 or Hawk nonce and timestamp, each sender
    /// generates its own, so the signatures differ: the `Authorization` headers are compared
    /// without those three values.
    pub const GENERATED_NONCE: &str = "nonce, timestamp and signature generated";
    /// A file field the collection names by `src`: newman leaves the part out when it cannot
    /// read the file (the parity run has none of the authors' files), and the whole body when
    /// no part is left; `example()` holds an empty `FilePart`, sent as an empty part.
    pub const UNREAD_FILE: &str = "a file newman could not read is an empty part";
    /// A URL that still holds a `{{name}}` without a value: newman sends the text, the client
    /// refuses to build the request and names the variable.
    pub const UNRESOLVED: &str = "a URL variable without a value is refused";
    /// A pre-request script threw (a guard, such as "the user is empty"): newman reports the
    /// error and sends the request all the same (or fails to send it for a reason of its
    /// own); the client stops it with the script's message, as the Postman app does.
    pub const GUARD: &str = "a pre-request script's error stops the request";
}

/// Whether the client stopped a request for an error a pre-request script threw, one of
/// those newman reported for the item ([`documented::GUARD`]).
pub fn stopped_by_guard(newman_errors: &[String], client_error: &str) -> bool {
    client_error
        .split_once("a script stopped the request: ")
        .is_some_and(|(_, message)| newman_errors.iter().any(|e| e == message))
}

/// Whether the client refused a request for a URL variable without a value where newman sent
/// its `{{name}}` text ([`documented::UNRESOLVED`]).
pub fn refused_unresolved(newman: &Record, client_error: &str) -> bool {
    let target = newman.target.to_ascii_lowercase();
    client_error.contains("the URL uses the variable")
        && (target.contains("{{") || target.contains("%7b%7b"))
}

/// `text` with UUIDs, ISO timestamps and ten-digit Unix times replaced by their kind.
fn mask_dynamic(text: &str) -> String {
    let bytes = text.as_bytes();
    let fits = |at: usize, pattern: &[u8]| {
        bytes.len() >= at + pattern.len()
            && pattern.iter().zip(&bytes[at..]).all(|(p, b)| match p {
                b'h' => b.is_ascii_hexdigit(),
                b'd' => b.is_ascii_digit(),
                other => other == b,
            })
    };
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let found = [
            (&b"hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh"[..], "<uuid>"),
            (&b"dddd-dd-ddTdd:dd:dd.dddZ"[..], "<iso>"),
            (&b"dddd-dd-ddTdd:dd:ddZ"[..], "<iso>"),
        ]
        .into_iter()
        .find(|(pattern, _)| starts_word && fits(i, pattern));
        if let Some((pattern, kind)) = found {
            out.push_str(kind);
            i += pattern.len();
        } else if starts_word && fits(i, b"dddddddddd") && !digit_at(i + 10) {
            out.push_str("<timestamp>");
            i += 10;
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
        }
    }
    out
}

/// A record with its dynamic values masked.
fn masked(record: &Record) -> Record {
    Record {
        method: record.method.clone(),
        target: mask_dynamic(&record.target),
        headers: record
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), mask_dynamic(value)))
            .collect(),
        body: mask_dynamic(&String::from_utf8_lossy(&record.body)).into_bytes(),
    }
}

/// [`requests`], and where the item uses dynamic variables and differs, the same with
/// their values compared by form.
pub fn items(
    newman: &Record,
    client: &Record,
    dynamic: bool,
) -> Result<Option<&'static str>, Difference> {
    let verdict = match requests(newman, client) {
        Err(_) if dynamic => requests(&masked(newman), &masked(client))
            .map(|documented| documented.or(Some(documented::DYNAMIC))),
        other => other,
    };
    match (verdict, without_unread_files(newman, client)) {
        (Err(_), Some(client)) => items(newman, &client, dynamic)
            .map(|documented| documented.or(Some(documented::UNREAD_FILE))),
        (verdict, _) => verdict,
    }
}

/// The client's request without the empty file parts (`filename=""`, no content) of
/// multipart fields that newman's body does not have, because newman could not read the file
/// the collection names; without a content type when no part is left. `None` when there are
/// none.
fn without_unread_files(newman: &Record, client: &Record) -> Option<Record> {
    let boundary_line_end = client.body.windows(2).position(|w| w == b"\r\n")?;
    let delimiter = client.body[..boundary_line_end].to_vec();
    if !delimiter.starts_with(b"--") {
        return None;
    }
    let newman_body = String::from_utf8_lossy(&newman.body);
    let text = String::from_utf8_lossy(&client.body).into_owned();
    let delimiter = String::from_utf8_lossy(&delimiter).into_owned();
    let segments: Vec<&str> = text.split(delimiter.as_str()).collect();
    // "", "\r\n<part>\r\n", ..., "--\r\n"
    let unread = |segment: &str| {
        let name = segment
            .split_once("name=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(name, _)| name);
        segment.contains("; filename=\"\"\r\n")
            && segment.ends_with("\r\n\r\n\r\n")
            && name.is_some_and(|name| !newman_body.contains(&format!("name=\"{name}\"")))
    };
    let kept: Vec<&str> = segments.iter().copied().filter(|s| !unread(s)).collect();
    if kept.len() == segments.len() {
        return None;
    }
    let mut record = client.clone();
    if kept.len() <= 2 {
        record.body.clear();
        record
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    } else {
        record.body = kept.join(delimiter.as_str()).into_bytes();
    }
    Some(record)
}

/// `<string>`, `<integer>`, `<Merchant Key>`: a placeholder, not a value (the generator reads
/// it the same way).
fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    value.len() > 2 && value.starts_with('<') && value.ends_with('>')
}

/// Whether newman and the client sent the same request: `Ok(None)` when identical,
/// `Ok(Some(reason))` when they differ only as [`documented`], else the first difference.
pub fn requests(newman: &Record, client: &Record) -> Result<Option<&'static str>, Difference> {
    let mut documented = None;
    if newman.method != client.method {
        return Err(Difference::new("method", &newman.method, &client.method));
    }
    let (newman_path, newman_query) = split_target(&newman.target);
    let (client_path, client_query) = split_target(&client.target);
    if newman_path != client_path {
        let segments = |path: &str| path.split('/').map(decoded).collect::<Vec<_>>();
        let (theirs, ours) = (segments(newman_path), segments(client_path));
        if theirs != ours {
            // A placeholder segment is a typed parameter the example leaves empty.
            let placeholders_only = theirs.len() == ours.len()
                && theirs
                    .iter()
                    .zip(&ours)
                    .all(|(t, o)| t == o || is_placeholder(t));
            if !placeholders_only {
                return Err(Difference::new("path", newman_path, client_path));
            }
            documented = Some(documented::PLACEHOLDER);
        }
        documented = documented.or(Some(documented::ENCODING));
    }
    if newman_query != client_query {
        let pairs = |query: Option<&str>| -> Vec<(String, Option<String>)> {
            query_pairs(query)
                .into_iter()
                .map(|(k, v)| (decoded(k), v.map(decoded)))
                .collect()
        };
        let (mut theirs, ours) = (pairs(newman_query), pairs(client_query));
        if theirs != ours {
            // A placeholder stands for whatever the typed field holds, or for nothing.
            theirs.retain(|(key, value)| {
                !value.as_deref().is_some_and(is_placeholder) || ours.iter().any(|(k, _)| k == key)
            });
            let fits = theirs.len() == ours.len()
                && theirs.iter().zip(&ours).all(|(t, o)| {
                    t.0 == o.0 && (t.1 == o.1 || t.1.as_deref().is_some_and(is_placeholder))
                });
            if !fits {
                return Err(Difference::new(
                    "query",
                    newman_query.unwrap_or("(none)"),
                    client_query.unwrap_or("(none)"),
                ));
            }
            documented = documented.or(Some(documented::PLACEHOLDER));
        }
        documented = documented.or(Some(documented::ENCODING));
    }
    let (mut newman_headers, mut client_headers) = (headers(newman), headers(client));
    if generated_signature(&mut newman_headers, &mut client_headers) {
        documented = documented.or(Some(documented::GENERATED_NONCE));
    }
    let no_cache = ("cache-control".to_owned(), "no-cache".to_owned());
    if header(&client_headers, "cache-control").is_none() && newman_headers.contains(&no_cache) {
        newman_headers.retain(|h| *h != no_cache);
        documented = documented.or(Some(documented::NO_CACHE));
    }
    if let Some(difference) = header_difference(&newman_headers, &client_headers) {
        let before = newman_headers.len();
        newman_headers.retain(|(name, value)| {
            !is_placeholder(value) || header(&client_headers, name).is_some()
        });
        if before == newman_headers.len() {
            return Err(difference);
        }
        if let Some(difference) = header_difference(&newman_headers, &client_headers) {
            return Err(difference);
        }
        documented = documented.or(Some(documented::PLACEHOLDER));
    }
    let content_type = header(&newman_headers, "content-type")
        .or_else(|| header(&client_headers, "content-type"))
        .unwrap_or_default();
    if !same_body(content_type, &newman.body, &client.body) {
        let repaired = compact_json(&newman.body, true);
        if repaired == compact_json(&newman.body, false)
            || !same_body(content_type, &repaired, &client.body)
        {
            return Err(Difference::new(
                "body",
                String::from_utf8_lossy(&newman.body),
                String::from_utf8_lossy(&client.body),
            ));
        }
        documented = documented.or(Some(documented::TRAILING_COMMAS));
    }
    Ok(documented)
}

/// Where both senders sent an OAuth 1.0 or Hawk `Authorization` header with a nonce or
/// timestamp of their own, replaces the nonce, timestamp and signature in both by a mark;
/// whether it did.
fn generated_signature(newman: &mut [(String, String)], client: &mut [(String, String)]) -> bool {
    const SCHEMES: &[(&str, [&str; 3])] = &[
        (
            "OAuth ",
            ["oauth_nonce", "oauth_timestamp", "oauth_signature"],
        ),
        ("Hawk ", ["nonce", "ts", "mac"]),
    ];
    let find = |headers: &[(String, String)], scheme: &str| {
        headers
            .iter()
            .position(|(name, value)| name == "authorization" && value.starts_with(scheme))
    };
    let Some((theirs, ours, [nonce, timestamp, signature])) = SCHEMES
        .iter()
        .find_map(|(scheme, names)| Some((find(newman, scheme)?, find(client, scheme)?, *names)))
    else {
        return false;
    };
    // A parameter's value as written, quoted (`name="v"`) or not (`name=v`, as scripts that
    // build the header write it).
    let param = |header: &str, name: &str| -> Option<String> {
        let (_, params) = header.split_once(' ')?;
        params.split(',').find_map(|part| {
            let (key, value) = part.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    };
    let (newman_value, client_value) = (&newman[theirs].1, &client[ours].1);
    let generated = [nonce, timestamp]
        .iter()
        .any(|name| param(newman_value, name) != param(client_value, name));
    if !generated {
        return false;
    }
    for value in [&mut newman[theirs].1, &mut client[ours].1] {
        for name in [nonce, timestamp, signature] {
            if let Some(old) = param(value, name) {
                *value = value.replacen(&format!("{name}={old}"), &format!("{name}=*"), 1);
            }
        }
    }
    true
}

fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    }
}

/// `a=1&b&c=` as `[("a", Some("1")), ("b", None), ("c", Some(""))]`.
fn query_pairs(query: Option<&str>) -> Vec<(&str, Option<&str>)> {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (pair, None),
        })
        .collect()
}

/// Percent-decoded text (invalid escapes kept).
fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Headers to compare: lower-case names, sorted, multipart boundaries removed.
fn headers(record: &Record) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = record
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .filter(|(name, _)| !IGNORED_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            let value = if name == "content-type" {
                without_boundary(&value)
            } else {
                value
            };
            (name, value)
        })
        .collect();
    headers.sort();
    headers
}

fn without_boundary(content_type: &str) -> String {
    content_type
        .split(';')
        .map(str::trim)
        .filter(|p| !p.to_ascii_lowercase().starts_with("boundary="))
        .collect::<Vec<_>>()
        .join("; ")
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn header_difference(
    newman: &[(String, String)],
    client: &[(String, String)],
) -> Option<Difference> {
    let mut names: Vec<&str> = newman
        .iter()
        .chain(client)
        .map(|(n, _)| n.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let values = |headers: &[(String, String)]| -> Vec<String> {
            headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let (theirs, ours) = (values(newman), values(client));
        if theirs != ours {
            let show = |v: &[String]| {
                if v.is_empty() {
                    "(absent)".to_owned()
                } else {
                    v.join(", ")
                }
            };
            return Some(Difference::new(
                format!("header {name}"),
                show(&theirs),
                show(&ours),
            ));
        }
    }
    None
}

/// Whether two bodies are the same for `content_type`: JSON as values, url-encoded and
/// multipart bodies by their fields, anything else byte for byte.
fn same_body(content_type: &str, newman: &[u8], client: &[u8]) -> bool {
    if newman == client {
        return true;
    }
    let mime = content_type.to_ascii_lowercase();
    // JSON as values, also where it is sent as text (the client types it as JSON).
    let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).ok();
    if let (Some(a), Some(b)) = (parse(newman), parse(client)) {
        if mime.contains("json") || a.is_object() || a.is_array() {
            return a == b;
        }
    }
    // Text with unquoted variables substituted need not be JSON: compared but for
    // whitespace outside strings.
    if mime.contains("json") && compact_json(newman, false) == compact_json(client, false) {
        return true;
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if mime.starts_with("application/x-www-form-urlencoded") {
        let fields = |body: &str| -> Vec<(String, Option<String>)> {
            query_pairs(Some(body).filter(|b| !b.is_empty()))
                .into_iter()
                .map(|(k, v)| (form_decoded(k), v.map(form_decoded)))
                .collect()
        };
        let (mut theirs, ours) = (fields(&text(newman)), fields(&text(client)));
        // A placeholder value (`<string>`) stands for whatever the typed field holds, or for
        // nothing.
        theirs.retain(|(key, value)| {
            !value.as_deref().is_some_and(is_placeholder) || ours.iter().any(|(k, _)| k == key)
        });
        return theirs.len() == ours.len()
            && theirs.iter().zip(&ours).all(|(t, o)| {
                t.0 == o.0
                    && (same_field_value(t.1.as_deref(), o.1.as_deref())
                        || t.1.as_deref().is_some_and(is_placeholder))
            });
    }
    if mime.starts_with("multipart/") {
        let (Some(theirs), Some(ours)) = (multipart_parts(newman), multipart_parts(client)) else {
            return false;
        };
        return theirs.len() == ours.len()
            && theirs.iter().zip(&ours).all(|(t, o)| {
                let theirs = std::str::from_utf8(&t.1).ok();
                t.0 == o.0
                    && (same_field_value(theirs, std::str::from_utf8(&o.1).ok())
                        || theirs.is_some_and(is_placeholder))
            });
    }
    false
}

/// JSON-like text without the whitespace outside its strings and, if asked, without the
/// commas before a closing `}` or `]`.
fn compact_json(text: &[u8], drop_trailing_commas: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in text {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if byte.is_ascii_whitespace() {
            continue;
        } else if byte == b'"' {
            in_string = true;
        } else if drop_trailing_commas && matches!(byte, b'}' | b']') && out.last() == Some(&b',') {
            out.pop();
        }
        out.push(byte);
    }
    out
}

/// Whether two form field values are the same: equal, or the same JSON object or array
/// written differently (a field that carries JSON is typed and serialized by the client).
fn same_field_value(newman: Option<&str>, client: Option<&str>) -> bool {
    if newman == client {
        return true;
    }
    let container = |text: Option<&str>| {
        serde_json::from_str::<Value>(text?)
            .ok()
            .filter(|v| v.is_object() || v.is_array())
    };
    matches!((container(newman), container(client)), (Some(a), Some(b)) if a == b)
}

fn form_decoded(text: &str) -> String {
    decoded(&text.replace('+', " "))
}

/// The parts of a multipart body: each part's headers (lower-case, sorted) and content, in
/// order. The boundary is read from the body's first line.
fn multipart_parts(body: &[u8]) -> Option<Vec<(Vec<String>, Vec<u8>)>> {
    let first_line_end = body.windows(2).position(|w| w == b"\r\n")?;
    let delimiter = [b"\r\n", &body[..first_line_end]].concat();
    let mut rest = &body[first_line_end..];
    let mut parts = Vec::new();
    loop {
        // `rest` starts right after a delimiter: `--` ends the body, CRLF starts a part.
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let end = find(rest, &delimiter)?;
        let part = &rest[..end];
        let head_end = find(part, b"\r\n\r\n")?;
        let mut head: Vec<String> = String::from_utf8_lossy(&part[..head_end])
            .split("\r\n")
            .map(|line| line.to_ascii_lowercase())
            .collect();
        head.sort();
        parts.push((head, part[head_end + 4..].to_vec()));
        rest = &rest[end + delimiter.len()..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(target: &str, headers: &[(&str, &str)], body: &str) -> Record {
        Record {
            method: "POST".to_owned(),
            target: target.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn transport_headers_and_json_formatting_do_not_count() {
        let newman = record(
            "/a?x=1",
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "PostmanRuntime/7"),
                ("Postman-Token", "random"),
            ],
            "{\n  \"a\": 1\n}",
        );
        let client = record(
            "/a?x=1",
            &[("content-type", "application/json"), ("user-agent", "x")],
            "{\"a\":1}",
        );
        assert_eq!(requests(&newman, &client), Ok(None));
    }

    #[test]
    fn documented_differences_count_as_identical_with_their_reason() {
        let newman = record("/a%7Bb?q={x}", &[("Cache-Control", "no-cache")], "");
        let client = record("/a{b?q=%7Bx%7D", &[], "");
        assert_eq!(requests(&newman, &client), Ok(Some(documented::ENCODING)));
        let client = record("/a%7Bb?q={x}", &[], "");
        assert_eq!(requests(&newman, &client), Ok(Some(documented::NO_CACHE)));
        let newman = record("/a?q=1&limit=%3Cinteger%3E", &[("X-Id", "<string>")], "");
        let client = record("/a?q=1", &[], "");
        assert_eq!(
            requests(&newman, &client),
            Ok(Some(documented::PLACEHOLDER))
        );
        let newman = record("/a%7Bb?q={x}", &[("Cache-Control", "no-cache")], "");
        let client = record("/a%7Bb?q={x}", &[("cache-control", "max-age=0")], "");
        assert_eq!(
            requests(&newman, &client).map_err(|d| d.kind),
            Err("header cache-control".to_owned())
        );
    }

    #[test]
    fn dynamic_values_compare_by_form_where_the_item_uses_them() {
        let newman = record(
            "/a?t=1796156796",
            &[("X-Id", "6138be39-d6a8-41e4-8129-9701033e4fee")],
            "{\"at\":\"2026-12-01T19:37:56.123Z\"}",
        );
        let client = record(
            "/a?t=1796156801",
            &[("X-Id", "0b8f1e2c-1d4a-4c3b-9e2f-3a4b5c6d7e8f")],
            "{\"at\":\"2026-12-01T19:38:01.001Z\"}",
        );
        assert!(items(&newman, &client, false).is_err());
        assert_eq!(items(&newman, &client, true), Ok(Some(documented::DYNAMIC)));
        let other = record("/b?t=1796156801", &[], "");
        assert!(items(&newman, &other, true).is_err());
        assert_eq!(mask_dynamic("id 12345678901"), "id 12345678901");
    }

    #[test]
    fn generated_nonces_compare_by_form_and_fixed_ones_exactly() {
        let hawk = |ts: &str, nonce: &str, mac: &str| {
            let value = format!("Hawk id=\"a\", ts=\"{ts}\", nonce=\"{nonce}\", mac=\"{mac}\"");
            record("/a", &[("Authorization", value.as_str())], "")
        };
        assert_eq!(
            requests(&hawk("1", "n1", "m1"), &hawk("2", "n2", "m2")),
            Ok(Some(documented::GENERATED_NONCE))
        );
        assert!(requests(&hawk("1", "n1", "m1"), &hawk("1", "n1", "m2")).is_err());
        let oauth = |nonce: &str, signature: &str| {
            let value = format!(
                "OAuth oauth_consumer_key=\"k\",oauth_nonce=\"{nonce}\",oauth_signature=\"{signature}\""
            );
            record("/a", &[("Authorization", value.as_str())], "")
        };
        assert_eq!(
            requests(&oauth("x", "s1"), &oauth("y", "s2")),
            Ok(Some(documented::GENERATED_NONCE))
        );
        assert!(requests(&oauth("x", "s1"), &oauth("x", "s2")).is_err());
        // As a script writes it: unquoted, after `, `.
        let scripted = |timestamp: &str, signature: &str| {
            let value = format!(
                "OAuth oauth_consumer_key=k, oauth_nonce=n, oauth_timestamp={timestamp}, oauth_signature={signature}"
            );
            record("/a", &[("Authorization", value.as_str())], "")
        };
        assert_eq!(
            requests(&scripted("1", "s1"), &scripted("2", "s2")),
            Ok(Some(documented::GENERATED_NONCE))
        );
        assert!(requests(&scripted("1", "s1"), &scripted("1", "s2")).is_err());
    }

    #[test]
    fn empty_file_parts_newman_left_out_are_documented() {
        let multipart = [("Content-Type", "multipart/form-data; boundary=b")];
        let text = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
        let file = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n";
        let newman = record("/u", &multipart, &format!("{text}--b--\r\n"));
        let client = record("/u", &multipart, &format!("{text}{file}--b--\r\n"));
        assert_eq!(
            items(&newman, &client, false),
            Ok(Some(documented::UNREAD_FILE))
        );
        let nothing = record("/u", &[], "");
        let only_file = record("/u", &multipart, &format!("{file}--b--\r\n"));
        assert_eq!(
            items(&nothing, &only_file, false),
            Ok(Some(documented::UNREAD_FILE))
        );
        let with_content = file.replace("\r\n\r\n\r\n", "\r\n\r\nbytes\r\n");
        let client = record("/u", &multipart, &format!("{text}{with_content}--b--\r\n"));
        assert!(items(&newman, &client, false).is_err());
    }

    #[test]
    fn each_aspect_is_told_apart() {
        let base = record("/a?x=1", &[("Accept", "*/*")], "");
        let kind = |other: Record| requests(&base, &other).err().map(|d| d.kind);
        assert_eq!(
            kind(record("/b?x=1", &[("Accept", "*/*")], "")).as_deref(),
            Some("path")
        );
        assert_eq!(
            kind(record("/a%2F?x=1", &[("Accept", "*/*")], "")).as_deref(),
            Some("path")
        );
        assert_eq!(
            kind(record("/a?x=%32", &[("Accept", "*/*")], "")).as_deref(),
            Some("query")
        );
        assert_eq!(
            kind(record("/a?x", &[("Accept", "*/*")], "")).as_deref(),
            Some("query")
        );
        assert_eq!(
            kind(record("/a?x=1", &[], "")).as_deref(),
            Some("header accept")
        );
        assert_eq!(
            kind(record("/a?x=1", &[("Accept", "*/*")], "b")).as_deref(),
            Some("body")
        );
        let method = Record {
            method: "PUT".to_owned(),
            ..base.clone()
        };
        assert_eq!(kind(method).as_deref(), Some("method"));
    }

    #[test]
    fn form_bodies_compare_by_fields_and_multipart_by_parts() {
        let form = "application/x-www-form-urlencoded";
        assert!(same_body(form, b"a=x+y&b=%21", b"a=x%20y&b=!"));
        assert!(!same_body(form, b"a=1&b=2", b"b=2&a=1"));
        assert!(same_body(
            form,
            b"j=%7B%0A%20%20%22a%22%3A%201%7D&p=%3Cstring%3E",
            b"j=%7B%22a%22%3A1%7D"
        ));
        assert!(!same_body(
            form,
            b"j=%7B%22a%22%3A1%7D",
            b"j=%7B%22a%22%3A2%7D"
        ));
        let part = |boundary: &str, value: &str| {
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n{value}\r\n--{boundary}--\r\n"
            )
        };
        let multipart = "multipart/form-data";
        assert!(same_body(
            multipart,
            part("x", "1").as_bytes(),
            part("yy", "1").as_bytes()
        ));
        assert!(!same_body(
            multipart,
            part("x", "1").as_bytes(),
            part("x", "2").as_bytes()
        ));
    }

    #[test]
    fn a_refused_url_variable_is_documented_only_where_newman_sent_its_text() {
        let refused = "cannot build request: the URL uses the variable `b\\ar`, which has no value";
        assert!(refused_unresolved(
            &record("/x/%7B%7Bb%5Car%7D%7D", &[], ""),
            refused
        ));
        assert!(refused_unresolved(&record("/x/{{id}}", &[], ""), refused));
        assert!(!refused_unresolved(&record("/x/42", &[], ""), refused));
        assert!(!refused_unresolved(
            &record("/x/{{id}}", &[], ""),
            "cannot build request: a script stopped the request"
        ));
    }

    #[test]
    fn a_guard_counts_only_when_newman_reported_the_same_error() {
        let refused = "cannot build request: a script stopped the request: user is empty!";
        assert!(stopped_by_guard(&["user is empty!".to_owned()], refused));
        assert!(!stopped_by_guard(
            &["password is empty!".to_owned()],
            refused
        ));
        assert!(!stopped_by_guard(&[], refused));
        let other = "cannot build request: the URL uses the variable `id`, which has no value";
        assert!(!stopped_by_guard(&["user is empty!".to_owned()], other));
    }
}
