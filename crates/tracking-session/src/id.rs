//! [`SessionId`]: the one validated name from which every store file name is built.
//!
//! Ids become file names, so the rule is strict (CONVENTIONS §7): 1–64 characters of
//! `[A-Za-z0-9._-]`, starting with a letter or digit, no `..`, no trailing `.`, and not
//! a Windows device name (`CON`, `NUL`, `COM1`, … also with an extension such as
//! `con.yaml`). Uniqueness regardless of case is a property of a store, checked there.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The longest id accepted, in characters (all ASCII, so also bytes).
pub const MAX_ID_LEN: usize = 64;

/// Device names Windows reserves in every directory, with or without an extension.
const WINDOWS_DEVICE_NAMES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
/// Numbered device families (`COM0`–`COM9`, `LPT0`–`LPT9`).
const WINDOWS_NUMBERED_DEVICES: [&str; 2] = ["COM", "LPT"];

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum IdError {
    /// The id is empty.
    #[error("the id is empty")]
    Empty,
    /// The id is longer than [`MAX_ID_LEN`].
    #[error("the id is {len} characters long; at most {MAX_ID_LEN} are allowed")]
    TooLong {
        /// Length found, in characters.
        len: usize,
    },
    /// The id holds a character outside `[A-Za-z0-9._-]`.
    #[error("character {found:?} at position {position} is not allowed (only A-Z a-z 0-9 . _ -)")]
    ForbiddenCharacter {
        /// The character found.
        found: char,
        /// Its 0-based character position.
        position: usize,
    },
    /// The id does not start with a letter or digit.
    #[error("the id must start with a letter or a digit")]
    BadFirstCharacter,
    /// The id contains `..`.
    #[error("the id must not contain \"..\"")]
    DotDot,
    /// The id ends with `.` (Windows drops it silently).
    #[error("the id must not end with \".\"")]
    TrailingDot,
    /// The id is a Windows device name.
    #[error("{name:?} is a reserved device name on Windows")]
    ReservedName {
        /// The reserved name found (the part before the first `.`).
        name: String,
    },
}

/// A validated id of a session (also used for solve names and footage keys): safe to
/// use as a file name stem on every platform.
///
/// ```
/// use tracking_session::SessionId;
/// assert!(SessionId::new("shot_010").is_ok());
/// assert!(SessionId::new("../x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// Validate `id`.
    pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
        let id = id.into();
        check(&id)?;
        Ok(Self(id))
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file name of this id's record: `<id>.yaml`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.0, crate::store_layout::RECORD_EXTENSION)
    }

    /// Whether two ids name the same file on a case-insensitive file system.
    pub fn eq_ignore_case(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

fn check(id: &str) -> Result<(), IdError> {
    let len = id.chars().count();
    if len == 0 {
        return Err(IdError::Empty);
    }
    if len > MAX_ID_LEN {
        return Err(IdError::TooLong { len });
    }
    if let Some((position, found)) = id
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(IdError::ForbiddenCharacter { found, position });
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(IdError::BadFirstCharacter);
    }
    if id.contains("..") {
        return Err(IdError::DotDot);
    }
    if id.ends_with('.') {
        return Err(IdError::TrailingDot);
    }
    check_not_a_device_name(id)
}

fn check_not_a_device_name(id: &str) -> Result<(), IdError> {
    let stem = id.split('.').next().unwrap_or(id);
    let upper = stem.to_ascii_uppercase();
    let plain = WINDOWS_DEVICE_NAMES.contains(&upper.as_str());
    let numbered = upper.len() == 4
        && WINDOWS_NUMBERED_DEVICES.contains(&&upper[..3])
        && upper.as_bytes()[3].is_ascii_digit();
    if plain || numbered {
        return Err(IdError::ReservedName {
            name: stem.to_owned(),
        });
    }
    Ok(())
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SessionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for SessionId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for SessionId {
    type Error = IdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for SessionId {
    type Error = IdError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<SessionId> for String {
    fn from(id: SessionId) -> Self {
        id.0
    }
}

impl Serialize for SessionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::new(raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_shot_names_are_accepted() {
        for id in [
            "shot_010",
            "sq010-sh020",
            "a",
            "A.b_c-1",
            "9lives",
            &"x".repeat(64),
        ] {
            assert!(SessionId::new(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn path_escapes_and_separators_are_rejected() {
        assert!(matches!(
            SessionId::new("../x"),
            Err(IdError::ForbiddenCharacter { .. } | IdError::BadFirstCharacter)
        ));
        assert_eq!(
            SessionId::new("/etc/passwd"),
            Err(IdError::ForbiddenCharacter {
                found: '/',
                position: 0
            })
        );
        assert_eq!(
            SessionId::new("a/b"),
            Err(IdError::ForbiddenCharacter {
                found: '/',
                position: 1
            })
        );
        assert!(SessionId::new("a\\b").is_err());
        assert_eq!(SessionId::new("a..b"), Err(IdError::DotDot));
    }

    #[test]
    fn empty_long_and_trailing_dot_ids_are_rejected() {
        assert_eq!(SessionId::new(""), Err(IdError::Empty));
        assert_eq!(
            SessionId::new("x".repeat(65)),
            Err(IdError::TooLong { len: 65 })
        );
        assert_eq!(SessionId::new("x."), Err(IdError::TrailingDot));
        assert_eq!(SessionId::new(".hidden"), Err(IdError::BadFirstCharacter));
        assert_eq!(SessionId::new("_x"), Err(IdError::BadFirstCharacter));
        assert!(matches!(
            SessionId::new("shot 010"),
            Err(IdError::ForbiddenCharacter { found: ' ', .. })
        ));
        assert!(matches!(
            SessionId::new("shöt"),
            Err(IdError::ForbiddenCharacter { found: 'ö', .. })
        ));
    }

    #[test]
    fn windows_device_names_are_rejected_in_any_case_and_with_extensions() {
        for id in [
            "CON",
            "con",
            "Prn",
            "AUX",
            "nul",
            "COM1",
            "com9",
            "LPT1",
            "lpt0",
            "CON.txt",
            "nul.tar.gz",
            "Com3.yaml",
        ] {
            assert!(
                matches!(SessionId::new(id), Err(IdError::ReservedName { .. })),
                "{id}"
            );
        }
        for id in ["CONSOLE", "con_1", "COM10", "LPT", "null", "auxiliary.yaml"] {
            assert!(SessionId::new(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn the_file_name_is_the_id_with_a_yaml_extension() {
        let id = SessionId::new("shot_010").unwrap();
        assert_eq!(id.file_name(), "shot_010.yaml");
        assert!(id.eq_ignore_case("SHOT_010"));
    }

    #[test]
    fn ids_deserialise_only_when_valid() {
        let ok: Result<SessionId, _> = serde_json::from_str("\"shot_010\"");
        assert!(ok.is_ok());
        let bad: Result<SessionId, _> = serde_json::from_str("\"../x\"");
        assert!(bad.is_err());
    }
}
