//! Shared helpers: the real Blender (a missing Blender fails under `CI=true` and is a
//! printed skip otherwise), cameras made from `.chan` text, and plates made by the
//! real ffmpeg.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tracking_blender::{BlendFacts, Blender, InspectOptions, inspect_blend};
use tracking_io::chan::parse_str;
use tracking_io::{CameraTrack, ChanOptions, FilmBack, RotationOrder};

/// The real Blender, or `None` (a skip) outside CI.
pub fn blender() -> Option<Blender> {
    cinematic_testkit::require("blender", Blender::find(None))
}

/// Skip (return from) the current test when Blender is missing outside CI.
#[macro_export]
macro_rules! require_blender {
    () => {
        match common::blender() {
            Some(blender) => blender,
            None => return,
        }
    };
}

/// The ffmpeg executable, required like Blender.
pub fn ffmpeg() -> Option<PathBuf> {
    cinematic_testkit::require(
        "ffmpeg",
        tracking_footage::find_tool(tracking_footage::Tool::Ffmpeg, None).map(|t| t.program),
    )
}

/// Run ffmpeg with `args` then `out`; panics with its stderr on failure.
pub fn ffmpeg_make(ffmpeg: &Path, args: &[&str], out: &Path) {
    let output = Command::new(ffmpeg)
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y"])
        .args(args)
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ffmpeg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `.chan` text of a moving, turning camera: `frames` lines from `first`, rotations that
/// cross ±180° and pass near gimbal lock, and a zoom in the vfov column when `vfov`.
pub fn chan_text(first: i64, frames: usize, vfov: bool) -> String {
    let mut text = String::new();
    for i in 0..frames {
        let t = i as f64;
        let _ = write!(
            text,
            "{} {:.6} {:.6} {:.6} {:.6} {:.6} {:.6}",
            first + i as i64,
            1.5 * (t * 0.05).sin() - 3.0,
            1.7 + 0.01 * t,
            12.0 - 0.2 * t,
            -10.0 + 7.0 * (t * 0.11).cos(),
            150.0 + 4.5 * t,
            88.0 * (t * 0.07).sin(),
        );
        if vfov {
            let _ = write!(text, " {:.6}", 30.0 + 10.0 * (t * 0.03).sin());
        }
        text.push('\n');
    }
    text
}

/// The camera of [`chan_text`] read as `chan import` reads it.
pub fn camera(order: RotationOrder, first: i64, frames: usize, vfov: bool) -> CameraTrack {
    let options = ChanOptions {
        rotation_order: order,
        film_back: FilmBack::NUKE_DEFAULT,
        ..ChanOptions::default()
    };
    let mut track = parse_str(&chan_text(first, frames, vfov), options)
        .unwrap()
        .track;
    track.name = "cam".into();
    track
}

/// Inspect a built file with default options.
pub fn inspect(blender: &Blender, blend: &Path) -> BlendFacts {
    inspect_blend(blender, blend, &InspectOptions::default()).unwrap()
}

/// Largest difference between `got` and `want`, relative to `max(1, |want|)`.
pub fn max_relative_error(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    got.iter()
        .zip(want)
        .map(|(g, w)| (g - w).abs() / w.abs().max(1.0))
        .fold(0.0, f64::max)
}

/// Every frame's `matrix_world` of `track`, row-major, as Blender's inspect lists them.
pub fn matrices(track: &CameraTrack) -> Vec<f64> {
    track
        .frames
        .iter()
        .flat_map(|f| f.matrix_world_rows().into_iter().flatten())
        .collect()
}

/// A shell script standing in for Blender (for exit codes, kills and hangs).
pub fn fake_blender(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-blender");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// File names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
