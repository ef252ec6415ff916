//! `BlenderCamera`: a solve's per-frame Blender camera (frames, location, Euler XYZ,
//! 4×4 world matrices, lens) as flat, typed `memoryview`s over `bytes` — no Python
//! object per frame, no numpy needed (Blender has none). `array.array('d', view)` makes
//! a mutable copy; outside Blender `numpy.frombuffer(view).reshape(-1, 4, 4)` wraps one
//! without copying; `fcurve.keyframe_points.foreach_set` takes the views directly.
//!
//! Each column is computed on first access (with the GIL released) and kept: asking for
//! the matrices does not pay for the Euler angles, and a million frames' matrices are
//! one 128 MB `bytes`, not a million objects.

use std::sync::Arc;

use cinematic::io::axes::yup_euler_to_zup_euler;
use cinematic::io::{CameraFrame, CameraTrack, RotationOrder, UpAxis, convert_yup_to_zup_position};
use cinematic::types::{CoordinateSystem, SolveData};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::errors::from_io;

/// The columns, each `width` numbers per frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// Frame numbers (`'q'`).
    Frames,
    /// Location `x, y, z`.
    Location,
    /// Euler XYZ in radians (Blender's `rotation_euler`).
    Radians,
    /// Euler XYZ in degrees.
    Degrees,
    /// `matrix_world`, row by row.
    Matrix,
    /// Focal length in mm (NaN where unknown).
    Lens,
}

impl Column {
    const ALL: [Column; 6] = [
        Column::Frames,
        Column::Location,
        Column::Radians,
        Column::Degrees,
        Column::Matrix,
        Column::Lens,
    ];

    fn width(self) -> usize {
        match self {
            Column::Frames | Column::Lens => 1,
            Column::Location | Column::Radians | Column::Degrees => 3,
            Column::Matrix => 16,
        }
    }

    fn format(self) -> &'static str {
        match self {
            Column::Frames => "q",
            _ => "d",
        }
    }

    /// Writes this column's numbers of `frame` (native-endian, 8 bytes each) into `out`.
    fn write(self, frame: &CameraFrame, out: &mut [u8]) {
        let mut put = |values: &[f64]| {
            for (chunk, value) in out.chunks_exact_mut(8).zip(values) {
                chunk.copy_from_slice(&value.to_ne_bytes());
            }
        };
        match self {
            Column::Frames => out.copy_from_slice(&frame.frame.to_ne_bytes()),
            Column::Location => put(&frame.location),
            Column::Radians => put(&frame.rotation_euler_xyz_deg.map(f64::to_radians)),
            Column::Degrees => put(&frame.rotation_euler_xyz_deg),
            Column::Matrix => put(frame.matrix_world_rows().as_flattened()),
            Column::Lens => put(&[frame.lens_mm.unwrap_or(f64::NAN)]),
        }
    }
}

/// Frames per thread below which one thread writes a column.
const MIN_FRAMES_PER_WORKER: usize = 65_536;

/// Fills `buffer` with `column` of every frame; the matrices (trigonometry) are split
/// over up to four threads.
fn fill(buffer: &mut [u8], frames: &[CameraFrame], column: Column) {
    let bytes = 8 * column.width();
    let workers = if column == Column::Matrix {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, 4)
            .min(frames.len().div_ceil(MIN_FRAMES_PER_WORKER).max(1))
    } else {
        1
    };
    let per = frames.len().div_ceil(workers).max(1);
    let write = |input: &[CameraFrame], output: &mut [u8]| {
        for (frame, out) in input.iter().zip(output.chunks_exact_mut(bytes)) {
            column.write(frame, out);
        }
    };
    if workers == 1 {
        write(frames, buffer);
        return;
    }
    std::thread::scope(|scope| {
        for (input, output) in frames.chunks(per).zip(buffer.chunks_mut(bytes * per)) {
            scope.spawn(move || write(input, output));
        }
    });
}

/// The world of a solve's transforms.
fn up_axis(system: CoordinateSystem) -> UpAxis {
    match system {
        CoordinateSystem::ZUp => UpAxis::Z,
        CoordinateSystem::YUp => UpAxis::Y,
    }
}

/// `frame` in Blender's Z-up world (a Y-up solve is converted: `Rx(+90°)·M`).
fn in_blender_world(frame: &CameraFrame, up: UpAxis) -> CameraFrame {
    match up {
        UpAxis::Z => *frame,
        UpAxis::Y => CameraFrame {
            location: convert_yup_to_zup_position(frame.location),
            rotation_euler_xyz_deg: yup_euler_to_zup_euler(
                frame.rotation_euler_xyz_deg,
                RotationOrder::Xyz,
            ),
            ..*frame
        },
    }
}

/// A solve's per-frame Blender camera as flat arrays.
///
/// `frames` (`'q'`, n), `location` (`'d'`, 3n), `rotation_euler` (`'d'`, 3n, radians:
/// Blender's `rotation_euler`), `rotation_euler_deg` (`'d'`, 3n), `matrix_world`
/// (`'d'`, 16n, each matrix row by row as Blender prints `matrix_world`) and `lens`
/// (`'d'`, n, mm; NaN where unknown). Frame `i` is at `[3i:3i+3]`, `[16i:16i+16]`, ….
#[pyclass(module = "cinematic", name = "BlenderCamera", frozen)]
pub(crate) struct PyBlenderCamera {
    /// Camera name.
    #[pyo3(get)]
    name: String,
    /// Film back width in mm.
    #[pyo3(get)]
    sensor_width: f64,
    /// Film back height in mm, when known.
    #[pyo3(get)]
    sensor_height: Option<f64>,
    /// The frames in Blender's world (shared with the solve that made them, if any).
    frames: Arc<Vec<CameraFrame>>,
    /// Each column's view, once computed.
    views: [PyOnceLock<Py<PyAny>>; 6],
}

impl PyBlenderCamera {
    /// The Blender camera of `solve` (its frames gathered and checked by `tracking-io`
    /// with the GIL released; the columns are computed when first read).
    pub(crate) fn from_solve(py: Python<'_>, solve: &SolveData) -> PyResult<Self> {
        let up = up_axis(solve.coordinate_system);
        let frames = py
            .detach(|| {
                CameraTrack::from_solve_data(solve).map(|track| {
                    track
                        .frames
                        .iter()
                        .map(|frame| in_blender_world(frame, up))
                        .collect::<Vec<_>>()
                })
            })
            .map_err(|e| from_io(&e))?;
        Ok(Self::from_frames(solve, Arc::new(frames)))
    }

    /// The Blender camera of `solve` whose frames in Blender's world are `frames`.
    pub(crate) fn from_frames(solve: &SolveData, frames: Arc<Vec<CameraFrame>>) -> Self {
        Self {
            name: solve.name.clone(),
            sensor_width: solve.sensor_width,
            sensor_height: solve.sensor_height,
            frames,
            views: std::array::from_fn(|_| PyOnceLock::new()),
        }
    }

    /// The view of `column` (computed on first use, without the GIL).
    fn view<'py>(&self, py: Python<'py>, column: Column) -> PyResult<Bound<'py, PyAny>> {
        let index = Column::ALL.iter().position(|c| *c == column).unwrap_or(0);
        let view = self.views[index].get_or_try_init(py, || {
            let len = 8 * column.width() * self.frames.len();
            let bytes = PyBytes::new_with(py, len, |buffer| {
                py.detach(|| fill(buffer, &self.frames, column));
                Ok(())
            })?;
            let memoryview = py.import("builtins")?.getattr("memoryview")?;
            Ok::<_, PyErr>(
                memoryview
                    .call1((bytes,))?
                    .call_method1("cast", (column.format(),))?
                    .unbind(),
            )
        })?;
        Ok(view.bind(py).clone())
    }
}

#[pymethods]
impl PyBlenderCamera {
    /// Frame numbers (`'q'`, one per frame).
    #[getter]
    fn frames<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Frames)
    }

    /// Locations (`'d'`, three per frame).
    #[getter]
    fn location<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Location)
    }

    /// Euler XYZ in radians (`'d'`, three per frame), Blender's `rotation_euler`.
    #[getter]
    fn rotation_euler<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Radians)
    }

    /// Euler XYZ in degrees (`'d'`, three per frame).
    #[getter]
    fn rotation_euler_deg<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Degrees)
    }

    /// World matrices (`'d'`, sixteen per frame, row by row).
    #[getter]
    fn matrix_world<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Matrix)
    }

    /// Focal length in mm (`'d'`, one per frame; NaN where unknown).
    #[getter]
    fn lens<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.view(py, Column::Lens)
    }

    fn __len__(&self) -> usize {
        self.frames.len()
    }

    /// Frame `index` (0-based, negative from the end) as one dict with the keys of
    /// `cinematic chan import --json` and Blender's importer: `frame`, `location`,
    /// `rotation_euler_xyz_deg`, `matrix_world` (4 rows), `lens`.
    fn frame<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyDict>> {
        let len = isize::try_from(self.frames.len()).unwrap_or(isize::MAX);
        let at = if index < 0 { index + len } else { index };
        let Some(frame) = usize::try_from(at).ok().and_then(|i| self.frames.get(i)) else {
            return Err(PyIndexError::new_err(format!(
                "frame index {index} out of range for {} frames",
                self.frames.len()
            )));
        };
        let dict = PyDict::new(py);
        dict.set_item("frame", frame.frame)?;
        dict.set_item("location", frame.location.to_vec())?;
        dict.set_item(
            "rotation_euler_xyz_deg",
            frame.rotation_euler_xyz_deg.to_vec(),
        )?;
        let rows = PyList::new(py, frame.matrix_world_rows().map(|row| row.to_vec()))?;
        dict.set_item("matrix_world", rows)?;
        dict.set_item("lens", frame.lens_mm)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let range = match (self.frames.first(), self.frames.last()) {
            (Some(first), Some(last)) => format!(" {}..{}", first.frame, last.frame),
            _ => String::new(),
        };
        format!(
            "BlenderCamera(name={:?}, {} frames{range})",
            self.name,
            self.frames.len()
        )
    }
}
