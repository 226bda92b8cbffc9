//! A Postman environment (`*.postman_environment.json`) as the generator's defaults: its
//! enabled values override the collection's variables of the same name, as in Postman, except
//! secrets (type `secret`, or names of credentials), which never enter generated code.

use serde_json::Value;

use crate::collection::KeyValue;
use crate::diagnostics::Diagnostics;
use crate::is_secret_name;
use crate::Error;

/// The values of an environment the generator takes as defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// Name and value of each enabled value that is not a secret.
    pub values: Vec<(String, String)>,
    /// Names of the values left out as secrets.
    pub secrets: Vec<String>,
}

impl Environment {
    /// Reads an environment's JSON; `file` names it in errors.
    pub fn parse(json: &str, file: &str) -> Result<Self, Error> {
        let diags = Diagnostics::new(file);
        let invalid =
            |location: &str, message: String| Error::Input(diags.error(&[], location, message));
        let root: Value = serde_json::from_str(json.trim_start_matches('\u{feff}'))
            .map_err(|e| invalid("", format!("not JSON: {e}")))?;
        let Some(values) = root.get("values").and_then(Value::as_array) else {
            return Err(invalid(
                "",
                "not a Postman environment: no `values` list".into(),
            ));
        };
        let mut environment = Self::default();
        for value in values {
            let Some(key) = value.get("key").and_then(Value::as_str) else {
                continue;
            };
            if value.get("enabled").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            let secret =
                value.get("type").and_then(Value::as_str) == Some("secret") || is_secret_name(key);
            if secret {
                environment.secrets.push(key.to_owned());
                continue;
            }
            let text = match value.get("value") {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            environment.values.push((key.to_owned(), text));
        }
        Ok(environment)
    }

    /// Reads an environment file.
    pub fn read(path: &std::path::Path) -> Result<Self, Error> {
        let json = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&json, &path.display().to_string())
    }

    /// `variables` with this environment's values over them.
    pub fn apply(&self, variables: &mut Vec<KeyValue>) {
        for (key, value) in &self.values {
            variables.retain(|v| v.key != *key);
            variables.push(KeyValue {
                key: key.clone(),
                value: Some(value.clone()),
                ..KeyValue::default()
            });
        }
    }
}
