"""Read a camera's evaluated animation and the scene's facts out of a .blend file.

Run by `cinematic blender camera` (and the tests that reopen every built file):
    blender -b --factory-startup --python-exit-code 1 --python cinematic_inspect.py -- REQUEST.json RESULT.json
REQUEST.json: {"blend": path, "object": name or null, "frame_range": [a, b] or null}.
RESULT.json gets either {"error": kind, ...} for the expected refusals (the file does
not open, the camera is not there) or the scene facts and, per frame, the camera's
evaluated world matrix (after constraints and parenting) and lens. Matrices are flat,
row-major, 16 numbers per frame.
"""

import json
import sys


def _cameras(bpy):
    return sorted(o.name for o in bpy.data.objects if o.type == "CAMERA")


def _pick_camera(bpy, scene, name):
    cameras = _cameras(bpy)
    if name is not None:
        obj = bpy.data.objects.get(name)
        if obj is None or obj.type != "CAMERA":
            return None, {"error": "no_such_camera", "object": name, "cameras": cameras}
        return obj, None
    if scene.camera is not None and scene.camera.type == "CAMERA":
        return scene.camera, None
    if len(cameras) == 1:
        return bpy.data.objects[cameras[0]], None
    return None, {"error": "no_camera" if not cameras else "ambiguous_camera", "cameras": cameras}


def _scene_facts(scene):
    render = scene.render
    clip = scene.active_clip
    return {
        "name": scene.name,
        "frame_start": scene.frame_start,
        "frame_end": scene.frame_end,
        "fps": render.fps,
        "fps_base": render.fps_base,
        "resolution": [render.resolution_x, render.resolution_y],
        "resolution_percentage": render.resolution_percentage,
        "pixel_aspect": [render.pixel_aspect_x, render.pixel_aspect_y],
        "camera": scene.camera.name if scene.camera is not None else None,
        "clip": None
        if clip is None
        else {
            "name": clip.name,
            "filepath": clip.filepath,
            "source": clip.source,
            "frame_start": clip.frame_start,
            "frame_offset": clip.frame_offset,
            "frame_duration": clip.frame_duration,
            "size": list(clip.size),
        },
    }


def _background(cam_data):
    return [
        {
            "source": bg.source,
            "clip": bg.clip.name if bg.clip is not None else None,
            "use_camera_clip": bg.use_camera_clip,
        }
        for bg in cam_data.background_images
    ]


def inspect(bpy, request):
    try:
        bpy.ops.wm.open_mainfile(filepath=request["blend"], load_ui=False)
    except RuntimeError as error:
        return {"error": "cannot_open", "message": str(error).strip()}
    scene = bpy.context.scene
    obj, refusal = _pick_camera(bpy, scene, request.get("object"))
    result = {"blender_version": bpy.app.version_string, "scene": _scene_facts(scene)}
    if refusal is not None:
        result.update(refusal)
        return result
    frame_range = request.get("frame_range") or [scene.frame_start, scene.frame_end]
    first, last = frame_range
    matrices, lenses = [], []
    depsgraph = bpy.context.evaluated_depsgraph_get()
    for frame in range(first, last + 1):
        scene.frame_set(frame)
        evaluated = obj.evaluated_get(depsgraph)
        for row in evaluated.matrix_world:
            matrices.extend(row)
        lenses.append(evaluated.data.lens)
    data = obj.data
    animation = obj.animation_data
    action = animation.action if animation is not None else None
    result["camera"] = {
        "object": obj.name,
        "data": data.name,
        "cameras": _cameras(bpy),
        "frame_range": [first, last],
        "matrix_world": matrices,
        "lens": lenses,
        "lens_unit": data.lens_unit,
        "sensor_width": data.sensor_width,
        "sensor_height": data.sensor_height,
        "sensor_fit": data.sensor_fit,
        "rotation_mode": obj.rotation_mode,
        "interpolations": sorted(
            {k.interpolation for c in action.fcurves for k in c.keyframe_points}
        )
        if action is not None
        else [],
        "key_count": sum(len(c.keyframe_points) for c in action.fcurves) if action is not None else 0,
        "lens_key_count": sum(len(c.keyframe_points) for c in data.animation_data.action.fcurves)
        if data.animation_data is not None and data.animation_data.action is not None
        else 0,
        "show_background_images": data.show_background_images,
        "background_images": _background(data),
    }
    return result


def main(argv):
    import bpy

    request_path, result_path = argv
    with open(request_path, encoding="utf-8") as f:
        request = json.load(f)
    result = inspect(bpy, request)
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[sys.argv.index("--") + 1:])
