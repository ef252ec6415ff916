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
    /// The path exists but is not a regular file: it is never read (a FIFO would block
    /// forever, a device never ends) and never replaced (a device, a FIFO, a socket or a
    /// directory).
    #[error("{}: is {kind}, not a regular file", path.display())]
    NotRegularFile {
        /// The path.
        path: PathBuf,
        /// What it is ("a directory", "a FIFO (named pipe)", …).
        kind: &'static str,
    },
    /// Resolving the path met a loop of symbolic links.
    #[error("{}: symbolic links loop (too many levels of symbolic links)", path.display())]
    SymlinkLoop {
        /// The path.
        path: PathBuf,
    },
    /// A file that must not be a symbolic link is one (the lock and counter files of a
    /// state root: following them could create or change files outside the root).
    #[error("{}: is a symbolic link; refusing to follow it", path.display())]
    SymlinkRefused {
        /// The path.
        path: PathBuf,
    },
    /// The input is larger than the reader's limit; nothing was read.
    #[error("{}: is {size} bytes, more than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// Another process held the state-root lock for longer than the caller would wait.
    #[error(
        "{}: still locked after {waited_s:.1} s{}; giving up (raise the wait with --lock-timeout, or stop the holder)",
        path.display(),
        holder.as_ref().map(|h| format!(" by {h}")).unwrap_or_default()
    )]
    LockTimeout {
        /// The lock file.
        path: PathBuf,
        /// How long we waited, in seconds.
        waited_s: f64,
        /// Who holds it, as the holder recorded it (`pid 4242 (cinematic session import …)`).
        holder: Option<String>,
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
            Self::Io { path, .. }
            | Self::NotRegularFile { path, .. }
            | Self::SymlinkLoop { path }
            | Self::SymlinkRefused { path }
            | Self::TooLarge { path, .. }
            | Self::LockTimeout { path, .. } => path,
        }
    }

    /// The OS error kind (`Other` for the errors that are not an OS call's).
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            Self::Io { source, .. } => source.kind(),
            Self::LockTimeout { .. } => std::io::ErrorKind::TimedOut,
            _ => std::io::ErrorKind::Other,
        }
    }

    /// Whether the error says the file system cannot be written here (read-only mount,
    /// no permission): a reader may then carry on without the write it wanted.
    pub fn is_not_writable(&self) -> bool {
        is_not_writable_kind(self.kind())
    }
}

/// Whether an OS error kind means "this file system cannot be written here": a
/// read-only mount, an immutable file, no permission.
pub fn is_not_writable_kind(kind: std::io::ErrorKind) -> bool {
    matches!(
        kind,
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

/// Map an OS error on `path`: a symlink loop (`ELOOP`) becomes [`FsError::SymlinkLoop`].
pub(crate) fn os_error(path: &Path, action: &'static str, source: std::io::Error) -> FsError {
    if is_loop(&source) {
        return FsError::SymlinkLoop {
            path: path.to_path_buf(),
        };
    }
    FsError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// `ELOOP`: too many levels of symbolic links (also what `O_NOFOLLOW` gives on a link).
pub(crate) fn is_loop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// What a non-regular file is, in words, for messages.
pub(crate) fn describe(file_type: std::fs::FileType) -> &'static str {
    KINDS[kind_index(file_type)].0
}

/// What a symbolic link leads to, in words ("a symbolic link to a FIFO (named pipe)").
pub(crate) fn describe_link_target(file_type: std::fs::FileType) -> &'static str {
    KINDS[kind_index(file_type)].1
}

/// Each kind as itself and as the target of a link.
const KINDS: [(&str, &str); 7] = [
    ("a directory", "a symbolic link to a directory"),
    (
        "a FIFO (named pipe)",
        "a symbolic link to a FIFO (named pipe)",
    ),
    ("a socket", "a symbolic link to a socket"),
    ("a block device", "a symbolic link to a block device"),
    (
        "a character device",
        "a symbolic link to a character device",
    ),
    ("a symbolic link", "a symbolic link to a symbolic link"),
    ("a special file", "a symbolic link to a special file"),
];

fn kind_index(file_type: std::fs::FileType) -> usize {
    if file_type.is_dir() {
        return 0;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return 1;
        }
        if file_type.is_socket() {
            return 2;
        }
        if file_type.is_block_device() {
            return 3;
        }
        if file_type.is_char_device() {
            return 4;
        }
    }
    if file_type.is_symlink() {
        return 5;
    }
    6
}
