//! Metadata checks: findings that follow from what the probe (or the sequence scan)
//! says about the footage, before any pixel is looked at.
//!
//! The checks read [`ClipFacts`], a flat summary filled from the probe result, so each
//! rule is a small pure function tested on its own.

use std::collections::BTreeMap;

use super::findings::{Finding, FindingCode, Severity};
use super::interlace::{IdetSummary, InterlaceVerdict};
use super::report::{CombEvidence, CombVerdict, CompressionEvidence, ContentSummary};
use crate::types::MixedPadding;

/// Variable-frame-rate evidence from a packet/pts pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct VfrFacts {
    /// Lowest instantaneous frame rate seen.
    pub min_fps: f64,
    /// Highest instantaneous frame rate seen.
    pub max_fps: f64,
    /// How many discontinuities there are in all.
    pub discontinuity_count: u64,
    /// Frame indices (0-based, presentation order) after each jump (the first 100).
    pub discontinuity_frames: Vec<i64>,
}

/// Image-sequence facts from the directory scan.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SequenceFacts {
    /// First frame number on disk.
    pub first: i64,
    /// Last frame number on disk.
    pub last: i64,
    /// Missing frame numbers between first and last (possibly only the first ones).
    pub missing: Vec<i64>,
    /// How many frames are missing in all.
    pub missing_count: u64,
    /// `[width, height]` of the first and the last frame when they differ.
    pub mismatched_resolution: Option<([u32; 2], [u32; 2])>,
    /// The paddings found when frames of the name have several.
    pub mixed_padding: Option<MixedPadding>,
}

/// Everything the metadata checks look at. Unknown facts are `None`/empty, and a check
/// whose facts are unknown stays silent (we never warn on a guess).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ClipFacts {
    /// Coded width in pixels.
    pub width: u32,
    /// Coded height in pixels.
    pub height: u32,
    /// Frames per second.
    pub fps: Option<f64>,
    /// Codec name (ffprobe `codec_name`).
    pub codec: String,
    /// Codec profile (ffprobe `profile`), e.g. `High`, `High 4:4:4 Intra`.
    pub profile: Option<String>,
    /// Pixel format, e.g. `yuv420p`.
    pub pix_fmt: Option<String>,
    /// Chroma subsampling, e.g. `4:2:0`.
    pub chroma_subsampling: Option<String>,
    /// Bits per component.
    pub bit_depth: Option<u32>,
    /// Field order as ffprobe spells it (`progressive`, `tt`, `bb`, `tb`, `bt`).
    pub field_order: Option<String>,
    /// Video bit rate in bits per second (stream, else container).
    pub bit_rate: Option<u64>,
    /// Largest keyframe interval in frames, when a packet pass measured it.
    pub max_keyframe_interval: Option<u64>,
    /// Display rotation, degrees clockwise (0/90/180/270).
    pub rotation_cw: i32,
    /// Horizontal flip in the display matrix.
    pub hflip: bool,
    /// Vertical flip in the display matrix.
    pub vflip: bool,
    /// Sample (pixel) aspect ratio `num:den`, when the file states one.
    pub sample_aspect: Option<(u32, u32)>,
    /// Colour transfer characteristic (`smpte2084`, `arib-std-b67`, `bt709`, …).
    pub color_transfer: Option<String>,
    /// Camera make tag.
    pub make: Option<String>,
    /// Camera model tag.
    pub model: Option<String>,
    /// Other tags, keys lower-cased (e.g. `com.android.capture.fps`).
    pub tags: BTreeMap<String, String>,
    /// Frame count the header claims.
    pub header_frames: Option<u64>,
    /// Frame count actually present (packet pass).
    pub counted_frames: Option<u64>,
    /// VFR evidence, when the stream is variable-rate.
    pub vfr: Option<VfrFacts>,
    /// Image-sequence facts, for sequences.
    pub sequence: Option<SequenceFacts>,
}

/// Codecs that store every frame independently (no GOP to speak of).
const INTRA_CODECS: &[&str] = &[
    "prores", "dnxhd", "mjpeg", "jpeg2000", "png", "exr", "tiff", "dpx", "cfhd", "v210",
    "rawvideo", "ffv1", "huffyuv", "utvideo", "qtrle", "dvvideo", "sgi", "bmp", "jpegls",
];

/// Inter-frame (long-GOP capable) codecs.
const LONG_GOP_CODECS: &[&str] = &[
    "h264",
    "hevc",
    "mpeg2video",
    "mpeg4",
    "vp8",
    "vp9",
    "av1",
    "mpeg1video",
    "h263",
];

/// Phone makers as they appear in make tags (lower case).
const PHONE_MAKES: &[&str] = &[
    "apple",
    "samsung",
    "google",
    "xiaomi",
    "oneplus",
    "huawei",
    "oppo",
    "vivo",
    "motorola",
    "nokia",
    "honor",
    "realme",
    "lg electronics",
    "htc",
    "asus",
    "nothing",
];

/// Makers of DSLR/mirrorless/action cameras (CMOS rolling shutters).
const ROLLING_SHUTTER_CAMERA_MAKES: &[&str] = &[
    "canon",
    "nikon",
    "sony",
    "panasonic",
    "fujifilm",
    "olympus",
    "om digital",
    "gopro",
    "dji",
    "insta360",
    "leica",
    "sigma",
    "pentax",
    "ricoh",
    "blackmagic",
    "z cam",
];

/// Run every check of the facts, with the content evidence the interlace and
/// compression checks weigh them against.
pub(super) fn metadata_findings(
    facts: &ClipFacts,
    idet: Option<&IdetSummary>,
    content: Option<&ContentSummary>,
) -> Vec<Finding> {
    [
        interlace(facts, idet, content.map(|c| &c.combing)),
        vfr(facts),
        long_gop(facts),
        content.and_then(|c| low_bitrate(facts, &c.compression, c.median_motion)),
        rotation(facts),
        pixel_aspect(facts),
        anamorphic_raster(facts),
        low_resolution(facts),
        rolling_shutter(facts),
        phone_stabilisation(facts),
        slow_motion(facts),
        hdr_or_log(facts),
        truncated(facts),
        sequence_gaps(facts),
        mixed_resolution(facts),
        mixed_padding(facts),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn flagged_interlaced(facts: &ClipFacts) -> bool {
    matches!(
        facts.field_order.as_deref(),
        Some("tt" | "bb" | "tb" | "bt")
    )
}

/// Interlacing (critical when the content is interlaced) and pulldown.
///
/// `idet`'s verdict decides when it ran and decided, unless the combing measured on
/// full-height frames contradicts a positive one (moving pixels that do not comb);
/// otherwise the combing decides (an image sequence, or `idet` undetermined), and the
/// container flag only says what to check.
pub(super) fn interlace(
    facts: &ClipFacts,
    idet: Option<&IdetSummary>,
    combing: Option<&CombEvidence>,
) -> Option<Finding> {
    let flag = facts
        .field_order
        .clone()
        .unwrap_or_else(|| "unknown".to_owned());
    let idet_verdict = idet
        .map(IdetSummary::verdict)
        .filter(|v| *v != InterlaceVerdict::Undetermined);
    let pixel_verdict = combing.and_then(|c| match c.verdict {
        CombVerdict::Combed => Some(InterlaceVerdict::InterlacedTff),
        CombVerdict::Intermittent => Some(InterlaceVerdict::Pulldown),
        CombVerdict::Progressive => Some(InterlaceVerdict::Progressive),
        CombVerdict::Undetermined => None,
    });
    // Interlaced content combs wherever it moves: when the moving pixels measured at
    // full height do not comb, an `idet` verdict of interlace or pulldown (which also
    // reacts to fine static line detail) is not confirmed.
    let idet_verdict = match (idet_verdict, pixel_verdict) {
        (
            Some(
                InterlaceVerdict::InterlacedTff
                | InterlaceVerdict::InterlacedBff
                | InterlaceVerdict::Pulldown,
            ),
            Some(InterlaceVerdict::Progressive),
        ) => Some(InterlaceVerdict::Progressive),
        (v, _) => v,
    };
    let verdict = idet_verdict.or(pixel_verdict);
    let from_pixels = idet_verdict.is_none() && pixel_verdict.is_some();
    let with_counts = |f: Finding| {
        let f = match idet {
            Some(s) => f
                .with("idet_tff", s.multi_frame.tff)
                .with("idet_bff", s.multi_frame.bff)
                .with("idet_progressive", s.multi_frame.progressive)
                .with("idet_undetermined", s.multi_frame.undetermined)
                .with(
                    "idet_repeated_fields",
                    s.repeated_fields.map_or(0, |r| r.top + r.bottom),
                ),
            None => f,
        };
        let f = match combing {
            Some(c) => f
                .with("comb_lines", c.lines)
                .with("comb_moving_samples", c.moving_samples as u64)
                .with("comb_combed_samples", c.combed_frames.len() as u64)
                .frames(c.combed_frames.clone()),
            None => f,
        };
        f.with("field_order_flag", flag.as_str())
    };
    match verdict {
        Some(InterlaceVerdict::InterlacedTff) if from_pixels => {
            let c = combing?;
            Some(with_counts(Finding::new(
                FindingCode::Interlaced,
                Severity::Critical,
                format!(
                    "content is interlaced: {} of {} moving sampled frames comb at full height (file flagged {flag})",
                    c.combed_frames.len(),
                    c.moving_samples
                ),
                "deinterlace before tracking (e.g. ffmpeg -vf bwdif or yadif); never track combed frames",
            )))
        }
        Some(InterlaceVerdict::Pulldown) if from_pixels => {
            let c = combing?;
            Some(with_counts(Finding::new(
                FindingCode::Pulldown,
                Severity::Warning,
                format!(
                    "{} of {} moving sampled frames comb and the rest do not, as 3:2 pulldown does (2 frames in 5)",
                    c.combed_frames.len(),
                    c.moving_samples
                ),
                "inverse-telecine to the original progressive frames (ffmpeg -vf fieldmatch,decimate) and track at 23.976 fps",
            )))
        }
        Some(v @ (InterlaceVerdict::InterlacedTff | InterlaceVerdict::InterlacedBff)) => {
            let order = if v == InterlaceVerdict::InterlacedTff {
                "top"
            } else {
                "bottom"
            };
            let mislabelled = !flagged_interlaced(facts);
            let message = if mislabelled {
                format!(
                    "content is interlaced ({order} field first) although the file is flagged {flag}"
                )
            } else {
                format!("content is interlaced ({order} field first)")
            };
            Some(with_counts(Finding::new(
                FindingCode::Interlaced,
                Severity::Critical,
                message,
                format!(
                    "deinterlace before tracking (e.g. ffmpeg -vf bwdif=mode=send_field:parity={} for a field-rate plate, or yadif for frame rate); never track combed frames",
                    if order == "top" { "tff" } else { "bff" }
                ),
            )))
        }
        Some(InterlaceVerdict::Pulldown) => Some(with_counts(Finding::new(
            FindingCode::Pulldown,
            Severity::Warning,
            "repeated fields show 3:2 pulldown (telecined progressive content)",
            "inverse-telecine to the original progressive frames (ffmpeg -vf fieldmatch,decimate) and track at 23.976 fps",
        ))),
        Some(InterlaceVerdict::Progressive) if flagged_interlaced(facts) => {
            Some(with_counts(Finding::new(
                FindingCode::Interlaced,
                Severity::Info,
                format!("flagged interlaced ({flag}) but the content measures progressive"),
                "treat as progressive; do not deinterlace (it would halve vertical detail)",
            )))
        }
        None | Some(InterlaceVerdict::Undetermined) if flagged_interlaced(facts) => {
            Some(with_counts(Finding::new(
                FindingCode::Interlaced,
                Severity::Warning,
                format!("the container flags the video as interlaced ({flag})"),
                "check the frames for combing and deinterlace (bwdif/yadif) before tracking if present",
            )))
        }
        _ => None,
    }
}

/// Variable frame rate, with the frames where the rate changes.
pub(super) fn vfr(facts: &ClipFacts) -> Option<Finding> {
    let v = facts.vfr.as_ref()?;
    let severity = if v.min_fps > 0.0 && v.max_fps / v.min_fps > 1.5 {
        Severity::Critical
    } else {
        Severity::Warning
    };
    Some(
        Finding::new(
            FindingCode::Vfr,
            severity,
            format!(
                "variable frame rate: {:.3}–{:.3} fps, {} discontinuities",
                v.min_fps,
                v.max_fps,
                v.discontinuity_count
            ),
            "conform to a constant rate before tracking (ffmpeg -vf fps=<rate> or -fps_mode cfr) and track the conformed plate; frame numbers in a VFR file do not map to time",
        )
        .with("min_fps", v.min_fps)
        .with("max_fps", v.max_fps)
        .with("discontinuities", v.discontinuity_count)
        .frames(v.discontinuity_frames.iter().copied().take(100).collect()),
    )
}

fn chroma_420(facts: &ClipFacts, pix_fmt: &str) -> bool {
    match facts.chroma_subsampling.as_deref() {
        Some(sub) => sub == "4:2:0",
        None => {
            pix_fmt.starts_with("yuv420")
                || pix_fmt.starts_with("yuvj420")
                || pix_fmt.starts_with("nv12")
        }
    }
}

fn intra_only(facts: &ClipFacts) -> bool {
    INTRA_CODECS.contains(&facts.codec.as_str())
        || facts
            .profile
            .as_deref()
            .is_some_and(|p| p.to_ascii_lowercase().contains("intra"))
        || facts.max_keyframe_interval == Some(1)
}

/// Long-GOP 8-bit 4:2:0 delivery codecs.
pub(super) fn long_gop(facts: &ClipFacts) -> Option<Finding> {
    let pix_fmt = facts.pix_fmt.as_deref()?;
    let long_gop = LONG_GOP_CODECS.contains(&facts.codec.as_str()) && !intra_only(facts);
    if !(long_gop && facts.bit_depth == Some(8) && chroma_420(facts, pix_fmt)) {
        return None;
    }
    let mut f = Finding::new(
        FindingCode::LongGop8bit420,
        Severity::Info,
        format!("{} long-GOP, 8-bit, 4:2:0 ({pix_fmt}): compression noise and half-resolution chroma", facts.codec),
        "ask for the camera original or an intra-frame 10-bit master; otherwise prefer larger pattern areas and avoid tracking in dark, flat regions where blocking is worst",
    )
    .with("codec", facts.codec.as_str())
    .with("pix_fmt", pix_fmt)
    .with("bit_depth", 8u32);
    if let Some(gop) = facts.max_keyframe_interval {
        f = f.with("max_keyframe_interval", gop);
    }
    Some(f)
}

/// Bits per pixel per frame below which a codec family may be starved (a hint only:
/// a static or plain picture needs far fewer bits than a busy moving one).
fn min_bits_per_pixel(facts: &ClipFacts) -> f64 {
    if intra_only(facts) {
        0.5
    } else if matches!(facts.codec.as_str(), "hevc" | "av1" | "vp9") {
        0.03
    } else {
        0.05
    }
}

/// Codecs that lose nothing: no block grid to measure and no compression damage.
const LOSSLESS_CODECS: &[&str] = &[
    "png", "exr", "tiff", "dpx", "rawvideo", "v210", "v410", "r210", "ffv1", "huffyuv", "ffvhuff",
    "utvideo", "qtrle", "bmp", "sgi", "targa", "magicyuv", "gif", "pam", "ppm", "pgm",
];

/// True for a codec whose damage the block-grid measurement can see.
pub(super) fn lossy_codec(facts: &ClipFacts) -> bool {
    !facts.codec.is_empty() && !LOSSLESS_CODECS.contains(&facts.codec.as_str())
}

/// Median blockiness at or above which the frames show block-grid artefacts.
pub(crate) const BLOCKY_WARN: f64 = 1.15;
/// Median blockiness at or above which the block grid dominates the fine detail, so
/// trackers lock onto block edges (critical).
pub(crate) const BLOCKY_CRITICAL: f64 = 1.6;
/// Fewer measured samples than this and blockiness is not judged.
const MIN_BLOCK_SAMPLES: usize = 3;

/// Video bits per pixel per frame, when the bit rate, raster and rate are known.
pub(super) fn bits_per_pixel(facts: &ClipFacts) -> Option<f64> {
    let bit_rate = facts.bit_rate?;
    let fps = facts.fps.filter(|f| *f > 0.0)?;
    let pixels = f64::from(facts.width) * f64::from(facts.height);
    if pixels == 0.0 || facts.sequence.is_some() {
        return None;
    }
    Some(bit_rate as f64 / (pixels * fps))
}

/// Median frame-to-frame change (mean absolute difference, grey levels) at which a
/// clip needs the codec family's full [`min_bits_per_pixel`]; a clip that changes less
/// needs proportionally fewer bits (a static plate almost none).
pub(crate) const FULL_LOAD_MOTION: f64 = 4.0;

/// Compression starved of bits for what there is to code (code `low_bitrate`, kept for
/// compatibility).
///
/// The bits a plate needs scale with how much changes from frame to frame: the
/// threshold is the codec family's bits per pixel ([`min_bits_per_pixel`]) times
/// `min(1, median motion / FULL_LOAD_MOTION)`, so a static plate at a tiny bit rate is
/// fine. Below it, the finding needs evidence on the frames as well: block-grid
/// artefacts (median blockiness ≥ [`BLOCKY_WARN`], see `compression`) or a bit rate
/// under a third of the threshold. It is critical only when the bit rate is under a
/// third of the threshold **and** the block grid dominates (≥ [`BLOCKY_CRITICAL`]):
/// trackers then lock onto block edges.
pub(super) fn low_bitrate(
    facts: &ClipFacts,
    compression: &CompressionEvidence,
    median_motion: Option<f64>,
) -> Option<Finding> {
    let bpp = compression.bits_per_pixel?;
    let motion = median_motion?;
    if !lossy_codec(facts) {
        return None;
    }
    let floor = min_bits_per_pixel(facts);
    let load = (motion / FULL_LOAD_MOTION).clamp(0.0, 1.0);
    let needed = floor * load;
    if bpp >= needed {
        return None;
    }
    let blockiness = (compression.measured_samples >= MIN_BLOCK_SAMPLES)
        .then_some(compression.median_blockiness)
        .flatten();
    let starved = bpp < needed / 3.0;
    let blocky = blockiness.is_some_and(|b| b >= BLOCKY_WARN);
    if !(starved || blocky) {
        return None;
    }
    let severity = if starved && blockiness.is_some_and(|b| b >= BLOCKY_CRITICAL) {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let artefacts = match blockiness {
        Some(b) => format!("; block-grid steps {b:.2}× those inside blocks"),
        None => String::new(),
    };
    let mut f = Finding::new(
        FindingCode::LowBitrate,
        severity,
        format!(
            "{:.3} bits per pixel per frame for {}x{} {} at {:.3} fps that changes {motion:.1} grey levels per frame: it needs ≥ {needed:.3}{artefacts}",
            bpp,
            facts.width,
            facts.height,
            facts.codec,
            facts.fps.unwrap_or(0.0),
        ),
        "find a higher-bit-rate source; a re-encode cannot restore lost detail. Expect feature jitter and trackers snapping to block edges: use larger patterns and fewer, stronger features",
    )
    .with("bits_per_pixel", bpp)
    .with("needed_bits_per_pixel", needed)
    .with("threshold_bits_per_pixel", floor)
    .with("content_load", load)
    .with("median_motion", motion)
    .with("measured_samples", compression.measured_samples as u64)
    .frames(compression.blocky_frames.clone());
    if let Some(rate) = facts.bit_rate {
        f = f.with("bit_rate", rate);
    }
    if let Some(b) = blockiness {
        f = f
            .with("median_blockiness", b)
            .with("max_blockiness", compression.max_blockiness.unwrap_or(b));
    }
    Some(f)
}

/// Rotation or flip in the display matrix.
pub(super) fn rotation(facts: &ClipFacts) -> Option<Finding> {
    let rot = facts.rotation_cw.rem_euclid(360);
    if rot == 0 && !facts.hflip && !facts.vflip {
        return None;
    }
    let mut what = Vec::new();
    if rot != 0 {
        what.push(format!("rotated {rot}° clockwise"));
    }
    if facts.hflip {
        what.push("flipped horizontally".to_owned());
    }
    if facts.vflip {
        what.push("flipped vertically".to_owned());
    }
    Some(
        Finding::new(
            FindingCode::Rotation,
            Severity::Warning,
            format!("the display matrix shows the picture {}", what.join(" and ")),
            "make sure the tracker applies the same orientation as the edit (or bake it: ffmpeg applies the display matrix by default when transcoding); a camera solved on the unrotated raster has swapped film-back axes",
        )
        .with("rotation_cw_deg", f64::from(rot))
        .with("hflip", facts.hflip)
        .with("vflip", facts.vflip),
    )
}

/// Non-square pixels.
pub(super) fn pixel_aspect(facts: &ClipFacts) -> Option<Finding> {
    let (num, den) = facts.sample_aspect?;
    if num == den || num == 0 || den == 0 {
        return None;
    }
    let par = f64::from(num) / f64::from(den);
    Some(
        Finding::new(
            FindingCode::NonSquarePixels,
            Severity::Warning,
            format!("pixel aspect ratio {num}:{den} ({par:.4})"),
            format!("set the pixel aspect to {par:.4} in the tracker (or the film back accordingly) or de-squeeze the plate first; a solve on the squeezed raster gets the wrong focal length"),
        )
        .with("pixel_aspect", par)
        .with("sample_aspect_ratio", format!("{num}:{den}")),
    )
}

/// Rasters that are almost always anamorphic but carry no pixel-aspect flag.
pub(super) fn anamorphic_raster(facts: &ClipFacts) -> Option<Finding> {
    let flagged_square = matches!(facts.sample_aspect, None | Some((1, 1)));
    let known = matches!(
        (facts.width, facts.height),
        (1440, 1080)
            | (1280, 1080)
            | (960, 720)
            | (720, 480)
            | (720, 486)
            | (720, 576)
            | (704, 480)
            | (704, 576)
    );
    if !(flagged_square && known) {
        return None;
    }
    Some(
        Finding::new(
            FindingCode::AnamorphicRaster,
            Severity::Info,
            format!("{}x{} is usually stored with non-square pixels, but the file says square", facts.width, facts.height),
            "check the camera/format's pixel aspect (HDV 1440x1080 is 4:3, DVCPRO HD 1280x1080 is 3:2, SD is 10:11 or 12:11/59:54) and set it in the tracker",
        )
        .with("width", facts.width)
        .with("height", facts.height),
    )
}

/// Fewer than 720 lines (on the shorter side).
pub(super) fn low_resolution(facts: &ClipFacts) -> Option<Finding> {
    let short = facts.width.min(facts.height);
    if short == 0 || short >= 720 {
        return None;
    }
    let severity = if short < 480 {
        Severity::Warning
    } else {
        Severity::Info
    };
    Some(
        Finding::new(
            FindingCode::LowResolution,
            severity,
            format!("{}x{}: fewer than 720 lines limits sub-pixel accuracy", facts.width, facts.height),
            "use the highest-resolution source available; if this is a proxy, track the full-resolution plate",
        )
        .with("width", facts.width)
        .with("height", facts.height),
    )
}

fn make_lower(facts: &ClipFacts) -> Option<String> {
    facts.make.as_deref().map(|m| m.trim().to_ascii_lowercase())
}

fn is_phone(facts: &ClipFacts) -> bool {
    let model = facts.model.as_deref().unwrap_or("").to_ascii_lowercase();
    make_lower(facts).is_some_and(|m| PHONE_MAKES.iter().any(|p| m.starts_with(p)))
        || model.starts_with("iphone")
        || model.starts_with("pixel")
        || model.starts_with("sm-")
        || facts
            .tags
            .keys()
            .any(|k| k.starts_with("com.android.") || k.starts_with("com.apple.quicktime.camera"))
}

fn camera_label(facts: &ClipFacts) -> String {
    match (facts.make.as_deref(), facts.model.as_deref()) {
        (Some(make), Some(model)) => format!("{make} {model}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => "a phone (Android/Apple capture tags)".to_owned(),
    }
}

/// Cameras known to use rolling shutters (evidence: make/model tags).
pub(super) fn rolling_shutter(facts: &ClipFacts) -> Option<Finding> {
    let make = make_lower(facts).unwrap_or_default();
    let model = facts.model.as_deref().unwrap_or("").to_ascii_lowercase();
    let action_or_stills = ROLLING_SHUTTER_CAMERA_MAKES
        .iter()
        .any(|m| make.starts_with(m))
        || model.contains("gopro")
        || model.starts_with("hero");
    if !(is_phone(facts) || action_or_stills) {
        return None;
    }
    let label = camera_label(facts);
    let mut f = Finding::new(
        FindingCode::RollingShutterLikely,
        Severity::Warning,
        format!(
            "shot on {label}: a CMOS rolling shutter is likely (skew on fast pans, wobble on vibration)"
        ),
        "enable the tracker's rolling-shutter compensation (e.g. 3DEqualizer/SynthEyes rolling shutter, Nuke CameraTracker RS correction) and avoid solving on whip pans",
    );
    if let Some(make) = &facts.make {
        f = f.with("make", make.as_str());
    }
    if let Some(model) = &facts.model {
        f = f.with("model", model.as_str());
    }
    Some(f)
}

/// Phones stabilise electronically (per-frame warps that break a rigid camera model).
pub(super) fn phone_stabilisation(facts: &ClipFacts) -> Option<Finding> {
    if !is_phone(facts) {
        return None;
    }
    let mut f = Finding::new(
        FindingCode::PhoneStabilisation,
        Severity::Warning,
        format!(
            "shot on {}: phones usually apply electronic stabilisation (per-frame crop and warp)",
            camera_label(facts)
        ),
        "shoot with stabilisation off when possible; otherwise expect a drifting optical centre and lens distortion: solve with a variable focal length/principal point or track short ranges",
    );
    if let Some(make) = &facts.make {
        f = f.with("make", make.as_str());
    }
    if let Some(model) = &facts.model {
        f = f.with("model", model.as_str());
    }
    Some(f)
}

/// High-frame-rate capture.
pub(super) fn slow_motion(facts: &ClipFacts) -> Option<Finding> {
    let tagged = facts
        .tags
        .get("com.android.capture.fps")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite());
    let capture_fps = match (tagged, facts.fps) {
        (Some(t), _) if t >= 100.0 => t,
        (_, Some(f)) if f >= 100.0 => f,
        _ => return None,
    };
    let mut f = Finding::new(
        FindingCode::SlowMotion,
        Severity::Info,
        format!("high-frame-rate capture at {capture_fps:.2} fps"),
        "track at the file's frame rate; retime the solved camera if the edit uses the clip at another speed, and expect lower resolution/bit rate per frame than normal-speed capture",
    )
    .with("capture_fps", capture_fps);
    if let Some(fps) = facts.fps {
        f = f.with("file_fps", fps);
    }
    Some(f)
}

/// HDR (PQ/HLG) or logarithmic transfer.
pub(super) fn hdr_or_log(facts: &ClipFacts) -> Option<Finding> {
    let transfer = facts.color_transfer.as_deref()?;
    let kind = match transfer {
        "smpte2084" => "HDR PQ (SMPTE ST 2084)",
        "arib-std-b67" => "HDR HLG (ARIB STD-B67)",
        "log100" | "log316" | "log" | "log_sqrt" => "logarithmic",
        _ => return None,
    };
    Some(
        Finding::new(
            FindingCode::HdrOrLog,
            Severity::Info,
            format!("{kind} transfer: the image looks flat to a tracker expecting display-referred video"),
            "make a tracking proxy with a display transform (LUT or ffmpeg zscale/tonemap) for contrast; keep the original for the final render",
        )
        .with("color_transfer", transfer),
    )
}

/// Fewer frames in the file than the header claims.
pub(super) fn truncated(facts: &ClipFacts) -> Option<Finding> {
    let header = facts.header_frames?;
    let counted = facts.counted_frames?;
    if counted >= header {
        return None;
    }
    Some(
        Finding::new(
            FindingCode::Truncated,
            Severity::Critical,
            format!("header says {header} frames, file holds {counted}"),
            "re-copy or re-export the file; a truncated file shortens the shot and shifts anything referenced to the header length",
        )
        .with("header_frames", header)
        .with("counted_frames", counted)
        .frames(vec![counted as i64]),
    )
}

/// Render frame numbers fileseq-style, in any order: `1003-1005,1010`.
pub(super) fn frame_ranges(frames: &[i64]) -> String {
    let mut sorted = frames.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    crate::sequence::frame_range_string(&sorted)
}

/// The findings of an image sequence probed without a frame rate
/// ([`crate::probe_unrated`]): the unknown rate itself (with how to give one), then
/// what the frames show (gaps, mixed resolutions, mixed paddings).
pub(crate) fn unrated_sequence_findings(seq: &crate::types::SequenceInfo) -> Vec<Finding> {
    let facts = ClipFacts {
        width: seq.first.width,
        height: seq.first.height,
        codec: seq.first.codec.clone(),
        sequence: Some(super::facts::sequence_facts_of(seq)),
        ..ClipFacts::default()
    };
    let rate = Finding::new(
        FindingCode::FrameRateUnknown,
        Severity::Warning,
        format!(
            "{}: the frames' headers carry no frame rate, so durations, timecode and a scene's rate are unknown",
            seq.hash_pattern
        ),
        "give the plate's rate: `--fps 24` (or `24000/1001`) on the command line, \
         `sequence_frame_rate` in the API; cinematic never assumes one",
    )
    .with("first_frame", seq.first_frame as f64)
    .with("last_frame", seq.last_frame as f64)
    .with("codec", seq.first.codec.clone());
    std::iter::once(rate)
        .chain(sequence_gaps(&facts))
        .chain(mixed_resolution(&facts))
        .chain(mixed_padding(&facts))
        .collect()
}

/// Missing frames in an image sequence.
pub(super) fn sequence_gaps(facts: &ClipFacts) -> Option<Finding> {
    let seq = facts.sequence.as_ref()?;
    if seq.missing.is_empty() {
        return None;
    }
    let ranges = frame_ranges(&seq.missing);
    Some(
        Finding::new(
            FindingCode::SequenceGaps,
            Severity::Warning,
            format!("{} missing frame(s) in {}-{}: {ranges}", seq.missing_count, seq.first, seq.last),
            format!("re-render or re-copy frames {ranges}; trackers lose or jump features across a gap (fill with held frames only as a last resort)"),
        )
        .with("missing_count", seq.missing_count)
        .with("missing_ranges", ranges)
        .with("first_frame", seq.first as f64)
        .with("last_frame", seq.last as f64)
        .frames(seq.missing.clone()),
    )
}

/// Frames of one sequence with different resolutions.
pub(super) fn mixed_resolution(facts: &ClipFacts) -> Option<Finding> {
    let seq = facts.sequence.as_ref()?;
    let (a, b) = seq.mismatched_resolution?;
    Some(
        Finding::new(
            FindingCode::MixedResolution,
            Severity::Critical,
            format!("frame {} is {}x{} but frame {} is {}x{}", seq.first, a[0], a[1], seq.last, b[0], b[1]),
            "re-render the sequence at one resolution; a tracker assumes a fixed raster and film back",
        )
        .with("first_resolution", format!("{}x{}", a[0], a[1]))
        .with("last_resolution", format!("{}x{}", b[0], b[1]))
        .frames(vec![seq.first, seq.last]),
    )
}

/// Frames of one name with several paddings: one padding was read, the others left out.
pub(super) fn mixed_padding(facts: &ClipFacts) -> Option<Finding> {
    let mixed = facts.sequence.as_ref()?.mixed_padding.as_ref()?;
    let used = mixed.groups.iter().find(|g| g.used);
    let left_out: u64 = mixed
        .groups
        .iter()
        .filter(|g| !g.used)
        .map(|g| g.frame_count)
        .sum();
    let paddings = mixed
        .groups
        .iter()
        .map(|g| format!("{}:{}", g.padding, g.frame_count))
        .collect::<Vec<_>>()
        .join(",");
    let pattern = used.map_or_else(String::new, |g| g.hash_pattern.clone());
    Some(
        Finding::new(
            FindingCode::MixedPadding,
            Severity::Warning,
            mixed.message.clone(),
            format!(
                "rename the frames to one padding (e.g. {pattern}) so every tool reads the same frames; \
                 fileseq, Nuke and ffmpeg each see one sequence per padding"
            ),
        )
        .with("padding_used", mixed.padding as u64)
        .with("paddings", paddings)
        .with("padding_count", mixed.groups.len() as u64)
        .with("frames_used", used.map_or(0, |g| g.frame_count))
        .with("frames_left_out", left_out),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::interlace::{FieldCounts, RepeatedFields};

    fn clean_1080p_prores() -> ClipFacts {
        ClipFacts {
            width: 1920,
            height: 1080,
            fps: Some(24.0),
            codec: "prores".into(),
            profile: Some("HQ".into()),
            pix_fmt: Some("yuv422p10le".into()),
            bit_depth: Some(10),
            field_order: Some("progressive".into()),
            bit_rate: Some(180_000_000),
            sample_aspect: Some((1, 1)),
            color_transfer: Some("bt709".into()),
            ..ClipFacts::default()
        }
    }

    fn codes(findings: &[Finding]) -> Vec<FindingCode> {
        findings.iter().map(|f| f.code).collect()
    }

    fn idet(tff: u64, bff: u64, progressive: u64) -> IdetSummary {
        let counts = FieldCounts {
            tff,
            bff,
            progressive,
            undetermined: 0,
        };
        IdetSummary {
            single_frame: counts,
            multi_frame: counts,
            repeated_fields: Some(RepeatedFields {
                neither: tff + bff + progressive,
                top: 0,
                bottom: 0,
            }),
        }
    }

    #[test]
    fn a_clean_1080p_intra_10_bit_clip_has_no_findings() {
        assert!(metadata_findings(&clean_1080p_prores(), None, None).is_empty());
        let progressive = idet(0, 0, 120);
        assert!(metadata_findings(&clean_1080p_prores(), Some(&progressive), None).is_empty());
    }

    #[test]
    fn interlaced_content_flagged_progressive_is_critical_with_idet_counts() {
        let f = interlace(&clean_1080p_prores(), Some(&idet(50, 0, 0)), None).unwrap();
        assert_eq!(f.code, FindingCode::Interlaced);
        assert_eq!(f.severity, Severity::Critical);
        assert!(f.message.contains("flagged progressive"), "{}", f.message);
        assert_eq!(f.evidence.values["idet_tff"], 50u64.into());
    }

    #[test]
    fn an_interlace_flag_on_progressive_content_is_only_info() {
        let facts = ClipFacts {
            field_order: Some("tt".into()),
            ..clean_1080p_prores()
        };
        let f = interlace(&facts, Some(&idet(0, 0, 100)), None).unwrap();
        assert_eq!(f.severity, Severity::Info);
        let unmeasured = interlace(&facts, None, None).unwrap();
        assert_eq!(unmeasured.severity, Severity::Warning);
    }

    #[test]
    fn vfr_lists_the_discontinuity_frames() {
        let facts = ClipFacts {
            vfr: Some(VfrFacts {
                min_fps: 12.0,
                max_fps: 24.0,
                discontinuity_count: 2,
                discontinuity_frames: vec![12, 24],
            }),
            ..clean_1080p_prores()
        };
        let f = vfr(&facts).unwrap();
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.evidence.frames, [12, 24]);
    }

    #[test]
    fn an_8_bit_420_h264_is_long_gop_but_an_intra_profile_is_not() {
        let mut facts = ClipFacts {
            codec: "h264".into(),
            profile: Some("High".into()),
            pix_fmt: Some("yuv420p".into()),
            bit_depth: Some(8),
            ..clean_1080p_prores()
        };
        assert_eq!(long_gop(&facts).unwrap().code, FindingCode::LongGop8bit420);
        facts.profile = Some("High 4:4:4 Intra".into());
        assert!(long_gop(&facts).is_none());
        facts.profile = Some("High".into());
        facts.max_keyframe_interval = Some(1);
        assert!(long_gop(&facts).is_none());
    }

    fn compression(bits_per_pixel: f64, blockiness: Option<f64>) -> CompressionEvidence {
        CompressionEvidence {
            measured_samples: if blockiness.is_some() { 10 } else { 0 },
            median_blockiness: blockiness,
            max_blockiness: blockiness,
            blocky_frames: Vec::new(),
            bits_per_pixel: Some(bits_per_pixel),
        }
    }

    fn h264() -> ClipFacts {
        ClipFacts {
            codec: "h264".into(),
            bit_rate: Some(1_000_000),
            ..clean_1080p_prores()
        }
    }

    #[test]
    fn a_static_plate_at_a_tiny_bit_rate_is_not_starved() {
        // 0.005 bpp is a tenth of the H.264 floor, but nothing moves.
        assert!(low_bitrate(&h264(), &compression(0.005, Some(1.3)), Some(0.05)).is_none());
    }

    #[test]
    fn a_moving_plate_needs_evidence_on_the_frames_as_well_as_a_low_bit_rate() {
        let facts = h264();
        // Below the floor but above a third of it, and no block grid: no finding.
        assert!(low_bitrate(&facts, &compression(0.03, Some(1.0)), Some(8.0)).is_none());
        // Block-grid artefacts make it a warning, with the evidence.
        let f = low_bitrate(&facts, &compression(0.03, Some(1.3)), Some(8.0)).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        let EvidenceNumber(needed) = number(&f, "needed_bits_per_pixel");
        assert!((needed - 0.05).abs() < 1e-12);
        let EvidenceNumber(b) = number(&f, "median_blockiness");
        assert_eq!(b, 1.3);
        // Starved and dominated by the block grid: critical.
        let f = low_bitrate(&facts, &compression(0.005, Some(1.8)), Some(8.0)).unwrap();
        assert_eq!(f.severity, Severity::Critical);
        // Starved without pixel evidence: a warning only.
        let f = low_bitrate(&facts, &compression(0.005, None), Some(8.0)).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        // Plenty of bits: nothing, however blocky the content looks.
        assert!(low_bitrate(&facts, &compression(0.2, Some(2.0)), Some(8.0)).is_none());
    }

    #[test]
    fn the_bits_needed_scale_with_the_motion() {
        let facts = h264();
        // Half the full-load motion needs half the floor: 0.02 < 0.025 / 3 is not true,
        // 0.02 < 0.025, blocky: warning.
        let f = low_bitrate(&facts, &compression(0.02, Some(1.2)), Some(2.0)).unwrap();
        let EvidenceNumber(load) = number(&f, "content_load");
        assert_eq!(load, 0.5);
        assert!(low_bitrate(&facts, &compression(0.03, Some(1.2)), Some(2.0)).is_none());
    }

    #[test]
    fn lossless_codecs_are_never_starved() {
        let facts = ClipFacts {
            codec: "ffv1".into(),
            ..h264()
        };
        assert!(low_bitrate(&facts, &compression(0.001, None), Some(20.0)).is_none());
    }

    #[test]
    fn pixel_combing_decides_when_idet_did_not_run() {
        let combing = |verdict, combed: usize| CombEvidence {
            lines: 1080,
            moving_samples: 10,
            combed_frames: (0..combed as i64).collect(),
            combed_fraction: Some(combed as f64 / 10.0),
            threshold: 1.0,
            verdict,
        };
        let facts = clean_1080p_prores();
        let f = interlace(&facts, None, Some(&combing(CombVerdict::Combed, 9))).unwrap();
        assert_eq!(
            (f.code, f.severity),
            (FindingCode::Interlaced, Severity::Critical)
        );
        assert_eq!(f.evidence.frames.len(), 9);
        let f = interlace(&facts, None, Some(&combing(CombVerdict::Intermittent, 4))).unwrap();
        assert_eq!(f.code, FindingCode::Pulldown);
        assert!(interlace(&facts, None, Some(&combing(CombVerdict::Progressive, 0))).is_none());
        // idet interlaced, moving pixels progressive: not confirmed.
        assert!(
            interlace(
                &facts,
                Some(&idet(50, 0, 0)),
                Some(&combing(CombVerdict::Progressive, 0))
            )
            .is_none()
        );
        // idet progressive wins over combing pixels.
        let idet_progressive = idet(0, 0, 100);
        assert!(
            interlace(
                &facts,
                Some(&idet_progressive),
                Some(&combing(CombVerdict::Combed, 9))
            )
            .is_none()
        );
    }

    struct EvidenceNumber(f64);

    fn number(f: &Finding, name: &str) -> EvidenceNumber {
        match f.evidence.values[name] {
            crate::analyze::findings::EvidenceValue::Number(n) => EvidenceNumber(n),
            ref other => panic!("{name} is not a number: {other:?}"),
        }
    }

    #[test]
    fn rotation_and_flip_are_reported_together() {
        let facts = ClipFacts {
            rotation_cw: 90,
            hflip: true,
            ..clean_1080p_prores()
        };
        let f = rotation(&facts).unwrap();
        assert!(
            f.message
                .contains("rotated 90° clockwise and flipped horizontally"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_2_to_1_pixel_aspect_is_non_square() {
        let facts = ClipFacts {
            sample_aspect: Some((2, 1)),
            ..clean_1080p_prores()
        };
        let f = pixel_aspect(&facts).unwrap();
        assert_eq!(f.code, FindingCode::NonSquarePixels);
        let EvidenceNumber(par) = number(&f, "pixel_aspect");
        assert_eq!(par, 2.0);
    }

    #[test]
    fn hdv_raster_without_a_pixel_aspect_looks_anamorphic() {
        let facts = ClipFacts {
            width: 1440,
            height: 1080,
            ..clean_1080p_prores()
        };
        assert_eq!(
            anamorphic_raster(&facts).unwrap().code,
            FindingCode::AnamorphicRaster
        );
    }

    #[test]
    fn low_resolution_starts_below_720_lines() {
        let mut facts = ClipFacts {
            width: 1280,
            height: 720,
            ..clean_1080p_prores()
        };
        assert!(low_resolution(&facts).is_none());
        facts.height = 540;
        facts.width = 960;
        assert_eq!(low_resolution(&facts).unwrap().severity, Severity::Info);
        facts.height = 240;
        facts.width = 320;
        assert_eq!(low_resolution(&facts).unwrap().severity, Severity::Warning);
    }

    #[test]
    fn an_iphone_is_rolling_shutter_likely_and_stabilised() {
        let facts = ClipFacts {
            make: Some("Apple".into()),
            model: Some("iPhone 13 Pro".into()),
            ..clean_1080p_prores()
        };
        let found = codes(&metadata_findings(&facts, None, None));
        assert!(found.contains(&FindingCode::RollingShutterLikely));
        assert!(found.contains(&FindingCode::PhoneStabilisation));
    }

    #[test]
    fn a_gopro_is_rolling_shutter_likely_but_not_a_phone() {
        let facts = ClipFacts {
            make: Some("GoPro".into()),
            model: Some("HERO9 Black".into()),
            ..clean_1080p_prores()
        };
        let found = codes(&metadata_findings(&facts, None, None));
        assert_eq!(found, [FindingCode::RollingShutterLikely]);
    }

    #[test]
    fn android_capture_fps_marks_slow_motion() {
        let mut facts = clean_1080p_prores();
        facts
            .tags
            .insert("com.android.capture.fps".into(), "240.000000".into());
        let f = slow_motion(&facts).unwrap();
        let EvidenceNumber(fps) = number(&f, "capture_fps");
        assert_eq!(fps, 240.0);
        facts
            .tags
            .insert("com.android.capture.fps".into(), "30.000000".into());
        assert!(slow_motion(&facts).is_none());
    }

    #[test]
    fn pq_and_hlg_transfers_are_hdr() {
        for t in ["smpte2084", "arib-std-b67"] {
            let facts = ClipFacts {
                color_transfer: Some(t.into()),
                ..clean_1080p_prores()
            };
            assert_eq!(hdr_or_log(&facts).unwrap().code, FindingCode::HdrOrLog);
        }
    }

    #[test]
    fn fewer_counted_than_header_frames_is_truncated() {
        let facts = ClipFacts {
            header_frames: Some(120),
            counted_frames: Some(118),
            ..clean_1080p_prores()
        };
        let f = truncated(&facts).unwrap();
        assert_eq!(f.message, "header says 120 frames, file holds 118");
    }

    #[test]
    fn frame_ranges_collapse_runs() {
        assert_eq!(
            frame_ranges(&[1010, 1003, 1004, 1005, 1012, 1011]),
            "1003-1005,1010-1012"
        );
        assert_eq!(frame_ranges(&[-2, -1, 5]), "-2--1,5");
        assert_eq!(frame_ranges(&[]), "");
    }

    #[test]
    fn sequence_gaps_name_the_missing_frames() {
        let facts = ClipFacts {
            sequence: Some(SequenceFacts {
                first: 1001,
                last: 1010,
                missing: vec![1004, 1005],
                missing_count: 2,
                mismatched_resolution: None,
                mixed_padding: None,
            }),
            ..clean_1080p_prores()
        };
        let f = sequence_gaps(&facts).unwrap();
        assert_eq!(f.evidence.frames, [1004, 1005]);
        assert!(f.message.contains("1004-1005"), "{}", f.message);
    }

    #[test]
    fn mixed_resolution_in_a_sequence_is_critical() {
        let facts = ClipFacts {
            sequence: Some(SequenceFacts {
                first: 1,
                last: 9,
                missing: vec![],
                missing_count: 0,
                mismatched_resolution: Some(([1920, 1080], [1280, 720])),
                mixed_padding: None,
            }),
            ..clean_1080p_prores()
        };
        let f = mixed_resolution(&facts).unwrap();
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.message, "frame 1 is 1920x1080 but frame 9 is 1280x720");
    }
}
