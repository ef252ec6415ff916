//! The findings model — stable codes, severities, evidence and recommendations — and the
//! overall trackability rating derived from a set of findings.
//!
//! Codes are a public contract (they appear in the JSON report and scripts match on
//! them): never rename one, only add.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// What a finding is about. Serialised as the snake_case code (e.g. `long_gop_8bit_420`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingCode {
    /// Interlaced content (by container flag and/or `idet`).
    Interlaced,
    /// 3:2 pulldown (telecined progressive content).
    Pulldown,
    /// Variable frame rate: frame durations are not constant.
    Vfr,
    /// Long-GOP, 8-bit, 4:2:0 delivery codec.
    #[serde(rename = "long_gop_8bit_420")]
    LongGop8bit420,
    /// Bit rate low for the raster and frame rate.
    LowBitrate,
    /// The display matrix rotates or flips the picture.
    Rotation,
    /// Pixel aspect ratio other than 1:1.
    NonSquarePixels,
    /// A raster that is usually anamorphic, stored without a pixel-aspect flag.
    AnamorphicRaster,
    /// Fewer than 720 lines.
    LowResolution,
    /// A phone, DSLR/mirrorless or action camera, which use rolling shutters.
    RollingShutterLikely,
    /// A phone camera, which usually applies electronic stabilisation.
    PhoneStabilisation,
    /// High-frame-rate capture (slow motion).
    SlowMotion,
    /// HDR (PQ/HLG) or logarithmic transfer.
    HdrOrLog,
    /// The file holds fewer frames than its header says.
    Truncated,
    /// Missing frames in an image sequence.
    SequenceGaps,
    /// Frames of one sequence with different resolutions.
    MixedResolution,
    /// Frames of one name with different paddings (`m.1.exr`, `m.0002.exr`): only one
    /// padding is read as the sequence.
    MixedPadding,
    /// Sharpness drops that coincide with motion.
    MotionBlur,
    /// The whole clip is soft without motion to explain it (focus, scaling, filtering).
    SoftImage,
    /// Large areas of crushed blacks or clipped whites.
    ExposureClipping,
    /// An image sequence whose headers carry no frame rate, and none was given.
    FrameRateUnknown,
}

impl FindingCode {
    /// The stable code string, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interlaced => "interlaced",
            Self::Pulldown => "pulldown",
            Self::Vfr => "vfr",
            Self::LongGop8bit420 => "long_gop_8bit_420",
            Self::LowBitrate => "low_bitrate",
            Self::Rotation => "rotation",
            Self::NonSquarePixels => "non_square_pixels",
            Self::AnamorphicRaster => "anamorphic_raster",
            Self::LowResolution => "low_resolution",
            Self::RollingShutterLikely => "rolling_shutter_likely",
            Self::PhoneStabilisation => "phone_stabilisation",
            Self::SlowMotion => "slow_motion",
            Self::HdrOrLog => "hdr_or_log",
            Self::Truncated => "truncated",
            Self::SequenceGaps => "sequence_gaps",
            Self::MixedResolution => "mixed_resolution",
            Self::MixedPadding => "mixed_padding",
            Self::MotionBlur => "motion_blur",
            Self::SoftImage => "soft_image",
            Self::ExposureClipping => "exposure_clipping",
            Self::FrameRateUnknown => "frame_rate_unknown",
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding threatens a track: the workspace's one scale.
pub use tracking_types::Severity;

/// One evidence value: a number, a piece of text or a flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EvidenceValue {
    /// A measured or probed number.
    Number(f64),
    /// A probed string (a tag, a codec name, a range).
    Text(String),
    /// A yes/no fact.
    Flag(bool),
}

impl From<f64> for EvidenceValue {
    fn from(v: f64) -> Self {
        Self::Number(v)
    }
}

impl From<u64> for EvidenceValue {
    fn from(v: u64) -> Self {
        Self::Number(v as f64)
    }
}

impl From<u32> for EvidenceValue {
    fn from(v: u32) -> Self {
        Self::Number(f64::from(v))
    }
}

impl From<&str> for EvidenceValue {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}

impl From<String> for EvidenceValue {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl From<bool> for EvidenceValue {
    fn from(v: bool) -> Self {
        Self::Flag(v)
    }
}

/// What a finding rests on: named values and the frames concerned.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Evidence {
    /// Named values (deterministic order).
    pub values: BTreeMap<String, EvidenceValue>,
    /// Frame numbers concerned (source frame numbers; for sequences, the file numbers).
    pub frames: Vec<i64>,
}

/// One problem (or notable fact) found in the footage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// One sentence saying what was found.
    pub message: String,
    /// The numbers and frames it rests on.
    pub evidence: Evidence,
    /// What to do about it.
    pub recommendation: String,
}

impl Finding {
    /// A finding without evidence yet; add it with [`Finding::with`] and [`Finding::frames`].
    pub fn new(
        code: FindingCode,
        severity: Severity,
        message: impl Into<String>,
        recommendation: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            evidence: Evidence::default(),
            recommendation: recommendation.into(),
        }
    }

    /// Add one named evidence value.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<EvidenceValue>) -> Self {
        self.evidence.values.insert(name.to_owned(), value.into());
        self
    }

    /// Set the frames concerned.
    #[must_use]
    pub fn frames(mut self, frames: Vec<i64>) -> Self {
        self.evidence.frames = frames;
        self
    }
}

/// How trackable the footage looks overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackabilityRating {
    /// At least one critical finding, or many warnings.
    Poor,
    /// Warnings to handle, nothing critical.
    Fair,
    /// Only informational findings.
    Good,
    /// Nothing found.
    Excellent,
}

impl fmt::Display for TrackabilityRating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Poor => "poor",
            Self::Fair => "fair",
            Self::Good => "good",
            Self::Excellent => "excellent",
        })
    }
}

/// Score out of 100: 100 minus 30 per critical, 12 per warning and 2 per info finding,
/// floored at 0.
pub(super) fn trackability_score(findings: &[Finding]) -> u32 {
    let penalty: u32 = findings
        .iter()
        .map(|f| match f.severity {
            Severity::Critical => 30,
            Severity::Warning => 12,
            Severity::Info => 2,
        })
        .sum();
    100u32.saturating_sub(penalty)
}

/// The rating for a set of findings:
///
/// | condition | rating |
/// |---|---|
/// | any critical, or score < 50 | poor |
/// | any warning | fair |
/// | only info findings | good |
/// | no findings | excellent |
pub(super) fn trackability_rating(findings: &[Finding]) -> TrackabilityRating {
    let worst = findings.iter().map(|f| f.severity).max();
    match worst {
        Some(Severity::Critical) => TrackabilityRating::Poor,
        _ if trackability_score(findings) < 50 => TrackabilityRating::Poor,
        Some(Severity::Warning) => TrackabilityRating::Fair,
        Some(Severity::Info) => TrackabilityRating::Good,
        None => TrackabilityRating::Excellent,
    }
}

/// Sort findings most severe first, then by code (a stable, readable order).
pub(super) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(&b.code)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: FindingCode, severity: Severity) -> Finding {
        Finding::new(code, severity, "m", "r")
    }

    #[test]
    fn codes_serialise_to_their_stable_strings() {
        for code in [
            FindingCode::Interlaced,
            FindingCode::LongGop8bit420,
            FindingCode::RollingShutterLikely,
            FindingCode::PhoneStabilisation,
            FindingCode::HdrOrLog,
            FindingCode::SequenceGaps,
            FindingCode::MotionBlur,
        ] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.as_str()));
        }
        assert_eq!(FindingCode::LongGop8bit420.as_str(), "long_gop_8bit_420");
    }

    #[test]
    fn no_findings_rate_excellent_and_score_100() {
        assert_eq!(trackability_rating(&[]), TrackabilityRating::Excellent);
        assert_eq!(trackability_score(&[]), 100);
    }

    #[test]
    fn the_worst_severity_decides_the_rating() {
        let info = finding(FindingCode::LongGop8bit420, Severity::Info);
        let warn = finding(FindingCode::Vfr, Severity::Warning);
        let crit = finding(FindingCode::Truncated, Severity::Critical);
        assert_eq!(
            trackability_rating(std::slice::from_ref(&info)),
            TrackabilityRating::Good
        );
        assert_eq!(
            trackability_rating(&[info.clone(), warn.clone()]),
            TrackabilityRating::Fair
        );
        assert_eq!(
            trackability_rating(&[info, warn, crit]),
            TrackabilityRating::Poor
        );
    }

    #[test]
    fn many_warnings_rate_poor() {
        let warnings: Vec<_> = (0..5)
            .map(|_| finding(FindingCode::Vfr, Severity::Warning))
            .collect();
        assert_eq!(trackability_score(&warnings), 40);
        assert_eq!(trackability_rating(&warnings), TrackabilityRating::Poor);
    }

    #[test]
    fn findings_sort_most_severe_first() {
        let mut list = vec![
            finding(FindingCode::LowResolution, Severity::Info),
            finding(FindingCode::Truncated, Severity::Critical),
            finding(FindingCode::Vfr, Severity::Warning),
        ];
        sort_findings(&mut list);
        let codes: Vec<_> = list.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                FindingCode::Truncated,
                FindingCode::Vfr,
                FindingCode::LowResolution
            ]
        );
    }

    #[test]
    fn evidence_serialises_values_by_name_and_frames_in_order() {
        let f = finding(FindingCode::Vfr, Severity::Warning)
            .with("min_fps", 12.5)
            .with("codec", "h264")
            .with("confirmed", true)
            .frames(vec![10, 20]);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(
            json["evidence"],
            serde_json::json!({"values": {"codec": "h264", "confirmed": true, "min_fps": 12.5}, "frames": [10, 20]})
        );
        assert_eq!(json["severity"], "warning");
    }
}
