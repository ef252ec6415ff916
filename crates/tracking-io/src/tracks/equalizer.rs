//! 3DEqualizer 4 point export and 3DEqualizer 3 "Multiple Tracking Curves Export".
//!
//! **3DE4** (`File ▸ Export ▸ Export 2D Tracks`, the `.txt` point export):
//!
//! ```text
//! 8                                          ← number of points
//! 01                                         ← point name (the whole line; may hold spaces)
//! 0                                          ← colour index (0 = red)
//! 61                                         ← number of keys
//! 40 407.384758225105315 232.449011732690479 ← frame x y, 15 decimals
//! …
//! ```
//!
//! Pixels from the image's bottom-left corner, frames from 1 (the
//! [`CONVENTIONS`](super::convention::CONVENTIONS) row says where that comes from).
//! Real files may lack the final newline; blank lines between points are skipped. A
//! declared count that disagrees with what follows is [`TrackIssue::KeyCount`] /
//! [`TrackIssue::TrackCount`].
//!
//! The colour line is read (it must be an integer) but not kept: 3DE's colour indices
//! are not documented anywhere we could check beyond `0` = red, so
//! [`TrackData::color`](tracking_types::TrackData::color) keeps its default (red) and
//! the writer writes `0`, as tracksperanto's 3DE-verified exporter does.
//!
//! **3DE v3**: a `// 3DE Multiple Tracking Curves Export W x H * N frames` header (the
//! image size comes from it), then each point's name on a line of its own, followed by
//! its keys as TAB-led `\tframe\tx\ty` lines; a name with no key lines is a point with
//! no keys.

use std::io::Write;

use super::text::{
    self, Line, MAX_LINE_BYTES, parse_count, parse_frame, parse_number, shorten, write_fixed,
};
use super::{Cx, ImageSize, OutTrack, ParsedFile, RawTrack, TrackFormat, TrackIssue};
use crate::error::{Error, Position};

/// Decimals 3DE4 writes (`%.15f`).
const V4_DECIMALS: u32 = 15;
/// Decimals written in v3 files (3DE v3 itself wrote `%g`, 6 significant digits; six
/// decimals lose nothing 3DE keeps).
const V3_DECIMALS: u32 = 6;
/// Bytes buffered before a write to the output.
const CHUNK: usize = 1 << 16;

/// What a v4 reader expects on the next non-blank line.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A point name.
    Name,
    /// The colour index.
    Colour,
    /// The key count.
    KeyCount,
    /// Keys; `declared` is `None` when the count line was broken (lenient mode).
    Keys { declared: Option<u64>, found: u64 },
}

/// Reads a 3DE v4 point export.
pub(crate) fn parse_v4(text: &str, cx: &mut Cx) -> Result<ParsedFile, Error> {
    let mut lines = text::lines(text).filter(|line| !line.is_blank());
    let Some(count_line) = lines.next() else {
        return Err(cx.error(
            start_position(cx),
            TrackIssue::UnexpectedEnd {
                expected: "the number of points",
            },
        ));
    };
    let declared = single_field(&count_line)
        .ok_or_else(|| TrackIssue::Unexpected {
            expected: "the number of points",
            found: shorten(count_line.text),
        })
        .and_then(|field| parse_count("point count", field))
        .map_err(|issue| cx.error(cx.at(&count_line, 1), issue))?;

    let capacity = usize::try_from(declared.min(1 << 16)).unwrap_or(0);
    let mut tracks: Vec<RawTrack> = Vec::with_capacity(capacity);
    let mut expect = Expect::Name;
    let mut last = count_line;
    for line in lines {
        last = line;
        if line.text.len() > MAX_LINE_BYTES {
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::LineTooLong {
                    limit: MAX_LINE_BYTES,
                },
            )?;
            continue;
        }
        expect = match expect {
            Expect::Name => start_track(&mut tracks, &line),
            Expect::Colour => {
                read_colour(&line, cx)?;
                Expect::KeyCount
            }
            Expect::KeyCount => read_key_count(&line, &mut tracks, cx)?,
            Expect::Keys { declared, found } => {
                read_v4_key(&line, declared, found, &mut tracks, cx)?
            }
        };
    }
    let end = end_position(cx, &last);
    match expect {
        Expect::Name => {}
        Expect::Colour => cx.issue(
            end.clone(),
            TrackIssue::UnexpectedEnd {
                expected: "the point's colour line",
            },
        )?,
        Expect::KeyCount => cx.issue(
            end.clone(),
            TrackIssue::UnexpectedEnd {
                expected: "the point's key count",
            },
        )?,
        Expect::Keys { declared, found } => {
            if let Some(declared) = declared {
                let track = tracks.last().map(|t| t.name.clone()).unwrap_or_default();
                cx.issue(
                    end.clone(),
                    TrackIssue::KeyCount {
                        track,
                        declared,
                        found,
                    },
                )?;
            }
        }
    }
    let found = tracks.len() as u64;
    if found != declared {
        let position = usize::try_from(declared)
            .ok()
            .and_then(|index| tracks.get(index))
            .map_or_else(
                || end.clone(),
                |extra| Position {
                    line: extra.line,
                    column: 1,
                    byte: extra.byte,
                    ..end.clone()
                },
            );
        cx.issue(position, TrackIssue::TrackCount { declared, found })?;
    }
    Ok(ParsedFile { tracks, size: None })
}

/// The only field of `line`, when it has exactly one.
fn single_field<'a>(line: &Line<'a>) -> Option<&'a str> {
    let mut fields = line.fields();
    let first = fields.next()?;
    fields.next().is_none().then_some(first)
}

/// A name line: a new track.
fn start_track(tracks: &mut Vec<RawTrack>, line: &Line<'_>) -> Expect {
    tracks.push(RawTrack {
        name: line
            .text
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .to_owned(),
        line: line.number,
        byte: line.byte,
        camera: None,
        keys: Vec::new(),
    });
    Expect::Colour
}

/// The colour line: an integer (read, not kept).
fn read_colour(line: &Line<'_>, cx: &mut Cx) -> Result<(), Error> {
    let ok = single_field(line).is_some_and(|field| field.parse::<i64>().is_ok());
    if !ok {
        cx.issue(
            cx.at(line, 1),
            TrackIssue::NotANumber {
                field: "colour",
                text: shorten(line.text),
            },
        )?;
    }
    Ok(())
}

/// The key-count line.
fn read_key_count(line: &Line<'_>, tracks: &mut [RawTrack], cx: &mut Cx) -> Result<Expect, Error> {
    let count = single_field(line)
        .ok_or_else(|| TrackIssue::Unexpected {
            expected: "the point's key count",
            found: shorten(line.text),
        })
        .and_then(|field| parse_count("key count", field));
    match count {
        Ok(0) => Ok(Expect::Name),
        Ok(declared) => {
            if let Some(track) = tracks.last_mut() {
                track
                    .keys
                    .reserve(usize::try_from(declared.min(1 << 20)).unwrap_or(0));
            }
            Ok(Expect::Keys {
                declared: Some(declared),
                found: 0,
            })
        }
        Err(issue) => {
            cx.issue(cx.at(line, 1), issue)?;
            // Lenient: keys are whatever key-shaped lines follow.
            Ok(Expect::Keys {
                declared: None,
                found: 0,
            })
        }
    }
}

/// A line where a key is expected.
fn read_v4_key(
    line: &Line<'_>,
    declared: Option<u64>,
    found: u64,
    tracks: &mut Vec<RawTrack>,
    cx: &mut Cx,
) -> Result<Expect, Error> {
    let mut fields = line.fields();
    let parts = (fields.next(), fields.next(), fields.next(), fields.next());
    let next = |found: u64| {
        if declared == Some(found) {
            Expect::Name
        } else {
            Expect::Keys { declared, found }
        }
    };
    match parts {
        (Some(frame), Some(x), Some(y), None) => {
            if declared.is_none() && parse_frame(frame).is_err() {
                // No count to go by: a line that is not a key starts the next point.
                return Ok(start_track(tracks, line));
            }
            if let Some(key) = cx.key(line, frame, [x, y], ["x", "y"], parse_number)?
                && let Some(track) = tracks.last_mut()
            {
                track.keys.push(key);
            }
            Ok(next(found + 1))
        }
        (Some(_), None, _, _) | (_, _, _, _) if declared.is_none() => Ok(start_track(tracks, line)),
        (Some(_), None, _, _) => {
            // A one-field line: the next point's name, come early.
            let track = tracks.last().map(|t| t.name.clone()).unwrap_or_default();
            cx.issue(
                cx.at(line, 1),
                TrackIssue::KeyCount {
                    track,
                    declared: declared.unwrap_or(0),
                    found,
                },
            )?;
            Ok(start_track(tracks, line))
        }
        (_, _, _, Some(extra)) => {
            cx.issue(
                cx.at_part(line, extra),
                TrackIssue::TooManyFields {
                    expected: "frame x y",
                    found: line.fields().count(),
                },
            )?;
            Ok(next(found + 1))
        }
        _ => {
            cx.issue(
                cx.at(line, line.text.len() as u64 + 1),
                TrackIssue::MissingFields {
                    expected: "frame x y",
                    found: line.fields().count(),
                },
            )?;
            Ok(next(found + 1))
        }
    }
}

/// Line 1, column 1.
fn start_position(cx: &Cx) -> Position {
    let line = Line {
        text: "",
        number: 1,
        byte: 0,
    };
    cx.at(&line, 1)
}

/// Just after the end of `last` (where the file ends).
fn end_position(cx: &Cx, last: &Line<'_>) -> Position {
    cx.at(last, last.text.len() as u64 + 1)
}

/// Reads a 3DE v3 export.
pub(crate) fn parse_v3(text: &str, cx: &mut Cx) -> Result<ParsedFile, Error> {
    let mut lines = text::lines(text).filter(|line| !line.is_blank());
    let Some(header) = lines.next() else {
        return Err(cx.error(
            start_position(cx),
            TrackIssue::UnexpectedEnd {
                expected: "a `// 3DE Multiple Tracking Curves Export W x H * N frames` header",
            },
        ));
    };
    let size = parse_v3_header(&header, cx)?;
    let mut tracks: Vec<RawTrack> = Vec::new();
    for line in lines {
        if line.text.len() > MAX_LINE_BYTES {
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::LineTooLong {
                    limit: MAX_LINE_BYTES,
                },
            )?;
            continue;
        }
        let indented = line.text.starts_with([' ', '\t']);
        if !indented {
            start_track(&mut tracks, &line);
            continue;
        }
        let mut fields = line.fields();
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some(frame), Some(x), Some(y), None) => {
                if tracks.is_empty() {
                    cx.issue(
                        cx.at_part(&line, frame),
                        TrackIssue::Unexpected {
                            expected: "a point name before its keys",
                            found: shorten(line.text),
                        },
                    )?;
                    continue;
                }
                if let Some(key) = cx.key(&line, frame, [x, y], ["x", "y"], parse_number)?
                    && let Some(track) = tracks.last_mut()
                {
                    track.keys.push(key);
                }
            }
            (_, _, _, Some(extra)) => cx.issue(
                cx.at_part(&line, extra),
                TrackIssue::TooManyFields {
                    expected: "\\tframe\\tx\\ty",
                    found: line.fields().count(),
                },
            )?,
            _ => cx.issue(
                cx.at(&line, line.text.len() as u64 + 1),
                TrackIssue::MissingFields {
                    expected: "\\tframe\\tx\\ty",
                    found: line.fields().count(),
                },
            )?,
        }
    }
    Ok(ParsedFile {
        tracks,
        size: Some(size),
    })
}

/// `// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames` → 2048×778.
fn parse_v3_header(line: &Line<'_>, cx: &Cx) -> Result<ImageSize, Error> {
    let bad = || {
        cx.error(
            cx.at(line, 1),
            TrackIssue::Unexpected {
                expected: "a `// 3DE Multiple Tracking Curves Export W x H * N frames` header",
                found: shorten(line.text),
            },
        )
    };
    if !line.text.starts_with("//") {
        return Err(bad());
    }
    let fields: Vec<&str> = line.fields().collect();
    let at = fields
        .windows(3)
        .position(|w| w.get(1) == Some(&"x"))
        .ok_or_else(bad)?;
    let (Some(w), Some(h)) = (fields.get(at), fields.get(at + 2)) else {
        return Err(bad());
    };
    let (Ok(width), Ok(height)) = (w.parse::<u32>(), h.parse::<u32>()) else {
        return Err(bad());
    };
    ImageSize::new(width, height).map_err(|_| {
        cx.error(
            cx.at_part(line, w),
            TrackIssue::Header(format!(
                "the header's image size {width} x {height} is not a usable size (both \
                 sides must be at least 2 pixels)"
            )),
        )
    })
}

/// A name 3DE's one-name-per-line formats can hold: not empty, no line break, no
/// leading or trailing whitespace (the reader trims it); v3 names also must not start
/// with whitespace (that marks a key line) or `//`.
fn check_name(name: &str, format: TrackFormat) -> Result<(), Error> {
    let reason = if name.is_empty() {
        Some("the name is empty")
    } else if name.contains(['\n', '\r']) {
        Some("names are one line each; the name holds a line break")
    } else if name.trim_matches(|c: char| c.is_ascii_whitespace()) != name {
        Some("the name starts or ends with whitespace, which the name line cannot keep")
    } else if format == TrackFormat::Equalizer3 && name.starts_with("//") {
        Some("a v3 name line starting with // reads as the header")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::TrackName {
            format,
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Writes a 3DE v4 point export (LF line ends, final newline, 15 decimals, colour 0).
pub(crate) fn write_v4(out: &mut impl Write, tracks: &[OutTrack<'_>]) -> Result<(), Error> {
    for track in tracks {
        check_name(track.name, TrackFormat::Equalizer4)?;
    }
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 256);
    let mut ints = itoa::Buffer::new();
    buf.extend_from_slice(ints.format(tracks.len()).as_bytes());
    buf.push(b'\n');
    for track in tracks {
        buf.extend_from_slice(track.name.as_bytes());
        buf.extend_from_slice(b"\n0\n");
        buf.extend_from_slice(ints.format(track.keys.len()).as_bytes());
        buf.push(b'\n');
        for &(frame, x, y) in &track.keys {
            buf.extend_from_slice(ints.format(frame).as_bytes());
            buf.push(b' ');
            write_fixed(&mut buf, x, V4_DECIMALS);
            buf.push(b' ');
            write_fixed(&mut buf, y, V4_DECIMALS);
            buf.push(b'\n');
            if buf.len() >= CHUNK {
                flush(out, &mut buf)?;
            }
        }
    }
    flush(out, &mut buf)
}

/// Writes a 3DE v3 export: the header with `size` and the highest frame written, names,
/// TAB-led keys, a closing empty line (as 3DE v3 and tracksperanto write it).
pub(crate) fn write_v3(
    out: &mut impl Write,
    tracks: &[OutTrack<'_>],
    size: ImageSize,
) -> Result<(), Error> {
    for track in tracks {
        check_name(track.name, TrackFormat::Equalizer3)?;
    }
    let frames = tracks
        .iter()
        .flat_map(|t| t.keys.iter().map(|k| k.0))
        .max()
        .unwrap_or(0)
        .max(0);
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 256);
    let mut ints = itoa::Buffer::new();
    buf.extend_from_slice(
        format!(
            "// 3DE Multiple Tracking Curves Export {} x {} * {frames} frames\n",
            size.width, size.height
        )
        .as_bytes(),
    );
    for track in tracks {
        buf.extend_from_slice(track.name.as_bytes());
        buf.push(b'\n');
        for &(frame, x, y) in &track.keys {
            buf.push(b'\t');
            buf.extend_from_slice(ints.format(frame).as_bytes());
            buf.push(b'\t');
            write_fixed(&mut buf, x, V3_DECIMALS);
            buf.push(b'\t');
            write_fixed(&mut buf, y, V3_DECIMALS);
            buf.push(b'\n');
            if buf.len() >= CHUNK {
                flush(out, &mut buf)?;
            }
        }
    }
    buf.push(b'\n');
    flush(out, &mut buf)
}

/// Writes `buf` to `out` and empties it.
pub(super) fn flush(out: &mut impl Write, buf: &mut Vec<u8>) -> Result<(), Error> {
    out.write_all(buf).map_err(|e| Error::write(None, e))?;
    buf.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chan::ReadMode;

    fn cx(format: TrackFormat, mode: ReadMode) -> Cx {
        Cx::new(None, mode, format)
    }

    fn fixed(x: f64, decimals: u32) -> String {
        let mut buf = Vec::new();
        write_fixed(&mut buf, x, decimals);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn fixed_formatting_matches_the_standard_formatter() {
        for x in [
            0.0,
            -0.0,
            1.0,
            0.5,
            1.5,
            2.5,
            0.125,
            "407.384758225105315".parse().unwrap(),
            -1e-20,
            1e-320,
            123456789012.25,
            1e22,
            f64::MAX,
            874.8,
            5e-324,
        ] {
            for d in [0, 1, 3, 6, 15] {
                assert_eq!(fixed(x, d), format!("{x:.d$}", d = d as usize), "{x} {d}");
            }
        }
    }

    #[test]
    fn a_v4_file_without_a_final_newline_reads() {
        let text = "1\nA point\n0\n2\n1 1.5 2.5\n3 4 5";
        let parsed = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap();
        let track = &parsed.tracks[0];
        assert_eq!(track.name, "A point");
        assert_eq!(track.keys.len(), 2);
        assert_eq!(
            (track.keys[1].frame, track.keys[1].x, track.keys[1].y),
            (3, 4.0, 5.0)
        );
    }

    #[test]
    fn blank_lines_between_v4_points_are_skipped() {
        let text = "2\n\na\n0\n1\n1 1 1\n\n\nb\n0\n0\n";
        let parsed = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap();
        assert_eq!(parsed.tracks.len(), 2);
        assert_eq!(parsed.tracks[1].name, "b");
        assert!(parsed.tracks[1].keys.is_empty());
    }

    #[test]
    fn too_few_v4_keys_is_a_key_count_error_at_the_early_name() {
        let text = "2\na\n0\n3\n1 1 1\n2 2 2\nb\n0\n0\n";
        let err = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap_err();
        match err {
            Error::Tracks {
                position,
                issue:
                    TrackIssue::KeyCount {
                        track,
                        declared,
                        found,
                    },
                ..
            } => {
                assert_eq!((position.line, position.column), (7, 1));
                assert_eq!((track.as_str(), declared, found), ("a", 3, 2));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lenient_v4_recovers_at_the_early_name() {
        let text = "2\na\n0\n3\n1 1 1\n2 2 2\nb\n0\n1\n5 5 5\n";
        let mut c = cx(TrackFormat::Equalizer4, ReadMode::Lenient);
        let parsed = parse_v4(text, &mut c).unwrap();
        assert_eq!(parsed.tracks.len(), 2);
        assert_eq!(parsed.tracks[1].keys.len(), 1);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn a_wrong_v4_point_count_is_a_track_count_error() {
        let text = "3\na\n0\n1\n1 1 1\n";
        let err = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap_err();
        assert!(matches!(
            err,
            Error::Tracks {
                issue: TrackIssue::TrackCount {
                    declared: 3,
                    found: 1
                },
                ..
            }
        ));
        let text = "1\na\n0\n0\nb\n0\n0\n";
        let err = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap_err();
        match err {
            Error::Tracks {
                position, issue, ..
            } => {
                assert_eq!(position.line, 5);
                assert_eq!(
                    issue,
                    TrackIssue::TrackCount {
                        declared: 1,
                        found: 2
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_v4_file_ending_inside_keys_is_a_key_count_error() {
        let text = "1\na\n0\n5\n1 1 1\n";
        let err = parse_v4(text, &mut cx(TrackFormat::Equalizer4, ReadMode::Strict)).unwrap_err();
        assert!(matches!(
            err,
            Error::Tracks {
                issue: TrackIssue::KeyCount {
                    declared: 5,
                    found: 1,
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn the_v3_header_gives_the_size_and_names_without_keys_are_tracks() {
        let text = "// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames\n02\n03\n\t23\t71.7889\t481.708\n";
        let parsed = parse_v3(text, &mut cx(TrackFormat::Equalizer3, ReadMode::Strict)).unwrap();
        assert_eq!(
            parsed.size,
            Some(ImageSize {
                width: 2048,
                height: 778
            })
        );
        assert_eq!(parsed.tracks.len(), 2);
        assert!(parsed.tracks[0].keys.is_empty());
        assert_eq!(parsed.tracks[1].keys[0].frame, 23);
    }

    #[test]
    fn a_v3_file_without_its_header_is_refused() {
        let err = parse_v3(
            "02\n\t1\t2\t3\n",
            &mut cx(TrackFormat::Equalizer3, ReadMode::Lenient),
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
    fn names_the_formats_cannot_hold_are_refused() {
        for name in ["", "a\nb", " lead", "trail "] {
            let track = OutTrack {
                name,
                camera: None,
                keys: vec![],
            };
            let err = write_v4(&mut Vec::new(), &[track]).unwrap_err();
            assert!(matches!(err, Error::TrackName { .. }), "{name:?}");
        }
        let track = OutTrack {
            name: "//x",
            camera: None,
            keys: vec![],
        };
        let size = ImageSize {
            width: 4,
            height: 4,
        };
        assert!(write_v3(&mut Vec::new(), &[track], size).is_err());
    }

    #[test]
    fn v4_output_has_the_3de_layout() {
        let track = OutTrack {
            name: "Parabolic 1",
            camera: None,
            keys: vec![(1, 0.0, 1080.0), (2, 96.0, 874.8)],
        };
        let mut out = Vec::new();
        write_v4(&mut out, &[track]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1\nParabolic 1\n0\n2\n1 0.000000000000000 1080.000000000000000\n\
             2 96.000000000000000 874.799999999999955\n"
        );
    }
}
