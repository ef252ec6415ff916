//! `cinematic shot ingest|status`: the main job — a plate and a solved camera in, a
//! checked tracking session out (see `cinematic::shot`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cinematic::footage::Rational;
use cinematic::io::TrackingFormat;
use cinematic::shot::{
    IngestOptions, IngestReport, ShotFinding, ShotStatus, ingest_shot, shot_status,
};

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::cmd_chan::ChanInputArgs;
use crate::output::{JsonFlag, print_json};

/// `cinematic shot …`
#[derive(Debug, clap::Args)]
pub(crate) struct ShotArgs {
    #[command(subcommand)]
    command: ShotCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ShotCommand {
    /// Probe and analyse a plate, import its camera, check they fit, store the session.
    Ingest(Box<IngestArgs>),
    /// Show what is stored for a shot (default: the latest session).
    Status(StatusArgs),
}

#[derive(Debug, clap::Args)]
struct IngestArgs {
    /// The plate: a movie file or an image sequence (`plate.1001.exr`, `plate.%04d.exr`,
    /// `plate.####.exr`, or its directory).
    #[arg(long, value_name = "PATH")]
    plate: PathBuf,
    /// The solved camera: a Nuke .chan or the JSON camera format.
    #[arg(long, value_name = "FILE")]
    camera: PathBuf,
    #[command(flatten)]
    input: ShotInputArgs,
    /// Skip the content analysis (sharpness, motion, interlacing).
    #[arg(long)]
    no_analyze: bool,
    /// Re-point an existing session that holds another plate (footage path) or frame
    /// range; without it such an ingest fails and changes nothing. The current frame is
    /// kept when it is inside the new range, else reset to the first frame.
    #[arg(long)]
    force: bool,
    /// Build the shot's Blender scene as the last step (see `cinematic blender build`).
    #[arg(long, value_name = "OUT.blend")]
    blend: Option<PathBuf>,
    /// Replace an existing --blend file.
    #[arg(long, requires = "blend")]
    replace_blend: bool,
    #[command(flatten)]
    scene: crate::cmd_blender::SceneArgs,
    #[command(flatten)]
    tracks: TracksIngestArgs,
    #[command(flatten)]
    json: JsonFlag,
}

/// `--tracks FILE` and how it is read.
#[derive(Debug, clap::Args)]
pub(crate) struct TracksIngestArgs {
    /// A 2D track file (3DE, SynthEyes, PFTrack, PFMatchit, boujou) to store in the
    /// session's tracks, read against the plate's image size; its first clip frame
    /// becomes the plate's first frame. Tracks replace session tracks of the same name.
    #[arg(long, value_name = "FILE")]
    tracks: Option<PathBuf>,
    /// The track file's format (default: detected from the content).
    #[arg(
        long,
        value_name = "FORMAT",
        requires = "tracks",
        default_value = "auto"
    )]
    tracks_format: String,
    /// Which camera's tracks to take from a stereo file (`Primary`, `Secondary`).
    #[arg(long, value_name = "NAME", requires = "tracks")]
    tracks_camera: Option<String>,
    /// Added to the session frames the track file's frames map to.
    #[arg(
        long,
        value_name = "N",
        requires = "tracks",
        allow_negative_numbers = true,
        default_value_t = 0
    )]
    tracks_frame_offset: i64,
    /// Skip bad lines of the track file (reported as a finding) instead of failing.
    #[arg(long, requires = "tracks")]
    tracks_lenient: bool,
}

impl TracksIngestArgs {
    /// The ingest's track input, when `--tracks` is given.
    pub(crate) fn input(&self) -> Result<Option<cinematic::shot::TracksInput>, CliError> {
        let Some(path) = &self.tracks else {
            return Ok(None);
        };
        let mut input = cinematic::shot::TracksInput::new(path);
        input.format = cinematic::io::tracks::TrackFormat::parse_or_auto(&self.tracks_format)?;
        input.camera.clone_from(&self.tracks_camera);
        input.frame_offset = self.tracks_frame_offset;
        input.lenient = self.tracks_lenient;
        Ok(Some(input))
    }
}

/// How a plate and its camera are read: shared by `shot ingest` and `blender build`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShotInputArgs {
    /// Session id, also the scene and camera name (default: from the plate's file name).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    #[command(flatten)]
    chan: ChanInputArgs,
    /// Focal length in mm for a camera file without a FOV column.
    #[arg(long, value_name = "MM")]
    focal_length: Option<f64>,
    /// Frame number of a movie plate's first frame (default 1001; sequences carry their own).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    plate_start: Option<i64>,
    /// Frame rate of an image sequence whose headers carry none (e.g. 24, 24000/1001).
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    fps: Option<Rational>,
}

impl ShotInputArgs {
    /// Ingest options for `plate` and `camera` read as these arguments say (the rest
    /// at their defaults).
    pub(crate) fn options(&self, plate: &Path, camera: &Path) -> Result<IngestOptions, CliError> {
        let mut options = IngestOptions::new(plate, camera);
        options.id.clone_from(&self.id);
        options.camera_format = TrackingFormat::Auto;
        options.chan = self.chan.options(true)?;
        options.focal_length_mm = self.focal_length;
        options.plate_start = self.plate_start;
        options.sequence_frame_rate = self.fps;
        Ok(options)
    }
}

#[derive(Debug, clap::Args)]
struct StatusArgs {
    /// Session id (default: the latest saved session).
    id: Option<String>,
    #[command(flatten)]
    json: JsonFlag,
}

/// Runs `cinematic shot …`.
pub(crate) fn run(args: &ShotArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let state_root = camino::Utf8PathBuf::from_path_buf(global.state_root.clone())
        .map_err(|p| CliError::new(format!("the state root {} is not valid UTF-8", p.display())))?;
    match &args.command {
        ShotCommand::Ingest(ingest) => {
            let mut options = ingest.input.options(&ingest.plate, &ingest.camera)?;
            options.analyze = !ingest.no_analyze;
            options.state_root = state_root;
            options.lock_wait = global.lock_wait();
            options.force = ingest.force;
            options.tracks = ingest.tracks.input()?;
            options.blend = ingest
                .blend
                .as_ref()
                .map(|path| ingest.scene.output(path.clone(), ingest.replace_blend));
            let report = ingest_shot(&options)?;
            if let Some(blend) = &report.blend {
                for warning in &blend.warnings {
                    eprintln!("warning: {warning}");
                }
            }
            if let Some(change) = &report.plate_change {
                eprintln!(
                    "warning: session {} re-pointed (--force): {change}; {}",
                    report.session_id,
                    change.current_frame_note()
                );
            }
            if ingest.json.json {
                print_json(&report)
            } else {
                print_text(&render_ingest(&report))
            }
        }
        ShotCommand::Status(status) => {
            let stored = shot_status(&state_root, status.id.as_deref())?;
            if status.json.json {
                print_json(&stored)
            } else {
                print_text(&render_status(&stored))
            }
        }
    }
}

pub(crate) fn parse_rate(text: &str) -> Result<Rational, String> {
    Rational::parse(text)
        .filter(|r| r.is_positive())
        .ok_or_else(|| format!("{text:?} is not a positive frame rate (e.g. 24 or 24000/1001)"))
}

fn print_text(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| CliError::new("cannot write to stdout").source(e))
}

/// The human ingest report.
fn render_ingest(report: &IngestReport) -> String {
    let mut out = String::new();
    let plate = &report.plate;
    let camera = &report.camera;
    let _ = writeln!(out, "shot {}", report.session_id);
    let _ = writeln!(
        out,
        "  plate   {}\n          {} {}x{} @ {} fps ({}), {} frames, {}-{} (numbered by {}){}",
        plate.path,
        plate.codec,
        plate.resolution[0],
        plate.resolution[1],
        plate.frame_rate,
        fps_text(plate.fps),
        plate.frame_count,
        plate.first_frame,
        plate.last_frame,
        plate.numbering,
        plate
            .timecode
            .as_ref()
            .map(|tc| format!(", timecode {tc}"))
            .unwrap_or_default(),
    );
    let range = camera
        .frame_range
        .map_or_else(|| "-".to_owned(), |[a, b]| format!("{a}-{b}"));
    let _ = writeln!(
        out,
        "  camera  {} ({}), {} frames, {range}, lens {:.3}-{:.3} mm on a {} x {} mm film back",
        camera.path,
        camera.format,
        camera.frames,
        camera.focal_range_mm[0],
        camera.focal_range_mm[1],
        camera.film_back_mm[0],
        camera.film_back_mm[1],
    );
    if let Some(change) = &report.plate_change {
        let _ = writeln!(
            out,
            "  re-pointed (--force): {change}\n          {}",
            change.current_frame_note()
        );
    }
    if let Some(tracks) = &report.tracks {
        let _ = writeln!(
            out,
            "  tracks  {} ({}), {} track(s), {} key(s), frames shifted by {:+}; {} added, {} replaced, {} kept",
            tracks.path,
            tracks.format,
            tracks.tracks,
            tracks.keys,
            tracks.frame_shift,
            tracks.added,
            tracks.replaced,
            tracks.kept,
        );
    }
    render_findings(&mut out, "camera vs plate", &report.findings);
    if let Some(analysis) = &report.analysis {
        let _ = writeln!(
            out,
            "  footage analysis: {} (score {}/100), motion blur {}",
            label(&analysis.rating),
            analysis.score,
            label(&analysis.metadata.motion_blur_level)
        );
        for f in &analysis.findings {
            let _ = writeln!(
                out,
                "    {:<8} {:<22} {}",
                f.severity.to_string(),
                f.code.to_string(),
                f.message
            );
            let _ = writeln!(out, "    {:<8} {:<22} -> {}", "", "", f.recommendation);
        }
    }
    if let Some(blend) = &report.blend {
        let _ = writeln!(
            out,
            "  blender {}",
            crate::cmd_blender::build_summary(blend)
        );
    }
    let stored = &report.stored;
    let _ = writeln!(
        out,
        "  stored  {} (revision {}){}\n          {}\n          {}",
        stored.session,
        stored
            .session_revision
            .map_or_else(|| "-".to_owned(), |r| r.to_string()),
        if stored.changed {
            ""
        } else {
            " - unchanged, inputs identical"
        },
        stored.solve,
        stored.footage,
    );
    out
}

fn render_findings(out: &mut String, title: &str, findings: &[ShotFinding]) {
    if findings.is_empty() {
        let _ = writeln!(out, "  {title}: consistent, no findings");
        return;
    }
    let _ = writeln!(out, "  {title}: {} finding(s)", findings.len());
    for f in findings {
        let _ = writeln!(
            out,
            "    {:<8} {:<22} {}",
            label(&f.severity),
            f.code,
            f.message
        );
        let _ = writeln!(out, "    {:<8} {:<22} -> {}", "", "", f.recommendation);
    }
}

/// The name a value has in the JSON output (`in_progress`, `low`, `warning`…), so human
/// and machine output use the same words.
fn label<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}

fn fps_text(fps: f64) -> String {
    let text = format!("{fps:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The human status report.
fn render_status(status: &ShotStatus) -> String {
    let mut out = String::new();
    let s = &status.session;
    let _ = writeln!(
        out,
        "shot {} ({}), frames {}-{}, current {}, {} track(s), revision {}",
        s.session_id,
        label(&s.status),
        s.frame_start,
        s.frame_end,
        s.current_frame,
        s.tracks.len(),
        s.revision.map_or_else(|| "-".to_owned(), |r| r.to_string()),
    );
    let _ = writeln!(out, "  plate   {}", s.footage_path);
    if let Some(f) = &status.footage {
        let _ = writeln!(
            out,
            "          {} {}x{} @ {} fps, {} frames, {}-bit, motion blur {}",
            f.codec,
            f.resolution[0],
            f.resolution[1],
            fps_text(f.frame_rate),
            f.duration_frames,
            f.bit_depth,
            label(&f.motion_blur_level)
        );
    }
    match &status.solve {
        Some(solve) => {
            let _ = writeln!(
                out,
                "  solve   {}: {} frames, {}-{}, lens {:.3}-{:.3} mm",
                solve.name,
                solve.frames,
                solve.frame_range[0],
                solve.frame_range[1],
                solve.focal_range_mm[0],
                solve.focal_range_mm[1]
            );
        }
        None => {
            let _ = writeln!(out, "  solve   none stored");
        }
    }
    render_findings(&mut out, "camera vs plate", &status.findings);
    out
}
