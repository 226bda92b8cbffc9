//! Scratch crates that the checks build and run: their manifests, cargo, and the collections
//! they are made of.

use std::path::{Path, PathBuf};

use crate::cli_error::Error;

/// The dependencies of a scratch crate that holds the clients of many collections: every
/// signing scheme's crates too.
pub fn all_dependencies() -> String {
    postman_codegen::client_dependencies(postman_codegen::ir::AuthModule::ALL.iter().copied())
}

/// The cargo that runs this program, or `cargo`.
pub fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Removes the part crates of an earlier run, which may have had more parts.
pub fn remove_old_parts(scratch: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_part = name
            .strip_prefix("part")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_part {
            std::fs::remove_dir_all(entry.path()).map_err(|source| Error::Io {
                path: entry.path().display().to_string(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Runs cargo in `dir`; its stdout, or an error with its stderr.
pub fn cargo_output(dir: &Path, args: &[&str]) -> Result<String, Error> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let output = cargo().args(args).current_dir(dir).output().map_err(io)?;
    if !output.status.success() {
        return Err(Error::Check {
            path: dir.display().to_string(),
            message: format!(
                "cargo {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `ok` of `total` as a table cell: `99.5%`, or `-` when there is nothing to count.
pub fn percent(ok: usize, total: usize) -> String {
    if total == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * ok as f64 / total as f64)
    }
}

/// Writes the manifest of a scratch workspace with these member directories. Its crates are
/// built once and thrown away, so they carry no debug info and no incremental state: with
/// them, the corpus's crates filled tens of gigabytes of disk.
pub fn write_workspace_manifest(dir: &Path, members: &[String]) -> Result<(), Error> {
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    crate::files::write(
        &dir.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            members.join(", ")
        ),
    )
}

/// `*.json` files of the directories, sorted.
pub fn collection_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for dir in dirs {
        files.extend(postman_codegen::files::json_files(dir)?);
    }
    files.sort();
    Ok(files)
}
