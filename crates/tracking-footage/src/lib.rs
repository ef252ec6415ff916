//! Footage probing with the real `ffprobe`/`ffmpeg`, image sequences and tool discovery.
//!
//! Owns: `extract_metadata`, `get_frame_rate`, `analyze_footage`, image-sequence
//! scanning, and discovery of the `ffprobe`, `ffmpeg` and `blender` executables.
//! Depends on `tracking-types` only.
//!
//! | module | what lives there |
//! |---|---|
//! | [`probe`](mod@probe) | [`FootageProbe`], [`ProbeOptions`], [`extract_metadata`], [`get_frame_rate`] |
//! | [`analyze`] | `analyze_footage`: the evidence-based trackability report |
//! | [`sequence`] | image sequences: patterns, scanning, EXR headers, [`SequenceInfo`](sequence::SequenceInfo) |
//! | [`packets`] | the deep packet pass: exact frame count, VFR drift test, truncation |
//! | [`cache`] | the on-disk probe cache under `<state root>/footage/` |
//! | [`batch`] | probing many paths with bounded parallelism |
//! | [`rational`] | exact [`Rational`]s and [`FrameRate`]s with standard-rate snapping |
//! | [`tool`] | finding `ffprobe`/`ffmpeg`/`blender`, versions, [`BLENDER_AVAILABLE`] |
//! | [`input`] | [`MediaInput`](input::MediaInput): the regular-file check before any spawn |
//! | [`process`] | [`ToolCommand`](process::ToolCommand): hardened, time-limited tool runs |
//! | [`ffprobe_json`], [`pix_fmt`], [`orientation`], [`timecode`] | reading ffprobe's answers |
//! | [`error`] | the crate's [`Error`] |
//!
//! ```no_run
//! let meta = tracking_footage::extract_metadata("plate.mov")?;
//! let rate = tracking_footage::get_frame_rate("plate.mov")?;
//! println!("{} frames at {} ({} fps)", meta.duration_frames, rate.rational, rate.fps);
//! # Ok::<(), tracking_footage::Error>(())
//! ```

pub mod analyze;
pub mod batch;
pub mod cache;
pub mod error;
pub mod ffprobe_json;
pub mod input;
mod movie;
pub mod orientation;
pub mod packets;
pub mod pix_fmt;
pub mod probe;
pub mod process;
pub mod rational;
pub mod sequence;
pub mod timecode;
pub mod tool;

pub use analyze::{AnalysisReport, AnalyzeOptions, analyze_footage};
pub use error::{Error, Result};
pub use probe::{
    FootageKind, FootageProbe, ProbeOptions, extract_metadata, footage_info, get_frame_rate, probe,
};
pub use rational::{FrameRate, Rational};
pub use tool::{BLENDER_AVAILABLE, blender_available};
