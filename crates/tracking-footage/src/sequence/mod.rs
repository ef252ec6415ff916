//! Image sequences: recognising them (`SequenceSpec`), scanning frames, reading the
//! first and last frame (EXR headers with the `exr` crate, other formats with
//! ffprobe through the shared `ffprobe` helpers), and producing a [`FootageProbe`]
//! with [`SequenceInfo`].
//!
//! A sequence's frame rate comes from the caller or an EXR `framesPerSecond` header,
//! never from a silent default: without either, probing is
//! [`Error::SequenceFrameRateUnknown`], and `probe_unrated` gives what is known
//! without it ([`UnratedSequence`]).
//!
//! Every frame file read here (EXR headers, frames sent to ffprobe, the frames a scan
//! lists) goes through the crate's one input check (`input`, built on
//! `tracking_fs::open_input`): a FIFO, device, socket or directory named like a frame
//! is [`Error::NotARegularFile`] naming the kind, a symlink loop
//! [`Error::SymlinkLoop`], and header reads are size-limited.
//!
//! # Frames of one name with different paddings
//!
//! A padding defines a sequence, as in fileseq and ffmpeg: `m.1.exr`, `m.02.exr`,
//! `m.003.exr` and `m.0004.exr` are four sequences of one frame each, not one sequence
//! `m.#.exr` of frames 1-4 (ffmpeg's `m.%d.exr` reads frame 1 only, `m.%04d.exr`
//! frame 4 only; fileseq's `findSequencesOnDisk` lists four sequences). The rule is
//! fileseq's (`FileSequence.yield_sequences_in_list`), made deterministic:
//!
//! - a *zero-led* number (`0004`, `-0005`, `0`) has exactly its width as padding;
//! - a number without a leading zero (`7`, `1001`, `10000`) fits every padding up to
//!   its width, and joins the widest group it fits;
//! - the groups are the narrowest width present and every zero-led width.
//!
//! So `plate.998.exr … plate.1000.exr` (no leading zeros) stays one sequence of padding
//! 3, and `plate.0998.exr … plate.1000.exr … plate.10000.exr` one of padding 4.
//!
//! Frames of different paddings are never merged. One group is read, chosen
//! deterministically, and [`SequenceInfo::mixed_padding`] names every padding found
//! with its frame count and says which was used and why ([`PaddingChoice`]):
//! - a pattern that names a padding (`%04d`, `####`, `@@@@`) reads exactly the frames
//!   ffmpeg's `%04d` reads: four digits, or more without a leading zero (fileseq's
//!   `strictPadding`);
//! - a frame file (`m.0004.exr`) reads the group that frame is in;
//! - a directory or `%d` reads the largest group, the narrowest padding on a tie.
//!
//! The probe's human output prints the message as a warning and the analysis reports
//! it as a `mixed_padding` finding. A named padding that matches no file is an error
//! that lists the paddings present.

mod exr_header;
mod padding;
mod range;
mod spec;

use std::path::Path;

use tracking_types::{FootageMetadata, Frame, MotionBlurLevel};

pub(crate) use exr_header::read_exr_header;
pub use range::frame_range_string;
pub(crate) use range::missing_frames;
pub(crate) use spec::{FrameFile, Scan, SequenceSpec};

use crate::discovery::find_tool;
use crate::error::{Error, Result};
use crate::ffprobe::{run_json, video_stream};
use crate::ffprobe_json::Tags;
use crate::input::{MediaInput, display_path, file_name};
use crate::orientation::Orientation;
use crate::pix_fmt::{ColourModel, PixelFormatInfo, pixel_format_info};
use crate::rational::{FrameRate, RateSource, Rational};
use crate::tool::Tool;
#[cfg(doc)]
use crate::types::PaddingChoice;
use crate::types::{
    Colour, ExrHeaderInfo, FieldOrder, FootageKind, FootageProbe, FrameCountSource, FrameCounts,
    FrameHeader, MAX_LISTED_MISSING, ProbeOptions, SequenceInfo, UnratedSequence, VfrReport,
    VfrVerdict,
};

/// Probe an image sequence (or an unnumbered still image as a one-frame sequence).
pub(crate) fn probe_sequence(spec: &SequenceSpec, options: &ProbeOptions) -> Result<FootageProbe> {
    let sequence = scan_sequence(spec, options)?;
    let rate = sequence_rate(spec, &sequence.first, options)?;
    Ok(build_probe(spec, sequence, rate))
}

/// What is known of a sequence whose headers carry no frame rate and for which the
/// caller gave none: everything but the rate (see [`UnratedSequence`]); `None` when it
/// has a rate after all (then [`probe_sequence`] is the call). One scan.
pub(crate) fn probe_unrated_sequence(
    spec: &SequenceSpec,
    options: &ProbeOptions,
) -> Result<Option<UnratedSequence>> {
    let sequence = scan_sequence(spec, options)?;
    match sequence_rate(spec, &sequence.first, options) {
        Ok(_) => return Ok(None),
        Err(Error::SequenceFrameRateUnknown { .. }) => {}
        Err(other) => return Err(other),
    }
    let first = &sequence.first;
    let look = FrameLook::of(first);
    Ok(Some(UnratedSequence {
        path: display_path(&spec.caller_path),
        kind: FootageKind::ImageSequence,
        codec: first.codec.clone(),
        resolution: [first.width, first.height],
        display_size: look.display_size,
        pixel_aspect: look.pixel_aspect,
        pix_fmt: first.pix_fmt.clone(),
        pixel_format: look.pixel_format,
        bit_depth: first.bit_depth,
        duration_frames: u64::try_from(sequence.last_frame - sequence.first_frame + 1).unwrap_or(0),
        frame_rate: None,
        fps: None,
        timecode: first.exr.as_ref().and_then(|e| e.timecode.clone()),
        findings: crate::analyze::unrated_sequence_findings(&sequence),
        sequence,
    }))
}

/// What a sequence's first frame says of every frame: pixel format, pixel aspect and
/// the displayed size.
struct FrameLook {
    pixel_format: Option<PixelFormatInfo>,
    pixel_aspect: Option<Rational>,
    display_size: [u32; 2],
}

impl FrameLook {
    fn of(first: &FrameHeader) -> Self {
        let pixel_format = match &first.exr {
            Some(exr) => Some(exr_pixel_format(exr)),
            None => first.pix_fmt.as_deref().and_then(pixel_format_info),
        };
        let pixel_aspect = pixel_aspect_of(first.exr.as_ref());
        let display_width = match pixel_aspect {
            Some(pa) if pa.num != pa.den => (f64::from(first.width) * pa.to_f64()).round() as u32,
            _ => first.width,
        };
        Self {
            pixel_format,
            pixel_aspect,
            display_size: [display_width, first.height],
        }
    }
}

/// Scan the frames and read the first and last: the sequence's layout and health.
fn scan_sequence(spec: &SequenceSpec, options: &ProbeOptions) -> Result<SequenceInfo> {
    let Scan {
        frames,
        padding,
        mixed_padding,
    } = spec.scan()?;
    let (Some(first_file), Some(last_file)) = (frames.first(), frames.last()) else {
        return Err(Error::NotASequence {
            path: spec.caller_path.clone(),
            detail: "no frames".to_owned(),
        });
    };
    let numbers: Vec<Frame> = frames.iter().map(|f| f.frame).collect();
    let first = read_frame(first_file, options)?;
    let last = if last_file.frame == first_file.frame {
        first.clone()
    } else {
        read_frame(last_file, options)?
    };
    let (missing, missing_count) = missing_frames(&numbers, MAX_LISTED_MISSING);
    let sequence = SequenceInfo {
        directory: display_path(&spec.directory),
        printf_pattern: spec.printf_pattern(padding),
        hash_pattern: spec.hash_pattern(padding),
        padding,
        first_frame: first_file.frame,
        last_frame: last_file.frame,
        frame_count: frames.len() as u64,
        missing_frames: missing,
        missing_count,
        frame_range: frame_range_string(&numbers),
        has_negative_frames: numbers.iter().any(|f| *f < 0),
        empty_frames: frames
            .iter()
            .filter(|f| f.size == 0)
            .map(|f| f.frame)
            .collect(),
        mismatch: mismatch(&first, &last),
        mixed_padding,
        first,
        last,
    };
    Ok(sequence)
}

fn sequence_rate(
    spec: &SequenceSpec,
    first: &FrameHeader,
    options: &ProbeOptions,
) -> Result<FrameRate> {
    if let Some(rate) = options.sequence_frame_rate.filter(|r| r.is_positive()) {
        return Ok(FrameRate::exact(rate, RateSource::Caller));
    }
    first
        .exr
        .as_ref()
        .and_then(|e| e.frames_per_second)
        .map(|r| FrameRate::from_measured(r, RateSource::ImageHeader))
        .ok_or_else(|| Error::SequenceFrameRateUnknown {
            path: spec.caller_path.clone(),
        })
}

fn is_exr(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("exr"))
}

/// Read a frame's size and format: the EXR header directly, anything else via ffprobe.
fn read_frame(file: &FrameFile, options: &ProbeOptions) -> Result<FrameHeader> {
    let name = file_name(&file.path);
    if is_exr(&file.path) {
        // The regular-file and empty checks; the header read opens it once more.
        MediaInput::open(&file.path)?;
        let exr = read_exr_header(&file.path)?;
        let [_, _, w, h] = exr.display_window;
        return Ok(FrameHeader {
            frame: file.frame,
            file: name,
            width: u32::try_from(w).unwrap_or(0),
            height: u32::try_from(h).unwrap_or(0),
            codec: "exr".to_owned(),
            pix_fmt: None,
            bit_depth: exr.bit_depth,
            exr: Some(exr),
        });
    }
    let input = MediaInput::open(&file.path)?;
    let ffprobe = find_tool(Tool::Ffprobe, options.ffprobe.as_deref())?;
    let doc = run_json(&ffprobe, &input, options.timeout)?;
    let video = video_stream(&doc).ok_or_else(|| Error::NoVideoStream {
        path: file.path.clone(),
    })?;
    let pix_fmt = video.text("pix_fmt");
    let size = |key| {
        video
            .u64(key)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    Ok(FrameHeader {
        frame: file.frame,
        file: name,
        width: size("width"),
        height: size("height"),
        codec: video.text("codec_name").unwrap_or_default(),
        bit_depth: pix_fmt
            .as_deref()
            .and_then(pixel_format_info)
            .map_or(0, |p| p.bit_depth),
        pix_fmt,
        exr: None,
    })
}

fn format_label(frame: &FrameHeader) -> String {
    let format = match (&frame.exr, &frame.pix_fmt) {
        (Some(exr), _) => exr
            .channels
            .iter()
            .map(|c| format!("{}:{}", c.name, c.sample_type))
            .collect::<Vec<_>>()
            .join(","),
        (None, Some(pix_fmt)) => pix_fmt.clone(),
        (None, None) => "unknown format".to_owned(),
    };
    format!("{}x{} {format}", frame.width, frame.height)
}

fn mismatch(first: &FrameHeader, last: &FrameHeader) -> Option<String> {
    let (a, b) = (format_label(first), format_label(last));
    (a != b).then(|| {
        format!(
            "frame {} is {a} but frame {} is {b}",
            first.frame, last.frame
        )
    })
}

fn exr_pixel_format(exr: &ExrHeaderInfo) -> PixelFormatInfo {
    let names: Vec<&str> = exr.channels.iter().map(|c| c.name.as_str()).collect();
    let grey = names.iter().all(|n| matches!(*n, "Y" | "A"));
    PixelFormatInfo {
        name: format!(
            "exr {} {}",
            exr.channels.first().map_or("", |c| c.sample_type.as_str()),
            names.join("")
        ),
        bit_depth: exr.bit_depth,
        chroma_subsampling: if grey { "4:0:0" } else { "4:4:4" }.to_owned(),
        has_alpha: exr.has_alpha,
        is_float: exr.channels.iter().any(|c| c.sample_type != "uint"),
        model: if grey {
            ColourModel::Gray
        } else {
            ColourModel::Rgb
        },
    }
}

fn pixel_aspect_of(exr: Option<&ExrHeaderInfo>) -> Option<Rational> {
    let pa = f64::from(exr?.pixel_aspect);
    if !(pa.is_finite() && pa > 0.0) {
        return None;
    }
    Rational::new((pa * 1_000_000.0).round() as i64, 1_000_000)
}

fn build_probe(spec: &SequenceSpec, sequence: SequenceInfo, rate: FrameRate) -> FootageProbe {
    let first = &sequence.first;
    let range_frames = u64::try_from(sequence.last_frame - sequence.first_frame + 1).unwrap_or(0);
    let FrameLook {
        pixel_format,
        pixel_aspect,
        display_size,
    } = FrameLook::of(first);
    let raw_size = [first.width, first.height];
    let metadata = FootageMetadata {
        filename: file_name(&spec.caller_path),
        resolution: raw_size,
        frame_rate: rate.fps,
        duration_frames: range_frames,
        duration_seconds: range_frames as f64 / rate.fps,
        codec: first.codec.clone(),
        bit_depth: first.bit_depth,
        color_space: String::new(),
        camera_model: None,
        focal_length: None,
        iso: None,
        motion_blur_level: MotionBlurLevel::Unknown,
        rolling_shutter_detected: false,
    };
    FootageProbe {
        metadata,
        path: display_path(&spec.caller_path),
        kind: FootageKind::ImageSequence,
        container: Some(first.codec.clone()),
        rate,
        r_frame_rate: None,
        avg_frame_rate: None,
        frame_counts: FrameCounts {
            header: None,
            from_duration: None,
            exact: Some(sequence.frame_count),
            used: FrameCountSource::FrameRange,
        },
        vfr: VfrReport {
            verdict: VfrVerdict::NotChecked,
            header_rates_disagree: false,
            min_fps: None,
            max_fps: None,
            max_drift_frames: None,
            discontinuity_count: 0,
            discontinuities: Vec::new(),
        },
        timecode: first.exr.as_ref().and_then(|e| e.timecode.clone()),
        orientation: Orientation::UPRIGHT,
        raw_size,
        display_size,
        pixel_aspect,
        field_order: FieldOrder::Progressive,
        pix_fmt: first.pix_fmt.clone(),
        pixel_format,
        colour: Colour::default(),
        hdr: false,
        profile: None,
        audio_streams: Vec::new(),
        creation_time: None,
        bit_rate: None,
        video_bit_rate: None,
        video_stream_index: None,
        time_base: None,
        start_time_seconds: None,
        video_tags: Tags::default(),
        format_tags: Tags::default(),
        packets: None,
        truncation: None,
        sequence: Some(sequence),
    }
}
