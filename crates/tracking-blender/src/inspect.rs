//! [`inspect_blend`]: a camera's evaluated animation and the scene's facts, read out of
//! a `.blend` by Blender itself.

use std::io::Read;
use std::path::Path;

use nalgebra::{Matrix3, Rotation3};
use serde::{Deserialize, Serialize};
use tracking_io::euler::{matrix_to_compatible_euler, matrix_to_euler};
use tracking_io::{CameraFrame, CameraTrack, FilmBack, RotationOrder, UpAxis};

use crate::error::{BlenderError, Result};
use crate::runner::{Blender, INSPECT};

/// A `.blend` can be large (packed plates); the input check only refuses absurd sizes.
pub const MAX_BLEND_BYTES: u64 = 64 << 30;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct InspectOptions {
    /// The camera object; default the scene camera, else the only camera.
    pub object: Option<String>,
    /// Frames to sample, inclusive; default the scene's frame range.
    pub frame_range: Option<[i64; 2]>,
}

#[derive(Debug, Serialize)]
struct Request<'a> {
    blend: &'a Path,
    object: Option<&'a str>,
    frame_range: Option<[i64; 2]>,
}

/// The scene's clip, as Blender reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipFacts {
    /// Clip name.
    pub name: String,
    /// Its media path as stored (absolute, or `//relative`).
    pub filepath: String,
    /// `MOVIE` or `SEQUENCE`.
    pub source: String,
    /// Scene frame of its first frame.
    pub frame_start: i64,
    /// Frame offset.
    pub frame_offset: i64,
    /// Frames Blender found.
    pub frame_duration: i64,
    /// Frame size.
    pub size: [u32; 2],
}

/// Scene-level facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneFacts {
    /// Scene name.
    pub name: String,
    /// First frame.
    pub frame_start: i64,
    /// Last frame.
    pub frame_end: i64,
    /// `render.fps`.
    pub fps: u32,
    /// `render.fps_base`.
    pub fps_base: f64,
    /// Render resolution.
    pub resolution: [u32; 2],
    /// `resolution_percentage`.
    pub resolution_percentage: u32,
    /// Pixel aspect x, y.
    pub pixel_aspect: [f64; 2],
    /// The scene camera's object name.
    pub camera: Option<String>,
    /// The active clip.
    pub clip: Option<ClipFacts>,
}

/// One background image of the camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackgroundFacts {
    /// `IMAGE` or `MOVIE_CLIP`.
    pub source: String,
    /// The clip's name, for a clip.
    pub clip: Option<String>,
    /// Whether it follows the scene's active clip instead.
    pub use_camera_clip: bool,
}

/// The camera as Blender evaluates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraFacts {
    /// Object name.
    pub object: String,
    /// Camera data name.
    pub data: String,
    /// Every camera object in the file.
    pub cameras: Vec<String>,
    /// Frames sampled.
    pub frame_range: [i64; 2],
    /// World matrix per frame, row-major, 16 numbers each.
    pub matrix_world: Vec<f64>,
    /// Lens per frame, mm.
    pub lens: Vec<f64>,
    /// `MILLIMETERS` or `FOV`.
    pub lens_unit: String,
    /// `sensor_width`.
    pub sensor_width: f64,
    /// `sensor_height`.
    pub sensor_height: f64,
    /// `AUTO`, `HORIZONTAL` or `VERTICAL`.
    pub sensor_fit: String,
    /// The object's rotation mode.
    pub rotation_mode: String,
    /// Interpolation modes of the object's keys.
    pub interpolations: Vec<String>,
    /// Keys of the object's action.
    pub key_count: u64,
    /// Keys of the camera data's action (the lens).
    pub lens_key_count: u64,
    /// Whether the camera shows background images.
    pub show_background_images: bool,
    /// Its background images.
    pub background_images: Vec<BackgroundFacts>,
}

/// What [`inspect_blend`] read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlendFacts {
    /// Blender's version.
    pub blender_version: String,
    /// The scene.
    pub scene: SceneFacts,
    /// The camera.
    pub camera: CameraFacts,
}

#[derive(Debug, Deserialize)]
struct Answer {
    error: Option<String>,
    message: Option<String>,
    object: Option<String>,
    #[serde(default)]
    cameras: Vec<String>,
    blender_version: Option<String>,
    scene: Option<SceneFacts>,
    camera: Option<CameraFacts>,
}

/// Check that `path` is a regular file whose first bytes are a `.blend` header
/// (`BLENDER`, or the gzip or zstd container Blender compresses into).
pub fn check_blend_file(path: &Path) -> Result<()> {
    let mut file = tracking_fs::open_input(path, MAX_BLEND_BYTES)?;
    let mut head = [0_u8; 12];
    let mut filled = 0;
    while filled < head.len() {
        match file.file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(source) => {
                return Err(BlenderError::Io {
                    path: path.to_path_buf(),
                    action: "read",
                    source,
                });
            }
        }
    }
    let head = &head[..filled];
    let reason = if head.starts_with(b"BLENDER") {
        return Ok(());
    } else if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        // Compressed: Blender checks the header inside.
        return Ok(());
    } else if head.is_empty() {
        "it is empty".to_owned()
    } else {
        format!(
            "it starts with {:?}, not a .blend header (BLENDER…)",
            String::from_utf8_lossy(&head[..head.len().min(8)])
        )
    };
    Err(BlenderError::NotABlend {
        path: path.to_path_buf(),
        reason,
    })
}

/// Read the camera (and the scene's facts) out of `blend` with Blender.
///
/// A file that is not a `.blend` is [`BlenderError::NotABlend`] before Blender runs;
/// one Blender cannot open is [`BlenderError::CannotOpen`]; a missing, absent or
/// ambiguous camera is [`BlenderError::NoCamera`] listing the cameras the file has.
pub fn inspect_blend(
    blender: &Blender,
    blend: &Path,
    options: &InspectOptions,
) -> Result<BlendFacts> {
    check_blend_file(blend)?;
    if let Some([first, last]) = options.frame_range
        && first > last
    {
        return Err(BlenderError::InvalidScene {
            what: "frame range".into(),
            reason: format!("{first}-{last} is empty"),
        });
    }
    let absolute = std::path::absolute(blend).map_err(|source| BlenderError::Io {
        path: blend.to_path_buf(),
        action: "make absolute",
        source,
    })?;
    let answer: Answer = blender.run(
        "reading the camera",
        INSPECT,
        &Request {
            blend: &absolute,
            object: options.object.as_deref(),
            frame_range: options.frame_range,
        },
    )?;
    let path = blend.to_path_buf();
    match answer.error.as_deref() {
        None => {}
        Some("cannot_open") => {
            return Err(BlenderError::CannotOpen {
                path,
                message: answer.message.unwrap_or_default(),
            });
        }
        Some(_) => {
            return Err(BlenderError::NoCamera {
                path,
                object: answer.object,
                cameras: answer.cameras,
            });
        }
    }
    let bad = |detail: &str| BlenderError::BadResult {
        task: "reading the camera",
        detail: detail.to_owned(),
        last_lines: Vec::new(),
    };
    let camera = answer
        .camera
        .ok_or_else(|| bad("no camera in the result"))?;
    let frames = frame_count(camera.frame_range);
    if camera.matrix_world.len() != 16 * frames || camera.lens.len() != frames {
        return Err(bad("the per-frame arrays do not match the frame range"));
    }
    Ok(BlendFacts {
        blender_version: answer.blender_version.unwrap_or_default(),
        scene: answer.scene.ok_or_else(|| bad("no scene in the result"))?,
        camera,
    })
}

fn frame_count([first, last]: [i64; 2]) -> usize {
    usize::try_from(last.saturating_sub(first).saturating_add(1)).unwrap_or(0)
}

impl CameraFacts {
    /// The camera as a track in Blender's Z-up world: see [`track_from_matrices`].
    pub fn to_track(&self, blend: &Path) -> Result<CameraTrack> {
        track_from_matrices(
            &format!("{} camera {}", blend.display(), self.object),
            &self.object,
            self.frame_range[0],
            &self.matrix_world,
            &self.lens,
            FilmBack::new(self.sensor_width, self.sensor_height)?,
        )
    }
}

/// A camera track in Blender's Z-up world from consecutive frames' world matrices
/// (row-major, 16 numbers each, from `first_frame` on) and lenses: location and Euler
/// XYZ (with continuity, as `chan import` gives them), any scale or shear of the
/// matrix removed (the nearest rotation). A non-finite matrix or lens, a singular or
/// mirroring matrix, or arrays of different lengths are errors naming `what` and the
/// frame.
pub fn track_from_matrices(
    what: &str,
    name: &str,
    first_frame: i64,
    matrix_world: &[f64],
    lens: &[f64],
    film_back: FilmBack,
) -> Result<CameraTrack> {
    if matrix_world.len() != 16 * lens.len() {
        return Err(BlenderError::InvalidScene {
            what: what.to_owned(),
            reason: format!(
                "{} matrix numbers for {} lenses (16 per frame)",
                matrix_world.len(),
                lens.len()
            ),
        });
    }
    let mut frames = Vec::with_capacity(lens.len());
    let mut previous: Option<[f64; 3]> = None;
    for (index, (m, &lens)) in matrix_world.chunks_exact(16).zip(lens).enumerate() {
        let frame = first_frame.saturating_add(i64::try_from(index).unwrap_or(i64::MAX));
        let at = |field: &str, reason: &str| BlenderError::InvalidScene {
            what: format!("{what} frame {frame}: {field}"),
            reason: reason.to_owned(),
        };
        if m.iter().any(|v| !v.is_finite()) {
            return Err(at("matrix_world", "is not finite"));
        }
        if !(lens.is_finite() && lens > 0.0) {
            return Err(at("lens", "is not a finite focal length above 0"));
        }
        let linear = Matrix3::new(m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]);
        let rotation = nearest_rotation(&linear)
            .ok_or_else(|| at("matrix_world", "has no rotation (a zero or mirrored scale)"))?;
        let euler = match previous {
            Some(prev) => matrix_to_compatible_euler(RotationOrder::Xyz, &rotation, prev),
            None => matrix_to_euler(RotationOrder::Xyz, &rotation),
        };
        previous = Some(euler);
        frames.push(CameraFrame {
            frame,
            location: [m[3], m[7], m[11]],
            rotation_euler_xyz_deg: euler.map(f64::to_degrees),
            lens_mm: Some(lens),
        });
    }
    Ok(CameraTrack {
        name: name.to_owned(),
        up_axis: UpAxis::Z,
        film_back: Some(film_back),
        frames,
    })
}

/// The rotation nearest to `m` (its polar factor), or `None` when `m` is singular or
/// mirrors (negative determinant).
fn nearest_rotation(m: &Matrix3<f64>) -> Option<Rotation3<f64>> {
    let det = m.determinant();
    if !(det.is_finite() && det > 1e-12) {
        return None;
    }
    let svd = m.svd(true, true);
    let (u, v_t) = (svd.u?, svd.v_t?);
    let r = u * v_t;
    (r.determinant() > 0.0).then(|| Rotation3::from_matrix_unchecked(r))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_scaled_matrix_gives_its_rotation() {
        let r = Rotation3::from_euler_angles(0.3, -0.2, 1.1);
        let scaled = r.matrix() * Matrix3::from_diagonal(&nalgebra::Vector3::new(2.0, 2.0, 2.0));
        let back = nearest_rotation(&scaled).unwrap();
        assert!((back.matrix() - r.matrix()).abs().max() < 1e-12);
        assert!(nearest_rotation(&Matrix3::zeros()).is_none());
        assert!(nearest_rotation(&-Matrix3::identity()).is_none());
    }

    #[test]
    fn not_a_blend_is_refused_before_blender_runs() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("cam.blend");
        std::fs::write(&text, "1 0 0 0 0 0 0\n").unwrap();
        assert!(matches!(
            check_blend_file(&text),
            Err(BlenderError::NotABlend { .. })
        ));
        let empty = dir.path().join("empty.blend");
        std::fs::write(&empty, "").unwrap();
        assert!(matches!(
            check_blend_file(&empty),
            Err(BlenderError::NotABlend { .. })
        ));
        let real = dir.path().join("real.blend");
        std::fs::write(&real, b"BLENDER-v304RENDH").unwrap();
        check_blend_file(&real).unwrap();
        assert!(matches!(
            check_blend_file(dir.path()),
            Err(BlenderError::File(_))
        ));
    }
}
