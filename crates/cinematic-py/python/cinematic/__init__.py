"""cinematic: camera tracking / matchmove tools on an exact, fast Rust core.

A drop-in for the original ``lib.cinematic.tracking`` package: the same names, call
forms and defaults, with ``from cinematic.tracking import ...`` as the only change::

    from cinematic.tracking import (
        TrackData, SolveData, FootageMetadata, TrackingSession,
        extract_metadata, analyze_footage,
        import_nuke_chan, convert_yup_to_zup_position,
    )

    metadata = extract_metadata("footage/my_shot.mp4")
    solve = import_nuke_chan("tracking/camera.chan")
    manager = TrackingSessionManager()
    manager.save(TrackingSession(session_id="shot_001", footage_path="/x.mp4"))

Fixed on the way: Y-up -> Z-up is ``(x, -z, y)`` and a real rotation conversion;
bad numbers raise ``ValueError`` instead of returning a silent 50 mm or 45 degrees;
sessions are saved by a crash-safe store (lock, revision check, atomic replace).
Errors derive from ``CinematicError`` and from the natural builtin
(``FileNotFoundError``, ``ValueError``, ``RuntimeError``, ``OSError``).
"""

from ._native import (
    SUPPORTED_FORMATS,
    BlenderCamera,
    CinematicError,
    FootageInfo,
    FootageMetadata,
    InvalidValueError,
    MalformedFileError,
    NotFoundError,
    SessionConflict,
    SolveData,
    SolveReport,
    StorageError,
    ToolError,
    ToolNotFoundError,
    TrackData,
    TrackingSession,
    TrackingSessionManager,
    UnsupportedFormatError,
    __version__,
    analyze_footage,
    blender_available,
    convert_yup_to_zup_position,
    convert_yup_to_zup_rotation,
    convert_zup_to_yup_position,
    convert_zup_to_yup_rotation,
    export_nuke_chan,
    extract_metadata,
    focal_length_to_fov,
    footage_info,
    fov_to_focal_length,
    get_frame_rate,
    import_nuke_chan,
    import_tracking_data,
    import_tracks,
    export_tracks,
    TRACK_FORMATS,
)

try:  # The original's meaning: running inside Blender (its `bpy` is importable).
    import bpy as _bpy  # noqa: F401

    BLENDER_AVAILABLE = True
except ImportError:
    BLENDER_AVAILABLE = False

__all__ = [
    # Types
    "TrackData",
    "SolveData",
    "SolveReport",
    "FootageMetadata",
    "FootageInfo",
    "TrackingSession",
    "BlenderCamera",
    # Footage
    "extract_metadata",
    "analyze_footage",
    "get_frame_rate",
    "footage_info",
    # Import/Export
    "convert_yup_to_zup_position",
    "convert_yup_to_zup_rotation",
    "convert_zup_to_yup_position",
    "convert_zup_to_yup_rotation",
    "fov_to_focal_length",
    "focal_length_to_fov",
    "import_nuke_chan",
    "import_tracking_data",
    "export_nuke_chan",
    "SUPPORTED_FORMATS",
    # 2D tracks (3DEqualizer, SynthEyes, PFTrack, boujou; Nuke, After Effects export)
    "import_tracks",
    "export_tracks",
    "TRACK_FORMATS",
    # Session Management
    "TrackingSessionManager",
    # Errors
    "CinematicError",
    "NotFoundError",
    "InvalidValueError",
    "MalformedFileError",
    "UnsupportedFormatError",
    "SessionConflict",
    "ToolError",
    "ToolNotFoundError",
    "StorageError",
    # Constants
    "BLENDER_AVAILABLE",
    "blender_available",
    "__version__",
]

from . import tracking as tracking  # noqa: E402  (after BLENDER_AVAILABLE: it re-exports it)
