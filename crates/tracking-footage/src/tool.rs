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

use serde::Serialize;

use crate::error::{Error, Result};
use crate::process::ToolCommand;

/// An external program this crate drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    /// FFmpeg's prober.
    Ffprobe,
    /// FFmpeg itself (decoding, filters such as `idet`).
    Ffmpeg,
    /// Blender.
    Blender,
}

impl Tool {
    /// The executable's base name, as looked up on `PATH`.
    pub fn program_name(self) -> &'static str {
        match self {
            Self::Ffprobe => "ffprobe",
            Self::Ffmpeg => "ffmpeg",
            Self::Blender => "blender",
        }
    }

    /// The cinematic environment variable naming this tool's path.
    pub fn env_var(self) -> &'static str {
        match self {
            Self::Ffprobe => "CINEMATIC_FFPROBE",
            Self::Ffmpeg => "CINEMATIC_FFMPEG",
            Self::Blender => "CINEMATIC_BLENDER",
        }
    }

    /// The original package's environment variable for this tool, if it had one.
    pub fn legacy_env_var(self) -> Option<&'static str> {
        match self {
            Self::Ffprobe => Some("FFPROBE_PATH"),
            Self::Ffmpeg => Some("FFMPEG_PATH"),
            Self::Blender => None,
        }
    }

    /// How to install the tool.
    pub fn install_hint(self) -> &'static str {
        match self {
            Self::Ffprobe | Self::Ffmpeg => {
                "install FFmpeg (Debian/Ubuntu: `apt-get install ffmpeg`, macOS: `brew install ffmpeg`, \
                 Windows: https://ffmpeg.org/download.html) or set CINEMATIC_FFPROBE/CINEMATIC_FFMPEG"
            }
            Self::Blender => {
                "install Blender (https://www.blender.org/download/, Debian/Ubuntu: `apt-get install blender`) \
                 or set CINEMATIC_BLENDER"
            }
        }
    }
}

impl std::fmt::Display for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.program_name())
    }
}

/// Where a tool's path came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum ToolSource {
    /// Passed explicitly by the caller.
    Explicit,
    /// Read from the named environment variable.
    EnvVar(&'static str),
    /// Found on `PATH`.
    SearchPath,
}

/// A located tool executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolPath {
    /// Which tool this is.
    pub tool: Tool,
    /// The executable to run.
    pub program: PathBuf,
    /// How it was found.
    pub source: ToolSource,
}

/// A tool's version as printed by `-version` / `--version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolVersion {
    /// The version word as printed, e.g. `5.1.9-0+deb12u1` or `n6.1` or `3.4.1`.
    pub raw: String,
    /// Major version, when the version word starts with digits (`n` prefix allowed).
    pub major: Option<u32>,
    /// Minor version, when present.
    pub minor: Option<u32>,
}

/// Find `tool`: `explicit` path → `CINEMATIC_*` → legacy `*_PATH` → `PATH`.
pub fn find_tool(tool: Tool, explicit: Option<&Path>) -> Result<ToolPath> {
    find_tool_with_env(tool, explicit, |name| std::env::var_os(name))
}

/// [`find_tool`] with the environment supplied by the caller (a lookup function),
/// so discovery can be tested without mutating the process environment.
pub fn find_tool_with_env(
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

/// Parse `ffprobe version 5.1.9-0+deb12u1 …` or `Blender 3.4.1` (first matching line).
pub fn parse_version(tool: Tool, text: &str) -> Option<ToolVersion> {
    let word = text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        match tool {
            Tool::Ffprobe | Tool::Ffmpeg => {
                let name = words.next()?;
                (name == tool.program_name() && words.next()? == "version")
                    .then(|| words.next())
                    .flatten()
            }
            Tool::Blender => (words.next()? == "Blender").then(|| words.next()).flatten(),
        }
    })?;
    let digits = word.trim_start_matches(['n', 'N']);
    let mut numbers = digits
        .split(|c: char| !c.is_ascii_digit())
        .map(str::parse::<u32>);
    let major = numbers.next().and_then(std::result::Result::ok);
    let minor = if major.is_some() {
        numbers.next().and_then(std::result::Result::ok)
    } else {
        None
    };
    Some(ToolVersion {
        raw: word.to_owned(),
        major,
        minor,
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
    fn ffprobe_version_line_is_parsed_with_distro_suffix() {
        let v = parse_version(
            Tool::Ffprobe,
            "ffprobe version 5.1.9-0+deb12u1 Copyright (c) 2007-2026\nbuilt with gcc",
        )
        .unwrap();
        assert_eq!(v.raw, "5.1.9-0+deb12u1");
        assert_eq!((v.major, v.minor), (Some(5), Some(1)));
    }

    #[test]
    fn git_build_versions_have_no_numbers_but_still_parse() {
        let v = parse_version(Tool::Ffmpeg, "ffmpeg version N-112233-gabcdef Copyright").unwrap();
        assert_eq!(v.raw, "N-112233-gabcdef");
        assert_eq!(v.major, None);
        let v = parse_version(Tool::Ffmpeg, "ffmpeg version n6.1.1 Copyright").unwrap();
        assert_eq!((v.major, v.minor), (Some(6), Some(1)));
    }

    #[test]
    fn blender_version_line_is_parsed() {
        let v = parse_version(Tool::Blender, "Blender 3.4.1\n\tbuild date: 2023").unwrap();
        assert_eq!((v.major, v.minor), (Some(3), Some(4)));
    }

    #[test]
    fn text_from_another_program_is_not_a_version() {
        assert_eq!(parse_version(Tool::Ffprobe, "ffmpeg version 5.1"), None);
        assert_eq!(parse_version(Tool::Ffprobe, ""), None);
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
