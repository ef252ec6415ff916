//! [`TrackIssue`]: what is wrong at one place in a track file, and [`TrackWarning`].

use std::fmt;

use thiserror::Error;

use crate::error::Position;

/// What is wrong at one place of a track file (an error in strict mode, a warning in
/// lenient mode).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum TrackIssue {
    /// A field is not a number.
    #[error("{field} is not a number: {text:?}")]
    NotANumber {
        /// Which field (`frame`, `x`, `y`, `key count`, …).
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// A number is NaN or infinite.
    #[error("{field} is not finite: {text:?}")]
    NonFinite {
        /// Which field.
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// A frame number has a fractional part.
    #[error("frame {text:?} is fractional; frames must be integers")]
    FractionalFrame {
        /// The text found.
        text: String,
    },
    /// A frame number (after the offset) does not fit.
    #[error("frame {text:?} is out of range")]
    FrameOutOfRange {
        /// The text found.
        text: String,
    },
    /// A line has fewer fields than the format needs.
    #[error("expected {expected}, found {found} field(s)")]
    MissingFields {
        /// What the line should hold (`"frame x y"`).
        expected: &'static str,
        /// Fields found.
        found: usize,
    },
    /// A line has more fields than the format allows.
    #[error("expected {expected}, found {found} fields")]
    TooManyFields {
        /// What the line should hold.
        expected: &'static str,
        /// Fields found.
        found: usize,
    },
    /// A line is not what the format has at this place.
    #[error("expected {expected}, found {found:?}")]
    Unexpected {
        /// What the format has here (`"a quoted tracker name"`).
        expected: &'static str,
        /// The line (shortened).
        found: String,
    },
    /// The file ends before a track is complete.
    #[error("the file ends where {expected} was expected")]
    UnexpectedEnd {
        /// What was expected.
        expected: &'static str,
    },
    /// A track declares more or fewer keys than follow it.
    #[error("track {track:?} declares {declared} keys but {found} follow")]
    KeyCount {
        /// The track.
        track: String,
        /// The count in the file.
        declared: u64,
        /// Keys found.
        found: u64,
    },
    /// A file declares more or fewer tracks than follow (3DEqualizer 4's point count).
    #[error("the file declares {declared} tracks but {found} follow")]
    TrackCount {
        /// The count in the file.
        declared: u64,
        /// Tracks found.
        found: u64,
    },
    /// A header or count disagrees with the content.
    #[error("{0}")]
    Header(String),
    /// A track has the same frame twice.
    #[error("track {track:?} has frame {frame} twice (first on line {first_line})")]
    DuplicateFrame {
        /// The track.
        track: String,
        /// The frame as written.
        frame: i64,
        /// Line of the first key.
        first_line: u64,
    },
    /// Two tracks have the same name (and camera).
    #[error(
        "track name {name:?} appears twice (first on line {first_line}); tracks are told \
         apart by name, so this is refused in strict mode (lenient mode keeps both, \
         renaming the later one {renamed:?})"
    )]
    DuplicateName {
        /// The name.
        name: String,
        /// Line of the first track with it.
        first_line: u64,
        /// The name lenient mode gives the later track.
        renamed: String,
    },
    /// A track has an empty name.
    #[error("a track has an empty name")]
    EmptyName,
    /// A track has no keys (kept in lenient and strict mode; reported as a note).
    #[error("track {track:?} has no keys")]
    EmptyTrack {
        /// The track.
        track: String,
    },
    /// A line is longer than the reader accepts.
    #[error("line is longer than {limit} bytes")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// A coordinate is finite but so far outside the image that converting it would
    /// overflow (SynthEyes' −1…1 values beyond ±1e12).
    #[error("{field} {text:?} is out of range (beyond ±1e12)")]
    CoordinateOutOfRange {
        /// Which field.
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// A PFTrack-family file's tracker layout (camera line, clip-number line, none) is
    /// not the one of the format chosen; read by its layout (a note, not an error: the
    /// layout is unambiguous from the lines themselves).
    #[error(
        "read as {chosen}, but the trackers have the {found} layout (read as such; \
         frames are numbered as {chosen} says)"
    )]
    LayoutMismatch {
        /// The format chosen (given or detected).
        chosen: super::TrackFormat,
        /// The layout the trackers have.
        found: super::TrackFormat,
    },
}

/// A skipped line or a note in lenient mode: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackWarning {
    /// Where.
    pub position: Position,
    /// What.
    pub issue: TrackIssue,
}

impl fmt::Display for TrackWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.issue)
    }
}
