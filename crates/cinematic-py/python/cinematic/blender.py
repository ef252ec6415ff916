"""What the Blender add-on needs: the scene script ``cinematic blender build`` runs,
the scene spec of a stored shot, a camera's keys from a ``.chan``, and a ``.chan``
from a camera's evaluated matrices.

Specs are JSON text (``json.loads`` them); the scene script's functions
(``build_scene``, ``key_camera``) take the decoded dicts::

    import json, types
    import cinematic.blender as cb
    scene_script = types.ModuleType("cinematic_scene")
    exec(compile(cb.scene_script(), "cinematic_scene.py", "exec"), scene_script.__dict__)
    scene_script.build_scene(bpy, json.loads(cb.scene_spec("shot010")), bpy.context.scene)
"""

from ._native import (
    blender_camera_keys as camera_keys,
    blender_export_chan as export_chan,
    blender_scene_script as scene_script,
    blender_scene_spec as scene_spec,
)

__all__ = ["camera_keys", "export_chan", "scene_script", "scene_spec"]
