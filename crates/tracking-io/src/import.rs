//! [`import_tracking_data`] and [`import_nuke_chan`]: a camera file to a [`SolveData`],
//! the format chosen by the caller or detected (extension, then content).

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use tracking_types::SolveData;

use crate::camera_track::CameraTrack;
use crate::chan::{ChanOptions, read_chan};
use crate::error::Error;
use crate::json_camera::{JsonCameraOptions, read_json_camera_file};

/// The formats [`import_tracking_data`] reads.
pub const SUPPORTED_FORMATS: &[&str] = &["auto", "nuke_chan", "json"];

/// A camera file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TrackingFormat {
    /// Detect: `.chan` / `.json` extension, else the content.
    #[default]
    Auto,
    /// Nuke `.chan`.
    NukeChan,
    /// The original's JSON camera format.
    Json,
}

impl fmt::Display for TrackingFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrackingFormat::Auto => "auto",
            TrackingFormat::NukeChan => "nuke_chan",
            TrackingFormat::Json => "json",
        })
    }
}

impl FromStr for TrackingFormat {
    type Err = Error;

    /// `auto`, `nuke_chan` (or `chan`), `json`; anything else (FBX, Alembic, …) is
    /// [`Error::Unsupported`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TrackingFormat::Auto),
            "nuke_chan" | "chan" => Ok(TrackingFormat::NukeChan),
            "json" => Ok(TrackingFormat::Json),
            _ => Err(Error::Unsupported {
                what: format!("format {s:?}"),
                supported: SUPPORTED_FORMATS,
            }),
        }
    }
}

/// Imports a Nuke `.chan` with the default options (ZXY, Z-up, Nuke film back).
pub fn import_nuke_chan(path: impl AsRef<Path>) -> Result<SolveData, Error> {
    import_nuke_chan_with(path, ChanOptions::default())
}

/// Imports a Nuke `.chan` with explicit options.
pub fn import_nuke_chan_with(
    path: impl AsRef<Path>,
    options: ChanOptions,
) -> Result<SolveData, Error> {
    read_chan(path, options)?.to_solve_data()
}

/// Imports camera data as a solve. `Auto` goes by extension (`.chan`, `.json`), then by
/// content; FBX, Alembic and anything else are [`Error::Unsupported`].
pub fn import_tracking_data(
    path: impl AsRef<Path>,
    format: TrackingFormat,
) -> Result<SolveData, Error> {
    let path = path.as_ref();
    match import_camera(path, format)? {
        Imported::Chan(import) => import.to_solve_data(),
        Imported::Json(track) => track.to_solve_data(None).map_err(|err| match err {
            Error::NoFocalLength { .. } => Error::NoFocalLength {
                path: Some(path.to_path_buf()),
            },
            other => other,
        }),
    }
}

/// Imports camera data as a [`CameraTrack`] (same detection as [`import_tracking_data`]).
pub fn import_camera_track(
    path: impl AsRef<Path>,
    format: TrackingFormat,
) -> Result<CameraTrack, Error> {
    Ok(match import_camera(path.as_ref(), format)? {
        Imported::Chan(import) => import.track,
        Imported::Json(track) => track,
    })
}

enum Imported {
    Chan(crate::chan::ChanImport),
    Json(CameraTrack),
}

fn import_camera(path: &Path, format: TrackingFormat) -> Result<Imported, Error> {
    let format = match format {
        TrackingFormat::Auto => detect_format(path)?,
        known => known,
    };
    match format {
        TrackingFormat::Json => Ok(Imported::Json(read_json_camera_file(
            path,
            &JsonCameraOptions::default(),
        )?)),
        _ => Ok(Imported::Chan(read_chan(path, ChanOptions::default())?)),
    }
}

/// The format of `path`: by extension, else by its first bytes.
pub fn detect_format(path: &Path) -> Result<TrackingFormat, Error> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("chan") => return Ok(TrackingFormat::NukeChan),
        Some("json") => return Ok(TrackingFormat::Json),
        _ => {}
    }
    sniff(path)
}

fn sniff(path: &Path) -> Result<TrackingFormat, Error> {
    let mut head = Vec::with_capacity(4096);
    tracking_fs::open_input(path, u64::MAX)?
        .file
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(Some(path.to_path_buf()), e))?;
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return Ok(TrackingFormat::Json);
    }
    let text = String::from_utf8_lossy(&head);
    let data_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let looks_like_chan = data_line.is_some_and(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (7..=8).contains(&fields.len()) && fields.iter().all(|f| f.parse::<f64>().is_ok())
    });
    if looks_like_chan {
        Ok(TrackingFormat::NukeChan)
    } else if let crate::tracks::detect::Kind::Tracks(format) =
        crate::tracks::detect::classify(&text)
    {
        Err(Error::NotRecognised {
            path: Some(path.to_path_buf()),
            expected: "a camera file",
            appears: format!(
                "it looks like {} (2D tracks, format {}); read it with `cinematic tracks import`",
                format.description(),
                format.name()
            ),
        })
    } else {
        Err(Error::Unsupported {
            what: format!("{} (not a .chan or JSON camera)", path.display()),
            supported: SUPPORTED_FORMATS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fbx_and_alembic_format_names_are_unsupported_and_list_what_is() {
        for name in ["fbx", "alembic", "abc"] {
            let err = name.parse::<TrackingFormat>().unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains("nuke_chan") && text.contains("json"),
                "{text}"
            );
        }
    }

    #[test]
    fn an_fbx_file_is_unsupported_not_fabricated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cam.fbx");
        std::fs::write(&path, b"Kaydara FBX Binary  \x00\x1a\x00").unwrap();
        let err = import_tracking_data(&path, TrackingFormat::Auto).unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    }

    #[test]
    fn content_sniffing_finds_chan_and_json_without_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let chan = dir.path().join("cam_a");
        std::fs::write(&chan, "# c\n1 0 0 0 0 0 0 21.153\n").unwrap();
        assert_eq!(detect_format(&chan).unwrap(), TrackingFormat::NukeChan);
        let json = dir.path().join("cam_b");
        std::fs::write(&json, " {\"camera\": {}}").unwrap();
        assert_eq!(detect_format(&json).unwrap(), TrackingFormat::Json);
    }

    #[test]
    fn import_tracking_data_reads_the_original_json_camera_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cam.json");
        std::fs::write(
            &path,
            r#"{"camera": {"name": "cam", "frames": [
                {"frame": 1001, "position": [1, 2, 3], "rotation": [90, 0, 0], "focal": 35},
                {"frame": 1002, "position": [1, 2, 3], "rotation": [90, 0, 5], "focal": 40}]}}"#,
        )
        .unwrap();
        let solve = import_tracking_data(&path, TrackingFormat::Auto).unwrap();
        assert_eq!(solve.frame_range, [1001, 1002]);
        assert_eq!(solve.focal_length, 35.0);
        assert_eq!(solve.focal_lengths[&1002], 40.0);
        assert_eq!(
            solve.camera_transforms[&1002],
            [1.0, 2.0, 3.0, 90.0, 0.0, 5.0]
        );
        let forced = import_tracking_data(&path, TrackingFormat::NukeChan).unwrap_err();
        assert!(matches!(forced, Error::Chan { .. }), "{forced}");
    }

    #[test]
    fn import_tracking_data_reads_a_chan_as_a_z_up_solve() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shot.chan");
        std::fs::write(
            &path,
            "1\t1\t2\t3\t0\t0\t0\t21.153\n2\t1\t2\t3\t0\t0\t0\t21.153\n",
        )
        .unwrap();
        let solve = import_tracking_data(&path, TrackingFormat::Auto).unwrap();
        assert_eq!(solve.name, "shot");
        assert_eq!(solve.frame_range, [1, 2]);
        assert_eq!(
            solve.coordinate_system,
            tracking_types::CoordinateSystem::ZUp
        );
        let t = solve.camera_transforms[&1];
        assert_eq!(&t[..3], &[1.0, -3.0, 2.0]);
        assert!((t[3] - 90.0).abs() < 1e-9);
        assert!((solve.focal_length - 50.0).abs() < 1e-3);
    }
}
