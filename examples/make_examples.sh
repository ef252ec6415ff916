#!/usr/bin/env bash
# Regenerates the bundled example data:
#   plate.mov   - 4 s, 640x360, 24 fps H.264 plate (96 frames) with start timecode
#                 00:00:41:17, which is frame 1001 at 24 fps (the usual VFX plate start)
#   camera.chan - the matching camera as Nuke exports it (Y-up, ZXY, vfov column),
#                 numbered from frame 1 as many trackers do, so ingest suggests +1000
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
PY
ls -l plate.mov camera.chan
