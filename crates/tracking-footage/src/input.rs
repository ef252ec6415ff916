//! [`MediaInput`]: a media path checked to be a non-empty regular file before any tool
//! is pointed at it, and [`open_input`]: the same check for the files this crate reads
//! itself (EXR headers, sequence frames, probe-cache entries).
//!
//! Both are `tracking_fs`'s one input check ([`tracking_fs::open_input`]): the path is
//! resolved (a loop of symbolic links is [`Error::SymlinkLoop`]), it must be a regular
//! file (a FIFO, device, socket or directory is [`Error::NotARegularFile`] naming the
//! kind: a named pipe makes ffprobe block forever, a device never ends), and it is
//! opened non-blocking and checked again on the open handle. The file-system error is
//! converted once, here, into this crate's [`Error`], naming the path as the caller
//! spelled it; what has no variant of its own stays a wrapped [`tracking_fs::FsError`]
//! ([`Error::Input`]).
//!
//! The caller's spelling of the path is kept as its identity (for messages and
//! output); the absolute form is what tools see, behind the `file:` protocol prefix so
//! names like `-x.mov` or `concat:x.mov` are never read as options or protocols.
//!
//! Also here: how an input path is shown (`file_name`, `display_path`), so every
//! probe result spells paths the same way.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tracking_fs::{FsError, InputFile};

use crate::error::{Error, FileKind, Result};

/// A media file that passed the regular-file check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInput {
    caller_path: PathBuf,
    absolute: PathBuf,
    size: u64,
    modified: Option<SystemTime>,
}

impl MediaInput {
    /// Check `path` (following symlinks): it must exist, be a regular file and be
    /// non-empty. A FIFO, device, socket or directory is [`Error::NotARegularFile`]
    /// naming the kind, a symlink loop [`Error::SymlinkLoop`]; nothing blocks.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let caller_path = path.as_ref().to_path_buf();
        // Tools read only what they need of a movie, so its size is not limited here;
        // the files this crate reads itself are (`open_input`'s `max_bytes`).
        let input = open_input(&caller_path, u64::MAX)?;
        let metadata = &input.metadata;
        if metadata.len() == 0 {
            return Err(Error::EmptyFile { path: caller_path });
        }
        let absolute = std::path::absolute(&caller_path).map_err(|source| Error::Io {
            path: caller_path.clone(),
            action: "making the path absolute",
            source,
        })?;
        Ok(Self {
            size: metadata.len(),
            modified: metadata.modified().ok(),
            caller_path,
            absolute,
        })
    }

    /// The path as the caller gave it: the identity used in messages and output.
    pub fn caller_path(&self) -> &Path {
        &self.caller_path
    }

    /// The absolute path (not symlink-resolved).
    pub fn absolute_path(&self) -> &Path {
        &self.absolute
    }

    /// File size in bytes at the time of the check.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Modification time at the time of the check, when the platform reports one.
    pub fn modified(&self) -> Option<SystemTime> {
        self.modified
    }

    /// The FFmpeg URL for this file: `file:` followed by the absolute path (raw bytes
    /// on Unix, so non-UTF-8 names pass through unchanged).
    pub fn ffmpeg_url(&self) -> OsString {
        let mut url = OsString::from("file:");
        url.push(self.absolute.as_os_str());
        url
    }
}

/// The last component of `path` for display (lossy UTF-8), or the whole path when it
/// has none (`/`, `..`): what [`FootageMetadata::filename`](tracking_types::FootageMetadata::filename) holds.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path))
}

/// `path` as the caller spelled it, for display and JSON (lossy UTF-8; callers keep
/// the original `Path`).
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Open `path` for reading through `tracking_fs`'s input check (regular files of at
/// most `max_bytes` only), with its failure as this crate's [`Error`].
pub(crate) fn open_input(path: &Path, max_bytes: u64) -> Result<InputFile> {
    tracking_fs::open_input(path, max_bytes).map_err(|e| input_error(path, e))
}

/// The one conversion of an input check's [`FsError`] into this crate's [`Error`],
/// naming `path` (the caller's spelling) once.
pub(crate) fn input_error(path: &Path, error: FsError) -> Error {
    let path = path.to_path_buf();
    match error {
        FsError::NotRegularFile { kind, .. } => Error::NotARegularFile {
            path,
            kind: FileKind::from_description(kind),
        },
        FsError::SymlinkLoop { .. } => Error::SymlinkLoop { path },
        FsError::TooLarge { size, limit, .. } => Error::TooLarge { path, size, limit },
        error if error.kind() == std::io::ErrorKind::NotFound => Error::NotFound { path },
        error => Error::Input(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_not_found() {
        let err = MediaInput::open("/definitely/not/here.mov").unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }));
    }

    #[test]
    fn a_directory_is_refused_as_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let err = MediaInput::open(dir.path()).unwrap_err();
        assert!(matches!(
            err,
            Error::NotARegularFile {
                kind: FileKind::Directory,
                ..
            }
        ));
    }

    #[test]
    fn a_device_is_refused_as_a_device() {
        let err = MediaInput::open("/dev/null").unwrap_err();
        assert!(matches!(
            err,
            Error::NotARegularFile {
                kind: FileKind::Device,
                ..
            }
        ));
    }

    #[test]
    fn an_empty_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.mov");
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(
            MediaInput::open(&path).unwrap_err(),
            Error::EmptyFile { .. }
        ));
    }

    #[test]
    fn a_dash_prefixed_name_becomes_an_absolute_file_url() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("-i.mov");
        std::fs::write(&path, b"x").unwrap();
        let input = MediaInput::open(&path).unwrap();
        let url = input.ffmpeg_url();
        let url = url.to_str().unwrap();
        assert!(url.starts_with("file:/"), "{url}");
        assert!(url.ends_with("/-i.mov"), "{url}");
        assert_eq!(input.caller_path(), path.as_path());
        assert_eq!(input.size(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_a_socket_and_a_symlink_loop_are_named_by_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.mov");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = MediaInput::open(&fifo).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotARegularFile {
                    kind: FileKind::NamedPipe,
                    ..
                }
            ),
            "{err}"
        );
        let socket = dir.path().join("sock.mov");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let err = open_input(&socket, 10).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotARegularFile {
                    kind: FileKind::Socket,
                    ..
                }
            ),
            "{err}"
        );
        let a = dir.path().join("a.exr");
        let b = dir.path().join("b.exr");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let err = open_input(&a, 10).unwrap_err();
        assert!(
            matches!(&err, Error::SymlinkLoop { path } if *path == a),
            "{err}"
        );
    }

    #[test]
    fn a_file_over_a_readers_limit_is_too_large_before_any_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entry.json");
        std::fs::write(&path, b"12345").unwrap();
        let err = open_input(&path, 4).unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    size: 5,
                    limit: 4,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{}: is 5 bytes, more than the limit of 4 bytes",
                path.display()
            )
        );
    }
}
