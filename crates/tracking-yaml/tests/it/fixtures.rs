//! The seed files written by the Python original (`tests/fixtures/`, copied from
//! `shared/fixtures/session/`) load to exactly the values they hold, and what we write
//! for the same data is the same text.

// Test helpers outside `#[test]` functions may panic too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tracking_types::{
    CoordinateSystem, FootageMetadata, MotionBlurLevel, QualityLevel, SessionStatus, SolveData,
    SolveReport, TrackType, TrackingSession, Validate,
};
use tracking_yaml::{YamlLimits, from_yaml_str, to_yaml_string};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load<T: serde::de::DeserializeOwned>(name: &str) -> T {
    from_yaml_str(&fixture(name), &YamlLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ReportAndFootage {
    solve_report: SolveReport,
    footage_metadata: FootageMetadata,
}

#[test]
fn shot_010_session_holds_its_tracks_markers_and_settings() {
    let s: TrackingSession = load("seed_session_shot_010.yaml");
    assert_eq!(s.session_id, "shot_010");
    assert_eq!(s.footage_path, "/shots/sq010/plate.%04d.exr");
    assert_eq!(
        (s.frame_start, s.frame_end, s.current_frame),
        (1001, 1100, 1042)
    );
    assert_eq!(s.camera_profile, "arri_alexa_mini");
    assert_eq!(s.preset, "precise");
    assert_eq!(s.status, SessionStatus::InProgress);
    assert_eq!(s.created_at, "");
    assert_eq!(s.updated_at, "");
    assert_eq!(s.saved_at.as_deref(), Some("2026-11-20T10:15:30.123456"));
    assert_eq!(
        (s.schema_version, s.revision, s.save_counter),
        (None, None, None)
    );
    assert_eq!(s.tracks.len(), 2);

    let t = &s.tracks[0];
    assert_eq!(t.name, "Track.001");
    assert_eq!(t.pattern_area, [0.0, 0.0, 31.0, 31.0]);
    assert_eq!(t.search_area, [0.0, 0.0, 61.0, 61.0]);
    let expected: BTreeMap<i64, [f64; 2]> = BTreeMap::from([
        (1001, [0.25, 0.75]),
        (1002, [0.2512345678901234, 0.7499]),
        (1004, [0.3, 0.7]),
    ]);
    assert_eq!(t.markers, expected, "gap at 1003 kept");
    assert_eq!(
        t.markers[&1002][0].to_bits(),
        0.2512345678901234f64.to_bits()
    );
    assert!(t.enabled);
    assert_eq!(t.color, [1.0, 0.0, 0.0]);
    assert_eq!(t.correlation, 1.0);
    assert_eq!(t.track_type, TrackType::Point);

    let t = &s.tracks[1];
    assert_eq!(t.name, "no", "a quoted 'no' is the string no, not false");
    assert_eq!(t.markers, BTreeMap::from([(1001, [0.5, 0.5])]));
    assert!(!t.enabled);
    assert_eq!(t.color, [0.0, 1.0, 0.25]);
    assert_eq!(t.correlation, 0.82);
    assert_eq!(t.track_type, TrackType::Plane);
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn defaults_session_holds_every_default() {
    let s: TrackingSession = load("seed_session_defaults.yaml");
    assert_eq!(s.session_id, "empty_defaults");
    assert_eq!(s.footage_path, "");
    assert_eq!((s.frame_start, s.frame_end, s.current_frame), (1, 100, 1));
    assert!(s.tracks.is_empty());
    assert_eq!(s.camera_profile, "");
    assert_eq!(s.preset, "balanced");
    assert_eq!(s.status, SessionStatus::InProgress);
    assert_eq!((s.created_at.as_str(), s.updated_at.as_str()), ("", ""));
    assert_eq!(s.saved_at.as_deref(), Some("2026-11-20T10:00:00"));
    let mut expected = TrackingSession::new("empty_defaults");
    expected.saved_at = Some("2026-11-20T10:00:00".to_owned());
    assert_eq!(s, expected, "our defaults are the original's");
}

#[test]
fn solve_v1_holds_integer_written_transforms_as_floats() {
    let s: SolveData = load("seed_solve_v1.yaml");
    assert_eq!(s.name, "solve_v1");
    assert_eq!(s.frame_range, [1001, 1003]);
    assert_eq!(s.focal_length, 35.0);
    assert_eq!(s.sensor_width, 36.0);
    assert_eq!(s.coordinate_system, CoordinateSystem::ZUp);
    assert_eq!(s.solved_at, "2026-11-20T09:00:00");
    assert_eq!(
        s.camera_transforms,
        BTreeMap::from([
            (1001, [0.0, 0.0, 5.0, 90.0, 0.0, 0.0]),
            (1002, [0.1, 0.0, 5.0, 90.0, 0.0, 1.5]),
            (1003, [0.2, 0.01, 5.0, 90.5, 0.0, 3.0]),
        ])
    );
    assert_eq!((s.sensor_height, s.focal_lengths.is_empty()), (None, true));
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn report_and_footage_file_holds_both_records() {
    let both: ReportAndFootage = load("seed_report_and_footage.yaml");
    let r = &both.solve_report;
    assert_eq!(r.reprojection_error_avg, 0.31);
    assert_eq!(r.reprojection_error_max, 1.2);
    assert_eq!((r.tracks_used, r.frames_solved), (48, 100));
    assert_eq!(r.confidence_score, 0.9);
    assert_eq!(r.quality_level, QualityLevel::Good);
    assert_eq!(
        QualityLevel::from_reprojection_error(r.reprojection_error_avg),
        r.quality_level
    );
    assert_eq!(r.validate(), Ok(()));

    let f = &both.footage_metadata;
    assert_eq!(f.filename, "plate.mov");
    assert_eq!(f.resolution, [3840, 2160]);
    assert_eq!(f.frame_rate, 23.976);
    assert_eq!(f.duration_frames, 240);
    assert_eq!(f.duration_seconds, 10.01);
    assert_eq!(f.codec, "prores");
    assert_eq!(f.bit_depth, 10);
    assert_eq!(f.color_space, "bt709");
    assert_eq!(f.camera_model.as_deref(), Some("ALEXA Mini"));
    assert_eq!(f.focal_length, Some(35.0));
    assert_eq!(f.iso, Some(800));
    assert_eq!(f.motion_blur_level, MotionBlurLevel::Low);
    assert!(!f.rolling_shutter_detected);
    assert_eq!(f.validate(), Ok(()));
}

#[test]
fn default_session_is_written_exactly_as_the_original_wrote_it() {
    let text = to_yaml_string(&TrackingSession::new("empty_defaults")).unwrap();
    let seed = fixture("seed_session_defaults.yaml");
    let seed_without_saved_at = seed.replace("saved_at: '2026-11-20T10:00:00'\n", "");
    assert_eq!(text, seed_without_saved_at);
}

#[test]
fn sessions_and_the_report_file_are_rewritten_byte_for_byte() {
    for name in ["seed_session_shot_010.yaml", "seed_session_defaults.yaml"] {
        let session: TrackingSession = load(name);
        assert_eq!(to_yaml_string(&session).unwrap(), fixture(name), "{name}");
    }
    let both: ReportAndFootage = load("seed_report_and_footage.yaml");
    assert_eq!(
        to_yaml_string(&both).unwrap(),
        fixture("seed_report_and_footage.yaml")
    );
}

#[test]
fn solve_is_rewritten_with_whole_numbers_as_floats_and_otherwise_identically() {
    // The original's solver handed PyYAML Python ints (`- 5`); our model holds floats,
    // so we write `5.0`. Everything else is the same text.
    let solve: SolveData = load("seed_solve_v1.yaml");
    let ours = to_yaml_string(&solve).unwrap();
    let seed = fixture("seed_solve_v1.yaml");
    let normalised: String = seed
        .lines()
        .map(|line| match line.strip_prefix("  - ") {
            Some(n) if n.parse::<i64>().is_ok() => format!("  - {n}.0\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    assert_eq!(ours, normalised);
}
