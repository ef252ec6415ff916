//! Y-up (Nuke, Maya, 3DEqualizer) ↔ Z-up (Blender) conversion of positions, rotation
//! matrices, quaternions, Euler angles and 4×4 transforms.
//!
//! Both worlds are right-handed and both cameras look down local −Z with +Y up, so the
//! conversion is a left multiply only: `M_zup = Rx(+90°)·M_yup`, i.e. a position
//! `(x, y, z)` becomes `(x, −z, y)`. The inverse is `Rx(−90°)`: `(x, y, z) → (x, z, −y)`.

use std::f64::consts::FRAC_PI_2;

use nalgebra::{Matrix4, Rotation3, UnitQuaternion, Vector3};

use crate::euler::{euler_deg_to_matrix, matrix_to_compatible_euler, matrix_to_euler};
use crate::rotation_order::RotationOrder;

/// Which world axis points up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UpAxis {
    /// Y up (Nuke, Maya, 3DEqualizer).
    Y,
    /// Z up (Blender); the default target.
    #[default]
    Z,
}

/// `Rx(+90°)`: the rotation that takes Y-up world coordinates to Z-up ones.
pub fn yup_to_zup_basis() -> Rotation3<f64> {
    Rotation3::from_axis_angle(&Vector3::x_axis(), FRAC_PI_2)
}

/// A Y-up position in Z-up coordinates: `(x, y, z) → (x, −z, y)` (exact, no rounding).
pub fn yup_to_zup_position(p: Vector3<f64>) -> Vector3<f64> {
    Vector3::new(p.x, -p.z, p.y)
}

/// A Z-up position in Y-up coordinates: `(x, y, z) → (x, z, −y)` (exact).
pub fn zup_to_yup_position(p: Vector3<f64>) -> Vector3<f64> {
    Vector3::new(p.x, p.z, -p.y)
}

/// A Y-up world rotation in Z-up coordinates: `Rx(+90°)·R` (exact row permutation).
#[inline]
pub fn yup_to_zup_rotation(r: &Rotation3<f64>) -> Rotation3<f64> {
    let m = r.matrix();
    let mut out = *m;
    out.set_row(1, &(-m.row(2)));
    out.set_row(2, &m.row(1));
    Rotation3::from_matrix_unchecked(out)
}

/// A Z-up world rotation in Y-up coordinates: `Rx(−90°)·R` (exact row permutation).
pub fn zup_to_yup_rotation(r: &Rotation3<f64>) -> Rotation3<f64> {
    let m = r.matrix();
    let mut out = *m;
    out.set_row(1, &m.row(2));
    out.set_row(2, &(-m.row(1)));
    Rotation3::from_matrix_unchecked(out)
}

/// A Y-up world orientation as a Z-up one: `q_x(+90°)·q`.
pub fn yup_to_zup_quaternion(q: &UnitQuaternion<f64>) -> UnitQuaternion<f64> {
    UnitQuaternion::from_axis_angle(&Vector3::x_axis(), FRAC_PI_2) * q
}

/// A Z-up world orientation as a Y-up one: `q_x(−90°)·q`.
pub fn zup_to_yup_quaternion(q: &UnitQuaternion<f64>) -> UnitQuaternion<f64> {
    UnitQuaternion::from_axis_angle(&Vector3::x_axis(), -FRAC_PI_2) * q
}

/// A Y-up 4×4 world transform as a Z-up one: `Rx(+90°)·M` (rows 1 and 2 permuted).
pub fn yup_to_zup_transform(m: &Matrix4<f64>) -> Matrix4<f64> {
    let mut out = *m;
    out.set_row(1, &(-m.row(2)));
    out.set_row(2, &m.row(1));
    out
}

/// A Z-up 4×4 world transform as a Y-up one: `Rx(−90°)·M`.
pub fn zup_to_yup_transform(m: &Matrix4<f64>) -> Matrix4<f64> {
    let mut out = *m;
    out.set_row(1, &m.row(2));
    out.set_row(2, &(-m.row(1)));
    out
}

/// Y-up Euler angles (degrees, applied in `source_order`) as Z-up Blender Euler XYZ
/// angles in degrees, the triple Blender itself would pick.
pub fn yup_euler_to_zup_euler(rotation_deg: [f64; 3], source_order: RotationOrder) -> [f64; 3] {
    let r = euler_deg_to_matrix(source_order, rotation_deg);
    matrix_to_euler(RotationOrder::Xyz, &yup_to_zup_rotation(&r)).map(f64::to_degrees)
}

/// Z-up Blender Euler XYZ angles (degrees) as Y-up Euler angles in `target_order`,
/// unwrapped toward `previous_deg` (pass `[0.0; 3]` for a first frame).
pub fn zup_euler_to_yup_euler(
    rotation_xyz_deg: [f64; 3],
    target_order: RotationOrder,
    previous_deg: [f64; 3],
) -> [f64; 3] {
    let r = euler_deg_to_matrix(RotationOrder::Xyz, rotation_xyz_deg);
    matrix_to_compatible_euler(
        target_order,
        &zup_to_yup_rotation(&r),
        previous_deg.map(f64::to_radians),
    )
    .map(f64::to_degrees)
}

/// The 4×4 transform `T·R` of a location and Euler angles (degrees, `order`).
pub fn transform_from_location_euler(
    location: [f64; 3],
    rotation_deg: [f64; 3],
    order: RotationOrder,
) -> Matrix4<f64> {
    let r = euler_deg_to_matrix(order, rotation_deg);
    let mut m = r.to_homogeneous();
    m[(0, 3)] = location[0];
    m[(1, 3)] = location[1];
    m[(2, 3)] = location[2];
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nuke_point_one_unit_up_lands_one_unit_up_in_blender() {
        let p = yup_to_zup_position(Vector3::new(1.0, 2.0, 3.0));
        assert_eq!(p, Vector3::new(1.0, -3.0, 2.0));
        assert_eq!(zup_to_yup_position(p), Vector3::new(1.0, 2.0, 3.0));
    }

    #[test]
    fn the_position_rule_is_the_rx_plus_90_basis() {
        let p = Vector3::new(0.3, -1.7, 2.9);
        let by_matrix = yup_to_zup_basis() * p;
        assert!((by_matrix - yup_to_zup_position(p)).amax() < 1e-15);
    }

    #[test]
    fn a_nuke_camera_at_rest_looks_along_blender_plus_y_as_blender_expects() {
        // Nuke rest camera looks down -Z (horizontal); in Blender that is +Y, which is
        // Euler XYZ (90°, 0, 0).
        let euler = yup_euler_to_zup_euler([0.0; 3], RotationOrder::Zxy);
        assert!(
            (euler[0] - 90.0).abs() < 1e-12 && euler[1].abs() < 1e-12,
            "{euler:?}"
        );
    }

    #[test]
    fn rotation_quaternion_and_matrix_conversions_agree() {
        let r = crate::euler::euler_to_matrix(RotationOrder::Zxy, [0.3, -0.8, 1.9]);
        let q = UnitQuaternion::from_rotation_matrix(&r);
        let via_q = yup_to_zup_quaternion(&q).to_rotation_matrix();
        let via_m = yup_to_zup_rotation(&r);
        assert!((via_q.matrix() - via_m.matrix()).amax() < 1e-14);
        let back = zup_to_yup_quaternion(&yup_to_zup_quaternion(&q));
        assert!(back.angle_to(&q) < 1e-14);
    }

    #[test]
    fn transform_conversion_is_the_basis_times_the_transform() {
        let m =
            transform_from_location_euler([1.0, 2.0, 3.0], [10.0, 20.0, 30.0], RotationOrder::Zxy);
        let expected = yup_to_zup_basis().to_homogeneous() * m;
        assert!((yup_to_zup_transform(&m) - expected).amax() < 1e-15);
        assert_eq!(zup_to_yup_transform(&yup_to_zup_transform(&m)), m);
    }

    #[test]
    fn euler_conversion_round_trips_to_the_same_nuke_angles() {
        let nuke = [-12.5, 145.0, 7.25];
        let blender = yup_euler_to_zup_euler(nuke, RotationOrder::Zxy);
        let back = zup_euler_to_yup_euler(blender, RotationOrder::Zxy, [10.0, 20.0, 30.0]);
        for axis in 0..3 {
            assert!((back[axis] - nuke[axis]).abs() < 1e-9, "{back:?}");
        }
    }
}
