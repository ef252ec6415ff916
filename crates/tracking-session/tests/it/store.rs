//! Behaviour of the session store on a real file system: revisions and conflicts,
//! the save counter, listing and quarantine, stale temp files, schema versions,
//! solves and footage records, and the seed fixtures of the Python original.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::fs;
use std::time::{Duration, SystemTime};

use camino::{Utf8Path, Utf8PathBuf};
use common::{generated_session, temp_root};
use tracking_session::{Error, Problem, SCHEMA_VERSION, TrackingSessionManager};
use tracking_types::{FootageMetadata, SessionStatus, SolveData, TrackType, TrackingSession};

/// The seed files of the Python original: one copy in the workspace, kept by
/// tracking-yaml (whose tests check it against `shared/fixtures/session/`).
fn fixture(name: &str) -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tracking-yaml/tests/fixtures")
        .join(name)
}

fn put_session_file(manager: &TrackingSessionManager, id: &str, text: &str) -> Utf8PathBuf {
    fs::create_dir_all(manager.sessions_dir()).unwrap();
    let path = manager.sessions_dir().join(format!("{id}.yaml"));
    fs::write(&path, text).unwrap();
    path
}

fn names_in(dir: &Utf8Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

#[test]
fn a_new_session_is_created_at_revision_one_and_loads_back_equal() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut session = generated_session("shot_010", 3, 20, 7);
    let receipt = manager.save(&mut session).unwrap();
    assert_eq!(receipt.revision, 1);
    assert_eq!(receipt.path, root.join("sessions/shot_010.yaml"));
    assert_eq!(session.revision, Some(1));
    assert_eq!(session.schema_version, Some(SCHEMA_VERSION));
    assert_eq!(session.saved_at.as_deref(), Some(receipt.saved_at.as_str()));
    assert!(receipt.saved_at.ends_with('Z'), "{}", receipt.saved_at);
    let loaded = manager.load("shot_010").unwrap();
    assert_eq!(loaded, session);
    assert!(manager.exists("shot_010").unwrap());
    assert!(!manager.exists("shot_011").unwrap());
}

#[test]
fn saving_a_never_loaded_session_over_an_existing_one_is_a_conflict() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    let before = fs::read(root.join("sessions/shot_010.yaml")).unwrap();
    let err = manager
        .save(&mut generated_session("shot_010", 1, 5, 2))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: None,
                found: Some(1),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        fs::read(root.join("sessions/shot_010.yaml")).unwrap(),
        before
    );
}

#[test]
fn a_load_modify_save_that_raced_another_writer_gets_a_conflict() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    let mut first = manager.load("shot_010").unwrap();
    let mut second = manager.load("shot_010").unwrap();
    first.current_frame = 1003;
    second.current_frame = 1004;
    assert_eq!(manager.save(&mut first).unwrap().revision, 2);
    let err = manager.save(&mut second).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: Some(1),
                found: Some(2),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(manager.load("shot_010").unwrap().current_frame, 1003);
    // The loser reloads, re-applies, and succeeds.
    let mut retry = manager.load("shot_010").unwrap();
    retry.current_frame = 1004;
    assert_eq!(manager.save(&mut retry).unwrap().revision, 3);
}

#[test]
fn a_session_deleted_after_loading_is_not_silently_recreated() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    let mut loaded = manager.load("shot_010").unwrap();
    manager.delete("shot_010").unwrap();
    let err = manager.save(&mut loaded).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: Some(1),
                found: None,
                ..
            }
        ),
        "{err}"
    );
    assert!(!manager.exists("shot_010").unwrap());
}

#[test]
fn replacing_explicitly_ignores_the_revision_but_keeps_counting() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    let mut replacement = generated_session("shot_010", 2, 5, 9);
    let receipt = manager.save_replacing(&mut replacement).unwrap();
    assert_eq!(receipt.revision, 2);
    assert_eq!(manager.load("shot_010").unwrap().tracks.len(), 2);
}

#[test]
fn deleting_removes_the_file_and_a_missing_id_is_not_found() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    manager.delete("shot_010").unwrap();
    assert!(matches!(
        manager.delete("shot_010"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        manager.load("shot_010"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        TrackingSessionManager::open(root.join("nowhere"))
            .unwrap()
            .delete("x"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn the_save_counter_is_store_wide_and_latest_follows_it_not_mtime() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let a = manager
        .save(&mut generated_session("shot_a", 1, 3, 1))
        .unwrap();
    let b = manager
        .save(&mut generated_session("shot_b", 1, 3, 2))
        .unwrap();
    assert!(b.save_counter > a.save_counter);
    // Make shot_a look newest by mtime (a copy, `touch`, or clock skew would).
    let future = SystemTime::now() + Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(root.join("sessions/shot_a.yaml"))
        .unwrap()
        .set_modified(future)
        .unwrap();
    assert_eq!(
        manager.get_latest_session().unwrap().unwrap().session_id,
        "shot_b"
    );
    let mut again = manager.load("shot_a").unwrap();
    manager.save(&mut again).unwrap();
    assert_eq!(
        manager.get_latest_session().unwrap().unwrap().session_id,
        "shot_a"
    );
}

#[test]
fn a_lost_counter_file_is_rebuilt_above_every_stored_counter() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    for id in ["a1", "a2", "a3"] {
        manager.save(&mut generated_session(id, 1, 2, 1)).unwrap();
    }
    fs::remove_file(root.join(".counter")).unwrap();
    let receipt = manager.save(&mut generated_session("a4", 1, 2, 1)).unwrap();
    assert_eq!(receipt.save_counter, Some(4));
}

#[test]
fn an_empty_or_missing_store_has_no_latest_session_and_lists_nothing() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(root.join("missing")).unwrap();
    assert!(manager.get_latest_session().unwrap().is_none());
    let listing = manager.list_sessions().unwrap();
    assert!(listing.sessions.is_empty() && listing.problems.is_empty());
    assert!(
        !root.join("missing").exists(),
        "reading must not create the store"
    );
}

#[test]
fn listing_reports_corrupt_files_separately_and_loading_one_quarantines_it() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("good", 1, 3, 1))
        .unwrap();
    let text = fs::read_to_string(root.join("sessions/good.yaml")).unwrap();
    let truncated = &text[..text.len() / 2];
    let bad = put_session_file(&manager, "bad", &format!("{truncated}\n  - [unclosed"));
    put_session_file(&manager, "not an id", "session_id: x\n");
    fs::write(manager.sessions_dir().join("notes.txt"), "not ours").unwrap();

    let listing = manager.list_sessions().unwrap();
    assert_eq!(listing.sessions.len(), 1);
    assert_eq!(listing.sessions[0].id.as_str(), "good");
    assert_eq!(listing.problems.len(), 2, "{:?}", listing.problems);
    assert_eq!(listing.problems[0].path, bad);
    assert!(matches!(
        listing.problems[0].problem,
        Problem::Corrupt { line: Some(_), .. }
    ));
    assert!(matches!(
        listing.problems[1].problem,
        Problem::BadName { .. }
    ));
    assert!(bad.exists(), "listing never moves files");

    let err = manager.load("bad").unwrap_err();
    let Error::Corrupt {
        quarantined_to: Some(moved),
        line: Some(_),
        ..
    } = err
    else {
        panic!("{err}");
    };
    assert!(!bad.exists());
    assert!(moved.as_str().contains("bad.yaml.corrupt-"));
    let listing = manager.list_sessions().unwrap();
    assert!(
        listing
            .problems
            .iter()
            .any(|p| p.path == moved && p.problem == Problem::Quarantined)
    );
}

#[test]
fn replacing_a_corrupt_file_quarantines_it_instead_of_overwriting_it() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    put_session_file(&manager, "shot_010", "tracks: [\n");
    let err = manager
        .save(&mut generated_session("shot_010", 1, 2, 1))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Corrupt {
                quarantined_to: Some(_),
                ..
            }
        ),
        "{err}"
    );
    manager
        .save_replacing(&mut generated_session("shot_010", 1, 2, 1))
        .unwrap();
    let names = names_in(manager.sessions_dir());
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[1].starts_with("shot_010.yaml.corrupt-"));
}

#[test]
fn stale_temp_files_are_removed_when_a_manager_opens() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 2, 1))
        .unwrap();
    fs::write(
        manager
            .sessions_dir()
            .join(".cinematic-tmp.shot_010.yaml.999.0"),
        "partial",
    )
    .unwrap();
    fs::write(root.join(".cinematic-tmp..counter.999.1"), "7").unwrap();
    fs::create_dir_all(manager.footage_dir()).unwrap();
    fs::write(manager.footage_dir().join("probe-abc.json"), "{}").unwrap();
    let reopened = TrackingSessionManager::open(&root).unwrap();
    assert_eq!(names_in(reopened.sessions_dir()), ["shot_010.yaml"]);
    assert_eq!(
        names_in(&root),
        [".counter", ".lock", "footage", "sessions"]
    );
    assert_eq!(names_in(reopened.footage_dir()), ["probe-abc.json"]);
}

#[test]
fn a_file_with_a_newer_schema_loads_but_is_never_overwritten() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let text =
        "session_id: future\nschema_version: 99\nrevision: 4\nnew_field_from_the_future: {a: 1}\n";
    let path = put_session_file(&manager, "future", text);
    let mut loaded = manager.load("future").unwrap();
    assert_eq!(loaded.schema_version, Some(99));
    assert_eq!(loaded.revision, Some(4));
    for result in [
        manager.save(&mut loaded),
        manager.save_replacing(&mut loaded),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::NewerSchema { found: 99, .. }), "{err}");
    }
    let mut fresh = TrackingSession::new("future");
    let err = manager.save_replacing(&mut fresh).unwrap_err();
    assert!(matches!(err, Error::NewerSchema { found: 99, .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_session_whose_inner_id_differs_from_its_file_name_is_refused() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 2, 1))
        .unwrap();
    fs::copy(
        root.join("sessions/shot_010.yaml"),
        root.join("sessions/shot_011.yaml"),
    )
    .unwrap();
    let err = manager.load("shot_011").unwrap_err();
    assert!(matches!(err, Error::IdMismatch { .. }), "{err}");
    assert!(
        root.join("sessions/shot_011.yaml").exists(),
        "not quarantined"
    );
}

#[test]
fn sessions_saved_to_any_path_round_trip_and_check_revisions() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(root.join("store")).unwrap();
    let path = root.join("export/shot_010.yaml");
    let mut session = generated_session("shot_010", 2, 4, 3);
    let receipt = manager.save_to_path(&mut session, &path).unwrap();
    assert_eq!((receipt.revision, receipt.save_counter), (1, None));
    let mut loaded = manager.load_from_path(&path).unwrap();
    assert_eq!(loaded, session);
    let err = manager
        .save_to_path(&mut generated_session("shot_010", 1, 1, 1), &path)
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert_eq!(
        manager.save_to_path(&mut loaded, &path).unwrap().revision,
        2
    );
    assert_eq!(names_in(&root.join("export")), ["shot_010.yaml"]);
}

#[test]
fn solves_are_stored_loaded_and_listed_by_name() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut solve = SolveData {
        name: "solve_v1".to_owned(),
        frame_range: [1001, 1100],
        ..SolveData::default()
    };
    solve
        .camera_transforms
        .insert(1001, [0.1, 0.2, 5.0, 90.0, 0.0, 1.5]);
    let path = manager.save_solve(&solve).unwrap();
    assert_eq!(path, root.join("solves/solve_v1.yaml"));
    assert_eq!(manager.load_solve("solve_v1").unwrap(), solve);
    solve.focal_length = 35.0;
    manager.save_solve(&solve).unwrap();
    assert_eq!(manager.load_solve("solve_v1").unwrap().focal_length, 35.0);
    let listing = manager.list_solves().unwrap();
    assert_eq!(listing.ids.len(), 1);
    let mut other_case = solve.clone();
    other_case.name = "Solve_V1".to_owned();
    assert!(matches!(
        manager.save_solve(&other_case),
        Err(Error::CaseCollision { .. })
    ));
    manager.delete_solve("solve_v1").unwrap();
    assert!(matches!(
        manager.load_solve("solve_v1"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn footage_records_live_beside_other_tools_files_which_listing_ignores() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let metadata = FootageMetadata {
        filename: "plate.mov".to_owned(),
        resolution: [3840, 2160],
        frame_rate: 23.976,
        ..FootageMetadata::default()
    };
    fs::create_dir_all(manager.footage_dir()).unwrap();
    fs::write(manager.footage_dir().join("probe-0123abcd.json"), "{}").unwrap();
    manager.save_footage("sq010_plate", &metadata).unwrap();
    assert_eq!(manager.load_footage("sq010_plate").unwrap(), metadata);
    let listing = manager.list_footage().unwrap();
    assert_eq!(
        listing
            .ids
            .iter()
            .map(tracking_session::SessionId::as_str)
            .collect::<Vec<_>>(),
        ["sq010_plate"]
    );
    assert!(listing.problems.is_empty());
    manager.delete_footage("sq010_plate").unwrap();
    assert_eq!(names_in(manager.footage_dir()), ["probe-0123abcd.json"]);
}

#[test]
fn every_seed_session_fixture_loads_with_its_values() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    fs::create_dir_all(manager.sessions_dir()).unwrap();
    for (file, id) in [
        ("seed_session_shot_010.yaml", "shot_010"),
        ("seed_session_defaults.yaml", "empty_defaults"),
    ] {
        fs::copy(
            fixture(file),
            manager.sessions_dir().join(format!("{id}.yaml")),
        )
        .unwrap();
    }
    let shot = manager.load("shot_010").unwrap();
    assert_eq!(
        (shot.frame_start, shot.frame_end, shot.current_frame),
        (1001, 1100, 1042)
    );
    assert_eq!(shot.revision, Some(0));
    assert_eq!(shot.schema_version, None);
    assert_eq!(shot.saved_at.as_deref(), Some("2026-11-20T10:15:30.123456"));
    assert_eq!(shot.tracks[1].name, "no");
    assert_eq!(shot.tracks[1].track_type, TrackType::Plane);
    assert!(!shot.tracks[1].enabled);
    let frames: Vec<_> = shot.tracks[0].markers.keys().copied().collect();
    assert_eq!(frames, [1001, 1002, 1004]);
    assert_eq!(shot.tracks[0].markers[&1002], [0.2512345678901234, 0.7499]);
    assert_eq!(shot.tracks[0].pattern_area, [0.0, 0.0, 31.0, 31.0]);

    let defaults = manager.load("empty_defaults").unwrap();
    let mut expected = TrackingSession::new("empty_defaults");
    expected.revision = Some(0);
    expected.saved_at = Some("2026-11-20T10:00:00".to_owned());
    assert_eq!(defaults, expected);
    assert_eq!(defaults.status, SessionStatus::InProgress);

    // An original file can be loaded, changed and saved: it becomes revision 1.
    let mut shot = shot;
    shot.current_frame = 1050;
    assert_eq!(manager.save(&mut shot).unwrap().revision, 1);
    assert_eq!(manager.load("shot_010").unwrap(), shot);
}

#[test]
fn the_seed_solve_fixture_loads_with_integer_written_floats() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    fs::create_dir_all(manager.solves_dir()).unwrap();
    fs::copy(
        fixture("seed_solve_v1.yaml"),
        manager.solves_dir().join("solve_v1.yaml"),
    )
    .unwrap();
    let solve = manager.load_solve("solve_v1").unwrap();
    assert_eq!(solve.frame_range, [1001, 1003]);
    assert_eq!(
        solve.camera_transforms[&1001],
        [0.0, 0.0, 5.0, 90.0, 0.0, 0.0]
    );
    assert_eq!(
        solve.camera_transforms[&1003],
        [0.2, 0.01, 5.0, 90.5, 0.0, 3.0]
    );
    assert_eq!(solve.solved_at, "2026-11-20T09:00:00");
}

#[test]
fn the_seed_report_and_footage_fixture_loads_and_its_footage_round_trips_through_the_store() {
    #[derive(serde::Deserialize)]
    struct ReportAndFootage {
        solve_report: tracking_types::SolveReport,
        footage_metadata: FootageMetadata,
    }
    let text = fs::read_to_string(fixture("seed_report_and_footage.yaml")).unwrap();
    let both: ReportAndFootage = tracking_yaml::from_yaml_str(&text, &Default::default()).unwrap();
    assert_eq!(both.solve_report.tracks_used, 48);
    assert_eq!(
        both.solve_report.quality_level,
        tracking_types::QualityLevel::Good
    );
    let footage = both.footage_metadata;
    assert_eq!(footage.resolution, [3840, 2160]);
    assert_eq!(footage.frame_rate, 23.976);
    assert_eq!(footage.camera_model.as_deref(), Some("ALEXA Mini"));
    assert_eq!(footage.iso, Some(800));

    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager.save_footage("plate", &footage).unwrap();
    assert_eq!(manager.load_footage("plate").unwrap(), footage);
}

#[test]
fn an_in_place_edit_after_loading_is_still_detected_as_a_conflict() {
    let (_guard, root) = temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    manager
        .save(&mut generated_session("shot_010", 1, 5, 1))
        .unwrap();
    let mut loaded = manager.load("shot_010").unwrap();
    // Another tool rewrites the same inode (no rename), e.g. an editor saving in place.
    let path = root.join("sessions/shot_010.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nrevision: 1\n"));
    fs::write(&path, text.replace("\nrevision: 1\n", "\nrevision: 7\n")).unwrap();
    let err = manager.save(&mut loaded).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: Some(1),
                found: Some(7),
                ..
            }
        ),
        "{err}"
    );
}
