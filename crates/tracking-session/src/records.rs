//! The solve store (`solves/<name>.yaml`, [`SolveData`]) and the footage metadata store
//! (`footage/<key>.yaml`, [`FootageMetadata`]).
//!
//! Solves and footage records are results (of a solver, of a probe) that are replaced
//! whole rather than edited, so a save replaces the record — validated, under the store
//! lock, atomically and durably, quarantining a corrupt predecessor instead of
//! overwriting it. Other tools keep their own files in `footage/` (e.g. probe caches
//! named `probe-<hash>.json`); listings ignore every file that is not `<id>.yaml`.

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracking_types::{FootageMetadata, SolveData, Validate};

use crate::atomic_file::{ensure_dir, sync_dir, write_atomically};
use crate::codec::encode;
use crate::error::{Error, RecordKind};
use crate::id::SessionId;
use crate::listing::RecordListing;
use crate::manager::{TrackingSessionManager, not_found, parse_id};
use crate::record_dir::RecordDir;
use crate::store_lock::StoreLock;

impl TrackingSessionManager {
    /// Save `solve` as `solves/<name>.yaml` (its `name` must be a valid id).
    pub fn save_solve(&self, solve: &SolveData) -> Result<Utf8PathBuf, Error> {
        let id = parse_id(&solve.name)?;
        self.save_record(self.solves(), &id, solve)
    }

    /// The file of solve `name` (`solves/<name>.yaml`), whether or not it exists.
    pub fn solve_path(&self, name: &SessionId) -> Utf8PathBuf {
        self.solves().path_of(name)
    }

    /// The file of the footage record `key` (`footage/<key>.yaml`), whether or not it
    /// exists.
    pub fn footage_path(&self, key: &SessionId) -> Utf8PathBuf {
        self.footage().path_of(key)
    }

    /// Load solve `name`.
    pub fn load_solve(&self, name: impl AsRef<str>) -> Result<SolveData, Error> {
        let id = parse_id(name.as_ref())?;
        self.solves()
            .load::<SolveData>(&id, |path, solve| check_inner_name(path, &id, &solve.name))
    }

    /// Names of the stored solves, and the files that are not loadable solves.
    pub fn list_solves(&self) -> Result<RecordListing, Error> {
        self.list_records::<SolveData>(self.solves())
    }

    /// Delete solve `name`.
    pub fn delete_solve(&self, name: impl AsRef<str>) -> Result<(), Error> {
        let id = parse_id(name.as_ref())?;
        self.delete_record(self.solves(), &id)
    }

    /// Save footage metadata under `key` as `footage/<key>.yaml`.
    pub fn save_footage(
        &self,
        key: impl AsRef<str>,
        metadata: &FootageMetadata,
    ) -> Result<Utf8PathBuf, Error> {
        let id = parse_id(key.as_ref())?;
        self.save_record(self.footage(), &id, metadata)
    }

    /// Load the footage metadata stored under `key`.
    pub fn load_footage(&self, key: impl AsRef<str>) -> Result<FootageMetadata, Error> {
        let id = parse_id(key.as_ref())?;
        self.footage().load::<FootageMetadata>(&id, |_, _| Ok(()))
    }

    /// Keys of the stored footage records, and the files that are not loadable records
    /// (files of other tools in `footage/` are ignored).
    pub fn list_footage(&self) -> Result<RecordListing, Error> {
        self.list_records::<FootageMetadata>(self.footage())
    }

    /// Delete the footage record `key`.
    pub fn delete_footage(&self, key: impl AsRef<str>) -> Result<(), Error> {
        let id = parse_id(key.as_ref())?;
        self.delete_record(self.footage(), &id)
    }

    fn solves(&self) -> RecordDir<'_> {
        self.record_dir(RecordKind::Solve, self.solves_dir())
    }

    fn footage(&self) -> RecordDir<'_> {
        self.record_dir(RecordKind::Footage, self.footage_dir())
    }

    fn save_record<T>(
        &self,
        dir: RecordDir<'_>,
        id: &SessionId,
        record: &T,
    ) -> Result<Utf8PathBuf, Error>
    where
        T: Serialize + DeserializeOwned + Validate,
    {
        record.validate().map_err(|source| Error::Validation {
            kind: dir.kind,
            id: id.to_string(),
            source,
        })?;
        let yaml = encode(dir.kind, id.as_str(), record)?;
        ensure_dir(dir.dir)?;
        let lock = StoreLock::acquire(self.state_root(), dir.lock_wait)?;
        let path = dir.path_of(id);
        match dir.read::<T>(&path) {
            Ok(Some(_)) => {}
            Ok(None) => dir.check_case_collision(id)?,
            Err(err @ Error::Corrupt { .. }) => {
                if let err @ Error::Corrupt {
                    quarantined_to: None,
                    ..
                } = dir.quarantine_corrupt(&lock, &path, err)
                {
                    return Err(err);
                }
            }
            Err(err) => return Err(err),
        }
        write_atomically(&path, yaml.as_bytes())?;
        Ok(path)
    }

    fn list_records<T: DeserializeOwned>(
        &self,
        dir: RecordDir<'_>,
    ) -> Result<RecordListing, Error> {
        let mut ids = Vec::new();
        let problems = dir.survey(|id, path| {
            dir.read::<T>(&path)?
                .ok_or_else(|| not_found(dir.kind, &id, path.clone()))?;
            ids.push(id);
            Ok(())
        })?;
        Ok(RecordListing { ids, problems })
    }

    fn delete_record(&self, dir: RecordDir<'_>, id: &SessionId) -> Result<(), Error> {
        let path = dir.path_of(id);
        if !self.state_root().is_dir() {
            return Err(not_found(dir.kind, id, path));
        }
        let _lock = StoreLock::acquire(self.state_root(), dir.lock_wait)?;
        match std::fs::remove_file(&path) {
            Ok(()) => sync_dir(dir.dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(not_found(dir.kind, id, path))
            }
            Err(e) => Err(Error::io(path, "delete")(e)),
        }
    }
}

fn check_inner_name(path: &Utf8Path, id: &SessionId, name: &str) -> Result<(), Error> {
    if name == id.as_str() {
        Ok(())
    } else {
        Err(Error::IdMismatch {
            path: path.to_owned(),
            expected: id.to_string(),
            found: name.to_owned(),
        })
    }
}
