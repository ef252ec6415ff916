//! Discovery of the external tools `ffprobe`, `ffmpeg` and `blender`, and their versions.
//!
//! Search order, first hit wins (CONVENTIONS §6):
//! 1. an explicit path passed by the caller,
//! 2. `CINEMATIC_FFPROBE` / `CINEMATIC_FFMPEG` / `CINEMATIC_BLENDER`,
//! 3. `FFPROBE_PATH` / `FFMPEG_PATH` (the original's variables; none for blender),
//! 4. `PATH` (via the `which` crate).
//!
//! An explicit path or a set variable that does not point at an executable file is an
//! error, never a silent fall-through: the user asked for that binary.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::process::ToolCommand;
use crate::tool::{Tool, ToolPath, ToolSource, ToolVersion, parse_version};

/// Find `tool`: `explicit` path → `CINEMATIC_*` → legacy `*_PATH` → `PATH`.
pub fn find_tool(tool: Tool, explicit: Option<&Path>) -> Result<ToolPath> {
    find_tool_with_env(tool, explicit, |name| std::env::var_os(name))
}

/// [`find_tool`] with the environment supplied by the caller (a lookup function),
/// so discovery can be tested without mutating the process environment.
pub(crate) fn find_tool_with_env(
    tool: Tool,
    explicit: Option<&Path>,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<ToolPath> {
    if let Some(path) = explicit {
        return checked(tool, path, ToolSource::Explicit, "the explicit path");
    }
    let vars = std::iter::once(tool.env_var()).chain(tool.legacy_env_var());
    for var in vars {
        if let Some(value) = env(var).filter(|v| !v.is_empty()) {
            return checked(tool, Path::new(&value), ToolSource::EnvVar(var), var);
        }
    }
    let searched_path = || {
        let mut searched = format!("{} unset", tool.env_var());
        if let Some(legacy) = tool.legacy_env_var() {
            searched.push_str(&format!(", {legacy} unset"));
        }
        searched.push_str(&format!(", `{}` not on PATH", tool.program_name()));
        searched
    };
    let path_var = env("PATH");
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    match which::which_in(tool.program_name(), path_var, cwd) {
        Ok(program) => Ok(ToolPath {
            tool,
            program,
            source: ToolSource::SearchPath,
        }),
        Err(_) => Err(Error::ToolNotFound {
            tool,
            searched: searched_path(),
            hint: tool.install_hint(),
        }),
    }
}

fn checked(tool: Tool, path: &Path, source: ToolSource, origin: &str) -> Result<ToolPath> {
    if is_executable_file(path) {
        return Ok(ToolPath {
            tool,
            program: path.to_path_buf(),
            source,
        });
    }
    // A bare name (no separator) in a variable is looked up on PATH, like a shell would.
    if path.components().count() == 1
        && let Ok(program) = which::which(path)
    {
        return Ok(ToolPath {
            tool,
            program,
            source,
        });
    }
    Err(Error::ToolNotFound {
        tool,
        searched: format!("{origin} {} is not an executable file", path.display()),
        hint: tool.install_hint(),
    })
}

#[cfg(unix)]
fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Run the tool's version command (`-version` for FFmpeg tools, `--version` for
/// Blender) and parse the first line.
pub fn tool_version(tool: &ToolPath) -> Result<ToolVersion> {
    let flag = match tool.tool {
        Tool::Ffprobe | Tool::Ffmpeg => "-version",
        Tool::Blender => "--version",
    };
    let output = ToolCommand::new(tool)
        .arg(flag)
        .timeout(Duration::from_secs(30))
        .stdout_limit(1 << 20)
        .run()?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse_version(tool.tool, &text).ok_or_else(|| Error::ToolVersion {
        tool: tool.tool,
        program: tool.program.clone(),
        detail: format!(
            "unexpected first line {:?}",
            text.lines().next().unwrap_or("")
        ),
    })
}

/// True when a `blender` executable was found (explicit variables or `PATH`), decided
/// once per process.
pub static BLENDER_AVAILABLE: LazyLock<bool> =
    LazyLock::new(|| find_tool(Tool::Blender, None).is_ok());

/// Whether a `blender` executable was found; the same answer as [`BLENDER_AVAILABLE`].
pub fn blender_available() -> bool {
    *BLENDER_AVAILABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn an_explicit_path_that_does_not_exist_is_a_not_found_error_with_a_hint() {
        let err = find_tool_with_env(
            Tool::Ffprobe,
            Some(Path::new("/nonexistent/ffprobe")),
            no_env,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(matches!(
            err,
            Error::ToolNotFound {
                tool: Tool::Ffprobe,
                ..
            }
        ));
        assert!(text.contains("/nonexistent/ffprobe"), "{text}");
        assert!(text.contains("apt-get install ffmpeg"), "{text}");
    }

    #[test]
    fn a_cinematic_variable_wins_over_the_legacy_variable() {
        let dir = tempfile::tempdir().unwrap();
        let ours = make_executable(dir.path(), "ours");
        let legacy = make_executable(dir.path(), "legacy");
        let env = |name: &str| match name {
            "CINEMATIC_FFPROBE" => Some(ours.clone().into_os_string()),
            "FFPROBE_PATH" => Some(legacy.clone().into_os_string()),
            _ => None,
        };
        let found = find_tool_with_env(Tool::Ffprobe, None, env).unwrap();
        assert_eq!(found.program, ours);
        assert_eq!(found.source, ToolSource::EnvVar("CINEMATIC_FFPROBE"));
    }

    #[test]
    fn the_legacy_variable_is_used_when_the_cinematic_one_is_unset() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = make_executable(dir.path(), "legacy");
        let env = |name: &str| (name == "FFMPEG_PATH").then(|| legacy.clone().into_os_string());
        let found = find_tool_with_env(Tool::Ffmpeg, None, env).unwrap();
        assert_eq!(found.source, ToolSource::EnvVar("FFMPEG_PATH"));
    }

    #[test]
    fn a_variable_pointing_at_a_missing_file_is_an_error_not_a_fall_through() {
        let env =
            |name: &str| (name == "CINEMATIC_FFMPEG").then(|| OsString::from("/no/such/ffmpeg"));
        let err = find_tool_with_env(Tool::Ffmpeg, None, env).unwrap_err();
        assert!(err.to_string().contains("CINEMATIC_FFMPEG"), "{err}");
    }

    #[test]
    fn a_tool_absent_from_an_empty_search_path_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let env = |name: &str| (name == "PATH").then(|| dir.path().as_os_str().to_owned());
        let err = find_tool_with_env(Tool::Blender, None, env).unwrap_err();
        assert!(matches!(
            err,
            Error::ToolNotFound {
                tool: Tool::Blender,
                ..
            }
        ));
        assert!(err.to_string().contains("not on PATH"), "{err}");
    }

    #[test]
    fn a_tool_on_the_search_path_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let program = make_executable(dir.path(), "ffprobe");
        let env = |name: &str| (name == "PATH").then(|| dir.path().as_os_str().to_owned());
        let found = find_tool_with_env(Tool::Ffprobe, None, env).unwrap();
        assert_eq!(found.program, program);
        assert_eq!(found.source, ToolSource::SearchPath);
    }

    #[cfg(unix)]
    fn make_executable(dir: &Path, name: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}
