//! The file-system recipes every cinematic crate shares, so each exists once.
//!
//! | item | what it is |
//! |---|---|
//! | [`write_atomically`], [`write_atomically_with`], [`write_atomically_by`] | replace a file crash-safely: temp file in the target's directory (written by us, or by an external tool for `_by`), flush, `sync_all`, rename, directory fsync |
//! | [`remove_stale_temps`], [`is_temp_file_name`] | clean up the temp files a killed writer left behind |
//! | [`sync_dir`] | make renames and removals in a directory durable |
//! | [`open_input`], [`read_input`], [`read_input_no_follow`], [`text_quirks`] | the one way a reader opens a file it was given: regular files only, a size limit, symlink loops reported |
//! | [`StateLock`], [`LockWait`] | the exclusive advisory lock on `<state root>/.lock` that every writer under a state root holds; bounded, visible waits |
//! | [`FsError`] | what failed, on which path, with the OS error |
//!
//! The format and driver crates (tracking-io, tracking-footage, tracking-session) may
//! not depend on each other, so the recipes live here, below them all; this crate
//! depends on no workspace crate and on nothing but `std`, `thiserror` and (for
//! constants only) `libc`.
//!
//! ```
//! # let dir = tempfile::tempdir()?;
//! let target = dir.path().join("camera.chan");
//! tracking_fs::write_atomically(&target, b"1 0 0 0 0 0 0 40\n")?;
//! assert_eq!(std::fs::read(&target)?, b"1 0 0 0 0 0 0 40\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod atomic;
mod error;
mod input;
mod lock;

pub use atomic::{
    TEMP_PREFIX, is_temp_file_name, remove_stale_temps, sync_dir, write_atomically,
    write_atomically_by, write_atomically_with,
};
pub use error::{FsError, is_not_writable_kind};
pub use input::{InputFile, open_input, read_input, read_input_no_follow, text_quirks};
pub use lock::{LOCK_FILE, LockWait, StateLock};
