//! Conversions between formats: A → B → A is the identity (within each format's printed
//! precision), and a marker keeps its pixel and its clip frame through any format.

use proptest::prelude::*;
use tracking_io::tracks::{
    ImageSize, TrackFormat, TrackReadOptions, TrackWriteOptions, parse_tracks_str, tracks_to_string,
};
use tracking_types::TrackData;

/// Formats that read and write.
const FORMATS: &[TrackFormat] = &[
    TrackFormat::Equalizer4,
    TrackFormat::Equalizer3,
    TrackFormat::Syntheyes,
    TrackFormat::SyntheyesPixels,
    TrackFormat::Pftrack4,
    TrackFormat::Pftrack5,
    TrackFormat::Pfmatchit,
    TrackFormat::Boujou,
];

/// Half a unit in the last printed decimal, in pixels, for an image of `size`.
fn precision_px(format: TrackFormat, size: ImageSize) -> f64 {
    let side = f64::from(size.width.max(size.height));
    match format {
        TrackFormat::Equalizer4 => 5e-16 * side * 4.0,
        TrackFormat::Equalizer3 | TrackFormat::Pfmatchit => 5e-7,
        // u, v printed with 6 decimals over −1…1: half a unit is (side − 1)/2 · 5e-7 px.
        TrackFormat::Syntheyes => 5e-7 * (side - 1.0) / 2.0,
        _ => 5e-4,
    }
}

fn write(tracks: &[TrackData], format: TrackFormat, size: ImageSize, first_frame: i64) -> String {
    tracks_to_string(
        tracks,
        &TrackWriteOptions {
            format,
            size,
            first_frame,
            frame_offset: 0,
            frame_rate: None,
        },
    )
    .unwrap_or_else(|e| panic!("write {format}: {e}"))
}

fn read(text: &str, format: TrackFormat, size: ImageSize) -> tracking_io::TrackImport {
    parse_tracks_str(
        text,
        &TrackReadOptions {
            format: Some(format),
            size: Some(size),
            ..TrackReadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("read {format}: {e}\n{text}"))
}

fn tracks_strategy() -> impl Strategy<Value = (Vec<TrackData>, ImageSize)> {
    let size = (16u32..4096, 16u32..4096).prop_map(|(w, h)| ImageSize::new(w, h).unwrap());
    let track = (
        "[A-Za-z][A-Za-z0-9_]{0,8}",
        prop::collection::btree_map(0i64..300, (-0.1f64..1.1, -0.1f64..1.1), 1..40),
    );
    (prop::collection::vec(track, 1..6), size).prop_map(|(raw, size)| {
        let mut seen = std::collections::HashSet::new();
        let tracks = raw
            .into_iter()
            .filter(|(name, _)| seen.insert(name.clone()))
            .map(|(name, markers)| {
                let mut track = TrackData::new(name);
                track.markers = markers.into_iter().map(|(f, (x, y))| (f, [x, y])).collect();
                track
            })
            .collect();
        (tracks, size)
    })
}

/// Same names, same frames (after moving `shift`), pixels within `tolerance`.
fn assert_same(
    a: &[TrackData],
    b: &[TrackData],
    shift: i64,
    size: ImageSize,
    tolerance: f64,
    what: &str,
) {
    assert_eq!(a.len(), b.len(), "{what}: track count");
    let (w, h) = (f64::from(size.width), f64::from(size.height));
    for (ta, tb) in a.iter().zip(b) {
        assert_eq!(ta.name, tb.name, "{what}");
        let frames_a: Vec<i64> = ta.markers.keys().map(|f| f + shift).collect();
        let frames_b: Vec<i64> = tb.markers.keys().copied().collect();
        assert_eq!(frames_a, frames_b, "{what}: frames of {:?}", ta.name);
        for (frame, pa) in &ta.markers {
            let pb = tb.markers[&(frame + shift)];
            let (dx, dy) = ((pa[0] - pb[0]) * w, (pa[1] - pb[1]) * h);
            assert!(
                dx.abs() <= tolerance && dy.abs() <= tolerance,
                "{what}: {:?} frame {frame}: off by ({dx}, {dy}) px, allowed {tolerance}",
                ta.name
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_to_b_to_a_is_the_identity_for_every_pair((tracks, size) in tracks_strategy()) {
        for &a in FORMATS {
            // The tracks as A writes and reads them (frames from A's base).
            let first = read(&write(&tracks, a, size, 0), a, size);
            for &b in FORMATS {
                let via_b = read(&write(&first.tracks, b, size, first.frame_base), b, size);
                // A marker keeps its clip frame: A's base maps to B's.
                let shift = via_b.frame_base - first.frame_base;
                let tol_ab = precision_px(a, size) + precision_px(b, size) + 1e-9;
                assert_same(&first.tracks, &via_b.tracks, shift, size, tol_ab, &format!("{a} -> {b}"));
                let back = read(&write(&via_b.tracks, a, size, via_b.frame_base), a, size);
                let tol = 2.0 * precision_px(a, size) + precision_px(b, size) + 1e-9;
                assert_same(&first.tracks, &back.tracks, 0, size, tol, &format!("{a} -> {b} -> {a}"));
            }
        }
    }
}

#[test]
fn one_marker_has_the_same_pixel_in_every_format() {
    // The centre of the top-left pixel of a 1920x1080 plate, and the image's exact
    // centre, each on the clip's first frame, as each application writes them.
    let size = ImageSize::new(1920, 1080).unwrap();
    let mut track = TrackData::new("P");
    track.markers.insert(0, [0.5 / 1920.0, 1079.5 / 1080.0]);
    track.markers.insert(1, [0.5, 0.5]);
    let expected: &[(TrackFormat, &str, &str)] = &[
        // 3DE: corners from the bottom-left, frames from 1.
        (
            TrackFormat::Equalizer4,
            "1 0.500000000000000 1079.500000000000000",
            "2 960.000000000000000 540.000000000000000",
        ),
        // PFTrack: centres from the bottom-left (the pixel's centre is 0, 1079), from 0.
        (
            TrackFormat::Pftrack5,
            "0 0.000 1079.000 0.000",
            "1 959.500 539.500 0.000",
        ),
        // SynthEyes: -1 at the first pixel centre, v down, from 0.
        (
            TrackFormat::Syntheyes,
            "P 0 -1.000000 -1.000000 15",
            "P 1 0.000000 0.000000 7",
        ),
        // boujou: corners from the top-left, y down, views from 1.
        (
            TrackFormat::Boujou,
            "P  1  0.500  0.500",
            "P  2  960.000  540.000",
        ),
    ];
    for (format, first, second) in expected {
        let text = write(std::slice::from_ref(&track), *format, size, 0);
        assert!(
            text.contains(first) && text.contains(second),
            "{format}:\n{text}"
        );
    }
}

#[test]
fn shifting_an_import_moves_every_frame_or_none() {
    let size = ImageSize::new(640, 360).unwrap();
    let mut import = read(
        "2\nA\n0\n2\n1 1 2\n3 1 2\nB\n0\n1\n5 1 2\n",
        TrackFormat::Equalizer4,
        size,
    );
    import.shift_frames(1000).unwrap();
    assert_eq!(import.frame_base, 1001);
    assert_eq!(
        import.tracks[0].markers.keys().copied().collect::<Vec<_>>(),
        [1001, 1003]
    );
    assert_eq!(
        import.tracks[1].markers.keys().copied().collect::<Vec<_>>(),
        [1005]
    );
    let before = import.clone();
    assert!(import.shift_frames(i64::MAX).is_err());
    assert_eq!(import, before);
}
