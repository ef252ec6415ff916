//! Files we write load in Python's `yaml.safe_load` to the values we saved, and the
//! bookkeeping fields we add do not disturb a reader that works like the original's
//! (dictionary look-ups with defaults, `int()` on frame keys).
//!
//! Needs python3 with PyYAML: skipped with a note when absent, a failure under CI=true.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::process::Command;

use camino::Utf8Path;
use common::{generated_session, python_with_pyyaml, temp_root};
use tracking_session::TrackingSessionManager;
use tracking_types::{FootageMetadata, SolveData, TrackData, TrackingSession};

/// Compares a YAML file read with `yaml.safe_load` against a JSON file of the same
/// values: floats bit for bit (a float must read back as a float), strings exactly.
const COMPARE: &str = r#"
import json, math, struct, sys, yaml

def same(y, j, path):
    if isinstance(j, float):
        if not isinstance(y, float):
            sys.exit(f"{path}: PyYAML read {y!r} ({type(y).__name__}), expected float {j!r}")
        if struct.pack('<d', y) != struct.pack('<d', j):
            sys.exit(f"{path}: PyYAML read {y!r}, expected {j!r}")
    elif isinstance(j, bool) or j is None or isinstance(j, (int, str)):
        if type(y) is not type(j) or y != j:
            sys.exit(f"{path}: PyYAML read {y!r}, expected {j!r}")
    elif isinstance(j, list):
        if not isinstance(y, list) or len(y) != len(j):
            sys.exit(f"{path}: PyYAML read {y!r}, expected {j!r}")
        for i, (a, b) in enumerate(zip(y, j)):
            same(a, b, f"{path}[{i}]")
    elif isinstance(j, dict):
        if not isinstance(y, dict) or list(y.keys()) != list(j.keys()):
            sys.exit(f"{path}: keys {list(y)[:5]} != {list(j)[:5]}")
        for k in j:
            same(y[k], j[k], f"{path}.{k}")
    else:
        sys.exit(f"{path}: unexpected {j!r}")

yaml_path, json_path = sys.argv[1], sys.argv[2]
with open(yaml_path, encoding='utf-8') as f:
    data = yaml.safe_load(f)
with open(json_path, encoding='utf-8') as f:
    expected = json.load(f)
same(data, expected, '$')

# A reader in the original's manner: .get with defaults, int() frame keys.
if 'tracks' in data:
    for t in data.get('tracks', []):
        markers = {int(k): tuple(v) for k, v in (t.get('markers') or {}).items()}
        assert all(len(v) == 2 for v in markers.values())
    assert isinstance(data.get('frame_start', 1), int)
    assert data.get('preset', 'balanced') == expected['preset']
if 'camera_transforms' in data:
    transforms = {int(k): tuple(v) for k, v in data['camera_transforms'].items()}
    assert all(len(v) == 6 for v in transforms.values())
print('ok')
"#;

fn check_with_python(python: &str, yaml_path: &Utf8Path, expected: &impl serde::Serialize) {
    let json_path = yaml_path.with_extension("json");
    std::fs::write(&json_path, serde_json::to_string(expected).unwrap()).unwrap();
    let output = Command::new(python)
        .args(["-c", COMPARE, yaml_path.as_str(), json_path.as_str()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{yaml_path}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn awkward_session() -> TrackingSession {
    let mut session = generated_session("awkward_01", 2, 5, 3);
    session.footage_path = "/shots/sq010/plate.%04d.exr".to_owned();
    session.camera_profile = "no".to_owned();
    session.preset = "on".to_owned();
    session.created_at = "2024-01-01".to_owned();
    session.updated_at = "12:30".to_owned();
    let mut odd = TrackData::new("0x10");
    odd.markers.insert(-5, [-0.0, 1e22]);
    odd.markers.insert(0, [5e-324, f64::MAX]);
    odd.markers.insert(7, [1e-7, 123456789.0]);
    odd.markers.insert(8, [0.1 + 0.2, -1.5e300]);
    odd.color = [0.0, 1.0, 0.5];
    odd.pattern_area = [0.0, 0.0, 1e16, 31.0];
    session.tracks.push(odd);
    for name in [
        "y",
        "~",
        "null",
        "1e5",
        "multi\nline",
        "quote ' and \"",
        "ünïcødé ✓",
        " lead",
        "#x",
    ] {
        session.tracks.push(TrackData::new(name));
    }
    session
}

#[test]
fn sessions_we_write_load_in_pyyaml_to_the_same_values() {
    let Some(python) = python_with_pyyaml() else {
        return;
    };
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    for mut session in [
        awkward_session(),
        generated_session("big_01", 20, 50, 9),
        TrackingSession::new("defaults"),
    ] {
        manager.save(&mut session).unwrap();
        let path =
            manager.session_path(&tracking_session::SessionId::new(&session.session_id).unwrap());
        // The bookkeeping fields are plain YAML scalars PyYAML reads as int and str.
        check_with_python(python, &path, &session);
    }
}

#[test]
fn solves_and_footage_records_we_write_load_in_pyyaml() {
    let Some(python) = python_with_pyyaml() else {
        return;
    };
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut solve = SolveData {
        name: "solve_v1".to_owned(),
        frame_range: [1001, 1003],
        focal_length: 35.0,
        solved_at: "2026-11-20T09:00:00".to_owned(),
        ..SolveData::default()
    };
    solve
        .camera_transforms
        .insert(1001, [0.0, 0.0, 5.0, 90.0, 0.0, 0.0]);
    solve
        .camera_transforms
        .insert(1003, [0.2, 0.01, 5.0, 90.5, -0.0, 3.0]);
    let path = manager.save_solve(&solve).unwrap();
    check_with_python(python, &path, &solve);

    let footage = FootageMetadata {
        filename: "plate.mov".to_owned(),
        resolution: [3840, 2160],
        frame_rate: 24000.0 / 1001.0,
        duration_frames: 240,
        codec: "prores".to_owned(),
        color_space: "bt709".to_owned(),
        camera_model: Some("ALEXA Mini".to_owned()),
        ..FootageMetadata::default()
    };
    let path = manager.save_footage("sq010_plate", &footage).unwrap();
    check_with_python(python, &path, &footage);
}
