//! Generates a client for every collection in `collections/`.

fn main() {
    if let Err(e) = postman_codegen::Builder::new()
        .collection_dir("collections")
        .doc_tests("postman_clients")
        .generate()
    {
        println!("cargo:warning={e}");
        std::process::exit(1);
    }
}
