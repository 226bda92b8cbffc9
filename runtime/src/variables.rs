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

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(local: &[(&str, &str)]) -> Variables {
        let mut variables = Variables::default();
        for (name, value) in local {
            let variable = Variable::new(name, value, false);
            variables.local.insert((*name).to_owned(), variable);
        }
        variables
    }

    fn is_uuid_v4(text: &str) -> bool {
        let bytes = text.as_bytes();
        bytes.len() == 36
            && text.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            })
            && bytes[14] == b'4'
            && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
    }

    #[test]
    fn resolves_innermost_first_and_leaves_unknown_names() {
        let v = vars(&[
            ("env", "prod"),
            ("host_prod", "api.example"),
            ("b", "{{c}}"),
            ("c", "3"),
        ]);
        assert_eq!(
            v.resolve("https://{{host_{{env}}}}/x").text,
            "https://api.example/x"
        );
        assert_eq!(
            v.resolve("{{b}}-{{nope}}-{{ env }}").text,
            "3-{{nope}}-{{ env }}"
        );
        assert_eq!(v.resolve("}}{{env}}{{").text, "}}prod{{");
        assert_eq!(v.resolve("{{{{env}}}}").text, "{{prod}}");
        assert_eq!(v.resolve("no variables").text, "no variables");
        assert!(!v.resolve("{{env}}").secret);
    }

    #[test]
    fn self_reference_stops_at_the_depth_limit() {
        let v = vars(&[("loop", "{{loop}}"), ("grow", "x{{grow}}")]);
        assert_eq!(v.resolve("{{loop}}").text, "{{loop}}");
        let grown = v.resolve("{{grow}}").text;
        assert_eq!(grown, format!("{}{{{{grow}}}}", "x".repeat(VARIABLE_DEPTH)));
    }

    #[test]
    fn layers_and_secrets() {
        let mut v = Variables::default();
        for (layer, value) in [
            (&mut v.collection, "collection"),
            (&mut v.globals, "globals"),
            (&mut v.environment, "environment"),
        ] {
            layer.insert("x".to_owned(), Variable::new("x", value, false));
        }
        v.collection
            .insert("only".to_owned(), Variable::new("only", "c", false));
        assert_eq!(v.resolve("{{x}}{{only}}").text, "environmentc");
        v.local
            .insert("x".to_owned(), Variable::new("x", "local", true));
        let resolved = v.resolve("{{x}}");
        assert_eq!((resolved.text.as_str(), resolved.secret), ("local", true));
        // A name that looks like a credential is one.
        v.globals
            .insert("apiKey".to_owned(), Variable::new("apiKey", "k", false));
        assert!(v.resolve("k={{apiKey}}").secret);
        assert!(!v.resolve("{{only}}").secret);
        let shown = format!("{v:?}");
        assert_eq!(
            shown,
            r#"{"apiKey": "<redacted>", "only": "c", "x": "<redacted>"}"#
        );
    }

    #[test]
    fn dynamic_variables_are_fresh_for_each_use() {
        let v = vars(&[("$randomFirstName", "Ann")]);
        let text = v.resolve("{{$guid}} {{$randomUUID}} {{$guid}}").text;
        let ids: Vec<&str> = text.split(' ').collect();
        assert!(ids.iter().all(|id| is_uuid_v4(id)), "{text}");
        assert!(ids[0] != ids[2], "{text}");
        // A variable the client knows wins over the dynamic one; fixed ones are fixed.
        assert_eq!(v.resolve("{{$randomFirstName}}").text, "Ann");
        assert_eq!(vars(&[]).resolve("{{$randomLastName}}").text, "Doe");
        assert_eq!(
            vars(&[]).resolve("{{$unknownThing}}").text,
            "{{$unknownThing}}"
        );
        let before = since_epoch().as_secs();
        let stamp: u64 = vars(&[]).resolve("{{$timestamp}}").text.parse().unwrap();
        assert!((before..=before + 2).contains(&stamp));
    }

    #[test]
    fn dynamic_values_have_postman_shapes() {
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        for _ in 0..20 {
            let value = |name| dynamic_value(name).unwrap();
            let int: u32 = value("$randomInt").parse().unwrap();
            assert!(int <= 1000);
            assert!(["true", "false"].contains(&value("$randomBoolean").as_str()));
            let color = value("$randomHexColor");
            assert!(color.len() == 7 && color.starts_with('#'), "{color}");
            let ip: Vec<u8> = value("$randomIP")
                .split('.')
                .map(|o| o.parse().unwrap())
                .collect();
            assert_eq!(ip.len(), 4);
            let mac = value("$randomMACAddress");
            assert_eq!((mac.len(), mac.matches(':').count()), (17, 5), "{mac}");
            let phone = value("$randomPhoneNumber");
            let parts: Vec<&str> = phone.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [3, 3, 4]);
            assert!(parts.iter().all(|p| digits(p)) && !phone.starts_with(['0', '1']));
            let lat: f64 = value("$randomLatitude").parse().unwrap();
            assert!((-90.0..=90.0).contains(&lat));
            let lon: f64 = value("$randomLongitude").parse().unwrap();
            assert!((-180.0..=180.0).contains(&lon));
            let price = value("$randomPrice");
            let (units, cents) = price.split_once('.').unwrap();
            assert!(
                units.parse::<u32>().unwrap() < 1000 && cents.len() == 2,
                "{price}"
            );
            assert_eq!(value("$randomSemver").split('.').count(), 3);
            let password = value("$randomPassword");
            assert!(password.len() == 15 && password.bytes().all(|b| ALPHANUMERIC.contains(&b)));
            assert!(value("$randomBankAccount").len() == 8 && digits(&value("$randomBankAccount")));
            assert!(is_uuid_v4(&uuid_v4()));
        }
        for name in crate::GENERATED_DYNAMIC {
            assert!(dynamic_value(name).is_some(), "{name} generated");
        }
        for (name, fixed) in FIXED_DYNAMIC {
            assert_eq!(dynamic_value(name).as_deref(), Some(*fixed));
        }
        assert_eq!(NONCE_CHARS.len(), 62);
        assert!(random_chars(40, b"ab")
            .bytes()
            .all(|b| b == b'a' || b == b'b'));
    }

    #[test]
    fn iso_timestamp_is_a_utc_calendar_date() {
        let at =
            |secs, millis| iso_timestamp(Duration::from_secs(secs) + Duration::from_millis(millis));
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 7), "2000-02-29T00:00:00.007Z");
        assert_eq!(at(1_700_000_000, 123), "2023-11-14T22:13:20.123Z");
        assert_eq!(at(4_107_542_399, 999), "2100-02-28T23:59:59.999Z");
        assert_eq!(at(4_107_542_400, 0), "2100-03-01T00:00:00.000Z");
        let now = vars(&[]).resolve("{{$isoTimestamp}}").text;
        assert_eq!(
            (now.len(), &now[10..11], &now[23..]),
            (24, "T", "Z"),
            "{now}"
        );
    }

    #[test]
    fn resolve_json_resolves_strings_and_keys_only() {
        let v = vars(&[("k", "key"), ("n", "5")]);
        let mut value = serde_json::json!({
            "{{k}}": ["{{n}}", 5, null, {"inner": "a{{k}}"}],
            "plain": true,
        });
        v.resolve_json(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"key": ["5", 5, null, {"inner": "akey"}], "plain": true})
        );
        // Key order is kept.
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["key", "plain"]);
    }

    #[test]
    fn variable_file_reads_enabled_values() {
        let json = "\u{feff}{\"values\": [
            {\"key\": \"a\", \"value\": \"1\"},
            {\"key\": \"off\", \"value\": \"x\", \"enabled\": false},
            {\"key\": \"on\", \"value\": \"y\", \"enabled\": true},
            {\"key\": \"num\", \"value\": 5},
            {\"key\": \"nothing\", \"value\": null},
            {\"key\": \"hidden\", \"value\": \"h\", \"type\": \"secret\"},
            {\"key\": \"password\", \"value\": \"p\"},
            {\"value\": \"no key\"},
            {\"key\": \"no value\"}
        ]}";
        let values = variable_file(json).unwrap();
        let shown: Vec<(&str, &str, bool)> = values
            .iter()
            .map(|(name, v)| (name.as_str(), v.value.as_str(), v.secret))
            .collect();
        assert_eq!(
            shown,
            [
                ("a", "1", false),
                ("on", "y", false),
                ("num", "5", false),
                ("nothing", "", false),
                ("hidden", "h", true),
                ("password", "p", true),
            ]
        );
        assert!(variable_file("[]").is_err());
        assert!(variable_file(r#"{"values": {}}"#).is_err());
    }
}
