"""Shared fixtures of the Python suite.

Under ``CI=true`` a missing tool (ffmpeg, ffprobe, the ``cinematic`` CLI, PyYAML) is a
failure, never a skip: the rule of ``cinematic-testkit``, kept here for Python.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SEED_DIR = REPO / "crates" / "tracking-yaml" / "tests" / "fixtures"
SHARED_SEED_DIR = REPO.parent / "shared" / "fixtures" / "session"


def under_ci() -> bool:
    return os.environ.get("CI") == "true"


def require(what: str, found):
    """``found`` when truthy; otherwise a skip, or a failure under ``CI=true``."""
    if found:
        return found
    message = f"{what} is required but missing"
    if under_ci():
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


@pytest.fixture
def state_root(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    require("ffprobe", shutil.which("ffprobe"))
    return require("ffmpeg", shutil.which("ffmpeg"))


@pytest.fixture(scope="session")
def cli() -> str:
    """The ``cinematic`` binary: ``CINEMATIC_CLI``, else ``target/debug``, else PATH."""
    candidates = [os.environ.get("CINEMATIC_CLI"), str(REPO / "target" / "debug" / "cinematic")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return require("the cinematic CLI (cargo build -p cinematic-cli)", shutil.which("cinematic"))


@pytest.fixture(scope="session")
def yaml_module():
    try:
        import yaml  # noqa: PLC0415
    except ImportError:
        yaml = None
    return require("PyYAML", yaml)


def make_movie(ffmpeg: str, path: Path, seconds: float = 2.0, size: str = "320x240", rate: str = "24") -> Path:
    """A real movie made by ffmpeg (testsrc2), as every suite of this repository does."""
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
         "-t", str(seconds), "-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)],
        check=True, stdin=subprocess.DEVNULL,
    )
    return path
