//! Generated files kept in the repository, checked the rust-analyzer way
//! (`ensure_file_contents`): generate in memory, compare with the committed text, and on
//! a difference print a unified diff and the command that rewrites the file.

use similar::TextDiff;

use crate::violation::{CheckId, Violation};

/// A violation when `committed` (the file's current text, `None` if absent) differs from
/// `generated`; the message carries a unified diff from committed to generated.
pub(crate) fn freshness_violation(
    check: CheckId,
    path: &str,
    committed: Option<&str>,
    generated: &str,
) -> Option<Violation> {
    let Some(committed) = committed else {
        return Some(Violation::new(
            check,
            path,
            "file is missing; run `cargo xtask bless` to generate it, then commit it",
        ));
    };
    if committed == generated {
        return None;
    }
    let diff = unified_diff(
        committed,
        generated,
        &format!("{path} (committed)"),
        &format!("{path} (generated from code)"),
    );
    Some(Violation::new(
        check,
        path,
        format!(
            "out of date; lines starting with `-` are only in the committed file, `+` only in \
             what the code generates. Run `cargo xtask bless` and commit the result if the \
             change is intended.\n{diff}"
        ),
    ))
}

/// A unified diff (3 lines of context) from `old` to `new`.
pub(crate) fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let mut diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    if !diff.ends_with('\n') {
        diff.push('\n');
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_is_fresh() {
        assert_eq!(
            freshness_violation(CheckId::ApiList, "a.txt", Some("x\n"), "x\n"),
            None
        );
    }

    #[test]
    fn a_missing_file_says_how_to_create_it() {
        let v = freshness_violation(CheckId::ApiList, "a.txt", None, "x\n").unwrap();
        assert_eq!(
            v.to_string(),
            "[3 api-list] a.txt: file is missing; run `cargo xtask bless` to generate it, then commit it"
        );
    }

    #[test]
    fn a_stale_file_carries_a_unified_diff() {
        let v =
            freshness_violation(CheckId::ApiList, "a.txt", Some("a\nb\nc\n"), "a\nc\nd\n").unwrap();
        assert!(v.message.ends_with(
            "--- a.txt (committed)\n+++ a.txt (generated from code)\n@@ -1,3 +1,3 @@\n a\n-b\n c\n+d\n"
        ), "{}", v.message);
    }
}
