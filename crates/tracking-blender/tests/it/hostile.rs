//! Hostile outputs, inputs and Blenders: nothing half-written, every failure typed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tracking_blender::{
    Blender, BlenderError, BuildOptions, CameraSetup, InspectOptions, PlatePlan, SceneSpec,
    build_scene, inspect_blend,
};
use tracking_footage::{FootageKind, Rational};
use tracking_io::{FilmBack, RotationOrder, SensorFit};

use crate::common::{self, camera, fake_blender, names};

fn spec() -> SceneSpec {
    let setup = CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    };
    let track = camera(RotationOrder::Zxy, 1, 5, true);
    SceneSpec::new("cam", &track, &setup, None, Rational::new(24, 1)).unwrap()
}

fn build(blender: &Blender, out: &Path) -> Result<tracking_blender::BuildReport, BlenderError> {
    build_scene(blender, &spec(), out, &BuildOptions::default())
}

#[test]
fn an_existing_output_is_refused_without_force_and_replaced_with_it() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shot.blend");
    std::fs::write(&out, "keep me").unwrap();
    let refused = build(&blender, &out).unwrap_err();
    assert!(
        matches!(refused, BlenderError::OutputExists { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let forced = BuildOptions {
        force: true,
        ..BuildOptions::default()
    };
    build_scene(&blender, &spec(), &out, &forced).unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"BLENDER"));
    assert_eq!(names(dir.path()), ["shot.blend"]);
}

#[test]
fn a_missing_output_directory_is_a_typed_error() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let err = build(&blender, &dir.path().join("no/such/shot.blend")).unwrap_err();
    assert!(matches!(err, BlenderError::File(_)), "{err}");
    assert!(err.to_string().contains("no/such"), "{err}");
}

#[test]
fn a_read_only_output_directory_changes_nothing() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    std::fs::write(shots.join("old.blend"), "old").unwrap();
    let Some(_frozen) = cinematic_testkit::ImmutableTree::new(&shots) else {
        return;
    };
    let err = build(&blender, &shots.join("shot.blend")).unwrap_err();
    assert!(matches!(err, BlenderError::File(_)), "{err}");
    drop(_frozen);
    assert_eq!(names(&shots), ["old.blend"]);
}

#[test]
fn special_files_are_never_replaced() {
    let blender = require_blender!();
    let err = build_scene(
        &blender,
        &spec(),
        Path::new("/dev/null"),
        &BuildOptions {
            force: true,
            ..BuildOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, BlenderError::File(_)), "{err}");
}

#[test]
fn blender_missing_names_the_install() {
    let err = Blender::find(Some(Path::new("/no/such/blender"))).unwrap_err();
    assert!(matches!(err, BlenderError::NotFound { .. }), "{err}");
    assert!(
        err.to_string().contains("apt-get install blender") || err.to_string().contains("install"),
        "{err}"
    );
}

fn fake(dir: &Path, body: &str) -> Blender {
    Blender::find(Some(&fake_blender(dir, body))).unwrap()
}

#[test]
fn blender_exiting_non_zero_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let blender = fake(dir.path(), "echo 'Error: out of cheese' >&2\nexit 3");
    let shots = dir.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    let err = build(&blender, &shots.join("shot.blend")).unwrap_err();
    match &err {
        BlenderError::ScriptFailed {
            exit_code,
            last_lines,
            ..
        } => {
            assert_eq!(*exit_code, Some(3));
            assert_eq!(last_lines, &["Error: out of cheese"]);
        }
        other => panic!("{other}"),
    }
    assert!(names(&shots).is_empty());
}

#[test]
fn blender_killed_mid_run_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Writes half a file where the output goes, then dies by SIGKILL.
    let blender = fake(
        dir.path(),
        "out=$(sed -n 's/.*\"output\":\"\\([^\"]*\\)\".*/\\1/p' \"$9\")\nprintf BLENDER > \"$out\"\nkill -9 $$",
    );
    let shots = dir.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    let err = build(&blender, &shots.join("shot.blend")).unwrap_err();
    assert!(matches!(err, BlenderError::Killed { .. }), "{err}");
    assert!(names(&shots).is_empty(), "{:?}", names(&shots));
}

#[test]
fn a_hung_blender_is_killed_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let blender = fake(dir.path(), "exec sleep 60").with_timeout(Duration::from_millis(500));
    let shots = dir.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    let err = build(&blender, &shots.join("shot.blend")).unwrap_err();
    assert!(matches!(err, BlenderError::Timeout { .. }), "{err}");
    assert!(names(&shots).is_empty());
}

#[test]
fn a_python_error_inside_blender_carries_its_traceback() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let mut spec = spec();
    let plate = PlatePlan {
        path: PathBuf::from("/no/such/plate.mov"),
        kind: FootageKind::Movie,
        first_frame: 1,
        last_frame: 5,
        missing_frames: Vec::new(),
        rate: Rational::new(24, 1).unwrap(),
        size: [64, 36],
        pixel_aspect: Rational::new(1, 1).unwrap(),
        rotation_cw: 0,
    };
    let setup = CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    };
    spec = SceneSpec::new(
        "cam",
        &camera(RotationOrder::Zxy, 1, 5, true),
        &setup,
        Some(&plate),
        None,
    )
    .unwrap_or(spec);
    let out = dir.path().join("shot.blend");
    let err = build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap_err();
    match &err {
        BlenderError::ScriptFailed {
            exit_code,
            last_lines,
            ..
        } => {
            assert_eq!(*exit_code, Some(1));
            assert!(last_lines[0].contains("Traceback"), "{last_lines:?}");
            assert!(
                last_lines.iter().any(|l| l.contains("cinematic_scene.py")),
                "{last_lines:?}"
            );
            assert!(
                last_lines.iter().any(|l| l.contains("plate.mov")),
                "{last_lines:?}"
            );
        }
        other => panic!("{other}"),
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn not_a_blend_and_a_broken_blend_are_typed_errors() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("cam.blend");
    std::fs::write(&text, "1 0 0 0 0 0 0 40\n").unwrap();
    let err = inspect_blend(&blender, &text, &InspectOptions::default()).unwrap_err();
    assert!(matches!(err, BlenderError::NotABlend { .. }), "{err}");
    let broken = dir.path().join("broken.blend");
    std::fs::write(&broken, b"BLENDER-v304REND\0\0\0\0garbage").unwrap();
    let err = inspect_blend(&blender, &broken, &InspectOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            BlenderError::CannotOpen { .. } | BlenderError::ScriptFailed { .. }
        ),
        "{err}"
    );
    let fifo = dir.path().join("fifo.blend");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err = inspect_blend(&blender, &fifo, &InspectOptions::default()).unwrap_err();
    assert!(matches!(err, BlenderError::File(_)), "{err}");
}

#[test]
fn a_missing_camera_lists_the_cameras_there_are() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shot.blend");
    build(&blender, &out).unwrap();
    let err = inspect_blend(
        &blender,
        &out,
        &InspectOptions {
            object: Some("Camera.001".into()),
            frame_range: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, BlenderError::NoCamera { .. }), "{err}");
    assert!(
        err.to_string().contains("Camera.001") && err.to_string().contains("cam"),
        "{err}"
    );
}
