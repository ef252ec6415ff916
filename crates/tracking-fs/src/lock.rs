//! [`StateLock`]: the exclusive lock on `<state root>/.lock` that every writer under a
//! state root holds while it checks what is on disk and replaces files.
//!
//! It is an advisory OS lock (`flock` on Unix, `LockFileEx` on Windows) taken with
//! std's `File::lock`: the kernel releases it when the holder exits or is killed, so a
//! crashed writer never leaves the root locked. The lock file itself is never deleted
//! (deleting it would let two writers lock two different files).
//!
//! Waiting is bounded and visible ([`LockWait`]): a writer that cannot get the lock
//! within `notice_after` (1 s) says who holds it — the holder writes its pid and command
//! line into the lock file — and gives up after `timeout` (30 s; zero fails at once)
//! with [`FsError::LockTimeout`]. A hung writer or a stuck NFS client therefore never
//! makes another command hang silently.
//!
//! The lock file is opened without following symbolic links (`O_NOFOLLOW`): a link
//! there, dangling or not, is [`FsError::SymlinkRefused`], so taking the lock can never
//! create or truncate a file outside the state root.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{FsError, is_loop};

/// Name of the lock file under a state root.
pub const LOCK_FILE: &str = ".lock";

/// How long to wait for a held lock, and what to say while waiting.
#[derive(Debug, Clone, Copy)]
pub struct LockWait {
    /// Give up after this long ([`FsError::LockTimeout`]); zero fails at once.
    pub timeout: Duration,
    /// Report the holder once the wait has lasted this long.
    pub notice_after: Duration,
    /// Called once with the lock file and the holder's record when the wait passes
    /// `notice_after`; `None` stays silent. The default prints one line to stderr.
    pub notice: Option<fn(&Path, Option<&str>)>,
}

impl LockWait {
    /// The default wait: 30 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// The default wait with another timeout.
    #[must_use]
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            ..Self::default()
        }
    }
}

impl Default for LockWait {
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            notice_after: Duration::from_secs(1),
            notice: Some(print_notice),
        }
    }
}

fn print_notice(lock: &Path, holder: Option<&str>) {
    eprintln!(
        "waiting for the lock {} held by {} …",
        lock.display(),
        holder.unwrap_or("another process")
    );
}

/// A held exclusive state-root lock; released on drop.
#[derive(Debug)]
pub struct StateLock {
    file: File,
}

/// How often a waiting writer retries.
const POLL: Duration = Duration::from_millis(25);

impl StateLock {
    /// Take the lock on `<root>/.lock`, waiting as [`LockWait::default`] says (30 s,
    /// a notice after 1 s). `root` must exist.
    pub fn acquire(root: &Path) -> Result<Self, FsError> {
        Self::acquire_with(root, &LockWait::default())
    }

    /// Take the lock on `<root>/.lock`, waiting at most `wait.timeout`.
    pub fn acquire_with(root: &Path, wait: &LockWait) -> Result<Self, FsError> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        let started = Instant::now();
        let mut noticed = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self::held(file)),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(FsError::at(&path, "lock")(e)),
            }
            let waited = started.elapsed();
            if waited >= wait.timeout {
                return Err(FsError::LockTimeout {
                    holder: holder_of(&path),
                    path,
                    waited_s: waited.as_secs_f64(),
                });
            }
            if !noticed && waited >= wait.notice_after {
                noticed = true;
                if let Some(notice) = wait.notice {
                    notice(&path, holder_of(&path).as_deref());
                }
            }
            std::thread::sleep(POLL.min(wait.timeout.saturating_sub(waited)));
        }
    }

    /// Take the lock if nobody holds it; `None` when another writer does.
    pub fn try_acquire(root: &Path) -> Result<Option<Self>, FsError> {
        let path = root.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self::held(file))),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(FsError::at(&path, "lock")(e)),
        }
    }

    /// Record who holds the lock (best effort: the lock is what counts, the record is
    /// for the messages of whoever waits).
    fn held(mut file: File) -> Self {
        let record = format!("pid {} ({})\n", std::process::id(), command_line());
        let _ = file
            .set_len(0)
            .and_then(|()| file.write_all(record.as_bytes()));
        Self { file }
    }
}

/// The holder's record in the lock file (`pid 4242 (cinematic session import a.yaml)`).
fn holder_of(path: &Path) -> Option<String> {
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(512)
        .read_to_string(&mut text)
        .ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

/// This process's command line, shortened for a one-line message.
fn command_line() -> String {
    let mut line = std::env::args().collect::<Vec<_>>().join(" ");
    if line.len() > 200 {
        let mut cut = 200;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push('…');
    }
    line
}

fn open_lock_file(path: &Path) -> Result<File, FsError> {
    let refused = || FsError::SymlinkRefused {
        path: PathBuf::from(path),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refused());
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A link swapped in after the check must not be followed either.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        if is_loop(&e) {
            refused()
        } else {
            FsError::at(path, "open the lock file")(e)
        }
    })?;
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        Ok(meta) => Err(FsError::NotRegularFile {
            path: path.to_path_buf(),
            kind: crate::error::describe(meta.file_type()),
        }),
        Err(e) => Err(FsError::at(path, "open the lock file")(e)),
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first just makes it prompt.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn quiet(timeout_ms: u64) -> LockWait {
        LockWait {
            timeout: Duration::from_millis(timeout_ms),
            notice_after: Duration::from_millis(10),
            notice: None,
        }
    }

    #[test]
    fn a_held_lock_excludes_others_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = StateLock::acquire(dir.path()).unwrap();
        assert!(StateLock::try_acquire(dir.path()).unwrap().is_none());
        drop(held);
        assert!(StateLock::try_acquire(dir.path()).unwrap().is_some());
        assert!(dir.path().join(LOCK_FILE).exists());
    }

    #[test]
    fn a_waiting_writer_gives_up_at_the_timeout_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let _held = StateLock::acquire(dir.path()).unwrap();
        let err = StateLock::acquire_with(dir.path(), &quiet(100)).unwrap_err();
        let FsError::LockTimeout {
            holder, waited_s, ..
        } = &err
        else {
            panic!("{err}");
        };
        assert!(*waited_s >= 0.1, "{err}");
        let holder = holder.as_deref().unwrap();
        assert!(
            holder.starts_with(&format!("pid {} (", std::process::id())),
            "{holder}"
        );
        assert!(err.to_string().contains("still locked after"), "{err}");
    }

    #[test]
    fn a_zero_timeout_fails_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let _held = StateLock::acquire(dir.path()).unwrap();
        let started = Instant::now();
        let err = StateLock::acquire_with(dir.path(), &quiet(0)).unwrap_err();
        assert!(matches!(err, FsError::LockTimeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_lock_released_while_waiting_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let held = StateLock::acquire(dir.path()).unwrap();
        let root = dir.path().to_path_buf();
        let waiter =
            std::thread::spawn(move || StateLock::acquire_with(&root, &quiet(10_000)).map(drop));
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        waiter.join().unwrap().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_lock_symlink_is_refused_and_nothing_is_created_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap();
        let outside = dir.path().join("outside");
        std::os::unix::fs::symlink(&outside, root.join(LOCK_FILE)).unwrap();
        let err = StateLock::acquire(&root).unwrap_err();
        assert!(matches!(err, FsError::SymlinkRefused { .. }), "{err}");
        assert!(!outside.exists());
        assert!(matches!(
            StateLock::try_acquire(&root).unwrap_err(),
            FsError::SymlinkRefused { .. }
        ));
    }
}
