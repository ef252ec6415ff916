//! [`open_input`]: the one way every reader opens a file it was given.
//!
//! A reader pointed at something that is not a regular file misbehaves in ways a user
//! cannot see: a FIFO blocks forever, `/dev/zero` never ends, a directory gives an
//! unhelpful `EISDIR` half-way through. So every input is checked first:
//! - it is resolved (following symbolic links; a loop is [`FsError::SymlinkLoop`]);
//! - it must be a regular file: a FIFO, device, socket or directory is
//!   [`FsError::NotRegularFile`] naming the kind, and nothing is opened for reading in
//!   a way that could block (on Unix the file is opened with `O_NONBLOCK` and checked
//!   again on the open handle, so a file swapped for a FIFO in between is caught too);
//! - it must be at most `max_bytes` long ([`FsError::TooLarge`], checked before any
//!   byte is read, and again while reading in case it grows).
//!
//! [`text_quirks`] names what a text reader should mention when a file does not parse:
//! a UTF-8 byte-order mark, or classic-Mac CR-only line endings.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::error::{FsError, describe, os_error};

/// An input file that passed the checks, open for reading.
#[derive(Debug)]
pub struct InputFile {
    /// The open file (positioned at the start).
    pub file: File,
    /// Its metadata, from the open handle.
    pub metadata: Metadata,
}

impl InputFile {
    /// The file's size in bytes at the time it was opened.
    pub fn len(&self) -> u64 {
        self.metadata.len()
    }

    /// Whether the file was empty when it was opened.
    pub fn is_empty(&self) -> bool {
        self.metadata.len() == 0
    }
}

/// Open `path` for reading if it is a regular file of at most `max_bytes` bytes.
pub fn open_input(path: &Path, max_bytes: u64) -> Result<InputFile, FsError> {
    let metadata = std::fs::metadata(path).map_err(|e| os_error(path, "open", e))?;
    check_regular(path, &metadata)?;
    check_size(path, metadata.len(), max_bytes)?;
    let file = open_nonblocking(path).map_err(|e| os_error(path, "open", e))?;
    let metadata = file
        .metadata()
        .map_err(|e| os_error(path, "read the metadata of", e))?;
    check_regular(path, &metadata)?;
    check_size(path, metadata.len(), max_bytes)?;
    Ok(InputFile { file, metadata })
}

/// Read all of `path` (through [`open_input`]) as bytes, at most `max_bytes`.
pub fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FsError> {
    read_opened(path, open_input(path, max_bytes)?, max_bytes)
}

/// Read all of `path` like [`read_input`], but refuse a symbolic link at `path` itself
/// ([`FsError::SymlinkRefused`]): for a state root's own bookkeeping files, which must
/// never lead outside the root. A missing file is `Ok(None)`.
pub fn read_input_no_follow(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>, FsError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(FsError::SymlinkRefused {
                path: path.to_path_buf(),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(os_error(path, "open", e)),
    }
    let input = open_input(path, max_bytes)?;
    read_opened(path, input, max_bytes).map(Some)
}

fn read_opened(path: &Path, input: InputFile, max_bytes: u64) -> Result<Vec<u8>, FsError> {
    let capacity = usize::try_from(input.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    input
        .file
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| os_error(path, "read", e))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    check_size(path, read, max_bytes)?;
    Ok(bytes)
}

fn check_regular(path: &Path, metadata: &Metadata) -> Result<(), FsError> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(FsError::NotRegularFile {
            path: path.to_path_buf(),
            kind: describe(metadata.file_type()),
        })
    }
}

fn check_size(path: &Path, size: u64, limit: u64) -> Result<(), FsError> {
    if size > limit {
        Err(FsError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        })
    } else {
        Ok(())
    }
}

fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check must not block the open; on a regular file
        // O_NONBLOCK has no effect.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What about a text file's bytes a parse error message should mention: a leading
/// UTF-8 byte-order mark, and CR-only (classic Mac) line endings. Empty when neither.
pub fn text_quirks(head: &[u8]) -> Vec<&'static str> {
    let mut quirks = Vec::new();
    if head.starts_with(b"\xEF\xBB\xBF") {
        quirks.push("the file starts with a UTF-8 byte-order mark");
    }
    if head.contains(&b'\r') && !head.contains(&b'\n') {
        quirks.push("the file's lines end in CR only (classic Mac line endings)");
    }
    quirks
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.chan");
        std::fs::write(&path, b"1 0 0 0 0 0 0\n").unwrap();
        assert_eq!(read_input(&path, 100).unwrap(), b"1 0 0 0 0 0 0\n");
    }

    #[test]
    fn a_directory_is_named_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_input(dir.path(), 100).unwrap_err();
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
    }

    #[cfg(unix)]
    #[test]
    fn a_device_and_a_fifo_are_refused_without_blocking() {
        let err = open_input(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero: is a character device, not a regular file"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("cam.chan");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = open_input(&fifo, 100).unwrap_err();
        assert!(
            matches!(
                err,
                FsError::NotRegularFile {
                    kind: "a FIFO (named pipe)",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_reported_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.chan");
        let b = dir.path().join("b.chan");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let err = open_input(&a, 100).unwrap_err();
        assert!(matches!(err, FsError::SymlinkLoop { .. }), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 101]).unwrap();
        let err = read_input(&path, 100).unwrap_err();
        assert!(
            matches!(
                err,
                FsError::TooLarge {
                    size: 101,
                    limit: 100,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_bom_and_cr_only_endings_are_named() {
        assert_eq!(text_quirks(b"1 2 3\n"), Vec::<&str>::new());
        assert_eq!(text_quirks(b"\xEF\xBB\xBF1 2\n").len(), 1);
        assert_eq!(
            text_quirks(b"1 2\r3 4\r"),
            ["the file's lines end in CR only (classic Mac line endings)"]
        );
    }
}
