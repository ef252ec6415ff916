//! SynthEyes "Tracker 2-D paths" (`File/Export/Plain Trackers/Tracker 2-D Paths`) and
//! "All Tracker Paths".
//!
//! **Tracker 2-D paths**: one line per tracked frame, `name frame u v [outcome]`, the
//! lines of one tracker together. u and v run from −1 to +1, left to right and top to
//! bottom (SynthEyes manual, "Exporting"); the conversion to pixels is in
//! [`convention`](super::convention). Names are one token (SynthEyes' own export
//! writes `Tracker1`; converters may put two spaces after the name, which splitting on
//! whitespace absorbs). The optional fifth column is SynthEyes' *outcome code*, a bit
//! set: 1 = run, 2 = enabled, 4 = OK (a usable u/v on this frame), 8 = key (a
//! key frame; OK is on too), 16 = jumped, 32 = out of sight. Real files hold 7
//! (run | enabled | OK: a tracked frame), 15 (… | key: the first frame, or the first
//! after a gap), 23 and 30. It is read (it must be an integer) and dropped:
//! [`TrackData`](tracking_types::TrackData) has no per-key status. The writer writes
//! 15 on a track's first frame and on the first frame after a gap, 7 elsewhere, as
//! tracksperanto's app-verified exporter does (a frame after a gap that is not marked
//! re-enabled can upset SynthEyes' solver). Lines end in CRLF, as the Windows
//! application writes them; six decimals, as SynthEyes writes.
//!
//! **All Tracker Paths**: for each tracker a line with its name (one token), then
//! `frame x y` lines in pixels (three decimals in the real file). No blank lines, no
//! header.
//!
//! **Telling them apart** (for detection): a 2-D paths line has 4 or 5 fields and its
//! first field is a name; an All Tracker Paths file has 1-field name lines and
//! 3-field all-numeric key lines, never a 4- or 5-field line.

use std::io::Write;

use super::error::TrackIssue;
use super::text::{self, Line, parse_count, parse_number, write_fixed};
use super::{Cx, OutTrack, ParsedFile, RawKey, RawTrack, TrackFormat};
use crate::error::Error;

/// The outcome code for a tracked frame (run | enabled | OK).
pub(crate) const OUTCOME_TRACKED: u32 = 7;
/// The outcome code for a track's first frame and the first frame after a gap
/// (run | enabled | OK | key).
pub(crate) const OUTCOME_REENABLED: u32 = 15;

/// Reads SynthEyes 2-D paths.
pub(crate) fn parse_paths(text: &str, cx: &mut Cx) -> Result<ParsedFile, Error> {
    let mut tracks: Vec<RawTrack> = Vec::new();
    for line in text::lines(text) {
        if line.is_blank() {
            continue;
        }
        let mut fields = line.fields();
        let (Some(name), Some(frame), Some(u), Some(v)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            let found = line.fields().count();
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::MissingFields {
                    expected: "name frame u v [outcome]",
                    found,
                },
            )?;
            continue;
        };
        let outcome = fields.next();
        if fields.next().is_some() {
            let found = line.fields().count();
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::TooManyFields {
                    expected: "name frame u v [outcome]",
                    found,
                },
            )?;
            continue;
        }
        let Some(key) = paths_key(cx, &line, frame, u, v, outcome)? else {
            continue;
        };
        match tracks.last_mut() {
            Some(track) if track.name == name => track.keys.push(key),
            _ => tracks.push(RawTrack {
                name: name.to_owned(),
                line: line.number,
                byte: line.byte,
                camera: None,
                keys: vec![key],
            }),
        }
    }
    Ok(ParsedFile { tracks, size: None })
}

/// One 2-D paths key, or `None` when lenient mode skipped it.
fn paths_key(
    cx: &mut Cx,
    line: &Line<'_>,
    frame: &str,
    u: &str,
    v: &str,
    outcome: Option<&str>,
) -> Result<Option<RawKey>, Error> {
    let Some(key) = cx.key(line, frame, [u, v], ["u", "v"], parse_unit)? else {
        return Ok(None);
    };
    if let Some(outcome) = outcome
        && !cx.field_ok(line, outcome, parse_count("outcome", outcome))?
    {
        return Ok(None);
    }
    Ok(Some(key))
}

/// The largest |u| or |v| read: 1e12 image widths off the image; beyond it the pixel
/// conversion could overflow.
const MAX_UNIT: f64 = 1e12;

/// A u or v field: finite and within ±[`MAX_UNIT`].
fn parse_unit(field: &'static str, text: &str) -> Result<f64, TrackIssue> {
    let value = parse_number(field, text)?;
    if value.abs() > MAX_UNIT {
        return Err(TrackIssue::CoordinateOutOfRange {
            field,
            text: text.to_owned(),
        });
    }
    Ok(value)
}

/// Reads SynthEyes All Tracker Paths.
pub(crate) fn parse_pixels(text: &str, cx: &mut Cx) -> Result<ParsedFile, Error> {
    let mut tracks: Vec<RawTrack> = Vec::new();
    for line in text::lines(text) {
        if line.is_blank() {
            continue;
        }
        let mut fields = line.fields();
        let first = fields.next().unwrap_or("");
        let second = fields.next();
        let Some(x) = second else {
            // A one-field line: a tracker's name.
            tracks.push(RawTrack {
                name: first.to_owned(),
                line: line.number,
                byte: line.byte,
                camera: None,
                keys: Vec::new(),
            });
            continue;
        };
        let y = fields.next();
        let rest = fields.count();
        let (Some(y), 0) = (y, rest) else {
            let found = line.fields().count();
            let issue = if found < 3 {
                TrackIssue::MissingFields {
                    expected: "a tracker name line, or frame x y",
                    found,
                }
            } else {
                TrackIssue::TooManyFields {
                    expected: "a tracker name line, or frame x y",
                    found,
                }
            };
            cx.issue(cx.at(&line, 1), issue)?;
            continue;
        };
        let Some(key) = cx.key(&line, first, [x, y], ["x", "y"], parse_number)? else {
            continue;
        };
        let Some(track) = tracks.last_mut() else {
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::Unexpected {
                    expected: "a tracker name line before the first key",
                    found: text::shorten(line.text),
                },
            )?;
            continue;
        };
        track.keys.push(key);
    }
    Ok(ParsedFile { tracks, size: None })
}

/// Refuses names a whitespace-separated SynthEyes file cannot hold.
fn check_name(format: TrackFormat, name: &str) -> Result<(), Error> {
    let reason = if name.is_empty() {
        "SynthEyes files need a non-empty tracker name"
    } else if name.chars().any(char::is_whitespace) {
        "SynthEyes files separate fields by whitespace, so a tracker name cannot hold \
         spaces, tabs or line breaks"
    } else if name.chars().any(char::is_control) {
        "a tracker name cannot hold control characters"
    } else {
        return Ok(());
    };
    Err(Error::TrackName {
        format,
        name: name.to_owned(),
        reason,
    })
}

/// Writes SynthEyes 2-D paths.
pub(crate) fn write_paths(out: &mut impl Write, tracks: &[OutTrack<'_>]) -> Result<(), Error> {
    for track in tracks {
        check_name(TrackFormat::Syntheyes, track.name)?;
    }
    let io = |e| Error::write(None, e);
    let mut frame_text = itoa::Buffer::new();
    let mut line = Vec::with_capacity(96);
    for track in tracks {
        let mut previous: Option<i64> = None;
        for &(frame, u, v) in &track.keys {
            let outcome = match previous {
                Some(p) if p.checked_add(1) == Some(frame) => OUTCOME_TRACKED,
                _ => OUTCOME_REENABLED,
            };
            previous = Some(frame);
            line.clear();
            line.extend_from_slice(track.name.as_bytes());
            line.push(b' ');
            line.extend_from_slice(frame_text.format(frame).as_bytes());
            line.push(b' ');
            write_fixed(&mut line, u, 6);
            line.push(b' ');
            write_fixed(&mut line, v, 6);
            line.push(b' ');
            line.extend_from_slice(frame_text.format(outcome).as_bytes());
            line.extend_from_slice(b"\r\n");
            out.write_all(&line).map_err(io)?;
        }
    }
    Ok(())
}

/// Writes SynthEyes All Tracker Paths.
pub(crate) fn write_pixels(out: &mut impl Write, tracks: &[OutTrack<'_>]) -> Result<(), Error> {
    for track in tracks {
        check_name(TrackFormat::SyntheyesPixels, track.name)?;
    }
    let io = |e| Error::write(None, e);
    let mut frame_text = itoa::Buffer::new();
    let mut line = Vec::with_capacity(64);
    for track in tracks {
        out.write_all(track.name.as_bytes()).map_err(io)?;
        out.write_all(b"\r\n").map_err(io)?;
        for &(frame, x, y) in &track.keys {
            line.clear();
            line.extend_from_slice(frame_text.format(frame).as_bytes());
            line.push(b' ');
            write_fixed(&mut line, x, 3);
            line.push(b' ');
            write_fixed(&mut line, y, 3);
            line.extend_from_slice(b"\r\n");
            out.write_all(&line).map_err(io)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::chan::ReadMode;

    fn cx(format: TrackFormat, mode: ReadMode) -> Cx {
        Cx::new(None, mode, format)
    }

    #[test]
    fn paths_lines_group_by_consecutive_name_and_crlf_is_handled() {
        let text = "Tracker1  0 -0.5 0.25 15\r\nTracker1  1 -0.4 0.2 7\r\ntracker2 3 0 0\r\n";
        let parsed = parse_paths(text, &mut cx(TrackFormat::Syntheyes, ReadMode::Strict)).unwrap();
        assert_eq!(parsed.tracks.len(), 2);
        assert_eq!(parsed.tracks[0].name, "Tracker1");
        assert_eq!(parsed.tracks[0].keys.len(), 2);
        assert_eq!(parsed.tracks[0].keys[1].frame, 1);
        assert!((parsed.tracks[0].keys[1].x + 0.4).abs() < 1e-12);
        assert_eq!(parsed.tracks[1].name, "tracker2");
        assert_eq!(parsed.tracks[1].line, 3);
    }

    #[test]
    fn a_bad_outcome_is_an_error_at_its_column() {
        let text = "T 0 0.1 0.2 x\n";
        let err = parse_paths(text, &mut cx(TrackFormat::Syntheyes, ReadMode::Strict)).unwrap_err();
        match err {
            Error::Tracks {
                position, issue, ..
            } => {
                assert_eq!((position.line, position.column), (1, 13));
                assert!(matches!(
                    issue,
                    TrackIssue::NotANumber {
                        field: "outcome",
                        ..
                    }
                ));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lenient_paths_skip_short_lines() {
        let text = "T 0 0.1\nT 1 0.1 0.2\n";
        let mut c = cx(TrackFormat::Syntheyes, ReadMode::Lenient);
        let parsed = parse_paths(text, &mut c).unwrap();
        assert_eq!(parsed.tracks[0].keys.len(), 1);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn pixels_need_a_name_before_keys() {
        let text = "0 1.0 2.0\n";
        let err = parse_pixels(
            text,
            &mut cx(TrackFormat::SyntheyesPixels, ReadMode::Strict),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::Tracks {
                issue: TrackIssue::Unexpected { .. },
                ..
            }
        ));
    }

    #[test]
    fn the_outcome_marks_first_frames_and_gaps() {
        let track = OutTrack {
            name: "A",
            camera: None,
            keys: vec![(0, 0.0, 0.0), (1, 0.0, 0.0), (3, 0.0, 0.0)],
        };
        let mut out = Vec::new();
        write_paths(&mut out, &[track]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let outcomes: Vec<&str> = text
            .lines()
            .map(|l| l.split_ascii_whitespace().last().unwrap())
            .collect();
        assert_eq!(outcomes, ["15", "7", "15"]);
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn names_with_spaces_are_refused() {
        let track = OutTrack {
            name: "a b",
            camera: None,
            keys: vec![],
        };
        let err = write_pixels(&mut Vec::new(), &[track]).unwrap_err();
        assert!(matches!(err, Error::TrackName { .. }));
    }
}
