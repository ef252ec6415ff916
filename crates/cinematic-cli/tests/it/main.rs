//! The integration tests of `cinematic-cli`, one binary (one link) with a module per area.

// Test code: helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;
mod cli_analyze;
mod cli_blender;
mod cli_chan;
mod cli_probe;
mod cli_session;
mod cli_shot;
mod cli_tracks;
