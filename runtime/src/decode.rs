use std::fmt;

/// Why a JSON body did not decode: where (`$.report.user.email`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Path of the value that failed, from `$` (the whole body).
    pub path: String,
    /// What serde reported there.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Decodes a JSON body, naming the path of the value that failed. The body is read as a
/// [`serde_json::Value`] first, so every type's `Deserialize` is built for one deserializer.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, JsonError> {
    decode_value(parse_json(body)?).map_err(|(path, message)| JsonError {
        path: join_path("$", &path),
        message,
    })
}

/// A body as untyped JSON; what is not JSON fails at `$`.
pub(super) fn parse_json(body: &[u8]) -> Result<serde_json::Value, JsonError> {
    serde_json::from_slice(body).map_err(|e| JsonError {
        path: "$".to_owned(),
        message: e.to_string(),
    })
}

/// `value` as a `T`; on failure, the path below `value` of what failed (`items[1].id`) and
/// why.
fn decode_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let outer = match e.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = e.into_inner().to_string();
        // A field of a generated type that failed below it says where (`JsonFields::take`).
        match message
            .strip_prefix(PATH_MARK)
            .and_then(|m| m.split_once(PATH_MARK))
        {
            Some((inner, message)) => (join_path(&outer, inner), message.to_owned()),
            None => (outer, message),
        }
    })
}

/// Marks the path that an error message of [`JsonFields::take`] starts with.
const PATH_MARK: char = '\u{1}';

/// `outer` and `inner` as one path: `a` and `b` give `a.b`, `a` and `[1]` give `a[1]`.
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (_, "") => outer.to_owned(),
        ("", _) => inner.to_owned(),
        _ if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
}

/// The fields of a JSON object being decoded into a generated struct: its `Deserialize`
/// takes each field by key, so the struct needs no code of its own beyond that list.
#[derive(Debug)]
pub struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl JsonFields {
    /// Reads the object a struct is decoded from.
    pub fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(Self)
    }

    /// Decodes the field `key`. A missing key reads as `null` (an `Option` field is `None`);
    /// for a type that needs a value it is the error `missing field`.
    pub fn take<T: serde::de::DeserializeOwned, E: serde::de::Error>(
        &mut self,
        key: &str,
    ) -> Result<T, E> {
        let value = self.0.remove(key);
        let missing = value.is_none();
        decode_value(value.unwrap_or(serde_json::Value::Null)).map_err(|(path, message)| {
            let (path, message) = if missing {
                (String::new(), format!("missing field `{key}`"))
            } else {
                (join_path(key, &path), message)
            };
            E::custom(format_args!("{PATH_MARK}{path}{PATH_MARK}{message}"))
        })
    }
}

/// Decodes a string into the variant of a generated enum that `variants` maps it to.
pub fn decode_variant<'de, D: serde::Deserializer<'de>, T: Copy>(
    deserializer: D,
    variants: &[(&str, T)],
) -> Result<T, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    match variants.iter().find(|(value, _)| *value == text) {
        Some((_, variant)) => Ok(*variant),
        None => {
            let expected: Vec<&str> = variants.iter().map(|(value, _)| *value).collect();
            Err(serde::de::Error::custom(format_args!(
                "unknown variant `{text}`, expected one of `{}`",
                expected.join("`, `")
            )))
        }
    }
}
