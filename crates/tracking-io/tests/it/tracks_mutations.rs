//! Mutation property test of every 2D-track reader: hostile variations of real files.
//!
//! Each case takes the head (first 40 lines) of one real file from
//! `../shared/fixtures/wild` of a readable format, applies one to four mutations (a
//! flipped byte, truncation, a hostile token inserted or replacing a field, a line
//! duplicated, deleted or swapped), and reads the result with the format detected and
//! with the file's own format, strict and lenient, at a random image size and frame
//! offset. Every case must hold:
//!
//! - no panic, no hang (a watchdog names the case after 20 s);
//! - a failure is a typed error: [`Error::Tracks`] with a real position (line and
//!   column from 1, byte offset inside the input), or [`Error::NotRecognised`],
//!   [`Error::TrackSize`], [`Error::InvalidOption`];
//! - a success holds finite markers only, inside each track's frame keys;
//! - a strict success is a lenient success with the same tracks.
//!
//! Deterministic: a fixed seed and 3 000 cases by default; `CINEMATIC_MUTATION_CASES`
//! and `CINEMATIC_MUTATION_SEED` change them, and a failure names the seed and case.

use std::path::Path;
use std::time::Duration;

use cinematic_testkit::mutation::{
    CASES_VAR, Rng, SEED_VAR, Watchdog, env_u64, line_spans, token_spans,
};
use tracking_io::tracks::{ImageSize, TrackFormat, TrackReadOptions, TrackReader};
use tracking_io::{Error, ReadMode};

const DEFAULT_CASES: u64 = 3_000;
const DEFAULT_SEED: u64 = 0x2D_7AC5;
const HANG_LIMIT: Duration = Duration::from_secs(20);

const FILES: &[(&str, TrackFormat)] = &[
    ("3de_points/tsp_3de_v3_export.txt", TrackFormat::Equalizer3),
    ("3de_points/tsp_3de_v4_cube.txt", TrackFormat::Equalizer4),
    ("syntheyes_2d/tsp_cola_plate.txt", TrackFormat::Syntheyes),
    (
        "syntheyes_2d/tsp_allpaths_shot06_2dTracks.txt",
        TrackFormat::SyntheyesPixels,
    ),
    (
        "pftrack_2dt/tsp_pftrack4_sourcefile.2dt",
        TrackFormat::Pftrack4,
    ),
    ("pftrack_2dt/tsp_pftrack5_stereo.2dt", TrackFormat::Pftrack5),
    (
        "pftrack_2dt/tsp_pfmatchit_example.2dt",
        TrackFormat::Pfmatchit,
    ),
    ("boujou_txt/tsp_boujou_txt_export.txt", TrackFormat::Boujou),
];

const HOSTILE: &[&[u8]] = &[
    b"\0",
    b"\r",
    b"\r\n",
    b"\n",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xC3(",
    b"\t",
    b" ",
    b"#",
    b"\"",
    b"\"\"",
    b"nan",
    b"inf",
    b"-inf",
    b"1e308",
    b"1e309",
    b"-1e308",
    b"1e-320",
    b"0",
    b"-0",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"99999999999999999999999",
    b"1.5",
    b"0x10",
    b"1,5",
    b"e",
    b".",
    b"-",
    b"//",
    b"// 3DE Multiple Tracking Curves Export 0 x 0 * 0 frames",
    b"\"Primary\"",
    b"4294967296",
    b"18446744073709551616",
];

fn wild(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wild")
        .join(rel);
    let bytes = std::fs::read(path).unwrap();
    let spans = line_spans(&bytes);
    let end = spans.get(40).map_or(bytes.len(), |s| s.0);
    bytes[..end].to_vec()
}

fn token(rng: &mut Rng) -> Vec<u8> {
    if rng.below(25) == 0 {
        vec![*rng.pick(b"9 x.\t-\""); 1 + rng.below(4096)]
    } else {
        rng.pick(HOSTILE).to_vec()
    }
}

fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    match rng.below(9) {
        0 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
        }
        1 => {
            let at = rng.position(bytes);
            bytes.truncate(at);
        }
        2 | 3 => {
            let at = rng.position(bytes);
            let t = token(rng);
            bytes.splice(at..at, t);
        }
        4 | 5 => {
            let fields = token_spans(bytes, |b| b.is_ascii_whitespace());
            if !fields.is_empty() {
                let (start, end) = *rng.pick(&fields);
                let t = token(rng);
                bytes.splice(start..end, t);
            }
        }
        6 => {
            let lines = line_spans(bytes);
            if !lines.is_empty() {
                let (start, end) = *rng.pick(&lines);
                let copy = bytes[start..end].to_vec();
                bytes.splice(start..start, copy);
            }
        }
        7 => {
            let lines = line_spans(bytes);
            if !lines.is_empty() {
                let (start, end) = *rng.pick(&lines);
                bytes.drain(start..end);
            }
        }
        _ => {
            let lines = line_spans(bytes);
            if lines.len() >= 2 {
                let a = rng.below(lines.len() - 1);
                let (s0, e0) = lines[a];
                let (s1, e1) = lines[a + 1];
                let mut swapped = bytes[s1..e1].to_vec();
                swapped.extend_from_slice(&bytes[e0..s1]);
                swapped.extend_from_slice(&bytes[s0..e0]);
                bytes.splice(s0..e1, swapped);
            }
        }
    }
}

fn check(
    bytes: &[u8],
    options: TrackReadOptions,
    context: &str,
) -> Option<Vec<tracking_types::TrackData>> {
    match TrackReader::from_reader(bytes, options).read() {
        Ok(import) => {
            for track in &import.tracks {
                for p in track.markers.values() {
                    assert!(p[0].is_finite() && p[1].is_finite(), "{context}: {p:?}");
                }
            }
            Some(import.tracks)
        }
        Err(Error::Tracks { position, .. }) => {
            assert!(
                position.line >= 1 && position.column >= 1,
                "{context}: {position:?}"
            );
            assert!(
                position.byte <= bytes.len() as u64,
                "{context}: {position:?}"
            );
            None
        }
        Err(
            Error::NotRecognised { .. } | Error::TrackSize { .. } | Error::InvalidOption { .. },
        ) => None,
        Err(other) => panic!("{context}: untyped error {other:?}"),
    }
}

#[test]
fn readers_survive_mutated_real_files() {
    let seed = env_u64(SEED_VAR, DEFAULT_SEED);
    let cases = env_u64(CASES_VAR, DEFAULT_CASES);
    let sources: Vec<(Vec<u8>, TrackFormat)> =
        FILES.iter().map(|(f, format)| (wild(f), *format)).collect();
    let watchdog = Watchdog::start("tracks_mutations", HANG_LIMIT, seed);
    for case in 0..cases {
        watchdog.case(case);
        let mut rng = Rng::for_case(seed, case);
        let (source, format) = rng.pick(&sources);
        let mut bytes = source.clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut bytes, &mut rng);
        }
        let size = ImageSize::new(2 + rng.below(8190) as u32, 2 + rng.below(8190) as u32).unwrap();
        let frame_offset = *rng.pick(&[0, 1000, -1, i64::MAX, i64::MIN]);
        let context = format!("seed {seed} case {case} ({format})");
        let detected = if rng.below(2) == 0 {
            None
        } else {
            Some(*format)
        };
        let strict = TrackReadOptions {
            format: detected,
            size: Some(size),
            frame_offset,
            mode: ReadMode::Strict,
        };
        let lenient = TrackReadOptions {
            mode: ReadMode::Lenient,
            ..strict
        };
        let a = check(&bytes, strict, &context);
        let b = check(&bytes, lenient, &context);
        if let Some(a) = a {
            assert_eq!(Some(a), b, "{context}: strict success, lenient differs");
        }
    }
    watchdog.finish();
}
