//! Footage probing with the real `ffprobe`/`ffmpeg`, image sequences and tool discovery.
//!
//! Owns: `extract_metadata`, `get_frame_rate`, `analyze_footage`, image-sequence
//! scanning, the probe cache under `<state root>/footage/`, and discovery of the
//! `ffprobe`, `ffmpeg` and `blender` executables. Depends on `tracking-types` and
//! `tracking-fs` (the state-root lock and atomic writes of the probe cache).
//!
//! ```no_run
//! let meta = tracking_footage::extract_metadata("plate.mov")?;
//! let rate = tracking_footage::get_frame_rate("plate.mov")?;
//! println!("{} frames at {} ({} fps)", meta.duration_frames, rate.rational, rate.fps);
//! # Ok::<(), tracking_footage::Error>(())
//! ```
//!
//! # Public surface
//!
//! Every module is private; this is the whole API, at the crate root.
//!
//! | area | names |
//! |---|---|
//! | probing | [`probe`], [`probe_unrated`], [`UnratedSequence`], [`extract_metadata`], [`get_frame_rate`], [`footage_info`], [`ProbeOptions`] |
//! | probe results | [`FootageProbe`], [`FootageKind`], [`FrameCounts`], [`FrameCountSource`], [`VfrReport`], [`VfrVerdict`], [`Discontinuity`], [`MAX_LISTED_DISCONTINUITIES`], [`FieldOrder`], [`Colour`], [`AudioStream`], [`Truncation`], [`PacketStats`] |
//! | image sequences | [`SequenceInfo`], [`MixedPadding`], [`PaddingGroup`], [`PaddingChoice`], [`FrameHeader`], [`MAX_LISTED_MISSING`], [`ExrHeaderInfo`], [`ExrChannel`], [`ExrWindow`], [`frame_range_string`] |
//! | what ffprobe says | [`Rational`], [`FrameRate`], [`RateSource`], [`STANDARD_RATES`], [`SNAP_TOLERANCE`], [`Timecode`], [`TimecodeSource`], [`Orientation`], [`OrientationSource`], [`PixelFormatInfo`], [`ColourModel`], [`Tags`] |
//! | cache and batches | [`ProbeCache`], [`CacheOutcome`], [`CacheNotice`], [`CACHE_LOCK_WAIT`], [`MAX_ENTRY_BYTES`], [`probe_many`], [`probe_many_with_outcomes`], [`ProbeOutcome`], [`BatchOptions`], [`default_workers`] |
//! | analysis | [`analyze_footage`], [`analyze_probed`], [`AnalyzeOptions`], [`AnalysisReport`], [`AnalysisTier`], [`SampleStrategy`], [`ContentSummary`], [`StageTimings`], [`Finding`], [`FindingCode`], [`Severity`], [`Evidence`], [`EvidenceValue`], [`TrackabilityRating`], [`BlurJudgement`], [`SampleMeasurement`], [`GlobalMotion`], [`SmearAnisotropy`], [`Blockiness`], [`Clipping`], [`CombEvidence`], [`CombVerdict`], [`CompressionEvidence`], [`InterlaceReport`], [`InterlaceVerdict`], [`IdetSummary`], [`FieldCounts`], [`RepeatedFields`], [`METHOD_VERSION`] |
//! | tools | [`Tool`], [`ToolPath`], [`ToolSource`], [`ToolVersion`], [`find_tool`], [`tool_version`], [`BLENDER_AVAILABLE`], [`blender_available`] |
//! | running tools | [`MediaInput`], [`ToolCommand`], [`ToolOutput`], [`DEFAULT_TIMEOUT`], [`DEFAULT_STDOUT_LIMIT`], [`DEFAULT_STDERR_LIMIT`] |
//! | errors | [`Error`], [`Result`], [`ToolOutputError`], [`FileKind`], [`OutputStream`] |
//!
//! # Modules
//!
//! | module | what lives there |
//! |---|---|
//! | `probe` | the entry points: dispatch to `movie` or `sequence` |
//! | `types` | [`FootageProbe`] and every result type it holds, [`ProbeOptions`] |
//! | `movie` | one movie file: ffprobe's JSON turned into a [`FootageProbe`] |
//! | `packets` | the deep packet pass: exact frame count, VFR drift test, truncation |
//! | `sequence` | image sequences: patterns, scanning, EXR headers, frame ranges |
//! | `ffprobe` | the ffprobe invocations movies and sequences share |
//! | `ffprobe_json`, `pix_fmt`, `orientation`, `timecode`, `rational` | reading ffprobe's answers |
//! | `cache` | the on-disk probe cache (owned here; the session store's lock and write recipe) |
//! | `batch` | probing many paths with bounded parallelism |
//! | `analyze` | the evidence-based trackability report |
//! | `discovery` | finding `ffprobe`/`ffmpeg`/`blender`, versions, [`BLENDER_AVAILABLE`] |
//! | `process` | [`ToolCommand`]: hardened, time-limited tool runs |
//! | `input` | [`MediaInput`] and `open_input`: `tracking_fs`'s input check for every file this crate or a tool reads, its errors as [`Error`]; how paths are shown |
//! | `tool` | the tools as data: [`Tool`], [`ToolPath`], [`ToolVersion`] |
//! | `error` | [`Error`], [`ToolOutputError`] |
//! | `mutation_tests` | (tests only) the mutation property tests of the ffprobe JSON and packet readers |
//!
//! # Module graph
//!
//! The `use crate::…` edges form a DAG (each module lists what it uses; leaves last;
//! `cache`'s unit tests also build a probe with `movie` and `ffprobe_json`; the
//! test-only `mutation_tests` uses `error`, `ffprobe_json`, `movie`, `packets`,
//! `rational` and `types`, and nothing uses it). Inside `analyze` and `sequence` the
//! submodules form a DAG too, below their `mod.rs` (`sequence::spec` →
//! `sequence::padding`, `sequence::range`).
//!
//! ```text
//! batch        → cache, error, probe, types
//! cache        → error, input, probe, sequence, types
//! analyze      → discovery, error, input, probe, process, rational, sequence, tool, types
//! probe        → movie, sequence, types, error, rational
//! movie        → discovery, error, ffprobe, ffprobe_json, input, orientation, packets,
//!                pix_fmt, rational, timecode, tool, types
//! sequence     → discovery, error, ffprobe, ffprobe_json, input, orientation, pix_fmt,
//!                rational, timecode, tool, types
//! packets      → error, ffprobe, input, rational, tool, types
//! ffprobe      → error, ffprobe_json, input, process, tool
//! types        → ffprobe_json, orientation, pix_fmt, process, rational, timecode
//! discovery    → error, process, tool
//! process      → error, input, tool
//! input        → error
//! error        → tool
//! orientation  → ffprobe_json
//! timecode     → ffprobe_json
//! ffprobe_json → error, rational
//! tool, rational, pix_fmt → (none)
//! ```

mod analyze;
mod batch;
mod cache;
mod discovery;
mod error;
mod ffprobe;
mod ffprobe_json;
mod input;
mod movie;
#[cfg(test)]
mod mutation_tests;
mod orientation;
mod packets;
mod pix_fmt;
mod probe;
mod process;
mod rational;
mod sequence;
mod timecode;
mod tool;
mod types;

pub use analyze::{
    AnalysisReport, AnalysisTier, AnalyzeOptions, Blockiness, BlurJudgement, Clipping,
    CombEvidence, CombVerdict, CompressionEvidence, ContentSummary, Evidence, EvidenceValue,
    FieldCounts, Finding, FindingCode, GlobalMotion, IdetSummary, InterlaceReport,
    InterlaceVerdict, METHOD_VERSION, RepeatedFields, SampleMeasurement, SampleStrategy, Severity,
    SmearAnisotropy, StageTimings, TrackabilityRating, analyze_footage, analyze_probed,
};
pub use batch::{
    BatchOptions, ProbeOutcome, default_workers, probe_many, probe_many_with_outcomes,
};
pub use cache::{CACHE_LOCK_WAIT, CacheNotice, CacheOutcome, MAX_ENTRY_BYTES, ProbeCache};
pub use discovery::{BLENDER_AVAILABLE, blender_available, find_tool, tool_version};
pub use error::{Error, FileKind, OutputStream, Result, ToolOutputError};
pub use ffprobe_json::Tags;
pub use input::MediaInput;
pub use orientation::{Orientation, OrientationSource};
pub use pix_fmt::{ColourModel, PixelFormatInfo};
pub use probe::{extract_metadata, footage_info, get_frame_rate, probe, probe_unrated};
pub use process::{
    DEFAULT_STDERR_LIMIT, DEFAULT_STDOUT_LIMIT, DEFAULT_TIMEOUT, ToolCommand, ToolOutput,
};
pub use rational::{FrameRate, RateSource, Rational, SNAP_TOLERANCE, STANDARD_RATES};
pub use sequence::frame_range_string;
pub use timecode::{Timecode, TimecodeSource};
pub use tool::{Tool, ToolPath, ToolSource, ToolVersion};
pub use types::{
    AudioStream, Colour, Discontinuity, ExrChannel, ExrHeaderInfo, ExrWindow, FieldOrder,
    FootageKind, FootageProbe, FrameCountSource, FrameCounts, FrameHeader,
    MAX_LISTED_DISCONTINUITIES, MAX_LISTED_MISSING, MixedPadding, PacketStats, PaddingChoice,
    PaddingGroup, ProbeOptions, SequenceInfo, Truncation, UnratedSequence, VfrReport, VfrVerdict,
};
