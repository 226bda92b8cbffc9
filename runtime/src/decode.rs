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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        a: Middle,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Middle {
        #[allow(dead_code)]
        b: Vec<u32>,
    }

    /// A struct decoded the way generated ones are: field by field through [`JsonFields`].
    #[derive(Debug, PartialEq)]
    struct Item {
        id: u32,
        note: Option<String>,
        kind: Kind,
    }

    impl<'de> serde::Deserialize<'de> for Item {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = JsonFields::read(deserializer)?;
            Ok(Self {
                id: fields.take("id")?,
                note: fields.take("note")?,
                kind: fields.take("kind")?,
            })
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Page {
        items: Vec<Item>,
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Kind {
        Small,
        Large,
    }

    impl<'de> serde::Deserialize<'de> for Kind {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            decode_variant(
                deserializer,
                &[("small", Kind::Small), ("LARGE", Kind::Large)],
            )
        }
    }

    fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        decode_json::<T>(body.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn what_is_not_json_fails_at_the_root() {
        let e = decode_json::<u32>(b"{oops").unwrap_err();
        assert_eq!(e.path, "$");
        assert!(e.message.starts_with("key must be a string"), "{e}");
        assert_eq!(parse_json(b"").unwrap_err().path, "$");
        assert_eq!(
            error::<u32>(r#""1""#),
            "$: invalid type: string \"1\", expected u32"
        );
    }

    #[test]
    fn errors_name_the_path_of_derived_types() {
        assert_eq!(
            error::<Outer>(r#"{"a": {"b": [1, "x"]}}"#),
            "$.a.b[1]: invalid type: string \"x\", expected u32"
        );
        assert_eq!(error::<Outer>(r#"{"a": {}}"#), "$.a: missing field `b`");
        assert_eq!(
            error::<Vec<u8>>("[1, 300]"),
            "$[1]: invalid value: integer `300`, expected u8"
        );
    }

    #[test]
    fn json_fields_take_decodes_fields_and_names_inner_paths() {
        let page: Page = decode_json(
            br#"{"items": [{"id": 1, "kind": "small"}, {"id": 2, "note": "n", "kind": "LARGE"}]}"#,
        )
        .unwrap();
        assert_eq!(
            page.items,
            vec![
                Item {
                    id: 1,
                    note: None,
                    kind: Kind::Small,
                },
                Item {
                    id: 2,
                    note: Some("n".to_owned()),
                    kind: Kind::Large,
                },
            ]
        );
        assert_eq!(
            error::<Page>(
                r#"{"items": [{"id": 1, "kind": "small"}, {"id": "2", "kind": "small"}]}"#
            ),
            "$.items[1].id: invalid type: string \"2\", expected u32"
        );
        // A missing required field is reported at the object that lacks it.
        assert_eq!(
            error::<Page>(r#"{"items": [{"kind": "small"}]}"#),
            "$.items[0]: missing field `id`"
        );
        assert_eq!(
            error::<Item>(r#"{"id": 1, "note": 5, "kind": "small"}"#),
            "$.note: invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            error::<Item>("[1]"),
            "$: invalid type: sequence, expected a map"
        );
    }

    #[test]
    fn decode_variant_lists_the_variants_it_expected() {
        assert_eq!(decode_json::<Kind>(br#""LARGE""#).unwrap(), Kind::Large);
        assert_eq!(
            error::<Kind>(r#""large""#),
            "$: unknown variant `large`, expected one of `small`, `LARGE`"
        );
        assert_eq!(
            error::<Page>(r#"{"items": [{"id": 1, "kind": 3}]}"#),
            "$.items[0].kind: invalid type: integer `3`, expected a string"
        );
        // A borrowed string works as an owned one does.
        let kind: Kind = serde_json::from_str(r#""small""#).unwrap();
        assert_eq!(kind, Kind::Small);
    }

    #[test]
    fn join_path_joins_fields_and_indexes() {
        assert_eq!(join_path("$", ""), "$");
        assert_eq!(join_path("", "a"), "a");
        assert_eq!(join_path("a", "b.c"), "a.b.c");
        assert_eq!(join_path("a", "[2].c"), "a[2].c");
        let error = JsonError {
            path: "$.a".to_owned(),
            message: "bad".to_owned(),
        };
        assert_eq!(error.to_string(), "$.a: bad");
    }
}
