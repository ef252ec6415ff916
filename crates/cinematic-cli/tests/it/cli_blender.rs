//! `cinematic blender build|camera` and `shot ingest --blend` end to end: the built
//! binary, the real Blender and ffmpeg, files on disk.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::common::tools_available;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The real Blender: a skip outside CI, a failure under `CI=true`.
fn blender_available() -> bool {
    let found = if cinematic_testkit::runs("blender", &["--version"]) {
        Ok(())
    } else {
        Err("not on PATH (Debian: apt-get install blender)")
    };
    cinematic_testkit::require("blender", found).is_some() && tools_available()
}

fn cinematic(state_root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cinematic").unwrap();
    cmd.arg("--state-root")
        .arg(state_root)
        .env_remove("CINEMATIC_STATE_ROOT")
        .env_remove("CINEMATIC_BLENDER");
    cmd
}

fn run_ok(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn run_err(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        !out.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run inside Blender on a built shot: every unmuted marker against the surveyed point
/// it tracks, projected by Blender's own camera (`world_to_camera_view`) at the
/// marker's scene frame. The points are `examples/make_examples.sh`'s, in Nuke's Y-up
/// world, so `(x, y, z)` is Blender's `(x, -z, y)`.
const MARKERS_ON_POINTS: &str = r#"
import bpy
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector
scene = bpy.context.scene
clip = bpy.data.movieclips[0]
pts = {f"ground {i + 1:02d}": (x, 0.0, z)
       for i, (x, z) in enumerate((x, z) for z in (-3.0, -1.0) for x in (-3.0, -1.0, 1.0, 3.0))}
pts.update({f"post_{i + 1}": (x, 1.2, -2.0) for i, x in enumerate((-2.0, 0.0, 2.0, 4.0))})
width, height = clip.size
worst, count = 0.0, 0
for track in clip.tracking.tracks:
    x, y, z = pts[track.name]
    world = Vector((x, -z, y))
    for marker in track.markers:
        if marker.mute:
            continue
        scene.frame_set(marker.frame + clip.frame_start - 1)
        seen = world_to_camera_view(scene, scene.camera, world)
        worst = max(worst, abs(seen.x - marker.co[0]) * width, abs(seen.y - marker.co[1]) * height)
        count += 1
print(f"MARKERS {count} WORST_PX {worst}")
"#;

fn frames(state: &Path, chan: &Path) -> Vec<Value> {
    let out = run_ok(
        cinematic(state)
            .args(["chan", "import", "--json"])
            .arg(chan),
    );
    serde_json::from_slice(&out).unwrap()
}

/// Largest relative difference of two `chan import --json` lists, matrices and lens.
fn compare(a: &[Value], b: &[Value]) -> (f64, f64) {
    assert_eq!(a.len(), b.len());
    let (mut matrix, mut lens) = (0.0_f64, 0.0_f64);
    for (fa, fb) in a.iter().zip(b) {
        assert_eq!(fa["frame"], fb["frame"]);
        let ma = fa["matrix_world"].as_array().unwrap();
        let mb = fb["matrix_world"].as_array().unwrap();
        for (ra, rb) in ma.iter().zip(mb) {
            for (x, y) in ra.as_array().unwrap().iter().zip(rb.as_array().unwrap()) {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                matrix = matrix.max((x - y).abs() / x.abs().max(1.0));
            }
        }
        let (la, lb) = (fa["lens"].as_f64().unwrap(), fb["lens"].as_f64().unwrap());
        lens = lens.max((la - lb).abs() / la);
    }
    (matrix, lens)
}

#[test]
fn chan_to_blend_to_chan_reproduces_the_camera() {
    if !blender_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let camera = examples().join("camera.chan");
    let blend = dir.path().join("shot 'one' $(touch pwned) ünïcode.blend");
    let out = run_ok(
        cinematic(&state)
            .args([
                "blender",
                "build",
                "--json",
                "--plate-start",
                "1",
                "--plate",
            ])
            .arg(examples().join("plate.mov"))
            .arg("--camera")
            .arg(&camera)
            .arg("-o")
            .arg(&blend),
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    for key in [
        "path",
        "frames",
        "fps",
        "camera",
        "keys",
        "blender_version",
        "seconds",
        "clip",
    ] {
        assert!(report.get(key).is_some(), "{key} missing from {report}");
    }
    assert_eq!(report["frames"], serde_json::json!([1, 96]));
    assert_eq!(report["camera"], "plate");
    assert_eq!(report["keys"], 96 * 7);
    assert!(!dir.path().join("pwned").exists());

    let back = dir.path().join("back.chan");
    run_ok(
        cinematic(&state)
            .args(["blender", "camera"])
            .arg(&blend)
            .arg("-o")
            .arg(&back),
    );
    let (matrix, lens) = compare(&frames(&state, &camera), &frames(&state, &back));
    assert!(matrix <= 1e-5, "matrix_world off by {matrix:e}");
    assert!(lens <= 1e-4, "lens off by {lens:e}");

    // --json prints the keys `chan import --json` prints, and the same numbers.
    let json = run_ok(
        cinematic(&state)
            .args(["blender", "camera", "--json"])
            .arg(&blend),
    );
    let read: Vec<Value> = serde_json::from_slice(&json).unwrap();
    let imported = frames(&state, &camera);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&read[0]), keys(&imported[0]));
    let (matrix, _) = compare(&imported, &read);
    assert!(matrix <= 1e-5);

    // Another rotation order and a frame range.
    let yxz = run_ok(
        cinematic(&state)
            .args([
                "blender",
                "camera",
                "--rotation-order",
                "YXZ",
                "--frame-range",
                "10-19",
            ])
            .arg(&blend),
    );
    assert_eq!(String::from_utf8(yxz).unwrap().lines().count(), 10);
}

#[test]
fn ingest_builds_the_scene_and_a_stored_session_builds_it_again() {
    if !blender_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let blend = dir.path().join("ingest.blend");
    let out = run_ok(
        cinematic(&state)
            .args([
                "shot",
                "ingest",
                "--json",
                "--no-analyze",
                "--frame-offset",
                "1000",
                "--plate",
            ])
            .arg(examples().join("plate.mov"))
            .arg("--camera")
            .arg(examples().join("camera.chan"))
            .arg("--tracks")
            .arg(examples().join("tracks.txt"))
            .arg("--blend")
            .arg(&blend),
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["blend"]["frames"], serde_json::json!([1001, 1096]));
    // The twelve example tracks are on the clip (their keys plus the muted markers
    // that end each track).
    assert_eq!(report["tracks"]["tracks"], 12);
    assert_eq!(report["blend"]["tracks"], 12);
    let keys = report["tracks"]["keys"].as_u64().unwrap();
    assert!(
        report["blend"]["markers"].as_u64().unwrap() > keys,
        "{report}"
    );
    // And they sit on the points they track: the example tracks are surveyed points
    // projected through the example camera the Nuke way (make_examples.sh), read from a
    // 3DE file; here Blender projects the same points through the camera it built.
    let script = dir.path().join("markers_on_points.py");
    std::fs::write(&script, MARKERS_ON_POINTS).unwrap();
    let out = std::process::Command::new("blender")
        .args(["-b", "--factory-startup", "--python-exit-code", "1"])
        .arg(&blend)
        .arg("--python")
        .arg(&script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout.lines().find(|l| l.starts_with("MARKERS ")).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[1].parse::<u64>().unwrap(), keys, "{line}");
    // Blender keeps 32-bit floats: 1e-4 px measured; 0.01 px allowed.
    assert!(fields[3].parse::<f64>().unwrap() < 0.01, "{line}");
    assert_eq!(report["blend"]["warnings"], serde_json::json!([]));
    assert!(blend.is_file());

    // The same output again is refused, and left alone.
    let before = std::fs::read(&blend).unwrap();
    let err = run_err(
        cinematic(&state)
            .args(["blender", "build", "--session", "plate", "-o"])
            .arg(&blend),
    );
    assert!(err.contains("exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&blend).unwrap(), before);

    let again = dir.path().join("session.blend");
    let out = run_ok(
        cinematic(&state)
            .args(["blender", "build", "--json", "--session", "plate", "-o"])
            .arg(&again),
    );
    let from_session: Value = serde_json::from_slice(&out).unwrap();
    for key in [
        "frames",
        "fps",
        "camera",
        "keys",
        "resolution",
        "pixel_aspect",
        "clip",
        "tracks",
        "markers",
    ] {
        assert_eq!(from_session[key], report["blend"][key], "{key}");
    }
}

#[test]
fn a_missing_blender_and_a_text_file_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let text = dir.path().join("cam.blend");
    std::fs::write(&text, "1 0 0 0 0 0 0 40\n").unwrap();
    let err = run_err(
        cinematic(&state)
            .env("CINEMATIC_BLENDER", dir.path().join("no-blender"))
            .args(["blender", "camera"])
            .arg(&text),
    );
    assert!(
        err.contains("Blender not found") && err.contains("install"),
        "{err}"
    );
    if !blender_available() {
        return;
    }
    let err = run_err(cinematic(&state).args(["blender", "camera"]).arg(&text));
    assert!(err.contains("is not a .blend file"), "{err}");
    let err = run_err(
        cinematic(&state)
            .args(["blender", "build", "--session", "nope", "-o"])
            .arg(dir.path().join("x.blend")),
    );
    assert!(err.contains("nope"), "{err}");
}
