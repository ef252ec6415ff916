//! `cinematic session ls|show ID|rm ID|latest|import FILE [--force]`: the tracking
//! sessions stored under the state root (`--state-root`, default `.gsd-state/tracking`).
//!
//! JSON shapes (a public contract, snapshot-tested):
//! - `ls --json`: `{"state_root", "sessions": [SessionSummary…], "problems": [{"path",
//!   "problem", …}]}` — files that do not load are listed under `problems`, they do not
//!   fail the listing.
//! - `show ID --json` and `latest --json`: the session itself, as stored (`latest`
//!   prints `null` when the store holds no session).
//! - `rm ID --json`: `{"deleted", "path"}`.
//! - `import FILE --json`: `{"imported", "path", "revision", "save_counter", "saved_at",
//!   "replaced"}`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cinematic::TrackingSession;
use cinematic::session::{
    Error, ProblemFile, SessionId, SessionListing, StoreOptions, TrackingSessionManager,
};

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::output::{self, JsonFlag};

/// Arguments of `cinematic session`.
#[derive(Debug, clap::Args)]
pub(crate) struct SessionArgs {
    #[command(subcommand)]
    command: SessionCommand,
}

#[derive(Debug, clap::Subcommand)]
enum SessionCommand {
    /// List stored sessions, and files that are not loadable sessions.
    Ls(JsonFlag),
    /// Show one session.
    Show {
        /// Session id.
        #[arg(value_name = "ID")]
        id: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Delete one session.
    Rm {
        /// Session id.
        #[arg(value_name = "ID")]
        id: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Show the session saved most recently (by save counter, not file time).
    Latest(JsonFlag),
    /// Validate a session YAML file and store it atomically under its session_id.
    Import {
        /// The session YAML file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Replace a stored session with the same id.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        output: JsonFlag,
    },
}

/// Run `cinematic session …`.
pub(crate) fn run(args: &SessionArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let root = utf8(&global.state_root, "--state-root")?;
    let options = StoreOptions {
        lock_wait: global.lock_wait(),
        ..StoreOptions::default()
    };
    let manager = TrackingSessionManager::open_with(root.clone(), options)
        .map_err(|e| CliError::new(format!("cannot open the session store {root}")).source(e))?;
    match &args.command {
        SessionCommand::Ls(flag) => ls(&manager, flag.json),
        SessionCommand::Show { id, output } => {
            let session = manager
                .load(id)
                .map_err(|e| CliError::new(format!("cannot load session {id:?}")).source(e))?;
            print_session(&session, output.json)
        }
        SessionCommand::Rm { id, output } => rm(&manager, id, output.json),
        SessionCommand::Latest(flag) => latest(&manager, flag.json),
        SessionCommand::Import {
            file,
            force,
            output,
        } => import(&manager, file, *force, output.json),
    }
}

fn utf8(path: &Path, what: &str) -> Result<String, CliError> {
    path.to_str().map(str::to_owned).ok_or_else(|| {
        CliError::new(format!(
            "{what} {} is not valid UTF-8; session paths are stored as text",
            path.display()
        ))
    })
}

fn ls(manager: &TrackingSessionManager, json: bool) -> Result<(), CliError> {
    let listing = manager.list_sessions().map_err(|e| {
        CliError::new(format!(
            "cannot list sessions in {}",
            manager.sessions_dir()
        ))
        .source(e)
    })?;
    if json {
        output::print_json(&serde_json::json!({
            "state_root": manager.state_root(),
            "sessions": listing.sessions,
            "problems": listing.problems,
        }))
    } else {
        print!("{}", human_listing(manager, &listing));
        Ok(())
    }
}

fn human_listing(manager: &TrackingSessionManager, listing: &SessionListing) -> String {
    let mut out = String::new();
    if listing.sessions.is_empty() {
        let _ = writeln!(out, "no sessions in {}", manager.sessions_dir());
    } else {
        let width = listing
            .sessions
            .iter()
            .map(|s| s.id.as_str().len())
            .max()
            .unwrap_or(2)
            .max(2);
        let _ = writeln!(
            out,
            "{:<width$}  {:<11}  {:>13}  {:>6}  {:>8}  {:>4}  SAVED",
            "ID", "STATUS", "FRAMES", "TRACKS", "MARKERS", "REV"
        );
        for s in &listing.sessions {
            let _ = writeln!(
                out,
                "{:<width$}  {:<11}  {:>13}  {:>6}  {:>8}  {:>4}  {}",
                s.id.as_str(),
                status_text(s.status),
                format!("{}-{}", s.frame_start, s.frame_end),
                s.track_count,
                s.marker_count,
                s.revision,
                s.saved_at.as_deref().unwrap_or("-"),
            );
        }
    }
    if !listing.problems.is_empty() {
        let _ = writeln!(
            out,
            "\n{} file(s) are not loadable sessions:",
            listing.problems.len()
        );
        for problem in &listing.problems {
            let _ = writeln!(out, "  {}", problem_line(problem));
        }
    }
    out
}

fn problem_line(file: &ProblemFile) -> String {
    let what = serde_json::to_value(&file.problem).unwrap_or_default();
    let kind = what["problem"]
        .as_str()
        .unwrap_or("problem")
        .replace('_', " ");
    let detail = match (&what["reason"], &what["line"]) {
        (serde_json::Value::String(reason), serde_json::Value::Number(line)) => {
            format!(": line {line}: {reason}")
        }
        (serde_json::Value::String(reason), _) => format!(": {reason}"),
        _ => String::new(),
    };
    format!("{} [{kind}]{detail}", file.path)
}

fn status_text(status: cinematic::types::SessionStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn print_session(session: &TrackingSession, json: bool) -> Result<(), CliError> {
    if json {
        return output::print_json(session);
    }
    let mut out = String::new();
    let _ = writeln!(out, "session {}", session.session_id);
    let _ = writeln!(out, "  footage        {}", session.footage_path);
    let _ = writeln!(
        out,
        "  frames         {}-{} (current {})",
        session.frame_start, session.frame_end, session.current_frame
    );
    let _ = writeln!(out, "  status         {}", status_text(session.status));
    let _ = writeln!(out, "  preset         {}", session.preset);
    let _ = writeln!(out, "  camera profile {}", session.camera_profile);
    let _ = writeln!(
        out,
        "  revision       {} (saved {})",
        session.revision.unwrap_or(0),
        session.saved_at.as_deref().unwrap_or("-")
    );
    let _ = writeln!(out, "  tracks         {}", session.tracks.len());
    for track in &session.tracks {
        let range = match (
            track.markers.keys().next(),
            track.markers.keys().next_back(),
        ) {
            (Some(first), Some(last)) => format!("{first}-{last}"),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "    {:<24} {:<6} {:>6} markers  frames {range}{}",
            track.name,
            serde_json::to_value(track.track_type)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            track.markers.len(),
            if track.enabled { "" } else { "  (disabled)" }
        );
    }
    print!("{out}");
    Ok(())
}

fn rm(manager: &TrackingSessionManager, id: &str, json: bool) -> Result<(), CliError> {
    let fail = || CliError::new(format!("cannot delete session {id:?}"));
    manager.delete(id).map_err(|e| fail().source(e))?;
    // The id was valid for the delete, so this cannot fail; the path comes from the
    // store's API, never built by hand.
    let session_id = SessionId::new(id).map_err(|e| fail().source(e))?;
    let path = manager.session_path(&session_id);
    if json {
        output::print_json(&serde_json::json!({ "deleted": id, "path": path }))
    } else {
        println!("deleted session {id} ({path})");
        Ok(())
    }
}

fn latest(manager: &TrackingSessionManager, json: bool) -> Result<(), CliError> {
    let latest = manager
        .get_latest_session()
        .map_err(|e| CliError::new("cannot find the latest session").source(e))?;
    match latest {
        Some(session) => print_session(&session, json),
        None if json => output::print_json(&serde_json::Value::Null),
        None => {
            println!("no sessions in {}", manager.sessions_dir());
            Ok(())
        }
    }
}

fn import(
    manager: &TrackingSessionManager,
    file: &Path,
    force: bool,
    json: bool,
) -> Result<(), CliError> {
    let path = utf8(file, "FILE")?;
    let mut session = manager
        .load_from_path(&path)
        .map_err(|e| CliError::new(format!("cannot import {path}")).source(e))?;
    let id = session.session_id.clone();
    let replaced = manager
        .exists(&id)
        .map_err(|e| CliError::new(format!("cannot import {path}")).source(e))?;
    // The file's revision belongs to wherever it came from; in this store it is new.
    session.revision = None;
    let saved = if force {
        manager.save_replacing(&mut session)
    } else {
        manager.save(&mut session)
    };
    let receipt = saved.map_err(|e| match e {
        Error::Conflict { .. } => CliError::new(format!(
            "session {id:?} already exists in {}; use --force to replace it",
            manager.sessions_dir()
        )),
        other => CliError::new(format!("cannot import {path}")).source(other),
    })?;
    if json {
        output::print_json(&serde_json::json!({
            "imported": id,
            "path": receipt.path,
            "revision": receipt.revision,
            "save_counter": receipt.save_counter,
            "saved_at": receipt.saved_at,
            "replaced": replaced,
        }))
    } else {
        let verb = if replaced { "replaced" } else { "imported" };
        println!(
            "{verb} session {id} from {path} → {} (revision {})",
            receipt.path, receipt.revision
        );
        Ok(())
    }
}
