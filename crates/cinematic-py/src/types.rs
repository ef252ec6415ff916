//! The six data classes of the original `types.py` — `TrackData`, `SolveData`,
//! `SolveReport`, `FootageMetadata`, `FootageInfo`, `TrackingSession` — over the
//! `tracking-types` structs.
//!
//! Each class holds its Rust struct (so fields a newer `tracking-types` adds survive a
//! round trip through Python untouched) plus, for the frame-keyed maps, a [`FrameMap`]
//! that stays Rust data until Python reads it. Constructors take the original's
//! keywords and defaults; attributes are readable and writable with type checks;
//! `to_dict()`/`from_dict()` use the original dict layout (frame keys as strings,
//! sequences as lists); `==` compares the data (not the store's bookkeeping).

use std::fmt::Write as _;
use std::sync::Arc;

use cinematic::io::CameraFrame;

use cinematic::types::{
    CoordinateSystem, FootageInfo, FootageMetadata, MotionBlurLevel, QualityLevel, SessionStatus,
    SolveData, SolveReport, TrackData, TrackType, TrackingSession,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use crate::convert::{
    FrameMap, area_tuple, enum_name, float_tuple, frame_dict_from_original, frame_dict_to_original,
    numbers, parse_enum, whole_as_int,
};
use crate::errors::type_error;

const TRACK_TYPES: &[&str] = &["point", "plane", "object"];
const COORDINATE_SYSTEMS: &[&str] = &["z_up", "y_up"];
const QUALITY_LEVELS: &[&str] = &["excellent", "good", "acceptable", "poor", "unknown"];
const BLUR_LEVELS: &[&str] = &["low", "medium", "high", "unknown"];
const STATUSES: &[&str] = &["in_progress", "complete", "error"];

/// A dataclass-like repr, `Name(field=repr(value), …)`, of the attributes `fields` of
/// `obj`; `shown` gives the text of a field that is summarised instead (a map of a
/// million frames is `<1000000 frames 1001..1001000>`, and is not built to be shown).
fn dataclass_repr(
    obj: &Bound<'_, PyAny>,
    name: &str,
    fields: &[&str],
    shown: impl Fn(&str) -> Option<String>,
) -> PyResult<String> {
    let mut out = format!("{name}(");
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let value = match shown(field) {
            Some(text) => text,
            None => obj.getattr(*field)?.repr()?.to_string(),
        };
        let _ = write!(out, "{field}={value}");
    }
    out.push(')');
    Ok(out)
}

/// A map shown in a repr: `{}`, `<1 frame 1001>`, `<3 frames 1001..1004>`.
fn frames_summary(summary: (usize, Option<(i64, i64)>)) -> String {
    match summary {
        (0, _) => "{}".to_owned(),
        (1, Some((first, _))) => format!("<1 frame {first}>"),
        (n, Some((first, last))) => format!("<{n} frames {first}..{last}>"),
        (n, None) => format!("<{n} frames>"),
    }
}

/// `from_dict`: the keyword arguments the constructor gets from an original-layout dict
/// (known keys only, as the original's `data.get(key, default)` did).
fn known_kwargs<'py>(
    data: &Bound<'py, PyAny>,
    fields: &[&str],
    mut convert: impl FnMut(&str, Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = data.py();
    if !data.hasattr("get")? || !data.hasattr("__contains__")? {
        return Err(type_error("from_dict data", "a dict", data));
    }
    let kwargs = PyDict::new(py);
    for field in fields {
        if data.contains(*field)? {
            let value = data.get_item(*field)?;
            kwargs.set_item(*field, convert(field, value)?)?;
        }
    }
    Ok(kwargs)
}

fn set_enum<E: serde::de::DeserializeOwned>(
    slot: &mut E,
    value: &Bound<'_, PyAny>,
    field: &str,
    allowed: &[&str],
) -> PyResult<()> {
    *slot = parse_enum(value, field, allowed)?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// TrackData
// ---------------------------------------------------------------------------------

/// One 2D track: a named feature followed across frames (markers normalised 0..1,
/// origin bottom-left, as Blender's movie clip editor).
#[pyclass(module = "cinematic", name = "TrackData", subclass)]
pub(crate) struct PyTrackData {
    /// The track, `markers` empty (they live in `markers`).
    inner: TrackData,
    markers: FrameMap<[f64; 2]>,
}

impl PyTrackData {
    const FIELDS: &'static [&'static str] = &[
        "name",
        "pattern_area",
        "search_area",
        "markers",
        "enabled",
        "color",
        "correlation",
        "track_type",
    ];

    /// A Python track over `track` (its markers stay Rust data until read).
    pub(crate) fn from_rust(mut track: TrackData) -> Self {
        let markers = FrameMap::Rust(std::mem::take(&mut track.markers));
        Self {
            inner: track,
            markers,
        }
    }

    /// The track as Rust data.
    pub(crate) fn to_rust(&self, py: Python<'_>) -> PyResult<TrackData> {
        let mut track = self.inner.clone();
        track.markers = self.markers.to_rust(py, "markers")?;
        Ok(track)
    }
}

#[pymethods]
impl PyTrackData {
    /// Pickling and `copy`: rebuilt by `from_dict(to_dict())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.borrow().to_dict(slf.py())?,)))
    }

    #[new]
    #[pyo3(signature = (name = String::new(), pattern_area = None, search_area = None, markers = None, enabled = true, color = None, correlation = 1.0, track_type = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        name: String,
        pattern_area: Option<&Bound<'_, PyAny>>,
        search_area: Option<&Bound<'_, PyAny>>,
        markers: Option<&Bound<'_, PyAny>>,
        enabled: bool,
        color: Option<&Bound<'_, PyAny>>,
        correlation: f64,
        track_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut track = Self::from_rust(TrackData {
            name,
            enabled,
            correlation,
            ..TrackData::default()
        });
        if let Some(v) = pattern_area {
            track.set_pattern_area(v)?;
        }
        if let Some(v) = search_area {
            track.set_search_area(v)?;
        }
        if let Some(v) = markers {
            track.set_markers(v)?;
        }
        if let Some(v) = color {
            track.set_color(v)?;
        }
        if let Some(v) = track_type {
            track.set_track_type(v)?;
        }
        Ok(track)
    }

    /// Track name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[setter]
    fn set_name(&mut self, value: String) {
        self.inner.name = value;
    }

    /// Pattern area `(x, y, w, h)` in pixels.
    #[getter]
    fn pattern_area<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        area_tuple(py, &self.inner.pattern_area)
    }
    #[setter]
    fn set_pattern_area(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.pattern_area = numbers(value, "pattern_area")?;
        Ok(())
    }

    /// Search area `(x, y, w, h)` in pixels.
    #[getter]
    fn search_area<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        area_tuple(py, &self.inner.search_area)
    }
    #[setter]
    fn set_search_area(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.search_area = numbers(value, "search_area")?;
        Ok(())
    }

    /// Marker position `(x, y)` per frame.
    #[getter]
    fn markers(&mut self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        self.markers.dict(py)
    }
    #[setter]
    fn set_markers(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.markers.set(value, "markers")
    }

    /// Whether the track takes part in the solve.
    #[getter]
    fn enabled(&self) -> bool {
        self.inner.enabled
    }
    #[setter]
    fn set_enabled(&mut self, value: bool) {
        self.inner.enabled = value;
    }

    /// Display colour `(r, g, b)`, 0..1.
    #[getter]
    fn color<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        float_tuple(py, &self.inner.color)
    }
    #[setter]
    fn set_color(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.color = numbers(value, "color")?;
        Ok(())
    }

    /// Track quality 0..1.
    #[getter]
    fn correlation(&self) -> f64 {
        self.inner.correlation
    }
    #[setter]
    fn set_correlation(&mut self, value: f64) {
        self.inner.correlation = value;
    }

    /// `"point"`, `"plane"` or `"object"`.
    #[getter]
    fn track_type(&self) -> String {
        enum_name(&self.inner.track_type)
    }
    #[setter]
    fn set_track_type(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        set_enum::<TrackType>(&mut self.inner.track_type, value, "track_type", TRACK_TYPES)
    }

    /// The original's dict layout: frame keys as strings, sequences as lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let track = self.to_rust(py)?;
        track_to_dict(py, &track)
    }

    /// A track from the original's dict layout (missing keys take the defaults).
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = known_kwargs(data, Self::FIELDS, |field, value| match field {
            "markers" if value.is_truthy()? => {
                Ok(frame_dict_from_original(&value, field)?.into_any())
            }
            "markers" => Ok(PyDict::new(data.py()).into_any()),
            _ => Ok(value),
        })?;
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        Ok(self.to_rust(py)? == other.to_rust(py)?)
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.borrow();
        let py = slf.py();
        dataclass_repr(slf.as_any(), "TrackData", Self::FIELDS, |field| {
            (field == "markers").then(|| frames_summary(this.markers.summary(py)))
        })
    }
}

fn track_to_dict<'py>(py: Python<'py>, track: &TrackData) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("name", &track.name)?;
    dict.set_item("pattern_area", area_list(py, &track.pattern_area)?)?;
    dict.set_item("search_area", area_list(py, &track.search_area)?)?;
    dict.set_item("markers", frame_dict_to_original(py, &track.markers, true)?)?;
    dict.set_item("enabled", track.enabled)?;
    dict.set_item("color", track.color.to_vec())?;
    dict.set_item("correlation", track.correlation)?;
    dict.set_item("track_type", enum_name(&track.track_type))?;
    Ok(dict)
}

fn area_list<'py>(py: Python<'py>, area: &[f64; 4]) -> PyResult<Bound<'py, PyList>> {
    let items = area
        .iter()
        .map(|&v| whole_as_int(py, v))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

// ---------------------------------------------------------------------------------
// SolveData
// ---------------------------------------------------------------------------------

/// A solved camera: per frame `(tx, ty, tz, rx, ry, rz)`, rotations in degrees (for a
/// `z_up` solve: Blender location and Euler XYZ).
#[pyclass(module = "cinematic", name = "SolveData", subclass)]
pub(crate) struct PySolveData {
    /// The solve, its two frame maps empty (they live below).
    inner: SolveData,
    camera_transforms: FrameMap<[f64; 6]>,
    focal_lengths: FrameMap<f64>,
    /// The same frames in Blender's world, as the importer made them, while nothing
    /// they derive from has changed (`blender_camera()` then skips regathering them).
    blender_frames: Option<Arc<Vec<CameraFrame>>>,
}

impl PySolveData {
    const FIELDS: &'static [&'static str] = &[
        "name",
        "frame_range",
        "focal_length",
        "sensor_width",
        "camera_transforms",
        "coordinate_system",
        "solved_at",
        "sensor_height",
        "focal_lengths",
    ];

    /// A Python solve over `solve`.
    pub(crate) fn from_rust(mut solve: SolveData) -> Self {
        let camera_transforms = FrameMap::Rust(std::mem::take(&mut solve.camera_transforms));
        let focal_lengths = FrameMap::Rust(std::mem::take(&mut solve.focal_lengths));
        Self {
            inner: solve,
            camera_transforms,
            focal_lengths,
            blender_frames: None,
        }
    }

    /// The solve with the frames the importer made for it: `frames` must be exactly
    /// `camera_transforms` and the per-frame lens of a `z_up` solve.
    pub(crate) fn with_blender_frames(mut self, frames: Vec<CameraFrame>) -> Self {
        self.blender_frames = Some(Arc::new(frames));
        self
    }

    /// The solve as Rust data.
    pub(crate) fn to_rust(&self, py: Python<'_>) -> PyResult<SolveData> {
        let mut solve = self.inner.clone();
        solve.camera_transforms = self.camera_transforms.to_rust(py, "camera_transforms")?;
        solve.focal_lengths = self.focal_lengths.to_rust(py, "focal_lengths")?;
        Ok(solve)
    }
}

#[pymethods]
impl PySolveData {
    /// Pickling and `copy`: rebuilt by `from_dict(to_dict())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.borrow().to_dict(slf.py())?,)))
    }

    #[new]
    #[pyo3(signature = (name = String::new(), frame_range = None, focal_length = 50.0, sensor_width = 36.0, camera_transforms = None, coordinate_system = None, solved_at = String::new(), sensor_height = None, focal_lengths = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        name: String,
        frame_range: Option<(i64, i64)>,
        focal_length: f64,
        sensor_width: f64,
        camera_transforms: Option<&Bound<'_, PyAny>>,
        coordinate_system: Option<&Bound<'_, PyAny>>,
        solved_at: String,
        sensor_height: Option<f64>,
        focal_lengths: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut solve = Self::from_rust(SolveData {
            name,
            focal_length,
            sensor_width,
            solved_at,
            sensor_height,
            ..SolveData::default()
        });
        if let Some((start, end)) = frame_range {
            solve.inner.frame_range = [start, end];
        }
        if let Some(v) = camera_transforms {
            solve.set_camera_transforms(v)?;
        }
        if let Some(v) = coordinate_system {
            solve.set_coordinate_system(v)?;
        }
        if let Some(v) = focal_lengths {
            solve.set_focal_lengths(v)?;
        }
        Ok(solve)
    }

    /// Solve name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[setter]
    fn set_name(&mut self, value: String) {
        self.inner.name = value;
    }

    /// `(first, last)` frame.
    #[getter]
    fn frame_range(&self) -> (i64, i64) {
        (self.inner.frame_range[0], self.inner.frame_range[1])
    }
    #[setter]
    fn set_frame_range(&mut self, value: (i64, i64)) {
        self.inner.frame_range = [value.0, value.1];
    }

    /// Focal length in mm (the first frame's, for a zoom; see `focal_lengths`).
    #[getter]
    fn focal_length(&self) -> f64 {
        self.inner.focal_length
    }
    #[setter]
    fn set_focal_length(&mut self, value: f64) {
        self.blender_frames = None;
        self.inner.focal_length = value;
    }

    /// Film back width in mm.
    #[getter]
    fn sensor_width(&self) -> f64 {
        self.inner.sensor_width
    }
    #[setter]
    fn set_sensor_width(&mut self, value: f64) {
        self.inner.sensor_width = value;
    }

    /// Film back height in mm, when known.
    #[getter]
    fn sensor_height(&self) -> Option<f64> {
        self.inner.sensor_height
    }
    #[setter]
    fn set_sensor_height(&mut self, value: Option<f64>) {
        self.inner.sensor_height = value;
    }

    /// `(tx, ty, tz, rx, ry, rz)` per frame.
    #[getter]
    fn camera_transforms(&mut self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        self.blender_frames = None; // Python may change the dict from now on
        self.camera_transforms.dict(py)
    }
    #[setter]
    fn set_camera_transforms(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.blender_frames = None;
        self.camera_transforms.set(value, "camera_transforms")
    }

    /// Focal length in mm per frame, for zooms (empty when constant).
    #[getter]
    fn focal_lengths(&mut self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        self.blender_frames = None;
        self.focal_lengths.dict(py)
    }
    #[setter]
    fn set_focal_lengths(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.blender_frames = None;
        self.focal_lengths.set(value, "focal_lengths")
    }

    /// `"z_up"` (Blender) or `"y_up"` (Nuke, Maya).
    #[getter]
    fn coordinate_system(&self) -> String {
        enum_name(&self.inner.coordinate_system)
    }
    #[setter]
    fn set_coordinate_system(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.blender_frames = None;
        set_enum::<CoordinateSystem>(
            &mut self.inner.coordinate_system,
            value,
            "coordinate_system",
            COORDINATE_SYSTEMS,
        )
    }

    /// When the solve was made (ISO 8601), or empty.
    #[getter]
    fn solved_at(&self) -> &str {
        &self.inner.solved_at
    }
    #[setter]
    fn set_solved_at(&mut self, value: String) {
        self.inner.solved_at = value;
    }

    /// The per-frame Blender camera as flat arrays (no per-frame Python objects).
    fn blender_camera(&self, py: Python<'_>) -> PyResult<crate::camera::PyBlenderCamera> {
        if let Some(frames) = &self.blender_frames {
            return Ok(crate::camera::PyBlenderCamera::from_frames(
                &self.inner,
                Arc::clone(frames),
            ));
        }
        crate::camera::PyBlenderCamera::from_solve(py, &self.to_rust(py)?)
    }

    /// The original's dict layout (plus `sensor_height` / `focal_lengths` when set).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let solve = self.to_rust(py)?;
        let dict = PyDict::new(py);
        dict.set_item("name", &solve.name)?;
        dict.set_item("frame_range", solve.frame_range.to_vec())?;
        dict.set_item("focal_length", solve.focal_length)?;
        dict.set_item("sensor_width", solve.sensor_width)?;
        dict.set_item(
            "camera_transforms",
            frame_dict_to_original(py, &solve.camera_transforms, true)?,
        )?;
        dict.set_item("coordinate_system", enum_name(&solve.coordinate_system))?;
        dict.set_item("solved_at", &solve.solved_at)?;
        if let Some(height) = solve.sensor_height {
            dict.set_item("sensor_height", height)?;
        }
        if !solve.focal_lengths.is_empty() {
            dict.set_item(
                "focal_lengths",
                frame_dict_to_original(py, &solve.focal_lengths, false)?,
            )?;
        }
        Ok(dict)
    }

    /// A solve from the original's dict layout.
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = data.py();
        let kwargs = known_kwargs(data, Self::FIELDS, |field, value| match field {
            "camera_transforms" | "focal_lengths" if value.is_truthy()? => {
                Ok(frame_dict_from_original(&value, field)?.into_any())
            }
            "camera_transforms" | "focal_lengths" => Ok(PyDict::new(py).into_any()),
            "frame_range" => {
                Ok(PyTuple::new(py, value.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any())
            }
            _ => Ok(value),
        })?;
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        Ok(self.to_rust(py)? == other.to_rust(py)?)
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.borrow();
        let py = slf.py();
        dataclass_repr(
            slf.as_any(),
            "SolveData",
            Self::FIELDS,
            |field| match field {
                "camera_transforms" => Some(frames_summary(this.camera_transforms.summary(py))),
                "focal_lengths" => Some(frames_summary(this.focal_lengths.summary(py))),
                _ => None,
            },
        )
    }
}

// ---------------------------------------------------------------------------------
// SolveReport
// ---------------------------------------------------------------------------------

/// Quality figures of a camera solve.
#[pyclass(module = "cinematic", name = "SolveReport", subclass)]
pub(crate) struct PySolveReport {
    inner: SolveReport,
}

impl PySolveReport {
    const FIELDS: &'static [&'static str] = &[
        "reprojection_error_avg",
        "reprojection_error_max",
        "tracks_used",
        "frames_solved",
        "confidence_score",
        "quality_level",
    ];
}

#[pymethods]
impl PySolveReport {
    /// Pickling and `copy`: rebuilt by `from_dict(to_dict())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.borrow().to_dict(slf.py())?,)))
    }

    /// `quality_level=None` derives the level from `reprojection_error_avg` once a
    /// solve happened (`frames_solved > 0`; < 0.3 px excellent, < 0.5 good, < 1.0
    /// acceptable, else poor) and is `"unknown"` before (the original's default).
    #[new]
    #[pyo3(signature = (reprojection_error_avg = 0.0, reprojection_error_max = 0.0, tracks_used = 0, frames_solved = 0, confidence_score = 0.0, quality_level = None))]
    fn new(
        reprojection_error_avg: f64,
        reprojection_error_max: f64,
        tracks_used: u64,
        frames_solved: u64,
        confidence_score: f64,
        quality_level: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut report = SolveReport::new(
            reprojection_error_avg,
            reprojection_error_max,
            tracks_used,
            frames_solved,
            confidence_score,
        );
        match quality_level {
            Some(level) => {
                set_enum::<QualityLevel>(
                    &mut report.quality_level,
                    level,
                    "quality_level",
                    QUALITY_LEVELS,
                )?;
            }
            None if frames_solved == 0 => report.quality_level = QualityLevel::Unknown,
            None => {}
        }
        Ok(Self { inner: report })
    }

    /// Average reprojection error in pixels.
    #[getter]
    fn reprojection_error_avg(&self) -> f64 {
        self.inner.reprojection_error_avg
    }
    #[setter]
    fn set_reprojection_error_avg(&mut self, value: f64) {
        self.inner.reprojection_error_avg = value;
    }

    /// Largest reprojection error in pixels.
    #[getter]
    fn reprojection_error_max(&self) -> f64 {
        self.inner.reprojection_error_max
    }
    #[setter]
    fn set_reprojection_error_max(&mut self, value: f64) {
        self.inner.reprojection_error_max = value;
    }

    /// Number of tracks the solve used.
    #[getter]
    fn tracks_used(&self) -> u64 {
        self.inner.tracks_used
    }
    #[setter]
    fn set_tracks_used(&mut self, value: u64) {
        self.inner.tracks_used = value;
    }

    /// Number of frames solved.
    #[getter]
    fn frames_solved(&self) -> u64 {
        self.inner.frames_solved
    }
    #[setter]
    fn set_frames_solved(&mut self, value: u64) {
        self.inner.frames_solved = value;
    }

    /// Solver confidence 0..1.
    #[getter]
    fn confidence_score(&self) -> f64 {
        self.inner.confidence_score
    }
    #[setter]
    fn set_confidence_score(&mut self, value: f64) {
        self.inner.confidence_score = value;
    }

    /// `"excellent"`, `"good"`, `"acceptable"`, `"poor"` or `"unknown"`.
    #[getter]
    fn quality_level(&self) -> String {
        enum_name(&self.inner.quality_level)
    }
    #[setter]
    fn set_quality_level(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        set_enum::<QualityLevel>(
            &mut self.inner.quality_level,
            value,
            "quality_level",
            QUALITY_LEVELS,
        )
    }

    /// The original's dict layout.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("reprojection_error_avg", r.reprojection_error_avg)?;
        dict.set_item("reprojection_error_max", r.reprojection_error_max)?;
        dict.set_item("tracks_used", r.tracks_used)?;
        dict.set_item("frames_solved", r.frames_solved)?;
        dict.set_item("confidence_score", r.confidence_score)?;
        dict.set_item("quality_level", enum_name(&r.quality_level))?;
        Ok(dict)
    }

    /// A report from the original's dict layout (a missing `quality_level` is
    /// `"unknown"`, as in the original).
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = known_kwargs(data, Self::FIELDS, |_, value| Ok(value))?;
        if !kwargs.contains("quality_level")? {
            kwargs.set_item("quality_level", "unknown")?;
        }
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        dataclass_repr(slf.as_any(), "SolveReport", Self::FIELDS, |_| None)
    }
}

// ---------------------------------------------------------------------------------
// FootageMetadata
// ---------------------------------------------------------------------------------

/// What a plate is: size, rate, frame count, codec, …
///
/// As in the original, an unknown `camera_model` is `""`, an unknown `focal_length`
/// `0.0` and an unknown `iso` `0`.
#[pyclass(module = "cinematic", name = "FootageMetadata", subclass)]
pub(crate) struct PyFootageMetadata {
    inner: FootageMetadata,
}

impl PyFootageMetadata {
    const FIELDS: &'static [&'static str] = &[
        "filename",
        "resolution",
        "frame_rate",
        "duration_frames",
        "duration_seconds",
        "codec",
        "bit_depth",
        "color_space",
        "camera_model",
        "focal_length",
        "iso",
        "motion_blur_level",
        "rolling_shutter_detected",
    ];

    /// A Python metadata object over `metadata`.
    pub(crate) fn from_rust(metadata: FootageMetadata) -> Self {
        Self { inner: metadata }
    }
}

#[pymethods]
impl PyFootageMetadata {
    /// Pickling and `copy`: rebuilt by `from_dict(to_dict())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.borrow().to_dict(slf.py())?,)))
    }

    #[new]
    #[pyo3(signature = (filename = String::new(), resolution = (1920, 1080), frame_rate = 24.0, duration_frames = 0, duration_seconds = 0.0, codec = String::new(), bit_depth = 8, color_space = String::new(), camera_model = None, focal_length = None, iso = None, motion_blur_level = None, rolling_shutter_detected = false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        filename: String,
        resolution: (u32, u32),
        frame_rate: f64,
        duration_frames: u64,
        duration_seconds: f64,
        codec: String,
        bit_depth: u32,
        color_space: String,
        camera_model: Option<String>,
        focal_length: Option<f64>,
        iso: Option<u32>,
        motion_blur_level: Option<&Bound<'_, PyAny>>,
        rolling_shutter_detected: bool,
    ) -> PyResult<Self> {
        let mut metadata = Self::from_rust(FootageMetadata {
            filename,
            resolution: [resolution.0, resolution.1],
            frame_rate,
            duration_frames,
            duration_seconds,
            codec,
            bit_depth,
            color_space,
            rolling_shutter_detected,
            ..FootageMetadata::default()
        });
        metadata.set_camera_model(camera_model);
        metadata.set_focal_length(focal_length);
        metadata.set_iso(iso);
        if let Some(v) = motion_blur_level {
            metadata.set_motion_blur_level(v)?;
        }
        Ok(metadata)
    }

    /// File name (no directory).
    #[getter]
    fn filename(&self) -> &str {
        &self.inner.filename
    }
    #[setter]
    fn set_filename(&mut self, value: String) {
        self.inner.filename = value;
    }

    /// `(width, height)` in pixels.
    #[getter]
    fn resolution(&self) -> (u32, u32) {
        (self.inner.resolution[0], self.inner.resolution[1])
    }
    #[setter]
    fn set_resolution(&mut self, value: (u32, u32)) {
        self.inner.resolution = [value.0, value.1];
    }

    /// Frames per second (`get_frame_rate(path, exact=True)` gives the exact rational).
    #[getter]
    fn frame_rate(&self) -> f64 {
        self.inner.frame_rate
    }
    #[setter]
    fn set_frame_rate(&mut self, value: f64) {
        self.inner.frame_rate = value;
    }

    /// Number of frames.
    #[getter]
    fn duration_frames(&self) -> u64 {
        self.inner.duration_frames
    }
    #[setter]
    fn set_duration_frames(&mut self, value: u64) {
        self.inner.duration_frames = value;
    }

    /// Duration in seconds.
    #[getter]
    fn duration_seconds(&self) -> f64 {
        self.inner.duration_seconds
    }
    #[setter]
    fn set_duration_seconds(&mut self, value: f64) {
        self.inner.duration_seconds = value;
    }

    /// Codec name (`h264`, `prores`, …).
    #[getter]
    fn codec(&self) -> &str {
        &self.inner.codec
    }
    #[setter]
    fn set_codec(&mut self, value: String) {
        self.inner.codec = value;
    }

    /// Bits per colour component (0: a pixel format the prober does not know).
    #[getter]
    fn bit_depth(&self) -> u32 {
        self.inner.bit_depth
    }
    #[setter]
    fn set_bit_depth(&mut self, value: u32) {
        self.inner.bit_depth = value;
    }

    /// Colour space (`bt709`), or empty.
    #[getter]
    fn color_space(&self) -> &str {
        &self.inner.color_space
    }
    #[setter]
    fn set_color_space(&mut self, value: String) {
        self.inner.color_space = value;
    }

    /// Camera make and model, or `""` when the file does not say.
    #[getter]
    fn camera_model(&self) -> &str {
        self.inner.camera_model.as_deref().unwrap_or("")
    }
    #[setter]
    fn set_camera_model(&mut self, value: Option<String>) {
        self.inner.camera_model = value.filter(|m| !m.is_empty());
    }

    /// Lens focal length in mm, or `0.0` when the file does not record it.
    #[getter]
    fn focal_length(&self) -> f64 {
        self.inner.focal_length.unwrap_or(0.0)
    }
    #[setter]
    fn set_focal_length(&mut self, value: Option<f64>) {
        self.inner.focal_length = value.filter(|&f| f != 0.0);
    }

    /// ISO, or `0` when the file does not record it.
    #[getter]
    fn iso(&self) -> u32 {
        self.inner.iso.unwrap_or(0)
    }
    #[setter]
    fn set_iso(&mut self, value: Option<u32>) {
        self.inner.iso = value.filter(|&i| i != 0);
    }

    /// `"low"`, `"medium"`, `"high"` or `"unknown"` (not measured).
    #[getter]
    fn motion_blur_level(&self) -> String {
        enum_name(&self.inner.motion_blur_level)
    }
    #[setter]
    fn set_motion_blur_level(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        set_enum::<MotionBlurLevel>(
            &mut self.inner.motion_blur_level,
            value,
            "motion_blur_level",
            BLUR_LEVELS,
        )
    }

    /// True only when analysis found evidence that rolling shutter is likely.
    #[getter]
    fn rolling_shutter_detected(&self) -> bool {
        self.inner.rolling_shutter_detected
    }
    #[setter]
    fn set_rolling_shutter_detected(&mut self, value: bool) {
        self.inner.rolling_shutter_detected = value;
    }

    /// The original's dict layout.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        footage_metadata_to_dict(py, &self.inner)
    }

    /// Metadata from the original's dict layout.
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = data.py();
        let kwargs = known_kwargs(data, Self::FIELDS, |field, value| match field {
            "resolution" => {
                Ok(PyTuple::new(py, value.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any())
            }
            _ => Ok(value),
        })?;
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        dataclass_repr(slf.as_any(), "FootageMetadata", Self::FIELDS, |_| None)
    }
}

/// The original's `FootageMetadata.to_dict()` of `metadata`.
pub(crate) fn footage_metadata_to_dict<'py>(
    py: Python<'py>,
    metadata: &FootageMetadata,
) -> PyResult<Bound<'py, PyDict>> {
    let m = metadata;
    let dict = PyDict::new(py);
    dict.set_item("filename", &m.filename)?;
    dict.set_item("resolution", m.resolution.to_vec())?;
    dict.set_item("frame_rate", m.frame_rate)?;
    dict.set_item("duration_frames", m.duration_frames)?;
    dict.set_item("duration_seconds", m.duration_seconds)?;
    dict.set_item("codec", &m.codec)?;
    dict.set_item("bit_depth", m.bit_depth)?;
    dict.set_item("color_space", &m.color_space)?;
    dict.set_item("camera_model", m.camera_model.as_deref().unwrap_or(""))?;
    dict.set_item("focal_length", m.focal_length.unwrap_or(0.0))?;
    dict.set_item("iso", m.iso.unwrap_or(0))?;
    dict.set_item("motion_blur_level", enum_name(&m.motion_blur_level))?;
    dict.set_item("rolling_shutter_detected", m.rolling_shutter_detected)?;
    Ok(dict)
}

// ---------------------------------------------------------------------------------
// FootageInfo
// ---------------------------------------------------------------------------------

/// The original's compact footage summary, for movies and image sequences alike.
#[pyclass(module = "cinematic", name = "FootageInfo", subclass)]
pub(crate) struct PyFootageInfo {
    inner: FootageInfo,
}

impl PyFootageInfo {
    const FIELDS: &'static [&'static str] = &[
        "source_path",
        "width",
        "height",
        "frame_start",
        "frame_end",
        "fps",
        "duration_seconds",
        "colorspace",
        "codec",
        "has_alpha",
        "is_sequence",
    ];

    /// A Python footage summary over `info`.
    pub(crate) fn from_rust(info: FootageInfo) -> Self {
        Self { inner: info }
    }
}

#[pymethods]
impl PyFootageInfo {
    /// Pickling and `copy`: rebuilt by `from_dict(to_dict())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.borrow().to_dict(slf.py())?,)))
    }

    #[new]
    #[allow(clippy::field_reassign_with_default)]
    #[pyo3(signature = (source_path = String::new(), width = 1920, height = 1080, frame_start = 1, frame_end = 100, fps = 24.0, duration_seconds = 0.0, colorspace = String::from("sRGB"), codec = String::new(), has_alpha = false, is_sequence = false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        source_path: String,
        width: u32,
        height: u32,
        frame_start: i64,
        frame_end: i64,
        fps: f64,
        duration_seconds: f64,
        colorspace: String,
        codec: String,
        has_alpha: bool,
        is_sequence: bool,
    ) -> Self {
        // Field by field, so fields a newer `tracking-types` adds keep their defaults
        // (a struct literal would name them all; `..default()` would warn until then).
        let mut info = FootageInfo::default();
        info.source_path = source_path;
        info.width = width;
        info.height = height;
        info.frame_start = frame_start;
        info.frame_end = frame_end;
        info.fps = fps;
        info.duration_seconds = duration_seconds;
        info.colorspace = colorspace;
        info.codec = codec;
        info.has_alpha = has_alpha;
        info.is_sequence = is_sequence;
        Self::from_rust(info)
    }

    /// Path as given (a sequence pattern for sequences).
    #[getter]
    fn source_path(&self) -> &str {
        &self.inner.source_path
    }
    #[setter]
    fn set_source_path(&mut self, value: String) {
        self.inner.source_path = value;
    }

    /// Width in pixels.
    #[getter]
    fn width(&self) -> u32 {
        self.inner.width
    }
    #[setter]
    fn set_width(&mut self, value: u32) {
        self.inner.width = value;
    }

    /// Height in pixels.
    #[getter]
    fn height(&self) -> u32 {
        self.inner.height
    }
    #[setter]
    fn set_height(&mut self, value: u32) {
        self.inner.height = value;
    }

    /// First frame number.
    #[getter]
    fn frame_start(&self) -> i64 {
        self.inner.frame_start
    }
    #[setter]
    fn set_frame_start(&mut self, value: i64) {
        self.inner.frame_start = value;
    }

    /// Last frame number (inclusive).
    #[getter]
    fn frame_end(&self) -> i64 {
        self.inner.frame_end
    }
    #[setter]
    fn set_frame_end(&mut self, value: i64) {
        self.inner.frame_end = value;
    }

    /// Frames per second.
    #[getter]
    fn fps(&self) -> f64 {
        self.inner.fps
    }
    #[setter]
    fn set_fps(&mut self, value: f64) {
        self.inner.fps = value;
    }

    /// Duration in seconds.
    #[getter]
    fn duration_seconds(&self) -> f64 {
        self.inner.duration_seconds
    }
    #[setter]
    fn set_duration_seconds(&mut self, value: f64) {
        self.inner.duration_seconds = value;
    }

    /// Colour space.
    #[getter]
    fn colorspace(&self) -> &str {
        &self.inner.colorspace
    }
    #[setter]
    fn set_colorspace(&mut self, value: String) {
        self.inner.colorspace = value;
    }

    /// Codec or image format.
    #[getter]
    fn codec(&self) -> &str {
        &self.inner.codec
    }
    #[setter]
    fn set_codec(&mut self, value: String) {
        self.inner.codec = value;
    }

    /// Whether the pixels carry alpha.
    #[getter]
    fn has_alpha(&self) -> bool {
        self.inner.has_alpha
    }
    #[setter]
    fn set_has_alpha(&mut self, value: bool) {
        self.inner.has_alpha = value;
    }

    /// Whether this is an image sequence.
    #[getter]
    fn is_sequence(&self) -> bool {
        self.inner.is_sequence
    }
    #[setter]
    fn set_is_sequence(&mut self, value: bool) {
        self.inner.is_sequence = value;
    }

    /// The original's dict layout.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("source_path", &i.source_path)?;
        dict.set_item("width", i.width)?;
        dict.set_item("height", i.height)?;
        dict.set_item("frame_start", i.frame_start)?;
        dict.set_item("frame_end", i.frame_end)?;
        dict.set_item("fps", i.fps)?;
        dict.set_item("duration_seconds", i.duration_seconds)?;
        dict.set_item("colorspace", &i.colorspace)?;
        dict.set_item("codec", &i.codec)?;
        dict.set_item("has_alpha", i.has_alpha)?;
        dict.set_item("is_sequence", i.is_sequence)?;
        Ok(dict)
    }

    /// A footage summary from the original's dict layout.
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = known_kwargs(data, Self::FIELDS, |_, value| Ok(value))?;
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        dataclass_repr(slf.as_any(), "FootageInfo", Self::FIELDS, |_| None)
    }
}

// ---------------------------------------------------------------------------------
// TrackingSession
// ---------------------------------------------------------------------------------

/// A resumable tracking session: footage, frame range, tracks and status.
///
/// `revision`, `saved_at`, `save_counter` and `schema_version` are the store's
/// bookkeeping (read-only): `TrackingSessionManager.save` checks `revision` against the
/// file on disk, so a save never silently overwrites someone else's.
#[pyclass(module = "cinematic", name = "TrackingSession", subclass)]
pub(crate) struct PyTrackingSession {
    /// The session, `tracks` empty (they live in `tracks`).
    inner: TrackingSession,
    /// A list of `TrackData`.
    tracks: Py<PyList>,
}

impl PyTrackingSession {
    const FIELDS: &'static [&'static str] = &[
        "session_id",
        "footage_path",
        "frame_start",
        "frame_end",
        "current_frame",
        "tracks",
        "camera_profile",
        "preset",
        "status",
        "created_at",
        "updated_at",
    ];

    /// A Python session over `session` (each track's markers stay Rust data until read).
    pub(crate) fn from_rust(py: Python<'_>, mut session: TrackingSession) -> PyResult<Self> {
        let tracks = std::mem::take(&mut session.tracks)
            .into_iter()
            .map(|t| Py::new(py, PyTrackData::from_rust(t)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            inner: session,
            tracks: PyList::new(py, tracks)?.unbind(),
        })
    }

    /// The session as Rust data (every item of `tracks` must be a `TrackData`).
    pub(crate) fn to_rust(&self, py: Python<'_>) -> PyResult<TrackingSession> {
        let mut session = self.inner.clone();
        session.tracks = tracks_to_rust(self.tracks.bind(py))?;
        Ok(session)
    }

    /// Take over the bookkeeping a save wrote (so the same object can be saved again).
    pub(crate) fn set_bookkeeping(&mut self, saved: &TrackingSession) {
        self.inner.schema_version = saved.schema_version;
        self.inner.revision = saved.revision;
        self.inner.save_counter = saved.save_counter;
        self.inner.saved_at.clone_from(&saved.saved_at);
    }

    fn data_only(&self, py: Python<'_>) -> PyResult<TrackingSession> {
        let mut session = self.to_rust(py)?;
        session.schema_version = None;
        session.revision = None;
        session.save_counter = None;
        session.saved_at = None;
        Ok(session)
    }
}

pub(crate) fn tracks_to_rust(list: &Bound<'_, PyList>) -> PyResult<Vec<TrackData>> {
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let track = item
                .cast::<PyTrackData>()
                .map_err(|_| type_error(&format!("tracks[{i}]"), "a TrackData", &item))?;
            track.borrow().to_rust(item.py())
        })
        .collect()
}

#[pymethods]
impl PyTrackingSession {
    /// Pickling and `copy`: `from_dict(to_dict())` plus the store's bookkeeping, so a
    /// copy of a loaded session saves like the original.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let session = slf.borrow();
        let s = &session.inner;
        let bookkeeping = (
            s.schema_version,
            s.revision,
            s.save_counter,
            s.saved_at.clone(),
        );
        let restore = slf.get_type().getattr("_restore")?;
        (restore, (session.to_dict(py)?, bookkeeping)).into_pyobject(py)
    }

    /// `__reduce__`'s inverse.
    #[classmethod]
    fn _restore<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
        bookkeeping: (Option<u32>, Option<u64>, Option<u64>, Option<String>),
    ) -> PyResult<Bound<'py, PyAny>> {
        let restored = Self::from_dict(cls, data)?;
        {
            let session = restored.cast::<Self>()?;
            let mut session = session.borrow_mut();
            let s = &mut session.inner;
            (s.schema_version, s.revision, s.save_counter, s.saved_at) = bookkeeping;
        }
        Ok(restored)
    }

    #[new]
    #[pyo3(signature = (session_id = String::new(), footage_path = String::new(), frame_start = 1, frame_end = 100, current_frame = 1, tracks = None, camera_profile = String::new(), preset = String::from("balanced"), status = None, created_at = String::new(), updated_at = String::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        session_id: String,
        footage_path: String,
        frame_start: i64,
        frame_end: i64,
        current_frame: i64,
        tracks: Option<&Bound<'_, PyAny>>,
        camera_profile: String,
        preset: String,
        status: Option<&Bound<'_, PyAny>>,
        created_at: String,
        updated_at: String,
    ) -> PyResult<Self> {
        let mut session = Self::from_rust(
            py,
            TrackingSession {
                session_id,
                footage_path,
                frame_start,
                frame_end,
                current_frame,
                camera_profile,
                preset,
                created_at,
                updated_at,
                ..TrackingSession::default()
            },
        )?;
        if let Some(v) = tracks {
            session.set_tracks(v)?;
        }
        if let Some(v) = status {
            session.set_status(v)?;
        }
        Ok(session)
    }

    /// Session id (also the file name under `sessions/`).
    #[getter]
    fn session_id(&self) -> &str {
        &self.inner.session_id
    }
    #[setter]
    fn set_session_id(&mut self, value: String) {
        self.inner.session_id = value;
    }

    /// Plate path (a movie file or a sequence pattern).
    #[getter]
    fn footage_path(&self) -> &str {
        &self.inner.footage_path
    }
    #[setter]
    fn set_footage_path(&mut self, value: String) {
        self.inner.footage_path = value;
    }

    /// First frame.
    #[getter]
    fn frame_start(&self) -> i64 {
        self.inner.frame_start
    }
    #[setter]
    fn set_frame_start(&mut self, value: i64) {
        self.inner.frame_start = value;
    }

    /// Last frame (inclusive).
    #[getter]
    fn frame_end(&self) -> i64 {
        self.inner.frame_end
    }
    #[setter]
    fn set_frame_end(&mut self, value: i64) {
        self.inner.frame_end = value;
    }

    /// The frame the artist was on.
    #[getter]
    fn current_frame(&self) -> i64 {
        self.inner.current_frame
    }
    #[setter]
    fn set_current_frame(&mut self, value: i64) {
        self.inner.current_frame = value;
    }

    /// The session's tracks: a list of `TrackData` (append to it as to the original's).
    #[getter]
    fn tracks(&self, py: Python<'_>) -> Py<PyList> {
        self.tracks.clone_ref(py)
    }
    #[setter]
    fn set_tracks(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let list = match value.cast::<PyList>() {
            Ok(list) => list.clone(),
            Err(_) => {
                let items = value
                    .try_iter()
                    .map_err(|_| type_error("tracks", "a list of TrackData", value))?
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(value.py(), items)?
            }
        };
        tracks_to_rust(&list)?;
        self.tracks = list.unbind();
        Ok(())
    }

    /// Camera profile name, or empty.
    #[getter]
    fn camera_profile(&self) -> &str {
        &self.inner.camera_profile
    }
    #[setter]
    fn set_camera_profile(&mut self, value: String) {
        self.inner.camera_profile = value;
    }

    /// Tracking preset (`fast`, `balanced`, `precise`).
    #[getter]
    fn preset(&self) -> &str {
        &self.inner.preset
    }
    #[setter]
    fn set_preset(&mut self, value: String) {
        self.inner.preset = value;
    }

    /// `"in_progress"`, `"complete"` or `"error"`.
    #[getter]
    fn status(&self) -> String {
        enum_name(&self.inner.status)
    }
    #[setter]
    fn set_status(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        set_enum::<SessionStatus>(&mut self.inner.status, value, "status", STATUSES)
    }

    /// Creation time (ISO 8601), or empty.
    #[getter]
    fn created_at(&self) -> &str {
        &self.inner.created_at
    }
    #[setter]
    fn set_created_at(&mut self, value: String) {
        self.inner.created_at = value;
    }

    /// Last update time (ISO 8601), or empty.
    #[getter]
    fn updated_at(&self) -> &str {
        &self.inner.updated_at
    }
    #[setter]
    fn set_updated_at(&mut self, value: String) {
        self.inner.updated_at = value;
    }

    /// Revision of the stored file this session was loaded from or saved as (`None`:
    /// never stored; `0`: a file written by the original tools).
    #[getter]
    fn revision(&self) -> Option<u64> {
        self.inner.revision
    }

    /// When the session was last saved (UTC, RFC 3339), if it was.
    #[getter]
    fn saved_at(&self) -> Option<&str> {
        self.inner.saved_at.as_deref()
    }

    /// The store-wide save counter of the last save, if saved by a store.
    #[getter]
    fn save_counter(&self) -> Option<u64> {
        self.inner.save_counter
    }

    /// Schema version of the stored file (`None`: the original layout).
    #[getter]
    fn schema_version(&self) -> Option<u32> {
        self.inner.schema_version
    }

    /// The original's dict layout (without the store's bookkeeping).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("session_id", &s.session_id)?;
        dict.set_item("footage_path", &s.footage_path)?;
        dict.set_item("frame_start", s.frame_start)?;
        dict.set_item("frame_end", s.frame_end)?;
        dict.set_item("current_frame", s.current_frame)?;
        let tracks = PyList::empty(py);
        for track in tracks_to_rust(self.tracks.bind(py))? {
            tracks.append(track_to_dict(py, &track)?)?;
        }
        dict.set_item("tracks", tracks)?;
        dict.set_item("camera_profile", &s.camera_profile)?;
        dict.set_item("preset", &s.preset)?;
        dict.set_item("status", enum_name(&s.status))?;
        dict.set_item("created_at", &s.created_at)?;
        dict.set_item("updated_at", &s.updated_at)?;
        Ok(dict)
    }

    /// A session from the original's dict layout (tracks as dicts).
    #[classmethod]
    fn from_dict<'py>(
        cls: &Bound<'py, PyType>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = data.py();
        let track_type = py.get_type::<PyTrackData>();
        let kwargs = known_kwargs(data, Self::FIELDS, |field, value| match field {
            "tracks" if value.is_truthy()? => {
                let tracks = PyList::empty(py);
                for item in value.try_iter()? {
                    tracks.append(PyTrackData::from_dict(&track_type, &item?)?)?;
                }
                Ok(tracks.into_any())
            }
            "tracks" => Ok(PyList::empty(py).into_any()),
            _ => Ok(value),
        })?;
        cls.call((), Some(&kwargs))
    }

    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        Ok(self.data_only(py)? == other.data_only(py)?)
    }

    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let count = slf.borrow().tracks.bind(slf.py()).len();
        dataclass_repr(slf.as_any(), "TrackingSession", Self::FIELDS, |field| {
            (field == "tracks").then(|| match count {
                0 => "[]".to_owned(),
                1 => "[<1 track>]".to_owned(),
                n => format!("[<{n} tracks>]"),
            })
        })
    }
}

/// Registers the six classes.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyTrackData>()?;
    module.add_class::<PySolveData>()?;
    module.add_class::<PySolveReport>()?;
    module.add_class::<PyFootageMetadata>()?;
    module.add_class::<PyFootageInfo>()?;
    module.add_class::<PyTrackingSession>()?;
    Ok(())
}
