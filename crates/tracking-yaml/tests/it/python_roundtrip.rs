//! What we write, Python's PyYAML reads back to equal values (floats bit for bit), and
//! lays out exactly as PyYAML's own `yaml.dump(..., default_flow_style=False,
//! sort_keys=False)` would, except where we deliberately quote more.
//!
//! Needs `python3` with PyYAML. Under `CI=true` their absence fails the test;
//! elsewhere the test is skipped with a note on stderr.

// Test helpers outside `#[test]` functions may panic too.

use crate::common;
use crate::common::python::{python_with_pyyaml, run_python};

use std::collections::BTreeMap;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use serde::Serialize;
use serde_json::Value;
use tracking_types::{
    FootageMetadata, MotionBlurLevel, SolveData, SolveReport, TrackData, TrackType, TrackingSession,
};
use tracking_yaml::to_yaml_string;

/// Loads each YAML document of a JSON list with `yaml.safe_load` and prints them as
/// JSON with every float tagged `{"$float": repr(x)}` so no digit is lost.
const SAFE_LOAD_SCRIPT: &str = r#"
import json, sys, yaml
def tag(o):
    if isinstance(o, bool) or o is None or isinstance(o, (int, str)):
        return o
    if isinstance(o, float):
        return {"$float": repr(o)}
    if isinstance(o, list):
        return [tag(v) for v in o]
    if isinstance(o, dict):
        return {str(k): tag(v) for k, v in o.items()}
    raise TypeError(type(o).__name__)
docs = json.load(sys.stdin)
json.dump([tag(yaml.safe_load(d)) for d in docs], sys.stdout)
"#;

/// Dumps each JSON document (field order kept) with the original's exact call.
const DUMP_SCRIPT: &str = r#"
import json, sys, yaml
docs = json.loads(sys.stdin.read())
json.dump([yaml.dump(d, default_flow_style=False, sort_keys=False) for d in docs], sys.stdout)
"#;

/// Compares PyYAML's view (floats tagged) with ours, floats bit for bit. A Python int
/// may stand for one of our whole floats only where we write whole floats as integers.
fn compare(py: &Value, ours: &Value, path: &str) -> Result<(), String> {
    match (py, ours) {
        (Value::Object(p), _) if p.len() == 1 && p.contains_key("$float") => {
            let repr = p["$float"].as_str().unwrap_or_default();
            let theirs: f64 = repr
                .parse()
                .map_err(|_| format!("{path}: bad repr {repr}"))?;
            match ours.as_f64() {
                Some(mine) if ours.is_f64() && mine.to_bits() == theirs.to_bits() => Ok(()),
                _ => Err(format!("{path}: PyYAML read float {repr}, we hold {ours}")),
            }
        }
        (Value::Number(p), Value::Number(o)) => {
            let same = match (p.as_i64(), p.as_u64(), o.as_f64()) {
                _ if p == o => true,
                (Some(i), _, Some(f)) if o.is_f64() => f.fract() == 0.0 && f == i as f64,
                (_, Some(u), Some(f)) if o.is_f64() => f.fract() == 0.0 && f == u as f64,
                _ => false,
            };
            if same {
                Ok(())
            } else {
                Err(format!("{path}: PyYAML read {p}, we hold {o}"))
            }
        }
        (Value::Array(p), Value::Array(o)) if p.len() == o.len() => p
            .iter()
            .zip(o)
            .enumerate()
            .try_for_each(|(i, (a, b))| compare(a, b, &format!("{path}[{i}]"))),
        (Value::Object(p), Value::Object(o)) if p.len() == o.len() => {
            p.iter().try_for_each(|(k, v)| {
                let mine = o
                    .get(k)
                    .ok_or_else(|| format!("{path}: PyYAML has extra key {k:?}"))?;
                compare(v, mine, &format!("{path}.{k}"))
            })
        }
        _ if py == ours => Ok(()),
        _ => Err(format!("{path}: PyYAML read {py}, we hold {ours}")),
    }
}

fn rich_session() -> TrackingSession {
    let names = [
        "no",
        "on",
        "off",
        "yes",
        "y",
        "n",
        "12:30",
        "2024-01-01",
        "0x10",
        "1e5",
        ".5",
        "null",
        "~",
        "",
        " pad ",
        "it's \"quoted\"",
        "#hash",
        "a: b",
        "tab\there",
        "multi\nline",
        "café 日本 😀",
        "<<",
        "true",
    ];
    let floats = [
        1e22,
        1e-7,
        0.1,
        -0.0,
        5e-324,
        1e16,
        0.0001,
        0.00001,
        f64::MAX,
        f64::MIN_POSITIVE,
        -1.5e300,
        0.2512345678901234,
    ];
    let mut session = TrackingSession::new("rich 'session'");
    session.footage_path = "/shots/sq 010/plate.%04d.exr".to_owned();
    session.frame_start = -50;
    session.frame_end = i64::MAX;
    session.current_frame = 0;
    session.camera_profile = "no".to_owned();
    session.preset = "2024-01-01".to_owned();
    session.created_at = "2026-11-20T10:00:00Z".to_owned();
    session.saved_at = Some("12:30".to_owned());
    session.revision = Some(u64::MAX);
    session.tracks = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut track = TrackData::new(*name);
            let f = floats[i % floats.len()];
            track.markers = BTreeMap::from([
                (i64::MIN, [f, -f]),
                (-1, [0.5, 0.25]),
                (1001 + i as i64, [f, 0.1]),
                (i64::MAX, [1e22, 1e-7]),
            ]);
            track.pattern_area = [0.5, -0.0, 31.0, 1e22];
            track.color = [f, 0.0, 1.0];
            track.correlation = floats[(i + 3) % floats.len()];
            track.track_type = [TrackType::Point, TrackType::Plane, TrackType::Object][i % 3];
            track.enabled = i % 2 == 0;
            track
        })
        .collect();
    session
}

fn rich_solve() -> SolveData {
    SolveData {
        name: "on".to_owned(),
        frame_range: [-10, 1_000_000],
        focal_length: 35.000000000000001,
        sensor_width: 36.0,
        camera_transforms: BTreeMap::from([
            (-10, [0.0, -0.0, 5.0, 90.0, 1e22, 1e-7]),
            (1001, [0.1, 0.2, 0.3, 1e16, 5e-324, -1.0]),
        ]),
        solved_at: "".to_owned(),
        sensor_height: Some(24.0),
        focal_lengths: BTreeMap::from([(1001, 35.5)]),
        ..SolveData::default()
    }
}

fn rich_footage() -> FootageMetadata {
    FootageMetadata {
        filename: "off.mov".to_owned(),
        resolution: [4096, 2160],
        frame_rate: 24000.0 / 1001.0,
        duration_frames: u64::MAX,
        duration_seconds: 1e-7,
        camera_model: Some("yes".to_owned()),
        focal_length: Some(1e22),
        iso: Some(800),
        motion_blur_level: MotionBlurLevel::High,
        ..FootageMetadata::default()
    }
}

#[derive(Serialize)]
struct Everything {
    session: TrackingSession,
    solve: SolveData,
    report: SolveReport,
    footage: FootageMetadata,
}

/// Emits each document, reads it back in PyYAML and compares with our JSON view.
fn assert_pyyaml_reads_back(docs: &[(String, Value)]) {
    let texts: Vec<&str> = docs.iter().map(|(t, _)| t.as_str()).collect();
    let loaded: Vec<Value> = serde_json::from_str(&run_python(
        SAFE_LOAD_SCRIPT,
        &serde_json::to_string(&texts).unwrap(),
    ))
    .unwrap();
    for ((text, ours), theirs) in docs.iter().zip(&loaded) {
        if let Err(e) = compare(theirs, ours, "") {
            panic!("{e}\n--- our YAML:\n{text}");
        }
    }
}

fn doc<T: Serialize>(value: &T) -> (String, Value) {
    (
        to_yaml_string(value).unwrap(),
        serde_json::to_value(value).unwrap(),
    )
}

#[test]
fn pyyaml_reads_rich_data_back_to_equal_values() {
    if !python_with_pyyaml() {
        return;
    }
    let everything = Everything {
        session: rich_session(),
        solve: rich_solve(),
        report: SolveReport::new(0.31, 1e22, 48, 100, 5e-324),
        footage: rich_footage(),
    };
    assert_pyyaml_reads_back(&[
        doc(&everything),
        doc(&rich_session().tracks),
        doc(&TrackingSession::default()),
    ]);
}

#[test]
fn pyyaml_reads_back_generated_data_of_every_type() {
    if !python_with_pyyaml() {
        return;
    }
    let mut runner = TestRunner::new(Config::default());
    let mut docs = Vec::new();
    for _ in 0..40 {
        docs.push(doc(&common::strategies::session()
            .new_tree(&mut runner)
            .unwrap()
            .current()));
        docs.push(doc(&common::strategies::solve()
            .new_tree(&mut runner)
            .unwrap()
            .current()));
        docs.push(doc(&common::strategies::report()
            .new_tree(&mut runner)
            .unwrap()
            .current()));
        docs.push(doc(&common::strategies::footage_metadata()
            .new_tree(&mut runner)
            .unwrap()
            .current()));
        docs.push(doc(&common::strategies::footage_info()
            .new_tree(&mut runner)
            .unwrap()
            .current()));
    }
    assert_pyyaml_reads_back(&docs);
}

/// Lines where we quote a string PyYAML leaves plain because only YAML 1.2 readers
/// (serde_yaml, ruamel, yq) would mistype it, e.g. `1e5`.
fn differs_only_by_our_extra_quotes(ours: &str, theirs: &str) -> bool {
    if ours == theirs {
        return true;
    }
    // Find the plain scalar PyYAML wrote and check that we wrote it in single quotes.
    theirs.split(": ").chain(theirs.split("- ")).any(|plain| {
        let plain = plain.trim_end_matches(':');
        !plain.is_empty()
            && ours == theirs.replacen(plain, &format!("'{plain}'"), 1)
            && !matches!(
                serde_yaml::from_str::<serde_yaml::Value>(plain),
                Ok(serde_yaml::Value::String(_))
            )
    })
}

#[test]
fn our_layout_is_pyyaml_dump_layout() {
    if !python_with_pyyaml() {
        return;
    }
    let mut runner = TestRunner::new(Config::default());
    let mut values: Vec<Value> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut push = |text: String, json: String| {
        texts.push(text);
        values.push(Value::String(json));
    };
    for _ in 0..40 {
        let s = common::strategies::session()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        push(
            to_yaml_string(&s).unwrap(),
            serde_json::to_string(&s).unwrap(),
        );
        let s = common::strategies::solve()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        push(
            to_yaml_string(&s).unwrap(),
            serde_json::to_string(&s).unwrap(),
        );
        let s = common::strategies::footage_metadata()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        push(
            to_yaml_string(&s).unwrap(),
            serde_json::to_string(&s).unwrap(),
        );
        let s = common::strategies::footage_info()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        push(
            to_yaml_string(&s).unwrap(),
            serde_json::to_string(&s).unwrap(),
        );
    }
    let s = rich_session();
    push(
        to_yaml_string(&s).unwrap(),
        serde_json::to_string(&s).unwrap(),
    );
    // JSON text keeps our field order; the script parses each with json.loads.
    let input = format!(
        "[{}]",
        values
            .iter()
            .map(|v| v.as_str().unwrap_or("null"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let dumped: Vec<String> = serde_json::from_str(&run_python(DUMP_SCRIPT, &input)).unwrap();
    assert_eq!(dumped.len(), texts.len());
    let mut extra_quotes = 0;
    for (ours, theirs) in texts.iter().zip(&dumped) {
        let ours_lines: Vec<&str> = ours.lines().collect();
        let their_lines: Vec<&str> = theirs.lines().collect();
        assert_eq!(
            ours_lines.len(),
            their_lines.len(),
            "line counts differ\n--- ours:\n{ours}\n--- PyYAML:\n{theirs}"
        );
        for (a, b) in ours_lines.iter().zip(&their_lines) {
            extra_quotes += usize::from(a != b);
            assert!(
                differs_only_by_our_extra_quotes(a, b),
                "ours:   {a}\nPyYAML: {b}\n--- ours:\n{ours}\n--- PyYAML:\n{theirs}"
            );
        }
    }
    // The rich session names a track `1e5`: PyYAML leaves it plain, we quote it.
    assert!(
        extra_quotes >= 1,
        "the deliberate `1e5` quoting was not seen"
    );
}
