//! Mutation property tests of the two readers of ffprobe's output: the `-of json`
//! reader (`ffprobe_json::parse`, then `movie::from_probe_json`) and the packet
//! listing reader (`packets::parse_packet_csv`, then `packets::fold_packets`). They
//! call the crate-private parsers directly, so no process is spawned.
//!
//! **Inputs.** Real ffprobe 5.1 outputs, committed under `tests/data/ffprobe/` (how
//! they were made: `tests/data/ffprobe/README.md`): H.264 in MP4 and Matroska, ProRes
//! with a timecode track, a display-matrix rotation, VFR, interlaced, 2:1 pixels,
//! phone tags with audio, 10-bit HEVC, a truncated file, a PNG still and a
//! `-show_error` answer; packet listings of five of them.
//!
//! **Mutations** (1 to 6 per case, stacked): bit flips and byte overwrites,
//! truncation, insertion of hostile bytes and strings (quotes, brackets, NUL, invalid
//! UTF-8, a BOM, lone surrogate escapes, `NaN`/`Infinity`, 300-deep nesting, a 100 kB
//! string, hostile fields such as `"time_base":"1/0"`), deleted and duplicated spans,
//! and numbers (or rationals, timecodes, string values) replaced by huge, negative,
//! zero, NaN-like or malformed text. The packet reader also gets duplicated, deleted
//! and swapped lines, replaced fields, and hostile time bases and frame rates.
//!
//! **Property.** Never a panic, never a hang: every input is either read or refused
//! with a typed error ([`ToolOutputError`] with 1-based positions, or [`Error`]);
//! whatever is read survives the cache's JSON round trip. A watchdog fails the test
//! when the run stalls, showing the input it stalled on, and a single case slower
//! than [`SLOW_CASE`] fails too.
//!
//! **Cases.** [`DEFAULT_CASES`] (10⁴) per reader, from a fixed seed, so every CI run
//! checks the same inputs; set `CINEMATIC_MUTATION_CASES` to run more (e.g. `1000000`
//! locally) and `CINEMATIC_MUTATION_SEED` for other inputs. A failure is shrunk by
//! proptest and its seed saved under `proptest-regressions/mutation_tests.txt`
//! (replayed first on every run).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use cinematic_testkit::mutation::line_spans;
use proptest::prelude::*;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngSeed, TestCaseError, TestError, TestRunner,
};

use crate::error::{Error, ToolOutputError};
use crate::ffprobe_json;
use crate::movie::from_probe_json;
use crate::packets::{fold_packets, parse_packet_csv};
use crate::rational::{FrameRate, RateSource, Rational};
use crate::types::FootageProbe;

/// Cases per reader when `CINEMATIC_MUTATION_CASES` is not set.
const DEFAULT_CASES: u32 = 10_000;
/// The seed when `CINEMATIC_MUTATION_SEED` is not set.
const DEFAULT_SEED: u64 = 0x00c1_7e3a_7100;
/// One case taking longer than this is a hang in the making.
const SLOW_CASE: Duration = Duration::from_secs(2);

macro_rules! sample {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../tests/data/ffprobe/", $name)).as_slice(),
        )
    };
}

/// The captured `-of json -show_format -show_streams` answers.
const JSON_SAMPLES: &[(&str, &[u8])] = &[
    sample!("cfr_23976.mp4.json"),
    sample!("cfr_23976.mkv.json"),
    sample!("prores_tc.mov.json"),
    sample!("rotated.mp4.json"),
    sample!("vfr.mp4.json"),
    sample!("interlaced.mp4.json"),
    sample!("sar_2_1.mp4.json"),
    sample!("av_phone.mov.json"),
    sample!("hevc10.mp4.json"),
    sample!("truncated.mp4.json"),
    sample!("still.png.json"),
    sample!("notes.mov.error.json"),
];

/// The captured packet listings, each with the JSON answer of the same file.
const CSV_SAMPLES: &[(&str, &[u8], &[u8])] = &[
    (
        "cfr_23976.mp4",
        include_bytes!("../tests/data/ffprobe/cfr_23976.mp4.packets.csv"),
        include_bytes!("../tests/data/ffprobe/cfr_23976.mp4.json"),
    ),
    (
        "cfr_23976.mkv",
        include_bytes!("../tests/data/ffprobe/cfr_23976.mkv.packets.csv"),
        include_bytes!("../tests/data/ffprobe/cfr_23976.mkv.json"),
    ),
    (
        "vfr.mp4",
        include_bytes!("../tests/data/ffprobe/vfr.mp4.packets.csv"),
        include_bytes!("../tests/data/ffprobe/vfr.mp4.json"),
    ),
    (
        "interlaced.mp4",
        include_bytes!("../tests/data/ffprobe/interlaced.mp4.packets.csv"),
        include_bytes!("../tests/data/ffprobe/interlaced.mp4.json"),
    ),
    (
        "truncated.mp4",
        include_bytes!("../tests/data/ffprobe/truncated.mp4.packets.csv"),
        include_bytes!("../tests/data/ffprobe/truncated.mp4.json"),
    ),
    (
        "prores_tc.mov",
        include_bytes!("../tests/data/ffprobe/prores_tc.mov.packets.csv"),
        include_bytes!("../tests/data/ffprobe/prores_tc.mov.json"),
    ),
];

/// Text that replaces a number, a rational, a timecode or a field.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "00000001",
    "1e999",
    "-1e999",
    "1e308",
    "4.9e-324",
    "0.0000000000000000000001",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1/0",
    "0/0",
    "-1/-1",
    "1/-1",
    "9223372036854775807/1",
    "1/9223372036854775807",
    "-9223372036854775808/-1",
    "9223372036854775807/9223372036854775806",
    "9223372036854775807:1",
    "99:99:99:99",
    "-1:-1:-1;-1",
    "24000/1001/1",
    "N/A",
    "unknown",
    "",
    " ",
    "1_000",
    "0x10",
    "+5",
    "1.5.5",
    "--1",
];

/// Bytes and strings inserted anywhere.
static HOSTILE: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut items: Vec<Vec<u8>> = [
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\"\\udfff\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\0",
        "\n",
        "\r",
        "\r\n",
        "\u{feff}",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "null",
        "true",
        "-",
        "9223372036854775808",
        "{}",
        "[]",
        "\"streams\":[]",
        "\"streams\":{}",
        "\"streams\":[null,1,\"x\",[]],",
        "\"format\":[],",
        "\"error\":{\"code\":1e999,\"string\":null},",
        "\"error\":{\"code\":-1,\"string\":\"x\"},",
        "\"time_base\":\"1/0\",",
        "\"time_base\":\"9223372036854775807/1\",",
        "\"time_base\":\"1/9223372036854775807\",",
        "\"r_frame_rate\":\"9223372036854775807/1\",",
        "\"avg_frame_rate\":\"-9223372036854775808/-1\",",
        "\"avg_frame_rate\":\"1/9223372036854775807\",",
        "\"nb_frames\":\"18446744073709551615\",",
        "\"duration\":\"1e308\",",
        "\"duration\":-1,",
        "\"start_time\":\"-9223372036854775808\",",
        "\"width\":4294967295,\"height\":4294967295,",
        "\"sample_aspect_ratio\":\"9223372036854775807:1\",",
        "\"bits_per_raw_sample\":\"18446744073709551615\",",
        "\"index\":-1,",
        "\"disposition\":{\"attached_pic\":\"1\"},",
        "\"tags\":{\"rotate\":\"-2147483648\",\"TIMECODE\":\"99:99:99:99\",\"DURATION\":\"99999999999:00:00.0\"},",
        "\"tags\":{\"timecode\":\"00:00:00;00\",\"creation_time\":1e999},",
        "\"tags\":{\"com.apple.quicktime.make\":\"\",\"iso\":\"1e999\",\"focal_length\":\"-0\"},",
        "\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"rotation\":1e308}],",
        "\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"rotation\":\"NaN\",\"displaymatrix\":\"\\n00000000: 9223372036854775807 -9223372036854775808 0\\n\"}],",
        "\"side_data_list\":[null,{\"side_data_type\":null}],",
        "0,N/A,41,K_\n",
        "9223372036854775807,-9223372036854775808,9223372036854775807,K\n",
        "-9223372036854775808,N/A,-1,__\n",
        ",,,\n",
        ",,,,,\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    items.push(vec![0xff, 0xfe, 0x80]);
    items.push(vec![0xc3]);
    items.push(vec![0xed, 0xa0, 0x80]);
    items.push(b"[".repeat(300));
    items.push(b"{\"a\":".repeat(200));
    let mut long = b"\"".to_vec();
    long.extend(std::iter::repeat_n(b'A', 100_000));
    long.push(b'"');
    items.push(long);
    items.push(b"1".repeat(5000));
    items
});

/// A position in an input, as a fraction of its length (`index(len)` < `len`).
#[derive(Debug, Clone, Copy)]
struct Pos(u32);

impl Pos {
    fn index(self, len: usize) -> usize {
        ((len as u64 * u64::from(self.0)) >> 32) as usize
    }
}

fn pos() -> impl Strategy<Value = Pos> {
    any::<u32>().prop_map(Pos)
}

/// Valid JSON values that replace a number (the document stays JSON).
const JSON_VALUES: &[&str] = &[
    "0",
    "-0",
    "-1",
    "0.5",
    "1e308",
    "-1e308",
    "4.9e-324",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "null",
    "true",
    "[]",
    "{}",
    "[null]",
    "\"NaN\"",
    "\"inf\"",
    "\"N/A\"",
    "\"\"",
    "\"1/0\"",
    "\"9223372036854775807/1\"",
    "\"-9223372036854775808/-1\"",
    "\"18446744073709551615\"",
];

/// Fields inserted after an object's `{` (the document stays JSON).
const JSON_FIELDS: &[&str] = &[
    "\"streams\":[{\"codec_type\":\"video\"}],",
    "\"codec_type\":\"video\",",
    "\"codec_type\":\"audio\",",
    "\"disposition\":{\"attached_pic\":1},",
    "\"time_base\":\"1/0\",",
    "\"time_base\":\"9223372036854775807/1\",",
    "\"time_base\":\"-1/9223372036854775807\",",
    "\"r_frame_rate\":\"9223372036854775807/1\",",
    "\"r_frame_rate\":\"-9223372036854775808/-1\",",
    "\"avg_frame_rate\":\"9223372036854775807/1\",",
    "\"avg_frame_rate\":\"1/9223372036854775807\",",
    "\"nb_frames\":\"18446744073709551615\",",
    "\"nb_frames\":-5,",
    "\"duration\":\"1e308\",",
    "\"duration\":\"-1e308\",",
    "\"duration\":\"4.9e-324\",",
    "\"start_time\":\"-9223372036854775808\",",
    "\"width\":4294967295,\"height\":4294967295,",
    "\"width\":\"-1\",",
    "\"sample_aspect_ratio\":\"9223372036854775807:1\",",
    "\"sample_aspect_ratio\":\"1:9223372036854775807\",",
    "\"bits_per_raw_sample\":\"18446744073709551615\",",
    "\"pix_fmt\":\"\\u0000\",",
    "\"pix_fmt\":\"gbrapf32be\",",
    "\"field_order\":\"tt\",",
    "\"index\":-1,",
    "\"index\":4294967296,",
    "\"bit_rate\":\"-1\",",
    "\"format_name\":\"image2\",",
    "\"format_name\":\"\",",
    "\"error\":{\"code\":\"x\",\"string\":\"\"},",
    "\"tags\":{\"rotate\":\"-2147483648\",\"TIMECODE\":\"99:99:99:99\",\"DURATION\":\"99999999999:00:00.0\"},",
    "\"tags\":{\"timecode\":\"00:00:00;00\",\"creation_time\":1e300},",
    "\"tags\":{\"timecode\":\"-1:-1:-1:-1\"},",
    "\"tags\":{\"com.apple.quicktime.make\":\"\",\"iso\":\"1e999\",\"focal_length\":\"-0\"},",
    "\"tags\":{\"iso\":\"4294967296\",\"focal_length\":\"1e308\",\"make\":\"Apple\",\"model\":\"\"},",
    "\"tags\":[],",
    "\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"rotation\":1e308}],",
    "\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"rotation\":-9223372036854775808}],",
    "\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"displaymatrix\":\"\\n00000000: 9223372036854775807 -9223372036854775808 0\\n00000001: 0 0 0\\n00000002: 0 0 0\\n\"}],",
    "\"side_data_list\":[null,{\"side_data_type\":null},{\"side_data_type\":\"Mastering display metadata\"}],",
];

/// One edit of an input.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Pos, u8),
    SetByte(Pos, u8),
    Truncate(Pos),
    Insert(Pos, Vec<u8>),
    Delete(Pos, usize),
    Duplicate(Pos, usize, usize),
    ReplaceNumber(Pos, Vec<u8>),
    ReplaceString(Pos, Vec<u8>),
    ReplaceValue(Pos, Vec<u8>),
    InsertField(Pos, Vec<u8>),
    DuplicateLine(Pos, usize),
    DeleteLine(Pos),
    SwapLines(Pos, Pos),
    ReplaceField(Pos, usize, Vec<u8>),
}

fn replacement() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(NUMBERS).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..12),
    ]
}

fn insertion() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (0..HOSTILE.len()).prop_map(|i| HOSTILE[i].clone()),
        1 => prop::sample::select(NUMBERS).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..16),
    ]
}

/// Byte- and token-level edits (both readers).
fn byte_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (pos(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        2 => (pos(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        1 => pos().prop_map(Mutation::Truncate),
        4 => (pos(), insertion()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        2 => (pos(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        2 => (pos(), 1usize..256, 1usize..4)
            .prop_map(|(i, n, k)| Mutation::Duplicate(i, n, k)),
        5 => (pos(), replacement()).prop_map(|(i, s)| Mutation::ReplaceNumber(i, s)),
        2 => (pos(), replacement()).prop_map(|(i, s)| Mutation::ReplaceString(i, s)),
    ]
}

/// Edits that keep a JSON document JSON: numbers replaced by other values, string
/// contents by other text, hostile fields added to an object.
fn json_mutation() -> impl Strategy<Value = Mutation> {
    let text = prop::sample::select(NUMBERS).prop_map(|s| s.as_bytes().to_vec());
    prop_oneof![
        3 => (pos(), prop::sample::select(JSON_VALUES))
            .prop_map(|(i, v)| Mutation::ReplaceValue(i, v.as_bytes().to_vec())),
        3 => (pos(), text).prop_map(|(i, s)| Mutation::ReplaceString(i, s)),
        3 => (pos(), prop::sample::select(JSON_FIELDS))
            .prop_map(|(i, f)| Mutation::InsertField(i, f.as_bytes().to_vec())),
    ]
}

/// Line-level edits (the packet listing).
fn line_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => byte_mutation(),
        1 => (pos(), 1usize..200).prop_map(|(i, n)| Mutation::DuplicateLine(i, n)),
        1 => pos().prop_map(Mutation::DeleteLine),
        1 => (pos(), pos()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        3 => (pos(), 0usize..5, replacement())
            .prop_map(|(i, f, s)| Mutation::ReplaceField(i, f, s)),
    ]
}

/// Byte spans `(start, end)` of number-like tokens: digits with a sign, a decimal
/// point, an exponent, or `/` and `:` (rationals, timecodes).
fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = if i > 0 && bytes[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut end = i;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit() || b".eE+-/:".contains(&bytes[end]))
            {
                end += 1;
            }
            spans.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    spans
}

/// Byte spans of the contents of `"…"` strings (quotes paired in order).
fn string_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let quotes: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'"' && (i == 0 || bytes[i - 1] != b'\\'))
        .map(|(i, _)| i)
        .collect();
    quotes.chunks_exact(2).map(|q| (q[0] + 1, q[1])).collect()
}

fn replace(bytes: &mut Vec<u8>, (start, end): (usize, usize), with: &[u8]) {
    bytes.splice(start..end, with.iter().copied());
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    let at = |i: &Pos| if len == 0 { 0 } else { i.index(len) };
    let at_or_end = |i: &Pos| i.index(len + 1);
    match mutation {
        Mutation::FlipBit(i, bit) if len > 0 => bytes[at(i)] ^= 1 << bit,
        Mutation::SetByte(i, b) if len > 0 => bytes[at(i)] = *b,
        Mutation::Truncate(i) => bytes.truncate(at_or_end(i)),
        Mutation::Insert(i, text) => replace(bytes, (at_or_end(i), at_or_end(i)), text),
        Mutation::Delete(i, n) => {
            let start = at_or_end(i);
            bytes.drain(start..(start + n).min(len));
        }
        Mutation::Duplicate(i, n, times) => {
            let start = at_or_end(i);
            let span = bytes[start..(start + n).min(len)].to_vec();
            let copies = span.repeat(*times);
            replace(bytes, (start, start), &copies);
        }
        Mutation::ReplaceNumber(i, with) => {
            let spans = number_spans(bytes);
            if !spans.is_empty() {
                replace(bytes, spans[i.index(spans.len())], with);
            }
        }
        Mutation::ReplaceString(i, with) => {
            let spans = string_spans(bytes);
            if !spans.is_empty() {
                replace(bytes, spans[i.index(spans.len())], with);
            }
        }
        Mutation::ReplaceValue(i, with) => {
            // Bare numbers only: those outside a string.
            let strings = string_spans(bytes);
            let spans: Vec<(usize, usize)> = number_spans(bytes)
                .into_iter()
                .filter(|&(a, _)| !strings.iter().any(|&(s, e)| s <= a && a < e))
                .collect();
            if !spans.is_empty() {
                replace(bytes, spans[i.index(spans.len())], with);
            }
        }
        Mutation::InsertField(i, field) => {
            let opens: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(k, &b)| b == b'{' && bytes.get(k + 1) != Some(&b'}'))
                .map(|(k, _)| k + 1)
                .collect();
            if !opens.is_empty() {
                let at = opens[i.index(opens.len())];
                replace(bytes, (at, at), field);
            }
        }
        Mutation::DuplicateLine(i, times) => {
            let spans = line_spans(bytes);
            if !spans.is_empty() {
                let (start, end) = spans[i.index(spans.len())];
                let mut line = bytes[start..end].to_vec();
                line.push(b'\n');
                let copies = line.repeat(*times);
                replace(bytes, (start, start), &copies);
            }
        }
        Mutation::DeleteLine(i) => {
            let spans = line_spans(bytes);
            if !spans.is_empty() {
                let (start, end) = spans[i.index(spans.len())];
                replace(bytes, (start, (end + 1).min(len)), b"");
            }
        }
        Mutation::SwapLines(a, b) => {
            let spans = line_spans(bytes);
            if spans.len() >= 2 {
                let (x, y) = (spans[a.index(spans.len())], spans[b.index(spans.len())]);
                let (first, second) = if x.0 <= y.0 { (x, y) } else { (y, x) };
                if first != second {
                    let one = bytes[first.0..first.1].to_vec();
                    let two = bytes[second.0..second.1].to_vec();
                    replace(bytes, second, &one);
                    replace(bytes, first, &two);
                }
            }
        }
        Mutation::ReplaceField(i, field, with) => {
            let spans = line_spans(bytes);
            if !spans.is_empty() {
                let (start, end) = spans[i.index(spans.len())];
                let line = &bytes[start..end];
                let mut bounds = vec![start];
                bounds.extend(
                    line.iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == b',')
                        .map(|(k, _)| start + k),
                );
                bounds.push(end);
                if field + 1 < bounds.len() {
                    let from = if *field == 0 {
                        bounds[0]
                    } else {
                        bounds[*field] + 1
                    };
                    replace(bytes, (from, bounds[field + 1]), with);
                }
            }
        }
        Mutation::FlipBit(..) | Mutation::SetByte(..) => {}
    }
}

/// The case count and seed of this run (module docs).
fn run_config() -> (u32, u64) {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
    (
        number("CINEMATIC_MUTATION_CASES")
            .and_then(|n: u64| u32::try_from(n).ok())
            .unwrap_or(DEFAULT_CASES),
        number("CINEMATIC_MUTATION_SEED").unwrap_or(DEFAULT_SEED),
    )
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// A typed tool-output error, with its positions 1-based and its text non-empty.
fn check_output_error(error: &ToolOutputError) -> Result<(), TestCaseError> {
    let position = match error {
        ToolOutputError::Json { line, column, .. } => Some((*line, *column)),
        ToolOutputError::PacketFields { line, .. } => Some((*line, 1)),
        _ => None,
    };
    if let Some((line, column)) = position
        && (line == 0 || column == 0)
    {
        return Err(fail(format!("a 0 position in {error:?}")));
    }
    if error.to_string().is_empty() {
        return Err(fail(format!("an empty message for {error:?}")));
    }
    Ok(())
}

/// What the cache does with a probe: write it as JSON and read it back. (Floats may
/// come back a unit in the last place off: serde_json reads them fast, not exactly.)
fn check_round_trip(probe: &FootageProbe) -> Result<(), TestCaseError> {
    let text = serde_json::to_vec(probe).map_err(|e| fail(format!("encode: {e}")))?;
    let back: FootageProbe =
        serde_json::from_slice(&text).map_err(|e| fail(format!("decode: {e}")))?;
    if back.frame_counts != probe.frame_counts || back.rate.rational != probe.rate.rational {
        return Err(fail(format!("the round trip changed the probe: {back:?}")));
    }
    Ok(())
}

fn check_error(error: &Error) -> Result<(), TestCaseError> {
    if error.to_string().is_empty() {
        return Err(fail(format!("an empty message for {error:?}")));
    }
    if let Error::UnparsableOutput { error, .. } = error {
        check_output_error(error)?;
    }
    Ok(())
}

/// How many cases of a reader got how far (printed after a run, to show that the
/// mutations reach past the syntax check): parsed by the first stage, read completely.
struct Reach {
    parsed: AtomicU64,
    read: AtomicU64,
}

impl Reach {
    const fn new() -> Self {
        Self {
            parsed: AtomicU64::new(0),
            read: AtomicU64::new(0),
        }
    }

    fn parsed(&self) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
    }

    fn read(&self) {
        self.read.fetch_add(1, Ordering::Relaxed);
    }

    fn summary(&self) -> String {
        format!(
            "{} parsed, {} read completely",
            self.parsed.load(Ordering::Relaxed),
            self.read.load(Ordering::Relaxed)
        )
    }
}

static JSON_REACH: Reach = Reach::new();
static CSV_REACH: Reach = Reach::new();

/// The JSON reader on one input: read, or a typed error.
fn read_json(bytes: &[u8]) -> Result<(), TestCaseError> {
    let doc = match ffprobe_json::parse(bytes) {
        Ok(doc) => doc,
        Err(error) => return check_output_error(&error),
    };
    JSON_REACH.parsed();
    match from_probe_json(&doc, Path::new("mutated.mov")) {
        Ok(probe) => {
            JSON_REACH.read();
            let info = probe.footage_info();
            if !(info.fps.is_finite() && info.fps > 0.0) {
                return Err(fail(format!("a frame rate of {} fps", info.fps)));
            }
            check_round_trip(&probe)
        }
        Err(error) => check_error(&error),
    }
}

/// Time bases and rates a hostile header could give the packet pass.
const HOSTILE_RATIONALS: &[(i64, i64)] = &[
    (1, 1),
    (1, 90_000),
    (1001, 24_000),
    (1, i64::MAX),
    (i64::MAX, 1),
    (i64::MAX, i64::MAX - 1),
    (3, 7),
];

/// One packet-listing case.
#[derive(Debug, Clone)]
struct CsvCase {
    sample: Pos,
    mutations: Vec<Mutation>,
    partial: u64,
    time_base: Option<Pos>,
    rate: Option<Pos>,
}

/// The packet reader on one input: parse, fold into the probe of the same file.
fn read_csv(case: &CsvCase, bytes: &[u8], base: &FootageProbe) -> Result<(), TestCaseError> {
    let packets = match parse_packet_csv(&String::from_utf8_lossy(bytes)) {
        Ok(packets) => packets,
        Err(error) => return check_output_error(&error),
    };
    CSV_REACH.parsed();
    let pick = |i: &Pos| {
        let (n, d) = HOSTILE_RATIONALS[i.index(HOSTILE_RATIONALS.len())];
        Rational::new(n, d)
    };
    let mut probe = base.clone();
    if let Some(rate) = case.rate.as_ref().and_then(pick) {
        probe.rate = FrameRate::exact(rate, RateSource::AvgFrameRate);
    }
    let time_base = case
        .time_base
        .as_ref()
        .and_then(pick)
        .or(base.time_base)
        .unwrap_or(Rational { num: 1, den: 1 });
    fold_packets(&mut probe, &packets, case.partial, time_base);
    CSV_REACH.read();
    if probe.frame_counts.exact.is_none() {
        return Err(fail("the packet pass set no exact count".to_owned()));
    }
    check_round_trip(&probe)
}

/// What the watchdog shows when a run stalls: the input being read.
type Current = Arc<Mutex<(Instant, Vec<u8>)>>;

fn note_input(current: &Current, bytes: &[u8]) {
    if let Ok(mut slot) = current.lock() {
        *slot = (Instant::now(), bytes.to_vec());
    }
}

/// Run `cases` cases of `strategy` through `check` on a worker thread, with a
/// watchdog on the calling thread; panics with the failing (shrunk) input.
fn run_watched<S>(
    name: &'static str,
    reach: &'static Reach,
    strategy: S,
    check: impl Fn(&S::Value, &Current) -> Result<(), TestCaseError> + Send + 'static,
) where
    S: Strategy + Send + 'static,
    S::Value: std::fmt::Debug,
{
    let (cases, seed) = run_config();
    let current: Current = Arc::new(Mutex::new((Instant::now(), Vec::new())));
    let shared = Arc::clone(&current);
    let started = Instant::now();
    let worker = std::thread::spawn(move || {
        let config = Config {
            cases,
            rng_seed: RngSeed::Fixed(seed),
            source_file: Some(file!()),
            failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
                "proptest-regressions",
            ))),
            max_shrink_iters: 2_000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |value| {
            let case_started = Instant::now();
            check(&value, &shared)?;
            let took = case_started.elapsed();
            if took > SLOW_CASE {
                return Err(fail(format!("one case took {took:?}")));
            }
            Ok(())
        });
        result.map_err(|e| match e {
            TestError::Fail(why, value) => format!("{why}\ninput: {value:#?}"),
            TestError::Abort(why) => format!("aborted: {why}"),
        })
    });
    // Generous for a debug build on a loaded machine; the run takes seconds.
    let deadline = Duration::from_secs(60) + Duration::from_millis(u64::from(cases) * 5);
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(50));
        let stalled = current
            .lock()
            .map(|slot| slot.0.elapsed())
            .unwrap_or_default();
        if started.elapsed() > deadline || stalled > Duration::from_secs(30) {
            let input = current
                .lock()
                .map(|slot| String::from_utf8_lossy(&slot.1).into_owned())
                .unwrap_or_default();
            panic!("{name}: the reader hung (stalled {stalled:?}) on:\n{input}");
        }
    }
    match worker.join() {
        Ok(Ok(())) => eprintln!(
            "{name}: {cases} mutated inputs (seed {seed}) in {:?}: {}",
            started.elapsed(),
            reach.summary()
        ),
        Ok(Err(report)) => panic!("{name}: {report}"),
        Err(_) => panic!("{name}: the worker thread panicked outside a case"),
    }
}

#[test]
fn mutated_ffprobe_json_is_read_or_refused_with_a_typed_error() {
    // Every sample reads as it is, first.
    for (name, bytes) in JSON_SAMPLES {
        let doc = ffprobe_json::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let _ = from_probe_json(&doc, Path::new(name));
    }
    let strategy = (
        pos(),
        prop_oneof![
            prop::collection::vec(byte_mutation(), 1..=6),
            prop::collection::vec(json_mutation(), 1..=8),
        ],
    );
    run_watched(
        "ffprobe JSON",
        &JSON_REACH,
        strategy,
        |(sample, mutations): &(Pos, Vec<Mutation>), current| {
            let mut bytes = JSON_SAMPLES[sample.index(JSON_SAMPLES.len())].1.to_vec();
            for m in mutations {
                apply(&mut bytes, m);
            }
            note_input(current, &bytes);
            read_json(&bytes)
        },
    );
}

#[test]
fn mutated_packet_listings_are_read_or_refused_with_a_typed_error() {
    let bases: Vec<FootageProbe> = CSV_SAMPLES
        .iter()
        .map(|(name, csv, json)| {
            assert!(
                parse_packet_csv(&String::from_utf8_lossy(csv)).is_ok(),
                "{name}"
            );
            let doc = ffprobe_json::parse(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            from_probe_json(&doc, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect();
    let strategy = (
        pos(),
        prop::collection::vec(line_mutation(), 1..=6),
        0u64..4,
        prop::option::weighted(0.3, pos()),
        prop::option::weighted(0.3, pos()),
    )
        .prop_map(|(sample, mutations, partial, time_base, rate)| CsvCase {
            sample,
            mutations,
            partial,
            time_base,
            rate,
        });
    run_watched(
        "packet CSV",
        &CSV_REACH,
        strategy,
        move |case: &CsvCase, current| {
            let index = case.sample.index(CSV_SAMPLES.len());
            let mut bytes = CSV_SAMPLES[index].1.to_vec();
            for m in &case.mutations {
                apply(&mut bytes, m);
            }
            note_input(current, &bytes);
            read_csv(case, &bytes, &bases[index])
        },
    );
}

#[test]
fn the_mutations_edit_what_they_say() {
    let mut bytes = b"{\"a\": \"24000/1001\", \"b\": -5}".to_vec();
    let first = Pos(0);
    apply(&mut bytes, &Mutation::ReplaceNumber(first, b"NaN".to_vec()));
    assert_eq!(bytes, b"{\"a\": \"NaN\", \"b\": -5}");
    let mut csv = b"1,2,3,K_\n4,5,6,__\n".to_vec();
    apply(&mut csv, &Mutation::ReplaceField(first, 2, b"X".to_vec()));
    assert_eq!(csv, b"1,2,X,K_\n4,5,6,__\n");
    apply(&mut csv, &Mutation::DuplicateLine(first, 2));
    assert_eq!(csv, b"1,2,X,K_\n1,2,X,K_\n1,2,X,K_\n4,5,6,__\n");
    for field in JSON_FIELDS {
        let doc = format!("{{{field}\"x\":1}}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&doc).is_ok(),
            "{doc}"
        );
    }
    for value in JSON_VALUES {
        assert!(
            serde_json::from_str::<serde_json::Value>(value).is_ok(),
            "{value}"
        );
    }
    let mut short = b"ab".to_vec();
    apply(&mut short, &Mutation::Delete(first, 10));
    assert!(short.is_empty());
    apply(&mut short, &Mutation::FlipBit(first, 3));
    apply(&mut short, &Mutation::Duplicate(first, 5, 2));
    assert!(short.is_empty());
}
