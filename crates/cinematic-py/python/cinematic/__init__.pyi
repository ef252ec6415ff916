"""Type stubs of the package ``cinematic`` (checked by ``python -m mypy.stubtest cinematic``)."""

from . import tracking as tracking
from ._native import (
    SUPPORTED_FORMATS as SUPPORTED_FORMATS,
    BlenderCamera as BlenderCamera,
    CinematicError as CinematicError,
    FootageInfo as FootageInfo,
    FootageMetadata as FootageMetadata,
    InvalidValueError as InvalidValueError,
    MalformedFileError as MalformedFileError,
    NotFoundError as NotFoundError,
    SessionConflict as SessionConflict,
    SolveData as SolveData,
    SolveReport as SolveReport,
    StorageError as StorageError,
    ToolError as ToolError,
    ToolNotFoundError as ToolNotFoundError,
    TrackData as TrackData,
    TrackingSession as TrackingSession,
    TrackingSessionManager as TrackingSessionManager,
    UnsupportedFormatError as UnsupportedFormatError,
    __version__ as __version__,
    analyze_footage as analyze_footage,
    blender_available as blender_available,
    convert_yup_to_zup_position as convert_yup_to_zup_position,
    convert_yup_to_zup_rotation as convert_yup_to_zup_rotation,
    convert_zup_to_yup_position as convert_zup_to_yup_position,
    convert_zup_to_yup_rotation as convert_zup_to_yup_rotation,
    export_nuke_chan as export_nuke_chan,
    extract_metadata as extract_metadata,
    focal_length_to_fov as focal_length_to_fov,
    footage_info as footage_info,
    fov_to_focal_length as fov_to_focal_length,
    get_frame_rate as get_frame_rate,
    import_nuke_chan as import_nuke_chan,
    import_tracking_data as import_tracking_data,
)

BLENDER_AVAILABLE: bool

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
