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

/// stderr of a failing run: exactly one `error:` line first, nothing on stdout.
fn failure(args: &[&std::ffi::OsStr]) -> String {
    let output = cinematic().args(args).output().unwrap();
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(output.stdout.is_empty(), "{args:?} printed on stdout");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

#[cfg(unix)]
#[test]
fn export_never_replaces_a_device_fifo_socket_directory_or_a_link_to_one() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.chan");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let socket = dir.path().join("socket.chan");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let directory = dir.path().join("dir.chan");
    std::fs::create_dir(&directory).unwrap();
    let link = dir.path().join("link.chan");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let input = fixture("valid/nuke_vectors_zxy.chan");
    for (target, kind) in [
        (Path::new("/dev/full"), "character device"),
        (Path::new("/dev/null"), "character device"),
        (Path::new("/dev/stdout"), "not a regular file"),
        (fifo.as_path(), "FIFO"),
        (socket.as_path(), "socket"),
        (directory.as_path(), "directory"),
        (link.as_path(), "symbolic link to a FIFO"),
    ] {
        let stderr = failure(&[
            os("chan"),
            os("export"),
            input.as_os_str(),
            os("-o"),
            target.as_os_str(),
        ]);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&target.display().to_string()) && stderr.contains(kind),
            "{stderr}"
        );
        assert!(stderr.contains("-o -"), "no hint at stdout: {stderr}");
    }
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
    assert!(directory.is_dir() && std::fs::read_dir(&directory).unwrap().count() == 0);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        4,
        "a temp file was left"
    );
}

#[cfg(unix)]
#[test]
fn export_to_a_symlink_replaces_the_link_and_leaves_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.chan");
    std::fs::write(&real, "keep me\n").unwrap();
    let link = dir.path().join("link.chan");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let input = fixture("valid/nuke_vectors_zxy.chan");
    let output = cinematic()
        .args(["chan", "export", input.to_str().unwrap(), "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "keep me\n");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.is_file(), "the link was written through");
    assert_eq!(std::fs::read_to_string(&link).unwrap().lines().count(), 8);
}

#[test]
fn export_streams_to_stdout_with_a_dash_or_stdout_and_makes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("valid/nuke_vectors_zxy.chan");
    let input = input.to_str().unwrap();
    let plain = stdout_of(&["chan", "export", input]);
    for flags in [&["-o", "-"][..], &["--output", "-"], &["--stdout"]] {
        let mut args = vec!["chan", "export", input];
        args.extend(flags);
        let output = cinematic()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{flags:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            plain,
            "{flags:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file named - was made"
    );
    for flags in [&["-o", "-", "--json"][..], &["--stdout", "--json"]] {
        let mut args = vec![os("chan"), os("export"), os(input)];
        args.extend(flags.iter().map(|f| os(f)));
        failure(&args);
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn numbers_that_overflow_are_errors_naming_file_line_column_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = write(
        dir.path(),
        "tiny.chan",
        "1 0 0 0 0 0 0 40\n2 0 0 0 0 0 0 1e-320\n",
    );
    let big = write(
        dir.path(),
        "big.chan",
        "1 0 0 0 0 0 0 40\n2 0 0 0 0 0 0 40\n3 1e308 0 0 0 0 0 40\n",
    );
    for (file, extra, want) in [
        (
            &tiny,
            &[][..],
            ":2:15: focal length from vfov 1e-320° is not finite",
        ),
        (
            &big,
            &["--scale", "10"],
            ":3:3: tx × scale 10 is not finite",
        ),
    ] {
        for command in [&["import"][..], &["import", "--json"], &["export"]] {
            let mut args = vec![os("chan")];
            args.extend(command.iter().map(|c| os(c)));
            args.push(file.as_os_str());
            args.extend(extra.iter().map(|e| os(e)));
            let stderr = failure(&args);
            let first = stderr.lines().next().unwrap();
            assert!(
                first.starts_with(&format!("error: {}{want}", file.display())),
                "{command:?}: {stderr}"
            );
        }
    }
    // Lenient: the line is skipped with a warning, and no null reaches the JSON.
    let output = cinematic()
        .args(["chan", "import", "--json", "--lenient", "--scale", "10"])
        .arg(&big)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains(":3:3: tx × scale 10"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("null"), "{stdout}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn export_names_the_real_input_file_when_the_writer_refuses_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let json = write(
        dir.path(),
        "cam.json",
        r#"{"camera": {"frames": [{"frame": 1, "position": [0, 0, 0], "rotation": [90, 0, 0], "focal": 1e-320}]}}"#,
    );
    let out = dir.path().join("out.chan");
    for output in [None, Some(&out)] {
        let mut args = vec![os("chan"), os("export"), json.as_os_str()];
        if let Some(out) = output {
            args.extend([os("-o"), out.as_os_str()]);
        }
        let stderr = failure(&args);
        assert!(
            stderr.starts_with(&format!(
                "error: {}: frames[0].lens: frame 1:",
                json.display()
            )),
            "{stderr}"
        );
        assert!(!stderr.contains("<input>"), "{stderr}");
    }
    assert!(!out.exists());
}

#[test]
fn an_os_error_is_stated_once() {
    let stderr = failure(&[os("chan"), os("import"), os("/nonexistent/cam.chan")]);
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: /nonexistent/cam.chan: "),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let stderr = failure(&[
        os("chan"),
        os("export"),
        fixture("valid/nuke_vectors_zxy.chan").as_os_str(),
        os("-o"),
        dir.path().join("missing/out.chan").as_os_str(),
    ]);
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
    assert!(!stderr.contains(".cinematic-tmp"), "{stderr}");
}

#[test]
fn a_json_camera_error_has_its_position_on_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let json = write(
        dir.path(),
        "cam.json",
        "{\"camera\": {\"frames\": [\n  {\"frame\": 1,}\n]}}\n",
    );
    let stderr = failure(&[os("chan"), os("export"), json.as_os_str()]);
    assert!(
        stderr.starts_with(&format!("error: {}:2:", json.display())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
