//! The engine shared by the session, solve and footage stores: one directory of
//! `<id>.yaml` records, read with the size cap, decoded with the codec limits,
//! corrupt files quarantined under the lock, case-insensitive id uniqueness, and
//! directory scans that sort entries into records and problems.

use std::fs;

use crate::codec::YamlLimits;
use camino::{Utf8Path, Utf8PathBuf};
use serde::de::DeserializeOwned;

use crate::bounded_read::{ReadOutcome, read_capped};
use crate::codec::decode;
use crate::error::{Error, RecordKind};
use crate::id::SessionId;
use crate::listing::{Problem, ProblemFile};
use crate::quarantine::quarantine;
use crate::store_layout::{EntryKind, classify};
use crate::store_lock::StoreLock;

/// Limits applied when reading records.
#[derive(Debug, Clone)]
pub(crate) struct ReadLimits {
    pub(crate) max_file_size: u64,
    pub(crate) yaml: YamlLimits,
}

/// One record directory (`sessions/`, `solves/` or `footage/`) of a state root.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordDir<'a> {
    pub(crate) kind: RecordKind,
    pub(crate) root: &'a Utf8Path,
    pub(crate) dir: &'a Utf8Path,
    pub(crate) limits: &'a ReadLimits,
    pub(crate) lock_wait: &'a tracking_fs::LockWait,
}

impl RecordDir<'_> {
    /// Path of the record with `id`.
    pub(crate) fn path_of(&self, id: &SessionId) -> Utf8PathBuf {
        self.dir.join(id.file_name())
    }

    /// Read and decode `path`; `Ok(None)` when it does not exist.
    pub(crate) fn read<T: DeserializeOwned>(&self, path: &Utf8Path) -> Result<Option<T>, Error> {
        match read_capped(path, self.limits.max_file_size)? {
            ReadOutcome::Missing => Ok(None),
            ReadOutcome::Text(text) => decode(path, &text, &self.limits.yaml).map(Some),
        }
    }

    /// Load the record `id`, checking it with `check` (e.g. that its inner id matches).
    ///
    /// A file that does not decode is quarantined (under the store lock, after reading
    /// it again in case a writer just replaced it) and reported as
    /// [`Error::Corrupt`] with `quarantined_to` set.
    pub(crate) fn load<T: DeserializeOwned>(
        &self,
        id: &SessionId,
        check: impl Fn(&Utf8Path, &T) -> Result<(), Error>,
    ) -> Result<T, Error> {
        let path = self.path_of(id);
        let not_found = || Error::NotFound {
            kind: self.kind,
            id: id.to_string(),
            path: path.clone(),
        };
        match self.read::<T>(&path) {
            Ok(Some(record)) => check(&path, &record).map(|()| record),
            Ok(None) => Err(not_found()),
            Err(err @ Error::Corrupt { .. }) => {
                // A read-only store cannot be locked: report the corruption unmoved.
                let Ok(lock) = StoreLock::acquire(self.root, self.lock_wait) else {
                    return Err(err);
                };
                match self.read::<T>(&path) {
                    Ok(Some(record)) => check(&path, &record).map(|()| record),
                    Ok(None) => Err(not_found()),
                    Err(err) => Err(self.quarantine_corrupt(&lock, &path, err)),
                }
            }
            Err(err) => Err(err),
        }
    }

    /// Move a corrupt `path` aside and return `error` saying where it went. Errors that
    /// are not about corrupt content are returned unchanged.
    pub(crate) fn quarantine_corrupt(
        &self,
        lock: &StoreLock,
        path: &Utf8Path,
        error: Error,
    ) -> Error {
        match error {
            Error::Corrupt {
                path: corrupt_path,
                line,
                column,
                reason,
                quarantined_to: None,
            } => {
                let quarantined_to = quarantine(lock, path).ok();
                Error::Corrupt {
                    path: corrupt_path,
                    line,
                    column,
                    reason,
                    quarantined_to,
                }
            }
            other => other,
        }
    }

    /// An existing record whose id equals `id` ignoring case but is spelled differently.
    pub(crate) fn case_collision(&self, id: &SessionId) -> Result<Option<String>, Error> {
        Ok(self.scan()?.into_iter().find_map(|(_, entry)| match entry {
            EntryKind::Record(existing)
                if existing.eq_ignore_case(id.as_str()) && existing != *id =>
            {
                Some(existing.to_string())
            }
            _ => None,
        }))
    }

    /// Refuse `id` if it collides in case with an existing record.
    pub(crate) fn check_case_collision(&self, id: &SessionId) -> Result<(), Error> {
        match self.case_collision(id)? {
            Some(existing) => Err(Error::CaseCollision {
                kind: self.kind,
                id: id.to_string(),
                existing,
            }),
            None => Ok(()),
        }
    }

    /// The directory's entries (file name, classification), sorted by name; empty when
    /// the directory does not exist.
    pub(crate) fn scan(&self) -> Result<Vec<(String, EntryKind)>, Error> {
        let entries = match fs::read_dir(self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(self.dir, "list the directory")(e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(Error::io(self.dir, "list the directory"))?;
            // Names that are not UTF-8 cannot be ours: we only create UTF-8 names.
            if let Ok(name) = entry.file_name().into_string() {
                let kind = classify(&name);
                out.push((name, kind));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Walk the directory: `on_record` is called for every record file with its id and
    /// path and returns the error that makes it a problem, if any. Quarantined and
    /// misnamed files are problems; temp and foreign files are ignored.
    pub(crate) fn survey(
        &self,
        mut on_record: impl FnMut(SessionId, Utf8PathBuf) -> Result<(), Error>,
    ) -> Result<Vec<ProblemFile>, Error> {
        let mut problems = Vec::new();
        for (name, entry) in self.scan()? {
            let path = self.dir.join(&name);
            let problem = match entry {
                EntryKind::Record(id) => match on_record(id, path.clone()) {
                    Ok(()) => None,
                    Err(err) => Some(Problem::from_error(&err)),
                },
                EntryKind::Quarantined => Some(Problem::Quarantined),
                EntryKind::BadName => Some(Problem::BadName {
                    reason: bad_name_reason(&name),
                }),
                EntryKind::Temp | EntryKind::Foreign => None,
            };
            if let Some(problem) = problem {
                problems.push(ProblemFile { path, problem });
            }
        }
        Ok(problems)
    }
}

fn bad_name_reason(file_name: &str) -> String {
    let stem = file_name.strip_suffix(".yaml").unwrap_or(file_name);
    match SessionId::new(stem) {
        Err(reason) => format!("{stem:?} is not a valid id: {reason}"),
        Ok(_) => "not a record file name".to_owned(),
    }
}
