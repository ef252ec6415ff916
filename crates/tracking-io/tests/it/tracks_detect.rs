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
