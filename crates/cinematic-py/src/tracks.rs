//! 2D track files from Python: `import_tracks` and `export_tracks`, over
//! `cinematic.io.tracks` (3DEqualizer, SynthEyes, PFTrack / PFMatchit, boujou; Nuke and
//! After Effects export only). The GIL is released while files are read and written.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use cinematic::io::ReadMode;
use cinematic::io::tracks::{
    ImageSize, TrackFormat, TrackReadOptions, TrackWriteOptions, read_tracks, write_tracks_file,
};

use crate::convert::as_path;
use crate::errors::from_io;
use crate::types::PyTrackData;

fn size_arg(size: Option<(u32, u32)>) -> PyResult<Option<ImageSize>> {
    size.map(|(w, h)| ImageSize::new(w, h))
        .transpose()
        .map_err(|e| from_io(&e).into())
}

/// Reads a 2D track file: `{"format", "size": (w, h), "frame_base", "tracks":
/// [TrackData], "warnings": [str]}`. Markers are normalised 0..1 from the image's
/// bottom-left corner (Blender's marker `co`); frames are as written in the file plus
/// `frame_offset`; `frame_base` is the file format's number for the clip's first frame
/// (plus the offset). `size` is required unless the file states it (3DE v3).
#[pyfunction]
#[pyo3(signature = (file_path, size = None, *, format = "auto", frame_offset = 0, lenient = false))]
fn import_tracks<'py>(
    py: Python<'py>,
    file_path: &Bound<'py, PyAny>,
    size: Option<(u32, u32)>,
    format: &str,
    frame_offset: i64,
    lenient: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let file = as_path(file_path, "file_path")?;
    let options = TrackReadOptions {
        format: TrackFormat::parse_or_auto(format).map_err(|e| from_io(&e))?,
        size: size_arg(size)?,
        frame_offset,
        mode: if lenient {
            ReadMode::Lenient
        } else {
            ReadMode::Strict
        },
    };
    let import = py
        .detach(|| read_tracks(&file, &options))
        .map_err(|e| from_io(&e))?;
    let dict = PyDict::new(py);
    dict.set_item("format", import.format.name())?;
    dict.set_item("size", (import.size.width, import.size.height))?;
    dict.set_item("frame_base", import.frame_base)?;
    let tracks = PyList::empty(py);
    for track in import.tracks {
        tracks.append(Bound::new(py, PyTrackData::from_rust(track))?)?;
    }
    dict.set_item("tracks", tracks)?;
    let warnings: Vec<String> = import.warnings.iter().map(ToString::to_string).collect();
    dict.set_item("warnings", warnings)?;
    Ok(dict)
}

/// Writes `tracks` (a list of `TrackData`) to `file_path` in `format`, atomically.
/// `first_frame` is the tracks' frame number for the clip's first frame (an import's
/// `frame_base`, a session's `frame_start`); frames are written in the format's own
/// numbering, plus `frame_offset`; `frame_rate` is required by the formats that store
/// time (After Effects). Names the format cannot hold raise `ValueError`.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // Python keywords, each one a call-site name.
#[pyo3(signature = (tracks, file_path, format, size, first_frame, *, frame_offset = 0, frame_rate = None))]
fn export_tracks(
    py: Python<'_>,
    tracks: &Bound<'_, PyList>,
    file_path: &Bound<'_, PyAny>,
    format: &str,
    size: (u32, u32),
    first_frame: i64,
    frame_offset: i64,
    frame_rate: Option<f64>,
) -> PyResult<()> {
    let file = as_path(file_path, "file_path")?;
    let format = format.parse::<TrackFormat>().map_err(|e| from_io(&e))?;
    let size = ImageSize::new(size.0, size.1).map_err(|e| from_io(&e))?;
    let data = crate::types::tracks_to_rust(tracks)?;
    let options = TrackWriteOptions {
        format,
        size,
        first_frame,
        frame_offset,
        frame_rate,
    };
    py.detach(|| write_tracks_file(&data, &file, &options))
        .map_err(|e| from_io(&e).into())
}

/// Adds the functions to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(import_tracks, module)?)?;
    module.add_function(wrap_pyfunction!(export_tracks, module)?)?;
    module.add(
        "TRACK_FORMATS",
        TrackFormat::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>(),
    )?;
    Ok(())
}
