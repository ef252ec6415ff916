//! Plates: a movie with timecode and anamorphic pixels, a 1001-based sequence with a
//! missing frame, a camera that does not cover its plate.

use std::path::Path;

use tracking_blender::{
    BuildOptions, CameraSetup, InspectOptions, PlatePlan, SceneSpec, build_scene, inspect_blend,
};
use tracking_footage::{ProbeOptions, probe};
use tracking_io::{FilmBack, RotationOrder, SensorFit};

use crate::common::{self, camera, inspect, matrices, max_relative_error};

fn setup() -> CameraSetup {
    CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    }
}

/// A 64x36, 25 fps movie of `frames` frames made by ffmpeg.
fn small_movie(ffmpeg: &Path, movie: &Path, frames: u32) -> std::path::PathBuf {
    let frames = frames.to_string();
    common::ffmpeg_make(
        ffmpeg,
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x36:rate=25",
            "-frames:v",
            &frames,
        ],
        movie,
    );
    movie.to_path_buf()
}

fn plan(plate: &Path, start: i64) -> PlatePlan {
    let probed = probe(plate, &ProbeOptions::deep()).unwrap();
    PlatePlan::from_probe(&probed, plate, start).unwrap()
}

#[test]
fn a_movie_plate_with_timecode_and_anamorphic_pixels() {
    let blender = require_blender!();
    let Some(ffmpeg) = common::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let movie = dir.path().join("plate v1 'quoted'.mov");
    common::ffmpeg_make(
        &ffmpeg,
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=24000/1001",
            "-frames:v",
            "48",
            "-vf",
            "setsar=2",
            "-c:v",
            "mjpeg",
            "-timecode",
            "01:00:00:00",
        ],
        &movie,
    );
    let plate = plan(&movie, 1001);
    assert_eq!((plate.first_frame, plate.last_frame), (1001, 1048));
    let track = camera(RotationOrder::Zxy, 1001, 48, true);
    let spec = SceneSpec::new("plate_v1", &track, &setup(), Some(&plate), None).unwrap();
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    let out = dir.path().join("scène $(touch pwned)\nsecond line.blend");
    let report = build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap();
    assert_eq!(report.fps, [24000, 1001]);
    assert_eq!(
        (report.blender_fps, report.blender_fps_base),
        (24000, 1001.0)
    );
    assert!(!dir.path().join("pwned").exists());
    assert!(!Path::new("pwned").exists());

    let facts = inspect(&blender, &out);
    let scene = &facts.scene;
    assert_eq!((scene.frame_start, scene.frame_end), (1001, 1048));
    assert_eq!(scene.resolution, [320, 180]);
    assert_eq!(scene.resolution_percentage, 100);
    assert_eq!(scene.pixel_aspect, [2.0, 1.0]);
    let clip = scene.clip.as_ref().expect("the scene's active clip");
    assert_eq!(clip.source, "MOVIE");
    assert_eq!(clip.frame_start, 1001);
    assert_eq!(clip.frame_duration, 48);
    assert_eq!(clip.size, [320, 180]);
    // Absolute, exactly the plate's path (Blender would make it relative on save).
    assert_eq!(Path::new(&clip.filepath), movie);
    let cam = &facts.camera;
    assert!(cam.show_background_images);
    assert_eq!(cam.background_images.len(), 1);
    assert_eq!(cam.background_images[0].source, "MOVIE_CLIP");
    assert_eq!(
        cam.background_images[0].clip.as_deref(),
        Some(clip.name.as_str())
    );
    assert!(max_relative_error(&cam.matrix_world, &matrices(&track)) <= 1e-5);
}

#[test]
fn relative_paths_when_asked() {
    let blender = require_blender!();
    let Some(ffmpeg) = common::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let movie = small_movie(&ffmpeg, &dir.path().join("plate.mp4"), 10);
    let plate = plan(&movie, 1);
    let track = camera(RotationOrder::Zxy, 1, 10, true);
    let spec = SceneSpec::new("p", &track, &setup(), Some(&plate), None).unwrap();
    let out = dir.path().join("shot.blend");
    let options = BuildOptions {
        relative_paths: true,
        ..BuildOptions::default()
    };
    build_scene(&blender, &spec, &out, &options).unwrap();
    let clip = inspect(&blender, &out).scene.clip.unwrap();
    assert_eq!(clip.filepath, "//plate.mp4");
    assert_eq!(clip.frame_start, 1);
}

#[test]
fn a_1001_based_sequence_with_a_missing_frame_still_builds() {
    let blender = require_blender!();
    let Some(ffmpeg) = common::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    common::ffmpeg_make(
        &ffmpeg,
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=96x54:rate=24",
            "-frames:v",
            "12",
            "-start_number",
            "1001",
        ],
        &frames.join("plate.%04d.png"),
    );
    std::fs::remove_file(frames.join("plate.1006.png")).unwrap();
    let mut options = ProbeOptions::deep();
    options.sequence_frame_rate = tracking_footage::Rational::new(24, 1);
    let pattern = frames.join("plate.####.png");
    let probed = probe(&pattern, &options).unwrap();
    let plate = PlatePlan::from_probe(&probed, &pattern, 1).unwrap();
    assert_eq!((plate.first_frame, plate.last_frame), (1001, 1012));
    assert_eq!(plate.missing_frames, [1006]);
    let track = camera(RotationOrder::Zxy, 1001, 12, true);
    let spec = SceneSpec::new("plate", &track, &setup(), Some(&plate), None).unwrap();
    assert!(
        spec.warnings.iter().any(|w| w.contains("lacks frame 1006")),
        "{:?}",
        spec.warnings
    );
    let out = dir.path().join("seq.blend");
    build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap();
    let facts = inspect(&blender, &out);
    assert_eq!(
        (facts.scene.frame_start, facts.scene.frame_end),
        (1001, 1012)
    );
    let clip = facts.scene.clip.unwrap();
    assert_eq!(clip.source, "SEQUENCE");
    assert_eq!(clip.frame_start, 1001);
    // Blender's sequence reader counts frames up to the first missing one.
    assert_eq!(clip.frame_duration, 5);
    assert_eq!(Path::new(&clip.filepath), frames.join("plate.1001.png"));
}

#[test]
fn a_camera_that_does_not_cover_its_plate_is_keyed_on_its_own_frames() {
    let blender = require_blender!();
    let Some(ffmpeg) = common::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let movie = small_movie(&ffmpeg, &dir.path().join("short.mp4"), 30);
    let plate = plan(&movie, 1001);
    let track = camera(RotationOrder::Zxy, 1011, 10, true);
    let spec = SceneSpec::new("short", &track, &setup(), Some(&plate), None).unwrap();
    assert!(
        spec.warnings
            .iter()
            .any(|w| w.contains("keyed on frames 1011-1020 only"))
    );
    let out = dir.path().join("short.blend");
    let report = build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap();
    assert_eq!(report.frames, [1001, 1030]);
    assert_eq!(report.camera_frames, 10);
    let facts = inspect_blend(
        &blender,
        &out,
        &InspectOptions {
            object: Some("short".into()),
            frame_range: Some([1011, 1020]),
        },
    )
    .unwrap();
    assert_eq!(facts.camera.frame_range, [1011, 1020]);
    assert!(max_relative_error(&facts.camera.matrix_world, &matrices(&track)) <= 1e-5);
}
