//! `cinematic chan import|export` end to end: the JSON contract (snapshot), agreement
//! with Blender's own importer, the summary line, options, errors, and export.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tracking-io/tests/fixtures")
        .join(name)
}

fn cinematic() -> Command {
    Command::cargo_bin("cinematic").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let output = cinematic().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Rounds every float to 9 decimals so the snapshot pins the contract, not libm's
/// last bits.
fn rounded(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let x = (n.as_f64().unwrap() * 1e9).round() / 1e9;
            serde_json::json!(if x == 0.0 { 0.0 } else { x })
        }
        Value::Array(items) => Value::Array(items.iter().map(rounded).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), rounded(v))).collect())
        }
        other => other.clone(),
    }
}

#[test]
fn import_json_prints_one_object_per_frame_with_the_oracle_keys() {
    let path = fixture("valid/nuke_vectors_zxy.chan");
    let stdout = stdout_of(&["chan", "import", path.to_str().unwrap(), "--json"]);
    let frames: Value = serde_json::from_str(&stdout).unwrap();
    let frames = frames.as_array().unwrap();
    assert_eq!(frames.len(), 8);
    for frame in frames {
        let keys: Vec<&str> = frame
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "frame",
                "lens",
                "location",
                "matrix_world",
                "rotation_euler_xyz_deg"
            ]
        );
    }
    insta::assert_json_snapshot!(
        "import_nuke_vectors_zxy",
        rounded(&Value::Array(frames.clone()))
    );
}

#[test]
fn import_json_agrees_with_blenders_own_importer() {
    for (oracle, args) in [
        ("valid/blender34_zxy_zup_nuke_gate.json", vec![]),
        (
            "valid/blender34_xyz_zup_addon_defaults.json",
            vec![
                "--rotation-order",
                "XYZ",
                "--sensor-width",
                "32",
                "--sensor-height",
                "18",
            ],
        ),
        (
            "valid/blender34_yxz_yup_36x24.json",
            vec![
                "--rotation-order",
                "YXZ",
                "--no-z-up",
                "--sensor-width",
                "36",
                "--sensor-height",
                "24",
            ],
        ),
    ] {
        let path = fixture("valid/nuke_vectors_zxy.chan");
        let mut all = vec!["chan", "import", path.to_str().unwrap(), "--json"];
        all.extend(args);
        let ours: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
        let theirs: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture(oracle)).unwrap()).unwrap();
        for (o, t) in ours
            .as_array()
            .unwrap()
            .iter()
            .zip(theirs.as_array().unwrap())
        {
            assert_eq!(o["frame"], t["frame"]);
            assert!((o["lens"].as_f64().unwrap() - t["lens"].as_f64().unwrap()).abs() < 1e-4);
            for (ro, rt) in o["matrix_world"]
                .as_array()
                .unwrap()
                .iter()
                .zip(t["matrix_world"].as_array().unwrap())
            {
                for (a, b) in ro.as_array().unwrap().iter().zip(rt.as_array().unwrap()) {
                    assert!(
                        (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-5,
                        "{oracle}: {o} vs {t}"
                    );
                }
            }
        }
    }
}

#[test]
fn import_without_json_prints_a_one_line_summary() {
    let path = fixture("blender/zoom.chan");
    let stdout = stdout_of(&["chan", "import", path.to_str().unwrap()]);
    let line = stdout
        .trim_end()
        .replace(path.to_str().unwrap(), "zoom.chan");
    insta::assert_snapshot!("import_zoom_summary", line);
}

#[test]
fn frame_offset_and_scale_apply_to_frames_and_translations() {
    let path = fixture("valid/nuke_vectors_zxy.chan");
    let stdout = stdout_of(&[
        "chan",
        "import",
        path.to_str().unwrap(),
        "--json",
        "--frame-offset",
        "1000",
        "--scale",
        "2",
    ]);
    let frames: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(frames[1]["frame"], 1002);
    // Nuke (1, 2, 3) scaled by 2 lands at Blender (2, -6, 4).
    assert_eq!(frames[1]["location"], serde_json::json!([2.0, -6.0, 4.0]));
}

#[test]
fn an_invalid_file_fails_with_file_line_and_column() {
    let path = fixture("invalid/not_a_number.chan");
    let output = cinematic()
        .args(["chan", "import", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("not_a_number.chan:3:9: field rx is not a number"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn lenient_import_skips_bad_lines_and_warns_on_stderr() {
    let path = fixture("invalid/not_a_number.chan");
    let output = cinematic()
        .args(["chan", "import", path.to_str().unwrap(), "--lenient"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("warning:") && stderr.contains(":3:9:"),
        "{stderr}"
    );
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains(": 1 frames")
    );
}

#[test]
fn a_missing_file_and_a_bad_order_are_errors() {
    let output = cinematic()
        .args(["chan", "import", "/nonexistent/cam.chan"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/cam.chan"));
    let output = cinematic()
        .args([
            "chan",
            "import",
            fixture("blender/zoom.chan").to_str().unwrap(),
            "--rotation-order",
            "XXY",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[test]
fn export_to_stdout_reproduces_the_nuke_file() {
    let path = fixture("valid/nuke_vectors_zxy.chan");
    let stdout = stdout_of(&["chan", "export", path.to_str().unwrap()]);
    let input = std::fs::read_to_string(&path).unwrap();
    for (a, b) in input.lines().zip(stdout.lines()) {
        let a: Vec<f64> = a.split_whitespace().map(|v| v.parse().unwrap()).collect();
        let b: Vec<f64> = b.split('\t').map(|v| v.parse().unwrap()).collect();
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
        }
    }
    assert_eq!(input.lines().count(), stdout.lines().count());
}

#[test]
fn export_to_a_file_reports_json_and_converts_the_rotation_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cam_xyz.chan");
    let path = fixture("valid/nuke_vectors_zxy.chan");
    let stdout = stdout_of(&[
        "chan",
        "export",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--to-rotation-order",
        "XYZ",
        "--json",
    ]);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["frames"], 8);
    assert_eq!(summary["rotation_order"], "XYZ");
    assert_eq!(summary["up_axis"], "y");
    // Reading the XYZ file back as XYZ gives the same Blender cameras as the original.
    let a: Value = serde_json::from_str(&stdout_of(&[
        "chan",
        "import",
        path.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    let b: Value = serde_json::from_str(&stdout_of(&[
        "chan",
        "import",
        out.to_str().unwrap(),
        "--json",
        "--rotation-order",
        "XYZ",
    ]))
    .unwrap();
    for (fa, fb) in a.as_array().unwrap().iter().zip(b.as_array().unwrap()) {
        for (ra, rb) in fa["matrix_world"]
            .as_array()
            .unwrap()
            .iter()
            .zip(fb["matrix_world"].as_array().unwrap())
        {
            for (x, y) in ra.as_array().unwrap().iter().zip(rb.as_array().unwrap()) {
                assert!((x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9);
            }
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn export_reads_the_original_json_camera_format() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("cam.json");
    std::fs::write(
        &json,
        r#"{"camera": {"name": "cam", "frames": [
            {"frame": 1, "position": [1, -3, 2], "rotation": [90, 0, 0], "focal": 50}]}}"#,
    )
    .unwrap();
    let stdout = stdout_of(&["chan", "export", json.to_str().unwrap()]);
    let fields: Vec<f64> = stdout
        .trim_end()
        .split('\t')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(&fields[..7], &[1.0, 1.0, 2.0, 3.0, 0.0, 0.0, 0.0]);
    assert!((fields[7] - 21.153).abs() < 1e-3);
}

#[test]
fn export_json_without_output_is_refused() {
    let path = fixture("valid/nuke_vectors_zxy.chan");
    let output = cinematic()
        .args(["chan", "export", path.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(!output.status.success());
}
