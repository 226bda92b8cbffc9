//! The normalized API the emitter works from; knows nothing of JSON layouts or tokens.

mod auth;
mod body;
pub mod dynamic;
mod hints;
mod infer;
mod json_template;
pub(crate) mod lower;
mod op_name;
pub mod paging;
mod params;
mod responses;
pub mod scripts;
mod shared;
mod url;

pub(crate) use infer::Shape;
// For the decode check of the command line, which types responses as generation does.
#[doc(hidden)]
pub use infer::Typer;
pub use lower::lower;
#[doc(hidden)]
pub use responses::{lower_responses, status_of};
use serde_json::Value;
pub use url::{substitute, whole_variable};

/// A whole client.
#[derive(Debug, Clone)]
pub struct Api {
    /// Collection name.
    pub name: String,
    /// Collection description.
    pub doc: Option<String>,
    /// Base URLs by key (collection variable name or literal origin), with defaults.
    pub servers: Vec<Server>,
    /// The server most operations use; `Client::with_base_url` replaces it.
    pub primary_server: String,
    /// Collection variables (name, value): the client's defaults for `{{name}}`.
    pub variables: Vec<(String, String)>,
    /// Root module.
    pub root: Module,
    /// Types several operations share (the client's `types` module).
    pub types: Vec<SharedType>,
    /// How many of the collection's scripts were translated in full, in part, not at all.
    pub scripts: scripts::Census,
    /// The sources of the scripts not translated in full, each once: what
    /// [`scripts::Step::Script`] runs in the runtime's JavaScript engine.
    pub script_sources: Vec<String>,
    /// The client's path from a doctest (`my_crate::zoom_users`), when known: each operation's
    /// example is then a checked doctest, else an ignored one. Not set by lowering.
    pub doc_tests: Option<String>,
}

/// A type several operations share.
#[derive(Debug, Clone)]
pub struct SharedType {
    /// The definition, named after what it is.
    pub def: TypeDef,
    /// Module paths of the operations that send or receive it (`users::get_a_user`).
    pub users: Vec<String>,
    /// Whether some operation sends it: callers build it, with its constructor and setters.
    pub sent: bool,
}

impl Api {
    /// The auth schemes with code of their own that the operations use: each brings a runtime
    /// module and crates.
    pub fn auth_modules(&self) -> std::collections::BTreeSet<AuthModule> {
        fn walk(module: &Module, found: &mut std::collections::BTreeSet<AuthModule>) {
            for op in &module.operations {
                match &op.auth {
                    Auth::Signed { scheme, .. } => {
                        found.insert(*scheme);
                    }
                    Auth::OAuth2 { grant, .. } if !grant.is_empty() => {
                        found.insert(AuthModule::OAuth2);
                    }
                    _ => {}
                }
            }
            for child in &module.modules {
                walk(child, found);
            }
        }
        let mut found = std::collections::BTreeSet::new();
        walk(&self.root, &mut found);
        found
    }
}

/// An auth scheme whose code (a module of the runtime) and crates only the clients whose
/// collection uses it carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthModule {
    /// OAuth 1.0a (RFC 5849).
    OAuth1,
    /// HTTP Digest (RFC 7616).
    Digest,
    /// Hawk.
    Hawk,
    /// OAuth 2.0 tokens fetched with the collection's grant (RFC 6749).
    OAuth2,
    /// JSON Web Tokens signed per request (Postman's `jwt`).
    Jwt,
    /// Atlassian's service-to-service JWTs (Postman's `asap`).
    Asap,
    /// AWS Signature Version 4.
    AwsV4,
    /// Akamai EdgeGrid.
    EdgeGrid,
}

impl AuthModule {
    /// Every scheme, for crates that hold clients of many collections.
    pub const ALL: &'static [AuthModule] = &[
        AuthModule::OAuth1,
        AuthModule::Digest,
        AuthModule::Hawk,
        AuthModule::OAuth2,
        AuthModule::Jwt,
        AuthModule::Asap,
        AuthModule::AwsV4,
        AuthModule::EdgeGrid,
    ];

    /// Name of its module in the runtime.
    pub fn module(self) -> &'static str {
        match self {
            Self::OAuth1 => "oauth1",
            Self::Digest => "digest",
            Self::Hawk => "hawk",
            Self::OAuth2 => "oauth2",
            Self::Jwt | Self::Asap => "jwt",
            Self::AwsV4 => "aws",
            Self::EdgeGrid => "edgegrid",
        }
    }

    /// Name of the type in its module that the generated operations name.
    pub fn signer(self) -> &'static str {
        match self {
            Self::OAuth1 => "OAuth1",
            Self::Digest => "Digest",
            Self::Hawk => "Hawk",
            Self::OAuth2 => "Grant",
            Self::Jwt => "Jwt",
            Self::Asap => "Asap",
            Self::AwsV4 => "AwsV4",
            Self::EdgeGrid => "EdgeGrid",
        }
    }

    /// The setting that names the algorithm, and the algorithms the runtime signs with
    /// (Postman's JWT and ASAP also know ES512; its OAuth 1.0 RSA methods are warned apart).
    pub fn algorithms(self) -> Option<(&'static str, &'static [&'static str])> {
        const JWT: &[&str] = &[
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384",
        ];
        match self {
            Self::OAuth1 => Some((
                "signatureMethod",
                &["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"],
            )),
            Self::Digest => Some((
                "algorithm",
                &[
                    "MD5",
                    "MD5-sess",
                    "SHA-256",
                    "SHA-256-sess",
                    "SHA-512-256",
                    "SHA-512-256-sess",
                ],
            )),
            Self::Hawk => Some(("algorithm", &["sha256", "sha1"])),
            Self::Jwt => Some(("algorithm", JWT)),
            // ASAP signs with a private key only.
            Self::Asap => Some(("alg", JWT.split_at(3).1)),
            Self::OAuth2 | Self::AwsV4 | Self::EdgeGrid => None,
        }
    }

    /// The `[dependencies]` lines it adds to [`crate::CLIENT_DEPENDENCIES`].
    pub fn dependencies(self) -> &'static str {
        match self {
            Self::OAuth1 | Self::Hawk => "hmac = \"0.12\"\nsha1 = \"0.10\"\nsha2 = \"0.10\"",
            Self::Digest => "md-5 = \"0.10\"\nsha2 = \"0.10\"",
            Self::EdgeGrid => "hmac = \"0.12\"\nsha2 = \"0.10\"",
            Self::OAuth2 => "",
            Self::AwsV4 => {
                "aws-credential-types = \"1\"\naws-sigv4 = { version = \"1\", default-features = false, features = [\"sign-http\", \"http1\"] }"
            }
            Self::Jwt | Self::Asap => {
                "jsonwebtoken = { version = \"12\", default-features = false, features = [\"rust_crypto\", \"use_pem\"] }"
            }
        }
    }
}

/// A base URL an operation can go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Collection variable name (`baseUrl`) or literal origin (`https://api.zoom.us`).
    pub key: String,
    /// Default URL, empty when unknown.
    pub default: String,
}

/// A folder: a module of operations and sub-modules.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// Module and accessor name.
    pub ident: String,
    /// Folder name.
    pub name: String,
    /// Folder description.
    pub doc: Option<String>,
    /// Sub-folders.
    pub modules: Vec<Module>,
    /// Requests.
    pub operations: Vec<Operation>,
}

/// One request of the collection.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Module and method name.
    pub ident: String,
    /// Folder and request names.
    pub item_path: Vec<String>,
    /// Description.
    pub doc: Option<String>,
    /// HTTP method, upper-case.
    pub method: String,
    /// Key of the server.
    pub server: String,
    /// Path as written in the collection (`/users/:userId`).
    pub path: String,
    /// Path segments after the base URL.
    pub segments: Vec<Vec<Piece>>,
    /// Path, query and header parameters.
    pub params: Vec<Param>,
    /// Headers sent as they are.
    pub fixed_headers: Vec<(String, String)>,
    /// How the request authenticates.
    pub auth: Auth,
    /// Postman's name for the auth the request declares itself (`oauth1`, `noauth`, ...),
    /// which its scripts read (`pm.request.auth.type`); `None` where it inherits its auth.
    pub request_auth: Option<String>,
    /// Request body.
    pub body: Body,
    /// Documented responses, by status.
    pub responses: Vec<Response>,
    /// Types inferred for this operation (bodies, enums).
    pub types: Vec<TypeDef>,
    /// What its pre-request scripts do (collection's, folders', its own, in that order).
    pub pre_request: Vec<scripts::Step>,
    /// What its test scripts do, in the same order.
    pub test: Vec<scripts::Step>,
    /// The scripts it runs, for its docs: whose they are and how far they were translated.
    pub scripts: Vec<ScriptDoc>,
    /// How it pages, when the collection shows it ([`paging`]).
    pub paging: Option<paging::Paging>,
    /// Why it is not paged, when the collection shows part of a paging scheme.
    pub paging_note: Option<String>,
}

/// A script an operation runs, as its docs describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptDoc {
    /// Whose it is: `None` for the request's own, else "the collection" or "the folder \"Users\"".
    pub owner: Option<String>,
    /// The script, understood.
    pub translation: scripts::Translation,
}

/// A piece of a path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// Value of the request field with this name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A query key sent without a value (`?human`) when the `bool` field is true.
    QueryFlag,
    /// A header.
    Header,
    /// A form or multipart field of the body.
    Form,
}

impl ParamIn {
    /// What a field in this place is called in docs: "path parameter", "header", ...
    pub fn describe(self) -> &'static str {
        match self {
            Self::Path => "path parameter",
            Self::Query | Self::QueryFlag => "query parameter",
            Self::Header => "header",
            Self::Form => "form field",
        }
    }
}

/// A request field sent in the path, query or headers, or as a form field.
#[derive(Debug, Clone)]
pub struct Param {
    /// Field name.
    pub field: String,
    /// Name on the wire.
    pub key: String,
    /// Where it goes.
    pub place: ParamIn,
    /// Type, without `Option`.
    pub ty: Ty,
    /// Whether the field is `Option`al.
    pub optional: bool,
    /// Sent as JSON text (a form field whose example is a JSON object).
    pub json: bool,
    /// Description.
    pub doc: Option<String>,
    /// Example value in the field's type.
    pub example: Option<Value>,
    /// What is sent when the field is unset: the `{{variable}}` its example names, which the
    /// client resolves.
    pub default: Option<String>,
}

/// A Rust type in generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `serde_json::Value`.
    Value,
    /// `runtime::FilePart`.
    File,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// A type of this operation's module.
    Named(String),
    /// A type of the client's `types` module, shared by several operations.
    Shared(String),
}

/// A type definition.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A struct of JSON fields.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
}

impl TypeDef {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Struct(def) => &def.name,
            Self::Enum(def) => &def.name,
        }
    }
}

/// A struct with serde field names.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Type name.
    pub name: String,
    /// Fields.
    pub fields: Vec<Field>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Field name.
    pub ident: String,
    /// JSON key.
    pub key: String,
    /// Type, `Option` for optional or nullable fields.
    pub ty: Ty,
    /// Whether the key may be absent: `None` is left out rather than sent as `null`.
    pub optional: bool,
}

/// An enum of allowed string values.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Type name.
    pub name: String,
    /// Variant names and wire values.
    pub variants: Vec<(String, String)>,
}

/// Resolved authentication of an operation. A `credential` is the collection's own value
/// when it names variables (`{{accessToken}}`): the client resolves it when it has no
/// credential of that kind set. Literal credentials never enter generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    None,
    /// Token in a header after a prefix (bearer, custom schemes).
    Token {
        /// Header name.
        header: String,
        /// Prefix before the token.
        prefix: String,
        /// The token as a variable template.
        credential: Option<String>,
        /// Written by hand as a header: sent even when the token is empty, as Postman sends
        /// headers (a bearer or OAuth 2.0 token that is empty sends nothing).
        written: bool,
    },
    /// An OAuth 2.0 access token, given or fetched with the collection's grant.
    OAuth2 {
        /// Text sent before the token in the `Authorization` header.
        prefix: String,
        /// Sent as the `access_token` query parameter instead of a header.
        in_query: bool,
        /// The token as a variable template.
        credential: Option<String>,
        /// The grant's settings by their names in Postman (`accessTokenUrl`, `grant_type`,
        /// `scope`, ...), credentials only as variable templates; empty when there is no
        /// token URL.
        grant: Vec<(String, String)>,
    },
    /// HTTP basic.
    Basic {
        /// User name: a variable template, or as written beside a password template.
        user: Option<String>,
        /// Password as a variable template.
        password: Option<String>,
    },
    /// API key.
    ApiKey {
        /// Header or query name.
        name: String,
        /// Prefix before the key.
        prefix: String,
        /// In the query string rather than a header.
        in_query: bool,
        /// The key as a variable template.
        credential: Option<String>,
    },
    /// A scheme that signs the request, with the collection's settings by their names in
    /// Postman (credentials only as variable templates).
    Signed {
        /// The scheme.
        scheme: AuthModule,
        /// Setting name and value.
        settings: Vec<(String, String)>,
    },
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    None,
    /// JSON of this type.
    Json {
        /// Body type.
        ty: Ty,
        /// Example body.
        example: Value,
        /// Content type (`application/json`, or what the collection declares).
        mime: String,
        /// Unquoted variables of the collection's template (`"amount": {{amount}}`): JSON
        /// pointer into the example and variable name.
        unquoted: Vec<(String, String)>,
    },
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<Param>),
    /// `multipart/form-data` fields.
    Multipart(Vec<Param>),
    /// Text with a content type.
    Raw {
        /// Content type.
        mime: String,
        /// Example text.
        example: String,
    },
    /// A GraphQL query.
    GraphQl {
        /// Example query.
        query: String,
        /// Example variables.
        variables: Value,
        /// Their type, when the example is an object with fields.
        variables_ty: Option<Ty>,
    },
    /// Bytes (binary upload).
    Binary,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Variant name in the success or error enum.
    pub variant: String,
    /// What the body decodes into.
    pub kind: ResponseKind,
    /// Names of the saved examples.
    pub doc: Option<String>,
    /// The first saved example of the status, as the mock answers with it.
    pub saved: SavedResponse,
}

/// A saved response as it is sent: headers (framing ones left out) and body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SavedResponse {
    /// Enabled headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    /// Ignored.
    Empty,
    /// Kept as text.
    Text,
    /// JSON of this type.
    Json(Ty),
}

impl Response {
    /// Whether its variant holds the response as it came: a success saved without a body, on
    /// a status that has one (204, 205 and 304 have none).
    pub fn keeps_raw(&self) -> bool {
        self.is_success()
            && self.kind == ResponseKind::Empty
            && !matches!(self.status, 204 | 205 | 304)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
