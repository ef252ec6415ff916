//! `cinematic blender build|camera`: the shot's scene built by the real Blender, and
//! cameras read back out of `.blend` files (see `cinematic::blender`).

use std::path::PathBuf;
use std::time::Duration;

use cinematic::blender::{Blender, BuildReport, InspectOptions, inspect_blend};
use cinematic::io::{ChanWriteOptions, SensorFit, UpAxis, write_chan, write_chan_file};
use cinematic::shot::{BlendOutput, scene_for_inputs, scene_for_session};

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::cmd_chan::{OrderArg, print_frames_json};
use crate::output::{JsonFlag, print_json};

/// `cinematic blender …`
#[derive(Debug, clap::Args)]
pub(crate) struct BlenderArgs {
    #[command(subcommand)]
    command: BlenderCommand,
}

#[derive(Debug, clap::Subcommand)]
enum BlenderCommand {
    /// Build the shot's scene (camera, frame rate, frame range, plate) as a .blend.
    Build(BuildArgs),
    /// Read a camera's evaluated animation out of a .blend, as a Nuke .chan or JSON.
    Camera(CameraArgs),
}

/// `--sensor-fit` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum FitArg {
    Auto,
    Horizontal,
    Vertical,
}

impl From<FitArg> for SensorFit {
    fn from(fit: FitArg) -> Self {
        match fit {
            FitArg::Auto => SensorFit::Auto,
            FitArg::Horizontal => SensorFit::Horizontal,
            FitArg::Vertical => SensorFit::Vertical,
        }
    }
}

/// Which Blender runs, and for how long at most (shared by every Blender command).
#[derive(Debug, clap::Args)]
pub(crate) struct BlenderRunArgs {
    /// The Blender executable (default: CINEMATIC_BLENDER, then `blender` on PATH).
    #[arg(long, value_name = "PATH")]
    blender: Option<PathBuf>,
    /// Seconds Blender may run before it is killed.
    #[arg(long, value_name = "SECONDS", default_value_t = 600.0, value_parser = parse_timeout)]
    blender_timeout: f64,
}

impl BlenderRunArgs {
    fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.blender_timeout)
    }
}

/// How Blender is run and the scene written (shared with `shot ingest --blend`).
#[derive(Debug, clap::Args)]
pub(crate) struct SceneArgs {
    /// The camera's sensor fit (Nuke and Blender's .chan importer fit horizontally).
    #[arg(long, value_enum, default_value = "horizontal", value_name = "FIT")]
    sensor_fit: FitArg,
    /// Store media paths relative to the .blend (default: absolute).
    #[arg(long)]
    relative_paths: bool,
    #[command(flatten)]
    run: BlenderRunArgs,
}

impl SceneArgs {
    pub(crate) fn output(&self, path: PathBuf, force: bool) -> BlendOutput {
        let mut output = BlendOutput::new(path);
        output.force = force;
        output.relative_paths = self.relative_paths;
        output.sensor_fit = self.sensor_fit.into();
        output.blender.clone_from(&self.run.blender);
        output.timeout = self.run.timeout();
        output
    }
}

/// `--blender-timeout`: seconds above 0, at most a day.
fn parse_timeout(text: &str) -> Result<f64, String> {
    crate::parse_seconds(text, false)
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["session", "plate"]))]
struct BuildArgs {
    /// Build a stored shot: its plate, frame range and solve.
    #[arg(long, value_name = "ID", conflicts_with_all = ["plate", "camera", "id"])]
    session: Option<String>,
    /// The plate (movie or image sequence), with --camera: build without storing.
    #[arg(long, value_name = "PATH", requires = "camera")]
    plate: Option<PathBuf>,
    /// The solved camera (.chan or JSON camera), with --plate.
    #[arg(long, value_name = "FILE", requires = "plate")]
    camera: Option<PathBuf>,
    #[command(flatten)]
    input: crate::cmd_shot::ShotInputArgs,
    /// The .blend to write (atomically: nothing is left behind if Blender fails).
    #[arg(short, long, value_name = "OUT.blend")]
    output: PathBuf,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    scene: SceneArgs,
    #[command(flatten)]
    json: JsonFlag,
}

#[derive(Debug, clap::Args)]
struct CameraArgs {
    /// The .blend file.
    file: PathBuf,
    /// The camera object (default: the scene camera, else the only camera).
    #[arg(long, value_name = "NAME")]
    object: Option<String>,
    /// Rotation order of the written .chan.
    #[arg(long, value_enum, default_value = "ZXY", value_name = "ORDER")]
    rotation_order: OrderArg,
    /// Frames to read, e.g. 1001-1096 (default: the scene's frame range).
    #[arg(long, value_name = "A-B", value_parser = parse_range, allow_hyphen_values = true)]
    frame_range: Option<[i64; 2]>,
    /// Write the .chan to FILE atomically (default: stdout).
    #[arg(short, long, value_name = "OUT.chan", conflicts_with = "json")]
    output: Option<PathBuf>,
    #[command(flatten)]
    run: BlenderRunArgs,
    /// Print the frames as `chan import --json` does.
    #[command(flatten)]
    json: JsonFlag,
}

/// `1001-1096`, `-5-10`, `-10--5`: first and last frame, inclusive, first ≤ last.
fn parse_range(text: &str) -> Result<[i64; 2], String> {
    let bad = || format!("{text:?} is not a frame range like 1001-1096");
    let split = text
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '-')
        .map(|(i, _)| i)
        .ok_or_else(bad)?;
    let first: i64 = text[..split].trim().parse().map_err(|_| bad())?;
    let last: i64 = text[split + 1..].trim().parse().map_err(|_| bad())?;
    if first > last {
        return Err(format!("{text:?}: the first frame is after the last"));
    }
    Ok([first, last])
}

/// Runs `cinematic blender …`.
pub(crate) fn run(args: &BlenderArgs, global: &GlobalArgs) -> Result<(), CliError> {
    match &args.command {
        BlenderCommand::Build(build) => run_build(build, global),
        BlenderCommand::Camera(camera) => run_camera(camera),
    }
}

fn run_build(args: &BuildArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let fit = args.scene.sensor_fit.into();
    let spec = match (&args.session, &args.plate, &args.camera) {
        (Some(id), _, _) => {
            let root =
                camino::Utf8PathBuf::from_path_buf(global.state_root.clone()).map_err(|p| {
                    CliError::new(format!("the state root {} is not valid UTF-8", p.display()))
                })?;
            scene_for_session(&root, Some(id), fit)?
        }
        (None, Some(plate), Some(camera)) => {
            scene_for_inputs(&args.input.options(plate, camera)?, fit)?
        }
        _ => {
            return Err(CliError::new(
                "pass --session ID, or --plate PATH with --camera FILE",
            ));
        }
    };
    let report = args
        .scene
        .output(args.output.clone(), args.force)
        .build(&spec)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if args.json.json {
        print_json(&report)
    } else {
        println!("{}", build_summary(&report));
        Ok(())
    }
}

pub(crate) fn build_summary(report: &BuildReport) -> String {
    format!(
        "wrote {}: camera {} keyed on {} frames ({} keys), scene {}-{} at {}/{} fps ({} / {}), {}x{}{}{}, Blender {} in {:.2} s",
        report.path.display(),
        report.camera,
        report.camera_frames,
        report.keys,
        report.frames[0],
        report.frames[1],
        report.fps[0],
        report.fps[1],
        report.blender_fps,
        report.blender_fps_base,
        report.resolution[0],
        report.resolution[1],
        report
            .clip
            .as_ref()
            .map(|c| format!(", plate clip {} from frame {}", c.name, c.frame_start))
            .unwrap_or_default(),
        if report.tracks > 0 {
            format!(", {} tracks ({} markers)", report.tracks, report.markers)
        } else {
            String::new()
        },
        report.blender_version,
        report.seconds
    )
}

fn run_camera(args: &CameraArgs) -> Result<(), CliError> {
    let blender = Blender::find(args.run.blender.as_deref())?.with_timeout(args.run.timeout());
    let facts = inspect_blend(
        &blender,
        &args.file,
        &InspectOptions {
            object: args.object.clone(),
            frame_range: args.frame_range,
        },
    )?;
    let track = facts.camera.to_track(&args.file)?;
    if args.json.json {
        return print_frames_json(&args.file, &track.frames);
    }
    let options = ChanWriteOptions {
        rotation_order: args.rotation_order.into(),
        up_axis: UpAxis::Y,
        // vfov from the vertical aperture, as Blender's own .chan exporter writes it.
        vertical_aperture_mm: Some(facts.camera.sensor_height),
        scale: 1.0,
    };
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            write_chan_file(&track, path, &options)?;
            eprintln!(
                "wrote {} frames of camera {} to {}",
                track.frames.len(),
                facts.camera.object,
                path.display()
            );
            Ok(())
        }
        _ => {
            let stdout = std::io::stdout();
            write_chan(&track, stdout.lock(), &options)?;
            Ok(())
        }
    }
}
