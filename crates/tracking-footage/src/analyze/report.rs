//! [`AnalysisReport`]: what `analyze_footage` returns and `cinematic analyze --json`
//! prints (a public contract: fields are only ever added).

use std::time::Duration;

use serde::Serialize;
use tracking_types::FootageMetadata;

#[cfg(doc)]
use super::compression::Blockiness;
use super::content::{BlurJudgement, SampleMeasurement};
use super::findings::{Finding, TrackabilityRating};
use super::interlace::{IdetSummary, InterlaceVerdict};

/// The version of the analysis method, reported as `method_version` so pipelines can
/// tell verdicts of one method from another's. Version 1 judged blur only against the
/// clip's own statistics, looked for interlacing only when flags or format made it
/// plausible (on reduced-height frames), and judged compression by bits per pixel
/// alone. Version 2 adds direction-aware motion blur, combing measured at the full line
/// count on every analysis, and compression judged by block-grid artefacts against the
/// content.
pub const METHOD_VERSION: u32 = 2;

/// Which analysis tier ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisTier {
    /// Sampled frames only (the default).
    #[default]
    Fast,
    /// Every frame decoded and measured.
    Full,
}

/// How the analysed frames were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleStrategy {
    /// Short clip decoded front to back; exact frame indices selected.
    Sequential,
    /// Fast input seeking to each position (frames snap to keyframes).
    Seek,
    /// Every frame decoded (`full` tier).
    EveryFrame,
    /// Individual files of an image sequence.
    SequenceFiles,
    /// No frames could be sampled (e.g. a one-frame clip).
    None,
}

/// The content measurements over the analysed frames.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentSummary {
    /// How frames were obtained.
    pub strategy: SampleStrategy,
    /// Width of the analysis frames (source scaled to ≤ 960 px).
    pub analysis_width: u32,
    /// Height of the analysis frames.
    pub analysis_height: u32,
    /// Source pixels per analysis pixel (horizontal).
    pub scale: f64,
    /// Number of frames decoded.
    pub frames_decoded: u64,
    /// Median variance of the Laplacian.
    pub median_laplacian_variance: Option<f64>,
    /// Median motion (mean absolute difference of consecutive frames, grey levels).
    pub median_motion: Option<f64>,
    /// Largest motion seen.
    pub max_motion: Option<f64>,
    /// Mean fraction of crushed-black pixels.
    pub mean_crushed_blacks: Option<f64>,
    /// Mean fraction of clipped-white pixels.
    pub mean_clipped_whites: Option<f64>,
    /// Median combing score (> 1 suggests interlaced content).
    pub median_comb: Option<f64>,
    /// Combing measured at the source's full line count, per moving sample.
    pub combing: CombEvidence,
    /// Compression artefacts measured on the decoded frames, and the bit rate.
    pub compression: CompressionEvidence,
    /// The motion-blur verdict.
    pub blur: BlurJudgement,
    /// Per-sample measurements (for the `full` tier: one per frame).
    pub samples: Vec<SampleMeasurement>,
}

/// What the pixels say about pulldown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CombVerdict {
    /// Moving samples do not comb.
    Progressive,
    /// Most moving samples comb: interlaced content.
    Combed,
    /// Some moving samples comb and others do not, as 3:2 pulldown does (2 of 5).
    Intermittent,
    /// Too few moving samples to say.
    Undetermined,
}

/// Combing in the sampled frames, measured at full vertical resolution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CombEvidence {
    /// Lines per frame the combing was measured at (the source's, up to
    /// `sampling::MAX_FULL_LINES`).
    pub lines: u32,
    /// Samples with enough moving pixels to measure combing.
    pub moving_samples: usize,
    /// Moving samples whose combing score exceeds the threshold (frame indices).
    pub combed_frames: Vec<i64>,
    /// `combed_frames` / `moving_samples`.
    pub combed_fraction: Option<f64>,
    /// Combing score a sample must exceed to count as combed.
    pub threshold: f64,
    /// What that means.
    pub verdict: CombVerdict,
}

/// Compression evidence: block-grid artefacts (see [`Blockiness`]) and the bit rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompressionEvidence {
    /// Samples whose blockiness was measured (lossy codecs, frames at the source's
    /// lines).
    pub measured_samples: usize,
    /// Median blockiness ratio (≈ 1.0 clean).
    pub median_blockiness: Option<f64>,
    /// Largest blockiness ratio seen.
    pub max_blockiness: Option<f64>,
    /// Samples at or above the warning ratio (frame indices).
    pub blocky_frames: Vec<i64>,
    /// Video bits per pixel per frame (bit rate / (width × height × fps)), when known.
    pub bits_per_pixel: Option<f64>,
}

/// The `idet` pass, when it ran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterlaceReport {
    /// Why it ran (container flag, broadcast format, combing in samples).
    pub reason: String,
    /// Frames fed to `idet`.
    pub frames_limit: u32,
    /// The parsed counts.
    pub summary: IdetSummary,
    /// What they mean.
    pub verdict: InterlaceVerdict,
}

/// Wall-clock time per analysis stage, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StageTimings {
    /// Probing: the deep probe (header and packet pass) or the sequence scan.
    pub probe_ms: f64,
    /// Decoding sampled (or all) frames (`full` tier: the whole streaming stage).
    pub decode_ms: f64,
    /// Computing metrics in Rust (`full` tier: the busy time per metrics worker, which
    /// overlaps decoding).
    pub metrics_ms: f64,
    /// The `idet` pass (0 when it did not run).
    pub idet_ms: f64,
    /// Everything, end to end.
    pub total_ms: f64,
}

/// Milliseconds in a duration, as a float.
pub(super) fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The result of [`analyze_footage`](super::analyze_footage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisReport {
    /// The analysis method's version ([`METHOD_VERSION`]).
    pub method_version: u32,
    /// The path as the caller gave it (lossy UTF-8 for display).
    pub path: String,
    /// Which tier ran.
    pub tier: AnalysisTier,
    /// Overall trackability.
    pub rating: TrackabilityRating,
    /// Score out of 100 (see `findings::trackability_score`).
    pub score: u32,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// The footage metadata, with `motion_blur_level` measured and
    /// `rolling_shutter_detected` set only with evidence (it means "likely").
    pub metadata: FootageMetadata,
    /// Content measurements.
    pub content: ContentSummary,
    /// The `idet` pass, when interlacing was plausible.
    pub interlace: Option<InterlaceReport>,
    /// Per-stage timings.
    pub timings: StageTimings,
}
