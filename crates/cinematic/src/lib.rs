//! cinematic: a camera tracking / matchmove toolkit.
//!
//! This crate is a facade. Each part lives in its own crate, reachable here under a
//! short module name, and the headline names are re-exported at the root:
//!
//! | module | crate | what lives there |
//! |---|---|---|
//! | [`types`] | `tracking-types` | plain serde data: [`TrackData`], [`SolveData`], [`SolveReport`], [`FootageMetadata`], [`FootageInfo`], [`TrackingSession`] |
//! | [`io`] | `tracking-io` | coordinate conversion, lens maths, Nuke `.chan` |
//! | [`footage`] | `tracking-footage` | ffprobe-based probing, image sequences, analysis, tool discovery |
//! | [`session`] | `tracking-session` | crash-safe session persistence |
//!
//! [`tracking`] mirrors the original Python package path `lib.cinematic.tracking`.

pub use tracking_footage as footage;
pub use tracking_io as io;
pub use tracking_session as session;
pub use tracking_types as types;

#[doc(inline)]
pub use tracking_types::{
    FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData, TrackingSession,
};

/// The cinematic version; always equal to the crates' manifest version.
pub const VERSION: &str = "0.3.1";

/// The names of the original Python package `lib.cinematic.tracking`, at the same path.
pub mod tracking {
    #[doc(inline)]
    pub use crate::{
        FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData, TrackingSession, VERSION,
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_manifest() {
        assert_eq!(super::VERSION, env!("CARGO_PKG_VERSION"));
    }
}
