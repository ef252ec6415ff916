//! proptest strategies for every tracking type, shared by the unit tests of the YAML
//! codec (`src/tests.rs`, via `#[path]`) and the integration tests.

#![allow(dead_code, unreachable_pub)]

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use tracking_types::{
    CoordinateSystem, FootageInfo, FootageMetadata, MotionBlurLevel, QualityLevel, SessionStatus,
    SolveData, SolveReport, TrackData, TrackType, TrackingSession,
};

/// Strings that YAML readers mistype or that stress quoting and folding.
pub const TRICKY_STRINGS: &[&str] = &[
    "",
    " ",
    "no",
    "No",
    "NO",
    "on",
    "off",
    "y",
    "n",
    "yes",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "12:30",
    "1:20:30",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "0x10",
    "0o17",
    "0b101",
    "0777",
    "1_000",
    "1e5",
    "1E5",
    ".5",
    "1.",
    "+1",
    "-1",
    "-.5",
    ".inf",
    "-.Inf",
    ".NaN",
    "inf",
    "nan",
    "<<",
    "=",
    " lead",
    "trail ",
    "#hash",
    "a #b",
    "a#b",
    "a: b",
    "a:b",
    "key:",
    ":x",
    "- x",
    "-x",
    "? x",
    "?x",
    "'q'",
    "it's",
    "\"d\"",
    "a\\b",
    "[a]",
    "{b}",
    "a, b",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%",
    "@at",
    "`tick",
    "---",
    "...",
    "--- x",
    "tab\there",
    "line\nbreak",
    "two\n\nbreaks",
    "trailing\n",
    "\nleading",
    "sp \n ace",
    "cr\r",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}bom",
    "\u{7f}",
    "\0nul",
    "\u{1b}esc",
    "café",
    "日本語",
    "emoji 😀",
    "Track.001",
    "/shots/sq010/plate.%04d.exr",
    "C:\\plates\\a.exr",
    "ls\u{2028}x",
    "p\u{2029}q",
    "a\u{85}b",
    "\u{2028}",
    "\u{2029}",
    "nel \u{85} spaced",
    "lead\u{2028}  indent",
    "\u{85}\u{85}",
    "𝄞 clef",
    "\u{10FFFF}",
    "\u{1}\u{2}\u{1f}",
    "\u{9f}",
    "a\\nb",
    "\\",
    "trail\\",
    "\"",
    "'",
    "a'b\"c",
    " ",
    "  two  ",
    "\t",
    "\ttab lead",
    "tab trail\t",
    "\n",
    " \n ",
];

/// Pieces that [`joined_fragments`] strings are built from: YAML 1.1 words, quotes,
/// indicators, whitespace, escapes, control characters, NEL/LS/PS, non-BMP text.
pub const FRAGMENTS: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "true",
    "False",
    "0x10",
    "1_000",
    "12:30",
    "2024-01-01",
    ".inf",
    "-.inf",
    ".nan",
    "1e5",
    "0777",
    "'",
    "\"",
    "''",
    "#",
    " #",
    ": ",
    ":",
    "- ",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!t",
    "!!str",
    "|",
    ">",
    "%",
    "@",
    "`",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    " \n",
    "\n ",
    "\\",
    "\\n",
    "\\\"",
    "\0",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{feff}",
    "\r",
    "\r\n",
    "é",
    "日本",
    "😀",
    "𝄞",
    "\u{10FFFF}",
    "---",
    "...",
    "Track",
    "a",
    "b c",
];

/// Strings built from several [`FRAGMENTS`], plain words and long runs, so special
/// characters land at the start, the end and inside, next to each other and across
/// folding points.
pub fn joined_fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => select(FRAGMENTS).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9]{1,8}",
        1 => (select(&["x", " ", "ab ", "- ", "\u{2028}", "é "][..]), 20usize..160)
            .prop_map(|(run, n)| run.repeat(n)),
    ];
    vec(piece, 1..7).prop_map(|pieces| pieces.concat())
}

/// Any string, biased towards YAML-special ones, long folded text and unicode.
pub fn yaml_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(TRICKY_STRINGS).prop_map(str::to_owned),
        2 => "[ -~]{0,20}",
        1 => "[a-z ]{70,200}",
        1 => "[a-z' \n]{0,120}",
        2 => joined_fragments(),
        1 => any::<String>(),
    ]
}

/// Any finite f64, with the awkward ones (±0, subnormals, 1e±300, 1e22, 1e16, whole
/// numbers) often.
pub fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => select(&[0.0, -0.0, 5e-324, -5e-324, 1e22, 1e-7, 0.1, 1e16, 1234567890123456.0, 0.0001, 0.00001, 31.0, -5.0, 1e300, -1e300, 1e-300, -1e-300, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 9_007_199_254_740_994.0, 9_007_199_254_740_992.0][..]),
        1 => (any::<bool>(), 1u64..(1 << 52)).prop_map(|(negative, bits)| {
            let subnormal = f64::from_bits(bits);
            if negative { -subnormal } else { subnormal }
        }),
        1 => (1.0f64..10.0, -308i32..=308)
            .prop_map(|(m, e)| m * 10f64.powi(e))
            .prop_filter("finite", |f| f.is_finite()),
        1 => (-10_000i32..10_000).prop_map(f64::from),
        1 => any::<i64>().prop_map(|i| (i >> 8) as f64),
    ]
}

/// Frame numbers over the whole i64 range, plus typical ones.
pub fn frame() -> impl Strategy<Value = i64> {
    prop_oneof![3 => 990i64..1100, 1 => any::<i64>()]
}

fn array<const N: usize>() -> impl Strategy<Value = [f64; N]> {
    proptest::array::uniform::<_, N>(finite_f64())
}

pub fn track_type() -> impl Strategy<Value = TrackType> {
    select(&[TrackType::Point, TrackType::Plane, TrackType::Object][..])
}

pub fn track() -> impl Strategy<Value = TrackData> {
    (
        yaml_string(),
        array::<4>(),
        array::<4>(),
        btree_map(frame(), array::<2>(), 0..6),
        any::<bool>(),
        array::<3>(),
        finite_f64(),
        track_type(),
    )
        .prop_map(
            |(
                name,
                pattern_area,
                search_area,
                markers,
                enabled,
                color,
                correlation,
                track_type,
            )| TrackData {
                name,
                pattern_area,
                search_area,
                markers,
                enabled,
                color,
                correlation,
                track_type,
                extra: Default::default(),
            },
        )
}

pub fn session() -> impl Strategy<Value = TrackingSession> {
    (
        (yaml_string(), yaml_string(), frame(), frame(), frame()),
        vec(track(), 0..3),
        (
            yaml_string(),
            yaml_string(),
            select(
                &[
                    SessionStatus::InProgress,
                    SessionStatus::Complete,
                    SessionStatus::Error,
                ][..],
            ),
        ),
        (yaml_string(), yaml_string()),
        (
            any::<Option<u32>>(),
            any::<Option<u64>>(),
            any::<Option<u64>>(),
            proptest::option::of(yaml_string()),
        ),
    )
        .prop_map(
            |(
                (session_id, footage_path, frame_start, frame_end, current_frame),
                tracks,
                (camera_profile, preset, status),
                (created_at, updated_at),
                (schema_version, revision, save_counter, saved_at),
            )| TrackingSession {
                session_id,
                footage_path,
                frame_start,
                frame_end,
                current_frame,
                tracks,
                camera_profile,
                preset,
                status,
                created_at,
                updated_at,
                schema_version,
                revision,
                save_counter,
                saved_at,
                extra: Default::default(),
            },
        )
}

pub fn solve() -> impl Strategy<Value = SolveData> {
    (
        yaml_string(),
        proptest::array::uniform2(frame()),
        finite_f64(),
        finite_f64(),
        btree_map(frame(), array::<6>(), 0..5),
        select(&[CoordinateSystem::ZUp, CoordinateSystem::YUp][..]),
        yaml_string(),
        proptest::option::of(finite_f64()),
        btree_map(frame(), finite_f64(), 0..3),
    )
        .prop_map(
            |(
                name,
                frame_range,
                focal_length,
                sensor_width,
                camera_transforms,
                coordinate_system,
                solved_at,
                sensor_height,
                focal_lengths,
            )| {
                SolveData {
                    name,
                    frame_range,
                    focal_length,
                    sensor_width,
                    camera_transforms,
                    coordinate_system,
                    solved_at,
                    sensor_height,
                    focal_lengths,
                }
            },
        )
}

pub fn report() -> impl Strategy<Value = SolveReport> {
    (
        finite_f64(),
        finite_f64(),
        any::<u64>(),
        any::<u64>(),
        finite_f64(),
        select(
            &[
                QualityLevel::Excellent,
                QualityLevel::Good,
                QualityLevel::Acceptable,
                QualityLevel::Poor,
                QualityLevel::Unknown,
            ][..],
        ),
    )
        .prop_map(
            |(
                reprojection_error_avg,
                reprojection_error_max,
                tracks_used,
                frames_solved,
                confidence_score,
                quality_level,
            )| {
                SolveReport {
                    reprojection_error_avg,
                    reprojection_error_max,
                    tracks_used,
                    frames_solved,
                    confidence_score,
                    quality_level,
                }
            },
        )
}

pub fn footage_metadata() -> impl Strategy<Value = FootageMetadata> {
    (
        (
            yaml_string(),
            any::<[u32; 2]>(),
            finite_f64(),
            any::<u64>(),
            finite_f64(),
        ),
        (yaml_string(), any::<u32>(), yaml_string()),
        (
            proptest::option::of(yaml_string()),
            proptest::option::of(finite_f64()),
            any::<Option<u32>>(),
        ),
        select(
            &[
                MotionBlurLevel::Low,
                MotionBlurLevel::Medium,
                MotionBlurLevel::High,
                MotionBlurLevel::Unknown,
            ][..],
        ),
        any::<bool>(),
    )
        .prop_map(
            |(
                (filename, resolution, frame_rate, duration_frames, duration_seconds),
                (codec, bit_depth, color_space),
                (camera_model, focal_length, iso),
                motion_blur_level,
                rolling_shutter_detected,
            )| FootageMetadata {
                filename,
                resolution,
                frame_rate,
                duration_frames,
                duration_seconds,
                codec,
                bit_depth,
                color_space,
                camera_model,
                focal_length,
                iso,
                motion_blur_level,
                rolling_shutter_detected,
            },
        )
}

pub fn footage_info() -> impl Strategy<Value = FootageInfo> {
    (
        (yaml_string(), any::<u32>(), any::<u32>(), frame(), frame()),
        (finite_f64(), finite_f64(), yaml_string(), yaml_string()),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                (source_path, width, height, frame_start, frame_end),
                (fps, duration_seconds, colorspace, codec),
                (has_alpha, is_sequence),
            )| FootageInfo {
                source_path,
                width,
                height,
                frame_start,
                frame_end,
                fps,
                duration_seconds,
                colorspace,
                codec,
                has_alpha,
                is_sequence,
            },
        )
}

/// Bitwise comparison: `Debug` prints every f64 with its shortest round-trip digits and
/// its sign, so equal `Debug` text means bit-identical floats.
pub fn bitwise_eq<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// Names for unknown keys: a newer writer's fields, typos, and keys PyYAML must quote.
pub const EXTRA_KEYS: &[&str] = &[
    "camera_prof1le",
    "lens",
    "exported_at",
    "notes",
    "x",
    "yes",
    "1001",
    "null",
    "<<",
    "=",
    "a b",
    "colour",
    "weight",
    "~",
    "2024-01-01",
    "-",
    "é",
];

/// A value under an unknown key, as JSON for a PyYAML job: plain JSON, plus markers the
/// job script turns into Python values JSON cannot hold (`{"$int": "…"}` for big ints,
/// `{"$float": "inf"}`, `{"$date": "…"}`, `{"$datetime": "…"}`).
pub fn extra_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(|i| json!(i)),
        1 => (-100i64..100).prop_map(|i| json!(i)),
        2 => finite_f64().prop_map(|f| json!(f)),
        3 => yaml_string().prop_map(Value::String),
        1 => select(&["123456789012345678901234567890", "-170141183460469231731687303715884105727", "18446744073709551616"][..])
            .prop_map(|i| json!({ "$int": i })),
        1 => select(&["inf", "-inf", "nan"][..]).prop_map(|f| json!({ "$float": f })),
        1 => select(&["2024-05-01", "1999-12-31", "0001-01-01"][..]).prop_map(|d| json!({ "$date": d })),
        1 => select(&["2024-05-01 10:00:00", "2024-05-01 10:00:00.123456", "2024-05-01 10:00:00+02:00", "2001-12-14 21:59:43.100000-05:00"][..])
            .prop_map(|d| json!({ "$datetime": d })),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(select(EXTRA_KEYS).prop_map(str::to_owned), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
