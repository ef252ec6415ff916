//! `TrackingSessionManager`: the original manager's methods and properties over the
//! crash-safe store of `tracking-session` — every save takes the state-root lock,
//! checks the revision the session was loaded at (a `SessionConflict` instead of a lost
//! update) and replaces the file atomically and durably. Session I/O releases the GIL.

use camino::Utf8PathBuf;
use cinematic::TrackingSessionManager;
use cinematic::session::{DEFAULT_STATE_ROOT, Error as StoreError, LoadWarning, StoreOptions};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::utf8_path;
use crate::errors::{Failure, Kind, from_session};
use crate::types::{PySolveData, PyTrackingSession};

/// Sessions (`sessions/<id>.yaml`), solves and footage metadata under a state root
/// (default `.gsd-state/tracking`, relative to the working directory).
#[pyclass(
    module = "cinematic",
    name = "TrackingSessionManager",
    frozen,
    subclass
)]
pub(crate) struct PyManager {
    inner: TrackingSessionManager,
}

fn store_error(error: &StoreError) -> PyErr {
    from_session(error).into()
}

/// What a load noticed and let pass (unknown keys, kept) becomes a Python `UserWarning`
/// instead of the CLI's line on stderr. A warnings filter set to "error" cannot turn it
/// into an exception here (the store calls this mid-load); the warning is then dropped.
fn warn_in_python(warning: &LoadWarning) {
    Python::attach(|py| {
        let warned = py
            .import("warnings")
            .and_then(|w| w.call_method1("warn", (warning.to_string(),)));
        drop(warned);
    });
}

#[pymethods]
impl PyManager {
    #[new]
    #[pyo3(signature = (state_root = None))]
    fn new(py: Python<'_>, state_root: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let root = match state_root {
            Some(root) if !root.is_none() => utf8_path(root, "state_root")?,
            _ => Utf8PathBuf::from(DEFAULT_STATE_ROOT),
        };
        let options = StoreOptions {
            on_warning: Some(warn_in_python),
            ..StoreOptions::default()
        };
        let inner = py
            .detach(|| TrackingSessionManager::open_with(root, options))
            .map_err(|e| store_error(&e))?;
        Ok(Self { inner })
    }

    /// The state root (`pathlib.Path`).
    #[getter]
    fn state_root<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.state_root().as_std_path().into_pyobject(py)
    }

    /// `<state_root>/sessions`.
    #[getter]
    fn sessions_dir<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.sessions_dir().as_std_path().into_pyobject(py)
    }

    /// `<state_root>/solves`.
    #[getter]
    fn solves_dir<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.solves_dir().as_std_path().into_pyobject(py)
    }

    /// `<state_root>/footage`.
    #[getter]
    fn footage_dir<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.footage_dir().as_std_path().into_pyobject(py)
    }

    /// Saves `session` to `sessions/<session_id>.yaml` (or to `path`), atomically.
    ///
    /// Raises `SessionConflict` when the file changed since `session` was loaded, or
    /// exists although `session` was never loaded; `force=True` replaces whatever the
    /// store holds under the id (not with `path`). On success the session's `revision`
    /// and `saved_at` are updated, so the same object can be saved again.
    #[pyo3(signature = (session, path = None, *, force = false))]
    fn save(
        &self,
        py: Python<'_>,
        session: &Bound<'_, PyTrackingSession>,
        path: Option<&Bound<'_, PyAny>>,
        force: bool,
    ) -> PyResult<()> {
        let mut data = session.borrow().to_rust(py)?;
        let target = match path {
            Some(p) if !p.is_none() => Some(utf8_path(p, "path")?),
            _ => None,
        };
        if force && target.is_some() {
            return Err(Failure::new(
                Kind::InvalidValue,
                "force=True replaces a session in the store; it cannot be combined with path",
            )
            .into());
        }
        py.detach(|| match &target {
            Some(target) => self.inner.save_to_path(&mut data, target),
            None if force => self.inner.save_replacing(&mut data),
            None => self.inner.save(&mut data),
        })
        .map_err(|e| store_error(&e))?;
        session.borrow_mut().set_bookkeeping(&data);
        Ok(())
    }

    /// Loads session `session_id` (`NotFoundError`, a `FileNotFoundError`, when there
    /// is none).
    fn load(&self, py: Python<'_>, session_id: &str) -> PyResult<PyTrackingSession> {
        let session = py
            .detach(|| self.inner.load(session_id))
            .map_err(|e| store_error(&e))?;
        PyTrackingSession::from_rust(py, session)
    }

    /// Loads a session from any file (e.g. one written elsewhere).
    fn load_from_path(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
    ) -> PyResult<PyTrackingSession> {
        let path = utf8_path(path, "path")?;
        let session = py
            .detach(|| self.inner.load_from_path(&path))
            .map_err(|e| store_error(&e))?;
        PyTrackingSession::from_rust(py, session)
    }

    /// The ids of the sessions that load, sorted (unloadable files are left out).
    fn list_sessions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let listing = py
            .detach(|| self.inner.list_sessions())
            .map_err(|e| store_error(&e))?;
        let mut ids: Vec<String> = listing.sessions.iter().map(|s| s.id.to_string()).collect();
        ids.sort();
        PyList::new(py, ids)
    }

    /// Deletes session `session_id`: `True` if it was deleted, `False` if there was none.
    fn delete(&self, py: Python<'_>, session_id: &str) -> PyResult<bool> {
        match py.detach(|| self.inner.delete(session_id)) {
            Ok(()) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(e) => Err(store_error(&e)),
        }
    }

    /// The session saved most recently (by the store's save counter, not file mtime), or
    /// `None` when there is none.
    fn get_latest_session(&self, py: Python<'_>) -> PyResult<Option<PyTrackingSession>> {
        let latest = py
            .detach(|| self.inner.get_latest_session())
            .map_err(|e| store_error(&e))?;
        latest
            .map(|s| PyTrackingSession::from_rust(py, s))
            .transpose()
    }

    /// Whether session `session_id` exists.
    fn exists(&self, py: Python<'_>, session_id: &str) -> PyResult<bool> {
        py.detach(|| self.inner.exists(session_id))
            .map_err(|e| store_error(&e))
    }

    /// Saves `solve` to `solves/<name>.yaml` (atomically, replacing an older one);
    /// returns the file's path.
    fn save_solve<'py>(
        &self,
        py: Python<'py>,
        solve: &Bound<'_, PySolveData>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let data = solve.borrow().to_rust(py)?;
        let path = py
            .detach(|| self.inner.save_solve(&data))
            .map_err(|e| store_error(&e))?;
        path.as_std_path().into_pyobject(py)
    }

    /// Loads solve `name`.
    fn load_solve(&self, py: Python<'_>, name: &str) -> PyResult<PySolveData> {
        let solve = py
            .detach(|| self.inner.load_solve(name))
            .map_err(|e| store_error(&e))?;
        Ok(PySolveData::from_rust(solve))
    }

    /// The names of the solves that load, sorted.
    fn list_solves<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let listing = py
            .detach(|| self.inner.list_solves())
            .map_err(|e| store_error(&e))?;
        PyList::new(py, listing.ids.iter().map(ToString::to_string))
    }

    fn __repr__(&self) -> String {
        format!(
            "TrackingSessionManager(state_root={:?})",
            self.inner.state_root().as_str()
        )
    }
}
