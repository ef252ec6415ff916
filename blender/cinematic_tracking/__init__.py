"""cinematic for Blender: Nuke .chan cameras in and out, and stored shots as scenes.

File > Import > "Nuke camera (.chan) - cinematic": keys a camera from a .chan exactly
as `cinematic chan import` converts it (rotation order, Make Z up, film back, frame
offset, scale), in bulk.
File > Export > ".chan - cinematic": the active camera's evaluated animation (after
parenting and constraints) as a Nuke .chan, as `cinematic blender camera` writes it.
File > Import > "Shot (cinematic session)": builds a stored shot into the current
scene - camera, frame rate, frame range, plate - with the same scene script
`cinematic blender build` runs.

The numbers come from the `cinematic` Python package (Rust): the one this add-on's
zip carries in `vendor/`, or one already importable (e.g. via PYTHONPATH).
"""

bl_info = {
    "name": "cinematic tracking",
    "author": "cinematic developers",
    "version": (0, 3, 1),
    "blender": (3, 4, 0),
    "location": "File > Import / Export",
    "description": "Nuke .chan cameras and cinematic shots, converted exactly",
    "category": "Import-Export",
}

import json
import os
import sys
import types

import bpy
from bpy.props import BoolProperty, EnumProperty, FloatProperty, IntProperty, StringProperty
from bpy_extras.io_utils import ExportHelper, ImportHelper

_VENDOR = os.path.join(os.path.dirname(__file__), "vendor")


def _cinematic():
    """`cinematic.blender`: importable once `register` has run (see there)."""
    import cinematic.blender

    return cinematic.blender


_SCENE_MODULE = None


def scene_module():
    """tracking-blender's scene script as a module (the text `cinematic blender build`
    runs), built once from the package's copy."""
    global _SCENE_MODULE
    if _SCENE_MODULE is None:
        module = types.ModuleType("cinematic_scene")
        source = _cinematic().scene_script()
        exec(compile(source, "cinematic_scene.py", "exec"), module.__dict__)
        _SCENE_MODULE = module
    return _SCENE_MODULE


_ORDERS = [(o, o, "Rotation order " + o) for o in ("ZXY", "XYZ", "XZY", "YXZ", "YZX", "ZYX")]
_FITS = [
    ("HORIZONTAL", "Horizontal", "Sensor width spans the image width (Nuke's fit)"),
    ("VERTICAL", "Vertical", "Sensor height spans the image height"),
    ("AUTO", "Auto", "Sensor width spans the larger image dimension"),
]


def _report_error(operator, error):
    operator.report({"ERROR"}, "%s: %s" % (type(error).__name__, error))
    return {"CANCELLED"}


class CINEMATIC_OT_import_chan(bpy.types.Operator, ImportHelper):
    """Key a camera from a Nuke .chan file (exact conversion by cinematic)"""

    bl_idname = "import_scene.cinematic_chan"
    bl_label = "Import Nuke camera (.chan)"
    bl_options = {"REGISTER", "UNDO"}

    filename_ext = ".chan"
    filter_glob: StringProperty(default="*.chan", options={"HIDDEN"})
    rotation_order: EnumProperty(name="Rotation order", items=_ORDERS, default="ZXY")
    z_up: BoolProperty(name="Make Z up", default=True)
    sensor_width: FloatProperty(name="Film back width (mm)", default=24.576, min=0.001)
    sensor_height: FloatProperty(name="Film back height (mm)", default=18.672, min=0.001)
    sensor_fit: EnumProperty(name="Sensor fit", items=_FITS, default="HORIZONTAL")
    frame_offset: IntProperty(name="Frame offset", default=0)
    scale: FloatProperty(name="Scale", default=1.0)
    focal_length: FloatProperty(
        name="Focal length (mm)",
        description="For a file without a vfov column (0: keep the camera's)",
        default=0.0,
        min=0.0,
    )

    def execute(self, context):
        try:
            keys = json.loads(
                _cinematic().camera_keys(
                    self.filepath,
                    rotation_order=self.rotation_order,
                    sensor_width=self.sensor_width,
                    sensor_height=self.sensor_height,
                    frame_offset=self.frame_offset,
                    scale=self.scale,
                    z_up=self.z_up,
                    sensor_fit=self.sensor_fit,
                    focal_length=self.focal_length or None,
                )
            )
        except Exception as error:  # a cinematic error: say it, change nothing
            return _report_error(self, error)
        obj = context.active_object
        if obj is None or obj.type != "CAMERA":
            data = bpy.data.cameras.new(keys["name"])
            obj = bpy.data.objects.new(keys["name"], data)
            context.scene.collection.objects.link(obj)
            context.view_layer.objects.active = obj
        count = scene_module().key_camera(bpy, obj, keys)
        self.report({"INFO"}, "%s: %d frames, %d keys" % (obj.name, len(keys["frames"]), count))
        return {"FINISHED"}


class CINEMATIC_OT_export_chan(bpy.types.Operator, ExportHelper):
    """Write the active camera's evaluated animation as a Nuke .chan (cinematic)"""

    bl_idname = "export_scene.cinematic_chan"
    bl_label = "Export .chan"

    filename_ext = ".chan"
    filter_glob: StringProperty(default="*.chan", options={"HIDDEN"})
    rotation_order: EnumProperty(name="Rotation order", items=_ORDERS, default="ZXY")

    @classmethod
    def poll(cls, context):
        return context.active_object is not None and context.active_object.type == "CAMERA"

    def execute(self, context):
        scene = context.scene
        obj = context.active_object
        current = scene.frame_current
        matrices, lenses = [], []
        try:
            for frame in range(scene.frame_start, scene.frame_end + 1):
                scene.frame_set(frame)
                evaluated = obj.evaluated_get(context.evaluated_depsgraph_get())
                for row in evaluated.matrix_world:
                    matrices.extend(row)
                lenses.append(evaluated.data.lens)
        finally:
            scene.frame_set(current)
        try:
            written = _cinematic().export_chan(
                self.filepath,
                scene.frame_start,
                matrices,
                lenses,
                obj.data.sensor_width,
                obj.data.sensor_height,
                rotation_order=self.rotation_order,
                name=obj.name,
            )
        except Exception as error:
            return _report_error(self, error)
        self.report({"INFO"}, "wrote %d frames to %s" % (written, self.filepath))
        return {"FINISHED"}


class CINEMATIC_OT_load_shot(bpy.types.Operator):
    """Build a stored cinematic shot into this scene: camera, frame rate, frame range, plate"""

    bl_idname = "cinematic.load_shot"
    bl_label = "Load shot (cinematic)"
    bl_options = {"REGISTER", "UNDO"}

    session_id: StringProperty(name="Session", description="Empty: the latest session", default="")
    state_root: StringProperty(
        name="State root", subtype="DIR_PATH", default=".gsd-state/tracking"
    )
    sensor_fit: EnumProperty(name="Sensor fit", items=_FITS, default="HORIZONTAL")

    def invoke(self, context, event):
        return context.window_manager.invoke_props_dialog(self)

    def execute(self, context):
        try:
            spec = json.loads(
                _cinematic().scene_spec(
                    self.session_id or None,
                    bpy.path.abspath(self.state_root),
                    self.sensor_fit,
                )
            )
            built = scene_module().build_scene(bpy, spec, context.scene)
        except Exception as error:
            return _report_error(self, error)
        self.report(
            {"INFO"},
            "shot %s: camera %s, %d keys, frames %d-%d"
            % (
                spec["scene"]["name"],
                built["camera_object"],
                built["keys"],
                spec["scene"]["frame_start"],
                spec["scene"]["frame_end"],
            ),
        )
        return {"FINISHED"}


def _menu_import(self, context):
    self.layout.operator(CINEMATIC_OT_import_chan.bl_idname, text="Nuke camera (.chan) - cinematic")
    self.layout.operator(CINEMATIC_OT_load_shot.bl_idname, text="Shot (cinematic session)")


def _menu_export(self, context):
    self.layout.operator(CINEMATIC_OT_export_chan.bl_idname, text=".chan - cinematic")


_CLASSES = (CINEMATIC_OT_import_chan, CINEMATIC_OT_export_chan, CINEMATIC_OT_load_shot)


def register():
    # Make the package importable everywhere in Blender (scripts, the Python console):
    # an installed one wins, else the copy this add-on carries.
    try:
        import cinematic  # noqa: F401
    except ImportError:
        if os.path.isdir(_VENDOR) and _VENDOR not in sys.path:
            sys.path.insert(0, _VENDOR)
    for cls in _CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.TOPBAR_MT_file_import.append(_menu_import)
    bpy.types.TOPBAR_MT_file_export.append(_menu_export)


def unregister():
    bpy.types.TOPBAR_MT_file_export.remove(_menu_export)
    bpy.types.TOPBAR_MT_file_import.remove(_menu_import)
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
