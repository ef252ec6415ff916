//! [`StateLock`]: the exclusive lock on `<state root>/.lock` that every writer under a
//! state root holds while it checks what is on disk and replaces files.
//!
//! It is an advisory OS lock (`flock` on Unix, `LockFileEx` on Windows) taken with
//! std's `File::lock`: the kernel releases it when the holder exits or is killed, so a
//! crashed writer never leaves the root locked. The lock file itself is never deleted
//! (deleting it would let two writers lock two different files).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::error::FsError;

/// Name of the lock file under a state root.
pub const LOCK_FILE: &str = ".lock";

/// A held exclusive state-root lock; released on drop.
#[derive(Debug)]
pub struct StateLock {
    file: File,
}

impl StateLock {
    /// Block until the lock on `<root>/.lock` is ours. `root` must exist.
    pub fn acquire(root: &Path) -> Result<Self, FsError> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        file.lock().map_err(FsError::at(&path, "lock"))?;
        Ok(Self { file })
    }

    /// Take the lock if nobody holds it; `None` when another writer does.
    pub fn try_acquire(root: &Path) -> Result<Option<Self>, FsError> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(FsError::at(&path, "lock")(e)),
        }
    }
}

fn open_lock_file(path: &Path) -> Result<File, FsError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(FsError::at(path, "open the lock file"))
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first just makes it prompt.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_held_lock_excludes_others_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = StateLock::acquire(dir.path()).unwrap();
        assert!(StateLock::try_acquire(dir.path()).unwrap().is_none());
        drop(held);
        assert!(StateLock::try_acquire(dir.path()).unwrap().is_some());
        assert!(dir.path().join(LOCK_FILE).exists());
    }
}
