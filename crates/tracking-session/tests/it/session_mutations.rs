//! Mutation property test of the session store's reader, end to end: a mutated valid
//! session file is put in a store, loaded, and — when it loads — saved and loaded
//! again.
//!
//! **Inputs.** The seed sessions of the Python original (`tracking-yaml`'s
//! `tests/fixtures/`, byte copies of `shared/fixtures/session/`) and a newer writer's
//! session with unknown keys, a byte-order mark and Windows line ends.
//!
//! **Mutations** (1 to 4 per case): a flipped or replaced byte (so invalid UTF-8 too),
//! truncation, an inserted hostile token (a BOM, unsafe and binary tags, `null`, `<<`,
//! quotes, indicators, CR, NUL, a stray UTF-8 continuation byte, an unknown key line),
//! a span deleted or duplicated, a line duplicated or deleted.
//!
//! **Property.** Never a panic. A load is either a session or a typed error: a
//! one-line [`Error::Corrupt`] (line and column from 1 when given) whose file was moved
//! aside byte for byte, never lost (an import leaves it where it is), or an
//! [`Error::IdMismatch`] leaving the file in place. A session with unknown keys is reported once through
//! `StoreOptions::on_warning`; saving it and loading it again gives the same session,
//! unknown keys included (bookkeeping fields aside).
//!
//! **Cases.** 10 000 per run from a fixed seed: nine in ten are read as an import
//! (`load_from_path`, which leaves the file alone), one in ten is loaded from the store
//! and, when it loads, saved (which syncs to disk) and loaded again;
//! `CINEMATIC_MUTATION_CASES` and `CINEMATIC_MUTATION_SEED`
//! as in the codec's own mutation test (`tracking-yaml/tests/it/session_mutations.rs`,
//! which runs the reader alone, faster, and the documented 10⁶ local mode).

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use cinematic_testkit::mutation::{CASES_VAR, Rng, SEED_VAR, env_u64, line_spans};
use tracking_session::{Error, LoadWarning, StoreOptions, TrackingSessionManager};
use tracking_types::TrackingSession;

use crate::common::temp_root;

const DEFAULT_CASES: u64 = 10_000;
const DEFAULT_SEED: u64 = 0x00C1_7E3A_5705;

/// Tokens a hostile or broken writer might leave (bytes: invalid UTF-8 included).
const HOSTILE: &[&[u8]] = &[
    "\u{feff}".as_bytes(),
    b"!!python/object:os.system ",
    b"!!binary aGk=",
    b"!foo ",
    b"null",
    b"~",
    b"<<: {a: 1}\n",
    b"=",
    b"'",
    b"\"",
    b": ",
    b"- ",
    b"[",
    b"{",
    b"&a ",
    b"*a",
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b"\0",
    b"\x80",
    b"\xff\xfe",
    b".nan",
    b"1e400",
    b"yes",
    b"camera_prof1le: x\n",
    b"  colour: [1, 2]\n",
    b"---\n",
    b"...\n",
];

/// Where each line starts.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    line_spans(bytes)
        .into_iter()
        .map(|(start, _)| start)
        .collect()
}

fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    match rng.below(7) {
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] = if rng.below(2) == 0 {
                bytes[i] ^ (1 << rng.below(8))
            } else {
                u8::try_from(rng.below(256)).unwrap()
            };
        }
        1 => bytes.truncate(rng.below(len + 1)),
        2 | 3 => {
            let at = rng.below(len + 1);
            let token = HOSTILE[rng.below(HOSTILE.len())];
            bytes.splice(at..at, token.iter().copied());
        }
        4 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(48)).min(len);
            if rng.below(2) == 0 {
                bytes.drain(start..end);
            } else {
                let span = bytes[start..end].to_vec();
                let at = rng.below(bytes.len() + 1);
                bytes.splice(at..at, span);
            }
        }
        _ => {
            let starts = line_starts(bytes);
            if starts.len() >= 2 {
                let i = rng.below(starts.len());
                let start = starts[i];
                let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
                if rng.below(2) == 0 {
                    let line = bytes[start..end].to_vec();
                    let at = starts[rng.below(starts.len())];
                    bytes.splice(at..at, line);
                } else {
                    bytes.drain(start..end);
                }
            }
        }
    }
}

fn originals() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tracking-yaml/tests/fixtures"
    );
    let mut out = Vec::new();
    for name in ["seed_session_shot_010.yaml", "seed_session_defaults.yaml"] {
        out.push((name.to_owned(), fs::read(format!("{dir}/{name}")).unwrap()));
    }
    let newer = "session_id: shot_020\ncamera_prof1le: arri\nlens:\n  focal: 35\ntracks:\n- name: Track.001\n  markers:\n    '1001':\n    - 0.5\n    - 0.25\n  solved: yes\nexported_at: 2024-05-01 10:00:00\nclock: 12:30\n";
    out.push((
        "newer writer, BOM + CRLF".to_owned(),
        format!("\u{feff}{}", newer.replace('\n', "\r\n")).into_bytes(),
    ));
    out
}

static WARNED: AtomicUsize = AtomicUsize::new(0);

fn count_warning(_: &LoadWarning) {
    WARNED.fetch_add(1, Ordering::SeqCst);
}

/// The session with its bookkeeping fields cleared (a save changes them).
fn content(mut session: TrackingSession) -> TrackingSession {
    session.schema_version = None;
    session.revision = None;
    session.save_counter = None;
    session.saved_at = None;
    session
}

/// A one-line error with positions from 1, or what is wrong with it.
fn check_error(err: &Error) -> Result<(), String> {
    let shown = err.to_string();
    match err {
        Error::Corrupt { line, column, .. }
            if !shown.contains('\n') && *line != Some(0) && *column != Some(0) =>
        {
            Ok(())
        }
        _ => Err(format!("bad error: {shown:?} ({err:?})")),
    }
}

/// An import-style read of a file outside the store: a session (its unknown keys
/// reported) or a typed error, the file untouched.
fn check_import(
    manager: &TrackingSessionManager,
    path: &camino::Utf8Path,
    bytes: &[u8],
) -> Result<bool, String> {
    let before = WARNED.load(Ordering::SeqCst);
    let result = manager.load_from_path(path);
    if fs::read(path).ok().as_deref() != Some(bytes) {
        return Err("the file read was changed".to_owned());
    }
    match result {
        Ok(session) => {
            let warned = WARNED.load(Ordering::SeqCst) > before;
            if warned == session.unknown_keys().is_empty() {
                return Err(format!(
                    "warned {warned}, unknown keys {:?}",
                    session.unknown_keys()
                ));
            }
            Ok(true)
        }
        Err(err) => check_error(&err).map(|()| false),
    }
}

/// A load from the store (and, when `saving`, a save and a second load): what is
/// wrong with the outcome, if anything.
fn check(
    manager: &TrackingSessionManager,
    id: &str,
    bytes: &[u8],
    saving: bool,
) -> Result<bool, String> {
    let path = manager.sessions_dir().join(format!("{id}.yaml"));
    let before = WARNED.load(Ordering::SeqCst);
    match manager.load(id) {
        Err(err @ Error::Corrupt { .. }) => {
            check_error(&err)?;
            let shown = err.to_string();
            let Error::Corrupt { quarantined_to, .. } = err else {
                unreachable!()
            };
            let moved = quarantined_to.ok_or_else(|| format!("not moved aside: {shown}"))?;
            let kept = fs::read(&moved).map_err(|e| format!("{moved}: {e}"))?;
            if kept != bytes || path.exists() {
                return Err(format!("the corrupt file was not kept as it was: {shown}"));
            }
            Ok(false)
        }
        Err(Error::IdMismatch { .. }) => {
            if fs::read(&path).ok().as_deref() == Some(bytes) {
                Ok(false)
            } else {
                Err("a mismatched file was changed".to_owned())
            }
        }
        Err(other) => Err(format!("unexpected error: {other}")),
        Ok(mut session) => {
            let warned = WARNED.load(Ordering::SeqCst) > before;
            if warned == session.unknown_keys().is_empty() {
                return Err(format!(
                    "warned {warned}, unknown keys {:?}",
                    session.unknown_keys()
                ));
            }
            if saving {
                match manager.save(&mut session) {
                    Ok(_) => {}
                    Err(Error::Validation { .. } | Error::NewerSchema { .. }) => return Ok(true),
                    Err(e) => return Err(format!("a loaded session does not save: {e}")),
                }
                let again = manager
                    .load(id)
                    .map_err(|e| format!("a saved session does not load: {e}"))?;
                if format!("{:?}", content(again.clone())) != format!("{:?}", content(session)) {
                    return Err(format!("saved and loaded again, it differs: {again:?}"));
                }
            }
            Ok(true)
        }
    }
}

#[test]
fn mutated_session_files_in_the_store_load_or_are_kept_aside_never_lost() {
    let cases = env_u64(CASES_VAR, DEFAULT_CASES);
    let seed = env_u64(SEED_VAR, DEFAULT_SEED);
    let originals = originals();
    let started = Instant::now();
    let (mut loaded, mut refused) = (0u64, 0u64);
    let mut failures = Vec::new();
    let (mut guard, mut root) = temp_root();
    let options = StoreOptions {
        on_warning: Some(count_warning),
        ..StoreOptions::default()
    };
    let mut manager = TrackingSessionManager::open_with(&root, options).unwrap();
    fs::create_dir_all(manager.sessions_dir()).unwrap();
    for case in 0..cases {
        if case % 1000 == 999 {
            // A fresh store now and then: quarantined files pile up.
            (guard, root) = temp_root();
            manager = TrackingSessionManager::open_with(&root, options).unwrap();
            fs::create_dir_all(manager.sessions_dir()).unwrap();
        }
        let mut rng = Rng::for_case(seed, case);
        let (name, original) = &originals[rng.below(originals.len())];
        let mut bytes = original.clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut bytes, &mut rng);
        }
        // The file name is the id the session names, when it still names one.
        let id = ["shot_010", "empty_defaults", "shot_020"]
            .into_iter()
            .find(|id| original.windows(id.len()).any(|w| w == id.as_bytes()))
            .unwrap_or("shot_010");
        // Every tenth case goes through the store (quarantine, save, load again); the
        // others are imports, which read the same way and change nothing.
        let outcome = if case % 10 == 0 {
            fs::write(manager.sessions_dir().join(format!("{id}.yaml")), &bytes).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&manager, id, &bytes, true)))
        } else {
            let path = root.join("import.yaml");
            fs::write(&path, &bytes).unwrap();
            catch_unwind(AssertUnwindSafe(|| check_import(&manager, &path, &bytes)))
        };
        match outcome {
            Ok(Ok(true)) => loaded += 1,
            Ok(Ok(false)) => refused += 1,
            Ok(Err(problem)) => failures.push(format!(
                "case {case} (CINEMATIC_MUTATION_SEED={seed}), from {name}: {problem}\n  input: {:?}",
                String::from_utf8_lossy(&bytes)
            )),
            Err(_) => failures.push(format!(
                "case {case} (CINEMATIC_MUTATION_SEED={seed}), from {name}: panicked\n  input: {:?}",
                String::from_utf8_lossy(&bytes)
            )),
        }
        if failures.len() >= 5 {
            break;
        }
    }
    drop(guard);
    eprintln!(
        "store session_mutations: {cases} cases in {:.1?}: {loaded} loaded, {refused} refused, seed {seed:#x}",
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        loaded > cases / 20 && refused > cases / 20,
        "{loaded} loaded, {refused} refused"
    );
}
