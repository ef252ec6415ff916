"""Speed of ``TrackingSessionManager.load`` against the original Python manager's load.

The session is the repository's 12.5 MB bench session: 200 tracks x 1000 markers of
full-precision floats (SplitMix64, as ``crates/tracking-yaml/benches/yaml_codec.rs``
makes it), saved by our store (whose YAML is byte-identical to the original's
``yaml.dump(to_dict(), default_flow_style=False, sort_keys=False)``).

The original's load, reproduced here from its documented behaviour (CONVENTIONS §4,
§8b): read the file, ``yaml.load`` it (here with PyYAML's C loader, ``CSafeLoader``),
then ``TrackingSession.from_dict``: every track through ``TrackData.from_dict``, every
marker key through ``int()`` and value through ``tuple()``, into dataclasses with the
original defaults. Run with a release build of the package installed::

    python3 crates/cinematic-py/bench/bench_session_load.py [RUNS]
"""

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import cinematic


def splitmix_floats(count: int, state: int = 7):
    """Deterministic floats in 0..1 with 53 random bits (the Rust bench's generator)."""
    mask = (1 << 64) - 1
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        yield (z >> 11) / float(1 << 53)


def bench_session(tracks: int = 200, markers: int = 1000) -> cinematic.TrackingSession:
    values = splitmix_floats(2 * tracks * markers)
    session = cinematic.TrackingSession(session_id="bench", footage_path="/shots/plate.%04d.exr",
                                        frame_start=1001, frame_end=1000 + markers, current_frame=1001)
    for t in range(tracks):
        track = cinematic.TrackData(f"Track.{t:03}", correlation=0.85)
        track.markers = {1001 + m: (next(values), next(values)) for m in range(markers)}
        session.tracks.append(track)
    return session


# --- the original manager's load, reproduced ----------------------------------------


@dataclass
class OriginalTrack:
    name: str = ""
    pattern_area: tuple = (0, 0, 31, 31)
    search_area: tuple = (0, 0, 61, 61)
    markers: dict = field(default_factory=dict)
    enabled: bool = True
    color: tuple = (1.0, 0.0, 0.0)
    correlation: float = 1.0
    track_type: str = "point"


@dataclass
class OriginalSession:
    session_id: str = ""
    footage_path: str = ""
    frame_start: int = 1
    frame_end: int = 100
    current_frame: int = 1
    tracks: list = field(default_factory=list)
    camera_profile: str = ""
    preset: str = "balanced"
    status: str = "in_progress"
    created_at: str = ""
    updated_at: str = ""


def original_track(d: dict) -> OriginalTrack:
    markers = d.get("markers") or {}
    return OriginalTrack(
        name=d.get("name", ""),
        pattern_area=tuple(d.get("pattern_area", (0, 0, 31, 31))),
        search_area=tuple(d.get("search_area", (0, 0, 61, 61))),
        markers={int(frame): tuple(xy) for frame, xy in markers.items()},
        enabled=d.get("enabled", True),
        color=tuple(d.get("color", (1.0, 0.0, 0.0))),
        correlation=d.get("correlation", 1.0),
        track_type=d.get("track_type", "point"),
    )


def original_load(sessions_dir: Path, session_id: str) -> OriginalSession:
    path = sessions_dir / f"{session_id}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"Session not found: {session_id}")
    with open(path, "r", encoding="utf-8") as f:
        raw = f.read()
    d = yaml.load(raw, Loader=yaml.CSafeLoader)
    return OriginalSession(
        session_id=d.get("session_id", ""),
        footage_path=d.get("footage_path", ""),
        frame_start=d.get("frame_start", 1),
        frame_end=d.get("frame_end", 100),
        current_frame=d.get("current_frame", 1),
        tracks=[original_track(t) for t in (d.get("tracks") or [])],
        camera_profile=d.get("camera_profile", ""),
        preset=d.get("preset", "balanced"),
        status=d.get("status", "in_progress"),
        created_at=d.get("created_at", ""),
        updated_at=d.get("updated_at", ""),
    )


# -------------------------------------------------------------------------------------


def timed(fn, runs: int):
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        del result
    return min(wall), sorted(wall)[len(wall) // 2], min(cpu)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    assert yaml.__with_libyaml__, "PyYAML without libyaml: no CSafeLoader"
    with tempfile.TemporaryDirectory() as root:
        manager = cinematic.TrackingSessionManager(root)
        manager.save(bench_session())
        path = manager.sessions_dir / "bench.yaml"
        size = path.stat().st_size

        original = original_load(manager.sessions_dir, "bench")
        ours = manager.load("bench")
        assert len(ours.tracks) == len(original.tracks) == 200
        assert ours.tracks[7].markers == original.tracks[7].markers  # the same data

        def ours_every_marker():
            session = manager.load("bench")
            return sum(len(t.markers) for t in session.tracks)

        o = timed(lambda: original_load(manager.sessions_dir, "bench"), max(1, runs // 2))
        r = timed(lambda: manager.load("bench"), runs)
        m = timed(ours_every_marker, runs)
        print(f"session file: {size} bytes (200 tracks x 1000 markers)")
        print(f"original manager load (CSafeLoader + from_dict): best {o[0]:.3f} s, median {o[1]:.3f} s, cpu {o[2]:.3f} s")
        print(f"TrackingSessionManager.load: best {r[0]:.4f} s, median {r[1]:.4f} s, cpu {r[2]:.4f} s "
              f"-> {o[0] / r[0]:.0f}x (best), {o[1] / r[1]:.0f}x (median)")
        print(f"  load + read every track's markers as dicts: best {m[0]:.4f} s, median {m[1]:.4f} s "
              f"-> {o[0] / m[0]:.0f}x (best)")


if __name__ == "__main__":
    main()
