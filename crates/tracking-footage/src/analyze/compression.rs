//! Compression damage measured on decoded frames, judged against the content.
//!
//! Block-transform codecs (MPEG-2, H.264, HEVC, VP9, AV1, ProRes, DNxHD, JPEG) code
//! pictures in blocks whose edges lie on an 8-pixel grid (4 × 4 transforms lie on a
//! 4-pixel grid that includes it). When a plate is starved of bits, the blocks are
//! quantised independently and their edges show: the step between the last line of a
//! block and the first line of the next is larger than between two lines inside a
//! block. The *blockiness* of a frame is the ratio of the mean absolute line-to-line
//! step across the 8-line grid to the mean step between lines at the same parity
//! inside the blocks (lines 1|2 and 5|6 of each block, which no 4 × 4 or 8 × 8 grid
//! touches). Clean pictures measure ≈ 1.0 whatever their content; visible blocking
//! starts near 1.15 and a picture that is mostly blocks measures ≥ 1.6.
//!
//! It is measured on the full-height frames (lines are never scaled), and across
//! columns too when the analysis frame keeps the source width. A low bit rate on its
//! own is not damage (a static plate needs almost no bits); see
//! `checks::low_bitrate`, which reads this evidence together with the measured motion.

use serde::Serialize;

use super::metrics::GreyFrame;

/// Block grid period in source pixels.
pub(super) const BLOCK: usize = 8;

/// Blockiness of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Blockiness {
    /// Across the horizontal block edges (line steps), always measured.
    pub lines: f64,
    /// Across the vertical block edges (column steps), when the frame keeps the source
    /// width.
    pub columns: Option<f64>,
}

impl Blockiness {
    /// The frame's blockiness: the mean of the measured directions.
    pub fn ratio(&self) -> f64 {
        match self.columns {
            Some(c) => 0.5 * (self.lines + c),
            None => self.lines,
        }
    }
}

/// A step of at least this (grey levels) between two lines counts as a block step…
const WEAK_STEP_MIN: u8 = 1;
/// …and of at most this: larger steps are content edges, not quantisation.
const WEAK_STEP_MAX: u8 = 8;
/// The steps on either side (inside the blocks) must be at most this: blocking shows
/// as a step between two flat runs.
const FLAT_STEP: u8 = 1;
/// Added to both rates so that clean pictures (no weak steps anywhere) measure 1.
const RATE_FLOOR: f64 = 0.01;

/// Blockiness across lines of `frame` (which must have the source's lines): the rate
/// of weak steps between flat runs on the block grid over the same rate at in-block
/// line pairs of the same parity. `None` for frames under 16 lines.
fn line_ratio(frame: &GreyFrame) -> Option<f64> {
    let (w, h) = (frame.width(), frame.height());
    if h < 2 * BLOCK || w == 0 {
        return None;
    }
    let p = frame.pixels();
    let at = |y: usize, x: usize| p[y * w + x];
    let (mut edge, mut edge_n, mut inner, mut inner_n) = (0u64, 0u64, 0u64, 0u64);
    // Step y|y+1, with neighbours y-1|y and y+1|y+2.
    for y in 1..h - 2 {
        let on_grid = match (y + 1) % BLOCK {
            0 => true,
            2 | 6 => false,
            _ => continue,
        };
        let mut hits = 0u64;
        for x in 0..w {
            let step = at(y, x).abs_diff(at(y + 1, x));
            if (WEAK_STEP_MIN..=WEAK_STEP_MAX).contains(&step)
                && at(y - 1, x).abs_diff(at(y, x)) <= FLAT_STEP
                && at(y + 1, x).abs_diff(at(y + 2, x)) <= FLAT_STEP
            {
                hits += 1;
            }
        }
        if on_grid {
            edge += hits;
            edge_n += w as u64;
        } else {
            inner += hits;
            inner_n += w as u64;
        }
    }
    if edge_n == 0 || inner_n == 0 {
        return None;
    }
    let edge_rate = edge as f64 / edge_n as f64;
    let inner_rate = inner as f64 / inner_n as f64;
    Some((edge_rate + RATE_FLOOR) / (inner_rate + RATE_FLOOR))
}

/// The frame transposed (columns become lines).
fn transposed(frame: &GreyFrame) -> Option<GreyFrame> {
    let (w, h) = (frame.width(), frame.height());
    let p = frame.pixels();
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            out[x * h + y] = p[y * w + x];
        }
    }
    GreyFrame::new(h, w, out).ok()
}

/// Blockiness of a full-height frame; `full_width` says whether its columns are the
/// source's too.
pub(super) fn blockiness(frame: &GreyFrame, full_width: bool) -> Option<Blockiness> {
    let lines = line_ratio(frame)?;
    let columns = if full_width {
        transposed(frame).as_ref().and_then(line_ratio)
    } else {
        None
    };
    Some(Blockiness { lines, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> GreyFrame {
        let pixels = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        GreyFrame::new(w, h, pixels).unwrap()
    }

    /// A smooth diagonal ramp.
    fn smooth(x: usize, y: usize) -> f64 {
        60.0 + 0.4 * x as f64 + 0.3 * y as f64
    }

    #[test]
    fn a_smooth_picture_is_not_blocky() {
        let f = frame(128, 96, |x, y| smooth(x, y) as u8);
        let b = blockiness(&f, true).unwrap();
        assert!((b.ratio() - 1.0).abs() < 0.15, "{b:?}");
    }

    #[test]
    fn a_picture_quantised_to_one_value_per_8x8_block_is_blocky() {
        // Each block flattened to its centre value (DC only): the ramp's steps all
        // move onto the grid.
        let f = frame(128, 96, |x, y| smooth(x / 8 * 8 + 4, y / 8 * 8 + 4) as u8);
        let b = blockiness(&f, true).unwrap();
        assert!(b.lines > 1.6, "{b:?}");
        assert!(b.columns.unwrap() > 1.6, "{b:?}");
    }

    #[test]
    fn flat_or_tiny_frames_are_not_judged() {
        let flat = blockiness(&frame(64, 64, |_, _| 128), true).unwrap();
        assert_eq!(flat.ratio(), 1.0);
        assert!(blockiness(&frame(64, 8, |x, _| x as u8), true).is_none());
    }
}
