//! Helpers shared by the CLI's end-to-end tests.

use std::process::Command as StdCommand;

/// ffmpeg/ffprobe present? Under CI=true a missing tool fails the test.
pub(crate) fn tools_available() -> bool {
    let found = |name: &str| {
        StdCommand::new(name)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if found("ffmpeg") && found("ffprobe") {
        return true;
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true and ffmpeg/ffprobe are missing"
    );
    eprintln!("note: ffmpeg/ffprobe missing; skipping");
    false
}
