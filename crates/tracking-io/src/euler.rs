//! Euler angles in any of the six orders: composing a rotation matrix, and decomposing
//! one the way Blender does (its `mat3_normalized_to_eulO` / `compatible_eul`, 3.4).
//!
//! Angles are radians, indexed by axis (`[x, y, z]`) whatever the order.
//!
//! Decomposition yields two valid triples for every rotation. Blender keeps the one
//! whose absolute values sum lowest ([`matrix_to_euler`]); with a previous frame it
//! first unwraps both toward the previous triple and keeps the closer one
//! ([`matrix_to_compatible_euler`]), which is what keeps animation curves continuous.

use std::f64::consts::{FRAC_PI_2, PI, TAU};

use nalgebra::{Matrix3, Rotation3};

use crate::rotation_order::RotationOrder;
use crate::trig::{self, atan2};

/// At or below this `cos(middle angle)` a matrix is treated as gimbal locked: the last
/// applied angle is set to zero and the first takes the whole turn.
///
/// Blender 3.4 switches at `16 * FLT_EPSILON` (≈ 1.9e-6) because it works in f32; in
/// f64 the regular formulas stay accurate much closer to the lock, and switching early
/// would cost up to 1.9e-6 of matrix accuracy, so we switch at 1e-12 (the recomposed
/// matrix stays exact to ~1e-12 either side). Which of the two solutions is picked is
/// unchanged.
pub const GIMBAL_EPSILON: f64 = 1e-12;

/// The rotation matrix of Euler angles `[x, y, z]` (radians) applied in `order`.
///
/// For [`RotationOrder::Zxy`] this is `Ry·Rx·Rz`; for [`RotationOrder::Xyz`] `Rz·Ry·Rx`.
/// Same closed form as Blender's `eulO_to_mat3`, in `f64`.
#[inline]
pub fn euler_to_matrix(order: RotationOrder, angles: [f64; 3]) -> Rotation3<f64> {
    let [i, j, k] = order.axes();
    let sign = if order.is_odd() { -1.0 } else { 1.0 };
    let (si, ci) = (sign * angles[i]).sin_cos();
    let (sj, cj) = (sign * angles[j]).sin_cos();
    let (sh, ch) = (sign * angles[k]).sin_cos();
    closed_form(order, [si, ci], [sj, cj], [sh, ch])
}

/// Blender's `eulO_to_mat3` closed form from the sines and cosines of the (parity
/// signed) angles about the first, second and third applied axes.
#[inline(always)]
fn closed_form(
    order: RotationOrder,
    [si, ci]: [f64; 2],
    [sj, cj]: [f64; 2],
    [sh, ch]: [f64; 2],
) -> Rotation3<f64> {
    let [i, j, k] = order.axes();
    let (cc, cs, sc, ss) = (ci * ch, ci * sh, si * ch, si * sh);
    let mut m = Matrix3::zeros();
    m[(i, i)] = cj * ch;
    m[(i, j)] = sj * sc - cs;
    m[(i, k)] = sj * cc + ss;
    m[(j, i)] = cj * sh;
    m[(j, j)] = sj * ss + cc;
    m[(j, k)] = sj * cs - sc;
    m[(k, i)] = -sj;
    m[(k, j)] = cj * si;
    m[(k, k)] = cj * ci;
    Rotation3::from_matrix_unchecked(m)
}

/// [`euler_to_matrix`] for angles in degrees, exact at multiples of 90° (so a 90° turn
/// has a cosine of exactly 0, not 6e-17).
#[inline(always)]
pub fn euler_deg_to_matrix(order: RotationOrder, angles_deg: [f64; 3]) -> Rotation3<f64> {
    let [i, j, k] = order.axes();
    let sign = if order.is_odd() { -1.0 } else { 1.0 };
    let (si, ci) = sin_cos_deg(sign * angles_deg[i]);
    let (sj, cj) = sin_cos_deg(sign * angles_deg[j]);
    let (sh, ch) = sin_cos_deg(sign * angles_deg[k]);
    closed_form(order, [si, ci], [sj, cj], [sh, ch])
}

/// Sine and cosine of an angle in degrees; exact at multiples of 90° (with +0 for the
/// zeros), within two ulps elsewhere, and reduced exactly in degrees so large angles
/// keep their accuracy.
#[inline(always)]
pub fn sin_cos_deg(degrees: f64) -> (f64, f64) {
    trig::sin_cos_deg(degrees)
}

/// Both Euler solutions of a rotation in `order` (Blender's `mat3_normalized_to_eulo2`).
///
/// At gimbal lock (`cos(middle) <` [`GIMBAL_EPSILON`]) the two are equal and the last
/// applied axis is zero.
pub fn euler_solutions(order: RotationOrder, rotation: &Rotation3<f64>) -> [[f64; 3]; 2] {
    let m = rotation.matrix();
    let [i, j, k] = order.axes();
    let cy = column_norm(m[(i, i)], m[(j, i)]);
    let first = first_euler_solution(order, rotation);
    if cy <= GIMBAL_EPSILON {
        return [first, first];
    }
    let mut second = [0.0; 3];
    second[i] = atan2(-m[(k, j)], -m[(k, k)]);
    second[j] = atan2(-m[(k, i)], -cy);
    second[k] = atan2(-m[(j, i)], -m[(i, i)]);
    if order.is_odd() {
        second = second.map(|a| -a);
    }
    [first, second]
}

/// The first of the two Euler solutions (middle angle within ±90°), three `atan2`s.
#[inline(always)]
pub fn first_euler_solution(order: RotationOrder, rotation: &Rotation3<f64>) -> [f64; 3] {
    let m = rotation.matrix();
    let [i, j, k] = order.axes();
    let cy = column_norm(m[(i, i)], m[(j, i)]);
    let mut first = [0.0; 3];
    if cy > GIMBAL_EPSILON {
        first[i] = atan2(m[(k, j)], m[(k, k)]);
        first[j] = atan2(-m[(k, i)], cy);
        first[k] = atan2(m[(j, i)], m[(i, i)]);
    } else {
        first[i] = atan2(-m[(j, k)], m[(j, j)]);
        first[j] = atan2(-m[(k, i)], cy);
        first[k] = 0.0;
    }
    if order.is_odd() {
        first = first.map(|a| -a);
    }
    first
}

/// Of the two solutions, the one whose absolute values sum lowest (the first on a tie).
#[inline]
pub fn pick_smallest(first: [f64; 3], second: [f64; 3]) -> [f64; 3] {
    if abs_sum(first) > abs_sum(second) {
        second
    } else {
        first
    }
}

/// The Euler triple Blender picks for a rotation: of the two solutions, the one whose
/// absolute values sum lowest (the first on a tie).
pub fn matrix_to_euler(order: RotationOrder, rotation: &Rotation3<f64>) -> [f64; 3] {
    let [first, second] = euler_solutions(order, rotation);
    pick_smallest(first, second)
}

/// The Euler triple closest to `previous`: both solutions are unwrapped toward
/// `previous` ([`compatible_euler`]) and the one with the smaller total difference wins
/// (Blender's `mat3_normalized_to_compatible_eulO`).
pub fn matrix_to_compatible_euler(
    order: RotationOrder,
    rotation: &Rotation3<f64>,
    previous: [f64; 3],
) -> [f64; 3] {
    let [first, second] = euler_solutions(order, rotation);
    pick_compatible(first, second, previous)
}

/// Of two solutions of the same rotation, the one closest to `previous` after unwrapping.
#[inline]
pub fn pick_compatible(first: [f64; 3], second: [f64; 3], previous: [f64; 3]) -> [f64; 3] {
    // Shortcut (exact): with every axis of `first` within 0.5 rad of `previous`, `first`
    // needs no unwrapping and is at most 1.5 away, while `second` (first ± π on the outer
    // axes) stays at least 2·(π − 0.5) away however it is unwrapped.
    if (0..3).all(|axis| (first[axis] - previous[axis]).abs() < 0.5) {
        return first;
    }
    pick_compatible_in_full(first, second, previous)
}

/// [`pick_compatible`]'s rule without its shortcut.
#[inline]
fn pick_compatible_in_full(first: [f64; 3], second: [f64; 3], previous: [f64; 3]) -> [f64; 3] {
    let first = compatible_euler(first, previous);
    let second = compatible_euler(second, previous);
    if distance(first, previous) > distance(second, previous) {
        second
    } else {
        first
    }
}

/// The second solution derived from the first without trigonometry, valid for a first
/// solution returned by [`euler_solutions`] for `order`.
///
/// `atan2(-y, -x)` is `atan2(y, x) ∓ π` and `atan2(s, -c)` is `±π − atan2(s, c)`,
/// with the signs taken from the first angle (so signed zeros behave like `atan2`).
#[inline]
pub fn second_solution(order: RotationOrder, first: [f64; 3]) -> [f64; 3] {
    let [i, j, k] = order.axes();
    if FRAC_PI_2 - first[j].abs() < GIMBAL_EPSILON {
        return first;
    }
    let mut second = first;
    second[i] = first[i] - PI.copysign(first[i]);
    second[j] = PI.copysign(first[j]) - first[j];
    second[k] = first[k] - PI.copysign(first[k]);
    second
}

/// Unwraps `euler` toward `previous` by whole turns, axis by axis (Blender 3.4's
/// `compatible_eul`: differences above 5.1 rad are unwrapped; then a single axis more
/// than 3.2 rad away while the others are within 1.6 rad is turned by 2π).
#[inline]
pub fn compatible_euler(mut euler: [f64; 3], previous: [f64; 3]) -> [f64; 3] {
    const PI_THRESH: f64 = 5.1;
    let mut delta = [0.0; 3];
    for axis in 0..3 {
        delta[axis] = euler[axis] - previous[axis];
        if delta[axis] > PI_THRESH {
            euler[axis] -= trig::floor((delta[axis] / TAU) + 0.5) * TAU;
            delta[axis] = euler[axis] - previous[axis];
        } else if delta[axis] < -PI_THRESH {
            euler[axis] += trig::floor((-delta[axis] / TAU) + 0.5) * TAU;
            delta[axis] = euler[axis] - previous[axis];
        }
    }
    for axis in 0..3 {
        let others_small = (0..3)
            .filter(|&other| other != axis)
            .all(|other| delta[other].abs() < 1.6);
        if delta[axis].abs() > 3.2 && others_small {
            if delta[axis] > 0.0 {
                euler[axis] -= TAU;
            } else {
                euler[axis] += TAU;
            }
        }
    }
    euler
}

/// `sqrt(a² + b²)` for rotation-matrix entries (|a|, |b| ≤ 1: no overflow, so no
/// need for the slower `hypot`).
#[inline]
fn column_norm(a: f64, b: f64) -> f64 {
    // Not `mul_add`: without a hardware FMA target feature that is a library call.
    (a * a + b * b).sqrt()
}

#[inline]
fn abs_sum(euler: [f64; 3]) -> f64 {
    euler[0].abs() + euler[1].abs() + euler[2].abs()
}

#[inline]
fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    (a[0] - b[0]).abs() + (a[1] - b[1]).abs() + (a[2] - b[2]).abs()
}

#[cfg(test)]
mod tests {
    use nalgebra::Vector3;

    use super::*;

    fn axis_product(order: RotationOrder, angles: [f64; 3]) -> Rotation3<f64> {
        let axis = |index: usize| {
            let mut v = Vector3::zeros();
            v[index] = 1.0;
            Rotation3::from_axis_angle(&nalgebra::Unit::new_normalize(v), angles[index])
        };
        let [a, b, c] = order.axes();
        axis(c) * axis(b) * axis(a)
    }

    #[test]
    fn composition_applies_the_first_letter_first_for_every_order() {
        let angles = [0.3, -1.1, 2.4];
        for order in RotationOrder::ALL {
            let closed = euler_to_matrix(order, angles);
            let product = axis_product(order, angles);
            assert!(
                (closed.matrix() - product.matrix()).amax() < 1e-14,
                "{order}"
            );
        }
    }

    #[test]
    fn degree_composition_is_exact_at_quarter_turns_and_matches_radians_elsewhere() {
        assert_eq!(sin_cos_deg(90.0), (1.0, 0.0));
        assert_eq!(sin_cos_deg(-270.0), (1.0, 0.0));
        assert_eq!(sin_cos_deg(540.0), (0.0, -1.0));
        for order in RotationOrder::ALL {
            let deg = [12.5, -145.0, 370.25];
            let a = euler_deg_to_matrix(order, deg);
            let b = euler_to_matrix(order, deg.map(f64::to_radians));
            assert!((a.matrix() - b.matrix()).amax() < 1e-14, "{order}");
        }
    }

    #[test]
    fn zxy_is_ry_times_rx_times_rz() {
        let (x, y, z) = (0.2, 0.5, -0.7);
        let expected = Rotation3::from_euler_angles(0.0, y, 0.0)
            * Rotation3::from_euler_angles(x, 0.0, 0.0)
            * Rotation3::from_euler_angles(0.0, 0.0, z);
        let got = euler_to_matrix(RotationOrder::Zxy, [x, y, z]);
        assert!((got.matrix() - expected.matrix()).amax() < 1e-14);
    }

    #[test]
    fn both_solutions_compose_back_to_the_same_matrix() {
        let angles = [2.9, 1.2, -2.2];
        for order in RotationOrder::ALL {
            let rotation = euler_to_matrix(order, angles);
            for solution in euler_solutions(order, &rotation) {
                let back = euler_to_matrix(order, solution);
                assert!(
                    (back.matrix() - rotation.matrix()).amax() < 1e-12,
                    "{order}"
                );
            }
        }
    }

    #[test]
    fn blender_picks_the_solution_with_the_smaller_absolute_sum() {
        // (170°, 80°, 170°) XYZ equals (-10°, 100°, -10°), whose sum is smaller.
        let angles = [170f64, 80.0, 170.0].map(f64::to_radians);
        let rotation = euler_to_matrix(RotationOrder::Xyz, angles);
        let picked = matrix_to_euler(RotationOrder::Xyz, &rotation).map(f64::to_degrees);
        for (got, want) in picked.iter().zip([-10.0, 100.0, -10.0]) {
            assert!((got - want).abs() < 1e-9, "{picked:?}");
        }
    }

    #[test]
    fn the_derived_second_solution_matches_the_computed_one() {
        for order in RotationOrder::ALL {
            for angles in [[0.3, 0.4, 0.5], [-2.0, 1.0, 3.0], [0.0, -0.2, -3.1]] {
                let rotation = euler_to_matrix(order, angles);
                let [first, second] = euler_solutions(order, &rotation);
                let derived = second_solution(order, first);
                for axis in 0..3 {
                    let diff = (derived[axis] - second[axis]).abs();
                    assert!(diff < 1e-12, "{order} {first:?} {second:?} {derived:?}");
                }
            }
        }
    }

    #[test]
    fn gimbal_lock_sets_the_last_axis_to_zero() {
        let angles = [0.4, FRAC_PI_2, 0.9];
        let rotation = euler_to_matrix(RotationOrder::Xyz, angles);
        let [first, second] = euler_solutions(RotationOrder::Xyz, &rotation);
        assert_eq!(first, second);
        assert_eq!(first[2], 0.0);
        let back = euler_to_matrix(RotationOrder::Xyz, first);
        assert!((back.matrix() - rotation.matrix()).amax() < 1e-12);
    }

    #[test]
    fn compatibility_unwraps_a_whole_turn_toward_the_previous_frame() {
        let previous = [3.0, 0.0, 0.0];
        let got = compatible_euler([-3.0, 0.1, 0.0], previous);
        assert!((got[0] - (TAU - 3.0)).abs() < 1e-12, "{got:?}");
        let far = compatible_euler([20.0, 0.0, 0.0], [0.0; 3]);
        assert!((far[0] - (20.0 - 3.0 * TAU)).abs() < 1e-12, "{far:?}");
    }

    #[test]
    fn continuity_prefers_the_solution_near_the_previous_frame() {
        let previous = [-10f64, 100.0, -10.0].map(f64::to_radians);
        let rotation = euler_to_matrix(RotationOrder::Xyz, previous);
        let got = matrix_to_compatible_euler(RotationOrder::Xyz, &rotation, previous);
        for axis in 0..3 {
            assert!((got[axis] - previous[axis]).abs() < 1e-9, "{got:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_pick_shortcut_changes_no_pick(
            angles in proptest::array::uniform3(-7.0f64..7.0),
            nudge in proptest::array::uniform3(-0.6f64..0.6),
            turns in proptest::array::uniform3(proptest::prop_oneof![4 => proptest::strategy::Just(0i32), 1 => -2i32..3]),
            odd in 0usize..6,
        ) {
            let order = RotationOrder::ALL[odd];
            let [first, second] = euler_solutions(order, &euler_to_matrix(order, angles));
            // A previous frame near the first solution, possibly some turns away.
            let previous: [f64; 3] =
                std::array::from_fn(|i| first[i] + nudge[i] + f64::from(turns[i]) * TAU);
            proptest::prop_assert_eq!(
                pick_compatible(first, second, previous),
                pick_compatible_in_full(first, second, previous)
            );
            proptest::prop_assert_eq!(
                pick_compatible(second, first, previous),
                pick_compatible_in_full(second, first, previous)
            );
        }
    }
}
