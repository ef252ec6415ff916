//! Repository automation for cinematic, the rust-analyzer way: a normal workspace member
//! run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! | task | what it does |
//! |---|---|
//! | `verify-exports [--bless] [--no-compile]` | the five checks of CONVENTIONS §3, then compiles the generated `exports.rs` |
//! | `bless` | regenerates `crates/cinematic/tests/exports.rs` and `crates/cinematic/api.txt` |
//! | `ci [--step NAME]` | fmt, verify-exports, clippy, rustdoc, tests, the Python package; stops at the first failure |
//!
//! Where the checks live: [`manifests`] (1: versions, `=` pins, dependency rule),
//! [`facade_exports`] (2: aliases and required names; table in [`export_table`]),
//! [`api_list`] (3: the public-API list, made by a syn walk — see that module for why not
//! rustdoc JSON), [`version_check`] (4), [`state_skeleton`] (5). Each is a function from
//! inputs to `Vec<Violation>`, unit-tested with broken inputs; [`verify`] runs them all,
//! also as a `#[test]` over the real repository.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

mod api_list;
mod ci;
mod ci_python;
#[cfg(test)]
mod consumer;
mod error;
mod export_table;
mod facade_exports;
mod generated_file;
mod manifests;
mod python_package;
mod source_tree;
mod state_skeleton;
mod verify;
mod version_check;
mod violation;

use error::Error;
use source_tree::DiskSources;

/// Repository automation for cinematic.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Check versions, the dependency rule, the facade's exports, the API list, VERSION
    /// and the .gsd-state skeleton (CONVENTIONS §3); exit 0 only when all hold.
    VerifyExports {
        /// First rewrite the generated files (exports.rs, api.txt) from the code.
        #[arg(long)]
        bless: bool,
        /// Skip compiling the generated exports.rs (`cargo test -p cinematic --test exports`).
        #[arg(long)]
        no_compile: bool,
    },
    /// Rewrite crates/cinematic/tests/exports.rs and crates/cinematic/api.txt from the code.
    Bless,
    /// Run the CI pipeline: fmt, verify-exports, clippy, rustdoc, tests, python.
    Ci {
        /// Run only this step (e.g. `python`).
        #[arg(long)]
        step: Option<String>,
    },
}

/// The repository root: the parent of this crate's directory. `cargo run`/`cargo test`
/// set `CARGO_MANIFEST_DIR` at run time; the compile-time value is the fallback for a
/// binary started directly.
pub(crate) fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), Path::to_path_buf)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    let outcome = match cli.task {
        Task::VerifyExports { bless, no_compile } => verify_exports(&root, bless, !no_compile),
        Task::Bless => bless_files(&root),
        Task::Ci { step } => ci::run_ci(&root, step.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn bless_files(root: &Path) -> Result<(), Error> {
    let graph = verify::load_graph(root)?;
    let rewritten = verify::bless(root, &graph)?;
    if rewritten.is_empty() {
        println!("bless: generated files are already fresh");
    }
    for path in rewritten {
        println!("bless: rewrote {path}");
    }
    Ok(())
}

fn verify_exports(root: &Path, bless: bool, compile: bool) -> Result<(), Error> {
    if bless {
        bless_files(root)?;
    }
    let graph = verify::load_graph(root)?;
    let violations = verify::run_all_checks(&graph, &DiskSources { root });
    if !violations.is_empty() {
        eprint!("{}", violation::render_report(&violations));
        return Err(Error::ChecksFailed {
            count: violations.len(),
        });
    }
    if compile {
        compile_exports_test(root)?;
    }
    println!("verify-exports: all checks passed");
    Ok(())
}

/// Check 2's proof: build and run the generated consumer test.
fn compile_exports_test(root: &Path) -> Result<(), Error> {
    let args = [
        "test",
        "-p",
        "cinematic",
        "--test",
        "exports",
        "--locked",
        "--quiet",
    ];
    let command = format!("cargo {}", args.join(" "));
    println!("verify-exports: {command}");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = std::time::Instant::now();
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|source| Error::Spawn {
            command: command.clone(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::StepFailed {
            step: "compile exports.rs",
            command,
            status: status.to_string(),
            elapsed: started.elapsed(),
        })
    }
}
