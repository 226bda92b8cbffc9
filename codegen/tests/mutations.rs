//! Property test: collections from the corpus, mutated (wrong types anywhere, deleted keys,
//! truncation), never make parse → lower → emit panic; every run ends in code or an error.

mod support;

use std::path::{Path, PathBuf};

use postman_codegen::{generate, Output};
use serde_json::Value;

/// A small deterministic generator (xorshift), so a failure names a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn replacement(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => Value::from(-1),
        2 => Value::from("{{x}}"),
        3 => Value::Array(vec![Value::Null, Value::from(1)]),
        4 => serde_json::json!({"key": 1, "value": [], "mode": "raw"}),
        5 => Value::Bool(true),
        6 => Value::from(1e300),
        _ => Value::from("*/ #[x] \u{0} \\"),
    }
}

/// Replaces or removes one randomly chosen node.
fn mutate(value: &mut Value, rng: &mut Rng, depth: usize) {
    let descend = depth < 12 && rng.below(4) != 0;
    match value {
        Value::Object(map) if !map.is_empty() => {
            let i = rng.below(map.len());
            let key = map.keys().nth(i).cloned().unwrap_or_default();
            if descend {
                if let Some(child) = map.get_mut(&key) {
                    return mutate(child, rng, depth + 1);
                }
            }
            if rng.below(3) == 0 {
                map.remove(&key);
            } else {
                map.insert(key, replacement(rng));
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            if descend {
                return mutate(&mut items[i], rng, depth + 1);
            }
            items[i] = replacement(rng);
        }
        other => *other = replacement(rng),
    }
}

fn samples(root: &Path) -> Vec<(String, Value)> {
    let files = [
        "collections/postman-echo.postman_collection.json",
        "collections/starwars-graphql.postman_collection.json",
        "fixtures/pcrs-swagger-petstore-v1.0.0.postman_collection.json",
        "fixtures/pcrs-coverage-v2.0.0-item-group.postman_collection.json",
        "fixtures/newman-inherited-entities.postman_collection.json",
        "fixtures/pct-v1-echo.postman_collection.json",
    ];
    let mut out: Vec<(String, Value)> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(root.join(f)).expect("corpus file beside the repo");
            let text = text.trim_start_matches('\u{feff}');
            (
                f.to_string(),
                serde_json::from_str(text).expect("valid JSON"),
            )
        })
        .collect();
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../collections/zoom-users.postman_collection.json");
    let text = std::fs::read_to_string(own).expect("own collection");
    out.push((
        "zoom-users".into(),
        serde_json::from_str(&text).expect("valid JSON"),
    ));
    out
}

/// Mutated variants per sample file.
const SEEDS: u64 = 80;

#[test]
fn mutated_collections_never_panic() {
    let output = Output::Module("m".into());
    let mut runs = 0;
    let Some(root) = support::corpus_root() else {
        return;
    };
    for (name, original) in samples(&root) {
        for seed in 1..=SEEDS {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let mut value = original.clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut value, &mut rng, 0);
            }
            let mut text = value.to_string();
            if seed % 5 == 0 {
                let mut cut = rng.below(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            let result = std::panic::catch_unwind(|| generate(&text, &name, &output));
            let Ok(result) = result else {
                panic!("{name} seed {seed} panicked");
            };
            if let Ok(generated) = result {
                // Whatever generates must still be valid Rust.
                syn::parse_file(&generated.code)
                    .unwrap_or_else(|e| panic!("{name} seed {seed}: {e}"));
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 7 * SEEDS);
}
