//! One `.chan` line: split on whitespace, parse `frame tx ty tz rx ry rz [vfov]` from
//! bytes (no allocation on the happy path), and convert it to the target world.

use nalgebra::Rotation3;

use crate::axes::yup_to_zup_rotation;
use crate::camera_track::CameraFrame;
use crate::chan::fast::scan_line;
use crate::error::{CHAN_FIELDS, ChanIssue};
use crate::euler::{euler_deg_to_matrix, first_euler_solution};
use crate::lens::check_fov;
use crate::rotation_order::RotationOrder;
use crate::trig::tan_deg;

/// What the line parser needs from the options, flattened.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineContext {
    pub(crate) order: RotationOrder,
    pub(crate) z_up: bool,
    pub(crate) scale: f64,
    pub(crate) frame_offset: i64,
    pub(crate) vertical_aperture_mm: f64,
}

/// The result of parsing one line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LineOutcome {
    /// Blank or `#` comment.
    Skip,
    /// A frame. Its rotation holds the **first** XYZ Euler solution in radians; the
    /// reader picks the final triple (continuity) once frames are in order.
    Frame(CameraFrame),
    /// An invalid line: the byte offset in the line where the problem starts.
    Bad { offset: usize, issue: ChanIssue },
}

const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

fn skip_space(line: &[u8], mut pos: usize) -> usize {
    while pos < line.len() && is_space(line[pos]) {
        pos += 1;
    }
    pos
}

fn field_end(line: &[u8], mut pos: usize) -> usize {
    while pos < line.len() && !is_space(line[pos]) {
        pos += 1;
    }
    pos
}

fn field_text(line: &[u8], start: usize) -> String {
    String::from_utf8_lossy(&line[start..field_end(line, start)]).into_owned()
}

/// Parses a float field starting at `pos`; returns the value and the end offset.
/// (Well-formed lines never get here: [`LineParser::parse_fast`] takes them.)
fn parse_number(line: &[u8], pos: usize, field: &'static str) -> Result<(f64, usize), ChanIssue> {
    match fast_float2::parse_partial::<f64, _>(&line[pos..]) {
        Ok((value, used))
            if used > 0 && (pos + used == line.len() || is_space(line[pos + used])) =>
        {
            if value.is_finite() {
                Ok((value, pos + used))
            } else {
                Err(ChanIssue::NonFinite {
                    field,
                    text: field_text(line, pos),
                })
            }
        }
        _ => Err(ChanIssue::NotANumber {
            field,
            text: field_text(line, pos),
        }),
    }
}

/// Parses the frame field: an integer, or a float with no fractional part.
fn parse_frame(line: &[u8], pos: usize, offset: i64) -> Result<(i64, usize), ChanIssue> {
    let (value, end) = match parse_integer(line, pos) {
        Some(found) => found,
        None => {
            let (value, end) = parse_number(line, pos, CHAN_FIELDS[0])?;
            if value.fract() != 0.0 {
                return Err(ChanIssue::FractionalFrame {
                    text: field_text(line, pos),
                });
            }
            // Integers above 2^53 are not exact in f64.
            if value.abs() > 9_007_199_254_740_992.0 {
                return Err(ChanIssue::FrameOutOfRange {
                    text: field_text(line, pos),
                });
            }
            #[allow(clippy::cast_possible_truncation)]
            (value as i64, end)
        }
    };
    let frame = value
        .checked_add(offset)
        .ok_or_else(|| ChanIssue::FrameOutOfRange {
            text: field_text(line, pos),
        })?;
    Ok((frame, end))
}

/// `[+-]digits` followed by whitespace or the end of the line, at most 18 digits.
fn parse_integer(line: &[u8], pos: usize) -> Option<(i64, usize)> {
    let mut cursor = pos;
    let negative = match line.get(cursor) {
        Some(b'-') => {
            cursor += 1;
            true
        }
        Some(b'+') => {
            cursor += 1;
            false
        }
        _ => false,
    };
    let digits_start = cursor;
    let mut value: i64 = 0;
    while let Some(&b) = line.get(cursor) {
        if !b.is_ascii_digit() || cursor - digits_start >= 18 {
            break;
        }
        value = value * 10 + i64::from(b - b'0');
        cursor += 1;
    }
    let ends_field = cursor == line.len() || is_space(line[cursor]);
    (cursor > digits_start && ends_field).then_some((if negative { -value } else { value }, cursor))
}

/// Parses lines, remembering the last vfov → focal conversion (most files hold one
/// lens for every frame, so the `tan` is done once).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineParser {
    ctx: LineContext,
    last_vfov: f64,
    last_lens: f64,
}

impl LineParser {
    pub(crate) fn new(ctx: LineContext) -> Self {
        Self {
            ctx,
            last_vfov: f64::NAN,
            last_lens: f64::NAN,
        }
    }

    /// Parses and converts one line (without its `\n`).
    pub(crate) fn parse(&mut self, line: &[u8]) -> LineOutcome {
        let first = skip_space(line, 0);
        if first == line.len() || line[first] == b'#' {
            return LineOutcome::Skip;
        }
        match parse_fields(line, first, &self.ctx) {
            Ok((mut frame, vfov)) => {
                if let Some((vfov, offset)) = vfov {
                    let lens = self.lens(vfov);
                    if !is_usable_lens(lens) {
                        let issue = ChanIssue::FocalNotFinite {
                            vfov,
                            vertical_aperture_mm: self.ctx.vertical_aperture_mm,
                        };
                        return LineOutcome::Bad { offset, issue };
                    }
                    frame.lens_mm = Some(lens);
                }
                LineOutcome::Frame(frame)
            }
            Err((offset, issue)) => LineOutcome::Bad { offset, issue },
        }
    }

    /// The fast path: the well-formed line starting at `start` in `bytes`, converted,
    /// and where the next line starts; `None` for anything [`Self::parse`] must see
    /// (including every invalid line), which then gives the same frame or the error.
    #[inline]
    pub(crate) fn parse_fast(
        &mut self,
        bytes: &[u8],
        start: usize,
    ) -> Option<(CameraFrame, usize)> {
        let line = scan_line(bytes, start)?;
        let frame = line.frame.checked_add(self.ctx.frame_offset)?;
        let mut values = [0.0; 7];
        for (value, field) in values.iter_mut().zip(line.fields) {
            *value = field.value();
        }
        let lens_mm = if line.count == 7 {
            let vfov = values[6];
            if check_fov(vfov).is_err() {
                return None;
            }
            Some(self.lens(vfov))
        } else {
            None
        };
        let mut camera = frame_from_values(frame, &values, &self.ctx);
        camera.lens_mm = lens_mm;
        // A number that overflowed (a huge translation times the scale, a vfov so
        // small the focal length is infinite) is for the full parser to report.
        if !(all_finite(&camera) && lens_mm.is_none_or(is_usable_lens)) {
            return None;
        }
        Some((camera, line.next))
    }

    /// The focal length for a vfov (degrees), with the last one remembered.
    fn lens(&mut self, vfov: f64) -> f64 {
        if vfov != self.last_vfov {
            self.last_vfov = vfov;
            self.last_lens = self.ctx.vertical_aperture_mm / (2.0 * tan_deg(vfov / 2.0));
        }
        self.last_lens
    }
}

/// Parses and converts one line (without its `\n`).
#[cfg(test)]
pub(crate) fn parse_line(line: &[u8], ctx: &LineContext) -> LineOutcome {
    LineParser::new(*ctx).parse(line)
}

/// A parsed line: the frame (lens not yet set) and the vfov with its offset, if any.
type ParsedFields = (CameraFrame, Option<(f64, usize)>);

/// An invalid line: the offset where the problem starts, and what it is.
type BadField = (usize, ChanIssue);

/// The frame (lens not yet set) and the vfov with its offset in the line, if any.
fn parse_fields(line: &[u8], first: usize, ctx: &LineContext) -> Result<ParsedFields, BadField> {
    let (frame, mut pos) =
        parse_frame(line, first, ctx.frame_offset).map_err(|issue| (first, issue))?;
    let mut values = [0.0f64; 7];
    let mut starts = [0usize; 7];
    let mut count = 0;
    pos = skip_space(line, pos);
    while pos < line.len() {
        if count == values.len() {
            return Err((pos, too_many(line, pos)));
        }
        let field = CHAN_FIELDS[count + 1];
        let (value, end) = parse_number(line, pos, field).map_err(|issue| (pos, issue))?;
        values[count] = value;
        starts[count] = pos;
        count += 1;
        pos = skip_space(line, end);
    }
    if count < 6 {
        return Err((first, ChanIssue::TooFewFields { found: count + 1 }));
    }
    let vfov = if count == 7 {
        let vfov = values[6];
        if check_fov(vfov).is_err() {
            return Err((starts[6], ChanIssue::InvalidFov { value: vfov }));
        }
        Some((vfov, starts[6]))
    } else {
        None
    };
    let camera = frame_from_values(frame, &values, ctx);
    check_computed(&camera, &values, ctx).map_err(|(index, issue)| (starts[index], issue))?;
    Ok((camera, vfov))
}

/// Whether every number of a converted frame (lens aside) is finite.
#[inline]
fn all_finite(frame: &CameraFrame) -> bool {
    frame
        .location
        .iter()
        .chain(&frame.rotation_euler_xyz_deg)
        .all(|v| v.is_finite())
}

/// Whether a focal length computed from a vfov can be used: finite and above 0.
#[inline]
fn is_usable_lens(lens: f64) -> bool {
    lens.is_finite() && lens > 0.0
}

/// The first number computed from a line's (finite) fields that is not finite, as an
/// issue and the index of the field it came from: the position first (tx, ty, tz in
/// file order: only the scale can make one overflow), then the rotation.
fn check_computed(
    camera: &CameraFrame,
    values: &[f64; 7],
    ctx: &LineContext,
) -> Result<(), (usize, ChanIssue)> {
    for (index, &value) in values[..3].iter().enumerate() {
        if !(value * ctx.scale).is_finite() {
            let issue = ChanIssue::ScaledNotFinite {
                field: CHAN_FIELDS[index + 1],
                value,
                scale: ctx.scale,
            };
            return Err((index, issue));
        }
    }
    if camera.rotation_euler_xyz_deg.iter().any(|v| !v.is_finite()) {
        let angles = [values[3], values[4], values[5]];
        return Err((3, ChanIssue::RotationNotFinite { angles }));
    }
    Ok(())
}

/// The frame (lens not yet set) for the parsed values of a line.
#[inline]
fn frame_from_values(frame: i64, values: &[f64; 7], ctx: &LineContext) -> CameraFrame {
    let (location, rotation) = convert(values, ctx);
    CameraFrame {
        frame,
        location,
        rotation_euler_xyz_deg: first_euler_solution(RotationOrder::Xyz, &rotation),
        lens_mm: None,
    }
}

/// Translation (scaled) and rotation of a line, in the target world.
#[inline]
fn convert(values: &[f64; 7], ctx: &LineContext) -> ([f64; 3], Rotation3<f64>) {
    let [tx, ty, tz] = [values[0], values[1], values[2]].map(|v| v * ctx.scale);
    let angles = [values[3], values[4], values[5]];
    // One arm per order, so each gets the matrix code with its axis indices constant.
    let rotation = match ctx.order {
        RotationOrder::Xyz => euler_deg_to_matrix(RotationOrder::Xyz, angles),
        RotationOrder::Xzy => euler_deg_to_matrix(RotationOrder::Xzy, angles),
        RotationOrder::Yxz => euler_deg_to_matrix(RotationOrder::Yxz, angles),
        RotationOrder::Yzx => euler_deg_to_matrix(RotationOrder::Yzx, angles),
        RotationOrder::Zxy => euler_deg_to_matrix(RotationOrder::Zxy, angles),
        RotationOrder::Zyx => euler_deg_to_matrix(RotationOrder::Zyx, angles),
    };
    if ctx.z_up {
        ([tx, -tz, ty], yup_to_zup_rotation(&rotation))
    } else {
        ([tx, ty, tz], rotation)
    }
}

fn too_many(line: &[u8], mut pos: usize) -> ChanIssue {
    let mut found = 8;
    while pos < line.len() {
        found += 1;
        pos = skip_space(line, field_end(line, pos));
    }
    ChanIssue::TooManyFields { found }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ctx() -> LineContext {
        LineContext {
            order: RotationOrder::Zxy,
            z_up: true,
            scale: 1.0,
            frame_offset: 0,
            vertical_aperture_mm: 18.672,
        }
    }

    fn bad(line: &str) -> (usize, ChanIssue) {
        match parse_line(line.as_bytes(), &ctx()) {
            LineOutcome::Bad { offset, issue } => (offset, issue),
            other => panic!("{line:?} gave {other:?}"),
        }
    }

    #[test]
    fn blank_and_comment_lines_are_skipped() {
        for line in ["", "   \t", "# header", "  # indented comment", "\r"] {
            assert_eq!(parse_line(line.as_bytes(), &ctx()), LineOutcome::Skip);
        }
    }

    #[test]
    fn a_nuke_line_converts_to_blender_location_and_lens() {
        let LineOutcome::Frame(frame) =
            parse_line(b"2\t1.0\t2.0\t3.0\t0.0\t0.0\t0.0\t21.153\r", &ctx())
        else {
            panic!("not a frame")
        };
        assert_eq!(frame.frame, 2);
        assert_eq!(frame.location, [1.0, -3.0, 2.0]);
        assert!((frame.lens_mm.unwrap() - 50.0).abs() < 1e-3);
    }

    #[test]
    fn a_seven_field_line_has_no_lens() {
        let LineOutcome::Frame(frame) = parse_line(b"1 0 0 0 0 0 0", &ctx()) else {
            panic!("not a frame")
        };
        assert_eq!(frame.lens_mm, None);
    }

    #[test]
    fn integral_float_frames_are_accepted_and_fractional_ones_rejected() {
        assert!(
            matches!(parse_line(b"1001.0 0 0 0 0 0 0", &ctx()), LineOutcome::Frame(f) if f.frame == 1001)
        );
        assert!(matches!(
            bad("1001.5 0 0 0 0 0 0").1,
            ChanIssue::FractionalFrame { .. }
        ));
    }

    #[test]
    fn each_bad_field_is_reported_at_its_column() {
        assert_eq!(
            bad("1 0 0 0 abc 0 0"),
            (
                8,
                ChanIssue::NotANumber {
                    field: "rx",
                    text: "abc".into()
                }
            )
        );
        assert_eq!(
            bad("1 0 nan 0 0 0 0"),
            (
                4,
                ChanIssue::NonFinite {
                    field: "ty",
                    text: "nan".into()
                }
            )
        );
        assert_eq!(
            bad("1 0 0 0 0 0"),
            (0, ChanIssue::TooFewFields { found: 6 })
        );
        assert_eq!(
            bad("1 0 0 0 0 0 0 20 9 9"),
            (17, ChanIssue::TooManyFields { found: 10 })
        );
        assert_eq!(
            bad("1 0 0 0 0 0 0 180"),
            (14, ChanIssue::InvalidFov { value: 180.0 })
        );
        assert_eq!(
            bad("1 0 0 0 1.5x 0 0"),
            (
                8,
                ChanIssue::NotANumber {
                    field: "rx",
                    text: "1.5x".into()
                }
            )
        );
    }

    #[test]
    fn the_full_parser_reads_numbers_like_the_standard_library() {
        let others = ["9007199254740993", "123456789.123456789", "1e5", "1E-3"];
        for text in crate::chan::fast::tests::PLAIN_DECIMALS
            .into_iter()
            .chain(others)
        {
            let bytes = text.as_bytes();
            let full: f64 = text.parse().unwrap();
            assert_eq!(
                parse_number(bytes, 0, "tx").unwrap().0.to_bits(),
                full.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn frame_offset_overflow_is_an_error_not_a_wrap() {
        let mut c = ctx();
        c.frame_offset = i64::MAX;
        assert!(matches!(
            parse_line(b"5 0 0 0 0 0 0", &c),
            LineOutcome::Bad {
                issue: ChanIssue::FrameOutOfRange { .. },
                ..
            }
        ));
    }

    /// A field the way some tool might write it.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            20 => (-1e4f64..1e4, 0usize..12).prop_map(|(v, digits)| format!("{v:.digits$}")),
            4 => (-1e4f64..1e4).prop_map(|v| format!("{v}")),
            1 => (-1e4f64..1e4).prop_map(|v| format!("{v:e}")),
            1 => (0u64..100_000_000_000_000_000).prop_map(|v| format!("+{v}")),
            1 => "[-+]?[0-9]{0,10}[.]?[0-9]{0,12}",
            1 => "[-+0-9.eE]{1,6}",
        ]
    }

    fn separator() -> impl Strategy<Value = String> {
        "[ \t]{1,3}"
    }

    proptest! {
        /// Whenever the fast path takes a line, it gives exactly what the full parser
        /// gives; and it takes the common Nuke/Blender lines.
        #[test]
        fn the_fast_path_agrees_with_the_full_parser(
            frame in prop_oneof![0i64..100_000_000, -1000i64..1_000_000_000_000],
            fields in proptest::collection::vec((separator(), field()), 5..9),
            tail in "[ \t]{0,2}\r?",
            offset in -5i64..5,
        ) {
            let mut line = frame.to_string();
            for (sep, f) in &fields {
                line.push_str(sep);
                line.push_str(f);
            }
            line.push_str(&tail);
            let context = LineContext { frame_offset: offset, ..ctx() };
            let full = LineParser::new(context).parse(line.as_bytes());
            let padded = format!("{line}\n{}", " ".repeat(16));
            if let Some((frame, next)) = LineParser::new(context).parse_fast(padded.as_bytes(), 0) {
                prop_assert_eq!(next, line.len() + 1);
                prop_assert_eq!(LineOutcome::Frame(frame), full);
            }
        }

        #[test]
        fn the_fast_path_takes_printf_style_lines(
            frame in 0i64..10_000_000,
            values in proptest::collection::vec(-1e3f64..1e3, 6),
            vfov in 1f64..170.0,
            digits in 0usize..10,
        ) {
            let mut line = frame.to_string();
            for v in values.iter().chain([&vfov]) {
                line.push_str(&format!("\t{v:.digits$}"));
            }
            line.push('\n');
            line.push_str(&" ".repeat(16));
            let vfov_text = format!("{vfov:.digits$}");
            let usable = vfov_text.parse::<f64>().is_ok_and(|v| v > 0.0);
            prop_assert_eq!(LineParser::new(ctx()).parse_fast(line.as_bytes(), 0).is_some(), usable);
        }
    }
}
