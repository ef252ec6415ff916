//! Helpers shared by the CLI's end-to-end tests.

/// ffmpeg/ffprobe present? A skip outside CI, a failure under `CI=true` (the shared
/// rule of `cinematic-testkit`).
pub(crate) fn tools_available() -> bool {
    let found = if cinematic_testkit::runs("ffmpeg", &["-version"])
        && cinematic_testkit::runs("ffprobe", &["-version"])
    {
        Ok(())
    } else {
        Err("not on PATH (Debian: apt-get install ffmpeg)")
    };
    cinematic_testkit::require("ffmpeg and ffprobe", found).is_some()
}
