# Test fixture maker: a camera parented to an animated, rotated, scaled empty, with a
# Limit Location constraint in world space; saved to the path after "--".
# Expected (computed in the Rust test): parent world T(1, 2, 3 + f) Rz(90) S(2) for
# frames f = 1..5 (keys at 1 and 5, linear), camera local T(0, 0, 1) Rx(90), so the
# camera sits at (1, 2, 5 + f), limited to z <= 7.5, rotated Rz(90) Rx(90), lens 50.
import math
import sys

import bpy

out = sys.argv[sys.argv.index("--") + 1]
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.frame_start, scene.frame_end = 1, 5
parent = bpy.data.objects.new("rig", None)
scene.collection.objects.link(parent)
parent.rotation_euler = (0.0, 0.0, math.radians(90.0))
parent.scale = (2.0, 2.0, 2.0)
for frame in (1, 5):
    parent.location = (1.0, 2.0, 3.0 + frame)
    parent.keyframe_insert("location", frame=frame)
for curve in parent.animation_data.action.fcurves:
    for key in curve.keyframe_points:
        key.interpolation = "LINEAR"
data = bpy.data.cameras.new("shotcam")
data.lens = 50.0
camera = bpy.data.objects.new("shotcam", data)
scene.collection.objects.link(camera)
camera.parent = parent
camera.location = (0.0, 0.0, 1.0)
camera.rotation_euler = (math.radians(90.0), 0.0, 0.0)
limit = camera.constraints.new("LIMIT_LOCATION")
limit.use_max_z = True
limit.max_z = 7.5
limit.owner_space = "WORLD"
# A second camera, not the scene camera: --object picks it, the default does not.
other = bpy.data.objects.new("witness", bpy.data.cameras.new("witness"))
scene.collection.objects.link(other)
scene.camera = camera
bpy.ops.wm.save_as_mainfile(filepath=out, check_existing=False)
