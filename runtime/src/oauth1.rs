//! OAuth 1.0a (RFC 5849) as Postman signs requests: HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 and
//! PLAINTEXT, parameters in the `Authorization` header, the url-encoded body or the query.

use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::variables::{random_chars, unix_time};
use super::{Body, BuildError, Client, RequestBuilder, Signer, NONCE_CHARS};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The OAuth 1.0a settings of a collection, by their names in Postman (`signatureMethod`,
/// `addParamsToHeader`, `consumerKey`, ...). Secrets appear only as variable templates; the
/// client's [`Client::with_auth_param`] values come first.
#[derive(Debug)]
pub struct OAuth1 {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// `text` percent-encoded as OAuth 1.0a asks (RFC 5849, section 3.6).
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// The signature base string (RFC 5849, section 3.4.1): method, base URL (scheme and host in
/// lower case, default port left out, no query) and the sorted, encoded parameters.
pub fn base_string(method: &str, url: &str, parameters: &[(String, String)]) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let base = reqwest::Url::parse(base).map_or_else(
        |_| base.to_owned(),
        |parsed| {
            let mut normalized = format!(
                "{}://{}",
                parsed.scheme(),
                parsed.host_str().unwrap_or_default().to_ascii_lowercase()
            );
            if let Some(port) = parsed.port() {
                normalized.push_str(&format!(":{port}"));
            }
            normalized.push_str(parsed.path());
            normalized
        },
    );
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (encode(&decode(key)), encode(&decode(value)))
        })
        .chain(parameters.iter().map(|(k, v)| (encode(k), encode(v))))
        .collect();
    pairs.sort();
    let normalized: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{}&{}&{}",
        encode(&method.to_ascii_uppercase()),
        encode(&base),
        encode(&normalized.join("&"))
    )
}

/// The signature of `base_string` with `method` (`HMAC-SHA1`, `HMAC-SHA256`, `HMAC-SHA512`,
/// `PLAINTEXT`), keyed by the consumer and token secrets (RFC 5849, section 3.4).
pub fn signature(
    method: &str,
    base_string: &str,
    consumer_secret: &str,
    token_secret: &str,
) -> Result<String, BuildError> {
    use base64::Engine as _;
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    let (key_bytes, text) = (key.as_bytes(), base_string.as_bytes());
    let digest = match method.to_ascii_uppercase().as_str() {
        "PLAINTEXT" => return Ok(key),
        "HMAC-SHA1" => Hmac::<sha1::Sha1>::new_from_slice(key_bytes)
            .map(|mac| mac.chain_update(text).finalize().into_bytes().to_vec()),
        "HMAC-SHA256" => Hmac::<sha2::Sha256>::new_from_slice(key_bytes)
            .map(|mac| mac.chain_update(text).finalize().into_bytes().to_vec()),
        "HMAC-SHA512" => Hmac::<sha2::Sha512>::new_from_slice(key_bytes)
            .map(|mac| mac.chain_update(text).finalize().into_bytes().to_vec()),
        other => {
            return Err(BuildError::new(format!(
                "OAuth 1.0 signature method `{other}` is not supported \
                 (HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 and PLAINTEXT are)"
            )))
        }
    }
    .map_err(|e| BuildError::new(format!("OAuth 1.0 key: {e}")))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The `oauth_body_hash` of `body` for `method` (the hash its name ends in), as Postman
/// computes it for bodies that are not url-encoded forms; `None` where it has none.
fn body_hash(method: &str, body: &Body) -> Option<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let bytes = match body {
        Body::Empty => &[][..],
        Body::Bytes { bytes, .. } => bytes.as_slice(),
        Body::Form(_) | Body::Multipart(_) => return None,
    };
    let digest = match method.to_ascii_uppercase().rsplit('-').next()? {
        "SHA1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA512" => sha2::Sha512::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(base64::engine::general_purpose::STANDARD.encode(digest))
}

impl Signer for OAuth1 {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        let flag = |name: &str| setting(name).is_some_and(|v| v == "true");
        // As in Postman, nothing is signed without a consumer key and secret.
        let (Some(consumer_key), Some(consumer_secret)) =
            (setting("consumerKey"), setting("consumerSecret"))
        else {
            return Ok(());
        };
        let method = setting("signatureMethod").unwrap_or_else(|| "HMAC-SHA1".to_owned());
        let timestamp = setting("timestamp").unwrap_or_else(unix_time);
        let nonce = setting("nonce").unwrap_or_else(|| random_chars(11, NONCE_CHARS));
        let add_empty = flag("addEmptyParamsToSign");
        let mut oauth: Vec<(String, String)> = [
            ("oauth_consumer_key", Some(consumer_key)),
            ("oauth_token", setting("token")),
            ("oauth_signature_method", Some(method.clone())),
            ("oauth_timestamp", Some(timestamp)),
            ("oauth_nonce", Some(nonce)),
            ("oauth_version", setting("version")),
        ]
        .into_iter()
        .filter_map(|(key, value)| match value {
            Some(value) => Some((key.to_owned(), value)),
            None => add_empty.then(|| (key.to_owned(), String::new())),
        })
        .collect();
        let form = match &builder.body {
            Body::Form(fields) => Some(fields.clone()),
            _ => None,
        };
        // The extensions are signed only when they have a value, whatever `addEmptyParamsToSign`.
        let body_hash = flag("includeBodyHash")
            .then(|| body_hash(&method, &builder.body))
            .flatten();
        oauth.extend(body_hash.map(|hash| ("oauth_body_hash".to_owned(), hash)));
        for (key, name) in [
            ("oauth_callback", "callback"),
            ("oauth_verifier", "verifier"),
        ] {
            oauth.extend(setting(name).map(|value| (key.to_owned(), value)));
        }
        let mut signed = oauth.clone();
        signed.extend(form.iter().flatten().cloned());
        signed.extend(
            builder
                .query
                .iter()
                .map(|(k, v, _)| (k.clone(), v.clone().unwrap_or_default())),
        );
        let base = base_string(builder.method.as_str(), &builder.url, &signed);
        let token_secret = setting("tokenSecret").unwrap_or_default();
        oauth.push((
            "oauth_signature".to_owned(),
            signature(&method, &base, &consumer_secret, &token_secret)?,
        ));
        let post_or_put = matches!(builder.method.as_str(), "POST" | "PUT");
        if flag("addParamsToHeader") {
            let realm = setting("realm").map(|realm| format!("realm=\"{}\"", encode(&realm)));
            let params = oauth
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(key, value)| format!("{}=\"{}\"", encode(key), encode(value)));
            let header: Vec<String> = realm.into_iter().chain(params).collect();
            builder.secret_header("authorization", &format!("OAuth {}", header.join(",")))
        } else if let (true, Some(mut fields)) = (post_or_put, form) {
            fields.extend(oauth);
            builder.body = Body::Form(fields);
            Ok(())
        } else {
            for (key, value) in oauth {
                let secret = key == "oauth_signature";
                builder.query.push((key, Some(value), secret));
            }
            Ok(())
        }
    }
}
