//! The Python exceptions: a base `cinematic.CinematicError` and subclasses that also
//! derive from the natural builtin, and the mapping of every crate's `Error` onto them.
//!
//! | exception | also a | raised for |
//! |---|---|---|
//! | `CinematicError` | `Exception` | the base of all below (and anything not listed) |
//! | `NotFoundError` | `FileNotFoundError` | a missing session, solve, media or camera file |
//! | `InvalidValueError` | `ValueError` | a bad number, option, id or field value |
//! | `MalformedFileError` | `InvalidValueError` | a file whose content cannot be read (`.chan`, YAML, JSON, media) |
//! | `UnsupportedFormatError` | `ValueError` | a format `import_tracking_data` does not read |
//! | `SessionConflict` | — | a save that would lose someone else's update |
//! | `ToolError` | `RuntimeError` | ffprobe/ffmpeg failed, timed out or printed nonsense |
//! | `ToolNotFoundError` | `ToolError` | ffprobe/ffmpeg is not installed |
//! | `StorageError` | `OSError` | the file system refused (permissions, lock timeout, not a regular file) |
//!
//! Every instance carries `path`, `line` and `column` (`None` when unknown; 1-based).
//! The Rust errors are turned into a [`Failure`] (plain data, built without the GIL)
//! and that into the Python exception.

use std::fmt::Display;
use std::path::Path;

use cinematic::fs::FsError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// Which Python exception a failure becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `CinematicError` itself.
    Other,
    /// `NotFoundError` (a `FileNotFoundError`).
    NotFound,
    /// `InvalidValueError` (a `ValueError`).
    InvalidValue,
    /// `MalformedFileError` (an `InvalidValueError`).
    MalformedFile,
    /// `UnsupportedFormatError` (a `ValueError`).
    UnsupportedFormat,
    /// `SessionConflict`.
    SessionConflict,
    /// `ToolError` (a `RuntimeError`).
    Tool,
    /// `ToolNotFoundError` (a `ToolError`).
    ToolNotFound,
    /// `StorageError` (an `OSError`).
    Storage,
}

/// One exception class: its name, the names of its bases (ours or builtins) and its doc.
struct ClassSpec {
    kind: Kind,
    name: &'static str,
    bases: &'static [&'static str],
    doc: &'static str,
}

/// Every class, bases before the classes that derive from them.
const CLASSES: &[ClassSpec] = &[
    ClassSpec {
        kind: Kind::Other,
        name: "CinematicError",
        bases: &["Exception"],
        doc: "Base of every cinematic error; `path`, `line` and `column` say where (None when unknown).",
    },
    ClassSpec {
        kind: Kind::NotFound,
        name: "NotFoundError",
        bases: &["CinematicError", "FileNotFoundError"],
        doc: "A session, solve, media or camera file does not exist.",
    },
    ClassSpec {
        kind: Kind::InvalidValue,
        name: "InvalidValueError",
        bases: &["CinematicError", "ValueError"],
        doc: "A number, option, id or field value is invalid (`field` names it when known).",
    },
    ClassSpec {
        kind: Kind::MalformedFile,
        name: "MalformedFileError",
        bases: &["InvalidValueError"],
        doc: "A file's content cannot be read; `path`, `line`, `column` say where.",
    },
    ClassSpec {
        kind: Kind::UnsupportedFormat,
        name: "UnsupportedFormatError",
        bases: &["CinematicError", "ValueError"],
        doc: "The format is not supported; the message lists the supported ones (`supported`).",
    },
    ClassSpec {
        kind: Kind::SessionConflict,
        name: "SessionConflict",
        bases: &["CinematicError"],
        doc: "Saving would lose another update (the file changed since it was loaded, or exists \
              although the session was never loaded); reload, or save with force=True.",
    },
    ClassSpec {
        kind: Kind::Tool,
        name: "ToolError",
        bases: &["CinematicError", "RuntimeError"],
        doc: "ffprobe or ffmpeg failed, timed out or printed output that makes no sense.",
    },
    ClassSpec {
        kind: Kind::ToolNotFound,
        name: "ToolNotFoundError",
        bases: &["ToolError"],
        doc: "ffprobe or ffmpeg is not installed (the message says how to install it).",
    },
    ClassSpec {
        kind: Kind::Storage,
        name: "StorageError",
        bases: &["CinematicError", "OSError"],
        doc: "The file system refused: permissions, a lock held too long, not a regular file.",
    },
];

/// The created classes, in [`CLASSES`] order.
static TYPES: PyOnceLock<Vec<(Kind, Py<PyType>)>> = PyOnceLock::new();

fn create_types(py: Python<'_>) -> PyResult<Vec<(Kind, Py<PyType>)>> {
    let builtins = py.import("builtins")?;
    let type_ = builtins.getattr("type")?;
    let mut made: Vec<(Kind, &'static str, Py<PyType>)> = Vec::with_capacity(CLASSES.len());
    for spec in CLASSES {
        let mut bases = Vec::with_capacity(spec.bases.len());
        for base in spec.bases {
            let ours = made.iter().find(|(_, name, _)| name == base);
            bases.push(match ours {
                Some((_, _, class)) => class.bind(py).clone().into_any(),
                None => builtins.getattr(*base)?,
            });
        }
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "cinematic")?;
        namespace.set_item("__doc__", spec.doc)?;
        for attribute in ["path", "line", "column"] {
            namespace.set_item(attribute, py.None())?;
        }
        let class = type_
            .call1((spec.name, PyTuple::new(py, bases)?, namespace))?
            .cast_into::<PyType>()?;
        made.push((spec.kind, spec.name, class.unbind()));
    }
    Ok(made
        .into_iter()
        .map(|(kind, _, class)| (kind, class))
        .collect())
}

/// The exception class for `kind`.
fn class_of(py: Python<'_>, kind: Kind) -> PyResult<Bound<'_, PyType>> {
    let types = TYPES.get_or_try_init(py, || create_types(py))?;
    types
        .iter()
        .find(|(k, _)| *k == kind)
        .or_else(|| types.first())
        .map(|(_, class)| class.bind(py).clone())
        .ok_or_else(|| pyo3::exceptions::PySystemError::new_err("no cinematic exception types"))
}

/// Adds every exception class to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    for spec in CLASSES {
        module.add(spec.name, class_of(py, spec.kind)?)?;
    }
    Ok(())
}

/// An extra attribute value of an exception.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Extra {
    /// A string.
    Text(String),
    /// An integer.
    Int(u64),
    /// A list of strings.
    Texts(Vec<String>),
    /// `None`.
    Nothing,
}

/// A failure ready to become a Python exception: built from a Rust error without the
/// GIL, raised with it.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    kind: Kind,
    message: String,
    path: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
    extras: Vec<(&'static str, Extra)>,
}

impl Failure {
    /// A failure of `kind` saying `message`.
    pub(crate) fn new(kind: Kind, message: impl Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
            path: None,
            line: None,
            column: None,
            extras: Vec::new(),
        }
    }

    /// The same failure about `path`.
    pub(crate) fn at(mut self, path: Option<&Path>) -> Self {
        self.path = path.map(|p| p.to_string_lossy().into_owned());
        self
    }

    /// The same failure at a 1-based line and column (`0` or `None`: unknown).
    pub(crate) fn position(mut self, line: Option<u64>, column: Option<u64>) -> Self {
        self.line = line.filter(|&l| l > 0);
        self.column = column.filter(|&c| c > 0);
        self
    }

    /// The same failure with one more attribute.
    pub(crate) fn with(mut self, name: &'static str, value: Extra) -> Self {
        self.extras.push((name, value));
        self
    }

    /// The Python exception.
    pub(crate) fn to_pyerr(&self, py: Python<'_>) -> PyErr {
        match self.build(py) {
            Ok(err) | Err(err) => err,
        }
    }

    fn build(&self, py: Python<'_>) -> PyResult<PyErr> {
        let class = class_of(py, self.kind)?;
        let instance = class.call1((self.message.as_str(),))?;
        instance.setattr("path", self.path.as_deref())?;
        instance.setattr("line", self.line)?;
        instance.setattr("column", self.column)?;
        for (name, value) in &self.extras {
            match value {
                Extra::Text(text) => instance.setattr(*name, text.as_str())?,
                Extra::Int(n) => instance.setattr(*name, *n)?,
                Extra::Texts(texts) => instance.setattr(*name, texts.clone())?,
                Extra::Nothing => instance.setattr(*name, py.None())?,
            }
        }
        Ok(PyErr::from_value(instance))
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        Python::attach(|py| failure.to_pyerr(py))
    }
}

/// A `TypeError` saying what `field` must be.
pub(crate) fn type_error(field: &str, expected: &str, found: &Bound<'_, PyAny>) -> PyErr {
    let found = found
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    pyo3::exceptions::PyTypeError::new_err(format!("{field} must be {expected}, not {found}"))
}

/// An `InvalidValueError` about `field`.
pub(crate) fn invalid(field: &str, message: impl Display) -> Failure {
    Failure::new(Kind::InvalidValue, format!("{field}: {message}"))
        .with("field", Extra::Text(field.to_owned()))
}

fn optional(value: Option<u64>) -> Extra {
    value.map_or(Extra::Nothing, Extra::Int)
}

/// The failure for a file-system step of `tracking-fs`.
pub(crate) fn from_fs(error: &FsError) -> Failure {
    let kind = match error {
        FsError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Kind::NotFound
        }
        _ => Kind::Storage,
    };
    Failure::new(kind, error).at(Some(error.path()))
}

fn from_std_io(error: &std::io::Error, message: impl Display, path: Option<&Path>) -> Failure {
    let kind = if error.kind() == std::io::ErrorKind::NotFound {
        Kind::NotFound
    } else {
        Kind::Storage
    };
    Failure::new(kind, message).at(path)
}

/// The failure for a `tracking-io` error (cameras, `.chan`, lens maths).
pub(crate) fn from_io(error: &cinematic::io::Error) -> Failure {
    use cinematic::io::Error as E;
    match error {
        E::Io { path, source, .. } => from_std_io(source, error, path.as_deref()),
        E::File(fs) => from_fs(fs),
        E::Chan { position, issue } => Failure::new(Kind::MalformedFile, error)
            .at(position.path.as_deref())
            .position(Some(position.line), Some(position.column))
            .with(
                "field",
                issue
                    .field()
                    .map_or(Extra::Nothing, |f| Extra::Text(f.to_owned())),
            ),
        E::NoFrames { path } => Failure::new(Kind::MalformedFile, error).at(path.as_deref()),
        E::Json { path, source } => Failure::new(Kind::MalformedFile, error)
            .at(path.as_deref())
            .position(
                u64::try_from(source.line()).ok(),
                u64::try_from(source.column()).ok(),
            ),
        E::InvalidCamera { path, field, .. } => {
            let kind = if path.is_some() {
                Kind::MalformedFile
            } else {
                Kind::InvalidValue
            };
            Failure::new(kind, error)
                .at(path.as_deref())
                .with("field", Extra::Text(field.clone()))
        }
        E::NoFocalLength { path } => Failure::new(
            Kind::InvalidValue,
            format!("{error} (focal_length=MM in Python)"),
        )
        .at(path.as_deref()),
        E::Unsupported { supported, .. } => Failure::new(Kind::UnsupportedFormat, error).with(
            "supported",
            Extra::Texts(supported.iter().map(|s| (*s).to_owned()).collect()),
        ),
        E::Tracks { position, .. } => Failure::new(Kind::MalformedFile, error)
            .at(position.path.as_deref())
            .position(Some(position.line), Some(position.column)),
        E::TrackSize { path, .. } => Failure::new(Kind::InvalidValue, error).at(path.as_deref()),
        E::NotRecognised { path, .. } => {
            Failure::new(Kind::UnsupportedFormat, error).at(path.as_deref())
        }
        E::InvalidLens { .. } | E::InvalidOption { .. } | E::TrackName { .. } => {
            Failure::new(Kind::InvalidValue, error)
        }
        _ => Failure::new(Kind::Other, error),
    }
}

/// The failure for a `tracking-footage` error (probing, analysis, tools).
pub(crate) fn from_footage(error: &cinematic::footage::Error) -> Failure {
    use cinematic::footage::Error as E;
    match error {
        E::ToolNotFound { .. } => Failure::new(Kind::ToolNotFound, error),
        E::ToolVersion { program, .. } | E::Spawn { program, .. } => {
            Failure::new(Kind::Tool, error).at(Some(program))
        }
        E::Timeout { path, .. }
        | E::OutputTooLarge { path, .. }
        | E::ToolFailed { path, .. }
        | E::BadToolOutput { path, .. }
        | E::UnparsableOutput { path, .. }
        | E::WorkerPanicked { path } => Failure::new(Kind::Tool, error).at(Some(path)),
        E::NotFound { path } => Failure::new(Kind::NotFound, error).at(Some(path)),
        E::NotARegularFile { path, .. } | E::SymlinkLoop { path } | E::TooLarge { path, .. } => {
            Failure::new(Kind::Storage, error).at(Some(path))
        }
        E::Io { path, source, .. } => from_std_io(source, error, Some(path)),
        E::Input(fs) | E::Cache(fs) => from_fs(fs),
        E::EmptyFile { path }
        | E::NoVideoStream { path }
        | E::NoFrameRate { path, .. }
        | E::NotASequence { path, .. }
        | E::SequenceFrameRateUnknown { path }
        | E::ExrHeader { path, .. } => Failure::new(Kind::MalformedFile, error).at(Some(path)),
        E::NonUtf8Path { path } => Failure::new(Kind::InvalidValue, error).at(Some(path)),
        _ => Failure::new(Kind::Other, error),
    }
}

/// The failure for a `tracking-session` error (the session store).
pub(crate) fn from_session(error: &cinematic::session::Error) -> Failure {
    use cinematic::session::Error as E;
    let at = |path: &camino::Utf8Path| Some(path.as_std_path().to_path_buf());
    match error {
        E::NotFound { path, .. } => Failure::new(Kind::NotFound, error).at(at(path).as_deref()),
        E::InvalidId { .. } | E::Encode { .. } => Failure::new(Kind::InvalidValue, error),
        E::Validation { source, .. } => Failure::new(Kind::InvalidValue, error)
            .with("field", Extra::Text(source.field().to_owned())),
        E::CaseCollision { .. } => Failure::new(Kind::SessionConflict, error),
        E::Conflict {
            path,
            expected,
            found,
        } => Failure::new(Kind::SessionConflict, error)
            .at(at(path).as_deref())
            .with("expected_revision", optional(*expected))
            .with("found_revision", optional(*found)),
        E::NewerSchema { path, .. } => {
            Failure::new(Kind::SessionConflict, error).at(at(path).as_deref())
        }
        E::IdMismatch { path, .. } => {
            Failure::new(Kind::MalformedFile, error).at(at(path).as_deref())
        }
        E::Corrupt {
            path,
            line,
            column,
            quarantined_to,
            ..
        } => Failure::new(Kind::MalformedFile, error)
            .at(at(path).as_deref())
            .position(
                line.and_then(|l| u64::try_from(l).ok()),
                column.and_then(|c| u64::try_from(c).ok()),
            )
            .with(
                "quarantined_to",
                quarantined_to
                    .as_ref()
                    .map_or(Extra::Nothing, |q| Extra::Text(q.to_string())),
            ),
        E::TooLarge { path, .. } | E::NotAFile { path } => {
            Failure::new(Kind::Storage, error).at(at(path).as_deref())
        }
        E::File(fs) => from_fs(fs),
        E::Io { path, source, .. } => from_std_io(source, error, at(path).as_deref()),
        _ => Failure::new(Kind::Other, error),
    }
}
