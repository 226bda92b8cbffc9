//! What descriptions and example values say about a parameter's type.

use serde_json::Value;

use super::Ty;

/// Whether a description marks the parameter required: `(Required)`.
pub fn is_required(description: Option<&str>) -> bool {
    description.is_some_and(|d| d.to_ascii_lowercase().contains("(required)"))
}

/// The values of `(This can only be one of a,b,c)`, if the description has that hint.
pub fn enum_values(description: Option<&str>) -> Option<Vec<String>> {
    let description = description?;
    let lower = description.to_ascii_lowercase();
    let marker = "can only be one of";
    let start = lower.find(marker)? + marker.len();
    let rest = &description[start..];
    let end = rest.find(')').unwrap_or(rest.len());
    let mut values: Vec<String> = Vec::new();
    for value in rest[..end].split(',') {
        let value = value.trim();
        if !value.is_empty() && !values.iter().any(|v| v == value) {
            values.push(value.to_owned());
        }
    }
    (!values.is_empty()).then_some(values)
}

/// Words the description gives each value, as in ``` `1` - Basic``` or ``` `99` — None```:
/// text after the backticked value and a dash, colon or equals sign, up to punctuation or markup,
/// shortened to a few words when it is prose (``` `1` — Ask the user every time they join```
/// is `Ask user every time`).
pub fn value_labels(description: Option<&str>, values: &[String]) -> Vec<Option<String>> {
    let full: Vec<Option<&str>> = values.iter().map(|v| label_text(description, v)).collect();
    let short = |text: &str, clause_ends: bool| {
        let words = short_label(text, clause_ends);
        let usable = !words.is_empty() && words.chars().any(char::is_alphabetic);
        usable.then_some(words)
    };
    let shortest: Vec<Option<String>> = full
        .iter()
        .map(|t| t.and_then(|t| short(t, true)))
        .collect();
    // Labels that shorten alike (`Recurring meeting with no fixed time`, `... with fixed
    // time`) keep their words past the clause.
    full.iter()
        .zip(&shortest)
        .map(|(text, label)| {
            let shared = label.is_some() && shortest.iter().filter(|l| *l == label).count() > 1;
            match (text, shared) {
                (Some(text), true) => short(text, false),
                _ => label.clone(),
            }
        })
        .collect()
}

/// The text the description gives `value`, up to punctuation or markup.
fn label_text<'a>(description: Option<&'a str>, value: &str) -> Option<&'a str> {
    let description = description?;
    let quoted = format!("`{value}`");
    let start = description.find(&quoted)? + quoted.len();
    let rest = description[start..].trim_start();
    let rest = rest.strip_prefix(['-', '\u{2014}', '\u{2013}', ':', '='])?;
    let end = rest
        .find(['<', '\n', '.', ',', ';', '(', '`', '|'])
        .unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// Words of a label kept for a name: up to a clause, and past it.
const LABEL_WORDS: usize = 4;
const LONG_LABEL_WORDS: usize = 6;

/// A label as a few words: articles left out, and, when `clause_ends`, cut before a word that
/// starts a clause once two words are kept (`Always display pronouns in meetings` → `Always
/// display pronouns`).
fn short_label(label: &str, clause_ends: bool) -> String {
    const ARTICLES: &[&str] = &["a", "an", "the"];
    const CLAUSE: &[&str] = &[
        "in", "on", "for", "to", "with", "when", "if", "by", "from", "of", "that", "which", "who",
        "they", "and", "or", "but", "so", "as", "at", "is", "are", "will",
    ];
    let mut kept: Vec<&str> = Vec::new();
    for word in label.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let limit = if clause_ends {
            LABEL_WORDS
        } else {
            LONG_LABEL_WORDS
        };
        if clause_ends && kept.len() >= 2 && CLAUSE.contains(&lower.as_str()) || kept.len() == limit
        {
            break;
        }
        if !ARTICLES.contains(&lower.as_str()) {
            kept.push(word);
        }
    }
    kept.join(" ")
}

/// The type an example value of a string parameter suggests, and the example in that type.
///
/// Placeholders such as `<integer>` name their type; `true`/`false` are booleans; whole numbers
/// without a leading zero are `i64`; anything else, `{{variables}}` included, is a string.
pub fn scalar(example: Option<&str>) -> (Ty, Option<Value>) {
    let Some(text) = example else {
        return (Ty::String, None);
    };
    let trimmed = text.trim();
    if let Some(placeholder) = trimmed.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        let ty = match placeholder.to_ascii_lowercase().as_str() {
            "integer" | "long" | "int" | "int32" | "int64" => Ty::I64,
            "number" | "double" | "float" => Ty::F64,
            "boolean" | "bool" => Ty::Bool,
            _ => Ty::String,
        };
        return (ty, None);
    }
    match trimmed {
        "true" | "false" => return (Ty::Bool, Some(Value::Bool(trimmed == "true"))),
        _ => {}
    }
    let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
    let is_integer = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && trimmed == text;
    if is_integer {
        if let Ok(n) = trimmed.parse::<i64>() {
            return (Ty::I64, Some(Value::from(n)));
        }
    }
    (Ty::String, Some(Value::String(text.to_owned())))
}

/// A JSON object or array given as a form field's example (Zoom's `custom_attributes`).
pub fn json_object(example: Option<&str>) -> Option<Value> {
    let text = example?.trim();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return None;
    }
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_take_the_words_the_description_gives_them() {
        let description = "Type:<br>`1` - Basic.<br>`2` \u{2014} Licensed user</br>`99`: None, \
                           `3` - (deprecated) and `4`";
        let values: Vec<String> = ["1", "2", "99", "3", "4", "5"].map(String::from).to_vec();
        assert_eq!(
            value_labels(Some(description), &values),
            [
                Some("Basic".to_owned()),
                Some("Licensed user".to_owned()),
                Some("None".to_owned()),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn prose_labels_become_a_few_words() {
        let description = "The user's display pronouns setting:\n\
             * `1` — Ask the user every time they join meetings and webinars.\n\
             * `2` — Always display pronouns in meetings and webinars.\n\
             * `3` — Do not display pronouns in meetings and webinars.";
        let values: Vec<String> = ["1", "2", "3"].map(String::from).to_vec();
        assert_eq!(
            value_labels(Some(description), &values),
            [
                Some("Ask user every time".to_owned()),
                Some("Always display pronouns".to_owned()),
                Some("Do not display pronouns".to_owned()),
            ]
        );
    }

    #[test]
    fn labels_that_shorten_alike_keep_more_words() {
        let description = "`1` - Instant meeting.<br>`3` - Recurring meeting with no fixed \
                           time.<br>`8` - Recurring meeting with fixed time.";
        let values: Vec<String> = ["1", "3", "8"].map(String::from).to_vec();
        assert_eq!(
            value_labels(Some(description), &values),
            [
                Some("Instant meeting".to_owned()),
                Some("Recurring meeting with no fixed time".to_owned()),
                Some("Recurring meeting with fixed time".to_owned()),
            ]
        );
    }

    #[test]
    fn reads_zoom_hints() {
        let d = "User types:<br>`1` - Basic. (This can only be one of 1,2,3,99)";
        assert_eq!(enum_values(Some(d)).unwrap(), vec!["1", "2", "3", "99"]);
        assert!(is_required(Some("(Required) The user ID")));
        assert!(!is_required(Some("The user ID")));
        assert_eq!(enum_values(Some("no hint")), None);
    }

    #[test]
    fn scalar_types_from_examples() {
        assert_eq!(scalar(Some("100")).0, Ty::I64);
        assert_eq!(scalar(Some("-25518892")).0, Ty::I64);
        assert_eq!(scalar(Some("007")).0, Ty::String);
        assert_eq!(scalar(Some("false")).0, Ty::Bool);
        assert_eq!(scalar(Some("<integer>")), (Ty::I64, None));
        assert_eq!(scalar(Some("{{id}}")).0, Ty::String);
        assert_eq!(scalar(Some("1.5")).0, Ty::String);
    }
}
