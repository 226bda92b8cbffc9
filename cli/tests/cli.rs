//! The command line: success paths and clear one-line errors for bad input.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_postman-codegen"))
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("postman-codegen-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn generate(path: &Path) -> Output {
    bin().arg("generate").arg(path).output().expect("runs")
}

/// Runs `generate` on our Zoho collection with `args` after it.
fn generate_zoho(args: &[&OsStr]) -> Output {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../collections/zoho-mail.postman_collection.json");
    bin()
        .arg("generate")
        .arg(input)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `content` to a file and runs `generate` on it; asserts a clean failure.
fn fails_cleanly(name: &str, content: &[u8]) -> String {
    let path = scratch(name).join(format!("{name}.json"));
    std::fs::write(&path, content).expect("write input");
    let out = generate(&path);
    let err = stderr(&out);
    assert!(!out.status.success(), "{name}: exit code must be non-zero");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: an error, not a crash: {err}"
    );
    assert!(!err.contains("panicked"), "{name}: no panic: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
    assert!(
        err.contains(&path.display().to_string()),
        "{name}: names the file: {err}"
    );
    assert!(out.stdout.is_empty(), "{name}: no code on failure");
    err
}

#[test]
fn missing_file_is_a_clear_error() {
    let path = scratch("missing").join("nope.json");
    let out = generate(&path);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("nope.json") && err.contains("No such file"),
        "{err}"
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    let err = fails_cleanly(
        "truncated",
        br#"{"info": {"name": "x"}, "item": [ {"name": "a""#,
    );
    assert!(err.contains("line 1 column"), "{err}");
    assert!(err.contains("invalid JSON"), "{err}");
}

#[test]
fn json_that_is_not_a_collection_is_rejected() {
    let err = fails_cleanly("openapi", br#"{"openapi": "3.0.0", "paths": {}}"#);
    assert!(err.contains("OpenAPI"), "{err}");
    let err = fails_cleanly(
        "environment",
        br#"{"name": "env", "values": [{"key": "a", "value": "b"}]}"#,
    );
    assert!(err.contains("environment"), "{err}");
    let err = fails_cleanly("array", b"[1, 2, 3]");
    assert!(err.contains("not a Postman collection"), "{err}");
}

#[test]
fn generates_module_file_and_standalone_crate() {
    let dir = scratch("ok");
    let module = dir.join("zoho.rs");
    let out = generate_zoho(&["-o".as_ref(), module.as_ref()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let code = std::fs::read_to_string(&module).expect("written");
    assert!(code.contains("pub mod zoho_mail"));
    assert!(code.contains("pub mod reset_user_password"));

    let krate = dir.join("crate");
    let out = generate_zoho(&["--crate".as_ref(), krate.as_ref()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"zoho-mail\""), "{manifest}");
    let runtime_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .expect("the runtime crate beside the generator");
    assert!(
        manifest.contains(&format!(
            "postman-codegen-runtime = {{ path = {:?} }}",
            runtime_dir.display().to_string()
        )),
        "from a checkout, the crate depends on the checkout's runtime crate: {manifest}"
    );
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub mod accounts"));
    assert!(lib.contains("pub use ::postman_codegen_runtime as runtime;"));

    let standalone = dir.join("standalone");
    let out = generate_zoho(&[
        "--crate".as_ref(),
        standalone.as_ref(),
        "--embed-runtime".as_ref(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(standalone.join("Cargo.toml")).expect("manifest");
    assert!(
        !manifest.contains("path =") && manifest.contains("\nreqwest = "),
        "a crate that carries its runtime depends on crates.io only: {manifest}"
    );
    let lib = std::fs::read_to_string(standalone.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub mod runtime {"));
}

#[test]
fn check_passes_on_fresh_output_and_fails_on_stale() {
    let dir = scratch("check");
    let module = dir.join("zoho.rs");
    let run = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec!["-o".as_ref(), module.as_os_str()];
        args.extend(extra.iter().map(OsStr::new));
        generate_zoho(&args)
    };
    let missing = run(&["--check"]);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert!(!module.exists(), "--check writes nothing");
    assert!(run(&[]).status.success());
    let fresh = run(&["--check"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    std::fs::write(&module, "// edited by hand\n").expect("overwrite");
    let stale = run(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains("zoho.rs: out of date"),
        "{}",
        stderr(&stale)
    );

    let krate = dir.join("crate");
    let crate_args = ["--crate".as_ref(), krate.as_os_str()];
    assert!(generate_zoho(&crate_args).status.success());
    let check_args = [crate_args[0], crate_args[1], "--check".as_ref()];
    assert!(generate_zoho(&check_args).status.success());
    std::fs::write(krate.join("Cargo.toml"), "[package]\n").expect("overwrite");
    assert_eq!(generate_zoho(&check_args).status.code(), Some(1));
}

#[test]
fn an_environment_gives_the_defaults_but_never_its_secrets() {
    let dir = scratch("environment");
    let collection = dir.join("env.postman_collection.json");
    std::fs::write(
        &collection,
        r#"{"info": {"name": "env"}, "variable": [{"key": "baseUrl", "value": "https://collection.test"}],
            "item": [{"name": "Get", "request": {"method": "GET", "url": "{{baseUrl}}/a?region={{region}}",
            "header": [{"key": "X-Key", "value": "{{apiKey}}"}]}}]}"#,
    )
    .expect("written");
    let environment = dir.join("staging.postman_environment.json");
    std::fs::write(
        &environment,
        r#"{"name": "Staging", "values": [
            {"key": "baseUrl", "value": "https://staging.test", "enabled": true},
            {"key": "region", "value": "eu-west", "enabled": true},
            {"key": "apiKey", "value": "hidden-key-1", "enabled": true},
            {"key": "session", "value": "hidden-session-2", "type": "secret", "enabled": true},
            {"key": "old", "value": "unused-OLD", "enabled": false}]}"#,
    )
    .expect("written");
    let out = bin()
        .arg("generate")
        .arg(&collection)
        .arg("--environment")
        .arg(&environment)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let code = String::from_utf8_lossy(&out.stdout);
    assert!(
        code.contains("\"https://staging.test\""),
        "the environment wins"
    );
    assert!(!code.contains("https://collection.test"));
    assert!(code.contains("\"eu-west\""));
    for left_out in ["hidden-", "unused-OLD"] {
        assert!(!code.contains(left_out), "{left_out} is in the code");
    }

    let builder = postman_codegen::Builder::new()
        .collection(&collection)
        .environment(&environment)
        .out_dir(&dir)
        .cargo_instructions(false)
        .generate()
        .expect("generates");
    let written = std::fs::read_to_string(builder.output).expect("written");
    assert!(written.contains("\"https://staging.test\"") && !written.contains("hidden-"));

    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"name": "no values"}"#).expect("written");
    let out = bin()
        .arg("generate")
        .arg(&collection)
        .arg("--environment")
        .arg(&broken)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("broken.json") && stderr(&out).contains("environment"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_kept_runtime_carries_the_schemes_asked_for_and_is_checked() {
    let dir = scratch("runtime");
    let file = dir.join("api_runtime.rs");
    let run = |extra: &[&OsStr]| {
        bin()
            .arg("runtime")
            .arg("-o")
            .arg(&file)
            .args(extra)
            .output()
            .expect("runs")
    };
    let every = run(&[]);
    assert!(every.status.success(), "{}", stderr(&every));
    assert!(stderr(&every).contains("hmac = "), "{}", stderr(&every));
    let code = std::fs::read_to_string(&file).expect("written");
    assert!(code.contains("pub const FINGERPRINT: u64"));
    assert!(code.contains("pub mod oauth1") && code.contains("pub mod aws"));
    assert!(run(&["--check".as_ref()]).status.success());

    let zoho = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../collections/zoho-mail.postman_collection.json");
    let stale = run(&["--check".as_ref(), zoho.as_os_str()]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    let lean = run(&[zoho.as_os_str()]);
    assert!(lean.status.success(), "{}", stderr(&lean));
    assert!(!stderr(&lean).contains("hmac = "), "{}", stderr(&lean));
    let code = std::fs::read_to_string(&file).expect("written");
    assert!(!code.contains("pub mod oauth1"));

    let module = dir.join("zoho.rs");
    let out = generate_zoho(&[
        "-o".as_ref(),
        module.as_ref(),
        "--runtime-path".as_ref(),
        "crate::api_runtime".as_ref(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let client = std::fs::read_to_string(&module).expect("written");
    assert!(client.contains("pub use crate::api_runtime as runtime;"));
    assert!(!client.contains("pub mod runtime"));
}

#[test]
fn diff_against_a_git_revision_gates_breaking_changes() {
    let dir = scratch("diff-git");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t.test"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../collections/zoho-mail.postman_collection.json");
    let text = std::fs::read_to_string(original).expect("our collection");
    let file = dir.join("api.json");
    std::fs::write(&file, &text).expect("written");
    git(&["init", "-q"]);
    git(&["add", "api.json"]);
    git(&["commit", "-q", "-m", "collection"]);
    let diff = |args: &[&str]| {
        bin()
            .args(["diff", "--git", "HEAD"])
            .arg(&file)
            .args(args)
            .output()
            .expect("runs")
    };

    let same = diff(&["--fail-on", "breaking"]);
    assert!(same.status.success(), "{}", stderr(&same));
    assert!(String::from_utf8_lossy(&same.stdout).contains("no API change"));

    std::fs::write(
        &file,
        text.replace("Reset user password", "Reset a password"),
    )
    .expect("edited");
    let renamed = diff(&["--fail-on", "breaking", "--format", "markdown"]);
    assert!(!renamed.status.success());
    let report = String::from_utf8_lossy(&renamed.stdout);
    assert!(
        report.contains("### Breaking") && report.contains("operation moved to"),
        "{report}"
    );
    assert!(
        stderr(&renamed).contains("breaking changes"),
        "{}",
        stderr(&renamed)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn learn_writes_the_collection_with_what_reports_recorded_and_says_what_it_did() {
    let dir = scratch("learn");
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).expect("reports dir");
    let har = r#"{"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "http://127.0.0.1:9/v1/health"},
         "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "sid=private"}],
                      "content": {"mimeType": "text/plain", "text": "ok"}}}]}}"#;
    std::fs::write(reports.join("health.har"), har).expect("report");
    let shop =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/learn/shop.postman_collection.json");
    let out = bin()
        .arg("learn")
        .arg(&shop)
        .arg("--from")
        .arg(&reports)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let learned: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("a collection on stdout");
    assert_eq!(learned["item"][3]["name"], "Health");
    assert_eq!(learned["item"][3]["response"][0]["code"], 200);
    assert!(
        stderr(&out).contains("learned 1 of 1 responses into 1 requests"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("credential headers [set-cookie ×1]"),
        "{}",
        stderr(&out)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("private"));

    // A truncated report: one line naming it and where it ends, nothing written.
    std::fs::write(reports.join("cut.json"), &har[..40]).expect("report");
    let target = dir.join("learned.json");
    let out = bin()
        .arg("learn")
        .arg(&shop)
        .args([
            "--from".as_ref(),
            reports.as_os_str(),
            "-o".as_ref(),
            target.as_os_str(),
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(
        message.contains("cut.json") && message.contains("not JSON"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(!target.exists());
}
