"""`.chan` import and export, `import_tracking_data`, and the per-frame Blender camera."""

import array
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from cinematic.tracking import (
    SUPPORTED_FORMATS,
    InvalidValueError,
    MalformedFileError,
    NotFoundError,
    SolveData,
    UnsupportedFormatError,
    export_nuke_chan,
    import_nuke_chan,
    import_tracking_data,
)

FIXTURES = REPO / "crates" / "tracking-io" / "tests" / "fixtures"
ANGLES = FIXTURES / "blender" / "angles.chan"
ZOOM = FIXTURES / "blender" / "zoom.chan"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_import_nuke_chan_gives_a_blender_world_solve():
    solve = import_nuke_chan(str(ZOOM))
    assert isinstance(solve, SolveData)
    assert solve.coordinate_system == "z_up"
    assert solve.name == "zoom"
    assert solve.solved_at  # the original stamped the import time
    first = min(solve.camera_transforms)
    assert solve.frame_range[0] == first
    assert len(solve.camera_transforms[first]) == 6


def test_the_original_call_form_with_offset_scale_and_coordinate_system(tmp_path):
    chan = write(tmp_path / "cam.chan", "1\t1\t2\t3\t0\t0\t0\t29.870985349889903\n2\t1\t2\t3\t0\t0\t0\t29.870985349889903\n")
    solve = import_nuke_chan(chan, 1000, 2.0, "y_up")
    assert solve.frame_range == (1001, 1002)
    tx, ty, tz, rx_, ry_, rz_ = solve.camera_transforms[1001]
    assert (tx, ty, tz) == (2.0, -6.0, 4.0)  # (x, -z, y) times 2
    assert rx_ == pytest.approx(90.0)
    assert solve.focal_length == pytest.approx(35.0, abs=1e-9)  # vfov on Nuke's 18.672 mm gate
    kept = import_nuke_chan(chan, coordinate_system="z_up")
    assert kept.coordinate_system == "z_up"
    assert kept.camera_transforms[1][:3] == (1.0, 2.0, 3.0)
    with pytest.raises(ValueError):
        import_nuke_chan(chan, coordinate_system="x_up")


def test_a_chan_without_vfov_needs_a_focal_length_instead_of_a_silent_50mm(tmp_path):
    chan = write(tmp_path / "novfov.chan", "1 0 0 0 0 0 0\n")
    with pytest.raises(InvalidValueError):
        import_nuke_chan(chan)
    assert import_nuke_chan(chan, focal_length=24.0).focal_length == 24.0


def test_a_malformed_chan_names_file_line_and_column(tmp_path):
    chan = write(tmp_path / "bad.chan", "1 0 0 0 0 0 0 21.1\n2 0 0 abc 0 0 0 21.1\n")
    with pytest.raises(MalformedFileError) as error:
        import_nuke_chan(chan)
    assert isinstance(error.value, ValueError)
    assert error.value.path == str(chan)
    assert (error.value.line, error.value.column) == (2, 7)
    assert error.value.field == "tz"
    with pytest.warns(UserWarning, match="skipped 1 invalid line"):
        lenient = import_nuke_chan(chan, strict=False)
    assert list(lenient.camera_transforms) == [1]


def test_a_missing_chan_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        import_nuke_chan(tmp_path / "nope.chan")
    assert isinstance(error.value, NotFoundError)
    assert error.value.path == str(tmp_path / "nope.chan")


def test_import_tracking_data_detects_and_forwards_keywords(tmp_path):
    chan = write(tmp_path / "noext", "1 0 0 0 0 0 0 21.153\n")
    auto, direct = import_tracking_data(str(ZOOM)), import_nuke_chan(str(ZOOM))
    assert auto.camera_transforms == direct.camera_transforms  # (solved_at differs)
    assert auto.focal_lengths == direct.focal_lengths
    assert import_tracking_data(ZOOM, "nuke_chan", frame_offset=1000).frame_range[0] >= 1000
    assert import_tracking_data(chan).frame_range == (1, 1)  # sniffed by content
    camera = write(tmp_path / "cam.json", json.dumps({"camera": {"name": "cam", "frames": [
        {"frame": 1001, "position": [1, 2, 3], "rotation": [90, 0, 0], "focal": 35}]}}))
    solve = import_tracking_data(camera, "auto")
    assert solve.camera_transforms[1001] == (1.0, 2.0, 3.0, 90.0, 0.0, 0.0)
    with pytest.raises(TypeError):
        import_tracking_data(ZOOM, frame_ofset=3)


@pytest.mark.parametrize("fmt", ["fbx", "alembic"])
def test_unsupported_formats_raise_value_error_listing_the_supported(fmt, tmp_path):
    with pytest.raises(ValueError) as error:
        import_tracking_data(ZOOM, format=fmt)
    assert isinstance(error.value, UnsupportedFormatError)
    assert "nuke_chan" in str(error.value) and "json" in str(error.value)
    assert error.value.supported == list(SUPPORTED_FORMATS)
    fbx = tmp_path / "cam.fbx"
    fbx.write_bytes(b"Kaydara FBX Binary  \x00\x1a\x00")
    with pytest.raises(UnsupportedFormatError):
        import_tracking_data(fbx)


def test_the_blender_camera_is_flat_typed_arrays_equal_to_the_cli(cli, tmp_path):
    solve = import_nuke_chan(ANGLES)
    camera = solve.blender_camera()
    n = len(camera)
    assert n == len(solve.camera_transforms)
    assert camera.matrix_world.format == "d" and len(camera.matrix_world) == 16 * n
    assert camera.frames.format == "q" and len(camera.location) == 3 * n
    copy = array.array("d", camera.matrix_world)  # a mutable copy, no numpy
    assert len(copy) == 16 * n
    printed = subprocess.run([cli, "chan", "import", str(ANGLES), "--json"], check=True,
                             capture_output=True, text=True).stdout
    expected = json.loads(printed)
    assert len(expected) == n
    for i, frame in enumerate(expected):
        assert camera.frame(i) == frame, i
    assert camera.frame(-1) == expected[-1]
    with pytest.raises(IndexError):
        camera.frame(n)
    assert "frames" in repr(camera)


def test_a_y_up_solve_is_converted_for_blender():
    yup = import_nuke_chan(ANGLES, coordinate_system="z_up")
    yup.coordinate_system = "y_up"  # the file's own Y-up values, labelled as such
    zup = import_nuke_chan(ANGLES)
    a, b = yup.blender_camera(), zup.blender_camera()
    assert all(abs(x - y) < 1e-9 for x, y in zip(a.matrix_world, b.matrix_world))


def test_export_then_import_gives_the_same_camera(tmp_path):
    solve = import_nuke_chan(ZOOM)
    out = tmp_path / "out.chan"
    export_nuke_chan(solve, os.fspath(out))
    again = import_nuke_chan(out)
    assert again.frame_range == solve.frame_range
    for frame, values in solve.camera_transforms.items():
        assert again.camera_transforms[frame] == pytest.approx(values, abs=1e-6)
    assert again.focal_lengths == pytest.approx(solve.focal_lengths, abs=1e-6)


def test_the_blender_camera_of_an_import_equals_the_one_rebuilt_from_the_solve():
    imported = import_nuke_chan(ZOOM)
    rebuilt = SolveData.from_dict(imported.to_dict())  # the same data, no import behind it
    a, b = imported.blender_camera(), rebuilt.blender_camera()
    for column in ["frames", "location", "rotation_euler", "rotation_euler_deg", "matrix_world", "lens"]:
        assert getattr(a, column).tolist() == getattr(b, column).tolist(), column


def test_the_blender_camera_follows_edits_to_the_solve():
    solve = import_nuke_chan(ZOOM)
    first = min(solve.camera_transforms)
    solve.camera_transforms[first] = (9.0, 8.0, 7.0, 0.0, 0.0, 0.0)
    assert solve.blender_camera().frame(0)["location"] == [9.0, 8.0, 7.0]
    solve = import_nuke_chan(ZOOM)
    solve.coordinate_system = "y_up"
    assert solve.blender_camera().frame(0)["location"] != import_nuke_chan(ZOOM).blender_camera().frame(0)["location"]
