//! [`TrackingSession`]: a resumable tracking session.

use serde::{Deserialize, Serialize};

use crate::record::{Plain, RequiredText, deserialize_record};
use crate::{Extra, Frame, TrackData};

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
///
/// Reading: a missing field keeps its default; `null` for a text field is an error
/// (never the text `"null"`); a field given twice is an error; keys this version does
/// not know are kept in [`extra`](Self::extra) and written back after the known fields
/// (see [`crate::extra`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Keys this version does not know (a newer writer's, or a typo such as
    /// `camera_prof1le`), kept and written back after the known fields, in key order;
    /// [`unknown_keys`](Self::unknown_keys) lists them with the tracks' own.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_record!(TrackingSession, "a tracking session (a map of its fields)", {
    "session_id" => session_id: RequiredText,
    "footage_path" => footage_path: RequiredText,
    "frame_start" => frame_start: Plain<Frame>,
    "frame_end" => frame_end: Plain<Frame>,
    "current_frame" => current_frame: Plain<Frame>,
    "tracks" => tracks: Plain<Vec<TrackData>>,
    "camera_profile" => camera_profile: RequiredText,
    "preset" => preset: RequiredText,
    "status" => status: Plain<SessionStatus>,
    "created_at" => created_at: RequiredText,
    "updated_at" => updated_at: RequiredText,
    "schema_version" => schema_version: Plain<Option<u32>>,
    "revision" => revision: Plain<Option<u64>>,
    "save_counter" => save_counter: Plain<Option<u64>>,
    "saved_at" => saved_at: Plain<Option<String>>,
});

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
            extra: Extra::new(),
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

    /// The keys of this session that this version does not know, then those of its
    /// tracks (as `tracks[1].colour`), in file order of the tracks and key order within
    /// each; empty for every file we or the original wrote. They are kept
    /// ([`extra`](Self::extra)) and written back on save.
    pub fn unknown_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.extra.keys().cloned().collect();
        for (i, track) in self.tracks.iter().enumerate() {
            keys.extend(track.extra.keys().map(|key| format!("tracks[{i}].{key}")));
        }
        keys
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

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, MapDeserializer};

    use super::*;
    use crate::ExtraValue;

    fn read(entries: &[(&'static str, &'static str)]) -> Result<TrackingSession, Error> {
        TrackingSession::deserialize(MapDeserializer::new(entries.iter().copied()))
    }

    #[test]
    fn missing_fields_keep_defaults_and_unknown_keys_are_kept() {
        let session = read(&[("session_id", "s"), ("camera_prof1le", "arri")]).unwrap();
        assert_eq!(session.session_id, "s");
        assert_eq!(session.preset, "balanced");
        assert_eq!(
            session.extra["camera_prof1le"],
            ExtraValue::String("arri".to_owned())
        );
        assert_eq!(session.unknown_keys(), ["camera_prof1le"]);
    }

    #[test]
    fn a_field_or_unknown_key_given_twice_is_an_error() {
        let err = read(&[("preset", "a"), ("preset", "b")]).unwrap_err();
        assert_eq!(err.to_string(), "duplicate field `preset`");
        let err = read(&[("x", "a"), ("x", "b")]).unwrap_err();
        assert_eq!(err.to_string(), "duplicate key \"x\"");
    }

    #[test]
    fn null_for_a_text_field_is_an_error() {
        let entries = [("session_id", ())];
        let err = TrackingSession::deserialize(MapDeserializer::<_, Error>::new(
            entries.iter().map(|&(k, v)| (k, v.into_deserializer())),
        ))
        .unwrap_err();
        assert_eq!(err.to_string(), "invalid type: null, expected a string");
    }
}
