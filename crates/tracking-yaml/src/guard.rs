//! Guards for the `serde_yaml` fallback path: refuse anchors/aliases (billion-laughs
//! bombs) before `serde_yaml` expands them, and measure nesting depth exactly.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Something the pre-scan refuses before `serde_yaml` sees the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hazard {
    /// An anchor (`&a`) or alias (`*a`) at this 1-based line and column.
    Alias(usize, usize),
    /// A flow collection (`[`, `{`) nested deeper than allowed, at this line and column.
    TooDeep(usize, usize),
}

/// Finds the first anchor (`&a`) or alias (`*a`) in YAML text; 1-based line and column.
#[cfg(test)]
pub(crate) fn find_anchor_or_alias(src: &str) -> Option<(usize, usize)> {
    match find_hazard(src, true, usize::MAX) {
        Some(Hazard::Alias(line, column)) => Some((line, column)),
        _ => None,
    }
}

/// Finds the first anchor or alias (when `refuse_aliases`) or flow collection nested
/// deeper than `max_flow_depth`, in one linear pass.
///
/// A small lexer that knows where a node may start (line start, after `- `, `? `,
/// `: `, `[`, `{`, `,`, or a tag) and skips quoted scalars, comments and block
/// scalars, so `&`, `*` and brackets inside text are not mistaken for syntax. It errs
/// on the side of refusing: a `*` at a node start is always an alias in YAML. The
/// depth check exists because libyaml takes quadratic time on deeply nested flow
/// collections (`[[[[…`), long before any depth limit further on could act.
pub(crate) fn find_hazard(
    src: &str,
    refuse_aliases: bool,
    max_flow_depth: usize,
) -> Option<Hazard> {
    let lines: Vec<&str> = src.split('\n').collect();
    let mut scanner = Scanner {
        refuse_aliases,
        max_flow_depth,
        ..Scanner::default()
    };
    let mut index = 0;
    while index < lines.len() {
        match scanner.scan_line(lines[index]) {
            LineOutcome::Found(column) => return Some(Hazard::Alias(index + 1, column + 1)),
            LineOutcome::TooDeep(column) => return Some(Hazard::TooDeep(index + 1, column + 1)),
            LineOutcome::Continue => index += 1,
            LineOutcome::BlockScalar { parent_indent } => {
                index += 1;
                while index < lines.len() {
                    let line = lines[index];
                    let indent = line.len() - line.trim_start_matches(' ').len();
                    if line.trim().is_empty() || indent > parent_indent {
                        index += 1;
                    } else {
                        break;
                    }
                }
                scanner.state = State::Normal { node_start: true };
            }
        }
    }
    None
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
}

enum LineOutcome {
    Found(usize),
    TooDeep(usize),
    Continue,
    BlockScalar { parent_indent: usize },
}

impl Scanner {
    fn scan_line(&mut self, line: &str) -> LineOutcome {
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        if self.flow_depth == 0 && matches!(self.state, State::Normal { .. }) {
            let blank_or_comment = matches!(line.trim_start().chars().next(), None | Some('#'));
            match self.plain_owner_indent {
                Some(owner) if indent > owner && !blank_or_comment => {
                    self.state = State::Normal { node_start: false };
                }
                Some(_) if blank_or_comment => {}
                _ => {
                    self.plain_owner_indent = None;
                    self.state = State::Normal { node_start: true };
                }
            }
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
