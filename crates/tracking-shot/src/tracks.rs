//! 2D tracks in the shot workflow: reading a track file against the plate
//! (`shot ingest --tracks`), moving its frames into the session's numbering, and
//! merging them into the session's tracks.
//!
//! The file's first clip frame (its format's frame base, e.g. 3DE's frame 1, SynthEyes'
//! frame 0) becomes the plate's first frame; pixels are read against the plate's stored
//! image size. Tracks from the file replace the session's tracks of the same name (and
//! camera); the session's other tracks are kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tracking_io::ReadMode;
use tracking_io::tracks::{
    CAMERA_KEY, ImageSize, TrackFormat, TrackReadOptions, is_default_camera, read_tracks,
    track_camera,
};
use tracking_types::TrackData;

use crate::checks::{Severity, ShotFinding};
use crate::{PlateSummary, ShotError};

/// A track file to store with the shot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracksInput {
    /// The file.
    pub path: PathBuf,
    /// Its format; `None` detects it from the content.
    pub format: Option<TrackFormat>,
    /// Which camera's tracks to take from a stereo file (`Primary`, `Secondary`);
    /// required when the file holds more than one.
    pub camera: Option<String>,
    /// Skip bad lines with warnings (reported as a finding) instead of failing.
    pub lenient: bool,
    /// Added to the session frames the file's frames map to (for a track file whose
    /// first frame is not the plate's first frame).
    pub frame_offset: i64,
}

impl TracksInput {
    /// A strict, detected read of `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            format: None,
            camera: None,
            lenient: false,
            frame_offset: 0,
        }
    }
}

/// What ingest did with the track file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracksSummary {
    /// The file.
    pub path: String,
    /// The format read.
    pub format: &'static str,
    /// The format's number for the clip's first frame.
    pub file_frame_base: i64,
    /// Added to the file's frames to get session frames.
    pub frame_shift: i64,
    /// The image size the pixels were read against (the plate's).
    pub size: [u32; 2],
    /// The camera whose tracks were taken, when the file names cameras.
    pub camera: Option<String>,
    /// Tracks read.
    pub tracks: usize,
    /// Keys read.
    pub keys: usize,
    /// Session tracks replaced by a file track of the same name.
    pub replaced: usize,
    /// File tracks new to the session.
    pub added: usize,
    /// Session tracks the file does not mention, kept.
    pub kept: usize,
}

/// Reads `input` against the plate: tracks in session frames, and findings (lines
/// skipped, keys outside the plate's range).
pub(crate) fn read_for_plate(
    input: &TracksInput,
    plate: &PlateSummary,
    stored_size: [u32; 2],
) -> Result<(Vec<TrackData>, TracksSummary, Vec<ShotFinding>), ShotError> {
    let tracks_err = |source| ShotError::Tracks {
        path: input.path.clone(),
        source: Box::new(source),
    };
    let size = ImageSize::new(stored_size[0], stored_size[1]).map_err(tracks_err)?;
    let options = TrackReadOptions {
        format: input.format,
        size: Some(size),
        frame_offset: 0,
        mode: if input.lenient {
            ReadMode::Lenient
        } else {
            ReadMode::Strict
        },
    };
    let mut import = read_tracks(&input.path, &options).map_err(tracks_err)?;
    // The file's first clip frame goes on the plate's first frame.
    let file_frame_base = import.frame_base;
    let shift = plate
        .first_frame
        .checked_sub(file_frame_base)
        .and_then(|s| s.checked_add(input.frame_offset))
        .ok_or_else(|| {
            tracks_err(tracking_io::Error::InvalidOption {
                option: "tracks frame offset",
                reason: format!(
                    "moving the file's frames onto the plate's ({} - {file_frame_base} + {}) overflows",
                    plate.first_frame, input.frame_offset
                ),
            })
        })?;
    import.shift_frames(shift).map_err(tracks_err)?;
    let cameras: Vec<String> = {
        let mut names: Vec<String> = import.tracks.iter().filter_map(camera_of).collect();
        names.sort();
        names.dedup();
        names
    };
    let chosen: Vec<TrackData> = match &input.camera {
        Some(camera) => {
            if !cameras.contains(camera) {
                return Err(ShotError::TracksCamera {
                    path: input.path.clone(),
                    asked: Some(camera.clone()),
                    cameras,
                });
            }
            import
                .tracks
                .into_iter()
                .filter(|t| camera_of(t).as_ref() == Some(camera))
                .collect()
        }
        None if cameras.len() > 1 => {
            return Err(ShotError::TracksCamera {
                path: input.path.clone(),
                asked: None,
                cameras,
            });
        }
        None => import.tracks,
    };
    let mut findings = Vec::new();
    if !import.warnings.is_empty() {
        let lines: Vec<String> = import.warnings.iter().map(ToString::to_string).collect();
        findings.push(ShotFinding {
            code: "track_lines_skipped",
            severity: Severity::Warning,
            message: format!(
                "{} note(s) or skipped line(s) in the track file {}",
                lines.len(),
                input.path.display()
            ),
            recommendation: "check the listed lines; skipped keys are gaps in their tracks"
                .to_owned(),
            evidence: serde_json::json!({ "count": lines.len(), "lines": lines }),
        });
    }
    let mut outside = 0usize;
    let mut first_outside: Option<(String, i64)> = None;
    let mut shifted = Vec::with_capacity(chosen.len());
    for mut track in chosen {
        // The session holds one camera's tracks: the camera chosen (or the file's one
        // default camera) is reported in the summary, not kept per track.
        track.extra.remove(CAMERA_KEY);
        for &frame in track.markers.keys() {
            if !(plate.first_frame..=plate.last_frame).contains(&frame) {
                outside += 1;
                if first_outside.is_none() {
                    first_outside = Some((track.name.clone(), frame));
                }
            }
        }
        shifted.push(track);
    }
    if let Some((track, frame)) = first_outside {
        findings.push(ShotFinding {
            code: "tracks_outside_plate",
            severity: Severity::Warning,
            message: format!(
                "{outside} track key(s) lie outside the plate's frames {}-{} (first: {track:?} at frame {frame})",
                plate.first_frame, plate.last_frame
            ),
            recommendation: "check that the track file belongs to this plate and that its \
                             frames start where the plate starts (--tracks-frame-offset)"
                .to_owned(),
            evidence: serde_json::json!({
                "keys_outside": outside,
                "plate_frames": [plate.first_frame, plate.last_frame],
                "first": { "track": track, "frame": frame },
            }),
        });
    }
    let keys = shifted.iter().map(|t| t.markers.len()).sum();
    let summary = TracksSummary {
        path: input.path.display().to_string(),
        format: import.format.name(),
        file_frame_base,
        frame_shift: shift,
        size: stored_size,
        camera: input.camera.clone().or_else(|| cameras.first().cloned()),
        tracks: shifted.len(),
        keys,
        replaced: 0,
        added: 0,
        kept: 0,
    };
    Ok((shifted, summary, findings))
}

fn camera_of(track: &TrackData) -> Option<String> {
    track_camera(track).map(str::to_owned)
}

/// The camera a track is told apart by in a session: none for a format's default
/// camera, so the same tracker read from 3DE and from PFTrack is one track.
fn merge_camera(track: &TrackData) -> Option<String> {
    track_camera(track)
        .filter(|c| !is_default_camera(c))
        .map(str::to_owned)
}

/// The session's tracks after merging `incoming`: same name (and camera) replaced in
/// place, new ones appended, the rest kept. Fills the summary's counts.
pub(crate) fn merge(
    existing: &[TrackData],
    incoming: Vec<TrackData>,
    summary: &mut TracksSummary,
) -> Vec<TrackData> {
    let key = |t: &TrackData| (t.name.clone(), merge_camera(t));
    let mut incoming_by_key: BTreeMap<(String, Option<String>), TrackData> = BTreeMap::new();
    let mut order = Vec::new();
    for track in incoming {
        order.push(key(&track));
        incoming_by_key.insert(key(&track), track);
    }
    let mut out = Vec::with_capacity(existing.len() + order.len());
    let (mut replaced, mut kept) = (0, 0);
    for track in existing {
        if let Some(new) = incoming_by_key.remove(&key(track)) {
            replaced += 1;
            out.push(new);
        } else {
            kept += 1;
            out.push(track.clone());
        }
    }
    let mut added = 0;
    for k in order {
        if let Some(track) = incoming_by_key.remove(&k) {
            added += 1;
            out.push(track);
        }
    }
    summary.replaced = replaced;
    summary.kept = kept;
    summary.added = added;
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use tracking_types::ExtraValue;

    fn plate() -> PlateSummary {
        PlateSummary {
            path: "/plates/p.mov".into(),
            kind: tracking_footage::FootageKind::Movie,
            first_frame: 1001,
            last_frame: 1096,
            numbering: "convention",
            frame_count: 96,
            frame_rate: "24".into(),
            fps: 24.0,
            resolution: [640, 360],
            codec: "h264".into(),
            timecode: None,
            vfr: tracking_footage::VfrVerdict::NotChecked,
        }
    }

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn frames_move_onto_the_plate_and_an_overflow_is_an_error_not_a_wrap() {
        let (_dir, path) = file("1\nA\n0\n2\n1 10 20\n3 11 21\n");
        let mut input = TracksInput::new(&path);
        let (tracks, summary, findings) = read_for_plate(&input, &plate(), [640, 360]).unwrap();
        assert_eq!(summary.frame_shift, 1000);
        assert_eq!(
            tracks[0].markers.keys().copied().collect::<Vec<_>>(),
            [1001, 1003]
        );
        assert!(findings.is_empty());
        input.frame_offset = i64::MAX;
        let err = read_for_plate(&input, &plate(), [640, 360]).unwrap_err();
        assert!(err.to_string().contains("tracks"), "{err}");
        let (_dir, huge) = file("1\nA\n0\n1\n9223372036854775807 10 20\n");
        let err = read_for_plate(&TracksInput::new(&huge), &plate(), [640, 360]).unwrap_err();
        assert!(matches!(err, ShotError::Tracks { .. }), "{err}");
    }

    #[test]
    fn a_default_camera_is_not_a_second_track_when_merging() {
        let mut from_3de = TrackData::new("A");
        from_3de.markers.insert(1001, [0.1, 0.1]);
        let mut from_pftrack = TrackData::new("A");
        from_pftrack.markers.insert(1001, [0.2, 0.2]);
        from_pftrack
            .extra
            .insert(CAMERA_KEY.into(), ExtraValue::String("Primary".into()));
        let mut summary = TracksSummary {
            path: String::new(),
            format: "pftrack5",
            file_frame_base: 0,
            frame_shift: 0,
            size: [640, 360],
            camera: None,
            tracks: 1,
            keys: 1,
            replaced: 0,
            added: 0,
            kept: 0,
        };
        let merged = merge(&[from_3de], vec![from_pftrack.clone()], &mut summary);
        assert_eq!(merged, [from_pftrack]);
        assert_eq!((summary.replaced, summary.added, summary.kept), (1, 0, 0));
    }

    #[test]
    fn the_session_keeps_no_per_track_camera() {
        let (_dir, path) =
            file("\"A\"\n\"Primary\"\n1\n0 1.0 2.0 0.0\n\"B\"\n\"Primary\"\n1\n0 3.0 4.0 0.0\n");
        let (tracks, summary, _) =
            read_for_plate(&TracksInput::new(&path), &plate(), [640, 360]).unwrap();
        assert_eq!(summary.camera.as_deref(), Some("Primary"));
        assert!(tracks.iter().all(|t| !t.extra.contains_key(CAMERA_KEY)));
    }
}
