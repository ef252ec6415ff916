//! Nuke `Tracker4` node script (export only): a `.nk` snippet to paste into Nuke's node
//! graph, one Tracker4 node holding every track.
//!
//! The layout is copied from Nuke 8's own Tracker4 nodes (tracksperanto's
//! `test/import/samples/nuke/nuke8_tracker4_copypastes.nk`, a node copied out of Nuke
//! 8.0v1): a copy-paste preamble, then the `tracks` knob, a table of 31 columns
//! (`{ 1 31 N }`, the column list `{ { 5 1 20 enable e 1 } … }`, then one row per
//! track). Each row gives, in column order: `enable`, `name` (quoted), `track_x`,
//! `track_y`, `offset_x`, `offset_y`, the `T R S` flags, `error`, `error_min`,
//! `error_max`, the pattern box, the search box, and eleven `key_*` curves (left
//! empty, as Nuke does for keys it did not make).
//!
//! Keys are `{curve x<frame> v v v x<frame> v …}`: an `x<frame>` starts each run of
//! consecutive frames, so a gap stays a gap; the `enable` curve (constant
//! interpolation, `K`) is 1 on each run and 0 from the frame after it, so Nuke does not
//! use interpolated positions inside gaps. Numbers are written as Nuke writes them
//! (`%.10g`). Positions are pixels from the bottom-left corner of the format, frames as
//! given (Nuke's default script starts at 1).
//!
//! Names are written in double quotes; a name holding `"`, `\`, `{`, `}`, `[`, `]`, `$`
//! or a control character (a line break, a TAB) would need Tcl escaping Nuke's track
//! table does not round-trip, so it is a [`Error::TrackName`].

use std::io::Write;

use super::equalizer::flush;
use super::{ImageSize, OutTrack, TrackFormat};
use crate::error::Error;

/// Significant digits Nuke writes.
const DIGITS: usize = 10;

/// The copy-paste preamble and the `tracks` knob's column list, as Nuke 8 writes them.
const COLUMNS: &str = "{ { 5 1 20 enable e 1 }
{ 3 1 75 name name 1 }
{ 2 1 58 track_x track_x 1 }
{ 2 1 58 track_y track_y 1 }
{ 2 1 63 offset_x offset_x 1 }
{ 2 1 63 offset_y offset_y 1 }
{ 4 1 27 T T 1 }
{ 4 1 27 R R 1 }
{ 4 1 27 S S 1 }
{ 2 0 45 error error 1 }
{ 1 1 0 error_min error_min 1 }
{ 1 1 0 error_max error_max 1 }
{ 1 1 0 pattern_x pattern_x 1 }
{ 1 1 0 pattern_y pattern_y 1 }
{ 1 1 0 pattern_r pattern_r 1 }
{ 1 1 0 pattern_t pattern_t 1 }
{ 1 1 0 search_x search_x 1 }
{ 1 1 0 search_y search_y 1 }
{ 1 1 0 search_r search_r 1 }
{ 1 1 0 search_t search_t 1 }
{ 2 1 0 key_track key_track 1 }
{ 2 1 0 key_search_x key_search_x 1 }
{ 2 1 0 key_search_y key_search_y 1 }
{ 2 1 0 key_search_r key_search_r 1 }
{ 2 1 0 key_search_t key_search_t 1 }
{ 2 1 0 key_track_x key_track_x 1 }
{ 2 1 0 key_track_y key_track_y 1 }
{ 2 1 0 key_track_r key_track_r 1 }
{ 2 1 0 key_track_t key_track_t 1 }
{ 2 1 0 key_centre_offset_x key_centre_offset_x 1 }
{ 2 1 0 key_centre_offset_y key_centre_offset_y 1 }
}
";

/// Refuses names Nuke's quoted track names cannot hold.
fn check_name(name: &str) -> Result<(), Error> {
    let reason = if name.is_empty() {
        Some("the name is empty")
    } else if name.chars().any(char::is_control) {
        Some("Nuke track names are one line; the name holds a control character")
    } else if name.contains(['"', '\\', '{', '}', '[', ']', '$']) {
        Some("Nuke track names are Tcl-quoted; the name holds one of \" \\ { } [ ] $")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::TrackName {
            format: TrackFormat::NukeTracker4,
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Writes the tracks as one Tracker4 node (the `size` is not written: the node takes
/// its input's format).
pub(crate) fn write(
    out: &mut impl Write,
    tracks: &[OutTrack<'_>],
    size: ImageSize,
) -> Result<(), Error> {
    let _ = size;
    for track in tracks {
        check_name(track.name)?;
    }
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut ints = itoa::Buffer::new();
    buf.extend_from_slice(b"set cut_paste_input [stack 0]\nversion 8.0 v1\npush $cut_paste_input\nTracker4 {\n tracks { { 1 31 ");
    buf.extend_from_slice(ints.format(tracks.len()).as_bytes());
    buf.extend_from_slice(b" }\n");
    buf.extend_from_slice(COLUMNS.as_bytes());
    buf.extend_from_slice(b"{\n");
    for track in tracks {
        write_row(&mut buf, track);
        if buf.len() >= 1 << 16 {
            flush(out, &mut buf)?;
        }
    }
    buf.extend_from_slice(b"}\n}\n\n selected_tracks 0\n name Tracker1\n selected true\n}\n");
    flush(out, &mut buf)
}

/// One track's row of the `tracks` table.
fn write_row(buf: &mut Vec<u8>, track: &OutTrack<'_>) {
    let mut ints = itoa::Buffer::new();
    let first = track.keys.first().map_or(1, |k| k.0);
    buf.extend_from_slice(b" { {curve K");
    if track.keys.is_empty() {
        buf.extend_from_slice(b" x1 0");
    }
    let mut previous: Option<i64> = None;
    for &(frame, _, _) in &track.keys {
        let starts_run = previous.is_none_or(|p| p.checked_add(1) != Some(frame));
        if starts_run {
            if let Some(end) = previous.and_then(|p| p.checked_add(1)) {
                buf.extend_from_slice(b" x");
                buf.extend_from_slice(ints.format(end).as_bytes());
                buf.extend_from_slice(b" 0");
            } else if let Some(before) = frame.checked_sub(1) {
                // Off before the first key too: a constant curve holds its first value
                // backwards, and the track would count on frames it has no data for.
                buf.extend_from_slice(b" x");
                buf.extend_from_slice(ints.format(before).as_bytes());
                buf.extend_from_slice(b" 0");
            }
            buf.extend_from_slice(b" x");
            buf.extend_from_slice(ints.format(frame).as_bytes());
            buf.extend_from_slice(b" 1");
        }
        previous = Some(frame);
    }
    if let Some(end) = previous.and_then(|p| p.checked_add(1)) {
        buf.extend_from_slice(b" x");
        buf.extend_from_slice(ints.format(end).as_bytes());
        buf.extend_from_slice(b" 0");
    }
    buf.extend_from_slice(b"} \"");
    buf.extend_from_slice(track.name.as_bytes());
    buf.extend_from_slice(b"\" ");
    write_curve(buf, track, |k| k.1);
    buf.push(b' ');
    write_curve(buf, track, |k| k.2);
    buf.extend_from_slice(b" {curve K x");
    buf.extend_from_slice(ints.format(first).as_bytes());
    buf.extend_from_slice(b" 0} {curve K x");
    buf.extend_from_slice(ints.format(first).as_bytes());
    buf.extend_from_slice(b" 0} 1 0 0 {curve x");
    buf.extend_from_slice(ints.format(first).as_bytes());
    buf.extend_from_slice(
        b" 0} 0 0 -15 -15 15 15 -40 -40 40 40 {} {} {} {} {} {} {} {} {} {} {}  }\n",
    );
}

/// `{curve x<frame> v v … x<frame> v …}` of one coordinate (`{}` without keys).
fn write_curve(buf: &mut Vec<u8>, track: &OutTrack<'_>, value: impl Fn(&(i64, f64, f64)) -> f64) {
    if track.keys.is_empty() {
        buf.extend_from_slice(b"{}");
        return;
    }
    let mut ints = itoa::Buffer::new();
    buf.extend_from_slice(b"{curve");
    let mut previous: Option<i64> = None;
    for key in &track.keys {
        if previous.is_none_or(|p| p.checked_add(1) != Some(key.0)) {
            buf.extend_from_slice(b" x");
            buf.extend_from_slice(ints.format(key.0).as_bytes());
        }
        buf.push(b' ');
        write_general(buf, value(key), DIGITS);
        previous = Some(key.0);
    }
    buf.push(b'}');
}

/// Appends `x` as C's `%.<digits>g` does (`529.2192383`, `8.094191817e-05`, `0`).
pub(super) fn write_general(buf: &mut Vec<u8>, x: f64, digits: usize) {
    use std::io::Write as _;
    let digits = digits.max(1);
    if x == 0.0 || !x.is_finite() {
        let _ = write!(buf, "{}", if x == 0.0 { 0.0 } else { x });
        return;
    }
    let sci = format!("{x:.prec$e}", prec = digits - 1);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let limit = i64::try_from(digits).unwrap_or(i64::MAX);
    if (-4..limit).contains(&exponent) {
        let decimals = usize::try_from(limit - 1 - exponent).unwrap_or(0);
        let fixed = format!("{x:.decimals$}");
        buf.extend_from_slice(trim_zeros(&fixed).as_bytes());
    } else {
        buf.extend_from_slice(trim_zeros(mantissa).as_bytes());
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(buf, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// `1.2300` → `1.23`, `5.000` → `5`; text without a `.` unchanged.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(x: f64) -> String {
        let mut buf = Vec::new();
        write_general(&mut buf, x, 10);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn numbers_are_written_as_nuke_writes_them() {
        assert_eq!(general("529.2192383".parse().unwrap()), "529.2192383");
        assert_eq!(general(8.094191817e-05), "8.094191817e-05");
        assert_eq!(general(0.0003710128703), "0.0003710128703");
        assert_eq!(general(528.0), "528");
        assert_eq!(general(0.0), "0");
        assert_eq!(general(-0.0), "0");
        assert_eq!(general(874.8), "874.8");
        assert_eq!(general(12_345_678_901.0), "1.23456789e+10");
        assert_eq!(general(-20.0), "-20");
    }

    #[test]
    fn gaps_start_a_new_run_and_switch_the_track_off() {
        let track = OutTrack {
            name: "track 1",
            camera: None,
            keys: vec![(1, 1.0, 2.0), (2, 1.5, 2.5), (5, 3.0, 4.0)],
        };
        let mut buf = Vec::new();
        write_row(&mut buf, &track);
        let row = String::from_utf8(buf).unwrap();
        assert!(
            row.starts_with(
                " { {curve K x0 0 x1 1 x3 0 x5 1 x6 0} \"track 1\" {curve x1 1 1.5 x5 3} \
                 {curve x1 2 2.5 x5 4} {curve K x1 0} {curve K x1 0} 1 0 0 {curve x1 0} "
            ),
            "{row}"
        );
        assert!(row.ends_with("{} {} {} {} {} {} {} {} {} {} {}  }\n"));
    }

    #[test]
    fn the_node_has_one_row_per_track_and_31_columns() {
        let tracks = [
            OutTrack {
                name: "a",
                camera: None,
                keys: vec![(1, 1.0, 2.0)],
            },
            OutTrack {
                name: "b",
                camera: None,
                keys: vec![],
            },
        ];
        let mut out = Vec::new();
        write(
            &mut out,
            &tracks,
            ImageSize {
                width: 4,
                height: 4,
            },
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Tracker4 {\n tracks { { 1 31 2 }\n{ { 5 1 20 enable e 1 }\n"));
        assert_eq!(COLUMNS.lines().filter(|l| l.starts_with("{ ")).count(), 31);
        assert!(text.contains(" { {curve K x1 0} \"b\" {} {} "));
        let opens = text.matches('{').count();
        assert_eq!(opens, text.matches('}').count());
    }

    #[test]
    fn names_nuke_cannot_hold_are_refused() {
        for name in ["", "a\"b", "a{b", "a\nb", "a$b", "a[b]", "a\\b"] {
            assert!(
                matches!(check_name(name), Err(Error::TrackName { .. })),
                "{name:?}"
            );
        }
        for name in ["track 1", "Größe_01", "a-b.c"] {
            assert!(check_name(name).is_ok());
        }
    }
}
