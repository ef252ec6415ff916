//! Mutation property test of the session YAML reader (`from_yaml_str::<TrackingSession>`,
//! which the session store's every load goes through): hostile variations of valid
//! session files.
//!
//! **Inputs.** The seed files of the Python original (`tests/fixtures/`, byte copies
//! of `shared/fixtures/session/`; the solve and report files too, read as a session:
//! every key of theirs is an unknown key to keep), plus a newer writer's session with
//! unknown keys, the same in flow style, and one with a byte-order mark and Windows
//! line ends.
//!
//! **Mutations** (1 to 4 per case, stacked): a flipped or replaced byte (invalid UTF-8
//! is read as the store reads text: refused, here replaced), truncation, an inserted
//! hostile token (a BOM, `!!python/object:os.system`, `!!binary`, a local tag, `%TAG`,
//! anchors and aliases, `<<`, `=`, `null`, document markers, indicators, quotes, tabs,
//! CR, NEL/LS/PS, NUL, `.nan`, `1e400`, huge integers, YAML 1.1 words, 200-deep
//! nesting, an 8 kB line), a token replaced by one, a span duplicated or deleted, a
//! line duplicated, deleted or swapped, a line's indentation changed, and an unknown
//! (or duplicated known) key line inserted.
//!
//! **Property.** Never a panic, never a hang (a watchdog aborts the run naming the
//! case when one read takes more than 20 s); every failure is a typed [`YamlError`]
//! whose message is one line and whose line and column, when given, lie inside the
//! text; every success is written back by [`to_yaml_string`] (or refused with a typed
//! error: a non-finite number in a known field) and that text reads back to the same
//! session, unknown keys included, bit for bit: nothing read is lost through a save.
//!
//! **Cases.** 10 000 per run from a fixed seed (about 5 s in a debug build); set
//! `CINEMATIC_MUTATION_CASES` for more (e.g. `CINEMATIC_MUTATION_CASES=1000000 cargo
//! test --release -p tracking-yaml --test it -- session_mutations`) and
//! `CINEMATIC_MUTATION_SEED` for other inputs; a failure names the seed and case.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use cinematic_testkit::mutation::{
    CASES_VAR, Rng, SEED_VAR, Watchdog, env_u64, line_spans, token_spans,
};
use tracking_types::TrackingSession;
use tracking_yaml::{YamlError, YamlLimits, from_yaml_str, to_yaml_string};

use crate::common::strategies::bitwise_eq;

/// Cases per run unless `CINEMATIC_MUTATION_CASES` says otherwise.
const DEFAULT_CASES: u64 = 10_000;
/// The seed unless `CINEMATIC_MUTATION_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x00C1_7E3A_75E5;
/// A single read taking longer than this is a hang.
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// A newer writer's session: unknown keys at the top and in a track, YAML 1.1 values.
const NEWER: &str = "\
session_id: shot_020
camera_prof1le: arri
footage_path: /plates/a.mov
frame_start: 1001
frame_end: 1010
current_frame: 1001
lens:
  model: Cooke S4
  focal: 35
  primes:
  - 25
  - 50
tracks:
- name: Track.001
  markers:
    '1001':
    - 0.5
    - 0.25
  colour:
  - 0.5
  - 1
  weight: .inf
  solved: yes
exported_at: 2024-05-01 10:00:00
octal: 0777
clock: 12:30
quoted: 'no'
nothing:
saved_at: '2026-11-20T10:15:30.123456'
";

/// Tokens a hostile or broken writer might leave in a session file.
const HOSTILE: &[&str] = &[
    "\u{feff}",
    "!!python/object:os.system ",
    "!!python/object/apply:os.system [echo] ",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!binary |\n  aGk=\n",
    "!foo ",
    "! ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!null ",
    "!!bool ",
    "!!timestamp ",
    "!!set ",
    "!!omap ",
    "!!map ",
    "!!seq ",
    "!<tag:yaml.org,2002:str> ",
    "!!%70ython/none ",
    "!e!int ",
    "%TAG ! tag:yaml.org,2002:\n---\n",
    "%TAG !e! tag:yaml.org,2002:\n---\n",
    "%YAML 1.1\n---\n",
    "&a ",
    "*a",
    "<<: ",
    "<<",
    "=",
    "null",
    "~",
    "Null",
    "---\n",
    "...\n",
    "--- ",
    "? ",
    ": ",
    "- ",
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "[]",
    "{}",
    ",",
    "'",
    "''",
    "\"",
    "|",
    "|-\n",
    ">",
    "#",
    " #",
    "@",
    "`",
    "%",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\0",
    "\\",
    "\\x",
    "\\u00",
    "\u{fffd}",
    "é",
    "1e400",
    "-1e400",
    ".nan",
    ".inf",
    "-.inf",
    "-0",
    "0x10",
    "0o17",
    "0777",
    "08",
    "0b_",
    "12:30",
    "190:20:30.15",
    "1_000",
    "1__0.5_",
    "2024-01-01",
    "2024-01-01 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "yes",
    "No",
    "on",
    "123456789012345678901234567890",
    "340282366920938463463374607431768211456",
    "99999999999999999999",
    "-9223372036854775809",
    "9223372036854775808",
    "camera_prof1le: x\n",
    "session_id: other\n",
];

/// Keys an inserted line may carry: unknown ones, known ones (a duplicate), odd ones.
const KEYS: &[&str] = &[
    "camera_prof1le",
    "colour",
    "future",
    "session_id",
    "name",
    "tracks",
    "markers",
    "'quoted key'",
    "\"1001\"",
    "1001",
    "yes",
    "~",
    "<<",
    "=",
    "? complex",
    "é",
];

/// A hostile token, or now and then a very long or very deep one.
fn token(rng: &mut Rng) -> Vec<u8> {
    match rng.below(30) {
        0 => vec![*rng.pick(b"x -:'\"[{"); 1 + rng.below(8192)],
        1 => {
            let depth = 1 + rng.below(200);
            let (open, close) = if rng.below(2) == 0 {
                ("[", "]")
            } else {
                ("{a: ", "}")
            };
            format!("{}1{}", open.repeat(depth), close.repeat(depth)).into_bytes()
        }
        2 => {
            // Deep block nesting: a key per level, two more spaces each.
            let depth = 1 + rng.below(100);
            let mut text = String::from("\n");
            for level in 0..depth {
                text.push_str(&" ".repeat(level * 2));
                text.push_str("k:\n");
            }
            text.into_bytes()
        }
        _ => rng.pick(HOSTILE).as_bytes().to_vec(),
    }
}

/// Start and end of each token: a run of bytes without spaces, line breaks or `:`.
fn fields(bytes: &[u8]) -> Vec<(usize, usize)> {
    token_spans(bytes, |b| b.is_ascii_whitespace() || b == b':')
}

/// One mutation, in place.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    match rng.below(12) {
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
        // A token (a value, a key, a number) replaced by a hostile one.
        4 | 5 => {
            let fields = fields(bytes);
            if !fields.is_empty() {
                let (start, end) = *rng.pick(&fields);
                let token = token(rng);
                bytes.splice(start..end, token);
            }
        }
        // A span duplicated somewhere.
        6 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            let span = bytes[start..end].to_vec();
            let at = rng.position(bytes);
            bytes.splice(at..at, span);
        }
        // A span deleted.
        7 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(start..end);
        }
        // A line's indentation changed.
        8 => {
            let lines = line_spans(bytes);
            if !lines.is_empty() {
                let (start, _) = *rng.pick(&lines);
                if rng.below(2) == 0 {
                    let spaces = vec![b' '; 1 + rng.below(3)];
                    bytes.splice(start..start, spaces);
                } else if bytes.get(start) == Some(&b' ') {
                    bytes.remove(start);
                }
            }
        }
        // A key line inserted at some line's indentation (an unknown key, or a
        // duplicate of a known one).
        9 => {
            let lines = line_spans(bytes);
            let (start, end) = if lines.is_empty() {
                (0, 0)
            } else {
                *rng.pick(&lines)
            };
            let indent = bytes[start..end].iter().take_while(|&&b| b == b' ').count();
            let mut line = vec![b' '; indent];
            if bytes.get(start + indent) == Some(&b'-') && rng.below(2) == 0 {
                line.extend_from_slice(b"  ");
            }
            line.extend_from_slice(rng.pick(KEYS).as_bytes());
            line.extend_from_slice(b": ");
            line.extend(token(rng));
            line.push(b'\n');
            bytes.splice(start..start, line);
        }
        // A line duplicated, deleted, or two lines swapped.
        _ => {
            let lines = line_spans(bytes);
            if lines.len() >= 2 {
                let (a, b) = (*rng.pick(&lines), *rng.pick(&lines));
                let line_a = bytes[a.0..a.1].to_vec();
                match rng.below(3) {
                    0 => {
                        let mut copy = line_a;
                        copy.push(b'\n');
                        bytes.splice(b.0..b.0, copy);
                    }
                    1 => {
                        let end = (a.1 + 1).min(bytes.len());
                        bytes.drain(a.0..end);
                    }
                    _ if a.0 < b.0 => {
                        let line_b = bytes[b.0..b.1].to_vec();
                        bytes.splice(b.0..b.1, line_a);
                        bytes.splice(a.0..a.1, line_b);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// What is wrong with a read's outcome, if anything.
fn violation(text: &str, result: &Result<TrackingSession, YamlError>) -> Option<String> {
    let session = match result {
        Err(error) => {
            let message = error.to_string();
            if message.is_empty() || message.contains('\n') {
                return Some(format!("not a one-line error: {message:?} ({error:?})"));
            }
            // libyaml also counts CR, NEL, LS and PS as line breaks.
            let lines = text
                .chars()
                .filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
                .count()
                + 2;
            if let Some(line) = error.line()
                && !(1..=lines).contains(&line)
            {
                return Some(format!("line {line} outside the text: {error:?}"));
            }
            if error.column() == Some(0) || (error.column().is_some() && error.line().is_none()) {
                return Some(format!("bad column: {error:?}"));
            }
            return None;
        }
        Ok(session) => session,
    };
    let written = match to_yaml_string(session) {
        Ok(written) => written,
        Err(YamlError::NonFinite { .. }) => return None,
        Err(other) => return Some(format!("what we read cannot be written: {other}")),
    };
    match from_yaml_str::<TrackingSession>(&written, &YamlLimits::default()) {
        Ok(back) if bitwise_eq(&back, session) => None,
        Ok(back) => Some(format!(
            "what we wrote reads back differently: {}",
            first_difference(&format!("{session:?}"), &format!("{back:?}"))
        )),
        Err(e) => Some(format!(
            "what we wrote does not read back: {e}\n  wrote {written:?}"
        )),
    }
}

/// Where `a` and `b` first differ, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let window = |s: &str| {
        let start = (0..=at.saturating_sub(120).min(s.len()))
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        let end = (at + 120).min(s.len());
        let end = (end..=s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(s.len());
        s[start..end].to_owned()
    };
    format!("\n  read … {} …\n  back … {} …", window(a), window(b))
}

/// The valid files every case starts from, each checked to load.
fn originals() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 4, "seed fixtures missing in {dir}");
    let flow = NEWER
        .replace("  primes:\n  - 25\n  - 50\n", "  primes: [25, 50]\n")
        .replace("  colour:\n  - 0.5\n  - 1\n", "  colour: [0.5, 1]\n");
    out.push(("newer writer".to_owned(), NEWER.as_bytes().to_vec()));
    out.push(("newer writer, flow".to_owned(), flow.into_bytes()));
    out.push((
        "newer writer, BOM + CRLF".to_owned(),
        format!("\u{feff}{}", NEWER.replace('\n', "\r\n")).into_bytes(),
    ));
    for (name, bytes) in &out {
        let text = std::str::from_utf8(bytes).unwrap();
        from_yaml_str::<TrackingSession>(text, &YamlLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    out
}

fn printable(text: &str) -> String {
    let cut = (0..=text.len().min(800))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!(
        "{:?}{}",
        &text[..cut],
        if cut < text.len() { " …" } else { "" }
    )
}

#[test]
fn mutated_session_files_never_panic_hang_or_lose_what_was_read() {
    let cases = env_u64(CASES_VAR, DEFAULT_CASES);
    let seed = env_u64(SEED_VAR, DEFAULT_SEED);
    let originals = originals();
    // A hang cannot be caught: the watchdog aborts the run, naming the case.
    let watchdog = Watchdog::start("session_mutations", HANG_LIMIT, seed);

    let started = Instant::now();
    let mut failures = Vec::new();
    let (mut ok, mut errors, mut with_unknown_keys) = (0u64, 0u64, 0u64);
    for case in 0..cases {
        watchdog.case(case);
        // One generator per case, so any case replays alone from (seed, case).
        let mut rng = Rng::for_case(seed, case);
        let (name, original) = rng.pick(&originals);
        let mut bytes = original.clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut bytes, &mut rng);
        }
        let text = String::from_utf8_lossy(&bytes);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let result = from_yaml_str::<TrackingSession>(&text, &YamlLimits::default());
            let problem = violation(&text, &result);
            (result, problem)
        }));
        let problem = match outcome {
            Err(_) => Some("panicked".to_owned()),
            Ok((result, problem)) => {
                match &result {
                    Ok(session) => {
                        ok += 1;
                        with_unknown_keys += u64::from(!session.unknown_keys().is_empty());
                    }
                    Err(_) => errors += 1,
                }
                problem
            }
        };
        if let Some(mut problem) = problem {
            if problem.len() > 3000 {
                let cut = (0..=3000)
                    .rev()
                    .find(|&i| problem.is_char_boundary(i))
                    .unwrap_or(0);
                problem.truncate(cut);
                problem.push_str(" …");
            }
            failures.push(format!(
                "case {case} (CINEMATIC_MUTATION_SEED={seed:#x}), from {name}: {problem}\n  input: {}",
                printable(&text)
            ));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    watchdog.finish();
    eprintln!(
        "session_mutations: {cases} cases in {:.1?}: {ok} read ({with_unknown_keys} with unknown keys), {errors} typed errors, seed {seed:#x}",
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The mutations must not be so gentle that nothing fails, nor so rough that
    // nothing reads.
    assert!(
        ok > cases / 20 && errors > cases / 20 && with_unknown_keys > cases / 50,
        "{ok} read, {errors} errors, {with_unknown_keys} with unknown keys"
    );
}
