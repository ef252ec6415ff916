//! The fast path of the `.chan` line parser: a well-formed line
//! (`frame` then six or seven plain decimals, separated by spaces or tabs, ending in
//! `\n` or `\r\n`) scanned eight bytes at a time.
//!
//! It accepts only what it can read exactly: an integer frame of at most 8 digits and
//! decimals `[+-]digits[.digits]` with at most 19 digits whose mantissa fits in 53 bits
//! (so `mantissa / 10^fraction_digits` is one correctly rounded division, the same
//! value the full parser gives). Anything else — exponents, comments, junk, a line
//! within 8 bytes of the end of the buffer — makes it return `None`, and the caller
//! parses the line with the full, error-reporting parser.

/// Exact powers of ten representable in `f64` (and as `u64` up to 10^19).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `10^n` for `n` in `0..=19`.
const POW10_U64: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut n = 1;
    while n < table.len() {
        table[n] = table[n - 1] * 10;
        n += 1;
    }
    table
};

/// A decimal `±mantissa / 10^fraction_digits`, not yet divided (a line's divisions run
/// back to back, where they pipeline).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PlainDecimal {
    pub(crate) mantissa: u64,
    pub(crate) fraction_digits: usize,
    pub(crate) negative: bool,
}

impl PlainDecimal {
    /// The value: one correctly rounded division of two exact numbers (Clinger's fast
    /// path; the mantissa is at most 2^53 and the power of ten exact).
    #[inline]
    pub(crate) fn value(self) -> f64 {
        #[allow(clippy::cast_precision_loss)] // exact: mantissa <= 2^53
        let value = self.mantissa as f64 / POW10[self.fraction_digits];
        if self.negative { -value } else { value }
    }
}

/// A well-formed line: frame, six or seven decimals, and where the next line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FastLine {
    pub(crate) frame: i64,
    pub(crate) fields: [PlainDecimal; 7],
    /// Decimals after the frame: 6 or 7.
    pub(crate) count: usize,
    /// Byte just after the line's `\n` (or the end of the buffer).
    pub(crate) next: usize,
}

/// The 8 bytes at `pos`, first byte lowest, or `None` near the end of the buffer.
#[inline(always)]
fn load8(bytes: &[u8], pos: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(pos..pos.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// `word` with `'0'` subtracted from each byte (digits become 0..=9), and the number of
/// leading bytes that are ASCII digits (0..=8).
#[inline(always)]
fn leading_digits(word: u64) -> (u64, u32) {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let values = word ^ ZEROS;
    // A byte is a digit when its high nibble is 0 and adding 6 does not carry into the
    // high nibble. A carry out of a non-digit byte can only mark later (higher) bytes,
    // which are past the first non-digit anyway.
    let non_digit = (values | values.wrapping_add(0x0606_0606_0606_0606)) & HIGH_NIBBLES;
    (values, non_digit.trailing_zeros() / 8)
}

/// The integer value of the first `count` digit values (1..=8) in `values`.
#[inline(always)]
fn digits_value(values: u64, count: u32) -> u64 {
    // Move the digits to the top so the missing ones read as leading zeros.
    let v = values << (8 * (8 - count));
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let v1 = (v & 0x0000_00FF_0000_00FF).wrapping_mul(0x000F_4240_0000_0064);
    let v2 = ((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(0x0000_2710_0000_0001);
    (v1.wrapping_add(v2) >> 32) & 0xFFFF_FFFF
}

/// A run of digits at `pos`: its value, digit count and end; up to 16 digits.
#[inline(always)]
fn digit_run(bytes: &[u8], pos: usize) -> Option<(u64, u32, usize)> {
    let (values, count) = leading_digits(load8(bytes, pos)?);
    if count == 0 {
        return Some((0, 0, pos));
    }
    let high = digits_value(values, count);
    if count < 8 {
        return Some((high, count, pos + count as usize));
    }
    let (values, more) = leading_digits(load8(bytes, pos + 8)?);
    if more == 0 {
        return Some((high, 8, pos + 8));
    }
    if more == 8 {
        return None;
    }
    let value = high * POW10_U64[more as usize] + digits_value(values, more);
    Some((value, 8 + more, pos + 8 + more as usize))
}

/// A plain decimal at `pos` and the byte after it (not yet checked to end the field).
#[inline(always)]
fn decimal(bytes: &[u8], pos: usize) -> Option<(PlainDecimal, usize)> {
    let (negative, pos) = match bytes.get(pos)? {
        b'-' => (true, pos + 1),
        b'+' => (false, pos + 1),
        _ => (false, pos),
    };
    let (whole, whole_digits, mut end) = digit_run(bytes, pos)?;
    let mut mantissa = whole;
    let mut fraction_digits = 0u32;
    if bytes.get(end) == Some(&b'.') {
        let (fraction, digits, after) = digit_run(bytes, end + 1)?;
        if whole_digits + digits > 19 {
            return None;
        }
        // No overflow: whole < 10^whole_digits, so the sum is below 10^19.
        mantissa = whole * POW10_U64[digits as usize] + fraction;
        fraction_digits = digits;
        end = after;
    }
    if whole_digits + fraction_digits == 0 || mantissa > (1 << 53) {
        return None;
    }
    let decimal = PlainDecimal {
        mantissa,
        fraction_digits: fraction_digits as usize,
        negative,
    };
    Some((decimal, end))
}

/// Skips spaces and tabs; `None` unless at least one was there.
#[inline(always)]
fn separator(bytes: &[u8], mut pos: usize) -> Option<usize> {
    let start = pos;
    while let Some(b' ' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    (pos > start).then_some(pos)
}

/// The end of the line at `pos` (optional trailing spaces, optional `\r`, then `\n` or
/// the end of the buffer): the byte after it.
#[inline(always)]
fn line_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    while let Some(b' ' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    if bytes.get(pos) == Some(&b'\r') {
        pos += 1;
    }
    match bytes.get(pos) {
        None => Some(pos),
        Some(b'\n') => Some(pos + 1),
        Some(_) => None,
    }
}

/// Scans a well-formed line starting at `start`, or `None` (see the module docs).
#[inline]
pub(crate) fn scan_line(bytes: &[u8], start: usize) -> Option<FastLine> {
    let (frame, frame_digits, mut pos) = digit_run(bytes, start)?;
    if frame_digits == 0 || frame_digits > 8 {
        return None;
    }
    let mut fields = [PlainDecimal::default(); 7];
    let mut count = 0;
    while let Some(field_start) = separator(bytes, pos) {
        match bytes.get(field_start) {
            None | Some(b'\r' | b'\n') => break,
            Some(_) if count == fields.len() => return None,
            Some(_) => {}
        }
        let (field, end) = decimal(bytes, field_start)?;
        fields[count] = field;
        count += 1;
        pos = end;
    }
    if count < 6 {
        return None;
    }
    let next = line_end(bytes, pos)?;
    #[allow(clippy::cast_possible_wrap)] // at most 8 digits
    let frame = frame as i64;
    Some(FastLine {
        frame,
        fields,
        count,
        next,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn value(text: &str) -> Option<f64> {
        let padded = format!("{text} 0 0 0 0 0 0 0 0\n");
        decimal(padded.as_bytes(), 0)
            .and_then(|(d, end)| (padded.as_bytes()[end] == b' ').then_some(d.value()))
    }

    #[test]
    fn digit_counting_and_values() {
        for text in ["0", "7", "12", "123", "1234567", "12345678", "123456789"] {
            let padded = format!("{text} 0000000000000000");
            let (v, n, end) = digit_run(padded.as_bytes(), 0).unwrap();
            assert_eq!(v, text.parse::<u64>().unwrap(), "{text}");
            assert_eq!(n as usize, text.len());
            assert_eq!(end, text.len());
        }
        let (v, n, _) = digit_run(b"x1234567890", 0).unwrap();
        assert_eq!((v, n), (0, 0));
        // Bytes around '0'..'9' are not digits.
        for b in [b'/', b':', 0xFA, 0xFF, 0x10, b' '] {
            let mut bytes = *b"12345678";
            bytes[3] = b;
            assert_eq!(leading_digits(u64::from_le_bytes(bytes)).1, 3, "{b:#x}");
        }
    }

    /// Plain decimals both parsers must read to the bits of `str::parse`.
    pub(crate) const PLAIN_DECIMALS: [&str; 14] = [
        "0",
        "-0.0",
        "21.153",
        "-12.345678",
        "145.000012",
        "-179.993000",
        "0.1",
        "123456789.123456",
        "900719925474099",
        "+3.5",
        ".5",
        "5.",
        "0.000000000000001",
        "1234567.123456789",
    ];

    #[test]
    fn plain_decimals_match_the_standard_parser_bit_for_bit() {
        for text in PLAIN_DECIMALS {
            let want: f64 = text.parse().unwrap();
            assert_eq!(
                value(text).map(f64::to_bits),
                Some(want.to_bits()),
                "{text}"
            );
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_full_parser() {
        for text in [
            "1e5",
            "-",
            ".",
            "",
            "9007199254740993",
            "12345678901234567890",
            "0.12345678901234567890123",
            "1.5x",
            "--1",
            "nan",
        ] {
            assert_eq!(value(text), None, "{text}");
        }
    }

    #[test]
    fn whole_lines() {
        let text = b"1001\t1.5\t-2\t3\t0.25\t-90\t180.5\t21.153\r\n1002 0 0 0 0 0 0  \nrest";
        let line = scan_line(text, 0).unwrap();
        assert_eq!(line.frame, 1001);
        assert_eq!(line.count, 7);
        assert_eq!(line.fields[6].value(), 21.153);
        assert_eq!(&text[line.next..line.next + 4], b"1002");
        let second = scan_line(text, line.next).unwrap();
        assert_eq!((second.frame, second.count), (1002, 6));
        assert_eq!(&text[second.next..], b"rest");
        let padding = " ".repeat(16);
        for bad in [
            "1 0 0 0 0 0\n",
            "1 0 0 0 0 0 0 0 0\n",
            "# comment\n",
            "1.5 0 0 0 0 0 0\n",
            "-1 0 0 0 0 0 0\n",
            "1 0 0 0 0 0 0 x\n",
            "1 0 0 0 0 0 0\rx\n",
            "1,0 0 0 0 0 0 0\n",
        ] {
            let text = format!("{bad}{padding}");
            assert_eq!(scan_line(text.as_bytes(), 0), None, "{bad:?}");
        }
    }
}
