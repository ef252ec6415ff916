//! [`FootageMetadata`] and [`FootageInfo`]: what a plate is.

use serde::{Deserialize, Serialize};

use crate::Frame;

/// How much motion blur a clip shows, as measured by footage analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MotionBlurLevel {
    /// Little or no blur.
    Low,
    /// Noticeable blur on motion.
    Medium,
    /// Heavy blur; tracking will suffer.
    High,
    /// Not measured (the default: we never guess).
    #[default]
    Unknown,
}

/// Metadata of a piece of footage (a movie file or an image sequence).
///
/// The original fields come first; richer, optional fields follow and are omitted
/// from YAML when unset so the original's reader is not disturbed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FootageMetadata {
    /// File name (no directory), as the caller named it.
    pub filename: String,
    /// `[width, height]` in pixels (display size after rotation is in the richer
    /// fields of the probe result); default `[1920, 1080]`.
    pub resolution: [u32; 2],
    /// Frames per second; default `24`.
    pub frame_rate: f64,
    /// Number of frames.
    pub duration_frames: u64,
    /// Duration in seconds.
    pub duration_seconds: f64,
    /// Codec name (ffprobe's `codec_name`, e.g. `h264`, `prores`).
    pub codec: String,
    /// Bits per colour component; default `8`. `0` when the pixel format is one the
    /// prober does not know (never guessed).
    pub bit_depth: u32,
    /// Colour space (e.g. `bt709`), or empty when the file does not say.
    pub color_space: String,
    /// Camera make and model from the file's tags, when present.
    pub camera_model: Option<String>,
    /// Lens focal length in mm, only when the file records it.
    pub focal_length: Option<f64>,
    /// ISO, only when the file records it.
    pub iso: Option<u32>,
    /// Measured motion blur; [`MotionBlurLevel::Unknown`] until analysed.
    pub motion_blur_level: MotionBlurLevel,
    /// True only when analysis found evidence that rolling shutter is likely.
    pub rolling_shutter_detected: bool,
}

impl Default for FootageMetadata {
    fn default() -> Self {
        Self {
            filename: String::new(),
            resolution: [1920, 1080],
            frame_rate: 24.0,
            duration_frames: 0,
            duration_seconds: 0.0,
            codec: String::new(),
            bit_depth: 8,
            color_space: String::new(),
            camera_model: None,
            focal_length: None,
            iso: None,
            motion_blur_level: MotionBlurLevel::Unknown,
            rolling_shutter_detected: false,
        }
    }
}

/// The original's compact footage summary, for movies and image sequences alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FootageInfo {
    /// Path as the caller gave it (a sequence pattern for sequences).
    pub source_path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// First frame number.
    pub frame_start: Frame,
    /// Last frame number (inclusive).
    pub frame_end: Frame,
    /// Frames per second.
    pub fps: f64,
    /// Duration in seconds.
    pub duration_seconds: f64,
    /// Colour space; default `sRGB`.
    pub colorspace: String,
    /// Codec or image format.
    pub codec: String,
    /// Whether the pixels carry alpha.
    pub has_alpha: bool,
    /// Whether this is an image sequence rather than a movie file.
    pub is_sequence: bool,
}

impl Default for FootageInfo {
    fn default() -> Self {
        Self {
            source_path: String::new(),
            width: 0,
            height: 0,
            frame_start: 1,
            frame_end: 1,
            fps: 24.0,
            duration_seconds: 0.0,
            colorspace: "sRGB".to_owned(),
            codec: String::new(),
            has_alpha: false,
            is_sequence: false,
        }
    }
}

impl crate::Validate for FootageMetadata {
    /// Resolution, frame rate and bit depth positive; durations finite and not
    /// negative; a recorded focal length positive.
    fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::validate::in_range;
        for (i, &size) in self.resolution.iter().enumerate() {
            if size == 0 {
                return Err(crate::ValidationError::OutOfRange {
                    field: format!("resolution[{i}]"),
                    reason: "0 must be > 0 px".to_owned(),
                });
            }
        }
        in_range(
            "frame_rate",
            self.frame_rate,
            |r| r > 0.0,
            "must be > 0 fps",
        )?;
        in_range(
            "duration_seconds",
            self.duration_seconds,
            |d| d >= 0.0,
            "must be >= 0 s",
        )?;
        if self.bit_depth > 64 {
            return Err(crate::ValidationError::OutOfRange {
                field: "bit_depth".to_owned(),
                reason: format!("{} must be within 0..=64 (0: unknown)", self.bit_depth),
            });
        }
        if let Some(focal) = self.focal_length {
            in_range("focal_length", focal, |f| f > 0.0, "must be > 0 mm")?;
        }
        Ok(())
    }
}

impl crate::Validate for FootageInfo {
    /// Frame rate positive; duration finite and not negative; frames ordered.
    fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::validate::{in_range, ordered};
        in_range("fps", self.fps, |r| r > 0.0, "must be > 0 fps")?;
        in_range(
            "duration_seconds",
            self.duration_seconds,
            |d| d >= 0.0,
            "must be >= 0 s",
        )?;
        ordered("frame_start", self.frame_start, self.frame_end)
    }
}
