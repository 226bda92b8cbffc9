//! What a collection's pre-request and test scripts do, as the generator translated them: steps
//! that set and unset variables, edit the request's headers and query and stop a request a
//! guard refuses.
//! The client runs them as Postman does, the collection's first, then each folder's, then the
//! request's own: pre-request steps before the request is built, test steps once the response
//! is in. Variables they write are shared by a client and its clones, as one environment is
//! shared by a Postman run; [`Client::with_scripts`](super::Client::with_scripts) turns them off.

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
    /// Sets a query parameter, replacing any of that key (`pm.request.url.query.upsert`).
    SetQuery {
        /// Its key.
        name: &'static str,
        /// Its value.
        value: Value,
    },
    /// Adds a query parameter (`pm.request.url.query.add`).
    AddQuery {
        /// Its key.
        name: &'static str,
        /// Its value.
        value: Value,
    },
    /// Removes a query parameter (`pm.request.url.query.remove`).
    RemoveQuery {
        /// Its key.
        name: &'static str,
    },
    /// Stops with the script's own message (`throw new Error("...")`).
    Fail {
        /// What the script says.
        message: Value,
    },
    /// A script the generator could not translate in full, as written: run in the embedded
    /// JavaScript engine with the runtime's `js` feature, else its translated part.
    Script {
        /// The script's source.
        source: &'static str,
        /// What the generator translated of it.
        fallback: &'static [Step],
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
pub(super) struct Written {
    values: Mutex<BTreeMap<(Scope, String), String>>,
    #[cfg(feature = "js")]
    /// In a scratch copy ([`Written::scratch`]), each write in order, for
    /// [`Written::commit`].
    log: Option<Mutex<Vec<Write>>>,
}

#[cfg(feature = "js")]
/// A variable written, or removed (`None`).
type Write = (Scope, String, Option<String>);

impl Written {
    /// `variables` with what scripts wrote over each scope's values.
    pub(super) fn over(&self, variables: &Arc<Variables>) -> Arc<Variables> {
        let written = self.values.lock().unwrap_or_else(PoisonError::into_inner);
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

    pub(super) fn set(&self, scope: Scope, name: &str, value: Option<String>) {
        #[cfg(feature = "js")]
        if let Some(log) = &self.log {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push((scope, name.to_owned(), value.clone()));
        }
        let mut written = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (scope, name.to_owned());
        match value {
            Some(value) => written.insert(key, value),
            None => written.remove(&key),
        };
    }

    #[cfg(feature = "js")]
    /// A copy to run scripts on that may have to run again: what they write is kept apart
    /// until [`Written::commit`].
    pub(super) fn scratch(&self) -> Self {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        Self {
            values: Mutex::new(values.clone()),
            log: Some(Mutex::default()),
        }
    }

    #[cfg(feature = "js")]
    /// Writes here what was written to `scratch`, in order.
    pub(super) fn commit(&self, scratch: Self) {
        let log = scratch
            .log
            .map(|log| log.into_inner().unwrap_or_else(PoisonError::into_inner));
        for (scope, name, value) in log.unwrap_or_default() {
            self.set(scope, &name, value);
        }
    }
}

/// What pre-request steps ask of the request being built.
#[derive(Debug, Default)]
pub(super) struct RequestEdits {
    /// Header and query edits, in order.
    pub(super) edits: Vec<Edit>,
    #[cfg(feature = "js")]
    /// A new method or URL, or new path segments, that scripts run as written gave the request.
    pub(super) target: super::sandbox::Target,
}

/// One edit of the request: a header or query parameter, its new value (`None` to remove
/// it), and whether it replaces those of its name (an upsert or removal) or is added.
#[derive(Debug)]
pub(super) struct Edit {
    pub(super) query: bool,
    pub(super) name: String,
    pub(super) value: Option<String>,
    pub(super) replace: bool,
}

/// Where steps run: the variables they read and write, and the response when there is one.
pub(super) struct Run<'a> {
    /// The operation whose scripts run, for those that read the request (`pm.request`).
    pub(super) operation: Option<super::OperationId>,
    pub(super) written: &'a Written,
    pub(super) variables: &'a Arc<Variables>,
    pub(super) response: Option<&'a RawResponse>,
    pub(super) edits: RequestEdits,
    /// The variables set so far (name, value), in order.
    pub(super) captured: Vec<(String, String)>,
    body: Option<Option<Json>>,
    /// The seed the run's scripts draw random numbers from, and the numbers its translated
    /// steps draw.
    pub(super) seed: u32,
    random: super::random::Random,
    #[cfg(feature = "js")]
    /// The requests scripts send (`pm.sendRequest`) and the answers they got.
    pub(super) sent: super::sandbox::Sent,
    #[cfg(feature = "js")]
    /// The request as it is built before the scripts run, for scripts run as written to read
    /// (`operation::request_view`).
    pub(super) request: Option<Json>,
    #[cfg(feature = "js")]
    /// The JavaScript engine the run's scripts share, once one runs.
    pub(super) engine: Option<super::sandbox::Engine>,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        written: &'a Written,
        variables: &'a Arc<Variables>,
        response: Option<&'a RawResponse>,
    ) -> Self {
        Self {
            operation: None,
            written,
            variables,
            response,
            edits: RequestEdits::default(),
            captured: Vec::new(),
            body: None,
            seed: 0,
            random: super::random::Random::new(0),
            #[cfg(feature = "js")]
            sent: super::sandbox::Sent::default(),
            #[cfg(feature = "js")]
            request: None,
            #[cfg(feature = "js")]
            engine: None,
        }
    }

    #[cfg(feature = "js")]
    /// Gives scripts run as written the request as `view` builds it, where `steps` hold any.
    pub(super) fn view_request(&mut self, steps: &[Step], view: &(dyn Fn() -> Json + Sync)) {
        if steps.iter().any(|step| matches!(step, Step::Script { .. })) {
            self.request = Some(view());
        }
    }

    /// Draws random numbers from `seed`, from the start.
    pub(super) fn seeded(&mut self, seed: u32) {
        self.seed = seed;
        self.random = super::random::Random::new(seed);
    }

    /// Runs `steps` in order; a [`Step::Fail`] stops them with its message. With the `js`
    /// feature, a script waiting for the requests it sent stops them too, without an error:
    /// they run again with the answers.
    pub(super) fn steps(&mut self, steps: &[Step]) -> Result<(), BuildError> {
        for step in steps {
            #[cfg(feature = "js")]
            if !self.sent.pending.is_empty() {
                return Ok(());
            }
            match *step {
                Step::Set { scope, name, value } => {
                    // A field the response lacks is JavaScript's `undefined`, which Postman
                    // stores and sends as `null`; a value that could not be read at all (no
                    // JSON, a missing parent) stopped the script there, so nothing is written.
                    let value = match self.value(value) {
                        Some(v) => Some(text_of(&v)),
                        None if self.absent_field(value) => Some("null".to_owned()),
                        None => None,
                    };
                    if let Some(value) = &value {
                        self.captured.push((name.to_owned(), value.clone()));
                    }
                    self.written.set(scope, name, value);
                }
                Step::Unset { scope, name } => self.written.set(scope, name, None),
                Step::SetHeader { name, value }
                | Step::AddHeader { name, value }
                | Step::SetQuery { name, value }
                | Step::AddQuery { name, value } => {
                    let value = self.value(value).map(|v| text_of(&v));
                    self.edits.edits.push(Edit {
                        query: matches!(step, Step::SetQuery { .. } | Step::AddQuery { .. }),
                        name: name.to_owned(),
                        value: Some(value.unwrap_or_else(|| "undefined".to_owned())),
                        replace: matches!(step, Step::SetHeader { .. } | Step::SetQuery { .. }),
                    });
                }
                Step::RemoveHeader { name } | Step::RemoveQuery { name } => {
                    self.edits.edits.push(Edit {
                        query: matches!(step, Step::RemoveQuery { .. }),
                        name: name.to_owned(),
                        value: None,
                        replace: true,
                    });
                }
                Step::Fail { message } => {
                    let message = self
                        .value(message)
                        .map_or_else(String::new, |v| text_of(&v));
                    return Err(BuildError::new(format!(
                        "a script stopped the request: {message}"
                    )));
                }
                Step::Script { source, fallback } => self.script(source, fallback)?,
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

    #[cfg(feature = "js")]
    /// A script not translated in full, as written, in the JavaScript engine.
    fn script(&mut self, source: &str, _fallback: &[Step]) -> Result<(), BuildError> {
        super::sandbox::run(self, source)
    }

    #[cfg(not(feature = "js"))]
    /// A script not translated in full, without the JavaScript engine: its translated part.
    fn script(&mut self, _source: &str, fallback: &[Step]) -> Result<(), BuildError> {
        self.steps(fallback)
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
            Value::RandomInt { low, high } => {
                // `Math.floor(Math.random() * (high - low)) + low`, as the script drew it.
                let span = high.saturating_sub(low).max(1) as f64;
                Json::from(low + (self.random.next() * span) as u64)
            }
            Value::Length(inner) => match self.value(*inner)? {
                Json::String(text) => Json::from(text.encode_utf16().count()),
                Json::Array(items) => Json::from(items.len()),
                _ => return None,
            },
        })
    }

    /// Whether `value` is a field of the response's JSON that its parent object lacks
    /// (`data.id` where `data` has no `id`).
    fn absent_field(&mut self, value: Value) -> bool {
        let (Value::Json(pointer) | Value::JsonText(pointer)) = value else {
            return false;
        };
        let Some((parent, _)) = pointer.rsplit_once('/') else {
            return false;
        };
        matches!(
            self.body().and_then(|body| body.pointer(parent)),
            Some(Json::Object(_))
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> RawResponse {
        let mut headers = http::HeaderMap::new();
        headers.insert("location", http::HeaderValue::from_static("/carts/c-1"));
        RawResponse {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    fn variables(pairs: &[(&str, &str)]) -> Arc<Variables> {
        let mut variables = Variables::default();
        for (name, value) in pairs {
            variables
                .environment
                .insert((*name).to_owned(), Variable::new(name, value, false));
        }
        Arc::new(variables)
    }

    /// Runs `steps` on `response` and gives the variable `name` as requests then see it.
    fn after(steps: &[Step], response: Option<&RawResponse>, name: &str) -> Option<String> {
        let (written, base) = (Written::default(), variables(&[("user", "ada")]));
        Run::new(&written, &base, response).steps(steps).unwrap();
        written.over(&base).get(name).map(|v| v.value.clone())
    }

    #[test]
    fn values_come_from_the_response_and_the_variables() {
        let r = response(
            201,
            r#"{"data": [{"id": 7, "tags": ["a", "b"]}], "name": "x"}"#,
        );
        let set = |value| {
            [Step::Set {
                scope: Scope::Environment,
                name: "v",
                value,
            }]
        };
        assert_eq!(
            after(&set(Value::Json("/data/0/id")), Some(&r), "v").as_deref(),
            Some("7")
        );
        assert_eq!(
            after(&set(Value::Json("/name")), Some(&r), "v").as_deref(),
            Some("x")
        );
        assert_eq!(
            after(&set(Value::JsonText("/data/0/tags")), Some(&r), "v").as_deref(),
            Some(r#"["a","b"]"#)
        );
        assert_eq!(
            after(&set(Value::Status), Some(&r), "v").as_deref(),
            Some("201")
        );
        assert_eq!(
            after(&set(Value::Header("Location")), Some(&r), "v").as_deref(),
            Some("/carts/c-1")
        );
        assert_eq!(
            after(
                &set(Value::Concat(&[
                    Value::Text("hi "),
                    Value::Variable("user"),
                    Value::Variable("nobody")
                ])),
                None,
                "v"
            )
            .as_deref(),
            Some("hi adaundefined"),
            "an undefined part is written as JavaScript writes it"
        );
        assert_eq!(
            after(&set(Value::Template("{{user}}!")), None, "v").as_deref(),
            Some("ada!")
        );
        assert_eq!(
            after(
                &set(Value::Length(&Value::Json("/data/0/tags"))),
                Some(&r),
                "v"
            )
            .as_deref(),
            Some("2")
        );
        // A field the body lacks is `undefined`, which Postman stores and sends as `null`;
        // a path through a missing field, or no response before the request, throws in
        // JavaScript: nothing is set.
        assert_eq!(
            after(&set(Value::Json("/missing")), Some(&r), "v").as_deref(),
            Some("null")
        );
        assert_eq!(after(&set(Value::Json("/missing/id")), Some(&r), "v"), None);
        assert_eq!(after(&set(Value::Status), None, "v"), None);
    }

    #[test]
    fn generated_values_have_their_shapes() {
        let set = |value| {
            [Step::Set {
                scope: Scope::Local,
                name: "v",
                value,
            }]
        };
        let iso = after(&set(Value::NowIso), None, "v").unwrap();
        assert!(iso.len() == 24 && iso.ends_with('Z'), "{iso}");
        let millis: u64 = after(&set(Value::NowMillis), None, "v")
            .unwrap()
            .parse()
            .unwrap();
        let seconds: u64 = after(&set(Value::NowSeconds), None, "v")
            .unwrap()
            .parse()
            .unwrap();
        assert!(millis / 1000 >= seconds && millis / 1000 - seconds <= 1);
        assert_eq!(after(&set(Value::Uuid), None, "v").unwrap().len(), 36);
        for _ in 0..50 {
            let n: u64 = after(&set(Value::RandomInt { low: 10, high: 13 }), None, "v")
                .unwrap()
                .parse()
                .unwrap();
            assert!((10..13).contains(&n));
        }
    }

    #[test]
    fn conditions_follow_javascript() {
        let r = response(
            200,
            r#"{"id": 0, "name": "", "list": [], "ok": true, "none": null}"#,
        );
        let holds = |condition| {
            let written = Written::default();
            let base = variables(&[]);
            let mut run = Run::new(&written, &base, Some(&r));
            run.holds(condition)
        };
        assert!(!holds(Condition::Truthy(Value::Json("/id"))), "0 is falsy");
        assert!(
            !holds(Condition::Truthy(Value::Json("/name"))),
            "'' is falsy"
        );
        assert!(
            holds(Condition::Truthy(Value::Json("/list"))),
            "[] is truthy"
        );
        assert!(holds(Condition::Defined(Value::Json("/id"))));
        assert!(
            !holds(Condition::Defined(Value::Json("/none"))),
            "null is not defined"
        );
        assert!(!holds(Condition::Defined(Value::Json("/absent"))));
        assert!(holds(Condition::Equals(Value::Status, Value::Text("200"))));
        assert!(holds(Condition::Compare(
            Value::Status,
            Order::Less,
            Value::Text("300")
        )));
        assert!(!holds(Condition::Compare(
            Value::Length(&Value::Json("/list")),
            Order::Greater,
            Value::Text("0")
        )));
        assert!(
            !holds(Condition::Compare(
                Value::Json("/name"),
                Order::Greater,
                Value::Text("x")
            )),
            "not numbers"
        );
        assert!(holds(Condition::All(&[
            Condition::Truthy(Value::Json("/ok")),
            Condition::Not(&Condition::Truthy(Value::Json("/id")))
        ])));
        assert!(holds(Condition::Any(&[
            Condition::Truthy(Value::Json("/id")),
            Condition::Truthy(Value::Json("/ok"))
        ])));
    }

    #[test]
    fn steps_write_shared_variables_edit_headers_and_stop() {
        let written = Written::default();
        let base = variables(&[("token", "configured")]);
        let steps = [
            Step::Set {
                scope: Scope::Environment,
                name: "token",
                value: Value::Text("captured"),
            },
            Step::Set {
                scope: Scope::Local,
                name: "gone",
                value: Value::Text("x"),
            },
            Step::Unset {
                scope: Scope::Local,
                name: "gone",
            },
            Step::SetHeader {
                name: "X-A",
                value: Value::Variable("token"),
            },
            Step::RemoveHeader { name: "X-B" },
            Step::If {
                condition: Condition::Truthy(Value::Variable("missing")),
                then: &[Step::Fail {
                    message: Value::Text("not reached"),
                }],
                otherwise: &[Step::AddHeader {
                    name: "X-C",
                    value: Value::Text("c"),
                }],
            },
        ];
        let mut run = Run::new(&written, &base, None);
        run.steps(&steps).unwrap();
        let edits: Vec<(&str, Option<&str>, bool)> = run
            .edits
            .edits
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_deref(), e.replace))
            .collect();
        assert_eq!(
            edits,
            [
                ("X-A", Some("captured"), true),
                ("X-B", None, true),
                ("X-C", Some("c"), false)
            ]
        );
        let current = written.over(&base);
        assert_eq!(
            current.get("token").map(|v| v.value.as_str()),
            Some("captured"),
            "a script's value wins in its scope"
        );
        assert!(
            format!("{current:?}").contains(r#""token": "<redacted>""#),
            "named like a credential, it is redacted: {current:?}"
        );
        assert!(current.get("gone").is_none());
        let error = Run::new(&written, &base, None)
            .steps(&[Step::Fail {
                message: Value::Concat(&[Value::Text("need "), Value::Text("x")]),
            }])
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot build request: a script stopped the request: need x"
        );
    }

    /// A script not translated in full runs as written with the `js` feature, else its
    /// translated part.
    #[test]
    fn a_script_runs_in_the_engine_or_its_translated_part() {
        let steps = [Step::Script {
            source: "pm.environment.set('ran', ['engine'].join(''));",
            fallback: &[Step::Set {
                scope: Scope::Environment,
                name: "ran",
                value: Value::Text("fallback"),
            }],
        }];
        let expected = if cfg!(feature = "js") {
            "engine"
        } else {
            "fallback"
        };
        assert_eq!(after(&steps, None, "ran").as_deref(), Some(expected));
    }

    /// A script run as written draws from the run's seed mixed with its text; translated steps
    /// draw from the seed itself.
    #[test]
    fn scripts_and_steps_draw_from_the_run_s_seed() {
        const SOURCE: &str = "pm.environment.set('a', String(Math.random()));";
        let steps = [
            Step::Script {
                source: SOURCE,
                fallback: &[],
            },
            Step::Set {
                scope: Scope::Environment,
                name: "b",
                value: Value::RandomInt {
                    low: 0,
                    high: 1_000_000,
                },
            },
        ];
        let drawn = || {
            let (written, base) = (Written::default(), variables(&[]));
            let mut run = Run::new(&written, &base, None);
            run.seeded(42);
            run.steps(&steps).unwrap();
            let value = |name| written.over(&base).get(name).map(|v| v.value.clone());
            (value("a"), value("b"))
        };
        let (a, b) = drawn();
        // mulberry32(42) draws 0.6011037519201636 first.
        assert_eq!(b.as_deref(), Some("601103"));
        #[cfg(feature = "js")]
        {
            let own = super::super::random::Random::for_script(42, SOURCE).next();
            assert_eq!(a, Some(own.to_string()));
        }
        #[cfg(not(feature = "js"))]
        assert_eq!(a, None);
        assert_eq!(drawn(), (a, b), "the same seed, the same numbers");
    }
}
