//! Hostile ids and hostile files: each gives a typed error and nothing is written.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::fs;

use camino::Utf8Path;
use common::{generated_session, temp_root};
use tracking_session::{Error, IdError, StoreOptions, TrackingSessionManager};
use tracking_types::TrackingSession;

/// Every path under `dir`, recursively, with file sizes: a snapshot of "what is written".
fn tree(dir: &Utf8Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = camino::Utf8PathBuf::from_path_buf(entry.path()).unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(tree(&path));
        }
        out.push((path.to_string(), if meta.is_dir() { 0 } else { meta.len() }));
    }
    out.sort();
    out
}

const HOSTILE_IDS: [&str; 10] = [
    "../x",
    "/etc/passwd",
    "a/b",
    "",
    "CON",
    "x.",
    "a\\b",
    "..",
    "nul.yaml",
    "shot\x00010",
];

#[test]
fn hostile_ids_are_typed_errors_everywhere_and_nothing_is_written() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let too_long = "x".repeat(65);
    for id in HOSTILE_IDS.iter().copied().chain([too_long.as_str()]) {
        let mut session = TrackingSession::new(id);
        let results = [
            manager.save(&mut session).map(drop),
            manager.save_replacing(&mut session).map(drop),
            manager.load(id).map(drop),
            manager.delete(id),
            manager.exists(id).map(drop),
            manager.load_solve(id).map(drop),
            manager.load_footage(id).map(drop),
        ];
        for result in results {
            assert!(
                matches!(result, Err(Error::InvalidId { id: ref got, .. }) if got == id),
                "{id:?}: {result:?}"
            );
        }
    }
    assert!(tree(&root).is_empty(), "{:?}", tree(&root));
    assert!(!Utf8Path::new("/etc/passwd.yaml").exists());
}

#[test]
fn invalid_id_errors_say_why() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let reason = |id: &str| match manager.load(id) {
        Err(Error::InvalidId { reason, .. }) => reason,
        other => panic!("{id:?}: {other:?}"),
    };
    assert_eq!(reason(""), IdError::Empty);
    assert_eq!(reason(&"x".repeat(65)), IdError::TooLong { len: 65 });
    assert_eq!(reason("x."), IdError::TrailingDot);
    assert!(matches!(reason("CON"), IdError::ReservedName { .. }));
    assert!(matches!(
        reason("a/b"),
        IdError::ForbiddenCharacter { found: '/', .. }
    ));
}

#[test]
fn ids_differing_only_in_case_cannot_both_exist() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 2, 1))
        .unwrap();
    let before = tree(&root);
    for id in ["Shot_010", "SHOT_010"] {
        for result in [
            manager.save(&mut TrackingSession::new(id)),
            manager.save_replacing(&mut TrackingSession::new(id)),
        ] {
            let err = result.unwrap_err();
            assert!(
                matches!(err, Error::CaseCollision { ref existing, .. } if existing == "shot_010"),
                "{err}"
            );
        }
    }
    assert_eq!(tree(&root), before);
}

/// Import-style loading of a hostile file: a typed error, and the store stays empty.
fn import_error(text: &[u8]) -> Error {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(root.join("store")).unwrap();
    let path = root.join("hostile.yaml");
    fs::write(&path, text).unwrap();
    let err = manager.load_from_path(&path).unwrap_err();
    assert!(tree(&root.join("store")).is_empty());
    assert_eq!(
        fs::read(&path).unwrap(),
        text,
        "the input file is left alone"
    );
    err
}

#[test]
fn a_truncated_file_is_corrupt_with_a_line_number() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut session = generated_session("shot_010", 2, 10, 1);
    let path = root.join("full.yaml");
    manager.save_to_path(&mut session, &path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    // Cut inside a marker list: the last value's list ends early with a dangling key.
    let cut = text.find("'1005':").unwrap() + 4;
    let err = import_error(&text.as_bytes()[..cut]);
    assert!(matches!(err, Error::Corrupt { line: Some(_), .. }), "{err}");
}

#[test]
fn a_duplicated_frame_key_is_corrupt_not_last_wins() {
    let text = "session_id: dup\ntracks:\n- name: t\n  markers:\n    '1001':\n    - 0.1\n    - 0.2\n    '1001':\n    - 0.3\n    - 0.4\n";
    let err = import_error(text.as_bytes());
    let Error::Corrupt { reason, .. } = &err else {
        panic!("{err}");
    };
    assert!(reason.contains("duplicate"), "{err}");
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("session_id: bomb\ntracks: *a9\n");
    let err = import_error(bomb.as_bytes());
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

#[test]
fn absurd_nesting_is_refused() {
    // 200,000 levels: refused by the linear pre-scan, before libyaml (quadratic on
    // deep flow nesting) sees it.
    let deep = format!(
        "session_id: deep\nfootage_path: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let err = import_error(deep.as_bytes());
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("nest"), "{err}");
}

#[test]
fn a_two_gigabyte_sparse_file_is_refused_without_reading_it() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    fs::create_dir_all(manager.sessions_dir()).unwrap();
    let path = manager.sessions_dir().join("huge.yaml");
    fs::File::create(&path).unwrap().set_len(2 << 30).unwrap();
    let err = manager.load("huge").unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { size, .. } if size == 2 << 30),
        "{err}"
    );
    let err = manager.save(&mut TrackingSession::new("huge")).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert_eq!(fs::metadata(&path).unwrap().len(), 2 << 30);
    let listing = manager.list_sessions().unwrap();
    assert!(matches!(
        listing.problems[0].problem,
        tracking_session::Problem::TooLarge { .. }
    ));
}

#[test]
fn the_size_cap_is_configurable() {
    let (_guard, root) = temp_root();
    let options = StoreOptions {
        max_file_size: 100,
        ..StoreOptions::default()
    };
    let manager = TrackingSessionManager::open_with(&root, options).unwrap();
    let mut session = generated_session("shot_010", 1, 10, 1);
    manager.save(&mut session).unwrap();
    assert!(matches!(
        manager.load("shot_010"),
        Err(Error::TooLarge { limit: 100, .. })
    ));
}

#[test]
fn non_finite_numbers_are_refused_naming_the_field_and_nothing_is_written() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut session = generated_session("shot_010", 2, 3, 1);
    session.tracks[1].markers.insert(1002, [0.5, f64::NAN]);
    let err = manager.save(&mut session).unwrap_err();
    let Error::Validation { source, .. } = &err else {
        panic!("{err}");
    };
    assert!(source.to_string().contains("tracks[1].markers"), "{err}");
    assert_eq!(session.revision, None, "bookkeeping untouched on failure");
    assert!(!root.join("sessions/shot_010.yaml").exists());
}

#[test]
fn a_named_pipe_is_not_read() {
    let (_guard, root) = temp_root();
    let path = root.join("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&path).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("note: skipping: mkfifo not available");
        return;
    }
    let manager = TrackingSessionManager::open(root.join("store")).unwrap();
    assert!(matches!(
        manager.load_from_path(&path),
        Err(Error::NotAFile { .. })
    ));
}

/// A root that cannot be written (immutable, as a read-only mount or an archived show)
/// is still readable: open, list, load and latest all work, and a save fails with a
/// typed error instead of hanging or half-writing.
#[test]
fn a_read_only_state_root_can_still_be_read() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(root.clone()).unwrap();
    let mut session = generated_session("shot_010", 2, 5, 1);
    manager.save(&mut session).unwrap();
    // A stale temp file a killed writer left: clean-up must not be attempted here.
    fs::write(root.join("sessions/.cinematic-tmp.x.yaml.1.0"), b"partial").unwrap();
    let before = tree(&root);
    let Some(_immutable) = cinematic_testkit::ImmutableTree::new(root.as_std_path()) else {
        return;
    };
    let reader = TrackingSessionManager::open(root.clone()).unwrap();
    assert_eq!(reader.list_sessions().unwrap().sessions.len(), 1);
    assert_eq!(reader.load("shot_010").unwrap().tracks, session.tracks);
    assert!(reader.get_latest_session().unwrap().is_some());
    let mut again = reader.load("shot_010").unwrap();
    again.current_frame += 1;
    let err = reader.save(&mut again).unwrap_err();
    assert!(err.is_not_writable(), "{err}");
    assert_eq!(tree(&root), before);
}

/// A writer that cannot get the lock says so within the configured wait and fails with
/// a typed error naming the holder; nothing is written.
#[test]
fn a_held_lock_makes_a_writer_fail_at_its_timeout_naming_the_holder() {
    let (_guard, root) = temp_root();
    let options = StoreOptions {
        lock_wait: tracking_session::LockWait {
            timeout: std::time::Duration::from_millis(200),
            notice_after: std::time::Duration::from_millis(50),
            notice: None,
        },
        ..StoreOptions::default()
    };
    let manager = TrackingSessionManager::open_with(root.clone(), options).unwrap();
    manager.save(&mut generated_session("a", 1, 1, 1)).unwrap();
    let held = tracking_fs::StateLock::acquire(root.as_std_path()).unwrap();
    let before = tree(&root);
    let err = manager
        .save(&mut generated_session("b", 1, 1, 1))
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("still locked after"), "{message}");
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    assert_eq!(tree(&root), before);
    assert!(matches!(manager.delete("a").unwrap_err(), Error::File(_)));
    drop(held);
    manager.delete("a").unwrap();
}

/// A dangling `.lock` symlink is an error and creates nothing outside the state root.
#[cfg(unix)]
#[test]
fn a_dangling_lock_symlink_creates_nothing_outside_the_root() {
    let (_guard, dir) = temp_root();
    let root = dir.join("root");
    fs::create_dir(&root).unwrap();
    let outside = dir.join("outside-lock");
    std::os::unix::fs::symlink(&outside, root.join(".lock")).unwrap();
    let manager = TrackingSessionManager::open(root.clone()).unwrap();
    let err = manager
        .save(&mut generated_session("a", 1, 1, 1))
        .unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(!outside.exists());
    let counter_outside = dir.join("outside-counter");
    fs::remove_file(root.join(".lock")).unwrap();
    std::os::unix::fs::symlink(&counter_outside, root.join(".counter")).unwrap();
    fs::write(&counter_outside, "7\n").unwrap();
    let err = manager
        .save(&mut generated_session("a", 1, 1, 1))
        .unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&counter_outside).unwrap(), "7\n");
}
