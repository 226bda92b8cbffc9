//! Akamai EdgeGrid (`EG1-HMAC-SHA256`) as Postman signs requests: the chosen headers, and
//! for a POST the hash of its body up to `maxBodySize` bytes.

use hmac::{Hmac, Mac};
use sha2::{Digest as _, Sha256};

use super::body::encode_body;
use super::variables::uuid_v4;
use super::{BuildError, Client, RequestBuilder, Signer};

/// The EdgeGrid settings of a collection, by their names in Postman (`headersToSign`,
/// `maxBodySize`, `baseURL`, `nonce`, `timestamp`); the tokens and the client secret appear
/// only as variable templates. The client's [`Client::with_auth_param`] values come first.
#[derive(Debug)]
pub struct EdgeGrid {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// The credentials and choices a request is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Client token.
    pub client_token: String,
    /// Access token.
    pub access_token: String,
    /// Client secret.
    pub client_secret: String,
    /// `20140321T19:34:21+0000`.
    pub timestamp: String,
    /// A value of its own for each request.
    pub nonce: String,
    /// Names of the headers the signature covers, in this order.
    pub headers_to_sign: Vec<String>,
    /// How much of a POST body its hash covers.
    pub max_body: usize,
}

fn hmac_base64(key: &[u8], data: &[u8]) -> Result<String, BuildError> {
    use base64::Engine as _;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .map_err(|e| BuildError::new(format!("EdgeGrid client secret: {e}")))?;
    mac.update(data);
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `Authorization` value for `method scheme://host path_and_query` with `headers` (name,
/// value; names in any case) and `body`, hashed only for a POST.
pub fn header(
    params: &Params,
    method: &str,
    scheme: &str,
    host: &str,
    path_and_query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<String, BuildError> {
    use base64::Engine as _;
    let auth = format!(
        "EG1-HMAC-SHA256 client_token={};access_token={};timestamp={};nonce={};",
        params.client_token, params.access_token, params.timestamp, params.nonce
    );
    let signed_headers: Vec<String> = params
        .headers_to_sign
        .iter()
        .filter_map(|name| {
            let name = name.trim().to_ascii_lowercase();
            let (_, value) = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&name))?;
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            (!value.is_empty()).then(|| format!("{name}:{value}"))
        })
        .collect();
    let body_hash = if method == "POST" && !body.is_empty() {
        let body = &body[..body.len().min(params.max_body)];
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body))
    } else {
        String::new()
    };
    let path = if path_and_query.is_empty() {
        "/"
    } else {
        path_and_query
    };
    let data = [
        method,
        scheme,
        host,
        path,
        &signed_headers.join("\t"),
        &body_hash,
        &auth,
    ]
    .join("\t");
    let key = hmac_base64(params.client_secret.as_bytes(), params.timestamp.as_bytes())?;
    let signature = hmac_base64(key.as_bytes(), data.as_bytes())?;
    Ok(format!("{auth}signature={signature}"))
}

/// Now as EdgeGrid writes it: `20140321T19:34:21+0000`.
fn timestamp() -> String {
    let iso = super::variables::iso_timestamp(super::variables::since_epoch());
    // `2014-03-21T19:34:21.000Z` → `20140321T19:34:21+0000`.
    format!("{}{}+0000", iso[..10].replace('-', ""), &iso[10..19])
}

impl Signer for EdgeGrid {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        // As in Postman, nothing is signed without the two tokens and the secret.
        let (Some(client_token), Some(access_token), Some(client_secret)) = (
            setting("clientToken"),
            setting("accessToken"),
            setting("clientSecret"),
        ) else {
            return Ok(());
        };
        let max_body = match setting("maxBodySize") {
            Some(size) => size.trim().parse().map_err(|_| {
                BuildError::new(format!("EdgeGrid: maxBodySize `{size}` is not a number"))
            })?,
            None => 131_072,
        };
        let params = Params {
            client_token,
            access_token,
            client_secret,
            timestamp: setting("timestamp").unwrap_or_else(timestamp),
            nonce: setting("nonce").unwrap_or_else(uuid_v4),
            headers_to_sign: setting("headersToSign")
                .map(|names| names.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            max_body,
        };
        let url = reqwest::Url::parse(&builder.preview_url())
            .map_err(|e| BuildError::new(format!("EdgeGrid: the URL does not parse: {e}")))?;
        let authority = |url: &reqwest::Url| {
            let host = url.host_str().unwrap_or_default();
            match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            }
        };
        // A `baseURL` setting names the host that is signed.
        let host = match setting("baseURL").map(|base| reqwest::Url::parse(&base)) {
            Some(Ok(base)) => authority(&base),
            _ => authority(&url),
        };
        let path_and_query = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let headers: Vec<(String, String)> = builder
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let (_, body) = encode_body(builder.body.clone());
        let method = builder.method.to_string();
        let value = header(
            &params,
            &method,
            url.scheme(),
            &host,
            &path_and_query,
            &headers,
            &body,
        )?;
        builder.secret_header("authorization", &value)
    }
}
