//! `cinematic tracks import|convert|export` and `shot ingest --tracks` end to end: the
//! built binary on real files from `../shared/fixtures/wild` and on files it wrote.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::common::tools_available;

fn wild(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wild")
        .join(rel)
}

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

fn run_ok(state_root: &Path, args: &[&str]) -> Vec<u8> {
    let out = cinematic(state_root).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn run_err(state_root: &Path, args: &[&str]) -> String {
    let out = cinematic(state_root).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn import_json(path: &Path, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["tracks", "import", "--json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run_ok(dir.path(), &args)).unwrap()
}

/// Marker `frame` of track `index`, in pixels from the bottom-left corner.
fn pixel(doc: &Value, index: usize, frame: i64) -> [f64; 2] {
    let size = &doc["size"];
    let (w, h) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
    let m = &doc["tracks"][index]["markers"][frame.to_string()];
    [m[0].as_f64().unwrap() * w, m[1].as_f64().unwrap() * h]
}

fn close(a: [f64; 2], b: [f64; 2], tolerance: f64) -> bool {
    (a[0] - b[0]).abs() <= tolerance && (a[1] - b[1]).abs() <= tolerance
}

#[test]
fn import_json_keeps_the_files_frames_and_names_the_format() {
    // tsp_3de_v4_cube.txt, read at 1024x512 (tracksperanto's test size). Its 4th line
    // is `61` keys for point `01`, and its 5th `40 407.384758225105315 232.449011732690479`:
    // 3DE pixels are from the bottom-left corner, so the marker is that pixel pair.
    let doc = import_json(
        &wild("3de_points/tsp_3de_v4_cube.txt"),
        &["--size", "1024x512"],
    );
    assert_eq!(doc["format"], "3de_v4");
    assert_eq!(doc["size"], serde_json::json!([1024, 512]));
    assert_eq!(doc["frame_base"], 1);
    let tracks = doc["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 8);
    assert_eq!(tracks[0]["name"], "01");
    assert_eq!(tracks[0]["markers"].as_object().unwrap().len(), 61);
    assert!(close(
        pixel(&doc, 0, 40),
        [407.384_758_225_105_3, 232.449_011_732_690_5],
        1e-9
    ));

    let shifted = import_json(
        &wild("3de_points/tsp_3de_v4_cube.txt"),
        &["--size", "1024x512", "--frame-offset", "1000"],
    );
    assert_eq!(shifted["frame_base"], 1001);
    assert!(close(pixel(&shifted, 0, 1040), pixel(&doc, 0, 40), 0.0));
}

#[test]
fn import_prints_a_table_with_ranges_and_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gappy.txt");
    // 3DE v4: one point with frames 1-2 and 5 (a gap of 3-4), one without keys.
    std::fs::write(
        &file,
        "2\nleft eye\n0\n3\n1 10 20\n2 11 21\n5 12 22\nempty\n0\n0\n",
    )
    .unwrap();
    let out = run_ok(
        dir.path(),
        &[
            "tracks",
            "import",
            file.to_str().unwrap(),
            "--size",
            "640x360",
        ],
    );
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("3de_v4"), "{text}");
    let row = text.lines().find(|l| l.starts_with("left eye")).unwrap();
    assert!(
        row.contains("1-5") && row.contains("2 frame(s): 3-4"),
        "{row}"
    );
    let empty = text.lines().find(|l| l.starts_with("empty")).unwrap();
    assert!(empty.contains(" 0 "), "{empty}");
}

#[test]
fn convert_3de_to_pftrack_moves_frames_and_pixel_centres() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cube.2dt");
    let source = wild("3de_points/tsp_3de_v4_cube.txt");
    run_ok(
        dir.path(),
        &[
            "tracks",
            "convert",
            source.to_str().unwrap(),
            "--to",
            "pftrack5",
            "--size",
            "1024x512",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let original = import_json(&source, &["--size", "1024x512"]);
    let converted = import_json(&out, &["--size", "1024x512"]);
    assert_eq!(converted["format"], "pftrack5");
    let base_3de = original["frame_base"].as_i64().unwrap();
    let base_pf = converted["frame_base"].as_i64().unwrap();
    let tracks = original["tracks"].as_array().unwrap();
    assert_eq!(converted["tracks"].as_array().unwrap().len(), tracks.len());
    for (index, track) in tracks.iter().enumerate() {
        let markers = track["markers"].as_object().unwrap();
        let back = converted["tracks"][index]["markers"].as_object().unwrap();
        assert_eq!(back.len(), markers.len());
        for frame in markers.keys() {
            let frame: i64 = frame.parse().unwrap();
            // The clip's first frame is 3DE's `base_3de` and PFTrack's `base_pf`.
            let pf_frame = frame - base_3de + base_pf;
            // PFTrack prints 3 decimals.
            assert!(close(
                pixel(&converted, index, pf_frame),
                pixel(&original, index, frame),
                0.0006
            ));
        }
    }
    // Back to 3DE: the same frames as the original file, the same pixels.
    let again = dir.path().join("cube_again.txt");
    run_ok(
        dir.path(),
        &[
            "tracks",
            "convert",
            out.to_str().unwrap(),
            "--to",
            "3de_v4",
            "--size",
            "1024x512",
            "-o",
            again.to_str().unwrap(),
        ],
    );
    let round = import_json(&again, &["--size", "1024x512"]);
    assert_eq!(round["tracks"][0]["markers"].as_object().unwrap().len(), 61);
    assert!(close(pixel(&round, 0, 40), pixel(&original, 0, 40), 0.0006));
}

#[test]
fn a_camera_chan_is_refused_with_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let chan = examples().join("camera.chan");
    let err = run_err(
        dir.path(),
        &[
            "tracks",
            "import",
            chan.to_str().unwrap(),
            "--size",
            "640x360",
        ],
    );
    let first = err.lines().next().unwrap();
    assert!(first.starts_with("error: "), "{err}");
    assert!(
        first.contains(".chan camera") && first.contains("chan import"),
        "{err}"
    );
}

#[test]
fn a_bad_line_is_an_error_with_its_position_on_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.txt");
    std::fs::write(&file, "1\np\n0\n2\n1 10 20\n2 1x 21\n").unwrap();
    let err = run_err(
        dir.path(),
        &[
            "tracks",
            "import",
            file.to_str().unwrap(),
            "--size",
            "640x360",
            "--format",
            "3de_v4",
        ],
    );
    let first = err.lines().next().unwrap();
    assert!(first.contains("broken.txt:6:3:"), "{err}");
    assert_eq!(err.matches("broken.txt").count(), 1, "{err}");
}

#[test]
fn convert_needs_a_size_and_writes_nothing_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    let source = wild("pftrack_2dt/tsp_pfmatchit_example.2dt");
    let err = run_err(
        dir.path(),
        &[
            "tracks",
            "convert",
            source.to_str().unwrap(),
            "--to",
            "3de_v4",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(err.contains("--size"), "{err}");
    assert!(!out.exists());
}

/// A 3DE v4 file at the example plate's size (640x360) with frames 1-96 (3DE numbers the
/// first clip frame 1), one point with a gap.
fn example_tracks(dir: &Path) -> PathBuf {
    let path = dir.join("plate_tracks.txt");
    let mut text = String::from("2\ncorner A\n0\n94\n");
    for frame in (1..=96).filter(|f| !(40..=41).contains(f)) {
        text.push_str(&format!(
            "{frame} {:.3} {:.3}\n",
            100.0 + f64::from(frame),
            50.25
        ));
    }
    text.push_str("B\n0\n1\n1 320.000 180.000\n");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn shot_ingest_tracks_stores_them_in_session_frames_and_export_gives_them_back() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let tracks = example_tracks(dir.path());
    let plate = examples().join("plate.mov");
    let camera = examples().join("camera.chan");
    let out = run_ok(
        &root,
        &[
            "shot",
            "ingest",
            "--json",
            "--no-analyze",
            "--frame-offset",
            "1000",
            "--plate",
            plate.to_str().unwrap(),
            "--camera",
            camera.to_str().unwrap(),
            "--tracks",
            tracks.to_str().unwrap(),
        ],
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["tracks"]["format"], "3de_v4");
    assert_eq!(report["tracks"]["frame_shift"], 1000);
    assert_eq!(report["tracks"]["added"], 2);
    let id = report["session_id"].as_str().unwrap().to_owned();

    let status: Value =
        serde_json::from_slice(&run_ok(&root, &["shot", "status", "--json", &id])).unwrap();
    let stored = &status["session"]["tracks"];
    assert_eq!(stored.as_array().unwrap().len(), 2);
    assert_eq!(stored[0]["name"], "corner A");
    let markers = stored[0]["markers"].as_object().unwrap();
    assert_eq!(markers.len(), 94);
    // 3DE frame 1 is the plate's first frame, 1001; 3DE pixel (101, 50.25) of 640x360.
    let first = &markers["1001"];
    assert!((first[0].as_f64().unwrap() * 640.0 - 101.0).abs() < 1e-9);
    assert!((first[1].as_f64().unwrap() * 360.0 - 50.25).abs() < 1e-9);
    assert!(!markers.contains_key("1040") && !markers.contains_key("1041"));

    let exported = dir.path().join("exported.txt");
    run_ok(
        &root,
        &[
            "tracks",
            "export",
            "--session",
            &id,
            "--to",
            "3de_v4",
            "-o",
            exported.to_str().unwrap(),
        ],
    );
    let back = import_json(&exported, &["--size", "640x360"]);
    let original = import_json(&tracks, &["--size", "640x360"]);
    assert_eq!(back["tracks"], original["tracks"]);

    // Ingesting again with the same inputs changes nothing.
    let again: Value = serde_json::from_slice(&run_ok(
        &root,
        &[
            "shot",
            "ingest",
            "--json",
            "--no-analyze",
            "--frame-offset",
            "1000",
            "--plate",
            plate.to_str().unwrap(),
            "--camera",
            camera.to_str().unwrap(),
            "--tracks",
            tracks.to_str().unwrap(),
        ],
    ))
    .unwrap();
    assert_eq!(again["tracks"]["replaced"], 2);
    assert_eq!(again["stored"]["changed"], false);
}

#[test]
fn a_stereo_file_needs_a_camera_choice() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let stereo = wild("pftrack_2dt/tsp_pftrack5_stereo.2dt");
    let plate = examples().join("plate.mov");
    let camera = examples().join("camera.chan");
    let args = [
        "shot",
        "ingest",
        "--json",
        "--no-analyze",
        "--frame-offset",
        "1000",
        "--plate",
        plate.to_str().unwrap(),
        "--camera",
        camera.to_str().unwrap(),
        "--tracks",
        stereo.to_str().unwrap(),
    ];
    let err = run_err(&root, &args);
    assert!(
        err.contains("Primary") && err.contains("Secondary") && err.contains("--tracks-camera"),
        "{err}"
    );
    assert!(
        !root.join("sessions").exists()
            || std::fs::read_dir(root.join("sessions")).unwrap().count() == 0
    );
    let mut chosen = args.to_vec();
    chosen.extend_from_slice(&["--tracks-camera", "Primary"]);
    let report: Value = serde_json::from_slice(&run_ok(&root, &chosen)).unwrap();
    assert!(report["tracks"]["tracks"].as_u64().unwrap() > 0);
}
