//! The integration tests of `tracking-yaml`, one binary (one link) with a module per area.

// Test code: helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;
mod errors;
mod fixture_freshness;
mod fixtures;
mod layouts;
mod python_roundtrip;
mod pyyaml_differential;
mod safe_load;
mod session_mutations;
