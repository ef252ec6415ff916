//! What a listing of a store directory reports: the records that load, and — separately,
//! instead of failing the whole listing — the files that do not.

use camino::Utf8PathBuf;
use serde::Serialize;
use tracking_types::{Frame, SessionStatus, TrackingSession};

use crate::error::Error;
use crate::id::SessionId;

/// One loadable session, summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSummary {
    /// The session id (also the file name stem).
    pub id: SessionId,
    /// The session file.
    pub path: Utf8PathBuf,
    /// Session status.
    pub status: SessionStatus,
    /// First frame.
    pub frame_start: Frame,
    /// Last frame.
    pub frame_end: Frame,
    /// Frame the artist was on.
    pub current_frame: Frame,
    /// Number of tracks.
    pub track_count: usize,
    /// Number of markers over all tracks.
    pub marker_count: usize,
    /// Schema version of the file (1 for files written by the original).
    pub schema_version: u32,
    /// Revision of the file (0 for files written by the original).
    pub revision: u64,
    /// Store-wide save counter of the last save (absent in files from the original).
    pub save_counter: Option<u64>,
    /// When the file was last saved, as written in it.
    pub saved_at: Option<String>,
}

impl SessionSummary {
    pub(crate) fn new(id: SessionId, path: Utf8PathBuf, session: &TrackingSession) -> Self {
        Self {
            id,
            path,
            status: session.status,
            frame_start: session.frame_start,
            frame_end: session.frame_end,
            current_frame: session.current_frame,
            track_count: session.tracks.len(),
            marker_count: session.tracks.iter().map(|t| t.markers.len()).sum(),
            schema_version: session.schema_version.unwrap_or(1),
            revision: session.revision.unwrap_or(0),
            save_counter: session.save_counter,
            saved_at: session.saved_at.clone(),
        }
    }
}

/// A file in a store directory that is not a loadable record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemFile {
    /// The file.
    pub path: Utf8PathBuf,
    /// What is wrong with it.
    #[serde(flatten)]
    pub problem: Problem,
}

/// Why a file is listed as a problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// The file does not parse or decode.
    Corrupt {
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// A corrupt file moved aside earlier (`<file>.corrupt-<timestamp>`).
    Quarantined,
    /// A `.yaml` file whose name is not a valid id, so the store cannot address it.
    BadName {
        /// Why the name is refused.
        reason: String,
    },
    /// The file exceeds the size cap and was not read.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// The id inside the file differs from its file name.
    IdMismatch {
        /// The id written in the file.
        found: String,
    },
    /// The file could not be read at all (permissions, not a regular file, …).
    Unreadable {
        /// What the operating system said.
        reason: String,
    },
}

impl Problem {
    /// The listing entry for a load error (anything that is not about the content is
    /// reported as [`Problem::Unreadable`] with its cause chain).
    pub(crate) fn from_error(error: &Error) -> Self {
        match error {
            Error::Corrupt {
                line,
                column,
                reason,
                ..
            } => Self::Corrupt {
                line: *line,
                column: *column,
                reason: reason.clone(),
            },
            Error::TooLarge { size, limit, .. } => Self::TooLarge {
                size: *size,
                limit: *limit,
            },
            Error::IdMismatch { found, .. } => Self::IdMismatch {
                found: found.clone(),
            },
            other => Self::Unreadable {
                reason: error_chain(other),
            },
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(err) = cause {
        text.push_str(": ");
        text.push_str(&err.to_string());
        cause = err.source();
    }
    text
}

/// The sessions of a store, and the files that are not loadable sessions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionListing {
    /// Loadable sessions, sorted by id.
    pub sessions: Vec<SessionSummary>,
    /// Corrupt, quarantined or misnamed files, sorted by path.
    pub problems: Vec<ProblemFile>,
}

/// The ids of a solve or footage store, and the files that are not loadable records.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordListing {
    /// Ids of loadable records, sorted.
    pub ids: Vec<SessionId>,
    /// Corrupt, quarantined or misnamed files, sorted by path.
    pub problems: Vec<ProblemFile>,
}
