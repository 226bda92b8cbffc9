//! Collection files on disk: which files a directory holds, and what a file is called.

use std::path::{Path, PathBuf};

use crate::Error;

/// The `*.json` files of `dir`, sorted.
pub fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    files_with(dir, &["json"])
}

/// Newman reports and HAR files: each path that is a file, and the `*.json` and `*.har` files
/// of each that is a directory, sorted within it.
pub fn report_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(files_with(path, &["json", "har"])?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// The files of `dir` with one of `extensions`, sorted.
fn files_with(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let wanted = path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x));
        if wanted && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The file name without `.json` and `.postman_collection`: `zoom-api` for
/// `zoom-api.postman_collection.json`.
pub fn collection_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    stem.strip_suffix(".postman_collection")
        .unwrap_or(stem)
        .to_owned()
}
