//! What a collection's pre-request and test scripts do, as the generator translated them: steps
//! that set and unset variables, edit the request's headers and stop a request a guard refuses.
//! The client runs them as Postman does, the collection's first, then each folder's, then the
//! request's own: pre-request steps before the request is built, test steps once the response
//! is in. Variables they write are shared by a client and its clones, as one environment is
//! shared by a Postman run; [`Client::with_scripts`] turns them off.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value as Json;

use super::variables::{iso_timestamp, since_epoch, uuid_v4, Variable, Variables};
use super::{BuildError, RawResponse};

/// One of Postman's variable scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// `pm.globals`.
    Globals,
    /// `pm.collectionVariables`.
    Collection,
    /// `pm.environment` (and the legacy `postman.setEnvironmentVariable`).
    Environment,
    /// `pm.variables`: local to the run.
    Local,
}

/// A value a step computes, as the script wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A literal text (or number, written as text).
    Text(&'static str),
    /// A variable's value (`pm.environment.get("id")`, and dynamic ones such as `$guid`);
    /// undefined when the client has none.
    Variable(&'static str),
    /// A text with its `{{variables}}` resolved now (`pm.variables.replaceIn("...")`).
    Template(&'static str),
    /// The texts of the parts, joined (`+`, template strings); an undefined part is
    /// `undefined`, as JavaScript writes it.
    Concat(&'static [Value]),
    /// The value at this JSON pointer of the response body (`""` for the whole body).
    Json(&'static str),
    /// The value at this JSON pointer as JSON text (`JSON.stringify(...)`).
    JsonText(&'static str),
    /// A response header (`pm.response.headers.get("Location")`).
    Header(&'static str),
    /// The response's status code.
    Status,
    /// Milliseconds since the Unix epoch (`Date.now()`).
    NowMillis,
    /// Seconds since the Unix epoch (`Math.floor(Date.now() / 1000)`).
    NowSeconds,
    /// The time as ISO 8601 (`new Date().toISOString()`).
    NowIso,
    /// A random UUID (`require('uuid').v4()`).
    Uuid,
    /// A random whole number in `low..high` (`Math.floor(Math.random() * N) + M`).
    RandomInt {
        /// Smallest.
        low: u64,
        /// One more than the largest.
        high: u64,
    },
    /// The length of a text (in UTF-16 units, as JavaScript counts) or of a list.
    Length(&'static Value),
    /// The response body as text (`responseBody`, `pm.response.text()`).
    Body,
}

/// How [`Condition::Compare`] orders two values, compared as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
}

/// A condition on values, with JavaScript's truthiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The value is truthy: defined, not null, not `false`, `0` or empty text.
    Truthy(Value),
    /// The value is neither undefined nor null (`typeof x !== "undefined"`, `x != null`,
    /// `pm.environment.has("x")`).
    Defined(Value),
    /// The two values are equal, compared as texts (`==`).
    Equals(Value, Value),
    /// The two values, as numbers, are in this order; false when one is not a number.
    Compare(Value, Order, Value),
    /// The condition does not hold.
    Not(&'static Condition),
    /// Every condition holds.
    All(&'static [Condition]),
    /// One of the conditions holds.
    Any(&'static [Condition]),
}

/// One thing a script does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Sets a variable; an undefined value removes it.
    Set {
        /// Its scope.
        scope: Scope,
        /// Its name.
        name: &'static str,
        /// What it is set to.
        value: Value,
    },
    /// Removes a variable.
    Unset {
        /// Its scope.
        scope: Scope,
        /// Its name.
        name: &'static str,
    },
    /// Sets a request header, replacing any of that name (`pm.request.headers.upsert`).
    SetHeader {
        /// Header name.
        name: &'static str,
        /// Its value.
        value: Value,
    },
    /// Adds a request header (`pm.request.headers.add`).
    AddHeader {
        /// Header name.
        name: &'static str,
        /// Its value.
        value: Value,
    },
    /// Removes a request header (`pm.request.headers.remove`).
    RemoveHeader {
        /// Header name.
        name: &'static str,
    },
    /// Stops with the script's own message (`throw new Error("...")`).
    Fail {
        /// What the script says.
        message: Value,
    },
    /// Steps that run when a condition holds, others when it does not.
    If {
        /// The condition.
        condition: Condition,
        /// Steps when it holds.
        then: &'static [Step],
        /// Steps when it does not.
        otherwise: &'static [Step],
    },
}

/// The variables scripts wrote, by scope; shared by a client and its clones.
#[derive(Debug, Default)]
pub(super) struct Written(Mutex<BTreeMap<(Scope, String), String>>);

impl Written {
    /// `variables` with what scripts wrote over each scope's values.
    pub(super) fn over(&self, variables: &Arc<Variables>) -> Arc<Variables> {
        let written = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if written.is_empty() {
            return Arc::clone(variables);
        }
        let mut merged = Variables::clone(variables);
        for ((scope, name), value) in written.iter() {
            let layer = match scope {
                Scope::Globals => &mut merged.globals,
                Scope::Collection => &mut merged.collection,
                Scope::Environment => &mut merged.environment,
                Scope::Local => &mut merged.local,
            };
            layer.insert(name.clone(), Variable::new(name, value, false));
        }
        Arc::new(merged)
    }

    fn set(&self, scope: Scope, name: &str, value: Option<String>) {
        let mut written = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (scope, name.to_owned());
        match value {
            Some(value) => written.insert(key, value),
            None => written.remove(&key),
        };
    }
}

/// What pre-request steps ask of the request being built.
#[derive(Debug, Default)]
pub(super) struct RequestEdits {
    /// Header edits in order: a name and its new value, `None` to remove it; `replace` for
    /// an upsert.
    pub(super) headers: Vec<HeaderEdit>,
}

/// One header edit.
#[derive(Debug)]
pub(super) struct HeaderEdit {
    pub(super) name: &'static str,
    pub(super) value: Option<String>,
    pub(super) replace: bool,
}

/// Where steps run: the variables they read and write, and the response when there is one.
pub(super) struct Run<'a> {
    pub(super) written: &'a Written,
    pub(super) variables: &'a Arc<Variables>,
    pub(super) response: Option<&'a RawResponse>,
    pub(super) edits: RequestEdits,
    body: Option<Option<Json>>,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        written: &'a Written,
        variables: &'a Arc<Variables>,
        response: Option<&'a RawResponse>,
    ) -> Self {
        Self {
            written,
            variables,
            response,
            edits: RequestEdits::default(),
            body: None,
        }
    }

    /// Runs `steps` in order; a [`Step::Fail`] stops them with its message.
    pub(super) fn steps(&mut self, steps: &[Step]) -> Result<(), BuildError> {
        for step in steps {
            match *step {
                Step::Set { scope, name, value } => {
                    let value = self.value(value).map(|v| text_of(&v));
                    self.written.set(scope, name, value);
                }
                Step::Unset { scope, name } => self.written.set(scope, name, None),
                Step::SetHeader { name, value } | Step::AddHeader { name, value } => {
                    let value = self.value(value).map(|v| text_of(&v));
                    let replace = matches!(step, Step::SetHeader { .. });
                    self.edits.headers.push(HeaderEdit {
                        name,
                        value: Some(value.unwrap_or_else(|| "undefined".to_owned())),
                        replace,
                    });
                }
                Step::RemoveHeader { name } => self.edits.headers.push(HeaderEdit {
                    name,
                    value: None,
                    replace: true,
                }),
                Step::Fail { message } => {
                    let message = self
                        .value(message)
                        .map_or_else(String::new, |v| text_of(&v));
                    return Err(BuildError::new(format!(
                        "a script stopped the request: {message}"
                    )));
                }
                Step::If {
                    condition,
                    then,
                    otherwise,
                } => {
                    let steps = if self.holds(condition) {
                        then
                    } else {
                        otherwise
                    };
                    self.steps(steps)?;
                }
            }
        }
        Ok(())
    }

    /// Whether `condition` holds now.
    fn holds(&mut self, condition: Condition) -> bool {
        match condition {
            Condition::Truthy(value) => self.value(value).is_some_and(|v| truthy(&v)),
            Condition::Defined(value) => self.value(value).is_some_and(|v| !v.is_null()),
            Condition::Equals(a, b) => {
                let a = self.value(a).map(|v| text_of(&v));
                let b = self.value(b).map(|v| text_of(&v));
                a == b
            }
            Condition::Compare(a, order, b) => {
                let (Some(a), Some(b)) = (self.number(a), self.number(b)) else {
                    return false;
                };
                match order {
                    Order::Less => a < b,
                    Order::LessOrEqual => a <= b,
                    Order::Greater => a > b,
                    Order::GreaterOrEqual => a >= b,
                }
            }
            Condition::Not(inner) => !self.holds(*inner),
            Condition::All(all) => all.iter().all(|c| self.holds(*c)),
            Condition::Any(any) => any.iter().any(|c| self.holds(*c)),
        }
    }

    /// The value now; `None` is JavaScript's `undefined`.
    fn value(&mut self, value: Value) -> Option<Json> {
        Some(match value {
            Value::Text(text) => Json::String(text.to_owned()),
            Value::Variable(name) => {
                let reference = format!("{{{{{name}}}}}");
                let resolved = self.written.over(self.variables).resolve(&reference).text;
                (resolved != reference).then_some(Json::String(resolved))?
            }
            Value::Template(text) => {
                Json::String(self.written.over(self.variables).resolve(text).text)
            }
            Value::Concat(parts) => {
                let mut text = String::new();
                for part in parts {
                    match self.value(*part) {
                        Some(v) => text.push_str(&text_of(&v)),
                        None => text.push_str("undefined"),
                    }
                }
                Json::String(text)
            }
            Value::Json(pointer) => self.body()?.pointer(pointer)?.clone(),
            Value::JsonText(pointer) => Json::String(self.body()?.pointer(pointer)?.to_string()),
            Value::Header(name) => {
                let header = self.response?.headers.get(name)?;
                Json::String(String::from_utf8_lossy(header.as_bytes()).into_owned())
            }
            Value::Status => Json::from(self.response?.status.as_u16()),
            Value::NowMillis => Json::from(since_epoch().as_millis() as u64),
            Value::NowSeconds => Json::from(since_epoch().as_secs()),
            Value::NowIso => Json::String(iso_timestamp(since_epoch())),
            Value::Uuid => Json::String(uuid_v4()),
            Value::Body => Json::String(String::from_utf8_lossy(&self.response?.body).into_owned()),
            Value::RandomInt { low, high } => Json::from(fastrand::u64(low..high.max(low + 1))),
            Value::Length(inner) => match self.value(*inner)? {
                Json::String(text) => Json::from(text.encode_utf16().count()),
                Json::Array(items) => Json::from(items.len()),
                _ => return None,
            },
        })
    }

    /// The value as a number, as JavaScript's `Number(...)` reads numbers and numeric text.
    fn number(&mut self, value: Value) -> Option<f64> {
        match self.value(value)? {
            Json::Number(n) => n.as_f64(),
            Json::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The response body as JSON, read once; `None` without a response or JSON.
    fn body(&mut self) -> Option<&Json> {
        let response = self.response;
        self.body
            .get_or_insert_with(|| response.and_then(|r| serde_json::from_slice(&r.body).ok()))
            .as_ref()
    }
}

/// A value as a variable holds it: text as it is, anything else as JSON text.
fn text_of(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// JavaScript's truthiness of a JSON value.
fn truthy(value: &Json) -> bool {
    match value {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Json::String(s) => !s.is_empty(),
        Json::Array(_) | Json::Object(_) => true,
    }
}
