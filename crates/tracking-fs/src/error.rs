//! [`FsError`]: one failed file-system step, with its path and the OS error.

use std::path::{Path, PathBuf};

/// A file-system step that failed, with the path it was about.
///
/// Each message states the path and the OS error once:
/// `/shots/a.chan: cannot rename the new version into place: Permission denied (os error 13)`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FsError {
    /// An OS call failed.
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        /// The file or directory the step was about.
        path: PathBuf,
        /// What was being done, as a verb phrase ("create a temp file").
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The path exists but is not a regular file, so it is never replaced (a device, a
    /// FIFO, a socket or a directory).
    #[error("{}: is {kind}, not a regular file; refusing to replace it", path.display())]
    NotRegularFile {
        /// The path.
        path: PathBuf,
        /// What it is ("a directory", "a FIFO (named pipe)", …).
        kind: &'static str,
    },
}

impl FsError {
    /// An error-mapping closure for `map_err`: `.map_err(FsError::at(path, "sync the file"))`.
    pub fn at(
        path: impl Into<PathBuf>,
        action: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            path,
            action,
            source,
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. } | Self::NotRegularFile { path, .. } => path,
        }
    }

    /// The OS error kind (`Other` for [`FsError::NotRegularFile`]).
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            Self::Io { source, .. } => source.kind(),
            Self::NotRegularFile { .. } => std::io::ErrorKind::Other,
        }
    }
}

/// What a non-regular file is, in words, for messages.
pub(crate) fn describe(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}
