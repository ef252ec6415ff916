# Runs inside headless Blender for test_blender_addon.py:
#   blender -b --python-exit-code 1 --python addon_checks.py -- REQUEST.json
# Installs and enables the add-on from its zip in the (fresh) user profile the test
# chose, then uses its three operators and writes what it saw to the request's
# "result" path. Any failure raises, so Blender exits 1.
import json
import sys

import addon_utils
import bpy

request = json.load(open(sys.argv[sys.argv.index("--") + 1], encoding="utf-8"))
result = {}

bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.preferences.addon_install(filepath=request["zip"], overwrite=True)
addon_utils.enable("cinematic_tracking", default_set=True, handle_error=None)
assert addon_utils.check("cinematic_tracking")[1], "the add-on did not enable"
import cinematic  # the add-on put its vendored copy on sys.path

result["cinematic_file"] = cinematic.__file__
result["cinematic_version"] = cinematic.__version__
result["blender_available"] = cinematic.BLENDER_AVAILABLE

# Import: a fresh camera keyed from the .chan.
scene = bpy.context.scene
outcome = bpy.ops.import_scene.cinematic_chan(
    filepath=request["chan"], rotation_order="ZXY", sensor_width=24.576, sensor_height=18.672
)
assert outcome == {"FINISHED"}, outcome
cam = bpy.context.view_layer.objects.active
frames = request["frames"]
matrices, lenses = [], []
for frame in frames:
    scene.frame_set(frame)
    matrices.append([list(row) for row in cam.matrix_world])
    lenses.append(cam.data.lens)
result["import"] = {"object": cam.name, "matrix_world": matrices, "lens": lenses}

# Export: the active camera over the scene's range.
scene.frame_start, scene.frame_end = frames[0], frames[-1]
outcome = bpy.ops.export_scene.cinematic_chan(filepath=request["export"], rotation_order="ZXY")
assert outcome == {"FINISHED"}, outcome

# A bad file is reported as an error (which bpy.ops raises to a Python caller) and
# changes nothing.
before = len(bpy.data.objects)
try:
    bpy.ops.import_scene.cinematic_chan(filepath=request["bad_chan"])
    result["bad_import"] = "no error"
except RuntimeError as error:
    result["bad_import"] = str(error)
assert len(bpy.data.objects) == before

# Load shot into an empty file, saved for the test to compare with `blender build`.
bpy.ops.wm.read_factory_settings(use_empty=True)
addon_utils.enable("cinematic_tracking", default_set=True, handle_error=None)
outcome = bpy.ops.cinematic.load_shot(
    session_id=request["session"], state_root=request["state_root"]
)
assert outcome == {"FINISHED"}, outcome
bpy.ops.wm.save_as_mainfile(filepath=request["shot_blend"], relative_remap=False)

with open(request["result"], "w", encoding="utf-8") as f:
    json.dump(result, f)
