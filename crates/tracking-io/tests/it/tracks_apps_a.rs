//! 2D tracks, helper A's formats: 3DEqualizer 4 and 3, boujou, Nuke Tracker4 and After
//! Effects keyframe data.
//!
//! - every real file of these formats in `../shared/fixtures/wild/` is read, and its
//!   track count, key counts and first/last keys (frames, and pixels from the
//!   bottom-left corner = normalised × size) are checked against values derived by hand
//!   from the file's text and the format's convention (the derivation is in each test);
//! - write → read is the identity (random tracks with gaps, random sizes, names the
//!   format can hold) within the printed precision;
//! - an invalid-input corpus, each input with the issue, line and column it must give;
//! - no panic on arbitrary bytes or on mutated real files.

// Expected values are the files' digits, copied verbatim (more than an f64 holds).
#![allow(clippy::excessive_precision)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tracking_io::{
    Error, ImageSize, ReadMode, TrackFormat, TrackImport, TrackIssue, TrackReadOptions,
    TrackReader, TrackWriteOptions, parse_tracks_str, read_tracks, tracks_to_string,
};
use tracking_types::TrackData;

fn wild(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wild")
        .join(relative)
}

fn size(width: u32, height: u32) -> ImageSize {
    ImageSize::new(width, height).unwrap()
}

fn options(format: TrackFormat, image: Option<ImageSize>, mode: ReadMode) -> TrackReadOptions {
    TrackReadOptions {
        format: Some(format),
        size: image,
        frame_offset: 0,
        mode,
    }
}

fn read(relative: &str, format: TrackFormat, image: Option<ImageSize>) -> TrackImport {
    read_tracks(wild(relative), &options(format, image, ReadMode::Strict))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The key at `frame` in pixels from the bottom-left corner.
fn pixels(import: &TrackImport, track: usize, frame: i64) -> [f64; 2] {
    let t = &import.tracks[track];
    let p = t
        .markers
        .get(&frame)
        .unwrap_or_else(|| panic!("{}: no frame {frame}", t.name));
    [
        p[0] * f64::from(import.size.width),
        p[1] * f64::from(import.size.height),
    ]
}

fn first_frame(t: &TrackData) -> i64 {
    *t.markers.keys().next().unwrap()
}

fn last_frame(t: &TrackData) -> i64 {
    *t.markers.keys().next_back().unwrap()
}

#[track_caller]
fn close(found: [f64; 2], expected: [f64; 2], tolerance: f64) {
    assert!(
        (found[0] - expected[0]).abs() <= tolerance && (found[1] - expected[1]).abs() <= tolerance,
        "found {found:?}, expected {expected:?}"
    );
}

// ---------------------------------------------------------------------------------
// Real files.

#[test]
fn tracks_apps_a_3de_v4_cube_reads_as_3de_wrote_it() {
    // 3DE4 pixels are bottom-left corners, frames as written (base 1): no conversion.
    let import = read(
        "3de_points/tsp_3de_v4_cube.txt",
        TrackFormat::Equalizer4,
        Some(size(1024, 512)),
    );
    // Line 1: `8`.
    assert_eq!(import.tracks.len(), 8);
    assert_eq!(import.frame_base, 1);
    let first = &import.tracks[0];
    // Lines 2-4: `01` / `0` / `61`.
    assert_eq!(first.name, "01");
    assert_eq!(first.markers.len(), 61);
    // Line 5: `40 407.384758225105315 232.449011732690479`.
    assert_eq!(first_frame(first), 40);
    close(
        pixels(&import, 0, 40),
        [407.384758225105315, 232.449011732690479],
        1e-9,
    );
    // Line 65: `100 397.527902249710110 363.686239366334348`.
    assert_eq!(last_frame(first), 100);
    close(
        pixels(&import, 0, 100),
        [397.527902249710110, 363.686239366334348],
        1e-9,
    );
    // Lines 624-626: `08` / `0` / `100`; the last line (no final newline):
    // `100 678.762758616933752 99.061880177103930`.
    let last = &import.tracks[7];
    assert_eq!(last.name, "08");
    assert_eq!(last.markers.len(), 100);
    assert_eq!(first_frame(last), 1);
    close(
        pixels(&import, 7, 100),
        [678.762758616933752, 99.061880177103930],
        1e-9,
    );
    assert!(import.warnings.is_empty());
}

#[test]
fn tracks_apps_a_3de_v4_production_shot_reads() {
    let import = read(
        "3de_points/tsp_3de_v4_FB1880_man_v05.txt",
        TrackFormat::Equalizer4,
        Some(size(1920, 1080)),
    );
    // Line 1: `27`; lines 2-4: `01` / `0` / `115`.
    assert_eq!(import.tracks.len(), 27);
    assert_eq!(import.tracks[0].name, "01");
    assert_eq!(import.tracks[0].markers.len(), 115);
    // Line 5: `1 1133.596569671116868 812.201323073133722`.
    close(
        pixels(&import, 0, 1),
        [1133.596569671116868, 812.201323073133722],
        1e-9,
    );
    // Line 119: `115 1617.181286987258090 3.078736149212078`.
    assert_eq!(last_frame(&import.tracks[0]), 115);
    close(
        pixels(&import, 0, 115),
        [1617.181286987258090, 3.078736149212078],
        1e-9,
    );
    // Lines 2360-2363: `27` / `0` / `40` / `20 1148.418836265386517 613.709430869667926`;
    // the last line: `59 1184.898216525271437 25.415164437207203`.
    let last = &import.tracks[26];
    assert_eq!(last.name, "27");
    assert_eq!(last.markers.len(), 40);
    close(
        pixels(&import, 26, 20),
        [1148.418836265386517, 613.709430869667926],
        1e-9,
    );
    close(
        pixels(&import, 26, 59),
        [1184.898216525271437, 25.415164437207203],
        1e-9,
    );
}

#[test]
fn tracks_apps_a_3de_v4_corner_markers_sit_on_the_image_corners() {
    // mmSolver's loadmarker_corners.txt at 1920x1080: `1 0.0 1080.0` is the top-left
    // corner, so normalised (0, 1); `1 1920.0 0.0` the bottom-right, (1, 0).
    let import = read(
        "3de_points/mmtd_loadmarker_corners.txt",
        TrackFormat::Equalizer4,
        Some(size(1920, 1080)),
    );
    let names: Vec<&str> = import.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["TopLeft", "TopRight", "BottomLeft", "BottomRight"]);
    let corners = [[0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0]];
    for (track, corner) in import.tracks.iter().zip(corners) {
        assert_eq!(track.markers.len(), 1);
        close(track.markers[&1], corner, 1e-12);
    }
}

#[test]
fn tracks_apps_a_3de_v4_tracksperanto_reference_keeps_its_gap() {
    // ref_equalizer.txt: tracksperanto's ParabolicTracks (its frames 0-9, 12-20) with
    // frame + 1: `1 0.000000000000000 1080.000000000000000`, frames 11-12 absent.
    let import = read(
        "3de_points/tsp_ref_equalizer4_SYNTH.txt",
        TrackFormat::Equalizer4,
        Some(size(1920, 1080)),
    );
    assert_eq!(import.tracks.len(), 3);
    let first = &import.tracks[0];
    assert_eq!(first.name, "Parabolic_1_from_top_left");
    assert_eq!(first.markers.len(), 19);
    close(pixels(&import, 0, 1), [0.0, 1080.0], 1e-9);
    assert!(!first.markers.contains_key(&11) && !first.markers.contains_key(&12));
    // `21 1920.000000000000000 1080.000000000000000`.
    close(pixels(&import, 0, 21), [1920.0, 1080.0], 1e-9);
    // The centre tracker: `1 970.000000000000000 550.000000000000000`.
    assert_eq!(import.tracks[2].markers.len(), 1);
    close(pixels(&import, 2, 1), [970.0, 550.0], 1e-9);
}

#[test]
fn tracks_apps_a_3de_v3_export_reads_with_its_header_size() {
    // Line 1: `// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames`.
    let import = read(
        "3de_points/tsp_3de_v3_export.txt",
        TrackFormat::Equalizer3,
        None,
    );
    assert_eq!(import.size, size(2048, 778));
    // 51 name lines (`02` … `47`); 12 of them have no key lines (kept, with a note):
    // tracksperanto drops those and counts 39.
    assert_eq!(import.tracks.len(), 51);
    let empty = import
        .tracks
        .iter()
        .filter(|t| t.markers.is_empty())
        .count();
    assert_eq!(empty, 12);
    assert_eq!(
        import
            .warnings
            .iter()
            .filter(|w| matches!(w.issue, TrackIssue::EmptyTrack { .. }))
            .count(),
        12
    );
    // Line 2: `02`, directly followed by line 3 `03`.
    assert_eq!(import.tracks[0].name, "02");
    assert!(import.tracks[0].markers.is_empty());
    // Lines 4-46: `03`'s 43 keys, `\t23\t71.7889\t481.708` … `\t65\t1984.31\t278.403`.
    let t = &import.tracks[1];
    assert_eq!((t.name.as_str(), t.markers.len()), ("03", 43));
    close(pixels(&import, 1, 23), [71.7889, 481.708], 1e-9);
    close(pixels(&import, 1, 65), [1984.31, 278.403], 1e-9);
    // Line 2163 `46`, its last key line 2201 `\t38\t1431.46\t13.1741`; line 2202 `47`
    // has no keys.
    let t = &import.tracks[49];
    assert_eq!(t.name, "46");
    assert_eq!(last_frame(t), 38);
    close(pixels(&import, 49, 38), [1431.46, 13.1741], 1e-9);
    assert_eq!(import.tracks[50].name, "47");
    assert!(import.tracks[50].markers.is_empty());
}

#[test]
fn tracks_apps_a_3de_v3_tracksperanto_reference_reads() {
    // `// 3DE Multiple Tracking Curves Export 1920 x 1080 * 21 frames`, then
    // `Parabolic_1_from_top_left` and `\t1\t0.000\t1080.000`; frames 11, 12 absent.
    let import = read(
        "3de_points/tsp_ref_equalizer3_SYNTH.txt",
        TrackFormat::Equalizer3,
        None,
    );
    assert_eq!(import.size, size(1920, 1080));
    assert_eq!(import.tracks.len(), 3);
    assert_eq!(import.tracks[0].markers.len(), 19);
    close(pixels(&import, 0, 1), [0.0, 1080.0], 1e-9);
    close(pixels(&import, 0, 13), [1152.0, 43.2], 1e-9);
    assert!(!import.tracks[0].markers.contains_key(&11));
}

#[test]
fn tracks_apps_a_3de_v3_size_given_against_the_header_is_refused() {
    let err = read_tracks(
        wild("3de_points/tsp_3de_v3_export.txt"),
        &options(
            TrackFormat::Equalizer3,
            Some(size(1920, 1080)),
            ReadMode::Strict,
        ),
    )
    .unwrap_err();
    assert!(matches!(err, Error::TrackSize { .. }), "{err}");
}

#[test]
fn tracks_apps_a_boujou_export_has_two_tracks_named_target_track_1() {
    // The last line, 2885, is `Target_track_1  1  1011.07  567.902`: a second run of
    // that name after tracker1..tracker20 (lines 6-392 are the first). Strict mode
    // refuses the duplicate name at that line.
    let path = wild("boujou_txt/tsp_boujou_txt_export.txt");
    let err = read_tracks(
        &path,
        &options(
            TrackFormat::Boujou,
            Some(size(2560, 1200)),
            ReadMode::Strict,
        ),
    )
    .unwrap_err();
    match err {
        Error::Tracks {
            position,
            issue: TrackIssue::DuplicateName {
                name, first_line, ..
            },
            ..
        } => {
            assert_eq!(
                (position.line, name.as_str(), first_line),
                (2885, "Target_track_1", 6)
            );
        }
        other => panic!("{other}"),
    }
}

#[test]
fn tracks_apps_a_boujou_export_reads_leniently_top_left_corners() {
    // boujou: top-left corners, y down, views from 1. At 2560x1200 (tracksperanto's
    // test size): y_bottom_left = 1200 − y.
    let path = wild("boujou_txt/tsp_boujou_txt_export.txt");
    let import = read_tracks(
        &path,
        &options(
            TrackFormat::Boujou,
            Some(size(2560, 1200)),
            ReadMode::Lenient,
        ),
    )
    .unwrap();
    // Runs: Target_track_1, tracker1..14, tracker16..20, Target_track_1 again = 21.
    assert_eq!(import.tracks.len(), 21);
    assert_eq!(import.frame_base, 1);
    let target = &import.tracks[0];
    assert_eq!(target.name, "Target_track_1");
    // Lines 6-392: views 5..391, 387 rows.
    assert_eq!(target.markers.len(), 387);
    // Line 6: `Target_track_1  5  252.046  171.677` → (252.046, 1200 − 171.677).
    close(pixels(&import, 0, 5), [252.046, 1028.323], 1e-9);
    // Line 392: `Target_track_1  391  263.795  246.448` → (263.795, 953.552).
    close(pixels(&import, 0, 391), [263.795, 953.552], 1e-9);
    // Line 393: `tracker1  1  306.906  1159.21` → (306.906, 40.79) (tracksperanto's
    // 1200 − y − 1 gives 39.79); 132 rows to line 524 `tracker1  132  400.458  1162.9`.
    let t = &import.tracks[1];
    assert_eq!((t.name.as_str(), t.markers.len()), ("tracker1", 132));
    close(pixels(&import, 1, 1), [306.906, 40.79], 1e-9);
    close(pixels(&import, 1, 132), [400.458, 37.1], 1e-9);
    // Line 2884: `tracker20  132  1296.28  1334.3`.
    assert_eq!(import.tracks[19].name, "tracker20");
    close(pixels(&import, 19, 132), [1296.28, -134.3], 1e-9);
    // Line 2885: the second Target_track_1, renamed, one key at view 1.
    let again = &import.tracks[20];
    assert_eq!(
        (again.name.as_str(), again.markers.len()),
        ("Target_track_1_2", 1)
    );
    close(pixels(&import, 20, 1), [1011.07, 632.098], 1e-9);
    assert!(import.warnings.iter().any(|w| matches!(w.issue, TrackIssue::DuplicateName { .. })
        && w.position.line == 2885));
}

#[test]
fn tracks_apps_a_boujou_tracksperanto_reference_shows_its_one_pixel_shift() {
    // ref_boujou.txt was written by tracksperanto as `height − y + 1` with frames
    // unchanged from its 0-based ones. Line 6 `Parabolic_1_from_top_left  0  0.000  1.000`
    // was its (0, 1080) at frame 0; boujou's own convention reads it as y = 1080 − 1 =
    // 1079, frame 0: one pixel low, which is why we do not copy that exporter.
    let import = read(
        "boujou_txt/tsp_ref_boujou_SYNTH.txt",
        TrackFormat::Boujou,
        Some(size(1920, 1080)),
    );
    assert_eq!(import.tracks.len(), 3);
    assert_eq!(import.tracks[0].markers.len(), 19);
    close(pixels(&import, 0, 0), [0.0, 1079.0], 1e-9);
    // Last line `SingleFrame_InTheMiddle  0  970.000  531.000` (its 550): 1080 − 531.
    close(pixels(&import, 2, 0), [970.0, 549.0], 1e-9);
}

#[test]
fn tracks_apps_a_3de_v4_to_boujou_moves_pixels_and_frames() {
    // ref_equalizer4's frame 1 (0, 1080) is the image's top-left corner: boujou writes
    // it as view 1 at (0, 0); frame 2 `96.000000000000000 874.799999999999955` → y
    // 1080 − 874.8 = 205.2.
    let import = read(
        "3de_points/tsp_ref_equalizer4_SYNTH.txt",
        TrackFormat::Equalizer4,
        Some(size(1920, 1080)),
    );
    let text = tracks_to_string(
        &import.tracks,
        &TrackWriteOptions {
            format: TrackFormat::Boujou,
            size: import.size,
            first_frame: import.frame_base,
            frame_offset: 0,
            frame_rate: None,
        },
    )
    .unwrap();
    assert!(
        text.contains("\r\nParabolic_1_from_top_left  1  0.000  0.000\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nParabolic_1_from_top_left  2  96.000  205.200\r\n"));
}

#[test]
fn tracks_apps_a_nuke_and_after_effects_get_their_pixels_and_frames() {
    // The 3DE corners at 1920x1080: TopLeft `1 0.0 1080.0`.
    let import = read(
        "3de_points/mmtd_loadmarker_corners.txt",
        TrackFormat::Equalizer4,
        Some(size(1920, 1080)),
    );
    let write = |format: TrackFormat, first_frame: i64| {
        tracks_to_string(
            &import.tracks,
            &TrackWriteOptions {
                format,
                size: import.size,
                first_frame,
                frame_offset: 0,
                frame_rate: Some(24000.0 / 1001.0),
            },
        )
        .unwrap()
    };
    // Nuke: bottom-left corners like 3DE, frames from 1: the same numbers.
    let nk = write(TrackFormat::NukeTracker4, 1);
    assert!(nk.contains("Tracker4 {\n tracks { { 1 31 4 }\n"));
    assert!(
        nk.contains(" { {curve K x0 0 x1 1 x2 0} \"TopLeft\" {curve x1 0} {curve x1 1080} "),
        "{nk}"
    );
    assert!(nk.contains("\"BottomRight\" {curve x1 1920} {curve x1 0} "));
    // After Effects: top-left corners, y down, frames from 0: TopLeft is (0, 0) at 0.
    let ae = write(TrackFormat::AfterEffects, 1);
    assert!(ae.contains("\tUnits Per Second\t23.976024\n"), "{ae}");
    assert!(
        ae.contains(
            "Effects\tPoint Control #1\tPoint #2\n\tFrame\tX pixels\tY pixels\n\t0\t0\t0\n"
        ),
        "{ae}"
    );
    assert!(ae.contains(
        "Effects\tPoint Control #4\tPoint #2\n\tFrame\tX pixels\tY pixels\n\t0\t1920\t1080\n"
    ));
    assert!(ae.ends_with("\nEnd of Keyframe Data\n"));
}

// ---------------------------------------------------------------------------------
// write → read.

fn name_3de_v4() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_é漢][A-Za-z0-9_ .é漢-]{0,10}[A-Za-z0-9_é漢]"
}

fn name_3de_v3() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_é漢][A-Za-z0-9_ .é漢-]{0,10}[A-Za-z0-9_é漢]"
}

fn name_boujou() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_é漢][A-Za-z0-9_.é漢#-]{0,12}"
}

/// Up to 4 tracks with distinct names, frames in 1..80 with gaps, positions a bit
/// outside the image too.
fn tracks(name: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<TrackData>> {
    let markers = prop::collection::btree_map(1i64..80, (-0.2..1.2f64, -0.2..1.2f64), 0..30);
    prop::collection::vec((name, markers), 1..5).prop_map(|tracks| {
        let mut seen = std::collections::HashSet::new();
        tracks
            .into_iter()
            .filter(|(name, _)| seen.insert(name.clone()))
            .map(|(name, markers)| {
                let mut t = TrackData::new(name);
                t.markers = markers
                    .into_iter()
                    .map(|(f, (x, y))| (f, [x, y]))
                    .collect::<BTreeMap<_, _>>();
                t
            })
            .collect()
    })
}

fn image() -> impl Strategy<Value = ImageSize> {
    (2u32..8192, 2u32..8192).prop_map(|(w, h)| size(w, h))
}

/// Writes `tracks` as `format` with the tracks' first frame `first`, reads the text
/// back with the offset that returns to the same numbering, and compares pixels.
fn round_trip(
    format: TrackFormat,
    tracks: &[TrackData],
    image: ImageSize,
    first: i64,
    pixel_tolerance: f64,
) {
    let text = tracks_to_string(
        tracks,
        &TrackWriteOptions {
            format,
            size: image,
            first_frame: first,
            frame_offset: 0,
            frame_rate: None,
        },
    )
    .unwrap();
    let read_options = TrackReadOptions {
        format: Some(format),
        size: (format != TrackFormat::Equalizer3).then_some(image),
        frame_offset: first - format.frame_base(),
        mode: ReadMode::Strict,
    };
    let back = parse_tracks_str(&text, &read_options).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.frame_base, first);
    // boujou has no rows for a track without keys.
    let expected: Vec<&TrackData> = tracks
        .iter()
        .filter(|t| format != TrackFormat::Boujou || !t.markers.is_empty())
        .collect();
    assert_eq!(back.tracks.len(), expected.len(), "{text}");
    let (w, h) = (f64::from(image.width), f64::from(image.height));
    for (a, b) in expected.iter().zip(&back.tracks) {
        assert_eq!(a.name, b.name);
        assert_eq!(
            a.markers.keys().collect::<Vec<_>>(),
            b.markers.keys().collect::<Vec<_>>()
        );
        for (p, q) in a.markers.values().zip(b.markers.values()) {
            let dx = (p[0] - q[0]).abs() * w;
            let dy = (p[1] - q[1]).abs() * h;
            assert!(
                dx <= pixel_tolerance && dy <= pixel_tolerance,
                "{p:?} {q:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tracks_apps_a_3de_v4_write_read_is_the_identity(
        tracks in tracks(name_3de_v4()), image in image(), first in prop::sample::select(vec![0i64, 1, 1001])
    ) {
        round_trip(TrackFormat::Equalizer4, &tracks, image, first, 1e-9);
    }

    #[test]
    fn tracks_apps_a_3de_v3_write_read_is_the_identity(
        tracks in tracks(name_3de_v3()), image in image(), first in prop::sample::select(vec![0i64, 1, 1001])
    ) {
        round_trip(TrackFormat::Equalizer3, &tracks, image, first, 5e-6 + 1e-9);
    }

    #[test]
    fn tracks_apps_a_boujou_write_read_is_the_identity(
        tracks in tracks(name_boujou()), image in image(), first in prop::sample::select(vec![0i64, 1, 1001])
    ) {
        round_trip(TrackFormat::Boujou, &tracks, image, first, 5e-4 + 1e-6);
    }

    #[test]
    fn tracks_apps_a_after_effects_rows_are_the_top_left_pixels(
        tracks in tracks(name_3de_v4()), image in image()
    ) {
        let text = tracks_to_string(&tracks, &TrackWriteOptions {
            format: TrackFormat::AfterEffects, size: image, first_frame: 1, frame_offset: 0,
            frame_rate: Some(25.0),
        }).unwrap();
        let blocks: Vec<&str> = text.split("Effects\tPoint Control #").skip(1).collect();
        prop_assert_eq!(blocks.len(), tracks.len());
        let (w, h) = (f64::from(image.width), f64::from(image.height));
        for (track, block) in tracks.iter().zip(blocks) {
            let rows: Vec<(i64, f64, f64)> = block
                .lines()
                .skip(2)
                .take_while(|l| l.starts_with('\t'))
                .map(|l| {
                    let f: Vec<&str> = l.split('\t').collect();
                    (f[1].parse().unwrap(), f[2].parse().unwrap(), f[3].parse().unwrap())
                })
                .collect();
            prop_assert_eq!(rows.len(), track.markers.len());
            for ((frame, p), (f, x, y)) in track.markers.iter().zip(rows) {
                prop_assert_eq!(f, frame - 1);
                prop_assert!((x - p[0] * w).abs() <= 1e-9 * w.max(1.0) * 10.0);
                prop_assert!((y - (h - p[1] * h)).abs() <= 1e-9 * h.max(1.0) * 10.0);
            }
        }
    }

    #[test]
    fn tracks_apps_a_nuke_curves_hold_every_key(
        tracks in tracks(name_3de_v4()), image in image()
    ) {
        let text = tracks_to_string(&tracks, &TrackWriteOptions {
            format: TrackFormat::NukeTracker4, size: image, first_frame: 1, frame_offset: 0,
            frame_rate: None,
        }).unwrap();
        prop_assert_eq!(text.matches('{').count(), text.matches('}').count());
        let (w, h) = (f64::from(image.width), f64::from(image.height));
        for track in &tracks {
            let quoted = format!("\"{}\" ", track.name);
            let at = text.find(&quoted).unwrap() + quoted.len();
            let rest = &text[at..];
            if track.markers.is_empty() {
                prop_assert!(rest.starts_with("{} {} "), "{}", rest);
                continue;
            }
            // `{curve x1 v v x5 v} {curve …}`: expand the x jumps.
            let mut curves = rest.split('}').take(2).map(|c| {
                let mut keys = Vec::new();
                let mut frame = 0i64;
                for token in c.trim_start_matches(" ").trim_start_matches("{curve").split_ascii_whitespace() {
                    if let Some(f) = token.strip_prefix('x') {
                        frame = f.parse().unwrap();
                    } else {
                        keys.push((frame, token.parse::<f64>().unwrap()));
                        frame += 1;
                    }
                }
                keys
            });
            let xs = curves.next().unwrap();
            let ys = curves.next().unwrap();
            prop_assert_eq!(xs.len(), track.markers.len());
            for (((frame, p), (fx, x)), (fy, y)) in track.markers.iter().zip(xs).zip(ys) {
                prop_assert_eq!((*frame, *frame), (fx, fy));
                prop_assert!((x - p[0] * w).abs() <= 1e-9 * w.max(1.0) * 10.0);
                prop_assert!((y - p[1] * h).abs() <= 1e-9 * h.max(1.0) * 10.0);
            }
        }
    }
}

#[test]
fn tracks_apps_a_names_the_writers_cannot_hold_are_errors() {
    let mut t = TrackData::new("has space");
    t.markers.insert(1, [0.5, 0.5]);
    let write = |format: TrackFormat, tracks: &[TrackData]| {
        tracks_to_string(
            tracks,
            &TrackWriteOptions {
                format,
                size: size(100, 100),
                first_frame: 1,
                frame_offset: 0,
                frame_rate: None,
            },
        )
    };
    assert!(matches!(
        write(TrackFormat::Boujou, &[t.clone()]),
        Err(Error::TrackName { .. })
    ));
    // 3DE v4 and Nuke hold spaces.
    assert!(write(TrackFormat::Equalizer4, &[t.clone()]).is_ok());
    assert!(write(TrackFormat::NukeTracker4, &[t.clone()]).is_ok());
    t.name = "two\nlines".into();
    for format in [
        TrackFormat::Equalizer4,
        TrackFormat::Equalizer3,
        TrackFormat::Boujou,
        TrackFormat::NukeTracker4,
    ] {
        assert!(
            matches!(write(format, &[t.clone()]), Err(Error::TrackName { .. })),
            "{format}"
        );
    }
    t.name = "quo\"te".into();
    assert!(matches!(
        write(TrackFormat::NukeTracker4, &[t.clone()]),
        Err(Error::TrackName { .. })
    ));
}

// ---------------------------------------------------------------------------------
// Invalid inputs.

/// (format, input, issue, line, column).
fn corpus() -> Vec<(TrackFormat, &'static str, TrackIssue, u64, u64)> {
    use TrackFormat::{Boujou, Equalizer3, Equalizer4};
    vec![
        (Equalizer4, "", TrackIssue::UnexpectedEnd { expected: "the number of points" }, 1, 1),
        (
            Equalizer4,
            "two\n",
            TrackIssue::NotANumber { field: "point count", text: "two".into() },
            1,
            1,
        ),
        (
            Equalizer4,
            "1 2\n",
            TrackIssue::Unexpected { expected: "the number of points", found: "1 2".into() },
            1,
            1,
        ),
        (
            Equalizer4,
            "1\na\nred\n1\n1 2 3\n",
            TrackIssue::NotANumber { field: "colour", text: "red".into() },
            3,
            1,
        ),
        (
            Equalizer4,
            "1\na\n0\nmany\n",
            TrackIssue::NotANumber { field: "key count", text: "many".into() },
            4,
            1,
        ),
        (
            Equalizer4,
            "1\na\n0\n1\n1.5 2 3\n",
            TrackIssue::FractionalFrame { text: "1.5".into() },
            5,
            1,
        ),
        (
            Equalizer4,
            "1\na\n0\n1\n1 2 nan\n",
            TrackIssue::NonFinite { field: "y", text: "nan".into() },
            5,
            5,
        ),
        (
            Equalizer4,
            "1\na\n0\n1\n1 x 3\n",
            TrackIssue::NotANumber { field: "x", text: "x".into() },
            5,
            3,
        ),
        (
            Equalizer4,
            "1\na\n0\n1\n1 2 3 4\n",
            TrackIssue::TooManyFields { expected: "frame x y", found: 4 },
            5,
            7,
        ),
        (
            Equalizer4,
            "1\na\n0\n1\n1 2\n",
            TrackIssue::MissingFields { expected: "frame x y", found: 2 },
            5,
            4,
        ),
        (
            Equalizer4,
            "1\na\n0\n3\n1 2 3\n",
            TrackIssue::KeyCount { track: "a".into(), declared: 3, found: 1 },
            5,
            6,
        ),
        (
            Equalizer4,
            "2\na\n0\n2\n1 2 3\nb\n0\n0\n",
            TrackIssue::KeyCount { track: "a".into(), declared: 2, found: 1 },
            6,
            1,
        ),
        (Equalizer4, "2\na\n0\n0\n", TrackIssue::TrackCount { declared: 2, found: 1 }, 4, 2),
        (Equalizer4, "1\na\n", TrackIssue::UnexpectedEnd { expected: "the point's colour line" }, 2, 2),
        (
            Equalizer4,
            "1\na\n0\n0\nb\n0\n0\n",
            TrackIssue::TrackCount { declared: 1, found: 2 },
            5,
            1,
        ),
        (
            Equalizer4,
            "1\na\n0\n2\n1 2 3\n1 4 5\n",
            TrackIssue::DuplicateFrame { track: "a".into(), frame: 1, first_line: 5 },
            6,
            1,
        ),
        (
            Equalizer3,
            "02\n\t1\t2\t3\n",
            TrackIssue::Unexpected {
                expected: "a `// 3DE Multiple Tracking Curves Export W x H * N frames` header",
                found: "02".into(),
            },
            1,
            1,
        ),
        (
            Equalizer3,
            "// 3DE Multiple Tracking Curves Export 1 x 778 * 2 frames\n",
            TrackIssue::Header(
                "the header's image size 1 x 778 is not a usable size (both sides must be at \
                 least 2 pixels)"
                    .into(),
            ),
            1,
            40,
        ),
        (
            Equalizer3,
            "// 3DE Multiple Tracking Curves Export 20 x 20 * 2 frames\n\t1\t2\t3\n",
            TrackIssue::Unexpected { expected: "a point name before its keys", found: "\t1\t2\t3".into() },
            2,
            2,
        ),
        (
            Equalizer3,
            "// 3DE Multiple Tracking Curves Export 20 x 20 * 2 frames\na\n\t1\t2\n",
            TrackIssue::MissingFields { expected: "\\tframe\\tx\\ty", found: 2 },
            3,
            5,
        ),
        (
            Boujou,
            "t 1 2 3\n",
            TrackIssue::Unexpected {
                expected: "the `# track_id view x y` column line before the data",
                found: "t 1 2 3".into(),
            },
            1,
            1,
        ),
        (Boujou, "# boujou\n", TrackIssue::Header("no `# track_id view x y` column line".into()), 1, 1),
        (
            Boujou,
            "# track_id view x\n",
            TrackIssue::Header(
                "the column line \"# track_id view x\" does not name all of track_id, view, x and y"
                    .into(),
            ),
            1,
            3,
        ),
        (
            Boujou,
            "# track_id view x y\r\nt  1  2\r\n",
            TrackIssue::MissingFields { expected: "track_id view x y", found: 3 },
            2,
            8,
        ),
        (
            Boujou,
            "# track_id view x y\nt 1.5 2 3\n",
            TrackIssue::FractionalFrame { text: "1.5".into() },
            2,
            3,
        ),
        (
            Boujou,
            "# track_id view x y\nt 1 2 inf\n",
            TrackIssue::NonFinite { field: "y", text: "inf".into() },
            2,
            7,
        ),
        (
            Boujou,
            "# track_id view x y\na 1 2 3\nb 1 2 3\na 2 2 3\n",
            TrackIssue::DuplicateName { name: "a".into(), first_line: 2, renamed: "a_2".into() },
            4,
            1,
        ),
    ]
}

#[test]
fn tracks_apps_a_invalid_inputs_give_their_typed_errors() {
    for (format, text, issue, line, column) in corpus() {
        let err = parse_tracks_str(
            text,
            &options(
                format,
                Some(size(20, 20)).filter(|_| format != TrackFormat::Equalizer3),
                ReadMode::Strict,
            ),
        )
        .expect_err(text);
        match err {
            Error::Tracks {
                position,
                issue: found,
                format: Some(f),
            } => {
                assert_eq!(f, format, "{text:?}");
                assert_eq!(found, issue, "{text:?}");
                assert_eq!(
                    (position.line, position.column),
                    (line, column),
                    "{text:?}: {found}"
                );
            }
            other => panic!("{text:?}: {other}"),
        }
    }
}

#[test]
fn tracks_apps_a_lenient_mode_skips_what_strict_mode_refuses() {
    // Every corpus input that fails on a line (not on the whole structure) reads in
    // lenient mode, with a warning at the same place.
    for (format, text, issue, line, _) in corpus() {
        let structural = matches!(
            issue,
            TrackIssue::UnexpectedEnd {
                expected: "the number of points"
            } | TrackIssue::Header(_)
        ) || (line == 1
            && matches!(
                issue,
                TrackIssue::Unexpected { .. } | TrackIssue::NotANumber { .. }
            ));
        let result = parse_tracks_str(
            text,
            &options(
                format,
                Some(size(20, 20)).filter(|_| format != TrackFormat::Equalizer3),
                ReadMode::Lenient,
            ),
        );
        if structural {
            assert!(result.is_err(), "{text:?}");
            continue;
        }
        let import = result.unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(
            import
                .warnings
                .iter()
                .any(|w| w.issue == issue && w.position.line == line),
            "{text:?}: {:?}",
            import.warnings
        );
    }
}

// ---------------------------------------------------------------------------------
// No panics.

fn check_no_panic(bytes: &[u8], format: TrackFormat) {
    for mode in [ReadMode::Strict, ReadMode::Lenient] {
        let image = (format != TrackFormat::Equalizer3).then(|| size(1920, 1080));
        match TrackReader::from_reader(bytes, options(format, image, mode)).read() {
            Ok(import) => {
                for t in &import.tracks {
                    assert!(
                        t.markers
                            .values()
                            .all(|p| p[0].is_finite() && p[1].is_finite())
                    );
                }
            }
            Err(Error::Tracks { position, .. }) => {
                assert!(position.line >= 1 && position.column >= 1);
                assert!(position.byte <= bytes.len() as u64 + 1, "{position:?}");
            }
            Err(_) => {}
        }
    }
}

const READABLE: [TrackFormat; 3] = [
    TrackFormat::Equalizer4,
    TrackFormat::Equalizer3,
    TrackFormat::Boujou,
];

fn small_wild_files() -> Vec<(TrackFormat, Vec<u8>)> {
    [
        (
            TrackFormat::Equalizer4,
            "3de_points/tsp_ref_equalizer4_SYNTH.txt",
        ),
        (
            TrackFormat::Equalizer4,
            "3de_points/mmtd_loadmarker_corners.txt",
        ),
        (
            TrackFormat::Equalizer3,
            "3de_points/tsp_ref_equalizer3_SYNTH.txt",
        ),
        (TrackFormat::Boujou, "boujou_txt/tsp_ref_boujou_SYNTH.txt"),
    ]
    .into_iter()
    .map(|(f, p)| (f, std::fs::read(wild(p)).unwrap()))
    .collect()
}

const HOSTILE: &[&[u8]] = &[
    b"\0",
    b"\r",
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"#",
    b"//",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"nan",
    b"inf",
    b"-",
    b"1e308",
    b"1e-320",
    b"99999999999999999999",
    b"18446744073709551615",
    b"0",
    b"x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tracks_apps_a_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), which in 0usize..3) {
        check_no_panic(&bytes, READABLE[which]);
    }

    #[test]
    fn tracks_apps_a_mutated_real_files_never_panic(
        file in 0usize..4,
        edits in prop::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..HOSTILE.len()), 1..5)
    ) {
        let files = small_wild_files();
        let (format, mut bytes) = files[file].clone();
        for (op, at, len, token) in edits {
            let n = bytes.len();
            let i = if n == 0 { 0 } else { at.index(n) };
            match op {
                0 => { bytes.splice(i..i, HOSTILE[token].iter().copied()); }
                1 => { let end = (i + len.index(40)).min(n); bytes.drain(i..end); }
                2 => { if i < n { bytes[i] = HOSTILE[token].first().copied().unwrap_or(b'?'); } }
                _ => { bytes.truncate(i); }
            }
        }
        check_no_panic(&bytes, format);
    }
}
