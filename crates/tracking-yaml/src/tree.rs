//! A serde `Serializer` that turns any value into a [`Node`] tree for the emitter.
//!
//! It refuses what PyYAML could not read back as the same value: non-finite floats
//! (the error names the field path, e.g. `tracks[1].markers[1002][0]`), byte strings and
//! collection-valued map keys. Paths are built only on the error path (each level
//! prepends its own segment while the error unwinds), so success costs nothing extra.

use serde::ser::{self, Serialize};

use crate::resolve::pyyaml;

/// A serialised value, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `null` (Rust `None` and `()`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A signed integer (every `i*`, and `u*` up to `i128::MAX`).
    Int(i128),
    /// An unsigned integer beyond `i128::MAX`.
    BigUint(u128),
    /// A float: finite, except when a value kept untyped asked for a non-finite one
    /// (see [`crate::NATIVE_VALUE`]).
    Float(f64),
    /// A string.
    Str(String),
    /// A YAML 1.1 timestamp, written plain so PyYAML reads a timestamp back (only text
    /// that PyYAML resolves as one; see [`crate::TIMESTAMP`]).
    Timestamp(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in insertion (struct field) order.
    Map(Vec<(Node, Node)>),
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathSegment {
    /// A struct field.
    Field(&'static str),
    /// A sequence index.
    Index(usize),
    /// A map key, as written.
    Key(String),
}

/// Renders segments as `tracks[1].markers[1002][0]`; the root is `.`.
pub(crate) fn render_path(segments: &[PathSegment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            PathSegment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
            // Struct fields serialised as map entries (records with kept unknown keys
            // are maps) read like fields; frame numbers and other keys are indexed.
            PathSegment::Key(key) if is_identifier(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSegment::Key(key) => out.push_str(&format!("[{key}]")),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a key shown as a field in a path.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why a value could not be turned into a tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeError {
    /// Path to the offending value, outermost first.
    pub(crate) path: Vec<PathSegment>,
    /// What went wrong.
    pub(crate) kind: TreeErrorKind,
}

/// The kinds of [`TreeError`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TreeErrorKind {
    /// NaN or an infinity.
    NonFinite(f64),
    /// Anything else (unsupported shape or a `Serialize` impl's own error).
    Message(String),
}

impl TreeError {
    fn message(message: impl Into<String>) -> Self {
        Self {
            path: Vec::new(),
            kind: TreeErrorKind::Message(message.into()),
        }
    }

    fn within(mut self, segment: PathSegment) -> Self {
        self.path.insert(0, segment);
        self
    }
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            TreeErrorKind::NonFinite(v) => {
                write!(f, "{}: non-finite number {v}", render_path(&self.path))
            }
            TreeErrorKind::Message(m) => write!(f, "{}: {m}", render_path(&self.path)),
        }
    }
}

impl std::error::Error for TreeError {}

impl ser::Error for TreeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self::message(msg.to_string())
    }
}

/// Serialises `value` into a [`Node`].
pub(crate) fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, TreeError> {
    value.serialize(TreeSerializer)
}

/// The serializer; stateless, each call returns the node it built.
pub(crate) struct TreeSerializer;

fn float(v: f64) -> Result<Node, TreeError> {
    if v.is_finite() {
        Ok(Node::Float(v))
    } else {
        Err(TreeError {
            path: Vec::new(),
            kind: TreeErrorKind::NonFinite(v),
        })
    }
}

/// `{variant: inner}`, the externally tagged form (as JSON writes it).
fn tagged(variant: &'static str, inner: Node) -> Node {
    Node::Map(vec![(Node::Str(variant.to_owned()), inner)])
}

impl ser::Serializer for TreeSerializer {
    type Ok = Node;
    type Error = TreeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> Result<Node, TreeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, TreeError> {
        Ok(Node::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, TreeError> {
        Ok(i128::try_from(v).map_or(Node::BigUint(v), Node::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, TreeError> {
        // Through the shortest decimal form, so 0.1f32 is written 0.1, not 0.10000000149….
        float(v.to_string().parse::<f64>().unwrap_or(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, TreeError> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_owned()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Node, TreeError> {
        Err(TreeError::message("byte strings cannot be written as YAML"))
    }
    fn serialize_none(self) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, TreeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, TreeError> {
        Ok(Node::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Node, TreeError> {
        if name == crate::NATIVE_VALUE {
            // A value kept untyped may be a non-finite float: a newer writer's, written
            // back as PyYAML writes it (`.nan`, `.inf`).
            return match value.serialize(self) {
                Err(TreeError {
                    path,
                    kind: TreeErrorKind::NonFinite(v),
                }) if path.is_empty() => Ok(Node::Float(v)),
                other => other,
            };
        }
        if name == crate::TIMESTAMP {
            return match value.serialize(self)? {
                Node::Str(text) if pyyaml::is_timestamp(&text) => Ok(Node::Timestamp(text)),
                other => Ok(other),
            };
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, TreeError> {
        let inner = value
            .serialize(TreeSerializer)
            .map_err(|e| e.within(PathSegment::Field(variant)))?;
        Ok(tagged(variant, inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, TreeError> {
        Ok(SeqBuilder::new(len, None))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, TreeError> {
        Ok(SeqBuilder::new(Some(len), None))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, TreeError> {
        Ok(SeqBuilder::new(Some(len), None))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, TreeError> {
        Ok(SeqBuilder::new(Some(len), Some(variant)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, TreeError> {
        Ok(MapBuilder::new(len, None))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, TreeError> {
        Ok(MapBuilder::new(Some(len), None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapBuilder, TreeError> {
        Ok(MapBuilder::new(Some(len), Some(variant)))
    }
}

/// Builds a [`Node::Seq`] (optionally wrapped as `{variant: [...]}`).
pub(crate) struct SeqBuilder {
    items: Vec<Node>,
    variant: Option<&'static str>,
}

impl SeqBuilder {
    fn new(len: Option<usize>, variant: Option<&'static str>) -> Self {
        Self {
            items: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let index = self.items.len();
        let node = value.serialize(TreeSerializer).map_err(|e| {
            let e = e.within(PathSegment::Index(index));
            match self.variant {
                Some(v) => e.within(PathSegment::Field(v)),
                None => e,
            }
        })?;
        self.items.push(node);
        Ok(())
    }

    fn finish(self) -> Node {
        let seq = Node::Seq(self.items);
        match self.variant {
            Some(variant) => tagged(variant, seq),
            None => seq,
        }
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

/// Builds a [`Node::Map`] (optionally wrapped as `{variant: {...}}`).
pub(crate) struct MapBuilder {
    entries: Vec<(Node, Node)>,
    pending_key: Option<Node>,
    variant: Option<&'static str>,
}

impl MapBuilder {
    fn new(len: Option<usize>, variant: Option<&'static str>) -> Self {
        Self {
            entries: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            pending_key: None,
            variant,
        }
    }

    fn in_variant(&self, e: TreeError) -> TreeError {
        match self.variant {
            Some(v) => e.within(PathSegment::Field(v)),
            None => e,
        }
    }

    fn finish(self) -> Node {
        let map = Node::Map(self.entries);
        match self.variant {
            Some(variant) => tagged(variant, map),
            None => map,
        }
    }
}

/// How a key node appears in an error path.
fn key_label(key: &Node) -> String {
    match key {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::BigUint(u) => u.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Str(s) | Node::Timestamp(s) => s.clone(),
        Node::Seq(_) | Node::Map(_) => "<collection>".to_owned(),
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TreeError> {
        let node = key
            .serialize(TreeSerializer)
            .map_err(|e| self.in_variant(e.within(PathSegment::Key("<key>".to_owned()))))?;
        if matches!(node, Node::Seq(_) | Node::Map(_)) {
            return Err(self.in_variant(TreeError::message(
                "map keys must be strings, numbers, booleans or null",
            )));
        }
        self.pending_key = Some(node);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| TreeError::message("map value serialised before its key"))?;
        match value.serialize(TreeSerializer) {
            Ok(node) => {
                self.entries.push((key, node));
                Ok(())
            }
            Err(e) => Err(self.in_variant(e.within(PathSegment::Key(key_label(&key))))),
        }
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        let node = value
            .serialize(TreeSerializer)
            .map_err(|e| self.in_variant(e.within(PathSegment::Field(key))))?;
        self.entries.push((Node::Str(key.to_owned()), node));
        Ok(())
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for MapBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(self.finish())
    }
}
