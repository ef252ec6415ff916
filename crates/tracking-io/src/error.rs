//! [`enum@Error`], the one error type of `tracking-io`, with [`Position`] (file, line, column)
//! and [`ChanIssue`] (what is wrong with one `.chan` line).

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

/// Where in a text file something was found (rust-csv style).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    /// The file, when reading from a path.
    pub path: Option<PathBuf>,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column (bytes from the start of the line, plus one).
    pub column: u64,
    /// 0-based byte offset from the start of the input.
    pub byte: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}:{}:{}", path.display(), self.line, self.column),
            None => write!(f, "line {}, column {}", self.line, self.column),
        }
    }
}

/// The fields of a `.chan` line, in file order.
pub const CHAN_FIELDS: [&str; 8] = ["frame", "tx", "ty", "tz", "rx", "ry", "rz", "vfov"];

/// What is wrong with one `.chan` line (an error in strict mode, a warning in lenient mode).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ChanIssue {
    /// Fewer than 7 fields.
    #[error("expected 7 or 8 fields (frame tx ty tz rx ry rz [vfov]), found {found}")]
    TooFewFields {
        /// Number of fields on the line.
        found: usize,
    },
    /// More than 8 fields.
    #[error("expected 7 or 8 fields (frame tx ty tz rx ry rz [vfov]), found {found}")]
    TooManyFields {
        /// Number of fields on the line.
        found: usize,
    },
    /// A field is not a number.
    #[error("field {field} is not a number: {text:?}")]
    NotANumber {
        /// Field name (`tx`, `rz`, …).
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// A field is NaN or infinite.
    #[error("field {field} is not finite: {text:?}")]
    NonFinite {
        /// Field name.
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// The frame number has a fractional part.
    #[error("frame {text:?} is fractional; frames must be integers")]
    FractionalFrame {
        /// The text found.
        text: String,
    },
    /// The frame number (after the frame offset) does not fit.
    #[error("frame {text:?} is out of range")]
    FrameOutOfRange {
        /// The text found.
        text: String,
    },
    /// The vertical field of view is not in (0°, 180°).
    #[error("vfov {value}° is outside (0°, 180°)")]
    InvalidFov {
        /// The value found, degrees.
        value: f64,
    },
    /// The frame appeared before.
    #[error("frame {frame} appears twice (first on line {first_line})")]
    DuplicateFrame {
        /// The frame number (after the frame offset).
        frame: i64,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// Some lines have a vfov column and others do not.
    #[error("this line has {found} fields but earlier lines have {expected}")]
    InconsistentFields {
        /// Fields on this line.
        found: usize,
        /// Fields on the first data line.
        expected: usize,
    },
    /// A line is longer than the reader accepts.
    #[error("line is longer than {limit} bytes")]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// A translation times the scale is not finite (it overflows `f64`).
    #[error("{field} × scale {} is not finite ({field} is {})", number(*scale), number(*value))]
    ScaledNotFinite {
        /// Field name (`tx`, `ty`, `tz`).
        field: &'static str,
        /// The field's value.
        value: f64,
        /// The scale it was multiplied by.
        scale: f64,
    },
    /// The focal length a vfov gives is not finite (a vfov too close to 0°).
    #[error(
        "focal length from vfov {}° is not finite (vertical aperture {} mm)",
        number(*vfov),
        number(*vertical_aperture_mm)
    )]
    FocalNotFinite {
        /// The vfov, degrees.
        vfov: f64,
        /// The vertical aperture it was converted with, mm.
        vertical_aperture_mm: f64,
    },
    /// The rotation computed from the line's angles is not finite.
    #[error("rotation from rx ry rz {angles:?} is not finite")]
    RotationNotFinite {
        /// `rx ry rz` as found, degrees.
        angles: [f64; 3],
    },
}

impl ChanIssue {
    /// The `.chan` field the issue is about (`tx`, `vfov`, `frame`, …), when it is one
    /// field's.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::NotANumber { field, .. }
            | Self::NonFinite { field, .. }
            | Self::ScaledNotFinite { field, .. } => Some(field),
            Self::FractionalFrame { .. }
            | Self::FrameOutOfRange { .. }
            | Self::DuplicateFrame { .. } => Some("frame"),
            Self::InvalidFov { .. } | Self::FocalNotFinite { .. } => Some("vfov"),
            Self::RotationNotFinite { .. } => Some("rx"),
            Self::TooFewFields { .. }
            | Self::TooManyFields { .. }
            | Self::InconsistentFields { .. }
            | Self::LineTooLong { .. } => None,
        }
    }
}

/// Everything that can go wrong in `tracking-io`.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{action} {}: {source}", path.as_ref().map_or_else(|| "<stream>".to_owned(), |p| p.display().to_string()))]
    Io {
        /// What was being done (`"cannot read"`, `"cannot write"`).
        action: &'static str,
        /// The file, when there is one.
        path: Option<PathBuf>,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Replacing an output file failed (the shared atomic-write recipe of `tracking-fs`:
    /// a failed write, sync or rename, or a target that is not a regular file).
    #[error(transparent)]
    File(#[from] tracking_fs::FsError),
    /// A `.chan` line is invalid (strict mode).
    #[error("{position}: {issue}")]
    Chan {
        /// Where.
        position: Position,
        /// What.
        issue: ChanIssue,
    },
    /// The input holds no camera frames.
    #[error("{}: no camera frames found", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()))]
    NoFrames {
        /// The file, when there is one.
        path: Option<PathBuf>,
    },
    /// A lens value is zero, negative, non-finite or out of range.
    #[error("invalid {what}: {value} ({reason})")]
    InvalidLens {
        /// Which quantity (`"field of view"`, `"focal length"`, `"film back height"`).
        what: &'static str,
        /// The value given.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An option value is invalid.
    #[error("invalid {option}: {reason}")]
    InvalidOption {
        /// Which option.
        option: &'static str,
        /// Why.
        reason: String,
    },
    /// Camera data (JSON camera, solve) holds an invalid value.
    #[error("{}: {field}: {reason}", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()))]
    InvalidCamera {
        /// The file, when there is one.
        path: Option<PathBuf>,
        /// Path of the offending field, e.g. `camera.frames[3].focal`.
        field: String,
        /// Why.
        reason: String,
    },
    /// A JSON camera file is not valid JSON of the expected shape. The message starts
    /// with `file:line:column` (the JSON error's own position).
    #[error("{}{}: invalid JSON camera: {source}", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()), json_position(source))]
    Json {
        /// The file, when there is one.
        path: Option<PathBuf>,
        /// The JSON error (carries line and column).
        #[source]
        source: serde_json::Error,
    },
    /// A solve has no focal length for a format that needs one.
    #[error("{}: the file has no vfov column, so the focal length is unknown; pass a focal length fallback", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()))]
    NoFocalLength {
        /// The file, when there is one.
        path: Option<PathBuf>,
    },
    /// The format is not supported.
    #[error("{what} is not supported; supported formats: {}", supported.join(", "))]
    Unsupported {
        /// What was asked for (a format name or a file).
        what: String,
        /// The supported formats.
        supported: &'static [&'static str],
    },
    /// A 2D-track file is invalid at `position` (strict mode). The message starts with
    /// `file:line:column`.
    #[error("{position}: {}{issue}", format.map(|f| format!("{}: ", f.description())).unwrap_or_default())]
    Tracks {
        /// Where.
        position: Position,
        /// The format being read, once known.
        format: Option<crate::tracks::TrackFormat>,
        /// What.
        issue: crate::tracks::TrackIssue,
    },
    /// A 2D-track file's image size is missing, or contradicts the one given.
    #[error("{}: {reason}", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()))]
    TrackSize {
        /// The file, when there is one.
        path: Option<PathBuf>,
        /// What is wrong.
        reason: String,
    },
    /// A file is not of the kind asked for: a camera file given to the 2D-track reader
    /// or the other way round, or a file of no known format that looks like something
    /// else (a Houdini/Maya `frame value` curve, a Nuke "Export Ascii" file).
    #[error("{}: not {expected}: {appears}", path.as_ref().map_or_else(|| "<input>".to_owned(), |p| p.display().to_string()))]
    NotRecognised {
        /// The file, when there is one.
        path: Option<PathBuf>,
        /// What was asked for (`"a 2D track file"`, `"a camera file"`).
        expected: &'static str,
        /// What the file appears to be, and what to do.
        appears: String,
    },
    /// A track cannot be written in the target format as it is (a name with a space in
    /// a whitespace-separated format, a line break, a quote in a quoted name).
    #[error("cannot write track {name:?} as {}: {reason}", format.description())]
    TrackName {
        /// The target format.
        format: crate::tracks::TrackFormat,
        /// The track's name.
        name: String,
        /// Why.
        reason: &'static str,
    },
}

/// A number for a message: plain when it is of everyday size, else in exponent form
/// (`1e308`, `1e-320`; never 300 zeros).
pub(crate) fn number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() || (1e-4..1e15).contains(&value.abs()) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

/// `:line:column` of a JSON error, when it has one.
fn json_position(error: &serde_json::Error) -> String {
    if error.line() == 0 {
        String::new()
    } else {
        format!(":{}:{}", error.line(), error.column())
    }
}

impl Error {
    /// The error with `path` as the file it is about, where it names none yet: for
    /// errors about camera data found by code that saw only the data (the `.chan`
    /// writer's checks, a solve's conversion), so that the message names the real input
    /// file instead of `<input>`. Errors that already name a file, and I/O errors on a
    /// stream, are returned unchanged.
    #[must_use]
    pub fn with_input_path(self, path: impl AsRef<std::path::Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        match self {
            Error::Chan {
                mut position,
                issue,
            } if position.path.is_none() => {
                position.path = Some(path);
                Error::Chan { position, issue }
            }
            Error::NoFrames { path: None } => Error::NoFrames { path: Some(path) },
            Error::InvalidCamera {
                path: None,
                field,
                reason,
            } => Error::InvalidCamera {
                path: Some(path),
                field,
                reason,
            },
            Error::Json { path: None, source } => Error::Json {
                path: Some(path),
                source,
            },
            Error::NoFocalLength { path: None } => Error::NoFocalLength { path: Some(path) },
            Error::Tracks {
                mut position,
                format,
                issue,
            } if position.path.is_none() => {
                position.path = Some(path);
                Error::Tracks {
                    position,
                    format,
                    issue,
                }
            }
            Error::TrackSize { path: None, reason } => Error::TrackSize {
                path: Some(path),
                reason,
            },
            Error::NotRecognised {
                path: None,
                expected,
                appears,
            } => Error::NotRecognised {
                path: Some(path),
                expected,
                appears,
            },
            other => other,
        }
    }

    /// Where in a text file the error is, for a `.chan` or 2D-track line error.
    pub fn position(&self) -> Option<&Position> {
        match self {
            Error::Chan { position, .. } | Error::Tracks { position, .. } => Some(position),
            _ => None,
        }
    }

    /// An I/O error while reading `path`.
    pub(crate) fn read(path: Option<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action: "cannot read",
            path,
            source,
        }
    }

    /// An I/O error while writing `path`.
    pub(crate) fn write(path: Option<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action: "cannot write",
            path,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chan_error_names_file_line_and_column() {
        let err = Error::Chan {
            position: Position {
                path: Some(PathBuf::from("shot.chan")),
                line: 7,
                column: 12,
                byte: 200,
            },
            issue: ChanIssue::NotANumber {
                field: "rx",
                text: "abc".into(),
            },
        };
        assert_eq!(
            err.to_string(),
            "shot.chan:7:12: field rx is not a number: \"abc\""
        );
    }

    #[test]
    fn unsupported_lists_the_supported_formats() {
        let err = Error::Unsupported {
            what: "shot.fbx".into(),
            supported: &["nuke_chan", "json"],
        };
        assert_eq!(
            err.to_string(),
            "shot.fbx is not supported; supported formats: nuke_chan, json"
        );
    }
}
