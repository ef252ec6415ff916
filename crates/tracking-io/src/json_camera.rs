//! The original Python package's JSON camera format:
//! `{"camera": {"name": …, "frames": [{"frame", "position", "rotation", "focal"}]}}`.
//!
//! `position` is the world location and `rotation` Euler XYZ degrees (`R = Rz·Ry·Rx`),
//! both in the world given by [`JsonCameraOptions::up_axis`] (default Z-up, Blender);
//! `focal` is the focal length in mm (optional).

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::axes::UpAxis;
use crate::camera_track::{CameraFrame, CameraTrack};
use crate::chan::writer::write_atomically;
use crate::error::Error;
use crate::lens::FilmBack;

/// How a JSON camera is interpreted (the format records neither world nor film back).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JsonCameraOptions {
    /// The world of `position`/`rotation`; default Z-up.
    pub up_axis: UpAxis,
    /// The camera's film back; default Nuke's 24.576 × 18.672 mm.
    pub film_back: FilmBack,
}

impl Default for JsonCameraOptions {
    fn default() -> Self {
        Self {
            up_axis: UpAxis::Z,
            film_back: FilmBack::NUKE_DEFAULT,
        }
    }
}

/// Unknown fields (from newer writers) are tolerated.
#[derive(Debug, Serialize, Deserialize)]
struct JsonCameraFile {
    camera: JsonCamera,
}

#[derive(Debug, Serialize, Deserialize)]
struct JsonCamera {
    #[serde(default)]
    name: String,
    frames: Vec<JsonFrame>,
}

#[derive(Debug, Serialize, Deserialize)]
struct JsonFrame {
    frame: i64,
    position: [f64; 3],
    rotation: [f64; 3],
    #[serde(default)]
    focal: Option<f64>,
}

/// Reads a JSON camera from any reader.
pub fn read_json_camera<R: Read>(
    reader: R,
    options: &JsonCameraOptions,
) -> Result<CameraTrack, Error> {
    let file: JsonCameraFile =
        serde_json::from_reader(reader).map_err(|source| Error::Json { path: None, source })?;
    track_from_json(file, options)
}

/// The largest JSON camera file [`read_json_camera_file`] reads: 1 GiB.
pub const MAX_JSON_CAMERA_BYTES: u64 = 1 << 30;

/// Reads a JSON camera file (through the shared input check: regular files only, at
/// most [`MAX_JSON_CAMERA_BYTES`]).
pub fn read_json_camera_file(
    path: impl AsRef<Path>,
    options: &JsonCameraOptions,
) -> Result<CameraTrack, Error> {
    let path = path.as_ref();
    let with_path = |err: Error| err.with_input_path(path);
    let file = tracking_fs::open_input(path, MAX_JSON_CAMERA_BYTES)?.file;
    let mut track = read_json_camera(BufReader::new(file), options).map_err(with_path)?;
    if track.name.is_empty() {
        track.name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    Ok(track)
}

fn track_from_json(
    file: JsonCameraFile,
    options: &JsonCameraOptions,
) -> Result<CameraTrack, Error> {
    let invalid = |field: String, reason: &str| Error::InvalidCamera {
        path: None,
        field,
        reason: reason.to_owned(),
    };
    let mut frames = Vec::with_capacity(file.camera.frames.len());
    for (index, f) in file.camera.frames.into_iter().enumerate() {
        let field = |name: &str| format!("camera.frames[{index}].{name}");
        if f.position.iter().any(|v| !v.is_finite()) {
            return Err(invalid(field("position"), "not finite"));
        }
        if f.rotation.iter().any(|v| !v.is_finite()) {
            return Err(invalid(field("rotation"), "not finite"));
        }
        if let Some(focal) = f.focal
            && !(focal.is_finite() && focal > 0.0)
        {
            return Err(invalid(field("focal"), "must be finite and above 0"));
        }
        frames.push((
            index,
            CameraFrame {
                frame: f.frame,
                location: f.position,
                rotation_euler_xyz_deg: f.rotation,
                lens_mm: f.focal,
            },
        ));
    }
    if frames.is_empty() {
        return Err(Error::NoFrames { path: None });
    }
    frames.sort_by_key(|(_, f)| f.frame);
    if let Some(pair) = frames
        .windows(2)
        .find(|pair| pair[0].1.frame == pair[1].1.frame)
    {
        return Err(invalid(
            format!("camera.frames[{}].frame", pair[1].0),
            &format!("frame {} appears twice", pair[1].1.frame),
        ));
    }
    Ok(CameraTrack {
        name: file.camera.name,
        up_axis: options.up_axis,
        film_back: Some(options.film_back),
        frames: frames.into_iter().map(|(_, f)| f).collect(),
    })
}

/// Writes `track` as a JSON camera (in the track's own world).
pub fn write_json_camera<W: Write>(track: &CameraTrack, writer: W) -> Result<(), Error> {
    let file = JsonCameraFile {
        camera: JsonCamera {
            name: track.name.clone(),
            frames: track
                .frames
                .iter()
                .map(|f| JsonFrame {
                    frame: f.frame,
                    position: f.location,
                    rotation: f.rotation_euler_xyz_deg,
                    focal: f.lens_mm,
                })
                .collect(),
        },
    };
    let mut writer = BufWriter::new(writer);
    serde_json::to_writer_pretty(&mut writer, &file)
        .map_err(|source| Error::Json { path: None, source })?;
    writer
        .write_all(b"\n")
        .and_then(|()| writer.flush())
        .map_err(|e| Error::write(None, e))
}

/// Writes `track` as a JSON camera file, atomically.
pub fn write_json_camera_file(track: &CameraTrack, path: impl AsRef<Path>) -> Result<(), Error> {
    write_atomically(path.as_ref(), |file| write_json_camera(track, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"camera": {"name": "shotcam", "frames": [
        {"frame": 2, "position": [1, 2, 3], "rotation": [90, 0, 0], "focal": 35},
        {"frame": 1, "position": [0, 0, 0], "rotation": [90, 0, 0], "focal": 35}]}}"#;

    #[test]
    fn a_json_camera_reads_into_frame_order() {
        let track = read_json_camera(SAMPLE.as_bytes(), &JsonCameraOptions::default()).unwrap();
        assert_eq!(track.name, "shotcam");
        assert_eq!(track.frames[0].frame, 1);
        assert_eq!(track.frames[1].location, [1.0, 2.0, 3.0]);
        assert_eq!(track.frames[1].lens_mm, Some(35.0));
    }

    #[test]
    fn a_json_camera_writes_and_reads_back_unchanged() {
        let track = read_json_camera(SAMPLE.as_bytes(), &JsonCameraOptions::default()).unwrap();
        let mut out = Vec::new();
        write_json_camera(&track, &mut out).unwrap();
        let back = read_json_camera(out.as_slice(), &JsonCameraOptions::default()).unwrap();
        assert_eq!(back, track);
    }

    #[test]
    fn a_duplicate_frame_and_a_zero_focal_are_errors_naming_the_field() {
        let dup = r#"{"camera": {"frames": [{"frame": 1, "position": [0,0,0], "rotation": [0,0,0]},
                                           {"frame": 1, "position": [0,0,0], "rotation": [0,0,0]}]}}"#;
        let err = read_json_camera(dup.as_bytes(), &JsonCameraOptions::default()).unwrap_err();
        assert!(err.to_string().contains("camera.frames[1].frame"), "{err}");
        let zero = r#"{"camera": {"frames": [{"frame": 1, "position": [0,0,0], "rotation": [0,0,0], "focal": 0}]}}"#;
        let err = read_json_camera(zero.as_bytes(), &JsonCameraOptions::default()).unwrap_err();
        assert!(err.to_string().contains("camera.frames[0].focal"), "{err}");
    }

    #[test]
    fn a_camera_without_frames_is_an_error() {
        let empty = r#"{"camera": {"name": "x", "frames": []}}"#;
        assert!(matches!(
            read_json_camera(empty.as_bytes(), &JsonCameraOptions::default()),
            Err(Error::NoFrames { .. })
        ));
    }
}
