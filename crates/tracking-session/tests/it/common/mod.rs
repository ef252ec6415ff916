//! Shared by the integration tests and benches: temp state roots and generated
//! seed-layout sessions.
#![allow(dead_code, unreachable_pub, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use camino::Utf8PathBuf;
use tracking_types::{TrackData, TrackType, TrackingSession};

/// A temp directory and its UTF-8 path (the directory lives as long as the guard).
pub fn temp_root() -> (tempfile::TempDir, Utf8PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
    (dir, path)
}

/// A seed-layout session with `tracks` tracks of `markers` markers each, whose every
/// number is derived from `generation` so a loaded copy can be checked for being
/// exactly one complete version.
pub fn generated_session(
    id: &str,
    tracks: usize,
    markers: usize,
    generation: u64,
) -> TrackingSession {
    let mut session = TrackingSession::new(id);
    session.footage_path = "/shots/sq010/plate.%04d.exr".to_owned();
    session.frame_start = 1001;
    session.frame_end = 1001 + markers as i64 - 1;
    session.current_frame = 1001 + (generation % markers.max(1) as u64) as i64;
    session.camera_profile = "arri_alexa_mini".to_owned();
    session.preset = "precise".to_owned();
    session.updated_at = format!("generation {generation}");
    session.tracks = (0..tracks)
        .map(|t| {
            let mut track = TrackData::new(format!("Track.{t:03}"));
            track.track_type = if t % 3 == 0 {
                TrackType::Plane
            } else {
                TrackType::Point
            };
            track.correlation = marker_value(generation, t, 0, 2);
            track.markers = (0..markers)
                .map(|m| {
                    let frame = 1001 + m as i64;
                    (
                        frame,
                        [
                            marker_value(generation, t, m, 0),
                            marker_value(generation, t, m, 1),
                        ],
                    )
                })
                .collect::<BTreeMap<_, _>>();
            track
        })
        .collect();
    session
}

/// A deterministic value in 0..1 with a full 53-bit mantissa.
pub fn marker_value(generation: u64, track: usize, marker: usize, axis: u64) -> f64 {
    let mut x = generation
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((track as u64) << 32)
        .wrapping_add((marker as u64) << 2)
        .wrapping_add(axis);
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The generation a session was generated from (see [`generated_session`]).
pub fn generation_of(session: &TrackingSession) -> u64 {
    session
        .updated_at
        .strip_prefix("generation ")
        .and_then(|g| g.parse().ok())
        .expect("a generated session")
}

/// Whether `session` is exactly `generated_session(id, tracks, markers, g)` for its `g`
/// (bookkeeping fields aside).
pub fn is_complete_generation(session: &TrackingSession, tracks: usize, markers: usize) -> bool {
    let mut expected =
        generated_session(&session.session_id, tracks, markers, generation_of(session));
    expected.schema_version = session.schema_version;
    expected.revision = session.revision;
    expected.save_counter = session.save_counter;
    expected.saved_at = session.saved_at.clone();
    expected == *session
}

/// Python 3 with PyYAML, or `None` (a skip outside CI, a failure under `CI=true`).
pub fn python_with_pyyaml() -> Option<&'static str> {
    cinematic_testkit::python_with_pyyaml().then_some("python3")
}
