//! [`build_scene`]: run the scene script in Blender and put the `.blend` in place.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{BlenderError, Result};
use crate::runner::{Blender, SCENE};
use crate::spec::SceneSpec;

/// How a scene is built.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Replace an existing output (default: refuse).
    pub force: bool,
    /// Let Blender store media paths relative to the `.blend` (default: absolute).
    pub relative_paths: bool,
}

/// The clip as Blender loaded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipReport {
    /// Clip name.
    pub name: String,
    /// Scene frame of its first frame.
    pub frame_start: i64,
    /// Frames Blender found (a sequence stops at its first missing frame).
    pub frame_duration: i64,
}

/// What [`build_scene`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    /// The `.blend`.
    pub path: PathBuf,
    /// Scene frame range.
    pub frames: [i64; 2],
    /// The frame rate, `[num, den]`.
    pub fps: [i64; 2],
    /// What Blender stores: `render.fps`.
    pub blender_fps: u32,
    /// What Blender stores: `render.fps_base`.
    pub blender_fps_base: f64,
    /// Whether `fps / fps_base` is the rate exactly.
    pub fps_exact: bool,
    /// Render resolution.
    pub resolution: [u32; 2],
    /// Pixel aspect x, y.
    pub pixel_aspect: [f64; 2],
    /// The camera object (also the scene camera).
    pub camera: String,
    /// Frames the camera is keyed on.
    pub camera_frames: usize,
    /// Keyframes inserted (location, rotation and lens curves).
    pub keys: u64,
    /// The plate clip, when there is one.
    pub clip: Option<ClipReport>,
    /// 2D tracks put on the clip.
    pub tracks: usize,
    /// Their markers in Blender: keys plus the disabled markers that close gaps.
    pub markers: u64,
    /// Blender's version.
    pub blender_version: String,
    /// Wall time of the whole build, seconds (Blender's start-up included).
    pub seconds: f64,
    /// Where Blender shows the shot differently from the plate.
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ScriptResult {
    camera_object: String,
    keys: u64,
    fps: u32,
    fps_base: f64,
    clip: Option<ClipReport>,
    #[serde(default)]
    tracks: usize,
    #[serde(default)]
    markers: u64,
    blender_version: String,
}

/// Build `spec` in Blender and save it as `output`.
///
/// The output is refused when it exists (unless [`BuildOptions::force`]), or is a
/// device, FIFO, directory or in a missing directory. Blender saves to a temp file
/// beside it, which gets the real name only when Blender succeeded: a failed, killed
/// or timed-out run leaves `output` as it was.
pub fn build_scene(
    blender: &Blender,
    spec: &SceneSpec,
    output: &Path,
    options: &BuildOptions,
) -> Result<BuildReport> {
    let started = Instant::now();
    if !options.force && std::fs::symlink_metadata(output).is_ok() {
        return Err(BlenderError::OutputExists {
            path: output.to_path_buf(),
        });
    }
    let output = std::path::absolute(output).map_err(|source| BlenderError::Io {
        path: output.to_path_buf(),
        action: "make absolute",
        source,
    })?;
    let mut result = None;
    tracking_fs::write_atomically_by(&output, ".blend", |temp| {
        let mut spec = spec.clone();
        spec.output = temp.to_path_buf();
        spec.relative_paths = options.relative_paths;
        let built: ScriptResult = blender.run("building the scene", SCENE, &spec)?;
        // Checked before the rename: a file with another rate never gets the name.
        if built.fps != spec.scene.fps || built.fps_base != spec.scene.fps_base {
            return Err(BlenderError::BadResult {
                task: "building the scene",
                detail: format!(
                    "Blender stored fps {} / {} instead of {} / {}",
                    built.fps, built.fps_base, spec.scene.fps, spec.scene.fps_base
                ),
                last_lines: Vec::new(),
            });
        }
        if built.tracks != spec.tracks.len() || built.markers != spec.marker_count() as u64 {
            return Err(BlenderError::BadResult {
                task: "building the scene",
                detail: format!(
                    "Blender made {} tracks with {} markers instead of {} with {}",
                    built.tracks,
                    built.markers,
                    spec.tracks.len(),
                    spec.marker_count()
                ),
                last_lines: Vec::new(),
            });
        }
        result = Some(built);
        Ok(())
    })?;
    let built = result.ok_or_else(|| BlenderError::BadResult {
        task: "building the scene",
        detail: "no result".into(),
        last_lines: Vec::new(),
    })?;
    Ok(BuildReport {
        path: output,
        frames: [spec.scene.frame_start, spec.scene.frame_end],
        fps: [spec.rate.num, spec.rate.den],
        blender_fps: built.fps,
        blender_fps_base: built.fps_base,
        fps_exact: spec.scene.fps_exact,
        resolution: spec.scene.resolution,
        pixel_aspect: spec.scene.pixel_aspect,
        camera: built.camera_object,
        camera_frames: spec.camera.frames.len(),
        keys: built.keys,
        clip: built.clip,
        tracks: built.tracks,
        markers: built.markers,
        blender_version: built.blender_version,
        seconds: started.elapsed().as_secs_f64(),
        warnings: spec.warnings.clone(),
    })
}
