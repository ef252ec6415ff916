//! Crash-safe file replacement: write a temp file in the same directory, flush and
//! `sync_all` it, rename it over the target, then fsync the directory so the rename
//! itself is durable. Also the clean-up of temp files left by a killed writer.
//!
//! A reader therefore sees either the old complete file or the new complete file,
//! never a mixture, whatever moment the writer dies at.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use camino::{Utf8Path, Utf8PathBuf};

use crate::error::Error;
use crate::store_layout::{EntryKind, TEMP_PREFIX, classify};

/// Per-process sequence number, so two saves in one process never share a temp name.
static TEMP_SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Replace `target` with `bytes` atomically and durably.
///
/// The parent directory must exist. On error the temp file is removed and `target` is
/// untouched.
pub(crate) fn write_atomically(target: &Utf8Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = parent_dir(target);
    let temp = temp_path(target);
    let result = write_temp(&temp, bytes).and_then(|()| {
        fs::rename(&temp, target).map_err(Error::io(target, "rename the new version into place"))
    });
    if result.is_err() {
        // Best effort: the original error is what matters to the caller.
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_dir(dir)
}

fn write_temp(temp: &Utf8Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(Error::io(temp, "create a temp file"))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(Error::io(temp, "write a temp file"))?;
    file.sync_all().map_err(Error::io(temp, "sync a temp file"))
}

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Utf8Path) -> &Utf8Path {
    match path.parent() {
        Some(parent) if !parent.as_str().is_empty() => parent,
        _ => Utf8Path::new("."),
    }
}

/// A fresh temp file name next to `target`.
fn temp_path(target: &Utf8Path) -> Utf8PathBuf {
    let sequence = TEMP_SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let name = format!(
        "{TEMP_PREFIX}{}.{}.{sequence}",
        target.file_name().unwrap_or("record"),
        std::process::id()
    );
    parent_dir(target).join(name)
}

/// Make the directory entry changes in `dir` (renames, removals) durable.
pub(crate) fn sync_dir(dir: &Utf8Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(Error::io(dir, "sync the directory"))
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a directory as a file; NTFS journals renames itself.
        let _ = dir;
        Ok(())
    }
}

/// Create `dir` (and parents) if it does not exist.
pub(crate) fn ensure_dir(dir: &Utf8Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(Error::io(dir, "create the directory"))
}

/// Remove our temp files from `dir`; returns how many were removed.
///
/// Only call this while holding the store lock: then no save is in progress, so every
/// temp file is a leftover of a writer that died.
pub(crate) fn remove_stale_temps(dir: &Utf8Path) -> Result<usize, Error> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io(dir, "list the directory")(e)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(Error::io(dir, "list the directory"))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if classify(&name) == EntryKind::Temp {
            let path = dir.join(&name);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(path, "remove a stale temp file")(e)),
            }
        }
    }
    if removed > 0 {
        sync_dir(dir)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root() -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        (dir, path)
    }

    #[test]
    fn an_atomic_write_replaces_the_target_and_leaves_no_temp_file() {
        let (_guard, root) = temp_root();
        let target = root.join("a.yaml");
        write_atomically(&target, b"one").unwrap();
        write_atomically(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.yaml")]);
    }

    #[test]
    fn a_failed_write_leaves_the_target_untouched() {
        let (_guard, root) = temp_root();
        let target = root.join("a.yaml");
        write_atomically(&target, b"old").unwrap();
        // Renaming a file over a non-empty directory fails.
        let blocked = root.join("dir.yaml");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("x"), b"x").unwrap();
        let err = write_atomically(&blocked, b"new").unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(fs::read_dir(&root).unwrap().count(), 2);
    }

    #[test]
    fn stale_temp_files_are_removed_and_other_files_kept() {
        let (_guard, root) = temp_root();
        fs::write(root.join(".cinematic-tmp.a.yaml.1.0"), b"partial").unwrap();
        fs::write(root.join("probe-abc.json"), b"{}").unwrap();
        fs::write(root.join("a.yaml"), b"x: 1").unwrap();
        assert_eq!(remove_stale_temps(&root).unwrap(), 1);
        let mut names: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a.yaml", "probe-abc.json"]);
    }
}
