//! Hawk authentication as Postman signs requests: `sha256` or `sha1` MACs over the request
//! (and its payload with `includePayloadHash`), `ext`, `app` and `dlg`.

use hmac::{Hmac, Mac};
use sha2::Digest as _;

use super::body::encode_body;
use super::variables::{random_chars, unix_time};
use super::{BuildError, Client, RequestBuilder, Signer, NONCE_CHARS};

/// The Hawk settings of a collection, by their names in Postman (`algorithm`, `nonce`,
/// `timestamp`, `extraData`, `app`, `delegation`, `includePayloadHash`, ...). The key appears
/// only as a variable template; the client's [`Client::with_auth_param`] values come first.
#[derive(Debug)]
pub struct Hawk {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// What a Hawk MAC covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Artifacts {
    /// Seconds since the Unix epoch.
    pub ts: String,
    /// Nonce.
    pub nonce: String,
    /// Request method.
    pub method: String,
    /// Path and query.
    pub resource: String,
    /// Host name.
    pub host: String,
    /// Port (80 or 443 when the URL has none).
    pub port: u16,
    /// Payload hash, or empty.
    pub hash: String,
    /// Application data (`ext`), or empty.
    pub ext: String,
    /// Application id, or empty.
    pub app: String,
    /// Delegated-by application id, or empty.
    pub dlg: String,
}

/// `HMAC(key, text)` in base64 for `algorithm` (`sha256` or `sha1`).
fn mac(algorithm: &str, key: &str, text: &str) -> Result<String, BuildError> {
    use base64::Engine as _;
    let error = |e: hmac::digest::InvalidLength| BuildError::new(format!("Hawk key: {e}"));
    let digest = match algorithm {
        "sha256" => Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes())
            .map_err(error)?
            .chain_update(text)
            .finalize()
            .into_bytes()
            .to_vec(),
        "sha1" => Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes())
            .map_err(error)?
            .chain_update(text)
            .finalize()
            .into_bytes()
            .to_vec(),
        other => return Err(unsupported(other)),
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(digest))
}

fn unsupported(algorithm: &str) -> BuildError {
    BuildError::new(format!(
        "unsupported Hawk algorithm `{algorithm}` (sha256 and sha1 are)"
    ))
}

/// The payload hash of `payload` sent as `content_type` (its media type only).
pub fn payload_hash(
    algorithm: &str,
    content_type: &str,
    payload: &[u8],
) -> Result<String, BuildError> {
    use base64::Engine as _;
    let media_type = content_type.split(';').next().unwrap_or_default();
    let mut text = format!(
        "hawk.1.payload\n{}\n",
        media_type.trim().to_ascii_lowercase()
    )
    .into_bytes();
    text.extend_from_slice(payload);
    text.push(b'\n');
    let digest = match algorithm {
        "sha256" => sha2::Sha256::digest(&text).to_vec(),
        "sha1" => sha1::Sha1::digest(&text).to_vec(),
        other => return Err(unsupported(other)),
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The `Authorization` value for `artifacts`, signed by `id` and `key` with `algorithm`.
pub fn header(
    id: &str,
    key: &str,
    algorithm: &str,
    artifacts: &Artifacts,
) -> Result<String, BuildError> {
    let a = artifacts;
    let mut normalized = format!(
        "hawk.1.header\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        a.ts,
        a.nonce,
        a.method.to_ascii_uppercase(),
        a.resource,
        a.host.to_ascii_lowercase(),
        a.port,
        a.hash
    );
    normalized.push_str(&a.ext.replacen('\\', "\\\\", 1).replacen('\n', "\\n", 1));
    normalized.push('\n');
    if !a.app.is_empty() {
        normalized.push_str(&format!("{}\n{}\n", a.app, a.dlg));
    }
    let mac = mac(algorithm, key, &normalized)?;
    let mut value = format!("Hawk id=\"{id}\", ts=\"{}\", nonce=\"{}\"", a.ts, a.nonce);
    if !a.hash.is_empty() {
        value.push_str(&format!(", hash=\"{}\"", a.hash));
    }
    if !a.ext.is_empty() {
        let ext = a.ext.replace('\\', "\\\\").replace('"', "\\\"");
        value.push_str(&format!(", ext=\"{ext}\""));
    }
    value.push_str(&format!(", mac=\"{mac}\""));
    if !a.app.is_empty() {
        value.push_str(&format!(", app=\"{}\"", a.app));
        if !a.dlg.is_empty() {
            value.push_str(&format!(", dlg=\"{}\"", a.dlg));
        }
    }
    Ok(value)
}

impl Signer for Hawk {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| {
            builder
                .auth_setting(client, self.settings, name)
                .unwrap_or_default()
        };
        // As in Postman, nothing is signed without an id and a key.
        let (id, key) = (setting("authId"), setting("authKey"));
        if id.is_empty() || key.is_empty() {
            return Ok(());
        }
        let algorithm = match setting("algorithm") {
            algorithm if algorithm.is_empty() => "sha256".to_owned(),
            algorithm => algorithm,
        };
        let url = reqwest::Url::parse(&builder.preview_url())
            .map_err(|e| BuildError::new(format!("Hawk: the URL does not parse: {e}")))?;
        let hash = if setting("includePayloadHash") == "true" {
            let (body_type, payload) = encode_body(builder.body.clone());
            let declared = builder
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let content_type = declared.or(body_type).unwrap_or_default();
            payload_hash(&algorithm, &content_type, &payload)?
        } else {
            String::new()
        };
        let ts = match setting("timestamp") {
            ts if ts.parse::<u64>().is_ok_and(|t| t > 0) => ts,
            _ => unix_time(),
        };
        let nonce = match setting("nonce") {
            nonce if nonce.is_empty() => random_chars(6, NONCE_CHARS),
            nonce => nonce,
        };
        let artifacts = Artifacts {
            ts,
            nonce,
            method: builder.method.to_string(),
            resource: match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            },
            host: url.host_str().unwrap_or_default().to_owned(),
            port: url.port_or_known_default().unwrap_or(443),
            hash,
            ext: setting("extraData"),
            app: setting("app"),
            dlg: setting("delegation"),
        };
        let value = header(&id, &key, &algorithm, &artifacts)?;
        builder.secret_header("authorization", &value)
    }
}
