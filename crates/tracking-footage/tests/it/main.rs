//! The integration tests of `tracking-footage`, one binary (one link) with a module per area.

// Test code: helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;
mod analyze;
mod analyze_pixels;
mod probe_bad_inputs;
mod probe_cache_and_batch;
mod probe_movies;
mod probe_sequences;
mod probe_spawn_count;
mod tools;
