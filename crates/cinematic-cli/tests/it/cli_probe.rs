//! `cinematic probe` end to end: real binary, real ffprobe, media made by real ffmpeg.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use common::tools_available;
use serde_json::Value;

fn ffmpeg(args: &[&str], out: &Path) {
    let status = StdCommand::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y"])
        .args(args)
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success(), "ffmpeg {args:?}");
}

/// 24 frames of 160×90 H.264 at 24000/1001.
fn clip(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=24000/1001",
            "-t",
            "1",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
        ],
        &out,
    );
    out
}

fn cinematic(state: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cinematic").unwrap();
    cmd.arg("--state-root").arg(state);
    cmd
}

/// Replace values that depend on the machine or the encoder build.
fn redact(value: &mut Value) {
    if let Value::Object(map) = value {
        for key in ["path", "directory"] {
            if map.get(key).is_some_and(Value::is_string) {
                map.insert(key.into(), Value::String("[path]".into()));
            }
        }
        for key in ["bit_rate", "video_bit_rate", "format_tags", "video_tags"] {
            if map.contains_key(key) {
                map.insert(key.into(), Value::String(format!("[{key}]")));
            }
        }
        map.values_mut().for_each(redact);
    } else if let Value::Array(items) = value {
        items.iter_mut().for_each(redact);
    }
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn one_path_prints_one_json_object_with_the_metadata_and_richer_fields() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = clip(dir.path(), "plate.mp4");
    let output = cinematic(state.path())
        .args(["probe", "--json"])
        .arg(&clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut json = stdout_json(&output);
    assert!(json.is_object());
    assert_eq!(json["duration_frames"], 24);
    assert_eq!(json["rate"]["rational"]["num"], 24000);
    assert_eq!(json["rate"]["rational"]["den"], 1001);
    redact(&mut json);
    insta::assert_json_snapshot!("probe_one_clip", json);
}

#[test]
fn deep_probing_adds_the_packet_statistics() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = clip(dir.path(), "plate.mp4");
    let output = cinematic(state.path())
        .args(["probe", "--deep", "--json"])
        .arg(&clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut json = stdout_json(&output);
    assert_eq!(json["frame_counts"]["exact"], 24);
    assert_eq!(json["vfr"]["verdict"], "constant");
    redact(&mut json);
    insta::assert_json_snapshot!("probe_one_clip_deep", json);
}

#[test]
fn several_paths_print_an_array_in_order_and_no_progress_bar_off_a_terminal() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let a = clip(dir.path(), "a.mp4");
    let b = clip(dir.path(), "b.mkv");
    let output = cinematic(state.path())
        .args(["probe", "--json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = stdout_json(&output);
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["filename"], "a.mp4");
    assert_eq!(items[1]["filename"], "b.mkv");
    assert_eq!(items[1]["frame_counts"]["header"], Value::Null);
    assert_eq!(items[1]["duration_frames"], 24);
}

#[test]
fn a_failing_path_in_a_batch_is_reported_in_place_and_fails_the_run() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let a = clip(dir.path(), "a.mp4");
    let missing = dir.path().join("missing.mov");
    let output = cinematic(state.path())
        .args(["probe", "--json"])
        .arg(&a)
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let json = stdout_json(&output);
    assert_eq!(json[0]["duration_frames"], 24);
    assert_eq!(json[1]["path"], missing.to_string_lossy().as_ref());
    assert!(json[1]["error"].as_str().unwrap().contains("no such file"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: 1 of 2 paths could not be probed"),
        "{stderr}"
    );
}

#[test]
fn a_single_missing_path_is_an_error_line_and_a_nonzero_exit() {
    let state = tempfile::tempdir().unwrap();
    let output = cinematic(state.path())
        .args(["probe", "--json", "/definitely/missing.mov"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim(),
        "error: /definitely/missing.mov: no such file"
    );
}

#[test]
fn a_relative_path_starting_with_a_dash_is_a_file_not_an_option() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let made = clip(dir.path(), "x.mp4");
    std::fs::rename(&made, dir.path().join("-i.mp4")).unwrap();
    let output = cinematic(state.path())
        .current_dir(dir.path())
        .args(["probe", "--json", "--", "-i.mp4"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json = stdout_json(&output);
    assert_eq!(json["filename"], "-i.mp4");
    assert_eq!(json["path"], "-i.mp4");
    assert_eq!(json["duration_frames"], 24);
}

#[test]
fn a_sequence_without_a_frame_rate_is_probed_with_the_rate_unknown_and_ingest_still_needs_one() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x36:rate=24",
            "-frames:v",
            "3",
            "-start_number",
            "1001",
        ],
        &dir.path().join("plate.%04d.png"),
    );
    std::fs::remove_file(dir.path().join("plate.1002.png")).unwrap();
    let pattern = dir.path().join("plate.####.png");
    // Without a rate the probe still reports what it knows: the rate is null, and a
    // finding says how to give it.
    let output = cinematic(state.path())
        .args(["probe", "--json"])
        .arg(&pattern)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json = stdout_json(&output);
    assert!(
        json["frame_rate"].is_null() && json["fps"].is_null(),
        "{json}"
    );
    assert_eq!(json["resolution"], serde_json::json!([64, 36]));
    assert_eq!(
        json["sequence"]["missing_frames"],
        serde_json::json!([1002])
    );
    assert_eq!(json["findings"][0]["code"], "frame_rate_unknown");
    assert!(
        json["findings"][0]["recommendation"]
            .as_str()
            .unwrap()
            .contains("--fps"),
        "{json}"
    );
    let output = cinematic(state.path())
        .arg("probe")
        .arg(&pattern)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("64x36 png 8-bit rgb24, frame rate unknown, 3 frames"),
        "{text}"
    );

    // Ingest needs the number: it still refuses, as before.
    let output = cinematic(state.path())
        .args(["shot", "ingest", "--no-analyze", "--plate"])
        .arg(&pattern)
        .arg("--camera")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/camera.chan"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pass one explicitly"), "{stderr}");

    let output = cinematic(state.path())
        .args(["probe", "--json", "--fps", "24000/1001"])
        .arg(&pattern)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json = stdout_json(&output);
    assert_eq!(json["kind"], "image_sequence");
    assert_eq!(json["sequence"]["frame_range"], "1001,1003");
    assert_eq!(
        json["sequence"]["missing_frames"],
        serde_json::json!([1002])
    );
    assert_eq!(json["rate"]["source"], "caller");
}

#[test]
fn probes_are_cached_under_the_state_root_unless_disabled() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = clip(dir.path(), "a.mp4");
    let count = |state: &Path| std::fs::read_dir(state.join("footage")).map_or(0, Iterator::count);
    cinematic(state.path())
        .args(["probe", "--no-cache"])
        .arg(&clip)
        .assert()
        .success();
    assert_eq!(count(state.path()), 0);
    let human = cinematic(state.path())
        .arg("probe")
        .arg(&clip)
        .output()
        .unwrap();
    assert!(human.status.success());
    assert_eq!(count(state.path()), 1);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("160x90 h264 8-bit yuv420p, 24000/1001 (23.976 fps), 24 frames (1.001 s)"),
        "{text}"
    );
}

/// Every path under `root` with its size and modification time, sorted.
fn tree(root: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                pending.push(entry.path());
            }
            out.push((entry.path(), meta.len(), meta.modified().ok()));
        }
    }
    out.sort();
    out
}

fn notices(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("note: probe cache not written: "))
        .collect()
}

#[test]
fn probe_on_an_immutable_state_root_prints_the_result_and_one_notice() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = clip(dir.path(), "plate.mp4");
    // The state-root skeleton a checkout has: footage/ exists, nothing else.
    let state = tempfile::tempdir().unwrap();
    std::fs::create_dir(state.path().join("footage")).unwrap();
    std::fs::write(state.path().join("footage/.gitkeep"), b"").unwrap();
    let before = tree(state.path());
    let Some(_frozen) = cinematic_testkit::ImmutableTree::new(state.path()) else {
        return;
    };
    let output = cinematic(state.path())
        .args(["probe", "--json"])
        .arg(&clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stdout_json(&output)["duration_frames"], 24);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = notices(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    let root = state.path().to_string_lossy();
    assert!(
        lines[0].starts_with(&format!("note: probe cache not written: {root}/")),
        "{stderr}"
    );
    assert!(!stderr.contains("error:"), "{stderr}");

    // Human output too, and a batch says it once.
    let output = cinematic(state.path())
        .arg("probe")
        .arg(&clip)
        .arg(&clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("24 frames (1.001 s)").count(), 2, "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = notices(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].ends_with("(and 1 more path(s) not cached)"),
        "{stderr}"
    );
    assert_eq!(tree(state.path()), before, "nothing under the root changed");
}

#[test]
fn probe_does_not_wait_long_for_a_held_state_root_lock() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let clip = clip(dir.path(), "plate.mp4");
    // Another process holds the lock: a `sh` holding an flock on <root>/.lock.
    let lock = state.path().join(".lock");
    std::fs::write(&lock, b"pid 1 (a slow writer)\n").unwrap();
    let mut holder = StdCommand::new("flock")
        .arg(&lock)
        .args(["sleep", "60"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let output = cinematic(state.path())
        .arg("probe")
        .arg(&clip)
        .output()
        .unwrap();
    let waited = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(output.status.success(), "{output:?}");
    assert!(waited < std::time::Duration::from_secs(10), "{waited:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = notices(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains(".lock: the state root is locked"),
        "{stderr}"
    );
    assert!(!stderr.contains("waiting for the lock"), "{stderr}");
    assert!(
        !state
            .path()
            .join("footage")
            .read_dir()
            .unwrap()
            .any(|_| true)
    );
}

#[test]
fn a_sequence_with_mixed_paddings_is_warned_about_not_merged() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x36:rate=24",
            "-frames:v",
            "4",
        ],
        &dir.path().join("m.%d.png"),
    );
    // m.1.png m.02.png m.003.png m.0004.png
    for n in 2..=4usize {
        std::fs::rename(
            dir.path().join(format!("m.{n}.png")),
            dir.path().join(format!("m.{n:0width$}.png", width = n)),
        )
        .unwrap();
    }
    let output = cinematic(state.path())
        .args(["probe", "--fps", "24"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("  sequence m.#.png frames 1\n"), "{text}");
    assert!(
        text.contains("  warning: frames of m.*.png have 4 paddings (m.#.png: 1 frame, m.##.png: 1 frame, m.###.png: 1 frame, m.####.png: 1 frame); using m.#.png"),
        "{text}"
    );
    let output = cinematic(state.path())
        .args(["probe", "--json", "--fps", "24"])
        .arg(dir.path().join("m.####.png"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json = stdout_json(&output);
    let mixed = &json["sequence"]["mixed_padding"];
    assert_eq!(mixed["padding"], 4);
    assert_eq!(mixed["choice"], "named");
    assert_eq!(mixed["groups"].as_array().unwrap().len(), 4);
    assert_eq!(json["sequence"]["frame_range"], "4");
}
