//! Errors and warnings, each naming the file, the item path and the JSON location.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was dropped or degraded; generation went on.
    Warning,
    /// The input cannot be used.
    Error,
}

/// One message about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The collection file.
    pub file: String,
    /// Folder and request names leading to the item, empty for the collection itself.
    pub item_path: Vec<String>,
    /// JSON pointer into the file (`/item/0/request/url`), or `line L column C`.
    pub location: String,
    /// What is wrong and what was done about it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.file)?;
        if !self.item_path.is_empty() {
            write!(f, ": {}", self.item_path.join(" / "))?;
        }
        if !self.location.is_empty() {
            write!(f, " (at {})", self.location)?;
        }
        write!(f, ": {}", self.message.replace(['\n', '\r'], " "))
    }
}

/// Collects diagnostics for one file.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    file: String,
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list for `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            list: Vec::new(),
        }
    }

    /// Records a warning.
    pub fn warn(&mut self, item_path: &[String], location: &str, message: impl Into<String>) {
        self.list
            .push(self.make(Severity::Warning, item_path, location, message));
    }

    /// Records a warning unless the same one (location and message) is already recorded: for
    /// what every request that inherits a block would repeat.
    pub fn warn_once(&mut self, item_path: &[String], location: &str, message: impl Into<String>) {
        let message = message.into();
        let seen = self
            .list
            .iter()
            .any(|d| d.location == location && d.message == message);
        if !seen {
            self.warn(item_path, location, message);
        }
    }

    /// Builds an error diagnostic for this file.
    pub fn error(
        &self,
        item_path: &[String],
        location: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.make(Severity::Error, item_path, location, message)
    }

    fn make(
        &self,
        severity: Severity,
        item_path: &[String],
        location: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.file.clone(),
            item_path: item_path.to_vec(),
            location: location.to_owned(),
            message: message.into(),
        }
    }

    /// Everything recorded so far.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

/// Appends `key` to a JSON pointer, escaping `~` and `/`.
pub fn pointer(base: &str, key: impl fmt::Display) -> String {
    let key = key.to_string().replace('~', "~0").replace('/', "~1");
    format!("{base}/{key}")
}
