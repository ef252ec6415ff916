//! Unit tests of the codec internals: the fast path against `serde_yaml`.

use super::*;
use tracking_types::{FootageMetadata, SolveData, SolveReport, TrackingSession};

fn fast<T: DeserializeOwned>(text: &str) -> Option<Result<T, YamlError>> {
    match from_yaml_str_fast(text, &YamlLimits::default()) {
        FastOutcome::Done(r) => Some(r),
        FastOutcome::Unsupported => None,
    }
}

fn fallback<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_yaml_str_fallback(text, &YamlLimits::default())
}

const SHOT_010: &str = include_str!("../tests/fixtures/seed_session_shot_010.yaml");
const DEFAULTS: &str = include_str!("../tests/fixtures/seed_session_defaults.yaml");
const SOLVE: &str = include_str!("../tests/fixtures/seed_solve_v1.yaml");
const REPORT_AND_FOOTAGE: &str = include_str!("../tests/fixtures/seed_report_and_footage.yaml");

#[derive(Debug, PartialEq, serde::Deserialize)]
struct ReportAndFootage {
    solve_report: SolveReport,
    footage_metadata: FootageMetadata,
}

#[test]
fn every_seed_file_takes_the_fast_path_and_matches_serde_yaml() {
    let s: TrackingSession = fast(SHOT_010).expect("fast path").unwrap();
    assert_eq!(s, fallback::<TrackingSession>(SHOT_010).unwrap());
    let s: TrackingSession = fast(DEFAULTS).expect("fast path").unwrap();
    assert_eq!(s, fallback::<TrackingSession>(DEFAULTS).unwrap());
    let s: SolveData = fast(SOLVE).expect("fast path").unwrap();
    assert_eq!(s, fallback::<SolveData>(SOLVE).unwrap());
    let s: ReportAndFootage = fast(REPORT_AND_FOOTAGE).expect("fast path").unwrap();
    assert_eq!(s, fallback::<ReportAndFootage>(REPORT_AND_FOOTAGE).unwrap());
}

#[test]
fn the_untyped_value_protocol_names_are_the_data_models() {
    assert_eq!(NATIVE_VALUE, tracking_types::extra::NATIVE_VALUE);
    assert_eq!(TIMESTAMP, tracking_types::extra::TIMESTAMP);
}

#[test]
fn explicit_end_long_keys_and_crlf_stay_on_the_fast_path() {
    let s: TrackingSession = fast("session_id: s\n...\n# done\n").expect("fast").unwrap();
    assert_eq!(s.session_id, "s");
    let long = "k".repeat(200);
    let text = format!("session_id: s\n? {long}\n: - 1\n  - 2\n? ''\n: x\n");
    let s: TrackingSession = fast(&text).expect("fast").unwrap();
    assert_eq!(s.unknown_keys(), ["", long.as_str()]);
    assert_eq!(s, fallback::<TrackingSession>(&text).unwrap());
    let crlf: TrackingSession = fast(&SHOT_010.replace('\n', "\r\n"))
        .expect("fast")
        .unwrap();
    assert_eq!(
        crlf,
        fast::<TrackingSession>(SHOT_010).expect("fast").unwrap()
    );
    // A second document after `...` is not ours to read.
    assert!(fast::<TrackingSession>("session_id: s\n...\n---\nb: 1\n").is_none());
}

/// What `yaml.safe_dump(..., allow_unicode=True)` writes for strings holding NEL, LS
/// or PS: single-quoted, with the character as a line break and the next line
/// indented. YAML 1.1 folds it: the indentation goes, NEL folds like `\n`.
#[test]
fn raw_nel_ls_ps_leave_the_fast_path_and_fold_as_in_yaml_1_1() {
    for (text, expected) in [
        ("k: 'ls\u{2028}  x'\n", "ls\u{2028}x"),
        ("k: 'p\u{2029}  q'\n", "p\u{2029}q"),
        ("k: 'a\u{85}  b'\n", "a b"),
        ("k: 'a  \u{85}\u{85}  b'\n", "a\nb"),
        ("k: \"ab \u{2028}  \u{2028}  c\"\n", "ab\u{2028}\u{2028}c"),
    ] {
        assert!(fast::<std::collections::BTreeMap<String, String>>(text).is_none());
        let read: std::collections::BTreeMap<String, String> =
            from_yaml_str(text, &YamlLimits::default()).unwrap();
        assert_eq!(read["k"], expected, "{text:?}");
    }
    // Escaped, they are text, and the fast path reads them.
    let read: std::collections::BTreeMap<String, String> =
        fast("k: \"ls\\Lx\\N\"\n").expect("fast path").unwrap();
    assert_eq!(read["k"], "ls\u{2028}x\u{85}");
}

/// `yaml.safe_dump(..., canonical=True)`: every scalar quoted and tagged; the tag
/// decides the type.
#[test]
fn canonical_tags_decide_the_type() {
    let text = "---\n!!map {\n  ? !!str \"current_frame\"\n  : !!int \"1299\",\n  ? !!str \"tracks\"\n  : !!seq [\n    !!map {\n      ? !!str \"markers\"\n      : !!map {\n        ? !!str \"1001\"\n        : !!seq [\n          !!float \"-0.0\",\n          !!int \"31\",\n        ],\n      },\n      ? !!str \"enabled\"\n      : !!bool \"false\",\n    },\n  ],\n  ? !!str \"saved_at\"\n  : !!null \"null\",\n}\n";
    let s: TrackingSession = from_yaml_str(text, &YamlLimits::default()).unwrap();
    assert_eq!(s.current_frame, 1299);
    assert_eq!(s.saved_at, None);
    let marker = s.tracks[0].markers[&1001];
    assert!(marker[0] == 0.0 && marker[0].is_sign_negative() && marker[1] == 31.0);
    assert!(!s.tracks[0].enabled);
    // A document whose only tags are `!!str` and `!!null`: `serde_yaml`'s typed read
    // alone would make the null `Some("null")`.
    let text = "!!map {\n  ? !!str \"camera_model\"\n  : !!null \"null\",\n  ? !!str \"codec\"\n  : !!str \"h264\",\n}\n";
    let m: FootageMetadata = from_yaml_str(text, &YamlLimits::default()).unwrap();
    assert_eq!((m.camera_model, m.codec.as_str()), (None, "h264"));
    // A tag that does not fit the field is a data error at that field.
    let err = from_yaml_str::<TrackingSession>(
        "current_frame: !!float \"1.5\"\n",
        &YamlLimits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, YamlError::Data { path, line: Some(1), .. } if path == "current_frame"),
        "{err:?}"
    );
}

#[path = "../tests/it/common/strategies.rs"]
mod strategies;

use proptest::prelude::*;
use strategies::bitwise_eq;

/// Emits `value`, then reads it back through both paths: the fast path must handle
/// it, and both must give back the value bit for bit.
fn assert_paths_agree<T>(value: &T)
where
    T: Serialize + DeserializeOwned + std::fmt::Debug,
{
    assert_paths_agree_with(value, true);
}

/// As [`assert_paths_agree`]; with `require_fast` false the fast path may decline
/// (complex `? key` entries), but when it answers it must agree.
fn assert_paths_agree_with<T>(value: &T, require_fast: bool)
where
    T: Serialize + DeserializeOwned + std::fmt::Debug,
{
    let text = to_yaml_string(value).unwrap();
    let via_fast: T = match fast(&text) {
        Some(result) => result.unwrap_or_else(|e| panic!("fast path failed: {e}\n{text}")),
        None if require_fast => panic!("fast path declined a document we emitted:\n{text}"),
        None => {
            assert!(
                text.contains("? "),
                "only complex keys may leave the fast path:\n{text}"
            );
            let via_serde_yaml: T = fallback(&text).unwrap();
            assert!(
                bitwise_eq(&via_serde_yaml, value),
                "serde_yaml changed the value:\n{text}"
            );
            return;
        }
    };
    let via_serde_yaml: T =
        fallback(&text).unwrap_or_else(|e| panic!("serde_yaml failed: {e}\n{text}"));
    assert!(
        bitwise_eq(&via_fast, value),
        "fast path changed the value:\n{text}\n{via_fast:?}\n{value:?}"
    );
    assert!(
        bitwise_eq(&via_serde_yaml, value),
        "serde_yaml changed the value:\n{text}"
    );
    // Untyped, scalars are resolved by the YAML rules alone: both paths must agree.
    let untyped_fast: serde_json::Value = fast(&text).expect("fast path").unwrap();
    let untyped_slow: serde_json::Value = fallback(&text).unwrap();
    assert_eq!(untyped_fast, untyped_slow, "untyped reads differ:\n{text}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn sessions_round_trip_identically_through_both_readers(session in strategies::session()) {
        assert_paths_agree(&session);
    }

    #[test]
    fn tracks_round_trip_identically_through_both_readers(track in strategies::track()) {
        assert_paths_agree(&track);
    }

    #[test]
    fn solves_round_trip_identically_through_both_readers(solve in strategies::solve()) {
        assert_paths_agree(&solve);
    }

    #[test]
    fn reports_round_trip_identically_through_both_readers(report in strategies::report()) {
        assert_paths_agree(&report);
    }

    #[test]
    fn footage_metadata_round_trips_identically_through_both_readers(meta in strategies::footage_metadata()) {
        assert_paths_agree(&meta);
    }

    #[test]
    fn footage_info_round_trips_identically_through_both_readers(info in strategies::footage_info()) {
        assert_paths_agree(&info);
    }

    #[test]
    fn any_string_list_round_trips_identically_through_both_readers(
        strings in proptest::collection::vec(strategies::yaml_string(), 0..8),
        keyed in proptest::collection::btree_map(strategies::yaml_string(), strategies::yaml_string(), 0..6),
    ) {
        assert_paths_agree(&strings);
        assert_paths_agree_with(&keyed, false);
    }
}

/// Outcome of reading `text` through one path, for comparison.
fn outcome<T: std::fmt::Debug>(result: Result<T, YamlError>) -> Result<String, ()> {
    result.map(|v| format!("{v:?}")).map_err(|_| ())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Damaged documents (a character inserted or removed anywhere) never panic, and
    /// whenever the fast path answers, serde_yaml agrees: the same value, or an error.
    #[test]
    fn damaged_documents_never_panic_and_the_fast_path_agrees_when_it_answers(
        session in strategies::session(),
        at in any::<proptest::sample::Index>(),
        insert in proptest::option::of(proptest::sample::select(&[' ', '\n', '-', ':', '#', '\'', '"', '\\', 'x', '[', '&', '*', '?', '|'][..])),
    ) {
        let mut text = to_yaml_string(&session).unwrap();
        let mut cut = at.index(text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        match insert {
            Some(c) => text.insert(cut, c),
            None => {
                if let Some(c) = text[cut..].chars().next() {
                    text.replace_range(cut..cut + c.len_utf8(), "");
                }
            }
        }
        // serde_yaml itself (aliases allowed, so the conservative alias guard, which
        // may refuse `&` at the start of a continuation line, is out of the picture).
        let raw_serde_yaml = YamlLimits::default().with_aliases(true);
        let slow = outcome(from_yaml_str_fallback::<TrackingSession>(&text, &raw_serde_yaml));
        match fast::<TrackingSession>(&text) {
            Some(Ok(value)) => prop_assert_eq!(
                Ok(format!("{value:?}")), slow, "fast path accepted what serde_yaml reads differently:\n{}", text
            ),
            Some(Err(YamlError::AliasesNotAllowed { .. })) | None => {}
            Some(Err(e)) => prop_assert!(slow.is_err(), "fast path refused ({}) what serde_yaml reads:\n{}", e, text),
        }
        // And the public entry point never panics.
        let _ = from_yaml_str::<TrackingSession>(&text, &YamlLimits::default());
        let _ = from_yaml_str::<serde_json::Value>(&text, &YamlLimits::default());
    }
}
