//! JSON Web Tokens that the client signs for each request, as Postman's `jwt` and `asap`
//! auth build them: the header and the payload as the collection writes them (variables
//! resolved, keys in their order), signed with HS, RS, PS or ES algorithms.

use jsonwebtoken::{crypto::CryptoProvider, Algorithm, EncodingKey};
use serde_json::{Map, Value};

use super::variables::{since_epoch, uuid_v4};
use super::{BuildError, Client, RequestBuilder, Signer};

/// Postman's `jwt` settings, by their names in Postman (`algorithm`, `header`, `payload`,
/// `isSecretBase64Encoded`, `addTokenTo`, `headerPrefix`, `queryParamKey`). The secret and
/// private key appear only as variable templates; the client's [`Client::with_auth_param`]
/// values come first.
#[derive(Debug)]
pub struct Jwt {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// Postman's `asap` (Atlassian service authentication) settings: `alg`, `kid`, `iss`, `sub`,
/// `aud`, `exp` (seconds) and `claims`; the private key only as a variable template.
#[derive(Debug)]
pub struct Asap {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// `header.payload.signature`: the two JSON objects in base64url, signed with `algorithm`
/// (`HS256`, `RS256`, `PS512`, `ES256`, ...) and `key` (the secret for HS algorithms, a PEM
/// private key for the others).
pub fn token(
    algorithm: &str,
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    key: &[u8],
) -> Result<String, BuildError> {
    use base64::Engine as _;
    let error = |e: jsonwebtoken::errors::Error| BuildError::new(format!("JWT: {e}"));
    let parsed: Algorithm = algorithm.parse().map_err(|_| {
        BuildError::new(format!(
            "unsupported JWT algorithm `{algorithm}` (HS, RS and PS 256/384/512, ES256 and ES384 are)"
        ))
    })?;
    let key = match algorithm.get(..2) {
        Some("HS") => EncodingKey::from_secret(key),
        Some("RS" | "PS") => EncodingKey::from_rsa_pem(key),
        _ => EncodingKey::from_ec_pem(key),
    }
    .map_err(|e| {
        BuildError::new(format!(
            "JWT: the key for {algorithm} is not one (a PEM private key for RS, PS and ES): {e}"
        ))
    })?;
    if CryptoProvider::try_get_default().is_none() {
        return Err(BuildError::new(
            "JWT: jsonwebtoken has no single crypto provider; install one with \
             jsonwebtoken::crypto::CryptoProvider::install_default",
        ));
    }
    let encode = |object: &Map<String, Value>| {
        let json = serde_json::to_vec(object).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    };
    let message = format!("{}.{}", encode(header), encode(payload));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, parsed).map_err(error)?;
    Ok(format!("{message}.{signature}"))
}

/// A JSON object from a setting's text; empty text is an empty object.
fn object(name: &str, text: &str) -> Result<Map<String, Value>, BuildError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(BuildError::new(format!(
            "JWT: the {name} is not a JSON object: {text}"
        ))),
    }
}

impl Signer for Jwt {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        let algorithm = setting("algorithm").unwrap_or_else(|| "HS256".to_owned());
        let key = if algorithm.starts_with("HS") {
            let secret = setting("secret").unwrap_or_default();
            if setting("isSecretBase64Encoded").as_deref() == Some("true") {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(secret.trim())
                    .map_err(|e| BuildError::new(format!("JWT: the secret is not base64: {e}")))?
            } else {
                secret.into_bytes()
            }
        } else {
            setting("privateKey").unwrap_or_default().into_bytes()
        };
        // As in Postman, nothing is signed without a key.
        if key.is_empty() {
            return Ok(());
        }
        let mut header = object("header", &setting("header").unwrap_or_default())?;
        header.insert("alg".to_owned(), Value::String(algorithm.clone()));
        let payload = object("payload", &setting("payload").unwrap_or_default())?;
        let token = token(&algorithm, &header, &payload, &key)?;
        if setting("addTokenTo").as_deref() == Some("queryParam") {
            let key = setting("queryParamKey").unwrap_or_else(|| "token".to_owned());
            builder.query.retain(|(name, _, _)| *name != key);
            builder.query.push((key, Some(token), true));
            return Ok(());
        }
        // Postman's prefix is `Bearer` unless set; set to nothing, the token goes alone.
        let prefix = match setting("headerPrefix") {
            Some(prefix) => format!("{prefix} "),
            None if self
                .settings
                .iter()
                .any(|(name, _)| *name == "headerPrefix") =>
            {
                String::new()
            }
            None => "Bearer ".to_owned(),
        };
        builder.secret_header("authorization", &format!("{prefix}{token}"))
    }
}

impl Signer for Asap {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        // As in Postman, nothing is signed without a key.
        let Some(key) = setting("privateKey").map(|key| private_key(&key)) else {
            return Ok(());
        };
        let mut claims = object("claims", &setting("claims").unwrap_or_default())?;
        // A claim the collection's claims give, else the setting of that name.
        let claim = |claims: &Map<String, Value>, name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .filter(|v| !v.is_empty())
                .or_else(|| setting(name))
                .unwrap_or_default()
        };
        let issuer = claim(&claims, "iss");
        let subject = match claim(&claims, "sub") {
            subject if subject.is_empty() => issuer.clone(),
            subject => subject,
        };
        let audience = claim(&claims, "aud");
        let kid = claim(&claims, "kid");
        if issuer.is_empty() || audience.is_empty() || kid.is_empty() {
            return Err(BuildError::new(
                "ASAP: the issuer (iss), audience (aud) and key id (kid) are required",
            ));
        }
        let now = since_epoch().as_secs();
        let issued_at = claims.get("iat").cloned().unwrap_or_else(|| now.into());
        let lifetime = setting("exp")
            .and_then(|exp| exp.trim().parse::<u64>().ok())
            .unwrap_or(3600);
        let expires = claims
            .get("exp")
            .cloned()
            .unwrap_or_else(|| (now + lifetime).into());
        let jti = claim(&claims, "jti");
        let jti = if jti.is_empty() { uuid_v4() } else { jti };
        // The order in which Postman sets them.
        claims.insert("iat".to_owned(), issued_at);
        claims.insert("iss".to_owned(), issuer.into());
        claims.insert("sub".to_owned(), subject.into());
        claims.insert("jti".to_owned(), jti.into());
        claims.insert("aud".to_owned(), audience.into());
        claims.insert("exp".to_owned(), expires);
        let algorithm = setting("alg").unwrap_or_else(|| "RS256".to_owned());
        if algorithm.starts_with("HS") {
            return Err(BuildError::new(format!(
                "ASAP signs with a private key; `{algorithm}` is not an ASAP algorithm"
            )));
        }
        let mut header = Map::new();
        header.insert("alg".to_owned(), algorithm.clone().into());
        header.insert("kid".to_owned(), kid.into());
        let token = token(&algorithm, &header, &claims, &key)?;
        builder.secret_header("authorization", &format!("Bearer {token}"))
    }
}

/// A PEM private key from Postman's forms of it: PEM text, or an ASAP data URI
/// (`data:application/pkcs8;kid=...;base64,...`).
fn private_key(text: &str) -> Vec<u8> {
    let text = text.trim().trim_matches('"');
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    match decoded.split_once(";base64,") {
        Some((scheme, body)) if scheme.starts_with("data:") => {
            let lines: Vec<&str> = body
                .as_bytes()
                .chunks(64)
                .filter_map(|chunk| std::str::from_utf8(chunk).ok())
                .collect();
            format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                lines.join("\n")
            )
            .into_bytes()
        }
        _ => text.replace("\\n", "\n").into_bytes(),
    }
}
