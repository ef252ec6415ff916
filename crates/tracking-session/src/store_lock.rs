//! [`StoreLock`]: the store's name for the shared state-root lock
//! ([`tracking_fs::StateLock`] on `<root>/.lock`), taken by every writer while it checks
//! revisions and replaces files. The probe cache of tracking-footage takes the same lock.

use camino::Utf8Path;

use crate::error::Error;

/// A held exclusive store lock; released on drop.
#[derive(Debug)]
pub(crate) struct StoreLock {
    _held: tracking_fs::StateLock,
}

impl StoreLock {
    /// Take the lock on `<root>/.lock`, waiting as `wait` says (a notice naming the
    /// holder after a second, [`Error::File`] with a lock timeout at the end). `root`
    /// must exist.
    pub(crate) fn acquire(root: &Utf8Path, wait: &tracking_fs::LockWait) -> Result<Self, Error> {
        Ok(Self {
            _held: tracking_fs::StateLock::acquire_with(root.as_std_path(), wait)?,
        })
    }

    /// Take the lock if nobody holds it; `None` when another writer does.
    pub(crate) fn try_acquire(root: &Utf8Path) -> Result<Option<Self>, Error> {
        Ok(tracking_fs::StateLock::try_acquire(root.as_std_path())?
            .map(|held| Self { _held: held }))
    }
}
