//! What a failed check reports: which check, where, and what is wrong.
//!
//! Every check of `cargo xtask verify-exports` is a function from its inputs to a
//! `Vec<Violation>`; an empty vector means the check holds. A violation's message is
//! written for the person who has to fix it: it names the file (and line when known),
//! what was found, what was expected, and, for generated files, carries a unified diff.

use std::fmt;

/// The five checks of CONVENTIONS §3, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CheckId {
    /// 1: versions, `=` pins and the dependency rule, from `cargo metadata`.
    Manifests,
    /// 2: the facade exposes every required name (syn walk + generated `exports.rs`).
    Exports,
    /// 3: the committed public-API list matches the facade.
    ApiList,
    /// 4: `cinematic::VERSION` equals the manifest version.
    Version,
    /// 5: the `.gsd-state/tracking/*/.gitkeep` skeleton exists.
    StateSkeleton,
}

impl CheckId {
    /// The short name printed in brackets before each violation.
    pub(crate) fn label(self) -> &'static str {
        match self {
            CheckId::Manifests => "1 manifests",
            CheckId::Exports => "2 exports",
            CheckId::ApiList => "3 api-list",
            CheckId::Version => "4 version",
            CheckId::StateSkeleton => "5 state-skeleton",
        }
    }
}

/// One broken rule: the check that found it, where (a repository-relative path,
/// optionally `:line`), and a message saying what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) check: CheckId,
    pub(crate) location: String,
    pub(crate) message: String,
}

impl Violation {
    pub(crate) fn new(
        check: CheckId,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Violation {
            check,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}",
            self.check.label(),
            self.location,
            self.message
        )
    }
}

/// Joins violations into the report printed by `verify-exports` (one per paragraph).
pub(crate) fn render_report(violations: &[Violation]) -> String {
    let mut out = String::new();
    for violation in violations {
        out.push_str(&violation.to_string());
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_prints_its_check_location_and_message() {
        let v = Violation::new(CheckId::Version, "crates/cinematic/src/lib.rs:3", "wrong");
        assert_eq!(
            v.to_string(),
            "[4 version] crates/cinematic/src/lib.rs:3: wrong"
        );
    }

    #[test]
    fn a_report_puts_each_violation_on_its_own_line() {
        let report = render_report(&[
            Violation::new(CheckId::Manifests, "a", "x"),
            Violation::new(CheckId::StateSkeleton, "b", "y\n"),
        ]);
        assert_eq!(report, "[1 manifests] a: x\n[5 state-skeleton] b: y\n");
    }
}
