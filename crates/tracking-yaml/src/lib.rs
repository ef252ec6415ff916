//! The YAML codec: every YAML read and write of cinematic goes through here.
//!
//! * [`to_yaml_string`] writes block YAML laid out exactly as the Python original's
//!   `yaml.dump(data, default_flow_style=False, sort_keys=False)`: keys in struct field
//!   order, sequences under a key not indented, frame keys as quoted strings (`'1001':`),
//!   strings that PyYAML (YAML 1.1) or a YAML 1.2 reader would mistype quoted (`'no'`,
//!   `'12:30'`, `'1e5'`), floats spelled as Python's `repr` with PyYAML's fix-up
//!   (`1.0e+22`), so they round-trip bit for bit. Non-finite numbers are refused with
//!   the field path.
//! * [`from_yaml_str`] reads YAML within [`YamlLimits`]: size is checked before
//!   parsing, anchors/aliases are refused (billion-laughs bombs), nesting is capped.
//!   A fast path reads the block subset we and PyYAML write straight into the target
//!   type; anything else is read by `serde_yaml`, with identical results. Errors carry
//!   line, column and, for data errors, the field path (`tracks[0].track_type`).
//!
//! ```
//! use tracking_types::TrackData;
//! use tracking_yaml as yaml;
//!
//! let track = TrackData::new("no");
//! let text = yaml::to_yaml_string(&track)?;
//! assert!(text.starts_with("name: 'no'\n"));
//! let back: TrackData = yaml::from_yaml_str(&text, &yaml::YamlLimits::default())?;
//! assert_eq!(back, track);
//! # Ok::<(), yaml::YamlError>(())
//! ```

mod emit;
mod fast;
mod guard;
mod resolve;
mod tree;

use std::cell::Cell;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// Limits applied by [`from_yaml_str`] before and while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlLimits {
    /// Largest accepted input in bytes; checked before parsing. Default 256 MiB.
    pub max_bytes: usize,
    /// Deepest accepted nesting of collections (the root collection is level 1).
    /// Default 64; the `serde_yaml` fallback also stops at its own limit of 128.
    pub max_depth: usize,
    /// Whether anchors (`&a`) and aliases (`*a`) are accepted. Default `false`: our
    /// files never contain them, and refusing them stops alias bombs outright. When
    /// allowed, `serde_yaml`'s own expansion limit applies.
    pub allow_aliases: bool,
}

impl YamlLimits {
    /// Default `max_bytes`: 256 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;
    /// Default `max_depth`: 64 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// These limits with another `max_bytes`.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// These limits with another `max_depth`.
    #[must_use]
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// These limits with anchors and aliases allowed or not.
    #[must_use]
    pub fn with_aliases(mut self, allow_aliases: bool) -> Self {
        self.allow_aliases = allow_aliases;
        self
    }
}

impl Default for YamlLimits {
    fn default() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            allow_aliases: false,
        }
    }
}

/// What went wrong reading or writing YAML, and where.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum YamlError {
    /// The input is larger than [`YamlLimits::max_bytes`]; nothing was parsed.
    #[error("YAML input is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Collections nest deeper than [`YamlLimits::max_depth`].
    #[error("line {line} column {column}: YAML nesting is deeper than {limit} levels")]
    TooDeep {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The limit in force.
        limit: usize,
    },
    /// An anchor or alias while [`YamlLimits::allow_aliases`] is off.
    #[error("line {line} column {column}: YAML anchors and aliases are not allowed")]
    AliasesNotAllowed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The text holds no YAML node at all (empty, blank or only comments): a
    /// truncated or emptied file, never silently read as defaults.
    #[error("the YAML document is empty")]
    EmptyDocument,
    /// The text is not valid YAML.
    #[error("line {line} column {column}: invalid YAML: {message}")]
    Syntax {
        /// 1-based line (0 when the parser did not say).
        line: usize,
        /// 1-based column (0 when the parser did not say).
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// Valid YAML whose data does not fit the target type (unknown enum value,
    /// duplicated frame key, wrong type, …).
    #[error("{path}: {message}{}", position_suffix(*.line, *.column))]
    Data {
        /// Field path such as `tracks[0].track_type` (`.` for the root).
        path: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong, e.g. ``unknown variant `x`, expected one of `point`, …``.
        message: String,
    },
    /// A NaN or infinite number cannot be written (PyYAML would read `.nan`, and the
    /// original never wrote one).
    #[error("{path}: non-finite number {value} cannot be written to YAML")]
    NonFinite {
        /// Field path such as `tracks[1].markers[1002][0]`.
        path: String,
        /// The value found.
        value: f64,
    },
    /// A value YAML cannot represent here (byte strings, collection map keys, or a
    /// `Serialize` impl's own error).
    #[error("{path}: cannot be written to YAML: {message}")]
    Unrepresentable {
        /// Field path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

fn position_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (line {l} column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

impl YamlError {
    /// The 1-based line the error points at, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::TooDeep { line, .. } | Self::AliasesNotAllowed { line, .. } => Some(*line),
            Self::Syntax { line, .. } => (*line > 0).then_some(*line),
            Self::Data { line, .. } => *line,
            _ => None,
        }
    }

    /// The 1-based column the error points at, when it has one.
    pub fn column(&self) -> Option<usize> {
        match self {
            Self::TooDeep { column, .. } | Self::AliasesNotAllowed { column, .. } => Some(*column),
            Self::Syntax { column, .. } => (*column > 0).then_some(*column),
            Self::Data { column, .. } => *column,
            _ => None,
        }
    }
}

/// Writes `value` as PyYAML-compatible block YAML (see the [module docs](self)).
///
/// # Errors
/// [`YamlError::NonFinite`] for NaN or infinite floats, [`YamlError::Unrepresentable`]
/// for byte strings, collection-valued map keys or a `Serialize` impl's own error; both
/// name the field path.
pub fn to_yaml_string<T: Serialize + ?Sized>(value: &T) -> Result<String, YamlError> {
    let node = tree::to_node(value).map_err(|e| {
        let path = tree::render_path(&e.path);
        match e.kind {
            tree::TreeErrorKind::NonFinite(value) => YamlError::NonFinite { path, value },
            tree::TreeErrorKind::Message(message) => YamlError::Unrepresentable { path, message },
        }
    })?;
    Ok(emit::emit(&node))
}

/// Reads a `T` from YAML text within `limits` (see the [module docs](self)).
///
/// Unknown fields are ignored; frame keys may be quoted or bare integers; whole
/// numbers are accepted where floats are expected.
///
/// # Errors
/// [`YamlError::TooLarge`], [`YamlError::TooDeep`], [`YamlError::AliasesNotAllowed`],
/// [`YamlError::Syntax`] (with line and column) or [`YamlError::Data`] (with field
/// path, line and column).
pub fn from_yaml_str<T: DeserializeOwned>(text: &str, limits: &YamlLimits) -> Result<T, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    if is_empty_document(text) {
        return Err(YamlError::EmptyDocument);
    }
    match from_yaml_str_fast(text, limits) {
        FastOutcome::Done(result) => result,
        FastOutcome::Unsupported => from_yaml_str_fallback(text, limits),
    }
}

/// True when `text` has no node: only blank lines, comments and document markers.
fn is_empty_document(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

enum FastOutcome<T> {
    Done(Result<T, YamlError>),
    Unsupported,
}

/// The fast path; `Unsupported` when the text is outside its subset.
fn from_yaml_str_fast<T: DeserializeOwned>(text: &str, limits: &YamlLimits) -> FastOutcome<T> {
    if !fast::may_try(text) {
        return FastOutcome::Unsupported;
    }
    let mut de = fast::FastDeserializer::new(text, limits.max_depth, limits.allow_aliases);
    let result = serde_path_to_error::deserialize::<_, T>(&mut de);
    let value = match result {
        Ok(value) => value,
        Err(e) => {
            let path = e.path().to_string();
            return match e.into_inner() {
                fast::FastError::Unsupported => FastOutcome::Unsupported,
                other => FastOutcome::Done(Err(fast_error(other, path, text, limits))),
            };
        }
    };
    match de.end() {
        Ok(()) => FastOutcome::Done(Ok(value)),
        Err(fast::FastError::Unsupported) => FastOutcome::Unsupported,
        Err(other) => FastOutcome::Done(Err(fast_error(other, ".".to_owned(), text, limits))),
    }
}

fn fast_error(error: fast::FastError, path: String, text: &str, limits: &YamlLimits) -> YamlError {
    match error {
        fast::FastError::Alias(mark) => {
            let (line, column) = mark.line_column(text);
            YamlError::AliasesNotAllowed { line, column }
        }
        fast::FastError::TooDeep(mark) => {
            let (line, column) = mark.line_column(text);
            YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            }
        }
        fast::FastError::Data { message, mark } => {
            let position = mark.map(|m| m.line_column(text));
            YamlError::Data {
                path,
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                message,
            }
        }
        fast::FastError::Unsupported => YamlError::Syntax {
            line: 0,
            column: 0,
            message: "unsupported YAML".to_owned(),
        },
    }
}

/// The general path: `serde_yaml`, behind the alias and depth guards.
fn from_yaml_str_fallback<T: DeserializeOwned>(
    text: &str,
    limits: &YamlLimits,
) -> Result<T, YamlError> {
    match guard::find_hazard(text, !limits.allow_aliases, limits.max_depth) {
        Some(guard::Hazard::Alias(line, column)) => {
            return Err(YamlError::AliasesNotAllowed { line, column });
        }
        Some(guard::Hazard::TooDeep(line, column)) => {
            return Err(YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            });
        }
        None => {}
    }
    // Pass 1: syntax and depth, without building anything.
    let exceeded = Cell::new(false);
    let probe = guard::DepthProbe::new(limits.max_depth, &exceeded);
    if let Err(e) =
        serde::de::DeserializeSeed::deserialize(probe, serde_yaml::Deserializer::from_str(text))
    {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        if exceeded.get() || e.to_string().starts_with("recursion limit exceeded") {
            return Err(YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            });
        }
        return Err(YamlError::Syntax {
            line,
            column,
            message: e.to_string(),
        });
    }
    // Pass 2: the data.
    serde_path_to_error::deserialize::<_, T>(serde_yaml::Deserializer::from_str(text)).map_err(
        |e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let location = inner.location();
            let mut message = inner.to_string();
            if let Some(l) = &location {
                let suffix = format!(" at line {} column {}", l.line(), l.column());
                if let Some(stripped) = message.strip_suffix(&suffix) {
                    message = stripped.to_owned();
                }
            }
            if let Some(stripped) = message.strip_prefix(&format!("{path}: ")) {
                message = stripped.to_owned();
            }
            YamlError::Data {
                path,
                line: location.as_ref().map(serde_yaml::Location::line),
                column: location.as_ref().map(serde_yaml::Location::column),
                message,
            }
        },
    )
}

#[cfg(test)]
mod tests;
