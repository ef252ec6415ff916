"""`TrackingSessionManager` over the crash-safe store; files shared with the CLI and
with the original Python tools."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEED_DIR, SHARED_SEED_DIR, under_ci
from cinematic.tracking import (
    InvalidValueError,
    MalformedFileError,
    NotFoundError,
    SessionConflict,
    SolveData,
    StorageError,
    TrackData,
    TrackingSession,
    TrackingSessionManager,
)


def test_the_default_root_and_the_originals_properties(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    manager = TrackingSessionManager()
    assert manager.state_root == Path(".gsd-state/tracking")
    assert manager.sessions_dir == Path(".gsd-state/tracking/sessions")
    assert manager.solves_dir == Path(".gsd-state/tracking/solves")
    assert manager.footage_dir == Path(".gsd-state/tracking/footage")
    assert manager.list_sessions() == []
    assert manager.get_latest_session() is None
    assert TrackingSessionManager(state_root=tmp_path / "x").state_root == tmp_path / "x"


def test_the_originals_documented_usage(state_root):
    manager = TrackingSessionManager(state_root)
    session = TrackingSession(session_id="shot_001", footage_path="/path/to/footage.mp4")
    manager.save(session)
    loaded = manager.load("shot_001")
    assert loaded == session
    assert manager.list_sessions() == ["shot_001"]
    assert (state_root / "sessions" / "shot_001.yaml").is_file()
    assert session.revision == 1 and loaded.revision == 1
    loaded.current_frame = 42
    loaded.tracks.append(TrackData("Track.001", markers={1: (0.5, 0.5)}))
    manager.save(loaded)
    manager.save(loaded)  # the same object again: its revision moved on with it
    assert manager.load("shot_001").current_frame == 42
    assert manager.get_latest_session() == loaded
    assert manager.delete("shot_001") is True
    assert manager.delete("shot_001") is False
    assert manager.list_sessions() == []


def test_lists_are_sorted_and_latest_is_by_save_order(state_root):
    manager = TrackingSessionManager(state_root)
    for session_id in ["b", "c", "a"]:
        manager.save(TrackingSession(session_id=session_id))
    assert manager.list_sessions() == ["a", "b", "c"]
    assert manager.get_latest_session().session_id == "a"


def test_a_lost_update_is_a_session_conflict(state_root):
    manager = TrackingSessionManager(state_root)
    manager.save(TrackingSession(session_id="shot"))
    first, second = manager.load("shot"), manager.load("shot")
    first.current_frame = 10
    manager.save(first)
    second.current_frame = 20
    with pytest.raises(SessionConflict) as error:
        manager.save(second)
    assert (error.value.expected_revision, error.value.found_revision) == (1, 2)
    assert error.value.path.endswith("shot.yaml")
    with pytest.raises(SessionConflict):
        manager.save(TrackingSession(session_id="shot"))  # never loaded, but exists
    manager.save(TrackingSession(session_id="shot", current_frame=5), force=True)
    assert manager.load("shot").current_frame == 5


def test_missing_invalid_and_corrupt_sessions_raise_their_types(state_root):
    manager = TrackingSessionManager(state_root)
    with pytest.raises(FileNotFoundError) as missing:
        manager.load("nope")
    assert isinstance(missing.value, NotFoundError)
    with pytest.raises(ValueError) as invalid:
        manager.load("../etc/passwd")
    assert isinstance(invalid.value, InvalidValueError)
    sessions = state_root / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "bad.yaml").write_text("session_id: bad\nframe_start: one\n")
    with pytest.raises(MalformedFileError) as corrupt:
        manager.load("bad")
    assert corrupt.value.line == 2 and corrupt.value.column is not None
    assert corrupt.value.path.endswith("bad.yaml")
    with pytest.raises(InvalidValueError) as bad_value:
        manager.save(TrackingSession(session_id="x", frame_start=10, frame_end=5))
    assert bad_value.value.field == "frame_start"
    with pytest.raises(StorageError):
        manager.load_from_path(state_root)  # a directory, not a session file
    with pytest.raises(TypeError):
        manager.save("not a session")


def test_save_to_a_path_and_load_from_it(state_root, tmp_path):
    manager = TrackingSessionManager(state_root)
    session = TrackingSession(session_id="exported", frame_end=50)
    manager.save(session, tmp_path / "exported.yaml")
    assert manager.load_from_path(tmp_path / "exported.yaml") == session
    assert manager.list_sessions() == []


@pytest.mark.parametrize("name", ["seed_session_shot_010.yaml", "seed_session_defaults.yaml"])
def test_session_files_written_by_the_original_load(name, state_root, yaml_module):
    source = SHARED_SEED_DIR / name
    if not source.is_file():
        if under_ci():
            pytest.fail(f"CI=true and the shared fixture {source} is missing")
        source = SEED_DIR / name
    manager = TrackingSessionManager(state_root)
    session = manager.load_from_path(source)
    assert session.revision == 0  # written by the original: no revision yet
    # What the original's own load gave: yaml.safe_load + TrackingSession.from_dict.
    assert session == TrackingSession.from_dict(yaml_module.safe_load(source.read_text()))
    if name == "seed_session_shot_010.yaml":
        assert session.tracks[1].name == "no"
        assert session.tracks[0].markers[1001] == (0.25, 0.75)
        assert 1003 not in session.tracks[0].markers
    sessions = state_root / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, sessions / f"{session.session_id}.yaml")
    stored = manager.load(session.session_id)
    assert stored == session
    assert manager.list_sessions() == [session.session_id]


def test_what_we_save_reads_back_in_pyyaml_as_the_originals_dict(state_root, yaml_module):
    manager = TrackingSessionManager(state_root)
    session = TrackingSession(session_id="py", frame_start=1001, frame_end=1010, current_frame=1001,
                              tracks=[TrackData("no", markers={1001: (0.25, 0.5)})])
    manager.save(session)
    data = yaml_module.safe_load((state_root / "sessions" / "py.yaml").read_text())
    expected = session.to_dict()
    assert {k: data[k] for k in expected} == expected


def test_a_session_saved_from_python_loads_in_the_cli(cli, state_root):
    manager = TrackingSessionManager(state_root)
    session = TrackingSession(session_id="from_py", footage_path="/x.mp4", frame_start=1001,
                              frame_end=1100, current_frame=1042,
                              tracks=[TrackData("Track.001", markers={1001: (0.25, 0.75)})])
    manager.save(session)
    shown = subprocess.run([cli, "--state-root", str(state_root), "session", "show", "from_py", "--json"],
                           check=True, capture_output=True, text=True).stdout
    data = json.loads(shown)
    data = data.get("session", data)
    assert data["session_id"] == "from_py"
    assert data["current_frame"] == 1042
    assert data["tracks"][0]["markers"]["1001"] == [0.25, 0.75]
    listed = subprocess.run([cli, "--state-root", str(state_root), "session", "ls"],
                            check=True, capture_output=True, text=True).stdout
    assert "from_py" in listed


def test_a_session_the_cli_stored_loads_in_python(cli, state_root, tmp_path, yaml_module):
    original = TrackingSession(session_id="from_cli", frame_start=1, frame_end=10,
                               tracks=[TrackData("t", markers={3: (0.1, 0.2)})])
    # Written the original's way (to_dict + yaml.dump), imported by the CLI.
    path = tmp_path / "from_cli.yaml"
    path.write_text(yaml_module.dump(original.to_dict(), default_flow_style=False, sort_keys=False))
    subprocess.run([cli, "--state-root", str(state_root), "session", "import", str(path)],
                   check=True, capture_output=True)
    loaded = TrackingSessionManager(state_root).load("from_cli")
    assert loaded == original
    assert loaded.revision == 1


def test_solves_are_stored_too(state_root):
    manager = TrackingSessionManager(state_root)
    solve = SolveData(name="cam", frame_range=(1, 2), camera_transforms={1: (0, 0, 0, 90, 0, 0), 2: (1, 0, 0, 90, 0, 0)})
    path = manager.save_solve(solve)
    assert path == state_root / "solves" / "cam.yaml"
    assert manager.load_solve("cam") == solve
    assert manager.list_solves() == ["cam"]


def test_keys_the_store_does_not_know_survive_a_python_round_trip_with_a_warning(state_root):
    sessions = state_root / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "s1.yaml").write_text(
        "session_id: s1\nframe_start: 1\nframe_end: 10\ncurrent_frame: 1\ntracks: []\n"
        "camera_prof1le: typo\nnewer_field: 3\n"
    )
    manager = TrackingSessionManager(state_root)
    with pytest.warns(UserWarning, match="unknown keys camera_prof1le, newer_field"):
        session = manager.load("s1")
    session.current_frame = 5
    manager.save(session)
    text = (sessions / "s1.yaml").read_text()
    assert "camera_prof1le: typo" in text and "newer_field: 3" in text
    assert "current_frame: 5" in text
