//! [`BlenderError`]: everything that can go wrong driving Blender, typed.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

/// Result alias of this crate.
pub type Result<T, E = BlenderError> = std::result::Result<T, E>;

/// Why a Blender run or its inputs and outputs failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BlenderError {
    /// No Blender executable was found.
    #[error("Blender not found ({searched}); {hint}")]
    NotFound {
        /// Where we looked.
        searched: String,
        /// How to install it.
        hint: &'static str,
    },
    /// Blender could not be started, or its output could not be read.
    #[error("cannot run Blender")]
    Tool(#[source] Box<tracking_footage::Error>),
    /// Blender did not finish within the time limit and was killed.
    #[error("Blender did not finish {task} within {} s and was killed", timeout.as_secs_f64())]
    Timeout {
        /// What it was doing.
        task: &'static str,
        /// The limit.
        timeout: Duration,
    },
    /// Blender was killed by a signal (out of memory, `kill -9`, a crash).
    #[error(
        "Blender was killed while {task} (no exit code: a signal ended it){}",
        tail_text(last_lines)
    )]
    Killed {
        /// What it was doing.
        task: &'static str,
        /// Its last lines of output.
        last_lines: Vec<String>,
    },
    /// The Python inside Blender raised, or Blender exited non-zero.
    #[error("Blender failed while {task} (exit code {}){}", exit_code.map_or_else(|| "none".to_owned(), |c| c.to_string()), tail_text(last_lines))]
    ScriptFailed {
        /// What it was doing.
        task: &'static str,
        /// Blender's exit code.
        exit_code: Option<i32>,
        /// The traceback (or the last lines of output when there is none).
        last_lines: Vec<String>,
    },
    /// Blender exited 0 but its script's result is missing or malformed.
    #[error(
        "Blender finished {task} without a usable result: {detail}{}",
        tail_text(last_lines)
    )]
    BadResult {
        /// What it was doing.
        task: &'static str,
        /// What is wrong with the result.
        detail: String,
        /// Its last lines of output.
        last_lines: Vec<String>,
    },
    /// The output exists and `force` is off.
    #[error("{} exists; nothing was written (pass --force to replace it)", path.display())]
    OutputExists {
        /// The output path.
        path: PathBuf,
    },
    /// The output or input path failed the shared file checks (a device, FIFO,
    /// directory, missing or read-only directory …).
    #[error(transparent)]
    File(#[from] tracking_fs::FsError),
    /// The input is a regular file but not a `.blend`.
    #[error("{} is not a .blend file: {reason}", path.display())]
    NotABlend {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// Blender refused to open the file.
    #[error("Blender cannot open {}: {message}", path.display())]
    CannotOpen {
        /// The file.
        path: PathBuf,
        /// Blender's message.
        message: String,
    },
    /// The requested camera is not in the file, or the file has no camera, or several
    /// and no scene camera to choose.
    #[error("{}: {}", path.display(), camera_problem(object.as_deref(), cameras))]
    NoCamera {
        /// The file.
        path: PathBuf,
        /// The camera object asked for, if any.
        object: Option<String>,
        /// The camera objects the file has.
        cameras: Vec<String>,
    },
    /// The camera or scene cannot be built (non-finite numbers, no frames, no lens …).
    #[error("{what}: {reason}")]
    InvalidScene {
        /// Which value.
        what: String,
        /// Why.
        reason: String,
    },
    /// The camera's numbers could not be converted (tracking-io's checks).
    #[error(transparent)]
    Camera(#[from] Box<tracking_io::Error>),
    /// A file of the run's private work directory could not be written or read.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What we tried.
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

fn tail_text(lines: &[String]) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!(":\n    {}", lines.join("\n    "))
    }
}

fn camera_problem(object: Option<&str>, cameras: &[String]) -> String {
    let list = if cameras.is_empty() {
        "it has no camera objects".to_owned()
    } else {
        format!("its cameras are {}", cameras.join(", "))
    };
    match object {
        Some(name) => format!("no camera object named {name:?}; {list}"),
        None if cameras.is_empty() => "no camera to read: it has no camera objects".to_owned(),
        None => format!("no scene camera and several cameras; pick one with --object ({list})"),
    }
}

impl From<tracking_io::Error> for BlenderError {
    fn from(error: tracking_io::Error) -> Self {
        Self::Camera(Box::new(error))
    }
}
