//! Guards for the `serde_yaml` fallback path: refuse anchors/aliases (billion-laughs
//! bombs) before `serde_yaml` expands them, measure nesting depth exactly, and find the
//! nodes `yaml.safe_load` would not construct (tags outside its `SafeConstructor`, the
//! implicit `=` and `<<` scalars) or that hold no plain data (`!!binary`, …), with
//! their positions.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::tags::{self, Directives, TagClass};

/// Something the pre-scan refuses before `serde_yaml` sees the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hazard {
    /// An anchor (`&a`) or alias (`*a`) at this 1-based line and column.
    Alias(usize, usize),
    /// A flow collection (`[`, `{`) nested deeper than allowed, at this line and column.
    TooDeep(usize, usize),
}

/// A node `yaml.safe_load` would refuse, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A tag without a safe constructor (its full name), explicit or implicit (`=`).
    Tag(usize, usize, String),
    /// A merge key (`<<:`), which we do not read.
    MergeKey(usize, usize),
}

/// A node tagged with a safe tag whose value no field holds (`!!binary`, `!!set`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotData {
    /// 1-based line.
    pub(crate) line: usize,
    /// 1-based column (characters).
    pub(crate) column: usize,
    /// Byte offset of the tag token in the text.
    pub(crate) offset: usize,
    /// Byte length of the tag token (ASCII).
    pub(crate) len: usize,
    /// What it is, e.g. `binary data (!!binary)`.
    pub(crate) what: &'static str,
}

/// What one pass over the text found: the first of each kind.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// An alias or too-deep flow nesting: the text must not reach `serde_yaml`.
    pub(crate) hazard: Option<Hazard>,
    /// The first node `safe_load` would refuse.
    pub(crate) refusal: Option<Refusal>,
    /// The first node tagged with a safe tag that holds no plain data.
    pub(crate) not_data: Option<NotData>,
}

/// Finds the first anchor (`&a`) or alias (`*a`) in YAML text; 1-based line and column.
#[cfg(test)]
pub(crate) fn find_anchor_or_alias(src: &str) -> Option<(usize, usize)> {
    match find_hazard(src, true, usize::MAX) {
        Some(Hazard::Alias(line, column)) => Some((line, column)),
        _ => None,
    }
}

/// [`scan`]'s hazard alone.
#[cfg(test)]
pub(crate) fn find_hazard(
    src: &str,
    refuse_aliases: bool,
    max_flow_depth: usize,
) -> Option<Hazard> {
    scan(src, refuse_aliases, max_flow_depth).hazard
}

/// One linear pass over `src`: the first anchor or alias (when `refuse_aliases`) or
/// flow collection nested deeper than `max_flow_depth` (the scan stops there), and
/// the first node `safe_load` refuses or that holds no plain data.
///
/// A small lexer that knows where a node may start (line start, after `- `, `? `,
/// `: `, `[`, `{`, `,`, or a tag) and skips quoted scalars, comments and block
/// scalars, so `&`, `*`, `!` and brackets inside text are not mistaken for syntax. It
/// errs on the side of refusing: a `*` at a node start is always an alias in YAML. The
/// depth check exists because libyaml takes quadratic time on deeply nested flow
/// collections (`[[[[…`), long before any depth limit further on could act.
pub(crate) fn scan(src: &str, refuse_aliases: bool, max_flow_depth: usize) -> Scan {
    let lines: Vec<&str> = src.split('\n').collect();
    let mut scanner = Scanner {
        refuse_aliases,
        max_flow_depth,
        directives: Directives::of(src),
        ..Scanner::default()
    };
    let mut index = 0;
    let mut line_offset = 0;
    while index < lines.len() {
        scanner.line = index + 1;
        scanner.line_offset = line_offset;
        match scanner.scan_line(lines[index]) {
            LineOutcome::Found(column) => {
                scanner.found.hazard = Some(Hazard::Alias(index + 1, column + 1));
                return scanner.found;
            }
            LineOutcome::TooDeep(column) => {
                scanner.found.hazard = Some(Hazard::TooDeep(index + 1, column + 1));
                return scanner.found;
            }
            LineOutcome::Continue => {
                line_offset += lines[index].len() + 1;
                index += 1;
            }
            LineOutcome::BlockScalar { parent_indent } => {
                line_offset += lines[index].len() + 1;
                index += 1;
                while index < lines.len() {
                    let line = lines[index];
                    let indent = line.len() - line.trim_start_matches(' ').len();
                    if line.trim().is_empty() || indent > parent_indent {
                        line_offset += line.len() + 1;
                        index += 1;
                    } else {
                        break;
                    }
                }
                scanner.state = State::Normal { node_start: true };
            }
        }
    }
    scanner.fire_pending();
    scanner.found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal { node_start: bool },
    Single,
    Double,
}

impl Default for State {
    fn default() -> Self {
        Self::Normal { node_start: true }
    }
}

#[derive(Default)]
struct Scanner {
    state: State,
    flow_depth: usize,
    refuse_aliases: bool,
    max_flow_depth: usize,
    /// Indentation of the line where a block-context plain scalar began, while it may
    /// still continue: a more indented line after it is more of that scalar (where `&`
    /// or `*` are text, not an anchor or alias).
    plain_owner_indent: Option<usize>,
    /// The `%TAG` handles of the document.
    directives: Directives,
    /// The 1-based line being scanned and the byte offset where it starts.
    line: usize,
    line_offset: usize,
    /// A plain `=` or `<<` that ended its line: refused unless the next line continues
    /// the scalar.
    pending: Option<Refusal>,
    found: Scan,
}

enum LineOutcome {
    Found(usize),
    TooDeep(usize),
    Continue,
    BlockScalar { parent_indent: usize },
}

impl Scanner {
    /// Records `refusal` unless one was found before.
    fn refuse(&mut self, refusal: Refusal) {
        self.found.refusal.get_or_insert(refusal);
    }

    fn fire_pending(&mut self) {
        if let Some(refusal) = self.pending.take() {
            self.refuse(refusal);
        }
    }

    /// A tag token starting at `chars[i]`: refused, no data, or read as usual.
    fn tag_at(&mut self, line: &str, chars: &[char], i: usize) {
        let end = (i..chars.len())
            .find(|&j| {
                matches!(
                    chars[j],
                    ' ' | '\t' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
                )
            })
            .unwrap_or(chars.len());
        let token: String = chars[i..end].iter().collect();
        match tags::classify(&token, &self.directives) {
            TagClass::Core => {}
            TagClass::Refused(tag) => self.refuse(Refusal::Tag(self.line, i + 1, tag)),
            TagClass::NotData(what) => {
                if self.found.not_data.is_none() {
                    let in_line = line.char_indices().nth(i).map_or(0, |(b, _)| b);
                    self.found.not_data = Some(NotData {
                        line: self.line,
                        column: i + 1,
                        offset: self.line_offset + in_line,
                        len: token.len(),
                        what,
                    });
                }
            }
        }
    }

    /// A plain scalar starting at `chars[i]` that is exactly `=` (PyYAML's `value`
    /// tag) or `<<` (`merge`), which `safe_load` cannot construct as a value (`<<` as a
    /// key is a merge, which we do not read).
    fn implicit_at(&mut self, chars: &[char], i: usize) {
        let len = match (chars[i], chars.get(i + 1)) {
            ('=', _) => 1,
            ('<', Some('<')) => 2,
            _ => return,
        };
        let mut j = i + len;
        let mut spaced = false;
        while matches!(chars.get(j), Some(' ' | '\t')) {
            j += 1;
            spaced = true;
        }
        let flow = self.flow_depth > 0;
        let tag = if len == 1 { "value" } else { "merge" };
        let value = Refusal::Tag(self.line, i + 1, format!("tag:yaml.org,2002:{tag}"));
        let blank_or_flow_after = |k: usize| match chars.get(k) {
            None | Some(' ' | '\t') => true,
            Some(',' | '[' | ']' | '{' | '}') => flow,
            _ => false,
        };
        match chars.get(j) {
            None if !flow => self.pending = Some(value),
            Some('#') if spaced && !flow => self.pending = Some(value),
            Some(':') if blank_or_flow_after(j + 1) => {
                if len == 2 {
                    self.refuse(Refusal::MergeKey(self.line, i + 1));
                } else {
                    self.refuse(value);
                }
            }
            Some(',' | ']' | '}') if flow => self.refuse(value),
            _ => {}
        }
    }

    fn scan_line(&mut self, line: &str) -> LineOutcome {
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        if self.flow_depth == 0 && matches!(self.state, State::Normal { .. }) {
            let blank_or_comment = matches!(line.trim_start().chars().next(), None | Some('#'));
            match self.plain_owner_indent {
                Some(owner) if indent > owner && !blank_or_comment => {
                    // More of the plain scalar: a pending `=` was only its start.
                    self.pending = None;
                    self.state = State::Normal { node_start: false };
                }
                Some(_) if blank_or_comment => {}
                _ => {
                    self.fire_pending();
                    self.plain_owner_indent = None;
                    self.state = State::Normal { node_start: true };
                }
            }
        } else {
            self.fire_pending();
        }
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            let blank_next = matches!(next, None | Some(' ' | '\t' | '\r'));
            match self.state {
                State::Single => {
                    if c == '\'' {
                        if next == Some('\'') {
                            i += 1;
                        } else {
                            self.state = State::Normal { node_start: false };
                        }
                    }
                }
                State::Double => {
                    if c == '\\' {
                        i += 1;
                    } else if c == '"' {
                        self.state = State::Normal { node_start: false };
                    }
                }
                State::Normal { node_start: true } => match c {
                    ' ' | '\t' | '\r' => {}
                    '&' | '*' if self.refuse_aliases => return LineOutcome::Found(i),
                    '&' | '*' => {
                        // An allowed anchor or alias: skip its name; a node may follow.
                        while i + 1 < chars.len() && !matches!(chars[i + 1], ' ' | ',' | ']' | '}')
                        {
                            i += 1;
                        }
                    }
                    '\'' => self.state = State::Single,
                    '"' => self.state = State::Double,
                    '#' => return LineOutcome::Continue,
                    '|' | '>' => {
                        return LineOutcome::BlockScalar {
                            parent_indent: indent,
                        };
                    }
                    '!' => {
                        self.tag_at(line, &chars, i);
                        while i + 1 < chars.len() && chars[i + 1] != ' ' {
                            i += 1;
                        }
                    }
                    '[' | '{' => {
                        self.flow_depth += 1;
                        if self.flow_depth > self.max_flow_depth {
                            return LineOutcome::TooDeep(i);
                        }
                    }
                    ',' => {}
                    ']' | '}' => {
                        self.flow_depth = self.flow_depth.saturating_sub(1);
                        self.state = State::Normal { node_start: false };
                    }
                    '-' | '?' | ':' if blank_next => {}
                    _ => {
                        self.implicit_at(&chars, i);
                        if self.flow_depth == 0 {
                            self.plain_owner_indent = Some(indent);
                        }
                        self.state = State::Normal { node_start: false };
                    }
                },
                State::Normal { node_start: false } => match c {
                    '#' if i > 0 && matches!(chars[i - 1], ' ' | '\t') => {
                        return LineOutcome::Continue;
                    }
                    ':' if blank_next
                        || (self.flow_depth > 0
                            && matches!(next, Some(',' | '[' | ']' | '{' | '}'))) =>
                    {
                        // That plain scalar was a key; what follows is a new node.
                        self.plain_owner_indent = None;
                        self.state = State::Normal { node_start: true };
                    }
                    ',' | '[' | '{' if self.flow_depth > 0 => {
                        if c != ',' {
                            self.flow_depth += 1;
                            if self.flow_depth > self.max_flow_depth {
                                return LineOutcome::TooDeep(i);
                            }
                        }
                        self.state = State::Normal { node_start: true };
                    }
                    ']' | '}' if self.flow_depth > 0 => self.flow_depth -= 1,
                    _ => {}
                },
            }
            i += 1;
        }
        LineOutcome::Continue
    }
}

/// Checks nesting depth while consuming any value: a collection at depth
/// `> limit` (the root collection is depth 1) sets `exceeded` and fails.
pub(crate) struct DepthProbe<'a> {
    remaining: usize,
    exceeded: &'a Cell<bool>,
}

impl<'a> DepthProbe<'a> {
    /// A probe allowing `limit` levels of collections.
    pub(crate) fn new(limit: usize, exceeded: &'a Cell<bool>) -> Self {
        Self {
            remaining: limit,
            exceeded,
        }
    }

    fn child(&self) -> Result<Self, String> {
        if self.remaining == 0 {
            self.exceeded.set(true);
            return Err("nesting is too deep".to_owned());
        }
        Ok(Self {
            remaining: self.remaining - 1,
            exceeded: self.exceeded,
        })
    }
}

impl<'de> DeserializeSeed<'de> for DepthProbe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DepthProbe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E: de::Error>(self, _v: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E: de::Error>(self, _v: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let child = self.child().map_err(de::Error::custom)?;
        while seq
            .next_element_seed(DepthProbe {
                remaining: child.remaining,
                exceeded: child.exceeded,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let child = self.child().map_err(de::Error::custom)?;
        while map
            .next_key_seed(DepthProbe {
                remaining: child.remaining,
                exceeded: child.exceeded,
            })?
            .is_some()
        {
            map.next_value_seed(DepthProbe {
                remaining: child.remaining,
                exceeded: child.exceeded,
            })?;
        }
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

/// The field path of the node `not_data` points at, as `serde_yaml` walks the document
/// (`tracks[0].name`); `None` if it cannot be found.
///
/// Its tag token is replaced by a local tag of the same length (`!!binary` →
/// `!_______`), which `serde_yaml` hands to a visitor as an enum (it hands core tags
/// over as plain values): the walk stops there, and `serde_path_to_error` says where.
pub(crate) fn not_data_path(src: &str, not_data: &NotData) -> Option<String> {
    let end = not_data.offset.checked_add(not_data.len)?;
    let (before, after) = (src.get(..not_data.offset)?, src.get(end..)?);
    let mut marked = String::with_capacity(src.len());
    marked.push_str(before);
    marked.push('!');
    marked.extend(std::iter::repeat_n('_', not_data.len.saturating_sub(1)));
    marked.push_str(after);
    match serde_path_to_error::deserialize::<_, PathProbe>(serde_yaml::Deserializer::from_str(
        &marked,
    )) {
        Err(e) if e.inner().to_string().contains(MARK_FOUND) => Some(e.path().to_string()),
        _ => None,
    }
}

const MARK_FOUND: &str = "the marked node";

/// Walks any document; fails at a node tagged `!___…` (see [`not_data_path`]).
struct PathProbe;

impl<'de> de::Deserialize<'de> for PathProbe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PathProbe)
    }
}

impl<'de> Visitor<'de> for PathProbe {
    type Value = PathProbe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i128<E: de::Error>(self, _v: i128) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u128<E: de::Error>(self, _v: u128) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<PathProbe>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        while map.next_key::<PathProbe>()?.is_some() {
            map.next_value::<PathProbe>()?;
        }
        Ok(self)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self, A::Error> {
        let (tag, variant) = data.variant::<String>()?;
        if !tag.is_empty() && tag.bytes().all(|b| b == b'_') {
            return Err(de::Error::custom(MARK_FOUND));
        }
        variant.newtype_variant::<PathProbe>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_aliases_at_node_starts_are_found() {
        assert_eq!(find_anchor_or_alias("a: &x 1\nb: *x\n"), Some((1, 4)));
        assert_eq!(find_anchor_or_alias("- [*x]\n"), Some((1, 4)));
        assert_eq!(find_anchor_or_alias("a:\n  - *x\n"), Some((2, 5)));
        assert_eq!(find_anchor_or_alias("{a: 1, b: *x}\n"), Some((1, 11)));
    }

    #[test]
    fn a_folded_plain_scalar_line_starting_with_an_ampersand_is_text() {
        // PyYAML (and our writer) fold long plain scalars at spaces; a continuation
        // line may then start with `&` or `*`.
        let text = "created_at: xx ab ab\n  &a20uOW\n\n  *b\nupdated_at: y\n";
        assert_eq!(find_anchor_or_alias(text), None);
        assert_eq!(find_anchor_or_alias("a: x\nb: &y 1\n"), Some((2, 4)));
        assert_eq!(find_anchor_or_alias("- x\n- *y\n"), Some((2, 3)));
    }

    #[test]
    fn ampersands_and_stars_inside_text_are_not_aliases() {
        for text in [
            "a: b & c\n",
            "a: 'x: *y'\n",
            "a: \"*y\"\n",
            "a: b # *c\n",
            "a: |\n  *not an alias\n  &nor this\nb: 1\n",
            "a: 2*3\n",
            "- x*y\n",
        ] {
            assert_eq!(find_anchor_or_alias(text), None, "{text:?}");
        }
    }

    fn refusal(src: &str) -> Option<Refusal> {
        scan(src, true, 64).refusal
    }

    #[test]
    fn tags_safe_load_refuses_are_found_where_nodes_start() {
        assert_eq!(
            refusal("a: !!python/object:os.system x\n"),
            Some(Refusal::Tag(
                1,
                4,
                "tag:yaml.org,2002:python/object:os.system".to_owned()
            ))
        );
        assert_eq!(
            refusal("a:\n- [1, !foo x]\n"),
            Some(Refusal::Tag(2, 7, "!foo".to_owned()))
        );
        assert_eq!(
            refusal("!<tag:example.com,2000:x> {}\n"),
            Some(Refusal::Tag(1, 1, "tag:example.com,2000:x".to_owned()))
        );
        // Core tags, the non-specific `!`, and `!` inside text are read as usual.
        for text in [
            "a: !!int \"1\"\n",
            "a: ! 12\n",
            "a: 'x !!python/object y'\n",
            "a: x!foo\n",
            "a: |\n  !!python/object\nb: 1\n",
            "a: b # !!python/object\n",
            "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int 1\n",
        ] {
            assert_eq!(refusal(text), None, "{text:?}");
        }
    }

    #[test]
    fn plain_equals_and_merge_keys_are_found() {
        assert_eq!(
            refusal("a: =\nb: 1\n"),
            Some(Refusal::Tag(1, 4, "tag:yaml.org,2002:value".to_owned()))
        );
        assert_eq!(
            refusal("- <<\n"),
            Some(Refusal::Tag(1, 3, "tag:yaml.org,2002:merge".to_owned()))
        );
        assert_eq!(refusal("<<: {a: 1}\n"), Some(Refusal::MergeKey(1, 1)));
        assert_eq!(
            refusal("{b: [=], c: 2}\n"),
            Some(Refusal::Tag(1, 6, "tag:yaml.org,2002:value".to_owned()))
        );
        // Text that merely starts with them, quoted, or continued on the next line.
        for text in [
            "a: = b\n",
            "a: '='\n",
            "a: =\n  more\n",
            "a: <<<\n",
            "a: x =\n",
        ] {
            assert_eq!(refusal(text), None, "{text:?}");
        }
    }

    #[test]
    fn not_data_tags_are_found_with_their_field_path() {
        let text = "a: 1\nb:\n  c: [x, !!binary aGk=]\n";
        let found = scan(text, true, 64).not_data.unwrap();
        assert_eq!((found.line, found.column), (3, 10));
        assert_eq!(&text[found.offset..found.offset + found.len], "!!binary");
        assert_eq!(not_data_path(text, &found).as_deref(), Some("b.c[1]"));
    }

    #[test]
    fn deep_flow_nesting_is_found_in_one_pass() {
        let deep = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            find_hazard(&deep, true, 64),
            Some(Hazard::TooDeep(1, 4 + 64))
        );
        assert_eq!(find_hazard("a: [[1], {b: [2]}]\n", true, 3), None);
        assert_eq!(
            find_hazard("a: [[1], {b: [2]}]\n", true, 2),
            Some(Hazard::TooDeep(1, 14))
        );
        // Brackets inside scalars are text, not nesting.
        assert_eq!(find_hazard("a: '[[[['\nb: x[[[[\n", true, 1), None);
        // With aliases allowed, an anchor does not stop the depth scan.
        assert_eq!(
            find_hazard("a: &x [[1]]\nb: *x\n", false, 1),
            Some(Hazard::TooDeep(1, 8))
        );
    }
}
