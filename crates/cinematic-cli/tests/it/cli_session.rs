//! `cinematic session …` end to end: the real binary on a real state root.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn seed_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tracking-yaml/tests/fixtures/seed_session_shot_010.yaml")
}

fn cinematic(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cinematic").unwrap();
    cmd.env_remove("CINEMATIC_STATE_ROOT")
        .arg("--state-root")
        .arg(root);
    cmd
}

/// Run and parse JSON stdout, with the state root replaced by `[ROOT]` and save times
/// by `[SAVED_AT]` so snapshots are stable.
fn json(root: &Path, args: &[&str]) -> Value {
    let output = cinematic(root).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout)
        .unwrap()
        .replace(root.to_str().unwrap(), "[ROOT]");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    redact_saved_at(&mut value);
    value
}

fn redact_saved_at(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "saved_at" && v.is_string() {
                    *v = Value::String("[SAVED_AT]".to_owned());
                } else {
                    redact_saved_at(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_saved_at),
        _ => {}
    }
}

fn stderr_of(root: &Path, args: &[&str]) -> String {
    let output = cinematic(root).args(args).output().unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn import_stores_a_seed_file_and_show_prints_it_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let seed = seed_file();
    let imported = json(
        &root,
        &["session", "import", seed.to_str().unwrap(), "--json"],
    );
    insta::assert_json_snapshot!("session_import", imported);
    let shown = json(&root, &["session", "show", "shot_010", "--json"]);
    insta::assert_json_snapshot!("session_show", shown);
    assert_eq!(shown["tracks"][1]["name"], "no");
    assert_eq!(shown["tracks"][0]["markers"]["1002"][0], 0.2512345678901234);
}

#[test]
fn importing_an_existing_id_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let seed = seed_file();
    let seed = seed.to_str().unwrap();
    json(&root, &["session", "import", seed, "--json"]);
    let stderr = stderr_of(&root, &["session", "import", seed]);
    assert!(
        stderr.starts_with("error: session \"shot_010\" already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    let replaced = json(&root, &["session", "import", seed, "--force", "--json"]);
    assert_eq!(replaced["replaced"], true);
    assert_eq!(replaced["revision"], 2);
}

#[test]
fn import_refuses_an_invalid_file_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "session_id: dup\ntracks:\n- name: t\n  markers:\n    '1':\n    - 0.1\n    - 0.2\n    '1':\n    - 0.3\n    - 0.4\n",
    )
    .unwrap();
    let stderr = stderr_of(&root, &["session", "import", bad.to_str().unwrap()]);
    assert!(stderr.starts_with("error: cannot import"), "{stderr}");
    assert!(stderr.contains("duplicate"), "{stderr}");
    let hostile = dir.path().join("hostile.yaml");
    std::fs::write(&hostile, "session_id: ../escape\n").unwrap();
    let stderr = stderr_of(&root, &["session", "import", hostile.to_str().unwrap()]);
    assert!(stderr.contains("invalid id \"../escape\""), "{stderr}");
    assert!(
        !root.join("sessions").exists()
            || std::fs::read_dir(root.join("sessions")).unwrap().count() == 0
    );
    assert!(!dir.path().join("escape.yaml").exists());
}

#[test]
fn ls_lists_sessions_and_reports_corrupt_files_separately() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let seed = seed_file();
    json(
        &root,
        &["session", "import", seed.to_str().unwrap(), "--json"],
    );
    std::fs::write(
        root.join("sessions/broken.yaml"),
        "session_id: broken\ntracks: [\n",
    )
    .unwrap();
    let listing = json(&root, &["session", "ls", "--json"]);
    insta::assert_json_snapshot!("session_ls", listing);

    let human = cinematic(&root).args(["session", "ls"]).output().unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(human.starts_with("ID        STATUS"), "{human}");
    assert!(
        human.contains("shot_010  in_progress      1001-1100"),
        "{human}"
    );
    assert!(
        human.contains("1 file(s) are not loadable sessions:"),
        "{human}"
    );
    assert!(human.contains("broken.yaml [corrupt]: line"), "{human}");
}

#[test]
fn latest_follows_the_save_counter_and_rm_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    assert_eq!(json(&root, &["session", "latest", "--json"]), Value::Null);
    let seed = std::fs::read_to_string(seed_file()).unwrap();
    for id in ["shot_020", "shot_010", "shot_030"] {
        let file = dir.path().join(format!("{id}.yaml"));
        std::fs::write(
            &file,
            seed.replace("session_id: shot_010", &format!("session_id: {id}")),
        )
        .unwrap();
        json(
            &root,
            &["session", "import", file.to_str().unwrap(), "--json"],
        );
    }
    assert_eq!(
        json(&root, &["session", "latest", "--json"])["session_id"],
        "shot_030"
    );
    let deleted = json(&root, &["session", "rm", "shot_030", "--json"]);
    insta::assert_json_snapshot!("session_rm", deleted);
    assert_eq!(
        json(&root, &["session", "latest", "--json"])["session_id"],
        "shot_010"
    );
    let stderr = stderr_of(&root, &["session", "rm", "shot_030"]);
    assert!(stderr.contains("not found"), "{stderr}");
}

#[test]
fn show_of_a_hostile_or_missing_id_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    let stderr = stderr_of(&root, &["session", "show", "../../etc/passwd"]);
    assert!(
        stderr.starts_with(
            "error: cannot load session \"../../etc/passwd\"\n  caused by: invalid id"
        ),
        "{stderr}"
    );
    let stderr = stderr_of(&root, &["session", "show", "shot_999"]);
    assert!(
        stderr.contains("session \"shot_999\" not found"),
        "{stderr}"
    );
    assert!(!root.exists(), "reading creates nothing");
}

#[test]
fn show_without_json_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    json(
        &root,
        &["session", "import", seed_file().to_str().unwrap(), "--json"],
    );
    let out = cinematic(&root)
        .args(["session", "show", "shot_010"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.starts_with("session shot_010\n"), "{out}");
    assert!(
        out.contains("frames         1001-1100 (current 1042)"),
        "{out}"
    );
    assert!(out.contains("Track.001"), "{out}");
    assert!(out.contains("(disabled)"), "{out}");
}

/// While another process holds the state-root lock, a writer says who holds it within
/// about a second and gives up at `--lock-timeout` with one typed error; `0` fails at
/// once. Nothing is written.
#[test]
fn a_held_lock_is_named_and_the_wait_is_bounded_by_lock_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    json(
        &root,
        &["session", "import", seed_file().to_str().unwrap(), "--json"],
    );
    let held = cinematic::fs::StateLock::acquire(&root).unwrap();
    let started = std::time::Instant::now();
    let err = stderr_of(
        &root,
        &["--lock-timeout", "1.5", "session", "rm", "shot_010"],
    );
    let waited = started.elapsed();
    let holder = format!("pid {}", std::process::id());
    assert!(
        err.starts_with("waiting for the lock ") && err.lines().next().unwrap().contains(&holder),
        "{err}"
    );
    assert!(
        err.contains("error: ") && err.contains("still locked after 1.5 s"),
        "{err}"
    );
    assert!(waited.as_secs_f64() >= 1.5, "{waited:?}");
    let err = stderr_of(&root, &["--lock-timeout", "0", "session", "rm", "shot_010"]);
    assert!(!err.contains("waiting for the lock"), "{err}");
    assert!(err.contains("still locked after 0.0 s"), "{err}");
    assert!(root.join("sessions/shot_010.yaml").is_file());
    drop(held);
    json(&root, &["session", "rm", "shot_010", "--json"]);
    let err = stderr_of(&root, &["--lock-timeout=-1", "session", "ls"]);
    assert!(err.contains("--lock-timeout"), "{err}");
}

/// A state root that cannot be written (an archived show, a read-only snapshot) is
/// still readable: `session ls`, `show`, `latest` work and change nothing.
#[test]
fn a_read_only_state_root_can_be_listed_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("state");
    json(
        &root,
        &["session", "import", seed_file().to_str().unwrap(), "--json"],
    );
    let Some(_immutable) = cinematic_testkit::ImmutableTree::new(&root) else {
        return;
    };
    let listing = json(&root, &["session", "ls", "--json"]);
    assert_eq!(listing["sessions"][0]["id"], "shot_010");
    let shown = json(&root, &["session", "show", "shot_010", "--json"]);
    assert_eq!(shown["current_frame"], 1042);
    let latest = json(&root, &["session", "latest", "--json"]);
    assert_eq!(latest["session_id"], "shot_010");
    let err = stderr_of(&root, &["session", "rm", "shot_010"]);
    assert!(err.starts_with("error: "), "{err}");
}
