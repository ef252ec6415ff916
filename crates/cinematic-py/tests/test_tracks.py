"""2D track files from Python: ``import_tracks`` / ``export_tracks`` on real files."""

from pathlib import Path

import pytest

import cinematic

from conftest import REPO

WILD = REPO.parent / "shared" / "fixtures" / "wild"


def test_import_3de_keeps_frames_and_pixels() -> None:
    # tsp_3de_v4_cube.txt line 5: `40 407.384758225105315 232.449011732690479`, pixels
    # from the bottom-left corner, read at 1024x512.
    result = cinematic.import_tracks(WILD / "3de_points" / "tsp_3de_v4_cube.txt", (1024, 512))
    assert result["format"] == "3de_v4"
    assert result["size"] == (1024, 512)
    assert result["frame_base"] == 1
    tracks = result["tracks"]
    assert len(tracks) == 8
    first = tracks[0]
    assert isinstance(first, cinematic.TrackData)
    assert first.name == "01"
    assert len(first.markers) == 61
    x, y = first.markers[40]
    assert abs(x * 1024 - 407.384758225105315) < 1e-9
    assert abs(y * 512 - 232.449011732690479) < 1e-9


def test_export_then_import_gives_the_same_pixels_in_pftrack_frames(tmp_path: Path) -> None:
    source = cinematic.import_tracks(WILD / "3de_points" / "tsp_3de_v4_cube.txt", (1024, 512))
    out = tmp_path / "cube.2dt"
    cinematic.export_tracks(source["tracks"], out, "pftrack5", (1024, 512), source["frame_base"])
    back = cinematic.import_tracks(out, (1024, 512))
    assert back["format"] == "pftrack5"
    shift = back["frame_base"] - source["frame_base"]
    for a, b in zip(source["tracks"], back["tracks"]):
        assert a.name == b.name
        assert sorted(f + shift for f in a.markers) == sorted(b.markers)
        for frame, (x, y) in a.markers.items():
            bx, by = b.markers[frame + shift]
            assert abs((bx - x) * 1024) < 6e-4 and abs((by - y) * 512) < 6e-4


def test_a_camera_file_is_refused_as_not_tracks() -> None:
    with pytest.raises(cinematic.UnsupportedFormatError) as caught:
        cinematic.import_tracks(REPO / "examples" / "camera.chan", (640, 360))
    assert ".chan camera" in str(caught.value)


def test_a_bad_line_raises_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1\np\n0\n2\n1 10 20\n2 1x 21\n")
    with pytest.raises(cinematic.MalformedFileError) as caught:
        cinematic.import_tracks(bad, (640, 360), format="3de_v4")
    assert caught.value.line == 6
    assert "bad.txt:6:" in str(caught.value)


def test_export_refuses_a_name_the_format_cannot_hold(tmp_path: Path) -> None:
    track = cinematic.TrackData(name="left eye", markers={1: (0.5, 0.5)})
    out = tmp_path / "out.txt"
    with pytest.raises(ValueError):
        cinematic.export_tracks([track], out, "syntheyes", (640, 360), 1)
    assert not out.exists()


def test_track_formats_are_listed() -> None:
    assert "3de_v4" in cinematic.TRACK_FORMATS and "nuke_tracker4" in cinematic.TRACK_FORMATS
