"""Every name importable from both ``cinematic`` and ``cinematic.tracking``."""

import importlib

import pytest

import cinematic
import cinematic.tracking

# The original package's `__all__` (lib/cinematic/tracking/__init__.py), minus the
# object-tracking, scan, mocap and batch names of its later phases.
ORIGINAL_NAMES = [
    "TrackData",
    "SolveData",
    "SolveReport",
    "FootageMetadata",
    "FootageInfo",
    "TrackingSession",
    "extract_metadata",
    "analyze_footage",
    "get_frame_rate",
    "convert_yup_to_zup_position",
    "convert_yup_to_zup_rotation",
    "fov_to_focal_length",
    "import_nuke_chan",
    "import_tracking_data",
    "TrackingSessionManager",
    "BLENDER_AVAILABLE",
]

ISSUE_NAMES = ORIGINAL_NAMES + [
    "convert_zup_to_yup_position",
    "focal_length_to_fov",
    "blender_available",
    "__version__",
    "CinematicError",
    "NotFoundError",
    "InvalidValueError",
    "MalformedFileError",
    "UnsupportedFormatError",
    "SessionConflict",
    "ToolError",
    "ToolNotFoundError",
    "StorageError",
]


@pytest.mark.parametrize("module_name", ["cinematic", "cinematic.tracking"])
def test_every_name_of_the_original_and_the_issue_is_in_all_and_importable(module_name):
    module = importlib.import_module(module_name)
    for name in ISSUE_NAMES:
        assert name in module.__all__, name
        assert hasattr(module, name), name
    for name in module.__all__:
        assert hasattr(module, name), name


def test_both_modules_hold_the_very_same_objects():
    assert cinematic.tracking.__all__ == cinematic.__all__
    for name in cinematic.__all__:
        assert getattr(cinematic.tracking, name) is getattr(cinematic, name), name


def test_star_import_from_the_original_path_works():
    namespace: dict = {}
    exec("from cinematic.tracking import *", namespace)
    for name in ORIGINAL_NAMES:
        assert name in namespace, name


def test_version_is_the_workspace_version():
    assert cinematic.__version__ == "0.3.1"


def test_blender_available_keeps_the_original_meaning():
    # Outside Blender `bpy` is not importable: BLENDER_AVAILABLE is False, as in the
    # original; blender_available() says whether a Blender executable is installed.
    assert cinematic.BLENDER_AVAILABLE is False
    assert isinstance(cinematic.blender_available(), bool)


def test_the_package_is_typed():
    from pathlib import Path

    package = Path(cinematic.__file__).parent
    for stub in ["py.typed", "__init__.pyi", "tracking.pyi", "_native.pyi"]:
        assert (package / stub).is_file(), stub


def test_every_error_is_a_cinematic_error_and_the_natural_builtin():
    expected = {
        "NotFoundError": FileNotFoundError,
        "InvalidValueError": ValueError,
        "MalformedFileError": ValueError,
        "UnsupportedFormatError": ValueError,
        "SessionConflict": cinematic.CinematicError,
        "ToolError": RuntimeError,
        "ToolNotFoundError": RuntimeError,
        "StorageError": OSError,
    }
    for name, builtin in expected.items():
        cls = getattr(cinematic, name)
        assert issubclass(cls, cinematic.CinematicError), name
        assert issubclass(cls, builtin), name
        assert cls.__module__ == "cinematic", name
        error = cls("message")
        assert (error.path, error.line, error.column) == (None, None, None)
    assert issubclass(cinematic.MalformedFileError, cinematic.InvalidValueError)
    assert issubclass(cinematic.ToolNotFoundError, cinematic.ToolError)
