//! The store's only door to YAML: encoding and decoding go through the shared
//! `tracking_yaml` codec (PyYAML-compatible output, limits on size, aliases and
//! nesting), and its errors become [`Error::Corrupt`] / [`Error::Encode`] here.

use camino::Utf8Path;
use serde::Serialize;
use serde::de::DeserializeOwned;
pub use tracking_yaml::YamlLimits;
use tracking_yaml::{YamlError, from_yaml_str, to_yaml_string};

use crate::error::{Error, RecordKind};

/// Decode `text` (the content of `path`) as a `T`.
pub(crate) fn decode<T: DeserializeOwned>(
    path: &Utf8Path,
    text: &str,
    limits: &YamlLimits,
) -> Result<T, Error> {
    from_yaml_str(text, limits).map_err(|e| corrupt(path, &e))
}

/// Encode `value` as YAML.
pub(crate) fn encode<T: Serialize + ?Sized>(
    kind: RecordKind,
    id: &str,
    value: &T,
) -> Result<String, Error> {
    to_yaml_string(value).map_err(|e| Error::Encode {
        kind,
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

fn corrupt(path: &Utf8Path, error: &YamlError) -> Error {
    Error::Corrupt {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
        reason: error.to_string(),
        quarantined_to: None,
    }
}
