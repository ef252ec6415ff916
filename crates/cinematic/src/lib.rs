//! cinematic: a camera tracking / matchmove toolkit.
//!
//! This crate is a facade. Each part lives in its own crate, reachable here under a
//! short module name, and the headline names are re-exported at the root:
//!
//! | module | crate | what lives there |
//! |---|---|---|
//! | [`types`] | `tracking-types` | plain serde data: [`TrackData`], [`SolveData`], [`SolveReport`], [`FootageMetadata`], [`FootageInfo`], [`TrackingSession`] |
//! | [`yaml`] | `tracking-yaml` | the PyYAML-compatible YAML codec |
//! | [`fs`] | `tracking-fs` | crash-safe atomic replace, the state-root lock |
//! | [`io`] | `tracking-io` | coordinate conversion, lens maths, Nuke `.chan` |
//! | [`footage`] | `tracking-footage` | ffprobe-based probing, image sequences, analysis, tool discovery |
//! | [`session`] | `tracking-session` | crash-safe session persistence |
//! | [`shot`] | `tracking-shot` | the shot-ingest workflow: plate + camera → checked, stored session |
//! | [`blender`] | `tracking-blender` | the real Blender, headless: build a shot's scene, read cameras back |
//!
//! [`tracking`] mirrors the original Python package path `lib.cinematic.tracking`.
//!
//! # Where things live
//!
//! The root re-exports the names of the original package's `__all__` from their home
//! crates, so `use cinematic::{TrackData, TrackingSession, VERSION};` works and each name
//! is the very item of its home crate (`cinematic::TrackData` *is*
//! `tracking_types::TrackData`):
//!
//! | names | home |
//! |---|---|
//! | `TrackData`, `SolveData`, `SolveReport`, `FootageMetadata`, `FootageInfo`, `TrackingSession` | [`types`] |
//! | `extract_metadata`, `analyze_footage`, `get_frame_rate`, `BLENDER_AVAILABLE`, `blender_available` | [`footage`] |
//! | `convert_yup_to_zup_position`, `convert_yup_to_zup_rotation`, `fov_to_focal_length`, `import_nuke_chan`, `import_tracking_data` | [`io`] |
//! | `TrackingSessionManager` | [`session`] |
//! | [`VERSION`] | this crate |
//!
//! Each sub-crate also stands on its own: depend on `tracking-io` alone for `.chan`
//! files, or on `tracking-types` alone for the data model.
//!
//! # Rules this file keeps
//!
//! - Re-exports only, no logic: behaviour lives in the sub-crates (the CLI depends on
//!   the facade only).
//! - No glob re-exports (`pub use tracking_io::*`): every crate has its own `Error`, and
//!   globs from several crates make `cinematic::Error` ambiguous.
//! - A name added at the root is also added to [`tracking`].
//!
//! `cargo xtask verify-exports` checks all of this: the names above (a syn walk of this
//! file, and the generated consumer test `tests/exports.rs`), the committed API list
//! `api.txt` (regenerate with `cargo xtask bless`), and that [`VERSION`] equals the
//! manifest version. See `ARCHITECTURE.md`.

pub use tracking_blender as blender;
pub use tracking_footage as footage;
pub use tracking_fs as fs;
pub use tracking_io as io;
pub use tracking_session as session;
pub use tracking_shot as shot;
pub use tracking_types as types;
pub use tracking_yaml as yaml;

#[doc(inline)]
pub use tracking_shot::{
    IngestOptions, IngestReport, ShotError, ShotStatus, ingest_shot, shot_status,
};

#[doc(inline)]
pub use tracking_types::{
    FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData, TrackingSession,
};

#[doc(inline)]
pub use tracking_footage::{
    BLENDER_AVAILABLE, analyze_footage, blender_available, extract_metadata, get_frame_rate,
};

#[doc(inline)]
pub use tracking_io::{
    convert_yup_to_zup_position, convert_yup_to_zup_rotation, convert_zup_to_yup_position,
    convert_zup_to_yup_rotation, fov_to_focal_length, import_nuke_chan, import_tracking_data,
};

#[doc(inline)]
pub use tracking_session::TrackingSessionManager;

/// The cinematic version; always equal to the crates' manifest version.
pub const VERSION: &str = "0.3.1";

/// The names of the original Python package `lib.cinematic.tracking`, at the same path.
pub mod tracking {
    #[doc(inline)]
    pub use crate::{
        BLENDER_AVAILABLE, FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData,
        TrackingSession, TrackingSessionManager, VERSION, analyze_footage, blender_available,
        convert_yup_to_zup_position, convert_yup_to_zup_rotation, convert_zup_to_yup_position,
        convert_zup_to_yup_rotation, extract_metadata, fov_to_focal_length, get_frame_rate,
        import_nuke_chan, import_tracking_data,
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_manifest() {
        assert_eq!(super::VERSION, env!("CARGO_PKG_VERSION"));
    }
}

/// The Rust examples in README.md, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
