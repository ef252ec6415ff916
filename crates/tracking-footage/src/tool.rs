//! The external tools this crate drives, as data: [`Tool`] (`ffprobe`, `ffmpeg`,
//! `blender`), where one was found ([`ToolPath`], [`ToolSource`]) and its version
//! ([`ToolVersion`], read from `-version` output). Finding them is
//! [`find_tool`](crate::find_tool); running them is [`ToolCommand`](crate::ToolCommand).
//!
//! This module depends on no other module of the crate, so the crate's
//! [`Error`](crate::Error) can name a tool without a cycle.

use std::path::PathBuf;

use serde::Serialize;

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

/// Parse `ffprobe version 5.1.9-0+deb12u1 …` or `Blender 3.4.1` (first matching line).
pub(crate) fn parse_version(tool: Tool, text: &str) -> Option<ToolVersion> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
