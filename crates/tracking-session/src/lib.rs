//! Crash-safe persistence of tracking sessions, solves and footage metadata.
//!
//! Owns: [`TrackingSessionManager`], which stores YAML files under a state root
//! (default `.gsd-state/tracking/{sessions,solves,footage}`) with an exclusive lock,
//! revision checks ([`Error::Conflict`] instead of lost updates) and atomic, durable
//! replacement (temp file + fsync + rename + directory fsync), so a crash at any moment
//! leaves either the old or the new file. Depends on `tracking-types` only.
//!
//! | module | what it owns |
//! |---|---|
//! | [`TrackingSessionManager`] | the store: sessions, solves, footage metadata |
//! | [`SessionId`] | the validated id every file name is built from |
//! | [`Error`] | every failure, typed, naming the file or id |
//! | [`SessionListing`] | listings: loadable records and, separately, problem files |
//! | [`LoadWarning`] | what a load let pass (unknown keys, kept), reported through [`StoreOptions::on_warning`] |
//!
//! Files are the Python original's seed layout (`../fixtures/session/`), plus the
//! bookkeeping fields `schema_version`, `revision`, `save_counter` and `saved_at`,
//! which the original's reader ignores. Layout of a state root: see [`layout`].
//!
//! Session files are read as PyYAML's `yaml.safe_load` reads them, then typed (see
//! `tracking_yaml`): a UTF-8 byte-order mark is accepted; tags `safe_load` refuses
//! (`!!python/object:…`) are refused, `!!binary` and the like are type errors, `null`
//! for a text field is an error, and keys this version does not know are kept in the
//! record, written back on save and reported as a [`LoadWarning`]. Every refusal is an
//! [`Error::Corrupt`] naming the file, line and column.

mod atomic_file;
mod bounded_read;
mod codec;
mod error;
mod file_identity;
mod id;
mod listing;
mod manager;
mod quarantine;
mod record_dir;
mod records;
mod save_counter;
mod store_layout;
mod store_lock;
mod warning;

pub use crate::codec::YamlLimits;
pub use bounded_read::DEFAULT_MAX_FILE_SIZE;
pub use error::{Error, RecordKind};
pub use id::{IdError, MAX_ID_LEN, SessionId};
pub use listing::{Problem, ProblemFile, RecordListing, SessionListing, SessionSummary};
pub use manager::{
    DEFAULT_STATE_ROOT, SCHEMA_VERSION, SaveReceipt, StoreOptions, TrackingSessionManager,
};
/// How long a writer waits for the state-root lock (re-exported from `tracking-fs`).
pub use tracking_fs::LockWait;
pub use warning::{LoadWarning, print_warning};

/// Names of the files and directories of a state root.
pub mod layout {
    pub use crate::store_layout::{COUNTER_FILE, FOOTAGE_DIR, LOCK_FILE, SESSIONS_DIR, SOLVES_DIR};
}
