//! What changed in a generated client between two versions of its collection: each change to
//! its public items, classified as breaking (code written against the old client stops
//! compiling, or sends differently) or compatible, and the version bump that follows.
//!
//! Generated structs and enums are `#[non_exhaustive]`, so an optional field, a value, a
//! status or an operation that appears is compatible; whatever disappears or changes type is
//! breaking.

mod report;
mod surface;

use std::collections::BTreeMap;

pub use report::{Bump, Format};
use surface::{surface, Item};

use crate::ir::Api;

/// One change to the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item's path in the client (`users::update_a_user::Request.login_type`).
    pub item: String,
    /// What happened to it.
    pub what: String,
    /// Whether callers' code may stop compiling or send differently.
    pub breaking: bool,
    /// Breaking, but what breaks is what is sent or where: callers' code still compiles.
    pub silent: bool,
}

/// The changes between two clients, breaking ones first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in item order, breaking ones first.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The semver level of the changes.
    pub fn bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }
}

/// The changes from the client of `old` to the client of `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let (old, new) = (surface(old), surface(new));
    let moved = moved_operations(&old, &new);
    let under_moved = |path: &str| {
        moved.iter().any(|(from, to)| {
            [from, to]
                .iter()
                .any(|op| path == op.as_str() || path.starts_with(&format!("{op}::")))
        })
    };
    let mut changes: Vec<Change> = moved
        .iter()
        .map(|(from, to)| Change {
            item: from.clone(),
            what: format!("operation moved to `{to}` (renamed or moved to another folder)"),
            breaking: true,
            silent: false,
        })
        .collect();
    let paths: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    // An item whose operation, struct or enum comes or goes with it is not listed apart.
    let with_parent = |path: &str| {
        ancestors(path).any(|parent| old.contains_key(parent) != new.contains_key(parent))
    };
    for path in paths {
        if under_moved(path) || with_parent(path) {
            continue;
        }
        let change = match (old.get(path), new.get(path)) {
            (Some(before), None) => removed(before),
            (None, Some(after)) => added(after),
            (Some(before), Some(after)) if before != after => changed(before, after),
            _ => continue,
        };
        changes.push(Change {
            item: path.clone(),
            ..change
        });
    }
    changes.sort_by(|a, b| b.breaking.cmp(&a.breaking).then(a.item.cmp(&b.item)));
    Report { changes }
}

/// The paths that contain `path`: `a::b` and `a` for `a::b::Request.c`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices("::")
        .chain(path.match_indices('.'))
        .map(move |(at, _)| &path[..at])
}

/// Operations that are gone from one path and new at another with the same method and path
/// template (a renamed request, or one moved to another folder), each pair once.
fn moved_operations(
    old: &BTreeMap<String, Item>,
    new: &BTreeMap<String, Item>,
) -> Vec<(String, String)> {
    let only_in = |a: &BTreeMap<String, Item>, b: &BTreeMap<String, Item>| {
        let mut by_route: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, item) in a {
            if let Item::Operation { route, .. } = item {
                if !b.contains_key(path) {
                    by_route
                        .entry(route.clone())
                        .or_default()
                        .push(path.clone());
                }
            }
        }
        by_route
    };
    let (gone, appeared) = (only_in(old, new), only_in(new, old));
    gone.iter()
        .filter_map(
            |(route, from)| match (from.as_slice(), appeared.get(route)?.as_slice()) {
                ([from], [to]) => Some((from.clone(), to.clone())),
                _ => None,
            },
        )
        .collect()
}

fn kind(item: &Item) -> String {
    match item {
        Item::Operation { route, .. } => format!("operation `{route}`"),
        Item::Field { what, ty, .. } => format!("{what} (`{ty}`)"),
        Item::Struct => "struct".to_owned(),
        Item::Enum => "enum".to_owned(),
        Item::Value(value) => format!("value `{value}`"),
        Item::Status(_) => "status".to_owned(),
        Item::Server(url) => format!("server (`{url}`)"),
        Item::Paging { scheme, item } => format!("paging by {scheme} (items `{item}`)"),
    }
}

/// A change to an item whose path the caller fills in.
fn change(what: String, breaking: bool, silent: bool) -> Change {
    Change {
        item: String::new(),
        what,
        breaking,
        silent,
    }
}

fn removed(before: &Item) -> Change {
    // Servers are named by strings (`with_server("baseUrl", ..)`): code naming one compiles.
    let silent = matches!(before, Item::Server(_));
    change(format!("{} removed", kind(before)), true, silent)
}

fn added(after: &Item) -> Change {
    match after {
        Item::Field { required: true, .. } => change(
            format!("required {} added: `new` takes it", kind(after)),
            true,
            false,
        ),
        Item::Field { .. } => change(format!("optional {} added", kind(after)), false, false),
        _ => change(format!("{} added", kind(after)), false, false),
    }
}

fn changed(before: &Item, after: &Item) -> Change {
    // Only a type that changes stops callers' code compiling; the rest changes what is sent.
    let retyped = match (before, after) {
        (Item::Field { ty: a, .. }, Item::Field { ty: b, .. }) => a != b,
        (Item::Status(a), Item::Status(b)) => a != b,
        (Item::Paging { item: a, .. }, Item::Paging { item: b, .. }) => a != b,
        (Item::Operation { .. }, Item::Operation { .. })
        | (Item::Value(_), Item::Value(_))
        | (Item::Server(_), Item::Server(_)) => false,
        _ => true,
    };
    let what = match (before, after) {
        (
            Item::Operation {
                route: a,
                sending: x,
            },
            Item::Operation {
                route: b,
                sending: y,
            },
        ) => {
            if a != b {
                format!("sends `{b}` instead of `{a}`")
            } else {
                format!("sent with {y} instead of {x}")
            }
        }
        (Item::Field { ty: a, what: x, .. }, Item::Field { ty: b, what: y, .. }) => {
            if a != b {
                format!("{y}: type `{a}` → `{b}`")
            } else {
                format!("sent as {y} instead of {x}")
            }
        }
        (Item::Value(a), Item::Value(b)) => format!("sent as `{b}` instead of `{a}`"),
        (Item::Status(a), Item::Status(b)) => format!(
            "body `{}` → `{}`",
            a.as_deref().unwrap_or("none"),
            b.as_deref().unwrap_or("none")
        ),
        (Item::Server(a), Item::Server(b)) => format!("default URL `{a}` → `{b}`"),
        (Item::Paging { .. }, Item::Paging { .. }) => {
            format!("{} instead of {}", kind(after), kind(before))
        }
        _ => format!("{} became {}", kind(before), kind(after)),
    };
    change(what, true, !retyped)
}
