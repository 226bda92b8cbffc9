// The names of credentials: headers, query keys and fields whose values the client redacts
// and that `postman-codegen learn` never writes into a collection. Shared by the runtime and
// the generator.

/// Whether a header, query key or field name names a credential.
fn is_secret_name(name: &str) -> bool {
    const SECRET_WORDS: &[&str] = &[
        "apikey",
        "accesskey",
        "secretkey",
        "privatekey",
        "subscriptionkey",
        "token",
        "secret",
        "password",
        "passwd",
        "authorization",
        "cookie",
        "signature",
        "credential",
        "sessionid",
    ];
    let name: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    name == "key" || name == "sig" || SECRET_WORDS.iter().any(|w| name.contains(w))
}
