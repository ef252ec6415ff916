//! Check 5: the state-root skeleton `.gsd-state/tracking/{sessions,solves,footage}/.gitkeep`
//! is in the repository, so a fresh clone has the directories the original tools expect.

use crate::source_tree::SourceReader;
use crate::violation::{CheckId, Violation};

/// The directories under `.gsd-state/tracking/` that must exist in a fresh clone.
pub(crate) const STATE_DIRS: &[&str] = &["sessions", "solves", "footage"];

/// Check 5.
pub(crate) fn check_state_skeleton(reader: &dyn SourceReader) -> Vec<Violation> {
    STATE_DIRS
        .iter()
        .map(|dir| format!(".gsd-state/tracking/{dir}/.gitkeep"))
        .filter(|path| !reader.is_file(path))
        .map(|path| {
            Violation::new(
                CheckId::StateSkeleton,
                &path,
                "missing; create the empty file and commit it (`.gitignore` keeps everything \
                 else under `.gsd-state/` out of git)",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_tree::tests::files;

    #[test]
    fn the_three_gitkeep_files_pass() {
        let reader = files(&[
            (".gsd-state/tracking/sessions/.gitkeep", ""),
            (".gsd-state/tracking/solves/.gitkeep", ""),
            (".gsd-state/tracking/footage/.gitkeep", ""),
        ]);
        assert_eq!(check_state_skeleton(&reader), []);
    }

    #[test]
    fn a_removed_gitkeep_is_named() {
        let reader = files(&[
            (".gsd-state/tracking/sessions/.gitkeep", ""),
            (".gsd-state/tracking/footage/.gitkeep", ""),
        ]);
        let found: Vec<String> = check_state_skeleton(&reader)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "[5 state-skeleton] .gsd-state/tracking/solves/.gitkeep: missing; create the empty \
              file and commit it (`.gitignore` keeps everything else under `.gsd-state/` out of git)"
            ]
        );
    }

    /// `.gitignore` must keep the skeleton in git and everything else under
    /// `.gsd-state/` out of it (asked of git itself, on the real repository).
    #[test]
    fn git_keeps_the_skeleton_and_ignores_the_rest_of_the_state_root() {
        let is_ignored = |path: &str| {
            let status = std::process::Command::new("git")
                .args(["check-ignore", "--quiet", "--no-index", path])
                .current_dir(crate::repo_root())
                .status()
                .unwrap();
            match status.code() {
                Some(0) => true,
                Some(1) => false,
                _ => panic!("git check-ignore {path}: {status}"),
            }
        };
        for dir in STATE_DIRS {
            assert!(
                !is_ignored(&format!(".gsd-state/tracking/{dir}/.gitkeep")),
                "{dir}"
            );
        }
        for runtime in [
            ".gsd-state/tracking/sessions/shot_010.yaml",
            ".gsd-state/tracking/.lock",
            ".gsd-state/tracking/footage/ab12.json",
            ".gsd-state/elsewhere.txt",
        ] {
            assert!(is_ignored(runtime), "{runtime} would be committed");
        }
    }
}
