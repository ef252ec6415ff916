//! Probing a movie file: one `ffprobe -show_format -show_streams` run turned into a
//! [`FootageProbe`], plus the packet pass in deep mode.
//!
//! Which ffprobe field is the truth for what (CONVENTIONS §6): the frame rate is a
//! rational chosen from `avg_frame_rate`/`r_frame_rate` and snapped to a standard
//! rate; `nb_frames` is only the header's claim; bit depth comes from `pix_fmt`;
//! orientation from the display matrix or `rotate` tag.

use std::path::Path;

use tracking_types::{FootageMetadata, MotionBlurLevel};

use crate::discovery::find_tool;
use crate::error::{Error, Result};
use crate::ffprobe::{run_json, video_stream};
use crate::ffprobe_json::{ProbeJson, Section, Tags};
use crate::input::{MediaInput, display_path, file_name};
use crate::orientation::Orientation;
use crate::packets;
use crate::pix_fmt::pixel_format_info;
use crate::rational::{FrameRate, RateSource, Rational, snap_to_standard};
use crate::timecode::Timecode;
use crate::tool::Tool;
use crate::types::{
    AudioStream, Colour, FieldOrder, FootageKind, FootageProbe, FrameCountSource, FrameCounts,
    ProbeOptions, VfrReport, VfrVerdict,
};

/// Probe a movie file (see the module docs).
pub(crate) fn probe_movie(path: &Path, options: &ProbeOptions) -> Result<FootageProbe> {
    let input = MediaInput::open(path)?;
    let ffprobe = find_tool(Tool::Ffprobe, options.ffprobe.as_deref())?;
    let doc = run_json(&ffprobe, &input, options.timeout)?;
    let mut probe = from_probe_json(&doc, input.caller_path())?;
    if options.deep {
        packets::apply_packet_pass(&mut probe, &ffprobe, &input, options)?;
    }
    Ok(probe)
}

/// Build the probe result from parsed ffprobe JSON (no packet pass).
pub(crate) fn from_probe_json(doc: &ProbeJson, caller_path: &Path) -> Result<FootageProbe> {
    let no_video = || Error::NoVideoStream {
        path: caller_path.to_path_buf(),
    };
    let video = video_stream(doc).ok_or_else(no_video)?;
    let empty = Section::default();
    let format = doc.format.as_ref().unwrap_or(&empty);
    if let Some(name) = format
        .text("format_name")
        .filter(|n| is_still_image_format(n))
    {
        // image2 reports an invented 25 fps for a lone image; never pass that on.
        return Err(Error::NotASequence {
            path: caller_path.to_path_buf(),
            detail: format!(
                "a still image ({name}) that cannot be scanned as a sequence \
                 (is its name valid UTF-8 with an image extension?)"
            ),
        });
    }
    let raw_size = match (dimension(video, "width"), dimension(video, "height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 => [w, h],
        _ => {
            return Err(Error::BadToolOutput {
                tool: Tool::Ffprobe,
                path: caller_path.to_path_buf(),
                detail: "video stream has no width/height".to_owned(),
            });
        }
    };
    let duration_seconds = stream_duration(video).or_else(|| format.f64("duration"));
    let header_frames = video.u64("nb_frames").filter(|&n| n > 0);
    let r_frame_rate = video.rational("r_frame_rate").filter(|r| r.is_positive());
    let avg_frame_rate = video.rational("avg_frame_rate").filter(|r| r.is_positive());
    let rate = choose_rate(
        r_frame_rate,
        avg_frame_rate,
        header_frames,
        duration_seconds,
    )
    .ok_or_else(|| Error::NoFrameRate {
        path: caller_path.to_path_buf(),
        detail: "r_frame_rate, avg_frame_rate and nb_frames/duration are all missing or zero"
            .to_owned(),
    })?;
    let from_duration = duration_seconds
        .map(|d| (d * rate.fps).round())
        .filter(|f| f.is_finite() && *f >= 0.0)
        .map(|f| f as u64);
    let (duration_frames, used) = match (header_frames, from_duration) {
        (Some(n), _) => (n, FrameCountSource::Header),
        (None, Some(n)) => (n, FrameCountSource::FromDuration),
        (None, None) => (0, FrameCountSource::FromDuration),
    };
    let pix_fmt = video.text("pix_fmt");
    let pixel_format = pix_fmt.as_deref().and_then(pixel_format_info);
    let colour = Colour {
        range: video.text("color_range"),
        primaries: video.text("color_primaries"),
        transfer: video.text("color_transfer"),
        matrix: video.text("color_space"),
    };
    let hdr = is_hdr(&colour, video);
    let orientation = Orientation::of_stream(video);
    let pixel_aspect = video
        .rational("sample_aspect_ratio")
        .filter(|r| r.is_positive());
    let display_size = display_size(raw_size, pixel_aspect, &orientation);
    let codec = video.text("codec_name").unwrap_or_default();
    let metadata = FootageMetadata {
        filename: file_name(caller_path),
        resolution: raw_size,
        frame_rate: rate.fps,
        duration_frames,
        duration_seconds: duration_seconds.unwrap_or(duration_frames as f64 / rate.fps),
        codec,
        // pix_fmt is the truth; `bits_per_raw_sample` only stands in when the pixel
        // format is unknown to us (it is absent for HEVC/VP9/PNG/EXR); 0 = unknown.
        bit_depth: pixel_format.as_ref().map_or_else(
            || {
                video
                    .u64("bits_per_raw_sample")
                    .and_then(|b| u32::try_from(b).ok())
                    .filter(|b| (1..=64).contains(b))
                    .unwrap_or(0)
            },
            |p| p.bit_depth,
        ),
        color_space: colour.matrix.clone().unwrap_or_default(),
        camera_model: camera_model(format.tags(), video.tags()),
        focal_length: first_number(&[format.tags(), video.tags()], FOCAL_LENGTH_KEYS)
            .filter(|f| *f > 0.0),
        iso: first_number(&[format.tags(), video.tags()], ISO_KEYS)
            .filter(|v| *v >= 1.0 && *v <= f64::from(u32::MAX) && v.fract() == 0.0)
            .map(|v| v as u32),
        motion_blur_level: MotionBlurLevel::Unknown,
        rolling_shutter_detected: false,
    };
    Ok(FootageProbe {
        metadata,
        path: display_path(caller_path),
        kind: FootageKind::Movie,
        container: format.text("format_name"),
        rate,
        r_frame_rate,
        avg_frame_rate,
        frame_counts: FrameCounts {
            header: header_frames,
            from_duration,
            exact: None,
            used,
        },
        vfr: VfrReport {
            verdict: VfrVerdict::NotChecked,
            header_rates_disagree: header_rates_disagree(r_frame_rate, avg_frame_rate),
            min_fps: None,
            max_fps: None,
            max_drift_frames: None,
            discontinuity_count: 0,
            discontinuities: Vec::new(),
        },
        timecode: Timecode::find(doc, Some(video)),
        orientation,
        raw_size,
        display_size,
        pixel_aspect,
        field_order: FieldOrder::from_ffprobe(video.text("field_order").as_deref()),
        pix_fmt,
        pixel_format,
        colour,
        hdr,
        profile: video.text("profile"),
        audio_streams: audio_streams(doc),
        creation_time: format
            .tags()
            .get("creation_time")
            .or_else(|| video.tags().get("creation_time"))
            .map(str::to_owned),
        bit_rate: format.u64("bit_rate"),
        video_bit_rate: video.u64("bit_rate"),
        video_stream_index: video.u64("index").and_then(|i| u32::try_from(i).ok()),
        time_base: video.rational("time_base").filter(|r| r.is_positive()),
        start_time_seconds: video.f64("start_time").or_else(|| format.f64("start_time")),
        video_tags: video.tags().clone(),
        format_tags: format.tags().clone(),
        packets: None,
        truncation: None,
        sequence: None,
    })
}

/// FFmpeg's demuxers for single images: `image2` and the `*_pipe` family.
fn is_still_image_format(format_name: &str) -> bool {
    format_name
        .split(',')
        .any(|n| n == "image2" || n.ends_with("_pipe"))
}

fn dimension(stream: &Section, key: &str) -> Option<u32> {
    stream.u64(key).and_then(|v| u32::try_from(v).ok())
}

/// The stream's duration: `duration`, else Matroska's `DURATION` tag (`HH:MM:SS.fffffffff`).
fn stream_duration(stream: &Section) -> Option<f64> {
    stream
        .f64("duration")
        .or_else(|| parse_clock(stream.tags().get("duration")?))
        .filter(|d| *d > 0.0)
}

fn parse_clock(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let total =
        h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?;
    total.is_finite().then_some(total)
}

/// Choose the frame rate: a header rate that is (or snaps to) a standard rate wins,
/// `avg_frame_rate` first (it is `r_frame_rate` that doubles for field-coded
/// streams); otherwise the exact average; otherwise `nb_frames / duration`.
pub(crate) fn choose_rate(
    r_frame_rate: Option<Rational>,
    avg_frame_rate: Option<Rational>,
    header_frames: Option<u64>,
    duration_seconds: Option<f64>,
) -> Option<FrameRate> {
    let candidates = [
        (avg_frame_rate, RateSource::AvgFrameRate),
        (r_frame_rate, RateSource::RFrameRate),
    ];
    if let Some((raw, source)) = candidates
        .iter()
        .find_map(|&(r, s)| r.filter(|r| snap_to_standard(*r).is_some()).map(|r| (r, s)))
    {
        return Some(FrameRate::from_measured(raw, source));
    }
    if let Some((raw, source)) = candidates.iter().find_map(|&(r, s)| r.map(|r| (r, s))) {
        return Some(FrameRate::exact(raw, source));
    }
    let frames = i64::try_from(header_frames?).ok()?;
    let micros = (duration_seconds? * 1e6).round();
    if !(1.0..9e15).contains(&micros) {
        return None;
    }
    let raw = Rational::new(frames.checked_mul(1_000_000)?, micros as i64)?;
    Some(FrameRate::from_measured(
        raw,
        RateSource::FramesOverDuration,
    ))
}

/// Both header rates present and different, other than the field-rate doubling of
/// `r_frame_rate` on interlaced streams.
fn header_rates_disagree(r: Option<Rational>, avg: Option<Rational>) -> bool {
    let (Some(r), Some(avg)) = (r, avg) else {
        return false;
    };
    let snapped = |q: Rational| snap_to_standard(q).unwrap_or(q);
    let (r, avg) = (snapped(r), snapped(avg));
    let doubled = avg
        .num
        .checked_mul(2)
        .and_then(|n| Rational::new(n, avg.den));
    r != avg && doubled != Some(r)
}

fn is_hdr(colour: &Colour, video: &Section) -> bool {
    let hdr_transfer = matches!(
        colour.transfer.as_deref(),
        Some("smpte2084" | "arib-std-b67")
    );
    hdr_transfer
        || video.side_data_of("Mastering display metadata").is_some()
        || video.side_data_of("Content light level metadata").is_some()
}

fn display_size(raw: [u32; 2], par: Option<Rational>, orientation: &Orientation) -> [u32; 2] {
    let width = match par {
        Some(par) if par.num != par.den => {
            let w = (f64::from(raw[0]) * par.to_f64()).round();
            if w.is_finite() && w >= 1.0 && w <= f64::from(u32::MAX) {
                w as u32
            } else {
                raw[0]
            }
        }
        _ => raw[0],
    };
    if orientation.swaps_axes() {
        [raw[1], width]
    } else {
        [width, raw[1]]
    }
}

const MAKE_KEYS: &[&str] = &[
    "com.apple.quicktime.make",
    "make",
    "com.android.manufacturer",
];
const MODEL_KEYS: &[&str] = &["com.apple.quicktime.model", "model", "com.android.model"];
/// Tags that carry the real lens focal length in mm (not a 35 mm equivalent).
const FOCAL_LENGTH_KEYS: &[&str] = &["focal_length", "focallength", "lens_focal_length"];
/// Tags that carry the ISO speed.
const ISO_KEYS: &[&str] = &[
    "iso",
    "iso_speed",
    "isospeed",
    "com.apple.quicktime.camera.iso",
];

/// `make model` from QuickTime/Android/generic tags; `None` when neither is tagged.
fn camera_model(format: &Tags, video: &Tags) -> Option<String> {
    let find = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| format.get(k).or_else(|| video.get(k)))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    match (find(MAKE_KEYS), find(MODEL_KEYS)) {
        (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(model.to_owned())
        }
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

/// The first of `keys` in any of `tags` whose value starts with a number (`4.2 mm`).
fn first_number(tags: &[&Tags], keys: &[&str]) -> Option<f64> {
    keys.iter()
        .flat_map(|k| tags.iter().filter_map(move |t| t.get(k)))
        .find_map(|v| {
            let end = v
                .trim()
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(v.trim().len());
            v.trim()[..end]
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
        })
}

fn audio_streams(doc: &ProbeJson) -> Vec<AudioStream> {
    doc.streams
        .iter()
        .filter(|s| s.text("codec_type").as_deref() == Some("audio"))
        .map(|s| AudioStream {
            index: s
                .u64("index")
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(0),
            codec: s.text("codec_name"),
            sample_rate: s.u64("sample_rate").and_then(|v| u32::try_from(v).ok()),
            channels: s.u64("channels").and_then(|v| u32::try_from(v).ok()),
            channel_layout: s.text("channel_layout"),
            duration_seconds: stream_duration(s),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffprobe_json;

    fn r(n: i64, d: i64) -> Option<Rational> {
        Rational::new(n, d)
    }

    #[test]
    fn a_standard_average_rate_wins() {
        let rate = choose_rate(r(48, 1), r(24000, 1001), None, None).unwrap();
        assert_eq!(Some(rate.rational), r(24000, 1001));
        assert_eq!(rate.source, RateSource::AvgFrameRate);
    }

    #[test]
    fn a_field_rate_r_frame_rate_does_not_beat_the_average() {
        let rate = choose_rate(r(50, 1), r(25, 1), None, None).unwrap();
        assert_eq!(Some(rate.rational), r(25, 1));
        assert!(!header_rates_disagree(r(50, 1), r(25, 1)));
    }

    #[test]
    fn an_odd_average_yields_to_a_standard_r_frame_rate() {
        let rate = choose_rate(r(48, 1), r(864, 25), None, None).unwrap();
        assert_eq!(Some(rate.rational), r(48, 1));
        assert_eq!(rate.source, RateSource::RFrameRate);
        assert!(header_rates_disagree(r(48, 1), r(864, 25)));
    }

    #[test]
    fn frames_over_duration_is_the_last_resort() {
        let rate = choose_rate(None, None, Some(24), Some(1.001)).unwrap();
        assert_eq!(Some(rate.rational), r(24000, 1001));
        assert_eq!(rate.source, RateSource::FramesOverDuration);
        assert_eq!(choose_rate(None, None, None, Some(1.0)), None);
    }

    #[test]
    fn matroska_duration_tags_parse() {
        assert_eq!(parse_clock("00:00:01.001000000"), Some(1.001));
        assert_eq!(parse_clock("01:00:00.5"), Some(3600.5));
        assert_eq!(parse_clock("garbage"), None);
    }

    #[test]
    fn anamorphic_pixels_widen_the_display_and_rotation_swaps_it() {
        let upright = Orientation::UPRIGHT;
        assert_eq!(display_size([160, 90], r(2, 1), &upright), [320, 90]);
        let turned = Orientation {
            rotation_cw: 90,
            ..Orientation::UPRIGHT
        };
        assert_eq!(display_size([160, 90], r(1, 1), &turned), [90, 160]);
    }

    #[test]
    fn camera_model_joins_make_and_model_without_repeating_the_make() {
        let doc = ffprobe_json::parse(
            br#"{"format": {"tags": {"com.apple.quicktime.make": "Apple", "com.apple.quicktime.model": "iPhone 12"}},
                 "streams": [{"tags": {"make": "Canon", "model": "Canon EOS R5"}}]}"#,
        )
        .unwrap();
        let format = doc.format.unwrap();
        let video = &doc.streams[0];
        assert_eq!(
            camera_model(format.tags(), video.tags()).as_deref(),
            Some("Apple iPhone 12")
        );
        assert_eq!(
            camera_model(&Tags::default(), video.tags()).as_deref(),
            Some("Canon EOS R5")
        );
        assert_eq!(camera_model(&Tags::default(), &Tags::default()), None);
    }

    #[test]
    fn a_file_without_lens_tags_gets_no_focal_length_or_iso() {
        let doc = ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 16, "height": 16, "avg_frame_rate": "25/1",
                 "tags": {"encoder": "Lavc"}}], "format": {"tags": {"iso": "800", "focal_length": "35 mm"}}}"#,
        )
        .unwrap();
        let probe = from_probe_json(&doc, Path::new("x.mov")).unwrap();
        assert_eq!(probe.metadata.iso, Some(800));
        assert_eq!(probe.metadata.focal_length, Some(35.0));
        let bare = ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 16, "height": 16, "avg_frame_rate": "25/1"}]}"#,
        )
        .unwrap();
        let probe = from_probe_json(&bare, Path::new("x.mov")).unwrap();
        assert_eq!(probe.metadata.iso, None);
        assert_eq!(probe.metadata.focal_length, None);
        assert_eq!(probe.metadata.camera_model, None);
        assert_eq!(
            probe.metadata.bit_depth, 0,
            "no pix_fmt: depth unknown, not 8"
        );
        let raw_only = ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 16, "height": 16, "avg_frame_rate": "25/1",
                 "pix_fmt": "bayer_rggb16le", "bits_per_raw_sample": "12"}]}"#,
        )
        .unwrap();
        let probe = from_probe_json(&raw_only, Path::new("x.mov")).unwrap();
        assert_eq!(
            probe.metadata.bit_depth, 12,
            "bits_per_raw_sample stands in for an unknown pix_fmt"
        );
    }

    #[test]
    fn a_lone_image_read_by_image2_is_refused_rather_than_given_25_fps() {
        let doc = ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 64, "height": 36, "r_frame_rate": "25/1"}],
                 "format": {"format_name": "png_pipe"}}"#,
        )
        .unwrap();
        assert!(matches!(
            from_probe_json(&doc, Path::new("x.png")),
            Err(Error::NotASequence { .. })
        ));
        assert!(is_still_image_format("image2"));
        assert!(!is_still_image_format("mov,mp4,m4a,3gp,3g2,mj2"));
    }

    #[test]
    fn cover_art_is_not_the_video_stream() {
        let doc = ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "width": 600, "height": 600, "disposition": {"attached_pic": 1}},
                             {"codec_type": "audio"}]}"#,
        )
        .unwrap();
        assert!(matches!(
            from_probe_json(&doc, Path::new("song.m4a")),
            Err(Error::NoVideoStream { .. })
        ));
    }
}
