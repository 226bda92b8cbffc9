//! The dependencies of generated code come from one list, `CLIENT_DEPENDENCIES`: the root
//! crate, which includes generated clients, declares exactly those (`--crate` and the
//! user-crate CI check take them from the constant itself).

#[test]
fn the_root_crate_declares_exactly_the_client_dependencies() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
        .expect("the root manifest");
    let mut declared: Vec<&str> = manifest
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let mut expected: Vec<&str> = postman_codegen::CLIENT_DEPENDENCIES.lines().collect();
    declared.sort_unstable();
    expected.sort_unstable();
    assert_eq!(
        declared, expected,
        "root [dependencies] drifted from CLIENT_DEPENDENCIES"
    );
}
