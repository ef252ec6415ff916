//! Shared helpers for integration tests: find the real ffmpeg/ffprobe (a missing tool
//! fails the run under `CI=true`, and is a printed skip otherwise) and generate small
//! media with `ffmpeg -f lavfi -i testsrc2=…` in a temp directory.
//!
//! Use from a test file with `mod common;`.

// Test support: each test file uses a subset, and a failed media generation must
// stop the test loudly.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// True when ffmpeg and ffprobe are both found (PATH, or the CINEMATIC_* / *_PATH
/// variables). A skip outside CI, a failure under `CI=true` (`cinematic-testkit`'s rule).
pub fn tools_available() -> bool {
    let ffmpeg = tracking_footage::find_tool(tracking_footage::Tool::Ffmpeg, None);
    let ffprobe = tracking_footage::find_tool(tracking_footage::Tool::Ffprobe, None);
    let found = ffmpeg.and(ffprobe).map(drop);
    cinematic_testkit::require("ffmpeg and ffprobe", found).is_some()
}

/// Skip (return from) the current test when the tools are missing outside CI.
#[macro_export]
macro_rules! require_tools {
    () => {
        if !common::tools_available() {
            return;
        }
    };
}

/// The ffmpeg executable used to make media.
pub fn ffmpeg_program() -> PathBuf {
    tracking_footage::find_tool(tracking_footage::Tool::Ffmpeg, None)
        .map(|t| t.program)
        .expect("ffmpeg")
}

/// Run `ffmpeg -hide_banner -v error -y <args…> <dir>/<name>` and return the output
/// path; panics with ffmpeg's stderr when it fails.
pub fn ffmpeg_make(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    run_ffmpeg(args, &out);
    out
}

/// Run ffmpeg with `args` and the final output `out`.
pub fn run_ffmpeg(args: &[&str], out: &Path) {
    let output = Command::new(ffmpeg_program())
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y"])
        .args(args)
        .arg(out)
        .output()
        .expect("spawn ffmpeg");
    assert!(
        output.status.success(),
        "ffmpeg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `-f lavfi -i testsrc2=size=WxH:rate=RATE -t SECONDS` as ffmpeg arguments.
pub fn testsrc2(size: &str, rate: &str, seconds: &str) -> Vec<String> {
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        format!("testsrc2=size={size}:rate={rate}"),
        "-t".into(),
        seconds.into(),
    ]
}

/// Join argument groups into one `Vec<&str>` for [`ffmpeg_make`].
pub fn args<'a>(groups: &'a [&'a [String]]) -> Vec<&'a str> {
    groups
        .iter()
        .flat_map(|g| g.iter().map(String::as_str))
        .collect()
}

/// Does this ffmpeg have the named encoder (`ffmpeg -encoders`)?
pub fn has_encoder(name: &str) -> bool {
    let output = Command::new(ffmpeg_program())
        .args(["-hide_banner", "-encoders"])
        .output()
        .expect("spawn ffmpeg");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|l| l.split_whitespace().nth(1) == Some(name))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// 1.001 s of 160×90 H.264 yuv420p at 24000/1001 in MP4: 24 frames.
pub fn cfr_23976_mp4(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "24000/1001", "1");
    let enc = strings(&["-c:v", "libx264", "-pix_fmt", "yuv420p"]);
    ffmpeg_make(dir, "cfr_23976.mp4", &args(&[&src, &enc]))
}

/// The same content in Matroska (no `nb_frames` in the header).
pub fn cfr_23976_mkv(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "24000/1001", "1");
    let enc = strings(&["-c:v", "libx264", "-pix_fmt", "yuv420p"]);
    ffmpeg_make(dir, "cfr_23976.mkv", &args(&[&src, &enc]))
}

/// 24 frames of ProRes 422 HQ 10-bit in MOV with a tmcd track starting 01:00:00:00.
pub fn prores_mov_with_timecode(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "24000/1001", "1");
    let enc = strings(&[
        "-c:v",
        "prores_ks",
        "-profile:v",
        "3",
        "-pix_fmt",
        "yuv422p10le",
        "-timecode",
        "01:00:00:00",
    ]);
    ffmpeg_make(dir, "prores_tc.mov", &args(&[&src, &enc]))
}

/// 24 frames of 10-bit HEVC (libx265) in MP4; `None` when libx265 is not built in.
pub fn hevc_10bit_mp4(dir: &Path) -> Option<PathBuf> {
    if !has_encoder("libx265") {
        eprintln!("note: this ffmpeg has no libx265; HEVC test skipped");
        return None;
    }
    let src = testsrc2("160x90", "24000/1001", "1");
    let enc = strings(&[
        "-c:v",
        "libx265",
        "-pix_fmt",
        "yuv420p10le",
        "-x265-params",
        "log-level=error",
    ]);
    Some(ffmpeg_make(dir, "hevc10.mp4", &args(&[&src, &enc])))
}

/// Variable frame rate MP4: a 48 fps source of which the first 24 frames keep only
/// every other one, so 12 frames at 24 fps then 24 at 48 fps (36 frames, 1 s).
pub fn vfr_mp4(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "48", "1");
    let enc = strings(&[
        "-vf",
        "select='gte(n\\,24)+not(mod(n\\,2))'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
    ]);
    ffmpeg_make(dir, "vfr.mp4", &args(&[&src, &enc]))
}

/// A copy of [`cfr_23976_mp4`] with the legacy `rotate=90` tag, which ffmpeg ≥ 5
/// turns into a display matrix.
pub fn rotated_mp4(dir: &Path) -> PathBuf {
    let source = cfr_23976_mp4(dir);
    let input = source.to_string_lossy().into_owned();
    ffmpeg_make(
        dir,
        "rotated.mp4",
        &["-i", &input, "-c", "copy", "-metadata:s:v:0", "rotate=90"],
    )
}

/// 160×90 stored, sample aspect ratio 2:1.
pub fn sar_2_1_mp4(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "25", "1");
    let enc = strings(&["-vf", "setsar=2/1", "-c:v", "libx264"]);
    ffmpeg_make(dir, "sar_2_1.mp4", &args(&[&src, &enc]))
}

/// Interlaced-coded H.264, top field first, 25 frames.
pub fn interlaced_mp4(dir: &Path) -> PathBuf {
    let src = testsrc2("160x96", "25", "1");
    let enc = strings(&[
        "-c:v",
        "libx264",
        "-flags",
        "+ildct+ilme",
        "-field_order",
        "tt",
    ]);
    ffmpeg_make(dir, "interlaced.mp4", &args(&[&src, &enc]))
}

/// 5 s (120 frames) of 23.976 H.264 with the index (moov) at the front, so a
/// truncated copy still has a complete header.
pub fn faststart_mp4_120_frames(dir: &Path) -> PathBuf {
    let src = testsrc2("160x90", "24000/1001", "5");
    let enc = strings(&["-c:v", "libx264", "-movflags", "+faststart"]);
    ffmpeg_make(dir, "faststart.mp4", &args(&[&src, &enc]))
}

/// A 2-minute 1080p H.264 clip for benchmarks (fast preset).
pub fn long_1080p_mp4(dir: &Path) -> PathBuf {
    let src = testsrc2("1920x1080", "24000/1001", "120");
    let enc = strings(&["-c:v", "libx264", "-preset", "ultrafast", "-g", "48"]);
    ffmpeg_make(dir, "long_1080p.mp4", &args(&[&src, &enc]))
}

/// Frames `first..first+count` of `testsrc2` as `dir/<prefix>.%04d.<ext>`, with extra
/// encoder arguments (e.g. `-format half` for EXR); returns the frame paths.
pub fn image_sequence(
    dir: &Path,
    prefix: &str,
    ext: &str,
    first: i64,
    count: usize,
    encoder_args: &[&str],
) -> Vec<PathBuf> {
    let src = vec![
        "-f".to_owned(),
        "lavfi".to_owned(),
        "-i".to_owned(),
        "testsrc2=size=64x36:rate=24".to_owned(),
        "-frames:v".to_owned(),
        count.to_string(),
        "-start_number".to_owned(),
        first.to_string(),
    ];
    let enc = strings(encoder_args);
    run_ffmpeg(
        &args(&[&src, &enc]),
        &dir.join(format!("{prefix}.%04d.{ext}")),
    );
    (0..count)
        .map(|i| dir.join(format!("{prefix}.{:04}.{ext}", first + i as i64)))
        .collect()
}
