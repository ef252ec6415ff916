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
