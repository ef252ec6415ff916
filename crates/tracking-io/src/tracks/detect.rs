//! Which 2D-track format a file is, by content (never by extension alone), and what a
//! file that is none of them appears to be: a camera `.chan`, a Houdini/Maya
//! `frame value` curve, a Nuke "Export Ascii" file without a frame column, a JSON
//! camera.
//!
//! Only the first [`HEAD_LINES`] non-blank lines are looked at, so detection costs the
//! same on any file size. The rules, in order:
//!
//! | first lines | format |
//! |---|---|
//! | `// 3DE Multiple Tracking Curves Export …` | 3DE v3 |
//! | `"name"` then `"camera"` | PFTrack 5 |
//! | `"name"`, an integer, an integer alone (clip, count) | PFMatchit / user tracks |
//! | `"name"`, an integer, then keys or the next track | PFTrack 4 |
//! | `# boujou …` or `# track_id view x y` header, or `name view x y` rows | boujou |
//! | `name frame u v [outcome]` rows, \|u\|, \|v\| ≤ 1.5 | SynthEyes 2-D paths |
//! | integer count, name, integer colour, integer key count, `frame x y` | 3DE v4 |
//! | a name, then `frame x y` rows | SynthEyes All Tracker Paths |

use std::path::Path;

use super::TrackFormat;
use crate::error::Error;

/// Non-blank, non-comment lines looked at.
pub const HEAD_LINES: usize = 64;

/// What detection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The format.
    pub format: TrackFormat,
}

/// The format of `text`, or [`Error::NotRecognised`] saying what it looks like.
pub fn detect_track_format(text: &str) -> Result<Detected, Error> {
    detect_text(text, None).map(|format| Detected { format })
}

/// What a file is, as far as the first lines tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A 2D-track format.
    Tracks(TrackFormat),
    /// Something else, described for a message (`"a Nuke .chan camera file …"`).
    Other(String),
}

/// The 7/8-column camera `.chan` description used in messages.
const CHAN_CAMERA: &str = "a Nuke .chan camera file (frame tx ty tz rx ry rz [vfov]); \
                           read it with `cinematic chan import`";

/// Classifies `text` by its first lines.
pub fn classify(text: &str) -> Kind {
    let all: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .take(HEAD_LINES * 2)
        .collect();
    let Some(first) = all.first() else {
        return Kind::Other("an empty file".into());
    };
    if first
        .trim_start()
        .starts_with("// 3DE Multiple Tracking Curves Export")
    {
        return Kind::Tracks(TrackFormat::Equalizer3);
    }
    // 3DE v4 and SynthEyes All Tracker Paths have no comment lines, so a point named
    // `#corner` is a name: their shapes are judged on every line.
    let raw: Vec<&str> = all.iter().copied().take(HEAD_LINES).collect();
    let raw_shapes: Vec<Shape> = raw.iter().map(|l| Shape::of(l)).collect();
    if let Some(kind) = equalizer4(&raw_shapes, &raw) {
        return kind;
    }
    // boujou's column header (`# track_id view x y`, columns in any order).
    if all.iter().any(|l| {
        let l = l.trim_start();
        l.starts_with('#')
            && (l.contains("boujou")
                || l.trim_start_matches('#')
                    .split_ascii_whitespace()
                    .any(|w| w == "track_id"))
    }) {
        return Kind::Tracks(TrackFormat::Boujou);
    }
    let data: Vec<&str> = all
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with('#'))
        .take(HEAD_LINES)
        .collect();
    let Some(head) = data.first().map(|l| l.trim()) else {
        return Kind::Other("a file of comment lines only".into());
    };
    if head.trim_start().starts_with('{') {
        return Kind::Other(
            "a JSON file (the original's JSON camera format?); read cameras with \
             `cinematic chan import` / import_tracking_data"
                .into(),
        );
    }
    if head.starts_with('"') {
        return Kind::Tracks(pftrack_variant(&data));
    }
    let shapes: Vec<Shape> = data.iter().map(|l| Shape::of(l)).collect();
    if syntheyes_numeric_names(&data) {
        return Kind::Tracks(TrackFormat::Syntheyes);
    }
    if shapes.iter().all(|s| matches!(s, Shape::NameRow { .. })) {
        let unit = shapes.iter().all(|s| match s {
            Shape::NameRow { u, v, .. } => u.abs() <= 1.5 && v.abs() <= 1.5,
            _ => false,
        });
        let five = shapes
            .iter()
            .any(|s| matches!(s, Shape::NameRow { fields: 5, .. }));
        return Kind::Tracks(if unit || five {
            TrackFormat::Syntheyes
        } else {
            TrackFormat::Boujou
        });
    }
    let name_line = |s: &Shape| matches!(s, Shape::Word | Shape::Numbers { count: 1, .. });
    if raw_shapes.first().is_some_and(name_line)
        && raw_shapes.iter().all(|s| {
            name_line(s)
                || matches!(
                    s,
                    Shape::Numbers {
                        count: 3,
                        first_int: true
                    }
                )
        })
        && raw_shapes
            .iter()
            .any(|s| matches!(s, Shape::Numbers { count: 3, .. }))
    {
        return Kind::Tracks(TrackFormat::SyntheyesPixels);
    }
    Kind::Other(describe_numbers(&shapes))
}

/// The shape of one data line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Numbers only: how many, whether the first is an integer.
    Numbers { count: usize, first_int: bool },
    /// `word int number number [int]` (SynthEyes / boujou rows).
    NameRow { fields: usize, u: f64, v: f64 },
    /// One token that is not a number.
    Word,
    /// Anything else.
    Other,
}

impl Shape {
    fn of(line: &str) -> Shape {
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        let numbers: Vec<Option<f64>> = fields.iter().map(|f| f.parse::<f64>().ok()).collect();
        if numbers.iter().all(Option::is_some) {
            return Shape::Numbers {
                count: fields.len(),
                first_int: fields.first().is_some_and(|f| f.parse::<i64>().is_ok()),
            };
        }
        if fields.len() == 1 {
            return Shape::Word;
        }
        if (4..=5).contains(&fields.len())
            && fields.get(1).is_some_and(|f| f.parse::<i64>().is_ok())
            && numbers.iter().skip(1).all(Option::is_some)
        {
            let u = numbers.get(2).copied().flatten().unwrap_or(f64::NAN);
            let v = numbers.get(3).copied().flatten().unwrap_or(f64::NAN);
            return Shape::NameRow {
                fields: fields.len(),
                u,
                v,
            };
        }
        Shape::Other
    }

    fn is_int(self) -> bool {
        matches!(
            self,
            Shape::Numbers {
                count: 1,
                first_int: true
            }
        )
    }
}

/// 3DE v4: count; then per point name, colour, key count, keys. An empty set is the
/// lone line `0`.
fn equalizer4(shapes: &[Shape], lines: &[&str]) -> Option<Kind> {
    if !shapes.first()?.is_int() {
        return None;
    }
    if lines.len() == 1 && lines.first()?.trim() == "0" {
        return Some(Kind::Tracks(TrackFormat::Equalizer4));
    }
    // name (any one line), colour (integer), key count (integer).
    if !(shapes.get(2)?.is_int() && shapes.get(3)?.is_int()) {
        return None;
    }
    let keys: u64 = lines.get(3)?.trim().parse().ok()?;
    let key_line = matches!(
        shapes.get(4),
        Some(Shape::Numbers {
            count: 3,
            first_int: true
        })
    );
    // A point with keys is followed by a key; one without, by the next name (or nothing).
    (keys == 0 || key_line).then_some(Kind::Tracks(TrackFormat::Equalizer4))
}

/// SynthEyes 2-D paths whose tracker names are numbers: every row `int int u v [int]`
/// with |u|, |v| ≤ 1.5 (a Nuke "Export Ascii" file has no integer columns like these).
fn syntheyes_numeric_names(data: &[&str]) -> bool {
    !data.is_empty()
        && data.iter().all(|line| {
            let f: Vec<&str> = line.split_ascii_whitespace().collect();
            let int = |i: usize| f.get(i).is_some_and(|t| t.parse::<i64>().is_ok());
            let unit = |i: usize| {
                f.get(i)
                    .and_then(|t| t.parse::<f64>().ok())
                    .is_some_and(|v| v.abs() <= 1.5)
            };
            (4..=5).contains(&f.len())
                && int(0)
                && int(1)
                && unit(2)
                && unit(3)
                && (f.len() == 4 || int(4))
        })
}

/// Which PFTrack layout the quoted-name lines follow.
fn pftrack_variant(data: &[&str]) -> TrackFormat {
    let second = data.get(1).map(|l| l.trim());
    let third = data.get(2).map(|l| l.trim());
    match (second, third) {
        (Some(s), _) if s.starts_with('"') => {
            // `"name"` then `"camera"` (PFTrack 5); a 0-key PFTrack 4 tracker followed
            // by the next name would need a count line between them, so this is 5.
            TrackFormat::Pftrack5
        }
        (Some(s), Some(t))
            if s.parse::<u64>().is_ok()
                && t.parse::<u64>().is_ok()
                && data.get(3).is_none_or(|l| {
                    l.split_ascii_whitespace().count() >= 4 || l.trim().starts_with('"')
                }) =>
        {
            TrackFormat::Pfmatchit
        }
        _ => TrackFormat::Pftrack4,
    }
}

/// What a file of number columns is, for a message.
fn describe_numbers(shapes: &[Shape]) -> String {
    let counts: Vec<(usize, bool)> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Numbers { count, first_int } => Some((*count, *first_int)),
            _ => None,
        })
        .collect();
    if counts.len() < shapes.len() || counts.is_empty() {
        return "no known 2D track format (3DEqualizer, SynthEyes, PFTrack, PFMatchit, boujou)"
            .into();
    }
    let columns = counts[0].0;
    let same = counts.iter().all(|c| c.0 == columns);
    let framed = counts.iter().all(|c| c.1);
    match (same, columns, framed) {
        (true, 7 | 8, true) => CHAN_CAMERA.into(),
        (true, 2, true) => "a 2-column `frame value` animation curve (a Houdini or Maya \
                            channel export), not 2D tracks"
            .into(),
        (true, _, false) => format!(
            "a Nuke \"Export Ascii\" file ({columns} columns of numbers and no integer \
             frame column), not 2D tracks"
        ),
        _ => format!("a table of {columns} number columns, which no 2D track format writes"),
    }
}

/// As [`detect_track_format`], naming `path` in errors.
pub(crate) fn detect_text(text: &str, path: Option<&Path>) -> Result<TrackFormat, Error> {
    match classify(text) {
        Kind::Tracks(format) => Ok(format),
        Kind::Other(appears) => Err(Error::NotRecognised {
            path: path.map(Path::to_path_buf),
            expected: "a 2D track file",
            appears: format!("it looks like {appears}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        classify(text)
    }

    #[test]
    fn each_layout_is_recognised() {
        assert_eq!(
            kind(
                "// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames\n02\n03\n\t23\t71.7\t481.7\n"
            ),
            Kind::Tracks(TrackFormat::Equalizer3)
        );
        assert_eq!(
            kind("2\n01\n0\n2\n1 10.5 20.5\n2 11.5 21.5\n02\n0\n0\n"),
            Kind::Tracks(TrackFormat::Equalizer4)
        );
        assert_eq!(
            kind("\"Tracker1\"\n\"Primary\"\n2\n1 1.0 2.0 0.0\n2 1.0 2.0 0.0\n"),
            Kind::Tracks(TrackFormat::Pftrack5)
        );
        assert_eq!(
            kind("# h\n\"Feature1\"\n1\n2\n1 1.0 2.0 0.0\n2 1.0 2.0 0.0\n"),
            Kind::Tracks(TrackFormat::Pfmatchit)
        );
        assert_eq!(
            kind("\n\n\"Tracker1\"\n2\n41 984.611 30.220 0.000\n42 981.690 32.188 0.010\n"),
            Kind::Tracks(TrackFormat::Pftrack4)
        );
        assert_eq!(
            kind("Tracker1 1 -0.067728 -0.244922 15\nTracker1 2 -0.065 -0.248 7\n"),
            Kind::Tracks(TrackFormat::Syntheyes)
        );
        assert_eq!(
            kind(
                "# boujou 2d tracks export: text\n# track_id    view      x    y\nT  5  252.046  171.677\n"
            ),
            Kind::Tracks(TrackFormat::Boujou)
        );
        assert_eq!(
            kind("Tracker2\n0 760.632 727.860\n1 754.284 723.877\nTracker3\n0 1.0 2.0\n"),
            Kind::Tracks(TrackFormat::SyntheyesPixels)
        );
    }

    #[test]
    fn lookalikes_are_named() {
        let Kind::Other(chan) = kind("1 0 0 0 0 0 0 40\n2 0 0 0 0 0 0 40\n") else {
            panic!()
        };
        assert!(chan.contains(".chan camera"), "{chan}");
        let Kind::Other(curve) = kind("0 1.5\n1 1.6\n2 1.7\n") else {
            panic!()
        };
        assert!(curve.contains("frame value"), "{curve}");
        let Kind::Other(ascii) =
            kind("-1.05 -0.74 0.20 -102.4 4.2 -0.2\n-1.06 -0.75 0.21 -102.5 4.3 -0.3\n")
        else {
            panic!()
        };
        assert!(ascii.contains("Export Ascii"), "{ascii}");
        assert!(matches!(kind(""), Kind::Other(_)));
        assert!(matches!(kind("{\"camera\": {}}"), Kind::Other(_)));
    }
}
