//! `cargo run -p xtask -- COMMAND`: the checks that CI runs over the shared corpus, each with
//! a baseline that a run may not fall below.

mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use postman_codegen_cli::cli_error::{exit_code, Error};

#[derive(Parser)]
#[command(about = "The corpus checks of postman-codegen")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate every collection in the given directories and print a table; with `--compile`,
    /// also build all outputs in scratch crates with `cargo clippy -D warnings`.
    Corpus {
        /// Directories of `*.json` collections.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Scratch directory to compile the generated modules in.
        #[arg(long, value_name = "DIR")]
        compile: Option<PathBuf>,
        #[command(flatten)]
        baseline: Baseline,
    },
    /// Decode every saved JSON response of the collections with the generated types: control
    /// (types inferred from all examples) and leave-one-out (from all but that one).
    Decode(ProgramCheck),
    /// Start every collection's mock and answer each operation with each saved example: the
    /// client decodes it into the variant of its status (served), and that value, stubbed back
    /// as a typed answer, decodes equal (typed); the request reads back into its `Request`
    /// (read).
    Mock(ProgramCheck),
    /// Send every request of the collections with newman and with the generated client to a
    /// recording server on 127.0.0.1, pair them by item path and compare them.
    Parity {
        /// Directories of `*.json` collections.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Scratch directory for the sender programs, newman's inputs and the recordings.
        #[arg(long, value_name = "DIR")]
        scratch: PathBuf,
        /// The newman executable (`.ci/newman/node_modules/.bin/newman` after `npm ci`).
        #[arg(long, value_name = "FILE", default_value = "newman")]
        newman: PathBuf,
        /// Run each collection as a program: scripts kept, requests in order on one client,
        /// each answered with its item's saved example.
        #[arg(long)]
        workflow: bool,
        #[command(flatten)]
        baseline: Baseline,
    },
}

/// A check that builds and runs programs over the collections of some directories.
#[derive(clap::Args)]
struct ProgramCheck {
    /// Directories of `*.json` collections.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Scratch directory for the check programs.
    #[arg(long, value_name = "DIR")]
    scratch: PathBuf,
    #[command(flatten)]
    baseline: Baseline,
}

/// The baseline a check compares its run with.
#[derive(clap::Args)]
struct Baseline {
    /// Baseline TSV: fail when a collection does worse than it records.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Rewrite the baseline from this run instead of comparing with it.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
}

fn main() -> ExitCode {
    exit_code(run(Cli::parse().command))
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Corpus {
            dirs,
            compile,
            baseline,
        } => corpus::run(
            &dirs,
            &corpus::Options {
                compile: compile.as_deref(),
                baseline: baseline.baseline.as_deref(),
                update_baseline: baseline.update_baseline,
            },
        ),
        Command::Decode(check) => corpus::decode::run(
            &check.dirs,
            &check.scratch,
            check.baseline.baseline.as_deref(),
            check.baseline.update_baseline,
        ),
        Command::Mock(check) => corpus::mock::run(
            &check.dirs,
            &check.scratch,
            check.baseline.baseline.as_deref(),
            check.baseline.update_baseline,
        ),
        Command::Parity {
            dirs,
            scratch,
            newman,
            workflow,
            baseline,
        } => corpus::parity::run(
            &dirs,
            &scratch,
            &newman,
            baseline.baseline.as_deref(),
            baseline.update_baseline,
            workflow,
        ),
    }
}
