//! Each 2D-track format's coordinate and frame conventions, in one table
//! ([`CONVENTIONS`]), and the two conversions every reader and writer goes through:
//! [`Convention::to_normalised`] and [`Convention::from_normalised`].
//!
//! The canonical space is [`TrackData`](tracking_types::TrackData)'s: x and y normalised
//! 0…1 over the image, origin at the image's **bottom-left corner**, x right, y up (Blender's
//! `MovieTrackingMarker.co`). A pixel *corner* convention puts the image's left edge at
//! 0 and its right edge at `width`; a pixel *centre* convention puts the centre of the
//! first pixel at 0, so the left edge is −0.5.

use super::ImageSize;
use super::TrackFormat;

/// How a format writes positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Units {
    /// Pixels.
    Pixels {
        /// Where (0, 0) is.
        origin: Origin,
        /// What a whole pixel coordinate names.
        sampling: PixelSampling,
    },
    /// −1…1 across the image, `−1` and `+1` at the centres of the first and last
    /// pixels (SynthEyes' "2-D paths"), v pointing down.
    SignedUnitPixelCentres,
}

/// Where a pixel format's (0, 0) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Bottom-left, y up.
    BottomLeft,
    /// Top-left, y down.
    TopLeft,
}

/// What a whole pixel coordinate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelSampling {
    /// Whole numbers are pixel corners: the image spans `0..width` (the first pixel's
    /// centre is at 0.5).
    Corners,
    /// Whole numbers are pixel centres: the first pixel's centre is at 0, so the image
    /// spans `−0.5..width − 0.5`.
    Centres,
}

/// One format's conventions, with where they are documented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Convention {
    /// The format.
    pub format: TrackFormat,
    /// How positions are written.
    pub units: Units,
    /// The number the format gives the clip's first frame.
    pub frame_base: i64,
    /// Where the convention comes from (documentation, verified files).
    pub source: &'static str,
}

/// The table: one row per format, the only place conventions are decided.
pub const CONVENTIONS: &[Convention] = &[
    // 3DE4: mmSolver's loader test reads `1 0.0 1080.0` at 1920x1080 as the image's
    // top-left corner (corners, not centres); tracksperanto's 3DE-checked export
    // writes its frame 0 as `1`.
    Convention {
        format: TrackFormat::Equalizer4,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 1,
        source: "3DEqualizer4 point export: pixels from the bottom-left corner of the \
                 image, whole numbers on pixel edges (mmSolver test_loadmarker.py: \
                 loadmarker_corners.txt `1 0.0 1080.0` at 1920x1080 is the top-left \
                 corner, `1 1920.0 0.0` the bottom-right); frames from 1 (tracksperanto \
                 lib/export/equalizer4.rb writes frame 0 as 1, 'checked by importing \
                 into the real application', ref_equalizer.txt)",
    },
    // 3DE v3: the same application's older export; tracksperanto reads and writes it
    // with v4's convention (frame + 1, pixels unchanged) and its ref file was checked
    // in 3DE.
    Convention {
        format: TrackFormat::Equalizer3,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 1,
        source: "3DEqualizer v3 'Multiple Tracking Curves Export': as v4 (tracksperanto \
                 lib/export/equalizer3.rb: frame + 1, pixels from the bottom-left \
                 unchanged; ref_equalizer3.txt checked in 3DE); the size is in the \
                 header",
    },
    // SynthEyes 2-D paths: u, v in −1…1, left→right and top→bottom (SynthEyes
    // manual, "Exporting"); ∓1 at the first/last pixel centres (tracksperanto's
    // uv_coordinates.rb, its app-verified ref_Syntheyes.txt, and SynthEyes itself on
    // tracksperanto's subpixel grid). Frames from 0 (SynthEyes manual, "Frame
    // Numbering").
    Convention {
        format: TrackFormat::Syntheyes,
        units: Units::SignedUnitPixelCentres,
        frame_base: 0,
        source: "SynthEyes 'Tracker 2-D paths': u, v in −1…1 running left to right and \
                 top to bottom (SynthEyes manual, 'Exporting'), the first and last pixel \
                 centres at ∓1 (tracksperanto uv_coordinates.rb; its app-verified \
                 ref_Syntheyes.txt writes the bottom-left corner of 1920×1080 as \
                 −1.000521 −1.000927; SynthEyes trackers on the corners of tracksperanto's \
                 720×576 subpixel grid, sy_subpix_2dpaths.txt, land within 0.03 px of the \
                 image corners this way and 0.5 px outside them with −1 at the edge). \
                 Frames from 0: 'SynthEyes internally starts all shots with frame #0' \
                 (manual, 'Frame Numbering'; a preference can start at 1)",
    },
    // SynthEyes All Tracker Paths: NOT verified (see `source`).
    Convention {
        format: TrackFormat::SyntheyesPixels,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 0,
        source: "SynthEyes 'All Tracker Paths': UNVERIFIED origin and pixel rule. No \
                 SynthEyes documentation or exporter script for it was found; the only \
                 reader, tracksperanto's, passes x and y unchanged into its bottom-left, \
                 corner-based space (and reads y wrongly: its regex takes the integer \
                 part of x, hence its test's abs_y 760). Kept as that reading. The one \
                 real file (shot06, 2560×1080, frames 0–43) cannot tell top-left from \
                 bottom-left. Frames from 0 (SynthEyes' numbering; the file starts at 0)",
    },
    // PFTrack: pixels from the bottom-left with whole numbers at pixel centres, on
    // four independent pieces of evidence (see `source`). PFTrack 4/5 frames from 0,
    // PFMatchit / 2011+ from 1.
    Convention {
        format: TrackFormat::Pftrack4,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Centres,
        },
        frame_base: 0,
        source: "PFTrack 4 .2dt: pixels from the bottom-left, whole numbers at pixel \
                 centres: PFTrack's own user-track export on tracksperanto's 720×576 \
                 subpixel grid (julik_pftrack.txt) puts the bottom-left pixel's centre at \
                 (0.000002, −0.000002) and the marked pixel (715, row 4 from the top) at \
                 (714.999, 571.000); mmSolver's pftrack2dt.py: '(−0.5, −0.5) is the \
                 lower-left'; tracksperanto's app-verified ref_PFTrack.2dt writes the \
                 top-left corner of 1920×1080 as (−0.5, 1079.5). Frames from 0: that \
                 ref file writes tracksperanto's 0-based first frame as 0, and the real \
                 PFTrack 4 file has frame 0",
    },
    Convention {
        format: TrackFormat::Pftrack5,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Centres,
        },
        frame_base: 0,
        source: "PFTrack 5 .2dt (camera-name line): pixels as PFTrack 4 (same evidence; \
                 app-verified ref_PFTrack5.2dt writes (−0.5, 1079.5) for the top-left \
                 corner). Frames from 0: that ref writes the 0-based first frame as 0 \
                 ('PFT5 frames are zero-based', tracksperanto pftrack_5.rb); the real apft \
                 file has frame 0",
    },
    Convention {
        format: TrackFormat::Pfmatchit,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Centres,
        },
        frame_base: 1,
        source: "PFMatchit / PFTrack 2011+ user-track text (clip-number line): pixels as \
                 PFTrack 4 (the subpixel-grid and mmSolver evidence is this very layout). \
                 Frames from 1: tracksperanto's app-verified ref_PFMatchit.2dt writes the \
                 0-based first frame as 1; the PFMatchit example runs 1–37 and PFTrack's \
                 single-frame user-track exports are at frame 1. Some 2011+ exports start \
                 at 0 (mmSolver test data, 0–150): the clip's start frame is a PFTrack \
                 setting, so frames are kept as written and only this base is assumed",
    },
    // boujou: its own Shake-script export of the same Target_track_1 (tracksperanto
    // test/import/samples/shake_script/shake_script_from_boujou.shk, boujou 4.1.0
    // 28444) has x identical and y_shake = 576.000 − y_boujou on every key (a 576-line
    // PAL plate), Shake being bottom-left with pixel corners: so boujou is top-left,
    // y down, corners (centres on both sides would give 575 − y). Views: the wild file's
    // 19 whole-shot tracks all start at view 1 and the Shake export keeps the view
    // numbers as Shake's 1-based frames.
    Convention {
        format: TrackFormat::Boujou,
        units: Units::Pixels {
            origin: Origin::TopLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 1,
        source: "boujou 2D feature tracks text: pixels from the top-left corner, y down, \
                 whole numbers on pixel edges (boujou 4.1's own Shake export of the same \
                 track: x equal, y_shake = 576 - y_boujou on every key of a 576-line \
                 plate); views from 1 (boujou 4.1 file: the 19 whole-shot tracks start \
                 at view 1; its Shake export keeps views as Shake frames). \
                 tracksperanto's height - y - 1 / height - y + 1 are not used (they are \
                 not inverses of each other)",
    },
    // Nuke: the format's box runs 0..width, 0..height from the bottom-left (pixel
    // centres at +0.5); a new script's frame range starts at 1.
    Convention {
        format: TrackFormat::NukeTracker4,
        units: Units::Pixels {
            origin: Origin::BottomLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 1,
        source: "Nuke: pixels from the bottom-left corner of the format (box 0..width, \
                 pixel centres at +0.5; tracksperanto's Nuke exporter writes its \
                 bottom-left pixels unchanged and frame 0 as 1, ref_NukeScript.nk), \
                 frames from 1 in a default script",
    },
    // After Effects: a layer centred in a comp has position [width/2, height/2]
    // (corners, y down); keyframe data frames count from the comp start, 0.
    Convention {
        format: TrackFormat::AfterEffects,
        units: Units::Pixels {
            origin: Origin::TopLeft,
            sampling: PixelSampling::Corners,
        },
        frame_base: 0,
        source: "After Effects keyframe data: layer pixels from the top-left corner, y \
                 down (a centred layer is at [width/2, height/2]); frames from 0, the \
                 composition start",
    },
];

impl Convention {
    /// The row for `format`.
    pub fn of(format: TrackFormat) -> &'static Convention {
        CONVENTIONS
            .iter()
            .find(|row| row.format == format)
            .unwrap_or(&CONVENTIONS[0])
    }

    /// A position as written in the file → TrackData's normalised bottom-left space.
    pub fn to_normalised(&self, x: f64, y: f64, size: ImageSize) -> [f64; 2] {
        let (w, h) = (f64::from(size.width), f64::from(size.height));
        match self.units {
            Units::Pixels { origin, sampling } => {
                let shift = match sampling {
                    PixelSampling::Corners => 0.0,
                    PixelSampling::Centres => 0.5,
                };
                let x_corner = x + shift;
                let y_corner = match origin {
                    Origin::BottomLeft => y + shift,
                    Origin::TopLeft => h - (y + shift),
                };
                [x_corner / w, y_corner / h]
            }
            Units::SignedUnitPixelCentres => {
                // u = −1 at the first pixel's centre (corner 0.5), +1 at the last
                // (corner side − 0.5).
                let x_corner = (u_to_unit(x) * (w - 1.0)) + 0.5;
                let y_down = (u_to_unit(y) * (h - 1.0)) + 0.5;
                [x_corner / w, (h - y_down) / h]
            }
        }
    }

    /// A normalised bottom-left position → the file's units.
    pub fn from_normalised(&self, position: [f64; 2], size: ImageSize) -> (f64, f64) {
        let (w, h) = (f64::from(size.width), f64::from(size.height));
        let (x_corner, y_corner) = (position[0] * w, position[1] * h);
        match self.units {
            Units::Pixels { origin, sampling } => {
                let shift = match sampling {
                    PixelSampling::Corners => 0.0,
                    PixelSampling::Centres => 0.5,
                };
                let y = match origin {
                    Origin::BottomLeft => y_corner - shift,
                    Origin::TopLeft => (h - y_corner) - shift,
                };
                (x_corner - shift, y)
            }
            Units::SignedUnitPixelCentres => {
                let u = unit_to_u((x_corner - 0.5) / (w - 1.0));
                let v = unit_to_u(((h - y_corner) - 0.5) / (h - 1.0));
                (u, v)
            }
        }
    }
}

/// −1…1 → 0…1.
fn u_to_unit(u: f64) -> f64 {
    (u + 1.0) / 2.0
}

/// 0…1 → −1…1.
fn unit_to_u(unit: f64) -> f64 {
    unit * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const HD: ImageSize = ImageSize {
        width: 1920,
        height: 1080,
    };

    #[test]
    fn every_format_has_exactly_one_row() {
        for format in TrackFormat::ALL {
            let rows = CONVENTIONS.iter().filter(|r| r.format == *format).count();
            assert_eq!(rows, 1, "{format}");
        }
    }

    #[test]
    fn conversions_are_inverse_for_every_format() {
        for row in CONVENTIONS {
            for p in [[0.0, 0.0], [1.0, 1.0], [0.25, 0.75], [-0.1, 1.3]] {
                let (x, y) = row.from_normalised(p, HD);
                let back = row.to_normalised(x, y, HD);
                assert!((back[0] - p[0]).abs() < 1e-12 && (back[1] - p[1]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn the_top_left_pixel_centre_in_each_units() {
        // The centre of the top-left pixel: corner (0.5, 1079.5) from the bottom-left.
        let p = [0.5 / 1920.0, 1079.5 / 1080.0];
        let pf = Convention::of(TrackFormat::Pftrack5).from_normalised(p, HD);
        assert!((pf.0 - 0.0).abs() < 1e-9 && (pf.1 - 1079.0).abs() < 1e-9);
        let sy = Convention::of(TrackFormat::Syntheyes).from_normalised(p, HD);
        assert!((sy.0 + 1.0).abs() < 1e-12 && (sy.1 + 1.0).abs() < 1e-12);
        let bj = Convention::of(TrackFormat::Boujou).from_normalised(p, HD);
        assert!((bj.0 - 0.5).abs() < 1e-9 && (bj.1 - 0.5).abs() < 1e-9);
        let de = Convention::of(TrackFormat::Equalizer4).from_normalised(p, HD);
        assert!((de.0 - 0.5).abs() < 1e-9 && (de.1 - 1079.5).abs() < 1e-9);
    }
}
