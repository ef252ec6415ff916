//! Crash-safe persistence of tracking sessions, solves and footage metadata.
//!
//! Owns: `TrackingSessionManager`, which stores YAML files under a state root
//! (default `.gsd-state/tracking/{sessions,solves,footage}`) with locking, revision
//! checks and atomic replace. Depends on `tracking-types` only.
