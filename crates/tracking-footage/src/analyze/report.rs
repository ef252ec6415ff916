//! [`AnalysisReport`]: what `analyze_footage` returns and `cinematic analyze --json`
//! prints (a public contract: fields are only ever added).

use std::time::Duration;

use serde::Serialize;
use tracking_types::FootageMetadata;

use super::content::{BlurJudgement, SampleMeasurement};
use super::findings::{Finding, TrackabilityRating};
use super::interlace::{IdetSummary, InterlaceVerdict};

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
    /// The motion-blur verdict.
    pub blur: BlurJudgement,
    /// Per-sample measurements (for the `full` tier: one per frame).
    pub samples: Vec<SampleMeasurement>,
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
