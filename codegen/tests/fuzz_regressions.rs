//! Inputs the fuzz targets (`fuzz/`) found crashing, replayed the way the text target reads
//! them, plus readable versions of what they taught.

use std::path::PathBuf;

use postman_codegen::{generate, Output};
use serde_json::json;

#[test]
fn every_kept_crasher_now_generates_or_fails_cleanly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("crashers kept beside this test") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        let label = path.display().to_string();
        let result =
            std::panic::catch_unwind(|| generate(&text, &label, &Output::Module("m".into())));
        let Ok(result) = result else {
            panic!("{label} panics again");
        };
        if let Ok(generated) = result {
            syn::parse_file(&generated.code).unwrap_or_else(|e| panic!("{label}: {e}"));
        }
        replayed += 1;
    }
    assert!(replayed >= 1);
}

#[test]
fn non_ascii_hosts_keep_their_text() {
    for host in ["bücher.example", "例え.テスト", "🦀.rs", "\u{fffd}x"] {
        let collection = json!({
            "info": {"name": "idn"},
            "item": [{"name": "Get", "request": {"method": "GET", "url": format!("https://{host}/a/{{{{b}}}}")}}]
        });
        let generated = generate(
            &collection.to_string(),
            "idn.json",
            &Output::Module("m".into()),
        )
        .unwrap_or_else(|e| panic!("{host}: {e}"));
        assert_eq!(generated.operations, 1);
        assert!(
            generated.code.contains(&format!("https://{host}")),
            "{host}: server URL kept"
        );
    }
}

#[test]
fn custom_methods_only_qualify_names_with_their_letters() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions/custom-method-qualifier.json");
    let text = std::fs::read_to_string(path).expect("readable");
    let generated =
        generate(&text, "methods.json", &Output::Module("m".into())).expect("generates");
    for name in [
        "pub mod same ",
        "pub mod same_uu_u ",
        "pub mod same_2 ",
        "pub mod same_m_search ",
    ] {
        assert!(generated.code.contains(name), "{name}");
    }
}
