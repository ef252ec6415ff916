//! Fast path: a serde `Deserializer` reading straight from text, for exactly the block
//! YAML subset that PyYAML's `yaml.dump(..., default_flow_style=False)` and our emitter
//! write.
//!
//! Supported: block mappings with plain or quoted single-line keys (and `? key` /
//! `: value` for a scalar key, as long and empty keys are written), block sequences
//! (also indentless under a key and compact `- - x` / `- key: v`), plain scalars (also
//! folded over several lines), single- and double-quoted scalars (with escapes and line
//! folding), empty `[]` / `{}`, comment and blank lines, a leading `---` and a
//! trailing `...`.
//!
//! Anything else (flow collections, block scalars, tags, anchors when allowed,
//! directives, complex keys other than scalars, tabs, lone CRs (CR LF is read as LF by the caller), a
//! plain `=` or `<<`, the YAML 1.1 line breaks NEL, LS and
//! PS written raw (see [`may_try`]), merge keys, an empty document, or any
//! irregularity that may be a syntax error) makes it answer [`FastError::Unsupported`],
//! and the caller re-reads the whole text with `serde_yaml`, which is authoritative.
//! Scalars are typed with `serde_yaml`'s own rules ([`super::resolve::core`]) so both
//! paths give identical values; values kept untyped ([`crate::NATIVE_VALUE`]) are
//! typed as `yaml.safe_load` types them ([`super::resolve::pyyaml::construct`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Unexpected, Visitor};

use super::resolve::core;

mod scalar;

use scalar::{
    NodeDeserializer, ScalarDeserializer, UnitVariant, invalid_collection, invalid_scalar,
    visit_native, visit_text, visit_untyped,
};

/// A position in the text: 0-based line, byte offset of the line start, byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    line: usize,
    line_start: usize,
    pos: usize,
}

impl Mark {
    /// 1-based line and column (columns count characters, like libyaml).
    pub(crate) fn line_column(self, src: &str) -> (usize, usize) {
        let column = src
            .get(self.line_start..self.pos)
            .map_or(0, |s| s.chars().count());
        (self.line + 1, column + 1)
    }
}

/// Why the fast path stopped.
#[derive(Debug)]
pub(crate) enum FastError {
    /// The text uses YAML this path does not read; use `serde_yaml` instead.
    Unsupported,
    /// An anchor or alias while aliases are not allowed.
    Alias(Mark),
    /// Nesting deeper than the limit.
    TooDeep(Mark),
    /// The data does not fit the target type (from serde or a `Deserialize` impl).
    Data {
        /// What is wrong.
        message: String,
        /// Where, when known.
        mark: Option<Mark>,
    },
}

impl fmt::Display for FastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported => f.write_str("YAML outside the fast-path subset"),
            Self::Alias(_) => f.write_str("YAML anchors and aliases are not allowed"),
            Self::TooDeep(_) => f.write_str("YAML nesting is too deep"),
            Self::Data { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for FastError {}

impl de::Error for FastError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::Data {
            message: msg.to_string(),
            mark: None,
        }
    }
}

impl FastError {
    fn at(self, mark: Mark) -> Self {
        match self {
            Self::Data {
                message,
                mark: None,
            } => Self::Data {
                message,
                mark: Some(mark),
            },
            other => other,
        }
    }
}

type Result<T> = std::result::Result<T, FastError>;

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScalarStyle {
    Plain,
    Quoted,
}

/// A scalar read from the text.
struct Scalar<'de> {
    text: Cow<'de, str>,
    style: ScalarStyle,
    mark: Mark,
}

/// What the next node is.
enum NodeStart<'de> {
    /// Block mapping whose keys sit at this column.
    Map(usize),
    /// Block sequence whose `-` sit at this column.
    Seq(usize),
    /// `[]`
    EmptySeq,
    /// `{}`
    EmptyMap,
    /// Nothing (an empty value: `key:` with no content).
    Empty,
    /// A scalar (already consumed).
    Scalar(Scalar<'de>),
}

/// Where the next node starts.
#[derive(Clone, Copy)]
enum Slot {
    /// The document root.
    Root,
    /// Right after `- ` or `key:` on the current line; `indent` is the enclosing
    /// collection's column (-1 at the root).
    Inline { indent: isize, mapping_value: bool },
}

/// The fast-path deserializer.
pub(crate) struct FastDeserializer<'de> {
    src: &'de str,
    bytes: &'de [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    slot: Slot,
    depth: usize,
    max_depth: usize,
    allow_aliases: bool,
    /// Per open mapping: the mark of its latest key (None once the mapping ended).
    key_marks: Vec<Option<Mark>>,
    /// Set when `pos` sits at the content of a line found by `next_content_line`
    /// and nothing was consumed since (so asking again is idempotent).
    parked_at: Option<usize>,
}

/// True when the fast path may try this text at all: no tab, CR, or the YAML 1.1 line
/// breaks NEL (U+0085), LS (U+2028) and PS (U+2029). (The caller has skipped one
/// byte-order mark, as PyYAML does; a second one is text to PyYAML, and here.)
///
/// PyYAML (YAML 1.1) treats NEL, LS and PS as line breaks everywhere: `'ls\u{2028}  x'`
/// (what `yaml.safe_dump(..., allow_unicode=True)` writes for `"ls\u{2028}x"`) is a
/// folded scalar whose continuation line's indentation is dropped, and a NEL break
/// folds like `\n`. This path splits lines on `\n` only, so it leaves any text that
/// holds one of them raw to `serde_yaml`, whose libyaml scanner folds them as PyYAML
/// does. (Escaped, as `\N`, `\L`, `\P`, they are ordinary text and stay here.)
pub(crate) fn may_try(src: &str) -> bool {
    // Branch-free per chunk so the compiler vectorises the scan. 0xC2 and 0xE2 are the
    // UTF-8 lead bytes of U+0085 and U+2028/U+2029; only text that has one (rare in
    // our files) is searched for the breaks themselves.
    let mut maybe_break = false;
    let clean = src.as_bytes().chunks(64).all(|chunk| {
        let (bad, lead) = chunk.iter().fold((false, false), |(bad, lead), &b| {
            (
                bad | (b == b'\t') | (b == b'\r'),
                lead | (b == 0xC2) | (b == 0xE2),
            )
        });
        maybe_break |= lead;
        !bad
    });
    clean && !(maybe_break && src.contains(['\u{85}', '\u{2028}', '\u{2029}']))
}

/// What one line of plain text holds from a position: where its text ends (before a
/// ` #` comment or the line end) and the first `: ` / `:`-at-end, if any.
struct PlainLine {
    text_end: usize,
    colon: Option<usize>,
}

impl<'de> FastDeserializer<'de> {
    /// A deserializer over `src`.
    pub(crate) fn new(src: &'de str, max_depth: usize, allow_aliases: bool) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            line: 0,
            line_start: 0,
            slot: Slot::Root,
            depth: 0,
            max_depth,
            allow_aliases,
            key_marks: Vec::new(),
            parked_at: None,
        }
    }

    /// After the root value: only blank lines, comments or a final `...` may follow.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.next_content_line()? {
            None => Ok(()),
            Some(_) => Err(FastError::Unsupported),
        }
    }

    /// Whether `pos` is at a `...` after which the text holds only blank lines and
    /// comments (what `explicit_end=True` writes): the end of the content.
    fn at_final_document_end(&self) -> bool {
        let Some(rest) = self.src.get(self.pos..).and_then(|r| r.strip_prefix("...")) else {
            return false;
        };
        let mut lines = rest.split('\n');
        let first = lines.next().unwrap_or_default();
        let first_ok = first.is_empty()
            || (first.starts_with(' ') && {
                let t = first.trim_start_matches(' ');
                t.is_empty() || t.starts_with('#')
            });
        first_ok
            && lines.all(|line| {
                let t = line.trim_start_matches(' ');
                t.is_empty() || t.starts_with('#')
            })
    }

    fn mark(&self) -> Mark {
        Mark {
            line: self.line,
            line_start: self.line_start,
            pos: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn at_line_start(&self) -> bool {
        self.pos == self.line_start
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// True at end of line, end of text, or a ` #` comment.
    fn at_line_end(&self) -> bool {
        match self.peek() {
            None | Some(b'\n') => true,
            Some(b'#') => self.pos > self.line_start && self.bytes.get(self.pos - 1) == Some(&b' '),
            _ => false,
        }
    }

    /// Consumes the rest of the current line, which must be blank or a comment.
    fn finish_line(&mut self) -> Result<()> {
        self.skip_spaces();
        if self.peek() == Some(b'#')
            && (self.at_line_start() || self.bytes.get(self.pos - 1) == Some(&b' '))
        {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.pos += 1;
            }
        }
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                self.line_start = self.pos;
                Ok(())
            }
            Some(_) => Err(FastError::Unsupported),
        }
    }

    /// Moves to the next line with content and returns its indentation, leaving `pos`
    /// at the content; `None` at end of text.
    fn next_content_line(&mut self) -> Result<Option<usize>> {
        Ok(self.next_content_line_counting()?.map(|(indent, _)| indent))
    }

    fn next_content_line_counting(&mut self) -> Result<Option<(usize, usize)>> {
        if self.parked_at == Some(self.pos) {
            return Ok(Some((self.column(), 0)));
        }
        if !self.at_line_start() {
            self.finish_line()?;
        }
        let mut skipped = 0usize;
        loop {
            if self.pos >= self.bytes.len() {
                return Ok(None);
            }
            self.skip_spaces();
            let indent = self.column();
            match self.peek() {
                None => return Ok(None),
                Some(b'\n' | b'#') => {
                    self.finish_line()?;
                    skipped += 1;
                }
                Some(b'.') if indent == 0 && self.at_final_document_end() => {
                    // Nothing more: the content ends here (idempotently).
                    return Ok(None);
                }
                Some(b'-' | b'.') if indent == 0 && self.is_document_marker() => {
                    return Err(FastError::Unsupported);
                }
                Some(_) => {
                    self.parked_at = Some(self.pos);
                    return Ok(Some((indent, skipped)));
                }
            }
        }
    }

    /// Skips blank and comment lines and one `---` line before the root node.
    fn skip_document_start(&mut self) -> Result<()> {
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(b'\n' | b'#') => self.finish_line()?,
                Some(b'-')
                    if self.column() == 0
                        && self.is_document_marker()
                        && self.bytes[self.pos..].starts_with(b"---") =>
                {
                    self.pos += 3;
                    return self.finish_line();
                }
                _ => {
                    self.pos = self.line_start;
                    return Ok(());
                }
            }
        }
    }

    fn is_document_marker(&self) -> bool {
        let rest = &self.bytes[self.pos..];
        (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && matches!(rest.get(3), None | Some(b' ' | b'\n'))
    }

    /// Byte column of `pos` on its line.
    fn column(&self) -> usize {
        self.pos - self.line_start
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(FastError::TooDeep(self.mark()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Determines the next node from the current slot.
    fn next_node(&mut self) -> Result<NodeStart<'de>> {
        match self.slot {
            Slot::Root => {
                self.skip_document_start()?;
                if self.next_content_line()?.is_none() {
                    return Err(FastError::Unsupported);
                }
                self.inline_node(-1, true)
            }
            Slot::Inline {
                indent,
                mapping_value,
            } => {
                self.skip_spaces();
                if !self.at_line_end() {
                    return self.inline_node(indent, !mapping_value);
                }
                let Some(col) = self.next_content_line()? else {
                    return Ok(NodeStart::Empty);
                };
                let col_i = col as isize;
                if col_i > indent {
                    return match self.block_start(col)? {
                        Some(node) => Ok(node),
                        None => Err(FastError::Unsupported),
                    };
                }
                if mapping_value && col_i == indent && self.is_seq_entry() {
                    return Ok(NodeStart::Seq(col));
                }
                Ok(NodeStart::Empty)
            }
        }
    }

    /// A block collection starting at the content of the current line, if it is one.
    fn block_start(&mut self, col: usize) -> Result<Option<NodeStart<'de>>> {
        if self.is_seq_entry() {
            return Ok(Some(NodeStart::Seq(col)));
        }
        if self.is_complex_key_start() || self.is_key_line()? {
            return Ok(Some(NodeStart::Map(col)));
        }
        Ok(None)
    }

    fn is_seq_entry(&self) -> bool {
        self.peek() == Some(b'-') && matches!(self.peek_at(1), None | Some(b' ' | b'\n'))
    }

    /// `? ` at `pos`: a complex key, as we and PyYAML write an empty, long (128
    /// characters or more) or multi-line key.
    fn is_complex_key_start(&self) -> bool {
        self.peek() == Some(b'?') && matches!(self.peek_at(1), None | Some(b' ' | b'\n'))
    }

    /// Reads `? key` and the `:` line after it, for a mapping at column `indent`: the
    /// key must be a scalar on the `?` line (folded onto more lines if long) and the
    /// `:` at the mapping's column; anything else is left to `serde_yaml`.
    fn read_complex_key(&mut self, indent: usize) -> Result<Scalar<'de>> {
        self.pos += 1;
        self.skip_spaces();
        if self.at_line_end() {
            return Err(FastError::Unsupported);
        }
        let parent = indent as isize;
        let key = match self.peek() {
            Some(b'\'') => self.single_quoted(parent)?,
            Some(b'"') => self.double_quoted(parent)?,
            Some(b'&' | b'*') if !self.allow_aliases => return Err(FastError::Alias(self.mark())),
            Some(c) if is_plain_start(c, self.peek_at(1)) => {
                if self.scan_plain_line().colon.is_some() {
                    return Err(FastError::Unsupported);
                }
                self.plain(parent)?
            }
            _ => return Err(FastError::Unsupported),
        };
        match self.next_content_line()? {
            Some(col)
                if col == indent
                    && self.peek() == Some(b':')
                    && matches!(self.peek_at(1), None | Some(b' ' | b'\n')) =>
            {
                self.pos += 1;
                Ok(key)
            }
            _ => Err(FastError::Unsupported),
        }
    }

    /// A node that starts at `pos` on the current line.
    fn inline_node(
        &mut self,
        parent_indent: isize,
        collections_allowed: bool,
    ) -> Result<NodeStart<'de>> {
        let col = self.column();
        if let Some(c) = self.peek()
            && is_plain_start(c, self.peek_at(1))
        {
            // One scan decides between `key:` (a mapping) and a plain scalar.
            return match (self.scan_plain_line().colon, collections_allowed) {
                (Some(_), true) => Ok(NodeStart::Map(col)),
                (Some(_), false) => Err(FastError::Unsupported),
                (None, _) => self.plain(parent_indent).map(NodeStart::Scalar),
            };
        }
        if collections_allowed {
            if let Some(node) = self.block_start(col)? {
                return Ok(node);
            }
        } else if self.is_seq_entry() || self.is_complex_key_start() || self.is_key_line()? {
            return Err(FastError::Unsupported);
        }
        match self.peek() {
            Some(b'[') if self.peek_at(1) == Some(b']') => {
                self.pos += 2;
                self.expect_line_end()?;
                Ok(NodeStart::EmptySeq)
            }
            Some(b'{') if self.peek_at(1) == Some(b'}') => {
                self.pos += 2;
                self.expect_line_end()?;
                Ok(NodeStart::EmptyMap)
            }
            Some(b'&' | b'*') if !self.allow_aliases => Err(FastError::Alias(self.mark())),
            Some(b'\'') => self.single_quoted(parent_indent).map(NodeStart::Scalar),
            Some(b'"') => self.double_quoted(parent_indent).map(NodeStart::Scalar),
            Some(c) if is_plain_start(c, self.peek_at(1)) => {
                self.plain(parent_indent).map(NodeStart::Scalar)
            }
            _ => Err(FastError::Unsupported),
        }
    }

    fn expect_line_end(&mut self) -> Result<()> {
        self.skip_spaces();
        if self.at_line_end() {
            Ok(())
        } else {
            Err(FastError::Unsupported)
        }
    }

    /// The end of the current line (exclusive), from `pos`.
    fn line_end(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }

    /// Whether the content at `pos` is `key:` (plain or single-line quoted key).
    fn is_key_line(&self) -> Result<bool> {
        Ok(self.key_extent()?.is_some())
    }

    /// For a key at `pos`: (end of key text, position of the `:`).
    fn key_extent(&self) -> Result<Option<(usize, usize)>> {
        match self.peek() {
            Some(b'\'' | b'"') => {
                let line = &self.bytes[self.pos..self.line_end()];
                let Some(close) = quoted_close_on_line(line) else {
                    return Ok(None);
                };
                let mut i = close + 1;
                while line.get(i) == Some(&b' ') {
                    i += 1;
                }
                if line.get(i) == Some(&b':') && matches!(line.get(i + 1), None | Some(b' ')) {
                    Ok(Some((self.pos + close + 1, self.pos + i)))
                } else {
                    Ok(None)
                }
            }
            Some(c) if is_plain_start(c, self.peek_at(1)) => {
                Ok(self.scan_plain_line().colon.map(|colon| (colon, colon)))
            }
            Some(b'?') => Err(FastError::Unsupported),
            _ => Ok(None),
        }
    }

    /// Scans plain text from `pos` to the end of its line (see [`PlainLine`]).
    fn scan_plain_line(&self) -> PlainLine {
        let rest = &self.bytes[self.pos..];
        let mut i = 0;
        while let Some(&b) = rest.get(i) {
            match b {
                b'\n' => break,
                b':' if matches!(rest.get(i + 1), None | Some(b' ' | b'\n')) => {
                    return PlainLine {
                        text_end: self.pos + i,
                        colon: Some(self.pos + i),
                    };
                }
                b'#' if i > 0 && rest[i - 1] == b' ' => break,
                _ => {}
            }
            i += 1;
        }
        PlainLine {
            text_end: self.pos + i,
            colon: None,
        }
    }

    /// Reads the key at `pos` and the `:` after it.
    fn read_key(&mut self) -> Result<Scalar<'de>> {
        let Some((key_end, colon)) = self.key_extent()? else {
            return Err(FastError::Unsupported);
        };
        let mark = self.mark();
        let key = match self.peek() {
            Some(b'\'') => self.single_quoted(-1)?,
            Some(b'"') => self.double_quoted(-1)?,
            Some(b'&' | b'*') if !self.allow_aliases => return Err(FastError::Alias(mark)),
            _ => {
                let text = self.src[self.pos..key_end].trim_end_matches(' ');
                if is_implicit_special(text) {
                    // A merge key, or `=` (PyYAML's value tag): the fallback's scan
                    // refuses them, as `safe_load` would not read them as text.
                    return Err(FastError::Unsupported);
                }
                Scalar {
                    text: Cow::Borrowed(text),
                    style: ScalarStyle::Plain,
                    mark,
                }
            }
        };
        self.pos = colon + 1;
        Ok(key)
    }

    /// A plain scalar from `pos`, folded over continuation lines indented past
    /// `parent_indent`.
    fn plain(&mut self, parent_indent: isize) -> Result<Scalar<'de>> {
        let mark = self.mark();
        let first = self.plain_line_text()?;
        let mut commented = self.comment_follows();
        let mut folded: Option<String> = None;
        while let Some((col, skipped)) = self.next_content_line_counting()? {
            if (col as isize) <= parent_indent {
                // Not ours: leave the cursor at that line's content for the parent.
                break;
            }
            if skipped > 0 || commented || self.is_document_marker() {
                // A comment ends a plain scalar, so what follows is an error; and
                // folding across blank lines: leave both to serde_yaml.
                return Err(FastError::Unsupported);
            }
            let more = self.plain_line_text()?;
            commented = self.comment_follows();
            let text = folded.get_or_insert_with(|| first.to_owned());
            text.push(' ');
            text.push_str(more);
        }
        let text = match folded {
            Some(s) => Cow::Owned(s),
            None if is_implicit_special(first) => return Err(FastError::Unsupported),
            None => Cow::Borrowed(first),
        };
        Ok(Scalar {
            text,
            style: ScalarStyle::Plain,
            mark,
        })
    }

    /// Whether the rest of the current line (after spaces) is a ` #` comment.
    fn comment_follows(&self) -> bool {
        let rest = &self.bytes[self.pos..];
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        spaces > 0 && rest.get(spaces) == Some(&b'#')
    }

    /// One line's worth of plain scalar text from `pos` (to end of line or ` #`).
    fn plain_line_text(&mut self) -> Result<&'de str> {
        let scan = self.scan_plain_line();
        if scan.colon.is_some() {
            return Err(FastError::Unsupported);
        }
        let start = self.pos;
        let text = self.src[start..scan.text_end].trim_end_matches(' ');
        self.pos = start + text.len();
        Ok(text)
    }

    /// Moves past a line break inside a quoted scalar, folding as YAML does; returns
    /// what the break contributes (`" "`, or one `\n` per blank line).
    fn fold_quoted_break(
        &mut self,
        parent_indent: isize,
        out: &mut String,
        escaped: bool,
    ) -> Result<()> {
        let mut blank_lines = 0usize;
        loop {
            // pos is at a '\n'.
            self.pos += 1;
            self.line += 1;
            self.line_start = self.pos;
            self.skip_spaces();
            match self.peek() {
                Some(b'\n') => blank_lines += 1,
                None => return Err(FastError::Unsupported),
                Some(_) => break,
            }
        }
        if (self.column() as isize) <= parent_indent
            || (self.column() == 0 && self.is_document_marker())
        {
            return Err(FastError::Unsupported);
        }
        if blank_lines > 0 {
            for _ in 0..blank_lines {
                out.push('\n');
            }
        } else if !escaped {
            out.push(' ');
        }
        Ok(())
    }

    fn single_quoted(&mut self, parent_indent: isize) -> Result<Scalar<'de>> {
        let mark = self.mark();
        self.pos += 1;
        let start = self.pos;
        // Fast case: no quote-doubling and no line break.
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\'' => {
                    if self.bytes.get(i + 1) == Some(&b'\'') {
                        break;
                    }
                    self.pos = i + 1;
                    return Ok(Scalar {
                        text: Cow::Borrowed(&self.src[start..i]),
                        style: ScalarStyle::Quoted,
                        mark,
                    });
                }
                b'\n' => break,
                _ => i += 1,
            }
        }
        let mut out = String::new();
        // Length of `out` up to the last character that is not trailing whitespace.
        let mut keep = 0usize;
        loop {
            let Some(b) = self.peek() else {
                return Err(FastError::Unsupported);
            };
            match b {
                b'\'' if self.peek_at(1) == Some(b'\'') => {
                    out.push('\'');
                    keep = out.len();
                    self.pos += 2;
                }
                b'\'' => {
                    self.pos += 1;
                    break;
                }
                b'\n' => {
                    out.truncate(keep);
                    self.fold_quoted_break(parent_indent, &mut out, false)?;
                    keep = out.len();
                }
                _ => {
                    let run_end = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| c == b'\'' || c == b'\n')
                        .map_or(self.bytes.len(), |k| self.pos + k);
                    let run = &self.src[self.pos..run_end];
                    out.push_str(run);
                    keep = out.len() - (run.len() - run.trim_end_matches(' ').len());
                    self.pos = run_end;
                }
            }
        }
        Ok(Scalar {
            text: Cow::Owned(out),
            style: ScalarStyle::Quoted,
            mark,
        })
    }

    fn double_quoted(&mut self, parent_indent: isize) -> Result<Scalar<'de>> {
        let mark = self.mark();
        self.pos += 1;
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Scalar {
                        text: Cow::Borrowed(&self.src[start..i]),
                        style: ScalarStyle::Quoted,
                        mark,
                    });
                }
                b'\\' | b'\n' => break,
                _ => i += 1,
            }
        }
        let mut out = String::new();
        let mut keep = 0usize;
        loop {
            let Some(b) = self.peek() else {
                return Err(FastError::Unsupported);
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' if self.peek_at(1) == Some(b'\n') => {
                    self.pos += 1;
                    self.fold_quoted_break(parent_indent, &mut out, true)?;
                    keep = out.len();
                }
                b'\\' => {
                    self.escape(&mut out)?;
                    keep = out.len();
                }
                b'\n' => {
                    out.truncate(keep);
                    self.fold_quoted_break(parent_indent, &mut out, false)?;
                    keep = out.len();
                }
                _ => {
                    let run_end = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\' || c == b'\n')
                        .map_or(self.bytes.len(), |k| self.pos + k);
                    let run = &self.src[self.pos..run_end];
                    out.push_str(run);
                    keep = out.len() - (run.len() - run.trim_end_matches(' ').len());
                    self.pos = run_end;
                }
            }
        }
        Ok(Scalar {
            text: Cow::Owned(out),
            style: ScalarStyle::Quoted,
            mark,
        })
    }

    /// One escape sequence at `pos` (a backslash).
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(code) = self.peek_at(1) else {
            return Err(FastError::Unsupported);
        };
        self.pos += 2;
        let simple = match code {
            b'0' => Some('\0'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\x0B'),
            b'f' => Some('\x0C'),
            b'r' => Some('\r'),
            b'e' => Some('\x1B'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'/' => Some('/'),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{A0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            return Ok(());
        }
        let digits = match code {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return Err(FastError::Unsupported),
        };
        let hex = self
            .src
            .get(self.pos..self.pos + digits)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or(FastError::Unsupported)?;
        let c = u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or(FastError::Unsupported)?;
        out.push(c);
        self.pos += digits;
        Ok(())
    }

    /// Runs `visit` on a block or empty collection with depth accounting.
    fn collection<T>(&mut self, visit: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.enter()?;
        let result = visit(self);
        self.leave();
        result
    }

    fn visit_block_map<V: Visitor<'de>>(&mut self, indent: usize, visitor: V) -> Result<V::Value> {
        let start = self.mark();
        self.collection(|de| {
            de.key_marks.push(Some(start));
            let result = visitor.visit_map(BlockMap {
                de: &mut *de,
                indent,
                first: true,
                complex_value: false,
            });
            let key_mark = de.key_marks.pop().flatten();
            result.map_err(|e: FastError| e.at(key_mark.unwrap_or(start)))
        })
    }

    fn visit_block_seq<V: Visitor<'de>>(&mut self, indent: usize, visitor: V) -> Result<V::Value> {
        let start = self.mark();
        self.collection(|de| {
            visitor
                .visit_seq(BlockSeq {
                    de: &mut *de,
                    indent,
                    first: true,
                })
                .map_err(|e: FastError| e.at(start))
        })
    }

    fn visit_empty_seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        self.collection(|_| {
            visitor
                .visit_seq(EmptyAccess)
                .map_err(|e: FastError| e.at(mark))
        })
    }

    fn visit_empty_map<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        self.collection(|_| {
            visitor
                .visit_map(EmptyAccess)
                .map_err(|e: FastError| e.at(mark))
        })
    }
}

/// A plain `=` or `<<`: PyYAML types them as its `value` and `merge` tags, which
/// `safe_load` does not construct as scalars (and `<<:` is a merge).
fn is_implicit_special(text: &str) -> bool {
    text == "=" || text == "<<"
}

/// Characters that may start a plain scalar (given the next byte).
fn is_plain_start(c: u8, next: Option<u8>) -> bool {
    match c {
        b'-' | b'?' | b':' => !matches!(next, None | Some(b' ' | b'\n')),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// Index of the closing quote of a quoted scalar that starts `line` and ends on it.
fn quoted_close_on_line(line: &[u8]) -> Option<usize> {
    let quote = *line.first()?;
    let mut i = 1;
    while i < line.len() {
        match line[i] {
            b'\'' if quote == b'\'' => {
                if line.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                return Some(i);
            }
            b'\\' if quote == b'"' => i += 2,
            b'"' if quote == b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

macro_rules! typed_number {
    ($method:ident, $visit:ident, $parse:expr) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let mark = self.mark();
            match self.next_node()? {
                NodeStart::Scalar(s) if s.style == ScalarStyle::Plain => match ($parse)(&*s.text) {
                    Some(n) => visitor.$visit(n).map_err(|e: FastError| e.at(s.mark)),
                    None => Err(invalid_scalar(s, &visitor)),
                },
                NodeStart::Scalar(s) => Err(invalid_scalar(s, &visitor)),
                NodeStart::Empty => Err(invalid_scalar(
                    Scalar {
                        text: Cow::Borrowed(""),
                        style: ScalarStyle::Plain,
                        mark,
                    },
                    &visitor,
                )),
                other => Err(invalid_collection(&other, &visitor, mark)),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for &mut FastDeserializer<'de> {
    type Error = FastError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Map(indent) => self.visit_block_map(indent, visitor),
            NodeStart::Seq(indent) => self.visit_block_seq(indent, visitor),
            NodeStart::EmptySeq => self.visit_empty_seq(visitor),
            NodeStart::EmptyMap => self.visit_empty_map(visitor),
            NodeStart::Empty => visitor.visit_unit().map_err(|e: FastError| e.at(mark)),
            NodeStart::Scalar(s) => {
                let m = s.mark;
                visit_untyped(s, visitor).map_err(|e: FastError| e.at(m))
            }
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Scalar(s) if s.style == ScalarStyle::Plain => {
                match core::parse_bool(&s.text) {
                    Some(b) => visitor.visit_bool(b).map_err(|e: FastError| e.at(s.mark)),
                    None => Err(invalid_scalar(s, &visitor)),
                }
            }
            NodeStart::Scalar(s) => Err(invalid_scalar(s, &visitor)),
            NodeStart::Empty => Err(invalid_scalar(
                Scalar {
                    text: Cow::Borrowed(""),
                    style: ScalarStyle::Plain,
                    mark,
                },
                &visitor,
            )),
            other => Err(invalid_collection(&other, &visitor, mark)),
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
    typed_number!(
        deserialize_i64,
        visit_i64,
        |s: &str| core::parse_signed_int(s, i64::from_str_radix)
    );
    typed_number!(deserialize_i128, visit_i128, |s: &str| {
        core::parse_signed_int(s, i128::from_str_radix)
    });
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    typed_number!(deserialize_u64, visit_u64, |s: &str| {
        core::parse_unsigned_int(s, u64::from_str_radix)
    });
    typed_number!(deserialize_u128, visit_u128, |s: &str| {
        core::parse_unsigned_int(s, u128::from_str_radix)
    });
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }
    typed_number!(deserialize_f64, visit_f64, core::parse_f64);

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Scalar(s) => {
                let m = s.mark;
                visit_text(s.text, visitor).map_err(|e: FastError| e.at(m))
            }
            NodeStart::Empty => visitor
                .visit_borrowed_str("")
                .map_err(|e: FastError| e.at(mark)),
            other => Err(invalid_collection(&other, &visitor, mark)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Empty => visitor.visit_none().map_err(|e: FastError| e.at(mark)),
            NodeStart::Scalar(s)
                if s.style == ScalarStyle::Plain
                    && (s.text.is_empty() || core::parse_null(&s.text)) =>
            {
                visitor.visit_none().map_err(|e: FastError| e.at(s.mark))
            }
            node => visitor.visit_some(NodeDeserializer {
                de: self,
                node,
                mark,
            }),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Empty => visitor.visit_unit().map_err(|e: FastError| e.at(mark)),
            NodeStart::Scalar(s)
                if s.style == ScalarStyle::Plain
                    && (s.text.is_empty() || core::parse_null(&s.text)) =>
            {
                visitor.visit_unit().map_err(|e: FastError| e.at(s.mark))
            }
            NodeStart::Scalar(s) => Err(<FastError as de::Error>::invalid_value(
                Unexpected::Str(&s.text),
                &"null",
            )
            .at(s.mark)),
            other => Err(invalid_collection(&other, &visitor, mark)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name != crate::NATIVE_VALUE {
            return visitor.visit_newtype_struct(self);
        }
        // A value kept untyped: as `deserialize_any`, with scalars typed as
        // `yaml.safe_load` types them.
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Map(indent) => self.visit_block_map(indent, visitor),
            NodeStart::Seq(indent) => self.visit_block_seq(indent, visitor),
            NodeStart::EmptySeq => self.visit_empty_seq(visitor),
            NodeStart::EmptyMap => self.visit_empty_map(visitor),
            NodeStart::Empty => visitor.visit_unit().map_err(|e: FastError| e.at(mark)),
            NodeStart::Scalar(s) => {
                let m = s.mark;
                visit_native(s, visitor).map_err(|e: FastError| e.at(m))
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Seq(indent) => self.visit_block_seq(indent, visitor),
            NodeStart::EmptySeq | NodeStart::Empty => self.visit_empty_seq(visitor),
            NodeStart::Scalar(s) if s.style == ScalarStyle::Plain && s.text.is_empty() => {
                self.visit_empty_seq(visitor)
            }
            NodeStart::Scalar(s) => Err(invalid_scalar(s, &visitor)),
            other => Err(invalid_collection(&other, &visitor, mark)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Map(indent) => self.visit_block_map(indent, visitor),
            NodeStart::EmptyMap | NodeStart::Empty => self.visit_empty_map(visitor),
            NodeStart::Scalar(s) if s.style == ScalarStyle::Plain && s.text.is_empty() => {
                self.visit_empty_map(visitor)
            }
            NodeStart::Scalar(s) => Err(invalid_scalar(s, &visitor)),
            other => Err(invalid_collection(&other, &visitor, mark)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let mark = self.mark();
        match self.next_node()? {
            NodeStart::Scalar(s) => {
                let m = s.mark;
                visitor
                    .visit_enum(UnitVariant(s))
                    .map_err(|e: FastError| e.at(m))
            }
            NodeStart::Empty => visitor
                .visit_enum(UnitVariant(Scalar {
                    text: Cow::Borrowed(""),
                    style: ScalarStyle::Plain,
                    mark,
                }))
                .map_err(|e: FastError| e.at(mark)),
            // Tagged (`!Variant`) enums and other shapes: serde_yaml decides.
            _ => Err(FastError::Unsupported),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }
}

/// Entries of a block mapping whose keys sit at column `indent`.
struct BlockMap<'a, 'de> {
    de: &'a mut FastDeserializer<'de>,
    indent: usize,
    first: bool,
    /// The current key was a complex one (`? key`).
    complex_value: bool,
}

impl<'de> de::MapAccess<'de> for BlockMap<'_, 'de> {
    type Error = FastError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.first {
            self.first = false;
        } else {
            match self.de.next_content_line()? {
                Some(col) if col == self.indent => {}
                Some(col) if col > self.indent => return Err(FastError::Unsupported),
                _ => {
                    if let Some(top) = self.de.key_marks.last_mut() {
                        *top = None;
                    }
                    return Ok(None);
                }
            }
        }
        if self.de.is_seq_entry() {
            // `- ` at a mapping's column ends an indentless sequence; anything else
            // here is a syntax error for serde_yaml to report.
            return Err(FastError::Unsupported);
        }
        // After a complex key's `: `, a compact collection may follow on the same line
        // (`: '1001':` / `: - 0.5`, as PyYAML and we write them), as after `- `.
        self.complex_value = self.de.is_complex_key_start();
        let key = if self.complex_value {
            self.de.read_complex_key(self.indent)?
        } else {
            self.de.read_key()?
        };
        if let Some(top) = self.de.key_marks.last_mut() {
            *top = Some(key.mark);
        }
        self.de.slot = Slot::Inline {
            indent: self.indent as isize,
            mapping_value: true,
        };
        seed.deserialize(ScalarDeserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.de.slot = Slot::Inline {
            indent: self.indent as isize,
            mapping_value: !self.complex_value,
        };
        seed.deserialize(&mut *self.de)
    }
}

/// Items of a block sequence whose `-` sit at column `indent`.
struct BlockSeq<'a, 'de> {
    de: &'a mut FastDeserializer<'de>,
    indent: usize,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for BlockSeq<'_, 'de> {
    type Error = FastError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.first {
            self.first = false;
        } else {
            match self.de.next_content_line()? {
                Some(col) if col == self.indent && self.de.is_seq_entry() => {}
                Some(col) if col > self.indent => return Err(FastError::Unsupported),
                _ => return Ok(None),
            }
        }
        // Consume the `-`.
        self.de.pos += 1;
        self.de.slot = Slot::Inline {
            indent: self.indent as isize,
            mapping_value: false,
        };
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// An empty sequence or mapping.
struct EmptyAccess;

impl<'de> de::SeqAccess<'de> for EmptyAccess {
    type Error = FastError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _seed: T) -> Result<Option<T::Value>> {
        Ok(None)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

impl<'de> de::MapAccess<'de> for EmptyAccess {
    type Error = FastError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _seed: K) -> Result<Option<K::Value>> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _seed: V) -> Result<V::Value> {
        Err(FastError::Unsupported)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}
