"""The Blender add-on, end to end in the real, headless Blender: installed and enabled
from its zip in a fresh user profile (no PYTHONPATH: the zip's own compiled package is
used), its import operator keys the camera `cinematic chan import --json` describes,
its export writes a .chan that imports back to the same matrices, and "Load shot"
builds the scene `cinematic blender build --session` builds."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cinematic

from conftest import REPO, make_movie, require

INSPECT = REPO / "crates" / "tracking-blender" / "blender" / "cinematic_inspect.py"
CHECKS = Path(__file__).parent / "blender" / "addon_checks.py"
CAMERA = REPO / "examples" / "camera.chan"


@pytest.fixture(scope="module")
def blender() -> str:
    return require("blender (apt-get install blender)", shutil.which("blender"))


def run_blender(blender: str, args, env) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [blender, "-b", "--python-exit-code", "1", *args],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def clean_env(tmp_path: Path) -> dict:
    """A fresh user profile and no PYTHONPATH: only the zip's package can be imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["BLENDER_USER_CONFIG"] = str(tmp_path / "profile" / "config")
    env["BLENDER_USER_SCRIPTS"] = str(tmp_path / "profile" / "scripts")
    return env


def chan_json(cli: str, chan: Path):
    out = subprocess.run([cli, "chan", "import", "--json", str(chan)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def max_error(a, b) -> float:
    return max(
        abs(x - y) / max(1.0, abs(x))
        for ra, rb in zip(a, b) for x, y in zip(ra, rb)
    )


def inspect(blender: str, blend: Path, tmp_path: Path, env) -> dict:
    request = tmp_path / f"inspect-{blend.stem}.json"
    result = tmp_path / f"facts-{blend.stem}.json"
    request.write_text(json.dumps({"blend": str(blend), "object": None, "frame_range": None}))
    run_blender(blender, ["--factory-startup", "--python", str(INSPECT), "--", str(request), str(result)], env)
    return json.loads(result.read_text())


def test_the_addon_installs_imports_exports_and_loads_shots(blender, cli, ffmpeg, tmp_path):
    # A stored shot: the bundled camera over a plate numbered from 1001.
    state = tmp_path / "state"
    plate = make_movie(ffmpeg, tmp_path / "plate.mov", seconds=4.0, size="320x180")
    subprocess.run(
        [cli, "--state-root", str(state), "shot", "ingest", "--no-analyze", "--id", "shot010",
         "--plate", str(plate), "--camera", str(CAMERA), "--frame-offset", "1000"],
        check=True, capture_output=True,
    )
    zip_path = tmp_path / "cinematic_tracking.zip"
    subprocess.run(
        [sys.executable, str(REPO / "blender" / "build_addon.py"), "-o", str(zip_path),
         "--package-dir", str(Path(cinematic.__file__).parent)],
        check=True, capture_output=True,
    )
    bad = tmp_path / "bad.chan"
    bad.write_text("1 0 0 0 0 0 nan 40\n")
    expected = chan_json(cli, CAMERA)
    request = {
        "zip": str(zip_path),
        "chan": str(CAMERA),
        "bad_chan": str(bad),
        "frames": [f["frame"] for f in expected],
        "export": str(tmp_path / "exported.chan"),
        "session": "shot010",
        "state_root": str(state),
        "shot_blend": str(tmp_path / "addon_shot.blend"),
        "result": str(tmp_path / "result.json"),
    }
    (tmp_path / "request.json").write_text(json.dumps(request))
    env = clean_env(tmp_path)
    run_blender(blender, ["--python", str(CHECKS), "--", str(tmp_path / "request.json")], env)
    result = json.loads((tmp_path / "result.json").read_text())

    # The vendored package from the zip, in the fresh profile, was the one used.
    assert "profile" in result["cinematic_file"] and "vendor" in result["cinematic_file"]
    assert result["cinematic_version"] == "0.3.1"
    assert result["blender_available"] is True

    # Import: every frame's matrix_world and lens as `chan import --json` has them.
    imported = result["import"]
    for want, matrix, lens in zip(expected, imported["matrix_world"], imported["lens"]):
        assert max_error(matrix, want["matrix_world"]) <= 1e-5, want["frame"]
        assert abs(lens - want["lens"]) / want["lens"] <= 1e-4
    assert "MalformedFileError" in result["bad_import"], result["bad_import"]
    assert "bad.chan:1:13" in result["bad_import"] and "not finite" in result["bad_import"]

    # Export: the written .chan imports back to the same matrices.
    back = chan_json(cli, Path(request["export"]))
    assert [f["frame"] for f in back] == request["frames"]
    for want, got in zip(expected, back):
        assert max_error(got["matrix_world"], want["matrix_world"]) <= 1e-5
        assert abs(got["lens"] - want["lens"]) / want["lens"] <= 1e-4

    # Load shot builds what `cinematic blender build --session` builds.
    built = tmp_path / "cli_shot.blend"
    subprocess.run(
        [cli, "--state-root", str(state), "blender", "build", "--session", "shot010", "-o", str(built)],
        check=True, capture_output=True,
    )
    ours = inspect(blender, Path(request["shot_blend"]), tmp_path, env)
    theirs = inspect(blender, built, tmp_path, env)
    for key in ("frame_start", "frame_end", "fps", "fps_base", "resolution", "pixel_aspect", "camera"):
        assert ours["scene"][key] == theirs["scene"][key], key
    for key in ("filepath", "source", "frame_start", "frame_duration", "size"):
        assert ours["scene"]["clip"][key] == theirs["scene"]["clip"][key], key
    assert ours["scene"]["frame_start"] == 1001
    for key in ("object", "lens_unit", "sensor_width", "sensor_height", "sensor_fit",
                "key_count", "lens_key_count", "show_background_images", "background_images"):
        assert ours["camera"][key] == theirs["camera"][key], key
    assert ours["camera"]["matrix_world"] == theirs["camera"]["matrix_world"]
    assert ours["camera"]["lens"] == theirs["camera"]["lens"]
