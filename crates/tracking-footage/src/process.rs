//! [`ToolCommand`]: the one hardened way this crate runs `ffprobe` and `ffmpeg`.
//!
//! Every run has stdin closed (`/dev/null`), a wall-clock timeout after which the child
//! is killed (default [`DEFAULT_TIMEOUT`]), a cap on stdout (exceeding it is an error)
//! and on stderr (kept up to the cap, the rest discarded and flagged). Media go in
//! through [`ToolCommand::input`], which adds `-protocol_whitelist file -i file:<abs>`
//! for a [`MediaInput`] that already passed the regular-file check, and records the
//! caller's path as the identity used in every error.
//!
//! ```no_run
//! # use tracking_footage::{MediaInput, Tool, ToolCommand, find_tool};
//! # fn main() -> tracking_footage::Result<()> {
//! let ffmpeg = find_tool(Tool::Ffmpeg, None)?;
//! let clip = MediaInput::open("plate.mov")?;
//! let out = ToolCommand::ffmpeg(&ffmpeg)
//!     .args(["-ss", "2.0"])              // input options before the input
//!     .input(&clip)
//!     .args(["-frames:v", "2", "-vf", "scale=320:-2,format=gray", "-f", "rawvideo", "pipe:1"])
//!     .stdout_limit(64 << 20)
//!     .run()?;
//! # let _ = out; Ok(()) }
//! ```

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::error::{Error, OutputStream, Result};
use crate::input::MediaInput;
use crate::tool::{Tool, ToolPath};

/// Default wall-clock limit for one tool run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a tool's stdout (exceeding it is [`Error::OutputTooLarge`]).
pub const DEFAULT_STDOUT_LIMIT: usize = 64 << 20;
/// Default cap on a tool's stderr (the rest is discarded, see [`ToolOutput::stderr_truncated`]).
pub const DEFAULT_STDERR_LIMIT: usize = 1 << 20;

/// How often the waiter re-checks for an early-stop request while the child runs.
const STOP_POLL: Duration = Duration::from_millis(20);

/// A tool invocation under construction; see the module docs.
#[derive(Debug, Clone)]
pub struct ToolCommand {
    tool: Tool,
    program: PathBuf,
    args: Vec<OsString>,
    identity: PathBuf,
    timeout: Duration,
    stdout_limit: usize,
    stderr_limit: usize,
}

/// What a finished run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutput {
    /// Everything written to stdout (empty for [`ToolCommand::run_streaming`]).
    pub stdout: Vec<u8>,
    /// Stderr, up to the stderr cap.
    pub stderr: Vec<u8>,
    /// True when stderr exceeded its cap and the rest was discarded.
    pub stderr_truncated: bool,
    /// Exit code; `None` when killed by a signal (or stopped early).
    pub exit_code: Option<i32>,
    /// True when the process exited with status 0.
    pub success: bool,
    /// True when the stdout consumer asked to stop and the child was killed.
    pub stopped_early: bool,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl ToolOutput {
    /// Stderr as text (lossy UTF-8), trimmed.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).trim().to_owned()
    }
}

impl ToolCommand {
    /// A bare invocation of `tool` with no arguments yet.
    pub fn new(tool: &ToolPath) -> Self {
        Self {
            tool: tool.tool,
            program: tool.program.clone(),
            args: Vec::new(),
            identity: tool.program.clone(),
            timeout: DEFAULT_TIMEOUT,
            stdout_limit: DEFAULT_STDOUT_LIMIT,
            stderr_limit: DEFAULT_STDERR_LIMIT,
        }
    }

    /// `ffprobe -v error -show_error -protocol_whitelist file -i file:<abs>`; add the
    /// output options (`-of json -show_streams …`) with [`args`](Self::args).
    pub fn ffprobe(ffprobe: &ToolPath, input: &MediaInput) -> Self {
        Self::new(ffprobe)
            .args(["-v", "error", "-show_error"])
            .input(input)
    }

    /// `ffmpeg -hide_banner -nostdin -v error`; then add input options, call
    /// [`input`](Self::input), then output options.
    pub fn ffmpeg(ffmpeg: &ToolPath) -> Self {
        Self::new(ffmpeg).args(["-hide_banner", "-nostdin", "-v", "error"])
    }

    /// Append one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Append arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Append `-protocol_whitelist file -i file:<absolute path>` and make the input's
    /// caller path the identity reported in errors.
    pub fn input(mut self, input: &MediaInput) -> Self {
        self.identity = input.caller_path().to_path_buf();
        self.args(["-protocol_whitelist", "file", "-i"])
            .arg(input.ffmpeg_url())
    }

    /// Wall-clock limit (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Stdout cap in bytes (default [`DEFAULT_STDOUT_LIMIT`]).
    pub fn stdout_limit(mut self, bytes: usize) -> Self {
        self.stdout_limit = bytes;
        self
    }

    /// Stderr cap in bytes (default [`DEFAULT_STDERR_LIMIT`]).
    pub fn stderr_limit(mut self, bytes: usize) -> Self {
        self.stderr_limit = bytes;
        self
    }

    /// The arguments as they will be passed (for logs and tests).
    pub fn argv(&self) -> &[OsString] {
        &self.args
    }

    /// The path reported in errors: the media input's caller path, or the program.
    pub fn identity(&self) -> &Path {
        &self.identity
    }

    /// Run to completion collecting stdout; a non-zero exit is [`Error::ToolFailed`]
    /// carrying the tool's own message.
    pub fn run(self) -> Result<ToolOutput> {
        let (tool, identity) = (self.tool, self.identity.clone());
        let output = self.run_unchecked()?;
        if output.success {
            Ok(output)
        } else {
            Err(Error::ToolFailed {
                tool,
                path: identity,
                exit_code: output.exit_code,
                message: failure_message(&output),
            })
        }
    }

    /// Run to completion collecting stdout, whatever the exit status.
    pub fn run_unchecked(self) -> Result<ToolOutput> {
        let mut collected = Vec::new();
        let mut output = self.execute(&mut |chunk| {
            collected.extend_from_slice(chunk);
            Ok(ControlFlow::Continue(()))
        })?;
        output.stdout = collected;
        Ok(output)
    }

    /// Run, handing stdout to `on_chunk` as it arrives (the stdout cap still applies).
    /// Return `ControlFlow::Break(())` to stop: the child is killed and the run counts
    /// as successful with [`ToolOutput::stopped_early`] set. An `Err` from `on_chunk`
    /// kills the child and is returned. A non-zero exit otherwise is
    /// [`Error::ToolFailed`].
    pub fn run_streaming(
        self,
        mut on_chunk: impl FnMut(&[u8]) -> Result<ControlFlow<()>>,
    ) -> Result<ToolOutput> {
        let (tool, identity) = (self.tool, self.identity.clone());
        let output = self.execute(&mut on_chunk)?;
        if output.success || output.stopped_early {
            Ok(output)
        } else {
            Err(Error::ToolFailed {
                tool,
                path: identity,
                exit_code: output.exit_code,
                message: failure_message(&output),
            })
        }
    }

    fn execute(
        self,
        on_chunk: &mut dyn FnMut(&[u8]) -> Result<ControlFlow<()>>,
    ) -> Result<ToolOutput> {
        let started = Instant::now();
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| Error::Spawn {
                tool: self.tool,
                program: self.program.clone(),
                source,
            })?;
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let stop = Arc::new(AtomicBool::new(false));
        let (waited_tx, waited_rx) = mpsc::channel();
        {
            let stop = Arc::clone(&stop);
            let timeout = self.timeout;
            thread::spawn(move || {
                let _ = waited_tx.send(wait_with_deadline(child, timeout, &stop));
            });
        }
        let (stderr_tx, stderr_rx) = mpsc::channel();
        let stderr_limit = self.stderr_limit;
        thread::spawn(move || {
            let _ = stderr_tx.send(read_capped(stderr, stderr_limit));
        });
        let chunks = spawn_chunk_reader(stdout);

        // Nothing below waits past the deadline plus a grace period, even if a
        // grandchild process keeps a pipe open after the child was killed.
        let hard_deadline = started + self.timeout + PIPE_GRACE;
        let pumped = pump_stdout(&chunks, hard_deadline, self.stdout_limit, on_chunk);
        drop(chunks);
        if !matches!(pumped, Pumped::Drained) {
            stop.store(true, Ordering::SeqCst);
        }
        let waited = recv_until(&waited_rx, hard_deadline.max(Instant::now()) + PIPE_GRACE);
        let (stderr_bytes, stderr_truncated) =
            recv_until(&stderr_rx, Instant::now() + PIPE_GRACE).unwrap_or((Vec::new(), true));
        let waited = match waited {
            Some(Ok(waited)) => waited,
            Some(Err(source)) => {
                return Err(Error::Io {
                    path: self.program.clone(),
                    action: "waiting for the tool",
                    source,
                });
            }
            None => Waited {
                status: None,
                timed_out: true,
            },
        };
        if waited.timed_out || matches!(pumped, Pumped::PastDeadline) {
            return Err(Error::Timeout {
                tool: self.tool,
                path: self.identity,
                timeout: self.timeout,
            });
        }
        let stopped_early = match pumped {
            Pumped::Drained => false,
            Pumped::Stopped => true,
            Pumped::Overflowed => {
                return Err(Error::OutputTooLarge {
                    tool: self.tool,
                    path: self.identity,
                    stream: OutputStream::Stdout,
                    limit: self.stdout_limit,
                });
            }
            Pumped::Failed(err) => return Err(err),
            Pumped::ReadError(source) => {
                return Err(Error::Io {
                    path: self.identity,
                    action: "reading tool output",
                    source,
                });
            }
            Pumped::PastDeadline => true,
        };
        Ok(ToolOutput {
            stdout: Vec::new(),
            stderr: stderr_bytes,
            stderr_truncated,
            exit_code: waited.status.and_then(|s| s.code()),
            success: waited.status.is_some_and(|s| s.success()) && !stopped_early,
            stopped_early,
            elapsed: started.elapsed(),
        })
    }
}

/// How long we keep listening to pipes after the child is gone or the deadline passed.
const PIPE_GRACE: Duration = Duration::from_secs(1);

enum Pumped {
    Drained,
    Stopped,
    Overflowed,
    PastDeadline,
    Failed(Error),
    ReadError(std::io::Error),
}

type Chunk = std::io::Result<Vec<u8>>;

/// Read stdout on its own thread, handing chunks over a small bounded channel (so a
/// slow consumer applies back-pressure instead of buffering without limit).
fn spawn_chunk_reader(stdout: Option<std::process::ChildStdout>) -> mpsc::Receiver<Chunk> {
    let (tx, rx) = mpsc::sync_channel::<Chunk>(4);
    thread::spawn(move || {
        let Some(mut stdout) = stdout else {
            return;
        };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    if tx.send(Ok(buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
    });
    rx
}

fn pump_stdout(
    chunks: &mpsc::Receiver<Chunk>,
    hard_deadline: Instant,
    limit: usize,
    on_chunk: &mut dyn FnMut(&[u8]) -> Result<ControlFlow<()>>,
) -> Pumped {
    let mut total = 0usize;
    loop {
        let chunk =
            match chunks.recv_timeout(hard_deadline.saturating_duration_since(Instant::now())) {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => return Pumped::ReadError(e),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Pumped::Drained,
                Err(mpsc::RecvTimeoutError::Timeout) => return Pumped::PastDeadline,
            };
        total = total.saturating_add(chunk.len());
        if total > limit {
            return Pumped::Overflowed;
        }
        match on_chunk(&chunk) {
            Ok(ControlFlow::Continue(())) => {}
            Ok(ControlFlow::Break(())) => return Pumped::Stopped,
            Err(err) => return Pumped::Failed(err),
        }
    }
}

fn recv_until<T>(rx: &mpsc::Receiver<T>, deadline: Instant) -> Option<T> {
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok()
}

/// Read a stream to its end, keeping at most `limit` bytes; the rest is drained and
/// discarded so the child never blocks on a full pipe.
fn read_capped(stream: Option<impl Read>, limit: usize) -> (Vec<u8>, bool) {
    let Some(mut stream) = stream else {
        return (Vec::new(), false);
    };
    let mut kept = Vec::new();
    let mut truncated = false;
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = limit.saturating_sub(kept.len());
                if n > room {
                    truncated = true;
                }
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    (kept, truncated)
}

struct Waited {
    status: Option<ExitStatus>,
    timed_out: bool,
}

/// Wait for `child` until it exits, the deadline passes, or `stop` is raised; kill it
/// in the last two cases.
fn wait_with_deadline(
    mut child: Child,
    timeout: Duration,
    stop: &AtomicBool,
) -> std::io::Result<Waited> {
    let deadline = Instant::now() + timeout;
    loop {
        let now = Instant::now();
        let stop_requested = stop.load(Ordering::SeqCst);
        if now >= deadline || stop_requested {
            // The child may have exited in the meantime; kill errors are then harmless.
            let _ = child.kill();
            child.wait()?;
            return Ok(Waited {
                status: None,
                timed_out: !stop_requested,
            });
        }
        let slice = (deadline - now).min(STOP_POLL);
        if let Some(status) = child.wait_timeout(slice)? {
            return Ok(Waited {
                status: Some(status),
                timed_out: false,
            });
        }
    }
}

/// The tool's own explanation of a failure: ffprobe's `-show_error` JSON when present,
/// else the last lines of stderr, else the exit status.
fn failure_message(output: &ToolOutput) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&output.stdout)
        && let Some(text) = value
            .get("error")
            .and_then(|e| e.get("string"))
            .and_then(serde_json::Value::as_str)
    {
        return text.to_owned();
    }
    let stderr = output.stderr_text();
    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
    if !tail.is_empty() {
        return tail.into_iter().rev().collect::<Vec<_>>().join(" / ");
    }
    match output.exit_code {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_owned(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::tool::ToolSource;

    fn sh() -> ToolPath {
        ToolPath {
            tool: Tool::Ffmpeg,
            program: PathBuf::from("/bin/sh"),
            source: ToolSource::Explicit,
        }
    }

    #[test]
    fn stdout_and_exit_status_are_collected() {
        let out = ToolCommand::new(&sh())
            .args(["-c", "printf hello; printf oops >&2"])
            .run()
            .unwrap();
        assert_eq!(out.stdout, b"hello");
        assert_eq!(out.stderr, b"oops");
        assert!(out.success);
    }

    #[test]
    fn a_hanging_child_is_killed_at_the_timeout() {
        let err = ToolCommand::new(&sh())
            .args(["-c", "sleep 30"])
            .timeout(Duration::from_millis(200))
            .run()
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err}");
    }

    #[test]
    fn stdin_is_closed_so_a_reading_child_sees_end_of_file() {
        let out = ToolCommand::new(&sh())
            .args(["-c", "cat; echo done"])
            .timeout(Duration::from_secs(10))
            .run()
            .unwrap();
        assert_eq!(out.stdout, b"done\n");
    }

    #[test]
    fn stdout_beyond_its_cap_is_an_error() {
        let err = ToolCommand::new(&sh())
            .args(["-c", "head -c 100000 /dev/zero"])
            .stdout_limit(1000)
            .run()
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::OutputTooLarge {
                    stream: OutputStream::Stdout,
                    limit: 1000,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn stderr_beyond_its_cap_is_truncated_and_flagged() {
        let out = ToolCommand::new(&sh())
            .args(["-c", "head -c 100000 /dev/zero >&2"])
            .stderr_limit(10)
            .run()
            .unwrap();
        assert_eq!(out.stderr.len(), 10);
        assert!(out.stderr_truncated);
    }

    #[test]
    fn a_failing_tool_reports_its_stderr() {
        let err = ToolCommand::new(&sh())
            .args(["-c", "echo 'bad input' >&2; exit 3"])
            .run()
            .unwrap_err();
        match err {
            Error::ToolFailed {
                exit_code, message, ..
            } => {
                assert_eq!(exit_code, Some(3));
                assert_eq!(message, "bad input");
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn a_streaming_consumer_can_stop_an_endless_producer() {
        let mut seen = 0usize;
        let out = ToolCommand::new(&sh())
            .args(["-c", "cat /dev/zero"])
            .timeout(Duration::from_secs(20))
            .run_streaming(|chunk| {
                seen += chunk.len();
                Ok(if seen >= 4096 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                })
            })
            .unwrap();
        assert!(out.stopped_early);
        assert!(seen >= 4096);
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let tool = ToolPath {
            tool: Tool::Ffprobe,
            program: PathBuf::from("/nonexistent/ffprobe"),
            source: ToolSource::Explicit,
        };
        let err = ToolCommand::new(&tool).run().unwrap_err();
        assert!(matches!(err, Error::Spawn { .. }), "{err}");
    }

    #[test]
    fn show_error_json_is_preferred_over_stderr() {
        let output = ToolOutput {
            stdout: br#"{"error": {"code": -1094995529, "string": "Invalid data found when processing input"}}"#.to_vec(),
            stderr: b"file:/x: Invalid data".to_vec(),
            stderr_truncated: false,
            exit_code: Some(1),
            success: false,
            stopped_early: false,
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            failure_message(&output),
            "Invalid data found when processing input"
        );
    }
}
