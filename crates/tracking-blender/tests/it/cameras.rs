//! Cameras in every rotation order and at every common rate, built and read back.

use tracking_blender::{BuildOptions, CameraSetup, SceneSpec, build_scene};
use tracking_footage::Rational;
use tracking_io::{FilmBack, RotationOrder, SensorFit};

use crate::common::{self, camera, inspect, matrices, max_relative_error};

fn setup() -> CameraSetup {
    CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    }
}

/// Build `order`'s camera at `rate`, reopen the file in another Blender run and compare
/// every frame: matrix_world (1e-5 relative), lens (1e-4), fps exact, keys linear.
fn round_trip(order: RotationOrder, num: i64, den: i64, vfov: bool) {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let track = camera(order, 1001, 120, vfov);
    let rate = Rational::new(num, den).unwrap();
    let mut setup = setup();
    if !vfov {
        setup.focal_length_mm = Some(35.0);
    }
    let spec = SceneSpec::new("shot_010", &track, &setup, None, Some(rate)).unwrap();
    let out = dir.path().join("shot.blend");
    let report = build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap();
    assert_eq!(report.frames, [1001, 1120]);
    assert_eq!(report.fps, [num, den]);
    assert!(report.fps_exact);
    assert_eq!(report.keys, 120 * (6 + u64::from(vfov)));
    assert_eq!(common::names(dir.path()), ["shot.blend"]);

    let facts = inspect(&blender, &out);
    let scene = &facts.scene;
    assert_eq!((scene.frame_start, scene.frame_end), (1001, 1120));
    assert_eq!(
        f64::from(scene.fps) / scene.fps_base,
        num as f64 / den as f64,
        "{num}/{den} stored as {} / {}",
        scene.fps,
        scene.fps_base
    );
    assert_eq!(scene.camera.as_deref(), Some("shot_010"));
    let cam = &facts.camera;
    assert_eq!(cam.interpolations, ["LINEAR"]);
    assert_eq!(cam.rotation_mode, "XYZ");
    assert_eq!(cam.sensor_fit, "HORIZONTAL");
    assert!((cam.sensor_width - 24.576).abs() < 1e-5);
    assert!((cam.sensor_height - 18.672).abs() < 1e-5);
    let error = max_relative_error(&cam.matrix_world, &matrices(&track));
    assert!(error <= 1e-5, "{order}: matrix_world off by {error:e}");
    let lenses: Vec<f64> = track
        .frames
        .iter()
        .map(|f| f.lens_mm.unwrap_or(35.0))
        .collect();
    let lens_error = max_relative_error(&cam.lens, &lenses);
    assert!(lens_error <= 1e-4, "{order}: lens off by {lens_error:e}");
    assert_eq!(cam.lens_key_count, if vfov { 120 } else { 0 });

    // The same camera comes back as a track, in Blender's world with continuity.
    let back = cam.to_track(&out).unwrap();
    assert_eq!(back.frames.len(), track.frames.len());
    for (got, want) in back.frames.iter().zip(&track.frames) {
        assert_eq!(got.frame, want.frame);
        for (g, w) in got
            .rotation_euler_xyz_deg
            .iter()
            .zip(&want.rotation_euler_xyz_deg)
        {
            assert!(
                (g - w).abs() < 1e-3,
                "{order} frame {}: euler {g} vs {w}",
                got.frame
            );
        }
    }
}

#[test]
fn zxy_at_24000_1001_with_a_zoom() {
    round_trip(RotationOrder::Zxy, 24000, 1001, true);
}

#[test]
fn xyz_at_24_without_a_vfov_column() {
    round_trip(RotationOrder::Xyz, 24, 1, false);
}

#[test]
fn xzy_at_25() {
    round_trip(RotationOrder::Xzy, 25, 1, true);
}

#[test]
fn yxz_at_30000_1001() {
    round_trip(RotationOrder::Yxz, 30000, 1001, true);
}

#[test]
fn yzx_at_60000_1001() {
    round_trip(RotationOrder::Yzx, 60000, 1001, true);
}

#[test]
fn zyx_at_48() {
    round_trip(RotationOrder::Zyx, 48, 1, true);
}

/// Parenting (with scale) and constraints are applied: the evaluated world matrix is
/// what comes back, scale removed.
#[test]
fn a_parented_constrained_camera_is_read_as_evaluated() {
    let blender = require_blender!();
    let dir = tempfile::tempdir().unwrap();
    let blend = dir.path().join("rig.blend");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/blender/parented_camera.py");
    let made = std::process::Command::new(blender.program())
        .args([
            "-b",
            "--factory-startup",
            "--python-exit-code",
            "1",
            "--python",
        ])
        .arg(&script)
        .arg("--")
        .arg(&blend)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let facts = inspect(&blender, &blend);
    assert_eq!(facts.camera.object, "shotcam");
    assert_eq!(facts.camera.cameras, ["shotcam", "witness"]);
    let track = facts.camera.to_track(&blend).unwrap();
    let rotation =
        nalgebra::Rotation3::from_axis_angle(&nalgebra::Vector3::z_axis(), 90_f64.to_radians())
            * nalgebra::Rotation3::from_axis_angle(
                &nalgebra::Vector3::x_axis(),
                90_f64.to_radians(),
            );
    for frame in &track.frames {
        let f = frame.frame as f64;
        let want = [1.0, 2.0, (5.0 + f).min(7.5)];
        for (g, w) in frame.location.iter().zip(want) {
            assert!(
                (g - w).abs() < 1e-5,
                "frame {f}: location {:?} vs {want:?}",
                frame.location
            );
        }
        let got = frame.rotation();
        assert!(
            (got.matrix() - rotation.matrix()).abs().max() < 1e-6,
            "frame {f}"
        );
        assert!((frame.lens_mm.unwrap() - 50.0).abs() < 1e-4);
    }
    let witness = tracking_blender::inspect_blend(
        &blender,
        &blend,
        &tracking_blender::InspectOptions {
            object: Some("witness".into()),
            frame_range: Some([2, 3]),
        },
    )
    .unwrap();
    assert_eq!(witness.camera.object, "witness");
    assert_eq!(witness.camera.lens.len(), 2);
}
