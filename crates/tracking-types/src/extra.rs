//! [`ExtraValue`]: what a record holds under a key this version does not know.
//!
//! A session file may carry keys we do not know: a newer writer's fields, or a typo
//! such as `camera_prof1le`. [`TrackingSession`](crate::TrackingSession) and
//! [`TrackData`](crate::TrackData) keep them, by name, in their `extra` map
//! ([`Extra`]): they are written back after the known fields when the record is saved,
//! so a newer writer's data survives us, and
//! [`TrackingSession::unknown_keys`](crate::TrackingSession::unknown_keys) lists them so
//! a typo is seen.
//!
//! The values are plain data, the kinds a YAML `safe_load` gives: null, booleans,
//! integers, floats (non-finite ones included: they are a newer writer's, not ours to
//! refuse), text, timestamps (kept as written), lists and maps with text keys. Binary
//! data, sets and maps with non-text keys cannot be kept: reading them is an error,
//! never a silent change.
//!
//! # The codec protocol
//!
//! Serde alone cannot tell a codec that a value is "untyped, keep it as the format's
//! reference reader would type it", so `ExtraValue` asks for it by name, the way
//! `serde_json::value::RawValue` does, and works with any serde format that does not
//! know the names:
//!
//! * it deserializes through `deserialize_newtype_struct(`[`NATIVE_VALUE`]`, …)`: a
//!   codec that knows the name types untagged scalars by its format's own rules (the
//!   YAML codec: PyYAML's YAML 1.1 resolvers, so a plain `yes` is `true` and `12:30` is
//!   750, as Python reads them); any other deserializer just calls `deserialize_any`;
//! * a timestamp is visited as a map with the single key [`TIMESTAMP`] whose value is
//!   its text, and serialized as `serialize_newtype_struct(`[`TIMESTAMP`]`, text)` (a
//!   codec that knows the name writes the text plain, so it is read back as a
//!   timestamp; others see a string);
//! * a non-finite float is serialized as `serialize_newtype_struct(`[`NATIVE_VALUE`]`,
//!   f)`, which a codec that knows the name may write (`.nan`, `.inf`) although it
//!   refuses non-finite numbers everywhere else.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// The newtype-struct name through which [`ExtraValue`] asks a codec for natively typed
/// values (see the [module docs](self)).
pub const NATIVE_VALUE: &str = "$tracking_types::ExtraValue";

/// The name of a timestamp in the codec protocol (see the [module docs](self)).
pub const TIMESTAMP: &str = "$tracking_types::Timestamp";

/// The unknown keys of a record and their values, in key order (written back in that
/// order, after the known fields).
pub type Extra = BTreeMap<String, ExtraValue>;

/// A value under a key this version does not know (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub enum ExtraValue {
    /// `null` (also `~` or an empty value in YAML).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float, possibly NaN or infinite.
    Float(f64),
    /// Text.
    String(String),
    /// A date or date-time, as written (`2024-01-01`, `2024-01-01 10:00:00`).
    Timestamp(String),
    /// A list.
    List(Vec<ExtraValue>),
    /// A map with text keys.
    Map(BTreeMap<String, ExtraValue>),
}

impl Serialize for ExtraValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Int(i) => match i64::try_from(*i) {
                Ok(small) => serializer.serialize_i64(small),
                Err(_) => serializer.serialize_i128(*i),
            },
            Self::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Self::Float(f) => serializer.serialize_newtype_struct(NATIVE_VALUE, f),
            Self::String(s) => serializer.serialize_str(s),
            Self::Timestamp(t) => serializer.serialize_newtype_struct(TIMESTAMP, t),
            Self::List(items) => serializer.collect_seq(items),
            Self::Map(entries) => serializer.collect_map(entries),
        }
    }
}

impl<'de> Deserialize<'de> for ExtraValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(NATIVE_VALUE, ExtraVisitor)
    }
}

/// How a value that cannot be kept is described in an error.
fn describe(value: &ExtraValue) -> String {
    match value {
        ExtraValue::Null => "null".to_owned(),
        ExtraValue::Bool(b) => b.to_string(),
        ExtraValue::Int(i) => i.to_string(),
        ExtraValue::Float(f) => f.to_string(),
        ExtraValue::String(s) => format!("{s:?}"),
        ExtraValue::Timestamp(t) => format!("timestamp {t}"),
        ExtraValue::List(_) => "a list".to_owned(),
        ExtraValue::Map(_) => "a map".to_owned(),
    }
}

struct ExtraVisitor;

impl<'de> Visitor<'de> for ExtraVisitor {
    type Value = ExtraValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("plain data (null, a boolean, a number, text, a timestamp, a list or a map)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<ExtraValue, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ExtraValue, D::Error> {
        ExtraValue::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<ExtraValue, E> {
        i128::try_from(v)
            .map(ExtraValue::Int)
            .map_err(|_| E::custom(format_args!("integer {v} is too large to keep")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ExtraValue, E> {
        Ok(ExtraValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ExtraValue, E> {
        Ok(ExtraValue::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<ExtraValue, E> {
        Ok(ExtraValue::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ExtraValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<ExtraValue>()? {
            items.push(item);
        }
        Ok(ExtraValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExtraValue, A::Error> {
        let mut entries = BTreeMap::new();
        let mut first = true;
        while let Some(key) = map.next_key::<ExtraValue>()? {
            let key = match key {
                ExtraValue::String(key) if first && key == TIMESTAMP => {
                    let text: String = map.next_value()?;
                    return Ok(ExtraValue::Timestamp(text));
                }
                ExtraValue::String(key) => key,
                other => {
                    return Err(de::Error::custom(format_args!(
                        "a map key that is not text ({}) cannot be kept",
                        describe(&other)
                    )));
                }
            };
            first = false;
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
            }
            let value = map.next_value::<ExtraValue>()?;
            entries.insert(key, value);
        }
        Ok(ExtraValue::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<ExtraValue, A::Error> {
        // A YAML deserializer presents a tagged node as an enum named by its tag; only
        // the non-specific tag `!` leaves the value what it is.
        let (tag, variant) = data.variant::<String>()?;
        if tag == "!" {
            de::VariantAccess::newtype_variant::<ExtraValue>(variant)
        } else {
            Err(de::Error::custom(format_args!(
                "a value tagged !{tag} cannot be kept"
            )))
        }
    }
}

/// A record's key: its text, as a field name is read (a plain `1001:` at a record's
/// top level is the key `"1001"`, as the fields' own names are text).
pub(crate) struct Key(pub(crate) String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name (text)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(Key(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        Err(E::invalid_type(de::Unexpected::Other("null"), &self))
    }

    fn visit_none<E: de::Error>(self) -> Result<Key, E> {
        self.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, MapDeserializer, SeqDeserializer};

    use super::*;

    #[test]
    fn a_format_without_the_protocol_gives_plain_values() {
        let text: Result<ExtraValue, Error> = ExtraValue::deserialize("x".into_deserializer());
        assert_eq!(text, Ok(ExtraValue::String("x".to_owned())));
        let list: Result<ExtraValue, Error> =
            ExtraValue::deserialize(SeqDeserializer::new([1i64, -2].into_iter()));
        assert_eq!(
            list,
            Ok(ExtraValue::List(vec![
                ExtraValue::Int(1),
                ExtraValue::Int(-2)
            ]))
        );
        let map: Result<ExtraValue, Error> = ExtraValue::deserialize(MapDeserializer::new(
            [("b", 0.5f64), ("a", 1.5)].into_iter(),
        ));
        assert_eq!(
            map,
            Ok(ExtraValue::Map(BTreeMap::from([
                ("a".to_owned(), ExtraValue::Float(1.5)),
                ("b".to_owned(), ExtraValue::Float(0.5)),
            ])))
        );
    }

    #[test]
    fn a_timestamp_is_a_map_with_the_protocol_key() {
        let map: Result<ExtraValue, Error> = ExtraValue::deserialize(MapDeserializer::new(
            [(TIMESTAMP, "2024-01-01")].into_iter(),
        ));
        assert_eq!(map, Ok(ExtraValue::Timestamp("2024-01-01".to_owned())));
    }

    #[test]
    fn keys_that_are_not_text_and_duplicates_are_refused() {
        let map: Result<ExtraValue, Error> =
            ExtraValue::deserialize(MapDeserializer::new([(1001i64, "x")].into_iter()));
        assert_eq!(
            map.unwrap_err().to_string(),
            "a map key that is not text (1001) cannot be kept"
        );
        let map: Result<ExtraValue, Error> =
            ExtraValue::deserialize(MapDeserializer::new([("a", 1i64), ("a", 2)].into_iter()));
        assert_eq!(map.unwrap_err().to_string(), "duplicate key \"a\"");
        let key: Result<Key, Error> = Key::deserialize(7u64.into_deserializer());
        assert_eq!(
            key.err().map(|e| e.to_string()),
            Some("invalid type: integer `7`, expected a field name (text)".to_owned())
        );
    }

    #[test]
    fn huge_integers_are_refused_not_wrapped() {
        let big: Result<ExtraValue, Error> = ExtraValue::deserialize(u128::MAX.into_deserializer());
        assert!(big.unwrap_err().to_string().contains("too large"));
    }
}
