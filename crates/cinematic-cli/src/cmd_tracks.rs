//! `cinematic tracks import|convert|export`: 2D tracks between 3DEqualizer, SynthEyes,
//! PFTrack / PFMatchit, boujou, Nuke and After Effects, and out of a stored session.
//!
//! `import` prints a table (tracker, keys, frame range, gaps) or, with `--json`,
//! `{"format", "size", "frame_base", "tracks"}` with the frames exactly as written in
//! the file (plus `--frame-offset`). `convert` and `export` write atomically through
//! the shared writer; frames move into the target application's numbering (its frame
//! base), plus `--frame-offset`.

use std::path::{Path, PathBuf};

use cinematic::io::ReadMode;
use cinematic::io::tracks::{
    ImageSize, TrackFormat, TrackImport, TrackReadOptions, TrackWriteOptions, read_tracks,
    write_tracks_file,
};
use cinematic::types::TrackData;

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::output::JsonFlag;

/// `cinematic tracks …`
#[derive(Debug, clap::Args)]
pub(crate) struct TracksArgs {
    #[command(subcommand)]
    command: TracksCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TracksCommand {
    /// Read a 2D track file and print its tracks (table, or --json).
    Import(ImportArgs),
    /// Convert a 2D track file to another application's format.
    Convert(ConvertArgs),
    /// Write a stored session's tracks in an application's format.
    Export(ExportArgs),
}

/// How a track file is read (shared by `import` and `convert`).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TrackInputArgs {
    /// Image size the pixels refer to, WIDTHxHEIGHT (3DE v3 files state their own).
    #[arg(long, value_name = "WxH")]
    size: Option<String>,
    /// The file's format (default: detected from the content).
    #[arg(
        long = "format",
        alias = "from",
        value_name = "FORMAT",
        default_value = "auto"
    )]
    format: String,
    /// Skip bad lines with a warning instead of failing on the first.
    #[arg(long)]
    lenient: bool,
}

impl TrackInputArgs {
    fn options(&self, frame_offset: i64) -> Result<TrackReadOptions, CliError> {
        Ok(TrackReadOptions {
            format: TrackFormat::parse_or_auto(&self.format)?,
            size: self.size.as_deref().map(str::parse).transpose()?,
            frame_offset,
            mode: if self.lenient {
                ReadMode::Lenient
            } else {
                ReadMode::Strict
            },
        })
    }
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The track file.
    file: PathBuf,
    #[command(flatten)]
    input: TrackInputArgs,
    /// Added to every frame number as written.
    #[arg(
        long,
        default_value_t = 0,
        allow_negative_numbers = true,
        value_name = "N"
    )]
    frame_offset: i64,
    #[command(flatten)]
    json: JsonFlag,
}

#[derive(Debug, clap::Args)]
struct ConvertArgs {
    /// The track file to convert.
    input: PathBuf,
    #[command(flatten)]
    source: TrackInputArgs,
    #[command(flatten)]
    out: TrackOutputArgs,
    /// Frame rate for formats that store time (After Effects), e.g. 24 or 24000/1001.
    #[arg(long, value_name = "RATE", value_parser = crate::cmd_shot::parse_rate)]
    fps: Option<cinematic::footage::Rational>,
}

/// Where and how tracks are written (shared by `convert` and `export`).
#[derive(Debug, clap::Args)]
struct TrackOutputArgs {
    /// Target format.
    #[arg(long, value_name = "FORMAT")]
    to: String,
    /// Added to every frame after moving it into the target's numbering.
    #[arg(
        long,
        default_value_t = 0,
        allow_negative_numbers = true,
        value_name = "N"
    )]
    frame_offset: i64,
    /// Output file (written atomically).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    json: JsonFlag,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Session id (default: the latest session).
    #[arg(long, value_name = "ID")]
    session: Option<String>,
    /// Image size (default: the session's stored footage resolution).
    #[arg(long, value_name = "WxH")]
    size: Option<String>,
    #[command(flatten)]
    out: TrackOutputArgs,
    /// Frame rate for formats that store time (After Effects; default: the session's
    /// stored footage rate).
    #[arg(long, value_name = "RATE", value_parser = crate::cmd_shot::parse_rate)]
    fps: Option<cinematic::footage::Rational>,
}

pub(crate) fn run(args: &TracksArgs, global: &GlobalArgs) -> Result<(), CliError> {
    match &args.command {
        TracksCommand::Import(args) => run_import(args),
        TracksCommand::Convert(args) => run_convert(args),
        TracksCommand::Export(args) => run_export(args, global),
    }
}

fn read(path: &Path, options: &TrackReadOptions) -> Result<TrackImport, CliError> {
    // Every reader error names the file (and the line and column where there is one).
    let import = read_tracks(path, options)?;
    for warning in &import.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(import)
}

fn run_import(args: &ImportArgs) -> Result<(), CliError> {
    let import = read(&args.file, &args.input.options(args.frame_offset)?)?;
    if args.json.json {
        let tracks = import
            .tracks
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CliError::new("cannot write JSON").source(e))?;
        return crate::output::print_json(&serde_json::json!({
            "format": import.format.name(),
            "size": [import.size.width, import.size.height],
            "frame_base": import.frame_base,
            "tracks": tracks,
        }));
    }
    println!(
        "{}: {} ({}), {}, {} track(s), frames numbered from {}",
        args.file.display(),
        import.format.description(),
        import.format.name(),
        import.size,
        import.tracks.len(),
        import.frame_base
    );
    print!("{}", table(&import.tracks));
    Ok(())
}

/// The human table: tracker, keys, frame range, gaps.
pub(crate) fn table(tracks: &[TrackData]) -> String {
    let width = tracks
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("tracker".len());
    let mut out = format!(
        "{:<width$}  {:>6}  {:<13}  gaps\n",
        "tracker", "keys", "frames"
    );
    for track in tracks {
        let range = match (
            track.markers.keys().next(),
            track.markers.keys().next_back(),
        ) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => "-".to_owned(),
        };
        out.push_str(&format!(
            "{:<width$}  {:>6}  {:<13}  {}\n",
            track.name,
            track.markers.len(),
            range,
            gaps(track)
        ));
    }
    out
}

/// `none`, or how many frames are missing inside the range and the first few gaps.
fn gaps(track: &TrackData) -> String {
    let mut spans = Vec::new();
    let mut missing: i128 = 0;
    let mut previous: Option<i64> = None;
    for &frame in track.markers.keys() {
        if let Some(p) = previous
            && frame > p + 1
        {
            missing += i128::from(frame) - i128::from(p) - 1;
            spans.push(if frame == p + 2 {
                format!("{}", p + 1)
            } else {
                format!("{}-{}", p + 1, frame - 1)
            });
        }
        previous = Some(frame);
    }
    if spans.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<&str> = spans.iter().take(3).map(String::as_str).collect();
    let more = if spans.len() > 3 {
        format!(", … ({} gaps)", spans.len())
    } else {
        String::new()
    };
    format!("{missing} frame(s): {}{more}", shown.join(", "))
}

impl TrackOutputArgs {
    /// Writes `tracks` (read as `from`, or out of a session) atomically and reports it.
    fn write(
        &self,
        tracks: &[TrackData],
        from: TrackFormat,
        options: &TrackWriteOptions,
    ) -> Result<(), CliError> {
        let output = &self.output;
        write_tracks_file(tracks, output, options).map_err(|e| {
            CliError::new(format!(
                "cannot write {} {}; nothing was written",
                options.format.description(),
                output.display()
            ))
            .source(e)
        })?;
        let to = options.format;
        // The writer has checked this shift, so it does not overflow.
        let shift = to.frame_base() - options.first_frame + options.frame_offset;
        let keys: usize = tracks.iter().map(|t| t.markers.len()).sum();
        let empty = tracks.iter().filter(|t| t.markers.is_empty()).count();
        let written = if to.holds_empty_tracks() {
            tracks.len()
        } else {
            tracks.len() - empty
        };
        if self.json.json {
            return crate::output::print_json(&serde_json::json!({
                "output": output,
                "from": from.name(),
                "to": to.name(),
                "size": [options.size.width, options.size.height],
                "tracks": written,
                "keys": keys,
                "frame_shift": shift,
            }));
        }
        eprintln!(
            "wrote {written} track(s), {keys} key(s) as {} to {} (frames shifted by {shift:+})",
            to.description(),
            output.display()
        );
        if written < tracks.len() {
            eprintln!(
                "note: {empty} track(s) without keys left out: {} has no place for a track without keys",
                to.description()
            );
        }
        Ok(())
    }
}

fn run_convert(args: &ConvertArgs) -> Result<(), CliError> {
    let to = args.out.to.parse::<TrackFormat>()?;
    let import = read(&args.input, &args.source.options(0)?)?;
    let options = TrackWriteOptions {
        format: to,
        size: import.size,
        first_frame: import.frame_base,
        frame_offset: args.out.frame_offset,
        frame_rate: args.fps.map(cinematic::footage::Rational::to_f64),
    };
    args.out.write(&import.tracks, import.format, &options)
}

fn run_export(args: &ExportArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let to = args.out.to.parse::<TrackFormat>()?;
    let root = camino::Utf8PathBuf::from_path_buf(global.state_root.clone())
        .map_err(|p| CliError::new(format!("state root {} is not UTF-8", p.display())))?;
    let status = cinematic::shot::shot_status(&root, args.session.as_deref())?;
    let session = &status.session;
    let size = match (&args.size, &status.footage) {
        (Some(size), _) => size.parse::<ImageSize>()?,
        (None, Some(footage)) => ImageSize::new(footage.resolution[0], footage.resolution[1])?,
        (None, None) => {
            return Err(CliError::new(format!(
                "session {} has no stored footage metadata, so the image size is unknown; pass --size WIDTHxHEIGHT",
                session.session_id
            )));
        }
    };
    if session.tracks.is_empty() {
        return Err(CliError::new(format!(
            "session {} holds no tracks; nothing was written (add them with `cinematic shot ingest --tracks FILE`)",
            session.session_id
        )));
    }
    let options = TrackWriteOptions {
        format: to,
        size,
        first_frame: session.frame_start,
        frame_offset: args.out.frame_offset,
        frame_rate: args
            .fps
            .map(cinematic::footage::Rational::to_f64)
            .or_else(|| status.footage.as_ref().map(|f| f.frame_rate)),
    };
    // A session's tracks carry no file format: "from" names the target.
    args.out.write(&session.tracks, to, &options)
}
