//! The one error type of xtask: what stopped a task from running to the end.
//!
//! A check that finds a broken rule is not an error here; it returns violations. These
//! are the failures around the checks: cargo could not be run, a file could not be
//! written, a CI step exited non-zero.

use std::path::PathBuf;
use std::time::Duration;

/// Why an xtask command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum Error {
    /// `cargo metadata` failed or printed something unreadable.
    #[error("cargo metadata failed: {0}")]
    Metadata(#[from] cargo_metadata::Error),
    /// A generated file could not be produced (the facade does not parse).
    #[error("cannot generate {path}: {message}")]
    Generate { path: &'static str, message: String },
    /// Writing a generated file failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A program could not be started.
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    /// `verify-exports` found broken rules (they were printed above).
    #[error("verify-exports: {count} violation(s); see above")]
    ChecksFailed { count: usize },
    /// A CI step exited unsuccessfully.
    #[error("ci step `{step}` failed after {:.1} s ({status}); command: {command}", elapsed.as_secs_f64())]
    StepFailed {
        step: &'static str,
        command: String,
        status: String,
        elapsed: Duration,
    },
}
