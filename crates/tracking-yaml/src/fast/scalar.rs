//! Scalar-level deserializers of the fast path: map keys, enum variant names, values
//! inside `Some(..)`, and serde_yaml's rules for typing untagged scalars.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};

use super::{
    EmptyAccess, FastDeserializer, FastError, Mark, NodeStart, Result, Scalar, ScalarStyle,
};
use crate::resolve::core;
use crate::resolve::pyyaml::{self, Native};

/// Maps serde_yaml's treatment of an untyped scalar (plain: null/bool/int/float/str).
pub(super) fn visit_untyped<'de, V: Visitor<'de>>(
    scalar: Scalar<'de>,
    visitor: V,
) -> Result<V::Value> {
    if scalar.style == ScalarStyle::Quoted {
        return visit_text(scalar.text, visitor);
    }
    let v: &str = &scalar.text;
    if v.is_empty() || core::parse_null(v) {
        return visitor.visit_unit();
    }
    if let Some(b) = core::parse_bool(v) {
        return visitor.visit_bool(b);
    }
    if let Some(i) = core::parse_unsigned_int(v, u64::from_str_radix) {
        return visitor.visit_u64(i);
    }
    if let Some(i) = core::parse_negative_int(v, i64::from_str_radix) {
        return visitor.visit_i64(i);
    }
    if let Some(i) = core::parse_unsigned_int(v, u128::from_str_radix) {
        return visitor.visit_u128(i);
    }
    if let Some(i) = core::parse_negative_int(v, i128::from_str_radix) {
        return visitor.visit_i128(i);
    }
    if !core::digits_but_not_number(v)
        && let Some(f) = core::parse_f64(v)
    {
        return visitor.visit_f64(f);
    }
    visit_text(scalar.text, visitor)
}

/// A scalar typed as `yaml.safe_load` types it (PyYAML's YAML 1.1 resolvers), for
/// values asked for through [`crate::NATIVE_VALUE`]: quoted is text; plain may be null,
/// a bool, an int (`0777`, `12:30`, `1_000`), a float (`.5`, `.inf`), a timestamp
/// (visited as a map with the single key [`crate::TIMESTAMP`]) or text.
pub(super) fn visit_native<'de, V: Visitor<'de>>(
    scalar: Scalar<'de>,
    visitor: V,
) -> Result<V::Value> {
    if scalar.style == ScalarStyle::Quoted {
        return visit_text(scalar.text, visitor);
    }
    match pyyaml::construct(&scalar.text) {
        Native::Null => visitor.visit_unit(),
        Native::Bool(b) => visitor.visit_bool(b),
        Native::Int(i) => match i64::try_from(i) {
            Ok(small) => visitor.visit_i64(small),
            Err(_) => visitor.visit_i128(i),
        },
        Native::Float(f) => visitor.visit_f64(f),
        Native::Timestamp => visitor.visit_map(TimestampAccess(Some(scalar.text))),
        Native::Str => visit_text(scalar.text, visitor),
        Native::Refused(reason) => Err(<FastError as de::Error>::custom(format_args!(
            "{:?}: {reason}",
            scalar.text
        ))),
    }
}

/// A timestamp as the codec protocol shows it: `{TIMESTAMP: text}`.
struct TimestampAccess<'de>(Option<Cow<'de, str>>);

impl<'de> de::MapAccess<'de> for TimestampAccess<'de> {
    type Error = FastError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(crate::TIMESTAMP))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.0.take() {
            Some(Cow::Borrowed(text)) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::new(text))
            }
            Some(Cow::Owned(text)) => seed.deserialize(de::value::StringDeserializer::new(text)),
            None => Err(FastError::Unsupported),
        }
    }
}

pub(super) fn visit_text<'de, V: Visitor<'de>>(
    text: Cow<'de, str>,
    visitor: V,
) -> Result<V::Value> {
    match text {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

/// The error serde_yaml gives for a scalar of the wrong type.
pub(super) fn invalid_scalar(scalar: Scalar<'_>, expected: &dyn Expected) -> FastError {
    struct Refuse<'a>(&'a dyn Expected);
    impl Visitor<'_> for Refuse<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }
    let mark = scalar.mark;
    match visit_untyped(scalar, Refuse(expected)) {
        Ok(()) => FastError::Unsupported,
        Err(e) => e.at(mark),
    }
}

pub(super) fn invalid_collection(
    node: &NodeStart<'_>,
    expected: &dyn Expected,
    mark: Mark,
) -> FastError {
    let unexpected = match node {
        NodeStart::Seq(_) | NodeStart::EmptySeq => Unexpected::Seq,
        _ => Unexpected::Map,
    };
    <FastError as de::Error>::invalid_type(unexpected, expected).at(mark)
}

/// A node whose start was already read (for `Option`'s `visit_some`).
pub(super) struct NodeDeserializer<'a, 'de> {
    pub(super) de: &'a mut FastDeserializer<'de>,
    pub(super) node: NodeStart<'de>,
    pub(super) mark: Mark,
}

impl<'de> NodeDeserializer<'_, 'de> {
    /// Puts the node back by re-dispatching through `deserialize_any`-like logic.
    fn dispatch<V: Visitor<'de>>(self, visitor: V, want: Want) -> Result<V::Value> {
        let Self { de, node, mark } = self;
        match (node, want) {
            (NodeStart::Map(indent), Want::Any | Want::Map) => de.visit_block_map(indent, visitor),
            (NodeStart::Seq(indent), Want::Any | Want::Seq) => de.visit_block_seq(indent, visitor),
            (NodeStart::EmptySeq, Want::Any | Want::Seq) => de.visit_empty_seq(visitor),
            (NodeStart::EmptyMap, Want::Any | Want::Map) => de.visit_empty_map(visitor),
            (NodeStart::Scalar(s), Want::Any) => {
                let m = s.mark;
                visit_untyped(s, visitor).map_err(|e: FastError| e.at(m))
            }
            (NodeStart::Scalar(s), Want::Str) => {
                let m = s.mark;
                visit_text(s.text, visitor).map_err(|e: FastError| e.at(m))
            }
            (NodeStart::Scalar(s), Want::Seq | Want::Map) => Err(invalid_scalar(s, &visitor)),
            (
                other @ (NodeStart::Map(_)
                | NodeStart::Seq(_)
                | NodeStart::EmptySeq
                | NodeStart::EmptyMap),
                _,
            ) => Err(invalid_collection(&other, &visitor, mark)),
            (NodeStart::Empty, _) => Err(FastError::Unsupported),
        }
    }
}

#[derive(Clone, Copy)]
enum Want {
    Any,
    Str,
    Seq,
    Map,
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_, 'de> {
    type Error = FastError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Any)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Str)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Str)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Str)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Seq)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Seq)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.dispatch(visitor, Want::Seq)
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, Want::Map)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _f: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.dispatch(visitor, Want::Map)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(de::IgnoredAny, Want::Any)?;
        visitor.visit_unit()
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _v: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => {
                let m = s.mark;
                visitor
                    .visit_enum(UnitVariant(s))
                    .map_err(|e: FastError| e.at(m))
            }
            _ => Err(FastError::Unsupported),
        }
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) if name == crate::NATIVE_VALUE => {
                let m = s.mark;
                visit_native(s, visitor).map_err(|e: FastError| e.at(m))
            }
            _ if name == crate::NATIVE_VALUE => self.dispatch(visitor, Want::Any),
            _ => visitor.visit_newtype_struct(self),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    // Typed scalars inside `Some(..)`: re-run serde_yaml's typed rules.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_bool(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_i64(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_u64(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_f64(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_i128(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            NodeStart::Scalar(s) => scalar_deserializer(s).deserialize_u128(visitor),
            ref other => Err(invalid_collection(other, &visitor, self.mark)),
        }
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
}

/// A deserializer for one already-read scalar: map keys, enum variant names, and
/// typed values inside `Some(..)`. Follows serde_yaml's rules for scalars.
pub(super) struct ScalarDeserializer<'de>(pub(super) Scalar<'de>);

fn scalar_deserializer(s: Scalar<'_>) -> ScalarDeserializer<'_> {
    ScalarDeserializer(s)
}

macro_rules! scalar_number {
    ($method:ident, $visit:ident, $parse:expr) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let s = self.0;
            if s.style == ScalarStyle::Plain
                && let Some(n) = ($parse)(&*s.text)
            {
                let m = s.mark;
                return visitor.$visit(n).map_err(|e: FastError| e.at(m));
            }
            Err(invalid_scalar(s, &visitor))
        }
    };
}

impl<'de> de::Deserializer<'de> for ScalarDeserializer<'de> {
    type Error = FastError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.0.mark;
        visit_untyped(self.0, visitor).map_err(|e: FastError| e.at(m))
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let m = self.0.mark;
        visit_text(self.0.text, visitor).map_err(|e: FastError| e.at(m))
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let s = self.0;
        if s.style == ScalarStyle::Plain
            && let Some(b) = core::parse_bool(&s.text)
        {
            let m = s.mark;
            return visitor.visit_bool(b).map_err(|e: FastError| e.at(m));
        }
        Err(invalid_scalar(s, &visitor))
    }
    scalar_number!(
        deserialize_i64,
        visit_i64,
        |s: &str| core::parse_signed_int(s, i64::from_str_radix)
    );
    scalar_number!(deserialize_i128, visit_i128, |s: &str| {
        core::parse_signed_int(s, i128::from_str_radix)
    });
    scalar_number!(deserialize_u64, visit_u64, |s: &str| {
        core::parse_unsigned_int(s, u64::from_str_radix)
    });
    scalar_number!(deserialize_u128, visit_u128, |s: &str| {
        core::parse_unsigned_int(s, u128::from_str_radix)
    });
    scalar_number!(deserialize_f64, visit_f64, core::parse_f64);
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let s = &self.0;
        if s.style == ScalarStyle::Plain && (s.text.is_empty() || core::parse_null(&s.text)) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _v: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let m = self.0.mark;
        visitor
            .visit_enum(UnitVariant(self.0))
            .map_err(|e: FastError| e.at(m))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == crate::NATIVE_VALUE {
            let m = self.0.mark;
            return visit_native(self.0, visitor).map_err(|e: FastError| e.at(m));
        }
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let s = self.0;
        if s.style == ScalarStyle::Plain && s.text.is_empty() {
            return visitor.visit_seq(EmptyAccess);
        }
        Err(invalid_scalar(s, &visitor))
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let s = self.0;
        if s.style == ScalarStyle::Plain && s.text.is_empty() {
            return visitor.visit_map(EmptyAccess);
        }
        Err(invalid_scalar(s, &visitor))
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _l: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _f: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let s = self.0;
        if s.style == ScalarStyle::Plain && (s.text.is_empty() || core::parse_null(&s.text)) {
            return visitor.visit_unit();
        }
        Err(<FastError as de::Error>::invalid_value(Unexpected::Str(&s.text), &"null").at(s.mark))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
}

/// A unit enum variant named by a scalar.
pub(super) struct UnitVariant<'de>(pub(super) Scalar<'de>);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = FastError;
    type Variant = UnitOnly;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, UnitOnly)> {
        let value = seed.deserialize(ScalarDeserializer(self.0))?;
        Ok((value, UnitOnly))
    }
}

/// Variant content access for a variant written as a bare name: only unit variants.
pub(super) struct UnitOnly;

impl<'de> de::VariantAccess<'de> for UnitOnly {
    type Error = FastError;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Result<S::Value> {
        Err(FastError::Unsupported)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
}
