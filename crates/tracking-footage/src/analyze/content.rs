//! Content judgements from sampled frames: per-sample measurements, the clip's own
//! statistics, and the motion-blur verdict.
//!
//! Motion blur is judged on two signals (method version 2):
//! 1. **Directional, absolute** (the primary signal): each sample pair's global motion
//!    is estimated ([`GlobalMotion`]) and the first frame's *smear anisotropy* along
//!    that motion is measured ([`SmearAnisotropy`], see `motion`). A sample that moves
//!    at least `motion::MIN_SPEED_PX` per frame, whose motion the translation explains
//!    (≥ [`MIN_EXPLAINED`]) and the content pins down (≥ [`MIN_CONSTRAINT`]), and whose
//!    edges are smeared along the motion
//!    (anisotropy ≥ [`ANISOTROPY_BLUR`]) is motion-blurred, whatever the rest of the
//!    clip does, so a plate blurred throughout is caught.
//! 2. **Clip-relative** (for blur that comes and goes): each sample's *edge spread*
//!    (see [`DetailStats::edge_spread_px`]) is compared with the clip's sharpest samples
//!    (the 20th percentile, the *reference*); a sample is blurred when its spread
//!    exceeds the reference by [`BLUR_RATIO`] (and by at least [`BLUR_MARGIN_PX`]) **and**
//!    its motion is at least [`MOTION_FLOOR`] and [`MOTION_RATIO`] × the motion of the
//!    sharp samples.
//!
//! An image soft in every direction (reference spread ≥ [`SOFT_SPREAD_PX`]) without a
//! directional smear in most samples is a *soft image* (focus, scaling, filtering),
//! reported as such and never as motion blur, even when the camera moves.

use serde::Serialize;
use tracking_types::MotionBlurLevel;

use super::compression::Blockiness;
use super::metrics::{Clipping, DetailStats};
use super::motion::{GlobalMotion, SmearAnisotropy};

/// Smear anisotropy at or above which a moving sample is motion-blurred.
pub(super) const ANISOTROPY_BLUR: f64 = 0.3;
/// Median anisotropy of the blurred samples at or above which the blur is high.
pub(super) const ANISOTROPY_HIGH: f64 = 0.5;
/// A sample's global translation must explain at least this fraction of its
/// frame-to-frame difference for the directional test to apply…
pub(super) const MIN_EXPLAINED: f64 = 0.3;
/// …and the content must pin it down in both directions (see
/// [`GlobalMotion::constraint`]): a picture with one straight edge has no measurable
/// motion along it.
pub(super) const MIN_CONSTRAINT: f64 = 0.5;

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
    /// Combing score (see `metrics::comb_score`), measured at the source's full line
    /// count (up to `sampling::MAX_FULL_LINES`).
    pub comb: Option<f64>,
    /// Global motion to the next frame (analysis pixels per frame), when measured.
    pub global_motion: Option<GlobalMotion>,
    /// Smear anisotropy along that motion, when the sample moves enough to judge.
    pub smear: Option<SmearAnisotropy>,
    /// Block-grid artefacts (see `compression`), for lossy codecs.
    pub blockiness: Option<Blockiness>,
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
            global_motion: None,
            smear: None,
            blockiness: None,
        }
    }

    /// Add the directional motion evidence.
    #[must_use]
    pub fn with_motion(
        mut self,
        motion: Option<GlobalMotion>,
        smear: Option<SmearAnisotropy>,
    ) -> Self {
        self.global_motion = motion;
        self.smear = smear;
        self
    }

    /// Add the block-grid measurement.
    #[must_use]
    pub fn with_blockiness(mut self, blockiness: Option<Blockiness>) -> Self {
        self.blockiness = blockiness;
        self
    }

    /// True when the directional test applies: the sample moves at least
    /// `motion::MIN_SPEED_PX` per frame, mostly as a translation, and its smear was
    /// measured.
    pub fn directional_judgeable(&self) -> bool {
        self.smear.is_some()
            && self
                .global_motion
                .is_some_and(|m| m.explained >= MIN_EXPLAINED && m.constraint >= MIN_CONSTRAINT)
    }

    /// True when the directional test calls this sample motion-blurred.
    pub fn directionally_blurred(&self) -> bool {
        self.directional_judgeable() && self.smear.is_some_and(|s| s.anisotropy >= ANISOTROPY_BLUR)
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
    /// Samples the directional test could judge (moving as a translation, with edges
    /// along and across the motion).
    pub moving_samples: usize,
    /// Samples the directional test called motion-blurred (frame indices).
    pub directional_blurred_frames: Vec<i64>,
    /// Samples the clip-relative test called motion-blurred (frame indices).
    pub relative_blurred_frames: Vec<i64>,
    /// Median smear anisotropy over the judgeable samples.
    pub median_anisotropy: Option<f64>,
    /// Median smear anisotropy over the directionally blurred samples.
    pub blurred_anisotropy: Option<f64>,
    /// Median speed of the judgeable samples, analysis pixels per frame.
    pub median_speed_px: Option<f64>,
    /// Mean motion direction of the blurred samples (degrees modulo 180, 0 = horizontal,
    /// 90 = vertical), when any.
    pub blur_direction_deg: Option<f64>,
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

/// Judge motion blur over a clip's samples (see the module docs).
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
    let judged: Vec<&SampleMeasurement> = samples
        .iter()
        .filter(|s| s.directional_judgeable())
        .collect();
    let blurred: Vec<&SampleMeasurement> = judged
        .iter()
        .copied()
        .filter(|s| s.directionally_blurred())
        .collect();
    let anisotropy = |v: &[&SampleMeasurement]| {
        let a: Vec<f64> = v
            .iter()
            .filter_map(|s| s.smear.map(|m| m.anisotropy))
            .collect();
        percentile(&a, 0.5)
    };
    let speeds: Vec<f64> = judged
        .iter()
        .filter_map(|s| s.global_motion.map(|m| m.speed_px))
        .collect();
    let directions: Vec<f64> = blurred
        .iter()
        .filter_map(|s| s.global_motion.map(|m| m.direction_deg))
        .collect();
    // Axial mean (angles modulo 180°, so 179° and 1° average to 0°, not 90°).
    let (c, s2) = directions.iter().fold((0.0, 0.0), |(c, s), d| {
        let a = 2.0 * d.to_radians();
        (c + a.cos(), s + a.sin())
    });
    let blur_direction =
        (!directions.is_empty()).then(|| (0.5 * s2.atan2(c)).to_degrees().rem_euclid(180.0));
    let mut judgement = BlurJudgement {
        level: MotionBlurLevel::Unknown,
        soft_image: false,
        reference_edge_spread_px: reference,
        median_edge_spread_px: median_spread,
        median_motion,
        blurred_frames: Vec::new(),
        usable_samples: usable.len(),
        moving_samples: judged.len(),
        directional_blurred_frames: blurred.iter().map(|s| s.frame).collect(),
        relative_blurred_frames: Vec::new(),
        median_anisotropy: anisotropy(&judged),
        blurred_anisotropy: anisotropy(&blurred),
        median_speed_px: percentile(&speeds, 0.5),
        blur_direction_deg: blur_direction,
    };
    let (Some(reference), Some(median_motion)) = (reference, median_motion) else {
        return judgement;
    };
    if usable.len() < MIN_SAMPLES {
        return judgement;
    }
    let total = usable.len().max(samples.len()).max(1) as f64;
    let directional_level = {
        let fraction = blurred.len() as f64 / total;
        let strong = judgement
            .blurred_anisotropy
            .is_some_and(|a| a >= ANISOTROPY_HIGH);
        if fraction >= 0.3 && strong {
            MotionBlurLevel::High
        } else if fraction >= 0.3 || (fraction >= 0.1 && blurred.len() >= 2) {
            MotionBlurLevel::Medium
        } else {
            MotionBlurLevel::Low
        }
    };
    // Smeared along the motion in most of the samples: the softness is the motion's.
    let smeared_throughout = blurred.len() * 2 > judged.len().max(1) && !blurred.is_empty();
    let relative_level = if reference >= SOFT_SPREAD_PX {
        // Soft throughout: the clip-relative test cannot see anything in it.
        MotionBlurLevel::Low
    } else {
        let blur_limit = (reference * BLUR_RATIO).max(reference + BLUR_MARGIN_PX);
        let sharp_motion: Vec<f64> = usable
            .iter()
            .filter(|u| u.1 < blur_limit)
            .map(|u| u.2)
            .collect();
        let sharp_motion = percentile(&sharp_motion, 0.5).unwrap_or(median_motion);
        let motion_limit = MOTION_FLOOR.max(sharp_motion * MOTION_RATIO);
        judgement.relative_blurred_frames = usable
            .iter()
            .filter(|u| u.1 >= blur_limit && u.2 >= motion_limit)
            .map(|u| u.0)
            .collect();
        let fraction = judgement.relative_blurred_frames.len() as f64 / usable.len() as f64;
        if fraction >= 0.3 {
            MotionBlurLevel::High
        } else if fraction >= 0.1 && judgement.relative_blurred_frames.len() >= 2 {
            MotionBlurLevel::Medium
        } else {
            MotionBlurLevel::Low
        }
    };
    judgement.soft_image = reference >= SOFT_SPREAD_PX && !smeared_throughout;
    let mut frames: Vec<i64> = judgement
        .directional_blurred_frames
        .iter()
        .chain(&judgement.relative_blurred_frames)
        .copied()
        .collect();
    frames.sort_unstable();
    frames.dedup();
    judgement.blurred_frames = frames;
    judgement.level = level_max(directional_level, relative_level);
    judgement
}

fn level_rank(level: MotionBlurLevel) -> u8 {
    match level {
        MotionBlurLevel::Unknown => 0,
        MotionBlurLevel::Low => 1,
        MotionBlurLevel::Medium => 2,
        MotionBlurLevel::High => 3,
    }
}

fn level_max(a: MotionBlurLevel, b: MotionBlurLevel) -> MotionBlurLevel {
    if level_rank(a) >= level_rank(b) { a } else { b }
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
            global_motion: None,
            smear: None,
            blockiness: None,
        }
    }

    /// A sample moving `speed` px/frame along x with the given smear anisotropy.
    fn panning(frame: i64, spread: f64, speed: f64, anisotropy: f64) -> SampleMeasurement {
        let mut s = sample(frame, spread, 20.0);
        s.global_motion = Some(GlobalMotion {
            vector_px: [speed, 0.0],
            speed_px: speed,
            direction_deg: 0.0,
            explained: 0.9,
            constraint: 5.0,
        });
        s.smear = Some(SmearAnisotropy {
            anisotropy,
            lag_px: 4.0,
            along: anisotropy,
            across: 0.0,
        });
        s
    }

    #[test]
    fn a_pan_smeared_throughout_is_motion_blur_although_the_clip_is_uniform() {
        let samples: Vec<_> = (0..20).map(|i| panning(i, 2.5, 12.0, 0.7)).collect();
        let j = judge_blur(&samples);
        assert_eq!(j.level, MotionBlurLevel::High);
        assert!(!j.soft_image);
        assert_eq!(j.directional_blurred_frames.len(), 20);
        assert!(j.relative_blurred_frames.is_empty());
        let mild: Vec<_> = (0..20).map(|i| panning(i, 1.0, 12.0, 0.35)).collect();
        assert_eq!(judge_blur(&mild).level, MotionBlurLevel::Medium);
    }

    #[test]
    fn a_sharp_pan_and_a_defocused_pan_are_not_motion_blur() {
        let sharp: Vec<_> = (0..20).map(|i| panning(i, 0.3, 12.0, 0.03)).collect();
        let j = judge_blur(&sharp);
        assert_eq!(j.level, MotionBlurLevel::Low);
        assert!(!j.soft_image);
        let defocused: Vec<_> = (0..20).map(|i| panning(i, 2.5, 12.0, 0.04)).collect();
        let j = judge_blur(&defocused);
        assert_eq!(j.level, MotionBlurLevel::Low);
        assert!(j.soft_image, "soft in every direction");
    }

    #[test]
    fn an_unconstrained_motion_is_not_judged_directionally() {
        let mut s = panning(0, 0.3, 12.0, 0.9);
        if let Some(m) = s.global_motion.as_mut() {
            m.constraint = 0.1;
        }
        assert!(!s.directional_judgeable());
        assert!(!s.directionally_blurred());
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
    fn a_soft_clip_moving_throughout_without_a_smear_is_a_soft_image() {
        // Method 1 called this motion blur; without a smear along the motion it is
        // softness (focus, scaling) that happens to move.
        let samples: Vec<_> = (0..20).map(|i| sample(i, 3.0, 12.0)).collect();
        let j = judge_blur(&samples);
        assert!(j.soft_image);
        assert_eq!(j.level, MotionBlurLevel::Low);
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
