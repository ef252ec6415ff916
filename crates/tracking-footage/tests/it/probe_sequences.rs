//! Image sequences made by the real ffmpeg (PNG, EXR) and by the `exr` crate (EXR
//! headers carrying framesPerSecond and timeCode).
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::Path;

use tracking_footage::{
    Error, FootageKind, FrameCountSource, PaddingChoice, ProbeOptions, RateSource, Rational,
    TimecodeSource, extract_metadata, probe, probe_unrated,
};

fn with_rate(num: i64, den: i64) -> ProbeOptions {
    ProbeOptions {
        sequence_frame_rate: Rational::new(num, den),
        ..ProbeOptions::default()
    }
}

/// PNG frames 1001..=1005 with 1003 deleted.
fn png_sequence_with_a_gap(dir: &Path) {
    let frames = common::image_sequence(dir, "plate", "png", 1001, 5, &[]);
    std::fs::remove_file(&frames[2]).expect("delete frame 1003");
}

#[test]
fn every_spelling_of_a_png_sequence_gives_the_same_frames_and_gap() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    png_sequence_with_a_gap(dir.path());
    let spellings = [
        dir.path().join("plate.1001.png"),
        dir.path().join("plate.1004.png"),
        dir.path().join("plate.%04d.png"),
        dir.path().join("plate.####.png"),
        dir.path().join("plate.@@@@.png"),
        dir.path().to_path_buf(),
    ];
    for path in &spellings {
        let p = probe(path, &with_rate(24, 1)).unwrap();
        assert_eq!(p.kind, FootageKind::ImageSequence, "{path:?}");
        let seq = p.sequence.as_ref().unwrap();
        assert_eq!(seq.first_frame, 1001);
        assert_eq!(seq.last_frame, 1005);
        assert_eq!(seq.padding, 4);
        assert_eq!(seq.frame_count, 4);
        assert_eq!(seq.missing_frames, vec![1003]);
        assert_eq!(seq.missing_count, 1);
        assert_eq!(seq.frame_range, "1001-1002,1004-1005");
        assert_eq!(seq.printf_pattern, "plate.%04d.png");
        assert_eq!(seq.hash_pattern, "plate.####.png");
        assert!(!seq.has_negative_frames);
        assert_eq!(seq.mismatch, None);
        assert_eq!(p.metadata.resolution, [64, 36]);
        assert_eq!(p.metadata.codec, "png");
        assert_eq!(p.metadata.bit_depth, 8);
        assert_eq!(p.pix_fmt.as_deref(), Some("rgb24"));
        assert_eq!(p.metadata.duration_frames, 5, "first..=last spans the gap");
        assert_eq!(p.frame_counts.exact, Some(4));
        assert_eq!(p.frame_counts.used, FrameCountSource::FrameRange);
        assert_eq!(p.rate.rational, Rational::new(24, 1).unwrap());
        assert_eq!(p.rate.source, RateSource::Caller);
        let info = p.footage_info();
        assert!(info.is_sequence);
        assert_eq!((info.frame_start, info.frame_end), (1001, 1005));
    }
}

#[test]
fn a_png_sequence_without_a_frame_rate_is_an_error_not_25_fps() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    png_sequence_with_a_gap(dir.path());
    let err = probe(dir.path().join("plate.####.png"), &ProbeOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::SequenceFrameRateUnknown { .. }),
        "{err}"
    );
    // extract_metadata (FootageMetadata needs a number) keeps refusing.
    let err = extract_metadata(dir.path().join("plate.####.png")).unwrap_err();
    assert!(
        matches!(err, Error::SequenceFrameRateUnknown { .. }),
        "{err}"
    );
}

#[test]
fn a_sequence_without_a_frame_rate_still_reports_what_it_knows() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    png_sequence_with_a_gap(dir.path());
    let unrated = probe_unrated(dir.path().join("plate.1002.png"), &ProbeOptions::default())
        .unwrap()
        .expect("a sequence without a rate");
    assert_eq!(unrated.kind, FootageKind::ImageSequence);
    assert_eq!(unrated.frame_rate, None);
    assert_eq!(unrated.fps, None);
    assert_eq!(unrated.resolution, [64, 36]);
    assert_eq!(unrated.codec, "png");
    assert_eq!(unrated.bit_depth, 8);
    assert_eq!(unrated.pix_fmt.as_deref(), Some("rgb24"));
    assert_eq!(unrated.duration_frames, 5);
    assert_eq!(unrated.sequence.missing_frames, vec![1003]);
    assert_eq!(unrated.sequence.frame_range, "1001-1002,1004-1005");
    let codes: Vec<&str> = unrated.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["frame_rate_unknown", "sequence_gaps"]);
    assert!(unrated.findings[0].recommendation.contains("--fps"));
    let json = serde_json::to_value(&unrated).unwrap();
    assert!(
        json["frame_rate"].is_null() && json["fps"].is_null(),
        "{json}"
    );

    // With a rate there is nothing to fall back to: probe is the call.
    assert_eq!(
        probe_unrated(dir.path().join("plate.1002.png"), &with_rate(24, 1)).unwrap(),
        None
    );
}

#[test]
fn a_half_float_exr_sequence_from_ffmpeg_reports_16_bit_and_its_gap() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let frames = common::image_sequence(dir.path(), "plate", "exr", 1001, 5, &["-format", "half"]);
    std::fs::remove_file(&frames[2]).unwrap();
    let p = probe(dir.path().join("plate.%04d.exr"), &with_rate(24000, 1001)).unwrap();
    let seq = p.sequence.as_ref().unwrap();
    assert_eq!((seq.first_frame, seq.last_frame), (1001, 1005));
    assert_eq!(seq.missing_frames, vec![1003]);
    assert_eq!(seq.frame_range, "1001-1002,1004-1005");
    let exr = seq.first.exr.as_ref().unwrap();
    assert!(exr.channels.iter().all(|c| c.sample_type == "half"));
    assert_eq!(exr.display_window, [0, 0, 64, 36]);
    assert_eq!(exr.data_window, [0, 0, 64, 36]);
    assert_eq!(p.metadata.bit_depth, 16);
    assert_eq!(p.metadata.codec, "exr");
    assert_eq!(p.metadata.resolution, [64, 36]);
    assert_eq!(p.rate.rational, Rational::new(24000, 1001).unwrap());
}

#[test]
fn a_float_exr_from_ffmpeg_is_32_bit() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    common::image_sequence(dir.path(), "f", "exr", 1, 2, &["-format", "float"]);
    let p = probe(dir.path().join("f.0001.exr"), &with_rate(25, 1)).unwrap();
    assert_eq!(p.metadata.bit_depth, 32);
    assert!(p.pixel_format.unwrap().is_float);
}

/// Write a small RGBA half EXR with the `exr` crate, optionally with frame-rate and
/// timecode attributes and a chosen size.
fn write_exr(path: &Path, size: (usize, usize), fps: Option<(i32, u32)>, timecode: bool) {
    use exr::prelude::*;
    let pixels = SpecificChannels::rgba(|_pos: Vec2<usize>| {
        (
            f16::from_f32(0.5),
            f16::from_f32(0.25),
            f16::from_f32(0.125),
            f16::ONE,
        )
    });
    let mut layer = Layer::new(
        size,
        LayerAttributes::named("rgba"),
        Encoding::FAST_LOSSLESS,
        pixels,
    );
    layer.attributes.frames_per_second = fps;
    let mut image = Image::from_layer(layer);
    if timecode {
        image.attributes.time_code = Some(exr::meta::attribute::TimeCode {
            hours: 1,
            minutes: 2,
            seconds: 3,
            frame: 4,
            drop_frame: true,
            color_frame: false,
            field_phase: false,
            binary_group_flags: [false; 3],
            binary_groups: [0; 8],
        });
    }
    image.write().to_file(path).unwrap();
}

#[test]
fn an_exr_frames_per_second_header_gives_the_sequence_rate_and_timecode() {
    let dir = tempfile::tempdir().unwrap();
    for frame in [1001, 1002, 1004] {
        let path = dir.path().join(format!("shot.{frame:04}.exr"));
        write_exr(&path, (32, 18), Some((24000, 1001)), true);
    }
    let p = probe(dir.path().join("shot.1001.exr"), &ProbeOptions::default()).unwrap();
    assert_eq!(p.rate.rational, Rational::new(24000, 1001).unwrap());
    assert_eq!(p.rate.source, RateSource::ImageHeader);
    let tc = p.timecode.unwrap();
    assert_eq!(tc.value, "01:02:03;04");
    assert!(tc.drop_frame);
    assert_eq!(tc.source, TimecodeSource::ImageHeader);
    assert!(p.pixel_format.unwrap().has_alpha);
    assert_eq!(p.sequence.unwrap().missing_frames, vec![1003]);
}

#[test]
fn a_caller_rate_wins_over_the_exr_header() {
    let dir = tempfile::tempdir().unwrap();
    write_exr(&dir.path().join("s.0001.exr"), (8, 8), Some((24, 1)), false);
    let p = probe(dir.path().join("s.0001.exr"), &with_rate(25, 1)).unwrap();
    assert_eq!(p.rate.rational, Rational::new(25, 1).unwrap());
    assert_eq!(p.rate.source, RateSource::Caller);
}

#[test]
fn first_and_last_frames_of_different_sizes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_exr(
        &dir.path().join("m.0001.exr"),
        (32, 18),
        Some((24, 1)),
        false,
    );
    write_exr(
        &dir.path().join("m.0002.exr"),
        (16, 9),
        Some((24, 1)),
        false,
    );
    let p = probe(dir.path().join("m.####.exr"), &ProbeOptions::default()).unwrap();
    let mismatch = p.sequence.unwrap().mismatch.unwrap();
    assert!(mismatch.contains("32x18"), "{mismatch}");
    assert!(mismatch.contains("16x9"), "{mismatch}");
}

#[test]
fn negative_frame_numbers_sort_and_range_correctly() {
    let dir = tempfile::tempdir().unwrap();
    for frame in [-2i64, -1, 0, 1] {
        let name = if frame < 0 {
            format!("neg.-{:04}.exr", -frame)
        } else {
            format!("neg.{frame:04}.exr")
        };
        write_exr(&dir.path().join(name), (8, 8), Some((24, 1)), false);
    }
    let p = probe(dir.path().join("neg.0000.exr"), &ProbeOptions::default()).unwrap();
    let seq = p.sequence.unwrap();
    assert_eq!((seq.first_frame, seq.last_frame), (-2, 1));
    assert!(seq.has_negative_frames);
    assert_eq!(seq.frame_range, "-2-1");
    assert_eq!(p.metadata.duration_frames, 4);
}

#[test]
fn a_corrupt_exr_frame_is_a_typed_header_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.0001.exr"), b"not an exr file at all").unwrap();
    let err = probe(dir.path().join("bad.0001.exr"), &with_rate(24, 1)).unwrap_err();
    assert!(matches!(err, Error::ExrHeader { .. }), "{err}");
}

/// Tiny EXR frames (8×8, 24 fps in the header) named exactly as given.
fn exr_frames(dir: &Path, names: &[&str]) {
    for name in names {
        write_exr(&dir.join(name), (8, 8), Some((24, 1)), false);
    }
}

/// `m.1.exr m.02.exr … m.00000008.exr`: eight paddings, one frame each.
const EIGHT_PADDINGS: [&str; 8] = [
    "m.1.exr",
    "m.02.exr",
    "m.003.exr",
    "m.0004.exr",
    "m.00005.exr",
    "m.000006.exr",
    "m.0000007.exr",
    "m.00000008.exr",
];

#[test]
fn frames_with_eight_paddings_are_never_merged_and_the_choice_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    exr_frames(dir.path(), &EIGHT_PADDINGS);
    // A directory names no padding: the largest group, the narrowest on a tie.
    let p = probe(dir.path(), &ProbeOptions::default()).unwrap();
    let seq = p.sequence.unwrap();
    assert_eq!(seq.frame_count, 1, "not `m.#.exr frames 1-8`");
    assert_eq!((seq.first_frame, seq.last_frame), (1, 1));
    assert_eq!(seq.padding, 1);
    assert_eq!(seq.hash_pattern, "m.#.exr");
    let mixed = seq.mixed_padding.unwrap();
    assert_eq!(mixed.padding, 1);
    assert_eq!(mixed.choice, PaddingChoice::LargestGroup);
    let found: Vec<(usize, u64, bool)> = mixed
        .groups
        .iter()
        .map(|g| (g.padding, g.frame_count, g.used))
        .collect();
    let expected: Vec<(usize, u64, bool)> = (1..=8).map(|p| (p, 1, p == 1)).collect();
    assert_eq!(found, expected);
    assert!(
        mixed.message.contains("have 8 paddings"),
        "{}",
        mixed.message
    );
    assert!(
        mixed.message.contains("m.####.exr: 1 frame"),
        "{}",
        mixed.message
    );
    assert!(mixed.message.contains("using m.#.exr"), "{}", mixed.message);
    assert!(
        mixed.message.contains("leaving out 7 frames"),
        "{}",
        mixed.message
    );
}

#[test]
fn a_named_padding_or_a_named_frame_picks_its_own_group() {
    let dir = tempfile::tempdir().unwrap();
    exr_frames(dir.path(), &EIGHT_PADDINGS);
    for (spelling, padding, choice) in [
        ("m.####.exr", 4, PaddingChoice::Named),
        ("m.%04d.exr", 4, PaddingChoice::Named),
        ("m.@@@.exr", 3, PaddingChoice::Named),
        ("m.00005.exr", 5, PaddingChoice::GivenFrame),
        ("m.1.exr", 1, PaddingChoice::GivenFrame),
    ] {
        let p = probe(dir.path().join(spelling), &ProbeOptions::default()).unwrap();
        let seq = p.sequence.unwrap();
        assert_eq!(seq.padding, padding, "{spelling}");
        assert_eq!(seq.frame_count, 1, "{spelling}");
        assert_eq!(seq.first_frame, padding as i64, "{spelling}");
        let mixed = seq.mixed_padding.unwrap();
        assert_eq!(
            (mixed.padding, mixed.choice),
            (padding, choice),
            "{spelling}"
        );
        assert_eq!(mixed.groups.iter().filter(|g| g.used).count(), 1);
    }
}

#[test]
fn a_padded_sequence_with_stray_frames_keeps_the_largest_group_and_counts_the_strays() {
    let dir = tempfile::tempdir().unwrap();
    exr_frames(
        dir.path(),
        &[
            "shot.0001.exr",
            "shot.0002.exr",
            "shot.0003.exr",
            "shot.0005.exr",
            "shot.7.exr",
            "shot.08.exr",
            "shot.1.exr",
        ],
    );
    let p = probe(dir.path(), &ProbeOptions::default()).unwrap();
    let seq = p.sequence.unwrap();
    assert_eq!(seq.padding, 4);
    assert_eq!(seq.frame_range, "1-3,5");
    assert_eq!(seq.missing_frames, vec![4]);
    let mixed = seq.mixed_padding.unwrap();
    let found: Vec<(usize, u64, &str)> = mixed
        .groups
        .iter()
        .map(|g| (g.padding, g.frame_count, g.frame_range.as_str()))
        .collect();
    assert_eq!(found, [(1, 2, "1,7"), (2, 1, "8"), (4, 4, "1-3,5")]);
    // `shot.1.exr` and `shot.0001.exr` are frame 1 of two sequences, not a duplicate.
    let one = probe(dir.path().join("shot.1.exr"), &ProbeOptions::default()).unwrap();
    assert_eq!(one.sequence.unwrap().frame_range, "1,7");
}

#[test]
fn numbers_without_leading_zeros_are_one_sequence_and_raise_no_padding_warning() {
    let dir = tempfile::tempdir().unwrap();
    exr_frames(
        dir.path(),
        &["u.998.exr", "u.999.exr", "u.1000.exr", "u.1001.exr"],
    );
    let p = probe(dir.path(), &ProbeOptions::default()).unwrap();
    let seq = p.sequence.unwrap();
    assert_eq!((seq.padding, seq.frame_count), (3, 4));
    assert_eq!(seq.mixed_padding, None);
    // The padded form of the same rule: 0998 … 10000 is one padding-4 sequence.
    let dir = tempfile::tempdir().unwrap();
    exr_frames(dir.path(), &["v.0999.exr", "v.1000.exr", "v.10000.exr"]);
    let seq = probe(dir.path(), &ProbeOptions::default())
        .unwrap()
        .sequence
        .unwrap();
    assert_eq!((seq.padding, seq.frame_count), (4, 3));
    assert_eq!(seq.mixed_padding, None);
}

#[test]
fn a_named_padding_that_matches_nothing_lists_the_paddings_present() {
    let dir = tempfile::tempdir().unwrap();
    exr_frames(dir.path(), &["m.1.exr", "m.02.exr", "m.03.exr"]);
    let err = probe(dir.path().join("m.####.exr"), &ProbeOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NotASequence { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("no files match m.####.exr")
            && text.contains("m.#.exr (1 frame), m.##.exr (2 frames)"),
        "{text}"
    );
}
