//! Block-YAML emitter that writes exactly what PyYAML's
//! `yaml.dump(data, default_flow_style=False, sort_keys=False)` writes.
//!
//! This is a port of the parts of PyYAML's `emitter.py` that block output of plain
//! data uses: indentation (`best_indent` 2, sequences inside mappings not indented),
//! empty collections as `[]`/`{}`, simple and `?` complex keys, scalar analysis and
//! style choice (plain, single-quoted, double-quoted with escapes; `allow_unicode` is
//! off, so non-ASCII text is escaped), and line folding at `best_width` 80.
//!
//! One deliberate difference: strings that a YAML 1.2 reader (serde_yaml, ruamel, yq)
//! would type as non-strings, such as `1e5`, are quoted too, where PyYAML leaves them
//! plain. PyYAML reads both spellings as the same string.

use std::borrow::Cow;

use super::resolve::{core, python_float_repr, pyyaml};
use super::tree::Node;

const BEST_INDENT: usize = 2;
const BEST_WIDTH: usize = 80;

/// Emits `root` as a YAML document.
pub(crate) fn emit(root: &Node) -> String {
    let mut emitter = Emitter {
        out: String::with_capacity(4096),
        column: 0,
        whitespace: true,
        indention: true,
        open_ended: false,
        indent: None,
        indents: Vec::new(),
    };
    emitter.expect_node(root, Context::ROOT);
    // Document end: PyYAML's `write_indent` then, for an open-ended root, `...`.
    emitter.write_indent();
    if emitter.open_ended {
        emitter.write_indicator("...", true, false, false);
        emitter.write_indent();
    }
    emitter.out
}

/// Where a node sits (PyYAML's `*_context` flags).
#[derive(Clone, Copy)]
struct Context {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Context {
    const ROOT: Self = Self {
        root: true,
        mapping: false,
        simple_key: false,
    };
    const SEQUENCE_ITEM: Self = Self {
        root: false,
        mapping: false,
        simple_key: false,
    };
    const MAPPING_VALUE: Self = Self {
        root: false,
        mapping: true,
        simple_key: false,
    };
    const SIMPLE_KEY: Self = Self {
        root: false,
        mapping: true,
        simple_key: true,
    };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
}

/// A scalar ready to write: its text, PyYAML's tag length (for the simple-key test),
/// and whether it is a string (strings need analysis and may need quotes; PyYAML
/// writes numbers, booleans and null plain).
struct PreparedScalar<'a> {
    text: Cow<'a, str>,
    tag_len: usize,
    is_string: bool,
}

fn prepare_scalar(node: &Node) -> Option<PreparedScalar<'_>> {
    let (text, tag_len, is_string) = match node {
        Node::Str(s) => (Cow::Borrowed(s.as_str()), "!!str".len(), true),
        Node::Seq(_) | Node::Map(_) => return None,
        other => {
            let mut s = String::new();
            let tag_len = write_non_string(other, &mut s);
            (Cow::Owned(s), tag_len, false)
        }
    };
    Some(PreparedScalar {
        text,
        tag_len,
        is_string,
    })
}

/// Writes a number, boolean or null as PyYAML does; returns PyYAML's tag length.
fn write_non_string(node: &Node, out: &mut String) -> usize {
    use std::fmt::Write as _;
    match node {
        Node::Null => {
            out.push_str("null");
            "!!null".len()
        }
        Node::Bool(b) => {
            out.push_str(if *b { "true" } else { "false" });
            "!!bool".len()
        }
        Node::Int(i) => {
            let _ = write!(out, "{i}");
            "!!int".len()
        }
        Node::BigUint(u) => {
            let _ = write!(out, "{u}");
            "!!int".len()
        }
        Node::Float(f) if f.is_nan() => {
            out.push_str(".nan");
            "!!float".len()
        }
        Node::Float(f) if f.is_infinite() => {
            out.push_str(if *f > 0.0 { ".inf" } else { "-.inf" });
            "!!float".len()
        }
        Node::Float(f) => {
            python_float_repr(*f, out);
            "!!float".len()
        }
        Node::Timestamp(t) => {
            out.push_str(t);
            "!!timestamp".len()
        }
        Node::Str(_) | Node::Seq(_) | Node::Map(_) => 0,
    }
}

impl Emitter {
    fn expect_node(&mut self, node: &Node, ctx: Context) {
        match node {
            Node::Seq(items) if items.is_empty() => self.empty_flow("[", "]"),
            Node::Map(entries) if entries.is_empty() => self.empty_flow("{", "}"),
            Node::Seq(items) => self.block_sequence(items, ctx),
            Node::Map(entries) => self.block_mapping(entries),
            // Timestamps may hold spaces: written plain, folded like any plain text.
            Node::Str(_) | Node::Timestamp(_) => {
                if let Some(prepared) = prepare_scalar(node) {
                    self.expect_scalar(&prepared, ctx);
                }
            }
            other => self.write_plain_non_string(other, ctx),
        }
    }

    /// Numbers, booleans and null: always plain, no spaces, so no folding (PyYAML's
    /// `write_plain` reduced to what it does for them), written without allocating.
    fn write_plain_non_string(&mut self, node: &Node, ctx: Context) {
        if ctx.root {
            self.open_ended = true;
        }
        if !self.whitespace {
            self.out.push(' ');
            self.column += 1;
        }
        let before = self.out.len();
        write_non_string(node, &mut self.out);
        self.column += self.out.len() - before;
        self.whitespace = false;
        self.indention = false;
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.indent = self.indents.pop().flatten();
        self.write_indicator(close, false, false, false);
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        self.indent = match self.indent {
            None if flow => Some(BEST_INDENT),
            None => Some(0),
            Some(i) if !indentless => Some(i + BEST_INDENT),
            Some(i) => Some(i),
        };
    }

    fn block_sequence(&mut self, items: &[Node], ctx: Context) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.expect_node(item, Context::SEQUENCE_ITEM);
        }
        self.indent = self.indents.pop().flatten();
    }

    fn block_mapping(&mut self, entries: &[(Node, Node)]) {
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            let prepared = prepare_scalar(key);
            let simple = prepared.as_ref().is_some_and(|p| {
                !p.text.is_empty()
                    && !has_line_break(&p.text)
                    && p.tag_len + p.text.chars().count() < 128
            });
            if simple {
                if let Some(p) = &prepared {
                    self.expect_scalar(p, Context::SIMPLE_KEY);
                }
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.expect_node(key, Context::MAPPING_VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.expect_node(value, Context::MAPPING_VALUE);
        }
        self.indent = self.indents.pop().flatten();
    }

    fn expect_scalar(&mut self, scalar: &PreparedScalar<'_>, ctx: Context) {
        self.increase_indent(true, false);
        let analysis = analyze_scalar(&scalar.text);
        let style = if scalar.is_string {
            choose_string_style(&scalar.text, &analysis, ctx)
        } else {
            Style::Plain
        };
        let split = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&scalar.text, split, ctx.root),
            Style::Single if is_short_single_quoted(&scalar.text) => {
                self.write_indicator("'", true, false, false);
                self.write_text(&scalar.text);
                self.write_indicator("'", false, false, false);
            }
            Style::Single => self.write_single_quoted(&scalar.text, split),
            Style::Double => self.write_double_quoted(&scalar.text, split),
        }
        self.indent = self.indents.pop().flatten();
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.out.push(' ');
            self.column += 1;
        }
        self.out.push_str(indicator);
        self.column += indicator.len();
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            for _ in self.column..indent {
                self.out.push(' ');
            }
            self.column = indent;
        }
    }

    fn write_line_break(&mut self) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push('\n');
    }

    fn write_text(&mut self, text: &str) {
        // Everything we write is ASCII (non-ASCII is escaped), so bytes are columns.
        self.column += text.len();
        self.out.push_str(text);
    }

    fn write_plain(&mut self, text: &str, split: bool, root: bool) {
        if root {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write_text(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let bytes = text.as_bytes();
        let mut spaces = false;
        let (mut start, mut end) = (0usize, 0usize);
        while end <= bytes.len() {
            let ch = bytes.get(end).copied();
            if spaces {
                if ch != Some(b' ') {
                    if start + 1 == end && self.column > BEST_WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write_text(&text[start..end]);
                    }
                    start = end;
                }
            } else if ch.is_none() || ch == Some(b' ') {
                self.write_text(&text[start..end]);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == b' ';
            }
            end += 1;
        }
    }

    fn write_single_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let (mut start, mut end) = (0usize, 0usize);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > BEST_WIDTH
                        && split
                        && start != 0
                        && end != chars.len()
                    {
                        self.write_indent();
                    } else {
                        self.write_chars(&chars[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if ch.is_none_or(|c| !is_line_break(c)) {
                    if chars[start] == '\n' {
                        self.write_line_break();
                    }
                    for &br in &chars[start..end] {
                        if br == '\n' {
                            self.write_line_break();
                        } else {
                            // PyYAML writes the break character itself; the scalar has
                            // no special characters here, so this is only '\n'.
                            self.out.push(br);
                            self.whitespace = true;
                            self.indention = true;
                            self.column = 0;
                        }
                    }
                    self.write_indent();
                    start = end;
                }
            } else if (ch.is_none_or(|c| c == ' ' || is_line_break(c) || c == '\'')) && start < end
            {
                self.write_chars(&chars[start..end]);
                start = end;
            }
            if ch == Some('\'') {
                self.write_text("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_line_break(c);
            }
            end += 1;
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_chars(&mut self, chars: &[char]) {
        for &c in chars {
            self.out.push(c);
        }
        self.column += chars.len();
    }

    fn write_double_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut start, mut end) = (0usize, 0usize);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            let must_escape = ch.is_none_or(|c| {
                matches!(
                    c,
                    '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
                ) || !(' '..='\x7E').contains(&c)
            });
            if must_escape {
                if start < end {
                    self.write_chars(&chars[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    let escaped = escape_char(c);
                    self.write_text(&escaped);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < chars.len()
                && (ch == Some(' ') || start >= end)
                && (self.column + end) as isize - start as isize > BEST_WIDTH as isize
                && split
            {
                let mut data: String = chars[start.min(end)..end].iter().collect();
                data.push('\\');
                if start < end {
                    start = end;
                }
                self.write_text(&data);
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if chars.get(start) == Some(&' ') {
                    self.write_text("\\");
                }
            }
            end += 1;
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// Single-quoted text PyYAML writes unchanged: ASCII without quotes, spaces or breaks
/// (nothing to double, nowhere to fold).
fn is_short_single_quoted(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_graphic() && b != b'\'')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn has_line_break(s: &str) -> bool {
    s.chars().any(is_line_break)
}

fn escape_char(c: char) -> String {
    let named = match c {
        '\0' => Some('0'),
        '\x07' => Some('a'),
        '\x08' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\x0B' => Some('v'),
        '\x0C' => Some('f'),
        '\r' => Some('r'),
        '\x1B' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{A0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    let code = u32::from(c);
    match named {
        Some(n) => format!("\\{n}"),
        None if code <= 0xFF => format!("\\x{code:02X}"),
        None if code <= 0xFFFF => format!("\\u{code:04X}"),
        None => format!("\\U{code:08X}"),
    }
}

/// PyYAML's `ScalarAnalysis`, the parts that decide the style.
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

fn is_blank_or_break(c: Option<char>) -> bool {
    matches!(
        c,
        None | Some('\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
    )
}

/// Port of PyYAML's `Emitter.analyze_scalar` with `allow_unicode=False`.
fn analyze_scalar(scalar: &str) -> Analysis {
    if scalar.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    if scalar.is_ascii() {
        let bytes = scalar.as_bytes();
        analyze_chars(scalar, bytes.len(), |i| {
            bytes.get(i).map(|&b| char::from(b))
        })
    } else {
        let chars: Vec<char> = scalar.chars().collect();
        analyze_chars(scalar, chars.len(), |i| chars.get(i).copied())
    }
}

/// The body of `analyze_scalar` over `len` characters given by `at`.
fn analyze_chars(scalar: &str, len: usize, at: impl Fn(usize) -> Option<char>) -> Analysis {
    let mut block_indicators = scalar.starts_with("---") || scalar.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = len == 1 || is_blank_or_break(at(1));
    let (mut previous_space, mut previous_break) = (false, false);
    let last = len - 1;
    for index in 0..len {
        let Some(ch) = at(index) else { break };
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if is_line_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='\x7E').contains(&ch)) {
            // Printable non-ASCII counts as special too: `allow_unicode` is off.
            special_characters = true;
        }
        if ch == ' ' {
            leading_space |= index == 0;
            trailing_space |= index == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_line_break(ch) {
            leading_break |= index == 0;
            trailing_break |= index == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_break(Some(ch));
        followed_by_whitespace = index + 2 >= len || is_blank_or_break(at(index + 2));
    }
    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

/// Port of PyYAML's `choose_scalar_style` for a string, plus our YAML 1.2 quoting.
fn choose_string_style(text: &str, analysis: &Analysis, ctx: Context) -> Style {
    let implicit_plain =
        !pyyaml::resolves_to_non_string(text) && !core::resolves_to_non_string(text);
    if implicit_plain
        && !(ctx.simple_key && (analysis.empty || analysis.multiline))
        && analysis.allow_block_plain
    {
        return Style::Plain;
    }
    if analysis.allow_single_quoted && !(ctx.simple_key && analysis.multiline) {
        return Style::Single;
    }
    Style::Double
}
