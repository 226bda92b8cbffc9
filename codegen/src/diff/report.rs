//! A diff report as text, Markdown or JSON, and the version that follows it.

use std::fmt::Write as _;

use super::Report;

/// The semver level of a set of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing in the generated API changed.
    None,
    /// Additions only.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "patch (no API change)",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// The version after `current` (`MAJOR.MINOR.PATCH`) under Cargo's rules, where in
    /// `0.y.z` a breaking change bumps `y` and an addition `z`; `None` when `current` is not
    /// such a version.
    pub fn next(self, current: &str) -> Option<String> {
        let parts: Vec<u64> = current
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match (self, major, minor) {
            (_, 0, 0) => format!("0.0.{}", patch + 1),
            (Self::Major, 0, _) => format!("0.{}.0", minor + 1),
            (_, 0, _) => format!("0.{minor}.{}", patch + 1),
            (Self::Major, _, _) => format!("{}.0.0", major + 1),
            (Self::Minor, _, _) => format!("{major}.{}.0", minor + 1),
            (Self::None, _, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One line per change.
    #[default]
    Text,
    /// A section for a pull request or a CHANGELOG.
    Markdown,
    /// For tools.
    Json,
}

impl Report {
    /// The report in `format`; `version` is the client's current version, if known.
    pub fn render(&self, format: Format, version: Option<&str>) -> String {
        let bump = self.bump();
        let next = version.and_then(|v| bump.next(v));
        let suggestion = match &next {
            Some(next) => format!("{} ({next})", bump.name()),
            None => bump.name().to_owned(),
        };
        match format {
            Format::Text => {
                let mut out = String::new();
                for change in &self.changes {
                    let _ = writeln!(out, "{}  {}: {}", label(change), change.item, change.what);
                }
                if self.changes.is_empty() {
                    out.push_str("no API change\n");
                }
                let _ = writeln!(out, "suggested version bump: {suggestion}");
                out
            }
            Format::Markdown => {
                let mut out =
                    format!("## API changes\n\nSuggested version bump: **{suggestion}**\n");
                if self.changes.is_empty() {
                    out.push_str("\nNo API change.\n");
                }
                for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
                    let listed: Vec<_> = self
                        .changes
                        .iter()
                        .filter(|c| c.breaking == breaking)
                        .collect();
                    if listed.is_empty() {
                        continue;
                    }
                    let _ = write!(out, "\n### {title}\n\n");
                    for change in listed {
                        let silent = if change.silent {
                            " (compiles, sends differently)"
                        } else {
                            ""
                        };
                        let _ = writeln!(out, "- `{}`: {}{silent}", change.item, change.what);
                    }
                }
                out
            }
            Format::Json => {
                let changes: Vec<serde_json::Value> = self
                    .changes
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "item": c.item,
                            "change": c.what,
                            "breaking": c.breaking,
                            "compiles": !c.breaking || c.silent,
                        })
                    })
                    .collect();
                let report = serde_json::json!({
                    "bump": match bump {
                        Bump::None => "patch",
                        Bump::Minor => "minor",
                        Bump::Major => "major",
                    },
                    "next_version": next,
                    "breaking": self.is_breaking(),
                    "changes": changes,
                });
                format!("{report:#}\n")
            }
        }
    }
}

/// The column of a change in the text report.
fn label(change: &super::Change) -> &'static str {
    match (change.breaking, change.silent) {
        (false, _) => "compatible          ",
        (true, false) => "breaking            ",
        (true, true) => "breaking (behaviour)",
    }
}

#[cfg(test)]
mod tests {
    use super::Bump;

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(Bump::Major.next("1.4.2").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.next("1.4.2").as_deref(), Some("1.5.0"));
        assert_eq!(Bump::None.next("1.4.2").as_deref(), Some("1.4.3"));
        assert_eq!(Bump::Major.next("0.4.2").as_deref(), Some("0.5.0"));
        assert_eq!(Bump::Minor.next("0.4.2").as_deref(), Some("0.4.3"));
        assert_eq!(Bump::Major.next("0.0.7").as_deref(), Some("0.0.8"));
        assert_eq!(Bump::Major.next("v1"), None);
    }
}
