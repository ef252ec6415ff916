//! After Effects keyframe data (export only): the text After Effects puts on the
//! clipboard when keyframes are copied, and reads back on paste.
//!
//! ```text
//! (TABs shown as spaces)
//! Adobe After Effects 8.0 Keyframe Data
//!
//!     Units Per Second    24
//!     Source Width    1920
//!     Source Height    1080
//!     Source Pixel Aspect Ratio    1
//!     Comp Pixel Aspect Ratio    1
//!
//! Effects    Point Control #1    Point #2
//!     Frame    X pixels    Y pixels
//!     0    960    540
//! …
//!
//! End of Keyframe Data
//! ```
//!
//! The header and the `Effects <effect> #<n>\t<property> #<index>` blocks are laid out
//! as in After Effects' own copies (and in the Mocha and tracker tools that write this
//! format for pasting): TAB separated, a TAB before each header and row line, a blank
//! line between blocks.
//!
//! **Several tracks**: one keyframe-data document can hold several property blocks
//! (After Effects copies Position and Anchor Point, or the four Corner Pin points, as
//! one document). Track `i` (file order, from 1) is the block `Effects\tPoint Control
//! #i\tPoint #2`; pasted onto a layer, it fills (or adds) the layer's *i*-th Point
//! Control effect. The format has no place for a name or a comment, so **track names
//! are not in the file**: the order is the only link (a track with no keys still gets
//! its block, so the numbering stays the track order).
//!
//! Positions are layer pixels from the top-left corner, y down (a layer's centre is
//! `[width/2, height/2]`); frames are composition frames from 0. Numbers as After
//! Effects writes them (`%g`, here with 10 significant digits).
//!
//! `Units Per Second` is the frame rate that turns the `Frame` column into time: the
//! plate's rate, which the caller must give (`TrackWriteOptions::frame_rate`; never
//! assumed, a missing rate is an error).

use std::io::Write;

use super::equalizer::flush;
use super::nuke::write_general;
use super::{ImageSize, OutTrack};
use crate::error::Error;

/// Significant digits written.
const DIGITS: usize = 10;

/// Writes the tracks as one keyframe-data document, one Point Control block per track.
pub(crate) fn write(
    out: &mut impl Write,
    tracks: &[OutTrack<'_>],
    size: ImageSize,
    frame_rate: Option<f64>,
) -> Result<(), Error> {
    let fps = match frame_rate {
        Some(fps) if fps.is_finite() && fps > 0.0 && fps <= 1000.0 => fps,
        Some(fps) => {
            return Err(Error::InvalidOption {
                option: "frame rate",
                reason: format!("{fps} is not a frame rate (0 < fps <= 1000)"),
            });
        }
        None => {
            return Err(Error::InvalidOption {
                option: "frame rate",
                reason: "After Effects keyframe data states the frame rate (Units Per \
                         Second) its frame numbers count in; give the plate's (--fps)"
                    .into(),
            });
        }
    };
    // Six decimals, trailing zeros dropped: 24, 25, 23.976024, 29.97003.
    let units = {
        let text = format!("{fps:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut ints = itoa::Buffer::new();
    let header = format!(
        "Adobe After Effects 8.0 Keyframe Data\n\n\
         \tUnits Per Second\t{units}\n\
         \tSource Width\t{}\n\
         \tSource Height\t{}\n\
         \tSource Pixel Aspect Ratio\t1\n\
         \tComp Pixel Aspect Ratio\t1\n\n",
        size.width, size.height
    );
    buf.extend_from_slice(header.as_bytes());
    for (index, track) in tracks.iter().enumerate() {
        buf.extend_from_slice(b"Effects\tPoint Control #");
        buf.extend_from_slice(ints.format(index + 1).as_bytes());
        buf.extend_from_slice(b"\tPoint #2\n\tFrame\tX pixels\tY pixels\n");
        for &(frame, x, y) in &track.keys {
            buf.push(b'\t');
            buf.extend_from_slice(ints.format(frame).as_bytes());
            buf.push(b'\t');
            write_general(&mut buf, x, DIGITS);
            buf.push(b'\t');
            write_general(&mut buf, y, DIGITS);
            buf.push(b'\n');
            if buf.len() >= 1 << 16 {
                flush(out, &mut buf)?;
            }
        }
        buf.push(b'\n');
    }
    buf.extend_from_slice(b"End of Keyframe Data\n");
    flush(out, &mut buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_has_the_header_one_block_per_track_and_the_end_line() {
        let tracks = [
            OutTrack {
                name: "a",
                camera: None,
                keys: vec![(0, 960.0, 540.0), (3, 1.25, 2.5)],
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
                width: 1920,
                height: 1080,
            },
            Some(24.0),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "Adobe After Effects 8.0 Keyframe Data\n\n\
             \tUnits Per Second\t24\n\
             \tSource Width\t1920\n\
             \tSource Height\t1080\n\
             \tSource Pixel Aspect Ratio\t1\n\
             \tComp Pixel Aspect Ratio\t1\n\n\
             Effects\tPoint Control #1\tPoint #2\n\
             \tFrame\tX pixels\tY pixels\n\
             \t0\t960\t540\n\
             \t3\t1.25\t2.5\n\n\
             Effects\tPoint Control #2\tPoint #2\n\
             \tFrame\tX pixels\tY pixels\n\n\
             End of Keyframe Data\n"
        );
    }
}
