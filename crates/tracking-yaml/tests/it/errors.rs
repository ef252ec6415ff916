//! Bad input gives typed errors that say what and where: unknown enum values,
//! duplicated frame keys, non-finite numbers, limits (size, depth, alias bombs),
//! syntax errors; plus the lenient cases the original's files need.

// Test helpers outside `#[test]` functions may panic too.

use std::collections::BTreeMap;

use tracking_types::{
    QualityLevel, SolveData, SolveReport, TrackData, TrackingSession, Validate, ValidationError,
};
use tracking_yaml::{YamlError, YamlLimits, from_yaml_str, to_yaml_string};

fn load_session(text: &str) -> Result<TrackingSession, YamlError> {
    from_yaml_str(text, &YamlLimits::default())
}

const SESSION_HEAD: &str = "session_id: s\ntracks:\n- name: a\n";

fn data_error(
    result: Result<TrackingSession, YamlError>,
) -> (String, Option<usize>, Option<usize>, String) {
    match result {
        Err(YamlError::Data {
            path,
            line,
            column,
            message,
        }) => (path, line, column, message),
        other => panic!("expected a data error, got {other:?}"),
    }
}

#[test]
fn unknown_track_type_names_the_field_the_allowed_values_and_the_line() {
    let text = format!("{SESSION_HEAD}  track_type: spline\n");
    let (path, line, column, message) = data_error(load_session(&text));
    assert_eq!(path, "tracks[0].track_type");
    assert_eq!((line, column), (Some(4), Some(15)));
    assert_eq!(
        message,
        "unknown variant `spline`, expected one of `point`, `plane`, `object`"
    );
    let shown = load_session(&text).unwrap_err().to_string();
    assert_eq!(
        shown,
        "tracks[0].track_type: unknown variant `spline`, expected one of `point`, `plane`, `object` (line 4 column 15)"
    );
}

#[test]
fn unknown_enum_value_is_reported_the_same_way_by_the_general_reader() {
    // A flow sequence takes the document off the fast path, to serde_yaml.
    let text = format!("{SESSION_HEAD}  color: [1.0, 0.0, 0.0]\n  track_type: spline\n");
    let (path, line, _, message) = data_error(load_session(&text));
    assert_eq!(path, "tracks[0].track_type");
    assert_eq!(line, Some(5));
    assert!(
        message.contains("unknown variant `spline`, expected one of `point`, `plane`, `object`"),
        "{message}"
    );
}

#[test]
fn unknown_status_lists_the_allowed_statuses() {
    let (path, line, _, message) = data_error(load_session("session_id: s\nstatus: done\n"));
    assert_eq!(path, "status");
    assert_eq!(line, Some(2));
    assert_eq!(
        message,
        "unknown variant `done`, expected one of `in_progress`, `complete`, `error`"
    );
}

#[test]
fn duplicated_frame_key_is_an_error_pointing_at_the_duplicate() {
    let text = format!(
        "{SESSION_HEAD}  markers:\n    '1001':\n    - 0.1\n    - 0.2\n    '1001':\n    - 0.3\n    - 0.4\n"
    );
    let (path, line, _, message) = data_error(load_session(&text));
    assert_eq!(path, "tracks[0].markers");
    assert_eq!(line, Some(8));
    assert_eq!(message, "duplicate frame key 1001");
}

#[test]
fn quoted_and_bare_spellings_of_one_frame_are_duplicates() {
    let text = format!("{SESSION_HEAD}  markers:\n    1001: [0.1, 0.2]\n    '1001': [0.3, 0.4]\n");
    let (path, _, _, message) = data_error(load_session(&text));
    assert_eq!(path, "tracks[0].markers");
    assert_eq!(message, "duplicate frame key 1001");
}

#[test]
fn bare_integer_frame_keys_whole_numbers_and_empty_timestamps_are_accepted() {
    let text = "name: s\nframe_range:\n- 1\n- 2\ncamera_transforms:\n  1:\n  - 5\n  - 0\n  - -1\n  - 90\n  - 0.5\n  - 0\nsolved_at: ''\n";
    let solve: SolveData = from_yaml_str(text, &YamlLimits::default()).unwrap();
    assert_eq!(
        solve.camera_transforms,
        BTreeMap::from([(1, [5.0, 0.0, -1.0, 90.0, 0.5, 0.0])])
    );
    assert_eq!(solve.solved_at, "");
}

#[test]
fn unknown_fields_from_newer_writers_are_kept_not_dropped() {
    let text = "session_id: s\nfuture_field:\n  nested:\n  - 1\n  - x: y\ntracks:\n- name: a\n  future_track_field: 3\n";
    let session = load_session(text).unwrap();
    assert_eq!(session.session_id, "s");
    assert_eq!(session.tracks[0].name, "a");
    assert_eq!(
        session.unknown_keys(),
        ["future_field", "tracks[0].future_track_field"]
    );
    // (`tests/it/safe_load.rs` has the rest: values, layout, round trips.)
}

#[test]
fn a_string_where_a_number_belongs_names_the_field_and_line() {
    let (path, line, _, message) = data_error(load_session("session_id: s\nframe_start: abc\n"));
    assert_eq!(path, "frame_start");
    assert_eq!(line, Some(2));
    assert!(
        message.contains("invalid type: string \"abc\", expected i64"),
        "{message}"
    );
}

#[test]
fn non_finite_numbers_are_refused_on_write_with_the_field_path() {
    let mut session = TrackingSession::new("s");
    session.tracks = vec![TrackData::new("a"), TrackData::new("b")];
    session.tracks[1].markers = BTreeMap::from([(1001, [0.5, 0.5]), (1002, [f64::NAN, 0.5])]);
    match to_yaml_string(&session) {
        Err(YamlError::NonFinite { path, value }) => {
            assert_eq!(path, "tracks[1].markers[1002][0]");
            assert!(value.is_nan());
        }
        other => panic!("expected NonFinite, got {other:?}"),
    }
    let solve = SolveData {
        frame_range: [1001, 1001],
        camera_transforms: BTreeMap::from([(1001, [0.0, 0.0, 0.0, f64::INFINITY, 0.0, 0.0])]),
        ..SolveData::default()
    };
    let err = to_yaml_string(&solve).unwrap_err();
    assert_eq!(
        err.to_string(),
        "camera_transforms[1001][3]: non-finite number inf cannot be written to YAML"
    );
}

#[test]
fn validation_names_the_same_paths_and_checks_ranges() {
    let mut session = TrackingSession::new("s");
    session.tracks = vec![TrackData::new("a"), TrackData::new("b")];
    session.tracks[1].markers = BTreeMap::from([(1002, [f64::NAN, 0.5])]);
    assert_eq!(
        session.validate().unwrap_err().field(),
        "tracks[1].markers[1002][0]"
    );

    let solve = SolveData {
        camera_transforms: BTreeMap::from([(5, [0.0, 0.0, 0.0, f64::NEG_INFINITY, 0.0, 0.0])]),
        ..SolveData::default()
    };
    assert!(
        matches!(solve.validate(), Err(ValidationError::NonFinite { ref field, .. }) if field == "camera_transforms[5][3]")
    );

    type BreakSolve = Box<dyn Fn(&mut SolveData)>;
    let cases: Vec<(BreakSolve, &str)> = vec![
        (Box::new(|s| s.focal_length = 0.0), "focal_length"),
        (Box::new(|s| s.sensor_width = -36.0), "sensor_width"),
        (Box::new(|s| s.frame_range = [10, 1]), "frame_range"),
        (Box::new(|s| s.sensor_height = Some(0.0)), "sensor_height"),
        (
            Box::new(|s| {
                s.camera_transforms.insert(500, [0.0; 6]);
            }),
            "camera_transforms[500]",
        ),
    ];
    for (break_it, field) in cases {
        let mut s = SolveData::default();
        break_it(&mut s);
        match s.validate() {
            Err(ValidationError::OutOfRange { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected OutOfRange, got {other:?}"),
        }
    }
    let mut session = TrackingSession::new("s");
    session.current_frame = 101;
    assert_eq!(session.validate().unwrap_err().field(), "current_frame");
    let report = SolveReport::new(2.0, 1.0, 1, 1, 0.5);
    assert_eq!(
        report.validate().unwrap_err().field(),
        "reprojection_error_avg"
    );
    assert_eq!(TrackingSession::new("ok").validate(), Ok(()));
    assert_eq!(TrackData::new("ok").validate(), Ok(()));
    assert_eq!(SolveData::default().validate(), Ok(()));
}

#[test]
fn quality_level_follows_the_documented_thresholds() {
    let table = [
        (0.0, QualityLevel::Excellent),
        (0.299, QualityLevel::Excellent),
        (0.3, QualityLevel::Good),
        (0.499, QualityLevel::Good),
        (0.5, QualityLevel::Acceptable),
        (0.999, QualityLevel::Acceptable),
        (1.0, QualityLevel::Poor),
        (25.0, QualityLevel::Poor),
        (-0.1, QualityLevel::Unknown),
        (f64::NAN, QualityLevel::Unknown),
        (f64::INFINITY, QualityLevel::Unknown),
    ];
    for (error, level) in table {
        assert_eq!(
            QualityLevel::from_reprojection_error(error),
            level,
            "{error}"
        );
        assert_eq!(
            SolveReport::new(error, 30.0, 1, 1, 0.5).quality_level,
            level
        );
    }
    assert_eq!(QualityLevel::THRESHOLDS_PX, [0.3, 0.5, 1.0]);
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let limits = YamlLimits::default().with_max_bytes(10);
    let err = from_yaml_str::<TrackingSession>("session_id: too-long\n", &limits).unwrap_err();
    assert_eq!(
        err,
        YamlError::TooLarge {
            size: 21,
            limit: 10
        }
    );
}

/// The classic billion-laughs document: nine levels of ten aliases each.
fn billion_laughs() -> String {
    let mut text = String::from("a0: &a0 [\"lol\"]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text
}

#[test]
fn alias_bombs_are_refused_before_expansion() {
    let err =
        from_yaml_str::<serde_json::Value>(&billion_laughs(), &YamlLimits::default()).unwrap_err();
    assert_eq!(err, YamlError::AliasesNotAllowed { line: 1, column: 5 });
    // Block-style aliases are caught by the fast path itself.
    let err = load_session("session_id: &x s\ncamera_profile: *x\n").unwrap_err();
    assert_eq!(
        err,
        YamlError::AliasesNotAllowed {
            line: 1,
            column: 13
        }
    );
}

#[test]
fn allowed_aliases_still_cannot_blow_up() {
    let limits = YamlLimits::default().with_aliases(true);
    let err = from_yaml_str::<serde_json::Value>(&billion_laughs(), &limits).unwrap_err();
    assert!(
        err.to_string().contains("repetition limit exceeded"),
        "{err}"
    );
    let ok: BTreeMap<String, String> = from_yaml_str("a: &x s\nb: *x\n", &limits).unwrap();
    assert_eq!(ok["b"], "s");
}

#[test]
fn absurd_block_nesting_is_refused_with_a_position() {
    let mut text = String::new();
    for level in 0..100 {
        text.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
    }
    text.push_str(&format!("{}v: 1\n", "  ".repeat(100)));
    match from_yaml_str::<serde_json::Value>(&text, &YamlLimits::default()) {
        Err(YamlError::TooDeep { line, limit, .. }) => assert_eq!(
            (line, limit),
            (65, 64),
            "the 65th mapping starts on line 65"
        ),
        other => panic!("expected TooDeep, got {other:?}"),
    }
}

#[test]
fn absurd_flow_nesting_is_refused_without_exhausting_the_stack() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    match from_yaml_str::<serde_json::Value>(&text, &YamlLimits::default()) {
        Err(YamlError::TooDeep {
            line: 1, limit: 64, ..
        }) => {}
        other => panic!("expected TooDeep, got {other:?}"),
    }
    let shallow = YamlLimits::default().with_max_depth(2);
    assert!(matches!(
        from_yaml_str::<serde_json::Value>("[[[1]]]", &shallow),
        Err(YamlError::TooDeep { limit: 2, .. })
    ));
    assert!(from_yaml_str::<serde_json::Value>("[[1]]", &shallow).is_ok());
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err =
        load_session("session_id: s\ntracks:\n- name: a\n  enabled: true\n bad: indentation\n")
            .unwrap_err();
    match &err {
        YamlError::Syntax {
            line,
            column,
            message,
        } => {
            assert_eq!(*line, Some(5), "{err}");
            assert!(column.is_some_and(|c| c >= 1));
            assert!(!message.contains("at line"), "position stated once: {err}");
            assert!(!message.is_empty());
        }
        other => panic!("expected Syntax, got {other:?}"),
    }
    assert_eq!(err.line(), Some(5));
    let truncated = load_session("session_id: s\ntracks:\n- name: 'unterminated\n").unwrap_err();
    assert!(
        matches!(truncated, YamlError::Syntax { .. }),
        "{truncated:?}"
    );
}

#[test]
fn an_empty_or_comment_only_file_is_an_error_not_a_default_session() {
    for text in ["", "\n\n", "# nothing here\n", "---\n...\n", "   \n"] {
        assert_eq!(
            load_session(text).unwrap_err(),
            YamlError::EmptyDocument,
            "{text:?}"
        );
    }
}
