//! Serde for frame-keyed maps: written with quoted string keys (`'1001':`) as the
//! original did, read from string or integer keys, duplicates rejected.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Frame;

/// Serialise a frame map with string keys.
pub fn serialize<S, V>(map: &BTreeMap<Frame, V>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Serialize,
{
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (frame, value) in map {
        out.serialize_entry(&frame.to_string(), value)?;
    }
    out.end()
}

/// Deserialise a frame map from string or integer keys; a duplicated frame is an error.
pub fn deserialize<'de, D, V>(deserializer: D) -> Result<BTreeMap<Frame, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(FrameMapVisitor(PhantomData))
}

struct FrameMapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for FrameMapVisitor<V> {
    type Value = BTreeMap<Frame, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from integer frame numbers to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = BTreeMap::new();
        while let Some(FrameKey(frame)) = access.next_key()? {
            let value = access.next_value()?;
            if map.insert(frame, value).is_some() {
                return Err(de::Error::custom(format_args!(
                    "duplicate frame key {frame}"
                )));
            }
        }
        Ok(map)
    }
}

/// A frame key: an integer, or a string holding one.
struct FrameKey(Frame);

impl<'de> Deserialize<'de> for FrameKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = FrameKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer frame number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FrameKey, E> {
                Ok(FrameKey(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FrameKey, E> {
                Frame::try_from(v)
                    .map(FrameKey)
                    .map_err(|_| E::custom(format_args!("frame {v} is out of range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FrameKey, E> {
                v.trim().parse::<Frame>().map(FrameKey).map_err(|_| {
                    E::custom(format_args!(
                        "frame key {v:?} is not an integer frame number"
                    ))
                })
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}
