//! Operation names a person would write. A request's own name stays when it is short; a name
//! written as a sentence (`Retrieve a list of all short codes in the proxy number pool for the
//! service...`) becomes a verb, from the name or else from the method, and the nouns of the
//! path: `list_service_short_codes`. Each depends on its own request only, so names stay put
//! when other requests come and go.

use crate::naming::{singular, snake};

/// Words of a name that stays as written: words that carry meaning, and all words.
const MAX_WORDS: usize = 6;
const MAX_ALL_WORDS: usize = 8;

/// The longest name made, in characters.
pub const MAX_CHARS: usize = 50;

/// Words that say nothing on their own in a name.
const FILLER: &[&str] = &[
    "a", "an", "the", "of", "for", "to", "in", "on", "by", "with", "and", "or", "from", "at", "as",
    "is", "are", "be", "this", "that", "all", "your", "its", "their", "given", "specific", "via",
    "using", "based", "which", "will", "can", "it",
];

/// Verbs that open request names, and the one a name uses for each.
const VERBS: &[(&str, &str)] = &[
    ("get", "get"),
    ("retrieve", "get"),
    ("fetch", "get"),
    ("return", "get"),
    ("read", "get"),
    ("show", "get"),
    ("view", "get"),
    ("obtain", "get"),
    ("list", "list"),
    ("create", "create"),
    ("add", "add"),
    ("post", "create"),
    ("update", "update"),
    ("modify", "update"),
    ("change", "update"),
    ("edit", "update"),
    ("patch", "update"),
    ("replace", "replace"),
    ("set", "set"),
    ("delete", "delete"),
    ("remove", "remove"),
    ("search", "search"),
    ("find", "find"),
    ("query", "query"),
    ("send", "send"),
    ("upload", "upload"),
    ("download", "download"),
    ("enable", "enable"),
    ("disable", "disable"),
    ("start", "start"),
    ("stop", "stop"),
    ("cancel", "cancel"),
    ("approve", "approve"),
    ("reject", "reject"),
    ("revoke", "revoke"),
    ("verify", "verify"),
    ("validate", "validate"),
    ("check", "check"),
    ("assign", "assign"),
    ("unassign", "unassign"),
    ("move", "move"),
    ("copy", "copy"),
    ("import", "import"),
    ("export", "export"),
    ("generate", "generate"),
    ("refresh", "refresh"),
    ("reset", "reset"),
    ("register", "register"),
    ("enroll", "enroll"),
    ("invite", "invite"),
    ("count", "count"),
    ("submit", "submit"),
    ("publish", "publish"),
    ("archive", "archive"),
    ("restore", "restore"),
    ("trigger", "trigger"),
    ("run", "run"),
    ("execute", "execute"),
    ("test", "test"),
    ("redact", "redact"),
    ("refund", "refund"),
    ("capture", "capture"),
    ("charge", "charge"),
    ("subscribe", "subscribe"),
    ("unsubscribe", "unsubscribe"),
    ("lock", "lock"),
    ("unlock", "unlock"),
    ("link", "link"),
    ("unlink", "unlink"),
    ("activate", "activate"),
    ("deactivate", "deactivate"),
    ("suspend", "suspend"),
    ("resume", "resume"),
    ("close", "close"),
    ("complete", "complete"),
    ("accept", "accept"),
    ("decline", "decline"),
    ("block", "block"),
    ("unblock", "unblock"),
    ("transfer", "transfer"),
    ("schedule", "schedule"),
    ("initiate", "start"),
];

/// The names to try for an operation, best first: the request's own (snake case) when it is
/// short, else the verb and the path's nouns, then the same with more of the name's words,
/// then with the method (`_put`). `path` holds the URL's segments as written (`:id`,
/// `{{id}}`, `Calls.json`).
pub fn candidates(name: &str, method: &str, path: &[String]) -> Vec<String> {
    let mut out = preferred(name, method, path);
    let qualifier = snake(method, "");
    if !qualifier.is_empty() {
        let room = MAX_CHARS.saturating_sub(qualifier.len() + 1);
        let first: String = out[0].chars().take(room).collect();
        out.push(format!("{}_{qualifier}", first.trim_end_matches('_')));
    }
    out
}

/// The names [`candidates`] tries before the one with the method.
fn preferred(name: &str, method: &str, path: &[String]) -> Vec<String> {
    let own = snake(name, "op");
    let words: Vec<&str> = own.split('_').collect();
    if content_words(&words).count() <= MAX_WORDS
        && words.len() <= MAX_ALL_WORDS
        && own.len() <= MAX_CHARS
    {
        return vec![own];
    }
    let mut nouns = path_nouns(path);
    let verb = verb(&words, method, &nouns);
    // A verb on one item names it in the singular: `create_call`, but `list_calls`.
    if !matches!(
        verb.as_str(),
        "list" | "search" | "find" | "query" | "count"
    ) {
        if let Some((last, _)) = nouns.last_mut() {
            *last = singular(last);
        }
    }
    let mut base: Vec<String> = vec![verb];
    base.extend(nouns.into_iter().map(|(noun, _)| noun));
    if base.len() == 1 {
        // A path without words: the name's first words say what it is.
        base.extend(
            content_words(&words)
                .skip(1)
                .take(MAX_WORDS - 1)
                .map(str::to_owned),
        );
    }
    let base = fit(&base);
    // Words of the name the base does not have, to tell apart requests on one route.
    let extra: Vec<&str> = content_words(&words)
        .skip(1)
        .filter(|w| !base.split('_').any(|b| b == *w))
        .collect();
    let mut out = vec![base.clone()];
    let mut longer = base;
    for word in extra.into_iter().take(3) {
        let next = format!("{longer}_{word}");
        if next.len() > MAX_CHARS {
            break;
        }
        out.push(next.clone());
        longer = next;
    }
    out
}

/// The words of a name that carry meaning.
fn content_words<'a>(words: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    words.iter().copied().filter(|w| !FILLER.contains(w))
}

/// The verb: the name's first word when it is a known verb (`Retrieves` → `get`, or `list`
/// for a collection), else the method's: `get` one item, `list` a collection, `create`,
/// `update`, `delete`, or the method itself.
fn verb(words: &[&str], method: &str, nouns: &[(String, bool)]) -> String {
    let collection = nouns.last().is_some_and(|(_, plural)| *plural);
    let named = words.first().and_then(|first| base_verb(first));
    let says_list = words.windows(2).any(|w| w == ["list", "of"]) || words.contains(&"all");
    match (named, method) {
        (Some("get"), _) if collection || says_list => "list".to_owned(),
        (Some(verb), _) => verb.to_owned(),
        (None, "GET") if collection => "list".to_owned(),
        (None, "GET") => "get".to_owned(),
        (None, "POST") => "create".to_owned(),
        (None, "PUT" | "PATCH") => "update".to_owned(),
        (None, "DELETE") => "delete".to_owned(),
        (None, other) => snake(other, "send"),
    }
}

/// The name's verb for `word`, also in its third person (`retrieves`, `fetches`, `modifies`).
fn base_verb(word: &str) -> Option<&'static str> {
    let forms = [
        Some(word.to_owned()),
        word.strip_suffix("ies").map(|stem| format!("{stem}y")),
        word.strip_suffix("es").map(str::to_owned),
        word.strip_suffix('s').map(str::to_owned),
    ];
    forms.into_iter().flatten().find_map(|form| {
        VERBS
            .iter()
            .find(|(verb, _)| *verb == form)
            .map(|(_, canonical)| *canonical)
    })
}

/// The last two words of the path that are not parameters or versions, in snake case, each
/// singular when a parameter follows it; with whether the last is a plural collection.
fn path_nouns(path: &[String]) -> Vec<(String, bool)> {
    // A literal id (`12345`, a UUID) stands where a parameter would.
    let is_param = |s: &str| {
        s.starts_with(':')
            || s.starts_with('{')
            || s.contains("{{")
            || (s.len() >= 3 && s.chars().all(|c| c.is_ascii_digit()))
            || (s.len() >= 32 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
    };
    let mut nouns = Vec::new();
    for (i, segment) in path.iter().enumerate() {
        if is_param(segment) || is_version(segment) {
            continue;
        }
        // `Calls.json` is `calls`; a segment that starts with a digit (`2.0`) names nothing.
        let stem = segment.split('.').next().unwrap_or(segment);
        if stem.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let word = snake(stem, "");
        if word.is_empty() {
            continue;
        }
        let followed_by_param = path.get(i + 1).is_some_and(|next| is_param(next));
        let one = singular(&word);
        let plural = one != word;
        nouns.push(if followed_by_param {
            (one, false)
        } else {
            (word, plural)
        });
    }
    let from = nouns.len().saturating_sub(2);
    nouns.split_off(from)
}

/// `v1`, `v2.0`, `2010-04-01`, `api`, `rest`: path segments that name no resource.
fn is_version(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let numbered = lower
        .strip_prefix('v')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let dated = lower.len() == 10
        && lower.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    numbered || dated || matches!(lower.as_str(), "api" | "rest")
}

/// `words` joined with `_`, the nouns cut from the front until it fits [`MAX_CHARS`].
fn fit(words: &[String]) -> String {
    let mut words = words.to_vec();
    loop {
        let joined = words.join("_");
        if joined.len() <= MAX_CHARS || words.len() <= 2 {
            let cut: String = joined.chars().take(MAX_CHARS).collect();
            return cut.trim_end_matches('_').to_owned();
        }
        words.remove(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split('/').map(str::to_owned).collect()
    }

    fn best(name: &str, method: &str, route: &str) -> String {
        candidates(name, method, &path(route)).remove(0)
    }

    #[test]
    fn a_short_name_stays_as_written() {
        assert_eq!(best("Get a user", "GET", "users/:userId"), "get_a_user");
        assert_eq!(
            best("Update a user's password", "PUT", "users/:id/password"),
            "update_a_users_password"
        );
    }

    #[test]
    fn a_sentence_becomes_a_verb_and_the_paths_nouns() {
        assert_eq!(
            best(
                "Retrieve a list of all short codes in the proxy number pool for the service. A maximum of 100 records will be returned per page.",
                "GET",
                "v1/Services/:ServiceSid/ShortCodes"
            ),
            "list_service_short_codes"
        );
        assert_eq!(
            best(
                "Fetch the balance for an Account based on Account SID. Balance changes may not be reflected immediately.",
                "GET",
                "2010-04-01/Accounts/:AccountSid/Balance.json"
            ),
            "get_account_balance"
        );
        assert_eq!(
            best(
                "Changes the status of the recording to paused, stopped, or in-progress.",
                "POST",
                "2010-04-01/Accounts/:AccountSid/Calls/:CallSid/Recordings/:Sid.json"
            ),
            "update_call_recording"
        );
        // Without a verb to start it, the method gives one.
        assert_eq!(
            best(
                "Brands a call without actually placing it, useful for cases when the customer wants to initiate the call themselves",
                "POST",
                "v2/Brand/Calls"
            ),
            "create_brand_call"
        );
    }

    #[test]
    fn a_literal_id_in_the_path_stands_for_a_parameter() {
        assert_eq!(
            best(
                "Get the collaboration whitelist exempt user by its id, as an admin would",
                "GET",
                "2.0/collaboration_whitelist_exempt_targets/1234567"
            ),
            "get_collaboration_whitelist_exempt_target"
        );
    }

    #[test]
    fn requests_on_one_route_are_told_apart_by_their_names_words() {
        let names = candidates(
            "Create a balance account (GBP default currency) for the holder",
            "POST",
            &path("balanceAccounts"),
        );
        assert_eq!(names[0], "create_balance_account");
        assert_eq!(names[1], "create_balance_account_gbp");
    }

    #[test]
    fn names_are_never_longer_than_the_limit() {
        let long = "x".repeat(80);
        for name in candidates(
            "Return the clients network traffic data over time, usage data is in kilobytes",
            "GET",
            &path(&format!("{long}/{long}")),
        ) {
            assert!(name.len() <= MAX_CHARS, "{name}");
        }
    }
}
