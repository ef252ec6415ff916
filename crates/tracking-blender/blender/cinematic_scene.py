"""Build a shot's scene in Blender from a cinematic scene spec.

Shared by `cinematic blender build` (run as a script inside headless Blender) and the
Blender add-on's "Load shot" operator (which calls `build_scene` on the open file).
The spec is data (a JSON object written by tracking-blender's `SceneSpec`); nothing in
it is ever evaluated as code, so file names with quotes, `$()`, newlines or non-ASCII
are just strings here.

As a script:
    blender -b --factory-startup --python-exit-code 1 --python cinematic_scene.py -- SPEC.json RESULT.json
reads SPEC.json, builds the scene in an empty file, saves it to the spec's `output`
and writes RESULT.json (what was built). Any failure raises, so Blender exits 1 with
the traceback on stderr and RESULT.json is not written.
"""

import json
import sys
import time

SPEC_FORMAT = "cinematic-blender-scene"
SPEC_VERSION = 2
# Enum value of 'LINEAR' in Keyframe.interpolation (CONSTANT=0, LINEAR=1, BEZIER=2).
LINEAR = 1


def _key_curve(action, data_path, index, frames, values, group):
    """One F-curve keyed on every frame in bulk: keyframe_points.add + foreach_set."""
    curve = action.fcurves.new(data_path, index=index, action_group=group)
    count = len(frames)
    curve.keyframe_points.add(count)
    co = [0.0] * (2 * count)
    co[0::2] = frames
    co[1::2] = values
    curve.keyframe_points.foreach_set("co", co)
    curve.keyframe_points.foreach_set("interpolation", [LINEAR] * count)
    curve.update()
    return count


def _clip(bpy, plate):
    """The plate as a movie clip whose first frame plays at the plate's scene frame."""
    clip = bpy.data.movieclips.load(plate["path"], check_existing=False)
    clip.name = plate["name"]
    clip.frame_start = plate["frame_start"]
    clip.frame_offset = 0
    return clip


def add_tracks(clip, tracks):
    """The spec's 2D tracks (tracking-blender's ClipTrack) on `clip`'s camera tracking
    object. Frames are clip frames and `co` is Blender's own convention, both decided in
    Rust; the gap markers come muted. Pattern and search areas stay Blender's defaults.

    A track gets the exact name asked for or the build fails (Blender would rename a
    taken or overlong name silently). Returns (tracks, markers) added.
    """
    if not tracks:
        return 0, 0
    if clip.frame_offset != 0:
        raise ValueError("clip %r has frame_offset %d; track frames assume 0" % (clip.name, clip.frame_offset))
    created = clip.tracking.tracks
    markers_added = 0
    for spec_track in tracks:
        name, frames, co, mute = spec_track["name"], spec_track["frames"], spec_track["co"], spec_track["mute"]
        count = len(frames)
        if count == 0 or len(co) != 2 * count or len(mute) != count:
            raise ValueError("track %r: %d frames, %d co, %d mute" % (name, count, len(co), len(mute)))
        # `new` makes the first marker (with the default pattern and search areas, which
        # `insert_frame` copies); frames ascend, so each insert lands at the end.
        track = created.new(name=name, frame=frames[0])
        if track.name != name:
            raise ValueError("Blender named track %r %r" % (name, track.name))
        markers = track.markers
        insert = markers.insert_frame
        origin = (0.0, 0.0)
        for frame in frames[1:]:
            insert(frame, co=origin)
        if len(markers) != count:
            raise ValueError("track %r has %d markers, not %d (repeated frames?)" % (name, len(markers), count))
        markers.foreach_set("co", co)
        markers.foreach_set("mute", mute)
        stored = [0] * count
        markers.foreach_get("frame", stored)
        if stored != list(frames):
            raise ValueError("track %r: markers landed on other frames" % name)
        markers_added += count
    return len(tracks), markers_added


def check_spec(spec):
    """Refuse a spec of another format or version."""
    if spec.get("format") != SPEC_FORMAT or spec.get("version") != SPEC_VERSION:
        raise ValueError(
            "not a %s spec of version %d: %r %r"
            % (SPEC_FORMAT, SPEC_VERSION, spec.get("format"), spec.get("version"))
        )


def apply_scene_settings(scene, settings):
    """Frame range, exact fps/fps_base, resolution and pixel aspect."""
    scene.frame_start = settings["frame_start"]
    scene.frame_end = settings["frame_end"]
    render = scene.render
    render.fps = settings["fps"]
    render.fps_base = settings["fps_base"]
    render.resolution_x, render.resolution_y = settings["resolution"]
    render.resolution_percentage = 100
    render.pixel_aspect_x, render.pixel_aspect_y = settings["pixel_aspect"]


def key_camera(bpy, cam, keys):
    """Set `cam`'s sensor and key its location, rotation and lens from a camera-keys
    dict (tracking-blender's CameraKeys). Replaces the object's and its data's actions.
    Returns the number of keys inserted."""
    cam_data = cam.data
    cam_data.sensor_width = keys["sensor_width"]
    cam_data.sensor_height = keys["sensor_height"]
    cam_data.sensor_fit = keys["sensor_fit"]
    cam_data.lens_unit = "MILLIMETERS"
    if keys.get("lens_constant") is not None:
        cam_data.lens = keys["lens_constant"]
    cam.rotation_mode = "XYZ"
    frames = [float(f) for f in keys["frames"]]
    count = 0
    if not frames:
        return count
    action = bpy.data.actions.new(keys["name"] + "Action")
    cam.animation_data_create().action = action
    location, rotation = keys["location"], keys["rotation_euler"]
    for axis in range(3):
        count += _key_curve(action, "location", axis, frames, location[axis::3], "Object Transforms")
        count += _key_curve(action, "rotation_euler", axis, frames, rotation[axis::3], "Object Transforms")
    # Static values too, so the object is right where it has no animation.
    cam.location = location[0:3]
    cam.rotation_euler = rotation[0:3]
    lenses = keys.get("lens")
    if lenses is not None:
        lens_action = bpy.data.actions.new(keys["name"] + "LensAction")
        cam_data.animation_data_create().action = lens_action
        count += _key_curve(lens_action, "lens", 0, frames, lenses, "Lens")
        cam_data.lens = lenses[0]
    elif cam_data.animation_data is not None:
        cam_data.animation_data.action = None
    return count


def attach_plate(bpy, scene, cam_data, plate):
    """The plate as the scene's active clip and the camera's background."""
    clip = _clip(bpy, plate)
    scene.active_clip = clip
    cam_data.show_background_images = True
    background = cam_data.background_images.new()
    background.source = "MOVIE_CLIP"
    background.use_camera_clip = False
    background.clip = clip
    background.alpha = 1.0
    return clip


def build_scene(bpy, spec, scene=None):
    """Build the spec's scene into `scene` (default: the context's scene): settings, a
    new camera object keyed on every frame (set as the scene camera), the plate clip
    and its 2D tracks.

    Returns a dict of what was built: camera and data names, key count, fps, clip,
    track and marker counts.
    """
    check_spec(spec)
    scene = scene or bpy.context.scene
    apply_scene_settings(scene, spec["scene"])
    keys = spec["camera"]
    cam_data = bpy.data.cameras.new(keys["name"])
    cam = bpy.data.objects.new(keys["name"], cam_data)
    scene.collection.objects.link(cam)
    scene.camera = cam
    count = key_camera(bpy, cam, keys)
    clip = None
    plate = spec.get("plate")
    tracks = spec.get("tracks") or []
    if plate is not None:
        clip = attach_plate(bpy, scene, cam_data, plate)
        tracks_added, markers_added = add_tracks(clip, tracks)
    elif tracks:
        raise ValueError("%d tracks but no plate clip to hold them" % len(tracks))
    else:
        tracks_added, markers_added = 0, 0
    render = scene.render
    return {
        "camera_object": cam.name,
        "camera_data": cam_data.name,
        "keys": count,
        "fps": render.fps,
        "fps_base": render.fps_base,
        "tracks": tracks_added,
        "markers": markers_added,
        "clip": None
        if clip is None
        else {"name": clip.name, "frame_start": clip.frame_start, "frame_duration": clip.frame_duration},
    }


def main(argv):
    import bpy

    started = time.monotonic()
    spec_path, result_path = argv
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.preferences.filepaths.save_version = 0
    scene = bpy.context.scene
    scene.name = spec["scene"]["name"]
    built = build_scene(bpy, spec, scene)
    result = bpy.ops.wm.save_as_mainfile(
        filepath=spec["output"],
        check_existing=False,
        relative_remap=bool(spec["relative_paths"]),
        compress=False,
    )
    if result != {"FINISHED"}:
        raise RuntimeError("saving %r failed: %r" % (spec["output"], result))
    built["blender_version"] = bpy.app.version_string
    built["seconds_in_blender"] = time.monotonic() - started
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(built, f)


if __name__ == "__main__":
    main(sys.argv[sys.argv.index("--") + 1:])
