//! Repository automation: `cargo xtask verify-exports`, `cargo xtask ci`.

fn main() {}
