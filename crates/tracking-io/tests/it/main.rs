//! The integration tests of `tracking-io`, one binary (one link) with a module per area.

// Test code: helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod blender_oracle;
mod chan_mutations;
mod chan_reader;
mod chan_roundtrip;
mod hostile_numbers;
mod invalid_corpus;
mod properties;
mod tracks_apps_a;
mod tracks_apps_b;
mod tracks_cross;
mod tracks_detect;
mod tracks_mutations;
