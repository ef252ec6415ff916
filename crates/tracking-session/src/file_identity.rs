//! [`FileIdentity`]: which exact file version a path currently names (device, inode,
//! size, modification and change times), so a save can skip re-reading the bookkeeping
//! of a file this manager itself just loaded or wrote.
//!
//! Every save of ours renames a new inode into place, and any in-place edit changes the
//! change time (which, unlike mtime, cannot be set back), so an unchanged identity
//! means unchanged content. Off Unix there is no identity and the file is always read.

use camino::Utf8Path;

/// The identity of the file at a path at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileIdentity {
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

/// The identity of the file at `path`; `None` if there is none (or off Unix).
pub(crate) fn identity(path: &Utf8Path) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(FileIdentity {
            device: m.dev(),
            inode: m.ino(),
            len: m.len(),
            modified: (m.mtime(), m.mtime_nsec()),
            changed: (m.ctime(), m.ctime_nsec()),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;

    #[test]
    fn a_replaced_file_has_a_new_identity_and_an_untouched_one_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let path = root.join("a.yaml");
        crate::atomic_file::write_atomically(&path, b"one").unwrap();
        let first = identity(&path).unwrap();
        assert_eq!(identity(&path), Some(first));
        crate::atomic_file::write_atomically(&path, b"two").unwrap();
        assert_ne!(identity(&path), Some(first));
        assert_eq!(identity(&root.join("missing.yaml")), None);
    }
}
