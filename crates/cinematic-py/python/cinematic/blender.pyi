import os

from ._native import (
    blender_camera_keys as camera_keys,
    blender_export_chan as export_chan,
    blender_scene_script as scene_script,
    blender_scene_spec as scene_spec,
)

__all__ = ["camera_keys", "export_chan", "scene_script", "scene_spec"]
