//! [`TrackData`]: one 2D feature track and its markers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::record::{FrameKeyed, Plain, RequiredText, deserialize_record};
use crate::{Extra, Frame};

/// Writes a pixel rectangle with whole numbers as integers, like the original.
mod pixel_area {
    use serde::ser::{SerializeTuple, Serializer};

    /// Largest magnitude written as an integer: every whole f64 below 2^53 is exact.
    const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

    pub(super) fn serialize<S: Serializer>(
        area: &[f64; 4],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_tuple(area.len())?;
        for &value in area {
            let whole = value.fract() == 0.0
                && value.abs() < EXACT_INTEGER_LIMIT
                && !(value == 0.0 && value.is_sign_negative());
            if whole {
                // Exact: |value| < 2^53 and it has no fractional part.
                #[allow(clippy::cast_possible_truncation)]
                out.serialize_element(&(value as i64))?;
            } else {
                out.serialize_element(&value)?;
            }
        }
        out.end()
    }
}

/// What a track follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackType {
    /// A single point feature (the default).
    #[default]
    Point,
    /// A planar track (four corners).
    Plane,
    /// An object track.
    Object,
}

/// One 2D track: a named feature followed across frames.
///
/// Marker positions are normalised image coordinates (0..1, origin bottom-left as in
/// Blender's movie clip editor).
///
/// Read like [`TrackingSession`](crate::TrackingSession): missing fields keep their
/// defaults, `null` for `name` is an error, unknown keys are kept in
/// [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackData {
    /// Track name, unique within a session.
    pub name: String,
    /// Pattern area `[x, y, w, h]` in pixels; default `[0, 0, 31, 31]`.
    ///
    /// Whole numbers are written as integers (`- 31`), as the original wrote its
    /// integer defaults; fractional values stay floats.
    #[serde(serialize_with = "pixel_area::serialize")]
    pub pattern_area: [f64; 4],
    /// Search area `[x, y, w, h]` in pixels; default `[0, 0, 61, 61]` (written like
    /// `pattern_area`).
    #[serde(serialize_with = "pixel_area::serialize")]
    pub search_area: [f64; 4],
    /// Marker position `[x, y]` per frame.
    #[serde(serialize_with = "crate::frame_map::serialize")]
    pub markers: BTreeMap<Frame, [f64; 2]>,
    /// Whether the track takes part in the solve; default `true`.
    pub enabled: bool,
    /// Display colour `[r, g, b]`; default red `[1, 0, 0]`.
    pub color: [f64; 3],
    /// Tracker correlation threshold; default `1.0`.
    pub correlation: f64,
    /// What the track follows; default [`TrackType::Point`].
    pub track_type: TrackType,
    /// Keys this version does not know, kept and written back after the known fields.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_record!(TrackData, "a track (a map of its fields)", {
    "name" => name: RequiredText,
    "pattern_area" => pattern_area: Plain<[f64; 4]>,
    "search_area" => search_area: Plain<[f64; 4]>,
    "markers" => markers: FrameKeyed<[f64; 2]>,
    "enabled" => enabled: Plain<bool>,
    "color" => color: Plain<[f64; 3]>,
    "correlation" => correlation: Plain<f64>,
    "track_type" => track_type: Plain<TrackType>,
});

impl Default for TrackData {
    fn default() -> Self {
        Self {
            name: String::new(),
            pattern_area: [0.0, 0.0, 31.0, 31.0],
            search_area: [0.0, 0.0, 61.0, 61.0],
            markers: BTreeMap::new(),
            enabled: true,
            color: [1.0, 0.0, 0.0],
            correlation: 1.0,
            track_type: TrackType::Point,
            extra: Extra::new(),
        }
    }
}

impl TrackData {
    /// A track with the given name and the original's defaults.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

impl crate::Validate for TrackData {
    /// Finite numbers everywhere; pattern and search sizes positive; colour
    /// components and correlation within `0..=1`. Marker positions may lie outside
    /// `0..1` (a feature leaving the frame) but must be finite.
    fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::validate::{all_finite, in_range};
        all_finite("pattern_area", &self.pattern_area)?;
        all_finite("search_area", &self.search_area)?;
        for (area, values) in [
            ("pattern_area", &self.pattern_area),
            ("search_area", &self.search_area),
        ] {
            in_range(
                &format!("{area}[2]"),
                values[2],
                |w| w > 0.0,
                "must be > 0 (width)",
            )?;
            in_range(
                &format!("{area}[3]"),
                values[3],
                |h| h > 0.0,
                "must be > 0 (height)",
            )?;
        }
        for (frame, position) in &self.markers {
            all_finite(&format!("markers[{frame}]"), position)?;
        }
        for (i, &c) in self.color.iter().enumerate() {
            in_range(
                &format!("color[{i}]"),
                c,
                |c| (0.0..=1.0).contains(&c),
                "must be within 0..=1",
            )?;
        }
        in_range(
            "correlation",
            self.correlation,
            |c| (0.0..=1.0).contains(&c),
            "must be within 0..=1",
        )
    }
}
