use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use super::prepared::REDACTED;
use super::{is_secret_name, BuildError, FIXED_DYNAMIC};

/// One variable's value, and whether it is a credential (redacted wherever shown).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Variable {
    pub(super) value: String,
    secret: bool,
}

impl Variable {
    pub(super) fn new(name: &str, value: &str, secret: bool) -> Self {
        Self {
            value: value.to_owned(),
            secret: secret || is_secret_name(name),
        }
    }
}

/// The variables `{{name}}` is resolved with, in Postman's layers: collection, globals,
/// environment, then local values set on the client, the later winning.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct Variables {
    pub(super) collection: BTreeMap<String, Variable>,
    pub(super) globals: BTreeMap<String, Variable>,
    pub(super) environment: BTreeMap<String, Variable>,
    pub(super) local: BTreeMap<String, Variable>,
}

impl fmt::Debug for Variables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = [
            &self.collection,
            &self.globals,
            &self.environment,
            &self.local,
        ]
        .iter()
        .flat_map(|layer| layer.keys())
        .collect();
        names.sort();
        names.dedup();
        f.debug_map()
            .entries(names.into_iter().filter_map(|name| {
                let variable = self.get(name)?;
                let shown = if variable.secret {
                    REDACTED
                } else {
                    variable.value.as_str()
                };
                Some((name, shown))
            }))
            .finish()
    }
}

/// Text with its variables resolved, and whether a credential went into it.
pub(super) struct Resolved {
    pub(super) text: String,
    pub(super) secret: bool,
}

/// Deepest nesting of `{{...}}` resolved (`{{a_{{b}}}}` is two).
const VARIABLE_DEPTH: usize = 20;

impl Variables {
    pub(super) fn get(&self, name: &str) -> Option<&Variable> {
        [
            &self.local,
            &self.environment,
            &self.globals,
            &self.collection,
        ]
        .into_iter()
        .find_map(|layer| layer.get(name))
    }

    /// `text` with every `{{name}}` replaced as Postman does: innermost first, dynamic
    /// variables (`{{$guid}}`, `{{$timestamp}}`, ...) generated anew for each use, names
    /// the client does not know left as they are.
    pub(super) fn resolve(&self, text: &str) -> Resolved {
        let mut resolved = Resolved {
            text: text.to_owned(),
            secret: false,
        };
        for _ in 0..VARIABLE_DEPTH {
            if !resolved.text.contains("{{") || !self.resolve_once(&mut resolved) {
                break;
            }
        }
        resolved
    }

    /// One pass over the text; whether anything was replaced.
    fn resolve_once(&self, resolved: &mut Resolved) -> bool {
        let mut out = String::with_capacity(resolved.text.len());
        let mut rest = resolved.text.as_str();
        let mut changed = false;
        while let Some(close) = rest.find("}}") {
            let Some(open) = rest[..close].rfind("{{") else {
                out.push_str(&rest[..close + 2]);
                rest = &rest[close + 2..];
                continue;
            };
            out.push_str(&rest[..open]);
            let name = &rest[open + 2..close];
            match self.get(name) {
                Some(variable) => {
                    out.push_str(&variable.value);
                    resolved.secret |= variable.secret;
                    changed = true;
                }
                None => match dynamic_value(name) {
                    Some(value) => {
                        out.push_str(&value);
                        changed = true;
                    }
                    None => out.push_str(&rest[open..close + 2]),
                },
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        resolved.text = out;
        changed
    }

    /// Resolves the variables in every string of a JSON value (keys included).
    pub(super) fn resolve_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) if text.contains("{{") => {
                *text = self.resolve(text).text;
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.resolve_json(item);
                }
            }
            serde_json::Value::Object(map) if !map.is_empty() => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.resolve_json(&mut item);
                    map.insert(self.resolve(&key).text, item);
                }
            }
            _ => {}
        }
    }
}

/// A value for one of Postman's dynamic variables: a fresh one for those that need no data
/// table ([`GENERATED_DYNAMIC`]), a fixed one for the others the client knows
/// ([`FIXED_DYNAMIC`]); `None` for the rest, which are sent as written.
fn dynamic_value(name: &str) -> Option<String> {
    Some(match name {
        "$guid" | "$randomUUID" => uuid_v4(),
        "$timestamp" => unix_time(),
        "$isoTimestamp" => iso_timestamp(since_epoch()),
        "$randomInt" => fastrand::u32(0..=1000).to_string(),
        "$randomBoolean" => fastrand::bool().to_string(),
        "$randomAlphaNumeric" => random_chars(1, ALPHANUMERIC),
        "$randomPhoneNumber" => phone_number(),
        "$randomPhoneNumberExt" => format!("{}-{}", fastrand::u8(1..=99), phone_number()),
        "$randomHexColor" => format!("#{:06x}", fastrand::u32(..0x0100_0000)),
        "$randomIP" => {
            let octets: Vec<String> = (0..4).map(|_| fastrand::u8(..).to_string()).collect();
            octets.join(".")
        }
        "$randomMACAddress" => {
            let octets: Vec<String> = (0..6)
                .map(|_| format!("{:02x}", fastrand::u8(..)))
                .collect();
            octets.join(":")
        }
        "$randomPassword" => random_chars(15, ALPHANUMERIC),
        "$randomLatitude" => format!("{:.4}", fastrand::f64() * 180.0 - 90.0),
        "$randomLongitude" => format!("{:.4}", fastrand::f64() * 360.0 - 180.0),
        "$randomBankAccount" => random_chars(8, b"0123456789"),
        "$randomCreditCardMask" => random_chars(4, b"0123456789"),
        "$randomPrice" => format!("{}.{:02}", fastrand::u32(0..1000), fastrand::u8(..100)),
        "$randomSemver" => {
            let parts: Vec<String> = (0..3).map(|_| fastrand::u8(..10).to_string()).collect();
            parts.join(".")
        }
        _ => {
            let (_, value) = FIXED_DYNAMIC.iter().find(|(fixed, _)| *fixed == name)?;
            (*value).to_owned()
        }
    })
}

const ALPHANUMERIC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Characters of the nonces that signing schemes (OAuth 1.0a, Hawk) generate, as Postman
/// draws them.
pub const NONCE_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A random (version 4) UUID.
pub(super) fn uuid_v4() -> String {
    let bits =
        fastrand::u128(..) & !(0xf000 << 64) & !(0xc000 << 48) | (0x4000 << 64) | (0x8000 << 48);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

pub(super) fn since_epoch() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Seconds since the Unix epoch, as text.
pub(super) fn unix_time() -> String {
    since_epoch().as_secs().to_string()
}

/// `count` characters drawn from `alphabet`.
pub(super) fn random_chars(count: usize, alphabet: &[u8]) -> String {
    (0..count)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

/// A ten-digit North American number as Postman writes one: `682-324-9084`.
fn phone_number() -> String {
    format!(
        "{}{}-{}{}-{}",
        fastrand::u8(2..=9),
        random_chars(2, b"0123456789"),
        fastrand::u8(2..=9),
        random_chars(2, b"0123456789"),
        random_chars(4, b"0123456789")
    )
}

/// `2026-12-01T19:37:56.123Z` for a time since the Unix epoch.
pub(super) fn iso_timestamp(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let (hour, minute, second) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{:03}Z",
        since_epoch.subsec_millis()
    )
}

/// The enabled values of a Postman environment or globals file.
pub(super) fn variable_file(json: &str) -> Result<Vec<(String, Variable)>, BuildError> {
    let file: serde_json::Value = serde_json::from_str(json.trim_start_matches('\u{feff}'))
        .map_err(|e| BuildError::new(format!("not a Postman environment: {e}")))?;
    let values = file
        .get("values")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| BuildError::new("not a Postman environment: it has no `values` list"))?;
    Ok(values
        .iter()
        .filter(|v| v.get("enabled").and_then(serde_json::Value::as_bool) != Some(false))
        .filter_map(|v| {
            let name = v.get("key")?.as_str()?;
            let value = match v.get("value")? {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            let secret = v.get("type").and_then(serde_json::Value::as_str) == Some("secret");
            Some((name.to_owned(), Variable::new(name, &value, secret)))
        })
        .collect())
}

pub(super) fn read_variable_file(path: &std::path::Path) -> Result<String, BuildError> {
    std::fs::read_to_string(path)
        .map_err(|e| BuildError::new(format!("cannot read {}: {e}", path.display())))
}
