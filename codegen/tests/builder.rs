//! The build.rs API: one file per run, rewritten only when its content changes.

use std::path::PathBuf;

use postman_codegen::Builder;

/// A fresh output directory of this test process, named after the test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("postman-codegen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("out dir");
    dir
}

#[test]
fn writes_only_when_changed() {
    let out = scratch("builder");
    let builder = Builder::new()
        .collection_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../collections"))
        .out_dir(&out)
        .cargo_instructions(false);
    let first = builder.generate().expect("generates");
    assert!(first.written);
    let names: Vec<&str> = first.modules.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws",
            "body_modes",
            "digest",
            "edgegrid",
            "hawk",
            "jwt",
            "live_api",
            "oauth1",
            "oauth2",
            "paging",
            "postman_behaviour",
            "scripts",
            "variables",
            "zoho_mail",
            "zoom_users"
        ]
    );
    let code = std::fs::read_to_string(&first.output).expect("written");
    assert!(code.contains("pub mod zoom_users"));
    assert!(
        !code.contains("pub mod runtime {"),
        "the runtime crate is used"
    );
    assert_eq!(
        code.matches("pub use ::postman_codegen_runtime as runtime;")
            .count(),
        names.len()
    );
    assert!(
        first
            .dependencies
            .starts_with("postman-codegen-runtime = { ")
            && first.dependencies.contains(r#""oauth1""#)
            && !first.dependencies.contains('\n'),
        "one dependency, with the OAuth 1.0a collection's feature: {}",
        first.dependencies
    );
    let census = |module: &str| {
        first
            .scripts
            .iter()
            .find(|(name, _)| name == module)
            .map(|(_, census)| *census)
            .expect("a census per module")
    };
    assert_eq!(census("scripts").all.full, 7, "{:?}", census("scripts"));
    assert_eq!(census("zoom_users").all.total(), 0);
    let second = builder.generate().expect("generates again");
    assert!(!second.written, "unchanged content is not rewritten");
    std::fs::write(&first.output, "stale").expect("overwrite");
    assert!(builder.generate().expect("third run").written);
}

#[test]
fn an_embedded_runtime_is_written_once_for_all_collections() {
    let out = scratch("builder-embedded");
    let report = Builder::new()
        .collection_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../collections"))
        .embed_runtime(true)
        .out_dir(&out)
        .cargo_instructions(false)
        .generate()
        .expect("generates");
    let code = std::fs::read_to_string(&report.output).expect("written");
    assert_eq!(
        code.matches("pub mod runtime {").count(),
        1,
        "the collections share one runtime"
    );
    assert_eq!(
        code.matches("pub use super::runtime as runtime;").count(),
        report.modules.len()
    );
    assert!(
        report
            .dependencies
            .starts_with(postman_codegen::CLIENT_DEPENDENCIES)
            && report.dependencies.contains("\nhmac = "),
        "the OAuth 1.0a collection brings its crates: {}",
        report.dependencies
    );
}

#[test]
fn missing_collection_dir_is_an_error_not_a_panic() {
    let result = Builder::new()
        .collection_dir("does/not/exist")
        .out_dir(std::env::temp_dir())
        .cargo_instructions(false)
        .generate();
    assert!(result.unwrap_err().to_string().contains("does/not/exist"));
}

#[test]
fn a_runtime_path_leaves_the_runtime_out_and_points_there() {
    let out = scratch("builder-runtime-path");
    let builder = Builder::new()
        .collection(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../collections/zoho-mail.postman_collection.json"
        ))
        .out_dir(&out)
        .cargo_instructions(false);
    let report = builder
        .clone()
        .runtime_path("crate::api_runtime")
        .generate()
        .expect("generates");
    let code = std::fs::read_to_string(&report.output).expect("written");
    assert!(!code.contains("pub mod runtime"));
    assert!(code.contains("pub use crate::api_runtime as runtime;"));
    assert!(code.contains("runtime::FINGERPRINT =="));
    let error = builder
        .runtime_path("crate::")
        .generate()
        .expect_err("not a path");
    assert!(
        error.to_string().starts_with("runtime path `crate::`"),
        "{error}"
    );
}

#[test]
fn api_changes_are_reported_beside_the_generated_file_when_a_collection_changes() {
    let root = std::env::temp_dir().join(format!(
        "postman-codegen-builder-api-changes-{}",
        std::process::id()
    ));
    let (input, out) = (root.join("collections"), root.join("out"));
    std::fs::create_dir_all(&input).expect("input dir");
    std::fs::create_dir_all(&out).expect("out dir");
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../collections/zoho-mail.postman_collection.json"
    ))
    .expect("our collection");
    let file = input.join("zoho.postman_collection.json");
    std::fs::write(&file, &original).expect("written");
    let builder = Builder::new()
        .collection(&file)
        .out_dir(&out)
        .cargo_instructions(false)
        .api_changes(true);
    assert!(builder
        .generate()
        .expect("first run")
        .api_changes
        .is_empty());
    assert!(
        out.join("zoho.collection.json").is_file(),
        "kept to compare with"
    );

    std::fs::write(
        &file,
        original.replace("Reset user password", "Reset a password"),
    )
    .expect("edited");
    let changed = builder.generate().expect("second run");
    assert_eq!(changed.api_changes, [out.join("zoho.api-changes.md")]);
    let report = std::fs::read_to_string(&changed.api_changes[0]).expect("report");
    assert!(
        report.contains("Suggested version bump: **major**") && report.contains("operation moved"),
        "{report}"
    );
    assert!(
        builder
            .generate()
            .expect("third run")
            .api_changes
            .is_empty(),
        "nothing changed since"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A HAR file with one response of the shop's "Get an order".
fn order_har(base: &str) -> String {
    serde_json::json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": format!("{base}/v1/orders/o-1")},
         "response": {"status": 200, "statusText": "OK", "headers": [{"name": "Content-Type", "value": "application/json"}],
                      "content": {"mimeType": "application/json", "text": "{\"id\": \"o-1\", \"total\": 12.5}"}}},
        {"request": {"method": "GET", "url": "https://elsewhere.test/x"},
         "response": {"status": 200, "content": {"text": "{}"}}}
    ]}})
    .to_string()
}

#[test]
fn examples_from_types_what_reports_recorded_without_editing_the_collection() {
    let root = std::env::temp_dir().join(format!("postman-codegen-learn-{}", std::process::id()));
    let (collections, reports, out) = (
        root.join("collections"),
        root.join("reports"),
        root.join("out"),
    );
    for dir in [&collections, &reports, &out] {
        std::fs::create_dir_all(dir).expect("scratch directory");
    }
    let shop = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/tests/learn/shop.postman_collection.json"
    );
    let source = std::fs::read_to_string(shop).expect("the shop collection");
    std::fs::write(collections.join("shop.json"), &source).expect("copy");
    std::fs::write(reports.join("browser.har"), order_har("http://127.0.0.1:9")).expect("report");
    let builder = Builder::new()
        .collection(collections.join("shop.json"))
        .examples_from(&reports)
        .out_dir(&out)
        .cargo_instructions(false);
    let report = builder.generate().expect("generates");
    let code = std::fs::read_to_string(&report.output).expect("written");
    assert!(code.contains("chosen from 1 observed response by `postman-codegen learn`"));
    assert!(
        code.contains("pub total: Option<f64>"),
        "the order is typed"
    );
    assert_eq!(
        std::fs::read_to_string(collections.join("shop.json")).expect("still there"),
        source,
        "the collection file is not edited"
    );
    // With one collection, what pairs with none of its requests is a warning.
    let unmatched: Vec<String> = report
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("browser.har"))
        .collect();
    assert_eq!(unmatched.len(), 1, "{unmatched:#?}");
    assert!(unmatched[0].contains("GET https://elsewhere.test/x"));

    // A second collection: the entries of the other one are not warned about.
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../collections/zoho-mail.postman_collection.json"
        ),
        collections.join("zoho.json"),
    )
    .expect("copy");
    let report = Builder::new()
        .collection_dir(&collections)
        .examples_from(&reports)
        .out_dir(&out)
        .cargo_instructions(false)
        .generate()
        .expect("generates");
    assert!(!report
        .diagnostics
        .iter()
        .any(|d| d.file.contains("browser.har")));
    let _ = std::fs::remove_dir_all(&root);
}
