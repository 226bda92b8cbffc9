//! Rust identifiers from arbitrary text: transliterated, cased, keyword-safe and unique.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition; they become raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// ASCII words of `text`: non-ASCII letters transliterated (CJK, accents), the rest dropped.
fn ascii_words(text: &str) -> String {
    let text: String = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    deunicode::deunicode_with_tofu(&text, " ")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A `snake_case` name for a function, module or field; `fallback` when `text` has no letters
/// or digits. A leading digit gets `fallback` in front (`2fa` → `op_2fa`).
pub fn snake(text: &str, fallback: &str) -> String {
    let name = ascii_words(text).to_snake_case();
    if name.is_empty() {
        fallback.to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}_{name}")
    } else {
        name
    }
}

/// An `UpperCamelCase` name for a type or variant; same rules as [`snake`].
pub fn camel(text: &str, fallback: &str) -> String {
    let name = ascii_words(text).to_upper_camel_case();
    if name.is_empty() {
        fallback.to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}{name}")
    } else {
        name
    }
}

/// The identifier for `name`: raw for keywords, `_`-suffixed where raw is not allowed. Names
/// come from [`snake`] and [`camel`]; anything else that is not an identifier has its other
/// characters replaced by `_`, so emission never panics.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        let cleaned: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        return ident(&format!("_{cleaned}"));
    }
    if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, span)
    } else if NOT_RAW.contains(&name) || name == "_" {
        proc_macro2::Ident::new(&format!("{name}_"), span)
    } else {
        proc_macro2::Ident::new(name, span)
    }
}

/// `users` → `user`, `policies` → `policy`; `status`, `address` and short last words that may
/// be acronyms (`UserQos`, `ids`) stay.
pub fn singular(word: &str) -> String {
    let last_word = word
        .rfind(|c: char| c.is_ascii_uppercase() || c == '_' || c == '-')
        .map_or(word, |i| &word[i..])
        .trim_start_matches(['_', '-']);
    if last_word.len() < 4 {
        return word.to_owned();
    }
    // `-es` after a hissing sound is the plural's own: `batches`, `boxes`, `statuses`.
    const ES_AFTER: &[&str] = &["ches", "shes", "sses", "tuses", "xes", "zzes"];
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ES_AFTER.iter().any(|end| word.ends_with(end)) {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with("ss") || word.ends_with("us") {
        word.to_owned()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    }
}

/// Names already taken in one scope; new names get a suffix until unique.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Takes `name`, or the first free `name_2`, `name_3`, ... (`Name2` for camel-case names).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let snake_case = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let separator = if snake_case { "_" } else { "" };
        (2u32..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }

    /// Takes the first free name of `names` (best first); when all are taken, the first one
    /// numbered.
    pub fn claim_first(&mut self, names: &[String]) -> String {
        if let Some(free) = names
            .iter()
            .find(|name| !self.taken.contains(name.as_str()))
        {
            self.taken.insert(free.clone());
            return free.clone();
        }
        self.claim(names.first().map_or("", String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_become_identifiers() {
        assert_eq!(
            snake("Update a user's password", "op"),
            "update_a_users_password"
        );
        assert_eq!(snake("", "op"), "op");
        assert_eq!(snake("🚀", "op"), "rocket");
        assert_eq!(snake("!!!", "op"), "op");
        assert_eq!(snake("2FA setup", "op"), "op_2fa_setup");
        assert_eq!(snake("用户列表", "op"), "yong_hu_lie_biao");
        assert_eq!(snake("line\nbreak", "op"), "line_break");
        assert_eq!(camel("99", "V"), "V99");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("a&b").to_string(), "_a_b");
        assert_eq!(ident("").to_string(), "__");
        assert_eq!(ident("9x").to_string(), "_9x");
    }

    #[test]
    fn collisions_get_qualifiers_then_numbers() {
        let mut ns = Namespace::with_reserved(&["runtime"]);
        assert_eq!(ns.claim("runtime"), "runtime_2");
        assert_eq!(ns.claim("get_user"), "get_user");
        let candidates = ["get_user".to_owned(), "get_user_post".to_owned()];
        assert_eq!(ns.claim_first(&candidates), "get_user_post");
        assert_eq!(ns.claim_first(&candidates), "get_user_2");
        let mut types = Namespace::default();
        assert_eq!(types.claim("Body"), "Body");
        assert_eq!(types.claim("Body"), "Body2");
    }
}
