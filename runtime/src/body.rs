use super::builder::FORM;
use super::prepared::BOUNDARY;
use super::BuildError;

/// A file sent as one part of a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// File name sent in `Content-Disposition`.
    pub file_name: String,
    /// Content type of the part; when unset, `application/octet-stream`, or none for an
    /// empty part without a file name (what Postman sends for a file field left empty).
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
    /// Variables of the query; left out of the body when `null`, as Postman does.
    #[serde(default, skip_serializing_if = "is_null")]
    pub variables: V,
}

/// Whether a value serializes as JSON `null`.
fn is_null<V: serde::Serialize>(value: &V) -> bool {
    serde_json::to_value(value).is_ok_and(|v| v.is_null())
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

/// A value as JSON text (parameters and form fields that carry JSON objects).
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
        /// Content type; empty sends none.
        content_type: String,
        /// Encoded body.
        bytes: Vec<u8>,
    },
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
    /// `multipart/form-data` parts.
    Multipart(Vec<Part>),
}

pub(super) fn encode_body(body: Body) -> (Option<String>, Vec<u8>) {
    match body {
        Body::Empty => (None, Vec::new()),
        Body::Bytes {
            content_type,
            bytes,
        } => (Some(content_type).filter(|c| !c.is_empty()), bytes),
        // An empty form goes as Postman sends it: no body and no content type.
        Body::Form(fields) if fields.is_empty() => (None, Vec::new()),
        Body::Multipart(parts) if parts.is_empty() => (None, Vec::new()),
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
    percent_encoding::percent_encode(text.as_bytes(), FORM)
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
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n",
                        quote_param(name),
                        quote_param(&file.file_name)
                    )
                    .as_bytes(),
                );
                // As in Postman, a part without a file (no name, no bytes) has no type.
                let no_file = file.file_name.is_empty() && file.bytes.is_empty();
                let content_type = match &file.content_type {
                    Some(content_type) => Some(content_type.as_str()),
                    None => (!no_file).then_some("application/octet-stream"),
                };
                if let Some(content_type) = content_type {
                    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
                }
                out.extend_from_slice(b"\r\n");
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

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> Part {
        Part::Text {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn form_fields_are_percent_encoded_with_unreserved_characters_kept() {
        let body = Body::Form(vec![
            ("a b".to_owned(), "x&y=z+1".to_owned()),
            ("é".to_owned(), "-_.~*'/".to_owned()),
        ]);
        let (content_type, bytes) = encode_body(body);
        assert_eq!(
            content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a%20b=x%26y%3Dz%2B1&%C3%A9=-_.~%2A%27%2F"
        );
    }

    #[test]
    fn empty_bodies_send_no_content_type() {
        for body in [
            Body::Empty,
            Body::Form(Vec::new()),
            Body::Multipart(Vec::new()),
        ] {
            assert_eq!(encode_body(body), (None, Vec::new()));
        }
        let bytes = Body::Bytes {
            content_type: String::new(),
            bytes: b"raw".to_vec(),
        };
        assert_eq!(encode_body(bytes), (None, b"raw".to_vec()));
        let json = Body::Bytes {
            content_type: "application/json".to_owned(),
            bytes: b"{}".to_vec(),
        };
        assert_eq!(
            encode_body(json),
            (Some("application/json".to_owned()), b"{}".to_vec())
        );
    }

    #[test]
    fn multipart_body_has_text_and_file_parts_and_quoted_names() {
        let mut typed = FilePart::new("a.json", b"{}".to_vec());
        typed.content_type = Some("application/json".to_owned());
        let parts = vec![
            text("say \"hi\"\\\r\n", "hello"),
            Part::File {
                name: "upload".to_owned(),
                file: FilePart::new("photo.png", vec![0xff, 0x00]),
            },
            Part::File {
                name: "doc".to_owned(),
                file: typed,
            },
            // A file field left empty in Postman: no file name, no bytes, no type.
            Part::File {
                name: "empty".to_owned(),
                file: FilePart::default(),
            },
        ];
        let (content_type, bytes) = encode_body(Body::Multipart(parts));
        assert_eq!(
            content_type.unwrap(),
            format!("multipart/form-data; boundary={BOUNDARY}")
        );
        let mut expected = Vec::new();
        let b = BOUNDARY;
        expected.extend_from_slice(
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"say \\\"hi\\\"\\\\  \"\r\n\r\nhello\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"photo.png\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        expected.extend_from_slice(&[0xff, 0x00]);
        expected.extend_from_slice(
            format!(
                "\r\n--{b}\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.json\"\r\n\
                 Content-Type: application/json\r\n\r\n{{}}\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n\
                 --{b}--\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(bytes, expected);
    }

    #[test]
    fn multipart_boundary_avoids_every_part_content() {
        // `BOUNDARY1` contains `BOUNDARY`, so both the plain boundary and the first
        // numbered one are taken: the next free one is picked.
        let parts = vec![
            text("a", &format!("x{BOUNDARY}1y")),
            Part::File {
                name: "f".to_owned(),
                file: FilePart::new("f.txt", format!("--{BOUNDARY}").into_bytes()),
            },
        ];
        assert_eq!(pick_boundary(&parts), format!("{BOUNDARY}2"));
        let (content_type, bytes) = encode_body(Body::Multipart(parts));
        assert_eq!(
            content_type.unwrap(),
            format!("multipart/form-data; boundary={BOUNDARY}2")
        );
        assert!(String::from_utf8(bytes)
            .unwrap()
            .ends_with(&format!("\r\n--{BOUNDARY}2--\r\n")));
        assert_eq!(pick_boundary(&[text("a", "plain")]), BOUNDARY);
    }

    #[test]
    fn graphql_body_leaves_out_null_variables() {
        let body = GraphQlBody {
            query: "{ me { id } }".to_owned(),
            variables: serde_json::Value::Null,
        };
        assert_eq!(to_json(&body).unwrap(), r#"{"query":"{ me { id } }"}"#);
        let body = GraphQlBody {
            query: "q".to_owned(),
            variables: serde_json::json!({"id": 1}),
        };
        assert_eq!(
            to_json(&body).unwrap(),
            r#"{"query":"q","variables":{"id":1}}"#
        );
        let read: GraphQlBody = serde_json::from_str(r#"{"query":"q"}"#).unwrap();
        assert_eq!(read.variables, serde_json::Value::Null);
    }

    #[test]
    fn to_json_reports_what_does_not_serialize() {
        assert_eq!(to_json("a\"b").unwrap(), r#""a\"b""#);
        let map = std::collections::BTreeMap::from([((1, 2), 3)]);
        let error = to_json(&map).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot build request: key must be a string"
        );
    }

    #[test]
    fn contains_finds_a_needle_anywhere() {
        assert!(contains(b"abcdef", b"cde"));
        assert!(contains(b"abc", b"abc"));
        assert!(!contains(b"ab", b"abc"));
        assert!(!contains(b"abcdef", b"ce"));
    }
}
