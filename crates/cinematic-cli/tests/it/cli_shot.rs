//! `cinematic shot ingest|status` end to end: the built binary on the bundled examples
//! and on media made by the real ffmpeg, a real state root on disk.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use common::tools_available;
use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn cinematic(state_root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cinematic").unwrap();
    cmd.arg("--state-root")
        .arg(state_root)
        .env_remove("CINEMATIC_STATE_ROOT");
    cmd
}

fn ingest_json(state_root: &Path, extra: &[&str]) -> Value {
    let out = cinematic(state_root)
        .args(["shot", "ingest", "--json", "--plate"])
        .arg(examples().join("plate.mov"))
        .arg("--camera")
        .arg(examples().join("camera.chan"))
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(findings: &Value) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn clip(dir: &Path, name: &str, frames: u32) -> PathBuf {
    let out = dir.join(name);
    let status = StdCommand::new("ffmpeg")
        .args([
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
        ])
        .arg(format!(
            "testsrc2=size=320x180:rate=24:duration={}",
            f64::from(frames) / 24.0
        ))
        .args(["-c:v", "libx264", "-pix_fmt", "yuv420p"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    out
}

fn chan(dir: &Path, name: &str, frames: std::ops::RangeInclusive<i64>) -> PathBuf {
    let path = dir.join(name);
    let text: String = frames
        .map(|f| {
            format!(
                "{f}\t{}\t1.5\t4\t-5\t{}\t0\t40.0\n",
                f64::from(i32::try_from(f).unwrap()) * 0.01,
                f % 30
            )
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// The example camera with a non-number in line 3's tx column, as `dir/bad.chan`.
fn camera_with_bad_line_3(dir: &Path) -> PathBuf {
    let camera = dir.join("bad.chan");
    let text = std::fs::read_to_string(examples().join("camera.chan"))
        .unwrap()
        .replacen("\n3\t", "\n3\tabc\t", 1);
    std::fs::write(&camera, text).unwrap();
    camera
}

#[test]
fn ingesting_the_examples_reports_the_offset_and_stores_a_loadable_session() {
    if !tools_available() {
        return;
    }
    let state = tempfile::tempdir().unwrap();
    let report = ingest_json(state.path(), &[]);

    assert_eq!(report["session_id"], "plate");
    let plate = &report["plate"];
    assert_eq!(plate["first_frame"], 1001);
    assert_eq!(plate["last_frame"], 1096);
    assert_eq!(plate["frame_count"], 96);
    assert_eq!(plate["frame_rate"], "24/1");
    assert_eq!(plate["timecode"], "00:00:41:17");
    assert_eq!(plate["numbering"], "convention");
    assert_eq!(plate["vfr"], "constant");
    let camera = &report["camera"];
    assert_eq!(camera["frames"], 96);
    assert_eq!(camera["frame_range"], serde_json::json!([1, 96]));
    // The vfov column on an 18.672 mm vertical aperture: a 35 -> 50 mm zoom.
    let focal = camera["focal_range_mm"].as_array().unwrap();
    assert!(
        (focal[0].as_f64().unwrap() - 35.0).abs() < 1e-9,
        "{focal:?}"
    );
    assert!(
        (focal[1].as_f64().unwrap() - 50.0).abs() < 1e-9,
        "{focal:?}"
    );

    assert_eq!(
        codes(&report["findings"]),
        ["frame_offset", "film_back_aspect"]
    );
    assert_eq!(report["findings"][0]["evidence"]["suggested_offset"], 1000);
    assert_eq!(report["analysis"]["metadata"]["motion_blur_level"], "low");
    assert_eq!(report["stored"]["changed"], true);
    assert_eq!(report["stored"]["session_revision"], 1);

    // The stored session is what `session show` and the status command read back.
    let shown = cinematic(state.path())
        .args(["session", "show", "plate", "--json"])
        .output()
        .unwrap();
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let session: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(session["frame_start"], 1001);
    assert_eq!(session["frame_end"], 1096);
    assert!(
        session["footage_path"]
            .as_str()
            .unwrap()
            .ends_with("plate.mov")
    );

    let status = cinematic(state.path())
        .args(["shot", "status", "--json"])
        .output()
        .unwrap();
    assert!(status.status.success());
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["session"]["session_id"], "plate");
    assert_eq!(status["solve"]["frames"], 96);
    assert_eq!(status["solve"]["frame_range"], serde_json::json!([1, 96]));
    assert_eq!(status["footage"]["duration_frames"], 96);
    assert_eq!(codes(&status["findings"])[0], "frame_offset");
}

#[test]
fn the_suggested_offset_lines_the_camera_up_and_reingesting_changes_nothing() {
    if !tools_available() {
        return;
    }
    let state = tempfile::tempdir().unwrap();
    let args = [
        "--frame-offset",
        "1000",
        "--sensor-width",
        "33.195",
        "--no-analyze",
    ];
    let first = ingest_json(state.path(), &args);
    assert!(
        codes(&first["findings"]).is_empty(),
        "{}",
        first["findings"]
    );
    assert_eq!(
        first["camera"]["frame_range"],
        serde_json::json!([1001, 1096])
    );
    let session_file = state.path().join("sessions/plate.yaml");
    let before = std::fs::read(&session_file).unwrap();

    let again = ingest_json(state.path(), &args);
    assert_eq!(again["stored"]["changed"], false);
    assert_eq!(again["stored"]["session_revision"], 1);
    assert_eq!(
        std::fs::read(&session_file).unwrap(),
        before,
        "re-ingest rewrote the session"
    );
}

#[test]
fn reingesting_keeps_the_artists_tracks_and_current_frame() {
    if !tools_available() {
        return;
    }
    let state = tempfile::tempdir().unwrap();
    ingest_json(state.path(), &["--no-analyze"]);
    let session_file = state.path().join("sessions/plate.yaml");
    let edited = std::fs::read_to_string(&session_file)
        .unwrap()
        .replace("current_frame: 1001", "current_frame: 1042")
        .replace(
            "tracks: []",
            "tracks:\n- name: Track.001\n  markers:\n    '1042':\n    - 0.5\n    - 0.25",
        );
    std::fs::write(&session_file, edited).unwrap();

    let report = ingest_json(state.path(), &["--no-analyze", "--frame-offset", "1000"]);
    assert_eq!(
        report["stored"]["session_revision"], 1,
        "only the solve changed"
    );
    let shown = cinematic(state.path())
        .args(["session", "show", "plate", "--json"])
        .output()
        .unwrap();
    let session: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(session["current_frame"], 1042);
    assert_eq!(session["tracks"][0]["name"], "Track.001");
}

#[test]
fn mismatched_ranges_name_the_frames_each_side_lacks() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plate = clip(dir.path(), "short.mov", 24);
    let camera = chan(dir.path(), "cam.chan", 1001..=1030);
    let out = cinematic(&dir.path().join("state"))
        .args([
            "shot",
            "ingest",
            "--json",
            "--no-analyze",
            "--id",
            "sh020",
            "--sensor-width",
            "32",
            "--sensor-height",
            "18",
            "--plate",
        ])
        .arg(&plate)
        .arg("--camera")
        .arg(&camera)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["session_id"], "sh020");
    assert_eq!(report["plate"]["last_frame"], 1024);
    let findings = &report["findings"];
    assert_eq!(
        codes(findings),
        ["frame_count_mismatch", "camera_frames_without_plate"]
    );
    assert_eq!(findings[1]["evidence"]["frames"], "1025-1030");
    assert_eq!(findings[1]["evidence"]["count"], 6);
}

#[test]
fn a_plate_that_cannot_be_read_fails_cleanly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plate = dir.path().join("notavideo.mov");
    std::fs::write(&plate, "this is text, not a movie\n").unwrap();
    let state = dir.path().join("state");
    let out = cinematic(&state)
        .args(["shot", "ingest", "--plate"])
        .arg(&plate)
        .arg("--camera")
        .arg(examples().join("camera.chan"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot read the plate"),
        "{stderr}"
    );
    assert!(stderr.contains("notavideo.mov"), "{stderr}");
    assert!(
        !state.join("sessions").exists()
            || std::fs::read_dir(state.join("sessions"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn a_camera_file_with_a_bad_line_names_the_line() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let camera = camera_with_bad_line_3(dir.path());
    let state = dir.path().join("state");
    let out = cinematic(&state)
        .args(["shot", "ingest", "--no-analyze", "--plate"])
        .arg(examples().join("plate.mov"))
        .arg("--camera")
        .arg(&camera)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The position is on the first line, with the context.
    let first = stderr.lines().next().unwrap();
    assert!(
        first.starts_with("error: cannot import the camera"),
        "{stderr}"
    );
    assert!(
        first.contains("bad.chan:3:3: field tx is not a number: \"abc\""),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!state.join("sessions/plate.yaml").exists());
}

#[test]
fn a_lenient_ingest_reports_the_lines_it_skipped() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let camera = camera_with_bad_line_3(dir.path());
    let out = cinematic(&dir.path().join("state"))
        .args([
            "shot",
            "ingest",
            "--json",
            "--no-analyze",
            "--lenient",
            "--plate",
        ])
        .arg(examples().join("plate.mov"))
        .arg("--camera")
        .arg(&camera)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = &report["findings"];
    assert_eq!(codes(findings)[0], "camera_lines_skipped");
    assert!(
        findings[0]["evidence"]["lines"][0]
            .as_str()
            .unwrap()
            .contains("bad.chan:3:3")
    );
    assert_eq!(report["camera"]["frames"], 95);
    assert!(
        codes(findings).contains(&"camera_gaps".to_owned()),
        "{findings}"
    );
}

#[test]
fn a_state_root_that_cannot_be_written_is_a_clear_error() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the state root should be: no permission trick (tests may run
    // as root), the file system itself refuses.
    let blocker = dir.path().join("state");
    std::fs::write(&blocker, "not a directory").unwrap();
    let out = cinematic(&blocker)
        .args(["shot", "ingest", "--no-analyze", "--plate"])
        .arg(examples().join("plate.mov"))
        .arg("--camera")
        .arg(examples().join("camera.chan"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: session store at"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a directory"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn status_without_sessions_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = cinematic(dir.path())
        .args(["shot", "status"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: no session is stored under"),
        "{stderr}"
    );
}

/// Ingest probes the plate once (the deep probe: one ffprobe for the streams, one for
/// the packets) and the analysis reuses it. Counted with a wrapper standing in for
/// ffprobe (`CINEMATIC_FFPROBE`) that logs each start, then execs the real one.
#[cfg(unix)]
#[test]
fn an_ingest_probes_the_plate_once_and_the_analysis_reuses_it() {
    use std::os::unix::fs::PermissionsExt;
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("spawns.log");
    let wrapper = dir.path().join("ffprobe-counting");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec ffprobe \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.path().join("state");
    let out = cinematic(&state)
        .env("CINEMATIC_FFPROBE", &wrapper)
        .args(["shot", "ingest", "--json", "--plate"])
        .arg(examples().join("plate.mov"))
        .arg("--camera")
        .arg(examples().join("camera.chan"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["analysis"]["metadata"]["motion_blur_level"], "low");
    let spawns = std::fs::read_to_string(&log).unwrap();
    assert_eq!(spawns.lines().count(), 2, "ffprobe runs:\n{spawns}");
}

/// Ingest `plate` with `camera` as session `sh010`; the output.
fn ingest_as_sh010(
    state: &Path,
    plate: &Path,
    camera: &Path,
    extra: &[&str],
) -> std::process::Output {
    cinematic(state)
        .args(["shot", "ingest", "--no-analyze", "--id", "sh010", "--plate"])
        .arg(plate)
        .arg("--camera")
        .arg(camera)
        .args(extra)
        .output()
        .unwrap()
}

fn set_current_frame(state: &Path, frame: i64) {
    let file = state.join("sessions/sh010.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("current_frame:"))
        .unwrap()
        .to_owned();
    std::fs::write(
        &file,
        text.replace(&line, &format!("current_frame: {frame}")),
    )
    .unwrap();
}

#[test]
fn ingesting_another_plate_into_an_existing_session_needs_force_and_says_what_changes() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let first_plate = examples().join("plate.mov");
    let first = ingest_as_sh010(&state, &first_plate, &examples().join("camera.chan"), &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    set_current_frame(&state, 1050);
    let stored: Vec<Vec<u8>> = ["sessions", "solves", "footage"]
        .iter()
        .map(|d| std::fs::read(state.join(d).join("sh010.yaml")).unwrap())
        .collect();

    let other_plate = clip(dir.path(), "other.mov", 24);
    let other_camera = chan(dir.path(), "other.chan", 1001..=1024);
    let refused = ingest_as_sh010(&state, &other_plate, &other_camera, &[]);
    assert!(!refused.status.success());
    assert!(refused.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    let first_line = stderr.lines().next().unwrap();
    assert!(first_line.starts_with("error: session sh010 "), "{stderr}");
    for part in [
        format!("{} → {}", first_plate.display(), other_plate.display()),
        "frames 1001-1096 → 1001-1024".to_owned(),
        "--force".to_owned(),
    ] {
        assert!(first_line.contains(&part), "no {part:?} in {stderr}");
    }
    let after: Vec<Vec<u8>> = ["sessions", "solves", "footage"]
        .iter()
        .map(|d| std::fs::read(state.join(d).join("sh010.yaml")).unwrap())
        .collect();
    assert!(after == stored, "a refused ingest changed the stored shot");

    // --force re-points it, says so, and resets a current frame the new range lacks.
    let forced = ingest_as_sh010(&state, &other_plate, &other_camera, &["--force", "--json"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let warning = String::from_utf8_lossy(&forced.stderr);
    assert!(
        warning.starts_with("warning: session sh010 re-pointed")
            && warning.contains("reset to 1001"),
        "{warning}"
    );
    let report: Value = serde_json::from_slice(&forced.stdout).unwrap();
    let change = &report["plate_change"];
    assert_eq!(
        change["old_footage_path"],
        first_plate.display().to_string()
    );
    assert_eq!(
        change["new_footage_path"],
        other_plate.display().to_string()
    );
    assert_eq!(change["old_frame_range"], serde_json::json!([1001, 1096]));
    assert_eq!(change["new_frame_range"], serde_json::json!([1001, 1024]));
    assert_eq!(change["old_current_frame"], 1050);
    assert_eq!(change["current_frame"], 1001);
    let shown = cinematic(&state)
        .args(["session", "show", "sh010", "--json"])
        .output()
        .unwrap();
    let session: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(session["footage_path"], other_plate.display().to_string());
    assert_eq!(session["frame_end"], 1024);
    assert_eq!(session["current_frame"], 1001);

    // Back to the first plate: a current frame inside the new range is kept, and the
    // human report says what changed.
    set_current_frame(&state, 1010);
    let back = ingest_as_sh010(
        &state,
        &first_plate,
        &examples().join("camera.chan"),
        &["--force"],
    );
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let text = String::from_utf8_lossy(&back.stdout);
    assert!(
        text.contains("re-pointed (--force)") && text.contains("current frame 1010 kept"),
        "{text}"
    );
    // The same plate again needs no --force and reports no change.
    let again = ingest_as_sh010(
        &state,
        &first_plate,
        &examples().join("camera.chan"),
        &["--json"],
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(report.get("plate_change").is_none(), "{report}");
    assert_eq!(report["stored"]["changed"], false);
}

#[test]
fn a_new_frame_range_for_the_same_plate_needs_force_too() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let plate = examples().join("plate.mov");
    let camera = examples().join("camera.chan");
    assert!(
        ingest_as_sh010(&state, &plate, &camera, &[])
            .status
            .success()
    );
    let refused = ingest_as_sh010(&state, &plate, &camera, &["--plate-start", "1"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("(unchanged)") && stderr.contains("frames 1001-1096 → 1-96"),
        "{stderr}"
    );
    assert!(
        ingest_as_sh010(&state, &plate, &camera, &["--plate-start", "1", "--force"])
            .status
            .success()
    );
}

#[test]
fn a_camera_without_fov_reports_the_given_focal_length_not_null() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let camera = dir.path().join("nofov.chan");
    let text: String = (1001..=1096)
        .map(|f| format!("{f} 0 1.5 4 -5 0 0\n"))
        .collect();
    std::fs::write(&camera, text).unwrap();
    let out = ingest_as_sh010(
        &dir.path().join("state"),
        &examples().join("plate.mov"),
        &camera,
        &["--json", "--focal-length", "35"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["camera"]["focal_range_mm"],
        serde_json::json!([35.0, 35.0])
    );
    // `analysis: null` (not run) is an absent object; a number is never null.
    fn null_in_array(value: &Value) -> bool {
        match value {
            Value::Array(items) => items.iter().any(|v| v.is_null() || null_in_array(v)),
            Value::Object(map) => map.values().any(null_in_array),
            _ => false,
        }
    }
    assert!(!null_in_array(&report), "{stdout}");
}
