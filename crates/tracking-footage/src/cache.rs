//! [`ProbeCache`]: probe results of movie files kept under `<state root>/footage/`.
//!
//! **Owner.** This crate owns the cache: it stores [`FootageProbe`], this crate's own
//! type, as `<state root>/footage/<sha256>.json`. The session store (tracking-session)
//! shares the state root and its `footage/` directory (its `<id>.yaml` footage
//! records live there too) but never reads or writes these entries.
//!
//! **Key.** An entry's name is the SHA-256 of the file's absolute path, size,
//! modification time (nanoseconds) and the probe options that change the result, so a
//! changed file simply misses and is probed again. The entry also stores that key and
//! is only used when it matches exactly.
//!
//! **Writes** follow the same recipe as every other write under the state root, with
//! the same tools as the session store: the exclusive state-root lock
//! ([`tracking_fs::StateLock`] on `<state root>/.lock`, the file the session store
//! locks) is held while the entry is replaced by [`tracking_fs::write_atomically_with`]
//! (temp file in `footage/`, flush, `sync_all`, rename, directory fsync). A writer
//! killed mid-write leaves a `.cinematic-tmp.*` file, which the session store's
//! stale-temp sweep (under the same lock) removes. There is no revision check: an
//! entry is a pure function of its key, so the last writer wins with the same bytes.
//!
//! **Reads** take no lock and need no write access: a reader sees the old entry or
//! the new one, never a mix. Entries are read through `tracking_fs`'s input check
//! (regular files of at most [`MAX_ENTRY_BYTES`]; a FIFO planted in `footage/` never
//! blocks a probe). An unreadable or foreign entry is a miss, never an error.
//!
//! **A write is optional.** The probe result is returned whether or not its entry
//! could be stored. When the state root cannot be written
//! ([`FsError::is_not_writable`]: a read-only mount, an immutable tree, no
//! permission) or another writer holds the lock for longer than [`CACHE_LOCK_WAIT`]
//! (1 s, not the 30 s a session write waits), the write is skipped and the outcome
//! is [`CacheOutcome::NotWritten`] with a [`CacheNotice`] for the caller to show
//! (the CLI prints `note: probe cache not written: <path>: <reason>`); nothing is
//! printed from here, and nothing under the root is created or changed. Any other
//! write failure is [`Error::Cache`].
//!
//! Image sequences are not cached: their probe is a directory scan plus two header
//! reads, and a frame rewritten in place would not change any key we could build
//! cheaply.

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracking_fs::{FsError, LockWait, StateLock, read_input, write_atomically_with};

use crate::error::{Error, Result};
use crate::input::{MediaInput, display_path, file_name};
use crate::probe::probe;
use crate::sequence::SequenceSpec;
use crate::types::{FootageProbe, ProbeOptions};

/// How long a cache write waits for a held state-root lock before it is skipped.
pub const CACHE_LOCK_WAIT: Duration = Duration::from_secs(1);

/// The largest cache entry read; a larger file is a miss.
pub const MAX_ENTRY_BYTES: u64 = 16 << 20;

/// Bumped whenever [`FootageProbe`]'s meaning changes, so old entries miss.
const CACHE_SCHEMA: u32 = 1;

/// What an entry was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CacheKey {
    schema: u32,
    crate_version: String,
    absolute_path: String,
    size: u64,
    modified_ns: u128,
    deep: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheEntry {
    key: CacheKey,
    probe: FootageProbe,
}

/// The probe cache of one state root.
#[derive(Debug, Clone)]
pub struct ProbeCache {
    state_root: PathBuf,
    directory: PathBuf,
}

/// Whether a cached probe answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheOutcome {
    /// The entry matched and was used.
    Hit,
    /// The file was probed (and the entry written).
    Miss,
    /// The file was probed but its entry could not be written (a read-only or
    /// immutable state root, or a lock held too long); the probe result is good.
    NotWritten(CacheNotice),
    /// Not cacheable (an image sequence, or no modification time).
    Bypassed,
}

impl CacheOutcome {
    /// The notice to show the user, when the entry was not written.
    pub fn notice(&self) -> Option<&CacheNotice> {
        match self {
            Self::NotWritten(notice) => Some(notice),
            _ => None,
        }
    }
}

/// Why a probe-cache entry was not written: the path the failed step was about and
/// the reason, each once. Displays as `probe cache not written: <path>: <reason>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheNotice {
    /// The file or directory the write failed on (the lock file, `footage/`, a temp
    /// file in it).
    pub path: PathBuf,
    /// What went wrong, without the path (`cannot open the lock file: Read-only file
    /// system (os error 30)`).
    pub reason: String,
}

impl std::fmt::Display for CacheNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "probe cache not written: {}: {}",
            self.path.display(),
            self.reason
        )
    }
}

impl CacheNotice {
    /// The notice for a skipped write, or `None` when `error` is a real failure.
    fn of(error: &FsError) -> Option<Self> {
        let path = error.path().to_path_buf();
        let reason = match error {
            FsError::LockTimeout {
                waited_s, holder, ..
            } => format!(
                "the state root is locked{} (waited {waited_s:.1} s; a cache write does not wait longer)",
                holder
                    .as_deref()
                    .map(|h| format!(" by {h}"))
                    .unwrap_or_default()
            ),
            error if error.is_not_writable() => {
                let text = error.to_string();
                let prefix = format!("{}: ", path.display());
                text.strip_prefix(&prefix).unwrap_or(&text).to_owned()
            }
            _ => return None,
        };
        Some(Self { path, reason })
    }
}

impl ProbeCache {
    /// The cache of `state_root` (its `footage/` directory, created on first write).
    pub fn new(state_root: impl AsRef<Path>) -> Self {
        let state_root = state_root.as_ref().to_path_buf();
        Self {
            directory: state_root.join("footage"),
            state_root,
        }
    }

    /// Where entries live.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// Probe `path`, answering from the cache when the file is unchanged.
    pub fn probe(&self, path: impl AsRef<Path>, options: &ProbeOptions) -> Result<FootageProbe> {
        self.probe_with_outcome(path, options).map(|(p, _)| p)
    }

    /// [`probe`](Self::probe), also saying whether the cache answered.
    pub fn probe_with_outcome(
        &self,
        path: impl AsRef<Path>,
        options: &ProbeOptions,
    ) -> Result<(FootageProbe, CacheOutcome)> {
        let path = path.as_ref();
        let Some(key) = cache_key(path, options)? else {
            return probe(path, options).map(|p| (p, CacheOutcome::Bypassed));
        };
        let entry_path = self.entry_path(&key);
        if let Some(mut cached) = read_entry(&entry_path, &key) {
            // The caller's spelling of the path is the identity, not the cached one.
            cached.path = display_path(path);
            cached.metadata.filename = file_name(path);
            return Ok((cached, CacheOutcome::Hit));
        }
        let fresh = probe(path, options)?;
        let entry = CacheEntry {
            key,
            probe: fresh.clone(),
        };
        match self.write_entry(&entry_path, &entry) {
            Ok(()) => Ok((fresh, CacheOutcome::Miss)),
            Err(error) => match CacheNotice::of(&error) {
                Some(notice) => Ok((fresh, CacheOutcome::NotWritten(notice))),
                None => Err(Error::Cache(error)),
            },
        }
    }

    fn entry_path(&self, key: &CacheKey) -> PathBuf {
        let mut hasher = Sha256::new();
        hasher.update(CACHE_SCHEMA.to_le_bytes());
        hasher.update(key.crate_version.as_bytes());
        hasher.update([0]);
        hasher.update(key.absolute_path.as_bytes());
        hasher.update([0]);
        hasher.update(key.size.to_le_bytes());
        hasher.update(key.modified_ns.to_le_bytes());
        hasher.update([u8::from(key.deep)]);
        let digest = hasher.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.directory.join(format!("{hex}.json"))
    }

    /// Replace the entry at `target` under the state-root lock, waiting at most
    /// [`CACHE_LOCK_WAIT`] for it, silently (module docs).
    fn write_entry(&self, target: &Path, entry: &CacheEntry) -> Result<(), FsError> {
        std::fs::create_dir_all(&self.directory)
            .map_err(FsError::at(&self.directory, "create the cache directory"))?;
        let wait = LockWait {
            timeout: CACHE_LOCK_WAIT,
            notice_after: CACHE_LOCK_WAIT,
            notice: None,
        };
        let _lock = StateLock::acquire_with(&self.state_root, &wait)?;
        write_atomically_with(target, |file| {
            serde_json::to_writer(file, entry)
                .map_err(|e| FsError::at(target, "encode the entry")(e.into()))
        })
    }
}

/// The key of a cacheable movie; `None` for sequences and files without an mtime or
/// a UTF-8 absolute path, and when a sequence frame rate was supplied.
fn cache_key(path: &Path, options: &ProbeOptions) -> Result<Option<CacheKey>> {
    if SequenceSpec::recognise(path)?.is_some() {
        return Ok(None);
    }
    let input = MediaInput::open(path)?;
    let Some(modified) = input.modified() else {
        return Ok(None);
    };
    let Ok(since_epoch) = modified.duration_since(UNIX_EPOCH) else {
        return Ok(None);
    };
    let Some(absolute) = input.absolute_path().to_str() else {
        return Ok(None);
    };
    Ok(Some(CacheKey {
        schema: CACHE_SCHEMA,
        crate_version: env!("CARGO_PKG_VERSION").to_owned(),
        absolute_path: absolute.to_owned(),
        size: input.size(),
        modified_ns: since_epoch.as_nanos(),
        deep: options.deep,
    }))
}

fn read_entry(path: &Path, key: &CacheKey) -> Option<FootageProbe> {
    let bytes = read_input(path, MAX_ENTRY_BYTES).ok()?;
    let entry: CacheEntry = serde_json::from_slice(&bytes).ok()?;
    (entry.key == *key).then_some(entry.probe)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn entry() -> CacheEntry {
        let doc = crate::ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 16, "height": 16, "avg_frame_rate": "25/1"}]}"#,
        )
        .unwrap();
        CacheEntry {
            key: CacheKey {
                schema: CACHE_SCHEMA,
                crate_version: "test".to_owned(),
                absolute_path: "/plates/x.mov".to_owned(),
                size: 1,
                modified_ns: 1,
                deep: false,
            },
            probe: crate::movie::from_probe_json(&doc, Path::new("x.mov")).unwrap(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_cache_write_waits_for_the_state_root_lock_and_leaves_no_temp_file() {
        let root = tempfile::tempdir().unwrap();
        let cache = ProbeCache::new(root.path());
        let entry = entry();
        let target = cache.entry_path(&entry.key);
        let held = StateLock::acquire(root.path()).unwrap();
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| cache.write_entry(&target, &entry));
            std::thread::sleep(Duration::from_millis(300));
            assert!(
                !writer.is_finished(),
                "the write must wait while another writer holds <root>/.lock"
            );
            assert!(!target.exists());
            drop(held);
            writer.join().unwrap().unwrap();
        });
        assert_eq!(read_entry(&target, &entry.key), Some(entry.probe.clone()));
        let entry_name = target.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(names(cache.directory()), [entry_name]);
        assert!(root.path().join(tracking_fs::LOCK_FILE).is_file());
    }

    #[test]
    fn reading_an_entry_takes_no_lock() {
        let root = tempfile::tempdir().unwrap();
        let cache = ProbeCache::new(root.path());
        let entry = entry();
        let target = cache.entry_path(&entry.key);
        cache.write_entry(&target, &entry).unwrap();
        let _held = StateLock::acquire(root.path()).unwrap();
        assert_eq!(read_entry(&target, &entry.key), Some(entry.probe));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_planted_as_an_entry_is_a_miss_not_a_blocked_read() {
        let root = tempfile::tempdir().unwrap();
        let cache = ProbeCache::new(root.path());
        let entry = entry();
        let target = cache.entry_path(&entry.key);
        std::fs::create_dir_all(cache.directory()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&target)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(read_entry(&target, &entry.key), None);
        // Nor is it replaced: a special file in the way is a real error.
        let err = cache.write_entry(&target, &entry).unwrap_err();
        assert!(matches!(err, FsError::NotRegularFile { .. }), "{err}");
        assert_eq!(CacheNotice::of(&err), None);
    }

    #[test]
    fn a_busy_lock_is_a_notice_after_the_short_wait() {
        let root = tempfile::tempdir().unwrap();
        let cache = ProbeCache::new(root.path());
        let entry = entry();
        let target = cache.entry_path(&entry.key);
        let _held = StateLock::acquire(root.path()).unwrap();
        let started = std::time::Instant::now();
        let err = cache.write_entry(&target, &entry).unwrap_err();
        assert!(started.elapsed() < CACHE_LOCK_WAIT * 5);
        let notice = CacheNotice::of(&err).unwrap();
        assert_eq!(notice.path, root.path().join(tracking_fs::LOCK_FILE));
        assert!(
            notice
                .reason
                .starts_with("the state root is locked by pid "),
            "{notice}"
        );
        assert!(!target.exists());
    }

    #[test]
    fn a_not_writable_error_is_a_notice_stating_its_path_once() {
        let path = Path::new("/state/.lock");
        let err = FsError::at(path, "open the lock file")(std::io::Error::from(
            std::io::ErrorKind::ReadOnlyFilesystem,
        ));
        let notice = CacheNotice::of(&err).unwrap();
        assert_eq!(notice.path, path);
        let text = notice.to_string();
        assert!(
            text.starts_with("probe cache not written: /state/.lock: cannot open the lock file: "),
            "{text}"
        );
        assert_eq!(text.matches("/state/.lock").count(), 1, "{text}");
    }
}
