//! Save → load identity through the real store, for arbitrary valid sessions: every
//! f64 comes back bit for bit (including -0.0, subnormals and extremes), every string
//! exactly (including ones YAML 1.1 would mistype), every frame key.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::collections::BTreeMap;

use common::temp_root;
use proptest::prelude::*;
use tracking_session::TrackingSessionManager;
use tracking_types::{SessionStatus, TrackData, TrackType, TrackingSession};

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(1e22),
        Just(f64::MAX),
        -1.0e3..1.0e3,
    ]
}

fn unit_f64() -> impl Strategy<Value = f64> {
    prop_oneof![0.0..=1.0, Just(0.0), Just(1.0), Just(5e-324)]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::sample::select(vec![
            "no",
            "yes",
            "on",
            "off",
            "y",
            "n",
            "~",
            "null",
            "true",
            "12:30",
            "2024-01-01",
            "0x10",
            "0o17",
            "1e5",
            ".inf",
            "-.nan",
            "'",
            "\"",
            "#",
            "- x",
            "a: b",
            " lead",
            "trail ",
            "multi\nline",
            "tab\there",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "",
        ])
        .prop_map(str::to_owned),
    ]
}

fn track() -> impl Strategy<Value = TrackData> {
    (
        text(),
        (finite_f64(), finite_f64(), 1.0e-3..1.0e4, 1.0e-3..1.0e4),
        prop::collection::btree_map(any::<i64>(), [finite_f64(), finite_f64()], 0..12),
        any::<bool>(),
        [unit_f64(), unit_f64(), unit_f64()],
        unit_f64(),
        prop::sample::select(vec![TrackType::Point, TrackType::Plane, TrackType::Object]),
    )
        .prop_map(
            |(name, (x, y, w, h), markers, enabled, color, correlation, track_type)| TrackData {
                name,
                pattern_area: [x, y, w, h],
                search_area: [x, y, w * 2.0, h * 2.0],
                markers: markers.into_iter().collect::<BTreeMap<_, _>>(),
                enabled,
                color,
                correlation,
                track_type,
                ..TrackData::default()
            },
        )
}

fn session() -> impl Strategy<Value = TrackingSession> {
    (
        "[A-Za-z0-9][A-Za-z0-9_-]{0,20}",
        text(),
        (-1_000_000i64..1_000_000, 0i64..100_000, 0u8..=100),
        prop::collection::vec(track(), 0..5),
        (text(), text(), text(), text()),
        prop::sample::select(vec![
            SessionStatus::InProgress,
            SessionStatus::Complete,
            SessionStatus::Error,
        ]),
    )
        .prop_filter("the id must be valid", |(id, ..)| {
            tracking_session::SessionId::new(id.as_str()).is_ok()
        })
        .prop_map(
            |(
                id,
                footage_path,
                (start, len, percent),
                tracks,
                (camera, preset, created, updated),
                status,
            )| {
                let mut session = TrackingSession::new(id);
                session.footage_path = footage_path;
                session.frame_start = start;
                session.frame_end = start + len;
                session.current_frame = start + len * i64::from(percent) / 100;
                session.tracks = tracks;
                session.camera_profile = camera;
                session.preset = preset;
                session.created_at = created;
                session.updated_at = updated;
                session.status = status;
                session
            },
        )
}

/// Every float of a session, in order, as bits.
fn float_bits(session: &TrackingSession) -> Vec<u64> {
    session
        .tracks
        .iter()
        .flat_map(|t| {
            t.pattern_area
                .iter()
                .chain(&t.search_area)
                .chain(t.markers.values().flatten())
                .chain(&t.color)
                .chain(std::iter::once(&t.correlation))
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_valid_session_saves_and_loads_back_identical(mut session in session()) {
        let (_guard, root) = temp_root();
        let manager = TrackingSessionManager::open(&root).unwrap();
        manager.save(&mut session).unwrap();
        let loaded = manager.load(&session.session_id).unwrap();
        prop_assert_eq!(float_bits(&loaded), float_bits(&session));
        prop_assert_eq!(loaded, session);
    }
}
