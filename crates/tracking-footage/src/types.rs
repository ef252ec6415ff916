//! The result types of a probe: [`FootageProbe`] and everything it holds, and the
//! [`ProbeOptions`] that shape it.
//!
//! The original [`FootageMetadata`] fields are flattened into the probe result (so
//! JSON consumers of the original keep working) and the richer fields follow. Plain
//! data: the code that fills these lives in `movie`, `packets` and `sequence`, the
//! entry points in `probe`.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tracking_types::{FootageInfo, FootageMetadata, Frame};

use crate::ffprobe_json::Tags;
use crate::orientation::Orientation;
use crate::pix_fmt::PixelFormatInfo;
use crate::process::DEFAULT_TIMEOUT;
use crate::rational::{FrameRate, Rational};
use crate::timecode::Timecode;

/// How to probe.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeOptions {
    /// Run the packet pass too (exact frame count, VFR test, keyframe interval,
    /// truncation check). One more ffprobe run that reads the whole file's packets
    /// (no decoding).
    pub deep: bool,
    /// Use this ffprobe instead of discovering one (see [`find_tool`](crate::find_tool)).
    pub ffprobe: Option<PathBuf>,
    /// Wall-clock limit per ffprobe run.
    pub timeout: Duration,
    /// Frame rate of an image sequence whose headers carry none. Never used to
    /// override a movie's own rate.
    pub sequence_frame_rate: Option<Rational>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            deep: false,
            ffprobe: None,
            timeout: DEFAULT_TIMEOUT,
            sequence_frame_rate: None,
        }
    }
}

impl ProbeOptions {
    /// Default options with the packet pass switched on.
    pub fn deep() -> Self {
        Self {
            deep: true,
            ..Self::default()
        }
    }
}

/// What kind of footage a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FootageKind {
    /// A movie file (mov, mp4, mxf, mkv …).
    Movie,
    /// A numbered image sequence (or a single numbered image).
    ImageSequence,
}

/// Frame counts from each source; `FootageMetadata::duration_frames` takes the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameCounts {
    /// The container's `nb_frames` (absent for MKV/WebM/TS; can lie on truncated files).
    pub header: Option<u64>,
    /// Duration × frame rate, rounded.
    pub from_duration: Option<u64>,
    /// Counted packets (deep mode) or files (sequences): exact.
    pub exact: Option<u64>,
    /// Which of the above `duration_frames` uses.
    pub used: FrameCountSource,
}

/// Which frame count was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameCountSource {
    /// The exact count.
    Exact,
    /// The header's `nb_frames`.
    Header,
    /// Duration × rate.
    FromDuration,
    /// `first..=last` of an image sequence (missing frames included in the span).
    FrameRange,
}

/// Constant or variable frame rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VfrVerdict {
    /// Every timestamp sits within half a frame of the constant-rate grid.
    Constant,
    /// Timestamps drift off the constant-rate grid by more than half a frame.
    Variable,
    /// Not tested (needs the packet pass: `deep`).
    NotChecked,
}

/// A place where the time to the next frame is far from one frame duration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Discontinuity {
    /// Display-order index (0-based) of the frame after the jump.
    pub frame: u64,
    /// Presentation time of that frame, seconds from the first frame.
    pub at_seconds: f64,
    /// Time since the previous frame, in frame durations (1.0 is normal).
    pub gap_frames: f64,
}

/// Most discontinuities listed individually; the count is always complete.
pub const MAX_LISTED_DISCONTINUITIES: usize = 100;

/// Result of the VFR test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VfrReport {
    /// The verdict.
    pub verdict: VfrVerdict,
    /// `r_frame_rate` and `avg_frame_rate` disagree (a hint only; not a verdict).
    pub header_rates_disagree: bool,
    /// Lowest instantaneous rate (1 / longest frame interval), deep mode only.
    pub min_fps: Option<f64>,
    /// Highest instantaneous rate (1 / shortest frame interval), deep mode only.
    pub max_fps: Option<f64>,
    /// Largest distance of a frame from the constant-rate grid, in frames.
    pub max_drift_frames: Option<f64>,
    /// Number of discontinuities (intervals under 0.5 or over 1.5 frame durations).
    pub discontinuity_count: u64,
    /// The first [`MAX_LISTED_DISCONTINUITIES`] discontinuities.
    pub discontinuities: Vec<Discontinuity>,
}

/// Field order (interlacing) as the stream header states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldOrder {
    /// Progressive frames.
    Progressive,
    /// Interlaced, top field first (`tt`).
    TopFieldFirst,
    /// Interlaced, bottom field first (`bb`).
    BottomFieldFirst,
    /// Interlaced, top coded first, bottom displayed first (`tb`).
    TopCodedBottomFirst,
    /// Interlaced, bottom coded first, top displayed first (`bt`).
    BottomCodedTopFirst,
    /// The header does not say.
    Unknown,
}

impl FieldOrder {
    /// From ffprobe's `field_order`.
    pub fn from_ffprobe(text: Option<&str>) -> Self {
        match text {
            Some("progressive") => Self::Progressive,
            Some("tt") => Self::TopFieldFirst,
            Some("bb") => Self::BottomFieldFirst,
            Some("tb") => Self::TopCodedBottomFirst,
            Some("bt") => Self::BottomCodedTopFirst,
            _ => Self::Unknown,
        }
    }

    /// True for any interlaced order.
    pub fn is_interlaced(self) -> bool {
        !matches!(self, Self::Progressive | Self::Unknown)
    }
}

/// Colour description from the stream header; absent fields were not stated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colour {
    /// `tv` (limited) or `pc` (full).
    pub range: Option<String>,
    /// Primaries, e.g. `bt709`, `bt2020`.
    pub primaries: Option<String>,
    /// Transfer, e.g. `bt709`, `smpte2084`, `arib-std-b67`.
    pub transfer: Option<String>,
    /// Matrix coefficients (ffprobe's `color_space`), e.g. `bt709`.
    pub matrix: Option<String>,
}

/// One audio stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioStream {
    /// Stream index in the file.
    pub index: u32,
    /// Codec name.
    pub codec: Option<String>,
    /// Sample rate in Hz.
    pub sample_rate: Option<u32>,
    /// Channel count.
    pub channels: Option<u32>,
    /// Channel layout, e.g. `stereo`.
    pub channel_layout: Option<String>,
    /// Duration in seconds.
    pub duration_seconds: Option<f64>,
}

/// A file shorter than its header says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncation {
    /// Frames the header promises.
    pub header_frames: u64,
    /// Complete frames actually in the file.
    pub file_frames: u64,
    /// Packets cut off at the end of the file (read partially).
    pub partial_packets: u64,
    /// `header says 120, file holds 118`.
    pub message: String,
}

/// Everything a probe learns. The original [`FootageMetadata`] fields come first
/// (flattened in JSON), then the richer ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FootageProbe {
    /// The original metadata, every field filled truthfully: `bit_depth` is `0` when
    /// the pixel format is unknown and `bits_per_raw_sample` absent (never a guessed 8), `color_space` is empty when the
    /// file does not state it, and `camera_model`/`focal_length`/`iso` are only set
    /// from tags that carry them. `duration_frames` is the best count available (see
    /// [`FrameCounts::used`]); for sequences it spans `first..=last`.
    #[serde(flatten)]
    pub metadata: FootageMetadata,
    /// The path as the caller gave it (lossy UTF-8 for display; the caller keeps the
    /// original `Path`).
    pub path: String,
    /// Movie or image sequence.
    pub kind: FootageKind,
    /// Container (ffprobe `format_name`, e.g. `mov,mp4,m4a,3gp,3g2,mj2`); the image
    /// format for sequences.
    pub container: Option<String>,
    /// Exact frame rate with its source.
    pub rate: FrameRate,
    /// `r_frame_rate` as the header states it.
    pub r_frame_rate: Option<Rational>,
    /// `avg_frame_rate` as the header states it.
    pub avg_frame_rate: Option<Rational>,
    /// Frame counts by source.
    pub frame_counts: FrameCounts,
    /// Constant/variable frame rate.
    pub vfr: VfrReport,
    /// Start timecode.
    pub timecode: Option<Timecode>,
    /// Display rotation and mirroring.
    pub orientation: Orientation,
    /// Stored `[width, height]`.
    pub raw_size: [u32; 2],
    /// `[width, height]` as displayed: pixel aspect applied to the width, then axes
    /// swapped for 90°/270° rotation.
    pub display_size: [u32; 2],
    /// Pixel (sample) aspect ratio; absent when the file does not say (`0:1`).
    pub pixel_aspect: Option<Rational>,
    /// Field order.
    pub field_order: FieldOrder,
    /// FFmpeg pixel format name.
    pub pix_fmt: Option<String>,
    /// What the pixel format means (bit depth, subsampling, alpha); absent when unknown.
    pub pixel_format: Option<PixelFormatInfo>,
    /// Colour description.
    pub colour: Colour,
    /// High dynamic range: PQ/HLG transfer or mastering-display metadata.
    pub hdr: bool,
    /// Codec profile (e.g. `High`, `HQ`).
    pub profile: Option<String>,
    /// Audio streams.
    pub audio_streams: Vec<AudioStream>,
    /// Creation time as tagged (usually RFC 3339).
    pub creation_time: Option<String>,
    /// Overall bit rate in bits/s.
    pub bit_rate: Option<u64>,
    /// Video stream bit rate in bits/s.
    pub video_bit_rate: Option<u64>,
    /// Index of the video stream used.
    pub video_stream_index: Option<u32>,
    /// Time base of the video stream's timestamps.
    pub time_base: Option<Rational>,
    /// Presentation time of the first video frame, seconds (stream `start_time`, else
    /// the container's).
    pub start_time_seconds: Option<f64>,
    /// Video stream tags (lower-cased keys).
    pub video_tags: Tags,
    /// Container tags (lower-cased keys).
    pub format_tags: Tags,
    /// Packet-pass statistics (deep mode).
    pub packets: Option<PacketStats>,
    /// Set when the file holds fewer frames than its header promises (deep mode).
    pub truncation: Option<Truncation>,
    /// Image-sequence details.
    pub sequence: Option<SequenceInfo>,
}

impl FootageProbe {
    /// The original's compact summary. Movies are numbered from frame 1.
    pub fn footage_info(&self) -> FootageInfo {
        let (frame_start, frame_end) = match &self.sequence {
            Some(seq) => (seq.first_frame, seq.last_frame),
            None => {
                let count = i64::try_from(self.metadata.duration_frames).unwrap_or(i64::MAX);
                (1, count.max(1))
            }
        };
        FootageInfo {
            source_path: self.path.clone(),
            width: self.raw_size[0],
            height: self.raw_size[1],
            frame_start,
            frame_end,
            fps: self.rate.fps,
            duration_seconds: self.metadata.duration_seconds,
            colorspace: self.metadata.color_space.clone(),
            codec: self.metadata.codec.clone(),
            has_alpha: self.pixel_format.as_ref().is_some_and(|p| p.has_alpha),
            is_sequence: self.kind == FootageKind::ImageSequence,
        }
    }
}

/// What the packet pass measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketStats {
    /// Packets listed (including partial ones).
    pub packet_count: u64,
    /// Packets cut off by the end of the file.
    pub partial_packets: u64,
    /// Keyframe packets.
    pub keyframes: u64,
    /// Shortest distance between keyframes, in packets (decode order).
    pub keyframe_interval_min: Option<u64>,
    /// Longest distance between keyframes, in packets.
    pub keyframe_interval_max: Option<u64>,
    /// Time base of the timestamps.
    pub time_base: Rational,
    /// Time from the first to the end of the last frame, seconds.
    pub span_seconds: Option<f64>,
    /// Complete frames over the span.
    pub mean_fps: Option<f64>,
}

/// Most missing frames listed individually; the count is always complete.
pub const MAX_LISTED_MISSING: usize = 1000;

/// What one frame file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameHeader {
    /// Frame number.
    pub frame: Frame,
    /// File name.
    pub file: String,
    /// Width (EXR: display window).
    pub width: u32,
    /// Height (EXR: display window).
    pub height: u32,
    /// Codec / image format (`exr`, `png`, `dpx` …).
    pub codec: String,
    /// FFmpeg pixel format (non-EXR frames).
    pub pix_fmt: Option<String>,
    /// Bits per component.
    pub bit_depth: u32,
    /// EXR header details.
    pub exr: Option<ExrHeaderInfo>,
}

/// What a probe knows of an image sequence whose headers carry no frame rate when the
/// caller gave none ([`crate::probe_unrated`]): frames, gaps, resolution and pixel
/// format, with the rate unknown (`frame_rate` and `fps` are `null` in JSON). It is
/// not a [`FootageProbe`]: nothing that needs a rate (durations in seconds,
/// [`FootageMetadata`](tracking_types::FootageMetadata)) can be made from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnratedSequence {
    /// The path as the caller gave it.
    pub path: String,
    /// Always [`FootageKind::ImageSequence`].
    pub kind: FootageKind,
    /// The frames' codec / image format (`exr`, `png`, …).
    pub codec: String,
    /// Stored `[width, height]` of the first frame.
    pub resolution: [u32; 2],
    /// `[width, height]` as displayed (pixel aspect applied).
    pub display_size: [u32; 2],
    /// Pixel aspect ratio, when the header states one.
    pub pixel_aspect: Option<Rational>,
    /// FFmpeg pixel format name (non-EXR frames).
    pub pix_fmt: Option<String>,
    /// What the pixel format means.
    pub pixel_format: Option<PixelFormatInfo>,
    /// Bits per sample (0 when unknown).
    pub bit_depth: u32,
    /// Frames spanned, first to last.
    pub duration_frames: u64,
    /// Always `None`: the rate is unknown.
    pub frame_rate: Option<Rational>,
    /// Always `None`: the rate is unknown.
    pub fps: Option<f64>,
    /// Start timecode from an EXR header.
    pub timecode: Option<Timecode>,
    /// The frames: pattern, range, gaps, first and last headers.
    pub sequence: SequenceInfo,
    /// `frame_rate_unknown` (how to give the rate), then gaps, mixed resolutions and
    /// mixed paddings when the frames show them.
    pub findings: Vec<crate::analyze::Finding>,
}

/// An image sequence's layout and health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceInfo {
    /// Directory holding the frames.
    pub directory: String,
    /// `plate.%04d.exr`.
    pub printf_pattern: String,
    /// `plate.####.exr`.
    pub hash_pattern: String,
    /// Digits of zero padding.
    pub padding: usize,
    /// First frame number.
    pub first_frame: Frame,
    /// Last frame number.
    pub last_frame: Frame,
    /// Frame files present.
    pub frame_count: u64,
    /// Missing frames between first and last (the first [`MAX_LISTED_MISSING`]).
    pub missing_frames: Vec<Frame>,
    /// How many frames are missing in all.
    pub missing_count: u64,
    /// fileseq-style range of the present frames: `1001-1010,1012`.
    pub frame_range: String,
    /// Whether any frame number is negative.
    pub has_negative_frames: bool,
    /// Frames whose file is empty (0 bytes).
    pub empty_frames: Vec<Frame>,
    /// The first frame's header.
    pub first: FrameHeader,
    /// The last frame's header.
    pub last: FrameHeader,
    /// Set when first and last frame differ in size or pixel format.
    pub mismatch: Option<String>,
    /// Set when frames of this name exist with other paddings (`m.1.exr`,
    /// `m.02.exr`, `m.0003.exr`): fileseq and ffmpeg read each padding as a sequence
    /// of its own, so only the frames of [`padding`](Self::padding) are this sequence.
    /// Absent (and left out of the JSON) when every frame has the one padding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed_padding: Option<MixedPadding>,
}

/// Frames of one name found with several paddings, and which padding was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixedPadding {
    /// The padding used for the sequence.
    pub padding: usize,
    /// Why that padding was used.
    pub choice: PaddingChoice,
    /// Every padding found, narrowest first (the used one included).
    pub groups: Vec<PaddingGroup>,
    /// One sentence naming the paddings, their frame counts and the choice.
    pub message: String,
}

/// Why a sequence with mixed paddings was read at the padding it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaddingChoice {
    /// The caller's pattern named it (`m.%04d.exr`, `m.####.exr`).
    Named,
    /// The caller named a frame file; its padding group was used.
    GivenFrame,
    /// Nothing named one (a directory, `%d`): the group with the most frames, the
    /// narrowest padding on a tie.
    LargestGroup,
}

/// The frames of one name at one padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaddingGroup {
    /// Digits of zero padding.
    pub padding: usize,
    /// `m.####.exr`.
    pub hash_pattern: String,
    /// Frame files in the group.
    pub frame_count: u64,
    /// fileseq-style range of the group's frames.
    pub frame_range: String,
    /// Whether this is the group the sequence was read from.
    pub used: bool,
}

/// A rectangle in pixel coordinates: `[x, y, width, height]`.
pub type ExrWindow = [i64; 4];

/// One channel of an EXR part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExrChannel {
    /// Channel name (`R`, `G`, `B`, `A`, `Z`, `diffuse.R` …).
    pub name: String,
    /// `half`, `float` or `uint`.
    pub sample_type: String,
}

/// What an EXR header says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExrHeaderInfo {
    /// Channels of the first part.
    pub channels: Vec<ExrChannel>,
    /// Bits of the widest channel (16 for half, 32 for float/uint).
    pub bit_depth: u32,
    /// Whether there is an `A` (or `*.A`) channel.
    pub has_alpha: bool,
    /// Pixels actually stored.
    pub data_window: ExrWindow,
    /// The image format (what a comp treats as the frame).
    pub display_window: ExrWindow,
    /// Pixel aspect ratio.
    pub pixel_aspect: f32,
    /// Compression method.
    pub compression: String,
    /// `framesPerSecond` attribute.
    pub frames_per_second: Option<Rational>,
    /// `timeCode` attribute.
    pub timecode: Option<Timecode>,
    /// Number of parts (multi-part files).
    pub parts: usize,
}
