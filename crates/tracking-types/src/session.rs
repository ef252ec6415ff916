//! [`TrackingSession`]: a resumable tracking session.

use serde::{Deserialize, Serialize};

use crate::{Frame, TrackData};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Work in progress (the default).
    #[default]
    InProgress,
    /// Tracking finished.
    Complete,
    /// The session hit an error.
    Error,
}

/// A tracking session: footage, frame range, tracks and status.
///
/// The bookkeeping fields at the end (`schema_version`, `revision`, `save_counter`,
/// `saved_at`) are written by the session store; they are optional so files from the
/// original load, and the original's reader ignores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackingSession {
    /// Session id; also the file name stem under `sessions/`.
    pub session_id: String,
    /// Plate path (a movie file or a sequence pattern).
    pub footage_path: String,
    /// First frame; default `1`.
    pub frame_start: Frame,
    /// Last frame (inclusive); default `100`.
    pub frame_end: Frame,
    /// Frame the artist was on; default `1`.
    pub current_frame: Frame,
    /// The session's tracks.
    pub tracks: Vec<TrackData>,
    /// Camera profile name, or empty.
    pub camera_profile: String,
    /// Tracking preset; default `balanced`.
    pub preset: String,
    /// Session status; default [`SessionStatus::InProgress`].
    pub status: SessionStatus,
    /// Creation time (RFC 3339), or empty.
    pub created_at: String,
    /// Last update time (RFC 3339), or empty.
    pub updated_at: String,
    /// Schema version of the file; absent in files from the original (version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// Revision of the stored file, bumped on every save.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// Store-wide monotonically increasing save counter at the last save.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub save_counter: Option<u64>,
    /// When the file was last saved (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<String>,
}

impl Default for TrackingSession {
    fn default() -> Self {
        Self {
            session_id: String::new(),
            footage_path: String::new(),
            frame_start: 1,
            frame_end: 100,
            current_frame: 1,
            tracks: Vec::new(),
            camera_profile: String::new(),
            preset: "balanced".to_owned(),
            status: SessionStatus::InProgress,
            created_at: String::new(),
            updated_at: String::new(),
            schema_version: None,
            revision: None,
            save_counter: None,
            saved_at: None,
        }
    }
}

impl TrackingSession {
    /// A session with the given id and the original's defaults.
    pub fn new(session_id: impl Into<String>) -> Self {
        Self {
            session_id: session_id.into(),
            ..Self::default()
        }
    }
}

impl crate::Validate for TrackingSession {
    /// Frame range ordered, `current_frame` inside it, every track valid (paths like
    /// `tracks[1].markers[1002][0]`).
    fn validate(&self) -> Result<(), crate::ValidationError> {
        crate::validate::ordered("frame_start", self.frame_start, self.frame_end)?;
        if !(self.frame_start..=self.frame_end).contains(&self.current_frame) {
            return Err(crate::ValidationError::OutOfRange {
                field: "current_frame".to_owned(),
                reason: format!(
                    "{} is outside frame_start..=frame_end ({}..={})",
                    self.current_frame, self.frame_start, self.frame_end
                ),
            });
        }
        for (i, track) in self.tracks.iter().enumerate() {
            crate::Validate::validate(track).map_err(|e| e.within(&format!("tracks[{i}]")))?;
        }
        Ok(())
    }
}
