//! Mutation property test of the `.chan` reader: hostile variations of real files.
//!
//! Each case takes one of the valid fixtures (`tests/fixtures/valid/*.chan`), applies one
//! to four mutations — a flipped or replaced byte, truncation, an inserted hostile token
//! (NUL, CR, a UTF-8 BOM, invalid UTF-8, `nan`, `inf`, `1e308`, `1e-320`, huge integers,
//! a very long line, …), a field replaced by such a token, a span duplicated or deleted,
//! a line duplicated or two lines swapped — and reads the result with hostile options
//! (a scale of up to `1e300`, frame offsets at `i64::MAX`, film backs of `1e-300` mm,
//! every rotation order), with [`parse_str`] (valid UTF-8) or
//! [`ChanReader::from_reader`] (any bytes), in strict and in lenient mode. Every case
//! must hold:
//!
//! - no panic, and no hang (a watchdog aborts the run, naming the case, when one read
//!   takes more than 20 s);
//! - every failure is a typed error: [`Error::Chan`] with a real position (line and
//!   column from 1, byte offset inside the input), or [`Error::NoFrames`];
//! - every success is all finite: locations, rotations, matrices, and lenses finite and
//!   above 0; frames ascending and unique; and the solve built from it holds finite
//!   numbers only;
//! - a strict success is a lenient success with the same frames and no warning.
//!
//! The run is deterministic: a fixed seed, and 10 000 cases by default (a few seconds
//! in a debug build: the inputs are a few hundred bytes). Raise the count with
//! `CINEMATIC_MUTATION_CASES` (e.g. `CINEMATIC_MUTATION_CASES=1000000 cargo test
//! --release -p tracking-io --test it -- chan_mutations`) and change the seed with
//! `CINEMATIC_MUTATION_SEED`; a failure names the seed and case to replay.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Duration;

use cinematic_testkit::mutation::{
    CASES_VAR, Rng, SEED_VAR, Watchdog, env_u64, line_spans, token_spans,
};
use tracking_io::{
    ChanImport, ChanOptions, ChanReader, Error, FilmBack, ReadMode, RotationOrder, parse_str,
};

/// Cases per run unless `CINEMATIC_MUTATION_CASES` says otherwise.
const DEFAULT_CASES: u64 = 10_000;
/// The seed unless `CINEMATIC_MUTATION_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x00C1_7E3A_71C5;
/// A single read taking longer than this is a hang.
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// Tokens a hostile or broken writer might leave in a file.
const HOSTILE: &[&[u8]] = &[
    b"\0",
    b"\r",
    b"\r\n",
    b"\n",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xC3(",
    b"\x0B",
    b"\x0C",
    b"\t",
    b" ",
    b"#",
    b"nan",
    b"NaN",
    b"-nan",
    b"inf",
    b"-inf",
    b"infinity",
    b"1e308",
    b"-1e308",
    b"1.7976931348623157e308",
    b"1e309",
    b"1e-320",
    b"4.9e-324",
    b"1e-400",
    b"0",
    b"-0",
    b"0.0",
    b"180",
    b"179.99999999999997",
    b"1e-15",
    b"9007199254740993",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"99999999999999999999999",
    b"1.5",
    b"1e5",
    b"0x10",
    b"1,5",
    b"e",
    b".",
    b"-",
    b"+",
    b"--1",
    b"1..2",
    b"12345678.87654321",
];

/// A hostile token, or now and then a very long one.
fn token(rng: &mut Rng) -> Vec<u8> {
    match rng.below(20) {
        0 => vec![*rng.pick(b"9 x.\t-"); 1 + rng.below(8192)],
        1 => {
            let mut digits = b"1.".to_vec();
            digits.extend(std::iter::repeat_n(b'0', rng.below(400)));
            digits.push(b'1');
            digits
        }
        _ => rng.pick(HOSTILE).to_vec(),
    }
}

/// One mutation, in place.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    match rng.below(10) {
        // A byte flipped or replaced.
        0 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            bytes[i] = if rng.below(2) == 0 {
                bytes[i] ^ (1 << rng.below(8))
            } else {
                u8::try_from(rng.below(256)).unwrap()
            };
        }
        // Truncated.
        1 => {
            let at = rng.position(bytes);
            bytes.truncate(at);
        }
        // A hostile token inserted anywhere.
        2 | 3 => {
            let at = rng.position(bytes);
            let token = token(rng);
            bytes.splice(at..at, token);
        }
        // A field replaced by a hostile token (the numbers the checks are about).
        4..=6 => {
            let fields = token_spans(bytes, |b| b.is_ascii_whitespace());
            if !fields.is_empty() {
                let (start, end) = *rng.pick(&fields);
                let token = token(rng);
                bytes.splice(start..end, token);
            }
        }
        // A span duplicated somewhere.
        7 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            let span = bytes[start..end].to_vec();
            let at = rng.position(bytes);
            bytes.splice(at..at, span);
        }
        // A span deleted.
        8 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(start..end);
        }
        // A line duplicated (a duplicate frame) or two lines swapped (out of order).
        _ => {
            let lines = line_spans(bytes);
            if lines.len() >= 2 {
                let (a, b) = (*rng.pick(&lines), *rng.pick(&lines));
                let line_a = bytes[a.0..a.1].to_vec();
                if rng.below(2) == 0 {
                    let mut copy = line_a;
                    copy.push(b'\n');
                    bytes.splice(b.0..b.0, copy);
                } else if a.0 < b.0 {
                    let line_b = bytes[b.0..b.1].to_vec();
                    bytes.splice(b.0..b.1, line_a);
                    bytes.splice(a.0..a.1, line_b);
                }
            }
        }
    }
}

/// Options for a case: usually Nuke's defaults, often something hostile.
fn options(rng: &mut Rng) -> ChanOptions {
    let mut options = ChanOptions::default();
    if rng.below(2) == 0 {
        return options;
    }
    options.rotation_order = *rng.pick(&RotationOrder::ALL);
    options.z_up = rng.below(2) == 0;
    options.euler_filter = rng.below(2) == 0;
    options.scale = *rng.pick(&[1.0, 10.0, -1.0, 1e-300, 1e300, f64::MAX]);
    options.frame_offset = *rng.pick(&[0, 1000, -1000, i64::MAX, i64::MIN]);
    options.film_back = *rng.pick(&[
        FilmBack::NUKE_DEFAULT,
        FilmBack::BLENDER_CHAN_ADDON,
        FilmBack {
            width_mm: 1e-300,
            height_mm: 1e-300,
        },
        FilmBack {
            width_mm: 1e300,
            height_mm: 1e300,
        },
    ]);
    options
}

/// Reads `bytes` the way a caller would: as text when it is text.
fn read(bytes: &[u8], options: ChanOptions) -> Result<ChanImport, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text, options),
        Err(_) => ChanReader::from_reader(bytes, options).read(),
    }
}

/// What is wrong with a read's outcome, if anything.
fn violation(bytes: &[u8], mode: ReadMode, result: &Result<ChanImport, Error>) -> Option<String> {
    let import = match result {
        Err(Error::Chan { position, issue }) => {
            let inside = position.line >= 1
                && position.column >= 1
                && position.byte <= bytes.len() as u64
                && position.path.is_none();
            let text = result.as_ref().err()?.to_string();
            return (!inside || text.is_empty())
                .then(|| format!("bad position {position:?} for {issue:?}"));
        }
        Err(Error::NoFrames { .. }) => return None,
        Err(other) => return Some(format!("unexpected error kind: {other:?}")),
        Ok(import) => import,
    };
    if mode == ReadMode::Strict && !import.warnings.is_empty() {
        return Some(format!("warnings in strict mode: {:?}", import.warnings));
    }
    if let Some(w) = import
        .warnings
        .iter()
        .find(|w| w.position.line == 0 || w.position.column == 0)
    {
        return Some(format!("warning without a position: {w:?}"));
    }
    let frames = &import.track.frames;
    if frames.is_empty() {
        return Some("success without frames".into());
    }
    if let Some(pair) = frames.windows(2).find(|p| p[0].frame >= p[1].frame) {
        return Some(format!(
            "frames not ascending: {} then {}",
            pair[0].frame, pair[1].frame
        ));
    }
    for f in frames {
        let matrix = f.matrix_world_rows();
        let finite = f
            .location
            .iter()
            .chain(&f.rotation_euler_xyz_deg)
            .chain(matrix.iter().flatten())
            .all(|v| v.is_finite());
        let lens_ok = f.lens_mm.is_none_or(|l| l.is_finite() && l > 0.0);
        if !(finite && lens_ok) {
            return Some(format!("non-finite frame: {f:?}"));
        }
    }
    match import.to_solve_data_with_fallback(Some(35.0)) {
        Ok(solve) => {
            let finite = solve.focal_length.is_finite()
                && solve.focal_lengths.values().all(|v| v.is_finite())
                && solve
                    .camera_transforms
                    .values()
                    .flatten()
                    .all(|v| v.is_finite());
            (!finite).then(|| format!("non-finite solve: {solve:?}"))
        }
        Err(err) => Some(format!("a read track gave no solve: {err}")),
    }
}

/// The fixtures, each a valid `.chan`.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "chan"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no .chan fixtures in {}", dir.display());
    for (name, bytes) in &out {
        let text = std::str::from_utf8(bytes).unwrap();
        parse_str(text, ChanOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    out
}

fn printable(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(600)];
    format!(
        "{:?}{}",
        String::from_utf8_lossy(shown),
        if bytes.len() > shown.len() {
            " …"
        } else {
            ""
        }
    )
}

#[test]
fn mutated_valid_files_never_panic_hang_or_give_non_finite_numbers() {
    let cases = env_u64(CASES_VAR, DEFAULT_CASES);
    let seed = env_u64(SEED_VAR, DEFAULT_SEED);
    let fixtures = fixtures();
    // A hang cannot be caught: the watchdog aborts the run, naming the case.
    let watchdog = Watchdog::start("chan_mutations", HANG_LIMIT, seed);

    let mut failures = Vec::new();
    let (mut ok, mut errors) = (0u64, 0u64);
    for case in 0..cases {
        watchdog.case(case);
        // One generator per case, so any case replays alone from (seed, case).
        let mut rng = Rng::for_case(seed, case);
        let (name, original) = rng.pick(&fixtures);
        let mut bytes = original.clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut bytes, &mut rng);
        }
        let options = options(&mut rng);
        let mut strict_frames = None;
        for mode in [ReadMode::Strict, ReadMode::Lenient] {
            let options = ChanOptions { mode, ..options };
            let outcome = catch_unwind(AssertUnwindSafe(|| read(&bytes, options)));
            let problem = match &outcome {
                Err(_) => Some("panicked".to_owned()),
                Ok(result) => {
                    if mode == ReadMode::Strict {
                        *if result.is_ok() { &mut ok } else { &mut errors } += 1;
                    }
                    violation(&bytes, mode, result)
                        .or_else(|| consistency(mode, result, &mut strict_frames))
                }
            };
            if let Some(problem) = problem {
                failures.push(format!(
                    "case {case} (seed {seed:#x}), {name}, {mode:?}, {options:?}: {problem}\n  input: {}",
                    printable(&bytes)
                ));
            }
        }
        if failures.len() >= 5 {
            break;
        }
    }
    watchdog.finish();
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The mutations must not be so gentle that nothing fails, nor so rough that
    // nothing parses.
    assert!(
        ok > cases / 20 && errors > cases / 20,
        "{ok} ok, {errors} errors"
    );
}

/// A strict success must be a lenient success with the same frames and no warning.
fn consistency(
    mode: ReadMode,
    result: &Result<ChanImport, Error>,
    strict_frames: &mut Option<Vec<tracking_io::CameraFrame>>,
) -> Option<String> {
    match mode {
        ReadMode::Strict => {
            *strict_frames = result.as_ref().ok().map(|i| i.track.frames.clone());
            None
        }
        ReadMode::Lenient => {
            let strict = strict_frames.as_ref()?;
            match result {
                Ok(import) if import.warnings.is_empty() && &import.track.frames == strict => None,
                Ok(import) => Some(format!(
                    "strict read succeeded but lenient differs ({} warnings)",
                    import.warnings.len()
                )),
                Err(err) => Some(format!("strict read succeeded but lenient failed: {err}")),
            }
        }
    }
}
