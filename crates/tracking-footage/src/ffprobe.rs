//! The ffprobe invocations, in one place for movies (`movie`, `packets`) and image
//! sequences (`sequence`): the `-show_format -show_streams` JSON run, the packet
//! listing of the deep pass, and picking the video stream out of the answer.
//!
//! Every run goes through [`ToolCommand::ffprobe`] (`-v error -show_error`, the
//! `file:` URL, the protocol whitelist, a timeout and capped output). A failure carries
//! ffprobe's own message; output that is not what was asked for is
//! [`Error::UnparsableOutput`].

use std::time::Duration;

use crate::error::{Error, Result};
use crate::ffprobe_json::{self, ProbeJson, Section};
use crate::input::MediaInput;
use crate::process::{ToolCommand, ToolOutput};
use crate::tool::{Tool, ToolPath};

/// Stdout cap for the packet listing: ~40 bytes a packet, so room for millions.
const PACKET_LISTING_LIMIT: usize = 512 << 20;

/// Run `ffprobe -of json -show_format -show_streams` and parse its output; a failure
/// carries ffprobe's own message.
pub(crate) fn run_json(
    ffprobe: &ToolPath,
    input: &MediaInput,
    timeout: Duration,
) -> Result<ProbeJson> {
    let output = ToolCommand::ffprobe(ffprobe, input)
        .args(["-of", "json", "-show_format", "-show_streams"])
        .timeout(timeout)
        .run_unchecked()?;
    let parsed = ffprobe_json::parse(&output.stdout);
    let failed = |message: String| Error::ToolFailed {
        tool: Tool::Ffprobe,
        path: input.caller_path().to_path_buf(),
        exit_code: output.exit_code,
        message,
    };
    match parsed {
        Ok(doc) => match (&doc.error, output.success) {
            (Some((_, message)), _) => Err(failed(message.clone())),
            (None, false) => Err(failed(non_empty(output.stderr_text(), "ffprobe failed"))),
            (None, true) => Ok(doc),
        },
        Err(_) if !output.success => Err(failed(non_empty(output.stderr_text(), "ffprobe failed"))),
        Err(error) => Err(Error::UnparsableOutput {
            tool: Tool::Ffprobe,
            path: input.caller_path().to_path_buf(),
            error,
        }),
    }
}

/// Run `ffprobe -select_streams <stream> -show_entries packet=pts,dts,duration,flags
/// -of csv=p=0` (no decoding), whatever the exit status: a truncated file makes
/// ffprobe complain after listing every packet it could read, and the caller decides.
pub(crate) fn list_packets(
    ffprobe: &ToolPath,
    input: &MediaInput,
    stream: &str,
    timeout: Duration,
) -> Result<ToolOutput> {
    ToolCommand::ffprobe(ffprobe, input)
        .args(["-select_streams", stream])
        .args([
            "-show_entries",
            "packet=pts,dts,duration,flags",
            "-of",
            "csv=p=0",
        ])
        .timeout(timeout)
        .stdout_limit(PACKET_LISTING_LIMIT)
        .run_unchecked()
}

fn non_empty(text: String, fallback: &str) -> String {
    if text.is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}

/// The first real video stream (cover art excluded).
pub(crate) fn video_stream(doc: &ProbeJson) -> Option<&Section> {
    doc.streams.iter().find(|s| {
        s.text("codec_type").as_deref() == Some("video") && !s.flag("disposition", "attached_pic")
    })
}
