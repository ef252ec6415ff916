//! The store-wide save counter in `<root>/.counter`: every save takes the next number,
//! so "latest" is decided by it rather than by file mtime (which copies, clock skew and
//! `touch` all break).
//!
//! The counter is advanced and made durable (atomic replace) *before* the record that
//! carries it is written, so a crash in between leaves a gap, never a repeat.

use camino::Utf8Path;

use crate::atomic_file::write_atomically;
use crate::error::Error;
use crate::store_layout::COUNTER_FILE;
use crate::store_lock::StoreLock;

/// Take the next save counter: one more than the larger of the stored counter and
/// `at_least` (the counter of the file being replaced). When `.counter` is missing or
/// unreadable, `recover` supplies the largest counter found in the store's files.
///
/// Holding the store lock (`_lock`) is what makes the read-increment-write atomic.
pub(crate) fn next_save_counter(
    _lock: &StoreLock,
    root: &Utf8Path,
    at_least: u64,
    recover: impl FnOnce() -> Result<u64, Error>,
) -> Result<u64, Error> {
    let path = root.join(COUNTER_FILE);
    let stored = match read_counter(&path)? {
        Some(value) => value,
        None => recover()?,
    };
    let next = stored.max(at_least).saturating_add(1);
    write_atomically(&path, format!("{next}\n").as_bytes())?;
    Ok(next)
}

/// The stored counter; `None` when the file is missing or does not hold a number. A
/// symbolic link there is an error (never followed out of the state root).
fn read_counter(path: &Utf8Path) -> Result<Option<u64>, Error> {
    match tracking_fs::read_input_no_follow(path.as_std_path(), 64) {
        Ok(bytes) => Ok(bytes.and_then(|b| String::from_utf8(b).ok()?.trim().parse().ok())),
        // Far too long to be a counter: as unreadable as garbage, so rebuilt.
        Err(tracking_fs::FsError::TooLarge { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;

    #[test]
    fn the_counter_increases_and_recovers_from_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let lock = StoreLock::acquire(&root, &tracking_fs::LockWait::default()).unwrap();
        assert_eq!(next_save_counter(&lock, &root, 0, || Ok(41)).unwrap(), 42);
        assert_eq!(next_save_counter(&lock, &root, 0, || Ok(0)).unwrap(), 43);
        assert_eq!(next_save_counter(&lock, &root, 99, || Ok(0)).unwrap(), 100);
        std::fs::write(root.join(COUNTER_FILE), "garbage").unwrap();
        assert_eq!(next_save_counter(&lock, &root, 0, || Ok(7)).unwrap(), 8);
    }
}
