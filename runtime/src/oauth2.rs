//! OAuth 2.0 access tokens fetched with the collection's grant (RFC 6749): client credentials,
//! password, and the refresh token grant, which also serves the interactive grants once the
//! caller gives a refresh token (`refreshToken`).

use std::sync::Arc;
use std::time::Duration;

use super::error::excerpt;
use super::{
    AccessToken, Client, RawResponse, RequestBuilder, Secret, TokenError, TokenFuture, TokenGrant,
    TokenSource,
};

/// The OAuth 2.0 settings of a collection, by their names in Postman (`accessTokenUrl`,
/// `grant_type`, `scope`, `client_authentication`, ...). Credentials (`clientId`,
/// `clientSecret`, `password`, `refreshToken`) appear only as variable templates; the
/// client's [`Client::with_auth_param`] values come first.
#[derive(Debug)]
pub struct Grant {
    /// Setting name and value as the collection writes it.
    pub settings: &'static [(&'static str, &'static str)],
}

/// What the token request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    ClientCredentials,
    Password {
        username: String,
        password: Secret,
    },
    /// Only a refresh token: the interactive grants, after the caller's first token.
    Refresh(Secret),
}

/// A token endpoint and what to send it.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    url: String,
    client_id: String,
    client_secret: Option<Secret>,
    /// Client credentials in the body instead of a basic `Authorization` header.
    credentials_in_body: bool,
    scope: Option<String>,
    audience: Option<String>,
    resource: Option<String>,
    kind: Kind,
}

impl TokenGrant for Grant {
    fn source(
        &self,
        builder: &RequestBuilder,
        client: &Client,
    ) -> Option<(String, Arc<dyn TokenSource>)> {
        let setting = |name: &str| builder.auth_setting(client, self.settings, name);
        let url = setting("accessTokenUrl")?;
        let client_id = setting("clientId")?;
        let grant_type = setting("grant_type")
            .or_else(|| setting("grantType"))
            .unwrap_or_default();
        let kind = match grant_type.as_str() {
            "client_credentials" => Kind::ClientCredentials,
            "password_credentials" | "password" => Kind::Password {
                username: setting("username").unwrap_or_default(),
                password: Secret::new(setting("password").unwrap_or_default()),
            },
            _ => Kind::Refresh(Secret::new(setting("refreshToken")?)),
        };
        let client_auth = setting("client_authentication").or_else(|| setting("clientAuth"));
        let request = TokenRequest {
            client_secret: setting("clientSecret").map(Secret::new),
            credentials_in_body: client_auth.as_deref() == Some("body"),
            scope: setting("scope"),
            audience: setting("audience"),
            resource: setting("resource"),
            kind,
            url,
            client_id,
        };
        let key = format!(
            "{} {} {:?} {}",
            request.url,
            request.client_id,
            request.kind_name(),
            request.scope.as_deref().unwrap_or_default()
        );
        Some((key, Arc::new(request)))
    }
}

impl TokenRequest {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::ClientCredentials => "client_credentials",
            Kind::Password { .. } => "password",
            Kind::Refresh(_) => "refresh_token",
        }
    }

    /// The form fields of the request: the grant's, then the client's when they go in the body.
    fn fields(&self, refresh: Option<&Secret>) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        match (refresh, &self.kind) {
            (Some(token), _) | (None, Kind::Refresh(token)) => {
                fields.push(("grant_type", "refresh_token".to_owned()));
                fields.push(("refresh_token", token.expose().to_owned()));
            }
            (None, Kind::ClientCredentials) => {
                fields.push(("grant_type", "client_credentials".to_owned()));
            }
            (None, Kind::Password { username, password }) => {
                fields.push(("grant_type", "password".to_owned()));
                fields.push(("username", username.clone()));
                fields.push(("password", password.expose().to_owned()));
            }
        }
        for (name, value) in [
            ("scope", &self.scope),
            ("audience", &self.audience),
            ("resource", &self.resource),
        ] {
            if let Some(value) = value {
                fields.push((name, value.clone()));
            }
        }
        if self.credentials_in_body {
            fields.push(("client_id", self.client_id.clone()));
            if let Some(secret) = &self.client_secret {
                fields.push(("client_secret", secret.expose().to_owned()));
            }
        }
        fields
    }

    /// Asks the token endpoint once.
    async fn ask(
        &self,
        http: &reqwest::Client,
        refresh: Option<&Secret>,
    ) -> Result<AccessToken, TokenError> {
        let failed = |what: &str| format!("OAuth 2.0 token request to {} {what}", self.url);
        let body = super::Body::Form(
            self.fields(refresh)
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        );
        let (content_type, bytes) = super::body::encode_body(body);
        let mut request = http
            .post(&self.url)
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::CONTENT_TYPE, content_type.unwrap_or_default())
            .body(bytes);
        if !self.credentials_in_body {
            let secret = self.client_secret.as_ref().map(Secret::expose);
            request = request.basic_auth(&self.client_id, secret);
        }
        let response = request
            .send()
            .await
            .map_err(|e| TokenError::new(failed("failed")).with_source(e.without_url()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| TokenError::new(failed("failed")).with_source(e.without_url()))?;
        let mut raw = http::Response::new(bytes.to_vec());
        *raw.status_mut() = status;
        *raw.headers_mut() = headers;
        let raw = RawResponse::from_http(raw);
        if !status.is_success() {
            let message = failed(&format!("got {status}: {}", excerpt(&raw.body)));
            return Err(TokenError::new(message).with_response(raw));
        }
        match read_token(&raw.body) {
            Some(token) => Ok(token),
            None => {
                let message = failed("got no access_token in its response");
                Err(TokenError::new(message).with_response(raw))
            }
        }
    }
}

impl TokenSource for TokenRequest {
    fn fetch<'a>(
        &'a self,
        http: &'a reqwest::Client,
        previous: Option<&'a AccessToken>,
    ) -> TokenFuture<'a> {
        Box::pin(async move {
            // A refresh token from the last answer is tried first; the grant itself after.
            let refresh = previous
                .and_then(AccessToken::refresh_token)
                .filter(|_| !matches!(self.kind, Kind::Refresh(_)));
            let refreshed = match refresh {
                Some(refresh) => self.ask(http, Some(refresh)).await.ok(),
                None => None,
            };
            match refreshed {
                Some(token) => Ok(token),
                None => self.ask(http, None).await,
            }
        })
    }
}

/// The token in a token endpoint's answer: JSON, or a form as some older servers send.
pub fn read_token(body: &[u8]) -> Option<AccessToken> {
    let fields: Vec<(String, String)> = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(key, value)| match value {
                serde_json::Value::String(text) => Some((key, text)),
                serde_json::Value::Number(number) => Some((key, number.to_string())),
                _ => None,
            })
            .collect(),
        Ok(_) => return None,
        Err(_) => std::str::from_utf8(body)
            .ok()?
            .split('&')
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                let decode = |text: &str| {
                    percent_encoding::percent_decode_str(&text.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                };
                Some((decode(key), decode(value)))
            })
            .collect(),
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let mut token = AccessToken::new(field("access_token").filter(|t| !t.is_empty())?);
    let lifetime = field("expires_in").and_then(|s| s.trim().parse::<f64>().ok());
    if let Some(seconds) = lifetime.filter(|s| s.is_finite()) {
        token = token.expiring_in(Duration::from_secs_f64(seconds.clamp(0.0, 1e9)));
    }
    if let Some(refresh) = field("refresh_token").filter(|t| !t.is_empty()) {
        token = token.with_refresh_token(refresh);
    }
    Some(token)
}
