//! `analyze_footage` against media made by the real ffmpeg: blur, motion, interlacing,
//! VFR, sequence gaps, a clean plate, bad inputs, and the seek and full tiers.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tracking_footage::{
    AnalysisReport, AnalyzeOptions, Error, FindingCode, InterlaceVerdict, Rational, SampleStrategy,
    Severity, TrackabilityRating, analyze_footage,
};
use tracking_types::MotionBlurLevel;

/// 2 s of 320×240 H.264 at 24 fps (quality high enough that compression is no factor)
/// with the given filter chain.
fn clip(dir: &Path, name: &str, source: &str, filter: Option<&str>, extra: &[&str]) -> PathBuf {
    let mut args = vec!["-f", "lavfi", "-i", source, "-t", "2"];
    if let Some(f) = filter {
        args.extend(["-vf", f]);
    }
    args.extend(extra);
    args.extend([
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "12",
        "-pix_fmt",
        "yuv420p",
    ]);
    common::ffmpeg_make(dir, name, &args)
}

const TESTSRC: &str = "testsrc2=size=320x240:rate=24";

fn analyze(path: &Path) -> AnalysisReport {
    analyze_footage(path, &AnalyzeOptions::default()).unwrap()
}

fn codes(report: &AnalysisReport) -> Vec<FindingCode> {
    report.findings.iter().map(|f| f.code).collect()
}

fn finding(report: &AnalysisReport, code: FindingCode) -> &tracking_footage::Finding {
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} finding in {:?}", codes(report)))
}

#[test]
fn a_strongly_blurred_copy_gets_a_blur_finding_and_the_sharp_original_does_not() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let sharp = analyze(&clip(dir.path(), "sharp.mp4", TESTSRC, None, &[]));
    let blurred = analyze(&clip(
        dir.path(),
        "blur.mp4",
        TESTSRC,
        Some("gblur=sigma=4"),
        &[],
    ));

    for code in [FindingCode::SoftImage, FindingCode::MotionBlur] {
        assert!(!codes(&sharp).contains(&code), "sharp clip got {code}");
    }
    let soft = finding(&blurred, FindingCode::SoftImage);
    assert_eq!(soft.severity, Severity::Warning);
    assert!(!codes(&blurred).contains(&FindingCode::MotionBlur));

    let (s, b) = (&sharp.content, &blurred.content);
    assert_eq!(s.strategy, SampleStrategy::Sequential);
    assert_eq!(s.frames_decoded, 40, "20 positions x 2 frames");
    assert!(
        s.blur.reference_edge_spread_px.unwrap() < 0.5,
        "{:?}",
        s.blur
    );
    // gblur sigma 4 measures as a spread of about 2.4 px (compression noise pulls it down).
    let spread = b.blur.reference_edge_spread_px.unwrap();
    assert!((1.8..4.5).contains(&spread), "blurred spread {spread}");
    let (ls, lb) = (
        s.median_laplacian_variance.unwrap(),
        b.median_laplacian_variance.unwrap(),
    );
    assert!(
        ls > 50.0 * lb,
        "Laplacian variance sharp {ls} vs blurred {lb}"
    );
    assert_eq!(sharp.metadata.motion_blur_level, MotionBlurLevel::Low);
    assert_eq!(blurred.metadata.motion_blur_level, MotionBlurLevel::Low);
}

#[test]
fn a_fast_pan_moves_far_more_than_a_static_shot() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let frozen =
        "testsrc2=size=320x240:rate=24,trim=end_frame=1,loop=loop=47:size=1:start=0,setpts=N/24/TB";
    let still = analyze(&clip(dir.path(), "static.mp4", frozen, None, &[]));
    let pan = analyze(&clip(
        dir.path(),
        "pan.mp4",
        "testsrc2=size=1600x240:rate=24",
        Some("crop=320:240:x='n*25':y=0"),
        &[],
    ));
    let (m_still, m_pan) = (
        still.content.median_motion.unwrap(),
        pan.content.median_motion.unwrap(),
    );
    assert!(m_still < 0.1, "static clip motion {m_still}");
    assert!(m_pan > 5.0, "panning clip motion {m_pan}");
    assert!(m_pan > 100.0 * m_still.max(0.01), "{m_pan} vs {m_still}");
    // A sharp pan is motion without blur.
    assert_eq!(pan.metadata.motion_blur_level, MotionBlurLevel::Low);
    assert!(!codes(&pan).contains(&FindingCode::MotionBlur));
}

#[test]
fn blur_that_starts_with_a_pan_is_motion_blur_on_exactly_those_frames() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    // Static for one second, then a pan of 20 px/frame smeared by a 10 px horizontal box
    // (the point-spread function of linear motion blur).
    let path = clip(
        dir.path(),
        "panblur.mp4",
        "testsrc2=size=1600x240:rate=24",
        Some(
            "crop=320:240:x='if(gte(n\\,24)\\,(n-24)*20\\,0)':y=0,avgblur=sizeX=10:sizeY=0:enable='gte(n\\,25)'",
        ),
        &[],
    );
    let report = analyze(&path);
    let blur = finding(&report, FindingCode::MotionBlur);
    let frames = &blur.evidence.frames;
    assert!(frames.len() >= 8, "blurred samples {frames:?}");
    assert!(
        frames.iter().all(|&f| f >= 25),
        "a static frame was called blurred: {frames:?}"
    );
    assert_eq!(report.metadata.motion_blur_level, MotionBlurLevel::High);
    assert_eq!(blur.severity, Severity::Critical);
    // Every sampled frame of the pan is among them.
    let pan_samples: Vec<i64> = report
        .content
        .samples
        .iter()
        .map(|s| s.frame)
        .filter(|&f| f >= 25)
        .collect();
    assert_eq!(frames, &pan_samples);
}

#[test]
fn interlaced_content_in_a_progressive_flagged_file_is_caught_by_idet() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = clip(
        dir.path(),
        "woven.mp4",
        "testsrc2=size=320x240:rate=50",
        Some("tinterlace=mode=interleave_top,setfield=prog"),
        &[],
    );
    let report = analyze(&path);
    let interlace = report.interlace.as_ref().expect("idet ran");
    assert!(
        interlace.reason.starts_with("combing in sampled frames"),
        "{}",
        interlace.reason
    );
    assert_eq!(interlace.verdict, InterlaceVerdict::InterlacedTff);
    let counts = interlace.summary.multi_frame;
    assert_eq!(counts.total(), 50, "2 s at 25 fps");
    assert!(counts.tff >= 45, "{counts:?}");
    let f = finding(&report, FindingCode::Interlaced);
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("flagged progressive"), "{}", f.message);
    assert_eq!(report.rating, TrackabilityRating::Poor);
}

#[test]
fn a_progressive_clip_skips_idet() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&clip(dir.path(), "prog.mp4", TESTSRC, None, &[]));
    assert!(report.interlace.is_none(), "{:?}", report.interlace);
    assert_eq!(report.timings.idet_ms, 0.0);
    assert!(!codes(&report).contains(&FindingCode::Interlaced));
}

#[test]
fn a_container_interlace_flag_triggers_idet_and_names_its_reason() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&common::interlaced_mp4(dir.path()));
    let interlace = report.interlace.as_ref().expect("idet ran");
    assert_eq!(interlace.reason, "container field order tt");
    assert_eq!(interlace.summary.multi_frame.total(), 25);
    // The finding follows idet, confirmed by the full-height combing of the moving
    // pixels (method 2): critical for interlaced content, information for progressive
    // content behind an interlaced flag (this source is progressive testsrc2).
    let f = finding(&report, FindingCode::Interlaced);
    let pixels_progressive =
        report.content.combing.verdict == tracking_footage::CombVerdict::Progressive;
    let expected = match interlace.verdict {
        InterlaceVerdict::InterlacedTff | InterlaceVerdict::InterlacedBff
            if !pixels_progressive =>
        {
            Severity::Critical
        }
        InterlaceVerdict::InterlacedTff
        | InterlaceVerdict::InterlacedBff
        | InterlaceVerdict::Progressive => Severity::Info,
        other => panic!("unexpected verdict {other:?}"),
    };
    assert_eq!(f.severity, expected);
    assert_eq!(f.evidence.values["field_order_flag"], "tt".into());
}

#[test]
fn a_vfr_clip_gets_a_vfr_finding_naming_the_discontinuity_frame() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    // Frames 12..=17 dropped, the rest keep their times: a 7-frame hole after frame 11.
    let path = clip(
        dir.path(),
        "vfr.mp4",
        TESTSRC,
        Some("select='not(between(n,12,17))',setpts='if(lt(N,12),N,N+6)/24/TB'"),
        &["-fps_mode", "passthrough"],
    );
    let report = analyze(&path);
    let f = finding(&report, FindingCode::Vfr);
    assert_eq!(f.evidence.frames, [12]);
    assert_eq!(f.evidence.values["discontinuities"], 1u64.into());
    let min_fps = match f.evidence.values["min_fps"] {
        tracking_footage::EvidenceValue::Number(n) => n,
        ref other => panic!("{other:?}"),
    };
    assert!((min_fps - 24.0 / 7.0).abs() < 0.01, "min fps {min_fps}");
}

#[test]
fn a_sequence_with_a_gap_gets_a_gap_finding_naming_the_missing_frames() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let frames = common::image_sequence(dir.path(), "plate", "png", 1001, 12, &[]);
    for missing in [&frames[3], &frames[4], &frames[9]] {
        std::fs::remove_file(missing).unwrap();
    }
    let mut options = AnalyzeOptions::default();
    options.sequence_frame_rate = Rational::new(24, 1);
    let report = analyze_footage(dir.path().join("plate.####.png"), &options).unwrap();
    let f = finding(&report, FindingCode::SequenceGaps);
    assert_eq!(f.evidence.frames, [1004, 1005, 1010]);
    assert!(
        f.message
            .starts_with("3 missing frame(s) in 1001-1012: 1004-1005,1010"),
        "{}",
        f.message
    );
    assert_eq!(report.content.strategy, SampleStrategy::SequenceFiles);
    // Only pairs of consecutive frames on disk are sampled.
    let sampled: Vec<i64> = report.content.samples.iter().map(|s| s.frame).collect();
    assert!(!sampled.is_empty());
    for f in &sampled {
        assert!(
            ![1003, 1004, 1005, 1009, 1010, 1012].contains(f),
            "sampled {f} in {sampled:?}"
        );
    }
}

#[test]
fn a_clean_1080p_intra_frame_clip_raises_no_warnings() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = common::ffmpeg_make(
        dir.path(),
        "clean.mov",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1920x1080:rate=24",
            "-frames:v",
            "12",
            "-c:v",
            "prores_ks",
            "-profile:v",
            "3",
        ],
    );
    let report = analyze(&path);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.rating, TrackabilityRating::Excellent);
    assert_eq!(report.score, 100);
    assert_eq!(
        (
            report.content.analysis_width,
            report.content.analysis_height
        ),
        (960, 540)
    );
    assert_eq!(report.content.scale, 2.0);
    assert_eq!(report.metadata.motion_blur_level, MotionBlurLevel::Low);
    assert!(!report.metadata.rolling_shutter_detected);
    assert_eq!(report.metadata.duration_frames, 12);
    assert!(report.timings.total_ms >= report.timings.decode_ms);
}

#[test]
fn long_gop_h264_is_reported_with_its_keyframe_interval() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&clip(dir.path(), "gop.mp4", TESTSRC, None, &["-g", "12"]));
    let f = finding(&report, FindingCode::LongGop8bit420);
    assert_eq!(f.evidence.values["max_keyframe_interval"], 12u64.into());
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn seeking_samples_land_on_keyframes_and_keep_their_real_frame_numbers() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = clip(
        dir.path(),
        "seek.mp4",
        "testsrc2=size=1600x240:rate=24",
        Some("crop=320:240:x='n*25':y=0"),
        &["-g", "4", "-keyint_min", "4", "-sc_threshold", "0"],
    );
    let mut options = AnalyzeOptions::default();
    options.sequential_limit = 0;
    let seek = analyze_footage(&path, &options).unwrap();
    assert_eq!(seek.content.strategy, SampleStrategy::Seek);
    let frames: Vec<i64> = seek.content.samples.iter().map(|s| s.frame).collect();
    assert!(frames.len() >= 10, "{frames:?}");
    assert!(
        frames.iter().all(|f| f % 4 == 0),
        "not on keyframes: {frames:?}"
    );
    // The same frames decoded front to back measure the same motion.
    let exact = analyze(&path);
    for s in &seek.content.samples {
        let twin = exact.content.samples.iter().find(|e| e.frame == s.frame);
        if let Some(twin) = twin {
            assert!(
                (twin.motion.unwrap() - s.motion.unwrap()).abs() < 1e-9,
                "frame {}",
                s.frame
            );
        }
    }
}

#[test]
fn the_full_tier_measures_every_frame() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = clip(dir.path(), "full.mp4", TESTSRC, None, &[]);
    let mut options = AnalyzeOptions::default();
    options.full = true;
    let report = analyze_footage(&path, &options).unwrap();
    assert_eq!(report.tier, tracking_footage::AnalysisTier::Full);
    assert_eq!(report.content.strategy, SampleStrategy::EveryFrame);
    assert_eq!(report.content.frames_decoded, 48);
    let frames: Vec<i64> = report.content.samples.iter().map(|s| s.frame).collect();
    assert_eq!(frames, (0..48).collect::<Vec<_>>());
    assert!(
        report.content.samples[47].motion.is_none(),
        "last frame has no successor"
    );
}

#[test]
fn unreadable_media_is_a_typed_error_within_the_timeout() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.mov");
    std::fs::write(&text, "this is not a movie\n".repeat(100)).unwrap();
    let mut options = AnalyzeOptions::default();
    options.timeout = Duration::from_secs(10);
    let started = Instant::now();
    let err = analyze_footage(&text, &options).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(err, Error::ToolFailed { .. } | Error::NoVideoStream { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("notes.mov"), "{err}");

    let missing = analyze_footage(dir.path().join("nope.mov"), &options).unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let err = analyze_footage(&empty, &options).unwrap_err();
    assert!(matches!(err, Error::EmptyFile { .. }), "{err:?}");
}

#[test]
fn a_truncated_movie_is_reported_as_truncated() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let whole = common::faststart_mp4_120_frames(dir.path());
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let report = analyze(&cut);
    let f = finding(&report, FindingCode::Truncated);
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.evidence.values["header_frames"], 120u64.into());
    assert_eq!(report.rating, TrackabilityRating::Poor);
}

#[test]
fn phone_tags_mean_rolling_shutter_stabilisation_and_slow_motion() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = clip(
        dir.path(),
        "phone.mov",
        "testsrc2=size=320x240:rate=30",
        None,
        &[
            "-color_trc",
            "smpte2084",
            "-color_primaries",
            "bt2020",
            "-colorspace",
            "bt2020nc",
            "-movflags",
            "use_metadata_tags",
            "-metadata",
            "com.apple.quicktime.make=Apple",
            "-metadata",
            "com.apple.quicktime.model=iPhone 13 Pro",
            "-metadata",
            "com.android.capture.fps=240.000000",
        ],
    );
    let report = analyze(&path);
    let rs = finding(&report, FindingCode::RollingShutterLikely);
    assert_eq!(rs.evidence.values["make"], "Apple".into());
    assert_eq!(rs.evidence.values["model"], "iPhone 13 Pro".into());
    assert!(
        report.metadata.rolling_shutter_detected,
        "set only with this evidence"
    );
    finding(&report, FindingCode::PhoneStabilisation);
    let slow = finding(&report, FindingCode::SlowMotion);
    assert_eq!(slow.evidence.values["capture_fps"], 240.0.into());
    let hdr = finding(&report, FindingCode::HdrOrLog);
    assert_eq!(hdr.evidence.values["color_transfer"], "smpte2084".into());
}

#[test]
fn a_clip_without_camera_tags_never_claims_rolling_shutter() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&clip(dir.path(), "plain.mp4", TESTSRC, None, &[]));
    assert!(!report.metadata.rolling_shutter_detected);
    assert!(!codes(&report).contains(&FindingCode::RollingShutterLikely));
}

#[test]
fn rotation_and_non_square_pixels_come_from_the_probe() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let rotated = analyze(&common::rotated_mp4(dir.path()));
    let f = finding(&rotated, FindingCode::Rotation);
    // The probe's truth for this clip (see probe_movies.rs): 270° clockwise.
    assert_eq!(f.evidence.values["rotation_cw_deg"], 270.0.into());
    assert!(
        f.message.contains("rotated 270° clockwise"),
        "{}",
        f.message
    );
    let squeezed = analyze(&common::sar_2_1_mp4(dir.path()));
    let f = finding(&squeezed, FindingCode::NonSquarePixels);
    assert_eq!(f.evidence.values["pixel_aspect"], 2.0.into());
    assert_eq!(f.evidence.values["sample_aspect_ratio"], "2:1".into());
}

#[test]
fn a_sequence_with_mixed_paddings_gets_a_finding_naming_the_paddings_and_counts() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let frames = common::image_sequence(dir.path(), "plate", "png", 1, 8, &[]);
    // Two stray renders of the same name at other paddings.
    std::fs::copy(&frames[0], dir.path().join("plate.1.png")).unwrap();
    std::fs::copy(&frames[1], dir.path().join("plate.02.png")).unwrap();
    let mut options = AnalyzeOptions::default();
    options.sequence_frame_rate = Rational::new(24, 1);
    let report = analyze_footage(dir.path(), &options).unwrap();
    let f = finding(&report, FindingCode::MixedPadding);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("have 3 paddings"), "{}", f.message);
    assert!(
        f.message.contains("plate.#.png: 1 frame")
            && f.message.contains("plate.##.png: 1 frame")
            && f.message.contains("plate.####.png: 8 frames"),
        "{}",
        f.message
    );
    assert!(f.message.contains("using plate.####.png"), "{}", f.message);
    let value = |name: &str| f.evidence.values.get(name).cloned();
    use tracking_footage::EvidenceValue::{Number, Text};
    assert_eq!(value("padding_used"), Some(Number(4.0)));
    assert_eq!(value("paddings"), Some(Text("1:1,2:1,4:8".to_owned())));
    assert_eq!(value("frames_left_out"), Some(Number(2.0)));
    assert_eq!(report.metadata.duration_frames, 8);
}
