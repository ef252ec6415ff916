//! Differential test against PyYAML: whatever `yaml.safe_dump` writes, in any style
//! real tools use, [`from_yaml_str`] reads to exactly what `yaml.safe_load` returns
//! (floats bit for bit, sign of zero included), and what [`to_yaml_string`] then
//! writes, `yaml.safe_load` reads back to the same value.
//!
//! The values are generated (every tracking type, strings and floats from
//! [`common::strategies`]) with a fixed seed; `CINEMATIC_DIFF_SEED` (decimal or `0x…`)
//! picks another and `CINEMATIC_DIFF_CASES` sets how many values are generated
//! (each is dumped in every style of [`STYLES`] plus one random combination). A failure
//! prints the seed. Needs `python3` with PyYAML: under `CI=true` their absence fails
//! the test, elsewhere it is skipped with a note.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use cinematic_testkit::mutation::{Rng, parse_u64};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tracking_types::{FootageInfo, FootageMetadata, SolveData, SolveReport, TrackingSession};
use tracking_yaml::{YamlError, YamlLimits, from_yaml_str, to_yaml_string};

use crate::common;
use crate::common::python::{python_with_pyyaml, run_python};

const DEFAULT_SEED: u64 = 0x00C1_7E3A_71C0_0001;
/// Values generated per run by default; each becomes `STYLES.len() + 1` documents.
const DEFAULT_CASES: usize = 40;

/// The `yaml.safe_dump` keyword arguments of the styles every value is dumped in.
const STYLES: &[(&str, &str)] = &[
    // The original's own call.
    (
        "block",
        r#"{"default_flow_style": false, "sort_keys": false}"#,
    ),
    // PyYAML's defaults before 5.1: collections of scalars in flow style.
    (
        "flow-leaves",
        r#"{"default_flow_style": null, "sort_keys": false}"#,
    ),
    (
        "all-flow",
        r#"{"default_flow_style": true, "sort_keys": false}"#,
    ),
    (
        "narrow",
        r#"{"default_flow_style": false, "sort_keys": false, "width": 20}"#,
    ),
    (
        "explicit-start-end",
        r#"{"default_flow_style": false, "explicit_start": true, "explicit_end": true}"#,
    ),
    (
        "indent-4",
        r#"{"default_flow_style": false, "sort_keys": false, "indent": 4}"#,
    ),
    (
        "sorted",
        r#"{"default_flow_style": false, "sort_keys": true}"#,
    ),
    ("safe-dump-defaults", r"{}"),
    ("canonical", r#"{"canonical": true}"#),
    (
        "canonical-unicode",
        r#"{"canonical": true, "allow_unicode": true, "width": 20}"#,
    ),
    (
        "unicode",
        r#"{"default_flow_style": false, "sort_keys": false, "allow_unicode": true}"#,
    ),
    (
        "unicode-narrow",
        r#"{"default_flow_style": false, "allow_unicode": true, "width": 20}"#,
    ),
    (
        "unicode-flow-leaves-narrow",
        r#"{"default_flow_style": null, "allow_unicode": true, "width": 20}"#,
    ),
    (
        "unicode-all-flow-indent-4",
        r#"{"default_flow_style": true, "allow_unicode": true, "indent": 4, "width": 30}"#,
    ),
];

/// Dumps each `{"data", "style"}` job with `yaml.safe_dump(data, **style)`, loads the
/// text again with `yaml.safe_load`, and prints both, the loaded value in an exact
/// form: floats as `{"$f": float.hex()}`, anything JSON cannot hold exactly tagged.
const DUMP_AND_LOAD_SCRIPT: &str = r#"
import datetime, json, sys, yaml
def native(o):
    if isinstance(o, list):
        return [native(v) for v in o]
    if isinstance(o, dict):
        if len(o) == 1:
            (k, v), = o.items()
            if k == "$int": return int(v)
            if k == "$float": return float(v)
            if k == "$date": return datetime.date.fromisoformat(v)
            if k == "$datetime": return datetime.datetime.fromisoformat(v)
        return {k: native(v) for k, v in o.items()}
    return o
def exact(o):
    if o is None or isinstance(o, (bool, str)):
        return o
    if isinstance(o, int):
        return o if -2**63 <= o < 2**64 else {"$bigint": str(o)}
    if isinstance(o, float):
        return {"$f": o.hex()}
    if isinstance(o, list):
        return [exact(v) for v in o]
    if isinstance(o, dict):
        return {(k if isinstance(k, str) else "$key " + repr(k)): exact(v) for k, v in o.items()}
    return {"$other": repr(o)}
def load(text):
    try:
        return {"loaded": exact(yaml.safe_load(text))}
    except yaml.YAMLError as e:
        return {"error": str(e)}
out = []
for job in json.load(sys.stdin):
    if "text" in job:
        out.append(load(job["text"]))
    else:
        text = yaml.safe_dump(native(job["data"]), **job["style"])
        out.append(dict(load(text), text=text))
json.dump(out, sys.stdout)
"#;

/// The tracking types, as generated and read back.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Session,
    Solve,
    Report,
    FootageMetadata,
    FootageInfo,
}

const KINDS: [Kind; 5] = [
    Kind::Session,
    Kind::Solve,
    Kind::Report,
    Kind::FootageMetadata,
    Kind::FootageInfo,
];

fn sample<S: Strategy>(strategy: S, runner: &mut TestRunner) -> S::Value {
    strategy.new_tree(runner).expect("strategy").current()
}

impl Kind {
    /// A generated value of this type, as JSON (our field order and serde view).
    fn generate(self, runner: &mut TestRunner) -> Value {
        use common::strategies as s;
        match self {
            Kind::Session => json_of(&sample(s::session(), runner)),
            Kind::Solve => json_of(&sample(s::solve(), runner)),
            Kind::Report => json_of(&sample(s::report(), runner)),
            Kind::FootageMetadata => json_of(&sample(s::footage_metadata(), runner)),
            Kind::FootageInfo => json_of(&sample(s::footage_info(), runner)),
        }
    }

    /// Reads `text` as this type; on success our value as JSON and what we write for it.
    fn read(self, text: &str) -> Result<(Value, String), String> {
        match self {
            Kind::Session => read_as::<TrackingSession>(text),
            Kind::Solve => read_as::<SolveData>(text),
            Kind::Report => read_as::<SolveReport>(text),
            Kind::FootageMetadata => read_as::<FootageMetadata>(text),
            Kind::FootageInfo => read_as::<FootageInfo>(text),
        }
    }
}

fn json_of<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("tracking types are JSON")
}

fn read_as<T: DeserializeOwned + Serialize>(text: &str) -> Result<(Value, String), String> {
    let value: T = from_yaml_str(text, &YamlLimits::default()).map_err(|e| e.to_string())?;
    let yaml = to_yaml_string(&value).map_err(|e| format!("to_yaml_string: {e}"))?;
    Ok((json_of(&value), yaml))
}

/// A random combination of `safe_dump` options (including Windows line ends).
fn random_style() -> impl Strategy<Value = Value> {
    (
        select(&[json!(false), json!(null), json!(true)][..]),
        proptest::option::of(10u32..120),
        proptest::option::of(2u32..10),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop_oneof![6 => Just(false), 1 => Just(true)],
        prop_oneof![6 => Just(None), 1 => Just(Some("\r\n"))],
    )
        .prop_map(
            |(flow, width, indent, (start, end, sort, unicode), canonical, line_break)| {
                let mut style = Map::new();
                style.insert("default_flow_style".into(), flow);
                if let Some(w) = width {
                    style.insert("width".into(), json!(w));
                }
                if let Some(i) = indent {
                    style.insert("indent".into(), json!(i));
                }
                style.insert("explicit_start".into(), json!(start));
                style.insert("explicit_end".into(), json!(end));
                style.insert("sort_keys".into(), json!(sort));
                style.insert("allow_unicode".into(), json!(unicode));
                style.insert("canonical".into(), json!(canonical));
                if let Some(lb) = line_break {
                    style.insert("line_break".into(), json!(lb));
                }
                Value::Object(style)
            },
        )
}

/// Turns some whole floats into JSON integers, so PyYAML writes `31` inside a float
/// list, as a Python tool holding ints there would. `mask` picks which (bit by bit).
fn intify_whole_floats(value: &mut Value, mask: &mut u64) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            *mask = mask.rotate_left(1);
            if *mask & 1 == 1 && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                *value = json!(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| intify_whole_floats(v, mask)),
        Value::Object(map) => map.values_mut().for_each(|v| intify_whole_floats(v, mask)),
        _ => {}
    }
}

/// Python's `float.hex()` spelling of `f`.
fn python_hex(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let mantissa = bits & ((1 << 52) - 1);
    match (exponent, mantissa) {
        (0, 0) => format!("{sign}0x0.0p+0"),
        (0, m) => format!("{sign}0x0.{m:013x}p-1022"),
        (e, m) => format!("{sign}0x1.{m:013x}p{:+}", e - 1023),
    }
}

/// Whether Python's float (as `float.hex()`) is exactly our integer.
fn hex_is_int(hex: &str, int: &serde_json::Number) -> bool {
    let exact = match (int.as_i64(), int.as_u64()) {
        (Some(i), _) if i.unsigned_abs() <= 1 << 53 => i as f64,
        (_, Some(u)) if u <= 1 << 53 => u as f64,
        _ => return false,
    };
    python_hex(exact) == hex
}

/// Compares PyYAML's exact view with ours. A Python int and our float (or our int
/// and a Python float: the pixel rectangles we serialise with whole numbers as ints)
/// match only when they are the same number, sign of zero included.
fn compare(py: &Value, ours: &Value, path: &str) -> Result<(), String> {
    let py_float = match py {
        Value::Object(o) if o.len() == 1 => o.get("$f").and_then(Value::as_str),
        _ => None,
    };
    match (py, py_float, ours) {
        (_, Some(hex), Value::Number(n)) if n.is_f64() => {
            let mine = python_hex(n.as_f64().unwrap_or(f64::NAN));
            if mine == hex {
                Ok(())
            } else {
                Err(format!("{path}: PyYAML read float {hex}, we read {mine}"))
            }
        }
        (_, Some(hex), Value::Number(n)) if hex_is_int(hex, n) => Ok(()),
        (Value::Number(p), None, Value::Number(n)) if n.is_f64() => {
            let mine = n.as_f64().unwrap_or(f64::NAN);
            if hex_is_int(&python_hex(mine), p) {
                Ok(())
            } else {
                Err(format!(
                    "{path}: PyYAML read int {p}, we read float {}",
                    python_hex(mine)
                ))
            }
        }
        (Value::Array(p), None, Value::Array(o)) if p.len() == o.len() => p
            .iter()
            .zip(o)
            .enumerate()
            .try_for_each(|(i, (a, b))| compare(a, b, &format!("{path}[{i}]"))),
        (Value::Object(p), None, Value::Object(o)) => {
            if let Some(k) = o.keys().find(|k| !p.contains_key(*k)) {
                return Err(format!("{path}: we read key {k:?}, PyYAML did not"));
            }
            p.iter().try_for_each(|(k, v)| {
                let mine = o
                    .get(k)
                    .ok_or_else(|| format!("{path}: PyYAML read key {k:?}, we did not"))?;
                compare(v, mine, &format!("{path}.{k}"))
            })
        }
        _ if py == ours => Ok(()),
        _ => Err(format!("{path}: PyYAML read {py}, we read {ours}")),
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T, parse: fn(&str) -> Option<T>) -> T {
    match std::env::var(name) {
        Ok(text) => parse(text.trim()).unwrap_or_else(|| panic!("{name}={text:?} is not valid")),
        Err(_) => default,
    }
}

/// A runner whose generation is fixed by `seed` alone.
fn seeded_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    // SplitMix64 spreads the 64-bit seed over ChaCha's 32-byte key.
    let mut rng = Rng::new(seed);
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_le_bytes());
    }
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// One document PyYAML wrote.
struct Doc {
    kind: Kind,
    style: String,
    text: String,
}

#[test]
fn pyyaml_safe_dump_in_every_style_reads_as_safe_load_and_back() {
    if !python_with_pyyaml() {
        return;
    }
    let started = Instant::now();
    let seed = env_or("CINEMATIC_DIFF_SEED", DEFAULT_SEED, parse_u64);
    let cases = env_or("CINEMATIC_DIFF_CASES", DEFAULT_CASES, |t| t.parse().ok());
    let mut runner = seeded_runner(seed);

    // 1. Generate values and have PyYAML dump each in every style and load it again.
    let mut kinds = Vec::new();
    let mut styles = Vec::new();
    let mut jobs = Vec::new();
    for case in 0..cases {
        let kind = KINDS[case % KINDS.len()];
        let mut data = kind.generate(&mut runner);
        if case % 3 == 2 {
            let mut mask = sample(any::<u64>(), &mut runner);
            intify_whole_floats(&mut data, &mut mask);
        }
        // Every other value as a partial document (every field has a default): a
        // random half of its fields, or only its text and null fields (so a canonical
        // file with no `!!int` in it, whose tags a reader might get away with ignoring).
        let mut dropped = Vec::new();
        if case % 2 == 1
            && let Value::Object(fields) = &mut data
        {
            let mask = sample(any::<u64>(), &mut runner);
            let text_only = mask & 1 == 1;
            let keys: Vec<String> = fields.keys().cloned().collect();
            for (i, key) in keys.into_iter().enumerate() {
                let drop = if text_only {
                    !matches!(fields[&key], Value::String(_) | Value::Null)
                } else {
                    mask >> (1 + i % 63) & 1 == 1
                };
                if drop {
                    fields.remove(&key);
                    dropped.push(key);
                }
            }
        }
        let random = sample(random_style(), &mut runner);
        let named = STYLES.iter().map(|(name, kwargs)| {
            let kwargs: Value = serde_json::from_str(kwargs).expect("style JSON");
            ((*name).to_owned(), kwargs)
        });
        for (name, style) in named.chain([(format!("random {random}"), random.clone())]) {
            kinds.push((kind, dropped.clone()));
            styles.push(name);
            jobs.push(json!({ "data": data, "style": style }));
        }
    }
    let dumped: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&jobs).expect("jobs"),
    ))
    .expect("python output");
    assert_eq!(dumped.len(), jobs.len());

    // 2. We read every document; the value must be PyYAML's.
    let mut failures = Vec::new();
    let mut written: HashMap<String, Value> = HashMap::new();
    let mut refused_by_both = 0usize;
    for (((kind, dropped), style), out) in kinds.into_iter().zip(styles).zip(&dumped) {
        let text = out["text"].as_str().expect("dumped text").to_owned();
        let doc = Doc { kind, style, text };
        let ours = kind.read(&doc.text);
        match (out.get("loaded"), ours) {
            (Some(theirs), Ok((mine, yaml))) => {
                // Fields missing from the document hold their defaults; PyYAML has none.
                let mut shown = mine.clone();
                if let Value::Object(fields) = &mut shown {
                    fields.retain(|key, _| !dropped.contains(key));
                }
                if let Err(e) = compare(theirs, &shown, "") {
                    failures.push(report(&doc, &e));
                } else {
                    written.entry(yaml).or_insert(mine);
                }
            }
            (Some(_), Err(e)) => failures.push(report(&doc, &format!("we refused: {e}"))),
            (None, Err(_)) => refused_by_both += 1,
            (None, Ok(_)) => failures.push(report(
                &doc,
                &format!("PyYAML refused ({}), we read it", out["error"]),
            )),
        }
    }

    // 3. PyYAML reads what we wrote back to our value.
    let rewritten: Vec<(&String, &Value)> = written.iter().collect();
    let texts: Vec<Value> = rewritten
        .iter()
        .map(|(t, _)| json!({ "text": t }))
        .collect();
    let loaded: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&texts).expect("texts"),
    ))
    .expect("python output");
    for ((text, mine), out) in rewritten.iter().zip(&loaded) {
        let outcome = match out.get("loaded") {
            Some(theirs) => compare(theirs, mine, ""),
            None => Err(format!("PyYAML refused what we wrote: {}", out["error"])),
        };
        if let Err(e) = outcome {
            failures.push(format!("{e}\n--- written by to_yaml_string:\n{text}"));
        }
    }

    let summary = format!(
        "{} documents ({cases} values x {} styles), {} rewritten, {refused_by_both} refused \
         by both, seed CINEMATIC_DIFF_SEED={seed:#x}, {:.1?}",
        jobs.len(),
        STYLES.len() + 1,
        loaded.len(),
        started.elapsed()
    );
    eprintln!("{summary}");
    if !failures.is_empty() {
        let mut message = format!("{} failures in {summary}\n", failures.len());
        for failure in failures.iter().take(8) {
            let _ = writeln!(message, "\n{failure}");
        }
        panic!(
            "{message}\nreproduce: CINEMATIC_DIFF_SEED={seed:#x} CINEMATIC_DIFF_CASES={cases} \
             cargo test -p tracking-yaml --test it pyyaml_differential"
        );
    }
    // Nothing refused by both: PyYAML reads everything it writes.
    assert_eq!(refused_by_both, 0, "{summary}");
}

fn report(doc: &Doc, problem: &str) -> String {
    format!(
        "{kind:?} dumped with {style}: {problem}\n--- PyYAML wrote ({len} bytes):\n{text:?}",
        kind = doc.kind,
        style = doc.style,
        len = doc.text.len(),
        text = doc.text,
    )
}

/// Known field names, which generated unknown keys must avoid.
const SESSION_FIELDS: &[&str] = &[
    "session_id",
    "footage_path",
    "frame_start",
    "frame_end",
    "current_frame",
    "tracks",
    "camera_profile",
    "preset",
    "status",
    "created_at",
    "updated_at",
    "schema_version",
    "revision",
    "save_counter",
    "saved_at",
];
const TRACK_FIELDS: &[&str] = &[
    "name",
    "pattern_area",
    "search_area",
    "markers",
    "enabled",
    "color",
    "correlation",
    "track_type",
];

/// The block styles a Python writer uses; in these our reader types unknown keys
/// exactly as `safe_load` does, unless the text holds a raw NEL, LS or PS (which
/// `allow_unicode` writes): that text, like flow style, goes to `serde_yaml`, whose
/// YAML 1.2 typing the crate docs describe.
const BLOCK_STYLES: &[&str] = &[
    r#"{"default_flow_style": false, "sort_keys": false}"#,
    r#"{"default_flow_style": false, "sort_keys": true, "width": 20}"#,
    r#"{"default_flow_style": false, "sort_keys": false, "indent": 4}"#,
    r#"{"default_flow_style": false, "explicit_start": true, "explicit_end": true, "line_break": "\r\n"}"#,
    r#"{"default_flow_style": false, "allow_unicode": true}"#,
];

/// Whether our fast path reads `text` (so unknown keys are typed as `safe_load` types
/// them): no raw NEL, LS, PS, tab or lone CR.
fn fast_path_text(text: &str) -> bool {
    !text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\t'])
        && !text.replace("\r\n", "\n").contains('\r')
}

/// `loaded[key]` for each key of `keys`, in `loaded` (a PyYAML `exact` dump) or in
/// `loaded.tracks[i]`.
fn values_at(loaded: &Value, keys: &[(Option<usize>, String)]) -> Vec<Value> {
    keys.iter()
        .map(|(track, key)| {
            let holder = match track {
                Some(i) => &loaded["tracks"][*i],
                None => loaded,
            };
            holder
                .get(key)
                .cloned()
                .unwrap_or(Value::String("<missing>".to_owned()))
        })
        .collect()
}

/// Unknown keys of a newer writer, dumped by PyYAML in the block styles Python tools
/// use, are kept by our reader and written back so that PyYAML reads exactly what it
/// read before (bit for bit, type for type: `yes` stays `True`, dates stay dates,
/// `.inf` stays a float, big ints stay ints). In flow styles they load too.
#[test]
fn unknown_keys_survive_our_read_and_write_as_pyyaml_reads_them() {
    if !python_with_pyyaml() {
        return;
    }
    let seed = env_or("CINEMATIC_DIFF_SEED", DEFAULT_SEED, parse_u64) ^ 0xE7A;
    let cases = env_or("CINEMATIC_DIFF_CASES", DEFAULT_CASES, |t| t.parse().ok());
    let mut runner = seeded_runner(seed);
    let mut jobs = Vec::new();
    let mut injected = Vec::new();
    for _ in 0..cases {
        let mut data = json_of(&sample(common::strategies::session(), &mut runner));
        let mut keys = Vec::new();
        let count = sample(1usize..5, &mut runner);
        for _ in 0..count {
            let key: String =
                sample(select(common::strategies::EXTRA_KEYS), &mut runner).to_owned();
            let value = sample(common::strategies::extra_json(), &mut runner);
            let tracks = data["tracks"].as_array().map_or(0, Vec::len);
            let on_track = tracks > 0 && sample(any::<bool>(), &mut runner);
            let (holder, fields, track) = if on_track {
                let i = sample(0..tracks, &mut runner);
                (&mut data["tracks"][i], TRACK_FIELDS, Some(i))
            } else {
                (&mut data, SESSION_FIELDS, None)
            };
            if fields.contains(&key.as_str()) || keys.contains(&(track, key.clone())) {
                continue;
            }
            holder[key.as_str()] = value;
            keys.push((track, key));
        }
        for style in BLOCK_STYLES {
            let style: Value = serde_json::from_str(style).expect("style JSON");
            jobs.push(json!({ "data": data, "style": style }));
            injected.push((keys.clone(), true));
        }
        jobs.push(json!({ "data": data, "style": { "default_flow_style": null } }));
        injected.push((keys.clone(), false));
    }
    let dumped: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&jobs).expect("jobs"),
    ))
    .expect("python output");

    let mut failures = Vec::new();
    let mut rewritten = Vec::new();
    for ((keys, block), out) in injected.iter().zip(&dumped) {
        let text = out["text"].as_str().expect("dumped text");
        let session: TrackingSession = match from_yaml_str(text, &YamlLimits::default()) {
            Ok(session) => session,
            Err(e) => {
                failures.push(format!("we refused what PyYAML wrote: {e}\n{text}"));
                continue;
            }
        };
        let mut expected: Vec<String> = keys
            .iter()
            .map(|(track, key)| match track {
                Some(i) => format!("tracks[{i}].{key}"),
                None => key.clone(),
            })
            .collect();
        expected.sort_by_key(|k| (k.starts_with("tracks["), k.clone()));
        let mut found = session.unknown_keys();
        found.sort_by_key(|k| (k.starts_with("tracks["), k.clone()));
        if found != expected {
            failures.push(format!(
                "unknown keys {found:?}, expected {expected:?}\n{text}"
            ));
            continue;
        }
        if *block && fast_path_text(text) {
            let ours = to_yaml_string(&session).expect("we write what we read");
            rewritten.push((values_at(&out["loaded"], keys), keys, ours, text.to_owned()));
        }
    }
    let texts: Vec<Value> = rewritten
        .iter()
        .map(|(_, _, t, _)| json!({ "text": t }))
        .collect();
    let loaded: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&texts).expect("texts"),
    ))
    .expect("python output");
    for ((before, keys, ours, original), out) in rewritten.iter().zip(&loaded) {
        match out.get("loaded") {
            Some(after) if values_at(after, keys) == *before => {}
            Some(after) => failures.push(format!(
                "PyYAML read {:?} back, it had read {before:?}\n--- PyYAML wrote:\n{original}\n--- we wrote:\n{ours}",
                values_at(after, keys)
            )),
            None => failures.push(format!("PyYAML refused what we wrote: {}\n{ours}", out["error"])),
        }
    }
    eprintln!(
        "{} documents with unknown keys, {} written back, seed {seed:#x}",
        jobs.len(),
        rewritten.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures (seed CINEMATIC_DIFF_SEED={seed:#x}):\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// How PyYAML and we must answer a hand-written document.
enum Expect {
    /// Both read it; what we write PyYAML reads back to the same value at these keys.
    Same(&'static [&'static str]),
    /// `safe_load` refuses the tag, and so do we, at the same line and column.
    Refused,
    /// `safe_load` reads it (bytes, None, a merge), we refuse with a typed error.
    OursOnly,
}

/// The classes of issue #17 item 6, each against the real `safe_load`.
#[test]
fn each_class_of_session_yaml_is_read_as_safe_load_reads_it() {
    if !python_with_pyyaml() {
        return;
    }
    let cases: &[(&str, Expect)] = &[
        (
            "\u{feff}session_id: s\npreset: p\n",
            Expect::Same(&["session_id", "preset"]),
        ),
        (
            "\u{feff}---\nsession_id: s\ntracks: [{name: a}]\n",
            Expect::Same(&["session_id"]),
        ),
        (
            "\u{feff}session_id: s\r\ncamera_prof1le: x\r\n",
            Expect::Same(&["session_id", "camera_prof1le"]),
        ),
        ("session_id: !!python/object:os.system s\n", Expect::Refused),
        (
            "session_id: s\nfootage_path: !!python/object/apply:os.system [ls]\n",
            Expect::Refused,
        ),
        ("!!python/object:x {session_id: s}\n", Expect::Refused),
        ("session_id: !foo s\n", Expect::Refused),
        ("session_id: s\ntracks: [!!str, x]\n", Expect::Refused),
        ("session_id: !!%70ython/none s\n", Expect::Refused),
        (
            "%TAG !! tag:example.com,2000:\n---\nsession_id: !!str s\n",
            Expect::Refused,
        ),
        ("session_id: s\npreset: =\n", Expect::Refused),
        ("session_id: s\nx: [1, <<]\n", Expect::Refused),
        (
            "session_id: s\nfootage_path: !!binary aGVsbG8=\n",
            Expect::OursOnly,
        ),
        ("session_id: s\ntracks: !!set {a: null}\n", Expect::OursOnly),
        ("session_id: null\n", Expect::OursOnly),
        ("session_id:\n", Expect::OursOnly),
        ("session_id: s\ntracks:\n- name: ~\n", Expect::OursOnly),
        ("session_id: s\n<<: {preset: p}\n", Expect::OursOnly),
        (
            "session_id: s\ncamera_prof1le: arri\nwhen: 2024-05-01 10:00:00\nflag: yes\nn: 0777\nt: 12:30\nf: .inf\nbig: 123456789012345678901234567890\nq: 'no'\nl:\n- 1e5\n- ~\n- -.5\n- 0o17\ntracks:\n- name: a\n  colour:\n  - 1\n  - 0.5\n",
            Expect::Same(&[
                "camera_prof1le",
                "when",
                "flag",
                "n",
                "t",
                "f",
                "big",
                "q",
                "l",
                "tracks",
            ]),
        ),
        (
            "session_id: 'null'\nsaved_at: null\n",
            Expect::Same(&["session_id", "saved_at"]),
        ),
        (
            "session_id: ! s\nframe_start: ! 12\n",
            Expect::Same(&["session_id", "frame_start"]),
        ),
    ];
    let texts: Vec<Value> = cases.iter().map(|(t, _)| json!({ "text": t })).collect();
    let loaded: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&texts).expect("texts"),
    ))
    .expect("python output");
    let mut failures = Vec::new();
    let mut written = Vec::new();
    for ((text, expect), py) in cases.iter().zip(&loaded) {
        let ours = from_yaml_str::<TrackingSession>(text, &YamlLimits::default());
        match (expect, &ours, py.get("loaded")) {
            (Expect::Same(keys), Ok(session), Some(theirs)) => {
                let yaml = to_yaml_string(session).expect("we write what we read");
                written.push((*text, keys, theirs.clone(), yaml));
            }
            (Expect::Refused, Err(YamlError::UnsafeTag { line, column, tag }), None) => {
                let message = py["error"].as_str().unwrap_or_default();
                let at = format!("line {line}, column {column}");
                if !(message.contains(&format!("tag '{tag}'")) && message.contains(&at)) {
                    failures.push(format!(
                        "{text:?}: we refused {tag} at {at}; PyYAML: {message}"
                    ));
                }
            }
            (Expect::OursOnly, Err(e), Some(_))
                if e.line().is_some() || matches!(e, YamlError::Data { .. }) => {}
            _ => failures.push(format!("{text:?}: we read {ours:?}; PyYAML: {py}")),
        }
    }
    let texts: Vec<Value> = written
        .iter()
        .map(|(_, _, _, y)| json!({ "text": y }))
        .collect();
    let reloaded: Vec<Value> = serde_json::from_str(&run_python(
        DUMP_AND_LOAD_SCRIPT,
        &serde_json::to_string(&texts).expect("texts"),
    ))
    .expect("python output");
    for ((text, keys, theirs, yaml), py) in written.iter().zip(&reloaded) {
        for key in keys.iter() {
            let key = if *key == "tracks" { "tracks" } else { key };
            let back = &py["loaded"][key];
            let before = &theirs[key];
            let same = if key == "tracks" {
                // Only the track's unknown key: its known fields gain defaults.
                back[0]["colour"] == before[0]["colour"]
            } else {
                back == before
            };
            if !same {
                failures.push(format!(
                    "{text:?}: {key}: PyYAML read {before} first, {back} from what we wrote:\n{yaml}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
