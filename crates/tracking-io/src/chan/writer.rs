//! The `.chan` writer: a [`CameraTrack`] to Nuke's layout — Y-up by default, rotations
//! in a chosen order with Euler continuity across frames, a vfov column from the focal
//! length and the vertical aperture, integer frames, tab separated, no header, and the
//! shortest digits that read back to the same `f64`.
//!
//! Frames are processed in blocks; within a block the trigonometry and the formatting
//! run on two threads, the continuity pass (cheap, sequential) between them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::axes::{UpAxis, yup_to_zup_rotation, zup_to_yup_rotation};
use crate::camera_track::{CameraFrame, CameraTrack};
use crate::error::{Error, number};
use crate::euler::{first_euler_solution, pick_compatible, second_solution};
use crate::rotation_order::RotationOrder;

/// Frames per block.
const BLOCK_FRAMES: usize = 1 << 16;

/// Export options; the defaults write what Nuke expects: Y-up, ZXY.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChanWriteOptions {
    /// Rotation order of the written angles (not recorded in the file).
    pub rotation_order: RotationOrder,
    /// World of the written file (Nuke: Y).
    pub up_axis: UpAxis,
    /// Vertical aperture for the vfov column; default: the track's film back height.
    pub vertical_aperture_mm: Option<f64>,
    /// Multiplies every translation.
    pub scale: f64,
}

impl Default for ChanWriteOptions {
    fn default() -> Self {
        Self {
            rotation_order: RotationOrder::Zxy,
            up_axis: UpAxis::Y,
            vertical_aperture_mm: None,
            scale: 1.0,
        }
    }
}

/// One output row before continuity: location, first Euler solution (radians), vfov.
#[derive(Debug, Clone, Copy)]
struct Row {
    frame: i64,
    location: [f64; 3],
    rotation: [f64; 3],
    vfov: Option<f64>,
}

/// Writes `track` as `.chan` text to `out`.
pub fn write_chan<W: Write>(
    track: &CameraTrack,
    out: W,
    options: &ChanWriteOptions,
) -> Result<(), Error> {
    let plan = Plan::new(track, options)?;
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut previous = [0.0; 3];
    for block in track.frames.chunks(BLOCK_FRAMES) {
        let (mut left, mut right) = in_two(block, |frames| {
            frames.iter().map(|f| plan.row(f)).collect::<Vec<Row>>()
        });
        for row in left.iter_mut().chain(right.iter_mut()) {
            let second = second_solution(plan.order, row.rotation);
            row.rotation = pick_compatible(row.rotation, second, previous);
            previous = row.rotation;
        }
        let format = |rows: &[Row]| {
            let mut text = Vec::with_capacity(rows.len() * 96);
            rows.iter().for_each(|row| format_row(row, &mut text));
            text
        };
        let (first, second) = std::thread::scope(|scope| {
            let handle = scope.spawn(|| format(&right));
            let first = format(&left);
            (first, handle.join().unwrap_or_else(|_| format(&right)))
        });
        out.write_all(&first)
            .and_then(|()| out.write_all(&second))
            .map_err(|e| Error::write(None, e))?;
    }
    out.flush().map_err(|e| Error::write(None, e))
}

/// The `.chan` text of `track`.
pub fn to_chan_string(track: &CameraTrack, options: &ChanWriteOptions) -> Result<String, Error> {
    let mut bytes = Vec::new();
    write_chan(track, &mut bytes, options)?;
    String::from_utf8(bytes).map_err(|e| Error::write(None, std::io::Error::other(e)))
}

/// Writes `track` to `path` atomically: a temporary file in the same directory, synced,
/// then renamed over `path`. Nothing is left half-written on error.
pub fn write_chan_file(
    track: &CameraTrack,
    path: impl AsRef<Path>,
    options: &ChanWriteOptions,
) -> Result<(), Error> {
    let path = path.as_ref();
    write_atomically(path, |file| write_chan(track, file, options))
}

/// Runs `write` on a temporary file next to `path`, then replaces `path` with it by the
/// shared crash-safe recipe ([`tracking_fs::write_atomically_with`]: sync, rename,
/// directory sync). The recipe refuses a device, FIFO, socket or directory at `path`, a
/// symbolic link to one, and any path in `/dev`, `/proc` or `/sys`
/// ([`tracking_fs::FsError::NotRegularFile`]); another symbolic link is replaced as a
/// link. Errors name `path`.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), Error>,
) -> Result<(), Error> {
    tracking_fs::write_atomically_with(path, write).map_err(|err| match err {
        Error::Io {
            action,
            path: None,
            source,
        } => Error::Io {
            action,
            path: Some(path.to_path_buf()),
            source,
        },
        other => other,
    })
}

/// Everything decided once per track.
struct Plan {
    order: RotationOrder,
    convert: Option<UpAxis>,
    scale: f64,
    vertical_aperture_mm: Option<f64>,
}

impl Plan {
    fn new(track: &CameraTrack, options: &ChanWriteOptions) -> Result<Self, Error> {
        if !options.scale.is_finite() || options.scale == 0.0 {
            return Err(Error::InvalidOption {
                option: "scale",
                reason: format!("{} must be finite and non-zero", options.scale),
            });
        }
        validate_frames(&track.frames)?;
        let with_lens = track.frames.iter().filter(|f| f.lens_mm.is_some()).count();
        let vertical_aperture_mm = if with_lens == 0 {
            None
        } else if with_lens < track.frames.len() {
            let index = track
                .frames
                .iter()
                .position(|f| f.lens_mm.is_none())
                .unwrap_or(0);
            return Err(invalid(
                format!("frames[{index}].lens"),
                "some frames have a focal length and others do not",
            ));
        } else {
            let aperture = options
                .vertical_aperture_mm
                .or(track.film_back.map(|fb| fb.height_mm))
                .ok_or_else(|| Error::InvalidOption {
                    option: "vertical aperture",
                    reason: "the camera's film back is unknown; give a sensor height".into(),
                })?;
            if !(aperture.is_finite() && aperture > 0.0) {
                return Err(Error::InvalidLens {
                    what: "vertical aperture",
                    value: aperture,
                    reason: "must be finite and above 0",
                });
            }
            Some(aperture)
        };
        validate_written_numbers(&track.frames, options.scale, vertical_aperture_mm)?;
        Ok(Self {
            order: options.rotation_order,
            convert: (track.up_axis != options.up_axis).then_some(options.up_axis),
            scale: options.scale,
            vertical_aperture_mm,
        })
    }

    fn row(&self, frame: &CameraFrame) -> Row {
        let rotation = frame.rotation();
        let [x, y, z] = frame.location.map(|v| v * self.scale);
        let (location, rotation) = match self.convert {
            None => ([x, y, z], rotation),
            Some(UpAxis::Y) => ([x, z, -y], zup_to_yup_rotation(&rotation)),
            Some(UpAxis::Z) => ([x, -z, y], yup_to_zup_rotation(&rotation)),
        };
        let vfov = self
            .vertical_aperture_mm
            .zip(frame.lens_mm)
            .map(|(aperture, lens)| vfov_deg(aperture, lens));
        Row {
            frame: frame.frame,
            location,
            rotation: first_euler_solution(self.order, &rotation),
            vfov,
        }
    }
}

fn invalid(field: String, reason: &str) -> Error {
    Error::InvalidCamera {
        path: None,
        field,
        reason: reason.to_owned(),
    }
}

fn validate_frames(frames: &[CameraFrame]) -> Result<(), Error> {
    if frames.is_empty() {
        return Err(Error::NoFrames { path: None });
    }
    for (index, frame) in frames.iter().enumerate() {
        if index > 0 && frames[index - 1].frame >= frame.frame {
            return Err(invalid(
                format!("frames[{index}].frame"),
                "frames must be ascending and unique",
            ));
        }
        if frame.location.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!("frames[{index}].location"), "not finite"));
        }
        if frame.rotation_euler_xyz_deg.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!("frames[{index}].rotation"), "not finite"));
        }
        if let Some(lens) = frame.lens_mm
            && !(lens.is_finite() && lens > 0.0)
        {
            return Err(invalid(
                format!("frames[{index}].lens"),
                "must be finite and above 0",
            ));
        }
    }
    Ok(())
}

/// The vfov column (degrees) for a focal length on a vertical aperture.
#[inline]
fn vfov_deg(aperture_mm: f64, lens_mm: f64) -> f64 {
    (2.0 * (aperture_mm / (2.0 * lens_mm)).atan()).to_degrees()
}

/// Every number the file will hold must be finite, checked before a byte is written (a
/// stream cannot take back half a file): a location times the scale can overflow, and
/// a focal length far from the aperture gives a vfov of 0° or 180°, which no reader
/// takes. The error names the frame and the field.
fn validate_written_numbers(
    frames: &[CameraFrame],
    scale: f64,
    aperture_mm: Option<f64>,
) -> Result<(), Error> {
    let mut checked_lens = f64::NAN;
    for (index, frame) in frames.iter().enumerate() {
        if let Some(axis) = frame.location.iter().position(|v| !(v * scale).is_finite()) {
            return Err(invalid(
                format!("frames[{index}].location"),
                &format!(
                    "frame {}: {} × scale {} is not finite ({} is {})",
                    frame.frame,
                    ["x", "y", "z"][axis],
                    number(scale),
                    ["x", "y", "z"][axis],
                    number(frame.location[axis])
                ),
            ));
        }
        if let (Some(aperture), Some(lens)) = (aperture_mm, frame.lens_mm)
            && lens != checked_lens
        {
            let vfov = vfov_deg(aperture, lens);
            if crate::lens::check_fov(vfov).is_err() {
                return Err(invalid(
                    format!("frames[{index}].lens"),
                    &format!(
                        "frame {}: focal length {} mm on a {} mm vertical aperture gives a vfov of {}°, outside (0°, 180°)",
                        frame.frame,
                        number(lens),
                        number(aperture),
                        number(vfov)
                    ),
                ));
            }
            checked_lens = lens;
        }
    }
    Ok(())
}

fn format_row(row: &Row, out: &mut Vec<u8>) {
    let mut integer = itoa::Buffer::new();
    let mut float = zmij::Buffer::new();
    out.extend_from_slice(integer.format(row.frame).as_bytes());
    let rotation = row.rotation.map(f64::to_degrees);
    for value in row
        .location
        .iter()
        .chain(&rotation)
        .chain(row.vfov.as_ref())
    {
        out.push(b'\t');
        // -0.0 prints as 0 (same value, tidier file).
        out.extend_from_slice(float.format(value + 0.0).as_bytes());
    }
    out.push(b'\n');
}

/// Maps the two halves of `items` with `f` on two threads.
fn in_two<T: Sync, C: Send + Default>(items: &[T], f: impl Fn(&[T]) -> C + Sync) -> (C, C) {
    if items.len() < 1024 {
        return (f(items), C::default());
    }
    let (left, right) = items.split_at(items.len() / 2);
    std::thread::scope(|scope| {
        let handle = scope.spawn(|| f(right));
        let first = f(left);
        (first, handle.join().unwrap_or_else(|_| f(right)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lens::FilmBack;

    fn frame(frame: i64, rotation: [f64; 3], lens: Option<f64>) -> CameraFrame {
        CameraFrame {
            frame,
            location: [1.0, -3.0, 2.0],
            rotation_euler_xyz_deg: rotation,
            lens_mm: lens,
        }
    }

    fn track(frames: Vec<CameraFrame>) -> CameraTrack {
        CameraTrack {
            name: "cam".into(),
            up_axis: UpAxis::Z,
            film_back: Some(FilmBack::NUKE_DEFAULT),
            frames,
        }
    }

    #[test]
    fn a_blender_rest_camera_writes_as_a_nuke_rest_camera_with_tabs_and_no_header() {
        let text = to_chan_string(
            &track(vec![frame(1001, [90.0, 0.0, 0.0], Some(50.0))]),
            &ChanWriteOptions::default(),
        )
        .unwrap();
        let fields: Vec<&str> = text.trim_end().split('\t').collect();
        assert_eq!(
            &fields[..7],
            ["1001", "1.0", "2.0", "3.0", "0.0", "0.0", "0.0"]
        );
        let vfov: f64 = fields[7].parse().unwrap();
        assert!((vfov - 21.153).abs() < 1e-3);
        assert!(text.ends_with('\n') && !text.contains('#'));
    }

    #[test]
    fn mixed_lens_and_no_lens_frames_are_an_error() {
        let err = to_chan_string(
            &track(vec![
                frame(1, [0.0; 3], Some(50.0)),
                frame(2, [0.0; 3], None),
            ]),
            &ChanWriteOptions::default(),
        );
        assert!(matches!(err, Err(Error::InvalidCamera { .. })));
    }

    #[test]
    fn non_finite_values_are_an_error_naming_the_frame() {
        let err = to_chan_string(
            &track(vec![frame(1, [f64::NAN, 0.0, 0.0], None)]),
            &ChanWriteOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("frames[0].rotation"), "{err}");
    }

    #[test]
    fn continuity_keeps_a_spinning_camera_from_flipping() {
        let frames = (0..40)
            .map(|i| frame(i, [90.0, 0.0, f64::from(i as i32) * 10.0], None))
            .collect();
        let text = to_chan_string(&track(frames), &ChanWriteOptions::default()).unwrap();
        let ry: Vec<f64> = text
            .lines()
            .map(|l| l.split('\t').nth(5).unwrap().parse().unwrap())
            .collect();
        for pair in ry.windows(2) {
            assert!((pair[1] - pair[0] - 10.0).abs() < 1e-9, "{pair:?}");
        }
    }

    #[test]
    fn a_file_is_replaced_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cam.chan");
        std::fs::write(&path, "old").unwrap();
        write_chan_file(
            &track(vec![frame(1, [90.0, 0.0, 0.0], None)]),
            &path,
            &ChanWriteOptions::default(),
        )
        .unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("1\t"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
