//! Sine/cosine of degrees and `atan2`, in portable branch-light `f64` code.
//!
//! A `.chan` import spends most of its arithmetic here (three sines and cosines to build
//! each frame's matrix, three `atan2` to decompose it), and the platform `libm` calls
//! cost 20–30 ns each on the machines we target; these cost a few. Both use the fdlibm
//! kernels (the minimax polynomials behind musl and most BSD libms), which are accurate
//! to under one ulp on their reduced ranges; the whole functions stay within two ulps of
//! the correctly rounded result (checked against the platform `libm` in the tests).
//!
//! - [`sin_cos_deg`] reduces in degrees, exactly: `d = 90·k + r` with `|r| ≤ 45`, so
//!   multiples of 90° give exact zeros and ones and large angles lose no accuracy.
//! - [`atan2`] reduces to `atan(t)`, `0 ≤ t ≤ tan(π/8)`, by octant.
//!
//! Signed zeros follow the rules the old libm-based code had: `sin_cos_deg` returns +0
//! (never −0) for exact zeros, and `atan2` handles ±0 as IEEE 754 does.

// The polynomial coefficients are fdlibm's, digit for digit as published.
#![allow(clippy::excessive_precision)]

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

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
    let (s, c) = kernel_sin_cos(rest.to_radians());
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

/// fdlibm's `__kernel_sin` and `__kernel_cos` for `|x| ≤ π/4` (plus rounding).
#[inline]
fn kernel_sin_cos(x: f64) -> (f64, f64) {
    const S1: f64 = -1.666_666_666_666_663_243_48e-1;
    const S2: f64 = 8.333_333_333_322_489_461_24e-3;
    const S3: f64 = -1.984_126_982_985_794_931_34e-4;
    const S4: f64 = 2.755_731_370_707_006_767_89e-6;
    const S5: f64 = -2.505_076_025_340_686_341_95e-8;
    const S6: f64 = 1.589_690_995_211_550_102_21e-10;
    const C1: f64 = 4.166_666_666_666_660_190_37e-2;
    const C2: f64 = -1.388_888_888_887_410_957_49e-3;
    const C3: f64 = 2.480_158_728_947_672_941_78e-5;
    const C4: f64 = -2.755_731_435_139_066_330_35e-7;
    const C5: f64 = 2.087_572_321_298_174_827_90e-9;
    const C6: f64 = -1.135_964_755_778_819_482_65e-11;
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let sin = x + z * x * (S1 + z * r);
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let half_z = 0.5 * z;
    let one_minus = 1.0 - half_z;
    let cos = one_minus + (((1.0 - one_minus) - half_z) + z * r);
    (sin, cos)
}

/// `atan2(y, x)`: the angle of the point `(x, y)`, in `[−π, π]`, with IEEE 754's rules
/// for zeros, infinities and NaN.
#[inline]
pub(crate) fn atan2(y: f64, x: f64) -> f64 {
    // π/2, π/4 and π as a rounded value plus the rounding error.
    const PI_LO: f64 = 1.224_646_799_147_353_207_2e-16;
    const FRAC_PI_2_LO: f64 = 6.123_233_995_736_766_035_87e-17;
    const FRAC_PI_4_LO: f64 = 3.061_616_997_868_383_017_93e-17;
    const TAN_PI_8: f64 = 0.414_213_562_373_095_048_8;
    let (ax, ay) = (x.abs(), y.abs());
    let steep = ay > ax;
    let (num, den) = if steep { (ax, ay) } else { (ay, ax) };
    // Zeros, infinities and NaN: rare, leave them to the platform.
    if den.is_nan() || den == 0.0 || den == f64::INFINITY {
        return y.atan2(x);
    }
    let t = num / den;
    // atan(t) for 0 ≤ t ≤ 1, reduced to |u| ≤ tan(π/8) about 0 or π/4.
    let mut angle = if t > TAN_PI_8 {
        let u = (t - 1.0) / (t + 1.0);
        FRAC_PI_4 - ((u * atan_series(u) - FRAC_PI_4_LO) - u)
    } else {
        t - t * atan_series(t)
    };
    if steep {
        angle = (FRAC_PI_2 - angle) + FRAC_PI_2_LO;
    }
    if x < 0.0 {
        angle = (PI - angle) + PI_LO;
    }
    angle.copysign(y)
}

/// fdlibm's `atan` polynomial: `atan(u) = u − u·series(u)` for `|u| < 7/16`.
#[inline]
fn atan_series(u: f64) -> f64 {
    const AT: [f64; 11] = [
        3.333_333_333_333_293_180_27e-1,
        -1.999_999_999_987_648_324_76e-1,
        1.428_571_427_250_346_637_11e-1,
        -1.111_111_040_546_235_578_80e-1,
        9.090_887_133_436_506_561_96e-2,
        -7.691_876_205_044_829_994_95e-2,
        6.661_073_137_387_531_206_69e-2,
        -5.833_570_133_790_573_486_45e-2,
        4.976_877_994_615_932_360_17e-2,
        -3.653_157_274_421_691_552_70e-2,
        1.628_582_011_536_578_236_23e-2,
    ];
    let z = u * u;
    let w = z * z;
    let odd = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
    let even = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
    odd + even
}

#[cfg(test)]
mod tests {
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
