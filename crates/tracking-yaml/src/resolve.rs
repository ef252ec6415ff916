//! How plain (unquoted) scalars are typed by the two readers we must satisfy.
//!
//! * [`pyyaml`]: PyYAML's YAML 1.1 implicit resolvers (`yaml/resolver.py`), used by the
//!   Python tools that read our files. A string that PyYAML would read as a bool,
//!   int, float, null, timestamp, merge or value key must be written quoted.
//! * [`core`]: the YAML 1.2 core-schema rules of `serde_yaml` (`yaml_serde`), which our
//!   own reader and the fast path follow, so both give the same values.
//!
//! It also holds [`python_float_repr`], the float spelling PyYAML writes.

/// PyYAML's implicit resolvers (YAML 1.1), written out without regular expressions.
pub(crate) mod pyyaml {
    /// True when PyYAML would read the plain scalar `s` as something other than a string.
    pub(crate) fn resolves_to_non_string(s: &str) -> bool {
        is_null(s)
            || is_bool(s)
            || is_int(s)
            || is_float(s)
            || is_timestamp(s)
            || s == "<<"
            || s == "="
    }

    /// What `yaml.safe_load` makes of the plain scalar `s` (its implicit resolvers, then
    /// `SafeConstructor`), for values kept untyped (see `tracking_types::extra`).
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) enum Native {
        /// `None`.
        Null,
        /// A `bool`.
        Bool(bool),
        /// An `int`.
        Int(i128),
        /// A `float`.
        Float(f64),
        /// A `datetime` or `date` (kept as its text).
        Timestamp,
        /// A `str`.
        Str,
        /// What `safe_load` cannot construct or that does not fit: the reason.
        Refused(&'static str),
    }

    /// What `safe_load` makes of the plain scalar `s`.
    pub(crate) fn construct(s: &str) -> Native {
        if is_null(s) {
            Native::Null
        } else if is_bool(s) {
            Native::Bool(
                matches!(s.as_bytes()[0], b'y' | b'Y' | b't' | b'T')
                    || s.eq_ignore_ascii_case("on"),
            )
        } else if is_float(s) {
            Native::Float(construct_float(s))
        } else if is_int(s) {
            construct_int(s).map_or(
                Native::Refused("an integer too large to keep (or without digits)"),
                Native::Int,
            )
        } else if is_timestamp(s) {
            Native::Timestamp
        } else if s == "<<" || s == "=" {
            Native::Refused("safe_load cannot construct it (PyYAML's merge or value tag)")
        } else {
            Native::Str
        }
    }

    /// `(sign, rest)` with `_` removed, as PyYAML's constructors start.
    fn sign_and_digits(s: &str) -> (bool, String) {
        let cleaned = s.replace('_', "");
        match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (
                false,
                cleaned.strip_prefix('+').unwrap_or(&cleaned).to_owned(),
            ),
        }
    }

    /// `construct_yaml_int`, in `i128`; `None` when it does not fit (or, like PyYAML's
    /// `int("", 2)` for `0b_`, is no number).
    fn construct_int(s: &str) -> Option<i128> {
        let (negative, digits) = sign_and_digits(s);
        let magnitude = if digits == "0" {
            0
        } else if let Some(bin) = digits.strip_prefix("0b") {
            i128::from_str_radix(bin, 2).ok()?
        } else if let Some(hex) = digits.strip_prefix("0x") {
            i128::from_str_radix(hex, 16).ok()?
        } else if digits.starts_with('0') {
            i128::from_str_radix(&digits, 8).ok()?
        } else if digits.contains(':') {
            let mut value: i128 = 0;
            let mut base: i128 = 1;
            for part in digits.rsplit(':') {
                let digit: i128 = part.parse().ok()?;
                value = value.checked_add(digit.checked_mul(base)?)?;
                base = base.checked_mul(60)?;
            }
            value
        } else {
            digits.parse().ok()?
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// `construct_yaml_float`: the same operations in the same order, so the bits are
    /// Python's.
    fn construct_float(s: &str) -> f64 {
        let (negative, digits) = sign_and_digits(&s.to_ascii_lowercase());
        let sign = if negative { -1.0 } else { 1.0 };
        if digits == ".inf" {
            return sign * f64::INFINITY;
        }
        if digits == ".nan" {
            return f64::NAN;
        }
        if digits.contains(':') {
            let mut value = 0.0;
            let mut base = 1.0;
            for part in digits.rsplit(':') {
                value += part.parse::<f64>().unwrap_or(f64::NAN) * base;
                base *= 60.0;
            }
            return sign * value;
        }
        sign * digits.parse::<f64>().unwrap_or(f64::NAN)
    }

    fn is_null(s: &str) -> bool {
        matches!(s, "" | "~" | "null" | "Null" | "NULL")
    }

    fn is_bool(s: &str) -> bool {
        matches!(
            s,
            "yes"
                | "Yes"
                | "YES"
                | "no"
                | "No"
                | "NO"
                | "true"
                | "True"
                | "TRUE"
                | "false"
                | "False"
                | "FALSE"
                | "on"
                | "On"
                | "ON"
                | "off"
                | "Off"
                | "OFF"
        )
    }

    fn strip_sign(s: &str) -> &str {
        s.strip_prefix(['-', '+']).unwrap_or(s)
    }

    fn all_nonempty(s: &str, ok: impl Fn(u8) -> bool) -> bool {
        !s.is_empty() && s.bytes().all(ok)
    }

    /// `[1-9][0-9_]*`
    fn is_decimal_nonzero_lead(s: &str) -> bool {
        let b = s.as_bytes();
        !b.is_empty()
            && (b'1'..=b'9').contains(&b[0])
            && b[1..].iter().all(|c| c.is_ascii_digit() || *c == b'_')
    }

    /// `(?::[0-5]?[0-9])+` — the sexagesimal tail.
    fn is_sexagesimal_tail(s: &str) -> bool {
        if !s.starts_with(':') {
            return false;
        }
        s[1..].split(':').all(|part| match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        })
    }

    fn is_int(s: &str) -> bool {
        let u = strip_sign(s);
        if let Some(rest) = u.strip_prefix("0b") {
            return all_nonempty(rest, |c| c == b'0' || c == b'1' || c == b'_');
        }
        if let Some(rest) = u.strip_prefix("0x") {
            return all_nonempty(rest, |c| c.is_ascii_hexdigit() || c == b'_');
        }
        if u == "0" {
            return true;
        }
        if let Some(rest) = u.strip_prefix('0') {
            return all_nonempty(rest, |c| (b'0'..=b'7').contains(&c) || c == b'_');
        }
        if is_decimal_nonzero_lead(u) {
            return true;
        }
        match u.find(':') {
            Some(i) => is_decimal_nonzero_lead(&u[..i]) && is_sexagesimal_tail(&u[i..]),
            None => false,
        }
    }

    /// `(?:[eE][-+][0-9]+)?` at the end; returns the part before the exponent.
    fn strip_exponent(s: &str) -> Option<&str> {
        match s.find(['e', 'E']) {
            None => Some(s),
            Some(i) => {
                let exp = &s.as_bytes()[i + 1..];
                let ok = exp.len() >= 2
                    && (exp[0] == b'-' || exp[0] == b'+')
                    && exp[1..].iter().all(u8::is_ascii_digit);
                ok.then(|| &s[..i])
            }
        }
    }

    /// `[0-9][0-9_]*`
    fn is_digits_underscore(s: &str) -> bool {
        let b = s.as_bytes();
        !b.is_empty() && b[0].is_ascii_digit() && b.iter().all(|c| c.is_ascii_digit() || *c == b'_')
    }

    fn is_float(s: &str) -> bool {
        if matches!(s, ".nan" | ".NaN" | ".NAN") {
            return true;
        }
        let u = strip_sign(s);
        if matches!(u, ".inf" | ".Inf" | ".INF") {
            return true;
        }
        // `\.[0-9][0-9_]*(exp)?` — unsigned only.
        if let Some(frac) = s.strip_prefix('.') {
            return strip_exponent(frac).is_some_and(is_digits_underscore);
        }
        let Some(dot) = u.find('.') else {
            return false;
        };
        let (whole, frac) = (&u[..dot], &u[dot + 1..]);
        let frac_ok = |f: &str| f.bytes().all(|c| c.is_ascii_digit() || c == b'_');
        // `[0-9][0-9_]*\.[0-9_]*(exp)?`
        if is_digits_underscore(whole) && strip_exponent(frac).is_some_and(frac_ok) {
            return true;
        }
        // `[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`
        match whole.find(':') {
            Some(i) => {
                is_digits_underscore(&whole[..i])
                    && is_sexagesimal_tail(&whole[i..])
                    && frac_ok(frac)
            }
            None => false,
        }
    }

    fn take_digits(b: &[u8], min: usize, max: usize) -> Option<usize> {
        let n = b
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        (n >= min).then_some(n)
    }

    pub(crate) fn is_timestamp(s: &str) -> bool {
        let b = s.as_bytes();
        // `YYYY-MM-DD`
        if b.len() == 10
            && take_digits(b, 4, 4) == Some(4)
            && b[4] == b'-'
            && take_digits(&b[5..], 2, 2) == Some(2)
            && b[7] == b'-'
            && take_digits(&b[8..], 2, 2) == Some(2)
        {
            return true;
        }
        timestamp_with_time(b).unwrap_or(false)
    }

    /// `YYYY-M?M-D?D([Tt]|[ \t]+)H?H:MM:SS(\.[0-9]*)?([ \t]*(Z|[-+]H?H(:MM)?))?`
    fn timestamp_with_time(b: &[u8]) -> Option<bool> {
        let mut i = take_digits(b, 4, 4)?;
        let expect = |i: usize, c: u8| (b.get(i) == Some(&c)).then_some(i + 1);
        i = expect(i, b'-')?;
        i += take_digits(&b[i..], 1, 2)?;
        i = expect(i, b'-')?;
        i += take_digits(&b[i..], 1, 2)?;
        match b.get(i)? {
            b'T' | b't' => i += 1,
            b' ' | b'\t' => {
                while matches!(b.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
            }
            _ => return None,
        }
        i += take_digits(&b[i..], 1, 2)?;
        i = expect(i, b':')?;
        i += take_digits(&b[i..], 2, 2)?;
        i = expect(i, b':')?;
        i += take_digits(&b[i..], 2, 2)?;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if i == b.len() {
            return Some(true);
        }
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match b.get(i)? {
            b'Z' => i += 1,
            b'-' | b'+' => {
                i += 1;
                i += take_digits(&b[i..], 1, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                    i += take_digits(&b[i..], 2, 2)?;
                }
            }
            _ => return None,
        }
        Some(i == b.len())
    }
}

/// The YAML 1.2 core-schema rules of `serde_yaml` (ported from `yaml_serde`'s `de.rs`).
pub(crate) mod core {
    use std::num::ParseIntError;

    /// `null`, `Null`, `NULL`, `~` (the empty scalar is handled by the caller).
    pub(crate) fn parse_null(s: &str) -> bool {
        matches!(s, "null" | "Null" | "NULL" | "~")
    }

    /// `true`/`True`/`TRUE`, `false`/`False`/`FALSE`.
    pub(crate) fn parse_bool(s: &str) -> Option<bool> {
        match s {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// Leading zero(s) followed by digits is a string in YAML 1.2.
    pub(crate) fn digits_but_not_number(s: &str) -> bool {
        let s = s.strip_prefix(['-', '+']).unwrap_or(s);
        s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
    }

    fn radix_prefixed<T>(
        unsigned: &str,
        from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
    ) -> Option<Option<T>> {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(rest) = unsigned.strip_prefix(prefix) {
                if rest.starts_with(['+', '-']) {
                    return Some(None);
                }
                if let Ok(int) = from_str_radix(rest, radix) {
                    return Some(Some(int));
                }
            }
        }
        None
    }

    fn negative_radix_prefixed<T>(
        s: &str,
        from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
    ) -> Option<T> {
        for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
            if let Some(rest) = s.strip_prefix(prefix)
                && let Ok(int) = from_str_radix(&format!("-{rest}"), radix)
            {
                return Some(int);
            }
        }
        None
    }

    /// An unsigned integer as `serde_yaml` reads one.
    pub(crate) fn parse_unsigned_int<T>(
        s: &str,
        from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
    ) -> Option<T> {
        let unpositive = s.strip_prefix('+').unwrap_or(s);
        if let Some(found) = radix_prefixed(unpositive, from_str_radix) {
            return found;
        }
        if unpositive.starts_with(['+', '-']) || digits_but_not_number(s) {
            return None;
        }
        from_str_radix(unpositive, 10).ok()
    }

    /// A signed integer as `serde_yaml` reads one.
    pub(crate) fn parse_signed_int<T>(
        s: &str,
        from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
    ) -> Option<T> {
        let unpositive = match s.strip_prefix('+') {
            Some(u) if u.starts_with(['+', '-']) => return None,
            Some(u) => u,
            None => s,
        };
        if let Some(found) = radix_prefixed(unpositive, from_str_radix) {
            return found;
        }
        if let Some(int) = negative_radix_prefixed(s, from_str_radix) {
            return Some(int);
        }
        if digits_but_not_number(s) {
            return None;
        }
        from_str_radix(unpositive, 10).ok()
    }

    /// A negative integer as `serde_yaml` reads one (for untyped values).
    pub(crate) fn parse_negative_int<T>(
        s: &str,
        from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
    ) -> Option<T> {
        if let Some(int) = negative_radix_prefixed(s, from_str_radix) {
            return Some(int);
        }
        if digits_but_not_number(s) {
            return None;
        }
        from_str_radix(s, 10).ok()
    }

    /// A float as `serde_yaml` reads one (`.inf`, `.nan` and finite decimal forms).
    pub(crate) fn parse_f64(s: &str) -> Option<f64> {
        let unpositive = match s.strip_prefix('+') {
            Some(u) if u.starts_with(['+', '-']) => return None,
            Some(u) => u,
            None => s,
        };
        if let ".inf" | ".Inf" | ".INF" = unpositive {
            return Some(f64::INFINITY);
        }
        if let "-.inf" | "-.Inf" | "-.INF" = s {
            return Some(f64::NEG_INFINITY);
        }
        if let ".nan" | ".NaN" | ".NAN" = s {
            return Some(f64::NAN);
        }
        unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// True when `serde_yaml` would read the plain scalar `s` as something other than
    /// a string when the target type does not say (e.g. into `serde_json::Value`).
    pub(crate) fn resolves_to_non_string(s: &str) -> bool {
        s.is_empty()
            || parse_null(s)
            || parse_bool(s).is_some()
            || parse_unsigned_int(s, u128::from_str_radix).is_some()
            || parse_negative_int(s, i128::from_str_radix).is_some()
            || (!digits_but_not_number(s) && parse_f64(s).is_some())
    }
}

/// Python's `repr(float)` made PyYAML-safe, exactly as PyYAML's `represent_float`
/// writes a finite float: shortest round-trip digits (ties to even, as Python's `repr`
/// and Ryu both choose), fixed notation when the decimal point position is in
/// `-4 < p <= 16`, otherwise `d.ddde+XX`; a `.0` is inserted when the mantissa has no
/// dot (`1e+22` → `1.0e+22`), so PyYAML reads a float back.
pub(crate) fn python_float_repr(value: f64, out: &mut String) {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(value);
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    // Collect the significant digits and Python's decimal point position
    // (value = 0.DIGITS × 10^decpt) from whatever layout Ryu chose.
    let integer_len = mantissa.find('.').unwrap_or(mantissa.len());
    let mut digits = [0u8; 40];
    let mut n = 0;
    let mut decpt = i32::try_from(integer_len).unwrap_or(0) + exponent;
    for b in mantissa.bytes().filter(u8::is_ascii_digit) {
        if n == 0 && b == b'0' {
            decpt -= 1;
            continue;
        }
        if let Some(slot) = digits.get_mut(n) {
            *slot = b;
            n += 1;
        }
    }
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    let digits = std::str::from_utf8(&digits[..n]).unwrap_or("0");
    if negative {
        out.push('-');
    }
    if value == 0.0 || digits.is_empty() {
        out.push_str("0.0");
    } else if decpt > -4 && decpt <= 16 {
        write_fixed(digits, decpt, out);
    } else {
        write_exponent(digits, decpt - 1, out);
    }
}

fn write_fixed(digits: &str, decpt: i32, out: &mut String) {
    let n = digits.len() as i32;
    if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..-decpt {
            out.push('0');
        }
        out.push_str(digits);
    } else if decpt >= n {
        out.push_str(digits);
        for _ in 0..decpt - n {
            out.push('0');
        }
        out.push_str(".0");
    } else {
        let (whole, frac) = digits.split_at(decpt as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(frac);
    }
}

fn write_exponent(digits: &str, exponent: i32, out: &mut String) {
    use std::fmt::Write as _;
    let (first, rest) = digits.split_at(1.min(digits.len()));
    out.push_str(first);
    out.push('.');
    // PyYAML inserts `.0` when Python's repr has no dot (a single digit).
    out.push_str(if rest.is_empty() { "0" } else { rest });
    let sign = if exponent < 0 { '-' } else { '+' };
    let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(v: f64) -> String {
        let mut s = String::new();
        python_float_repr(v, &mut s);
        s
    }

    #[test]
    fn floats_are_spelled_like_pyyaml() {
        assert_eq!(repr(0.0), "0.0");
        assert_eq!(repr(-0.0), "-0.0");
        assert_eq!(repr(1.0), "1.0");
        assert_eq!(repr(0.1), "0.1");
        assert_eq!(repr(1e22), "1.0e+22");
        assert_eq!(repr(1e16), "1.0e+16");
        assert_eq!(repr(1234567890123456.0), "1234567890123456.0");
        assert_eq!(repr(1e-7), "1.0e-07");
        assert_eq!(repr(0.0001), "0.0001");
        assert_eq!(repr(0.00001), "1.0e-05");
        assert_eq!(repr(5e-324), "5.0e-324");
        assert_eq!(repr(-1.5e300), "-1.5e+300");
        assert_eq!(repr(0.2512345678901234), "0.2512345678901234");
        // Exactly halfway between two 17-digit candidates: Python picks the even one.
        assert_eq!(repr(1_566_548_578_891_734.2), "1566548578891734.2");
        assert_eq!(repr(123.0), "123.0");
        assert_eq!(repr(1e15), "1000000000000000.0");
        assert_eq!(repr(-2.5e-5), "-2.5e-05");
        assert_eq!(repr(f64::MAX), "1.7976931348623157e+308");
    }

    #[test]
    fn pyyaml_special_strings_are_recognised() {
        for s in [
            "",
            "~",
            "null",
            "no",
            "NO",
            "on",
            "off",
            "y_not",
            "12:30",
            "2024-01-01",
            "0x10",
            ".5",
            "1.",
            "1_000",
            "0o17",
            "<<",
            "=",
            "+1",
            "-1",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "1:20.5",
            ".inf",
            "-.Inf",
            ".NaN",
            "1.0e+22",
            "0777",
        ] {
            let expected = !matches!(s, "y_not" | "0o17");
            assert_eq!(pyyaml::resolves_to_non_string(s), expected, "{s:?}");
        }
        for s in [
            "1e5",
            "1e+5",
            "y",
            "n",
            "abc",
            "1.0e5",
            "12:60",
            "2024-1-1",
            "Track.001",
        ] {
            assert!(!pyyaml::resolves_to_non_string(s), "{s:?}");
        }
    }

    #[test]
    fn plain_scalars_are_constructed_as_safe_load_constructs_them() {
        use pyyaml::{Native, construct};
        let bits = |s: &str| match construct(s) {
            Native::Float(f) => Some(f.to_bits()),
            _ => None,
        };
        for (text, expected) in [
            ("0777", 511),
            ("00", 0),
            ("12:30", 750),
            ("-1:00:00", -3600),
            ("1_000", 1000),
            ("0b1_0", 2),
            ("+0x_1F", 31),
            ("-0", 0),
            (
                "123456789012345678901234567890",
                123_456_789_012_345_678_901_234_567_890,
            ),
        ] {
            assert_eq!(construct(text), Native::Int(expected), "{text:?}");
        }
        assert_eq!(
            bits("190:20:30.15"),
            Some((30.15 + 20.0 * 60.0 + 190.0 * 3600.0f64).to_bits())
        );
        assert_eq!(bits("-0.0"), Some((-0.0f64).to_bits()));
        assert_eq!(bits("1_.5"), Some(1.5f64.to_bits()));
        assert_eq!(bits(".5"), Some(0.5f64.to_bits()));
        assert_eq!(bits("1.0E+5"), Some(1e5f64.to_bits()));
        assert_eq!(bits("-.inf"), Some(f64::NEG_INFINITY.to_bits()));
        assert!(matches!(construct(".NaN"), Native::Float(f) if f.is_nan()));
        for (text, expected) in [
            ("yes", true),
            ("On", true),
            ("TRUE", true),
            ("Off", false),
            ("no", false),
        ] {
            assert_eq!(construct(text), Native::Bool(expected), "{text:?}");
        }
        for null in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(construct(null), Native::Null, "{null:?}");
        }
        for text in [
            "2024-01-01",
            "2024-05-01 10:00:00",
            "2001-12-14t21:59:43.10-05:00",
        ] {
            assert_eq!(construct(text), Native::Timestamp, "{text:?}");
        }
        for text in ["1e5", "0o17", "08", "y", "1.e5", "._1", "Track.001", "0x"] {
            assert_eq!(construct(text), Native::Str, "{text:?}");
        }
        for text in ["0b_", "=", "<<", "340282366920938463463374607431768211456"] {
            assert!(matches!(construct(text), Native::Refused(_)), "{text:?}");
        }
    }

    #[test]
    fn yaml12_special_strings_are_recognised() {
        for s in [
            "", "~", "true", "1e5", "0o17", "0x1F", "-0x1F", ".inf", "+.5", "1.", "inf",
        ] {
            let expected = s != "inf";
            assert_eq!(core::resolves_to_non_string(s), expected, "{s:?}");
        }
        for s in ["no", "yes", "0777", "12:30", "Track.001", "nan", "infinity"] {
            assert!(!core::resolves_to_non_string(s), "{s:?}");
        }
    }
}
