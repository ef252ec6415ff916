//! `cinematic analyze` end to end: real binary, real ffprobe/ffmpeg, media made by the
//! real ffmpeg.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use common::tools_available;
use serde_json::Value;

/// 24 frames of 320×240 `testsrc2` in lossless FFV1 (decoded pixels are identical on
/// every ffmpeg, so the measurements in the snapshot are stable).
fn clip(dir: &Path, name: &str) -> PathBuf {
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
        .args([
            "testsrc2=size=320x240:rate=24",
            "-frames:v",
            "24",
            "-c:v",
            "ffv1",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    out
}

fn cinematic(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cinematic").unwrap();
    cmd.current_dir(dir)
        .env("CINEMATIC_STATE_ROOT", dir.join("state"));
    cmd
}

/// Round every float to 3 decimals and blank the machine-dependent fields (timings,
/// the temp path), keeping only the first two samples.
fn stable(mut report: Value) -> Value {
    fn round(v: &mut Value) {
        match v {
            Value::Number(n) if n.is_f64() => {
                let x = n.as_f64().unwrap();
                *v = serde_json::json!((x * 1000.0).round() / 1000.0);
            }
            Value::Array(items) => items.iter_mut().for_each(round),
            Value::Object(map) => map.values_mut().for_each(round),
            _ => {}
        }
    }
    for key in ["probe_ms", "decode_ms", "metrics_ms", "idet_ms", "total_ms"] {
        report["timings"][key] = Value::String("[ms]".into());
    }
    report["path"] = Value::String("[path]".into());
    report["content"]["samples"]
        .as_array_mut()
        .unwrap()
        .truncate(2);
    round(&mut report);
    report
}

#[test]
fn analyze_json_has_the_report_shape() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    clip(dir.path(), "plate.mkv");
    let out = cinematic(dir.path())
        .args(["analyze", "plate.mkv", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["path"], "plate.mkv");
    assert_eq!(report["metadata"]["filename"], "plate.mkv");
    assert_eq!(report["content"]["strategy"], "sequential");
    assert_eq!(report["findings"][0]["code"], "low_resolution");
    insta::assert_json_snapshot!("analyze_one_clip", stable(report));
}

#[test]
fn analyze_prints_a_table_of_findings_with_recommendations() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    clip(dir.path(), "plate.mkv");
    let out = cinematic(dir.path())
        .args(["analyze", "plate.mkv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("plate.mkv: trackability fair (score "),
        "{text}"
    );
    assert!(
        lines[1].contains("320x240, 24.000 fps, 24 frames, ffv1 8-bit"),
        "{text}"
    );
    let header = lines
        .iter()
        .position(|l| l.starts_with("SEVERITY"))
        .expect("table header");
    assert!(lines[header].contains("CODE") && lines[header].contains("FINDING"));
    assert!(
        lines[header + 1].starts_with("warning   low_resolution"),
        "{text}"
    );
    assert!(
        lines[header + 2]
            .trim_start()
            .starts_with("→ use the highest-resolution"),
        "{text}"
    );
    assert!(text.contains("\ntimings: probe "), "{text}");
}

#[test]
fn analyze_full_measures_every_frame() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    clip(dir.path(), "plate.mkv");
    let out = cinematic(dir.path())
        .args(["analyze", "plate.mkv", "--full", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["tier"], "full");
    assert_eq!(report["content"]["strategy"], "every_frame");
    assert_eq!(report["content"]["frames_decoded"], 24);
    assert_eq!(report["content"]["samples"].as_array().unwrap().len(), 24);
}

#[test]
fn analyze_of_a_missing_file_fails_with_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let assert = cinematic(dir.path())
        .args(["analyze", "nope.mov", "--json"])
        .assert()
        .failure();
    let output = assert.get_output();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot analyse nope.mov\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("caused by: nope.mov: no such file"),
        "{stderr}"
    );
}

#[test]
fn analyze_rejects_a_bad_frame_rate() {
    let dir = tempfile::tempdir().unwrap();
    cinematic(dir.path())
        .args(["analyze", "x.mov", "--fps=0"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("not a positive frame rate"));
}

#[test]
fn analyze_of_a_sequence_with_mixed_paddings_reports_a_mixed_padding_finding() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let status = StdCommand::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y"])
        .args(["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=24"])
        .args(["-frames:v", "6", "-start_number", "1"])
        .arg(dir.path().join("plate.%04d.png"))
        .status()
        .unwrap();
    assert!(status.success());
    // A stray unpadded render of frame 7 beside the padded sequence.
    std::fs::copy(
        dir.path().join("plate.0006.png"),
        dir.path().join("plate.7.png"),
    )
    .unwrap();
    let out = cinematic(dir.path())
        .args(["analyze", "--fps", "24", "plate.####.png"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("warning   mixed_padding"))
        .unwrap_or_else(|| panic!("no mixed_padding row in {text}"));
    assert!(
        row.contains("frames of plate.*.png have 2 paddings (plate.#.png: 1 frame, plate.####.png: 6 frames); using plate.####.png (the padding the pattern names)"),
        "{row}"
    );
    // The directory names no padding: the largest group (padding 4) is read.
    let out = cinematic(dir.path())
        .args(["analyze", "--json", "--fps", "24", "."])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "mixed_padding")
        .expect("a mixed_padding finding");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["evidence"]["values"]["paddings"], "1:1,4:6");
    assert_eq!(finding["evidence"]["values"]["padding_used"], 4.0);
}
