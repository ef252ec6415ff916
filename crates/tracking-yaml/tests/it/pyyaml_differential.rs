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

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tracking_types::{FootageInfo, FootageMetadata, SolveData, SolveReport, TrackingSession};
use tracking_yaml::{YamlLimits, from_yaml_str, to_yaml_string};

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
import json, sys, yaml
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
        text = yaml.safe_dump(job["data"], **job["style"])
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

fn parse_seed(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => text.parse().ok(),
    }
}

/// A runner whose generation is fixed by `seed` alone.
fn seeded_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    let mut state = seed;
    for chunk in bytes.chunks_mut(8) {
        // SplitMix64 spreads the 64-bit seed over ChaCha's 32-byte key.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
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
    let seed = env_or("CINEMATIC_DIFF_SEED", DEFAULT_SEED, parse_seed);
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
