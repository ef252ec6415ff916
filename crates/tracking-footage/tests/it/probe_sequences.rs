//! Image sequences made by the real ffmpeg (PNG, EXR) and by the `exr` crate (EXR
//! headers carrying framesPerSecond and timeCode).
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::Path;

use tracking_footage::{
    Error, FootageKind, FrameCountSource, ProbeOptions, RateSource, Rational, TimecodeSource, probe,
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
