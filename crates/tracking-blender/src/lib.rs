//! Driving the real Blender headless: build a shot's scene, read cameras back out.
//!
//! Owns: finding and running Blender ([`Blender`]), the Python that runs inside it
//! (committed `.py` files under `blender/`, included as [`SCENE_SCRIPT`] and
//! [`INSPECT_SCRIPT`]), the [`SceneSpec`] the scene script builds from, and
//! [`build_scene`] / [`inspect_blend`]. Depends on tracking-types, tracking-fs (the
//! atomic output recipe and the input check), tracking-io (camera tracks) and
//! tracking-footage (tool discovery, [`ToolCommand`](tracking_footage::ToolCommand),
//! probed plates). The shot workflow (tracking-shot) decides *what* to build.
//!
//! ```no_run
//! use tracking_blender::{Blender, BuildOptions, CameraSetup, SceneSpec, build_scene};
//! use tracking_io::{ChanOptions, FilmBack, SensorFit, read_chan};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let camera = read_chan("cam.chan", ChanOptions::default())?.track;
//! let setup = CameraSetup { sensor: FilmBack::NUKE_DEFAULT, sensor_fit: SensorFit::Horizontal, focal_length_mm: None };
//! let rate = tracking_footage::Rational::new(24000, 1001);
//! let spec = SceneSpec::new("shot010", &camera, &setup, None, rate)?;
//! let report = build_scene(&Blender::find(None)?, &spec, "shot010.blend".as_ref(), &BuildOptions::default())?;
//! println!("{} keys at {}/{} fps", report.keys, report.fps[0], report.fps[1]);
//! # Ok(()) }
//! ```
//!
//! # Numbers
//!
//! Blender stores keys, matrices and lens as 32-bit floats: what comes back matches the
//! f64 input to about 1e-7 relative (the tests allow 1e-5). `render.fps_base` is a
//! 32-bit float too, so rates are stored as an exact pair ([`blender_fps`]).
//!
//! # Modules
//!
//! | module | what lives there |
//! |---|---|
//! | `runner` | [`Blender`]: discovery, one hardened headless run per script, JSON in and out |
//! | `spec` | [`SceneSpec`], [`PlatePlan`], [`CameraSetup`], [`ClipTrack`] (2D tracks on the clip), [`blender_fps`], [`blender_pixel_aspect`] |
//! | `build` | [`build_scene`]: the run, the temp file, the rename |
//! | `inspect` | [`inspect_blend`]: scene facts and the evaluated camera per frame |
//! | `error` | [`BlenderError`] |
//!
//! `build → runner, spec, error`; `inspect → runner, error`; `spec → error`;
//! `runner → error`.

mod build;
mod error;
mod inspect;
mod runner;
mod spec;

pub use build::{BuildOptions, BuildReport, ClipReport, build_scene};
pub use error::{BlenderError, Result};
pub use inspect::{
    BackgroundFacts, BlendFacts, CameraFacts, ClipFacts, InspectOptions, MAX_BLEND_BYTES,
    SceneFacts, check_blend_file, inspect_blend, track_from_matrices,
};
pub use runner::{Blender, DEFAULT_TIMEOUT, INSPECT_SCRIPT, SCENE_SCRIPT};
pub use spec::{
    BlenderFps, CameraKeys, CameraSetup, ClipTrack, MAX_TRACK_NAME_BYTES, PlateClip, PlatePlan,
    SPEC_FORMAT, SPEC_VERSION, SceneSettings, SceneSpec, blender_fps, blender_pixel_aspect,
};
