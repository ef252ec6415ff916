//! Session YAML is read as PyYAML's `yaml.safe_load` reads it, then typed (issue #17,
//! items 6 and 10): every class below ends in the right value or a one-line typed
//! error with its position, on both read paths (the block fast path and, for flow
//! style, `serde_yaml`), and no unknown key is lost. `pyyaml_differential.rs` holds the
//! same cases against the real PyYAML.

use std::collections::BTreeMap;

use tracking_types::{ExtraValue, TrackingSession};
use tracking_yaml::{YamlError, YamlLimits, from_yaml_str, to_yaml_string};

fn load(text: &str) -> Result<TrackingSession, YamlError> {
    from_yaml_str(text, &YamlLimits::default())
}

const SEED: &str = include_str!("../fixtures/seed_session_shot_010.yaml");

/// The same document in flow style, which only `serde_yaml` reads.
fn flow(text: &str) -> String {
    text.replace("tracks:\n- name: a\n", "tracks: [{name: a}]\n")
}

fn one_line(error: &YamlError) -> String {
    let text = error.to_string();
    assert!(!text.contains('\n'), "not one line: {text:?}");
    text
}

// --- 1. A byte-order mark ----------------------------------------------------------

#[test]
fn a_utf8_bom_is_skipped_as_pyyaml_skips_it() {
    let plain = load(SEED).unwrap();
    for text in [
        format!("\u{feff}{SEED}"),
        format!("\u{feff}---\n{SEED}"),
        format!("\u{feff}# written on Windows\n{SEED}"),
        format!("\u{feff}{}", SEED.replace('\n', "\r\n")),
    ] {
        assert_eq!(load(&text).unwrap(), plain, "{:?}", &text[..20]);
    }
    // Through serde_yaml too (flow style), and positions count from after the mark.
    let text = "\u{feff}session_id: s\ntracks: [{name: a}]\n";
    assert_eq!(load(text).unwrap().tracks[0].name, "a");
    let err = load("\u{feff}session_id: s\nframe_start: x\n").unwrap_err();
    assert_eq!((err.line(), err.column()), (Some(2), Some(14)));
    // Only one mark is skipped: a second one is text (PyYAML reads the key
    // "\u{feff}session_id"), here an unknown key, so nothing is silently lost.
    let twice = load("\u{feff}\u{feff}session_id: s\n").unwrap();
    assert_eq!(twice.unknown_keys(), ["\u{feff}session_id"]);
    // Where only serde_yaml reads the text, which would skip the second mark too, it
    // is refused rather than read otherwise than PyYAML reads it.
    let err = load("\u{feff}\u{feff}session_id: s\ntracks: [{name: a}]\n").unwrap_err();
    assert!(
        matches!(
            err,
            YamlError::Syntax {
                line: Some(1),
                column: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    // A mark alone is an empty document.
    assert_eq!(load("\u{feff}"), Err(YamlError::EmptyDocument));
}

#[test]
fn windows_line_ends_are_read_as_line_ends_on_the_fast_path() {
    let crlf = SEED.replace('\n', "\r\n");
    assert_eq!(load(&crlf).unwrap(), load(SEED).unwrap());
    let err = load("session_id: s\r\nframe_start: x\r\n").unwrap_err();
    assert_eq!((err.line(), err.column()), (Some(2), Some(14)));
    // A lone CR is a line break too (YAML 1.1); serde_yaml reads it.
    assert_eq!(load("session_id: s\rpreset: p\n").unwrap().preset, "p");
}

// --- 2. Tags `safe_load` refuses ---------------------------------------------------

fn unsafe_tag(text: &str) -> (usize, usize, String) {
    match load(text) {
        Err(e @ YamlError::UnsafeTag { .. }) => {
            let shown = one_line(&e);
            let YamlError::UnsafeTag { line, column, tag } = e else {
                unreachable!()
            };
            assert!(
                shown.contains(&format!(
                    "could not determine a constructor for the tag '{tag}'"
                )),
                "{shown}"
            );
            (line, column, tag)
        }
        other => panic!("expected UnsafeTag for {text:?}, got {other:?}"),
    }
}

#[test]
fn python_and_other_unsafe_tags_are_refused_with_their_position() {
    let py = |rest: &str| format!("tag:yaml.org,2002:python/{rest}");
    for (text, expected) in [
        (
            "session_id: !!python/object:os.system x\n",
            (1, 13, py("object:os.system")),
        ),
        (
            "session_id: s\nfootage_path: !!python/object/apply:os.system [echo]\n",
            (2, 15, py("object/apply:os.system")),
        ),
        ("session_id: !!python/str x\n", (1, 13, py("str"))),
        (
            "session_id: s\ntracks:\n- name: !!python/unicode a\n",
            (3, 9, py("unicode")),
        ),
        // A tag on a key, a local tag, a verbatim tag, an escaped one, another schema.
        (
            "!!python/name:os.system session_id: s\n",
            (1, 1, py("name:os.system")),
        ),
        ("session_id: !foo s\n", (1, 13, "!foo".to_owned())),
        (
            "session_id: !<tag:yaml.org,2002:python/none> s\n",
            (1, 13, py("none")),
        ),
        ("session_id: !!%70ython/none s\n", (1, 13, py("none"))),
        (
            "%TAG !! tag:example.com,2000:\n---\nsession_id: !!str s\n",
            (3, 13, "tag:example.com,2000:str".to_owned()),
        ),
        // As PyYAML scans it, the tag runs to the next blank: `str,` is no core tag.
        (
            "session_id: s\ntracks: [!!str, x]\n",
            (2, 10, "tag:yaml.org,2002:str,".to_owned()),
        ),
        // A whole document tagged as a Python object.
        (
            "!!python/object:tracking.Session {session_id: s}\n",
            (1, 1, py("object:tracking.Session")),
        ),
        // Plain `=` is PyYAML's value tag, `<<` as a value its merge tag.
        (
            "session_id: s\npreset: =\n",
            (2, 9, "tag:yaml.org,2002:value".to_owned()),
        ),
        (
            "session_id: s\ncamera_profile: <<\n",
            (2, 17, "tag:yaml.org,2002:merge".to_owned()),
        ),
    ] {
        assert_eq!(unsafe_tag(text), expected, "{text:?}");
    }
}

#[test]
fn a_refused_tag_outranks_a_data_error_found_first() {
    // PyYAML constructs the whole document before anything is typed.
    let text = "frame_start: x\nsession_id: !!python/object:os.system s\n";
    assert_eq!(
        unsafe_tag(text),
        (
            2,
            13,
            "tag:yaml.org,2002:python/object:os.system".to_owned()
        )
    );
}

#[test]
fn core_tags_and_the_non_specific_tag_are_read_as_before() {
    let s =
        load("session_id: !!str 12\nframe_start: !!int \"7\"\nsaved_at: !!null null\n").unwrap();
    assert_eq!(
        (s.session_id.as_str(), s.frame_start, s.saved_at),
        ("12", 7, None)
    );
    let s = load("session_id: ! s\nframe_start: ! 7\n").unwrap();
    assert_eq!((s.session_id.as_str(), s.frame_start), ("s", 7));
    let s =
        load("%TAG !e! tag:yaml.org,2002:\n---\nsession_id: s\nframe_start: !e!int 9\n").unwrap();
    assert_eq!(s.frame_start, 9);
    // `!` inside text is text.
    let s = load("session_id: s\npreset: 'fast !!python/object'\ncamera_profile: a!b\n").unwrap();
    assert_eq!(s.preset, "fast !!python/object");
    assert_eq!(s.camera_profile, "a!b");
}

#[test]
fn merge_keys_are_refused_not_kept_as_a_key() {
    // `safe_load` would merge `frame_start: 5` in; keeping `<<` as a key would not.
    let err = load("session_id: s\n<<: {frame_start: 5}\n").unwrap_err();
    assert_eq!(err, YamlError::MergeKey { line: 2, column: 1 });
    assert_eq!(
        one_line(&err),
        "line 2 column 1: merge keys (<<) are not supported"
    );
    // Quoted, it is a key like any other (kept).
    let s = load("session_id: s\n'<<': x\n").unwrap();
    assert_eq!(s.unknown_keys(), ["<<"]);
}

// --- 3. Binary data and other non-text values -------------------------------------

fn data_error(text: &str) -> (String, Option<usize>, Option<usize>, String) {
    match load(text) {
        Err(e @ YamlError::Data { .. }) => {
            one_line(&e);
            let YamlError::Data {
                path,
                line,
                column,
                message,
            } = e
            else {
                unreachable!()
            };
            (path, line, column, message)
        }
        other => panic!("expected a data error for {text:?}, got {other:?}"),
    }
}

#[test]
fn binary_data_on_a_text_field_is_a_type_error_at_the_field() {
    let binary = "invalid type: binary data (!!binary), which no field holds".to_owned();
    for (text, expected) in [
        (
            "session_id: s\nfootage_path: !!binary aGVsbG8=\n",
            ("footage_path", 2, 15),
        ),
        (
            "session_id: s\ntracks:\n- name: !!binary aGk=\n",
            ("tracks[0].name", 3, 9),
        ),
        // PyYAML's own spelling of bytes: a tag and a literal block.
        (
            "session_id: s\ncamera_profile: !!binary |\n  aGVsbG8=\n",
            ("camera_profile", 2, 17),
        ),
        // An unknown key cannot keep bytes either: an error, never a silent change.
        (
            "session_id: s\nthumbnail: !!binary aGk=\n",
            ("thumbnail", 2, 12),
        ),
        (
            "session_id: s\ntracks: [{name: a, color: !!binary aGk=}]\n",
            ("tracks[0].color", 2, 27),
        ),
    ] {
        let (path, line, column, message) = data_error(text);
        assert_eq!(
            (path.as_str(), line, column),
            (expected.0, Some(expected.1), Some(expected.2)),
            "{text:?}"
        );
        assert_eq!(message, binary, "{text:?}");
    }
    // A timestamp is read as its text, tagged (as PyYAML writes one in flow style) or
    // plain.
    let s = load("session_id: s\ncreated_at: !!timestamp 2024-01-01\nupdated_at: 2024-01-02\n")
        .unwrap();
    assert_eq!(
        (s.created_at.as_str(), s.updated_at.as_str()),
        ("2024-01-01", "2024-01-02")
    );
    let (path, _, _, message) = data_error("session_id: s\ntracks: !!set {a, b}\n");
    assert_eq!(path, "tracks");
    assert!(message.contains("a set (!!set)"), "{message}");
}

// --- 4. `null` for a required string ----------------------------------------------

#[test]
fn null_for_a_text_field_is_an_error_not_the_text_null() {
    for (text, path, line, column) in [
        ("session_id: null\n", "session_id", 1, 13),
        ("session_id: ~\n", "session_id", 1, 13),
        ("session_id: NULL\n", "session_id", 1, 13),
        // An empty value is null to PyYAML too.
        ("session_id:\nframe_start: 1\n", "session_id", 1, 12),
        ("session_id: s\nfootage_path: null\n", "footage_path", 2, 15),
        (
            "session_id: s\ntracks:\n- name: null\n",
            "tracks[0].name",
            3,
            9,
        ),
        ("session_id: s\npreset: ~\n", "preset", 2, 9),
        ("session_id: s\ncreated_at:\n", "created_at", 2, 12),
    ] {
        let (p, l, c, message) = data_error(text);
        assert_eq!(
            (p.as_str(), l, c),
            (path, Some(line), Some(column)),
            "{text:?}"
        );
        assert_eq!(message, "invalid type: null, expected a string", "{text:?}");
    }
    // In flow style (serde_yaml) too.
    let (path, line, _, _) = data_error("{session_id: null, preset: p}\n");
    assert_eq!((path.as_str(), line), ("session_id", Some(1)));
    // Quoted, it is the text "null"; a missing field keeps its default.
    assert_eq!(load("session_id: 'null'\n").unwrap().session_id, "null");
    assert_eq!(load("frame_start: 3\n").unwrap().session_id, "");
    // Optional fields take null.
    assert_eq!(
        load("session_id: s\nsaved_at: null\n").unwrap().saved_at,
        None
    );
}

// --- 5. Unknown keys: kept, typed as PyYAML types them, written back ---------------

/// A session from a newer writer (block style, as PyYAML's `yaml.dump` writes it).
const NEWER: &str = "\
session_id: shot_020
camera_prof1le: arri
footage_path: /plates/a.mov
lens:
  model: Cooke S4
  focal: 35
  squeeze: 1.0
  primes: [25, 35, 50]
tracks:
- name: Track.001
  colour:
  - 0.5
  - 1
  weight: .inf
  solved: yes
exported_at: 2024-05-01 10:00:00
flags: {}
octal: 0777
clock: 12:30
big: 1_000
huge: 123456789012345678901234567890
quoted: 'yes'
nothing:
";

fn string(s: &str) -> ExtraValue {
    ExtraValue::String(s.to_owned())
}

#[test]
fn unknown_keys_are_kept_and_typed_as_safe_load_types_them() {
    let s = load(&NEWER.replace("  primes: [25, 35, 50]\n", "")).unwrap();
    assert_eq!(s.session_id, "shot_020");
    assert_eq!(s.footage_path, "/plates/a.mov");
    assert_eq!(
        s.unknown_keys(),
        [
            "big",
            "camera_prof1le",
            "clock",
            "exported_at",
            "flags",
            "huge",
            "lens",
            "nothing",
            "octal",
            "quoted",
            "tracks[0].colour",
            "tracks[0].solved",
            "tracks[0].weight",
        ]
    );
    let extra = &s.extra;
    assert_eq!(extra["camera_prof1le"], string("arri"));
    assert_eq!(
        extra["lens"],
        ExtraValue::Map(BTreeMap::from([
            ("focal".to_owned(), ExtraValue::Int(35)),
            ("model".to_owned(), string("Cooke S4")),
            ("squeeze".to_owned(), ExtraValue::Float(1.0)),
        ]))
    );
    // YAML 1.1, as Python reads them: octal, sexagesimal, underscores, timestamps.
    assert_eq!(extra["octal"], ExtraValue::Int(0o777));
    assert_eq!(extra["clock"], ExtraValue::Int(12 * 60 + 30));
    assert_eq!(extra["big"], ExtraValue::Int(1000));
    assert_eq!(
        extra["huge"],
        ExtraValue::Int(123_456_789_012_345_678_901_234_567_890)
    );
    assert_eq!(
        extra["exported_at"],
        ExtraValue::Timestamp("2024-05-01 10:00:00".to_owned())
    );
    assert_eq!(extra["quoted"], string("yes"));
    assert_eq!(extra["nothing"], ExtraValue::Null);
    assert_eq!(extra["flags"], ExtraValue::Map(BTreeMap::new()));
    let track = &s.tracks[0].extra;
    assert_eq!(track["solved"], ExtraValue::Bool(true));
    assert_eq!(track["weight"], ExtraValue::Float(f64::INFINITY));
    assert_eq!(
        track["colour"],
        ExtraValue::List(vec![ExtraValue::Float(0.5), ExtraValue::Int(1)])
    );
}

#[test]
fn unknown_keys_are_written_back_after_the_known_fields_in_key_order() {
    let s = load(&NEWER.replace("  primes: [25, 35, 50]\n", "")).unwrap();
    let text = to_yaml_string(&s).unwrap();
    let tail = text.split_once("updated_at: ''\n").unwrap().1;
    assert_eq!(
        tail,
        "\
big: 1000
camera_prof1le: arri
clock: 750
exported_at: 2024-05-01 10:00:00
flags: {}
huge: 123456789012345678901234567890
lens:
  focal: 35
  model: Cooke S4
  squeeze: 1.0
nothing: null
octal: 511
quoted: 'yes'
"
    );
    assert!(
        text.contains(
            "  track_type: point\n  colour:\n  - 0.5\n  - 1\n  solved: true\n  weight: .inf\n"
        ),
        "{text}"
    );
    // And read back, the same session.
    assert_eq!(load(&text).unwrap(), s);
}

#[test]
fn unknown_keys_that_cannot_be_kept_are_errors() {
    let (path, line, _, message) = data_error("session_id: s\nx:\n  1001: a\n");
    assert_eq!((path.as_str(), line), ("x", Some(3)));
    assert_eq!(message, "a map key that is not text (1001) cannot be kept");
    let (path, _, _, message) = data_error("session_id: s\nx: 1\nx: 2\n");
    assert_eq!(path, ".");
    assert_eq!(message, "duplicate key \"x\"");
    let (_, _, _, message) = data_error("session_id: s\nx: 1\nsession_id: t\n");
    assert_eq!(message, "duplicate field `session_id`");
}

#[test]
fn unknown_keys_are_kept_by_the_general_reader_too() {
    // Flow style: serde_yaml reads it, and types untagged scalars by its YAML 1.2
    // rules (documented in the crate docs): numbers, text and structure are kept.
    let s = load(&flow(
        "session_id: s\nlens: {model: Cooke, focal: 35, primes: [25, 35]}\ntracks:\n- name: a\n",
    ))
    .unwrap();
    assert_eq!(s.unknown_keys(), ["lens"]);
    assert_eq!(
        s.extra["lens"],
        ExtraValue::Map(BTreeMap::from([
            ("focal".to_owned(), ExtraValue::Int(35)),
            ("model".to_owned(), string("Cooke")),
            (
                "primes".to_owned(),
                ExtraValue::List(vec![ExtraValue::Int(25), ExtraValue::Int(35)])
            ),
        ]))
    );
    assert_eq!(s.tracks[0].name, "a");
}

#[test]
fn every_seed_file_has_no_unknown_keys() {
    let s = load(SEED).unwrap();
    assert!(s.unknown_keys().is_empty());
    assert_eq!(to_yaml_string(&s).unwrap(), SEED);
}
