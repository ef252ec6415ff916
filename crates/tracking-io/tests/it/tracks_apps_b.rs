//! SynthEyes (2-D paths, All Tracker Paths) and PFTrack 4 / 5 / PFMatchit: every real
//! file in `../shared/fixtures/wild/`, checked against values derived by hand from the
//! file text and each application's convention; write → read identity; an invalid-input
//! corpus; and "never panics" on arbitrary and mutated input.
//!
//! Pixels here are TrackData's: bottom-left corner origin, `normalised × size`.
//! SynthEyes: `x = (u/2 + 0.5)(W − 1) + 0.5`, `y = H − ((v/2 + 0.5)(H − 1) + 0.5)`.
//! PFTrack / PFMatchit: `x + 0.5`, `y + 0.5` (pixel centres, bottom-left origin).

use proptest::prelude::*;
use tracking_io::{
    Error, ImageSize, ReadMode, TrackFormat, TrackImport, TrackIssue, TrackReadOptions,
    TrackWriteOptions, parse_tracks_str, read_tracks, tracks_to_string,
};
use tracking_types::{ExtraValue, TrackData};

const WILD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/wild");

fn read(file: &str, format: TrackFormat, width: u32, height: u32) -> TrackImport {
    let path = format!("{WILD}/{file}");
    let options = TrackReadOptions {
        format: Some(format),
        size: Some(ImageSize::new(width, height).unwrap()),
        ..TrackReadOptions::default()
    };
    read_tracks(&path, &options).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The pixel position (bottom-left corner convention) of `track` at `frame`.
fn px(import: &TrackImport, track: usize, frame: i64) -> (f64, f64) {
    let t = &import.tracks[track];
    let p = t
        .markers
        .get(&frame)
        .unwrap_or_else(|| panic!("{} has no frame {frame}", t.name));
    (
        p[0] * f64::from(import.size.width),
        p[1] * f64::from(import.size.height),
    )
}

fn first_last(import: &TrackImport, track: usize) -> (i64, i64) {
    let m = &import.tracks[track].markers;
    (*m.keys().next().unwrap(), *m.keys().last().unwrap())
}

#[track_caller]
fn near(got: (f64, f64), want: (f64, f64), tol: f64) {
    assert!(
        (got.0 - want.0).abs() <= tol && (got.1 - want.1).abs() <= tol,
        "got {got:?}, want {want:?}"
    );
}

fn camera(t: &TrackData) -> Option<&str> {
    match t.extra.get("camera") {
        Some(ExtraValue::String(c)) => Some(c.as_str()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------
// SynthEyes "Tracker 2-D paths"

#[test]
fn tracks_syntheyes_shake_converted_file_matches_tracksperanto_and_the_formula() {
    let im = read(
        "syntheyes_2d/tsp_shake_tracker_nodes_to_syntheyes.txt",
        TrackFormat::Syntheyes,
        2560,
        1080,
    );
    // 50 runs of names (awk over column 1); tracksperanto's test: 50 trackers.
    assert_eq!(im.tracks.len(), 50);
    assert_eq!(im.tracks[0].name, "Tracker1");
    // Lines 1–185 are Tracker1, frames 0–184.
    assert_eq!(im.tracks[0].markers.len(), 185);
    assert_eq!(first_last(&im, 0), (0, 184));
    // Line 1: `Tracker1  0 -0.441406 -0.640741 30` (two spaces after the name):
    // x = (−0.441406/2 + 0.5)·2559 + 0.5 = 715.221; y = 1080 − ((−0.640741/2 + 0.5)·1079
    // + 0.5) = 885.680. tracksperanto: 715.221, 885.679.
    near(px(&im, 0, 0), (715.221, 885.680), 0.001);
    // Last line 4091: `Tracker8  180 0.074219 -0.070370 30` → (1374.963, 577.965).
    let last = im.tracks.len() - 1;
    assert_eq!(im.tracks[last].name, "Tracker8");
    near(px(&im, last, 180), (1374.963, 577.965), 0.001);
}

#[test]
fn tracks_syntheyes_cola_plate_crlf_file() {
    let im = read(
        "syntheyes_2d/tsp_cola_plate.txt",
        TrackFormat::Syntheyes,
        1920,
        1080,
    );
    // 507 CRLF lines, 6 name runs (Tracker1…Tracker6); line 1–100 Tracker1 frames 1–100.
    assert_eq!(im.tracks.len(), 6);
    assert_eq!(im.tracks[0].markers.len(), 100);
    assert_eq!(first_last(&im, 0), (1, 100));
    // Line 1: `Tracker1 1 -0.067728 -0.244922 15` → x = 0.466136·1919 + 0.5 = 895.015,
    // y = 1080 − (0.377539·1079 + 0.5) = 672.135.
    near(px(&im, 0, 1), (895.015, 672.135), 0.001);
    // Line 507: `Tracker6 100 -0.244288 -0.166090 15` → (725.606, 629.606).
    assert_eq!(im.tracks[5].name, "Tracker6");
    near(px(&im, 5, 100), (725.606, 629.606), 0.001);
    assert_eq!(im.frame_base, 0);
}

#[test]
fn tracks_syntheyes_other_real_paths_files() {
    // flyover: 12687 CRLF lines, 119 name runs (Tracker1…Tracker120, some missing).
    let im = read(
        "syntheyes_2d/tsp_flyover2DP_syntheyes.txt",
        TrackFormat::Syntheyes,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 119);
    assert_eq!(im.tracks[0].markers.len(), 30);
    // Line 1: `Tracker1 0 -0.535649 0.864936 15` → (446.045, 73.367) at 1920×1080.
    near(px(&im, 0, 0), (446.045, 73.367), 0.001);
    let total: usize = im.tracks.iter().map(|t| t.markers.len()).sum();
    assert_eq!(total, 12687);

    // morePoints: LF, lower-case names, 26 runs; `tracker1 0 -0.518223 -0.404074 15`.
    let im = read(
        "syntheyes_2d/tsp_morePoints_sy2010.txt",
        TrackFormat::Syntheyes,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 26);
    assert_eq!(im.tracks[0].name, "tracker1");
    assert_eq!(im.tracks[0].markers.len(), 30);
    near(px(&im, 0, 0), (462.765, 757.998), 0.001);
    // Last line 752: `Tracker26 29 -0.759187 0.540086 7` → (231.560, 248.624).
    near(px(&im, 25, 29), (231.560, 248.624), 0.001);

    // one_tracker: 1 tracker, 49 keys, frames 1–49 (line 48 has outcome 23).
    let im = read(
        "syntheyes_2d/tsp_one_tracker.txt",
        TrackFormat::Syntheyes,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 1);
    assert_eq!(im.tracks[0].markers.len(), 49);
    assert_eq!(first_last(&im, 0), (1, 49));
    // `Tracker1 1 0.534170 0.262748 15` → (1472.536, 398.248);
    // `Tracker1 49 0.782901 -0.186439 15` → (1711.194, 640.584).
    near(px(&im, 0, 1), (1472.536, 398.248), 0.001);
    near(px(&im, 0, 49), (1711.194, 640.584), 0.001);
}

#[test]
fn tracks_syntheyes_subpixel_grid_corners_land_on_the_image_corners() {
    // SynthEyes on tracksperanto's 720×576 grid: line 3 `Corner1 0 -1.001360 1.001627
    // 15` → x = (−0.00068)·719 + 0.5 = 0.011, y = 576 − (1.0008135·575 + 0.5) = 0.032:
    // the bottom-left image corner (tracksperanto's test: (0, 0) ± 0.1). Line 4
    // `Tracker4 0 1.001373 -1.001747 15` → (719.994, 576.002): the top-right corner.
    let im = read(
        "syntheyes_2d/tsp_subpix_2dpaths.txt",
        TrackFormat::Syntheyes,
        720,
        576,
    );
    assert_eq!(im.tracks.len(), 4);
    assert_eq!(im.tracks[2].name, "Corner1");
    near(px(&im, 2, 0), (0.011, 0.032), 0.001);
    near(px(&im, 3, 0), (719.994, 576.002), 0.001);
}

#[test]
fn tracks_syntheyes_tracksperanto_reference_export_gives_back_its_known_input() {
    // ref_Syntheyes was written from ParabolicTracks on 1920×1080: the first key is the
    // top-left corner (0, 1080), frames 0–9 and 12–20; one key in the middle (970, 550).
    let im = read(
        "syntheyes_2d/tsp_ref_Syntheyes_SYNTH.txt",
        TrackFormat::Syntheyes,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 3);
    assert_eq!(im.tracks[0].markers.len(), 19);
    assert!(!im.tracks[0].markers.contains_key(&10) && !im.tracks[0].markers.contains_key(&11));
    // `Parabolic1FromTopLeft 0 -1.000521 -1.000927 15` → (0.000, 1080.000).
    near(px(&im, 0, 0), (0.0, 1080.0), 0.001);
    // `SingleFrameInTheMiddle 0 0.010422 -0.018536 15` → (970.000, 550.000).
    near(px(&im, 2, 0), (970.0, 550.0), 0.001);
}

// ---------------------------------------------------------------------------------
// SynthEyes "All Tracker Paths"

#[test]
fn tracks_syntheyes_all_tracker_paths_shot06() {
    let im = read(
        "syntheyes_2d/tsp_allpaths_shot06_2dTracks.txt",
        TrackFormat::SyntheyesPixels,
        2560,
        1080,
    );
    // 139 one-field name lines; CRLF is not part of the name (tracksperanto's
    // "Tracker2_" is its CR turned into an underscore).
    assert_eq!(im.tracks.len(), 139);
    assert_eq!(im.tracks[0].name, "Tracker2");
    assert_eq!(im.tracks[1].name, "Tracker3");
    // Lines 2–45: 44 keys, frames 0–43.
    assert_eq!(im.tracks[0].markers.len(), 44);
    assert_eq!(first_last(&im, 0), (0, 43));
    // Line 2: `0 760.632 727.860`; the row reads these as bottom-left corner pixels,
    // unchanged (unverified: see convention.rs).
    near(px(&im, 0, 0), (760.632, 727.860), 1e-6);
    let last = im.tracks.len() - 1;
    // Last line 6255: `43 1240.779 334.008`.
    near(px(&im, last, 43), (1240.779, 334.008), 1e-6);
    let total: usize = im.tracks.iter().map(|t| t.markers.len()).sum();
    assert_eq!(total, 6255 - 139);
}

// ---------------------------------------------------------------------------------
// PFTrack / PFMatchit

#[test]
fn tracks_pftrack4_sourcefile() {
    let im = read(
        "pftrack_2dt/tsp_pftrack4_sourcefile.2dt",
        TrackFormat::Pftrack4,
        2560,
        1080,
    );
    // 43 quoted names; tracksperanto: 43 trackers.
    assert_eq!(im.tracks.len(), 43);
    assert_eq!(im.tracks[0].name, "Tracker1");
    // Line 4: count 341; line 5: `41 984.611 30.220 0.000` → centres +0.5 → (985.111,
    // 30.720), frame 41 as written (tracksperanto subtracts 1: its frame 40).
    assert_eq!(im.tracks[0].markers.len(), 341);
    assert_eq!(first_last(&im, 0), (41, 381));
    near(px(&im, 0, 41), (985.111, 30.720), 1e-6);
    // Line 345: `381 729.330 304.265 0.781` → (729.830, 304.765); tracksperanto: 729.83.
    near(px(&im, 0, 381), (729.830, 304.765), 1e-6);
    // Line 28504: `"Tracker41"`, 467 keys; line 28506 `338 1983.740 96.531 0.000`;
    // last line 28972 `804 2004.920 287.236 0.787`.
    let last = &im.tracks[42];
    assert_eq!(last.name, "Tracker41");
    assert_eq!(last.markers.len(), 467);
    near(px(&im, 42, 338), (1984.240, 97.031), 1e-6);
    near(px(&im, 42, 804), (2005.420, 287.736), 1e-6);
    assert!(camera(&im.tracks[0]).is_none());
    assert!(im.warnings.is_empty(), "{:?}", im.warnings);
}

#[test]
fn tracks_pftrack5_stereo_keeps_both_cameras() {
    let im = read(
        "pftrack_2dt/tsp_pftrack5_stereo.2dt",
        TrackFormat::Pftrack5,
        1920,
        1080,
    );
    // 845 names, each with a "Primary" and a "Secondary" block: 1690 tracks.
    assert_eq!(im.tracks.len(), 1690);
    assert_eq!(im.tracks[0].name, "Auto_00001");
    assert_eq!(camera(&im.tracks[0]), Some("Primary"));
    assert_eq!(im.tracks[1].name, "Auto_00001");
    assert_eq!(camera(&im.tracks[1]), Some("Secondary"));
    // Lines 64–67: `"Auto_00016"`, `"Primary"`, 34, `86 1331.017 1012.484 0.019` →
    // (1331.517, 1012.984); tracksperanto: acc[18], length 34, abs_x 1331.517.
    assert_eq!(im.tracks[18].name, "Auto_00016");
    assert_eq!(im.tracks[18].markers.len(), 34);
    near(px(&im, 18, 86), (1331.517, 1012.984), 1e-6);
    // Lines 101–103: `"Secondary"`, 34, `86 1335.609 1012.392 0.019` → 1336.109.
    assert_eq!(camera(&im.tracks[19]), Some("Secondary"));
    near(px(&im, 19, 86), (1336.109, 1012.892), 1e-6);
    // Lines 138–140: `"Auto_00021"`, `"Primary"`, 0: an empty track, kept (a note).
    assert_eq!(im.tracks[20].name, "Auto_00021");
    assert!(im.tracks[20].markers.is_empty());
    // 1406 camera blocks have count 0 (awk over the line after each camera line).
    let empty = im.tracks.iter().filter(|t| t.markers.is_empty()).count();
    assert_eq!(empty, 1406);
    assert_eq!(im.warnings.len(), 1406);
}

#[test]
fn tracks_pftrack5_apft_numeric_names_and_duplicate_frames() {
    // Tracker "1015" (lines 9–58) has frame 798 twice with different x: line 31
    // `798 616415.040 540.000 0.000` and line 54 `798 679393.920 540.000 0.000` (and
    // one more repeated frame): strict refuses it, naming both lines.
    let path = format!("{WILD}/pftrack_2dt/tsp_pftrack5_apft.2dt");
    let mut options = TrackReadOptions {
        format: Some(TrackFormat::Pftrack5),
        size: Some(ImageSize::new(1920, 1080).unwrap()),
        ..TrackReadOptions::default()
    };
    match read_tracks(&path, &options).unwrap_err() {
        Error::Tracks {
            position,
            issue:
                TrackIssue::DuplicateFrame {
                    track,
                    frame,
                    first_line,
                },
            ..
        } => assert_eq!(
            (track.as_str(), frame, first_line, position.line),
            ("1015", 798, 31, 54)
        ),
        other => panic!("{other:?}"),
    }
    // Lenient keeps the first of each repeated frame: 47 − 2 keys.
    options.mode = ReadMode::Lenient;
    let im = read_tracks(&path, &options).unwrap();
    assert_eq!(im.tracks.len(), 4);
    // Line 6: `0 960.000 540.000 0.000` → (960.5, 540.5).
    assert_eq!(im.tracks[0].name, "Tracker642");
    near(px(&im, 0, 0), (960.5, 540.5), 1e-9);
    // Lines 9–12: `"1015"`, `"Primary"`, 47, `627 634787.520 540.000 0.000` (x far
    // outside the image, kept as is).
    assert_eq!(im.tracks[1].name, "1015");
    assert_eq!(camera(&im.tracks[1]), Some("Primary"));
    assert_eq!(im.tracks[1].markers.len(), 45);
    near(px(&im, 1, 627), (634_788.02, 540.5), 1e-6);
    near(px(&im, 1, 798), (616_415.54, 540.5), 1e-6);
    assert_eq!(im.warnings.len(), 2);
}

#[test]
fn tracks_pftrack5_empty_trackers_and_large_frames() {
    let im = read(
        "pftrack_2dt/tsp_pftrack5_empty_trackers.2dt",
        TrackFormat::Pftrack5,
        1920,
        1080,
    );
    // Feature2 (0 keys), Feature3 (10 keys, 9095–9138), Feature4 (0, no final newline).
    let names: Vec<&str> = im.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Feature2", "Feature3", "Feature4"]);
    assert_eq!(im.tracks[1].markers.len(), 10);
    assert_eq!(first_last(&im, 1), (9095, 9138));
    // Line 17: `9095 615.471 403.957 0.000` → (615.971, 404.457).
    near(px(&im, 1, 9095), (615.971, 404.457), 1e-6);
    assert!(im.tracks[0].markers.is_empty() && im.tracks[2].markers.is_empty());
}

#[test]
fn tracks_pfmatchit_example_keeps_the_clip_numbers() {
    let im = read(
        "pftrack_2dt/tsp_pfmatchit_example.2dt",
        TrackFormat::Pfmatchit,
        1920,
        1080,
    );
    // `"Feature1"` in clip 1 (lines 10–49) and clip 2 (lines 51–90), 37 keys each.
    assert_eq!(im.tracks.len(), 2);
    assert_eq!(camera(&im.tracks[0]), Some("1"));
    assert_eq!(camera(&im.tracks[1]), Some("2"));
    assert_eq!(im.tracks[0].markers.len(), 37);
    assert_eq!(im.tracks[1].markers.len(), 37);
    assert_eq!(first_last(&im, 0), (1, 37));
    // Line 13: `1 356.268 150.052 0.000` → (356.768, 150.552); line 90 (no final
    // newline): `37 345.620 17.699 0.023` → (346.120, 18.199).
    near(px(&im, 0, 1), (356.768, 150.552), 1e-6);
    near(px(&im, 1, 37), (346.120, 18.199), 1e-6);
    assert_eq!(im.frame_base, 1);
}

#[test]
fn tracks_pftrack_user_track_exports_on_test_images() {
    // julik_pftrack and corners_v001 on the 720×576 subpixel grid (mmSolver: 716×572 is
    // its size claim for v001; the marked pixels say 720×576): line 9 `1 0.000002
    // -0.000002 1.000000` → (0.500, 0.500), the bottom-left pixel's centre; line 14
    // `1 714.999023 571.000122 1.000000` → (715.499, 571.500), tracksperanto 715.5 / 571.514.
    for file in [
        "tsp_subpix_julik_pftrack.txt",
        "mmtd_pftrack_corners_v001.txt",
    ] {
        let im = read(
            &format!("pftrack_2dt/{file}"),
            TrackFormat::Pfmatchit,
            720,
            576,
        );
        assert_eq!(im.tracks.len(), 2, "{file}");
        near(px(&im, 0, 1), (0.500_002, 0.499_998), 1e-6);
        near(px(&im, 1, 1), (715.499_023, 571.500_122), 1e-6);
    }
    // corners_v002: header lists 5 fields, data has 4; 4 trackers × 151 keys (0–150).
    let im = read(
        "pftrack_2dt/mmtd_pftrack_corners_v002.txt",
        TrackFormat::Pfmatchit,
        1920,
        1080,
    );
    let names: Vec<&str> = im.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["upperLeft", "upperRight", "lowerLeft", "lowerRight"]
    );
    assert!(im.tracks.iter().all(|t| t.markers.len() == 151));
    // Line 9: `0 0.000000 1078.468994 1.000000` → (0.5, 1078.968994); line 624:
    // `150 1918.645996 -0.443077 1.000000` → (1919.145996, 0.056923).
    near(px(&im, 0, 0), (0.5, 1_078.968_994), 1e-6);
    near(px(&im, 3, 150), (1_919.145_996, 0.056_923), 1e-6);
    // HCW head tracking: head, head1…head4, 151 keys each; line 9 `0 940.363953
    // 788.944336 1.000000` → (940.863953, 789.444336); line 779 `150 874.752014
    // 687.015625` → (875.252014, 687.515625).
    let im = read(
        "pftrack_2dt/mmtd_pftrack_hollywoodcameraworks_headtracking.txt",
        TrackFormat::Pfmatchit,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 5);
    assert_eq!(im.tracks[4].name, "head4");
    near(px(&im, 0, 0), (940.863_953, 789.444_336), 1e-6);
    near(px(&im, 4, 150), (875.252_014, 687.515_625), 1e-6);
}

#[test]
fn tracks_pftrack_docs_example_has_one_tracker_in_two_clips() {
    // Lines 6–19: `"Tracker0001"` in clip 1 (4 keys) and again in clip 2 (3 keys): the
    // same user track placed in two clips, not a duplicate; line 21 `"Tracker0002"`.
    let im = read(
        "pftrack_2dt/mmtd_pftrack_user_track_docs.txt",
        TrackFormat::Pfmatchit,
        1920,
        1080,
    );
    let got: Vec<(&str, Option<&str>, usize)> = im
        .tracks
        .iter()
        .map(|t| (t.name.as_str(), camera(t), t.markers.len()))
        .collect();
    assert_eq!(
        got,
        [
            ("Tracker0001", Some("1"), 4),
            ("Tracker0001", Some("2"), 3),
            ("Tracker0002", Some("1"), 5)
        ]
    );
    // Line 9: `15 506.41 320.16 1.0000` → (506.91, 320.66).
    near(px(&im, 0, 15), (506.91, 320.66), 1e-9);
    assert!(im.warnings.is_empty());
}

#[test]
fn tracks_pftrack_the_same_name_twice_in_one_clip_is_a_duplicate() {
    let text = "\"T\"\n1\n1\n1 1 1 1\n\n\"T\"\n1\n1\n2 1 1 1\n";
    let mut options = TrackReadOptions {
        format: Some(TrackFormat::Pfmatchit),
        size: Some(ImageSize::new(100, 100).unwrap()),
        ..TrackReadOptions::default()
    };
    match parse_tracks_str(text, &options).unwrap_err() {
        Error::Tracks {
            position,
            issue: TrackIssue::DuplicateName {
                name, first_line, ..
            },
            ..
        } => assert_eq!((name.as_str(), first_line, position.line), ("T", 1, 6)),
        other => panic!("{other:?}"),
    }
    options.mode = ReadMode::Lenient;
    let im = parse_tracks_str(text, &options).unwrap();
    assert_eq!(im.tracks[1].name, "T_2");
    assert_eq!(im.warnings.len(), 1);
}

#[test]
fn tracks_pftrack5_reference_export_gives_back_its_known_input() {
    // ref_PFTrack5 (CRLF): `0 -0.500 1079.500 0.000` → (0, 1080), the top-left corner.
    let im = read(
        "pftrack_2dt/tsp_ref_PFTrack5_SYNTH.2dt",
        TrackFormat::Pftrack5,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 3);
    assert_eq!(im.tracks[0].markers.len(), 19);
    near(px(&im, 0, 0), (0.0, 1080.0), 1e-9);
    // `0 969.500 549.500 0.000` → (970, 550).
    near(px(&im, 2, 0), (970.0, 550.0), 1e-9);
}

#[test]
fn tracks_pftrack5_file_read_as_pftrack4_is_read_by_its_layout_with_a_note() {
    let im = read(
        "pftrack_2dt/tsp_pftrack5_empty_trackers.2dt",
        TrackFormat::Pftrack4,
        1920,
        1080,
    );
    assert_eq!(im.tracks.len(), 3);
    assert_eq!(camera(&im.tracks[1]), Some("Primary"));
    assert!(im.warnings.iter().any(|w| matches!(
        w.issue,
        TrackIssue::LayoutMismatch {
            found: TrackFormat::Pftrack5,
            ..
        }
    )));
}

// ---------------------------------------------------------------------------------
// Writers: what the applications write, and write → read identity

fn write(tracks: &[TrackData], format: TrackFormat, size: ImageSize) -> String {
    let options = TrackWriteOptions {
        format,
        size,
        first_frame: format.frame_base(),
        frame_offset: 0,
        frame_rate: None,
    };
    tracks_to_string(tracks, &options).unwrap()
}

#[test]
fn tracks_written_files_have_the_applications_layout() {
    let size = ImageSize::new(1920, 1080).unwrap();
    let mut t = TrackData::new("Parabolic1");
    t.markers.insert(0, [0.0, 1.0]);
    t.markers.insert(1, [0.05, 0.81]);
    t.markers.insert(3, [0.1, 0.5]);
    let tracks = [t];
    assert_eq!(
        write(&tracks, TrackFormat::Syntheyes, size),
        "Parabolic1 0 -1.000521 -1.000927 15\r\nParabolic1 1 -0.900469 -0.620575 7\r\n\
         Parabolic1 3 -0.800417 0.000000 15\r\n"
    );
    assert_eq!(
        write(&tracks, TrackFormat::Pftrack4, size),
        "\n\n\"Parabolic1\"\n3\n0 -0.500 1079.500 0.000\n1 95.500 874.300 0.000\n\
         3 191.500 539.500 0.000\n"
    );
    let pf5 = write(&tracks, TrackFormat::Pftrack5, size);
    assert!(pf5.starts_with("# 2D feature tracks generated by cinematic"));
    assert!(pf5.ends_with(
        "#\n\n\"Parabolic1\"\n\"Primary\"\n3\n0 -0.500 1079.500 0.000\n\
                           1 95.500 874.300 0.000\n3 191.500 539.500 0.000\n"
    ));
    let mi = write(&tracks, TrackFormat::Pfmatchit, size);
    // PFMatchit frames from 1: tracks' first frame 1 stays 1 (first_frame = base).
    assert!(mi.starts_with("# \"Name\"\n# clipNumber\n# frameCount\n"));
    assert!(mi.contains("\n\"Parabolic1\"\n1\n3\n0 -0.500000 1079.500000 1.000000\n"));
    assert_eq!(
        write(&tracks, TrackFormat::SyntheyesPixels, size),
        "Parabolic1\r\n0 0.000 1080.000\r\n1 96.000 874.800\r\n3 192.000 540.000\r\n"
    );
}

#[test]
fn tracks_names_the_formats_cannot_hold_are_refused() {
    let size = ImageSize::new(100, 100).unwrap();
    let options = |format| TrackWriteOptions {
        format,
        size,
        first_frame: 0,
        frame_offset: 0,
        frame_rate: None,
    };
    for (name, format) in [
        ("a b", TrackFormat::Syntheyes),
        ("a\tb", TrackFormat::SyntheyesPixels),
        ("a\"b", TrackFormat::Pftrack5),
        ("a\nb", TrackFormat::Pfmatchit),
        ("", TrackFormat::Pftrack4),
    ] {
        let err = tracks_to_string(&[TrackData::new(name)], &options(format)).unwrap_err();
        assert!(
            matches!(err, Error::TrackName { .. }),
            "{name:?} {format}: {err}"
        );
    }
    // Spaces and non-ASCII survive a quoted PFTrack name.
    let mut t = TrackData::new("Point 1 é");
    t.markers.insert(0, [0.5, 0.5]);
    let text = tracks_to_string(&[t], &options(TrackFormat::Pftrack5)).unwrap();
    let back = parse_tracks_str(
        &text,
        &TrackReadOptions {
            format: Some(TrackFormat::Pftrack5),
            size: Some(size),
            ..TrackReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(back.tracks[0].name, "Point 1 é");
}

/// Random tracks: unique names from `name`, 0/1…40 keys over frames −20…300 (gaps),
/// positions a little beyond the image.
fn tracks_strategy(
    name: &'static str,
    min_keys: usize,
) -> impl Strategy<Value = (Vec<TrackData>, u32, u32)> {
    (
        prop::collection::vec(
            (
                name,
                prop::collection::btree_map(
                    -20i64..300,
                    (-0.2f64..1.2, -0.2f64..1.2),
                    min_keys..40,
                ),
            ),
            1..6,
        ),
        2u32..5000,
        2u32..5000,
    )
        .prop_map(|(raw, w, h)| {
            let mut seen = std::collections::BTreeSet::new();
            let tracks = raw
                .into_iter()
                .filter(|(n, _)| seen.insert(n.clone()))
                .map(|(n, keys)| {
                    let mut t = TrackData::new(n);
                    t.markers = keys.into_iter().map(|(f, (x, y))| (f, [x, y])).collect();
                    t
                })
                .collect();
            (tracks, w, h)
        })
}

fn round_trip(tracks: &[TrackData], format: TrackFormat, w: u32, h: u32, tol_px: f64) {
    let size = ImageSize::new(w, h).unwrap();
    let text = write(tracks, format, size);
    let back = parse_tracks_str(
        &text,
        &TrackReadOptions {
            format: Some(format),
            size: Some(size),
            ..TrackReadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.tracks.len(), tracks.len());
    for (a, b) in tracks.iter().zip(&back.tracks) {
        assert_eq!(a.name, b.name);
        assert_eq!(
            a.markers.keys().collect::<Vec<_>>(),
            b.markers.keys().collect::<Vec<_>>()
        );
        for (p, q) in a.markers.values().zip(b.markers.values()) {
            let dx = (p[0] - q[0]).abs() * f64::from(w);
            let dy = (p[1] - q[1]).abs() * f64::from(h);
            assert!(dx <= tol_px && dy <= tol_px, "{p:?} {q:?} at {w}x{h}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tracks_syntheyes_paths_write_read_identity((tracks, w, h) in tracks_strategy("[A-Za-z0-9_é]{1,8}", 1)) {
        // Six decimals of u over (W − 1)/2 pixels: 0.5e-6 · 2500 ≈ 0.0013 px.
        round_trip(&tracks, TrackFormat::Syntheyes, w, h, 0.5e-6 * f64::from(w.max(h)) + 1e-9);
    }

    #[test]
    fn tracks_syntheyes_pixels_write_read_identity((tracks, w, h) in tracks_strategy("[A-Za-z0-9_é]{1,8}", 0)) {
        round_trip(&tracks, TrackFormat::SyntheyesPixels, w, h, 0.000_501);
    }

    #[test]
    fn tracks_pftrack4_write_read_identity((tracks, w, h) in tracks_strategy("[A-Za-z0-9 _é]{1,8}", 0)) {
        round_trip(&tracks, TrackFormat::Pftrack4, w, h, 0.000_501);
    }

    #[test]
    fn tracks_pftrack5_write_read_identity((tracks, w, h) in tracks_strategy("[A-Za-z0-9 _é]{1,8}", 0)) {
        round_trip(&tracks, TrackFormat::Pftrack5, w, h, 0.000_501);
    }

    #[test]
    fn tracks_pfmatchit_write_read_identity((tracks, w, h) in tracks_strategy("[A-Za-z0-9 _é]{1,8}", 0)) {
        round_trip(&tracks, TrackFormat::Pfmatchit, w, h, 0.000_000_501);
    }
}

// ---------------------------------------------------------------------------------
// Invalid input: each broken input with its error (issue, line, column)

#[test]
fn tracks_apps_b_invalid_corpus_gives_each_error_and_lenient_skips() {
    use TrackFormat::{Pfmatchit, Pftrack4, Pftrack5, Syntheyes, SyntheyesPixels};
    let corpus: &[(TrackFormat, &str, &str, u64, u64)] = &[
        (Syntheyes, "T 0 0.1\n", "MissingFields", 1, 1),
        (Syntheyes, "T 0 0.1 0.2 7 9\n", "TooManyFields", 1, 1),
        (Syntheyes, "T x 0.1 0.2 7\n", "NotANumber", 1, 3),
        (Syntheyes, "T 0 nan 0.2 7\n", "NonFinite", 1, 5),
        (Syntheyes, "T 0.5 0.1 0.2 7\n", "FractionalFrame", 1, 3),
        (
            Syntheyes,
            "T 0 0.1 0.2 7\r\nT 0 0.3 0.4 7\r\n",
            "DuplicateFrame",
            2,
            1,
        ),
        (
            Syntheyes,
            "A 0 0 0 7\nB 0 0 0 7\nA 1 0 0 7\n",
            "DuplicateName",
            3,
            1,
        ),
        (Syntheyes, "T  0 0.1 0.2 -7\n", "NotANumber", 1, 14),
        (Syntheyes, "T 0 1e300 0.2 7\n", "CoordinateOutOfRange", 1, 5),
        (SyntheyesPixels, "0 1 2\n", "Unexpected", 1, 1),
        (SyntheyesPixels, "T\n0 1\n", "MissingFields", 2, 1),
        (SyntheyesPixels, "T\n0 1 2 3\n", "TooManyFields", 2, 1),
        (SyntheyesPixels, "T\r\n0 1 y\r\n", "NotANumber", 2, 5),
        (Pftrack4, "\"A\"\n2\n0 1 2 0\n", "KeyCount", 2, 1),
        (Pftrack4, "A\n1\n0 1 2 0\n", "Unexpected", 1, 1),
        (Pftrack4, "\"A\"\nx\n", "NotANumber", 2, 1),
        (Pftrack4, "\"A\"\n1\n0 1 2\n", "MissingFields", 3, 1),
        (Pftrack4, "\"A\"\n1\n0 1 2 0 0 0\n", "TooManyFields", 3, 1),
        (Pftrack4, "\"A\"\n1\n0 1 2 r\n", "NotANumber", 3, 7),
        (
            Pftrack4,
            "\"A\"\n2\n0 1 2 0\n0 1 2 0\n",
            "DuplicateFrame",
            4,
            1,
        ),
        (Pftrack4, "\"A\"\n1\n0 1 2 0\n1 1 2 0\n", "KeyCount", 4, 1),
        (Pftrack5, "\"A\"\n\"Primary\"\n", "UnexpectedEnd", 2, 10),
        (Pftrack5, "\"A\"\n", "UnexpectedEnd", 1, 4),
        (
            Pftrack5,
            "\"A\"\n\"Primary\"\n0\n\n\"A\"\n\"Primary\"\n0\n",
            "DuplicateName",
            5,
            1,
        ),
        (
            Pftrack5,
            "\"A\"\n\"Primary\"\n1\n1e999 1 2 0\n",
            "NonFinite",
            4,
            1,
        ),
        (
            Pfmatchit,
            "\"A\"\n1\n0\n\n\"B\"\n\"Primary\"\n0\n",
            "Unexpected",
            6,
            1,
        ),
        (Pfmatchit, "\"A\"\n1\n1\n1 1 2 1.0 z\n", "NotANumber", 4, 11),
    ];
    for &(format, text, variant, line, column) in corpus {
        let mut options = TrackReadOptions {
            format: Some(format),
            size: Some(ImageSize::new(100, 100).unwrap()),
            ..TrackReadOptions::default()
        };
        match parse_tracks_str(text, &options) {
            Err(Error::Tracks {
                position, issue, ..
            }) => {
                let name = format!("{issue:?}");
                assert!(name.starts_with(variant), "{text:?}: {name}");
                assert_eq!(
                    (position.line, position.column),
                    (line, column),
                    "{text:?}: {issue}"
                );
            }
            other => panic!("{text:?}: {other:?}"),
        }
        options.mode = ReadMode::Lenient;
        let im = parse_tracks_str(text, &options).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(!im.warnings.is_empty(), "{text:?}");
    }
}

// ---------------------------------------------------------------------------------
// Never panics

const FORMATS: [TrackFormat; 5] = [
    TrackFormat::Syntheyes,
    TrackFormat::SyntheyesPixels,
    TrackFormat::Pftrack4,
    TrackFormat::Pftrack5,
    TrackFormat::Pfmatchit,
];

fn read_all_ways(text: &str) {
    for format in FORMATS {
        for mode in [ReadMode::Strict, ReadMode::Lenient] {
            let options = TrackReadOptions {
                format: Some(format),
                size: Some(ImageSize::new(64, 48).unwrap()),
                mode,
                ..TrackReadOptions::default()
            };
            let _ = parse_tracks_str(text, &options);
        }
    }
}

const SEEDS: [&str; 4] = [
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/wild/pftrack_2dt/tsp_pfmatchit_example.2dt"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/wild/pftrack_2dt/tsp_ref_PFTrack5_SYNTH.2dt"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/wild/syntheyes_2d/tsp_ref_Syntheyes_SYNTH.txt"
    )),
    "Tracker2\r\n0 760.632 727.860\r\n1 754.284 723.877\r\nTracker3\r\n0 1 2\r\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn tracks_apps_b_readers_never_panic_on_arbitrary_text(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read_all_ways(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn tracks_apps_b_readers_never_panic_on_mutated_files(
        seed in 0usize..SEEDS.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(b" \n\r\"#0123456789.-eAx".to_vec())), 1..8),
    ) {
        let mut bytes = SEEDS[seed].as_bytes().to_vec();
        for (at, kind, byte) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        read_all_ways(&String::from_utf8_lossy(&bytes));
    }
}

/// Speed (run in release: `cargo test --release -p tracking-io --test it
/// tracks_apps_b_speed -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement, run in release"]
fn tracks_apps_b_speed() {
    let size = ImageSize::new(1920, 1080).unwrap();
    let tracks: Vec<TrackData> = (0..2000)
        .map(|i| {
            let mut t = TrackData::new(format!("Tracker{i}"));
            for f in 0..1000 {
                t.markers
                    .insert(f, [f64::from(i) / 2000.0, f64::from(f as u32) / 1000.0]);
            }
            t
        })
        .collect();
    for format in FORMATS {
        let start = std::time::Instant::now();
        let text = write(&tracks, format, size);
        let written = start.elapsed();
        let start = std::time::Instant::now();
        let options = TrackReadOptions {
            format: Some(format),
            size: Some(size),
            ..TrackReadOptions::default()
        };
        let back = parse_tracks_str(&text, &options).unwrap();
        let read = start.elapsed();
        assert_eq!(back.tracks.len(), 2000);
        let mb = text.len() as f64 / 1e6;
        println!(
            "{format}: {mb:.0} MB, write {:.0} MB/s, read {:.0} MB/s",
            mb / written.as_secs_f64(),
            mb / read.as_secs_f64()
        );
    }
}
