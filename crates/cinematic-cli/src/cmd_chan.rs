//! `cinematic chan import|export`: Nuke `.chan` cameras in and out of Blender's world.
//!
//! `import` prints a one-line summary, or with `--json` one object per frame with the
//! keys Blender's oracle prints (`frame`, `location`, `rotation_euler_xyz_deg`,
//! `matrix_world`, `lens`). `export` writes a Nuke-ready `.chan` (Y-up, chosen order,
//! Euler continuity) from a `.chan` or JSON camera, atomically to a file (through the
//! shared writer of `cinematic::fs`: a device, FIFO, socket or directory is refused,
//! never replaced) or to stdout (`-o -`, `--stdout`, or no `-o`).
//!
//! Every number printed comes from the library's checked conversion (a non-finite
//! position, rotation or focal length is an error naming file, line and field there);
//! the JSON printer checks again, so `null` never stands in for a number.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use cinematic::io::json_camera::{JsonCameraOptions, read_json_camera_file};
use cinematic::io::{
    CameraFrame, CameraTrack, ChanOptions, ChanWriteOptions, FilmBack, ReadMode, RotationOrder,
    TrackingFormat, UpAxis, read_chan, write_chan, write_chan_file,
};
use serde::Serialize;

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::output::JsonFlag;

/// `cinematic chan …`
#[derive(Debug, clap::Args)]
pub(crate) struct ChanArgs {
    #[command(subcommand)]
    command: ChanCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ChanCommand {
    /// Import a Nuke .chan as a Blender camera (Z-up, Euler XYZ) and print it.
    Import(ImportArgs),
    /// Write a Nuke .chan (Y-up, chosen rotation order) from a .chan or JSON camera.
    Export(ExportArgs),
}

/// Rotation order flag values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub(crate) enum OrderArg {
    Zxy,
    Xyz,
    Xzy,
    Yxz,
    Yzx,
    Zyx,
}

impl From<OrderArg> for RotationOrder {
    fn from(order: OrderArg) -> Self {
        match order {
            OrderArg::Zxy => RotationOrder::Zxy,
            OrderArg::Xyz => RotationOrder::Xyz,
            OrderArg::Xzy => RotationOrder::Xzy,
            OrderArg::Yxz => RotationOrder::Yxz,
            OrderArg::Yzx => RotationOrder::Yzx,
            OrderArg::Zyx => RotationOrder::Zyx,
        }
    }
}

/// Up axis flag values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum UpArg {
    Y,
    Z,
}

impl From<UpArg> for UpAxis {
    fn from(up: UpArg) -> Self {
        match up {
            UpArg::Y => UpAxis::Y,
            UpArg::Z => UpAxis::Z,
        }
    }
}

/// Input format flag values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Auto,
    NukeChan,
    Json,
}

/// How the input .chan is read (shared by import and export).
#[derive(Debug, clap::Args)]
pub(crate) struct ChanInputArgs {
    /// Rotation order of the file's angles (not recorded in .chan files).
    #[arg(long, value_enum, default_value = "ZXY", value_name = "ORDER")]
    rotation_order: OrderArg,
    /// Film back width in mm (default: Nuke's 24.576).
    #[arg(long, value_name = "MM", default_value_t = FilmBack::NUKE_DEFAULT.width_mm)]
    sensor_width: f64,
    /// Film back height in mm; turns the vfov column into a focal length (default: Nuke's 18.672).
    #[arg(long, value_name = "MM", default_value_t = FilmBack::NUKE_DEFAULT.height_mm)]
    sensor_height: f64,
    /// Added to every frame number.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    frame_offset: i64,
    /// Multiplies every translation.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    scale: f64,
    /// Skip invalid lines (reported on stderr) instead of failing.
    #[arg(long)]
    lenient: bool,
}

impl ChanInputArgs {
    pub(crate) fn options(&self, z_up: bool) -> Result<ChanOptions, CliError> {
        Ok(ChanOptions {
            rotation_order: self.rotation_order.into(),
            z_up,
            film_back: FilmBack::new(self.sensor_width, self.sensor_height)?,
            frame_offset: self.frame_offset,
            scale: self.scale,
            mode: if self.lenient {
                ReadMode::Lenient
            } else {
                ReadMode::Strict
            },
            ..ChanOptions::default()
        })
    }
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The .chan file.
    file: PathBuf,
    #[command(flatten)]
    input: ChanInputArgs,
    /// Keep Nuke's Y-up world (Blender's "Make Z up" off).
    #[arg(long)]
    no_z_up: bool,
    #[command(flatten)]
    json: JsonFlag,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// The input camera: a .chan or a JSON camera file.
    input: PathBuf,
    /// Write the .chan to FILE atomically (temp file, fsync, rename) instead of
    /// stdout; `-` means stdout. A device, FIFO, socket or directory is refused and left
    /// alone. A symbolic link is replaced by the new file: the link goes, the file it
    /// pointed to stays as it was (a link to anything but a regular file is refused).
    #[arg(short, long, value_name = "FILE", allow_hyphen_values = true)]
    output: Option<PathBuf>,
    /// Write the .chan to stdout (the default without --output; same as `-o -`).
    #[arg(long, conflicts_with = "output")]
    stdout: bool,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    from: FormatArg,
    #[command(flatten)]
    source: ChanInputArgs,
    /// World of a JSON camera input.
    #[arg(long, value_enum, default_value = "z", value_name = "AXIS")]
    json_up_axis: UpArg,
    /// Rotation order to write.
    #[arg(long, value_enum, default_value = "ZXY", value_name = "ORDER")]
    to_rotation_order: OrderArg,
    /// World to write (Nuke: y).
    #[arg(long, value_enum, default_value = "y", value_name = "AXIS")]
    to_up_axis: UpArg,
    /// Vertical aperture in mm for the vfov column (default: the input's sensor height).
    #[arg(long, value_name = "MM")]
    vertical_aperture: Option<f64>,
    /// Print a JSON summary on stdout (needs --output FILE).
    #[command(flatten)]
    json: JsonFlag,
}

impl ExportArgs {
    /// The file to write, or `None` for stdout.
    fn output_file(&self) -> Option<&Path> {
        match &self.output {
            _ if self.stdout => None,
            Some(path) if path.as_os_str() != "-" => Some(path),
            _ => None,
        }
    }
}

/// Runs `cinematic chan …`.
pub(crate) fn run(args: &ChanArgs, _global: &GlobalArgs) -> Result<(), CliError> {
    match &args.command {
        ChanCommand::Import(import) => run_import(import),
        ChanCommand::Export(export) => run_export(export),
    }
}

/// One frame as `cinematic chan import --json` prints it (the oracle's keys).
#[derive(Debug, Serialize)]
pub(crate) struct FrameJson {
    frame: i64,
    location: [f64; 3],
    rotation_euler_xyz_deg: [f64; 3],
    matrix_world: [[f64; 4]; 4],
    lens: Option<f64>,
}

impl From<&CameraFrame> for FrameJson {
    fn from(f: &CameraFrame) -> Self {
        Self {
            frame: f.frame,
            location: f.location,
            rotation_euler_xyz_deg: f.rotation_euler_xyz_deg,
            matrix_world: f.matrix_world_rows(),
            lens: f.lens_mm,
        }
    }
}

fn run_import(args: &ImportArgs) -> Result<(), CliError> {
    let options = args.input.options(!args.no_z_up)?;
    let import = read_chan(&args.file, options)?;
    for warning in &import.warnings {
        eprintln!("warning: {warning}");
    }
    let printed = if args.json.json {
        print_frames_json(&args.file, &import.track.frames)
    } else {
        println!("{}", summary(&args.file, &import.track, &options));
        Ok(())
    };
    // The process ends right after this; handing a big track's pages back one by one
    // would only delay the exit (about 10 ms per million frames).
    std::mem::forget(import);
    printed
}

impl FrameJson {
    /// The first number that is not finite (serde_json would print it as `null`).
    fn non_finite_field(&self) -> Option<&'static str> {
        if self.location.iter().any(|v| !v.is_finite()) {
            Some("location")
        } else if self.rotation_euler_xyz_deg.iter().any(|v| !v.is_finite()) {
            Some("rotation_euler_xyz_deg")
        } else if self.matrix_world.iter().flatten().any(|v| !v.is_finite()) {
            Some("matrix_world")
        } else if self.lens.is_some_and(|v| !v.is_finite()) {
            Some("lens")
        } else {
            None
        }
    }
}

/// `[` + one compact object per line + `]`, streamed (a million frames need no
/// document in memory). Every frame is checked before anything is printed.
pub(crate) fn print_frames_json(path: &Path, frames: &[CameraFrame]) -> Result<(), CliError> {
    for frame in frames {
        if let Some(field) = FrameJson::from(frame).non_finite_field() {
            return Err(CliError::new(format!(
                "{}: frame {}: {field} is not finite; nothing printed",
                path.display(),
                frame.frame
            )));
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let fail = |e: std::io::Error| CliError::new("cannot write to stdout").source(e);
    out.write_all(b"[").map_err(fail)?;
    for (index, frame) in frames.iter().enumerate() {
        out.write_all(if index == 0 { b"\n  " } else { b",\n  " })
            .map_err(fail)?;
        serde_json::to_writer(&mut out, &FrameJson::from(frame))
            .map_err(|e| CliError::new("cannot write JSON").source(e))?;
    }
    out.write_all(b"\n]\n")
        .and_then(|()| out.flush())
        .map_err(fail)
}

fn summary(path: &std::path::Path, track: &CameraTrack, options: &ChanOptions) -> String {
    let frames = track.frames.len();
    let range = track
        .frame_range()
        .map_or_else(String::new, |(first, last)| format!("{first}-{last}"));
    let focal = match track.lens_range() {
        Some((lo, hi)) if lo == hi => format!("focal {lo:.3} mm"),
        Some((lo, hi)) => format!("focal {lo:.3}-{hi:.3} mm"),
        None => "no focal length (no vfov column)".to_owned(),
    };
    let world = if options.z_up { "Z-up" } else { "Y-up" };
    format!(
        "{}: {frames} frames, {range}, {focal} ({}, {world}, film back {} x {} mm)",
        path.display(),
        options.rotation_order,
        options.film_back.width_mm,
        options.film_back.height_mm
    )
}

fn run_export(args: &ExportArgs) -> Result<(), CliError> {
    let output = args.output_file();
    if args.json.json && output.is_none() {
        return Err(CliError::new(
            "--json prints a summary on stdout, so the .chan needs --output FILE (not stdout)",
        ));
    }
    let format = match args.from {
        FormatArg::Auto => cinematic::io::import::detect_format(&args.input)?,
        FormatArg::NukeChan => TrackingFormat::NukeChan,
        FormatArg::Json => TrackingFormat::Json,
    };
    let track = match format {
        TrackingFormat::Json => {
            let options = JsonCameraOptions {
                up_axis: args.json_up_axis.into(),
                film_back: FilmBack::new(args.source.sensor_width, args.source.sensor_height)?,
            };
            read_json_camera_file(&args.input, &options)?
        }
        _ => {
            let import = read_chan(&args.input, args.source.options(true)?)?;
            for warning in &import.warnings {
                eprintln!("warning: {warning}");
            }
            import.track
        }
    };
    let options = ChanWriteOptions {
        rotation_order: args.to_rotation_order.into(),
        up_axis: args.to_up_axis.into(),
        vertical_aperture_mm: args.vertical_aperture,
        scale: 1.0,
    };
    // The writer's checks see only the track: name the file its numbers came from.
    let from_input = |err: cinematic::io::Error| err.with_input_path(&args.input);
    let Some(path) = output else {
        let stdout = std::io::stdout();
        return write_chan(&track, stdout.lock(), &options).map_err(|err| match err {
            cinematic::io::Error::Io { source, .. } => {
                CliError::new("cannot write the .chan to stdout").source(source)
            }
            other => from_input(other).into(),
        });
    };
    let was_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    write_chan_file(&track, path, &options).map_err(|err| match err {
        cinematic::io::Error::File(fs @ cinematic::fs::FsError::NotRegularFile { .. }) => {
            CliError::new(format!(
                "{fs}; nothing was written (to stream the .chan, use -o - or --stdout)"
            ))
        }
        other => from_input(other).into(),
    })?;
    if args.json.json {
        let (first, last) = track.frame_range().unwrap_or((0, 0));
        crate::output::print_json(&serde_json::json!({
            "output": path,
            "frames": track.frames.len(),
            "frame_range": [first, last],
            "rotation_order": options.rotation_order.as_str(),
            "up_axis": match options.up_axis { UpAxis::Y => "y", UpAxis::Z => "z" },
        }))?;
    } else if was_link {
        eprintln!(
            "wrote {} frames to {} (it was a symbolic link: the link was replaced, the file it pointed to is unchanged)",
            track.frames.len(),
            path.display()
        );
    } else {
        eprintln!("wrote {} frames to {}", track.frames.len(), path.display());
    }
    Ok(())
}
