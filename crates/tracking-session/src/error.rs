//! [`Error`](enum@Error): everything that can go wrong in the session store, each case saying
//! which file or id it concerns.

use camino::Utf8PathBuf;
use thiserror::Error;
use tracking_types::ValidationError;

use crate::id::IdError;

/// What kind of record an error concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordKind {
    /// A tracking session (`sessions/`).
    Session,
    /// A camera solve (`solves/`).
    Solve,
    /// Footage metadata (`footage/`).
    Footage,
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Session => "session",
            Self::Solve => "solve",
            Self::Footage => "footage record",
        })
    }
}

/// An error of the session store.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// No record with that id exists.
    #[error("{kind} {id:?} not found (looked for {path})")]
    NotFound {
        /// Kind of record.
        kind: RecordKind,
        /// The id asked for.
        id: String,
        /// The file that does not exist.
        path: Utf8PathBuf,
    },
    /// The id cannot be used as a file name.
    #[error("invalid id {id:?}: {reason}")]
    InvalidId {
        /// The id given.
        id: String,
        /// Why it is refused.
        reason: IdError,
    },
    /// A record whose id differs only in letter case already exists.
    #[error(
        "{kind} id {id:?} differs only in letter case from the existing {existing:?}; ids must be unique regardless of case"
    )]
    CaseCollision {
        /// Kind of record.
        kind: RecordKind,
        /// The id being saved.
        id: String,
        /// The id already in the store.
        existing: String,
    },
    /// The file's `session_id` does not match its file name.
    #[error("{path}: session_id {found:?} does not match the file name (expected {expected:?})")]
    IdMismatch {
        /// The file.
        path: Utf8PathBuf,
        /// The id implied by the file name.
        expected: String,
        /// The id written inside the file.
        found: String,
    },
    /// The file changed since the caller loaded it: saving would lose someone's work.
    #[error("{path}: {}", conflict_message(*expected, *found))]
    Conflict {
        /// The file.
        path: Utf8PathBuf,
        /// The revision the caller loaded (`None`: the caller was creating a new record).
        expected: Option<u64>,
        /// The revision on disk (`None`: there is no file any more).
        found: Option<u64>,
    },
    /// The file cannot be parsed or decoded.
    #[error("{path}{}: {}{}", position(*line, *column), reason_once(reason, *line, *column), quarantine_note(quarantined_to.as_ref()))]
    Corrupt {
        /// The file as it was found.
        path: Utf8PathBuf,
        /// 1-based line of the problem, when known.
        line: Option<usize>,
        /// 1-based column of the problem, when known.
        column: Option<usize>,
        /// What is wrong (with the field path when known).
        reason: String,
        /// Where the file was moved so it is kept but out of the way, if it was.
        quarantined_to: Option<Utf8PathBuf>,
    },
    /// The file was written by a newer version: we may not understand all of it, so we
    /// never overwrite it.
    #[error(
        "{path}: schema version {found} is newer than the supported {supported}; refusing to overwrite it"
    )]
    NewerSchema {
        /// The file.
        path: Utf8PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest version this build writes.
        supported: u32,
    },
    /// The file is larger than the configured cap; it was not read.
    #[error("{path}: {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: Utf8PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The configured cap in bytes.
        limit: u64,
    },
    /// The data cannot be stored (a non-finite number, an out-of-range value, …).
    #[error("{kind} {id:?} cannot be saved: {source}")]
    Validation {
        /// Kind of record.
        kind: RecordKind,
        /// Its id or name.
        id: String,
        /// What is wrong, naming the field.
        #[source]
        source: ValidationError,
    },
    /// The data could not be encoded as YAML.
    #[error("{kind} {id:?} cannot be encoded as YAML: {reason}")]
    Encode {
        /// Kind of record.
        kind: RecordKind,
        /// Its id or name.
        id: String,
        /// What the encoder said.
        reason: String,
    },
    /// The path is not a regular file (a directory, a pipe, a device …).
    #[error("{path}: not a regular file")]
    NotAFile {
        /// The path.
        path: Utf8PathBuf,
    },
    /// A step of the shared file-system recipe failed in a way of its own: the lock was
    /// held past the wait ([`tracking_fs::FsError::LockTimeout`]), a bookkeeping file is
    /// a symbolic link, a target is not a regular file, ….
    #[error(transparent)]
    File(tracking_fs::FsError),
    /// A file-system operation failed.
    #[error("{path}: cannot {action}")]
    Io {
        /// The path involved.
        path: Utf8PathBuf,
        /// What we were doing (`read`, `create`, `rename into place`, …).
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl From<tracking_fs::FsError> for Error {
    fn from(error: tracking_fs::FsError) -> Self {
        let path = Utf8PathBuf::from_path_buf(error.path().to_path_buf())
            .unwrap_or_else(|p| Utf8PathBuf::from(p.to_string_lossy().into_owned()));
        match error {
            tracking_fs::FsError::Io { action, source, .. } => Self::Io {
                path,
                action,
                source,
            },
            // The store's targets are its own record files: anything else there is damage
            // from outside, reported like any other failed write.
            // A lock timeout, a refused symlink, …: the shared error says it all.
            other => Self::File(other),
        }
    }
}

impl Error {
    /// Whether the error says the store cannot be written here (a read-only mount, no
    /// permission): readers carry on without the write they wanted.
    pub fn is_not_writable(&self) -> bool {
        match self {
            Self::Io { source, .. } => tracking_fs::is_not_writable_kind(source.kind()),
            Self::File(error) => error.is_not_writable(),
            _ => false,
        }
    }

    /// An [`Error::Io`] for `path` while doing `action`.
    pub(crate) fn io(
        path: impl Into<Utf8PathBuf>,
        action: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            path,
            action,
            source,
        }
    }

    /// An [`Error::InvalidId`] for `id`.
    pub(crate) fn invalid_id(id: &str, reason: IdError) -> Self {
        Self::InvalidId {
            id: id.to_owned(),
            reason,
        }
    }
}

fn conflict_message(expected: Option<u64>, found: Option<u64>) -> String {
    match (expected, found) {
        (None, Some(found)) => format!(
            "already exists (revision {found}); load it and save the loaded copy, or replace it explicitly"
        ),
        (Some(expected), None) => format!(
            "was deleted after it was loaded at revision {expected}; not recreating it silently"
        ),
        (Some(expected), Some(found)) => format!(
            "was saved by someone else since it was loaded (loaded revision {expected}, now {found}); reload and apply the change again"
        ),
        (None, None) => "conflicting save".to_owned(),
    }
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

/// `reason` without the position the message already starts with: the decoder's text
/// may carry it again (`line 3 column 1: …`, `… at line 3 column 1`, `(line 3 column 1)`).
fn reason_once(reason: &str, line: Option<usize>, column: Option<usize>) -> String {
    let (Some(line), Some(column)) = (line, column) else {
        return reason.to_owned();
    };
    let at = format!("line {line} column {column}");
    let mut text = reason
        .strip_prefix(&format!("{at}: "))
        .unwrap_or(reason)
        .to_owned();
    for repeat in [format!(" at {at}"), format!(" ({at})")] {
        text = text.replace(&repeat, "");
    }
    text
}

fn quarantine_note(to: Option<&Utf8PathBuf>) -> String {
    to.map(|to| format!(" (moved aside to {to})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_error_names_file_line_column_and_quarantine() {
        let err = Error::Corrupt {
            path: "s/a.yaml".into(),
            line: Some(3),
            column: Some(7),
            reason: "tracks[0].markers: duplicate frame key 1001".into(),
            quarantined_to: Some("s/a.yaml.corrupt-x".into()),
        };
        assert_eq!(
            err.to_string(),
            "s/a.yaml:3:7: tracks[0].markers: duplicate frame key 1001 (moved aside to s/a.yaml.corrupt-x)"
        );
    }

    #[test]
    fn a_corrupt_error_states_its_position_once() {
        let err = Error::Corrupt {
            path: "s/b.yaml".into(),
            line: Some(3),
            column: Some(1),
            reason: "line 3 column 1: invalid YAML: did not find expected node content at line 3 column 1, while parsing a flow node".into(),
            quarantined_to: None,
        };
        assert_eq!(
            err.to_string(),
            "s/b.yaml:3:1: invalid YAML: did not find expected node content, while parsing a flow node"
        );
        let data = Error::Corrupt {
            path: "s/c.yaml".into(),
            line: Some(4),
            column: Some(5),
            reason: "current_frame: invalid type: string \"x\", expected i64 (line 4 column 5)"
                .into(),
            quarantined_to: None,
        };
        assert_eq!(
            data.to_string(),
            "s/c.yaml:4:5: current_frame: invalid type: string \"x\", expected i64"
        );
    }

    #[test]
    fn a_conflict_error_says_what_changed() {
        let err = Error::Conflict {
            path: "s/a.yaml".into(),
            expected: Some(2),
            found: Some(3),
        };
        assert!(err.to_string().contains("loaded revision 2, now 3"));
    }
}
