//! Direction-aware motion-blur evidence from a frame pair: the pair's global motion
//! (a translation in analysis pixels per frame, by coarse-to-fine block matching) and
//! the *smear anisotropy* of the first frame along that motion.
//!
//! Motion blur spreads each edge along the direction of motion only: an edge whose
//! normal points along the motion widens by the smear length (a box blur) or is
//! repeated at the frame-to-frame displacement (a multi-exposure, ffmpeg's `tmix`),
//! while an edge whose normal is across the motion stays as sharp as the lens made it.
//! Defocus widens both alike. So, on the binomially pre-smoothed frame:
//! - pixels are grouped by the orientation of their gradient (the edge normal): those
//!   within ±[`ORIENTATION_TOLERANCE_DEG`] of the motion direction *u* and those within
//!   the same tolerance of the perpendicular *u⊥* (weak gradients, i.e. noise and flat
//!   areas, are left out);
//! - for each group, the normalised autocorrelation of the derivative along its own
//!   normal (u for the first, u⊥ for the second) is taken at lags of 2 px up to the
//!   motion magnitude, and at the exact displacement vector;
//! - the anisotropy is the largest excess of the along-motion correlation over the
//!   across-motion one at the same lag (each floored at 0) (0 for sharp or defocused frames, up to ≈ 1 for a
//!   long smear). Grouping by edge orientation is what makes the measure independent
//!   of how the content itself is oriented (a field of parallel edges is not a smear).

use serde::Serialize;

use super::metrics::GreyFrame;

/// Edge normals within this many degrees of the motion (or its perpendicular) count.
pub(super) const ORIENTATION_TOLERANCE_DEG: f64 = 25.0;
/// Gradient magnitude (grey levels per pixel, on the pre-smoothed frame) below which a
/// pixel is flat or noise and takes no part in the anisotropy.
pub(super) const MIN_EDGE_GRADIENT: f32 = 3.0;
/// Fewer than this fraction of the pixels in either orientation group, and the
/// anisotropy is not measured (the content has no edges across or along the motion).
pub(super) const MIN_GROUP_FRACTION: f64 = 0.01;
/// Motion below this many analysis pixels per frame cannot smear measurably.
pub(super) const MIN_SPEED_PX: f64 = 2.0;
/// Largest displacement searched, as a fraction of the smaller frame side.
const MAX_SHIFT_FRACTION: f64 = 0.25;
/// The coarsest pyramid level is at most this wide.
const COARSEST_WIDTH: usize = 120;

/// A frame pair's global motion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GlobalMotion {
    /// Displacement `[dx, dy]` of the picture content from the first frame to the
    /// second, analysis pixels (sub-pixel).
    pub vector_px: [f64; 2],
    /// Magnitude of `vector_px`.
    pub speed_px: f64,
    /// Direction of the motion in degrees, 0 = +x (right), 90 = +y (down), in 0–180
    /// (blur has no sign).
    pub direction_deg: f64,
    /// How much of the frame-to-frame difference the translation explains: 1 − (mean
    /// absolute difference after alignment / before). Near 1 for a pan, near 0 when the
    /// picture is static or moves in ways a translation does not describe.
    pub explained: f64,
    /// How firmly the content fixes the translation: the relative rise of the matching
    /// cost for a 2-pixel error in the less constrained of the motion direction and its
    /// perpendicular. Near 0 when one direction is free (a single straight edge, flat
    /// areas: the aperture problem), ≫ 1 on textured content.
    pub constraint: f64,
}

/// The smear anisotropy of one frame along a direction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SmearAnisotropy {
    /// Largest excess of the along-motion over the across-motion derivative
    /// correlation (0 = isotropic; ≥ 0.3 a smear along the motion).
    pub anisotropy: f64,
    /// The lag (analysis pixels) where that excess is largest.
    pub lag_px: f64,
    /// Along-motion correlation at that lag.
    pub along: f64,
    /// Across-motion correlation at that lag.
    pub across: f64,
}

/// Integer-valued pyramid level.
struct Level {
    w: usize,
    h: usize,
    p: Vec<i32>,
}

fn pyramid(frame: &GreyFrame) -> Vec<Level> {
    let mut levels = vec![Level {
        w: frame.width(),
        h: frame.height(),
        p: frame.pixels().iter().map(|&v| i32::from(v)).collect(),
    }];
    while let Some(last) = levels.last() {
        if last.w <= COARSEST_WIDTH || last.h < 32 {
            break;
        }
        let (w, h) = (last.w / 2, last.h / 2);
        let mut p = Vec::with_capacity(w * h);
        for y in 0..h {
            let (r0, r1) = (2 * y * last.w, (2 * y + 1) * last.w);
            for x in 0..w {
                let s = last.p[r0 + 2 * x]
                    + last.p[r0 + 2 * x + 1]
                    + last.p[r1 + 2 * x]
                    + last.p[r1 + 2 * x + 1];
                p.push((s + 2) / 4);
            }
        }
        levels.push(Level { w, h, p });
    }
    levels
}

/// Mean absolute difference between `a(x, y)` and `b(x + dx, y + dy)` over their
/// overlap, sampled every `stride` pixels; `None` when the overlap is too small.
fn shifted_mad(a: &Level, b: &Level, dx: i64, dy: i64, stride: usize) -> Option<f64> {
    let (w, h) = (a.w as i64, a.h as i64);
    let (x0, x1) = ((-dx).max(0), (w - dx).min(w));
    let (y0, y1) = ((-dy).max(0), (h - dy).min(h));
    if x1 - x0 < w / 4 || y1 - y0 < h / 4 {
        return None;
    }
    let (mut sum, mut n) = (0i64, 0i64);
    let mut y = y0;
    while y < y1 {
        let ra = (y * w) as usize;
        let rb = ((y + dy) * w) as usize;
        let mut x = x0;
        while x < x1 {
            let d = a.p[ra + x as usize] - b.p[rb + (x + dx) as usize];
            sum += i64::from(d.abs());
            n += 1;
            x += stride as i64;
        }
        y += stride as i64;
    }
    (n > 0).then(|| sum as f64 / n as f64)
}

/// Costs within this fraction (plus [`TIE_SLACK`] grey levels) of the lowest count as
/// ties; of tied shifts the shortest wins, so a direction the content does not
/// constrain (a single straight edge: the aperture problem) is read as no motion.
const TIE_FRACTION: f64 = 0.02;
/// See [`TIE_FRACTION`].
const TIE_SLACK: f64 = 0.05;

/// The shortest shift among those whose cost ties with the lowest.
fn least_shift_near_minimum(costs: &[(i64, i64, f64)]) -> Option<(i64, i64)> {
    let best = costs.iter().map(|c| c.2).reduce(f64::min)?;
    let limit = best * (1.0 + TIE_FRACTION) + TIE_SLACK;
    costs
        .iter()
        .filter(|c| c.2 <= limit)
        .min_by_key(|c| c.0 * c.0 + c.1 * c.1)
        .map(|c| (c.0, c.1))
}

/// Estimate the global translation from `a` to `b` (same size). `None` for frames of
/// different sizes or too small to search.
pub(super) fn global_motion(a: &GreyFrame, b: &GreyFrame) -> Option<GlobalMotion> {
    if a.width() != b.width() || a.height() != b.height() || a.width() < 16 || a.height() < 16 {
        return None;
    }
    let (pa, pb) = (pyramid(a), pyramid(b));
    let top = pa.len() - 1;
    let (ta, tb) = (&pa[top], &pb[top]);
    let radius = ((ta.w.min(ta.h) as f64) * MAX_SHIFT_FRACTION).floor() as i64;
    let mut top_costs = Vec::new();
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            if let Some(cost) = shifted_mad(ta, tb, dx, dy, 1) {
                top_costs.push((dx, dy, cost));
            }
        }
    }
    let (mut dx, mut dy) = least_shift_near_minimum(&top_costs)?;
    for level in (0..top).rev() {
        let (la, lb) = (&pa[level], &pb[level]);
        let stride = if level == 0 { 2 } else { 1 };
        let (cx, cy) = (dx * 2, dy * 2);
        let mut local = Vec::with_capacity(9);
        for oy in -1..=1 {
            for ox in -1..=1 {
                if let Some(cost) = shifted_mad(la, lb, cx + ox, cy + oy, stride) {
                    local.push((cx + ox, cy + oy, cost));
                }
            }
        }
        (dx, dy) = least_shift_near_minimum(&local).unwrap_or((cx, cy));
    }
    let base = &pa[0];
    let cost = |x: i64, y: i64| shifted_mad(base, &pb[0], x, y, 2);
    let centre = cost(dx, dy)?;
    let zero = cost(0, 0)?;
    // Sub-pixel refinement: a parabola through the costs either side on each axis.
    let refine = |minus: Option<f64>, plus: Option<f64>| match (minus, plus) {
        (Some(m), Some(p)) => {
            let denom = m + p - 2.0 * centre;
            if denom > 1e-9 {
                (0.5 * (m - p) / denom).clamp(-0.5, 0.5)
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    let fx = dx as f64 + refine(cost(dx - 1, dy), cost(dx + 1, dy));
    let fy = dy as f64 + refine(cost(dx, dy - 1), cost(dx, dy + 1));
    let speed = fx.hypot(fy);
    let direction = fy.atan2(fx).to_degrees().rem_euclid(180.0);
    // How well the content pins the translation down: the cost rise for a 2-pixel
    // step from the estimate along the weaker of the two directions (the motion and
    // its perpendicular), relative to the cost at the estimate.
    let rise = |ox: f64, oy: f64| -> Option<f64> {
        let (sx, sy) = ((2.0 * ox).round() as i64, (2.0 * oy).round() as i64);
        let plus = cost(dx + sx, dy + sy)?;
        let minus = cost(dx - sx, dy - sy)?;
        Some((0.5 * (plus + minus) - centre) / centre.max(0.5))
    };
    let (ux, uy) = if speed > 1e-9 {
        (fx / speed, fy / speed)
    } else {
        (1.0, 0.0)
    };
    let constraint = match (rise(ux, uy), rise(-uy, ux)) {
        (Some(a), Some(b)) => a.min(b).max(0.0),
        _ => 0.0,
    };
    let explained = if zero > 1e-9 {
        (1.0 - centre / zero).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Some(GlobalMotion {
        vector_px: [fx, fy],
        speed_px: speed,
        direction_deg: direction,
        explained,
        constraint,
    })
}

/// Derivatives of the binomially pre-smoothed frame: `(ix, iy)` by central differences.
fn smoothed_gradients(frame: &GreyFrame) -> (Vec<f32>, Vec<f32>) {
    let (w, h) = (frame.width(), frame.height());
    let p = frame.pixels();
    // Separable [1 2 1]/4 in each direction.
    let mut horizontal = vec![0f32; w * h];
    for y in 0..h {
        let row = &p[y * w..(y + 1) * w];
        for x in 0..w {
            let l = row[x.saturating_sub(1)];
            let r = row[(x + 1).min(w - 1)];
            horizontal[y * w + x] = (f32::from(l) + 2.0 * f32::from(row[x]) + f32::from(r)) * 0.25;
        }
    }
    let mut s = vec![0f32; w * h];
    for y in 0..h {
        let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            s[y * w + x] =
                (horizontal[u * w + x] + 2.0 * horizontal[y * w + x] + horizontal[d * w + x])
                    * 0.25;
        }
    }
    let mut ix = vec![0f32; w * h];
    let mut iy = vec![0f32; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let i = y * w + x;
            ix[i] = 0.5 * (s[i + 1] - s[i - 1]);
            iy[i] = 0.5 * (s[i + w] - s[i - w]);
        }
    }
    (ix, iy)
}

/// Normalised correlation of `h` at pixels `set` with `h` at those pixels shifted by
/// `(ox, oy)`; `None` when no shifted pixel stays inside or there is no energy.
fn lag_correlation(h: &[f32], w: usize, hgt: usize, set: &[u32], ox: i64, oy: i64) -> Option<f64> {
    let (mut sab, mut saa, mut sbb) = (0f64, 0f64, 0f64);
    let (wi, hi) = (w as i64, hgt as i64);
    for &i in set {
        let i = i as usize;
        let (x, y) = ((i % w) as i64 + ox, (i / w) as i64 + oy);
        if x < 1 || y < 1 || x >= wi - 1 || y >= hi - 1 {
            continue;
        }
        let a = f64::from(h[i]);
        let b = f64::from(h[(y * wi + x) as usize]);
        sab += a * b;
        saa += a * a;
        sbb += b * b;
    }
    let norm = (saa * sbb).sqrt();
    (norm > 1e-9).then(|| sab / norm)
}

/// The smear anisotropy of `frame` along `motion` (see the module docs). `None` when
/// the motion is below [`MIN_SPEED_PX`], the frame is tiny, or the content lacks edges
/// along or across the motion.
pub(super) fn smear_anisotropy(
    frame: &GreyFrame,
    motion: &GlobalMotion,
) -> Option<SmearAnisotropy> {
    let (w, h) = (frame.width(), frame.height());
    if motion.speed_px < MIN_SPEED_PX || w < 16 || h < 16 {
        return None;
    }
    let (ux, uy) = (
        (motion.vector_px[0] / motion.speed_px) as f32,
        (motion.vector_px[1] / motion.speed_px) as f32,
    );
    let (ix, iy) = smoothed_gradients(frame);
    let cos_tol = ORIENTATION_TOLERANCE_DEG.to_radians().cos() as f32;
    let min2 = MIN_EDGE_GRADIENT * MIN_EDGE_GRADIENT;
    let mut along_set: Vec<u32> = Vec::new();
    let mut across_set: Vec<u32> = Vec::new();
    let mut d_along = vec![0f32; w * h];
    let mut d_across = vec![0f32; w * h];
    for i in 0..w * h {
        let (gx, gy) = (ix[i], iy[i]);
        let a = ux * gx + uy * gy;
        let c = -uy * gx + ux * gy;
        d_along[i] = a;
        d_across[i] = c;
        let m2 = gx * gx + gy * gy;
        if m2 < min2 {
            continue;
        }
        let m = m2.sqrt();
        let Ok(index) = u32::try_from(i) else {
            break;
        };
        if a.abs() >= cos_tol * m {
            along_set.push(index);
        } else if c.abs() >= cos_tol * m {
            across_set.push(index);
        }
    }
    let min_count = ((w * h) as f64 * MIN_GROUP_FRACTION).max(20.0) as usize;
    if along_set.len() < min_count || across_set.len() < min_count {
        return None;
    }
    let limit = (motion.speed_px.ceil() + 1.0).min(w.min(h) as f64 / 4.0);
    let mut lags: Vec<f64> = [
        2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 24.0, 32.0,
    ]
    .into_iter()
    .filter(|&l| l <= limit.max(2.0))
    .collect();
    lags.push(motion.speed_px.min(limit.max(2.0)));
    let mut best: Option<SmearAnisotropy> = None;
    for lag in lags {
        let (ax, ay) = (
            (f64::from(ux) * lag).round() as i64,
            (f64::from(uy) * lag).round() as i64,
        );
        // The perpendicular: u⊥ = (−uy, ux).
        let (cx, cy) = (-ay, ax);
        let along = lag_correlation(&d_along, w, h, &along_set, ax, ay);
        let across = lag_correlation(&d_across, w, h, &across_set, cx, cy);
        let (Some(along), Some(across)) = (along, across) else {
            continue;
        };
        // A negative across-motion correlation is no evidence of smear along it.
        // Negative correlations (the two lobes of a sharp edge's derivative, periodic
        // content) are no evidence of smear on either side.
        let excess = along.max(0.0) - across.max(0.0);
        if best.is_none_or(|b| excess > b.anisotropy) {
            best = Some(SmearAnisotropy {
                anisotropy: excess,
                lag_px: lag,
                along,
                across,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic textured picture: sharp blobs and bars (hash-placed squares).
    fn texture(w: usize, h: usize, shift_x: f64, shift_y: f64) -> impl Fn(usize, usize) -> f64 {
        move |x, y| {
            let (xf, yf) = (x as f64 - shift_x, y as f64 - shift_y);
            let (cx, cy) = ((xf / 9.0).floor() as i64, (yf / 7.0).floor() as i64);
            let hash = (cx.wrapping_mul(73_856_093) ^ cy.wrapping_mul(19_349_663)).rem_euclid(97);
            let _ = (w, h);
            if hash < 40 { 200.0 } else { 40.0 }
        }
    }

    fn render(w: usize, h: usize, f: impl Fn(usize, usize) -> f64) -> GreyFrame {
        let pixels = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y).round().clamp(0.0, 255.0) as u8)
            .collect();
        GreyFrame::new(w, h, pixels).unwrap()
    }

    /// The texture smeared along (dx, dy) per frame by `taps` sub-frame exposures
    /// spread over `shutter` of the frame interval.
    fn smeared(w: usize, h: usize, at: f64, v: (f64, f64), shutter: f64, taps: usize) -> GreyFrame {
        render(w, h, |x, y| {
            (0..taps)
                .map(|k| {
                    let t = at + shutter * k as f64 / taps as f64;
                    texture(w, h, v.0 * t, v.1 * t)(x, y)
                })
                .sum::<f64>()
                / taps as f64
        })
    }

    #[test]
    fn a_pan_is_measured_to_the_pixel_and_its_direction() {
        for v in [(6.0, 0.0), (0.0, -5.0), (4.0, 4.0), (-11.0, 3.0)] {
            let a = smeared(200, 150, 0.0, v, 0.0, 1);
            let b = smeared(200, 150, 1.0, v, 0.0, 1);
            let m = global_motion(&a, &b).unwrap();
            assert!((m.vector_px[0] - v.0).abs() < 0.6, "{v:?}: {m:?}");
            assert!((m.vector_px[1] - v.1).abs() < 0.6, "{v:?}: {m:?}");
            assert!(m.explained > 0.8, "{m:?}");
        }
    }

    #[test]
    fn a_static_pair_has_no_motion() {
        let a = smeared(160, 120, 0.0, (0.0, 0.0), 0.0, 1);
        let m = global_motion(&a, &a).unwrap();
        assert_eq!(m.vector_px, [0.0, 0.0]);
        assert_eq!(m.explained, 0.0);
        assert!(smear_anisotropy(&a, &m).is_none());
    }

    #[test]
    fn smear_along_the_motion_is_anisotropic_and_a_sharp_pan_is_not() {
        for v in [(10.0, 0.0), (0.0, 8.0), (7.0, 7.0)] {
            let sharp = smeared(240, 180, 0.0, v, 0.0, 1);
            let blurred = smeared(240, 180, 0.0, v, 1.0, 8);
            let motion = GlobalMotion {
                vector_px: [v.0, v.1],
                speed_px: v.0.hypot(v.1),
                direction_deg: 0.0,
                explained: 1.0,
                constraint: 10.0,
            };
            let s = smear_anisotropy(&sharp, &motion).unwrap();
            let b = smear_anisotropy(&blurred, &motion).unwrap();
            assert!(s.anisotropy < 0.15, "{v:?} sharp {s:?}");
            assert!(b.anisotropy > 0.3, "{v:?} blurred {b:?}");
        }
    }

    #[test]
    fn resampling_height_averages_lines() {
        let f = GreyFrame::new(2, 4, vec![0, 10, 20, 30, 40, 50, 60, 70]).unwrap();
        let half = f.resample_height(2);
        assert_eq!(half.pixels(), &[10, 20, 50, 60]);
        assert_eq!(f.resample_height(4), f);
    }
}
