//! The main job: a plate and a solved camera in, a checked tracking session out.
//!
//! [`ingest_shot`] probes (and by default analyses) the plate, imports the camera,
//! checks that the two fit together ([`checks`]), and stores the session, the solve
//! and the footage metadata under the state root through the
//! [`TrackingSessionManager`]. [`shot_status`] reads back what is stored.
//!
//! This crate is the workflow layer: the only one that sees footage, camera and session
//! together (tracking-footage, tracking-io and tracking-session know nothing of each
//! other). The facade re-exports it as `cinematic::shot`.

pub mod blender;
pub mod checks;
pub mod tracks;

use std::path::{Path, PathBuf};

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use thiserror::Error;
use tracking_blender::{BuildReport, PlatePlan};
use tracking_footage::{
    AnalysisReport, AnalyzeOptions, FootageKind, FootageProbe, ProbeOptions, VfrVerdict,
    analyze_probed, probe,
};
use tracking_io::chan::{ChanOptions, read_chan};
use tracking_io::import::{TrackingFormat, detect_format};
use tracking_io::json_camera::{JsonCameraOptions, read_json_camera_file};
use tracking_io::{CameraTrack, FilmBack};
use tracking_session::{SessionId, TrackingSessionManager};
use tracking_types::{FootageMetadata, SessionStatus, SolveData, TrackData, TrackingSession};

pub use blender::{BlendOutput, scene_for_inputs, scene_for_session};
pub use checks::{CameraFacts, PlateFacts, Severity, ShotFinding, check_shot};
pub use tracks::{TracksInput, TracksSummary};

/// Movie files carry no frame numbers; like most VFX pipelines we number their first
/// frame 1001 unless told otherwise ([`IngestOptions::plate_start`]).
pub const DEFAULT_MOVIE_START_FRAME: i64 = 1001;

/// Why ingest or status failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ShotError {
    /// The plate could not be probed or analysed.
    #[error("cannot read the plate {path}")]
    Plate {
        /// The plate path as given.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Box<tracking_footage::Error>,
    },
    /// The camera file could not be imported.
    #[error("cannot import the camera {path}")]
    Camera {
        /// The camera path as given.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Box<tracking_io::Error>,
    },
    /// Reading or writing the state root failed (including revision conflicts).
    #[error("session store at {root}")]
    Store {
        /// The state root.
        root: Utf8PathBuf,
        /// What went wrong.
        #[source]
        source: Box<tracking_session::Error>,
    },
    /// No session id was given and none could be derived from the plate's name.
    #[error("cannot derive a session id from {path}: pass --id")]
    NoId {
        /// The plate path.
        path: PathBuf,
    },
    /// A path cannot be stored because it is not valid UTF-8.
    #[error("the path {path:?} is not valid UTF-8 and cannot be stored in a session")]
    NonUtf8Path {
        /// The path.
        path: PathBuf,
    },
    /// No session is stored (for `status` without an id).
    #[error("no session is stored under {root}")]
    NoSessions {
        /// The state root.
        root: Utf8PathBuf,
    },
    /// The session exists for another plate (footage path) or frame range, and
    /// [`IngestOptions::force`] is off: nothing was written.
    #[error(
        "session {id} already holds another plate: {change}; nothing was changed (pass --force to re-point the session, or --id NEW for a new one)"
    )]
    PlateChanged {
        /// The session id.
        id: String,
        /// What re-pointing would change.
        change: Box<PlateChange>,
    },
    /// The 2D track file could not be read against the plate.
    #[error("cannot import the tracks {path}")]
    Tracks {
        /// The track file as given.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Box<tracking_io::Error>,
    },
    /// A stereo track file holds several cameras and none (or an absent one) was chosen.
    #[error(
        "{}: {}; the file holds tracks for the cameras {}: choose one with --tracks-camera NAME",
        path.display(),
        asked.as_ref().map_or_else(|| "more than one camera".to_owned(), |a| format!("no camera {a:?}")),
        cameras.join(", ")
    )]
    TracksCamera {
        /// The track file.
        path: PathBuf,
        /// The camera asked for, if any.
        asked: Option<String>,
        /// The cameras the file has.
        cameras: Vec<String>,
    },
    /// Building the Blender scene failed (the session, when ingesting, is stored).
    #[error("cannot build the Blender scene")]
    Blender(#[source] Box<tracking_blender::BlenderError>),
}

/// How ingest re-points an existing session at another plate: the footage path and
/// frame range before and after, and what happened to the current frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlateChange {
    /// The footage path the session had.
    pub old_footage_path: String,
    /// The footage path it gets.
    pub new_footage_path: String,
    /// The frame range it had.
    pub old_frame_range: [i64; 2],
    /// The frame range it gets.
    pub new_frame_range: [i64; 2],
    /// The current frame it had.
    pub old_current_frame: i64,
    /// The current frame it gets: the old one when it is inside the new range, else
    /// the new range's first frame.
    pub current_frame: i64,
}

impl PlateChange {
    /// Whether the current frame was outside the new range and reset to its first frame.
    pub fn current_frame_reset(&self) -> bool {
        self.current_frame != self.old_current_frame
    }

    /// What happened to the current frame, in words.
    pub fn current_frame_note(&self) -> String {
        if self.current_frame_reset() {
            format!(
                "current frame {} is outside the new range: reset to {}",
                self.old_current_frame, self.current_frame
            )
        } else {
            format!("current frame {} kept", self.current_frame)
        }
    }
}

/// `footage A → B, frames 1001-1096 → 1001-1024` (an unchanged part says so).
impl std::fmt::Display for PlateChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let old_path = if self.old_footage_path.is_empty() {
            "(none)"
        } else {
            &self.old_footage_path
        };
        if self.old_footage_path == self.new_footage_path {
            write!(f, "footage {old_path} (unchanged)")?;
        } else {
            write!(f, "footage {old_path} → {}", self.new_footage_path)?;
        }
        let [a, b] = self.old_frame_range;
        let [c, d] = self.new_frame_range;
        if self.old_frame_range == self.new_frame_range {
            write!(f, ", frames {a}-{b} (unchanged)")
        } else {
            write!(f, ", frames {a}-{b} → {c}-{d}")
        }
    }
}

/// What [`ingest_shot`] reads and how.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The plate: a movie file or an image sequence (any spelling the probe accepts).
    pub plate: PathBuf,
    /// The solved camera (`.chan` or the original's JSON camera).
    pub camera: PathBuf,
    /// Session id; by default derived from the plate's file name.
    pub id: Option<String>,
    /// Camera file format; default detect.
    pub camera_format: TrackingFormat,
    /// How to read a `.chan` (rotation order, Z-up, film back, frame offset, scale).
    pub chan: ChanOptions,
    /// Focal length for a camera file without a FOV column (never invented).
    pub focal_length_mm: Option<f64>,
    /// First frame number of a movie plate (sequences carry their own numbers);
    /// default [`DEFAULT_MOVIE_START_FRAME`].
    pub plate_start: Option<i64>,
    /// Run the content analysis (sampled sharpness, motion, interlace…); default on.
    pub analyze: bool,
    /// Frame rate of an image sequence whose headers carry none.
    pub sequence_frame_rate: Option<tracking_footage::Rational>,
    /// The state root.
    pub state_root: Utf8PathBuf,
    /// How long to wait for another writer's lock on the state root (default 30 s).
    pub lock_wait: tracking_session::LockWait,
    /// Re-point an existing session whose plate (footage path) or frame range differs
    /// from this plate's; without it that is [`ShotError::PlateChanged`] and nothing is
    /// written. Default off. (A session without a footage path has no plate yet and
    /// takes one without it.)
    pub force: bool,
    /// Build the shot's Blender scene as the last step (`shot ingest --blend`).
    pub blend: Option<BlendOutput>,
    /// A 2D track file to store in the session's tracks (`shot ingest --tracks`).
    pub tracks: Option<TracksInput>,
}

impl IngestOptions {
    /// Options with the defaults: detect the camera format, Nuke's .chan conventions,
    /// analysis on, state root `.gsd-state/tracking`.
    pub fn new(plate: impl Into<PathBuf>, camera: impl Into<PathBuf>) -> Self {
        Self {
            plate: plate.into(),
            camera: camera.into(),
            id: None,
            camera_format: TrackingFormat::Auto,
            chan: ChanOptions::default(),
            focal_length_mm: None,
            plate_start: None,
            analyze: true,
            sequence_frame_rate: None,
            state_root: Utf8PathBuf::from(tracking_session::DEFAULT_STATE_ROOT),
            lock_wait: tracking_session::LockWait::default(),
            force: false,
            blend: None,
            tracks: None,
        }
    }
}

/// The plate as ingest saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlateSummary {
    /// Path as stored in the session (absolute).
    pub path: String,
    /// `movie` or `image_sequence`.
    pub kind: FootageKind,
    /// First frame number.
    pub first_frame: i64,
    /// Last frame number.
    pub last_frame: i64,
    /// Where the frame numbers come from: `sequence`, `option` or `convention`.
    pub numbering: &'static str,
    /// Number of frames the plate holds.
    pub frame_count: u64,
    /// Frame rate as a fraction, e.g. `24000/1001`.
    pub frame_rate: String,
    /// Frame rate in frames per second.
    pub fps: f64,
    /// Display `[width, height]`.
    pub resolution: [u32; 2],
    /// Codec.
    pub codec: String,
    /// Start timecode, when the plate has one.
    pub timecode: Option<String>,
    /// Constant/variable frame rate verdict.
    pub vfr: VfrVerdict,
}

/// The camera as ingest saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameraSummary {
    /// Path as given.
    pub path: String,
    /// Detected or chosen format.
    pub format: String,
    /// Number of frames.
    pub frames: usize,
    /// First and last frame (after `--frame-offset`).
    pub frame_range: Option<[i64; 2]>,
    /// Smallest and largest focal length in mm.
    pub focal_range_mm: [f64; 2],
    /// Film back `[width, height]` in mm the focal length was derived with.
    pub film_back_mm: [f64; 2],
}

/// What was written under the state root.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredShot {
    /// The session file.
    pub session: Utf8PathBuf,
    /// The session's revision after ingest.
    pub session_revision: Option<u64>,
    /// The solve file.
    pub solve: Utf8PathBuf,
    /// The footage metadata file.
    pub footage: Utf8PathBuf,
    /// Whether anything changed on disk (false when re-ingesting the same inputs).
    pub changed: bool,
}

/// The result of [`ingest_shot`].
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    /// The session id.
    pub session_id: String,
    /// The plate.
    pub plate: PlateSummary,
    /// The camera.
    pub camera: CameraSummary,
    /// Camera/plate consistency findings.
    pub findings: Vec<ShotFinding>,
    /// The footage analysis, when it ran.
    pub analysis: Option<AnalysisReport>,
    /// What was stored.
    pub stored: StoredShot,
    /// When an existing session was re-pointed at this plate ([`IngestOptions::force`]):
    /// what changed. Absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plate_change: Option<PlateChange>,
    /// The Blender scene, when [`IngestOptions::blend`] asked for one. Absent from the
    /// JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blend: Option<BuildReport>,
    /// What was done with [`IngestOptions::tracks`]. Absent from the JSON without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracks: Option<TracksSummary>,
}

/// Probe (and analyse) the plate, import the camera, check them against each other and
/// store session, solve and footage metadata under the state root.
///
/// Re-running with the same inputs changes nothing on disk. The session is loaded and
/// saved with a revision check: a session changed by someone else in between gives
/// [`ShotError::Store`] with a conflict, never a silent overwrite. An existing session's
/// tracks, current frame and creation time are kept.
///
/// An existing session whose plate (footage path) or frame range differs from this
/// plate's is [`ShotError::PlateChanged`], with nothing written, unless
/// [`IngestOptions::force`] is on; then it is re-pointed and
/// [`IngestReport::plate_change`] says what changed. Its current frame is kept when it
/// is inside the new range, else reset to the first frame.
pub fn ingest_shot(options: &IngestOptions) -> Result<IngestReport, ShotError> {
    let plate_err = |source| ShotError::Plate {
        path: options.plate.clone(),
        source: Box::new(source),
    };
    let plate_path = absolute_utf8(&options.plate)?;
    let probed = probe_plate(options)?;
    let analysis = if options.analyze {
        let mut analyze_options = AnalyzeOptions::default();
        analyze_options.sequence_frame_rate = options.sequence_frame_rate;
        // The analysis takes the deep probe just made: each plate is probed once.
        Some(analyze_probed(&options.plate, &probed, &analyze_options).map_err(plate_err)?)
    } else {
        None
    };
    let ImportedCamera {
        track: camera,
        format,
        skipped_lines,
    } = import_camera(options)?;
    if let Some(focal) = options.focal_length_mm
        && !(focal.is_finite() && focal > 0.0)
    {
        return Err(ShotError::Camera {
            path: options.camera.clone(),
            source: Box::new(tracking_io::Error::InvalidLens {
                what: "focal length",
                value: focal,
                reason: "must be finite and above 0",
            }),
        });
    }
    let mut solve = camera
        .to_solve_data(options.focal_length_mm)
        .map_err(|source| ShotError::Camera {
            path: options.camera.clone(),
            source: Box::new(source),
        })?;

    let session_id = session_id(options)?;
    solve.name = session_id.as_str().to_owned();
    let plate = plate_summary(&probed, &plate_path, options.plate_start);
    let camera_facts = camera_facts(&camera, options.chan.film_back);
    let mut findings: Vec<ShotFinding> = checks::skipped_camera_lines(&skipped_lines)
        .into_iter()
        .collect();
    findings.extend(check_shot(&camera_facts, &plate_facts(&probed, &plate)));
    let mut tracks = match &options.tracks {
        Some(input) => {
            let (tracks, summary, track_findings) =
                tracks::read_for_plate(input, &plate, probed.metadata.resolution)?;
            findings.extend(track_findings);
            Some((tracks, summary))
        }
        None => None,
    };
    let mut metadata = analysis
        .as_ref()
        .map_or_else(|| probed.metadata.clone(), |a| a.metadata.clone());
    metadata.filename = file_name(&options.plate);

    let (stored, plate_change, session_tracks) =
        store(options, &session_id, &plate, &solve, &metadata, &mut tracks)?;
    let blend = match &options.blend {
        Some(output) => {
            let plan = PlatePlan::from_probe(&probed, &options.plate, plate.first_frame)
                .map_err(blender::blender_err)?;
            let spec = blender::scene_for(
                session_id.as_str(),
                &camera,
                options.chan.film_back,
                options.focal_length_mm,
                &plan,
                output.sensor_fit,
                &session_tracks,
            )?;
            Some(output.build(&spec)?)
        }
        None => None,
    };
    Ok(IngestReport {
        session_id: session_id.as_str().to_owned(),
        plate,
        camera: CameraSummary {
            path: options.camera.display().to_string(),
            format: format.to_string(),
            frames: camera.frames.len(),
            frame_range: camera.frame_range().map(|(a, b)| [a, b]),
            // A camera without a FOV column has the focal length it was given.
            focal_range_mm: if camera_facts.has_fov {
                camera_facts.focal_range_mm
            } else {
                [solve.focal_length; 2]
            },
            film_back_mm: camera_facts.film_back_mm,
        },
        findings,
        analysis,
        stored,
        plate_change,
        blend,
        tracks: tracks.map(|(_, summary)| summary),
    })
}

/// The deep probe of the plate ingest (and `scene_for_inputs`) work from.
pub(crate) fn probe_plate(options: &IngestOptions) -> Result<FootageProbe, ShotError> {
    let probe_options = ProbeOptions {
        deep: true,
        sequence_frame_rate: options.sequence_frame_rate,
        ..ProbeOptions::default()
    };
    probe(&options.plate, &probe_options).map_err(|source| ShotError::Plate {
        path: options.plate.clone(),
        source: Box::new(source),
    })
}

/// A camera file read for ingest: the track, its format, and the lines a lenient read
/// skipped (reported as a finding, never dropped silently).
pub(crate) struct ImportedCamera {
    track: CameraTrack,
    format: TrackingFormat,
    skipped_lines: Vec<String>,
}

pub(crate) fn import_camera(options: &IngestOptions) -> Result<ImportedCamera, ShotError> {
    let camera_err = |source| ShotError::Camera {
        path: options.camera.clone(),
        source: Box::new(source),
    };
    let format = match options.camera_format {
        TrackingFormat::Auto => detect_format(&options.camera).map_err(camera_err)?,
        known => known,
    };
    let mut skipped_lines = Vec::new();
    let mut track = match format {
        TrackingFormat::Json => {
            let json_options = JsonCameraOptions {
                film_back: options.chan.film_back,
                ..JsonCameraOptions::default()
            };
            read_json_camera_file(&options.camera, &json_options).map_err(camera_err)?
        }
        _ => {
            let import = read_chan(&options.camera, options.chan).map_err(camera_err)?;
            skipped_lines = import.warnings.iter().map(ToString::to_string).collect();
            import.track
        }
    };
    if track.film_back.is_none() {
        track.film_back = Some(options.chan.film_back);
    }
    Ok(ImportedCamera {
        track,
        format,
        skipped_lines,
    })
}

pub(crate) fn session_id(options: &IngestOptions) -> Result<SessionId, ShotError> {
    let store_err = |source| ShotError::Store {
        root: options.state_root.clone(),
        source: Box::new(source),
    };
    if let Some(id) = &options.id {
        return SessionId::new(id.clone()).map_err(|reason| {
            store_err(tracking_session::Error::InvalidId {
                id: id.clone(),
                reason,
            })
        });
    }
    derive_id(&options.plate).ok_or_else(|| ShotError::NoId {
        path: options.plate.clone(),
    })
}

/// `shots/sq010/plate_v002.mov` → `plate_v002`; `plate.%04d.exr` / `plate.1001.exr` /
/// `plate.####.exr` → `plate`; characters outside `[A-Za-z0-9._-]` become `_`.
fn derive_id(plate: &Path) -> Option<SessionId> {
    let name = plate.file_name()?.to_string_lossy().into_owned();
    let stem = name.split('.').next().unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    SessionId::new(
        trimmed
            .chars()
            .take(tracking_session::MAX_ID_LEN)
            .collect::<String>(),
    )
    .ok()
}

fn plate_summary(probed: &FootageProbe, path: &Utf8Path, plate_start: Option<i64>) -> PlateSummary {
    let count = probed.metadata.duration_frames;
    let (first_frame, last_frame, numbering) = match (&probed.sequence, plate_start) {
        (Some(seq), _) => (seq.first_frame, seq.last_frame, "sequence"),
        (None, start) => {
            let first = start.unwrap_or(DEFAULT_MOVIE_START_FRAME);
            let last = first + i64::try_from(count).unwrap_or(i64::MAX - first).max(1) - 1;
            (
                first,
                last,
                if start.is_some() {
                    "option"
                } else {
                    "convention"
                },
            )
        }
    };
    PlateSummary {
        path: path.to_string(),
        kind: probed.kind,
        first_frame,
        last_frame,
        numbering,
        frame_count: count,
        frame_rate: probed.rate.rational.to_string(),
        fps: probed.rate.fps,
        resolution: probed.display_size,
        codec: probed.metadata.codec.clone(),
        timecode: probed.timecode.as_ref().map(|tc| tc.value.clone()),
        vfr: probed.vfr.verdict,
    }
}

fn plate_facts(probed: &FootageProbe, plate: &PlateSummary) -> PlateFacts {
    PlateFacts {
        first_frame: plate.first_frame,
        last_frame: plate.last_frame,
        missing_frames: probed
            .sequence
            .as_ref()
            .map(|s| s.missing_frames.clone())
            .unwrap_or_default(),
        variable_frame_rate: probed.vfr.verdict == VfrVerdict::Variable,
        size: probed.display_size,
        // display_size already has the pixel aspect applied.
        pixel_aspect: 1.0,
    }
}

fn camera_facts(camera: &CameraTrack, default_film_back: FilmBack) -> CameraFacts {
    let film_back = camera.film_back.unwrap_or(default_film_back);
    let lens = camera.lens_range();
    CameraFacts {
        frames: camera.frames.iter().map(|f| f.frame).collect(),
        focal_range_mm: lens.map_or([f64::NAN; 2], |(lo, hi)| [lo, hi]),
        film_back_mm: [film_back.width_mm, film_back.height_mm],
        has_fov: lens.is_some(),
    }
}

/// Save solve, footage metadata and session; each is skipped when the stored copy is
/// already equal, so re-ingesting the same inputs writes nothing. An existing session
/// for another plate is refused (before anything is written) unless forced.
fn store(
    options: &IngestOptions,
    id: &SessionId,
    plate: &PlateSummary,
    solve: &SolveData,
    metadata: &FootageMetadata,
    tracks: &mut Option<(Vec<TrackData>, TracksSummary)>,
) -> Result<(StoredShot, Option<PlateChange>, Vec<TrackData>), ShotError> {
    let root = options.state_root.clone();
    let store_err = |source| ShotError::Store {
        root: root.clone(),
        source: Box::new(source),
    };
    let store_options = tracking_session::StoreOptions {
        lock_wait: options.lock_wait,
        ..tracking_session::StoreOptions::default()
    };
    let manager =
        TrackingSessionManager::open_with(root.clone(), store_options).map_err(store_err)?;
    let mut changed = false;

    let existing = optional(manager.load(id.as_str())).map_err(store_err)?;
    let plate_change = existing
        .as_ref()
        .and_then(|session| plate_change(session, plate));
    if let Some(change) = &plate_change
        && !options.force
    {
        return Err(ShotError::PlateChanged {
            id: id.as_str().to_owned(),
            change: Box::new(change.clone()),
        });
    }

    let solve_path = manager.solve_path(id);
    if manager.load_solve(id.as_str()).ok().as_ref() != Some(solve) {
        manager.save_solve(solve).map_err(store_err)?;
        changed = true;
    }
    let footage_path = manager.footage_path(id);
    if manager.load_footage(id.as_str()).ok().as_ref() != Some(metadata) {
        manager
            .save_footage(id.as_str(), metadata)
            .map_err(store_err)?;
        changed = true;
    }

    let mut session = updated_session(existing.as_ref(), id, plate);
    if let Some((incoming, summary)) = tracks.as_mut() {
        session.tracks = tracks::merge(&session.tracks, std::mem::take(incoming), summary);
    }
    let session_path = manager.session_path(id);
    let revision = if existing.as_ref() == Some(&session) {
        session.revision
    } else {
        let now = jiff::Timestamp::now().to_string();
        if session.created_at.is_empty() {
            session.created_at.clone_from(&now);
        }
        session.updated_at = now;
        changed = true;
        Some(manager.save(&mut session).map_err(store_err)?.revision)
    };
    let stored = StoredShot {
        session: session_path,
        session_revision: revision,
        solve: solve_path,
        footage: footage_path,
        changed,
    };
    Ok((stored, plate_change, session.tracks))
}

/// What ingesting `plate` would change in `session`'s plate, or `None` when footage
/// path and frame range are the same (or the session has no plate yet).
fn plate_change(session: &TrackingSession, plate: &PlateSummary) -> Option<PlateChange> {
    let old_range = [session.frame_start, session.frame_end];
    let new_range = [plate.first_frame, plate.last_frame];
    if session.footage_path.is_empty()
        || (session.footage_path == plate.path && old_range == new_range)
    {
        return None;
    }
    Some(PlateChange {
        old_footage_path: session.footage_path.clone(),
        new_footage_path: plate.path.clone(),
        old_frame_range: old_range,
        new_frame_range: new_range,
        old_current_frame: session.current_frame,
        current_frame: current_frame_in(session.current_frame, plate),
    })
}

/// The current frame kept when it is inside the plate's range, else the first frame.
fn current_frame_in(current: i64, plate: &PlateSummary) -> i64 {
    if (plate.first_frame..=plate.last_frame).contains(&current) {
        current
    } else {
        plate.first_frame
    }
}

/// The session after ingest: footage path and frame range from the plate; an existing
/// session keeps its tracks, camera profile, preset, timestamps and current frame (reset
/// to the first frame when it is outside the plate's range).
fn updated_session(
    existing: Option<&TrackingSession>,
    id: &SessionId,
    plate: &PlateSummary,
) -> TrackingSession {
    let mut session = existing.cloned().unwrap_or_else(|| {
        let mut fresh = TrackingSession::new(id.as_str());
        fresh.current_frame = plate.first_frame;
        fresh
    });
    session.footage_path.clone_from(&plate.path);
    session.frame_start = plate.first_frame;
    session.frame_end = plate.last_frame;
    session.current_frame = current_frame_in(session.current_frame, plate);
    if session.status == SessionStatus::Error {
        session.status = SessionStatus::InProgress;
    }
    session
}

fn absolute_utf8(path: &Path) -> Result<Utf8PathBuf, ShotError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    Utf8PathBuf::from_path_buf(absolute).map_err(|path| ShotError::NonUtf8Path { path })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What is stored for one shot.
#[derive(Debug, Clone, Serialize)]
pub struct ShotStatus {
    /// The session.
    pub session: TrackingSession,
    /// The stored solve, if any.
    pub solve: Option<SolveSummary>,
    /// The stored footage metadata, if any.
    pub footage: Option<FootageMetadata>,
    /// Consistency findings recomputed from what is stored.
    pub findings: Vec<ShotFinding>,
}

/// A short description of a stored solve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveSummary {
    /// Solve name.
    pub name: String,
    /// Number of frames with a camera transform.
    pub frames: usize,
    /// First and last frame.
    pub frame_range: [i64; 2],
    /// Smallest and largest focal length in mm.
    pub focal_range_mm: [f64; 2],
    /// Film back width (and height, when known) in mm.
    pub sensor_mm: [Option<f64>; 2],
}

/// What is stored for session `id`, or for the latest session (by save counter) when
/// `id` is `None`.
pub fn shot_status(state_root: &Utf8Path, id: Option<&str>) -> Result<ShotStatus, ShotError> {
    let store_err = |source| ShotError::Store {
        root: state_root.to_owned(),
        source: Box::new(source),
    };
    let manager = TrackingSessionManager::open(state_root.to_owned()).map_err(store_err)?;
    let session = match id {
        Some(id) => manager.load(id).map_err(store_err)?,
        None => manager
            .get_latest_session()
            .map_err(store_err)?
            .ok_or_else(|| ShotError::NoSessions {
                root: state_root.to_owned(),
            })?,
    };
    let solve = optional(manager.load_solve(&session.session_id)).map_err(store_err)?;
    let footage = optional(manager.load_footage(&session.session_id)).map_err(store_err)?;
    let findings = match &solve {
        Some(solve) => stored_findings(&session, solve, footage.as_ref()),
        None => Vec::new(),
    };
    Ok(ShotStatus {
        solve: solve.as_ref().map(solve_summary),
        session,
        footage,
        findings,
    })
}

fn optional<T>(
    result: Result<T, tracking_session::Error>,
) -> Result<Option<T>, tracking_session::Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(tracking_session::Error::NotFound { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

fn focal_range(solve: &SolveData) -> [f64; 2] {
    solve
        .focal_lengths
        .values()
        .fold([solve.focal_length; 2], |[lo, hi], &f| {
            [lo.min(f), hi.max(f)]
        })
}

fn solve_summary(solve: &SolveData) -> SolveSummary {
    SolveSummary {
        name: solve.name.clone(),
        frames: solve.camera_transforms.len(),
        frame_range: solve.frame_range,
        focal_range_mm: focal_range(solve),
        sensor_mm: [Some(solve.sensor_width), solve.sensor_height],
    }
}

fn stored_findings(
    session: &TrackingSession,
    solve: &SolveData,
    footage: Option<&FootageMetadata>,
) -> Vec<ShotFinding> {
    let camera = CameraFacts {
        frames: solve.camera_transforms.keys().copied().collect(),
        focal_range_mm: focal_range(solve),
        film_back_mm: [solve.sensor_width, solve.sensor_height.unwrap_or(f64::NAN)],
        has_fov: true,
    };
    let plate = PlateFacts {
        first_frame: session.frame_start,
        last_frame: session.frame_end,
        missing_frames: Vec::new(),
        variable_frame_rate: false,
        size: footage.map_or([0, 0], |f| f.resolution),
        pixel_aspect: 1.0,
    };
    check_shot(&camera, &plate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(path: &str, first: i64, last: i64) -> PlateSummary {
        PlateSummary {
            path: path.to_owned(),
            kind: FootageKind::Movie,
            first_frame: first,
            last_frame: last,
            numbering: "convention",
            frame_count: u64::try_from(last - first + 1).unwrap(),
            frame_rate: "24/1".to_owned(),
            fps: 24.0,
            resolution: [640, 360],
            codec: "h264".to_owned(),
            timecode: None,
            vfr: VfrVerdict::Constant,
        }
    }

    fn session(path: &str, range: [i64; 2], current: i64) -> TrackingSession {
        let mut session = TrackingSession::new("sh010");
        session.footage_path = path.to_owned();
        [session.frame_start, session.frame_end] = range;
        session.current_frame = current;
        session
    }

    #[test]
    fn the_same_plate_is_no_change_and_a_session_without_a_plate_takes_one() {
        let same = session("/a/plate.mov", [1001, 1096], 1050);
        assert_eq!(
            plate_change(&same, &plate("/a/plate.mov", 1001, 1096)),
            None
        );
        let empty = session("", [1, 100], 1);
        assert_eq!(
            plate_change(&empty, &plate("/a/plate.mov", 1001, 1096)),
            None
        );
    }

    #[test]
    fn another_plate_or_range_is_a_change_that_says_old_and_new() {
        let old = session("/a/plate.mov", [1001, 1096], 1050);
        let change = plate_change(&old, &plate("/b/plate.mov", 1001, 1024)).unwrap();
        assert_eq!(
            change.to_string(),
            "footage /a/plate.mov → /b/plate.mov, frames 1001-1096 → 1001-1024"
        );
        assert!(change.current_frame_reset());
        assert_eq!(change.current_frame, 1001);
        assert_eq!(
            change.current_frame_note(),
            "current frame 1050 is outside the new range: reset to 1001"
        );
        let range_only = plate_change(&old, &plate("/a/plate.mov", 1, 1096)).unwrap();
        assert_eq!(
            range_only.to_string(),
            "footage /a/plate.mov (unchanged), frames 1001-1096 → 1-1096"
        );
        assert_eq!(range_only.current_frame, 1050);
        assert!(!range_only.current_frame_reset());
    }

    #[test]
    fn a_re_pointed_session_keeps_a_current_frame_inside_the_new_range_only() {
        let id = SessionId::new("sh010".to_owned()).unwrap();
        let old = session("/a/plate.mov", [1001, 1096], 1020);
        let kept = updated_session(Some(&old), &id, &plate("/b/plate.mov", 1001, 1024));
        assert_eq!(
            (
                kept.footage_path.as_str(),
                kept.frame_end,
                kept.current_frame
            ),
            ("/b/plate.mov", 1024, 1020)
        );
        let reset = updated_session(Some(&old), &id, &plate("/b/plate.mov", 1, 24));
        assert_eq!(reset.current_frame, 1);
    }

    #[test]
    fn session_ids_are_derived_from_the_plate_name() {
        let id = |p: &str| derive_id(Path::new(p)).map(|id| id.as_str().to_owned());
        assert_eq!(
            id("/shots/sq010/plate_v002.mov").as_deref(),
            Some("plate_v002")
        );
        assert_eq!(id("plate.%04d.exr").as_deref(), Some("plate"));
        assert_eq!(id("plate.1001.exr").as_deref(), Some("plate"));
        assert_eq!(id("my plate (v2).mov").as_deref(), Some("my_plate__v2_"));
        assert_eq!(id(".hidden.mov"), None);
    }
}
