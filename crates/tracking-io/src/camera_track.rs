//! [`CameraTrack`]: an animated camera, one [`CameraFrame`] per frame, with matrices;
//! and its mapping to and from [`SolveData`].
//!
//! Rotations are Euler XYZ in degrees (`R = Rz·Ry·Rx`, Blender's convention) in the
//! track's [`UpAxis`] world; locations are in scene units of the same world.

use std::collections::BTreeMap;

use nalgebra::{Matrix4, Rotation3, UnitQuaternion};
use tracking_types::solve::CoordinateSystem;
use tracking_types::{Frame, SolveData};

use crate::axes::{UpAxis, transform_from_location_euler};
use crate::error::Error;
use crate::euler::euler_deg_to_matrix;
use crate::lens::FilmBack;
use crate::rotation_order::RotationOrder;

/// One frame of an animated camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraFrame {
    /// Frame number.
    pub frame: Frame,
    /// World location.
    pub location: [f64; 3],
    /// World rotation as Euler XYZ angles in degrees (`R = Rz·Ry·Rx`).
    pub rotation_euler_xyz_deg: [f64; 3],
    /// Focal length in mm, when known.
    pub lens_mm: Option<f64>,
}

impl CameraFrame {
    /// The world rotation matrix.
    pub fn rotation(&self) -> Rotation3<f64> {
        euler_deg_to_matrix(RotationOrder::Xyz, self.rotation_euler_xyz_deg)
    }

    /// The world rotation as a unit quaternion.
    pub fn quaternion(&self) -> UnitQuaternion<f64> {
        UnitQuaternion::from_rotation_matrix(&self.rotation())
    }

    /// The 4×4 world matrix `T·R` (Blender's `matrix_world` for a Z-up track).
    pub fn matrix_world(&self) -> Matrix4<f64> {
        transform_from_location_euler(
            self.location,
            self.rotation_euler_xyz_deg,
            RotationOrder::Xyz,
        )
    }

    /// The world matrix as rows, as Blender's `[list(r) for r in matrix_world]` prints it.
    pub fn matrix_world_rows(&self) -> [[f64; 4]; 4] {
        let m = self.matrix_world();
        std::array::from_fn(|row| std::array::from_fn(|col| m[(row, col)]))
    }
}

/// An animated camera: frames sorted by frame number, each frame once.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraTrack {
    /// Camera name (for a file: its stem).
    pub name: String,
    /// The world the locations and rotations are in.
    pub up_axis: UpAxis,
    /// Film back, when known (needed to write a vfov column).
    pub film_back: Option<FilmBack>,
    /// The frames, ascending, unique.
    pub frames: Vec<CameraFrame>,
}

impl CameraTrack {
    /// First and last frame, or `None` for an empty track.
    pub fn frame_range(&self) -> Option<(Frame, Frame)> {
        Some((self.frames.first()?.frame, self.frames.last()?.frame))
    }

    /// Smallest and largest focal length, or `None` when no frame has one.
    pub fn lens_range(&self) -> Option<(f64, f64)> {
        self.frames
            .iter()
            .filter_map(|f| f.lens_mm)
            .fold(None, |range, lens| match range {
                None => Some((lens, lens)),
                Some((lo, hi)) => Some((f64::min(lo, lens), f64::max(hi, lens))),
            })
    }

    /// The solve for this track.
    ///
    /// `focal_length` is the first frame's lens; `focal_lengths` holds every frame's
    /// lens when it varies (a zoom) and is empty when it is constant. A track without
    /// lens data needs `focal_length_fallback_mm`, else [`Error::NoFocalLength`].
    pub fn to_solve_data(&self, focal_length_fallback_mm: Option<f64>) -> Result<SolveData, Error> {
        let (start, end) = self.frame_range().ok_or(Error::NoFrames { path: None })?;
        let first_lens = self.frames.first().and_then(|f| f.lens_mm);
        let focal_length = first_lens
            .or(focal_length_fallback_mm)
            .ok_or(Error::NoFocalLength { path: None })?;
        let varies = self
            .frames
            .iter()
            .any(|f| f.lens_mm.is_some_and(|lens| lens != focal_length));
        let focal_lengths = if varies {
            self.frames
                .iter()
                .filter_map(|f| Some((f.frame, f.lens_mm?)))
                .collect()
        } else {
            BTreeMap::new()
        };
        let camera_transforms = self
            .frames
            .iter()
            .map(|f| {
                let [x, y, z] = f.location;
                let [rx, ry, rz] = f.rotation_euler_xyz_deg;
                (f.frame, [x, y, z, rx, ry, rz])
            })
            .collect();
        Ok(SolveData {
            name: self.name.clone(),
            frame_range: [start, end],
            focal_length,
            sensor_width: self
                .film_back
                .map_or(SolveData::default().sensor_width, |fb| fb.width_mm),
            camera_transforms,
            coordinate_system: match self.up_axis {
                UpAxis::Z => CoordinateSystem::ZUp,
                UpAxis::Y => CoordinateSystem::YUp,
            },
            solved_at: String::new(),
            sensor_height: self.film_back.map(|fb| fb.height_mm),
            focal_lengths,
        })
    }

    /// The track of a solve: per-frame lens from `focal_lengths`, else `focal_length`.
    /// The film back is known only when the solve records `sensor_height`.
    pub fn from_solve_data(solve: &SolveData) -> Result<Self, Error> {
        let invalid = |field: String, reason: &str| Error::InvalidCamera {
            path: None,
            field,
            reason: reason.to_owned(),
        };
        let mut frames = Vec::with_capacity(solve.camera_transforms.len());
        for (&frame, values) in &solve.camera_transforms {
            if let Some(index) = values.iter().position(|v| !v.is_finite()) {
                return Err(invalid(
                    format!("camera_transforms[{frame}][{index}]"),
                    "not finite",
                ));
            }
            let lens = solve
                .focal_lengths
                .get(&frame)
                .copied()
                .unwrap_or(solve.focal_length);
            if !(lens.is_finite() && lens > 0.0) {
                return Err(invalid(
                    format!("focal length of frame {frame}"),
                    "must be finite and above 0",
                ));
            }
            frames.push(CameraFrame {
                frame,
                location: [values[0], values[1], values[2]],
                rotation_euler_xyz_deg: [values[3], values[4], values[5]],
                lens_mm: Some(lens),
            });
        }
        if frames.is_empty() {
            return Err(Error::NoFrames { path: None });
        }
        let film_back = match solve.sensor_height {
            Some(height) => Some(FilmBack::new(solve.sensor_width, height)?),
            None => None,
        };
        Ok(Self {
            name: solve.name.clone(),
            up_axis: match solve.coordinate_system {
                CoordinateSystem::ZUp => UpAxis::Z,
                CoordinateSystem::YUp => UpAxis::Y,
            },
            film_back,
            frames,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(lenses: [Option<f64>; 2]) -> CameraTrack {
        CameraTrack {
            name: "cam".into(),
            up_axis: UpAxis::Z,
            film_back: Some(FilmBack::NUKE_DEFAULT),
            frames: vec![
                CameraFrame {
                    frame: 1001,
                    location: [1.0, 2.0, 3.0],
                    rotation_euler_xyz_deg: [90.0, 0.0, 45.0],
                    lens_mm: lenses[0],
                },
                CameraFrame {
                    frame: 1002,
                    location: [1.5, 2.0, 3.0],
                    rotation_euler_xyz_deg: [91.0, 0.0, 45.0],
                    lens_mm: lenses[1],
                },
            ],
        }
    }

    #[test]
    fn a_constant_lens_solve_has_no_per_frame_focal_map() {
        let solve = track([Some(35.0), Some(35.0)]).to_solve_data(None).unwrap();
        assert_eq!(solve.focal_length, 35.0);
        assert!(solve.focal_lengths.is_empty());
        assert_eq!(solve.frame_range, [1001, 1002]);
        assert_eq!(solve.sensor_height, Some(18.672));
        assert_eq!(
            solve.camera_transforms[&1002],
            [1.5, 2.0, 3.0, 91.0, 0.0, 45.0]
        );
    }

    #[test]
    fn a_zoom_solve_records_every_frames_focal_length() {
        let solve = track([Some(35.0), Some(40.0)]).to_solve_data(None).unwrap();
        assert_eq!(solve.focal_lengths.len(), 2);
        assert_eq!(solve.focal_lengths[&1002], 40.0);
    }

    #[test]
    fn a_track_without_lens_needs_a_fallback_instead_of_a_silent_50mm() {
        assert!(matches!(
            track([None, None]).to_solve_data(None),
            Err(Error::NoFocalLength { .. })
        ));
        assert_eq!(
            track([None, None])
                .to_solve_data(Some(24.0))
                .unwrap()
                .focal_length,
            24.0
        );
    }

    #[test]
    fn a_solve_converts_back_to_the_same_track() {
        let original = track([Some(35.0), Some(40.0)]);
        let back = CameraTrack::from_solve_data(&original.to_solve_data(None).unwrap()).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn the_world_matrix_holds_the_location_in_its_last_column() {
        let m = track([None, None]).frames[0].matrix_world_rows();
        assert_eq!([m[0][3], m[1][3], m[2][3], m[3][3]], [1.0, 2.0, 3.0, 1.0]);
    }
}
