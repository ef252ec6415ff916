//! [`Validate`]: checks that data can be stored (finite numbers, sane ranges).

use thiserror::Error;

/// Why a value cannot be stored; `field` is a path such as `tracks[1].markers[1002][0]`.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A number is NaN or infinite.
    #[error("{field}: non-finite number {value}")]
    NonFinite {
        /// Path of the offending field.
        field: String,
        /// The value found.
        value: f64,
    },
    /// A value is outside its allowed range.
    #[error("{field}: {reason}")]
    OutOfRange {
        /// Path of the offending field.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

/// Data that can check itself before it is stored.
pub trait Validate {
    /// `Ok` when every number is finite and every range is sane.
    fn validate(&self) -> Result<(), ValidationError>;
}

impl ValidationError {
    /// The same error with `prefix` put in front of the field path
    /// (`markers[3][0]` under `tracks[1]` becomes `tracks[1].markers[3][0]`).
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        let join = |field: String| {
            if field.starts_with('[') {
                format!("{prefix}{field}")
            } else {
                format!("{prefix}.{field}")
            }
        };
        match self {
            Self::NonFinite { field, value } => Self::NonFinite {
                field: join(field),
                value,
            },
            Self::OutOfRange { field, reason } => Self::OutOfRange {
                field: join(field),
                reason,
            },
        }
    }

    /// The path of the offending field.
    pub fn field(&self) -> &str {
        match self {
            Self::NonFinite { field, .. } | Self::OutOfRange { field, .. } => field,
        }
    }
}

/// `value` must be finite.
pub(crate) fn finite(field: impl FnOnce() -> String, value: f64) -> Result<(), ValidationError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ValidationError::NonFinite {
            field: field(),
            value,
        })
    }
}

/// Every element of `values` must be finite; the path gets `[i]` appended.
pub(crate) fn all_finite(field: &str, values: &[f64]) -> Result<(), ValidationError> {
    for (i, &v) in values.iter().enumerate() {
        finite(|| format!("{field}[{i}]"), v)?;
    }
    Ok(())
}

/// `value` must be finite and satisfy `ok`, else `OutOfRange` with `reason`.
pub(crate) fn in_range(
    field: &str,
    value: f64,
    ok: impl FnOnce(f64) -> bool,
    reason: &str,
) -> Result<(), ValidationError> {
    finite(|| field.to_owned(), value)?;
    if ok(value) {
        Ok(())
    } else {
        Err(ValidationError::OutOfRange {
            field: field.to_owned(),
            reason: format!("{value} {reason}"),
        })
    }
}

/// `start <= end`, else `OutOfRange` on `field`.
pub(crate) fn ordered(field: &str, start: i64, end: i64) -> Result<(), ValidationError> {
    if start <= end {
        Ok(())
    } else {
        Err(ValidationError::OutOfRange {
            field: field.to_owned(),
            reason: format!("start {start} is after end {end}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_joins_fields_and_indices() {
        let e = ValidationError::NonFinite {
            field: "markers[3][0]".to_owned(),
            value: f64::NAN,
        };
        assert_eq!(e.within("tracks[1]").field(), "tracks[1].markers[3][0]");
        let e = ValidationError::OutOfRange {
            field: "[2]".to_owned(),
            reason: "x".to_owned(),
        };
        assert_eq!(e.within("color").field(), "color[2]");
    }
}
