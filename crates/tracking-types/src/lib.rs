//! Plain serde data for camera tracking: the compatibility contract of cinematic.
//!
//! This crate holds data only: no file I/O, no process spawning, no maths beyond
//! validation. Field names, defaults and YAML shapes match the original Python
//! package's `types.py`, whose session files are still read by Python tools
//! (see `shared/fixtures/session/` in the design notes).
//!
//! | type | what it is |
//! |---|---|
//! | [`TrackData`] | one 2D track: markers per frame in normalised 0..1 coordinates |
//! | [`SolveData`] | a solved camera: per-frame `[tx, ty, tz, rx, ry, rz]` |
//! | [`SolveReport`] | solve quality figures and the derived [`QualityLevel`] |
//! | [`FootageMetadata`] | what a plate is: size, rate, frame count, codec, … |
//! | [`FootageInfo`] | the original's compact footage summary |
//! | [`TrackingSession`] | a resumable tracking session |
//! | [`Severity`] | the one scale findings are rated on (`info < warning < critical`) |
//! | [`ExtraValue`] | what a session or track holds under a key we do not know (kept, written back) |
//!
//! Frame-keyed maps are `BTreeMap<i64, _>` and are written with quoted string keys
//! (`'1001':`), as the original did; see [`frame_map`].
//!
//! [`Validate`] checks numbers and ranges before anything is stored. The types are
//! format-neutral: the YAML codec that writes them as the original did is the
//! `tracking-yaml` crate, and [`frame_map`] is the serde adapter for quoted frame keys.

pub mod extra;
pub mod footage;
pub mod frame_map;
mod record;
pub mod session;
pub mod severity;
pub mod solve;
pub mod track;
pub mod validate;

pub use extra::{Extra, ExtraValue};
pub use footage::{FootageInfo, FootageMetadata, MotionBlurLevel};
pub use session::{SessionStatus, TrackingSession};
pub use severity::Severity;
pub use solve::{CoordinateSystem, QualityLevel, SolveData, SolveReport};
pub use track::{TrackData, TrackType};
pub use validate::{Validate, ValidationError};

/// A frame number. Frames may be negative (sequences can start before zero).
pub type Frame = i64;
