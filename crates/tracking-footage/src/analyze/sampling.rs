//! Decoding frames for analysis: small 8-bit greyscale raw frames from the real ffmpeg.
//!
//! Four strategies:
//! - **sequential**: short clips are decoded front to back and a `select` filter keeps
//!   the exact frame indices wanted (cheap when the clip is short; indices are exact);
//! - **seek**: long clips open the file once per sample position with fast input
//!   seeking (`-noaccurate_seek -ss T` before `-i`), keep two frames each (`trim`) and
//!   report their real timestamps through `showinfo`, so only a few frames around
//!   each keyframe are decoded; the positions are shared among one ffmpeg process per
//!   core (measured on a 2-minute 1080p H.264 clip: one process with default decoder
//!   threading spent 1.8 s CPU, `-threads 1` per input 0.9 s, and two such processes
//!   side by side halve the wall time again);
//! - **every frame** (the `full` tier): the whole clip, streamed frame by frame;
//! - **sequence files**: one frame per chosen image file, one ffmpeg process.
//!
//! Frames are scaled to at most [`MAX_ANALYSIS_WIDTH`] pixels wide with area
//! averaging, without autorotation (metrics do not care about orientation).

use std::ops::ControlFlow;

use crate::error::{Error, Result};
use crate::input::MediaInput;
use crate::process::ToolCommand;
use crate::tool::{Tool, ToolPath};

use super::metrics::GreyFrame;

/// Widest analysis frame (pixels).
pub(super) const MAX_ANALYSIS_WIDTH: u32 = 960;

/// The analysis raster for a source raster: at most `max_width` wide, aspect kept,
/// both sides even and at least 2.
pub(super) fn analysis_size(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    if width == 0 || height == 0 {
        return (2, 2);
    }
    let w = width.min(max_width.max(2));
    let h = (f64::from(height) * f64::from(w) / f64::from(width)).round() as u32;
    let even = |v: u32| (v / 2 * 2).max(2);
    (even(w), even(h))
}

/// Evenly spaced sample positions: `count` frame indices in `[0, frames - 2]`, each the
/// first of a consecutive pair, spread over the clip from its first to its last pair.
pub(super) fn sample_frames(frames: u64, count: usize) -> Vec<u64> {
    if frames < 2 || count == 0 {
        return Vec::new();
    }
    let last_pair = frames - 2;
    if count == 1 {
        return vec![last_pair / 2];
    }
    let mut out: Vec<u64> = (0..count)
        .map(|i| {
            let t = i as f64 / (count - 1) as f64;
            (t * last_pair as f64).round() as u64
        })
        .collect();
    out.dedup();
    out
}

/// Sources of at most this many lines are decoded at their full line count (for the
/// combing and block-grid measurements); taller ones (no interlaced or broadcast
/// format has more lines) at the analysis height.
pub(super) const MAX_FULL_LINES: u32 = 1200;

/// The raster frames are decoded at: the analysis width, and the source's full line
/// count when it is taller than the analysis frame and at most [`MAX_FULL_LINES`].
pub(super) fn decode_size(source_height: u32, analysis: (u32, u32)) -> (u32, u32) {
    if source_height > analysis.1 && source_height <= MAX_FULL_LINES {
        (analysis.0, source_height)
    } else {
        analysis
    }
}

/// One decoded frame and where it came from.
#[derive(Debug, Clone)]
pub(super) struct DecodedFrame {
    /// Frame index in the source (0-based, presentation order), when known exactly.
    pub index: u64,
    /// The pixels at the analysis size.
    pub frame: GreyFrame,
    /// The pixels at the analysis width and the source's full line count, when that
    /// differs from the analysis height.
    pub full: Option<GreyFrame>,
}

impl DecodedFrame {
    /// A frame decoded at [`decode_size`], split into the analysis frame (lines
    /// area-averaged down to `analysis_height`) and the full-height one.
    pub(super) fn from_decoded(index: u64, decoded: GreyFrame, analysis_height: u32) -> Self {
        let target = analysis_height as usize;
        if decoded.height() > target {
            Self {
                index,
                frame: decoded.resample_height(target),
                full: Some(decoded),
            }
        } else {
            Self {
                index,
                frame: decoded,
                full: None,
            }
        }
    }

    /// The frame with the most lines available.
    pub(super) fn lines(&self) -> &GreyFrame {
        self.full.as_ref().unwrap_or(&self.frame)
    }
}

/// Cuts a byte stream into raw frames of a fixed size.
#[derive(Debug)]
pub(super) struct FrameSplitter {
    width: usize,
    height: usize,
    pending: Vec<u8>,
}

impl FrameSplitter {
    /// A splitter for `width × height` grey frames.
    pub(super) fn new(width: u32, height: u32) -> Self {
        Self {
            width: width as usize,
            height: height as usize,
            pending: Vec::new(),
        }
    }

    /// Bytes per frame.
    pub(super) fn frame_bytes(&self) -> usize {
        self.width * self.height
    }

    /// Feed bytes; call `on_frame` for every complete frame.
    pub(super) fn push(&mut self, mut chunk: &[u8], on_frame: &mut dyn FnMut(GreyFrame)) {
        let size = self.frame_bytes().max(1);
        while !chunk.is_empty() {
            let want = size - self.pending.len();
            let take = want.min(chunk.len());
            self.pending.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.pending.len() == size {
                let pixels = std::mem::replace(&mut self.pending, Vec::with_capacity(size));
                if let Ok(frame) = GreyFrame::new(self.width, self.height, pixels) {
                    on_frame(frame);
                }
            }
        }
    }

    /// Bytes of an incomplete trailing frame (should be 0 at the end of a stream).
    pub(super) fn leftover(&self) -> usize {
        self.pending.len()
    }
}

fn scale_chain(width: u32, height: u32) -> String {
    format!("scale={width}:{height}:flags=area,format=gray")
}

/// Decode the frames at `indices` (sorted, exact) by decoding the clip front to back.
pub(super) fn decode_selected(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    indices: &[u64],
    size: (u32, u32),
    timeout: std::time::Duration,
) -> Result<Vec<DecodedFrame>> {
    if indices.is_empty() {
        return Ok(Vec::new());
    }
    let select: Vec<String> = indices.iter().map(|n| format!("eq(n,{n})")).collect();
    let filter = format!(
        "select='{}',{}",
        select.join("+"),
        scale_chain(size.0, size.1)
    );
    let frames = run_raw(
        ToolCommand::ffmpeg(ffmpeg)
            .arg("-noautorotate")
            .input(input)
            .args(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf"])
            .arg(filter),
        size,
        indices.len(),
        timeout,
    )?;
    Ok(indices
        .iter()
        .zip(frames)
        .map(|(&index, frame)| DecodedFrame {
            index,
            frame,
            full: None,
        })
        .collect())
}

/// Decode a pair of frames at each of `times` (seconds from the start) with fast input
/// seeking; frames land on the keyframe at or before each time, and their real indices
/// are recovered from `showinfo` timestamps and `fps`. Duplicates (two positions that
/// snapped to the same keyframe) are dropped.
///
/// The positions are split over `workers` ffmpeg processes run side by side (each
/// decodes its inputs one after the other, single-threaded, so no decoder reads ahead
/// of the two frames it needs).
pub(super) fn decode_seeking(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    times: &[f64],
    fps: f64,
    size: (u32, u32),
    timeout: std::time::Duration,
    workers: usize,
) -> Result<Vec<DecodedFrame>> {
    if times.is_empty() {
        return Ok(Vec::new());
    }
    let chunk = times.len().div_ceil(workers.clamp(1, times.len()));
    let results: Vec<Result<Vec<DecodedFrame>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = times
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || decode_seek_chunk(ffmpeg, input, part, fps, size, timeout))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::WorkerPanicked {
                        path: input.caller_path().to_path_buf(),
                    })
                })
            })
            .collect()
    });
    let mut out: Vec<DecodedFrame> = Vec::with_capacity(times.len() * 2);
    for part in results {
        for frame in part? {
            if !out.iter().any(|d| d.index == frame.index) {
                out.push(frame);
            }
        }
    }
    out.sort_by_key(|d| d.index);
    Ok(out)
}

fn decode_seek_chunk(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    times: &[f64],
    fps: f64,
    size: (u32, u32),
    timeout: std::time::Duration,
) -> Result<Vec<DecodedFrame>> {
    let mut cmd = ToolCommand::ffmpeg(ffmpeg).args(["-v", "info", "-nostats"]);
    for t in times {
        cmd = cmd
            .args(["-noautorotate", "-threads", "1", "-noaccurate_seek", "-ss"])
            .arg(format!("{t:.6}"))
            .input(input);
    }
    let mut graph = String::new();
    for k in 0..times.len() {
        graph.push_str(&format!(
            "[{k}:v:0]trim=end_frame=2,{},showinfo[s{k}];",
            scale_chain(size.0, size.1)
        ));
    }
    for k in 0..times.len() {
        graph.push_str(&format!("[s{k}]"));
    }
    graph.push_str(&format!("concat=n={}:v=1:a=0[out]", times.len()));
    let identity = input.caller_path().to_path_buf();
    let (frames, stderr) = run_raw_with_stderr(
        cmd.args(["-filter_complex_threads", "1", "-filter_complex"])
            .arg(graph)
            .args(["-map", "[out]"]),
        size,
        times.len() * 2,
        timeout,
    )?;
    let stamps = parse_showinfo(&stderr);
    if stamps.len() != frames.len() {
        return Err(Error::BadToolOutput {
            tool: Tool::Ffmpeg,
            path: identity,
            detail: format!(
                "decoded {} frames but showinfo reported {}",
                frames.len(),
                stamps.len()
            ),
        });
    }
    // concat emits chain 0's frames, then chain 1's, …; showinfo lines interleave, so
    // order the stamps chain-major (stable within a chain) to match stdout.
    let mut ordered = stamps;
    ordered.sort_by_key(|s| s.chain);
    Ok(frames
        .into_iter()
        .zip(ordered)
        .map(|(frame, stamp)| {
            let seek = times.get(stamp.chain).copied().unwrap_or(0.0);
            let index = ((seek + stamp.pts_time) * fps).round().max(0.0) as u64;
            DecodedFrame {
                index,
                frame,
                full: None,
            }
        })
        .collect())
}

/// Decode one frame from each image file (an image sequence's chosen frames), in order,
/// with one ffmpeg process. File names are never read as patterns
/// (`-pattern_type none`).
pub(super) fn decode_files(
    ffmpeg: &ToolPath,
    files: &[MediaInput],
    size: (u32, u32),
    timeout: std::time::Duration,
) -> Result<Vec<GreyFrame>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut cmd = ToolCommand::ffmpeg(ffmpeg);
    for file in files {
        cmd = cmd
            .args(["-f", "image2", "-pattern_type", "none"])
            .input(file);
    }
    let mut graph = String::new();
    for k in 0..files.len() {
        graph.push_str(&format!("[{k}:v:0]{}[s{k}];", scale_chain(size.0, size.1)));
    }
    for k in 0..files.len() {
        graph.push_str(&format!("[s{k}]"));
    }
    graph.push_str(&format!("concat=n={}:v=1:a=0[out]", files.len()));
    let frames = run_raw(
        cmd.arg("-filter_complex")
            .arg(graph)
            .args(["-map", "[out]"]),
        size,
        files.len(),
        timeout,
    )?;
    if frames.len() != files.len() {
        return Err(Error::BadToolOutput {
            tool: Tool::Ffmpeg,
            path: files[0].caller_path().to_path_buf(),
            detail: format!(
                "decoded {} frames from {} image files",
                frames.len(),
                files.len()
            ),
        });
    }
    Ok(frames)
}

/// Stream every frame of the clip through `on_frame` (the `full` tier). Returns the
/// number of frames decoded.
pub(super) fn decode_every_frame(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    size: (u32, u32),
    timeout: std::time::Duration,
    on_frame: &mut dyn FnMut(GreyFrame),
) -> Result<u64> {
    let mut splitter = FrameSplitter::new(size.0, size.1);
    let mut count = 0u64;
    let identity = input.caller_path().to_path_buf();
    ToolCommand::ffmpeg(ffmpeg)
        .arg("-noautorotate")
        .input(input)
        .args(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf"])
        .arg(scale_chain(size.0, size.1))
        .args([
            "-vsync",
            "passthrough",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "pipe:1",
        ])
        .timeout(timeout)
        .stdout_limit(usize::MAX)
        .run_streaming(|chunk| {
            splitter.push(chunk, &mut |frame| {
                count += 1;
                on_frame(frame);
            });
            Ok(ControlFlow::Continue(()))
        })?;
    check_leftover(&splitter, identity)?;
    Ok(count)
}

fn check_leftover(splitter: &FrameSplitter, path: std::path::PathBuf) -> Result<()> {
    if splitter.leftover() == 0 {
        return Ok(());
    }
    Err(Error::BadToolOutput {
        tool: Tool::Ffmpeg,
        path,
        detail: format!(
            "raw video ended {} bytes into a {}-byte frame",
            splitter.leftover(),
            splitter.frame_bytes()
        ),
    })
}

fn run_raw(
    cmd: ToolCommand,
    size: (u32, u32),
    max_frames: usize,
    timeout: std::time::Duration,
) -> Result<Vec<GreyFrame>> {
    run_raw_with_stderr(cmd, size, max_frames, timeout).map(|(frames, _)| frames)
}

fn run_raw_with_stderr(
    cmd: ToolCommand,
    size: (u32, u32),
    max_frames: usize,
    timeout: std::time::Duration,
) -> Result<(Vec<GreyFrame>, String)> {
    let identity = cmd.identity().to_path_buf();
    let mut splitter = FrameSplitter::new(size.0, size.1);
    let limit = splitter
        .frame_bytes()
        .saturating_mul(max_frames.saturating_add(1));
    let mut frames = Vec::with_capacity(max_frames);
    let output = cmd
        .args([
            "-vsync",
            "passthrough",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "pipe:1",
        ])
        .timeout(timeout)
        .stdout_limit(limit)
        .run_streaming(|chunk| {
            splitter.push(chunk, &mut |frame| frames.push(frame));
            Ok(ControlFlow::Continue(()))
        })?;
    check_leftover(&splitter, identity)?;
    Ok((frames, output.stderr_text()))
}

/// One `showinfo` line: which filter chain printed it and the frame's `pts_time`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ShowinfoStamp {
    /// Index of the chain (0 = first `showinfo` instance in graph order).
    pub chain: usize,
    /// The frame's presentation time relative to the seek point, seconds.
    pub pts_time: f64,
}

/// Parse `[Parsed_showinfo_7 @ 0x…] n:   1 pts: -38810 pts_time:-3.15837 …` lines, in
/// output order. Instance numbers are mapped to chain indices by rank, so chain `k` is
/// the `k`-th distinct instance in ascending order.
pub(super) fn parse_showinfo(stderr: &str) -> Vec<ShowinfoStamp> {
    let mut raw: Vec<(u32, f64)> = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.split("Parsed_showinfo_").nth(1) else {
            continue;
        };
        let instance: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(instance) = instance.parse::<u32>() else {
            continue;
        };
        let Some(pts) = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("pts_time:"))
            .and_then(|v| v.parse::<f64>().ok())
        else {
            continue;
        };
        if pts.is_finite() {
            raw.push((instance, pts));
        }
    }
    let mut instances: Vec<u32> = raw.iter().map(|&(i, _)| i).collect();
    instances.sort_unstable();
    instances.dedup();
    raw.into_iter()
        .filter_map(|(instance, pts_time)| {
            let chain = instances.binary_search(&instance).ok()?;
            Some(ShowinfoStamp { chain, pts_time })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_size_keeps_aspect_and_caps_width() {
        assert_eq!(analysis_size(1920, 1080, 960), (960, 540));
        assert_eq!(analysis_size(3840, 2160, 960), (960, 540));
        assert_eq!(analysis_size(320, 240, 960), (320, 240));
        assert_eq!(analysis_size(1080, 1920, 960), (960, 1706));
        assert_eq!(analysis_size(721, 481, 960), (720, 480));
        assert_eq!(analysis_size(0, 0, 960), (2, 2));
    }

    #[test]
    fn sample_frames_spread_from_the_first_to_the_last_pair() {
        assert_eq!(sample_frames(100, 5), [0, 25, 49, 74, 98]);
        assert_eq!(sample_frames(10, 20), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(sample_frames(1, 20), Vec::<u64>::new());
        assert_eq!(sample_frames(50, 1), [24]);
    }

    #[test]
    fn the_splitter_reassembles_frames_across_chunk_boundaries() {
        let mut splitter = FrameSplitter::new(4, 2);
        let bytes: Vec<u8> = (0..20).collect();
        let mut frames = Vec::new();
        for chunk in bytes.chunks(3) {
            splitter.push(chunk, &mut |f| frames.push(f));
        }
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].pixels(), &[8, 9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(splitter.leftover(), 4);
    }

    #[test]
    fn showinfo_lines_map_instances_to_chains_in_order() {
        let text = "\
[Parsed_showinfo_3 @ 0x55d420191700] n:   0 pts: -18432 pts_time:-1.5    pos:       48 fmt:gray
[Parsed_showinfo_7 @ 0x55d420193580] n:   0 pts: -39322 pts_time:-3.20003 pos:       48 fmt:gray
[Parsed_showinfo_3 @ 0x55d420191700] n:   1 pts: -17920 pts_time:-1.45833 pos:    49661 fmt:gray
[Parsed_showinfo_7 @ 0x55d420193580] config in time_base: 1/12288, frame_rate: 24/1
[Parsed_showinfo_7 @ 0x55d420193580] n:   1 pts: -38810 pts_time:-3.15837 pos:    49661 fmt:gray
";
        let stamps = parse_showinfo(text);
        assert_eq!(
            stamps,
            [
                ShowinfoStamp {
                    chain: 0,
                    pts_time: -1.5
                },
                ShowinfoStamp {
                    chain: 1,
                    pts_time: -3.20003
                },
                ShowinfoStamp {
                    chain: 0,
                    pts_time: -1.45833
                },
                ShowinfoStamp {
                    chain: 1,
                    pts_time: -3.15837
                },
            ]
        );
    }
}
