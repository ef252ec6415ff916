//! The session store's use of the shared file-system recipe ([`tracking_fs`]): the
//! atomic replace, directory sync and stale-temp clean-up, with `camino` paths and the
//! store's [`Error`]. There is no second implementation here: every function forwards.

use camino::Utf8Path;

use crate::error::Error;

/// Replace `target` with `bytes` atomically and durably ([`tracking_fs::write_atomically`]).
///
/// The parent directory must exist. On error the temp file is removed and `target` is
/// untouched.
pub(crate) fn write_atomically(target: &Utf8Path, bytes: &[u8]) -> Result<(), Error> {
    Ok(tracking_fs::write_atomically(target.as_std_path(), bytes)?)
}

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Utf8Path) -> &Utf8Path {
    match path.parent() {
        Some(parent) if !parent.as_str().is_empty() => parent,
        _ => Utf8Path::new("."),
    }
}

/// Make the directory entry changes in `dir` (renames, removals) durable.
pub(crate) fn sync_dir(dir: &Utf8Path) -> Result<(), Error> {
    Ok(tracking_fs::sync_dir(dir.as_std_path())?)
}

/// Create `dir` (and parents) if it does not exist.
pub(crate) fn ensure_dir(dir: &Utf8Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(Error::io(dir, "create the directory"))
}

/// Remove the recipe's temp files from `dir`; returns how many were removed.
///
/// Only call this while holding the store lock: then no save is in progress, so every
/// temp file is a leftover of a writer that died.
pub(crate) fn remove_stale_temps(dir: &Utf8Path) -> Result<usize, Error> {
    Ok(tracking_fs::remove_stale_temps(dir.as_std_path())?)
}
