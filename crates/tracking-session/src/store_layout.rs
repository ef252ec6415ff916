//! The on-disk layout of a state root: directory names, file naming, and how a file
//! name found in a store directory is classified.
//!
//! ```text
//! <root>/.lock                       exclusive write lock (never deleted)
//! <root>/.counter                    store-wide save counter (decimal)
//! <root>/sessions/<id>.yaml          TrackingSession (seed layout)
//! <root>/solves/<name>.yaml          SolveData
//! <root>/footage/<key>.yaml          FootageMetadata (other tools' files here are ignored)
//! <dir>/.cinematic-tmp.<file>.<pid>.<n>      temp file of a save in progress
//! <dir>/<file>.corrupt-<UTC timestamp>       a quarantined corrupt file
//! ```

use crate::id::SessionId;

/// Extension of every record file we write.
pub(crate) const RECORD_EXTENSION: &str = "yaml";
/// Directory of sessions under the state root.
pub const SESSIONS_DIR: &str = "sessions";
/// Directory of solves under the state root.
pub const SOLVES_DIR: &str = "solves";
/// Directory of footage metadata under the state root.
pub const FOOTAGE_DIR: &str = "footage";
/// Lock file under the state root (the shared [`tracking_fs::LOCK_FILE`]).
pub const LOCK_FILE: &str = tracking_fs::LOCK_FILE;
/// Save counter file under the state root.
pub const COUNTER_FILE: &str = ".counter";
/// Infix of quarantined files: `<file>.corrupt-<timestamp>`.
pub(crate) const QUARANTINE_INFIX: &str = ".corrupt-";

/// What a directory entry of a record directory is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// One of our records, with its id.
    Record(SessionId),
    /// A `.yaml` file whose stem is not a valid id (e.g. copied in by hand).
    BadName,
    /// A quarantined corrupt file.
    Quarantined,
    /// One of our temp files.
    Temp,
    /// Anything else (other tools' files, `.gitkeep`, …): not ours, ignored.
    Foreign,
}

/// Classify a file name found in a record directory.
pub(crate) fn classify(file_name: &str) -> EntryKind {
    if tracking_fs::is_temp_file_name(file_name) {
        return EntryKind::Temp;
    }
    if file_name.contains(QUARANTINE_INFIX)
        && file_name
            .split(QUARANTINE_INFIX)
            .next()
            .is_some_and(|stem| stem.ends_with(".yaml"))
    {
        return EntryKind::Quarantined;
    }
    let Some(stem) = file_name
        .strip_suffix(RECORD_EXTENSION)
        .and_then(|s| s.strip_suffix('.'))
    else {
        return EntryKind::Foreign;
    };
    match SessionId::new(stem) {
        Ok(id) => EntryKind::Record(id),
        Err(_) if stem.starts_with('.') => EntryKind::Foreign,
        Err(_) => EntryKind::BadName,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_classified_by_layout() {
        assert_eq!(
            classify("shot_010.yaml"),
            EntryKind::Record(SessionId::new("shot_010").unwrap())
        );
        assert_eq!(classify("shot 010.yaml"), EntryKind::BadName);
        assert_eq!(classify("con.yaml"), EntryKind::BadName);
        assert_eq!(
            classify("shot_010.yaml.corrupt-20261127T101010.123Z"),
            EntryKind::Quarantined
        );
        assert_eq!(
            classify(".cinematic-tmp.shot_010.yaml.42.7"),
            EntryKind::Temp
        );
        for foreign in [
            "probe-0123abcd.json",
            ".gitkeep",
            "notes.txt",
            ".hidden.yaml",
        ] {
            assert_eq!(classify(foreign), EntryKind::Foreign, "{foreign}");
        }
    }
}
