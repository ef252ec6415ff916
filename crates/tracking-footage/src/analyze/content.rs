//! Content judgements from sampled frames: per-sample measurements, the clip's own
//! statistics, and the motion-blur verdict (sharpness drops that coincide with motion).
//!
//! Blur is judged relative to the clip itself, never against a universal sharpness
//! number (a foggy plate is not a blurred one):
//! - each sample's *edge spread* (see [`DetailStats::edge_spread_px`]) is compared with
//!   the clip's sharpest samples (the 20th percentile, the *reference*);
//! - a sample is **motion-blurred** when its spread exceeds the reference by
//!   [`BLUR_RATIO`] (and by at least [`BLUR_MARGIN_PX`]) **and** its motion (mean absolute
//!   difference to the next frame) is at least [`MOTION_FLOOR`] and at least
//!   [`MOTION_RATIO`] × the motion of the sharp samples;
//! - when even the reference is soft (≥ [`SOFT_SPREAD_PX`]), the whole clip is soft:
//!   with steady motion throughout (≥ [`STEADY_MOTION`] in most samples) that is motion
//!   blur everywhere, otherwise it is a soft image (focus, scaling or filtering),
//!   reported separately.

use serde::Serialize;
use tracking_types::MotionBlurLevel;

use super::metrics::{Clipping, DetailStats};

/// A sample is blurred when its edge spread is at least this multiple of the reference…
pub(super) const BLUR_RATIO: f64 = 1.5;
/// …and at least this many (analysis) pixels wider.
pub(super) const BLUR_MARGIN_PX: f64 = 0.5;
/// Motion (mean absolute difference, grey levels) below which blur is not motion blur.
pub(super) const MOTION_FLOOR: f64 = 2.0;
/// A blurred sample must move at least this multiple of the sharp samples' motion.
pub(super) const MOTION_RATIO: f64 = 1.5;
/// Edge spread (analysis pixels) of the clip's sharpest samples above which the whole
/// clip counts as soft.
pub(super) const SOFT_SPREAD_PX: f64 = 1.6;
/// Motion (grey levels) a soft clip must show in most samples for its softness to be
/// put down to motion blur (camera moving throughout) rather than focus or filtering.
pub(super) const STEADY_MOTION: f64 = 5.0;
/// Fewer usable samples than this and blur is not judged (level stays unknown).
pub(super) const MIN_SAMPLES: usize = 3;

/// Measurements of one sampled frame (the first of a consecutive pair).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleMeasurement {
    /// Source frame index (0-based; for sequences, the frame number on disk).
    pub frame: i64,
    /// Variance of the Laplacian at analysis size.
    pub laplacian_variance: f64,
    /// Edge spread in analysis pixels, when the frame has enough detail.
    pub edge_spread_px: Option<f64>,
    /// Mean absolute difference to the next frame (grey levels), when it was decoded.
    pub motion: Option<f64>,
    /// Exposure clipping fractions.
    pub clipping: Clipping,
    /// Combing score (see `metrics::comb_score`).
    pub comb: Option<f64>,
}

impl SampleMeasurement {
    /// Build from the frame's detail statistics and the other measurements.
    pub fn new(
        frame: i64,
        detail: DetailStats,
        motion: Option<f64>,
        clipping: Clipping,
        comb: Option<f64>,
    ) -> Self {
        Self {
            frame,
            laplacian_variance: detail.laplacian_variance,
            edge_spread_px: detail.edge_spread_px(),
            motion,
            clipping,
            comb,
        }
    }
}

/// The blur verdict with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlurJudgement {
    /// The level written into `FootageMetadata::motion_blur_level`.
    pub level: MotionBlurLevel,
    /// True when the whole clip is soft without motion to explain it.
    pub soft_image: bool,
    /// Edge spread of the clip's sharpest samples (20th percentile), analysis pixels.
    pub reference_edge_spread_px: Option<f64>,
    /// Median edge spread, analysis pixels.
    pub median_edge_spread_px: Option<f64>,
    /// Median motion over the samples, grey levels.
    pub median_motion: Option<f64>,
    /// Samples judged motion-blurred (their frame indices).
    pub blurred_frames: Vec<i64>,
    /// Samples with enough detail and a motion measurement.
    pub usable_samples: usize,
}

/// Linear-interpolated percentile `p` (0–1) of `values` (any order). `None` if empty.
pub(super) fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let pos = p.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// Judge motion blur over a clip's samples.
pub(super) fn judge_blur(samples: &[SampleMeasurement]) -> BlurJudgement {
    let usable: Vec<(i64, f64, f64)> = samples
        .iter()
        .filter_map(|s| Some((s.frame, s.edge_spread_px?, s.motion?)))
        .collect();
    let spreads: Vec<f64> = usable.iter().map(|u| u.1).collect();
    let motions: Vec<f64> = usable.iter().map(|u| u.2).collect();
    let reference = percentile(&spreads, 0.2);
    let median_spread = percentile(&spreads, 0.5);
    let median_motion = percentile(&motions, 0.5);
    let mut judgement = BlurJudgement {
        level: MotionBlurLevel::Unknown,
        soft_image: false,
        reference_edge_spread_px: reference,
        median_edge_spread_px: median_spread,
        median_motion,
        blurred_frames: Vec::new(),
        usable_samples: usable.len(),
    };
    let (Some(reference), Some(median_motion)) = (reference, median_motion) else {
        return judgement;
    };
    if usable.len() < MIN_SAMPLES {
        return judgement;
    }
    if reference >= SOFT_SPREAD_PX {
        // Soft throughout: motion blur only if the clip moves throughout.
        let moving = motions.iter().filter(|&&m| m >= STEADY_MOTION).count();
        if moving * 2 > usable.len() {
            judgement.level = MotionBlurLevel::High;
            judgement.blurred_frames = usable
                .iter()
                .filter(|u| u.2 >= STEADY_MOTION)
                .map(|u| u.0)
                .collect();
        } else {
            judgement.level = MotionBlurLevel::Low;
            judgement.soft_image = true;
        }
        return judgement;
    }
    let blur_limit = (reference * BLUR_RATIO).max(reference + BLUR_MARGIN_PX);
    let sharp_motion: Vec<f64> = usable
        .iter()
        .filter(|u| u.1 < blur_limit)
        .map(|u| u.2)
        .collect();
    let sharp_motion = percentile(&sharp_motion, 0.5).unwrap_or(median_motion);
    let motion_limit = MOTION_FLOOR.max(sharp_motion * MOTION_RATIO);
    judgement.blurred_frames = usable
        .iter()
        .filter(|u| u.1 >= blur_limit && u.2 >= motion_limit)
        .map(|u| u.0)
        .collect();
    let fraction = judgement.blurred_frames.len() as f64 / usable.len() as f64;
    judgement.level = if fraction >= 0.3 {
        MotionBlurLevel::High
    } else if fraction >= 0.1 && judgement.blurred_frames.len() >= 2 {
        MotionBlurLevel::Medium
    } else {
        MotionBlurLevel::Low
    };
    judgement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(frame: i64, spread: f64, motion: f64) -> SampleMeasurement {
        SampleMeasurement {
            frame,
            laplacian_variance: 100.0 / (spread * spread),
            edge_spread_px: Some(spread),
            motion: Some(motion),
            clipping: Clipping {
                crushed_blacks: 0.0,
                clipped_whites: 0.0,
            },
            comb: None,
        }
    }

    #[test]
    fn percentile_interpolates_between_sorted_values() {
        assert_eq!(percentile(&[3.0, 1.0, 2.0, 4.0, 5.0], 0.5), Some(3.0));
        assert_eq!(percentile(&[1.0, 2.0], 0.25), Some(1.25));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn a_uniformly_sharp_clip_has_low_blur_and_no_blurred_frames() {
        let samples: Vec<_> = (0..20)
            .map(|i| sample(i * 10, 0.7 + 0.01 * i as f64, 8.0))
            .collect();
        let j = judge_blur(&samples);
        assert_eq!(j.level, MotionBlurLevel::Low);
        assert!(j.blurred_frames.is_empty());
        assert!(!j.soft_image);
    }

    #[test]
    fn sharpness_drops_during_fast_motion_are_motion_blur() {
        let samples: Vec<_> = (0..20)
            .map(|i| {
                if (8..16).contains(&i) {
                    sample(i, 2.5, 30.0)
                } else {
                    sample(i, 0.7, 1.0)
                }
            })
            .collect();
        let j = judge_blur(&samples);
        assert_eq!(j.level, MotionBlurLevel::High);
        assert_eq!(j.blurred_frames, (8..16).collect::<Vec<_>>());
    }

    #[test]
    fn soft_frames_without_motion_are_not_motion_blur() {
        let samples: Vec<_> = (0..20)
            .map(|i| {
                if i % 5 == 0 {
                    sample(i, 2.5, 0.5)
                } else {
                    sample(i, 0.7, 0.5)
                }
            })
            .collect();
        let j = judge_blur(&samples);
        assert_eq!(j.level, MotionBlurLevel::Low);
        assert!(j.blurred_frames.is_empty());
    }

    #[test]
    fn a_soft_static_clip_is_a_soft_image_not_motion_blur() {
        let samples: Vec<_> = (0..20).map(|i| sample(i, 3.0, 2.5)).collect();
        let j = judge_blur(&samples);
        assert!(j.soft_image);
        assert_eq!(j.level, MotionBlurLevel::Low);
    }

    #[test]
    fn a_soft_clip_moving_throughout_is_high_motion_blur() {
        let samples: Vec<_> = (0..20).map(|i| sample(i, 3.0, 12.0)).collect();
        let j = judge_blur(&samples);
        assert!(!j.soft_image);
        assert_eq!(j.level, MotionBlurLevel::High);
        assert_eq!(j.blurred_frames.len(), 20);
    }

    #[test]
    fn two_blurred_samples_of_twenty_are_medium() {
        let samples: Vec<_> = (0..20)
            .map(|i| {
                if i == 3 || i == 11 {
                    sample(i, 2.0, 20.0)
                } else {
                    sample(i, 0.7, 2.0)
                }
            })
            .collect();
        let j = judge_blur(&samples);
        assert_eq!(j.level, MotionBlurLevel::Medium);
        assert_eq!(j.blurred_frames, [3, 11]);
    }

    #[test]
    fn too_few_samples_leave_the_level_unknown() {
        let j = judge_blur(&[sample(0, 0.7, 1.0), sample(1, 3.0, 30.0)]);
        assert_eq!(j.level, MotionBlurLevel::Unknown);
    }
}
