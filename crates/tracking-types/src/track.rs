//! [`TrackData`]: one 2D feature track and its markers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Frame;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackData {
    /// Track name, unique within a session.
    pub name: String,
    /// Pattern area `[x, y, w, h]` in pixels; default `[0, 0, 31, 31]`.
    pub pattern_area: [f64; 4],
    /// Search area `[x, y, w, h]` in pixels; default `[0, 0, 61, 61]`.
    pub search_area: [f64; 4],
    /// Marker position `[x, y]` per frame.
    #[serde(with = "crate::frame_map")]
    pub markers: BTreeMap<Frame, [f64; 2]>,
    /// Whether the track takes part in the solve; default `true`.
    pub enabled: bool,
    /// Display colour `[r, g, b]`; default red `[1, 0, 0]`.
    pub color: [f64; 3],
    /// Tracker correlation threshold; default `1.0`.
    pub correlation: f64,
    /// What the track follows; default [`TrackType::Point`].
    pub track_type: TrackType,
}

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
