//! Authentication: the inherited auth block (collection → folder → request) or a hand-written
//! `Authorization` header, resolved to one scheme.

use super::{Auth, AuthModule};
use crate::collection::{self, Auth as AuthBlock, AuthKind};
use crate::diagnostics::Diagnostics;

/// The scheme of an auth block; unsupported kinds warn and send no credentials.
pub fn resolve(block: Option<&AuthBlock>, item_path: &[String], diags: &mut Diagnostics) -> Auth {
    let Some(block) = block else {
        return Auth::None;
    };
    check_secret(block, item_path, diags);
    let auth = scheme(block, item_path, diags);
    if let Auth::Signed { scheme, .. } = &auth {
        check_algorithm(block, *scheme, item_path, diags);
    }
    auth
}

/// The scheme of a present auth block.
fn scheme(block: &AuthBlock, item_path: &[String], diags: &mut Diagnostics) -> Auth {
    match &block.kind {
        AuthKind::NoAuth | AuthKind::Inherit => Auth::None,
        AuthKind::Bearer => token(
            "Authorization",
            "Bearer ",
            template(block.param("token")),
            false,
        ),
        AuthKind::OAuth2 => oauth2(block),
        AuthKind::Basic => {
            let password = template(block.param("password"));
            // A literal user name goes into the code only beside a password given through a
            // variable: alone, it may be the secret itself (an API key sent as the user).
            let user = block
                .param("username")
                .map(str::trim)
                .filter(|u| !u.is_empty());
            let user = match user {
                Some(user) if user.contains("{{") || password.is_some() => Some(user.to_owned()),
                _ => None,
            };
            Auth::Basic { user, password }
        }
        AuthKind::ApiKey => {
            let name = block.param("key").filter(|k| !k.trim().is_empty());
            let name = name.unwrap_or("X-API-Key").to_owned();
            let value = block.param("value").unwrap_or_default();
            let prefix = value_prefix(value);
            Auth::ApiKey {
                credential: template(value.get(prefix.len()..)),
                name,
                prefix,
                in_query: block.param("in") == Some("query"),
            }
        }
        AuthKind::OAuth1 => oauth1(block, item_path, diags),
        AuthKind::Digest => digest(block),
        AuthKind::Hawk => hawk(block),
        AuthKind::Jwt => jwt(block),
        AuthKind::AwsV4 => signed(AuthModule::AwsV4, block, |name, value| {
            !matches!(name, "accessKey" | "secretKey" | "sessionToken") || value.contains("{{")
        }),
        AuthKind::EdgeGrid => signed(AuthModule::EdgeGrid, block, |name, value| {
            !matches!(name, "accessToken" | "clientToken" | "clientSecret") || value.contains("{{")
        }),
        AuthKind::Asap => asap(block),
        AuthKind::Ntlm => {
            diags.warn(
                item_path,
                &block.location,
                "auth type `ntlm` is not supported: NTLM authenticates a connection in a \
                 three-message handshake that must stay on one kept-alive connection, which the \
                 HTTP client does not guarantee; requests are sent without it",
            );
            Auth::None
        }
        AuthKind::Other(other) => {
            diags.warn(
                item_path,
                &block.location,
                format!("auth type `{other}` is not supported; requests are sent without it"),
            );
            Auth::None
        }
    }
}

/// OAuth 1.0a with the block's settings; literal credentials stay out of the code. Without a
/// consumer key Postman signs nothing (a hand-written `Authorization` header then goes as it
/// is), and RSA signatures are not supported.
fn oauth1(block: &AuthBlock, item_path: &[String], diags: &mut Diagnostics) -> Auth {
    const CREDENTIALS: &[&str] = &[
        "consumerKey",
        "consumerSecret",
        "token",
        "tokenSecret",
        "privateKey",
    ];
    let method = block.param("signatureMethod").unwrap_or_default();
    if method.trim().to_ascii_uppercase().starts_with("RSA") {
        diags.warn(
            item_path,
            &block.location,
            format!("OAuth 1.0 signature method `{method}` is not supported; requests are sent without it"),
        );
        return Auth::None;
    }
    if block
        .param("consumerKey")
        .is_none_or(|key| key.trim().is_empty())
    {
        return Auth::None;
    }
    signed(AuthModule::OAuth1, block, |name, value| {
        !CREDENTIALS.contains(&name) || value.contains("{{")
    })
}

/// OAuth 2.0: the access token, and the grant that fetches one when the block names a token
/// URL. Secrets (client secret, password, tokens) and the client id go into the code only as
/// variable templates.
fn oauth2(block: &AuthBlock) -> Auth {
    const CREDENTIALS: &[&str] = &[
        "accessToken",
        "clientId",
        "clientSecret",
        "password",
        "refreshToken",
        "id_token",
    ];
    let prefix = block.param("headerPrefix").unwrap_or("Bearer").trim();
    let has_token_url = block
        .param("accessTokenUrl")
        .is_some_and(|url| !url.trim().is_empty());
    let grant = if has_token_url {
        block
            .params
            .iter()
            .filter(|(name, value)| {
                !value.trim().is_empty()
                    && name != "accessToken"
                    && (!CREDENTIALS.contains(&name.as_str()) || value.contains("{{"))
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    } else {
        Vec::new()
    };
    Auth::OAuth2 {
        prefix: with_space(prefix),
        in_query: block.param("addTokenTo") == Some("queryParams"),
        credential: template(block.param("accessToken")),
        grant,
    }
}

/// `scheme` with the block's settings that have a value and that `keep` keeps.
fn signed(scheme: AuthModule, block: &AuthBlock, keep: impl Fn(&str, &str) -> bool) -> Auth {
    let settings = block
        .params
        .iter()
        .filter(|(name, value)| !value.trim().is_empty() && keep(name, value))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Auth::Signed { scheme, settings }
}

/// Digest with the block's settings. The password goes into the code only as a variable
/// template, and a literal user name only beside one (alone, it may be the secret itself).
/// Without a user name Postman signs nothing.
fn digest(block: &AuthBlock) -> Auth {
    let templated = |name: &str| block.param(name).is_some_and(|v| v.contains("{{"));
    if block.param("username").is_none_or(|u| u.trim().is_empty()) {
        return Auth::None;
    }
    let keep_user = templated("username") || templated("password");
    signed(AuthModule::Digest, block, |name, value| match name {
        "password" => value.contains("{{"),
        "username" => keep_user,
        _ => true,
    })
}

/// Hawk with the block's settings; the key goes into the code only as a variable template.
/// Without an id Postman signs nothing.
fn hawk(block: &AuthBlock) -> Auth {
    if block.param("authId").is_none_or(|id| id.trim().is_empty()) {
        return Auth::None;
    }
    signed(AuthModule::Hawk, block, |name, value| {
        name != "authKey" || value.contains("{{")
    })
}

/// Warns (once per block) when a signing block names no secret at all, neither written nor
/// as a variable: its requests go unsigned, as in Postman, until the client sets one.
fn check_secret(block: &AuthBlock, item_path: &[String], diags: &mut Diagnostics) {
    let given = |name: &str| block.param(name).is_some_and(|v| !v.trim().is_empty());
    let secret = match block.kind {
        AuthKind::OAuth1 if given("consumerKey") => "consumerSecret",
        AuthKind::Hawk if given("authId") => "authKey",
        AuthKind::AwsV4 => "secretKey",
        AuthKind::EdgeGrid => "clientSecret",
        AuthKind::Asap => "privateKey",
        AuthKind::Jwt
            if block
                .param("algorithm")
                .is_none_or(|a| a.trim().starts_with("HS")) =>
        {
            "secret"
        }
        AuthKind::Jwt => "privateKey",
        _ => return,
    };
    if !given(secret) {
        diags.warn_once(
            item_path,
            &block.location,
            format!(
                "{} auth has no `{secret}`: its requests go unsigned until the client sets it \
                 (`with_auth_param(\"{secret}\", ...)`)",
                block.kind
            ),
        );
    }
}

/// Warns when a block that signs names an algorithm the runtime cannot sign with: its
/// requests then fail to build, with the same message, rather than go out unsigned.
fn check_algorithm(
    block: &AuthBlock,
    scheme: AuthModule,
    item_path: &[String],
    diags: &mut Diagnostics,
) {
    let Some((setting, supported)) = scheme.algorithms() else {
        return;
    };
    let Some(algorithm) = block.param(setting).map(str::trim) else {
        return;
    };
    if algorithm.is_empty() || algorithm.contains("{{") || supported.contains(&algorithm) {
        return;
    }
    diags.warn(
        item_path,
        &block.location,
        format!(
            "{} algorithm `{algorithm}` is not supported ({} are); its requests fail to build",
            block.kind,
            supported.join(", ")
        ),
    );
}

/// Postman's `jwt`: a token signed per request. The secret and private key go into the code
/// only as variable templates; an empty header prefix is kept (the token goes alone).
fn jwt(block: &AuthBlock) -> Auth {
    let mut auth = signed(AuthModule::Jwt, block, |name, value| {
        !matches!(name, "secret" | "privateKey") || value.contains("{{")
    });
    let empty_prefix = block.param("headerPrefix").is_some_and(str::is_empty);
    if let (Auth::Signed { settings, .. }, true) = (&mut auth, empty_prefix) {
        settings.push(("headerPrefix".to_owned(), String::new()));
    }
    auth
}

/// Postman's `asap`: the private key goes into the code only as a variable template.
fn asap(block: &AuthBlock) -> Auth {
    signed(AuthModule::Asap, block, |name, value| {
        name != "privateKey" || value.contains("{{")
    })
}

/// The scheme a hand-written `Authorization: Scheme {{token}}` header describes.
pub fn from_header(header: &collection::KeyValue) -> Auth {
    let value = header.value.as_deref().unwrap_or_default().trim();
    if value.to_ascii_lowercase().starts_with("basic ") {
        return Auth::Basic {
            user: None,
            password: None,
        };
    }
    let prefix = value_prefix(value);
    token(
        &header.key,
        &prefix,
        template(value.get(prefix.len()..)),
        true,
    )
}

fn token(header: &str, prefix: &str, credential: Option<String>, written: bool) -> Auth {
    Auth::Token {
        header: header.to_owned(),
        prefix: prefix.to_owned(),
        credential,
        written,
    }
}

/// A credential the collection gives through variables; literal ones stay out of the code.
fn template(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| v.contains("{{"))
        .map(str::to_owned)
}

/// The text before the credential: everything before `{{`, or the first word of a literal
/// `Scheme credential` value.
fn value_prefix(value: &str) -> String {
    if let Some(start) = value.find("{{") {
        return value[..start].to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _)) => with_space(scheme),
        None => String::new(),
    }
}

fn with_space(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix} ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: &str, params: &[(&str, &str)]) -> AuthBlock {
        AuthBlock {
            kind: AuthKind::from_name(kind),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            location: "/auth".into(),
        }
    }

    #[test]
    fn oauth2_header_prefix_gives_custom_scheme() {
        let mut diags = Diagnostics::new("x.json");
        let auth = resolve(
            Some(&block("oauth2", &[("headerPrefix", "Zoho-oauthtoken")])),
            &[],
            &mut diags,
        );
        assert_eq!(
            auth,
            Auth::OAuth2 {
                prefix: "Zoho-oauthtoken ".into(),
                in_query: false,
                credential: None,
                grant: Vec::new(),
            }
        );
    }

    #[test]
    fn oauth2_grant_keeps_settings_and_templates_but_no_literal_secret() {
        let mut diags = Diagnostics::new("x.json");
        let params = [
            ("accessTokenUrl", "{{authServer}}/oauth/token"),
            ("grant_type", "client_credentials"),
            ("clientId", "literal-id"),
            ("clientSecret", "{{clientSecret}}"),
            ("password", "hunter2"),
            ("accessToken", "{{token}}"),
            ("addTokenTo", "queryParams"),
            ("scope", ""),
        ];
        let auth = resolve(Some(&block("oauth2", &params)), &[], &mut diags);
        let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            auth,
            Auth::OAuth2 {
                prefix: "Bearer ".into(),
                in_query: true,
                credential: Some("{{token}}".into()),
                grant: pairs(&[
                    ("accessTokenUrl", "{{authServer}}/oauth/token"),
                    ("grant_type", "client_credentials"),
                    ("clientSecret", "{{clientSecret}}"),
                    ("addTokenTo", "queryParams"),
                ]),
            }
        );
    }

    #[test]
    fn basic_user_names_stay_out_of_the_code_unless_the_password_is_a_variable() {
        let mut diags = Diagnostics::new("x.json");
        let mut basic =
            |params: &[(&str, &str)]| resolve(Some(&block("basic", params)), &[], &mut diags);
        assert_eq!(
            basic(&[("username", "admin"), ("password", "{{pw}}")]),
            Auth::Basic {
                user: Some("admin".into()),
                password: Some("{{pw}}".into())
            }
        );
        assert_eq!(
            basic(&[("username", "sk_live_key"), ("password", "")]),
            Auth::Basic {
                user: None,
                password: None
            }
        );
    }

    #[test]
    fn unsupported_kind_warns() {
        let mut diags = Diagnostics::new("x.json");
        assert_eq!(
            resolve(Some(&block("ntlm", &[])), &["A".into()], &mut diags),
            Auth::None
        );
        assert_eq!(
            resolve(Some(&block("kerberos", &[])), &["A".into()], &mut diags),
            Auth::None
        );
        let warnings = diags.into_vec();
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0].message.contains("handshake"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn signing_schemes_keep_settings_and_templates_but_no_literal_secret() {
        let mut diags = Diagnostics::new("x.json");
        let mut signed = |kind: &str, params: &[(&str, &str)]| {
            resolve(Some(&block(kind, params)), &["A".into()], &mut diags)
        };
        let settings = |auth: Auth| match auth {
            Auth::Signed { settings, .. } => settings,
            other => panic!("{other:?}"),
        };
        let oauth1 = signed(
            "oauth1",
            &[
                ("consumerKey", "{{key}}"),
                ("consumerSecret", "literal-secret"),
                ("signatureMethod", "HMAC-SHA256"),
            ],
        );
        assert_eq!(
            settings(oauth1),
            [
                ("consumerKey".to_owned(), "{{key}}".to_owned()),
                ("signatureMethod".to_owned(), "HMAC-SHA256".to_owned())
            ]
        );
        let digest = signed(
            "digest",
            &[("username", "u"), ("password", "pw"), ("qop", "auth")],
        );
        assert_eq!(settings(digest), [("qop".to_owned(), "auth".to_owned())]);
        let hawk = signed("hawk", &[("authId", "id"), ("authKey", "k")]);
        signed("jwt", &[("algorithm", "ES512"), ("secret", "{{s}}")]);
        assert_eq!(settings(hawk), [("authId".to_owned(), "id".to_owned())]);
        assert_eq!(signed("hawk", &[("authKey", "{{k}}")]), Auth::None);
        let rsa = signed(
            "oauth1",
            &[("consumerKey", "k"), ("signatureMethod", "RSA-SHA1")],
        );
        assert_eq!(rsa, Auth::None);
        signed("awsv4", &[("accessKey", "{{k}}"), ("secretKey", "")]);
        signed("awsv4", &[("accessKey", "{{k}}"), ("secretKey", "")]);
        let warnings = diags.into_vec();
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        assert!(messages[0].starts_with("jwt auth has no `privateKey`"));
        assert!(messages[1].contains("jwt algorithm `ES512` is not supported"));
        assert!(messages[2].starts_with("oauth1 auth has no `consumerSecret`"));
        assert!(messages[3].contains("RSA-SHA1"));
        assert!(
            messages[4].starts_with("awsv4 auth has no `secretKey`"),
            "once per block"
        );
    }

    #[test]
    fn jwt_and_asap_keep_no_literal_key_and_an_empty_prefix() {
        let mut diags = Diagnostics::new("x.json");
        let jwt = resolve(
            Some(&block(
                "jwt",
                &[
                    ("algorithm", "HS256"),
                    ("secret", "literal"),
                    ("headerPrefix", ""),
                ],
            )),
            &[],
            &mut diags,
        );
        let Auth::Signed { scheme, settings } = jwt else {
            panic!("{jwt:?}");
        };
        assert_eq!(scheme, AuthModule::Jwt);
        assert_eq!(
            settings,
            [
                ("algorithm".to_owned(), "HS256".to_owned()),
                ("headerPrefix".to_owned(), String::new())
            ]
        );
        let asap = resolve(
            Some(&block("asap", &[("kid", "k"), ("privateKey", "{{key}}")])),
            &[],
            &mut diags,
        );
        let Auth::Signed { scheme, settings } = asap else {
            panic!("{asap:?}");
        };
        assert_eq!(scheme, AuthModule::Asap);
        assert_eq!(settings.len(), 2);
    }

    #[test]
    fn apikey_in_query_with_template_prefix() {
        let mut diags = Diagnostics::new("x.json");
        let auth = resolve(
            Some(&block(
                "apikey",
                &[("key", "token"), ("value", "Key {{k}}"), ("in", "query")],
            )),
            &[],
            &mut diags,
        );
        assert_eq!(
            auth,
            Auth::ApiKey {
                name: "token".into(),
                prefix: "Key ".into(),
                in_query: true,
                credential: Some("{{k}}".into()),
            }
        );
    }
}
