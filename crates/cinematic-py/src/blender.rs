//! What the Blender add-on (`blender/cinematic_tracking/`) needs from Rust: the scene
//! script (tracking-blender's `cinematic_scene.py`, the one `cinematic blender build`
//! runs), the spec of a stored shot, a camera's keys from a `.chan`, and a `.chan` from
//! a camera's evaluated matrices. Specs travel as JSON text: the add-on `json.loads`
//! them and hands them to the scene script's functions, exactly as the CLI's Blender
//! run does, so the two build the same scene. Everything but the script text releases
//! the GIL.

use std::str::FromStr;

use cinematic::blender::{BlenderError, CameraKeys, CameraSetup, track_from_matrices};
use cinematic::io::{
    ChanOptions, ChanWriteOptions, FilmBack, ReadMode, RotationOrder, SensorFit, UpAxis, read_chan,
    write_chan_file,
};
use cinematic::shot::{ShotError, scene_for_session};
use pyo3::prelude::*;

use crate::convert::{as_path, utf8_path};
use crate::errors::{Failure, Kind, from_footage, from_fs, from_io, from_session, invalid};

/// The failure for a `tracking-blender` error.
fn from_blender(error: &BlenderError) -> Failure {
    match error {
        BlenderError::NotFound { .. } => Failure::new(Kind::ToolNotFound, error),
        BlenderError::File(fs) => from_fs(fs),
        BlenderError::Camera(io) => from_io(io),
        BlenderError::InvalidScene { .. } => Failure::new(Kind::InvalidValue, error),
        BlenderError::NotABlend { path, .. } | BlenderError::CannotOpen { path, .. } => {
            Failure::new(Kind::MalformedFile, error).at(Some(path))
        }
        BlenderError::NoCamera { path, .. } => Failure::new(Kind::NotFound, error).at(Some(path)),
        _ => Failure::new(Kind::Tool, error),
    }
}

/// The failure for a `tracking-shot` error.
fn from_shot(error: &ShotError) -> Failure {
    match error {
        ShotError::Plate { source, .. } => from_footage(source),
        ShotError::Camera { source, .. } => from_io(source),
        ShotError::Store { source, .. } => from_session(source),
        ShotError::Blender(source) => from_blender(source),
        ShotError::NoSessions { .. } => Failure::new(Kind::NotFound, error),
        _ => Failure::new(Kind::Other, error),
    }
}

fn sensor_fit(text: &str) -> PyResult<SensorFit> {
    match text.to_ascii_uppercase().as_str() {
        "AUTO" => Ok(SensorFit::Auto),
        "HORIZONTAL" => Ok(SensorFit::Horizontal),
        "VERTICAL" => Ok(SensorFit::Vertical),
        _ => Err(invalid(
            "sensor_fit",
            format!("{text:?} is not AUTO, HORIZONTAL or VERTICAL"),
        )
        .into()),
    }
}

fn rotation_order(text: &str) -> PyResult<RotationOrder> {
    RotationOrder::from_str(text).map_err(|e| from_io(&e).into())
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| invalid("spec", e).into())
}

/// The scene script's source (`cinematic_scene.py`), for the add-on to run in Blender.
#[pyfunction]
fn blender_scene_script() -> &'static str {
    cinematic::blender::SCENE_SCRIPT
}

/// The scene spec (JSON) of stored session `session_id` (default: the latest) under
/// `state_root` (default `.gsd-state/tracking`): what `cinematic blender build
/// --session` builds.
#[pyfunction]
#[pyo3(signature = (session_id = None, state_root = None, sensor_fit = "HORIZONTAL"))]
fn blender_scene_spec(
    py: Python<'_>,
    session_id: Option<&str>,
    state_root: Option<&Bound<'_, PyAny>>,
    sensor_fit: &str,
) -> PyResult<String> {
    let root = match state_root {
        Some(root) => utf8_path(root, "state_root")?,
        None => camino::Utf8PathBuf::from(cinematic::session::DEFAULT_STATE_ROOT),
    };
    let fit = self::sensor_fit(sensor_fit)?;
    let spec = py
        .detach(|| scene_for_session(&root, session_id, fit))
        .map_err(|e| PyErr::from(from_shot(&e)))?;
    json(&spec)
}

/// A camera's keys (JSON, tracking-blender's `CameraKeys`) from a Nuke `.chan`, read as
/// `cinematic chan import` reads it: Blender's world, Euler XYZ with continuity.
#[pyfunction]
#[pyo3(signature = (
    chan_path, *, name = None, rotation_order = "ZXY", sensor_width = 24.576,
    sensor_height = 18.672, frame_offset = 0, scale = 1.0, z_up = true,
    sensor_fit = "HORIZONTAL", focal_length = None
))]
#[allow(clippy::too_many_arguments)]
fn blender_camera_keys(
    py: Python<'_>,
    chan_path: &Bound<'_, PyAny>,
    name: Option<String>,
    rotation_order: &str,
    sensor_width: f64,
    sensor_height: f64,
    frame_offset: i64,
    scale: f64,
    z_up: bool,
    sensor_fit: &str,
    focal_length: Option<f64>,
) -> PyResult<String> {
    let path = as_path(chan_path, "chan_path")?;
    let film_back = FilmBack::new(sensor_width, sensor_height).map_err(|e| from_io(&e))?;
    let options = ChanOptions {
        rotation_order: self::rotation_order(rotation_order)?,
        z_up,
        film_back,
        frame_offset,
        scale,
        mode: ReadMode::Strict,
        ..ChanOptions::default()
    };
    let setup = CameraSetup {
        sensor: film_back,
        sensor_fit: self::sensor_fit(sensor_fit)?,
        focal_length_mm: focal_length,
    };
    let keys = py
        .detach(|| {
            let track = read_chan(&path, options).map_err(|e| from_io(&e))?.track;
            let name = name.unwrap_or_else(|| track.name.clone());
            CameraKeys::new(&name, &track, &setup).map_err(|e| from_blender(&e))
        })
        .map_err(PyErr::from)?;
    json(&keys)
}

/// Write a Nuke `.chan` (Y-up, `rotation_order`, vfov from `sensor_height`, as
/// Blender's own exporter) from consecutive frames' evaluated world matrices
/// (row-major, 16 numbers a frame, from `first_frame`) and lenses, atomically.
/// Returns the number of frames written.
#[pyfunction]
#[pyo3(signature = (
    path, first_frame, matrix_world, lens, sensor_width, sensor_height, *,
    rotation_order = "ZXY", name = "camera"
))]
// PyO3 hands over the arrays as owned vectors (one copy out of the Python lists).
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
fn blender_export_chan(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    first_frame: i64,
    matrix_world: Vec<f64>,
    lens: Vec<f64>,
    sensor_width: f64,
    sensor_height: f64,
    rotation_order: &str,
    name: &str,
) -> PyResult<usize> {
    let path = as_path(path, "path")?;
    let film_back = FilmBack::new(sensor_width, sensor_height).map_err(|e| from_io(&e))?;
    let options = ChanWriteOptions {
        rotation_order: self::rotation_order(rotation_order)?,
        up_axis: UpAxis::Y,
        vertical_aperture_mm: Some(sensor_height),
        scale: 1.0,
    };
    py.detach(|| {
        let track = track_from_matrices(name, name, first_frame, &matrix_world, &lens, film_back)
            .map_err(|e| from_blender(&e))?;
        write_chan_file(&track, &path, &options).map_err(|e| from_io(&e).at(Some(&path)))?;
        Ok::<usize, Failure>(track.frames.len())
    })
    .map_err(PyErr::from)
}

/// Adds the Blender helpers to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(blender_scene_script, module)?)?;
    module.add_function(wrap_pyfunction!(blender_scene_spec, module)?)?;
    module.add_function(wrap_pyfunction!(blender_camera_keys, module)?)?;
    module.add_function(wrap_pyfunction!(blender_export_chan, module)?)?;
    Ok(())
}
