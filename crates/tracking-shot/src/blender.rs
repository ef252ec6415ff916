//! The shot's Blender scene: what to build, from a stored session or straight from a
//! plate and a camera (tracking-blender builds it), with the shot's 2D tracks on the
//! plate clip.

use std::path::{Path, PathBuf};
use std::time::Duration;

use camino::Utf8Path;
use tracking_blender::{
    Blender, BlenderError, BuildOptions, BuildReport, CameraSetup, PlatePlan, SceneSpec,
    build_scene,
};
use tracking_footage::{ProbeOptions, probe};
use tracking_io::{CameraTrack, FilmBack, SensorFit};
use tracking_session::TrackingSessionManager;
use tracking_types::TrackData;

use crate::{DEFAULT_MOVIE_START_FRAME, ShotError};

/// Where and how `shot ingest --blend` / `blender build` write the scene.
#[derive(Debug, Clone)]
pub struct BlendOutput {
    /// The `.blend` to write.
    pub path: PathBuf,
    /// Replace an existing file.
    pub force: bool,
    /// Store media paths relative to the `.blend` (default absolute).
    pub relative_paths: bool,
    /// The camera's `sensor_fit` (default horizontal: Nuke's fit and Blender's chan
    /// importer's).
    pub sensor_fit: SensorFit,
    /// The Blender executable; default `CINEMATIC_BLENDER`, then `PATH`.
    pub blender: Option<PathBuf>,
    /// Limit for the Blender run.
    pub timeout: Duration,
}

impl BlendOutput {
    /// Defaults: no force, absolute paths, horizontal fit, Blender found as usual.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            force: false,
            relative_paths: false,
            sensor_fit: SensorFit::Horizontal,
            blender: None,
            timeout: tracking_blender::DEFAULT_TIMEOUT,
        }
    }

    fn blender(&self) -> Result<Blender, ShotError> {
        Ok(Blender::find(self.blender.as_deref())
            .map_err(blender_err)?
            .with_timeout(self.timeout))
    }

    /// Build `spec` into [`path`](Self::path).
    pub fn build(&self, spec: &SceneSpec) -> Result<BuildReport, ShotError> {
        let options = BuildOptions {
            force: self.force,
            relative_paths: self.relative_paths,
        };
        build_scene(&self.blender()?, spec, &self.path, &options).map_err(blender_err)
    }
}

pub(crate) fn blender_err(source: BlenderError) -> ShotError {
    ShotError::Blender(Box::new(source))
}

/// The scene for a camera over a probed plate, with `tracks` (markers in the plate's
/// scene frames, as a session stores them) on the plate clip.
pub(crate) fn scene_for(
    name: &str,
    camera: &CameraTrack,
    film_back: FilmBack,
    focal_length_mm: Option<f64>,
    plate: &PlatePlan,
    sensor_fit: SensorFit,
    tracks: &[TrackData],
) -> Result<SceneSpec, ShotError> {
    let setup = CameraSetup {
        sensor: camera.film_back.unwrap_or(film_back),
        sensor_fit,
        focal_length_mm,
    };
    SceneSpec::new(name, camera, &setup, Some(plate), None)
        .and_then(|spec| spec.with_tracks(tracks))
        .map_err(blender_err)
}

/// The scene of stored session `id` (default: the latest): its plate, re-probed (the
/// exact rate, size and pixel aspect), over its frame range, with its stored solve and
/// its 2D tracks.
pub fn scene_for_session(
    state_root: &Utf8Path,
    id: Option<&str>,
    sensor_fit: SensorFit,
) -> Result<SceneSpec, ShotError> {
    let store_err = |source| ShotError::Store {
        root: state_root.to_owned(),
        source: Box::new(source),
    };
    let manager = TrackingSessionManager::open(state_root).map_err(store_err)?;
    let session = match id {
        Some(id) => manager.load(id).map_err(store_err)?,
        None => manager
            .get_latest_session()
            .map_err(store_err)?
            .ok_or_else(|| ShotError::NoSessions {
                root: state_root.to_owned(),
            })?,
    };
    let solve = manager.load_solve(&session.session_id).map_err(store_err)?;
    let solve_path = tracking_session::SessionId::new(session.session_id.clone()).map_or_else(
        |_| manager.solves_dir().to_path_buf(),
        |id| manager.solve_path(&id),
    );
    let camera_err = |source| ShotError::Camera {
        path: solve_path.clone().into_std_path_buf(),
        source: Box::new(source),
    };
    let camera = CameraTrack::from_solve_data(&solve).map_err(camera_err)?;
    let plate_path = Path::new(&session.footage_path);
    let probed =
        probe(plate_path, &ProbeOptions::default()).map_err(|source| ShotError::Plate {
            path: plate_path.to_path_buf(),
            source: Box::new(source),
        })?;
    // A movie starts at the session's first frame; a sequence keeps its own numbers.
    let plate =
        PlatePlan::from_probe(&probed, plate_path, session.frame_start).map_err(blender_err)?;
    // A solve without a sensor height (written by the original code) fits horizontally
    // on its sensor width; the height then only sets the plate's aspect.
    let film_back = match solve.sensor_height {
        Some(height) => FilmBack::new(solve.sensor_width, height),
        None => FilmBack::new(
            solve.sensor_width,
            solve.sensor_width * f64::from(plate.size[1]) / f64::from(plate.size[0].max(1)),
        ),
    }
    .map_err(camera_err)?;
    scene_for(
        &session.session_id,
        &camera,
        film_back,
        Some(solve.focal_length),
        &plate,
        sensor_fit,
        &session.tracks,
    )
}

/// The scene for a plate and a camera given directly (`blender build --plate --camera`):
/// probed and imported exactly as [`ingest_shot`](crate::ingest_shot) does, nothing
/// stored. The scene is named after [`IngestOptions::id`](crate::IngestOptions::id), or
/// the plate's file name. [`IngestOptions::tracks`](crate::IngestOptions::tracks), when
/// set, is read against the plate as ingest reads it; its findings (skipped lines, keys
/// outside the plate) become the spec's warnings.
pub fn scene_for_inputs(
    options: &crate::IngestOptions,
    sensor_fit: SensorFit,
) -> Result<SceneSpec, ShotError> {
    let probed = crate::probe_plate(options)?;
    let imported = crate::import_camera(options)?;
    let id = crate::session_id(options)?;
    // A sequence keeps its own numbers; `movie_start` only numbers a movie.
    let movie_start = options.plate_start.unwrap_or(DEFAULT_MOVIE_START_FRAME);
    let plate = PlatePlan::from_probe(&probed, &options.plate, movie_start).map_err(blender_err)?;
    let (tracks, findings) = match &options.tracks {
        Some(input) => {
            let summary = crate::plate_summary(
                &probed,
                &crate::absolute_utf8(&options.plate)?,
                options.plate_start,
            );
            let (tracks, _, findings) =
                crate::tracks::read_for_plate(input, &summary, probed.metadata.resolution)?;
            (tracks, findings)
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut spec = scene_for(
        id.as_str(),
        &imported.track,
        options.chan.film_back,
        options.focal_length_mm,
        &plate,
        sensor_fit,
        &tracks,
    )?;
    spec.warnings
        .extend(findings.into_iter().map(|finding| finding.message));
    Ok(spec)
}
