//! Blender build speed: `cargo bench -p tracking-blender --bench build`.
//!
//! Blender runs take seconds, so this is a plain bench binary (no criterion): it times
//! Blender's own start-up (`blender -b --factory-startup --python-expr pass`), then
//! builds 1,000- and 100,000-frame cameras and reads the 1,000-frame one back, a few
//! runs each, and prints the median wall time of each. The budget (issue #13): a
//! 1,000-frame build costs at most start-up + 1 s. With ffmpeg, also a 1,000-frame
//! plate carrying 100 2D tracks keyed on every frame (100,000 markers, issue #15).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tracking_blender::{
    Blender, BuildOptions, CameraSetup, InspectOptions, PlatePlan, SceneSpec, build_scene,
    inspect_blend,
};
use tracking_footage::{ProbeOptions, Rational, Tool, find_tool, probe};
use tracking_io::{CameraFrame, CameraTrack, FilmBack, SensorFit, UpAxis};
use tracking_types::TrackData;

fn track(frames: usize) -> CameraTrack {
    CameraTrack {
        name: "bench".into(),
        up_axis: UpAxis::Z,
        film_back: Some(FilmBack::NUKE_DEFAULT),
        frames: (0..frames)
            .map(|i| {
                let t = i as f64;
                CameraFrame {
                    frame: 1001 + i as i64,
                    location: [t.sin(), 0.01 * t, 1.7],
                    rotation_euler_xyz_deg: [90.0, 0.1 * t, 30.0 * (t * 0.01).sin()],
                    lens_mm: Some(35.0 + (t * 0.001).sin()),
                }
            })
            .collect(),
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let Ok(blender) = Blender::find(None) else {
        eprintln!("blender not found; nothing to measure");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let startup = time(5, || {
        let status = Command::new(blender.program())
            .args(["-b", "--factory-startup", "--python-expr", "pass"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
    println!(
        "blender start-up (--python-expr pass): {:.3} s",
        startup.as_secs_f64()
    );
    let setup = CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    };
    let force = BuildOptions {
        force: true,
        ..BuildOptions::default()
    };
    for (frames, runs) in [(1_000, 5), (100_000, 3)] {
        let spec = SceneSpec::new(
            "bench",
            &track(frames),
            &setup,
            None,
            Rational::new(24000, 1001),
        )
        .unwrap();
        let out = dir.path().join(format!("bench{frames}.blend"));
        let took = time(runs, || {
            build_scene(&blender, &spec, &out, &force).unwrap();
        });
        println!(
            "build {frames:>7} frames: {:.3} s ({:+.3} s over start-up)",
            took.as_secs_f64(),
            took.as_secs_f64() - startup.as_secs_f64()
        );
    }
    let out = dir.path().join("bench1000.blend");
    let read = time(5, || {
        inspect_blend(&blender, &out, &InspectOptions::default()).unwrap();
    });
    println!("read back 1000 frames: {:.3} s", read.as_secs_f64());

    let Ok(ffmpeg) = find_tool(Tool::Ffmpeg, None) else {
        eprintln!("ffmpeg not found; no 2D-track case");
        return;
    };
    let movie = dir.path().join("plate.mp4");
    let status = Command::new(&ffmpeg.program)
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .args(["testsrc2=size=64x36:rate=24", "-frames:v", "1000"])
        .arg(&movie)
        .status()
        .unwrap();
    assert!(status.success());
    let plate = PlatePlan::from_probe(
        &probe(&movie, &ProbeOptions::default()).unwrap(),
        &movie,
        1001,
    )
    .unwrap();
    let tracks: Vec<TrackData> = (0..100)
        .map(|i| {
            let mut track = TrackData::new(format!("track{i:03}"));
            track.markers = (1001..=2000)
                .map(|f| (f, [0.5 + 0.3 * (f as f64 * 0.01 + i as f64).sin(), 0.5]))
                .collect();
            track
        })
        .collect();
    let bare = SceneSpec::new("bench", &track(1_000), &setup, Some(&plate), None).unwrap();
    let with_tracks = bare.clone().with_tracks(&tracks).unwrap();
    for (what, spec) in [("no tracks", &bare), ("100 x 1000 markers", &with_tracks)] {
        let out = dir.path().join("tracks.blend");
        let took = time(3, || {
            build_scene(&blender, spec, &out, &force).unwrap();
        });
        println!(
            "build 1000-frame plate, {what:>18}: {:.3} s ({:+.3} s over start-up)",
            took.as_secs_f64(),
            took.as_secs_f64() - startup.as_secs_f64()
        );
    }
}
