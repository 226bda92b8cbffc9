//! The Postman collection format, read leniently into one version-independent model.
//!
//! `parse` reads v2.0 and v2.1 (dispatching on `info.schema`), `v1` reads the older
//! `requests`/`folders`/`order` layout; both produce the types below.

mod census;
mod json;
mod parse;
mod scripts;
mod url;
mod v1;

pub use census::requests_in;
pub use parse::parse_collection;
pub use scripts::{Listen, Script};
pub use url::{parse_raw_url, split_authority};

/// A whole collection.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// `info.name`.
    pub name: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Collection variables (`baseUrl`, ...).
    pub variables: Vec<KeyValue>,
    /// Collection-level auth.
    pub auth: Option<Auth>,
    /// `protocolProfileBehavior.disableBodyPruning`: send bodies of GET, HEAD, ... requests.
    pub disable_body_pruning: Option<bool>,
    /// Scripts every request runs, before its folders' and its own.
    pub scripts: Vec<Script>,
    /// Top-level folders and requests.
    pub items: Vec<Item>,
    /// Requests written in the file, counted by [`requests_in`] apart from the reader.
    pub requests_in_file: usize,
}

/// A folder or a request.
#[derive(Debug, Clone)]
pub enum Item {
    /// A folder of items.
    Folder(Folder),
    /// A request with its saved examples.
    Request(Box<RequestItem>),
}

/// A folder.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// Folder name.
    pub name: String,
    /// JSON pointer of the folder.
    pub location: String,
    /// Folder description.
    pub description: Option<String>,
    /// Folder-level auth.
    pub auth: Option<Auth>,
    /// `protocolProfileBehavior.disableBodyPruning`, for the items inside.
    pub disable_body_pruning: Option<bool>,
    /// Scripts every request inside runs, after the collection's and before its own.
    pub scripts: Vec<Script>,
    /// Child items.
    pub items: Vec<Item>,
}

/// A request item.
#[derive(Debug, Clone, Default)]
pub struct RequestItem {
    /// Item name.
    pub name: String,
    /// JSON pointer of the item.
    pub location: String,
    /// The request.
    pub request: Request,
    /// Saved response examples.
    pub responses: Vec<Example>,
    /// `protocolProfileBehavior.disableBodyPruning` of the item.
    pub disable_body_pruning: Option<bool>,
    /// The item's own scripts.
    pub scripts: Vec<Script>,
}

/// A request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Method as written (may be lower-case, custom or missing).
    pub method: Option<String>,
    /// URL.
    pub url: Url,
    /// Headers, enabled and disabled.
    pub headers: Vec<KeyValue>,
    /// Body.
    pub body: Option<Body>,
    /// Request-level auth.
    pub auth: Option<Auth>,
    /// Description (Markdown).
    pub description: Option<String>,
    /// JSON pointer of the request object (v2 `/item/0/request`, v1 `/requests/0`).
    pub location: String,
    /// JSON pointer of the body (v2 `.../request/body`, v1 `rawModeData` or `data`).
    pub body_location: String,
}

/// A URL, split into parts.
#[derive(Debug, Clone, Default)]
pub struct Url {
    /// The raw URL as written.
    pub raw: Option<String>,
    /// `http` or `https`.
    pub protocol: Option<String>,
    /// Host labels (`["{{baseUrl}}"]`, `["api", "zoom", "us"]`).
    pub host: Vec<String>,
    /// Port.
    pub port: Option<String>,
    /// Path segments.
    pub path: Vec<String>,
    /// Query parameters.
    pub query: Vec<KeyValue>,
    /// Path variables (`:userId`) with example values and descriptions.
    pub variables: Vec<KeyValue>,
}

/// A key/value entry: header, query parameter, form field, variable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyValue {
    /// Key.
    pub key: String,
    /// Example value (`None` when absent or `null`).
    pub value: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Disabled entries describe optional parameters.
    pub disabled: bool,
    /// Form field kind: `text` or `file`.
    pub kind: Option<String>,
    /// Content type of a form field.
    pub content_type: Option<String>,
    /// File source of a form file field.
    pub src: Option<String>,
    /// JSON pointer of the entry.
    pub location: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// `raw` with its language (`json`, `xml`, `text`, ...).
    Raw {
        /// The raw text.
        text: String,
        /// `options.raw.language`.
        language: Option<String>,
    },
    /// `urlencoded` fields.
    UrlEncoded(Vec<KeyValue>),
    /// `formdata` fields.
    FormData(Vec<KeyValue>),
    /// `file` (binary) body.
    File {
        /// File source.
        src: Option<String>,
    },
    /// `graphql` body.
    GraphQl {
        /// Query document.
        query: String,
        /// Variables as JSON text.
        variables: Option<String>,
    },
}

/// Auth settings: a type and its parameters (v2.0 objects and v2.1 lists both end up here).
#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    /// The auth type.
    pub kind: AuthKind,
    /// Parameters of that kind.
    pub params: Vec<(String, String)>,
    /// JSON pointer of the auth block.
    pub location: String,
}

/// The auth types Postman has (`type` of an auth block), and any other name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `noauth`: no auth, also none inherited.
    NoAuth,
    /// `inherit`: the parent's auth.
    Inherit,
    /// `basic`.
    Basic,
    /// `bearer`.
    Bearer,
    /// `apikey`.
    ApiKey,
    /// `oauth1`.
    OAuth1,
    /// `oauth2`.
    OAuth2,
    /// `digest`.
    Digest,
    /// `hawk`.
    Hawk,
    /// `jwt`.
    Jwt,
    /// `asap`.
    Asap,
    /// `awsv4`.
    AwsV4,
    /// `edgegrid`.
    EdgeGrid,
    /// `ntlm`.
    Ntlm,
    /// A type Postman does not have, as written.
    Other(String),
}

/// Each known kind with its name in Postman's format.
const AUTH_KINDS: &[(AuthKind, &str)] = &[
    (AuthKind::NoAuth, "noauth"),
    (AuthKind::Inherit, "inherit"),
    (AuthKind::Basic, "basic"),
    (AuthKind::Bearer, "bearer"),
    (AuthKind::ApiKey, "apikey"),
    (AuthKind::OAuth1, "oauth1"),
    (AuthKind::OAuth2, "oauth2"),
    (AuthKind::Digest, "digest"),
    (AuthKind::Hawk, "hawk"),
    (AuthKind::Jwt, "jwt"),
    (AuthKind::Asap, "asap"),
    (AuthKind::AwsV4, "awsv4"),
    (AuthKind::EdgeGrid, "edgegrid"),
    (AuthKind::Ntlm, "ntlm"),
];

impl AuthKind {
    /// The kind a `type` names.
    pub fn from_name(name: &str) -> Self {
        AUTH_KINDS
            .iter()
            .find(|(_, known)| *known == name)
            .map_or_else(|| Self::Other(name.to_owned()), |(kind, _)| kind.clone())
    }

    /// The name in Postman's format (`oauth2`).
    pub fn name(&self) -> &str {
        match self {
            Self::Other(name) => name,
            kind => AUTH_KINDS
                .iter()
                .find(|(known, _)| known == kind)
                .map_or("", |(_, name)| name),
        }
    }
}

impl std::fmt::Display for AuthKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Auth {
    /// A parameter by key.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A saved response example.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Example name.
    pub name: String,
    /// Status code.
    pub code: Option<u16>,
    /// Status text (`OK`, `Not Found`).
    pub status: Option<String>,
    /// Response headers.
    pub headers: Vec<KeyValue>,
    /// Response body text.
    pub body: Option<String>,
    /// For an example `postman-codegen learn` wrote: how many observed responses of its status
    /// it was chosen from.
    pub observed: Option<u64>,
    /// JSON pointer of the example.
    pub location: String,
}
