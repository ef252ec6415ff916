//! How records with unknown keys are read: the `Deserialize` of
//! [`TrackingSession`](crate::TrackingSession) and [`TrackData`](crate::TrackData).
//!
//! serde's `#[serde(flatten)]` would keep unknown keys too, but it buffers them through
//! `deserialize_any` first, so a codec could no longer type them as its format's
//! reference reader does (see [`crate::extra`]). [`deserialize_record!`] writes the
//! visitor instead: every field missing from the input keeps the record's `Default`
//! value (as `#[serde(default)]` did), a known field given twice is an error, and an
//! unknown key goes to `extra` (given twice, an error too).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::Frame;

/// A field read as its own type.
pub(crate) struct Plain<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Plain<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Plain)
    }
}

/// A text field that must be text: `null` (or an empty YAML value, which is null to
/// PyYAML too) is an error, never the text `"null"` nor silently `""`.
pub(crate) struct RequiredText(pub(crate) String);

impl<'de> Deserialize<'de> for RequiredText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(RequiredTextVisitor)
    }
}

struct RequiredTextVisitor;

impl<'de> Visitor<'de> for RequiredTextVisitor {
    type Value = RequiredText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_none<E: de::Error>(self) -> Result<RequiredText, E> {
        Err(E::invalid_type(de::Unexpected::Other("null"), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<RequiredText, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RequiredText, D::Error> {
        String::deserialize(d).map(RequiredText)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RequiredText, E> {
        Ok(RequiredText(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RequiredText, E> {
        Ok(RequiredText(v))
    }
}

/// A frame-keyed map (see [`crate::frame_map`]).
pub(crate) struct FrameKeyed<V>(pub(crate) BTreeMap<Frame, V>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for FrameKeyed<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::frame_map::deserialize(deserializer).map(FrameKeyed)
    }
}

/// The visitor's bookkeeping of the known fields seen so far.
pub(crate) struct Seen(Vec<&'static str>);

impl Seen {
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    /// Records `field`; an error when it was seen before.
    pub(crate) fn first<E: de::Error>(&mut self, field: &'static str) -> Result<(), E> {
        if self.0.contains(&field) {
            return Err(E::duplicate_field(field));
        }
        self.0.push(field);
        Ok(())
    }
}

/// An unknown key given twice.
pub(crate) fn duplicate_key<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate key {key:?}"))
}

/// The visitor of a record type `T` (its `expecting` text).
pub(crate) struct RecordVisitor<T>(pub(crate) &'static str, pub(crate) PhantomData<T>);

/// `impl Deserialize` for a record: `deserialize_record!(Type, "a tracking session",
/// { "key" => field: Wrapper, … })`, where each wrapper (`Plain<T>`, `RequiredText`,
/// `FrameKeyed<V>`) derefs to the field's type through `.0`; the record needs `Default`
/// and an `extra: Extra` field.
macro_rules! deserialize_record {
    ($ty:ident, $expecting:literal, { $($key:literal => $field:ident : $via:ty),+ $(,)? }) => {
        impl<'de> serde::de::Visitor<'de> for $crate::record::RecordVisitor<$ty> {
            type Value = $ty;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                let mut record = <$ty as Default>::default();
                let mut seen = $crate::record::Seen::new();
                while let Some($crate::extra::Key(key)) = map.next_key()? {
                    match key.as_str() {
                        $($key => {
                            seen.first($key)?;
                            record.$field = map.next_value::<$via>()?.0;
                        })+
                        _ => {
                            if record.extra.contains_key(&key) {
                                return Err($crate::record::duplicate_key(&key));
                            }
                            let value = map.next_value::<$crate::ExtraValue>()?;
                            record.extra.insert(key, value);
                        }
                    }
                }
                Ok(record)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map($crate::record::RecordVisitor::<$ty>(
                    $expecting,
                    std::marker::PhantomData,
                ))
            }
        }
    };
}

pub(crate) use deserialize_record;
