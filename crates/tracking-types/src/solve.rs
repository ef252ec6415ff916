//! [`SolveData`] and [`SolveReport`]: a solved camera and how good the solve is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Frame;

/// Which world axis points up in a solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CoordinateSystem {
    /// Z up (Blender); the default.
    #[default]
    #[serde(rename = "z_up")]
    ZUp,
    /// Y up (Nuke, Maya, 3DEqualizer).
    #[serde(rename = "y_up")]
    YUp,
}

/// A solved camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolveData {
    /// Solve name.
    pub name: String,
    /// First and last frame `[start, end]`; default `[1, 100]`.
    pub frame_range: [Frame; 2],
    /// Focal length in mm; default `50`.
    pub focal_length: f64,
    /// Film back width in mm; default `36`.
    pub sensor_width: f64,
    /// Camera transform per frame: `[tx, ty, tz, rx, ry, rz]`, rotations in degrees.
    ///
    /// In a [`CoordinateSystem::ZUp`] solve these are Blender location and XYZ Euler
    /// angles (`R = Rz·Ry·Rx`).
    #[serde(with = "crate::frame_map")]
    pub camera_transforms: BTreeMap<Frame, [f64; 6]>,
    /// Axis convention of `camera_transforms`; default [`CoordinateSystem::ZUp`].
    pub coordinate_system: CoordinateSystem,
    /// When the solve was made (RFC 3339), or empty.
    pub solved_at: String,
    /// Film back height in mm, when known (an addition; absent in the original).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensor_height: Option<f64>,
    /// Focal length in mm per frame, for zooms (an addition; absent in the original).
    /// Empty when the focal length is constant.
    #[serde(with = "crate::frame_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub focal_lengths: BTreeMap<Frame, f64>,
}

impl Default for SolveData {
    fn default() -> Self {
        Self {
            name: String::new(),
            frame_range: [1, 100],
            focal_length: 50.0,
            sensor_width: 36.0,
            camera_transforms: BTreeMap::new(),
            coordinate_system: CoordinateSystem::ZUp,
            solved_at: String::new(),
            sensor_height: None,
            focal_lengths: BTreeMap::new(),
        }
    }
}

/// How good a solve is, derived from its average reprojection error.
///
/// | average reprojection error (px) | level |
/// |---|---|
/// | `< 0.3` | [`Excellent`](QualityLevel::Excellent) |
/// | `0.3 ..< 0.5` | [`Good`](QualityLevel::Good) |
/// | `0.5 ..< 1.0` | [`Acceptable`](QualityLevel::Acceptable) |
/// | `>= 1.0` | [`Poor`](QualityLevel::Poor) |
/// | negative, NaN or infinite | [`Unknown`](QualityLevel::Unknown) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QualityLevel {
    /// Sub-0.3 px average error.
    Excellent,
    /// 0.3–0.5 px.
    Good,
    /// 0.5–1.0 px.
    Acceptable,
    /// 1 px or more.
    Poor,
    /// No usable error figure.
    #[default]
    Unknown,
}

impl QualityLevel {
    /// Upper bounds (exclusive) of the excellent, good and acceptable bands, in pixels.
    pub const THRESHOLDS_PX: [f64; 3] = [0.3, 0.5, 1.0];

    /// The level for an average reprojection error in pixels (table above).
    pub fn from_reprojection_error(avg_px: f64) -> Self {
        let [excellent, good, acceptable] = Self::THRESHOLDS_PX;
        if !avg_px.is_finite() || avg_px < 0.0 {
            Self::Unknown
        } else if avg_px < excellent {
            Self::Excellent
        } else if avg_px < good {
            Self::Good
        } else if avg_px < acceptable {
            Self::Acceptable
        } else {
            Self::Poor
        }
    }
}

/// Quality figures of a camera solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolveReport {
    /// Average reprojection error in pixels.
    pub reprojection_error_avg: f64,
    /// Largest reprojection error in pixels.
    pub reprojection_error_max: f64,
    /// Number of tracks the solve used.
    pub tracks_used: u64,
    /// Number of frames solved.
    pub frames_solved: u64,
    /// Solver confidence 0..1.
    pub confidence_score: f64,
    /// Level derived from `reprojection_error_avg` (see [`QualityLevel`]).
    pub quality_level: QualityLevel,
}

impl Default for SolveReport {
    fn default() -> Self {
        Self {
            reprojection_error_avg: 0.0,
            reprojection_error_max: 0.0,
            tracks_used: 0,
            frames_solved: 0,
            confidence_score: 0.0,
            quality_level: QualityLevel::Unknown,
        }
    }
}

impl SolveReport {
    /// A report whose `quality_level` is derived from `reprojection_error_avg`.
    pub fn new(
        reprojection_error_avg: f64,
        reprojection_error_max: f64,
        tracks_used: u64,
        frames_solved: u64,
        confidence_score: f64,
    ) -> Self {
        Self {
            reprojection_error_avg,
            reprojection_error_max,
            tracks_used,
            frames_solved,
            confidence_score,
            quality_level: QualityLevel::from_reprojection_error(reprojection_error_avg),
        }
    }
}

impl crate::Validate for SolveData {
    /// Finite transforms; focal length and film back positive; `frame_range` ordered
    /// and containing every solved frame.
    fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::validate::{all_finite, in_range, ordered};
        let [start, end] = self.frame_range;
        ordered("frame_range", start, end)?;
        in_range(
            "focal_length",
            self.focal_length,
            |f| f > 0.0,
            "must be > 0 mm",
        )?;
        in_range(
            "sensor_width",
            self.sensor_width,
            |w| w > 0.0,
            "must be > 0 mm",
        )?;
        if let Some(h) = self.sensor_height {
            in_range("sensor_height", h, |h| h > 0.0, "must be > 0 mm")?;
        }
        for (frame, transform) in &self.camera_transforms {
            all_finite(&format!("camera_transforms[{frame}]"), transform)?;
            if !(start..=end).contains(frame) {
                return Err(crate::ValidationError::OutOfRange {
                    field: format!("camera_transforms[{frame}]"),
                    reason: format!("frame {frame} is outside frame_range [{start}, {end}]"),
                });
            }
        }
        for (frame, &focal) in &self.focal_lengths {
            in_range(
                &format!("focal_lengths[{frame}]"),
                focal,
                |f| f > 0.0,
                "must be > 0 mm",
            )?;
        }
        Ok(())
    }
}

impl crate::Validate for SolveReport {
    /// Errors finite, non-negative, average not above maximum; confidence in `0..=1`.
    fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::validate::in_range;
        in_range(
            "reprojection_error_avg",
            self.reprojection_error_avg,
            |e| e >= 0.0,
            "must be >= 0 px",
        )?;
        in_range(
            "reprojection_error_max",
            self.reprojection_error_max,
            |e| e >= 0.0,
            "must be >= 0 px",
        )?;
        if self.reprojection_error_avg > self.reprojection_error_max {
            return Err(crate::ValidationError::OutOfRange {
                field: "reprojection_error_avg".to_owned(),
                reason: format!(
                    "average {} is above the maximum {}",
                    self.reprojection_error_avg, self.reprojection_error_max
                ),
            });
        }
        in_range(
            "confidence_score",
            self.confidence_score,
            |c| (0.0..=1.0).contains(&c),
            "must be within 0..=1",
        )
    }
}
