//! Test-only helpers shared by every crate's test suite; a dev-dependency only (the
//! dependency rule allows it nowhere else), depending on no workspace crate.
//!
//! The one rule it keeps: **under `CI=true` a missing external tool is a failure, not a
//! skip.** Tests drive the real ffprobe/ffmpeg, Python with PyYAML and Blender; on a
//! developer's machine without them a test prints a note and returns early, in CI it
//! fails loudly, so a green CI always means the tools really ran.
//!
//! ```
//! // A test that needs python3 returns early without it (and fails under CI=true).
//! if !cinematic_testkit::python3_module_available("json") {
//!     return;
//! }
//! ```
//!
//! [`mutation`] holds what the mutation property tests share: the seeded generator,
//! the span finders, the case count and seed from the environment, and the watchdog.

pub mod mutation;

use std::fmt::Display;
use std::process::{Command, Stdio};

/// Whether this run is CI (`CI=true`), where missing tools fail the test.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Decide what a test does about a tool it needs: `Some(tool)` when `found` is `Ok`;
/// otherwise a panic under `CI=true` and a note plus `None` elsewhere.
///
/// `what` names the tool for the message ("ffmpeg and ffprobe"); the error says why it
/// is missing (ideally with how to install it).
///
/// # Panics
///
/// When the tool is missing and `CI=true`.
#[allow(clippy::panic)]
pub fn require<T, E: Display>(what: &str, found: Result<T, E>) -> Option<T> {
    match found {
        Ok(tool) => Some(tool),
        Err(why) if under_ci() => panic!("CI=true and {what} is required but missing: {why}"),
        Err(why) => {
            eprintln!("note: skipping: {what} is missing ({why}); it is required under CI=true");
            None
        }
    }
}

/// Whether `program args…` runs and exits 0 (stdout and stderr discarded).
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `python3` with `module` importable: true, or a skip (false) / a CI failure.
pub fn python3_module_available(module: &str) -> bool {
    let found = if runs("python3", &["-c", &format!("import {module}")]) {
        Ok(())
    } else {
        Err(format!(
            "`python3 -c 'import {module}'` failed (Debian: apt-get install python3-{module})"
        ))
    };
    require(&format!("python3 with {module}"), found).is_some()
}

/// `python3` with PyYAML: the reader the original tools used.
pub fn python_with_pyyaml() -> bool {
    python3_module_available("yaml")
}

/// A directory tree made immutable (`chattr -R +i`) for as long as the guard lives: the
/// way tests get a state root that cannot be written even by root (as on a read-only
/// mount or an archived show). Dropping the guard makes it writable again.
#[derive(Debug)]
pub struct ImmutableTree {
    root: std::path::PathBuf,
}

impl ImmutableTree {
    /// Make `root` and everything below it immutable; `None` (a skip, or a failure
    /// under `CI=true`) when `chattr` is missing or not permitted here.
    pub fn new(root: &std::path::Path) -> Option<Self> {
        let made = Command::new("chattr")
            .arg("-R")
            .arg("+i")
            .arg(root)
            .stdout(Stdio::null())
            .output();
        let found = match made {
            Ok(out) if out.status.success() => Ok(()),
            Ok(out) => Err(format!(
                "chattr +i failed (needs root on a file system with attributes): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => Err(format!("cannot run chattr (Debian: e2fsprogs): {e}")),
        };
        require("an immutable directory (chattr +i)", found)?;
        Some(Self {
            root: root.to_path_buf(),
        })
    }
}

impl Drop for ImmutableTree {
    fn drop(&mut self) {
        let _ = Command::new("chattr")
            .arg("-R")
            .arg("-i")
            .arg(&self.root)
            .status();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_present_tool_is_returned() {
        assert_eq!(require::<_, String>("x", Ok(7)), Some(7));
    }

    #[test]
    fn a_missing_tool_is_a_skip_outside_ci_and_a_failure_in_ci() {
        let outcome = std::panic::catch_unwind(|| require::<(), _>("nothing", Err("gone")));
        if under_ci() {
            assert!(
                outcome.is_err(),
                "CI=true must turn a missing tool into a failure"
            );
        } else {
            assert_eq!(outcome.ok(), Some(None));
        }
    }

    #[test]
    fn a_program_that_does_not_exist_does_not_run() {
        assert!(!runs("cinematic-testkit-no-such-program", &[]));
    }
}
