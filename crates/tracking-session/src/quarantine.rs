//! Quarantine: a corrupt record is renamed to `<file>.corrupt-<UTC timestamp>` next to
//! where it was — kept for forensics and manual repair, never deleted — so the id is
//! free again and listings report it separately.

use std::fs;

use camino::{Utf8Path, Utf8PathBuf};

use crate::atomic_file::{parent_dir, sync_dir};
use crate::error::Error;
use crate::store_layout::QUARANTINE_INFIX;
use crate::store_lock::StoreLock;

/// Move `path` aside; returns where it went. Requires the store lock so no writer is
/// replacing the file at the same moment.
pub(crate) fn quarantine(_lock: &StoreLock, path: &Utf8Path) -> Result<Utf8PathBuf, Error> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%S%.6fZ")
        .to_string();
    let base = format!("{path}{QUARANTINE_INFIX}{stamp}");
    let mut target = Utf8PathBuf::from(&base);
    let mut n = 1;
    while target.exists() {
        target = Utf8PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(Error::io(path, "move a corrupt file aside"))?;
    sync_dir(parent_dir(path))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store_layout::{EntryKind, classify};

    #[test]
    fn a_quarantined_file_keeps_its_bytes_under_a_recognisable_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let path = root.join("a.yaml");
        fs::write(&path, b"tracks: [").unwrap();
        let lock = StoreLock::acquire(&root, &tracking_fs::LockWait::default()).unwrap();
        let moved = quarantine(&lock, &path).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read(&moved).unwrap(), b"tracks: [");
        assert_eq!(classify(moved.file_name().unwrap()), EntryKind::Quarantined);
    }
}
