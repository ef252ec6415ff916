//! The `cinematic` command-line tool.
//!
//! Conventions (shared by every subcommand, see `ARCHITECTURE.md`):
//! - `--json` switches a command to machine output on stdout (a stable contract,
//!   snapshot-tested); without it, output is a short human summary.
//! - Errors go to stderr as one `error: …` line followed by `  caused by: …` lines,
//!   and the exit code is non-zero. A position in a file (`cam.chan:3:5: …`) is always
//!   on the `error:` line; each text is stated once (see `cli_error`).
//! - Files are written only through the shared atomic writer (`cinematic::fs`): a
//!   device, FIFO, socket or directory given as an output is refused, never replaced.
//! - Progress bars go to stderr only, and only when stderr is a terminal.
//! - `--state-root DIR` (env `CINEMATIC_STATE_ROOT`) chooses where sessions live.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli_error;
mod cmd_analyze;
mod cmd_blender;
mod cmd_chan;
mod cmd_probe;
mod cmd_session;
mod cmd_shot;
mod cmd_tracks;
mod output;

use cli_error::CliError;

/// Camera tracking / matchmove toolkit: .chan cameras, footage probing, sessions.
#[derive(Debug, Parser)]
#[command(name = "cinematic", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GlobalArgs {
    /// Directory holding tracking state (sessions/, solves/, footage/).
    #[arg(
        long,
        global = true,
        env = "CINEMATIC_STATE_ROOT",
        default_value = ".gsd-state/tracking",
        value_name = "DIR"
    )]
    pub(crate) state_root: std::path::PathBuf,
    /// Seconds a writer waits for another process's lock on the state root before it
    /// gives up (it names the holder after one second); 0 fails at once.
    #[arg(
        long,
        global = true,
        env = "CINEMATIC_LOCK_TIMEOUT",
        default_value_t = 30.0,
        value_name = "SECONDS",
        value_parser = parse_lock_timeout
    )]
    pub(crate) lock_timeout: f64,
}

impl GlobalArgs {
    /// The lock wait `--lock-timeout` asks for.
    pub(crate) fn lock_wait(&self) -> cinematic::session::LockWait {
        cinematic::session::LockWait::with_timeout(std::time::Duration::from_secs_f64(
            self.lock_timeout,
        ))
    }
}

/// `--lock-timeout`: a finite, non-negative number of seconds (at most a day).
fn parse_lock_timeout(text: &str) -> Result<f64, String> {
    parse_seconds(text, true)
}

/// A finite number of seconds, at most a day; above 0, or also 0 when `zero_allowed`.
/// Every time limit on the command line is read with it.
pub(crate) fn parse_seconds(text: &str, zero_allowed: bool) -> Result<f64, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    let low_ok = if zero_allowed {
        seconds >= 0.0
    } else {
        seconds > 0.0
    };
    if seconds.is_finite() && low_ok && seconds <= 86_400.0 {
        Ok(seconds)
    } else {
        Err(format!("{text:?} is not between 0 and 86400 seconds"))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print version information (also `--version`).
    Version(output::JsonFlag),
    /// Nuke .chan cameras: import into Blender's world, export for Nuke.
    Chan(cmd_chan::ChanArgs),
    /// Probe footage: frame rate, frame count, timecode, orientation, pixel format, …
    Probe(cmd_probe::ProbeArgs),
    /// Analyse footage: how trackable it is, with evidence and recommendations.
    Analyze(cmd_analyze::AnalyzeArgs),
    /// The main job: ingest a plate and its camera into a checked tracking session.
    Shot(cmd_shot::ShotArgs),
    /// Tracking sessions under the state root: list, show, delete, latest, import.
    Session(cmd_session::SessionArgs),
    /// Blender, headless: build the shot's scene, read cameras back out of .blend files.
    Blender(cmd_blender::BlenderArgs),
    /// 2D tracks: import, convert between 3DE, SynthEyes, PFTrack, boujou, Nuke, AE.
    Tracks(cmd_tracks::TracksArgs),
}

fn run(cli: &Cli) -> Result<(), CliError> {
    let _ = &cli.global;
    match &cli.command {
        Command::Probe(args) => cmd_probe::run(args, &cli.global),
        Command::Analyze(args) => cmd_analyze::run(args, &cli.global),
        Command::Chan(args) => cmd_chan::run(args, &cli.global),
        Command::Session(args) => cmd_session::run(args, &cli.global),
        Command::Shot(args) => cmd_shot::run(args, &cli.global),
        Command::Blender(args) => cmd_blender::run(args, &cli.global),
        Command::Tracks(args) => cmd_tracks::run(args, &cli.global),
        Command::Version(flag) => {
            if flag.json {
                output::print_json(&serde_json::json!({ "version": cinematic::VERSION }))
            } else {
                println!("cinematic {}", cinematic::VERSION);
                Ok(())
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report();
            ExitCode::FAILURE
        }
    }
}
