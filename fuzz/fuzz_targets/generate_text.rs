//! Any text given as a collection: parse → lower → emit never panics, and whatever generates
//! is valid Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postman_codegen::{generate, Output};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(generated) = generate(&text, "fuzz.json", &Output::Module("m".into())) {
        assert!(syn::parse_file(&generated.code).is_ok());
    }
});
