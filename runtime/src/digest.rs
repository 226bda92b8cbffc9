//! HTTP Digest authentication (RFC 7616) as Postman computes it: MD5, SHA-256 and
//! SHA-512-256, their `-sess` forms, `qop` `auth`, `auth-int` or none. Without a realm and a
//! nonce the request goes unsigned, and the server's `401` challenge is answered once
//! ([`super::Prepared::answer_challenge`]).

use std::sync::Arc;

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

use super::body::encode_body;
use super::variables::random_chars;
use super::{BuildError, Challenge, Client, Prepared, RequestBuilder, Signer};

/// The Digest settings of a collection, by their names in Postman (`algorithm`, `qop`,
/// `realm`, `nonce`, `nonceCount`, `clientNonce`, `opaque`, ...). The password appears only as
/// a variable template; the client's [`Client::with_auth_param`] values come first.
#[derive(Debug)]
pub struct Digest {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// What a Digest response is computed from; its `Debug` leaves the password out.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Realm, from the collection or the server's challenge.
    pub realm: String,
    /// Nonce, from the collection or the server's challenge.
    pub nonce: String,
    /// `MD5` (the default), `MD5-sess`, `SHA-256`, `SHA-256-sess`, `SHA-512-256`, ...
    pub algorithm: String,
    /// `auth`, `auth-int`, or empty.
    pub qop: String,
    /// Nonce count, e.g. `00000001`.
    pub nonce_count: String,
    /// Client nonce.
    pub client_nonce: String,
    /// Opaque value of the challenge.
    pub opaque: String,
}

/// The `Authorization` value for a request of `method` to `uri` (path and query) with
/// `body`, as Postman writes it.
pub fn header(params: &Params, method: &str, uri: &str, body: &[u8]) -> Result<String, BuildError> {
    let algorithm = if params.algorithm.is_empty() {
        "MD5"
    } else {
        params.algorithm.as_str()
    };
    let hash: fn(&[u8]) -> String = match algorithm.trim_end_matches("-sess") {
        "MD5" => |bytes| hex(&Md5::digest(bytes)),
        "SHA-256" => |bytes| hex(&Sha256::digest(bytes)),
        "SHA-512-256" => |bytes| hex(&Sha512_256::digest(bytes)),
        other => {
            return Err(BuildError::new(format!(
                "unsupported Digest algorithm `{other}` (MD5, SHA-256 and SHA-512-256 are)"
            )))
        }
    };
    let Params {
        username,
        password,
        realm,
        nonce,
        qop,
        nonce_count,
        client_nonce,
        opaque,
        ..
    } = params;
    let mut a1 = format!("{username}:{realm}:{password}");
    if algorithm.ends_with("-sess") {
        a1 = format!("{}:{nonce}:{client_nonce}", hash(a1.as_bytes()));
    }
    let a2 = match qop.as_str() {
        "auth-int" => format!("{method}:{uri}:{}", hash(body)),
        _ => format!("{method}:{uri}"),
    };
    let (ha1, ha2) = (hash(a1.as_bytes()), hash(a2.as_bytes()));
    let with_qop = qop == "auth" || qop == "auth-int";
    let response = if with_qop {
        hash(format!("{ha1}:{nonce}:{nonce_count}:{client_nonce}:{qop}:{ha2}").as_bytes())
    } else {
        hash(format!("{ha1}:{nonce}:{ha2}").as_bytes())
    };
    let mut fields = vec![
        format!("username=\"{username}\""),
        format!("realm=\"{realm}\""),
        format!("nonce=\"{nonce}\""),
        format!("uri=\"{uri}\""),
        format!("algorithm=\"{algorithm}\""),
    ];
    if with_qop {
        fields.push(format!("qop={qop}"));
    }
    if with_qop || algorithm == "MD5-sess" {
        if !nonce_count.is_empty() {
            fields.push(format!("nc={nonce_count}"));
        }
        fields.push(format!("cnonce=\"{client_nonce}\""));
    }
    fields.push(format!("response=\"{response}\""));
    if !opaque.is_empty() {
        fields.push(format!("opaque=\"{opaque}\""));
    }
    Ok(format!("Digest {}", fields.join(", ")))
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("realm", &self.realm)
            .field("nonce", &self.nonce)
            .field("algorithm", &self.algorithm)
            .field("qop", &self.qop)
            .finish_non_exhaustive()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A quoted field of a `WWW-Authenticate: Digest ...` challenge.
fn field(challenge: &str, name: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    let start = lower.find(&format!("{name}=\""))? + name.len() + 2;
    let end = challenge[start..].find('"')? + start;
    Some(challenge[start..end].to_owned())
}

/// The path and query of `url`, as Digest's `uri` names them.
fn request_uri(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(
        |_| url.to_owned(),
        |parsed| match parsed.query() {
            Some(query) => format!("{}?{query}", parsed.path()),
            None => parsed.path().to_owned(),
        },
    )
}

impl Signer for Digest {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| {
            builder
                .auth_setting(client, self.settings, name)
                .unwrap_or_default()
        };
        let params = Params {
            username: setting("username"),
            password: setting("password"),
            realm: setting("realm"),
            nonce: setting("nonce"),
            algorithm: setting("algorithm"),
            qop: setting("qop"),
            nonce_count: setting("nonceCount"),
            client_nonce: setting("clientNonce"),
            opaque: setting("opaque"),
        };
        // As in Postman: nothing without a user name; without a realm and a nonce the request
        // goes unsigned and the server's challenge supplies them.
        if params.username.is_empty() {
            return Ok(());
        }
        if setting("disableRetryRequest") != "true" {
            builder.challenge = Some(Arc::new(params.clone()));
        }
        if params.realm.is_empty() || params.nonce.is_empty() {
            return Ok(());
        }
        let url = builder.preview_url();
        let body = encode_body(builder.body.clone()).1;
        let value = header(&params, builder.method.as_str(), &request_uri(&url), &body)?;
        builder.secret_header("authorization", &value)
    }
}

impl Challenge for Params {
    fn answer(&self, prepared: &Prepared, challenge: &str) -> Option<Result<Prepared, BuildError>> {
        if !challenge
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("digest ")
        {
            return None;
        }
        let mut params = self.clone();
        params.realm = field(challenge, "realm")?;
        params.nonce = field(challenge, "nonce")?;
        params.opaque = field(challenge, "opaque").unwrap_or_default();
        let offered = field(challenge, "qop").unwrap_or_default();
        if let Some(algorithm) = field(challenge, "algorithm") {
            params.algorithm = algorithm;
        }
        let offers = |qop: &str| offered.split(',').any(|o| o.trim() == qop);
        if offers("auth") || offers("auth-int") || !params.qop.is_empty() {
            if !offers(&params.qop) {
                params.qop = if offers("auth") { "auth" } else { "auth-int" }.to_owned();
            }
            params.client_nonce = random_chars(8, b"0123456789abcdef");
            params.nonce_count = "00000001".to_owned();
        }
        let body = encode_body(prepared.body.clone()).1;
        let uri = request_uri(&prepared.url);
        Some(
            header(&params, prepared.method.as_str(), &uri, &body).and_then(|value| {
                let mut answered = prepared.clone();
                answered.challenge = None;
                answered.set_secret_header("authorization", &value)?;
                Ok(answered)
            }),
        )
    }
}
