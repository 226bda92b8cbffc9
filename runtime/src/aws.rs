//! AWS Signature Version 4 as Postman's `awsv4` auth applies it, signed by the `aws-sigv4`
//! crate: the request's headers and `host`, `X-Amz-Content-Sha256` when there is a body, a
//! session token, and the whole signature in the query instead (`addAuthDataToQuery`).

use std::time::SystemTime;

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode,
};

use super::body::encode_body;
use super::{BuildError, Client, RequestBuilder, Signer};

/// The AWS settings of a collection, by their names in Postman (`service`, `region`,
/// `addAuthDataToQuery`); the keys and session token appear only as variable templates. The
/// client's [`Client::with_auth_param`] values (`accessKey`, `secretKey`, `sessionToken`, ...)
/// come first.
#[derive(Debug)]
pub struct AwsV4 {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// What a request is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// Access key id.
    pub access_key: String,
    /// Secret access key.
    pub secret_key: String,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
    /// Region, e.g. `us-east-1` (Postman's default).
    pub region: String,
    /// Service, e.g. `execute-api` (Postman's default) or `s3`.
    pub service: String,
}

/// What signs a request: headers, or query parameters (name, value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Headers to set (`Authorization`, `X-Amz-Date`, ...).
    pub headers: Vec<(String, String)>,
    /// Query parameters to append (`X-Amz-Signature`, ...).
    pub query: Vec<(String, String)>,
}

/// The signature of the request `method url` with `headers` and `body` at `time`; in the
/// query, valid for `in_query`, when it is set.
pub fn signature(
    keys: &Keys,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    time: SystemTime,
    in_query: Option<std::time::Duration>,
) -> Result<Signature, BuildError> {
    let error = |e: &dyn std::fmt::Display| BuildError::new(format!("AWS Signature V4: {e}"));
    let identity = aws_credential_types::Credentials::new(
        &keys.access_key,
        &keys.secret_key,
        keys.session_token.clone(),
        None,
        "collection",
    )
    .into();
    let mut settings = SigningSettings::default();
    // As in Postman, the body's hash is a header when there is a body.
    if !body.is_empty() && in_query.is_none() {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    if let Some(lifetime) = in_query {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(lifetime);
    }
    // S3 signs the path as it is sent, encoded once and not normalized.
    if keys.service == "s3" {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&keys.region)
        .name(&keys.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| error(&e))?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| error(&e))?;
    let (instructions, _) = aws_sigv4::http_request::sign(request, &params)
        .map_err(|e| error(&e))?
        .into_parts();
    let (headers, params) = instructions.into_parts();
    Ok(Signature {
        headers: headers
            .iter()
            .map(|h| (h.name().to_owned(), h.value().to_owned()))
            .collect(),
        query: params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_owned()))
            .collect(),
    })
}

impl Signer for AwsV4 {
    fn sign(&self, builder: &mut RequestBuilder, client: &Client) -> Result<(), BuildError> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        // As in Postman, nothing is signed without both keys.
        let (Some(access_key), Some(secret_key)) = (setting("accessKey"), setting("secretKey"))
        else {
            return Ok(());
        };
        let keys = Keys {
            access_key,
            secret_key,
            session_token: setting("sessionToken"),
            region: setting("region").unwrap_or_else(|| "us-east-1".to_owned()),
            service: setting("service").unwrap_or_else(|| "execute-api".to_owned()),
        };
        // Signatures in the query last a day, as Postman's.
        let in_query = (setting("addAuthDataToQuery").as_deref() == Some("true"))
            .then_some(std::time::Duration::from_secs(86_400));
        let url = builder.preview_url();
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_owned();
                Some(match u.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                })
            })
            .ok_or_else(|| BuildError::new(format!("AWS Signature V4: no host in `{url}`")))?;
        let mut headers = vec![("host".to_owned(), host)];
        for (name, value) in &builder.headers {
            if let Ok(value) = value.to_str() {
                headers.push((name.as_str().to_owned(), value.to_owned()));
            }
        }
        let (_, body) = encode_body(builder.body.clone());
        let method = builder.method.to_string();
        let signed = signature(
            &keys,
            &method,
            &url,
            &headers,
            &body,
            SystemTime::now(),
            in_query,
        )?;
        for (name, value) in signed.headers {
            let secret = name.eq_ignore_ascii_case("authorization")
                || name.eq_ignore_ascii_case("x-amz-security-token");
            if secret {
                builder.secret_header(&name, &value)?;
            } else {
                builder.header(&name, &value);
            }
        }
        for (name, value) in signed.query {
            let secret = matches!(
                name.as_str(),
                "X-Amz-Signature" | "X-Amz-Credential" | "X-Amz-Security-Token"
            );
            builder.query.push((name, Some(value), secret));
        }
        Ok(())
    }
}
