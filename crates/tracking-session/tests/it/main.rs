//! The integration tests of `tracking-session`, one binary (one link) with a module per area.

// Test code: helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;
mod crash;
mod hostile;
mod python_compat;
mod roundtrip;
mod safe_load;
mod session_mutations;
mod store;
