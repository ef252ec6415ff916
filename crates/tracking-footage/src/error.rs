//! [`Error`]: every way probing, sequence scanning, caching or analysis can fail, and
//! [`ToolOutputError`]: what was wrong with a tool's output, and where.
//!
//! Each variant names the file (as the caller spelled it) and says what went wrong,
//! so a pipeline log line is enough to act on.

use std::path::PathBuf;
use std::time::Duration;

use crate::tool::Tool;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of non-regular file a path turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A directory.
    Directory,
    /// A named pipe (FIFO); ffprobe would block on it forever.
    NamedPipe,
    /// A character or block device.
    Device,
    /// A Unix domain socket.
    Socket,
    /// Anything else that is not a regular file.
    Other,
}

impl FileKind {
    /// The kind behind `tracking_fs`'s description of a non-regular file
    /// ([`tracking_fs::FsError::NotRegularFile`]'s `kind`).
    pub(crate) fn from_description(kind: &str) -> Self {
        match kind {
            "a directory" => Self::Directory,
            "a FIFO (named pipe)" => Self::NamedPipe,
            "a socket" => Self::Socket,
            "a block device" | "a character device" => Self::Device,
            _ => Self::Other,
        }
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Directory => "a directory",
            Self::NamedPipe => "a named pipe",
            Self::Device => "a device",
            Self::Socket => "a socket",
            Self::Other => "not a regular file",
        })
    }
}

/// Which output stream of a child process overflowed its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputStream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl std::fmt::Display for OutputStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        })
    }
}

/// Why a tool's output could not be parsed, and where in it.
///
/// Positions are 1-based and each message states one once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ToolOutputError {
    /// ffprobe's `-of json` output is not valid JSON.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line of the output (1-based) where parsing stopped.
        line: usize,
        /// Column (1-based, in bytes) where parsing stopped.
        column: usize,
        /// What the JSON parser expected or found there.
        message: String,
    },
    /// ffprobe's JSON is valid but its top level is not an object.
    #[error("the JSON document is {found}, not an object")]
    NotAnObject {
        /// What it is instead (`an array`, `a string` …).
        found: &'static str,
    },
    /// A line of the packet listing (`pts,dts,duration,flags`) has the wrong number of
    /// fields.
    #[error(
        "packet listing line {line}: expected 4 fields (pts,dts,duration,flags), found {found} in {text:?}"
    )]
    PacketFields {
        /// Line of the listing (1-based, counting blank lines).
        line: usize,
        /// How many comma-separated fields it has.
        found: usize,
        /// The line, trimmed.
        text: String,
    },
}

/// Everything that can go wrong in `tracking-footage`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required external tool could not be found.
    #[error("{tool} not found ({searched}); {hint}")]
    ToolNotFound {
        /// The tool that was looked for.
        tool: Tool,
        /// Where we looked, in order.
        searched: String,
        /// How to install it.
        hint: &'static str,
    },
    /// A tool was found but its `-version` output could not be understood.
    #[error("cannot read the version of {tool} at {program}: {detail}")]
    ToolVersion {
        /// The tool.
        tool: Tool,
        /// The executable that was run.
        program: PathBuf,
        /// What was wrong.
        detail: String,
    },
    /// The media path does not exist.
    #[error("{path}: no such file", path = .path.display())]
    NotFound {
        /// The path as the caller gave it.
        path: PathBuf,
    },
    /// The media path exists but is not a regular file.
    #[error("{path}: is {kind}, not a regular media file", path = .path.display())]
    NotARegularFile {
        /// The path as the caller gave it.
        path: PathBuf,
        /// What it is instead.
        kind: FileKind,
    },
    /// Resolving the path met a loop of symbolic links (`ELOOP`).
    #[error("{path}: symbolic links loop (too many levels of symbolic links)", path = .path.display())]
    SymlinkLoop {
        /// The path as the caller gave it (or the frame file of a sequence).
        path: PathBuf,
    },
    /// A file this crate reads itself (an image header, a cache entry) is larger than
    /// the reader's limit; nothing was read.
    #[error(
        "{path}: is {size} bytes, more than the limit of {limit} bytes",
        path = .path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// Opening an input failed in another way (the file-system error names the path
    /// and the step once: `x.mov: cannot open: Permission denied (os error 13)`).
    #[error(transparent)]
    Input(tracking_fs::FsError),
    /// The media file is empty (0 bytes).
    #[error("{path}: file is empty (0 bytes)", path = .path.display())]
    EmptyFile {
        /// The path as the caller gave it.
        path: PathBuf,
    },
    /// A file-system operation failed.
    #[error("{path}: {action}: {source}", path = .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What we were doing (e.g. `reading metadata`).
        action: &'static str,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A tool could not be started.
    #[error("cannot run {tool} ({program}): {source}", program = .program.display())]
    Spawn {
        /// The tool.
        tool: Tool,
        /// The executable.
        program: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A tool ran longer than its wall-clock limit and was killed.
    #[error("{path}: {tool} did not finish within {timeout:?} and was killed", path = .path.display())]
    Timeout {
        /// The tool.
        tool: Tool,
        /// The media path as the caller gave it.
        path: PathBuf,
        /// The limit that was exceeded.
        timeout: Duration,
    },
    /// A tool wrote more than its output cap on one stream.
    #[error("{path}: {tool} wrote more than {limit} bytes on {stream}", path = .path.display())]
    OutputTooLarge {
        /// The tool.
        tool: Tool,
        /// The media path as the caller gave it.
        path: PathBuf,
        /// The stream that overflowed.
        stream: OutputStream,
        /// The cap in bytes.
        limit: usize,
    },
    /// A tool ran and reported failure (e.g. ffprobe could not read the file).
    #[error("{path}: {tool} failed: {message}", path = .path.display())]
    ToolFailed {
        /// The tool.
        tool: Tool,
        /// The media path as the caller gave it.
        path: PathBuf,
        /// The exit code, if the process exited normally.
        exit_code: Option<i32>,
        /// The tool's own error message.
        message: String,
    },
    /// A tool's output parsed but does not make sense (a field we need is missing, a
    /// count does not match).
    #[error("{path}: unreadable {tool} output: {detail}", path = .path.display())]
    BadToolOutput {
        /// The tool.
        tool: Tool,
        /// The media path as the caller gave it.
        path: PathBuf,
        /// What was wrong.
        detail: String,
    },
    /// A tool's output is not in the format asked for (not JSON, a packet line with the
    /// wrong number of fields). The [`ToolOutputError`] says what and where; it is part of
    /// this message (not a separate [`source`](std::error::Error::source)), so the
    /// position is stated once.
    #[error("{path}: unreadable {tool} output: {error}", path = .path.display())]
    UnparsableOutput {
        /// The tool.
        tool: Tool,
        /// The media path as the caller gave it.
        path: PathBuf,
        /// What was wrong, and where in the output.
        error: ToolOutputError,
    },
    /// The file was read but holds no video stream (and is not a still image).
    #[error("{path}: no video stream", path = .path.display())]
    NoVideoStream {
        /// The path as the caller gave it.
        path: PathBuf,
    },
    /// The file's frame rate is missing or not a positive finite rational.
    #[error("{path}: no usable frame rate ({detail})", path = .path.display())]
    NoFrameRate {
        /// The path as the caller gave it.
        path: PathBuf,
        /// Which fields were tried.
        detail: String,
    },
    /// A path or pattern does not name an image sequence we can resolve.
    #[error("{path}: not an image sequence: {detail}", path = .path.display())]
    NotASequence {
        /// The path or pattern as the caller gave it.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// An image sequence needs a frame rate but neither the caller nor a header gave one.
    #[error(
        "{path}: image sequence has no frame rate in its headers; pass one explicitly",
        path = .path.display()
    )]
    SequenceFrameRateUnknown {
        /// The sequence pattern.
        path: PathBuf,
    },
    /// An EXR header could not be read.
    #[error("{path}: bad EXR header: {detail}", path = .path.display())]
    ExrHeader {
        /// The EXR file.
        path: PathBuf,
        /// What the `exr` crate reported.
        detail: String,
    },
    /// A path would have to be stored as text but is not valid UTF-8.
    #[error("{path}: path is not valid UTF-8 and cannot be stored", path = .path.display())]
    NonUtf8Path {
        /// The path (lossily displayed).
        path: PathBuf,
    },
    /// A probe-cache entry could not be written for a reason other than a state root
    /// that cannot be written or a busy lock (those are a
    /// [`CacheOutcome::NotWritten`](crate::CacheOutcome::NotWritten) notice, not an
    /// error): a special file in the way, a full disk. The file-system error names
    /// the path and the step.
    #[error("probe cache: {0}")]
    Cache(#[source] tracking_fs::FsError),
    /// A worker thread of a batch probe panicked (a bug; reported, never swallowed).
    #[error("{path}: probe worker stopped unexpectedly", path = .path.display())]
    WorkerPanicked {
        /// The path the worker was probing.
        path: PathBuf,
    },
}
