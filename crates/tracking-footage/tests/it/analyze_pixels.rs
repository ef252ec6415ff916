//! Analysis method 2 against clips made by the real ffmpeg: direction-aware motion
//! blur (pans in three directions and at several speeds, sharp and with a temporal
//! blur), combing measured at full height whatever the flags (576 and 1080 lines, 25
//! and 29.97 fps, telecine), compression judged against the content, and a set of
//! clean clips that must stay free of warnings.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tracking_footage::{
    AnalysisReport, AnalyzeOptions, CombVerdict, FindingCode, InterlaceVerdict, METHOD_VERSION,
    Severity, analyze_footage,
};
use tracking_types::MotionBlurLevel;

/// One shared directory for this module's clips, each generated once per test binary.
fn clip_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// Generate `name` from `args` (ffmpeg input and filter arguments) once.
fn cached(name: &str, args: &[&str]) -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = clip_dir().join(name);
    if !path.exists() {
        common::ffmpeg_make(clip_dir(), name, args);
    }
    path
}

/// A still, sharp, high-contrast texture (random cells, 3 px) on a 2400×1800 canvas
/// at `rate` frames per second, to pan across with `crop`.
fn texture(rate: u32) -> String {
    format!(
        "life=s=800x600:random_seed=7:ratio=0.5:mold=0:life_color=white:death_color=black:rate={rate},\
         trim=end_frame=1,loop=loop=-1:size=1:start=0,scale=2400:1800:flags=neighbor,gblur=sigma=0.6"
    )
}

const X264: &[&str] = &[
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-crf",
    "12",
    "-pix_fmt",
    "yuv420p",
];

fn h264(name: &str, source: &str, filter: &str, seconds: &str) -> PathBuf {
    let mut args = vec!["-f", "lavfi", "-i", source, "-t", seconds, "-vf", filter];
    args.extend(X264);
    cached(name, &args)
}

fn analyze(path: &Path) -> AnalysisReport {
    analyze_footage(path, &AnalyzeOptions::default()).unwrap()
}

fn codes(report: &AnalysisReport) -> Vec<FindingCode> {
    report.findings.iter().map(|f| f.code).collect()
}

fn rank(level: MotionBlurLevel) -> u8 {
    match level {
        MotionBlurLevel::Unknown => 0,
        MotionBlurLevel::Low => 1,
        MotionBlurLevel::Medium => 2,
        MotionBlurLevel::High => 3,
    }
}

/// A pan of (`dx`, `dy`) px/frame at 24 fps, sharp or exposed over half the frame
/// interval (180° shutter: 8 sub-frames rendered, the first 4 averaged).
fn pan(name: &str, dx: u32, dy: u32, blurred: bool) -> PathBuf {
    let crop = format!("crop=400:300:x='40+t*24*{dx}':y='40+t*24*{dy}'");
    if blurred {
        let filter = format!(
            "{crop},tmix=frames=4,select='not(mod(n\\,8))',setpts=N/24/TB,noise=alls=4:allf=t"
        );
        let mut args = vec!["-f", "lavfi", "-i"];
        let source = texture(192);
        args.extend([source.as_str(), "-t", "1.5", "-vf", &filter, "-r", "24"]);
        args.extend(X264);
        cached(name, &args)
    } else {
        h264(
            name,
            &texture(24),
            &format!("{crop},noise=alls=4:allf=t"),
            "1.5",
        )
    }
}

fn assert_blur_pair(sharp: &AnalysisReport, blurred: &AnalysisReport, what: &str) {
    let (s, b) = (&sharp.content.blur, &blurred.content.blur);
    assert_eq!(
        sharp.metadata.motion_blur_level,
        MotionBlurLevel::Low,
        "{what} sharp: {s:#?}"
    );
    assert!(!codes(sharp).contains(&FindingCode::MotionBlur), "{what}");
    assert!(
        rank(blurred.metadata.motion_blur_level) >= rank(MotionBlurLevel::Medium),
        "{what} blurred: {b:#?}"
    );
    assert!(codes(blurred).contains(&FindingCode::MotionBlur), "{what}");
    assert!(!codes(blurred).contains(&FindingCode::SoftImage), "{what}");
    let (sa, ba) = (s.median_anisotropy.unwrap(), b.blurred_anisotropy.unwrap());
    assert!(sa < 0.15, "{what}: sharp anisotropy {sa}");
    assert!(
        ba >= 0.3 && ba > sa + 0.2,
        "{what}: blurred {ba} vs sharp {sa}"
    );
    eprintln!(
        "{what}: anisotropy sharp {sa:.3}, blurred {ba:.3}; level {:?}",
        b.level
    );
}

#[test]
fn a_pan_smeared_throughout_is_motion_blur_and_its_sharp_twin_is_not() {
    require_tools!();
    // Horizontal 12 px/frame and diagonal 8+8 px/frame, 180° shutter.
    for (name, dx, dy) in [("h12", 12, 0), ("d8", 8, 8)] {
        let sharp = analyze(&pan(&format!("pan_{name}.mp4"), dx, dy, false));
        let blurred = analyze(&pan(&format!("pan_{name}_blur.mp4"), dx, dy, true));
        assert_blur_pair(&sharp, &blurred, name);
        let motion = blurred.content.blur.median_speed_px.unwrap();
        let expected = f64::from(dx).hypot(f64::from(dy));
        assert!(
            (motion - expected).abs() < 1.0,
            "{name}: speed {motion} vs {expected}"
        );
        let direction = blurred.content.blur.blur_direction_deg.unwrap();
        let expected = f64::from(dy).atan2(f64::from(dx)).to_degrees();
        // Content moves opposite to the camera: the direction has no sign (0–180).
        assert!(
            ((direction - (180.0 - expected).rem_euclid(180.0)).abs() < 5.0)
                || ((direction - expected).abs() < 5.0),
            "{name}: direction {direction}"
        );
        let f = blurred
            .findings
            .iter()
            .find(|f| f.code == FindingCode::MotionBlur)
            .unwrap();
        assert!(f.evidence.values.contains_key("blurred_anisotropy"));
        assert!(!f.evidence.frames.is_empty());
    }
}

#[test]
fn a_vertical_pan_ghosted_by_a_frame_rate_tmix_is_motion_blur() {
    require_tools!();
    let crop = "crop=400:300:x=40:y='40+t*24*6'";
    let sharp = analyze(&h264("pan_v6.mp4", &texture(24), crop, "1.5"));
    let blurred = analyze(&h264(
        "pan_v6_blur.mp4",
        &texture(24),
        &format!("{crop},tmix=frames=3"),
        "1.5",
    ));
    assert_blur_pair(&sharp, &blurred, "v6");
}

#[test]
fn static_sharp_and_static_defocused_clips_are_not_motion_blur() {
    require_tools!();
    let still = "crop=400:300:x=100:y=100,noise=alls=4:allf=t";
    let sharp = analyze(&h264("still.mp4", &texture(24), still, "1"));
    let defocused = analyze(&h264(
        "still_defocus.mp4",
        "testsrc2=size=400x300:rate=24",
        "gblur=sigma=3",
        "1",
    ));
    for r in [&sharp, &defocused] {
        assert_eq!(r.metadata.motion_blur_level, MotionBlurLevel::Low);
        assert!(
            !codes(r).contains(&FindingCode::MotionBlur),
            "{:?}",
            codes(r)
        );
    }
    assert!(!codes(&sharp).contains(&FindingCode::SoftImage));
    assert!(codes(&defocused).contains(&FindingCode::SoftImage));
    // A defocused pan is soft in every direction, not motion-blurred.
    let pan = analyze(&h264(
        "pan_defocus.mp4",
        &texture(24),
        "crop=400:300:x='t*24*12':y=40,gblur=sigma=4",
        "1",
    ));
    assert!(
        !codes(&pan).contains(&FindingCode::MotionBlur),
        "{:?}",
        codes(&pan)
    );
    let a = pan.content.blur.median_anisotropy.unwrap();
    assert!(a < 0.15, "defocused pan anisotropy {a}");
}

/// Interlaced content (fields of a 2×rate source woven) flagged progressive.
fn woven(name: &str, size: &str, field_rate: &str, order: &str) -> PathBuf {
    let source = format!("testsrc2=size={size}:rate={field_rate}");
    h264(
        name,
        &source,
        &format!("tinterlace=mode=interleave_{order},setfield=prog"),
        "1",
    )
}

#[test]
fn interlaced_content_flagged_progressive_is_caught_at_576_and_1080_lines() {
    require_tools!();
    for (name, size, field_rate, order, lines) in [
        ("il576_25.mp4", "720x576", "50", "top", 576),
        ("il1080_2997.mp4", "1920x1080", "60000/1001", "bottom", 1080),
    ] {
        let report = analyze(&woven(name, size, field_rate, order));
        let combing = &report.content.combing;
        assert_eq!(combing.lines, lines, "{name}");
        assert_eq!(combing.verdict, CombVerdict::Combed, "{name}: {combing:?}");
        let idet = report.interlace.as_ref().expect("idet ran");
        assert!(
            idet.reason.starts_with("combing in sampled frames"),
            "{}",
            idet.reason
        );
        let f = report
            .findings
            .iter()
            .find(|f| f.code == FindingCode::Interlaced)
            .unwrap_or_else(|| panic!("{name}: {:?}", codes(&report)));
        assert_eq!(f.severity, Severity::Critical, "{name}");
        assert!(f.message.contains("flagged progressive"), "{}", f.message);
        let expected = if order == "top" {
            InterlaceVerdict::InterlacedTff
        } else {
            InterlaceVerdict::InterlacedBff
        };
        assert_eq!(idet.verdict, expected, "{name}");
        eprintln!(
            "{name}: median comb {:?}, {} of {} moving samples combed",
            report.content.median_comb,
            combing.combed_frames.len(),
            combing.moving_samples
        );
    }
}

#[test]
fn progressive_moving_clips_at_broadcast_sizes_get_no_interlace_finding() {
    require_tools!();
    for (name, size, rate) in [
        ("prog576_25.mp4", "720x576", "25"),
        ("prog1080_2997.mp4", "1920x1080", "30000/1001"),
    ] {
        let source = format!("testsrc2=size={size}:rate={rate}");
        let report = analyze(&h264(name, &source, "null", "1"));
        assert_eq!(
            report.content.combing.verdict,
            CombVerdict::Progressive,
            "{name}"
        );
        for code in [FindingCode::Interlaced, FindingCode::Pulldown] {
            assert!(
                !codes(&report).contains(&code),
                "{name}: {:?}",
                codes(&report)
            );
        }
    }
}

#[test]
fn a_telecined_clip_is_pulldown_not_interlace() {
    require_tools!();
    let path = h264(
        "telecine.mp4",
        "testsrc2=size=720x480:rate=24000/1001",
        "telecine=pattern=23,setfield=prog",
        "1.5",
    );
    let report = analyze(&path);
    assert!(
        codes(&report).contains(&FindingCode::Pulldown),
        "{:?}",
        codes(&report)
    );
    assert!(
        !codes(&report).contains(&FindingCode::Interlaced),
        "{:?}",
        codes(&report)
    );
    assert_eq!(
        report.interlace.as_ref().map(|i| i.verdict),
        Some(InterlaceVerdict::Pulldown)
    );
    let fraction = report.content.combing.combed_fraction.unwrap();
    assert!((0.2..0.7).contains(&fraction), "combed fraction {fraction}");
}

/// The same moving, grainy content at a given CRF (x264 medium preset).
fn graded(name: &str, crf: &str) -> PathBuf {
    cached(
        name,
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=2400x480:rate=24",
            "-t",
            "1.5",
            "-vf",
            "crop=480:360:x='t*24*6':y=40,noise=alls=8:allf=t",
            "-c:v",
            "libx264",
            "-preset",
            "medium",
            "-crf",
            crf,
            "-pix_fmt",
            "yuv420p",
        ],
    )
}

#[test]
fn compression_is_reported_for_a_starved_moving_plate_only() {
    require_tools!();
    let good = analyze(&graded("crf10.mp4", "10"));
    let bad = analyze(&graded("crf45.mp4", "45"));
    let still = analyze(&cached(
        "still_crf12.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=480x360:rate=24,trim=end_frame=1,loop=loop=35:size=1:start=0,setpts=N/24/TB",
            "-c:v",
            "libx264",
            "-preset",
            "medium",
            "-crf",
            "12",
            "-pix_fmt",
            "yuv420p",
        ],
    ));
    assert!(
        !codes(&good).contains(&FindingCode::LowBitrate),
        "{:?}",
        good.findings
    );
    assert!(
        !codes(&still).contains(&FindingCode::LowBitrate),
        "{:?}",
        still.findings
    );
    let f = bad
        .findings
        .iter()
        .find(|f| f.code == FindingCode::LowBitrate)
        .unwrap_or_else(|| panic!("{:?}", codes(&bad)));
    assert_eq!(f.severity, Severity::Warning);
    for key in [
        "bits_per_pixel",
        "needed_bits_per_pixel",
        "median_motion",
        "median_blockiness",
    ] {
        assert!(
            f.evidence.values.contains_key(key),
            "{key}: {:?}",
            f.evidence
        );
    }
    eprintln!(
        "compression: bpp crf10 {:?} crf45 {:?} static {:?}; blockiness crf10 {:?} crf45 {:?}",
        good.content.compression.bits_per_pixel,
        bad.content.compression.bits_per_pixel,
        still.content.compression.bits_per_pixel,
        good.content.compression.median_blockiness,
        bad.content.compression.median_blockiness,
    );
    assert_eq!(bad.method_version, METHOD_VERSION);
}

#[test]
fn clean_clips_raise_no_warnings_beyond_their_metadata() {
    require_tools!();
    let prores = |name: &str, source: &str, filter: &str| {
        cached(
            name,
            &[
                "-f",
                "lavfi",
                "-i",
                source,
                "-t",
                "1",
                "-vf",
                filter,
                "-c:v",
                "prores_ks",
                "-profile:v",
                "3",
                "-pix_fmt",
                "yuv422p10le",
            ],
        )
    };
    let clips = [
        prores("clean_testsrc.mov", "testsrc2=size=640x360:rate=24", "null"),
        prores(
            "clean_pan.mov",
            &texture(24),
            "crop=640:360:x='t*24*10':y=40,noise=alls=3:allf=t",
        ),
        prores(
            "clean_vpan.mov",
            &texture(25),
            "crop=640:360:x=40:y='t*25*5'",
        ),
        prores(
            "clean_mandelbrot.mov",
            "mandelbrot=size=640x360:rate=24",
            "null",
        ),
        prores("clean_still.mov", &texture(24), "crop=640:360:x=200:y=200"),
        h264(
            "clean_pan_h264.mp4",
            &texture(30),
            "crop=640:360:x='t*30*4':y='t*30*3'",
            "1",
        ),
    ];
    // True of the metadata (and so not false warnings): small rasters, long-GOP 8-bit.
    let metadata = [FindingCode::LowResolution, FindingCode::LongGop8bit420];
    for clip in &clips {
        let report = analyze(clip);
        let unexpected: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && !metadata.contains(&f.code))
            .map(|f| (f.code, f.message.clone()))
            .collect();
        assert!(unexpected.is_empty(), "{}: {unexpected:#?}", clip.display());
        assert_eq!(
            report.metadata.motion_blur_level,
            MotionBlurLevel::Low,
            "{}",
            clip.display()
        );
    }
}
