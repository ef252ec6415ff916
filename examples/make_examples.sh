#!/usr/bin/env bash
# Regenerates the bundled example data:
#   plate.mov   - 4 s, 640x360, 24 fps H.264 plate (96 frames) with start timecode
#                 00:00:41:17, which is frame 1001 at 24 fps (the usual VFX plate start)
#   camera.chan - the matching camera as Nuke exports it (Y-up, ZXY, vfov column),
#                 numbered from frame 1 as many trackers do, so ingest suggests +1000
#   tracks.txt  - 2D tracks of twelve surveyed points as 3DEqualizer 4 exports them
#                 (pixels from the bottom-left corner, frames from 1), made by
#                 projecting the points through that camera; a point outside the frame
#                 has no key (a gap)
# Needs ffmpeg (libx264) and python3. Output is deterministic for a given ffmpeg build.
set -euo pipefail
cd "$(dirname "$0")"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=24:duration=4" \
  -c:v libx264 -preset veryslow -crf 30 -pix_fmt yuv420p -g 24 -bf 2 \
  -timecode 00:00:41:17 -map_metadata -1 -fflags +bitexact -flags:v +bitexact \
  -metadata:s:v:0 handler_name=VideoHandler \
  plate.mov

python3 - <<'PY'
import math
# A crane-down dolly with a pan and a slow push-in zoom, in Nuke's frame:
# world Y up, metres, rotation order ZXY, angles in degrees, column 8 = vertical FOV
# of a 24.576 x 18.672 mm film back.
VAPERTURE = 18.672
lines = []
for frame in range(1, 97):
    t = (frame - 1) / 95.0
    ease = 0.5 - 0.5 * math.cos(math.pi * t)
    tx = -2.0 + 4.0 * ease
    ty = 2.4 - 0.8 * ease
    tz = 6.0 - 1.5 * ease
    rx = -12.0 + 6.0 * ease           # tilt up as the crane comes down
    ry = 18.0 - 36.0 * ease           # pan right to left
    rz = 1.5 * math.sin(2 * math.pi * t)  # a little hand-held roll
    focal = 35.0 + 15.0 * max(0.0, (t - 0.5) / 0.5) ** 2  # zoom 35 -> 50 mm in the second half
    vfov = math.degrees(2.0 * math.atan(VAPERTURE / (2.0 * focal)))
    values = [tx, ty, tz, rx, ry, rz, vfov]
    # Positions and angles rounded to 9 decimals (µm, µ°); the FOV kept exact so the
    # focal length reads back as 35.0 … 50.0 mm.
    fields = [repr(round(v, 9)) for v in values[:6]] + [repr(vfov)]
    lines.append("\t".join([str(frame)] + fields))
with open("camera.chan", "w") as f:
    f.write("\n".join(lines) + "\n")

# The tracks: world points seen through the camera above. Nuke's camera looks down -Z
# with Y up; R = Ry*Rx*Rz (order ZXY); the 24.576 mm horizontal aperture spans the
# 640 px width (square pixels), so 1 mm on the film back is 640/24.576 px.
W, H, HAPERTURE = 640, 360, 24.576
def rot(axis, deg):
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return {"x": [[1, 0, 0], [0, c, -s], [0, s, c]],
            "y": [[c, 0, s], [0, 1, 0], [-s, 0, c]],
            "z": [[c, -s, 0], [s, c, 0], [0, 0, 1]]}[axis]
def mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
points = [(f"ground {i + 1:02d}", (x, 0.0, z))
          for i, (x, z) in enumerate((x, z) for z in (-3.0, -1.0) for x in (-3.0, -1.0, 1.0, 3.0))]
points += [(f"post_{i + 1}", (x, 1.2, -2.0)) for i, x in enumerate((-2.0, 0.0, 2.0, 4.0))]
tracks = []
for name, world in points:
    keys = []
    for line in lines:
        frame, *v = line.split("\t")
        tx, ty, tz, rx, ry, rz, vfov = map(float, v)
        r = mul(rot("y", ry), mul(rot("x", rx), rot("z", rz)))
        d = [world[i] - (tx, ty, tz)[i] for i in range(3)]
        cam = [sum(r[k][i] * d[k] for k in range(3)) for i in range(3)]  # R^T * d
        if cam[2] >= -0.1:
            continue
        focal = VAPERTURE / (2.0 * math.tan(math.radians(vfov) / 2.0))
        px = W / 2 + (cam[0] / -cam[2]) * focal * W / HAPERTURE
        py = H / 2 + (cam[1] / -cam[2]) * focal * W / HAPERTURE
        if 0.0 <= px <= W and 0.0 <= py <= H:
            keys.append(f"{frame} {px:.15f} {py:.15f}")
    tracks.append((name, keys))
out = [str(len(tracks))]
for name, keys in tracks:
    out += [name, "0", str(len(keys))] + keys
with open("tracks.txt", "w") as f:
    f.write("\n".join(out) + "\n")
PY
ls -l plate.mov camera.chan tracks.txt
