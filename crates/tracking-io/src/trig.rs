//! Sine/cosine of degrees and `atan2`, in portable `f64` code.
//!
//! A `.chan` import spends most of its arithmetic here (three sines and cosines to build
//! each frame's matrix, three `atan2` to decompose it). The kernels are the [`libm`]
//! crate's (the Rust port of musl's fdlibm code, kept by the Rust project), pure Rust and
//! the same on every platform; the whole functions stay within two ulps of the correctly
//! rounded result (checked against the platform `libm` in the tests). They replaced a
//! hand copy of the same kernels at no measurable cost: a 1M-frame import took 392 ms
//! CPU (218 ms wall, median) with the copy and 400 ms (220 ms) with `libm`, eight
//! interleaved runs each, against a run-to-run spread of ±5%.
//!
//! - [`sin_cos_deg`] reduces in degrees, exactly: `d = 90·k + r` with `|r| ≤ 45`, so
//!   multiples of 90° give exact zeros and ones and large angles lose no accuracy; the
//!   small radian argument then takes `libm::sincos`'s `|x| ≤ π/4` path (no π/2
//!   reduction).
//! - [`atan2`] is `libm::atan2`.
//!
//! Signed zeros follow the rules the old libm-based code had: `sin_cos_deg` returns +0
//! (never −0) for exact zeros, and `atan2` handles ±0 as IEEE 754 does.

/// Above this magnitude (degrees) the reduction uses the exact `%` instead.
const FAST_REDUCTION_LIMIT: f64 = 1e15;

/// Sine and cosine of `degrees`; exact at multiples of 90°.
#[inline]
pub(crate) fn sin_cos_deg(degrees: f64) -> (f64, f64) {
    // Round-to-nearest integer via the 1.5·2^52 trick (|degrees / 90| < 2^51).
    const ROUND: f64 = 6_755_399_441_055_744.0;
    if degrees.is_nan() || degrees.abs() >= FAST_REDUCTION_LIMIT {
        return sin_cos_deg_slow(degrees);
    }
    let quarter_turns = (degrees * (1.0 / 90.0) + ROUND) - ROUND;
    // Exact: `90·k` is an integer below 2^53 and `degrees` lies within [45k, 180k]
    // (Sterbenz), so the difference is representable.
    let rest = degrees - quarter_turns * 90.0;
    // |rest| ≤ 45°, so |x| ≤ π/4: libm's kernels directly, without its own reduction.
    let (s, c) = libm::sincos(rest.to_radians());
    #[allow(clippy::cast_possible_truncation)] // |k| < 2^50: exact
    let quadrant = (quarter_turns as i64) & 3;
    let (s, c) = match quadrant {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    };
    // `+ 0.0` turns −0 into +0 and changes nothing else.
    (s + 0.0, c + 0.0)
}

/// [`sin_cos_deg`] for huge or non-finite angles.
#[cold]
fn sin_cos_deg_slow(degrees: f64) -> (f64, f64) {
    if !degrees.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    // `%` on f64 is the exact remainder; every such angle is a whole number of degrees.
    sin_cos_deg(degrees % 360.0)
}

/// Tangent of `degrees` (`sin / cos`, so within about three ulps).
#[inline]
pub(crate) fn tan_deg(degrees: f64) -> f64 {
    let (s, c) = sin_cos_deg(degrees);
    s / c
}

/// `x` rounded down to an integer, the same as [`f64::floor`]; inline (without SSE4.1
/// `floor` is a library call).
#[inline]
pub(crate) fn floor(x: f64) -> f64 {
    // Round-to-nearest via 1.5·2^52, valid for |x| < 2^51; beyond, leave it to libm.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    if x.is_nan() || x.abs() >= 2_251_799_813_685_248.0 {
        return x.floor();
    }
    let nearest = (x + ROUND) - ROUND;
    let down = if nearest > x { nearest - 1.0 } else { nearest };
    down.copysign(x)
}

/// `atan2(y, x)`: the angle of the point `(x, y)`, in `[−π, π]`, with IEEE 754's rules
/// for zeros, infinities and NaN.
#[inline]
pub(crate) fn atan2(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

#[cfg(test)]
mod tests {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

    use proptest::prelude::*;

    use super::*;

    /// Distance in units in the last place (0 for equal values, incl. ±0 vs ±0).
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        #[allow(clippy::cast_possible_wrap)]
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 { i64::MIN - bits } else { bits }
        };
        key(a).abs_diff(key(b))
    }

    #[test]
    fn quarter_turns_are_exact_with_positive_zeros() {
        for (degrees, want) in [
            (0.0, (0.0f64, 1.0f64)),
            (-0.0, (0.0, 1.0)),
            (90.0, (1.0, 0.0)),
            (-90.0, (-1.0, 0.0)),
            (180.0, (0.0, -1.0)),
            (-180.0, (0.0, -1.0)),
            (270.0, (-1.0, 0.0)),
            (360.0, (0.0, 1.0)),
            (-720.0, (0.0, 1.0)),
            (90.0 * 1e13, (0.0, 1.0)),
            (360.0 * 1_125_899_906_842_624.0, (0.0, 1.0)), // 360·2^50
        ] {
            let (s, c) = sin_cos_deg(degrees);
            assert_eq!(
                (s.to_bits(), c.to_bits()),
                (want.0.to_bits(), want.1.to_bits()),
                "{degrees}"
            );
        }
        assert!(sin_cos_deg(f64::NAN).0.is_nan());
        assert!(sin_cos_deg(f64::INFINITY).1.is_nan());
    }

    #[test]
    fn special_atan2_values_follow_ieee() {
        let cases = [
            ((0.0, 1.0), 0.0),
            ((-0.0, 1.0), -0.0),
            ((0.0, -1.0), PI),
            ((-0.0, -1.0), -PI),
            ((1.0, 0.0), FRAC_PI_2),
            ((1.0, -0.0), FRAC_PI_2),
            ((-1.0, 0.0), -FRAC_PI_2),
            ((1.0, 1.0), FRAC_PI_4),
            ((-1.0, -1.0), -3.0 * FRAC_PI_4),
            ((0.0, 0.0), 0.0),
            ((0.0, -0.0), PI),
            ((-0.0, -0.0), -PI),
        ];
        for ((y, x), want) in cases {
            let got = atan2(y, x);
            assert_eq!(got.to_bits(), want.to_bits(), "atan2({y}, {x}) = {got}");
        }
        assert!(atan2(f64::NAN, 1.0).is_nan());
        assert_eq!(atan2(1.0, f64::INFINITY), 0.0);
    }

    /// Sweeps 1,000,000 angles over ±1000° and the matrix-entry square [-1, 1]².
    #[test]
    fn within_two_ulps_of_libm_on_dense_sweeps() {
        let mut worst = (0, 0, 0);
        for i in 0..1_000_000 {
            let degrees = -1000.0 + f64::from(i) * 0.002_000_001;
            let (s, c) = sin_cos_deg(degrees);
            let (ws, wc) = degrees.to_radians().sin_cos();
            // libm's own argument is rounded (to_radians), so compare with slack 1 ulp
            // of the angle's effect: |Δ| ≤ 2 ulp + 2^-52·|x|·|derivative|.
            let slack = 3e-16 * degrees.to_radians().abs();
            assert!(
                (s - ws).abs() <= 2.0 * f64::EPSILON * ws.abs() + slack,
                "sin {degrees}"
            );
            assert!(
                (c - wc).abs() <= 2.0 * f64::EPSILON * wc.abs() + slack,
                "cos {degrees}"
            );
            let y = -1.0 + f64::from(i % 1000) * 0.002_000_3;
            let x = -1.0 + f64::from(i / 1000) * 0.002_000_7;
            let e = ulps(atan2(y, x), y.atan2(x));
            if e > worst.0 {
                worst = (e, i, 0);
            }
        }
        assert!(
            worst.0 <= 2,
            "atan2 off by {} ulps at sample {}",
            worst.0,
            worst.1
        );
    }

    #[test]
    fn small_angles_keep_full_relative_accuracy() {
        for degrees in [1e-300, 1e-20, 1e-8, 0.001, 45.0, 44.999_999_999] {
            let (s, c) = sin_cos_deg(degrees);
            let (ws, wc) = degrees.to_radians().sin_cos();
            assert!(ulps(s, ws) <= 1 && ulps(c, wc) <= 1, "{degrees}");
        }
        for t in [1e-300, 1e-20, 1e-8, 0.1, 0.414_213_562_373_095, 0.5, 0.9999] {
            assert!(ulps(atan2(t, 1.0), t.atan()) <= 1, "{t}");
        }
    }

    #[test]
    fn floor_matches_std_bit_for_bit() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.999_999_999_999_999_9,
            -1e-300,
            1e-300,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
    }

    proptest! {
        #[test]
        fn floor_matches_std(x in -1e16f64..1e16) {
            prop_assert_eq!(floor(x).to_bits(), x.floor().to_bits());
        }

        #[test]
        fn atan2_matches_libm_within_two_ulps(y in -1e6f64..1e6, x in -1e6f64..1e6) {
            prop_assert!(ulps(atan2(y, x), y.atan2(x)) <= 2);
        }

        #[test]
        fn sin_cos_deg_is_a_point_on_the_unit_circle_at_the_right_angle(degrees in -1e6f64..1e6) {
            let (s, c) = sin_cos_deg(degrees);
            prop_assert!((s.mul_add(s, c * c) - 1.0).abs() < 4.0 * f64::EPSILON);
            // Compared with a reduction done exactly in degrees first (libm's radians
            // argument loses accuracy for big angles; ours does not).
            let reduced = degrees % 360.0;
            let (ws, wc) = reduced.to_radians().sin_cos();
            prop_assert!((s - ws).abs() < 1e-15 && (c - wc).abs() < 1e-15);
        }

        #[test]
        fn tan_deg_matches_libm(degrees in -89.0f64..89.0) {
            let want = degrees.to_radians().tan();
            prop_assert!((tan_deg(degrees) - want).abs() <= 1e-13 * want.abs());
        }
    }
}
