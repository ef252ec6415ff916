//! What every track reader shares: decoding the bytes, lines with their positions,
//! number fields, strict/lenient issue handling ([`Cx`]) and turning raw tracks into
//! [`TrackData`] through the format's convention.

use std::collections::HashMap;
use std::collections::btree_map::Entry;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use tracking_types::{ExtraValue, TrackData};

use super::convention::Convention;
use super::error::{TrackIssue, TrackWarning};
use super::{ImageSize, RawKey, RawTrack, TrackFormat};
use crate::chan::ReadMode;
use crate::error::{Error, Position};

/// The longest line accepted.
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// The input as text: a UTF-8 BOM is dropped; invalid UTF-8 is an error at its
/// position.
pub(crate) fn decode<'a>(bytes: &'a [u8], path: Option<&Path>) -> Result<&'a str, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        Error::Tracks {
            position: Position {
                path: path.map(Path::to_path_buf),
                line,
                column: (at - line_start) as u64 + 1,
                byte: at as u64,
            },
            format: None,
            issue: TrackIssue::Unexpected {
                expected: "UTF-8 text",
                found: format!("byte 0x{:02x}", bytes[at]),
            },
        }
    })
}

/// One line: its text without the line end (`\n` or `\r\n`), 1-based number and byte
/// offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The text, line end removed.
    pub(crate) text: &'a str,
    /// 1-based line number.
    pub(crate) number: u64,
    /// Byte offset of the line's start.
    pub(crate) byte: u64,
}

impl<'a> Line<'a> {
    /// The 1-based column of `part`, a subslice of this line's text.
    pub(crate) fn column_of(&self, part: &str) -> u64 {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        offset.min(self.text.len()) as u64 + 1
    }

    /// Whitespace-separated fields.
    pub(crate) fn fields(&self) -> std::str::SplitAsciiWhitespace<'a> {
        self.text.split_ascii_whitespace()
    }

    /// Whether the line holds nothing but whitespace.
    pub(crate) fn is_blank(&self) -> bool {
        self.text.bytes().all(|b| b.is_ascii_whitespace())
    }
}

/// The lines of `text` (a final line without a line end included).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut number = 0u64;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let mut stop = end;
        if stop > start && bytes[stop - 1] == b'\r' {
            stop -= 1;
        }
        number += 1;
        let line = Line {
            // Cut at ASCII bytes, so the slice is valid UTF-8.
            text: text.get(start..stop).unwrap_or(""),
            number,
            byte: start as u64,
        };
        start = end + 1;
        Some(line)
    })
}

/// A frame field: an integer (`12`, `-3`, `+4`; `12.0` is accepted, `12.5` is not).
pub(crate) fn parse_frame(text: &str) -> Result<i64, TrackIssue> {
    if let Ok(frame) = text.parse::<i64>() {
        return Ok(frame);
    }
    let value: f64 = fast_float2::parse(text).map_err(|_| TrackIssue::NotANumber {
        field: "frame",
        text: text.to_owned(),
    })?;
    if !value.is_finite() {
        return Err(TrackIssue::NonFinite {
            field: "frame",
            text: text.to_owned(),
        });
    }
    if value.fract() != 0.0 {
        return Err(TrackIssue::FractionalFrame {
            text: text.to_owned(),
        });
    }
    if value.abs() >= 9.0e15 {
        return Err(TrackIssue::FrameOutOfRange {
            text: text.to_owned(),
        });
    }
    // Whole and well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    Ok(value as i64)
}

/// A count field (a key count): a non-negative integer.
pub(crate) fn parse_count(field: &'static str, text: &str) -> Result<u64, TrackIssue> {
    text.parse::<u64>().map_err(|_| TrackIssue::NotANumber {
        field,
        text: text.to_owned(),
    })
}

/// A coordinate (or other real) field: finite.
pub(crate) fn parse_number(field: &'static str, text: &str) -> Result<f64, TrackIssue> {
    let value: f64 = fast_float2::parse(text).map_err(|_| TrackIssue::NotANumber {
        field,
        text: text.to_owned(),
    })?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(TrackIssue::NonFinite {
            field,
            text: text.to_owned(),
        })
    }
}

/// A line's text for a message: at most 60 characters.
pub(crate) fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The reading context: where errors point, strict or lenient, the warnings so far.
#[derive(Debug)]
pub(crate) struct Cx {
    path: Option<PathBuf>,
    mode: ReadMode,
    format: TrackFormat,
    /// Warnings and notes so far.
    pub(crate) warnings: Vec<TrackWarning>,
}

impl Cx {
    /// A context for reading `format`.
    pub(crate) fn new(path: Option<PathBuf>, mode: ReadMode, format: TrackFormat) -> Self {
        Self {
            path,
            mode,
            format,
            warnings: Vec::new(),
        }
    }

    /// The position of column `column` on `line`.
    pub(crate) fn at(&self, line: &Line<'_>, column: u64) -> Position {
        Position {
            path: self.path.clone(),
            line: line.number,
            column,
            byte: line.byte + column.saturating_sub(1),
        }
    }

    /// The position of `part` (a subslice of `line.text`).
    pub(crate) fn at_part(&self, line: &Line<'_>, part: &str) -> Position {
        self.at(line, line.column_of(part))
    }

    /// The error for `issue` at `position`.
    pub(crate) fn error(&self, position: Position, issue: TrackIssue) -> Error {
        Error::Tracks {
            position,
            format: Some(self.format),
            issue,
        }
    }

    /// An issue that lenient mode skips: `Err` in strict mode, a warning in lenient.
    pub(crate) fn issue(&mut self, position: Position, issue: TrackIssue) -> Result<(), Error> {
        match self.mode {
            ReadMode::Strict => Err(self.error(position, issue)),
            ReadMode::Lenient => {
                self.warnings.push(TrackWarning { position, issue });
                Ok(())
            }
        }
    }

    /// The key on `line` from its `frame`, `x` and `y` fields (subslices of the line),
    /// the coordinates read by `coordinate` under `names`. A bad field is an issue at
    /// its column, so `Ok(None)` is a key lenient mode skipped. Every reader builds its
    /// keys here.
    pub(crate) fn key(
        &mut self,
        line: &Line<'_>,
        frame: &str,
        [x, y]: [&str; 2],
        names: [&'static str; 2],
        coordinate: fn(&'static str, &str) -> Result<f64, TrackIssue>,
    ) -> Result<Option<RawKey>, Error> {
        let parsed = parse_frame(frame)
            .map_err(|e| (frame, e))
            .and_then(|frame| {
                let px = coordinate(names[0], x).map_err(|e| (x, e))?;
                let py = coordinate(names[1], y).map_err(|e| (y, e))?;
                Ok((frame, px, py))
            });
        match parsed {
            Ok((frame, x, y)) => Ok(Some(RawKey {
                frame,
                x,
                y,
                line: line.number,
                byte: line.byte,
            })),
            Err((part, issue)) => {
                self.issue(self.at_part(line, part), issue)?;
                Ok(None)
            }
        }
    }

    /// A further field of a key line (`field`, a subslice of `line`) checked as
    /// [`key`](Self::key) checks its own: `Ok(false)` when lenient mode skipped the line.
    pub(crate) fn field_ok<T>(
        &mut self,
        line: &Line<'_>,
        field: &str,
        checked: Result<T, TrackIssue>,
    ) -> Result<bool, Error> {
        match checked {
            Ok(_) => Ok(true),
            Err(issue) => {
                self.issue(self.at_part(line, field), issue)?;
                Ok(false)
            }
        }
    }

    /// A note that is never an error (an empty track).
    pub(crate) fn note(&mut self, position: Position, issue: TrackIssue) {
        self.warnings.push(TrackWarning { position, issue });
    }

    fn position_of(&self, line: u64, byte: u64) -> Position {
        Position {
            path: self.path.clone(),
            line,
            column: 1,
            byte,
        }
    }

    /// Raw tracks → [`TrackData`]: names checked (empty, duplicate within a camera),
    /// frames offset and checked for duplicates, positions normalised through the
    /// format's convention.
    pub(crate) fn finish_tracks(
        &mut self,
        raw: Vec<RawTrack>,
        size: ImageSize,
        frame_offset: i64,
    ) -> Result<Vec<TrackData>, Error> {
        let convention = Convention::of(self.format);
        let mut seen: HashMap<(Option<String>, String), u64> = HashMap::new();
        // Every name the file uses, so a lenient rename never lands on a later track's
        // name (`a`, `a`, `a_2` gives `a`, `a_3`, `a_2`).
        let mut taken: std::collections::HashSet<(Option<String>, String)> = raw
            .iter()
            .map(|t| (t.camera.clone(), t.name.clone()))
            .collect();
        let mut out = Vec::with_capacity(raw.len());
        for track in raw {
            let RawTrack {
                name,
                line,
                byte,
                camera,
                keys,
            } = track;
            if name.is_empty() {
                self.issue(self.position_of(line, byte), TrackIssue::EmptyName)?;
                continue;
            }
            let mut name = name;
            if let Some(&first_line) = seen.get(&(camera.clone(), name.clone())) {
                let mut n = 2u64;
                let renamed = loop {
                    let candidate = format!("{name}_{n}");
                    if !taken.contains(&(camera.clone(), candidate.clone())) {
                        break candidate;
                    }
                    n += 1;
                };
                self.issue(
                    self.position_of(line, byte),
                    TrackIssue::DuplicateName {
                        name: name.clone(),
                        first_line,
                        renamed: renamed.clone(),
                    },
                )?;
                taken.insert((camera.clone(), renamed.clone()));
                seen.insert((camera.clone(), renamed.clone()), line);
                name = renamed;
            } else {
                seen.insert((camera.clone(), name.clone()), line);
            }
            let mut data = TrackData::new(name);
            if let Some(camera) = camera {
                data.extra
                    .insert(super::CAMERA_KEY.to_owned(), ExtraValue::String(camera));
            }
            if keys.is_empty() {
                self.note(
                    self.position_of(line, byte),
                    TrackIssue::EmptyTrack {
                        track: data.name.clone(),
                    },
                );
            }
            for (index, key) in keys.iter().enumerate() {
                let RawKey {
                    frame,
                    x,
                    y,
                    line,
                    byte,
                } = *key;
                let Some(frame) = frame.checked_add(frame_offset) else {
                    self.issue(
                        self.position_of(line, byte),
                        TrackIssue::FrameOutOfRange {
                            text: frame.to_string(),
                        },
                    )?;
                    continue;
                };
                let position = convention.to_normalised(x, y, size);
                match data.markers.entry(frame) {
                    Entry::Vacant(slot) => {
                        slot.insert(position);
                    }
                    Entry::Occupied(_) => {
                        let first_line = keys[..index]
                            .iter()
                            .find(|k| k.frame == key.frame)
                            .map_or(0, |k| k.line);
                        self.issue(
                            self.position_of(line, byte),
                            TrackIssue::DuplicateFrame {
                                track: data.name.clone(),
                                frame: key.frame,
                                first_line,
                            },
                        )?;
                    }
                }
            }
            out.push(data);
        }
        Ok(out)
    }
}

/// Appends `x` with exactly `decimals` decimals, rounded half-to-even on the exact
/// binary value, as C's `printf("%.*f")` and Rust's `{:.*}` do (3DE writes `%.15f`).
/// Exact integer arithmetic for |x| < 2⁷⁵ and `decimals` ≤ 15; other values go through
/// `{:.*}`.
pub(crate) fn write_fixed(buf: &mut Vec<u8>, x: f64, decimals: u32) {
    if let Some((negative, int, frac)) = fixed_parts(x, decimals) {
        if negative {
            buf.push(b'-');
        }
        let mut ints = itoa::Buffer::new();
        buf.extend_from_slice(ints.format(int).as_bytes());
        if decimals > 0 {
            buf.push(b'.');
            let digits = ints.format(frac).as_bytes();
            let pad = (decimals as usize).saturating_sub(digits.len());
            buf.extend(std::iter::repeat_n(b'0', pad));
            buf.extend_from_slice(digits);
        }
    } else {
        // Huge or non-finite: the standard formatter (writing to a Vec cannot fail).
        let _ = write!(buf, "{x:.prec$}", prec = decimals as usize);
    }
}

/// `(negative, integer part, fractional digits)` of `x` rounded to `decimals` decimals.
fn fixed_parts(x: f64, decimals: u32) -> Option<(bool, u128, u64)> {
    if !x.is_finite() || decimals > 15 {
        return None;
    }
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let exponent_bits = ((bits >> 52) & 0x7FF) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) = if exponent_bits == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exponent_bits - 1075)
    };
    let scale = 10u128.pow(decimals);
    // mantissa < 2^53, scale < 2^50: the product fits in 103 bits.
    let scaled = u128::from(mantissa) * scale;
    let rounded = if exponent >= 0 {
        if exponent > 22 {
            return None;
        }
        scaled << exponent
    } else {
        let shift = exponent.unsigned_abs();
        if shift >= 127 {
            0
        } else {
            let quotient = scaled >> shift;
            let remainder = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            if remainder > half || (remainder == half && quotient & 1 == 1) {
                quotient + 1
            } else {
                quotient
            }
        }
    };
    let frac = u64::try_from(rounded % scale).ok()?;
    Some((negative, rounded / scale, frac))
}
