"""Speed of ``import_nuke_chan`` from Python against the Rust library call it wraps.

The 1,000,000-frame file is the repository's speed-test ``.chan`` (made by
``cargo run --release -p tracking-io --example generate_big_chan -- FILE``, ~75 MB, as
``cargo bench -p tracking-io --bench chan_speed`` makes it). Python returns the
per-frame Blender camera as arrays (``SolveData.blender_camera()``), no per-frame
objects. Run with a release build of the package installed::

    python3 crates/cinematic-py/bench/bench_chan.py [FILE.chan] [RUNS]
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import cinematic

REPO = Path(__file__).resolve().parents[3]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "target" / "bench_1m_frames.chan"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cargo = os.environ.get("CARGO", "cargo")
    if not path.exists():
        subprocess.run([cargo, "run", "--release", "-q", "-p", "tracking-io", "--example",
                        "generate_big_chan", "--", str(path)], check=True, cwd=REPO)
    size = path.stat().st_size

    def timed(fn):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
            del result
        times.sort()
        return times[0], times[len(times) // 2]

    def matrices_and_lens():
        camera = cinematic.import_nuke_chan(path).blender_camera()
        return camera.matrix_world, camera.lens

    def every_column():
        camera = cinematic.import_nuke_chan(path).blender_camera()
        return (camera.frames, camera.location, camera.rotation_euler, camera.rotation_euler_deg,
                camera.matrix_world, camera.lens)

    solve_only = timed(lambda: cinematic.import_nuke_chan(path))
    with_arrays = timed(matrices_and_lens)
    all_arrays = timed(every_column)
    camera = cinematic.import_nuke_chan(path).blender_camera()
    rust = subprocess.run([cargo, "run", "--release", "-q", "-p", "cinematic-py", "--example",
                           "chan_import_timing", "--", str(path), str(runs)],
                          check=True, cwd=REPO, capture_output=True, text=True).stdout.strip()
    rust_best = float(rust.split("best ")[1].split(" s")[0])
    rust_median = float(rust.split("median ")[1].split(" s")[0])
    print(f"file: {path} ({size / 1e6:.1f} MB, {len(camera)} frames)")
    print(rust)
    print(f"python import_nuke_chan (SolveData): best {solve_only[0]:.4f} s, median {solve_only[1]:.4f} s")
    print(f"python import_nuke_chan + blender_camera() matrix_world + lens arrays: best {with_arrays[0]:.4f} s, "
          f"median {with_arrays[1]:.4f} s")
    print(f"python import_nuke_chan + all six blender_camera() arrays: best {all_arrays[0]:.4f} s, "
          f"median {all_arrays[1]:.4f} s")
    print(f"ratio python (matrices + lens) / rust: best {with_arrays[0] / rust_best:.2f}x, "
          f"median {with_arrays[1] / rust_median:.2f}x (target <= 1.5x)")
    print(f"ratio python (all arrays) / rust: best {all_arrays[0] / rust_best:.2f}x, "
          f"median {all_arrays[1] / rust_median:.2f}x")

if __name__ == "__main__":
    main()
