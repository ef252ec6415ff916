"""``cinematic.tracking``: the original ``lib.cinematic.tracking`` path, holding the
same names as the top-level ``cinematic`` package (``from cinematic.tracking import
TrackingSession`` replaces ``from lib.cinematic.tracking import TrackingSession``).
"""

from . import (
    BLENDER_AVAILABLE,
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
    __all__,
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

__all__ = list(__all__)
