//! [`TrackingSessionManager`]: sessions under `<root>/sessions/`, saved with the write
//! recipe of CONVENTIONS §7:
//!
//! 1. validate the id and every number;
//! 2. take the exclusive lock on `<root>/.lock`;
//! 3. compare the caller's loaded revision with the one on disk → [`Error::Conflict`];
//! 4. write a temp file in the same directory, flush, `sync_all`;
//! 5. rename it over the target, fsync the directory;
//! 6. record the next store-wide save counter and `saved_at` (UTC, RFC 3339);
//! 7. unlock. Opening a manager removes stale temp files; corrupt files are
//!    quarantined, never deleted.
//!
//! The revision travels in the session itself: [`load`](TrackingSessionManager::load)
//! sets `revision` to the revision on disk, and [`save`](TrackingSessionManager::save)
//! refuses to write unless the file on disk still has that revision. A session made
//! with `TrackingSession::new` has no revision, so saving it creates the file and
//! refuses to replace an existing one.
//!
//! Reading the on-disk revision costs a parse of the file, so a manager remembers the
//! bookkeeping of the file versions it loaded or wrote itself, keyed by
//! [`FileIdentity`] (inode, size, mtime, ctime): a load-modify-save by one manager
//! skips the second parse, and any file replaced or edited by anyone else since has a
//! new identity and is read again.

use crate::codec::YamlLimits;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use camino::{Utf8Path, Utf8PathBuf};
use serde::Deserialize;
use tracking_types::{TrackingSession, Validate};

use crate::atomic_file::{ensure_dir, parent_dir, remove_stale_temps, sync_dir, write_atomically};
use crate::bounded_read::DEFAULT_MAX_FILE_SIZE;
use crate::codec::encode;
use crate::error::{Error, RecordKind};
use crate::file_identity::{FileIdentity, identity};
use crate::id::SessionId;
use crate::listing::{SessionListing, SessionSummary};
use crate::record_dir::{ReadLimits, RecordDir};
use crate::save_counter::next_save_counter;
use crate::store_layout::{EntryKind, FOOTAGE_DIR, LOCK_FILE, SESSIONS_DIR, SOLVES_DIR};
use crate::store_lock::StoreLock;
use crate::warning::LoadWarning;
use tracking_fs::LockWait;

/// The schema version this build writes; files with a larger one are never overwritten.
/// Version 1 is the original Python layout (no `schema_version` field).
pub const SCHEMA_VERSION: u32 = 2;

/// The state root used when none is given, relative to the working directory.
pub const DEFAULT_STATE_ROOT: &str = ".gsd-state/tracking";

/// Tunable limits of a store.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Files larger than this many bytes are refused before being read.
    pub max_file_size: u64,
    /// Limits of the YAML decoder (aliases, nesting, …).
    pub yaml_limits: YamlLimits,
    /// How long a writer waits for another writer's lock (default 30 s, a notice on
    /// stderr naming the holder after 1 s; a zero timeout fails at once).
    pub lock_wait: LockWait,
    /// Where the warnings of [`load`](TrackingSessionManager::load) and
    /// [`load_from_path`](TrackingSessionManager::load_from_path) go (unknown keys,
    /// kept): by default [`print_warning`](crate::print_warning), one `warning: …` line
    /// on stderr; `None` stays silent. Listings never warn.
    pub on_warning: Option<fn(&LoadWarning)>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            yaml_limits: YamlLimits::default(),
            lock_wait: LockWait::default(),
            on_warning: Some(crate::warning::print_warning),
        }
    }
}

/// What a successful save wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReceipt {
    /// The file written.
    pub path: Utf8PathBuf,
    /// The file's new revision.
    pub revision: u64,
    /// The store-wide save counter of this save (`None` for saves outside a store).
    pub save_counter: Option<u64>,
    /// When it was saved (UTC, RFC 3339).
    pub saved_at: String,
}

/// Whether a save checks the caller's revision against the file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaveMode {
    /// Refuse with [`Error::Conflict`] unless the disk still has the loaded revision.
    Checked,
    /// Replace whatever is there (an explicit `--force`); a corrupt file is quarantined
    /// first, a newer-schema file is still never overwritten.
    Replace,
}

/// The bookkeeping fields of a session file, read without decoding the tracks' content.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
struct Bookkeeping {
    schema_version: Option<u32>,
    revision: Option<u64>,
    save_counter: Option<u64>,
}

/// Persistence of tracking sessions, solves and footage metadata under a state root.
///
/// ```no_run
/// use tracking_session::TrackingSessionManager;
/// use tracking_types::TrackingSession;
///
/// let manager = TrackingSessionManager::open(".gsd-state/tracking")?;
/// let mut session = TrackingSession::new("shot_010");
/// manager.save(&mut session)?; // creates sessions/shot_010.yaml, revision 1
/// let mut loaded = manager.load("shot_010")?;
/// loaded.current_frame = 1042;
/// manager.save(&mut loaded)?; // revision 2; a concurrent save in between → Conflict
/// # Ok::<(), tracking_session::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrackingSessionManager {
    root: Utf8PathBuf,
    sessions_dir: Utf8PathBuf,
    solves_dir: Utf8PathBuf,
    footage_dir: Utf8PathBuf,
    limits: ReadLimits,
    lock_wait: LockWait,
    on_warning: Option<fn(&LoadWarning)>,
    /// Bookkeeping of session files this manager (or a clone) loaded or wrote, by the
    /// identity of the file version it came from: lets `save` skip re-reading a file
    /// nobody has changed since. Any other version is read from disk.
    seen: Arc<Mutex<BTreeMap<Utf8PathBuf, (FileIdentity, Bookkeeping)>>>,
}

impl TrackingSessionManager {
    /// Open the store at [`DEFAULT_STATE_ROOT`].
    pub fn open_default() -> Result<Self, Error> {
        Self::open(DEFAULT_STATE_ROOT)
    }

    /// Open the store at `root` with default limits. Nothing is created until the first
    /// save; if the root exists and no writer is active, stale temp files are removed.
    pub fn open(root: impl Into<Utf8PathBuf>) -> Result<Self, Error> {
        Self::open_with(root, StoreOptions::default())
    }

    /// Open the store at `root` with the given limits.
    pub fn open_with(root: impl Into<Utf8PathBuf>, options: StoreOptions) -> Result<Self, Error> {
        let root = root.into();
        let manager = Self {
            sessions_dir: root.join(SESSIONS_DIR),
            solves_dir: root.join(SOLVES_DIR),
            footage_dir: root.join(FOOTAGE_DIR),
            root,
            limits: ReadLimits {
                max_file_size: options.max_file_size,
                yaml: options.yaml_limits,
            },
            lock_wait: options.lock_wait,
            on_warning: options.on_warning,
            seen: Arc::default(),
        };
        manager.remove_stale_temps()?;
        Ok(manager)
    }

    /// The state root.
    pub fn state_root(&self) -> &Utf8Path {
        &self.root
    }

    /// `<root>/sessions`.
    pub fn sessions_dir(&self) -> &Utf8Path {
        &self.sessions_dir
    }

    /// `<root>/solves`.
    pub fn solves_dir(&self) -> &Utf8Path {
        &self.solves_dir
    }

    /// `<root>/footage`.
    pub fn footage_dir(&self) -> &Utf8Path {
        &self.footage_dir
    }

    /// The file of session `id`.
    pub fn session_path(&self, id: &SessionId) -> Utf8PathBuf {
        self.sessions().path_of(id)
    }

    /// Remove temp files left by writers that died, if no writer is active now.
    /// Returns how many were removed (done automatically by [`open`](Self::open)).
    pub fn remove_stale_temps(&self) -> Result<usize, Error> {
        // No lock file: no writer ever worked here, so there is nothing to clean (and
        // opening a store for reading creates nothing).
        if !self.root.join(LOCK_FILE).is_file() {
            return Ok(0);
        }
        // A root that cannot be written (a read-only mount, an archived show) is still
        // readable: clean-up is a writer's chore, skipped there.
        let lock = match StoreLock::try_acquire(&self.root) {
            Ok(Some(lock)) => lock,
            Ok(None) => return Ok(0),
            Err(e) if e.is_not_writable() => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for dir in [
            &self.root,
            &self.sessions_dir,
            &self.solves_dir,
            &self.footage_dir,
        ] {
            match remove_stale_temps(dir) {
                Ok(n) => removed += n,
                Err(e) if e.is_not_writable() => {}
                Err(e) => return Err(e),
            }
        }
        drop(lock);
        Ok(removed)
    }

    /// Load session `id`. The returned session's `revision` is the one on disk (0 for a
    /// file written by the original); pass it back to [`save`](Self::save).
    ///
    /// A corrupt file is moved aside ([`Error::Corrupt`] says where). Keys this version
    /// does not know are kept (saving writes them back) and reported through
    /// [`StoreOptions::on_warning`].
    pub fn load(&self, id: impl AsRef<str>) -> Result<TrackingSession, Error> {
        let id = parse_id(id.as_ref())?;
        let path = self.session_path(&id);
        let before = identity(&path);
        let mut session = self
            .sessions()
            .load::<TrackingSession>(&id, |path, s| check_session_id(path, &id, s))?;
        if let Some(seen) = before.filter(|&b| identity(&path) == Some(b)) {
            self.remember(path.clone(), seen, bookkeeping_of(&session));
        }
        self.warn_unknown_keys(&path, &session);
        session.revision = Some(session.revision.unwrap_or(0));
        Ok(session)
    }

    /// Reports the unknown keys of a loaded session, if it has any.
    fn warn_unknown_keys(&self, path: &Utf8Path, session: &TrackingSession) {
        let Some(report) = self.on_warning else {
            return;
        };
        let keys = session.unknown_keys();
        if !keys.is_empty() {
            report(&LoadWarning::UnknownKeys {
                kind: RecordKind::Session,
                id: session.session_id.clone(),
                path: path.to_owned(),
                keys,
            });
        }
    }

    /// Whether session `id` exists.
    pub fn exists(&self, id: impl AsRef<str>) -> Result<bool, Error> {
        let id = parse_id(id.as_ref())?;
        let path = self.session_path(&id);
        path.try_exists()
            .map_err(Error::io(path, "check whether it exists"))
    }

    /// Save `session` to `sessions/<session_id>.yaml`, refusing with
    /// [`Error::Conflict`] if the file changed since `session` was loaded (or exists
    /// although `session` was never loaded). On success the session's bookkeeping
    /// fields (`schema_version`, `revision`, `save_counter`, `saved_at`) are updated so
    /// it can be saved again.
    pub fn save(&self, session: &mut TrackingSession) -> Result<SaveReceipt, Error> {
        self.save_in_store(session, SaveMode::Checked)
    }

    /// Save `session` replacing whatever the store holds under its id (an explicit
    /// overwrite, e.g. `import --force`). A corrupt file there is quarantined first; a
    /// file with a newer schema is still never overwritten.
    pub fn save_replacing(&self, session: &mut TrackingSession) -> Result<SaveReceipt, Error> {
        self.save_in_store(session, SaveMode::Replace)
    }

    /// Delete session `id`.
    pub fn delete(&self, id: impl AsRef<str>) -> Result<(), Error> {
        let id = parse_id(id.as_ref())?;
        let path = self.session_path(&id);
        if !self.root.is_dir() {
            return Err(not_found(RecordKind::Session, &id, path));
        }
        let _lock = StoreLock::acquire(&self.root, &self.lock_wait)?;
        match std::fs::remove_file(&path) {
            Ok(()) => sync_dir(&self.sessions_dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(not_found(RecordKind::Session, &id, path))
            }
            Err(e) => Err(Error::io(path, "delete")(e)),
        }
    }

    /// Every session that loads, plus — separately — the files that do not (corrupt,
    /// quarantined, misnamed, too large). Listing never moves files.
    pub fn list_sessions(&self) -> Result<SessionListing, Error> {
        let sessions_dir = self.sessions();
        let mut sessions = Vec::new();
        let problems = sessions_dir.survey(|id, path| {
            let session = self.read_session_file(&path, &id)?;
            sessions.push(SessionSummary::new(id, path, &session));
            Ok(())
        })?;
        Ok(SessionListing { sessions, problems })
    }

    /// The session saved most recently, by the store's save counter (not file mtime).
    /// Files written by the original carry no counter: they rank below every file we
    /// saved, and among themselves by their `saved_at` text. Unloadable files are
    /// skipped (they show up in [`list_sessions`](Self::list_sessions)).
    pub fn get_latest_session(&self) -> Result<Option<TrackingSession>, Error> {
        let listing = self.list_sessions()?;
        let latest = listing.sessions.into_iter().max_by(|a, b| {
            (a.save_counter, &a.saved_at, &a.id).cmp(&(b.save_counter, &b.saved_at, &b.id))
        });
        match latest {
            Some(summary) => self.load(summary.id).map(Some),
            None => Ok(None),
        }
    }

    /// Load a session from any file (e.g. one to import). Its `revision` is set as by
    /// [`load`](Self::load), and unknown keys are kept and reported as there; its
    /// `session_id` is not checked against the file name.
    pub fn load_from_path(&self, path: impl AsRef<Utf8Path>) -> Result<TrackingSession, Error> {
        let path = path.as_ref();
        let mut session = self
            .sessions()
            .read::<TrackingSession>(path)?
            .ok_or_else(|| Error::NotFound {
                kind: RecordKind::Session,
                id: path.file_stem().unwrap_or_default().to_owned(),
                path: path.to_owned(),
            })?;
        self.warn_unknown_keys(path, &session);
        session.revision = Some(session.revision.unwrap_or(0));
        Ok(session)
    }

    /// Save `session` to any file, atomically and durably, with the same revision
    /// check as [`save`](Self::save) against that file. Files outside a store take no
    /// store lock and no save counter.
    pub fn save_to_path(
        &self,
        session: &mut TrackingSession,
        path: impl AsRef<Utf8Path>,
    ) -> Result<SaveReceipt, Error> {
        let path = path.as_ref();
        let id = prepare(session, path)?;
        let on_disk = self.read_bookkeeping(path)?;
        let revision = next_revision(path, session, on_disk.as_ref(), SaveMode::Checked)?;
        write_session(session, &id, path, revision, None)
    }

    fn save_in_store(
        &self,
        session: &mut TrackingSession,
        mode: SaveMode,
    ) -> Result<SaveReceipt, Error> {
        let id = parse_id(&session.session_id)?;
        let path = self.session_path(&id);
        prepare(session, &path)?;
        ensure_dir(&self.sessions_dir)?;
        let lock = StoreLock::acquire(&self.root, &self.lock_wait)?;
        let on_disk = match self.remembered_bookkeeping(&path) {
            Some(known) => Ok(Some(known)),
            None => self.read_bookkeeping(&path),
        };
        let on_disk = match on_disk {
            Err(err @ Error::Corrupt { .. }) if mode == SaveMode::Replace => {
                let err = self.sessions().quarantine_corrupt(&lock, &path, err);
                match err {
                    Error::Corrupt {
                        quarantined_to: Some(_),
                        ..
                    } => None,
                    other => return Err(other),
                }
            }
            Err(err @ Error::Corrupt { .. }) => {
                return Err(self.sessions().quarantine_corrupt(&lock, &path, err));
            }
            other => other?,
        };
        if on_disk.is_none() {
            self.sessions().check_case_collision(&id)?;
        }
        let revision = next_revision(&path, session, on_disk.as_ref(), mode)?;
        let at_least = on_disk.as_ref().and_then(|b| b.save_counter).unwrap_or(0);
        let counter =
            next_save_counter(&lock, &self.root, at_least, || self.largest_save_counter())?;
        let receipt = write_session(session, &id, &path, revision, Some(counter))?;
        if let Some(written) = identity(&path) {
            self.remember(path, written, bookkeeping_of(session));
        }
        drop(lock);
        Ok(receipt)
    }

    /// The bookkeeping this manager saw for the file version now at `path`, if any.
    fn remembered_bookkeeping(&self, path: &Utf8Path) -> Option<Bookkeeping> {
        let now = identity(path)?;
        let seen = self.seen.lock().ok()?;
        seen.get(path)
            .filter(|(identity, _)| *identity == now)
            .map(|(_, bookkeeping)| *bookkeeping)
    }

    fn remember(&self, path: Utf8PathBuf, identity: FileIdentity, bookkeeping: Bookkeeping) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path, (identity, bookkeeping));
        }
    }

    /// The bookkeeping of the file at `path`; `None` if there is no file.
    fn read_bookkeeping(&self, path: &Utf8Path) -> Result<Option<Bookkeeping>, Error> {
        self.sessions().read::<Bookkeeping>(path)
    }

    /// The largest save counter in any session file (to rebuild a lost `.counter`).
    fn largest_save_counter(&self) -> Result<u64, Error> {
        let mut largest = 0;
        for (name, entry) in self.sessions().scan()? {
            if let EntryKind::Record(_) = entry
                && let Ok(Some(b)) = self.read_bookkeeping(&self.sessions_dir.join(name))
            {
                largest = largest.max(b.save_counter.unwrap_or(0));
            }
        }
        Ok(largest)
    }

    /// Read and check one session file of the store without side effects.
    fn read_session_file(&self, path: &Utf8Path, id: &SessionId) -> Result<TrackingSession, Error> {
        let session = self
            .sessions()
            .read::<TrackingSession>(path)?
            .ok_or_else(|| not_found(RecordKind::Session, id, path.to_owned()))?;
        check_session_id(path, id, &session)?;
        Ok(session)
    }

    pub(crate) fn sessions(&self) -> RecordDir<'_> {
        self.record_dir(RecordKind::Session, &self.sessions_dir)
    }

    pub(crate) fn record_dir<'a>(&'a self, kind: RecordKind, dir: &'a Utf8Path) -> RecordDir<'a> {
        RecordDir {
            kind,
            root: &self.root,
            dir,
            limits: &self.limits,
            lock_wait: &self.lock_wait,
        }
    }
}

fn bookkeeping_of(session: &TrackingSession) -> Bookkeeping {
    Bookkeeping {
        schema_version: session.schema_version,
        revision: session.revision,
        save_counter: session.save_counter,
    }
}

/// Validate `session` for saving to `path`: its id, its schema version, its numbers.
fn prepare(session: &TrackingSession, path: &Utf8Path) -> Result<SessionId, Error> {
    let id = parse_id(&session.session_id)?;
    if let Some(found) = session.schema_version.filter(|&v| v > SCHEMA_VERSION) {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    session.validate().map_err(|source| Error::Validation {
        kind: RecordKind::Session,
        id: id.to_string(),
        source,
    })?;
    Ok(id)
}

/// The revision the new file gets, after checking the caller's against the disk's.
fn next_revision(
    path: &Utf8Path,
    session: &TrackingSession,
    on_disk: Option<&Bookkeeping>,
    mode: SaveMode,
) -> Result<u64, Error> {
    if let Some(found) = on_disk
        .and_then(|b| b.schema_version)
        .filter(|&v| v > SCHEMA_VERSION)
    {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let found = on_disk.map(|b| b.revision.unwrap_or(0));
    if mode == SaveMode::Checked && session.revision != found {
        return Err(Error::Conflict {
            path: path.to_owned(),
            expected: session.revision,
            found,
        });
    }
    Ok(found.unwrap_or(0).saturating_add(1))
}

/// Encode `session` with its new bookkeeping and replace `path` atomically; the caller's
/// bookkeeping fields change only if the write succeeded.
fn write_session(
    session: &mut TrackingSession,
    id: &SessionId,
    path: &Utf8Path,
    revision: u64,
    save_counter: Option<u64>,
) -> Result<SaveReceipt, Error> {
    let saved_at = jiff::Timestamp::now().to_string();
    let previous = (
        session.schema_version,
        session.revision,
        session.save_counter,
        session.saved_at.take(),
    );
    session.schema_version = Some(SCHEMA_VERSION);
    session.revision = Some(revision);
    session.save_counter = save_counter.or(previous.2);
    session.saved_at = Some(saved_at.clone());
    let written = encode(RecordKind::Session, id.as_str(), &*session).and_then(|yaml| {
        ensure_dir(parent_dir(path))?;
        write_atomically(path, yaml.as_bytes())
    });
    if let Err(err) = written {
        (
            session.schema_version,
            session.revision,
            session.save_counter,
            session.saved_at,
        ) = previous;
        return Err(err);
    }
    Ok(SaveReceipt {
        path: path.to_owned(),
        revision,
        save_counter,
        saved_at,
    })
}

fn check_session_id(
    path: &Utf8Path,
    id: &SessionId,
    session: &TrackingSession,
) -> Result<(), Error> {
    if session.session_id == id.as_str() {
        Ok(())
    } else {
        Err(Error::IdMismatch {
            path: path.to_owned(),
            expected: id.to_string(),
            found: session.session_id.clone(),
        })
    }
}

pub(crate) fn parse_id(id: &str) -> Result<SessionId, Error> {
    SessionId::new(id).map_err(|reason| Error::invalid_id(id, reason))
}

pub(crate) fn not_found(kind: RecordKind, id: &SessionId, path: Utf8PathBuf) -> Error {
    Error::NotFound {
        kind,
        id: id.to_string(),
        path,
    }
}
