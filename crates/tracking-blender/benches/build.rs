//! Blender build speed: `cargo bench -p tracking-blender --bench build`.
//!
//! Blender runs take seconds, so this is a plain bench binary (no criterion): it times
//! Blender's own start-up (`blender -b --factory-startup --python-expr pass`), then
//! builds 1,000- and 100,000-frame cameras and reads the 1,000-frame one back, a few
//! runs each, and prints the median wall time of each. The budget (issue #13): a
//! 1,000-frame build costs at most start-up + 1 s.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tracking_blender::{
    Blender, BuildOptions, CameraSetup, InspectOptions, SceneSpec, build_scene, inspect_blend,
};
use tracking_footage::Rational;
use tracking_io::{CameraFrame, CameraTrack, FilmBack, SensorFit, UpAxis};

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
}
