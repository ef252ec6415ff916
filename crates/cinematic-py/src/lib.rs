//! `cinematic-py`: the Python package `cinematic`, PyO3 bindings over the `cinematic`
//! facade, built by maturin (`pip install ./crates/cinematic-py`) as one stable-ABI
//! wheel for every CPython ≥ 3.9 (Blender's bundled Python and Debian's alike).
//!
//! It is a drop-in for the original package `lib.cinematic.tracking`: the same names,
//! call forms and defaults (`from cinematic.tracking import …`), with the original's
//! bugs fixed — correct Y-up ↔ Z-up maths, errors instead of silent defaults, sessions
//! saved by the crash-safe store.
//!
//! This crate is the extension module `cinematic._native`; the package around it
//! (`python/cinematic/`: `__init__.py`, `tracking.py`, the `.pyi` stubs, `py.typed`)
//! re-exports it and adds what only Python can know (`BLENDER_AVAILABLE`: running
//! inside Blender).
//!
//! | module | what it binds |
//! |---|---|
//! | `types` | the six data classes of the original `types.py` |
//! | `camera` | `BlenderCamera`: a solve's per-frame camera as flat typed arrays |
//! | `functions` | coordinates, lens maths, `.chan` import/export, footage probing and analysis |
//! | `tracks` | 2D track files: `import_tracks`, `export_tracks` (3DE, SynthEyes, PFTrack, boujou, Nuke, AE) |
//! | `manager` | `TrackingSessionManager` over the session store |
//! | `blender` | what the Blender add-on needs: the scene script, a shot's scene spec, camera keys from a `.chan`, a `.chan` from evaluated matrices |
//! | `errors` | the exception classes and the mapping of each crate's `Error` |
//! | `convert` | Python ↔ Rust values with type checks; lazy frame maps |
//!
//! Probing, analysis, `.chan` reading and writing and session I/O release the GIL, so
//! a Python thread pool runs them in parallel. Nothing here panics on input; a Rust
//! error always arrives as a `cinematic.CinematicError` subclass.

mod blender;
mod camera;
mod convert;
mod errors;
mod functions;
mod manager;
mod tracks;
mod types;

use pyo3::prelude::*;

/// The extension module `cinematic._native`.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", cinematic::VERSION)?;
    errors::register(module)?;
    types::register(module)?;
    module.add_class::<camera::PyBlenderCamera>()?;
    module.add_class::<manager::PyManager>()?;
    functions::register(module)?;
    blender::register(module)?;
    tracks::register(module)?;
    module.add(
        "SUPPORTED_FORMATS",
        cinematic::io::import::SUPPORTED_FORMATS.to_vec(),
    )?;
    Ok(())
}
