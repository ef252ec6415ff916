//! The default probe runs ffprobe exactly once; deep mode exactly twice. Counted with
//! a wrapper script standing in for ffprobe that logs each start, then execs the
//! real one.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};

use tracking_footage::{ProbeOptions, Tool, find_tool, probe};

#[cfg(unix)]
fn counting_ffprobe(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let real = find_tool(Tool::Ffprobe, None).unwrap().program;
    let log = dir.join("spawns.log");
    let wrapper = dir.join("ffprobe-counting");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho started >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    (wrapper, log)
}

fn spawns(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |s| s.lines().count())
}

#[cfg(unix)]
#[test]
fn the_default_probe_spawns_one_ffprobe_and_deep_mode_two() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let (wrapper, log) = counting_ffprobe(dir.path());
    let options = ProbeOptions {
        ffprobe: Some(wrapper),
        ..ProbeOptions::default()
    };
    let quick = probe(&clip, &options).unwrap();
    assert_eq!(quick.metadata.duration_frames, 24);
    assert_eq!(spawns(&log), 1);
    let deep = probe(
        &clip,
        &ProbeOptions {
            deep: true,
            ..options
        },
    )
    .unwrap();
    assert_eq!(deep.frame_counts.exact, Some(24));
    assert_eq!(spawns(&log), 3);
}
