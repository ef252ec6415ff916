//! Movie probing against the real ffprobe on clips made by the real ffmpeg.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use tracking_footage::{
    FieldOrder, FrameCountSource, OrientationSource, ProbeOptions, RateSource, Rational,
    TimecodeSource, VfrVerdict, extract_metadata, get_frame_rate, probe,
};

fn rational(num: i64, den: i64) -> Rational {
    Rational::new(num, den).unwrap()
}

#[test]
fn a_23976_mp4_has_an_exact_ntsc_film_rate_and_24_frames() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());

    let meta = extract_metadata(&clip).unwrap();
    assert_eq!(meta.filename, "cfr_23976.mp4");
    assert_eq!(meta.resolution, [160, 90]);
    assert_eq!(meta.duration_frames, 24);
    assert_eq!(meta.frame_rate, 24000.0 / 1001.0);
    assert!((meta.duration_seconds - 1.001).abs() < 1e-9);
    assert_eq!(meta.codec, "h264");
    assert_eq!(meta.bit_depth, 8);
    assert_eq!(meta.camera_model, None);
    assert_eq!(meta.focal_length, None);
    assert_eq!(meta.iso, None);

    let rate = get_frame_rate(&clip).unwrap();
    assert_eq!(rate.rational, rational(24000, 1001));
    assert_eq!(rate.fps, 24000.0 / 1001.0);
    assert_eq!(rate.source, RateSource::AvgFrameRate);

    let deep = probe(&clip, &ProbeOptions::deep()).unwrap();
    assert_eq!(deep.frame_counts.header, Some(24));
    assert_eq!(deep.frame_counts.exact, Some(24));
    assert_eq!(deep.frame_counts.used, FrameCountSource::Exact);
    assert_eq!(deep.vfr.verdict, VfrVerdict::Constant);
    assert_eq!(deep.vfr.discontinuity_count, 0);
    assert_eq!(deep.truncation, None);
    let packets = deep.packets.unwrap();
    assert_eq!(packets.packet_count, 24);
    assert_eq!(packets.keyframes, 1, "one GOP in a 24-frame clip");
    assert_eq!(deep.pixel_format.unwrap().chroma_subsampling, "4:2:0");
    assert_eq!(deep.field_order, FieldOrder::Progressive);
}

#[test]
fn a_matroska_file_without_nb_frames_still_gets_24_frames() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mkv(dir.path());

    let quick = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(quick.frame_counts.header, None);
    assert_eq!(quick.frame_counts.from_duration, Some(24));
    assert_eq!(quick.frame_counts.used, FrameCountSource::FromDuration);
    assert_eq!(quick.metadata.duration_frames, 24);
    assert_eq!(quick.rate.rational, rational(24000, 1001));
    assert!(quick.container.as_deref().unwrap().contains("matroska"));

    let deep = probe(&clip, &ProbeOptions::deep()).unwrap();
    assert_eq!(deep.frame_counts.exact, Some(24));
    assert_eq!(deep.metadata.duration_frames, 24);
    assert_eq!(
        deep.vfr.verdict,
        VfrVerdict::Constant,
        "millisecond timestamps are not VFR"
    );
    assert_eq!(deep.truncation, None);
}

#[test]
fn a_prores_mov_reports_10_bit_422_and_its_tmcd_timecode() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::prores_mov_with_timecode(dir.path());

    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(p.metadata.codec, "prores");
    assert_eq!(p.metadata.bit_depth, 10);
    assert_eq!(p.metadata.duration_frames, 24);
    assert_eq!(p.pix_fmt.as_deref(), Some("yuv422p10le"));
    let pf = p.pixel_format.unwrap();
    assert_eq!(pf.chroma_subsampling, "4:2:2");
    assert!(!pf.has_alpha);
    let tc = p.timecode.unwrap();
    assert_eq!(tc.value, "01:00:00:00");
    assert_eq!((tc.hours, tc.minutes, tc.seconds, tc.frames), (1, 0, 0, 0));
    assert!(!tc.drop_frame);
    assert_eq!(tc.source, TimecodeSource::TmcdStream);
    assert_eq!(p.rate.rational, rational(24000, 1001));
}

#[test]
fn a_10_bit_hevc_clip_gets_its_depth_from_pix_fmt() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let Some(clip) = common::hevc_10bit_mp4(dir.path()) else {
        return;
    };
    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(p.metadata.codec, "hevc");
    assert_eq!(p.pix_fmt.as_deref(), Some("yuv420p10le"));
    assert_eq!(p.metadata.bit_depth, 10);
    assert_eq!(p.metadata.duration_frames, 24);
}

#[test]
fn a_vfr_clip_fails_the_drift_test_and_names_its_discontinuities() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::vfr_mp4(dir.path());

    let quick = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(quick.vfr.verdict, VfrVerdict::NotChecked);
    assert!(quick.vfr.header_rates_disagree);
    assert_eq!(quick.r_frame_rate, Some(rational(48, 1)));
    assert_eq!(quick.avg_frame_rate, Some(rational(864, 25)));
    assert_eq!(quick.rate.rational, rational(48, 1));
    assert_eq!(quick.rate.source, RateSource::RFrameRate);

    let deep = probe(&clip, &ProbeOptions::deep()).unwrap();
    assert_eq!(deep.frame_counts.exact, Some(36));
    assert_eq!(deep.vfr.verdict, VfrVerdict::Variable);
    assert_eq!(deep.vfr.min_fps, Some(24.0));
    assert_eq!(deep.vfr.max_fps, Some(48.0));
    assert_eq!(deep.vfr.discontinuity_count, 12);
    let frames: Vec<u64> = deep.vfr.discontinuities.iter().map(|d| d.frame).collect();
    assert_eq!(frames, (1..=12).collect::<Vec<u64>>());
    assert!(deep.vfr.discontinuities.iter().all(|d| d.gap_frames == 2.0));
}

#[test]
fn a_rotated_clip_reports_its_display_matrix_rotation() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::rotated_mp4(dir.path());
    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    // ffmpeg 5+ stores the legacy `rotate=90` tag as a display matrix that
    // av_display_rotation_get reads as +90° counter-clockwise; ffmpeg's own
    // autorotate then turns the picture 90° counter-clockwise = 270° clockwise.
    assert_eq!(p.orientation.source, OrientationSource::DisplayMatrix);
    assert_eq!(p.orientation.rotation_cw, 270);
    assert!(!p.orientation.flip_horizontal);
    assert_eq!(p.raw_size, [160, 90]);
    assert_eq!(p.display_size, [90, 160]);
    assert_eq!(p.metadata.resolution, [160, 90]);
}

#[test]
fn an_upright_clip_has_no_rotation() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(p.orientation.rotation_cw, 0);
    assert_eq!(p.orientation.source, OrientationSource::None);
    assert_eq!(p.display_size, [160, 90]);
}

#[test]
fn anamorphic_pixels_double_the_display_width() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::sar_2_1_mp4(dir.path());
    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(p.pixel_aspect, Some(rational(2, 1)));
    assert_eq!(p.raw_size, [160, 90]);
    assert_eq!(p.display_size, [320, 90]);
    assert_eq!(p.rate.rational, rational(25, 1));
    assert_eq!(p.metadata.duration_frames, 25);
}

#[test]
fn an_interlaced_clip_reports_top_field_first() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::interlaced_mp4(dir.path());
    let p = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(p.field_order, FieldOrder::TopFieldFirst);
    assert!(p.field_order.is_interlaced());
    assert_eq!(p.rate.rational, rational(25, 1));
}

/// `(pos, size)` of each video packet in file order, from an independent ffprobe run.
fn packet_layout(clip: &std::path::Path) -> Vec<(u64, u64)> {
    let ffprobe = tracking_footage::find_tool(tracking_footage::Tool::Ffprobe, None)
        .unwrap()
        .program;
    let out = std::process::Command::new(ffprobe)
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "packet=pos,size", "-of", "csv=p=0"])
        .arg(clip)
        .output()
        .unwrap();
    let mut layout: Vec<(u64, u64)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            // ffprobe prints size before pos.
            let (size, pos) = l.split_once(',').unwrap();
            (pos.parse().unwrap(), size.parse().unwrap())
        })
        .collect();
    layout.sort_unstable();
    layout
}

#[test]
fn a_truncated_mp4_is_caught_by_the_packet_pass() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let full = common::faststart_mp4_120_frames(dir.path());
    let layout = packet_layout(&full);
    assert_eq!(layout.len(), 120);
    // Cut in the middle of packet 90 (file order): 90 complete frames remain.
    let (pos, size) = layout[90];
    let cut = pos + size / 2;
    let bytes = std::fs::read(&full).unwrap();
    let truncated = dir.path().join("truncated.mp4");
    std::fs::write(&truncated, &bytes[..cut as usize]).unwrap();

    let quick = probe(&truncated, &ProbeOptions::default()).unwrap();
    assert_eq!(
        quick.frame_counts.header,
        Some(120),
        "the header still promises 120"
    );
    assert_eq!(
        quick.truncation, None,
        "not checked without the packet pass"
    );

    let deep = probe(&truncated, &ProbeOptions::deep()).unwrap();
    let t = deep.truncation.unwrap();
    assert_eq!(t.header_frames, 120);
    assert_eq!(t.file_frames, 90);
    assert_eq!(t.partial_packets, 1);
    assert_eq!(t.message, "header says 120, file holds 90");
    assert_eq!(deep.metadata.duration_frames, 90);
}

#[test]
fn a_file_cut_on_a_packet_boundary_holds_exactly_the_packets_before_it() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let full = common::faststart_mp4_120_frames(dir.path());
    let layout = packet_layout(&full);
    let (pos, _) = layout[100];
    let bytes = std::fs::read(&full).unwrap();
    let truncated = dir.path().join("cut.mp4");
    std::fs::write(&truncated, &bytes[..pos as usize]).unwrap();
    let deep = probe(&truncated, &ProbeOptions::deep()).unwrap();
    assert_eq!(deep.frame_counts.exact, Some(100));
    assert_eq!(
        deep.truncation.map(|t| t.message).as_deref(),
        Some("header says 120, file holds 100")
    );
}

#[test]
fn default_probe_output_is_the_same_twice() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let a = probe(&clip, &ProbeOptions::default()).unwrap();
    let b = probe(&clip, &ProbeOptions::default()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.footage_info().frame_start, 1);
    assert_eq!(a.footage_info().frame_end, 24);
    assert!(!a.footage_info().is_sequence);
}
