//! Crash-safe file replacement, and the clean-up of what a killed writer leaves.
//!
//! The recipe, each step because something real breaks without it:
//! 1. refuse a target that exists and is not a regular file (writing "over" `/dev/sda`
//!    or a FIFO must never happen), a symbolic link that leads to anything but a regular
//!    file, and any target in `/dev`, `/proc` or `/sys` (`-o /dev/stdout` must not
//!    replace the system's link with a file); another symbolic link (to a regular file,
//!    or dangling) is replaced as a link: the rename swaps the link itself, never the
//!    file it points to. The target's directory must exist, and an error says so
//!    rather than naming the temp file;
//! 2. write a temp file `.cinematic-tmp.<name>.<pid>.<n>` in the target's directory (a
//!    rename is only atomic within one file system), created with `create_new`;
//! 3. flush and `sync_all` it, so its bytes are on disk before it gets the real name;
//! 4. rename it over the target: a reader sees the old file or the new one, never a mix;
//! 5. fsync the directory, so the rename itself survives a power cut.
//!
//! On any error the temp file is removed and the target is untouched. A writer killed
//! between 2 and 4 leaves a temp file: [`remove_stale_temps`], called under the lock
//! that serialises the writers, removes it.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{FsError, describe, describe_link_target};

/// Prefix of every temp file the recipe creates (hidden, distinct from other tools').
pub const TEMP_PREFIX: &str = ".cinematic-tmp.";

/// Per-process sequence number, so two writes in one process never share a temp name.
static TEMP_SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Replace `target` with `bytes` atomically and durably. The parent directory must
/// exist.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomically_with(target, |file| {
        file.write_all(bytes)
            .map_err(FsError::at(target, "write a temp file"))
    })
}

/// Replace `target` with whatever `write` writes, atomically and durably.
///
/// `write` gets a buffered writer on the temp file; an error it returns aborts the
/// replacement (the temp file is removed, `target` untouched) and is returned as is.
/// The parent directory must exist.
pub fn write_atomically_with<E: From<FsError>>(
    target: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), E>,
) -> Result<(), E> {
    refuse_special_target(target)?;
    let temp = temp_path(target);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(FsError::at(&temp, "create a temp file"))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let result = write(&mut writer).and_then(|()| {
        let file = writer
            .into_inner()
            .map_err(|e| FsError::at(&temp, "write a temp file")(e.into_error()))?;
        file.sync_all()
            .map_err(FsError::at(&temp, "sync a temp file"))?;
        drop(file);
        fs::rename(&temp, target)
            .map_err(FsError::at(target, "rename the new version into place"))?;
        Ok(())
    });
    if result.is_err() {
        // Best effort: the original error is what matters to the caller.
        let _ = fs::remove_file(&temp);
    }
    result?;
    Ok(sync_dir(parent_dir(target))?)
}

/// Replace `target` with a file that another program writes, atomically and durably.
///
/// For outputs made by an external tool (Blender saving a `.blend`): the same checks as
/// [`write_atomically_with`], then `produce` gets the path of a fresh, empty temp file
/// in the target's directory (named `.cinematic-tmp.<name>.<pid>.<n><suffix>`, so a
/// tool that insists on an extension gets it) and must leave the new content there,
/// replacing the file if it likes. When `produce` succeeds the temp file is synced and
/// renamed over `target`; when it fails, or left no regular file behind, the temp file
/// is removed and `target` is untouched.
pub fn write_atomically_by<E: From<FsError>>(
    target: &Path,
    suffix: &str,
    produce: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    refuse_special_target(target)?;
    let temp = PathBuf::from(format!("{}{suffix}", temp_path(target).display()));
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(FsError::at(&temp, "create a temp file"))?;
    let result = produce(&temp).and_then(|()| {
        // The producer may have replaced the file: open what is there now, and only a
        // regular file (never a link it left) gets the real name.
        match fs::symlink_metadata(&temp) {
            Ok(meta) if meta.is_file() => {}
            Ok(meta) => {
                return Err(FsError::NotRegularFile {
                    path: temp.clone(),
                    kind: describe(meta.file_type()),
                }
                .into());
            }
            Err(e) => return Err(FsError::at(&temp, "find the new file")(e).into()),
        }
        File::open(&temp)
            .and_then(|file| file.sync_all())
            .map_err(FsError::at(&temp, "sync a temp file"))?;
        fs::rename(&temp, target)
            .map_err(FsError::at(target, "rename the new version into place"))?;
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    Ok(sync_dir(parent_dir(target))?)
}

/// Step 1: what may be replaced (see the module doc).
fn refuse_special_target(target: &Path) -> Result<(), FsError> {
    let refuse = |kind| FsError::NotRegularFile {
        path: target.to_path_buf(),
        kind,
    };
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.file_type().is_symlink() => {
            if let Ok(pointee) = fs::metadata(target)
                && !pointee.is_file()
            {
                return Err(refuse(describe_link_target(pointee.file_type())));
            }
        }
        Ok(meta) if !meta.is_file() => return Err(refuse(describe(meta.file_type()))),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(FsError::at(target, "check the target")(e)),
    }
    check_directory(target)?;
    if in_system_directory(target) {
        return Err(refuse("a path in /dev, /proc or /sys"));
    }
    Ok(())
}

/// The directory `target` goes into must exist (else the error would name a temp file).
fn check_directory(target: &Path) -> Result<(), FsError> {
    let parent = parent_dir(target);
    match fs::metadata(parent) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(FsError::at(parent, "write into it")(std::io::Error::from(
            std::io::ErrorKind::NotADirectory,
        ))),
        Err(e) => Err(FsError::at(parent, "write into the directory")(e)),
    }
}

/// Whether `target`'s directory is (or resolves into) `/dev`, `/proc` or `/sys`.
fn in_system_directory(target: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let Ok(parent) = fs::canonicalize(parent_dir(target)) else {
        return false;
    };
    ["/dev", "/proc", "/sys"]
        .iter()
        .any(|system| parent.starts_with(system))
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A fresh temp file name next to `target`.
fn temp_path(target: &Path) -> PathBuf {
    let sequence = TEMP_SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    parent_dir(target).join(format!(
        "{TEMP_PREFIX}{name}.{}.{sequence}",
        std::process::id()
    ))
}

/// Whether `file_name` is one of the recipe's temp files.
pub fn is_temp_file_name(file_name: &str) -> bool {
    file_name.starts_with(TEMP_PREFIX)
}

/// Make the directory entry changes in `dir` (renames, removals) durable.
pub fn sync_dir(dir: &Path) -> Result<(), FsError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(FsError::at(dir, "sync the directory"))
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a directory as a file; NTFS journals renames itself.
        let _ = dir;
        Ok(())
    }
}

/// Remove the recipe's temp files from `dir`; returns how many were removed. A missing
/// directory has none.
///
/// Only call this while holding the lock that serialises the writers of `dir`: then no
/// write is in progress, so every temp file is a leftover of a writer that died.
pub fn remove_stale_temps(dir: &Path) -> Result<usize, FsError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(FsError::at(dir, "list the directory")(e)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(FsError::at(dir, "list the directory"))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if is_temp_file_name(&name) {
            let path = dir.join(&name);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(FsError::at(path, "remove a stale temp file")(e)),
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
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_external_producer_replaces_the_target_only_when_it_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shot.blend");
        fs::write(&target, b"old").unwrap();
        let failed: Result<(), FsError> = write_atomically_by(&target, ".blend", |temp| {
            assert!(temp.to_string_lossy().ends_with(".blend"));
            fs::write(temp, b"half").unwrap();
            Err(FsError::at(temp, "produce")(std::io::Error::other(
                "tool died",
            )))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["shot.blend"]);
        // A producer that replaces the temp file (as Blender's save does) is fine.
        write_atomically_by::<FsError>(&target, ".blend", |temp| {
            fs::remove_file(temp).unwrap();
            fs::write(temp, b"new").unwrap();
            Ok(())
        })
        .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["shot.blend"]);
    }

    #[test]
    fn an_external_producer_that_removes_its_file_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shot.blend");
        let gone = write_atomically_by::<FsError>(&target, "", |temp| {
            fs::remove_file(temp).unwrap();
            Ok(())
        });
        assert!(gone.is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn an_atomic_write_replaces_the_target_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.yaml");
        write_atomically(&target, b"one").unwrap();
        write_atomically(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["a.yaml"]);
    }

    #[test]
    fn a_failing_writer_leaves_the_target_untouched_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.chan");
        write_atomically(&target, b"old").unwrap();
        let err = write_atomically_with(&target, |w| {
            w.write_all(b"half").unwrap();
            Err(FsError::at(&target, "encode")(std::io::Error::other(
                "bad frame",
            )))
        })
        .unwrap_err();
        assert!(err.to_string().contains("bad frame"), "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.chan"]);
    }

    #[test]
    fn a_directory_target_is_refused_by_kind_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let blocked = dir.path().join("dir.yaml");
        fs::create_dir(&blocked).unwrap();
        let err = write_atomically(&blocked, b"new").unwrap_err();
        assert!(
            matches!(
                err,
                FsError::NotRegularFile {
                    kind: "a directory",
                    ..
                }
            ),
            "{err}"
        );
        assert!(blocked.is_dir());
        assert_eq!(names(dir.path()), ["dir.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_target_is_refused() {
        let err = write_atomically(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(
            matches!(
                err,
                FsError::NotRegularFile {
                    kind: "a character device",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("/dev/null: is a character device"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_target_is_replaced_as_a_link_and_its_target_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.chan");
        fs::write(&real, b"real").unwrap();
        let link = dir.path().join("link.chan");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"real");
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&link).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_special_file_and_a_path_in_dev_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.chan");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let err = write_atomically(&link, b"x").unwrap_err();
        assert!(
            matches!(
                err,
                FsError::NotRegularFile {
                    kind: "a symbolic link to a character device",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let err = write_atomically(Path::new("/dev/cinematic-no-such-file"), b"x").unwrap_err();
        assert!(
            matches!(
                err,
                FsError::NotRegularFile {
                    kind: "a path in /dev, /proc or /sys",
                    ..
                }
            ),
            "{err}"
        );
        let err = write_atomically(&dir.path().join("missing/out.chan"), b"x").unwrap_err();
        assert!(
            err.to_string()
                .contains("missing: cannot write into the directory"),
            "{err}"
        );
    }

    #[test]
    fn stale_temp_files_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".cinematic-tmp.a.yaml.1.0"), b"partial").unwrap();
        fs::write(dir.path().join("probe-abc.json"), b"{}").unwrap();
        fs::write(dir.path().join("a.yaml"), b"x: 1").unwrap();
        assert_eq!(remove_stale_temps(dir.path()).unwrap(), 1);
        assert_eq!(names(dir.path()), ["a.yaml", "probe-abc.json"]);
        assert_eq!(remove_stale_temps(&dir.path().join("missing")).unwrap(), 0);
    }
}
