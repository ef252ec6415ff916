//! Interlace and pulldown detection: when to run ffmpeg's `idet` filter, and the parser
//! for the summary it prints on stderr at `-v info`.
//!
//! `idet` prints three summary lines when the filter graph closes:
//!
//! ```text
//! [Parsed_idet_0 @ 0x…] Repeated Fields: Neither:    50 Top:     0 Bottom:     0
//! [Parsed_idet_0 @ 0x…] Single frame detection: TFF:    50 BFF:     0 Progressive:     0 Undetermined:     0
//! [Parsed_idet_0 @ 0x…] Multi frame detection: TFF:    50 BFF:     0 Progressive:     0 Undetermined:     0
//! ```
//!
//! The multi-frame line is the filter's own smoothed verdict and the one we judge by;
//! the repeated-field line reveals 3:2 pulldown (telecine).

use serde::Serialize;

/// At most this many frames are fed to `idet` (enough for a stable verdict).
pub(super) const IDET_MAX_FRAMES: u32 = 300;

/// Counts from one `idet` detection line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct FieldCounts {
    /// Frames judged top field first.
    pub tff: u64,
    /// Frames judged bottom field first.
    pub bff: u64,
    /// Frames judged progressive.
    pub progressive: u64,
    /// Frames the filter could not decide.
    pub undetermined: u64,
}

impl FieldCounts {
    /// All frames counted.
    pub fn total(&self) -> u64 {
        self.tff + self.bff + self.progressive + self.undetermined
    }

    /// Frames judged interlaced (either field order).
    pub fn interlaced(&self) -> u64 {
        self.tff + self.bff
    }
}

/// Counts from the `Repeated Fields` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RepeatedFields {
    /// Frames with no repeated field.
    pub neither: u64,
    /// Frames repeating the top field.
    pub top: u64,
    /// Frames repeating the bottom field.
    pub bottom: u64,
}

/// The parsed `idet` summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IdetSummary {
    /// The single-frame line.
    pub single_frame: FieldCounts,
    /// The multi-frame line (the verdict we use).
    pub multi_frame: FieldCounts,
    /// The repeated-field line, when printed (ffmpeg ≥ 2.x prints it).
    pub repeated_fields: Option<RepeatedFields>,
}

/// What the `idet` counts mean for tracking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterlaceVerdict {
    /// Mostly progressive frames.
    Progressive,
    /// Mostly interlaced, top field first.
    InterlacedTff,
    /// Mostly interlaced, bottom field first.
    InterlacedBff,
    /// Progressive frames with regularly repeated fields: 3:2 pulldown (telecine).
    Pulldown,
    /// Too few decided frames to say.
    Undetermined,
}

impl IdetSummary {
    /// Judge the counts: pulldown when at least 20 % of the frames repeat a field (3:2
    /// pulldown repeats a field in 2 of every 5 frames; `idet` then also counts the
    /// mixed frames as TFF/BFF, so this test comes first); interlaced when at least 60 %
    /// of the decided multi-frame counts are TFF/BFF; pulldown also when at least 10 %
    /// repeat a field on otherwise progressive frames.
    pub fn verdict(&self) -> InterlaceVerdict {
        let m = &self.multi_frame;
        let decided = m.tff + m.bff + m.progressive;
        if decided == 0 || decided * 4 < m.total() {
            return InterlaceVerdict::Undetermined;
        }
        if let Some(rep) = self.repeated_fields {
            let all = rep.neither + rep.top + rep.bottom;
            if all > 0 && (rep.top + rep.bottom) * 5 >= all {
                return InterlaceVerdict::Pulldown;
            }
        }
        if m.interlaced() * 10 >= decided * 6 {
            return if m.tff >= m.bff {
                InterlaceVerdict::InterlacedTff
            } else {
                InterlaceVerdict::InterlacedBff
            };
        }
        if let Some(rep) = self.repeated_fields {
            let all = rep.neither + rep.top + rep.bottom;
            if all > 0 && (rep.top + rep.bottom) * 10 >= all {
                return InterlaceVerdict::Pulldown;
            }
        }
        InterlaceVerdict::Progressive
    }
}

/// Parse the `idet` summary from ffmpeg's stderr. `None` when the detection lines are
/// absent (the filter did not run or printed nothing). When several `idet` instances
/// print, the last summary wins.
pub(super) fn parse_idet(stderr: &str) -> Option<IdetSummary> {
    let mut single = None;
    let mut multi = None;
    let mut repeated = None;
    for line in stderr.lines() {
        if let Some(rest) = after(line, "Single frame detection:") {
            single = parse_field_counts(rest).or(single);
        } else if let Some(rest) = after(line, "Multi frame detection:") {
            multi = parse_field_counts(rest).or(multi);
        } else if let Some(rest) = after(line, "Repeated Fields:") {
            repeated = parse_repeated(rest).or(repeated);
        }
    }
    Some(IdetSummary {
        single_frame: single?,
        multi_frame: multi?,
        repeated_fields: repeated,
    })
}

fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|at| &line[at + marker.len()..])
}

/// Read `Label: number` pairs, e.g. `TFF:    50 BFF:     0`.
fn labelled_numbers(text: &str) -> Vec<(&str, u64)> {
    let mut out = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(label) = tokens.next() {
        let Some(label) = label.strip_suffix(':') else {
            continue;
        };
        if let Some(value) = tokens.next().and_then(|t| t.parse::<u64>().ok()) {
            out.push((label, value));
        }
    }
    out
}

fn lookup(pairs: &[(&str, u64)], label: &str) -> Option<u64> {
    pairs.iter().find(|(l, _)| *l == label).map(|&(_, v)| v)
}

fn parse_field_counts(text: &str) -> Option<FieldCounts> {
    let pairs = labelled_numbers(text);
    Some(FieldCounts {
        tff: lookup(&pairs, "TFF")?,
        bff: lookup(&pairs, "BFF")?,
        progressive: lookup(&pairs, "Progressive")?,
        undetermined: lookup(&pairs, "Undetermined")?,
    })
}

fn parse_repeated(text: &str) -> Option<RepeatedFields> {
    let pairs = labelled_numbers(text);
    Some(RepeatedFields {
        neither: lookup(&pairs, "Neither")?,
        top: lookup(&pairs, "Top")?,
        bottom: lookup(&pairs, "Bottom")?,
    })
}

/// Whether interlacing is plausible enough to spend an `idet` pass on.
///
/// Plausible when the container says the stream is interlaced, or when the field order
/// is unknown/progressive but the raster and rate are broadcast-like (SD or 1080 lines at
/// 25/29.97/30 fps or their field rates), or when the codec is a broadcast codec.
pub(super) fn interlace_plausible(
    field_order: Option<&str>,
    height: u32,
    fps: f64,
    codec: &str,
) -> bool {
    if matches!(field_order, Some("tt" | "bb" | "tb" | "bt")) {
        return true;
    }
    let broadcast_codec = matches!(
        codec,
        "mpeg2video" | "dvvideo" | "mpeg1video" | "h263" | "rawvideo" | "v210" | "mpeg4" | "xdcam"
    );
    let broadcast_rate = [25.0, 29.97, 30.0, 50.0, 59.94, 60.0]
        .iter()
        .any(|r| (fps - r).abs() < 0.02);
    let broadcast_raster = matches!(height, 480 | 486 | 576 | 1080);
    broadcast_codec || (broadcast_rate && broadcast_raster)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERLACED: &str = "\
[Parsed_idet_0 @ 0x558393838040] Repeated Fields: Neither:    50 Top:     0 Bottom:     0
[Parsed_idet_0 @ 0x558393838040] Single frame detection: TFF:    50 BFF:     0 Progressive:     0 Undetermined:     0
[Parsed_idet_0 @ 0x558393838040] Multi frame detection: TFF:    50 BFF:     0 Progressive:     0 Undetermined:     0
";

    #[test]
    fn the_three_summary_lines_of_real_ffmpeg_output_are_parsed() {
        let s = parse_idet(INTERLACED).unwrap();
        assert_eq!(
            s.multi_frame,
            FieldCounts {
                tff: 50,
                bff: 0,
                progressive: 0,
                undetermined: 0
            }
        );
        assert_eq!(s.single_frame.tff, 50);
        assert_eq!(
            s.repeated_fields,
            Some(RepeatedFields {
                neither: 50,
                top: 0,
                bottom: 0
            })
        );
        assert_eq!(s.verdict(), InterlaceVerdict::InterlacedTff);
    }

    #[test]
    fn output_without_detection_lines_parses_to_none() {
        assert_eq!(
            parse_idet("Stream #0:0: Video: h264\nframe=  10 fps=0.0\n"),
            None
        );
        assert_eq!(parse_idet(""), None);
    }

    #[test]
    fn a_mostly_progressive_clip_is_judged_progressive() {
        let text = "Multi frame detection: TFF: 2 BFF: 0 Progressive: 98 Undetermined: 0\n\
                    Single frame detection: TFF: 5 BFF: 0 Progressive: 80 Undetermined: 15\n";
        assert_eq!(
            parse_idet(text).unwrap().verdict(),
            InterlaceVerdict::Progressive
        );
    }

    #[test]
    fn bottom_field_first_majority_is_bff() {
        let text = "Multi frame detection: TFF: 3 BFF: 90 Progressive: 7 Undetermined: 0\n\
                    Single frame detection: TFF: 3 BFF: 90 Progressive: 7 Undetermined: 0\n";
        assert_eq!(
            parse_idet(text).unwrap().verdict(),
            InterlaceVerdict::InterlacedBff
        );
    }

    #[test]
    fn regularly_repeated_fields_on_progressive_frames_mean_pulldown() {
        let text = "Repeated Fields: Neither: 60 Top: 20 Bottom: 20\n\
                    Single frame detection: TFF: 10 BFF: 0 Progressive: 90 Undetermined: 0\n\
                    Multi frame detection: TFF: 10 BFF: 0 Progressive: 90 Undetermined: 0\n";
        assert_eq!(
            parse_idet(text).unwrap().verdict(),
            InterlaceVerdict::Pulldown
        );
    }

    #[test]
    fn mostly_undetermined_counts_are_undetermined() {
        let text = "Multi frame detection: TFF: 1 BFF: 0 Progressive: 2 Undetermined: 97\n\
                    Single frame detection: TFF: 1 BFF: 0 Progressive: 2 Undetermined: 97\n";
        assert_eq!(
            parse_idet(text).unwrap().verdict(),
            InterlaceVerdict::Undetermined
        );
    }

    #[test]
    fn container_field_flags_make_interlacing_plausible() {
        assert!(interlace_plausible(Some("tt"), 720, 24.0, "h264"));
        assert!(interlace_plausible(
            Some("progressive"),
            1080,
            29.97,
            "h264"
        ));
        assert!(interlace_plausible(None, 576, 25.0, "h264"));
        assert!(interlace_plausible(None, 240, 24.0, "mpeg2video"));
        assert!(!interlace_plausible(
            Some("progressive"),
            2160,
            23.976,
            "prores"
        ));
        assert!(!interlace_plausible(None, 540, 24.0, "h264"));
    }
}
