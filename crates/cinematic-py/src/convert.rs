//! Python values ↔ Rust values, with the type checks the attributes promise: numbers
//! from any sequence (a tuple, a list, Blender's `mathutils.Vector`), enum names from
//! strings, paths from `str` or `os.PathLike`, and frame-keyed maps ([`FrameMap`]) that
//! stay in Rust until Python first looks at them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::{invalid, type_error};

/// `N` numbers from any sequence of length `N` (not a `str` or `bytes`).
pub(crate) fn numbers<const N: usize>(value: &Bound<'_, PyAny>, field: &str) -> PyResult<[f64; N]> {
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(type_error(
            field,
            &format!("a sequence of {N} numbers"),
            value,
        ));
    }
    let len = value
        .len()
        .map_err(|_| type_error(field, &format!("a sequence of {N} numbers"), value))?;
    if len != N {
        return Err(PyValueError::new_err(format!(
            "{field} must have {N} numbers, not {len}"
        )));
    }
    let mut out = [0.0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = number(&value.get_item(i)?, &format!("{field}[{i}]"))?;
    }
    Ok(out)
}

/// A float from an `int` or `float` (not a `bool`, not a string).
pub(crate) fn number(value: &Bound<'_, PyAny>, field: &str) -> PyResult<f64> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return Err(type_error(field, "a number", value));
    }
    value
        .extract::<f64>()
        .map_err(|_| type_error(field, "a number", value))
}

/// An integer from an `int` (not a `bool`, not a float).
pub(crate) fn integer(value: &Bound<'_, PyAny>, field: &str) -> PyResult<i64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(type_error(field, "an int", value));
    }
    value
        .extract::<i64>()
        .map_err(|_| PyValueError::new_err(format!("{field}: {value} does not fit in 64 bits")))
}

/// A `str`.
pub(crate) fn text(value: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    if !value.is_instance_of::<PyString>() {
        return Err(type_error(field, "a str", value));
    }
    value.extract::<String>()
}

/// A tuple of floats.
pub(crate) fn float_tuple<'py>(py: Python<'py>, values: &[f64]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, values.iter().copied())
}

/// Whole numbers as Python `int` (as the original's integer defaults), others as `float`.
pub(crate) fn whole_as_int<'py>(py: Python<'py>, value: f64) -> PyResult<Bound<'py, PyAny>> {
    /// Every whole f64 below 2^53 in magnitude is exact as an integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let whole =
        value.fract() == 0.0 && value.abs() < EXACT && !(value == 0.0 && value.is_sign_negative());
    if whole {
        // Exact: whole and below 2^53 in magnitude.
        #[allow(clippy::cast_possible_truncation)]
        let int = value as i64;
        Ok(int.into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, value).into_any())
    }
}

/// A pixel rectangle as the original held it: a tuple, whole numbers as `int`.
pub(crate) fn area_tuple<'py>(py: Python<'py>, area: &[f64; 4]) -> PyResult<Bound<'py, PyTuple>> {
    let items = area
        .iter()
        .map(|&v| whole_as_int(py, v))
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, items)
}

/// The serde name of a unit enum variant (`TrackType::Point` → `"point"`).
pub(crate) fn enum_name<E: Serialize>(value: &E) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// A unit enum variant from its serde name; `allowed` lists the names for the message.
pub(crate) fn parse_enum<E: DeserializeOwned>(
    value: &Bound<'_, PyAny>,
    field: &str,
    allowed: &[&str],
) -> PyResult<E> {
    let name = text(value, field)?;
    serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
        PyErr::from(invalid(
            field,
            format!("{name:?} is not one of {}", allowed.join(", ")),
        ))
    })
}

/// A file-system path from `str`, `bytes` or `os.PathLike`.
pub(crate) fn as_path(value: &Bound<'_, PyAny>, field: &str) -> PyResult<PathBuf> {
    value
        .extract::<PathBuf>()
        .map_err(|_| type_error(field, "a str or os.PathLike path", value))
}

/// A path that must be UTF-8 (it is stored as text, e.g. a state root).
pub(crate) fn utf8_path(value: &Bound<'_, PyAny>, field: &str) -> PyResult<camino::Utf8PathBuf> {
    let path = as_path(value, field)?;
    camino::Utf8PathBuf::from_path_buf(path).map_err(|p| {
        PyErr::from(invalid(
            field,
            format!("{} is not valid UTF-8", p.display()),
        ))
    })
}

/// A value a frame map holds, convertible both ways.
pub(crate) trait FrameValue: Clone + Sized {
    /// The Python value.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
    /// The value from Python; `field` names it in errors.
    fn from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Self>;
}

impl<const N: usize> FrameValue for [f64; N] {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(float_tuple(py, self)?.into_any())
    }
    fn from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Self> {
        numbers::<N>(value, field)
    }
}

impl FrameValue for f64 {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyFloat::new(py, *self).into_any())
    }
    fn from_py(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Self> {
        number(value, field)
    }
}

/// A frame-keyed map (`{frame: value}`): Rust data until Python reads the attribute,
/// then the very `dict` Python holds (so `track.markers[1001] = (x, y)` sticks, as on
/// the original dataclasses). A session of a million markers loads without building a
/// million Python objects; they are built only for the maps that are looked at.
#[derive(Debug)]
pub(crate) enum FrameMap<V> {
    /// Not looked at from Python yet.
    Rust(BTreeMap<i64, V>),
    /// The dict Python sees; checked again whenever the data goes back to Rust.
    Python(Py<PyDict>),
}

impl<V: FrameValue> FrameMap<V> {
    /// The dict Python sees (built on first access).
    pub(crate) fn dict(&mut self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        if let FrameMap::Rust(map) = self {
            let dict = PyDict::new(py);
            for (frame, value) in map.iter() {
                dict.set_item(*frame, value.to_py(py)?)?;
            }
            *self = FrameMap::Python(dict.unbind());
        }
        match self {
            FrameMap::Python(dict) => Ok(dict.clone_ref(py)),
            FrameMap::Rust(_) => Err(PyTypeError::new_err("frame map not converted")),
        }
    }

    /// Replace the map by `value`: a `dict` is kept as the very object (after checking
    /// it), any other mapping is copied into a new `dict`.
    pub(crate) fn set(&mut self, value: &Bound<'_, PyAny>, field: &str) -> PyResult<()> {
        let py = value.py();
        let dict = if let Ok(dict) = value.cast::<PyDict>() {
            dict.clone()
        } else if value.hasattr("items")? {
            let dict = PyDict::new(py);
            for item in value.call_method0("items")?.try_iter()? {
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
                dict.set_item(k, v)?;
            }
            dict
        } else {
            return Err(type_error(field, "a dict of frame -> value", value));
        };
        check_dict::<V>(&dict, field)?;
        *self = FrameMap::Python(dict.unbind());
        Ok(())
    }

    /// The map as Rust data (checked: int frames, values of the right shape).
    pub(crate) fn to_rust(&self, py: Python<'_>, field: &str) -> PyResult<BTreeMap<i64, V>> {
        match self {
            FrameMap::Rust(map) => Ok(map.clone()),
            FrameMap::Python(dict) => check_dict::<V>(dict.bind(py), field),
        }
    }

    /// Number of frames and the first and last frame.
    pub(crate) fn summary(&self, py: Python<'_>) -> (usize, Option<(i64, i64)>) {
        match self {
            FrameMap::Rust(map) => (
                map.len(),
                map.keys()
                    .next()
                    .copied()
                    .zip(map.keys().next_back().copied()),
            ),
            FrameMap::Python(dict) => {
                let dict = dict.bind(py);
                let frames: Vec<i64> = dict
                    .keys()
                    .iter()
                    .filter_map(|k| k.extract().ok())
                    .collect();
                (
                    dict.len(),
                    frames
                        .iter()
                        .min()
                        .copied()
                        .zip(frames.iter().max().copied()),
                )
            }
        }
    }
}

fn check_dict<V: FrameValue>(dict: &Bound<'_, PyDict>, field: &str) -> PyResult<BTreeMap<i64, V>> {
    let mut out = BTreeMap::new();
    for (key, value) in dict.iter() {
        let frame = integer(&key, &format!("{field} key"))?;
        let value = V::from_py(&value, &format!("{field}[{frame}]"))?;
        out.insert(frame, value);
    }
    Ok(out)
}

/// A frame map read from an original-layout dict: keys are frame numbers or strings
/// holding one (`'1001'`), as `from_dict` gets them from YAML or JSON.
pub(crate) fn frame_dict_from_original<'py>(
    value: &Bound<'py, PyAny>,
    field: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let py = value.py();
    let Ok(source) = value.cast::<PyDict>() else {
        return Err(type_error(field, "a dict", value));
    };
    let out = PyDict::new(py);
    for (key, item) in source.iter() {
        let frame: i64 = if key.is_instance_of::<PyString>() {
            let text: String = key.extract()?;
            text.trim().parse().map_err(|_| {
                PyErr::from(invalid(
                    field,
                    format!("frame key {text:?} is not an integer frame number"),
                ))
            })?
        } else {
            integer(&key, &format!("{field} key"))?
        };
        let item = if item.is_instance_of::<PyFloat>() || item.is_instance_of::<PyInt>() {
            item
        } else {
            PyTuple::new(py, item.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any()
        };
        if out.contains(frame)? {
            return Err(invalid(field, format!("duplicate frame key {frame}")).into());
        }
        out.set_item(frame, item)?;
    }
    Ok(out)
}

/// A frame map as the original's `to_dict` wrote it: `{str(frame): list(value)}`.
pub(crate) fn frame_dict_to_original<'py, V: FrameValue>(
    py: Python<'py>,
    map: &BTreeMap<i64, V>,
    as_list: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (frame, value) in map {
        let item = value.to_py(py)?;
        let item = if as_list {
            pyo3::types::PyList::new(py, item.try_iter()?.collect::<PyResult<Vec<_>>>()?)?
                .into_any()
        } else {
            item
        };
        out.set_item(frame.to_string(), item)?;
    }
    Ok(out)
}
