//! Where tests find the external corpus of real collections.

use std::io::Write as _;
use std::path::PathBuf;

/// The shared corpus: `$POSTMAN_CODEGEN_CORPUS`, else `../shared/corpus` beside the repository.
/// When it is absent, tests that need it say so in one line and pass, unless
/// `POSTMAN_CODEGEN_REQUIRE_CORPUS` is set (CI sets it), which makes its absence a failure.
pub fn corpus_root() -> Option<PathBuf> {
    let root = std::env::var_os("POSTMAN_CODEGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    if root.join("collections").is_dir() {
        return Some(root);
    }
    absent(&format!(
        "the shared corpus is not at {}; set POSTMAN_CODEGEN_CORPUS=DIR to run the tests over it",
        root.display()
    ));
    None
}

/// Something a test needs is absent: the test says so in one line and passes, unless CI
/// requires everything (`POSTMAN_CODEGEN_REQUIRE_CORPUS`), where it fails with `message`.
pub fn absent(message: &str) {
    assert!(
        std::env::var_os("POSTMAN_CODEGEN_REQUIRE_CORPUS").is_none(),
        "{message}"
    );
    // Written to the handle, not with `eprintln!`, so that libtest does not capture the line.
    let _ = writeln!(std::io::stderr(), "skipped: {message}");
}
