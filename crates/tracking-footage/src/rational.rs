//! [`Rational`] numbers and [`FrameRate`]: exact frame rates with their source, snapped
//! to the standard rates (24000/1001 …) when a measured value is within tolerance.

use serde::{Deserialize, Serialize};

/// An exact positive-denominator fraction in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rational {
    /// Numerator.
    pub num: i64,
    /// Denominator (always > 0).
    pub den: i64,
}

impl Rational {
    /// `num/den` in lowest terms; `None` when `den == 0`.
    pub fn new(num: i64, den: i64) -> Option<Self> {
        if den == 0 {
            return None;
        }
        let divisor = i64::try_from(gcd(num.unsigned_abs(), den.unsigned_abs()).max(1)).ok()?;
        let (num, den) = (num / divisor, den / divisor);
        if den < 0 {
            Some(Self {
                num: num.checked_neg()?,
                den: den.checked_neg()?,
            })
        } else {
            Some(Self { num, den })
        }
    }

    /// Parse `24000/1001`, `2:1` or a bare integer `25`. `0/0`, `N/A`, empty and
    /// anything malformed give `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (num, den) = match text.split_once(['/', ':']) {
            Some((n, d)) => (n.trim().parse().ok()?, d.trim().parse().ok()?),
            None => (text.parse().ok()?, 1),
        };
        Self::new(num, den)
    }

    /// The value as `f64`.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// True when the value is strictly positive.
    pub fn is_positive(self) -> bool {
        self.num > 0
    }

    /// The reciprocal; `None` for zero.
    pub fn recip(self) -> Option<Self> {
        Self::new(self.den, self.num)
    }
}

impl std::fmt::Display for Rational {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Where a frame rate was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RateSource {
    /// ffprobe's `avg_frame_rate` (frames over duration).
    AvgFrameRate,
    /// ffprobe's `r_frame_rate` (the smallest rate representing all timestamps).
    RFrameRate,
    /// `nb_frames / duration` computed from the stream header.
    FramesOverDuration,
    /// The packet pass: timestamps of every frame.
    PacketTimestamps,
    /// Given by the caller.
    Caller,
    /// An image header attribute (EXR `framesPerSecond`).
    ImageHeader,
}

/// A frame rate: exact rational, its `f64`, where it came from and whether it was snapped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrameRate {
    /// The rate as an exact fraction (after snapping).
    pub rational: Rational,
    /// `rational` as frames per second.
    pub fps: f64,
    /// Where it came from.
    pub source: RateSource,
    /// The raw value before snapping to a standard rate, when snapping changed it.
    pub snapped_from: Option<Rational>,
}

impl FrameRate {
    /// A rate from `raw`, snapped to a standard rate when within [`SNAP_TOLERANCE`].
    pub fn from_measured(raw: Rational, source: RateSource) -> Self {
        match snap_to_standard(raw) {
            Some(standard) if standard != raw => Self {
                rational: standard,
                fps: standard.to_f64(),
                source,
                snapped_from: Some(raw),
            },
            _ => Self::exact(raw, source),
        }
    }

    /// A rate taken as given (no snapping), e.g. from the caller.
    pub fn exact(rational: Rational, source: RateSource) -> Self {
        Self {
            rational,
            fps: rational.to_f64(),
            source,
            snapped_from: None,
        }
    }

    /// True when the (snapped) rate is one of [`STANDARD_RATES`].
    pub fn is_standard(&self) -> bool {
        STANDARD_RATES
            .iter()
            .any(|&(n, d)| Rational::new(n, d) == Some(self.rational))
    }
}

/// The rates plates are shot and delivered at, as exact fractions.
pub const STANDARD_RATES: &[(i64, i64)] = &[
    (12, 1),
    (15, 1),
    (16, 1),
    (18, 1),
    (24000, 1001),
    (24, 1),
    (25, 1),
    (30000, 1001),
    (30, 1),
    (48000, 1001),
    (48, 1),
    (50, 1),
    (60000, 1001),
    (60, 1),
    (72, 1),
    (96, 1),
    (100, 1),
    (120000, 1001),
    (120, 1),
    (144, 1),
    (180, 1),
    (240000, 1001),
    (240, 1),
    (300, 1),
];

/// Relative tolerance for snapping a measured rate to a standard one: 0.02 %, well
/// under half the 0.1 % gap between 24 and 24000/1001.
pub const SNAP_TOLERANCE: f64 = 2e-4;

/// The standard rate within [`SNAP_TOLERANCE`] of `raw`, if any.
pub(crate) fn snap_to_standard(raw: Rational) -> Option<Rational> {
    let value = raw.to_f64();
    if !value.is_finite() || value <= 0.0 {
        return None;
    }
    STANDARD_RATES
        .iter()
        .filter_map(|&(n, d)| Rational::new(n, d))
        .find(|s| ((value - s.to_f64()) / s.to_f64()).abs() < SNAP_TOLERANCE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn fractions_and_sample_aspect_ratios_parse() {
        assert_eq!(Rational::parse("24000/1001"), Some(r(24000, 1001)));
        assert_eq!(Rational::parse("2:1"), Some(r(2, 1)));
        assert_eq!(Rational::parse("25"), Some(r(25, 1)));
        assert_eq!(Rational::parse("48000/2002"), Some(r(24000, 1001)));
    }

    #[test]
    fn zero_denominators_and_junk_are_absent() {
        for text in ["0/0", "1/0", "N/A", "", "x/y", "24/"] {
            assert_eq!(Rational::parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_millisecond_rounded_rate_snaps_to_ntsc_film() {
        let rate = FrameRate::from_measured(r(2997, 125), RateSource::AvgFrameRate);
        assert_eq!(rate.rational, r(24000, 1001));
        assert_eq!(rate.snapped_from, Some(r(2997, 125)));
    }

    #[test]
    fn twenty_four_and_ntsc_film_never_snap_to_each_other() {
        assert_eq!(snap_to_standard(r(24, 1)), Some(r(24, 1)));
        assert_eq!(snap_to_standard(r(24000, 1001)), Some(r(24000, 1001)));
    }

    #[test]
    fn an_odd_average_rate_is_kept_exact() {
        let rate = FrameRate::from_measured(r(864, 25), RateSource::AvgFrameRate);
        assert_eq!(rate.rational, r(864, 25));
        assert_eq!(rate.snapped_from, None);
        assert!(!rate.is_standard());
    }

    proptest! {
        #[test]
        fn reduced_fractions_keep_their_value(n in -100_000i64..100_000, d in 1i64..100_000) {
            let q = Rational::new(n, d).unwrap();
            prop_assert!(q.den > 0);
            prop_assert_eq!(i128::from(q.num) * i128::from(d), i128::from(n) * i128::from(q.den));
            prop_assert_eq!(Rational::parse(&q.to_string()), Some(q));
        }

        #[test]
        fn a_snapped_rate_is_always_within_tolerance(n in 1i64..500_000, d in 1i64..5_000) {
            let raw = Rational::new(n, d).unwrap();
            if let Some(s) = snap_to_standard(raw) {
                prop_assert!(((raw.to_f64() - s.to_f64()) / s.to_f64()).abs() < SNAP_TOLERANCE);
            }
        }
    }
}
