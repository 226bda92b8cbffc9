//! Pre-request and test scripts, understood: each script is parsed as JavaScript and what it
//! does to variables and to the request becomes [`Step`]s that the client runs (the runtime's
//! `scripts` module); what cannot be translated is a located warning and goes into the
//! operation's docs. Assertions (`pm.test`, `pm.expect`) are the collection's tests of the API:
//! the client does not run them, and the docs list what they check.

#[cfg(feature = "scripts")]
mod idioms;
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
    /// A script not translated in full: run as written where the client has its JavaScript
    /// engine, else its translated part.
    Script {
        /// Its index among [`super::Api::script_sources`].
        source: usize,
        /// What was translated of it.
        fallback: Vec<Step>,
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

/// A kind of thing scripts do, as the census counts them (a script can do several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Idiom {
    /// A test script writes a variable (a captured token or id).
    Capture,
    /// A pre-request script writes a variable (a computed value).
    PreRequestVariable,
    /// Headers, query parameters, body or URL of the request edited.
    RequestEdit,
    /// `throw`: the request is refused.
    Guard,
    /// `pm.test`, `pm.expect`, `tests[...]`.
    Assertion,
    /// Library code: `require` (but `uuid`), `CryptoJS`, `btoa`, `moment`, lodash, `eval`, ...
    Library,
    /// `pm.sendRequest`: a request of its own (a token fetch).
    SendRequest,
    /// `setNextRequest`, `skipRequest`: the order of a collection run.
    FlowControl,
}

impl Idiom {
    /// Every idiom, in the census's order.
    pub const ALL: [Self; 8] = [
        Self::Capture,
        Self::PreRequestVariable,
        Self::RequestEdit,
        Self::Guard,
        Self::Assertion,
        Self::Library,
        Self::SendRequest,
        Self::FlowControl,
    ];

    /// The idiom as the census names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::PreRequestVariable => "pre-request variable",
            Self::RequestEdit => "request edit",
            Self::Guard => "guard",
            Self::Assertion => "assertion",
            Self::Library => "library code",
            Self::SendRequest => "pm.sendRequest",
            Self::FlowControl => "flow control",
        }
    }

    /// Whether scripts that do it write variables or edit requests: those the client must
    /// run for its requests to be the collection's.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Self::Capture | Self::PreRequestVariable | Self::RequestEdit
        )
    }
}

/// A script, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// When it runs.
    pub listen: Listen,
    /// What it does, by kind, wherever in the script (functions and callbacks included).
    pub idioms: BTreeSet<Idiom>,
    /// Whether statements other than flow control (`setNextRequest`) were not translated:
    /// what the JavaScript engine could run; or the script draws random numbers, which the
    /// engine draws from a seed of the script's own. A script that is not valid JavaScript
    /// has none.
    pub needs_engine: bool,
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
    /// Whether the client runs the script as written where it has its JavaScript engine
    /// ([`Self::needs_engine`]).
    pub fn sandboxed(&self) -> bool {
        self.needs_engine
    }

    /// How much of the script the client runs.
    pub fn coverage(&self) -> Coverage {
        match (self.untranslated.is_empty(), self.steps.is_empty()) {
            (true, _) => Coverage::Full,
            (false, false) => Coverage::Partial,
            (false, true) => Coverage::None,
        }
    }
}

/// Scripts per coverage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Translated in full.
    pub full: usize,
    /// Translated in part.
    pub partial: usize,
    /// Not translated.
    pub none: usize,
}

impl Counts {
    fn add(&mut self, coverage: Coverage) {
        match coverage {
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

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.full += other.full;
        self.partial += other.partial;
        self.none += other.none;
    }
}

/// Per coverage, the scripts of a collection (each counted once, however many requests
/// inherit it): all of them, those that write variables or edit requests, and per idiom.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    /// Every script.
    pub all: Counts,
    /// Scripts that write variables or edit requests ([`Idiom::writes`]).
    pub writing: Counts,
    /// Scripts that use each idiom, in the order of [`Idiom::ALL`].
    pub idioms: [Counts; Idiom::ALL.len()],
    /// Scripts not translated in full that the client runs as written with its `js` feature
    /// ([`Translation::sandboxed`]).
    pub sandboxed: usize,
    /// Of those, the ones that write variables or edit requests.
    pub writing_sandboxed: usize,
}

impl Census {
    /// Counts `translation`.
    pub fn add(&mut self, translation: &Translation) {
        let coverage = translation.coverage();
        self.all.add(coverage);
        let sandboxed = translation.sandboxed() && coverage != Coverage::Full;
        self.sandboxed += usize::from(sandboxed);
        if translation.idioms.iter().any(|idiom| idiom.writes()) {
            self.writing.add(coverage);
            self.writing_sandboxed += usize::from(sandboxed);
        }
        for (i, idiom) in Idiom::ALL.iter().enumerate() {
            if translation.idioms.contains(idiom) {
                self.idioms[i].add(coverage);
            }
        }
    }
}

impl std::ops::AddAssign for Census {
    fn add_assign(&mut self, other: Self) {
        self.all += other.all;
        self.writing += other.writing;
        self.sandboxed += other.sandboxed;
        self.writing_sandboxed += other.writing_sandboxed;
        for (mine, theirs) in self.idioms.iter_mut().zip(other.idioms) {
            *mine += theirs;
        }
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
                    Step::Script { fallback, .. } => walk(fallback, names),
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
    let done = match (translation.coverage(), translation.sandboxed()) {
        (Coverage::None, false) => "the client does not run it",
        (_, false) => "the client runs the rest",
        (Coverage::None, true) => {
            "the client runs it as written with its `js` feature, else not at all"
        }
        (_, true) => "the client runs it as written with its `js` feature, else the rest",
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
        idioms: BTreeSet::new(),
        needs_engine: true,
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
