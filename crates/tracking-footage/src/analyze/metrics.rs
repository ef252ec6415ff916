//! Content metrics on small greyscale frames: sharpness (variance of the Laplacian),
//! edge spread, motion (mean absolute difference of a frame pair) and exposure clipping.
//!
//! Everything here is pure Rust on 8-bit luma buffers, so it is deterministic and
//! testable on synthetic frames. The frames come from `sampling` (decoded by ffmpeg).

use serde::Serialize;

/// Luma at or below this value counts as crushed black (full-range 8-bit).
pub(super) const CLIP_LOW: u8 = 2;
/// Luma at or above this value counts as clipped white (full-range 8-bit).
pub(super) const CLIP_HIGH: u8 = 253;

/// An 8-bit greyscale frame, row-major, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GreyFrame {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// A buffer whose length does not match `width × height`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("grey frame of {width}x{height} needs {expected} bytes, got {actual}")]
pub(super) struct FrameSizeMismatch {
    /// Declared width.
    pub width: usize,
    /// Declared height.
    pub height: usize,
    /// `width × height`.
    pub expected: usize,
    /// Length of the buffer given.
    pub actual: usize,
}

impl GreyFrame {
    /// Wrap a row-major luma buffer of exactly `width × height` bytes.
    pub(super) fn new(
        width: usize,
        height: usize,
        pixels: Vec<u8>,
    ) -> Result<Self, FrameSizeMismatch> {
        let expected = width.saturating_mul(height);
        if pixels.len() != expected || width.checked_mul(height).is_none() {
            return Err(FrameSizeMismatch {
                width,
                height,
                expected,
                actual: pixels.len(),
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// The luma bytes, row-major.
    pub(super) fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Width in pixels.
    pub(super) fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub(super) fn height(&self) -> usize {
        self.height
    }

    /// The frame resampled to `height` lines by area averaging (each output line is
    /// the coverage-weighted mean of the input lines it spans); the width is kept.
    /// Returns a copy when the height is already `height`, and the frame itself for a
    /// target of 0 lines or a taller target (only reduction is supported).
    pub(super) fn resample_height(&self, height: usize) -> GreyFrame {
        let (w, h) = (self.width, self.height);
        if height == 0 || height >= h || w == 0 {
            return self.clone();
        }
        let mut out = vec![0u8; w * height];
        let step = h as f64 / height as f64;
        let mut acc = vec![0f64; w];
        for (oy, line) in out.chunks_exact_mut(w).enumerate() {
            let (top, bottom) = (oy as f64 * step, (oy + 1) as f64 * step);
            acc.iter_mut().for_each(|a| *a = 0.0);
            let mut y = top.floor() as usize;
            while (y as f64) < bottom && y < h {
                let cover = (bottom.min((y + 1) as f64) - top.max(y as f64)).max(0.0);
                let row = &self.pixels[y * w..(y + 1) * w];
                for (a, &p) in acc.iter_mut().zip(row) {
                    *a += cover * f64::from(p);
                }
                y += 1;
            }
            for (o, a) in line.iter_mut().zip(&acc) {
                *o = (a / step).round().clamp(0.0, 255.0) as u8;
            }
        }
        GreyFrame {
            width: w,
            height,
            pixels: out,
        }
    }
}

/// Second-order statistics of one frame's fine detail.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DetailStats {
    /// Variance of the 4-neighbour Laplacian over interior pixels of the frame as
    /// decoded (grey levels²): the classic sharpness measure.
    pub laplacian_variance: f64,
    /// Per axis `[x, y]`: mean squared first difference of the frame after a 3×3
    /// binomial pre-smoothing (grey levels²).
    pub gradient_energy: [f64; 2],
    /// Per axis `[x, y]`: mean squared second difference of the pre-smoothed frame.
    pub curvature_energy: [f64; 2],
}

/// Below this mean squared (smoothed) first difference an axis is too flat for an
/// edge-spread estimate.
pub(super) const MIN_GRADIENT_ENERGY: f64 = 0.5;

/// Blur variance (px²) that the pre-smoothing (0.5) and the discrete difference
/// operators (≈ 0.2) add to every edge; subtracted from the measured variance.
pub(super) const OPERATOR_VARIANCE: f64 = 0.7;

impl DetailStats {
    /// Estimated Gaussian blur of the frame's edges along one axis (0 = x, 1 = y), in
    /// pixels: ≈ 0 for a sharp digital edge, ≈ σ for an edge blurred by σ pixels.
    ///
    /// For a blurred step edge the ratio of first- to second-derivative energy along
    /// the axis is 2σ², so `σ² = G / (2 C) − OPERATOR_VARIANCE`. The derivatives are
    /// taken on a binomially pre-smoothed frame so that 8-bit rounding and compression
    /// noise do not swamp the second derivative of soft frames.
    pub fn axis_spread_px(&self, axis: usize) -> Option<f64> {
        let (g, c) = (
            *self.gradient_energy.get(axis)?,
            *self.curvature_energy.get(axis)?,
        );
        if g < MIN_GRADIENT_ENERGY || c <= 0.0 {
            return None;
        }
        Some((g / (2.0 * c) - OPERATOR_VARIANCE).max(0.0).sqrt())
    }

    /// Edge spread in pixels: the larger of the two axes' spreads (motion blur smears
    /// along the direction of motion only). `None` for frames with too little detail.
    pub fn edge_spread_px(&self) -> Option<f64> {
        match (self.axis_spread_px(0), self.axis_spread_px(1)) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (one, other) => one.or(other),
        }
    }
}

/// Sharpness and gradient statistics of `frame`. Frames smaller than 5×5 give zeros.
pub(super) fn detail_stats(frame: &GreyFrame) -> DetailStats {
    let (w, h) = (frame.width, frame.height);
    if w < 5 || h < 5 {
        return DetailStats {
            laplacian_variance: 0.0,
            gradient_energy: [0.0; 2],
            curvature_energy: [0.0; 2],
        };
    }
    let raw: Vec<i32> = frame.pixels.iter().map(|&p| i32::from(p)).collect();
    let laplacian_variance = laplacian_variance_of(&raw, w, h);
    let smoothed = binomial_smooth(&raw, w, h);
    let (gradient_energy, curvature_energy) = axis_energies(&smoothed, w, h);
    DetailStats {
        laplacian_variance,
        // The smoothed frame is scaled by 16.
        gradient_energy: gradient_energy.map(|e| e / 256.0),
        curvature_energy: curvature_energy.map(|e| e / 256.0),
    }
}

/// Variance of the 4-neighbour Laplacian over the interior of a `w × h` buffer.
fn laplacian_variance_of(p: &[i32], w: usize, h: usize) -> f64 {
    let (mut sum, mut sq) = (0i64, 0i64);
    for y in 1..h - 1 {
        let row = &p[y * w..(y + 1) * w];
        let up = &p[(y - 1) * w..y * w];
        let down = &p[(y + 1) * w..(y + 2) * w];
        for x in 1..w - 1 {
            let lap = i64::from(row[x - 1] + row[x + 1] + up[x] + down[x] - 4 * row[x]);
            sum += lap;
            sq += lap * lap;
        }
    }
    let n = ((w - 2) * (h - 2)) as f64;
    let mean = sum as f64 / n;
    (sq as f64 / n - mean * mean).max(0.0)
}

/// Per-axis mean squared first and second differences over pixels at least 2 away
/// from the border (the smoothed frame's border is not smoothed).
fn axis_energies(p: &[i32], w: usize, h: usize) -> ([f64; 2], [f64; 2]) {
    let (mut gx, mut gy, mut cx, mut cy) = (0i64, 0i64, 0i64, 0i64);
    for y in 2..h - 2 {
        let row = &p[y * w..(y + 1) * w];
        let up = &p[(y - 1) * w..y * w];
        let down = &p[(y + 1) * w..(y + 2) * w];
        for x in 2..w - 2 {
            let c = i64::from(row[x]);
            let dx = i64::from(row[x + 1]) - c;
            let dy = i64::from(down[x]) - c;
            let ddx = i64::from(row[x - 1]) + i64::from(row[x + 1]) - 2 * c;
            let ddy = i64::from(up[x]) + i64::from(down[x]) - 2 * c;
            gx += dx * dx;
            gy += dy * dy;
            cx += ddx * ddx;
            cy += ddy * ddy;
        }
    }
    let n = ((w - 4) * (h - 4)) as f64;
    (
        [gx as f64 / n, gy as f64 / n],
        [cx as f64 / n, cy as f64 / n],
    )
}

/// Separable `[1 2 1] ⊗ [1 2 1]` smoothing, result scaled by 16; border pixels copied
/// (scaled) from the input.
fn binomial_smooth(p: &[i32], w: usize, h: usize) -> Vec<i32> {
    let mut horizontal: Vec<i32> = p.iter().map(|&v| v * 4).collect();
    for y in 0..h {
        let row = &p[y * w..(y + 1) * w];
        for x in 1..w - 1 {
            horizontal[y * w + x] = row[x - 1] + 2 * row[x] + row[x + 1];
        }
    }
    let mut out: Vec<i32> = horizontal.iter().map(|&v| v * 4).collect();
    for y in 1..h - 1 {
        for x in 0..w {
            out[y * w + x] = horizontal[(y - 1) * w + x]
                + 2 * horizontal[y * w + x]
                + horizontal[(y + 1) * w + x];
        }
    }
    out
}

/// Variance of the 4-neighbour Laplacian: the classic focus / sharpness measure.
#[cfg(test)]
pub(super) fn laplacian_variance(frame: &GreyFrame) -> f64 {
    detail_stats(frame).laplacian_variance
}

/// Mean absolute difference of two equally sized frames, in grey levels (0–255).
///
/// `None` when the sizes differ (the caller decoded something inconsistent).
pub(super) fn mean_abs_diff(a: &GreyFrame, b: &GreyFrame) -> Option<f64> {
    if a.width != b.width || a.height != b.height {
        return None;
    }
    if a.pixels.is_empty() {
        return Some(0.0);
    }
    let total: u64 = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .map(|(&p, &q)| u64::from(p.abs_diff(q)))
        .sum();
    Some(total as f64 / a.pixels.len() as f64)
}

/// Fractions of pixels at the ends of the range (0–1 each).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Clipping {
    /// Fraction of pixels at or below grey level 2 (crushed blacks).
    pub crushed_blacks: f64,
    /// Fraction of pixels at or above grey level 253 (clipped whites).
    pub clipped_whites: f64,
}

/// Exposure clipping fractions of `frame` (zeros for an empty frame).
pub(super) fn clipping(frame: &GreyFrame) -> Clipping {
    let n = frame.pixels.len();
    if n == 0 {
        return Clipping {
            crushed_blacks: 0.0,
            clipped_whites: 0.0,
        };
    }
    let low = frame.pixels.iter().filter(|&&p| p <= CLIP_LOW).count();
    let high = frame.pixels.iter().filter(|&&p| p >= CLIP_HIGH).count();
    Clipping {
        crushed_blacks: low as f64 / n as f64,
        clipped_whites: high as f64 / n as f64,
    }
}

/// Minimum frame-to-frame change (grey levels) for a pixel to count as moving in
/// [`comb_score`].
pub(super) const COMB_MOTION_THRESHOLD: i32 = 8;

/// Combing score: how much each line differs from the average of its two neighbours
/// (the other field), relative to how much it differs from the lines two above and
/// below (its own field). Progressive pictures score well below 1 (near lines are more
/// alike than far ones); interlaced pictures score above 1 where things move.
///
/// With `next` (the following frame), only moving pixels count (changed by at least
/// [`COMB_MOTION_THRESHOLD`]), because static areas of interlaced video do not comb.
/// `None` for frames under 5 lines, frames of another size than `next`, or when fewer
/// than 0.5 % of the pixels qualify or they hold no vertical detail.
pub(super) fn comb_score(frame: &GreyFrame, next: Option<&GreyFrame>) -> Option<f64> {
    let (w, h) = (frame.width, frame.height);
    if h < 5 || w == 0 || next.is_some_and(|n| n.width != w || n.height != h) {
        return None;
    }
    let (mut near, mut far, mut count) = (0i64, 0i64, 0usize);
    let row = |y: usize| &frame.pixels[y * w..(y + 1) * w];
    for y in 2..h - 2 {
        let (up2, up, mid, down, down2) = (row(y - 2), row(y - 1), row(y), row(y + 1), row(y + 2));
        let next_row = next.map(|n| &n.pixels[y * w..(y + 1) * w]);
        for x in 0..w {
            let still = next_row.is_some_and(|nr| {
                (i32::from(mid[x]) - i32::from(nr[x])).abs() < COMB_MOTION_THRESHOLD
            });
            if still {
                continue;
            }
            let c = 2 * i64::from(mid[x]);
            near += (c - i64::from(up[x]) - i64::from(down[x])).abs();
            far += (c - i64::from(up2[x]) - i64::from(down2[x])).abs();
            count += 1;
        }
    }
    if count == 0 || count * 200 < w * h || (far as f64) / (count as f64) < 1.0 {
        return None;
    }
    Some(near as f64 / far as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frame_from(width: usize, height: usize, f: impl Fn(usize, usize) -> u8) -> GreyFrame {
        let pixels = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        GreyFrame::new(width, height, pixels).unwrap()
    }

    /// A vertical step edge blurred by a Gaussian of `sigma` pixels (sigma 0 = hard step).
    fn blurred_stripes(width: usize, height: usize, period: usize, sigma: f64) -> GreyFrame {
        let value = |x: usize| -> u8 {
            let xf = x as f64;
            // Sum of error-function edges of a square wave, computed by direct convolution.
            let profile = |t: f64| {
                if (t.rem_euclid(period as f64)) < period as f64 / 2.0 {
                    200.0
                } else {
                    50.0
                }
            };
            if sigma == 0.0 {
                return profile(xf) as u8;
            }
            let radius = (4.0 * sigma).ceil() as i64;
            let (mut acc, mut norm) = (0.0, 0.0);
            for k in -radius * 8..=radius * 8 {
                let t = k as f64 / 8.0;
                let wgt = (-t * t / (2.0 * sigma * sigma)).exp();
                acc += wgt * profile(xf + t);
                norm += wgt;
            }
            (acc / norm).round() as u8
        };
        frame_from(width, height, |x, _| value(x))
    }

    #[test]
    fn a_buffer_of_the_wrong_length_is_refused() {
        let err = GreyFrame::new(4, 4, vec![0; 15]).unwrap_err();
        assert_eq!(err.expected, 16);
        assert_eq!(err.actual, 15);
    }

    #[test]
    fn a_flat_frame_has_zero_laplacian_variance_and_no_edge_spread() {
        let flat = frame_from(64, 48, |_, _| 128);
        let stats = detail_stats(&flat);
        assert_eq!(stats.laplacian_variance, 0.0);
        assert_eq!(stats.gradient_energy, [0.0, 0.0]);
        assert_eq!(stats.edge_spread_px(), None);
    }

    #[test]
    fn a_single_bright_pixel_gives_the_exact_laplacian_variance() {
        // 5x5 frame, one pixel of 10 in the centre: interior 3x3 Laplacian responses are
        // -40 at the centre and +10 at its four neighbours, 0 at the corners.
        let frame = frame_from(5, 5, |x, y| if (x, y) == (2, 2) { 10 } else { 0 });
        let n = 9.0;
        let mean: f64 = (-40.0 + 4.0 * 10.0) / n;
        let expected = (1600.0 + 4.0 * 100.0) / n - mean * mean;
        assert!((laplacian_variance(&frame) - expected).abs() < 1e-12);
    }

    #[test]
    fn edge_spread_follows_the_gaussian_sigma_of_a_blurred_edge() {
        for sigma in [1.0, 1.5, 2.0, 3.0, 5.0, 8.0] {
            let frame = blurred_stripes(1024, 8, 256, sigma);
            let spread = detail_stats(&frame).edge_spread_px().unwrap();
            assert!(
                (spread - sigma).abs() < 0.2 * sigma,
                "sigma {sigma}: measured spread {spread}"
            );
        }
    }

    #[test]
    fn horizontal_motion_blur_shows_in_the_x_spread_only() {
        // Vertical stripes blurred along x, plus horizontal stripes left sharp.
        let soft = blurred_stripes(512, 64, 64, 4.0);
        let frame = frame_from(512, 64, |x, y| {
            if (y / 8) % 2 == 0 {
                soft.pixels()[y * 512 + x]
            } else {
                50
            }
        });
        let stats = detail_stats(&frame);
        let (sx, sy) = (
            stats.axis_spread_px(0).unwrap(),
            stats.axis_spread_px(1).unwrap(),
        );
        assert!(sx > 3.0, "x spread {sx}");
        assert!(sy < 1.0, "y spread {sy}");
        assert_eq!(stats.edge_spread_px(), Some(sx));
    }

    #[test]
    fn edge_spread_survives_rounding_noise_on_a_soft_edge() {
        let clean = blurred_stripes(1024, 16, 48, 4.0);
        // Deterministic ±1 grey-level dither, like mild compression noise.
        let pixels = clean
            .pixels()
            .iter()
            .enumerate()
            .map(|(i, &p)| p.saturating_add_signed(((i * 7919) % 3) as i8 - 1))
            .collect();
        let noisy = GreyFrame::new(1024, 16, pixels).unwrap();
        let spread = detail_stats(&noisy).edge_spread_px().unwrap();
        assert!(spread > 3.0, "noisy sigma-4 edge measured {spread}");
    }

    #[test]
    fn blurring_lowers_sharpness_and_raises_edge_spread() {
        let sharp = blurred_stripes(256, 8, 32, 0.0);
        let soft = blurred_stripes(256, 8, 32, 3.0);
        let (s, b) = (detail_stats(&sharp), detail_stats(&soft));
        assert!(s.laplacian_variance > 20.0 * b.laplacian_variance);
        assert!(s.edge_spread_px().unwrap() < 0.6, "{s:?}");
        assert!(b.edge_spread_px().unwrap() > 2.5, "{b:?}");
    }

    #[test]
    fn mean_abs_diff_of_a_shifted_step_counts_the_changed_pixels() {
        let a = frame_from(10, 2, |x, _| if x < 5 { 0 } else { 100 });
        let b = frame_from(10, 2, |x, _| if x < 6 { 0 } else { 100 });
        // One column of two pixels changed by 100, out of 20 pixels.
        assert_eq!(mean_abs_diff(&a, &b), Some(10.0));
        assert_eq!(mean_abs_diff(&a, &a), Some(0.0));
    }

    #[test]
    fn mean_abs_diff_of_different_sizes_is_none() {
        let a = frame_from(4, 4, |_, _| 0);
        let b = frame_from(4, 3, |_, _| 0);
        assert_eq!(mean_abs_diff(&a, &b), None);
    }

    #[test]
    fn clipping_counts_the_pixels_at_each_end_of_the_range() {
        let frame = frame_from(10, 10, |x, _| match x {
            0 => 0,
            1 => CLIP_LOW,
            2..=4 => 255,
            _ => 128,
        });
        let c = clipping(&frame);
        assert_eq!(c.crushed_blacks, 0.2);
        assert_eq!(c.clipped_whites, 0.3);
    }

    #[test]
    fn woven_fields_from_different_moments_comb_and_progressive_frames_do_not() {
        // A diagonal sine grating moving 6 px between fields.
        let at = |x: usize, y: usize, shift: usize| {
            (128.0 + 100.0 * ((x + y + shift) as f64 / 5.0).sin()).round() as u8
        };
        let progressive = frame_from(64, 64, |x, y| at(x, y, 0));
        let woven = frame_from(64, 64, |x, y| at(x, y, if y % 2 == 0 { 0 } else { 6 }));
        let p = comb_score(&progressive, None).unwrap();
        let i = comb_score(&woven, None).unwrap();
        assert!(p < 1.0, "progressive comb {p}");
        assert!(i > 1.5, "woven comb {i}");
        assert_eq!(comb_score(&frame_from(8, 8, |_, _| 9), None), None);
    }

    #[test]
    fn combing_is_measured_only_where_the_picture_moves() {
        let at = |x: usize, y: usize, shift: usize| {
            (128.0 + 100.0 * ((x + y + shift) as f64 / 5.0).sin()).round() as u8
        };
        // Left half static and progressive, right half woven from two moments.
        let frame = frame_from(64, 64, |x, y| {
            if x < 32 {
                at(x, y, 0)
            } else {
                at(x, y, if y % 2 == 0 { 0 } else { 6 })
            }
        });
        let next = frame_from(
            64,
            64,
            |x, y| if x < 32 { at(x, y, 0) } else { at(x, y, 12) },
        );
        let masked = comb_score(&frame, Some(&next)).unwrap();
        let whole = comb_score(&frame, None).unwrap();
        assert!(masked > 1.5, "masked comb {masked}");
        assert!(masked > whole, "masked {masked} whole {whole}");
        // A frozen picture has no moving pixels to judge.
        assert_eq!(comb_score(&frame, Some(&frame)), None);
    }

    proptest! {
        #[test]
        fn metrics_never_panic_and_stay_in_range(
            (w, h, pixels) in (0usize..12, 0usize..12).prop_flat_map(|(w, h)| {
                (Just(w), Just(h), proptest::collection::vec(any::<u8>(), w * h))
            })
        ) {
            let frame = GreyFrame::new(w, h, pixels).unwrap();
            let stats = detail_stats(&frame);
            prop_assert!(stats.laplacian_variance >= 0.0 && stats.laplacian_variance.is_finite());
            prop_assert!(stats.gradient_energy.iter().all(|g| *g >= 0.0));
            prop_assert!(stats.edge_spread_px().is_none_or(|s| s.is_finite() && s >= 0.0));
            let c = clipping(&frame);
            prop_assert!((0.0..=1.0).contains(&c.crushed_blacks));
            prop_assert!((0.0..=1.0).contains(&c.clipped_whites));
            let mad = mean_abs_diff(&frame, &frame).unwrap();
            prop_assert_eq!(mad, 0.0);
        }
    }
}
