"""The original package's documented usage, run unchanged but for the import line.

Each snippet is the original's own docstring example (its package, manager, import/export
and types docs), in a working directory holding the files they name.
"""

import shutil
import textwrap

from conftest import REPO, make_movie

CHAN = REPO / "crates" / "tracking-io" / "tests" / "fixtures" / "blender" / "zoom.chan"

QUICK_START = """
from cinematic.tracking import (
    TrackData, SolveData, FootageMetadata, TrackingSession,
    extract_metadata, analyze_footage,
    import_nuke_chan, convert_yup_to_zup_position,
)
from cinematic.tracking import TrackingSessionManager

# Extract footage metadata
metadata = extract_metadata("footage/my_shot.mp4")

# Import Nuke tracking
solve = import_nuke_chan("tracking/camera.chan")

# Session persistence
session = TrackingSession(session_id="shot_001", footage_path="/path/to/footage.mp4")
manager = TrackingSessionManager()
manager.save(session)
"""

MANAGER = """
from cinematic.tracking import TrackingSession, TrackingSessionManager

manager = TrackingSessionManager()

# Save session
session = TrackingSession(session_id="shot_001", footage_path="/path/to/footage.mp4")
manager.save(session)

# Load session
loaded = manager.load("shot_001")

# List sessions
sessions = manager.list_sessions()
"""

IMPORT_EXPORT = """
from cinematic.tracking import (
    import_nuke_chan, convert_yup_to_zup_position, fov_to_focal_length, import_tracking_data,
)

# Import Nuke .chan file
solve_data = import_nuke_chan("camera.chan")

# Coordinate conversion
pos = convert_yup_to_zup_position(1, 2, 3)

focal = fov_to_focal_length(45.0, 36.0)
assert 40 < focal < 45

solve_data = import_tracking_data("camera.chan")
assert solve_data.coordinate_system == 'z_up'
"""

TYPES = """
from cinematic.tracking import TrackData, SolveData, TrackingSession

track = TrackData(name="Track.001")
track.markers[1001] = (0.5, 0.5)
session = TrackingSession(session_id="shot_001", footage_path="/path/to/footage.mp4")
session.tracks.append(track)
data = session.to_dict()
restored = TrackingSession.from_dict(data)
assert restored.tracks[0].markers[1001] == (0.5, 0.5)
assert SolveData.from_dict(SolveData(name="cam").to_dict()).name == "cam"
"""


def run(snippet: str) -> dict:
    namespace: dict = {}
    exec(compile(textwrap.dedent(snippet), "<original usage>", "exec"), namespace)
    return namespace


def test_the_package_quick_start(ffmpeg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "footage").mkdir()
    (tmp_path / "tracking").mkdir()
    make_movie(ffmpeg, tmp_path / "footage" / "my_shot.mp4", seconds=1.0)
    shutil.copy(CHAN, tmp_path / "tracking" / "camera.chan")
    ns = run(QUICK_START)
    assert ns["metadata"].resolution == (320, 240)
    assert ns["solve"].coordinate_system == "z_up"
    assert (tmp_path / ".gsd-state" / "tracking" / "sessions" / "shot_001.yaml").is_file()


def test_the_session_managers_usage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ns = run(MANAGER)
    assert ns["sessions"] == ["shot_001"]
    assert ns["loaded"] == ns["session"]


def test_the_import_export_usage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(CHAN, tmp_path / "camera.chan")
    ns = run(IMPORT_EXPORT)
    assert ns["pos"] == (1.0, -3.0, 2.0)  # the fixed maths (the original printed (1, 3, -2))


def test_the_types_usage():
    run(TYPES)
