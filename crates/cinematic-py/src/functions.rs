//! The original package's functions: coordinate conversion and lens maths
//! (`import_export.py`), `.chan` import and export, and footage probing and analysis
//! (`footage.py`). The call forms are the original's; the maths is `tracking-io`'s, the
//! probing `tracking-footage`'s; bad numbers raise instead of returning a silent
//! default. Probing, analysis and `.chan` reading and writing release the GIL.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use cinematic::footage::{AnalyzeOptions, FrameRate, ProbeOptions, Rational};
use cinematic::io::json_camera::{JsonCameraOptions, read_json_camera_file};
use cinematic::io::{
    CameraTrack, ChanOptions, ChanWriteOptions, FilmBack, FovAxis, ReadMode, RotationOrder,
    TrackingFormat, UpAxis, read_chan, write_chan_file,
};
use cinematic::types::CoordinateSystem;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{as_path, number, numbers};
use crate::errors::{Failure, Kind, from_footage, from_io, invalid};
use crate::types::{PyFootageInfo, PyFootageMetadata, PySolveData, footage_metadata_to_dict};

// ---------------------------------------------------------------------------------
// Coordinates
// ---------------------------------------------------------------------------------

/// `(x, y, z)` from three numbers or from one sequence of three.
fn triple(
    x: &Bound<'_, PyAny>,
    y: Option<&Bound<'_, PyAny>>,
    z: Option<&Bound<'_, PyAny>>,
    names: [&str; 3],
) -> PyResult<[f64; 3]> {
    match (y, z) {
        (None, None) => numbers::<3>(x, &format!("({}, {}, {})", names[0], names[1], names[2])),
        (Some(y), Some(z)) => Ok([
            number(x, names[0])?,
            number(y, names[1])?,
            number(z, names[2])?,
        ]),
        _ => Err(PyTypeError::new_err(format!(
            "pass {}, {} and {} as three numbers, or one sequence of three",
            names[0], names[1], names[2]
        ))),
    }
}

fn rotation_order(order: &str) -> PyResult<RotationOrder> {
    RotationOrder::from_str(order).map_err(|e| from_io(&e).into())
}

/// A Y-up (Nuke, Maya) position in Blender's Z-up world: `(x, y, z) → (x, −z, y)`.
#[pyfunction]
#[pyo3(signature = (x, y = None, z = None))]
fn convert_yup_to_zup_position(
    x: &Bound<'_, PyAny>,
    y: Option<&Bound<'_, PyAny>>,
    z: Option<&Bound<'_, PyAny>>,
) -> PyResult<(f64, f64, f64)> {
    let [x, y, z] = cinematic::convert_yup_to_zup_position(triple(x, y, z, ["x", "y", "z"])?);
    Ok((x, y, z))
}

/// A Blender (Z-up) position in Y-up coordinates: `(x, y, z) → (x, z, −y)`.
#[pyfunction]
#[pyo3(signature = (x, y = None, z = None))]
fn convert_zup_to_yup_position(
    x: &Bound<'_, PyAny>,
    y: Option<&Bound<'_, PyAny>>,
    z: Option<&Bound<'_, PyAny>>,
) -> PyResult<(f64, f64, f64)> {
    let [x, y, z] = cinematic::convert_zup_to_yup_position(triple(x, y, z, ["x", "y", "z"])?);
    Ok((x, y, z))
}

/// A Y-up rotation (degrees, applied in `order`; Nuke's default ZXY) as the Blender
/// Euler XYZ triple (degrees) Blender itself picks: `R_blender = Rx(+90°)·R`.
#[pyfunction]
#[pyo3(signature = (rx, ry = None, rz = None, *, order = "ZXY"))]
fn convert_yup_to_zup_rotation(
    rx: &Bound<'_, PyAny>,
    ry: Option<&Bound<'_, PyAny>>,
    rz: Option<&Bound<'_, PyAny>>,
    order: &str,
) -> PyResult<(f64, f64, f64)> {
    let rotation = triple(rx, ry, rz, ["rx", "ry", "rz"])?;
    let [x, y, z] =
        cinematic::io::convert_yup_to_zup_rotation_with(rotation, rotation_order(order)?);
    Ok((x, y, z))
}

/// A Blender rotation (Euler XYZ degrees) as Y-up Euler angles applied in `order`
/// (degrees), unwrapped toward `previous` (the previous frame's result).
#[pyfunction]
#[pyo3(signature = (rx, ry = None, rz = None, *, order = "ZXY", previous = None))]
fn convert_zup_to_yup_rotation(
    rx: &Bound<'_, PyAny>,
    ry: Option<&Bound<'_, PyAny>>,
    rz: Option<&Bound<'_, PyAny>>,
    order: &str,
    previous: Option<&Bound<'_, PyAny>>,
) -> PyResult<(f64, f64, f64)> {
    let rotation = triple(rx, ry, rz, ["rx", "ry", "rz"])?;
    let previous = match previous {
        Some(p) => numbers::<3>(p, "previous")?,
        None => [0.0; 3],
    };
    let [x, y, z] =
        cinematic::io::convert_zup_to_yup_rotation_with(rotation, rotation_order(order)?, previous);
    Ok((x, y, z))
}

// ---------------------------------------------------------------------------------
// Lens
// ---------------------------------------------------------------------------------

fn fov_axis(axis: &str) -> PyResult<FovAxis> {
    match axis.trim().to_ascii_lowercase().as_str() {
        "horizontal" => Ok(FovAxis::Horizontal),
        "vertical" => Ok(FovAxis::Vertical),
        "diagonal" => Ok(FovAxis::Diagonal),
        _ => Err(invalid(
            "axis",
            format!("{axis:?} is not one of horizontal, vertical, diagonal"),
        )
        .into()),
    }
}

fn film_back(width: f64, height: f64) -> PyResult<FilmBack> {
    FilmBack::new(width, height).map_err(|e| from_io(&e).into())
}

/// Focal length (mm) for a field of view (degrees) across `sensor_width` (the original's
/// horizontal FOV), or along `axis` of the `sensor_width` × `sensor_height` film back.
/// Zero, negative, non-finite or ≥ 180° raises `ValueError` (never a silent 50 mm).
#[pyfunction]
#[pyo3(signature = (fov_degrees, sensor_width = 36.0, *, axis = "horizontal", sensor_height = 24.0))]
fn fov_to_focal_length(
    fov_degrees: f64,
    sensor_width: f64,
    axis: &str,
    sensor_height: f64,
) -> PyResult<f64> {
    cinematic::io::fov_to_focal_length(
        fov_degrees,
        fov_axis(axis)?,
        film_back(sensor_width, sensor_height)?,
    )
    .map_err(|e| from_io(&e).into())
}

/// Field of view (degrees) of a `focal_length` (mm) lens across `sensor_width` (or along
/// `axis`). Zero, negative or non-finite raises `ValueError` (never a silent 45°).
#[pyfunction]
#[pyo3(signature = (focal_length, sensor_width = 36.0, *, axis = "horizontal", sensor_height = 24.0))]
fn focal_length_to_fov(
    focal_length: f64,
    sensor_width: f64,
    axis: &str,
    sensor_height: f64,
) -> PyResult<f64> {
    cinematic::io::focal_length_to_fov(
        focal_length,
        fov_axis(axis)?,
        film_back(sensor_width, sensor_height)?,
    )
    .map_err(|e| from_io(&e).into())
}

// ---------------------------------------------------------------------------------
// Cameras
// ---------------------------------------------------------------------------------

/// The original's `solved_at`: `datetime.utcnow().isoformat()`.
fn utc_now_iso(py: Python<'_>) -> PyResult<String> {
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let now = datetime.getattr("datetime")?.call_method1("now", (utc,))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("tzinfo", py.None())?;
    now.call_method("replace", (), Some(&kwargs))?
        .call_method0("isoformat")?
        .extract()
}

/// `"y_up"` (convert to Blender's Z-up) or `"z_up"` (already Z-up: keep).
fn source_is_y_up(coordinate_system: &str) -> PyResult<bool> {
    match coordinate_system {
        "y_up" => Ok(true),
        "z_up" => Ok(false),
        other => Err(invalid(
            "coordinate_system",
            format!("{other:?} is not one of y_up, z_up"),
        )
        .into()),
    }
}

/// Imports a Nuke `.chan` (`frame tx ty tz rx ry rz [vfov]`) as a Blender-world
/// (`z_up`) `SolveData`.
///
/// `coordinate_system` is the file's world (`"y_up"`: Nuke, converted by `Rx(+90°)`;
/// `"z_up"`: kept). `rotation_order` is the order the file's angles apply in (a `.chan`
/// does not record it; Nuke's default ZXY). The vfov column becomes a focal length on
/// the `sensor_width` × `sensor_height` film back (Nuke's default); a file without one
/// needs `focal_length`. `strict=False` skips bad lines with a warning instead of
/// raising. The GIL is released while the file is read.
#[pyfunction]
#[pyo3(signature = (chan_path, frame_offset = 0, scale_factor = 1.0, coordinate_system = "y_up", *, rotation_order = "ZXY", sensor_width = 24.576, sensor_height = 18.672, focal_length = None, strict = true))]
#[allow(clippy::too_many_arguments)]
fn import_nuke_chan(
    py: Python<'_>,
    chan_path: &Bound<'_, PyAny>,
    frame_offset: i64,
    scale_factor: f64,
    coordinate_system: &str,
    rotation_order: &str,
    sensor_width: f64,
    sensor_height: f64,
    focal_length: Option<f64>,
    strict: bool,
) -> PyResult<PySolveData> {
    let file = as_path(chan_path, "chan_path")?;
    let y_up = source_is_y_up(coordinate_system)?;
    let options = ChanOptions {
        rotation_order: self::rotation_order(rotation_order)?,
        z_up: y_up,
        film_back: film_back(sensor_width, sensor_height)?,
        frame_offset,
        scale: scale_factor,
        mode: if strict {
            ReadMode::Strict
        } else {
            ReadMode::Lenient
        },
        ..ChanOptions::default()
    };
    let (mut solve, frames, warnings) = py
        .detach(|| {
            let import = read_chan(&file, options)?;
            let solve = import.to_solve_data_with_fallback(focal_length)?;
            // The same frames, kept for `blender_camera()`: the track is already in
            // Blender's world (or, for `z_up`, taken as it is), its lens the solve's.
            let mut frames = import.track.frames;
            for frame in &mut frames {
                frame.lens_mm = Some(frame.lens_mm.unwrap_or(solve.focal_length));
            }
            Ok::<_, cinematic::io::Error>((solve, frames, import.warnings))
        })
        .map_err(|e| from_io(&e))?;
    if !y_up {
        solve.coordinate_system = CoordinateSystem::ZUp;
    }
    solve.solved_at = utc_now_iso(py)?;
    if !warnings.is_empty() {
        let first = warnings
            .iter()
            .take(3)
            .map(ToString::to_string)
            .collect::<Vec<_>>();
        let message = format!(
            "{}: skipped {} invalid line(s): {}{}",
            file.display(),
            warnings.len(),
            first.join("; "),
            if warnings.len() > 3 { "; …" } else { "" }
        );
        py.import("warnings")?.call_method1("warn", (message,))?;
    }
    Ok(PySolveData::from_rust(solve).with_blender_frames(frames))
}

/// Reads the original's JSON camera format (`import_tracking_data(..., format="json")`).
#[pyfunction]
#[pyo3(signature = (file_path, *, coordinate_system = "z_up", sensor_width = 24.576, sensor_height = 18.672, focal_length = None))]
fn _import_json_camera(
    py: Python<'_>,
    file_path: &Bound<'_, PyAny>,
    coordinate_system: &str,
    sensor_width: f64,
    sensor_height: f64,
    focal_length: Option<f64>,
) -> PyResult<PySolveData> {
    let file = as_path(file_path, "file_path")?;
    let options = JsonCameraOptions {
        up_axis: if source_is_y_up(coordinate_system)? {
            UpAxis::Y
        } else {
            UpAxis::Z
        },
        film_back: film_back(sensor_width, sensor_height)?,
    };
    let solve = py
        .detach(|| {
            read_json_camera_file(&file, &options)?
                .to_solve_data(focal_length)
                .map_err(|e| e.with_input_path(&file))
        })
        .map_err(|e| from_io(&e))?;
    Ok(PySolveData::from_rust(solve))
}

/// Imports camera data as a `SolveData`: `format` is `"auto"` (by extension, then by
/// content), `"nuke_chan"` (or `"chan"`) or `"json"`; `kwargs` go to the format's
/// importer (`import_nuke_chan`'s keywords for `.chan`). Any other format (FBX,
/// Alembic, …) raises `UnsupportedFormatError` (a `ValueError`) listing the supported
/// ones.
#[pyfunction]
#[pyo3(signature = (file_path, format = "auto", **kwargs))]
fn import_tracking_data<'py>(
    py: Python<'py>,
    file_path: &Bound<'py, PyAny>,
    format: &str,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let file = as_path(file_path, "file_path")?;
    let mut format = TrackingFormat::from_str(format).map_err(|e| from_io(&e))?;
    if format == TrackingFormat::Auto {
        format = py
            .detach(|| cinematic::io::import::detect_format(&file))
            .map_err(|e| from_io(&e))?;
    }
    let native = py.import("cinematic._native")?;
    let importer = match format {
        TrackingFormat::Json => native.getattr("_import_json_camera")?,
        _ => native.getattr("import_nuke_chan")?,
    };
    importer.call((file_path,), kwargs)
}

/// Writes `solve` as a Nuke-ready `.chan` (Y-up, angles in `rotation_order`, Euler
/// continuity, a vfov column from `sensor_height` or the solve's), atomically. The
/// GIL is released while the file is written.
#[pyfunction]
#[pyo3(signature = (solve, chan_path, *, rotation_order = "ZXY", scale_factor = 1.0, sensor_height = None))]
fn export_nuke_chan(
    py: Python<'_>,
    solve: &Bound<'_, PySolveData>,
    chan_path: &Bound<'_, PyAny>,
    rotation_order: &str,
    scale_factor: f64,
    sensor_height: Option<f64>,
) -> PyResult<()> {
    let file = as_path(chan_path, "chan_path")?;
    let data = solve.borrow().to_rust(py)?;
    let options = ChanWriteOptions {
        rotation_order: self::rotation_order(rotation_order)?,
        up_axis: UpAxis::Y,
        vertical_aperture_mm: sensor_height,
        scale: scale_factor,
    };
    py.detach(|| {
        let track = CameraTrack::from_solve_data(&data)?;
        write_chan_file(&track, &file, &options)
    })
    .map_err(|e| from_io(&e).into())
}

// ---------------------------------------------------------------------------------
// Footage
// ---------------------------------------------------------------------------------

fn probe(py: Python<'_>, file: &Path) -> PyResult<cinematic::footage::FootageProbe> {
    py.detach(|| cinematic::footage::probe(file, &ProbeOptions::default()))
        .map_err(|e| from_footage(&e).into())
}

/// `FootageMetadata` of a movie file or an image sequence, from the real ffprobe (one
/// run for a movie). The GIL is released while ffprobe runs.
#[pyfunction]
fn extract_metadata(py: Python<'_>, video_path: &Bound<'_, PyAny>) -> PyResult<PyFootageMetadata> {
    let file = as_path(video_path, "video_path")?;
    Ok(PyFootageMetadata::from_rust(probe(py, &file)?.metadata))
}

/// `FootageInfo` of a movie file or an image sequence.
#[pyfunction]
fn footage_info(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<PyFootageInfo> {
    let file = as_path(path, "path")?;
    Ok(PyFootageInfo::from_rust(probe(py, &file)?.footage_info()))
}

fn fraction<'py>(py: Python<'py>, rational: Rational) -> PyResult<Bound<'py, PyAny>> {
    py.import("fractions")?
        .getattr("Fraction")?
        .call1((rational.num, rational.den))
}

/// The frame rate of a movie or sequence as a float (`exact=True`: the exact rational
/// as a `fractions.Fraction`, e.g. `Fraction(24000, 1001)`).
///
/// The original's call form, an ffprobe stream dict (`{"r_frame_rate": "30000/1001"}`),
/// is accepted too; a missing or malformed rate raises `ValueError` instead of the
/// original's silent 24.0.
#[pyfunction]
#[pyo3(signature = (path, *, exact = false))]
fn get_frame_rate<'py>(
    py: Python<'py>,
    path: &Bound<'py, PyAny>,
    exact: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let rational = if let Ok(stream) = path.cast::<PyDict>() {
        let text: Option<String> = match stream.get_item("r_frame_rate")? {
            Some(value) => Some(value.str()?.to_string()),
            None => None,
        };
        let parsed = text
            .as_deref()
            .and_then(Rational::parse)
            .filter(|r| r.is_positive());
        match parsed {
            Some(r) => FrameRate::exact(r, cinematic::footage::RateSource::RFrameRate).rational,
            None => {
                return Err(invalid(
                    "r_frame_rate",
                    format!("{text:?} is not a positive frame rate"),
                )
                .into());
            }
        }
    } else {
        let file = as_path(path, "path")?;
        probe(py, &file)?.rate.rational
    };
    if exact {
        fraction(py, rational)
    } else {
        Ok(rational.to_f64().into_pyobject(py)?.into_any())
    }
}

/// `serde_json` data as Python objects.
fn json_to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any(),
            (_, _, Some(f)) => f.into_pyobject(py)?.into_any(),
            _ => py.None().into_bound(py),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => PyList::new(
            py,
            items
                .iter()
                .map(|v| json_to_py(py, v))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Footage analysis with real measurements, as the original's dict: `metadata` (the
/// original's `FootageMetadata.to_dict()`, with `motion_blur_level` measured),
/// `content` (sharpness, motion, blur verdict, … plus the original's
/// `motion_blur_level` and `rolling_shutter_detected`), `recommendations`
/// (`tracking_preset`: `"precise"` when the rating is fair or poor, else `"balanced"`;
/// `min_corners`: 100; `actions`: what each finding recommends), and the full report:
/// `rating`, `score`, `findings`, `interlace`, `timings`, `tier`, `path`. The GIL is
/// released while ffprobe and ffmpeg run.
#[pyfunction]
fn analyze_footage<'py>(
    py: Python<'py>,
    video_path: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let file: PathBuf = as_path(video_path, "video_path")?;
    let report = py
        .detach(|| cinematic::analyze_footage(&file, &AnalyzeOptions::default()))
        .map_err(|e| from_footage(&e))?;
    let json = serde_json::to_value(&report)
        .map_err(|e| Failure::new(Kind::Other, format!("cannot convert the report: {e}")))?;
    let dict = json_to_py(py, &json)?.cast_into::<PyDict>()?;
    dict.set_item("metadata", footage_metadata_to_dict(py, &report.metadata)?)?;
    let content = match dict.get_item("content")? {
        Some(content) => content.cast_into::<PyDict>()?,
        None => PyDict::new(py),
    };
    content.set_item(
        "motion_blur_level",
        crate::convert::enum_name(&report.metadata.motion_blur_level),
    )?;
    content.set_item(
        "rolling_shutter_detected",
        report.metadata.rolling_shutter_detected,
    )?;
    dict.set_item("content", content)?;
    let recommendations = PyDict::new(py);
    let careful = matches!(
        report.rating,
        cinematic::footage::TrackabilityRating::Poor | cinematic::footage::TrackabilityRating::Fair
    );
    recommendations.set_item(
        "tracking_preset",
        if careful { "precise" } else { "balanced" },
    )?;
    recommendations.set_item("min_corners", 100)?;
    recommendations.set_item(
        "actions",
        report
            .findings
            .iter()
            .map(|f| f.recommendation.clone())
            .collect::<Vec<_>>(),
    )?;
    dict.set_item("recommendations", recommendations)?;
    Ok(dict)
}

/// Whether a `blender` executable is installed (`CINEMATIC_BLENDER`, `BLENDER_PATH`,
/// then `PATH`). `BLENDER_AVAILABLE` instead says whether this code runs inside Blender.
#[pyfunction]
fn blender_available(py: Python<'_>) -> bool {
    py.detach(cinematic::blender_available)
}

/// Registers the functions.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(convert_yup_to_zup_position, module)?)?;
    module.add_function(wrap_pyfunction!(convert_zup_to_yup_position, module)?)?;
    module.add_function(wrap_pyfunction!(convert_yup_to_zup_rotation, module)?)?;
    module.add_function(wrap_pyfunction!(convert_zup_to_yup_rotation, module)?)?;
    module.add_function(wrap_pyfunction!(fov_to_focal_length, module)?)?;
    module.add_function(wrap_pyfunction!(focal_length_to_fov, module)?)?;
    module.add_function(wrap_pyfunction!(import_nuke_chan, module)?)?;
    module.add_function(wrap_pyfunction!(_import_json_camera, module)?)?;
    module.add_function(wrap_pyfunction!(import_tracking_data, module)?)?;
    module.add_function(wrap_pyfunction!(export_nuke_chan, module)?)?;
    module.add_function(wrap_pyfunction!(extract_metadata, module)?)?;
    module.add_function(wrap_pyfunction!(footage_info, module)?)?;
    module.add_function(wrap_pyfunction!(get_frame_rate, module)?)?;
    module.add_function(wrap_pyfunction!(analyze_footage, module)?)?;
    module.add_function(wrap_pyfunction!(blender_available, module)?)?;
    Ok(())
}
