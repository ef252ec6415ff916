//! Format detection by content on every real file of `../shared/fixtures/wild`, the
//! lookalikes (camera `.chan`, `frame value` curves, Nuke "Export Ascii") refused with
//! what they appear to be, and a camera reader that recognises 2D tracks.

use std::path::{Path, PathBuf};

use tracking_io::tracks::{TrackFormat, detect::Kind, detect::classify, detect_track_format};
use tracking_io::{Error, TrackingFormat, import_tracking_data};

fn wild(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wild")
        .join(rel)
}

fn text(rel: &str) -> String {
    String::from_utf8(std::fs::read(wild(rel)).unwrap()).unwrap()
}

#[test]
fn every_wild_track_file_is_detected_as_its_format() {
    use TrackFormat::*;
    let expected: &[(&str, TrackFormat)] = &[
        ("3de_points/tsp_3de_v3_export.txt", Equalizer3),
        ("3de_points/tsp_ref_equalizer3_SYNTH.txt", Equalizer3),
        ("3de_points/tsp_3de_v4_cube.txt", Equalizer4),
        ("3de_points/tsp_3de_v4_FB1880_man_v05.txt", Equalizer4),
        ("3de_points/mmtd_loadmarker_corners.txt", Equalizer4),
        ("3de_points/tsp_ref_equalizer4_SYNTH.txt", Equalizer4),
        ("syntheyes_2d/tsp_cola_plate.txt", Syntheyes),
        ("syntheyes_2d/tsp_flyover2DP_syntheyes.txt", Syntheyes),
        ("syntheyes_2d/tsp_morePoints_sy2010.txt", Syntheyes),
        ("syntheyes_2d/tsp_one_tracker.txt", Syntheyes),
        (
            "syntheyes_2d/tsp_shake_tracker_nodes_to_syntheyes.txt",
            Syntheyes,
        ),
        ("syntheyes_2d/tsp_subpix_2dpaths.txt", Syntheyes),
        ("syntheyes_2d/tsp_ref_Syntheyes_SYNTH.txt", Syntheyes),
        (
            "syntheyes_2d/tsp_allpaths_shot06_2dTracks.txt",
            SyntheyesPixels,
        ),
        ("pftrack_2dt/tsp_pftrack4_sourcefile.2dt", Pftrack4),
        ("pftrack_2dt/tsp_pftrack5_apft.2dt", Pftrack5),
        ("pftrack_2dt/tsp_pftrack5_empty_trackers.2dt", Pftrack5),
        ("pftrack_2dt/tsp_pftrack5_stereo.2dt", Pftrack5),
        ("pftrack_2dt/tsp_ref_PFTrack5_SYNTH.2dt", Pftrack5),
        ("pftrack_2dt/tsp_pfmatchit_example.2dt", Pfmatchit),
        ("pftrack_2dt/tsp_subpix_julik_pftrack.txt", Pfmatchit),
        ("pftrack_2dt/mmtd_pftrack_corners_v001.txt", Pfmatchit),
        ("pftrack_2dt/mmtd_pftrack_corners_v002.txt", Pfmatchit),
        (
            "pftrack_2dt/mmtd_pftrack_hollywoodcameraworks_headtracking.txt",
            Pfmatchit,
        ),
        ("pftrack_2dt/mmtd_pftrack_user_track_docs.txt", Pfmatchit),
        ("boujou_txt/tsp_boujou_txt_export.txt", Boujou),
        ("boujou_txt/tsp_ref_boujou_SYNTH.txt", Boujou),
    ];
    for (file, format) in expected {
        let found = detect_track_format(&text(file)).map(|d| d.format);
        assert_eq!(found.ok(), Some(*format), "{file}");
    }
}

#[test]
fn lookalikes_are_refused_saying_what_they_appear_to_be() {
    let cases: &[(&str, &str)] = &[
        ("chan_2col/mmsolver_cam_translateX.chan", "frame value"),
        ("chan_2col/mmsolver_identity_pop1.chan", "frame value"),
        (
            "chan_2col/mmsolver_bounce_5_up_down_raw.chan",
            "frame value",
        ),
        ("nuke_ascii_nofr/koolook_camTrack_v01.asci", "Export Ascii"),
        (
            "nuke_ascii_nofr/koolook_camTrack_Latest.asci",
            "Export Ascii",
        ),
        (
            "nuke_ascii_nofr/koolook_sh0031_rot_3col.asci",
            "Export Ascii",
        ),
        ("chan_derived/mmsolver_cam_zxy_7col.chan", ".chan camera"),
        (
            "chan_derived/mmsolver_cam_zxy_8col_vfov.chan",
            ".chan camera",
        ),
    ];
    for (file, appears) in cases {
        let err = detect_track_format(&text(file)).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, Error::NotRecognised { .. }) && message.contains(appears),
            "{file}: {message}"
        );
    }
}

#[test]
fn the_camera_importer_names_a_2d_track_file_as_such() {
    for file in [
        "3de_points/tsp_3de_v4_cube.txt",
        "pftrack_2dt/tsp_pftrack4_sourcefile.2dt",
        "boujou_txt/tsp_boujou_txt_export.txt",
    ] {
        let err = import_tracking_data(wild(file), TrackingFormat::Auto).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, Error::NotRecognised { .. })
                && message.contains("2D tracks")
                && message.contains("tracks import"),
            "{file}: {message}"
        );
    }
}

#[test]
fn detection_never_panics_and_is_bounded_on_hostile_text() {
    let long_line = "9".repeat(1 << 20);
    let inputs = [
        String::new(),
        "\n\n\n".to_owned(),
        "\"".to_owned(),
        "\"unterminated\n".to_owned(),
        "# only comments\n# more\n".to_owned(),
        long_line,
        "1\n".repeat(100_000),
        "a b c d e f g h\n".repeat(10),
        "\u{feff}2\nx\n0\n0\ny\n0\n0\n".to_owned(),
        "NaN inf -inf\n".to_owned(),
    ];
    for input in &inputs {
        let _ = classify(input);
        if let Kind::Tracks(format) = classify(input) {
            assert!(format.can_read());
        }
    }
}

fn read_auto(text: &str) -> tracking_io::TrackImport {
    tracking_io::parse_tracks_str(
        text,
        &tracking_io::TrackReadOptions {
            size: Some(tracking_io::ImageSize::new(640, 360).unwrap()),
            ..tracking_io::TrackReadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn names_and_layouts_that_look_like_something_else_are_still_recognised() {
    // A 3DE v4 point named like a comment.
    let v4 = read_auto("1\n#corner\n0\n2\n1 10.0 20.0\n2 11.0 21.0\n");
    assert_eq!(v4.format, TrackFormat::Equalizer4);
    assert_eq!(v4.tracks.len(), 1);
    assert_eq!(v4.tracks[0].name, "#corner");
    assert_eq!(
        v4.tracks[0].markers.keys().copied().collect::<Vec<_>>(),
        [1, 2]
    );
    // An empty 3DE v4 set, as the writer writes it.
    let empty = read_auto("0\n");
    assert_eq!(empty.format, TrackFormat::Equalizer4);
    assert!(empty.tracks.is_empty());
    // SynthEyes 2-D paths whose tracker names are numbers.
    let numbered = read_auto("1 0 -0.5 0.25 15\n1 1 -0.49 0.26 7\n2 0 0.1 0.2 15\n");
    assert_eq!(numbered.format, TrackFormat::Syntheyes);
    assert_eq!(numbered.tracks.len(), 2);
    // boujou columns in another order.
    let boujou = read_auto("# view track_id y x\n3  a  20  10\n4  a  21  11\n");
    assert_eq!(boujou.format, TrackFormat::Boujou);
    // SynthEyes All Tracker Paths with a name like a comment.
    let pixels = read_auto("#A\n0 1.5 2.5\n1 1.6 2.6\n");
    assert_eq!(pixels.format, TrackFormat::SyntheyesPixels);
    assert_eq!(pixels.tracks[0].name, "#A");
}

#[test]
fn lenient_renames_never_land_on_a_later_tracks_name() {
    let text = "a 0 0.1 0.1 15\nb 0 0.2 0.2 15\na 1 0.3 0.3 15\na_2 1 0.4 0.4 15\n";
    // Rows of one name are one track only while they are consecutive.
    let import = tracking_io::parse_tracks_str(
        text,
        &tracking_io::TrackReadOptions {
            format: Some(TrackFormat::Syntheyes),
            size: Some(tracking_io::ImageSize::new(640, 360).unwrap()),
            mode: tracking_io::ReadMode::Lenient,
            ..tracking_io::TrackReadOptions::default()
        },
    )
    .unwrap();
    let names: Vec<&str> = import.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "a_3", "a_2"]);
}

#[test]
fn writers_refuse_two_tracks_of_one_name_where_names_are_identity() {
    let size = tracking_io::ImageSize::new(640, 360).unwrap();
    let mut left = tracking_types::TrackData::new("A");
    left.markers.insert(0, [0.5, 0.5]);
    let mut right = left.clone();
    left.extra.insert(
        "camera".into(),
        tracking_types::ExtraValue::String("Primary".into()),
    );
    right.extra.insert(
        "camera".into(),
        tracking_types::ExtraValue::String("Secondary".into()),
    );
    let tracks = [left, right];
    let options = |format| tracking_io::TrackWriteOptions {
        format,
        size,
        first_frame: 0,
        frame_offset: 0,
        frame_rate: Some(24.0),
    };
    for format in [
        TrackFormat::Equalizer4,
        TrackFormat::Syntheyes,
        TrackFormat::SyntheyesPixels,
        TrackFormat::Pftrack4,
        TrackFormat::Boujou,
        TrackFormat::NukeTracker4,
    ] {
        let err = tracking_io::tracks_to_string(&tracks, &options(format)).unwrap_err();
        assert!(matches!(err, Error::TrackName { .. }), "{format}: {err}");
    }
    // PFTrack 5 names the camera: both eyes are written.
    let text = tracking_io::tracks_to_string(&tracks, &options(TrackFormat::Pftrack5)).unwrap();
    assert!(
        text.contains("\"Primary\"") && text.contains("\"Secondary\""),
        "{text}"
    );
}
