//! boujou 2D feature tracks text (`Export Feature Tracks`, boujou 4).
//!
//! ```text
//! # boujou 2d tracks export: text
//! # boujou version: 4.1.0 28444
//! # Creation date : Thu Nov 26 01:20:19 2009
//! #
//! # track_id    view      x    y
//! Target_track_1  5  252.046  171.677
//! ```
//!
//! `#` lines are comments; the `# track_id view x y` line names the columns (read in
//! the order it gives them). One row per key: consecutive rows with the same
//! `track_id` are one track. A `track_id` that comes back after other tracks starts a
//! new track of the same name, which the shared name check refuses in strict mode (and
//! renames in lenient mode): boujou's own file in `../shared/fixtures/wild/boujou_txt/`
//! has such a second `Target_track_1` (one key, at view 1, 760 px from the first
//! track's), so merging the two would invent a jump.
//!
//! Pixels from the image's top-left corner, y down, views numbered from 1; the
//! [`CONVENTIONS`](super::convention::CONVENTIONS) row gives the evidence.
//!
//! The writer writes what boujou 4.1 writes: the five header lines (the creation date is
//! fixed, `Thu Jan 01 00:00:00 1970`, so output is deterministic), two spaces between
//! fields, three decimals (as the boujou-checked tracksperanto exporter), CRLF line
//! ends. A track with no keys has no rows, so it is not in the file.

use std::collections::HashSet;
use std::io::Write;

use super::equalizer::flush;
use super::text::write_fixed;
use super::text::{self, Line, MAX_LINE_BYTES, parse_number, shorten};
use super::{Cx, OutTrack, ParsedFile, RawTrack, TrackFormat, TrackIssue};
use crate::error::Error;

/// What a data row holds, for messages.
const ROW: &str = "track_id view x y";
/// Bytes buffered before a write to the output.
const CHUNK: usize = 1 << 16;
/// Decimals written.
const DECIMALS: u32 = 3;
/// The header boujou 4.1 writes, with a fixed date.
const HEADER: &str = "# boujou 2d tracks export: text\r\n\
                      # boujou version: 4.1.0 28444 \r\n\
                      # Creation date : Thu Jan 01 00:00:00 1970\r\n\
                      # \r\n\
                      # track_id    view      x    y\r\n";

/// Where each column is.
#[derive(Debug, Clone, Copy)]
struct Columns {
    track_id: usize,
    view: usize,
    x: usize,
    y: usize,
    count: usize,
}

/// Reads a boujou export.
pub(crate) fn parse(text: &str, cx: &mut Cx) -> Result<ParsedFile, Error> {
    let mut columns: Option<Columns> = None;
    let mut tracks: Vec<RawTrack> = Vec::new();
    for line in text::lines(text) {
        if line.text.len() > MAX_LINE_BYTES {
            cx.issue(
                cx.at(&line, 1),
                TrackIssue::LineTooLong {
                    limit: MAX_LINE_BYTES,
                },
            )?;
            continue;
        }
        if let Some(comment) = line.text.strip_prefix('#') {
            let comment = comment.trim_start_matches(|c: char| c.is_ascii_whitespace());
            if comment
                .split_ascii_whitespace()
                .any(|name| name == "track_id")
            {
                columns = Some(read_columns(&line, comment, cx)?);
            }
            continue;
        }
        if line.is_blank() {
            continue;
        }
        let Some(columns) = columns else {
            return Err(cx.error(
                cx.at(&line, 1),
                TrackIssue::Unexpected {
                    expected: "the `# track_id view x y` column line before the data",
                    found: shorten(line.text),
                },
            ));
        };
        read_row(&line, columns, &mut tracks, cx)?;
    }
    if columns.is_none() {
        let line = Line {
            text: "",
            number: 1,
            byte: 0,
        };
        return Err(cx.error(
            cx.at(&line, 1),
            TrackIssue::Header("no `# track_id view x y` column line".into()),
        ));
    }
    Ok(ParsedFile { tracks, size: None })
}

/// The column line (`comment` is its text after `#`).
fn read_columns(line: &Line<'_>, comment: &str, cx: &Cx) -> Result<Columns, Error> {
    let names: Vec<&str> = comment.split_ascii_whitespace().collect();
    let find = |name: &str| names.iter().position(|n| *n == name);
    match (find("track_id"), find("view"), find("x"), find("y")) {
        (Some(track_id), Some(view), Some(x), Some(y)) => Ok(Columns {
            track_id,
            view,
            x,
            y,
            count: names.len(),
        }),
        _ => Err(cx.error(
            cx.at_part(line, comment),
            TrackIssue::Header(format!(
                "the column line {:?} does not name all of track_id, view, x and y",
                shorten(line.text)
            )),
        )),
    }
}

/// One data row.
fn read_row(
    line: &Line<'_>,
    columns: Columns,
    tracks: &mut Vec<RawTrack>,
    cx: &mut Cx,
) -> Result<(), Error> {
    let (mut name, mut view, mut x, mut y) = ("", "", "", "");
    let mut found = 0usize;
    for (index, field) in line.fields().enumerate() {
        if index == columns.track_id {
            name = field;
        } else if index == columns.view {
            view = field;
        } else if index == columns.x {
            x = field;
        } else if index == columns.y {
            y = field;
        } else if index >= columns.count {
            return cx.issue(
                cx.at_part(line, field),
                TrackIssue::TooManyFields {
                    expected: ROW,
                    found: line.fields().count(),
                },
            );
        }
        found = index + 1;
    }
    if found < columns.count {
        return cx.issue(
            cx.at(line, line.text.len() as u64 + 1),
            TrackIssue::MissingFields {
                expected: ROW,
                found,
            },
        );
    }
    let Some(key) = cx.key(line, view, [x, y], ["x", "y"], parse_number)? else {
        return Ok(());
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
    Ok(())
}

/// A name a boujou row can hold: one whitespace-free field, not a comment, told apart
/// from every other track's.
fn check_names(tracks: &[OutTrack<'_>]) -> Result<(), Error> {
    let mut seen = HashSet::with_capacity(tracks.len());
    for track in tracks {
        let name = track.name;
        let reason = if name.is_empty() {
            Some("the name is empty")
        } else if name
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            Some("boujou rows are whitespace separated; the name holds whitespace")
        } else if name.starts_with('#') {
            Some("a row starting with # is a comment")
        } else if !seen.insert(name) {
            Some("two tracks have this name, and boujou tells tracks apart by name")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(Error::TrackName {
                format: TrackFormat::Boujou,
                name: name.to_owned(),
                reason,
            });
        }
    }
    Ok(())
}

/// Writes a boujou export.
pub(crate) fn write(out: &mut impl Write, tracks: &[OutTrack<'_>]) -> Result<(), Error> {
    check_names(tracks)?;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 256);
    let mut ints = itoa::Buffer::new();
    buf.extend_from_slice(HEADER.as_bytes());
    for track in tracks {
        for &(frame, x, y) in &track.keys {
            buf.extend_from_slice(track.name.as_bytes());
            buf.extend_from_slice(b"  ");
            buf.extend_from_slice(ints.format(frame).as_bytes());
            buf.extend_from_slice(b"  ");
            write_fixed(&mut buf, x, DECIMALS);
            buf.extend_from_slice(b"  ");
            write_fixed(&mut buf, y, DECIMALS);
            buf.extend_from_slice(b"\r\n");
            if buf.len() >= CHUNK {
                flush(out, &mut buf)?;
            }
        }
    }
    flush(out, &mut buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chan::ReadMode;

    fn parse_strict(text: &str) -> Result<ParsedFile, Error> {
        parse(
            text,
            &mut Cx::new(None, ReadMode::Strict, TrackFormat::Boujou),
        )
    }

    #[test]
    fn columns_are_read_in_the_order_the_header_gives() {
        let text = "# view track_id y x\n3  a  20  10\n4  a  21  11\n";
        let parsed = parse_strict(text).unwrap();
        let key = parsed.tracks[0].keys[1];
        assert_eq!((key.frame, key.x, key.y), (4, 11.0, 21.0));
    }

    #[test]
    fn crlf_rows_with_double_spaces_read() {
        let text = "# boujou 2d tracks export: text\r\n# track_id    view      x    y\r\n\
                    t1  5  252.046  171.677\r\nt1  6  250.754  171.581\r\nt2  1  1  2\r\n";
        let parsed = parse_strict(text).unwrap();
        assert_eq!(parsed.tracks.len(), 2);
        assert_eq!(parsed.tracks[0].keys.len(), 2);
        assert_eq!(parsed.tracks[1].line, 5);
    }

    #[test]
    fn data_before_the_column_line_is_refused() {
        let err = parse_strict("t1 1 2 3\n").unwrap_err();
        assert!(matches!(err, Error::Tracks { position, .. } if position.line == 1));
        assert!(parse_strict("# nothing\n").is_err());
    }

    #[test]
    fn short_and_long_rows_are_typed_issues() {
        let err = parse_strict("# track_id view x y\nt 1 2\n").unwrap_err();
        assert!(matches!(
            err,
            Error::Tracks {
                issue: TrackIssue::MissingFields { found: 3, .. },
                ..
            }
        ));
        let err = parse_strict("# track_id view x y\nt 1 2 3 4\n").unwrap_err();
        assert!(matches!(
            err,
            Error::Tracks {
                position,
                issue: TrackIssue::TooManyFields { found: 5, .. },
                ..
            } if position.column == 9
        ));
    }

    #[test]
    fn the_writer_writes_boujous_layout() {
        let track = OutTrack {
            name: "tracker1",
            camera: None,
            keys: vec![(1, 306.906, 1159.21)],
        };
        let mut out = Vec::new();
        write(&mut out, &[track]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("# boujou 2d tracks export: text\r\n"));
        assert!(
            text.ends_with("# track_id    view      x    y\r\ntracker1  1  306.906  1159.210\r\n")
        );
    }

    #[test]
    fn names_boujou_cannot_hold_are_refused() {
        for names in [
            vec!["a b"],
            vec!["#a"],
            vec![""],
            vec!["a", "a"],
            vec!["a\tb"],
        ] {
            let tracks: Vec<OutTrack<'_>> = names
                .iter()
                .map(|name| OutTrack {
                    name,
                    camera: None,
                    keys: vec![],
                })
                .collect();
            assert!(matches!(
                write(&mut Vec::new(), &tracks),
                Err(Error::TrackName { .. })
            ));
        }
    }
}
