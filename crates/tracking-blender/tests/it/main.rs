//! tracking-blender's integration tests: the real Blender, headless, on scenes built
//! here and read back in a separate Blender run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

mod cameras;
mod hostile;
mod plates;
mod tracks;
