//! Camera coordinate conversion, lens maths and camera file formats.
//!
//! Owns: Y-up ↔ Z-up conversion of positions, rotations and transforms (nalgebra),
//! Euler angles in all six orders, FOV ↔ focal length, Nuke `.chan` read/write, the
//! original JSON camera format and `import_tracking_data`. Depends on `tracking-types`
//! only.
//!
//! | module | what lives there |
//! |---|---|
//! | [`axes`] | Y-up ↔ Z-up: positions, matrices, quaternions, Euler, 4×4 |
//! | [`euler`] | Euler compose/decompose in six orders, Blender's pick, continuity |
//! | [`rotation_order`] | [`RotationOrder`] |
//! | [`lens`] | FOV ↔ focal, [`FilmBack`], Nuke ↔ Blender lens with sensor fit |
//! | [`chan`] | `.chan` reader ([`ChanReader`]) and writer ([`write_chan`]) |
//! | [`json_camera`] | the original's JSON camera format |
//! | [`camera_track`] | [`CameraTrack`] / [`CameraFrame`] and their [`SolveData`](tracking_types::SolveData) mapping |
//! | [`import`] | [`import_tracking_data`], [`import_nuke_chan`] |
//! | [`tracks`] | 2D tracks: 3DE, SynthEyes, PFTrack, boujou readers/writers, Nuke/AE export, detection |
//! | [`error`] | [`Error`], [`Position`], [`ChanIssue`] |
//!
//! Conventions: Nuke is Y-up, camera looking down −Z, rotation order ZXY meaning
//! `R = Ry·Rx·Rz`, film back 24.576 × 18.672 mm. Blender is Z-up with the same camera
//! axes, so `M_blender = Rx(+90°)·M_nuke`; Blender Euler XYZ is `R = Rz·Ry·Rx`.

pub mod axes;
pub mod camera_track;
pub mod chan;
pub mod error;
pub mod euler;
pub mod import;
pub mod json_camera;
pub mod lens;
pub mod rotation_order;
pub mod tracks;
mod trig;

pub use axes::UpAxis;
pub use camera_track::{CameraFrame, CameraTrack};
pub use chan::{
    ChanImport, ChanOptions, ChanReader, ChanWarning, ChanWriteOptions, ReadMode, parse_str,
    read_chan, to_chan_string, write_chan, write_chan_file,
};
pub use error::{ChanIssue, Error, Position};
pub use import::{
    TrackingFormat, import_camera_track, import_nuke_chan, import_nuke_chan_with,
    import_tracking_data,
};
pub use lens::{BlenderLens, FilmBack, FovAxis, NukeLens, SensorFit, focal_length_to_fov};
pub use rotation_order::RotationOrder;
pub use tracks::{
    ImageSize, TrackFormat, TrackImport, TrackIssue, TrackReadOptions, TrackReader, TrackWarning,
    TrackWriteOptions, parse_tracks_str, read_tracks, tracks_to_string, write_tracks,
    write_tracks_file,
};

use nalgebra::Vector3;

/// A Nuke (Y-up) position in Blender (Z-up) coordinates: `(x, y, z) → (x, −z, y)`.
pub fn convert_yup_to_zup_position(position: [f64; 3]) -> [f64; 3] {
    axes::yup_to_zup_position(Vector3::from(position)).into()
}

/// A Blender (Z-up) position in Nuke (Y-up) coordinates: `(x, y, z) → (x, z, −y)`.
pub fn convert_zup_to_yup_position(position: [f64; 3]) -> [f64; 3] {
    axes::zup_to_yup_position(Vector3::from(position)).into()
}

/// A Nuke rotation (degrees, **ZXY** order — Nuke's default) as the Blender Euler XYZ
/// triple (degrees) Blender itself would pick. Other source orders:
/// [`convert_yup_to_zup_rotation_with`].
pub fn convert_yup_to_zup_rotation(rotation_deg: [f64; 3]) -> [f64; 3] {
    axes::yup_euler_to_zup_euler(rotation_deg, RotationOrder::Zxy)
}

/// A Y-up rotation (degrees, applied in `source_order`) as Blender Euler XYZ degrees.
pub fn convert_yup_to_zup_rotation_with(
    rotation_deg: [f64; 3],
    source_order: RotationOrder,
) -> [f64; 3] {
    axes::yup_euler_to_zup_euler(rotation_deg, source_order)
}

/// A Blender rotation (Euler XYZ degrees) as Nuke Euler angles in **ZXY** order
/// (degrees, the smallest-sum solution). Other orders and continuity:
/// [`convert_zup_to_yup_rotation_with`].
pub fn convert_zup_to_yup_rotation(rotation_xyz_deg: [f64; 3]) -> [f64; 3] {
    axes::zup_euler_to_yup_euler(rotation_xyz_deg, RotationOrder::Zxy, [0.0; 3])
}

/// A Blender rotation (Euler XYZ degrees) as Y-up Euler angles in `target_order`,
/// unwrapped toward `previous_deg` (the previous frame's result; `[0.0; 3]` for none).
pub fn convert_zup_to_yup_rotation_with(
    rotation_xyz_deg: [f64; 3],
    target_order: RotationOrder,
    previous_deg: [f64; 3],
) -> [f64; 3] {
    axes::zup_euler_to_yup_euler(rotation_xyz_deg, target_order, previous_deg)
}

/// Focal length (mm) for a field of view (degrees) along `axis` of `film_back`.
///
/// For a `.chan` vfov use [`FovAxis::Vertical`] and the camera's film back (Nuke's
/// default is [`FilmBack::NUKE_DEFAULT`]). Zero, negative, non-finite and ≥ 180° FOVs
/// are [`Error::InvalidLens`].
pub fn fov_to_focal_length(fov_deg: f64, axis: FovAxis, film_back: FilmBack) -> Result<f64, Error> {
    lens::fov_to_focal_length(fov_deg, axis, film_back)
}
