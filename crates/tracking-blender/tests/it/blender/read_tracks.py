# Test reader: the 2D tracks of a built .blend, read in a fresh Blender run.
#   blender -b --factory-startup --python-exit-code 1 --python read_tracks.py -- BLEND RESULT.json
# Writes the active clip's frame_start/offset/size, the tracking settings' default
# pattern and search sizes, and per track: name, markers (frame, co, mute) as stored,
# the first marker's pattern corners and search box.
#
# The independent path: stored markers are in clip frames, so reading them back with
# the mapping the build used proves little. Blender's Follow Track constraint instead
# takes the *scene* frame and maps it to the clip itself
# (BKE_movieclip_remap_scene_to_clip_frame, as the clip editor does), then places its
# object where the marker is in the camera's view. So per track, an empty parented in
# front of the scene camera follows it (2D position); for every scene frame the
# empty's evaluated world position is projected back to the camera's normalised view
# (world_to_camera_view: origin bottom-left, like marker.co). Reported with it:
# whether the marker Blender holds at that frame (find_frame(exact=False) on the
# clip frame, mapped as the source does) is muted. Frames where Follow Track finds a
# key prove the mapping; the held lookups then show the gaps.
import json
import sys

import bpy
from bpy_extras.object_utils import world_to_camera_view

blend, result_path = sys.argv[sys.argv.index("--") + 1:]
bpy.ops.wm.open_mainfile(filepath=blend, load_ui=False)
scene = bpy.context.scene
clip = scene.active_clip
settings = clip.tracking.settings
out = {
    "clip": {
        "frame_start": clip.frame_start,
        "frame_offset": clip.frame_offset,
        "size": list(clip.size),
    },
    "default_pattern_size": settings.default_pattern_size,
    "default_search_size": settings.default_search_size,
    "tracks": [],
}
camera = scene.camera
followers = []
for track in clip.tracking.tracks:
    markers = track.markers
    count = len(markers)
    frames, co, mute = [0] * count, [0.0] * (2 * count), [False] * count
    markers.foreach_get("frame", frames)
    markers.foreach_get("co", co)
    markers.foreach_get("mute", mute)
    first = markers[0]
    out["tracks"].append(
        {
            "name": track.name,
            "frames": frames,
            "co": co,
            "mute": mute,
            "pattern_corners": [list(c) for c in first.pattern_corners],
            "search_min": list(first.search_min),
            "search_max": list(first.search_max),
            "follow": [],
        }
    )
    empty = bpy.data.objects.new("follow " + track.name, None)
    scene.collection.objects.link(empty)
    empty.parent = camera
    empty.location = (0.0, 0.0, -10.0)
    constraint = empty.constraints.new("FOLLOW_TRACK")
    constraint.use_active_clip = True
    constraint.track = track.name
    constraint.camera = camera
    constraint.use_3d_position = False
    followers.append((track, empty))

for frame in range(scene.frame_start, scene.frame_end + 1):
    scene.frame_set(frame)
    depsgraph = bpy.context.evaluated_depsgraph_get()
    cam_eval = camera.evaluated_get(depsgraph)
    for (track, empty), record in zip(followers, out["tracks"]):
        position = empty.evaluated_get(depsgraph).matrix_world.translation
        view = world_to_camera_view(scene, cam_eval, position)
        held = track.markers.find_frame(frame - clip.frame_start + 1, exact=False)
        record["follow"].append([frame, view.x, view.y, bool(held.mute)])

with open(result_path, "w", encoding="utf-8") as f:
    json.dump(out, f)
