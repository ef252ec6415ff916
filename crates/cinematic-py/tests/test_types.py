"""The six data classes: the original's defaults, dict layout, round trips, checks."""

import copy
import math

import pytest

from cinematic.tracking import (
    FootageInfo,
    FootageMetadata,
    InvalidValueError,
    SolveData,
    SolveReport,
    TrackData,
    TrackingSession,
)

# `to_dict()` of each class at its defaults, exactly as the original `types.py` wrote it.
ORIGINAL_DEFAULT_DICTS = {
    TrackData: {
        "name": "",
        "pattern_area": [0, 0, 31, 31],
        "search_area": [0, 0, 61, 61],
        "markers": {},
        "enabled": True,
        "color": [1.0, 0.0, 0.0],
        "correlation": 1.0,
        "track_type": "point",
    },
    SolveData: {
        "name": "",
        "frame_range": [1, 100],
        "focal_length": 50.0,
        "sensor_width": 36.0,
        "camera_transforms": {},
        "coordinate_system": "z_up",
        "solved_at": "",
    },
    SolveReport: {
        "reprojection_error_avg": 0.0,
        "reprojection_error_max": 0.0,
        "tracks_used": 0,
        "frames_solved": 0,
        "confidence_score": 0.0,
        "quality_level": "unknown",
    },
    FootageMetadata: {
        "filename": "",
        "resolution": [1920, 1080],
        "frame_rate": 24.0,
        "duration_frames": 0,
        "duration_seconds": 0.0,
        "codec": "",
        "bit_depth": 8,
        "color_space": "",
        "camera_model": "",
        "focal_length": 0.0,
        "iso": 0,
        "motion_blur_level": "unknown",
        "rolling_shutter_detected": False,
    },
    FootageInfo: {
        "source_path": "",
        "width": 1920,
        "height": 1080,
        "frame_start": 1,
        "frame_end": 100,
        "fps": 24.0,
        "duration_seconds": 0.0,
        "colorspace": "sRGB",
        "codec": "",
        "has_alpha": False,
        "is_sequence": False,
    },
    TrackingSession: {
        "session_id": "",
        "footage_path": "",
        "frame_start": 1,
        "frame_end": 100,
        "current_frame": 1,
        "tracks": [],
        "camera_profile": "",
        "preset": "balanced",
        "status": "in_progress",
        "created_at": "",
        "updated_at": "",
    },
}


@pytest.mark.parametrize("cls", list(ORIGINAL_DEFAULT_DICTS), ids=lambda c: c.__name__)
def test_defaults_and_dict_layout_equal_the_originals(cls):
    expected = ORIGINAL_DEFAULT_DICTS[cls]
    obj = cls()
    assert obj.to_dict() == expected
    assert list(obj.to_dict()) == list(expected)  # same key order as the original
    for key, value in expected.items():
        got = getattr(obj, key)
        if isinstance(value, list) and key != "tracks":
            assert tuple(got) == tuple(value), key  # the original held tuples
        else:
            assert got == value, key
    assert cls.from_dict({}) == obj  # missing keys take the defaults, as data.get did


def test_the_issue_example_has_the_original_defaults():
    session = TrackingSession(session_id="shot_001", footage_path="/x.mp4")
    assert (session.frame_start, session.frame_end, session.current_frame) == (1, 100, 1)
    assert session.preset == "balanced"
    assert session.status == "in_progress"
    assert session.tracks == []
    assert session.revision is None and session.saved_at is None


def populated_session() -> TrackingSession:
    a = TrackData(name="Track.001", markers={1001: (0.25, 0.75), 1002: (0.2512345678901234, 0.7499)})
    b = TrackData("no", pattern_area=(1, 2, 21.5, 21), enabled=False, color=(0.0, 1.0, 0.5),
                  correlation=0.85, track_type="plane")
    b.markers[1001] = (0.5, 0.5)
    return TrackingSession(session_id="shot_010", footage_path="/shots/plate.%04d.exr",
                           frame_start=1001, frame_end=1100, current_frame=1042, tracks=[a, b],
                           camera_profile="alexa", preset="precise", status="complete",
                           created_at="2026-11-20T09:00:00", updated_at="2026-11-20T10:00:00")


def test_session_round_trips_through_the_original_dict_layout():
    session = populated_session()
    data = session.to_dict()
    assert data["tracks"][0]["markers"] == {"1001": [0.25, 0.75], "1002": [0.2512345678901234, 0.7499]}
    assert data["tracks"][1]["pattern_area"] == [1, 2, 21.5, 21]
    back = TrackingSession.from_dict(data)
    assert back == session
    assert back.to_dict() == data
    assert back.tracks[0].markers == {1001: (0.25, 0.75), 1002: (0.2512345678901234, 0.7499)}


def test_every_class_round_trips_populated_values():
    solve = SolveData(name="cam", frame_range=(1001, 1002), focal_length=35.0, sensor_width=24.576,
                      camera_transforms={1001: (0, 0, 5, 90, 0, 0), 1002: (0.1, 0, 5, 90, 0, 1.5)},
                      coordinate_system="y_up", solved_at="2026-11-20T09:00:00", sensor_height=18.672,
                      focal_lengths={1001: 35.0, 1002: 40.0})
    report = SolveReport(0.31, 1.2, 48, 100, 0.9)
    metadata = FootageMetadata(filename="plate.mov", resolution=(3840, 2160), frame_rate=23.976,
                               duration_frames=240, duration_seconds=10.01, codec="prores", bit_depth=10,
                               color_space="bt709", camera_model="ALEXA Mini", focal_length=35.0,
                               iso=800, motion_blur_level="low")
    info = FootageInfo(source_path="/a/plate.%04d.exr", width=4096, height=2160, frame_start=1001,
                       frame_end=1100, fps=25.0, is_sequence=True, has_alpha=True, codec="exr")
    for obj in [solve, report, metadata, info, populated_session().tracks[1]]:
        back = type(obj).from_dict(obj.to_dict())
        assert back == obj, type(obj).__name__
        assert back.to_dict() == obj.to_dict()
    assert report.quality_level == "good"  # derived from 0.31 px, as the original's table
    assert solve.to_dict()["camera_transforms"]["1002"] == [0.1, 0.0, 5.0, 90.0, 0.0, 1.5]


def test_from_dict_reads_the_original_dicts_from_yaml_with_integer_whole_numbers(yaml_module):
    from conftest import SEED_DIR

    data = yaml_module.safe_load((SEED_DIR / "seed_solve_v1.yaml").read_text())
    solve = SolveData.from_dict(data)
    assert solve.camera_transforms[1001] == (0, 0, 5, 90, 0, 0)
    assert solve.frame_range == (1001, 1003)
    both = yaml_module.safe_load((SEED_DIR / "seed_report_and_footage.yaml").read_text())
    assert SolveReport.from_dict(both["solve_report"]).quality_level == "good"
    metadata = FootageMetadata.from_dict(both["footage_metadata"])
    assert metadata.resolution == (3840, 2160) and metadata.iso == 800
    assert metadata.to_dict() == both["footage_metadata"]


def test_attributes_are_writable_and_type_checked():
    session = TrackingSession()
    session.current_frame = 42
    assert session.current_frame == 42
    with pytest.raises(TypeError):
        session.current_frame = "42"
    with pytest.raises(TypeError):
        session.session_id = 7
    with pytest.raises(ValueError) as status:
        session.status = "done"
    assert isinstance(status.value, InvalidValueError)
    assert "in_progress" in str(status.value)
    track = TrackData()
    with pytest.raises(ValueError):
        track.track_type = "blob"
    with pytest.raises(ValueError):
        track.color = (1.0, 0.0)
    with pytest.raises(TypeError):
        track.color = "red"
    with pytest.raises(TypeError):
        track.markers = {"1001": (0.5, 0.5)}  # frames are ints (from_dict converts strings)
    with pytest.raises(TypeError):
        track.markers = {1001: ("a", 0.5)}
    with pytest.raises(TypeError):
        session.tracks = [track, "not a track"]
    with pytest.raises(TypeError):
        SolveData(frame_range=(1.5, 2))
    with pytest.raises(ValueError):
        SolveData(coordinate_system="x_up")


def test_mutating_the_returned_containers_sticks_as_on_a_dataclass():
    session = TrackingSession(session_id="s")
    track = TrackData("Track.001")
    session.tracks.append(track)
    track.markers[1001] = (0.1, 0.2)
    session.tracks[0].markers[1002] = [0.3, 0.4]
    assert len(session.tracks) == 1
    assert session.to_dict()["tracks"][0]["markers"] == {"1001": [0.1, 0.2], "1002": [0.3, 0.4]}
    session.tracks.append("junk")
    with pytest.raises(TypeError):
        session.to_dict()


def test_sequences_of_any_kind_are_accepted_including_a_mathutils_like_vector():
    class Vector:  # the sequence protocol of Blender's mathutils.Vector
        def __init__(self, *values):
            self.values = values

        def __len__(self):
            return len(self.values)

        def __getitem__(self, i):
            return self.values[i]

    track = TrackData(color=Vector(0.0, 0.5, 1.0), pattern_area=[0, 0, 15, 15])
    track.markers = {1: Vector(0.5, 0.25)}
    assert track.color == (0.0, 0.5, 1.0)
    assert track.to_dict()["markers"] == {"1": [0.5, 0.25]}


def test_equality_and_repr():
    a, b = populated_session(), populated_session()
    assert a == b
    b.tracks[0].markers[1003] = (0.0, 0.0)
    assert a != b
    assert a != "not a session"
    with pytest.raises(TypeError):
        hash(a)
    text = repr(a)
    assert text.startswith("TrackingSession(session_id='shot_010'")
    assert "tracks=[<2 tracks>]" in text
    assert "markers=<2 frames 1001..1002>" in repr(a.tracks[0])
    assert repr(TrackingSession()).count("tracks=[]") == 1


def test_deepcopy_and_pickle_keep_the_data():
    import pickle

    session = populated_session()
    assert copy.deepcopy(session) == session
    assert pickle.loads(pickle.dumps(session)) == session
    assert pickle.loads(pickle.dumps(SolveReport(0.2, 0.4, 3, 4, 0.5))) == SolveReport(0.2, 0.4, 3, 4, 0.5)


def test_footage_metadata_keeps_the_originals_unknown_spellings():
    metadata = FootageMetadata(camera_model="", focal_length=0.0, iso=0)
    assert (metadata.camera_model, metadata.focal_length, metadata.iso) == ("", 0.0, 0)
    metadata.focal_length = 35.0
    assert metadata.focal_length == 35.0
    assert not math.isnan(metadata.frame_rate)
