#!/usr/bin/env bash
# The main job on the bundled example data: ingest examples/plate.mov, its camera
# examples/camera.chan and its 2D tracks examples/tracks.txt (3DEqualizer points) into a
# tracking session under .gsd-state/tracking and print the report. Extra arguments go
# to `cinematic shot ingest` (e.g. --json).
#
# The bundled camera was exported from frame 1 and the plate is numbered from 1001, so
# the demo passes the offset ingest would suggest (--frame-offset 1000) unless you give
# your own. With Blender installed it also builds the shot's scene,
# .gsd-state/plate.blend (animated camera over the plate at the plate's frame rate, the
# tracks as markers in the clip editor);
# without it, it says how to install Blender.
#
# cinematic drives the real ffprobe/ffmpeg. When they are missing this script installs
# Debian's ffmpeg package with apt-get if it may (running as root, or sudo without a
# password); otherwise it stops and says exactly what to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v ffprobe >/dev/null || ! command -v ffmpeg >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "cinematic needs ffmpeg (ffprobe and ffmpeg). Install it, then run this again:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ffmpeg" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null; then
        echo "cinematic needs ffmpeg (ffprobe and ffmpeg); install it with your package manager." >&2
        exit 1
    fi
    echo "installing ffmpeg (apt-get install -y ffmpeg) ..." >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg >&2
fi

extra=()
case " $* " in
*" --frame-offset"*) ;;
*) extra+=(--frame-offset 1000) ;;
esac
case " $* " in
*" --tracks "*) ;;
*) extra+=(--tracks examples/tracks.txt) ;;
esac
if command -v blender >/dev/null || [ -n "${CINEMATIC_BLENDER:-}" ]; then
    extra+=(--blend .gsd-state/plate.blend --replace-blend)
else
    echo "note: Blender is not installed, so no .blend is built." >&2
    echo "      To get the shot's scene too: sudo apt-get install -y blender (or set CINEMATIC_BLENDER)" >&2
fi

exec cargo run --release --quiet --locked -p cinematic-cli -- \
    shot ingest --plate examples/plate.mov --camera examples/camera.chan "${extra[@]}" "$@"
