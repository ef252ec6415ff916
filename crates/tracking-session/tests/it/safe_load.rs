//! Session files in the store are read as `yaml.safe_load` reads them, then typed
//! (issue #17 item 6): a byte-order mark is accepted, unsafe tags, binary data on a
//! text field and `null` ids are one-line [`Error::Corrupt`]s naming file, line and
//! column, and unknown keys are kept, reported once per load through
//! `StoreOptions::on_warning`, and written back by a save so PyYAML reads them as
//! before.

use std::fs;
use std::process::Command;
use std::sync::Mutex;

use camino::Utf8Path;
use tracking_session::{Error, LoadWarning, RecordKind, StoreOptions, TrackingSessionManager};
use tracking_types::ExtraValue;

use crate::common::{python_with_pyyaml, temp_root};

/// The warnings reported to [`capture`] (tests running at once tell theirs apart by id).
static WARNINGS: Mutex<Vec<LoadWarning>> = Mutex::new(Vec::new());

fn capture(warning: &LoadWarning) {
    WARNINGS.lock().unwrap().push(warning.clone());
}

fn warnings_for(id: &str) -> Vec<LoadWarning> {
    WARNINGS
        .lock()
        .unwrap()
        .iter()
        .filter(|w| matches!(w, LoadWarning::UnknownKeys { id: i, .. } if i == id))
        .cloned()
        .collect()
}

fn manager(root: &Utf8Path) -> TrackingSessionManager {
    TrackingSessionManager::open_with(
        root,
        StoreOptions {
            on_warning: Some(capture),
            ..StoreOptions::default()
        },
    )
    .unwrap()
}

/// A newer writer's session, with a BOM and Windows line ends as a Windows editor
/// leaves them.
fn newer_session(id: &str) -> String {
    let text = format!(
        "session_id: {id}
camera_prof1le: arri
footage_path: /plates/a.mov
lens:
  model: Cooke S4
  focal: 35
tracks:
- name: Track.001
  colour:
  - 0.5
  - 1
  solved: yes
exported_at: 2024-05-01 10:00:00
clock: 12:30
"
    );
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

fn write_session(manager: &TrackingSessionManager, id: &str, text: &str) {
    fs::create_dir_all(manager.sessions_dir()).unwrap();
    fs::write(manager.sessions_dir().join(format!("{id}.yaml")), text).unwrap();
}

#[test]
fn unknown_keys_are_kept_reported_and_written_back_by_a_save() {
    let (_guard, root) = temp_root();
    let manager = manager(&root);
    write_session(&manager, "newer_01", &newer_session("newer_01"));

    let mut session = manager.load("newer_01").unwrap();
    let keys = vec![
        "camera_prof1le".to_owned(),
        "clock".to_owned(),
        "exported_at".to_owned(),
        "lens".to_owned(),
        "tracks[0].colour".to_owned(),
        "tracks[0].solved".to_owned(),
    ];
    assert_eq!(session.unknown_keys(), keys);
    let path = manager.sessions_dir().join("newer_01.yaml");
    assert_eq!(
        warnings_for("newer_01"),
        [LoadWarning::UnknownKeys {
            kind: RecordKind::Session,
            id: "newer_01".to_owned(),
            path: path.clone(),
            keys: keys.clone(),
        }]
    );
    assert_eq!(
        warnings_for("newer_01")[0].to_string(),
        "session newer_01: unknown keys camera_prof1le, clock, exported_at, lens, \
         tracks[0].colour, tracks[0].solved (kept)"
    );

    session.current_frame = 42;
    manager.save(&mut session).unwrap();
    let written = fs::read_to_string(&path).unwrap();
    assert!(!written.starts_with('\u{feff}') && !written.contains('\r'));
    // After the known fields (the bookkeeping ones last), in key order.
    let after_saved_at = written.split_once("\nsaved_at: ").unwrap().1;
    assert_eq!(
        after_saved_at.split_once('\n').unwrap().1,
        "camera_prof1le: arri\nclock: 750\nexported_at: 2024-05-01 10:00:00\nlens:\n  focal: 35\n  model: Cooke S4\n"
    );
    assert!(
        written.contains("  track_type: point\n  colour:\n  - 0.5\n  - 1\n  solved: true\n"),
        "{written}"
    );

    let again = manager.load("newer_01").unwrap();
    assert_eq!(again.extra, session.extra);
    assert_eq!(again.tracks[0].extra, session.tracks[0].extra);
    assert_eq!(again.current_frame, 42);
    assert_eq!(again.extra["clock"], ExtraValue::Int(750));
    // Listings read every file but never warn: one warning per load.
    manager.list_sessions().unwrap();
    assert_eq!(warnings_for("newer_01").len(), 2);
}

#[test]
fn a_saved_session_keeps_a_newer_writers_keys_as_pyyaml_read_them() {
    let Some(python) = python_with_pyyaml() else {
        return;
    };
    let (_guard, root) = temp_root();
    let manager = manager(&root);
    let original = root.join("original.yaml");
    fs::write(&original, newer_session("newer_02")).unwrap();
    let mut session = manager.load_from_path(&original).unwrap();
    session.revision = None;
    manager.save(&mut session).unwrap();
    let saved = manager.sessions_dir().join("newer_02.yaml");
    // PyYAML reads the unknown keys of both files to equal values of equal types.
    let script = r#"
import sys, yaml
def load(p):
    with open(p, encoding='utf-8') as f:
        return yaml.safe_load(f)
a, b = load(sys.argv[1]), load(sys.argv[2])
keys = ['camera_prof1le', 'lens', 'exported_at', 'clock']
for k in keys:
    assert type(a[k]) is type(b[k]) and a[k] == b[k], (k, a[k], b[k])
for k in ['colour', 'solved']:
    x, y = a['tracks'][0][k], b['tracks'][0][k]
    assert repr(x) == repr(y), (k, x, y)
assert b['current_frame'] == 1 and b['session_id'] == 'newer_02'
print('ok')
"#;
    let out = Command::new(python)
        .args(["-c", script, original.as_str(), saved.as_str()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(warnings_for("newer_02").len(), 1, "import warns too");
}

/// Loads `text` as session `id`: the typed error, which must be one line.
fn load_error(id: &str, text: &str) -> Error {
    let (_guard, root) = temp_root();
    let manager = manager(&root);
    write_session(&manager, id, text);
    let err = manager.load(id).unwrap_err();
    assert!(!err.to_string().contains('\n'), "{err}");
    err
}

#[test]
fn unsafe_tags_binary_data_and_null_ids_are_corrupt_with_file_line_and_column() {
    for (id, text, line, column, says) in [
        (
            "tagged_01",
            "session_id: tagged_01\nfootage_path: !!python/object/apply:os.system [ls]\n",
            2,
            15,
            "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (
            "binary_01",
            "session_id: binary_01\ncamera_profile: !!binary aGk=\n",
            2,
            17,
            "camera_profile: invalid type: binary data (!!binary)",
        ),
        (
            "null_01",
            "session_id: null\n",
            1,
            13,
            "session_id: invalid type: null, expected a string",
        ),
        (
            "merge_01",
            "session_id: merge_01\n<<: {preset: fast}\n",
            2,
            1,
            "merge keys (<<) are not supported",
        ),
    ] {
        let err = load_error(id, text);
        let Error::Corrupt {
            line: l,
            column: c,
            quarantined_to,
            ..
        } = &err
        else {
            panic!("{id}: {err}");
        };
        assert_eq!((*l, *c), (Some(line), Some(column)), "{err}");
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("{id}.yaml:{line}:{column}: {says}")),
            "{shown}"
        );
        // Kept, moved aside, never deleted.
        assert!(quarantined_to.is_some(), "{err}");
    }
}

#[test]
fn a_file_with_a_byte_order_mark_loads_and_saves_without_it() {
    let (_guard, root) = temp_root();
    let manager = manager(&root);
    write_session(
        &manager,
        "bom_01",
        "\u{feff}session_id: bom_01\npreset: fast\n",
    );
    let mut session = manager.load("bom_01").unwrap();
    assert_eq!(session.preset, "fast");
    assert!(warnings_for("bom_01").is_empty());
    manager.save(&mut session).unwrap();
    let written = fs::read_to_string(manager.sessions_dir().join("bom_01.yaml")).unwrap();
    assert!(written.starts_with("session_id: bom_01\n"), "{written}");
}

#[test]
fn warnings_go_to_stderr_by_default_and_can_be_silenced() {
    assert!(StoreOptions::default().on_warning.is_some());
    let (_guard, root) = temp_root();
    let quiet = TrackingSessionManager::open_with(
        &root,
        StoreOptions {
            on_warning: None,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    write_session(&quiet, "quiet_01", &newer_session("quiet_01"));
    assert_eq!(quiet.load("quiet_01").unwrap().unknown_keys().len(), 6);
    assert!(warnings_for("quiet_01").is_empty());
}
