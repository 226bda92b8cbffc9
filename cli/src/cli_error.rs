//! What the command-line tool fails with.

/// A failed command: its message is what the tool prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Generation failed: the input is not a usable collection, or a file of the library's.
    #[error(transparent)]
    Generate(#[from] postman_codegen::Error),
    /// A file could not be read or written, or a program not run.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// A check failed: output out of date, a run worse than its baseline, a baseline line that
    /// does not read, a program that failed.
    #[error("{path}: {message}")]
    Check {
        /// What was checked.
        path: String,
        /// What failed.
        message: String,
    },
}

/// The exit status of a command that ended with `result`; an error is printed first.
pub fn exit_code(result: Result<(), Error>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
