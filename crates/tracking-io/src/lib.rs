//! Camera coordinate conversion, lens maths and camera file formats.
//!
//! Owns: Y-up ↔ Z-up conversion of positions, rotations and transforms (nalgebra),
//! Euler angles in all six orders, FOV ↔ focal length, Nuke `.chan` read/write and
//! `import_tracking_data`. Depends on `tracking-types` only.
