//! [`ProbeCache`]: probe results of movie files kept under `<state root>/footage/`.
//!
//! An entry's name is the SHA-256 of the file's absolute path, size, modification
//! time (nanoseconds) and the probe options that change the result, so a changed
//! file simply misses and is probed again. The entry also stores that key and is
//! only used when it matches exactly. Entries are written atomically: a temp file in
//! the same directory, flushed and `sync_all`ed, renamed over the target, then the
//! directory is synced. An unreadable or foreign entry is a miss, never an error.
//!
//! Image sequences are not cached: their probe is a directory scan plus two header
//! reads, and a frame rewritten in place would not change any key we could build
//! cheaply.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::input::MediaInput;
use crate::probe::{FootageProbe, ProbeOptions, probe};
use crate::sequence::SequenceSpec;

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
    directory: PathBuf,
}

/// Whether a cached probe answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// The entry matched and was used.
    Hit,
    /// The file was probed (and the entry written).
    Miss,
    /// Not cacheable (an image sequence, or no modification time).
    Bypassed,
}

impl ProbeCache {
    /// The cache of `state_root` (its `footage/` directory, created on first write).
    pub fn new(state_root: impl AsRef<Path>) -> Self {
        Self {
            directory: state_root.as_ref().join("footage"),
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
            cached.path = path.to_string_lossy().into_owned();
            cached.metadata.filename = crate::movie::file_name(path);
            return Ok((cached, CacheOutcome::Hit));
        }
        let fresh = probe(path, options)?;
        self.write_entry(
            &entry_path,
            &CacheEntry {
                key,
                probe: fresh.clone(),
            },
        )?;
        Ok((fresh, CacheOutcome::Miss))
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

    fn write_entry(&self, target: &Path, entry: &CacheEntry) -> Result<()> {
        let fail = |detail: String| Error::Cache {
            path: target.to_path_buf(),
            detail,
        };
        std::fs::create_dir_all(&self.directory)
            .map_err(|e| fail(format!("creating the cache directory: {e}")))?;
        let bytes = serde_json::to_vec(entry).map_err(|e| fail(format!("encoding: {e}")))?;
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let temp = self.directory.join(format!(
            ".{}.tmp-{}-{}",
            target
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(&bytes)?;
            file.flush()?;
            file.sync_all()?;
            std::fs::rename(&temp, target)?;
            sync_directory(&self.directory)
        })();
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            fail(format!("writing: {e}"))
        })
    }
}

#[cfg(unix)]
fn sync_directory(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_directory(_dir: &Path) -> std::io::Result<()> {
    Ok(())
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
    let bytes = std::fs::read(path).ok()?;
    let entry: CacheEntry = serde_json::from_slice(&bytes).ok()?;
    (entry.key == *key).then_some(entry.probe)
}
