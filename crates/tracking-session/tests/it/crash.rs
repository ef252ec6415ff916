//! Crash safety and concurrency with real processes.
//!
//! The test binary re-invokes itself: an `#[ignore]`d test, selected with `--exact
//! --ignored` and an environment variable, plays the child (a writer that saves over and
//! over, or one of several concurrent load-modify-save writers).
//!
//! - Crash: a child saves a large session in a loop and is killed with SIGKILL at a
//!   random moment, ≥ 200 times. After every kill the session loads, equals exactly the
//!   last acknowledged generation or the one after it (old or new content, complete),
//!   no temp file survives a manager start, and the store lock is free.
//! - Concurrency: 8 processes do load-modify-save on one id at once. Every success is
//!   in the final file (nothing lost), revisions are handed out exactly once, and every
//!   update that would have been lost came back as `Conflict`.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use camino::{Utf8Path, Utf8PathBuf};
use common::{generated_session, generation_of, is_complete_generation, temp_root};
use tracking_session::{Error, TrackingSessionManager};
use tracking_types::{TrackData, TrackingSession};

const CHILD_ROLE: &str = "TRACKING_SESSION_TEST_CHILD";
const CHILD_STORE: &str = "TRACKING_SESSION_TEST_STORE";
const CHILD_WRITER: &str = "TRACKING_SESSION_TEST_WRITER";

const CRASH_ID: &str = "crash_shot";
const CRASH_TRACKS: usize = 12;
const CRASH_MARKERS: usize = 200;
const KILLS: usize = 200;

const RACE_ID: &str = "race_shot";
const WRITERS: usize = 8;
const SAVES_PER_WRITER: usize = 8;

fn spawn_child(test_name: &str, role: &str, store: &Utf8Path, writer: usize) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            test_name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ROLE, role)
        .env(CHILD_STORE, store.as_str())
        .env(CHILD_WRITER, writer.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn child_store(role: &str) -> Option<Utf8PathBuf> {
    (std::env::var(CHILD_ROLE).ok()? == role)
        .then(|| Utf8PathBuf::from(std::env::var(CHILD_STORE).unwrap()))
}

/// A small xorshift generator: deterministic for a printed seed, no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn temp_files(dir: &Utf8Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with(".cinematic-tmp."))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_lock_is_free(root: &Utf8Path) {
    let lock = fs::File::options()
        .read(true)
        .write(true)
        .open(root.join(".lock"))
        .unwrap();
    assert!(lock.try_lock().is_ok(), "the store lock was left held");
    lock.unlock().unwrap();
}

#[test]
#[ignore = "child process of killed_writers_never_leave_a_partial_or_locked_store"]
fn crash_child_saves_forever() {
    let Some(store) = child_store("crash") else {
        return;
    };
    let manager = TrackingSessionManager::open(&store).unwrap();
    let mut out = std::io::stdout().lock();
    // libtest has already printed "test <name> ... " without a newline, hence the "\n".
    let mut current = manager.load(CRASH_ID).unwrap();
    writeln!(out, "\nready").unwrap();
    out.flush().unwrap();
    loop {
        let generation = generation_of(&current) + 1;
        let mut next = generated_session(CRASH_ID, CRASH_TRACKS, CRASH_MARKERS, generation);
        next.revision = current.revision;
        manager.save(&mut next).unwrap();
        writeln!(out, "saved {generation}").unwrap();
        out.flush().unwrap();
        current = next;
    }
}

#[test]
fn killed_writers_never_leave_a_partial_or_locked_store() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session(
            CRASH_ID,
            CRASH_TRACKS,
            CRASH_MARKERS,
            0,
        ))
        .unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    // Spread the kills over about two save cycles of this build (debug or release), so
    // they land in every phase: generating, checking, writing, syncing, renaming.
    let cycle = {
        let timer = Instant::now();
        let mut probe = generated_session("cycle_probe", CRASH_TRACKS, CRASH_MARKERS, 0);
        manager.save(&mut probe).unwrap();
        manager.delete("cycle_probe").unwrap();
        timer.elapsed()
    };
    let spread_us = (cycle.as_micros() as u64).max(1000) * 2;
    let mut generation = 0;
    let (mut mid_save_kills, mut new_content_after_kill) = (0, 0);
    let started = Instant::now();
    for kill in 0..KILLS {
        let mut child = spawn_child("crash::crash_child_saves_forever", "crash", &root, 0);
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while line.trim() != "ready" {
            line.clear();
            assert_ne!(
                stdout.read_line(&mut line).unwrap(),
                0,
                "child died before starting"
            );
        }
        std::thread::sleep(Duration::from_micros(rng.next() % spread_us));
        child.kill().unwrap();
        child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        let acknowledged = rest
            .lines()
            .filter_map(|l| l.strip_prefix("saved ")?.parse::<u64>().ok())
            .max()
            .unwrap_or(generation);

        let leftovers = temp_files(&root.join("sessions")).len() + temp_files(&root).len();
        mid_save_kills += usize::from(leftovers > 0);
        let reopened = TrackingSessionManager::open(&root).unwrap();
        assert!(
            temp_files(&root.join("sessions")).is_empty(),
            "kill {kill}: temp files pile up"
        );
        assert!(
            temp_files(&root).is_empty(),
            "kill {kill}: temp files pile up"
        );
        assert_lock_is_free(&root);

        let loaded = reopened
            .load(CRASH_ID)
            .unwrap_or_else(|e| panic!("kill {kill}: {e}"));
        let found = generation_of(&loaded);
        assert!(
            found == acknowledged || found == acknowledged + 1,
            "kill {kill}: loaded generation {found}, last acknowledged {acknowledged}"
        );
        assert!(
            is_complete_generation(&loaded, CRASH_TRACKS, CRASH_MARKERS),
            "kill {kill}: generation {found} is not complete"
        );
        new_content_after_kill += usize::from(found == acknowledged + 1);
        generation = found;
    }
    eprintln!(
        "{KILLS} kills over {cycle:.1?} save cycles in {:.1?}: {mid_save_kills} left a temp file behind, {new_content_after_kill} \
         landed after the rename but before the acknowledgement, final generation {generation}",
        started.elapsed()
    );
    assert!(generation > 0, "the child never completed a save");
}

/// A digest of a session's content (bookkeeping aside), printed by writers and
/// recomputed from the final file.
fn digest(session: &TrackingSession) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{:?}|{}", session.tracks, session.current_frame).hash(&mut hasher);
    hasher.finish()
}

#[test]
#[ignore = "child process of concurrent_load_modify_save_never_loses_an_update"]
fn concurrent_writer_child() {
    let Some(store) = child_store("race") else {
        return;
    };
    let writer: usize = std::env::var(CHILD_WRITER).unwrap().parse().unwrap();
    let manager = TrackingSessionManager::open(&store).unwrap();
    while !store.join("go").exists() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut out = std::io::stdout().lock();
    // libtest has already printed "test <name> ... " without a newline.
    writeln!(out).unwrap();
    let mut done = 0;
    while done < SAVES_PER_WRITER {
        let mut session = manager.load(RACE_ID).unwrap();
        session.current_frame += 1;
        session
            .tracks
            .push(TrackData::new(format!("w{writer}-{done}")));
        match manager.save(&mut session) {
            Ok(receipt) => {
                writeln!(out, "ok {} {}", receipt.revision, digest(&session)).unwrap();
                done += 1;
            }
            Err(Error::Conflict { .. }) => writeln!(out, "conflict").unwrap(),
            Err(other) => panic!("writer {writer}: {other}"),
        }
    }
    out.flush().unwrap();
}

#[test]
fn concurrent_load_modify_save_never_loses_an_update() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut initial = generated_session(RACE_ID, 4, 100, 1);
    initial.current_frame = initial.frame_start;
    manager.save(&mut initial).unwrap();
    let children: Vec<Child> = (0..WRITERS)
        .map(|w| spawn_child("crash::concurrent_writer_child", "race", &root, w))
        .collect();
    fs::write(root.join("go"), b"").unwrap();
    let mut revisions = Vec::new();
    let mut digests = std::collections::BTreeMap::new();
    let mut conflicts = 0;
    for mut child in children {
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert!(child.wait().unwrap().success(), "a writer failed");
        for line in out.lines() {
            if line == "conflict" {
                conflicts += 1;
            } else if let Some(rest) = line.strip_prefix("ok ") {
                let (revision, hash) = rest.split_once(' ').unwrap();
                let revision: u64 = revision.parse().unwrap();
                revisions.push(revision);
                digests.insert(revision, hash.parse::<u64>().unwrap());
            }
        }
    }
    let total = (WRITERS * SAVES_PER_WRITER) as u64;
    eprintln!("{total} saves by {WRITERS} writers met {conflicts} conflicts");

    // Each revision was handed out exactly once: no two writers both "won" the same base.
    let unique: BTreeSet<u64> = revisions.iter().copied().collect();
    assert_eq!(revisions.len() as u64, total);
    assert_eq!(unique, (2..=total + 1).collect::<BTreeSet<_>>());

    // Every successful update is in the final file: none was lost.
    let last = manager.load(RACE_ID).unwrap();
    assert_eq!(last.revision, Some(total + 1));
    assert_eq!(last.current_frame, initial.frame_start + total as i64);
    let names: BTreeSet<String> = last.tracks.iter().skip(4).map(|t| t.name.clone()).collect();
    let expected: BTreeSet<String> = (0..WRITERS)
        .flat_map(|w| (0..SAVES_PER_WRITER).map(move |n| format!("w{w}-{n}")))
        .collect();
    assert_eq!(names, expected);
    assert_eq!(last.tracks.len(), 4 + total as usize);
    // And it is exactly the complete version the last writer saved.
    assert_eq!(digests[&(total + 1)], digest(&last));
    assert!(temp_files(&root.join("sessions")).is_empty());
    assert_lock_is_free(&root);
}
