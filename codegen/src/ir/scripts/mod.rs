//! Pre-request and test scripts, understood: each script is parsed as JavaScript and what it
//! does to variables and to the request becomes [`Step`]s that the client runs (the runtime's
//! `scripts` module); what cannot be translated is a located warning and goes into the
//! operation's docs. Assertions (`pm.test`, `pm.expect`) are the collection's tests of the API:
//! the client does not run them, and the docs list what they check.

#[cfg(feature = "scripts")]
mod translate;

use std::collections::{BTreeMap, BTreeSet};

use crate::collection::{Listen, Script};

/// A variable scope of Postman's, as the runtime names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `pm.globals`.
    Globals,
    /// `pm.collectionVariables`.
    Collection,
    /// `pm.environment`.
    Environment,
    /// `pm.variables`.
    Local,
}

/// A value a step computes (the runtime's `scripts::Value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Literal text.
    Text(String),
    /// A variable's value.
    Variable(String),
    /// A text with its variables resolved when the step runs.
    Template(String),
    /// Texts joined.
    Concat(Vec<Value>),
    /// The response body's value at a JSON pointer.
    Json(String),
    /// The same, as JSON text.
    JsonText(String),
    /// A response header.
    Header(String),
    /// The response status.
    Status,
    /// `Date.now()`.
    NowMillis,
    /// Unix seconds.
    NowSeconds,
    /// ISO 8601 time.
    NowIso,
    /// A random UUID.
    Uuid,
    /// A random whole number in `low..high` (`Math.floor(Math.random() * N) + M`).
    RandomInt {
        /// Smallest.
        low: u64,
        /// One more than the largest.
        high: u64,
    },
    /// The length of a text or list (`.length`).
    Length(Box<Value>),
    /// The response body as text (`responseBody`).
    Body,
}

/// How [`Condition::Compare`] compares, as numbers.
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

/// A condition (the runtime's `scripts::Condition`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// JavaScript truthiness.
    Truthy(Value),
    /// Neither undefined nor null.
    Defined(Value),
    /// Equal as texts.
    Equals(Value, Value),
    /// Ordered as numbers.
    Compare(Value, Order, Value),
    /// Negation.
    Not(Box<Condition>),
    /// Conjunction.
    All(Vec<Condition>),
    /// Disjunction.
    Any(Vec<Condition>),
}

/// One thing a script does (the runtime's `scripts::Step`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Sets a variable.
    Set {
        /// Scope.
        scope: Scope,
        /// Name.
        name: String,
        /// Value.
        value: Value,
    },
    /// Removes a variable.
    Unset {
        /// Scope.
        scope: Scope,
        /// Name.
        name: String,
    },
    /// Sets a header, replacing others of its name.
    SetHeader {
        /// Header name.
        name: String,
        /// Value.
        value: Value,
    },
    /// Adds a header.
    AddHeader {
        /// Header name.
        name: String,
        /// Value.
        value: Value,
    },
    /// Removes a header.
    RemoveHeader {
        /// Header name.
        name: String,
    },
    /// Sets a query parameter, replacing others of its key.
    SetQuery {
        /// Key.
        name: String,
        /// Value.
        value: Value,
    },
    /// Adds a query parameter.
    AddQuery {
        /// Key.
        name: String,
        /// Value.
        value: Value,
    },
    /// Removes a query parameter.
    RemoveQuery {
        /// Key.
        name: String,
    },
    /// Stops the request with the script's message.
    Fail {
        /// The message.
        message: Value,
    },
    /// Conditional steps.
    If {
        /// Condition.
        condition: Condition,
        /// When it holds.
        then: Vec<Step>,
        /// When it does not.
        otherwise: Vec<Step>,
    },
}

/// How much of a script the client runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    /// All it does (assertions and logging are not part of calling the API).
    Full,
    /// Some statements could not be translated.
    Partial,
    /// None of what it does could be translated.
    None,
}

/// A script, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// When it runs.
    pub listen: Listen,
    /// What the client runs.
    pub steps: Vec<Step>,
    /// Statements the client does not run: line (1-based) and what it is.
    pub untranslated: Vec<(usize, String)>,
    /// The names of the checks it makes (`pm.test("Status is 200", ...)`), not run.
    pub assertions: Vec<String>,
    /// Its source, for the docs when it was not translated in full.
    pub source: String,
}

impl Translation {
    /// How much of the script the client runs.
    pub fn coverage(&self) -> Coverage {
        match (self.untranslated.is_empty(), self.steps.is_empty()) {
            (true, _) => Coverage::Full,
            (false, false) => Coverage::Partial,
            (false, true) => Coverage::None,
        }
    }
}

/// Per coverage, the scripts of a collection (each counted once, however many requests
/// inherit it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    /// Translated in full.
    pub full: usize,
    /// Translated in part.
    pub partial: usize,
    /// Not translated.
    pub none: usize,
}

impl Census {
    /// Counts `translation`.
    pub fn add(&mut self, translation: &Translation) {
        match translation.coverage() {
            Coverage::Full => self.full += 1,
            Coverage::Partial => self.partial += 1,
            Coverage::None => self.none += 1,
        }
    }

    /// Scripts counted.
    pub fn total(&self) -> usize {
        self.full + self.partial + self.none
    }
}

/// Scripts translated once each, by their JSON location: a collection's script is inherited
/// by every request but understood (and warned about) once.
#[derive(Debug, Default)]
pub struct Translations(BTreeMap<String, Translation>);

impl Translations {
    /// The translation of `script`, made on first use; `warn` receives what was not
    /// translated (a message for the script's location).
    pub fn get(&mut self, script: &Script, mut warn: impl FnMut(&str, String)) -> &Translation {
        self.0.entry(script.location.clone()).or_insert_with(|| {
            let translation = translate(script);
            if let Some(message) = untranslated_message(&translation) {
                warn(&script.location, message);
            }
            translation
        })
    }

    /// The variables test scripts set from a response (an id the API handed out), by name.
    pub fn captured(&self) -> BTreeSet<String> {
        fn from_response(value: &Value) -> bool {
            match value {
                Value::Json(_)
                | Value::JsonText(_)
                | Value::Header(_)
                | Value::Status
                | Value::Body => true,
                Value::Concat(parts) => parts.iter().any(from_response),
                Value::Length(inner) => from_response(inner),
                _ => false,
            }
        }
        fn walk(steps: &[Step], names: &mut BTreeSet<String>) {
            for step in steps {
                match step {
                    Step::Set { name, value, .. } if from_response(value) => {
                        names.insert(name.clone());
                    }
                    Step::If {
                        then, otherwise, ..
                    } => {
                        walk(then, names);
                        walk(otherwise, names);
                    }
                    _ => {}
                }
            }
        }
        let mut names = BTreeSet::new();
        for translation in self.0.values().filter(|t| t.listen == Listen::Test) {
            walk(&translation.steps, &mut names);
        }
        names
    }

    /// How many scripts were translated in full, in part, not at all.
    pub fn census(&self) -> Census {
        let mut census = Census::default();
        for translation in self.0.values() {
            census.add(translation);
        }
        census
    }
}

/// The warning for what `translation` leaves out, if anything.
fn untranslated_message(translation: &Translation) -> Option<String> {
    let (first, rest) = translation.untranslated.split_first()?;
    let mut lines = format!("line {}: {}", first.0, first.1);
    for (line, what) in rest.iter().take(4) {
        lines.push_str(&format!("; line {line}: {what}"));
    }
    if rest.len() > 4 {
        lines.push_str(&format!("; and {} more", rest.len() - 4));
    }
    let done = match translation.coverage() {
        Coverage::None => "the client does not run it",
        _ => "the client runs the rest",
    };
    Some(format!(
        "{} script not translated ({lines}); {done}, and the operation's docs show the script",
        translation.listen.name()
    ))
}

/// Understands `script`.
#[cfg(feature = "scripts")]
fn translate(script: &Script) -> Translation {
    translate::translate(script)
}

/// Without the `scripts` feature, scripts are read but not understood.
#[cfg(not(feature = "scripts"))]
fn translate(script: &Script) -> Translation {
    Translation {
        listen: script.listen,
        steps: Vec::new(),
        untranslated: vec![(
            1,
            "scripts are not translated (postman-codegen built without its `scripts` feature)"
                .to_owned(),
        )],
        assertions: Vec::new(),
        source: script.source.clone(),
    }
}
