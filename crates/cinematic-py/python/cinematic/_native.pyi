"""Type stubs of the extension module ``cinematic._native`` (checked by
``python -m mypy.stubtest cinematic``)."""

import os
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Literal, Optional, Union, overload

from typing_extensions import disjoint_base, final

_PathLike = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]
_Vec3 = Sequence[float]

__all__ = [
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
    "TrackData",
    "SolveData",
    "SolveReport",
    "FootageMetadata",
    "FootageInfo",
    "TrackingSession",
    "BlenderCamera",
    "TrackingSessionManager",
    "convert_yup_to_zup_position",
    "convert_zup_to_yup_position",
    "convert_yup_to_zup_rotation",
    "convert_zup_to_yup_rotation",
    "fov_to_focal_length",
    "focal_length_to_fov",
    "import_nuke_chan",
    "_import_json_camera",
    "import_tracking_data",
    "export_nuke_chan",
    "extract_metadata",
    "footage_info",
    "get_frame_rate",
    "analyze_footage",
    "blender_available",
    "SUPPORTED_FORMATS",
    "blender_scene_script",
    "blender_scene_spec",
    "blender_camera_keys",
    "blender_export_chan",
    "import_tracks",
    "export_tracks",
    "TRACK_FORMATS",
]

__version__: Final[str]
SUPPORTED_FORMATS: Final[list[str]]
TRACK_FORMATS: Final[list[str]]

class CinematicError(Exception):
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]

class NotFoundError(CinematicError, FileNotFoundError): ...
class InvalidValueError(CinematicError, ValueError): ...
class MalformedFileError(InvalidValueError): ...
class UnsupportedFormatError(CinematicError, ValueError): ...
class SessionConflict(CinematicError): ...
class ToolError(CinematicError, RuntimeError): ...
class ToolNotFoundError(ToolError): ...
class StorageError(CinematicError, OSError): ...

@disjoint_base
class TrackData:
    name: str
    pattern_area: tuple[float, float, float, float]
    search_area: tuple[float, float, float, float]
    markers: dict[int, tuple[float, float]]
    enabled: bool
    color: tuple[float, float, float]
    correlation: float
    track_type: str
    def __new__(
        cls,
        name: str = ...,
        pattern_area: Optional[Sequence[float]] = ...,
        search_area: Optional[Sequence[float]] = ...,
        markers: Optional[Mapping[int, Sequence[float]]] = ...,
        enabled: bool = ...,
        color: Optional[Sequence[float]] = ...,
        correlation: float = ...,
        track_type: Optional[str] = ...,
    ) -> TrackData: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackData: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class BlenderCamera:
    @property
    def name(self) -> str: ...
    @property
    def sensor_width(self) -> float: ...
    @property
    def sensor_height(self) -> Optional[float]: ...
    @property
    def frames(self) -> memoryview: ...
    @property
    def location(self) -> memoryview: ...
    @property
    def rotation_euler(self) -> memoryview: ...
    @property
    def rotation_euler_deg(self) -> memoryview: ...
    @property
    def matrix_world(self) -> memoryview: ...
    @property
    def lens(self) -> memoryview: ...
    def __len__(self) -> int: ...
    def frame(self, index: int) -> dict[str, Any]: ...

@disjoint_base
class SolveData:
    name: str
    frame_range: tuple[int, int]
    focal_length: float
    sensor_width: float
    sensor_height: Optional[float]
    camera_transforms: dict[int, tuple[float, float, float, float, float, float]]
    focal_lengths: dict[int, float]
    coordinate_system: str
    solved_at: str
    def __new__(
        cls,
        name: str = ...,
        frame_range: Optional[tuple[int, int]] = ...,
        focal_length: float = ...,
        sensor_width: float = ...,
        camera_transforms: Optional[Mapping[int, Sequence[float]]] = ...,
        coordinate_system: Optional[str] = ...,
        solved_at: str = ...,
        sensor_height: Optional[float] = ...,
        focal_lengths: Optional[Mapping[int, float]] = ...,
    ) -> SolveData: ...
    def blender_camera(self) -> BlenderCamera: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SolveData: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@disjoint_base
class SolveReport:
    reprojection_error_avg: float
    reprojection_error_max: float
    tracks_used: int
    frames_solved: int
    confidence_score: float
    quality_level: str
    def __new__(
        cls,
        reprojection_error_avg: float = ...,
        reprojection_error_max: float = ...,
        tracks_used: int = ...,
        frames_solved: int = ...,
        confidence_score: float = ...,
        quality_level: Optional[str] = ...,
    ) -> SolveReport: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SolveReport: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@disjoint_base
class FootageMetadata:
    filename: str
    resolution: tuple[int, int]
    frame_rate: float
    duration_frames: int
    duration_seconds: float
    codec: str
    bit_depth: int
    color_space: str
    camera_model: str
    focal_length: float
    iso: int
    motion_blur_level: str
    rolling_shutter_detected: bool
    def __new__(
        cls,
        filename: str = ...,
        resolution: tuple[int, int] = ...,
        frame_rate: float = ...,
        duration_frames: int = ...,
        duration_seconds: float = ...,
        codec: str = ...,
        bit_depth: int = ...,
        color_space: str = ...,
        camera_model: Optional[str] = ...,
        focal_length: Optional[float] = ...,
        iso: Optional[int] = ...,
        motion_blur_level: Optional[str] = ...,
        rolling_shutter_detected: bool = ...,
    ) -> FootageMetadata: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FootageMetadata: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@disjoint_base
class FootageInfo:
    source_path: str
    width: int
    height: int
    frame_start: int
    frame_end: int
    fps: float
    duration_seconds: float
    colorspace: str
    codec: str
    has_alpha: bool
    is_sequence: bool
    def __new__(
        cls,
        source_path: str = ...,
        width: int = ...,
        height: int = ...,
        frame_start: int = ...,
        frame_end: int = ...,
        fps: float = ...,
        duration_seconds: float = ...,
        colorspace: str = ...,
        codec: str = ...,
        has_alpha: bool = ...,
        is_sequence: bool = ...,
    ) -> FootageInfo: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FootageInfo: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@disjoint_base
class TrackingSession:
    session_id: str
    footage_path: str
    frame_start: int
    frame_end: int
    current_frame: int
    tracks: list[TrackData]
    camera_profile: str
    preset: str
    status: str
    created_at: str
    updated_at: str
    @property
    def revision(self) -> Optional[int]: ...
    @property
    def saved_at(self) -> Optional[str]: ...
    @property
    def save_counter(self) -> Optional[int]: ...
    @property
    def schema_version(self) -> Optional[int]: ...
    def __new__(
        cls,
        session_id: str = ...,
        footage_path: str = ...,
        frame_start: int = ...,
        frame_end: int = ...,
        current_frame: int = ...,
        tracks: Optional[Sequence[TrackData]] = ...,
        camera_profile: str = ...,
        preset: str = ...,
        status: Optional[str] = ...,
        created_at: str = ...,
        updated_at: str = ...,
    ) -> TrackingSession: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackingSession: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@disjoint_base
class TrackingSessionManager:
    def __new__(cls, state_root: Optional[_PathLike] = ...) -> TrackingSessionManager: ...
    @property
    def state_root(self) -> Path: ...
    @property
    def sessions_dir(self) -> Path: ...
    @property
    def solves_dir(self) -> Path: ...
    @property
    def footage_dir(self) -> Path: ...
    def save(
        self, session: TrackingSession, path: Optional[_PathLike] = ..., *, force: bool = ...
    ) -> None: ...
    def load(self, session_id: str) -> TrackingSession: ...
    def load_from_path(self, path: _PathLike) -> TrackingSession: ...
    def list_sessions(self) -> list[str]: ...
    def delete(self, session_id: str) -> bool: ...
    def get_latest_session(self) -> Optional[TrackingSession]: ...
    def exists(self, session_id: str) -> bool: ...
    def save_solve(self, solve: SolveData) -> Path: ...
    def load_solve(self, name: str) -> SolveData: ...
    def list_solves(self) -> list[str]: ...

@overload
def convert_yup_to_zup_position(x: float, y: float, z: float) -> tuple[float, float, float]: ...
@overload
def convert_yup_to_zup_position(x: _Vec3, y: None = ..., z: None = ...) -> tuple[float, float, float]: ...
@overload
def convert_zup_to_yup_position(x: float, y: float, z: float) -> tuple[float, float, float]: ...
@overload
def convert_zup_to_yup_position(x: _Vec3, y: None = ..., z: None = ...) -> tuple[float, float, float]: ...
@overload
def convert_yup_to_zup_rotation(
    rx: float, ry: float, rz: float, *, order: str = ...
) -> tuple[float, float, float]: ...
@overload
def convert_yup_to_zup_rotation(
    rx: _Vec3, ry: None = ..., rz: None = ..., *, order: str = ...
) -> tuple[float, float, float]: ...
@overload
def convert_zup_to_yup_rotation(
    rx: float, ry: float, rz: float, *, order: str = ..., previous: Optional[_Vec3] = ...
) -> tuple[float, float, float]: ...
@overload
def convert_zup_to_yup_rotation(
    rx: _Vec3, ry: None = ..., rz: None = ..., *, order: str = ..., previous: Optional[_Vec3] = ...
) -> tuple[float, float, float]: ...
def fov_to_focal_length(
    fov_degrees: float,
    sensor_width: float = ...,
    *,
    axis: Literal["horizontal", "vertical", "diagonal"] = ...,
    sensor_height: float = ...,
) -> float: ...
def focal_length_to_fov(
    focal_length: float,
    sensor_width: float = ...,
    *,
    axis: Literal["horizontal", "vertical", "diagonal"] = ...,
    sensor_height: float = ...,
) -> float: ...
def import_nuke_chan(
    chan_path: _PathLike,
    frame_offset: int = ...,
    scale_factor: float = ...,
    coordinate_system: Literal["y_up", "z_up"] = ...,
    *,
    rotation_order: str = ...,
    sensor_width: float = ...,
    sensor_height: float = ...,
    focal_length: Optional[float] = ...,
    strict: bool = ...,
) -> SolveData: ...
def _import_json_camera(
    file_path: _PathLike,
    *,
    coordinate_system: Literal["y_up", "z_up"] = ...,
    sensor_width: float = ...,
    sensor_height: float = ...,
    focal_length: Optional[float] = ...,
) -> SolveData: ...
def import_tracking_data(file_path: _PathLike, format: str = ..., **kwargs: Any) -> SolveData: ...
def export_nuke_chan(
    solve: SolveData,
    chan_path: _PathLike,
    *,
    rotation_order: str = ...,
    scale_factor: float = ...,
    sensor_height: Optional[float] = ...,
) -> None: ...
def extract_metadata(video_path: _PathLike) -> FootageMetadata: ...
def footage_info(path: _PathLike) -> FootageInfo: ...
@overload
def get_frame_rate(path: Union[_PathLike, Mapping[str, Any]], *, exact: Literal[False] = ...) -> float: ...
@overload
def get_frame_rate(path: Union[_PathLike, Mapping[str, Any]], *, exact: Literal[True]) -> Fraction: ...
def analyze_footage(video_path: _PathLike) -> dict[str, Any]: ...
def blender_available() -> bool: ...

# Blender add-on helpers (re-exported by cinematic.blender).
def blender_scene_script() -> str: ...
def blender_scene_spec(
    session_id: Optional[str] = ...,
    state_root: Optional[_PathLike] = ...,
    sensor_fit: str = ...,
) -> str: ...
def blender_camera_keys(
    chan_path: _PathLike,
    *,
    name: Optional[str] = ...,
    rotation_order: str = ...,
    sensor_width: float = ...,
    sensor_height: float = ...,
    frame_offset: int = ...,
    scale: float = ...,
    z_up: bool = ...,
    sensor_fit: str = ...,
    focal_length: Optional[float] = ...,
) -> str: ...
def blender_export_chan(
    path: _PathLike,
    first_frame: int,
    matrix_world: Sequence[float],
    lens: Sequence[float],
    sensor_width: float,
    sensor_height: float,
    *,
    rotation_order: str = ...,
    name: str = ...,
) -> int: ...
def import_tracks(
    file_path: _PathLike,
    size: Optional[tuple[int, int]] = ...,
    *,
    format: str = ...,
    frame_offset: int = ...,
    lenient: bool = ...,
) -> dict[str, Any]: ...
def export_tracks(
    tracks: list[TrackData],
    file_path: _PathLike,
    format: str,
    size: tuple[int, int],
    first_frame: int,
    *,
    frame_offset: int = ...,
    frame_rate: Optional[float] = ...,
) -> None: ...
