//! [`StoreLock`]: the exclusive lock on `<root>/.lock` every writer holds while it
//! checks revisions and replaces files.
//!
//! It is an advisory OS lock (`flock` on Unix, `LockFileEx` on Windows) taken with
//! std's `File::lock`: the kernel releases it when the holder exits or is killed, so a
//! crashed writer never leaves the store locked. The lock file itself is never deleted
//! (deleting it would let two writers lock two different files).

use std::fs::{File, OpenOptions, TryLockError};

use camino::Utf8Path;

use crate::error::Error;
use crate::store_layout::LOCK_FILE;

/// A held exclusive store lock; released on drop.
#[derive(Debug)]
pub(crate) struct StoreLock {
    file: File,
}

impl StoreLock {
    /// Block until the lock on `<root>/.lock` is ours. `root` must exist.
    pub(crate) fn acquire(root: &Utf8Path) -> Result<Self, Error> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        file.lock().map_err(Error::io(&path, "lock"))?;
        Ok(Self { file })
    }

    /// Take the lock if nobody holds it; `None` when another writer does.
    pub(crate) fn try_acquire(root: &Utf8Path) -> Result<Option<Self>, Error> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(Error::io(&path, "lock")(e)),
        }
    }
}

fn open_lock_file(path: &Utf8Path) -> Result<File, Error> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(Error::io(path, "open the lock file"))
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first just makes it prompt.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;

    #[test]
    fn a_held_lock_excludes_others_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let held = StoreLock::acquire(&root).unwrap();
        assert!(StoreLock::try_acquire(&root).unwrap().is_none());
        drop(held);
        assert!(StoreLock::try_acquire(&root).unwrap().is_some());
        assert!(root.join(LOCK_FILE).exists());
    }
}
