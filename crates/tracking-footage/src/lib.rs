//! Footage probing with the real `ffprobe`/`ffmpeg`, image sequences and tool discovery.
//!
//! Owns: `extract_metadata`, `get_frame_rate`, `analyze_footage`, image-sequence
//! scanning, and discovery of the `ffprobe`, `ffmpeg` and `blender` executables.
//! Depends on `tracking-types` only.
