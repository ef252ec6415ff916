//! Snapshots of the YAML we write for each type: the layout is a compatibility
//! contract with the Python original, so any change must show up in review.

// Test helpers outside `#[test]` functions may panic too.

use std::collections::BTreeMap;

use tracking_types::{
    CoordinateSystem, FootageInfo, FootageMetadata, MotionBlurLevel, SessionStatus, SolveData,
    SolveReport, TrackData, TrackType, TrackingSession,
};
use tracking_yaml::to_yaml_string;

fn track() -> TrackData {
    let mut track = TrackData::new("no");
    track.markers = BTreeMap::from([(-3, [0.5, 0.25]), (1001, [1e-7, 1e22]), (1002, [-0.0, 0.1])]);
    track.pattern_area = [10.5, 20.0, 31.0, 31.0];
    track.color = [0.0, 1.0, 0.25];
    track.correlation = 0.82;
    track.track_type = TrackType::Object;
    track.enabled = false;
    track
}

#[test]
fn track_yaml_layout() {
    insta::assert_snapshot!(to_yaml_string(&track()).unwrap());
}

#[test]
fn session_yaml_layout() {
    let mut session = TrackingSession::new("shot_010");
    session.footage_path = "/shots/sq010/plate.%04d.exr".to_owned();
    session.frame_start = 1001;
    session.frame_end = 1100;
    session.current_frame = 1042;
    session.tracks = vec![track(), TrackData::new("12:30")];
    session.camera_profile = "on".to_owned();
    session.status = SessionStatus::Complete;
    session.created_at = "2026-11-20T10:00:00Z".to_owned();
    session.schema_version = Some(2);
    session.revision = Some(7);
    session.save_counter = Some(42);
    session.saved_at = Some("2026-11-20T10:15:30Z".to_owned());
    insta::assert_snapshot!(to_yaml_string(&session).unwrap());
}

#[test]
fn solve_yaml_layout() {
    let solve = SolveData {
        name: "solve_v1".to_owned(),
        frame_range: [1001, 1002],
        focal_length: 35.0,
        camera_transforms: BTreeMap::from([
            (1001, [0.0, 0.0, 5.0, 90.0, 0.0, 0.0]),
            (1002, [0.1, 1e-5, 5.0, 90.5, 5e-324, 1e16]),
        ]),
        coordinate_system: CoordinateSystem::YUp,
        solved_at: "2026-11-20T09:00:00".to_owned(),
        sensor_height: Some(24.0),
        focal_lengths: BTreeMap::from([(1001, 35.0), (1002, 35.5)]),
        ..SolveData::default()
    };
    insta::assert_snapshot!(to_yaml_string(&solve).unwrap());
}

#[test]
fn report_yaml_layout() {
    insta::assert_snapshot!(to_yaml_string(&SolveReport::new(0.31, 1.2, 48, 100, 0.9)).unwrap());
}

#[test]
fn footage_metadata_yaml_layout() {
    let meta = FootageMetadata {
        filename: "plate.mov".to_owned(),
        resolution: [3840, 2160],
        frame_rate: 24000.0 / 1001.0,
        duration_frames: 240,
        duration_seconds: 10.01,
        codec: "prores".to_owned(),
        bit_depth: 10,
        color_space: "bt709".to_owned(),
        camera_model: None,
        focal_length: Some(35.0),
        iso: None,
        motion_blur_level: MotionBlurLevel::Medium,
        rolling_shutter_detected: true,
    };
    insta::assert_snapshot!(to_yaml_string(&meta).unwrap());
}

#[test]
fn footage_info_yaml_layout() {
    let info = FootageInfo {
        source_path:
            "/plates/a long name with spaces that goes on and on until PyYAML folds the line.exr"
                .to_owned(),
        width: 1920,
        height: 1080,
        frame_start: 1001,
        frame_end: 1100,
        fps: 25.0,
        duration_seconds: 4.0,
        codec: "exr\tzip".to_owned(),
        has_alpha: true,
        is_sequence: true,
        ..FootageInfo::default()
    };
    insta::assert_snapshot!(to_yaml_string(&info).unwrap());
}
