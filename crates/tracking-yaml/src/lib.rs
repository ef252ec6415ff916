//! The YAML codec: every YAML read and write of cinematic goes through here.
//!
//! * [`to_yaml_string`] writes block YAML laid out exactly as the Python original's
//!   `yaml.dump(data, default_flow_style=False, sort_keys=False)`: keys in struct field
//!   order, sequences under a key not indented, frame keys as quoted strings (`'1001':`),
//!   strings that PyYAML (YAML 1.1) or a YAML 1.2 reader would mistype quoted (`'no'`,
//!   `'12:30'`, `'1e5'`), floats spelled as Python's `repr` with PyYAML's fix-up
//!   (`1.0e+22`), so they round-trip bit for bit. Non-finite numbers are refused with
//!   the field path.
//! * [`from_yaml_str`] reads YAML within [`YamlLimits`]: size is checked before
//!   parsing, anchors/aliases are refused (billion-laughs bombs), nesting is capped.
//!   Into our types it reads exactly what PyYAML's `yaml.safe_load` reads from anything
//!   `yaml.safe_dump` writes, in every style: block, flow leaves or all flow, any
//!   `width` and `indent`, `explicit_start`/`explicit_end`, sorted keys, `canonical=True`
//!   (explicit tags decide the type: `!!int "1299"` is the integer 1299), with or
//!   without `allow_unicode`, and with NEL, LS and PS as line breaks as in YAML 1.1.
//!   `tests/it/pyyaml_differential.rs` checks this against PyYAML on generated
//!   sessions. Errors are one line and carry line, column and, for data errors, the
//!   field path (`tracks[0].track_type`).
//! * What `safe_load` does not read, neither do we: one UTF-8 byte-order mark at the
//!   start is skipped as PyYAML skips it; a tag outside PyYAML's `SafeConstructor`
//!   (`!!python/object:os.system`, a local `!foo`, another schema's) or a plain `=`
//!   is [`YamlError::UnsafeTag`], with PyYAML's wording and position; `!!binary`,
//!   `!!set`, `!!omap` and `!!pairs` make Python values no field holds, so they are
//!   [`YamlError::Data`] at their field; a merge key (`<<:`) is
//!   [`YamlError::MergeKey`] (we do not merge).
//!
//! ```
//! use tracking_types::TrackData;
//! use tracking_yaml as yaml;
//!
//! let track = TrackData::new("no");
//! let text = yaml::to_yaml_string(&track)?;
//! assert!(text.starts_with("name: 'no'\n"));
//! let back: TrackData = yaml::from_yaml_str(&text, &yaml::YamlLimits::default())?;
//! assert_eq!(back, track);
//! # Ok::<(), yaml::YamlError>(())
//! ```
//!
//! # Two read paths
//!
//! A fast path reads the block subset that we and `yaml.dump(...,
//! default_flow_style=False)` write (also with `explicit_start`/`explicit_end`, `? `
//! keys, and CR LF line ends, read as LF) straight from the text into the target type;
//! everything else (flow collections, tags, directives, block scalars, tabs, lone CRs,
//! raw NEL/LS/PS, …) is read by `serde_yaml`, which is authoritative, with identical
//! results (both type plain scalars by `serde_yaml`'s rules, except values kept
//! untyped: see below). The fast path exists because our
//! session files are large and `serde_yaml` is slow and memory-hungry on them: it
//! materialises the whole libyaml event stream before deserialising, and is run twice
//! (a syntax and depth pass, then the data). On the 12.5 MB session of
//! `benches/yaml_codec.rs` (200 tracks × 1000 markers; see `BENCHMARKS.md`):
//!
//! | read path | time (criterion, 2 cores) | peak RSS, one read in its own process |
//! |---|---|---|
//! | fast path | 105 ms | 25.2 MiB (10.1 MiB above the 15.2 MiB with the text loaded) |
//! | `serde_yaml` fallback | 1.14 s | 135.9 MiB (120.7 MiB above the text) |
//!
//! so about 11× faster and 12× leaner on top of the text.
//!
//! # Values kept untyped
//!
//! A value that asks for it by name (`deserialize_newtype_struct` with
//! `tracking_types::extra::NATIVE_VALUE`; `tracking_types::ExtraValue`, the unknown
//! keys a session keeps, does) has its plain scalars typed as `yaml.safe_load` types
//! them, by PyYAML's YAML 1.1 resolvers and constructors: `yes` is `true`, `0777` is
//! 511, `12:30` is 750, `1_000` is 1000, `1e5` is text, `2024-05-01 10:00:00` is a
//! timestamp (kept as its text, visited as a map with the single key
//! `tracking_types::extra::TIMESTAMP`, written back plain). Written back, such values
//! are what PyYAML reads to the same Python value (`.inf` and `.nan` included, which
//! are refused in typed fields), so a newer writer's keys survive a load and save:
//! `tests/it/pyyaml_differential.rs` checks that against PyYAML. This holds on the
//! fast path, i.e. for block-style files; in a file only `serde_yaml` reads (flow
//! style, raw NEL/LS/PS, tags), plain scalars there are typed by its YAML 1.2 rules
//! (`yes` stays text), because `serde_yaml` does not tell a plain scalar from a quoted
//! one.
//!
//! # Limits of the reader
//!
//! * Under an explicit core tag the content must be spelled as PyYAML writes it
//!   (`!!int "1299"`, `!!float "1.0e+22"`, `!!bool "true"`, `!!null "null"`): YAML
//!   1.1-only spellings that `safe_load` also accepts under a tag (`!!bool "yes"`,
//!   `!!int "1_000"`, `!!int "1:30"`, `!!null ""`) are refused as syntax errors.
//!   PyYAML writes none of them.
//! * Into self-describing targets (`serde_json::Value`), untagged plain scalars are
//!   typed by `serde_yaml`'s YAML 1.2 core rules, not PyYAML's YAML 1.1 ones (`yes`
//!   stays a string, `1e5` is a float); typed targets read what their type says.
//!
//! # Modules
//!
//! * `emit`: the block emitter behind [`to_yaml_string`] (layout, quoting, escapes).
//! * `tree`: the serde `Serializer` that turns a value into the emitter's node tree,
//!   refusing non-finite floats, bytes and collection keys with the field path.
//! * `resolve`: how plain scalars are typed, by PyYAML's YAML 1.1 resolvers (what the
//!   emitter must quote) and by `serde_yaml`'s YAML 1.2 core rules (what the fast path
//!   reads), and Python's float `repr`.
//! * `fast`: the fast-path `Deserializer` (`fast::scalar`: its scalar-level
//!   deserializers and untyped-scalar rules).
//! * `guard`: the `serde_yaml` fallback's pre-scan for anchors, aliases, deep flow
//!   nesting and the nodes `safe_load` refuses, and its depth probe.
//! * `tags`: tag resolution (`%TAG` handles, verbatim tags, `%XX` escapes) and which
//!   tags `safe_load` constructs.
//! * this file: the public API, and the fallback itself (two `serde_yaml` passes; for
//!   tagged documents the data pass goes through `serde_yaml::Value`, see
//!   `from_yaml_tree`).

mod emit;
mod fast;
mod guard;
mod resolve;
mod tags;
mod tree;

use std::cell::Cell;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// The newtype-struct name through which a value asks to be typed as `yaml.safe_load`
/// types it (see "Values kept untyped" in the crate docs); equal to
/// `tracking_types::extra::NATIVE_VALUE` (a unit test holds them together, as this
/// crate depends on no workspace crate).
const NATIVE_VALUE: &str = "$tracking_types::ExtraValue";

/// The name of a timestamp in the same protocol (`tracking_types::extra::TIMESTAMP`).
const TIMESTAMP: &str = "$tracking_types::Timestamp";

/// Limits applied by [`from_yaml_str`] before and while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlLimits {
    /// Largest accepted input in bytes; checked before parsing. Default 256 MiB.
    pub max_bytes: usize,
    /// Deepest accepted nesting of collections (the root collection is level 1).
    /// Default 64; the `serde_yaml` fallback also stops at its own limit of 128.
    pub max_depth: usize,
    /// Whether anchors (`&a`) and aliases (`*a`) are accepted. Default `false`: our
    /// files never contain them, and refusing them stops alias bombs outright. When
    /// allowed, `serde_yaml`'s own expansion limit applies.
    pub allow_aliases: bool,
}

impl YamlLimits {
    /// Default `max_bytes`: 256 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;
    /// Default `max_depth`: 64 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// These limits with another `max_bytes`.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// These limits with another `max_depth`.
    #[must_use]
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// These limits with anchors and aliases allowed or not.
    #[must_use]
    pub fn with_aliases(mut self, allow_aliases: bool) -> Self {
        self.allow_aliases = allow_aliases;
        self
    }
}

impl Default for YamlLimits {
    fn default() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            allow_aliases: false,
        }
    }
}

/// What went wrong reading or writing YAML, and where.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum YamlError {
    /// The input is larger than [`YamlLimits::max_bytes`]; nothing was parsed.
    #[error("YAML input is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Collections nest deeper than [`YamlLimits::max_depth`].
    #[error("line {line} column {column}: YAML nesting is deeper than {limit} levels")]
    TooDeep {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The limit in force.
        limit: usize,
    },
    /// An anchor or alias while [`YamlLimits::allow_aliases`] is off.
    #[error("line {line} column {column}: YAML anchors and aliases are not allowed")]
    AliasesNotAllowed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A node `yaml.safe_load` would not construct, so neither do we: a tag outside
    /// its `SafeConstructor` (`!!python/object:os.system`, a local `!foo`, a tag of
    /// another schema), a plain `=` (PyYAML's `value` tag) or `<<` as a value (its
    /// `merge` tag). `tag` is the full name,
    /// as PyYAML states it (`tag:yaml.org,2002:python/object:os.system`).
    #[error(
        "line {line} column {column}: could not determine a constructor for the tag '{tag}' (yaml.safe_load refuses it too)"
    )]
    UnsafeTag {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The tag, resolved.
        tag: String,
    },
    /// A merge key (`<<:`): `safe_load` would merge the mapping in; we do not read
    /// merges (keeping the key instead would change what a Python reader sees).
    #[error("line {line} column {column}: merge keys (<<) are not supported")]
    MergeKey {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The text holds no YAML node at all (empty, blank or only comments): a
    /// truncated or emptied file, never silently read as defaults.
    #[error("the YAML document is empty")]
    EmptyDocument,
    /// The text is not valid YAML.
    #[error("{}invalid YAML: {message}", position_prefix(*.line, *.column))]
    Syntax {
        /// 1-based line, when the parser said.
        line: Option<usize>,
        /// 1-based column, when the parser said.
        column: Option<usize>,
        /// The parser's description (without the position, which is stated once, first).
        message: String,
    },
    /// Valid YAML whose data does not fit the target type (unknown enum value,
    /// duplicated frame key, wrong type, …).
    #[error("{path}: {message}{}", position_suffix(*.line, *.column))]
    Data {
        /// Field path such as `tracks[0].track_type` (`.` for the root).
        path: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong, e.g. ``unknown variant `x`, expected one of `point`, …``.
        message: String,
    },
    /// A NaN or infinite number cannot be written (PyYAML would read `.nan`, and the
    /// original never wrote one).
    #[error("{path}: non-finite number {value} cannot be written to YAML")]
    NonFinite {
        /// Field path such as `tracks[1].markers[1002][0]`.
        path: String,
        /// The value found.
        value: f64,
    },
    /// A value YAML cannot represent here (byte strings, collection map keys, or a
    /// `Serialize` impl's own error).
    #[error("{path}: cannot be written to YAML: {message}")]
    Unrepresentable {
        /// Field path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A `serde_yaml` syntax error, its position taken out of the message (stated once).
fn syntax_error(e: &serde_yaml::Error) -> YamlError {
    let location = e.location();
    let mut message = e.to_string();
    if let Some(l) = &location {
        message = message.replace(&format!(" at line {} column {}", l.line(), l.column()), "");
    }
    YamlError::Syntax {
        line: location.as_ref().map(serde_yaml::Location::line),
        column: location.as_ref().map(serde_yaml::Location::column),
        message: one_line(message),
    }
}

/// `line L column C: ` when known, for messages that start with their position.
fn position_prefix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l} column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

fn position_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (line {l} column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

impl YamlError {
    /// The 1-based line the error points at, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::TooDeep { line, .. }
            | Self::AliasesNotAllowed { line, .. }
            | Self::UnsafeTag { line, .. }
            | Self::MergeKey { line, .. } => Some(*line),
            Self::Syntax { line, .. } => *line,
            Self::Data { line, .. } => *line,
            _ => None,
        }
    }

    /// The 1-based column the error points at, when it has one.
    pub fn column(&self) -> Option<usize> {
        match self {
            Self::TooDeep { column, .. }
            | Self::AliasesNotAllowed { column, .. }
            | Self::UnsafeTag { column, .. }
            | Self::MergeKey { column, .. } => Some(*column),
            Self::Syntax { column, .. } => *column,
            Self::Data { column, .. } => *column,
            _ => None,
        }
    }
}

/// Writes `value` as PyYAML-compatible block YAML (see the [module docs](self)).
///
/// # Errors
/// [`YamlError::NonFinite`] for NaN or infinite floats, [`YamlError::Unrepresentable`]
/// for byte strings, collection-valued map keys or a `Serialize` impl's own error; both
/// name the field path.
pub fn to_yaml_string<T: Serialize + ?Sized>(value: &T) -> Result<String, YamlError> {
    let node = tree::to_node(value).map_err(|e| {
        let path = tree::render_path(&e.path);
        match e.kind {
            tree::TreeErrorKind::NonFinite(value) => YamlError::NonFinite { path, value },
            tree::TreeErrorKind::Message(message) => YamlError::Unrepresentable { path, message },
        }
    })?;
    Ok(emit::emit(&node))
}

/// Reads a `T` from YAML text within `limits` (see the [module docs](self)).
///
/// Unknown fields are ignored by types that ignore them (serde's default) and kept,
/// typed as `safe_load` types them, by types that keep them (see "Values kept untyped"
/// in the [module docs](self)); frame keys may be quoted or bare integers; whole
/// numbers are accepted where floats are expected; explicit core tags (`!!int "1299"`)
/// decide a scalar's type, as in PyYAML's `canonical=True` output. One leading UTF-8
/// byte-order mark is skipped.
///
/// # Errors
/// [`YamlError::TooLarge`], [`YamlError::TooDeep`], [`YamlError::AliasesNotAllowed`],
/// [`YamlError::UnsafeTag`], [`YamlError::MergeKey`], [`YamlError::EmptyDocument`],
/// [`YamlError::Syntax`] (with line and column) or [`YamlError::Data`] (with field
/// path, line and column); every message is one line.
pub fn from_yaml_str<T: DeserializeOwned>(text: &str, limits: &YamlLimits) -> Result<T, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    // PyYAML skips one byte-order mark at the start of the stream (editors on Windows
    // write one); positions are then counted without it, as an editor shows them.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if is_empty_document(text) {
        return Err(YamlError::EmptyDocument);
    }
    match from_yaml_str_fast(text, limits) {
        FastOutcome::Done(Ok(value)) => Ok(value),
        FastOutcome::Done(Err(error)) => Err(refusal_first(text, error)),
        FastOutcome::Unsupported => from_yaml_str_fallback(text, limits),
    }
}

/// `error`, or the refusal of a node `safe_load` would not construct when the text has
/// one: PyYAML constructs the whole document before anything is typed, so such a node
/// anywhere outranks a data error. (The fast path never accepts one: a tag or a plain
/// `=`/`<<` sends the text to the fallback, which scans for them first.)
fn refusal_first(text: &str, error: YamlError) -> YamlError {
    if !matches!(error, YamlError::Data { .. })
        || !(text.contains(['!', '=']) || text.contains("<<"))
    {
        return error;
    }
    guard::scan(text, false, usize::MAX)
        .refusal
        .map_or(error, refusal_error)
}

fn refusal_error(refusal: guard::Refusal) -> YamlError {
    match refusal {
        guard::Refusal::Tag(line, column, tag) => YamlError::UnsafeTag { line, column, tag },
        guard::Refusal::MergeKey(line, column) => YamlError::MergeKey { line, column },
    }
}

/// A node tagged `!!binary`, `!!set`, `!!omap` or `!!pairs`: `safe_load` makes bytes, a
/// set or a list of pairs of it, which no field holds.
fn not_data_error(text: &str, not_data: &guard::NotData) -> YamlError {
    YamlError::Data {
        path: one_line(guard::not_data_path(text, not_data).unwrap_or_else(|| ".".to_owned())),
        line: Some(not_data.line),
        column: Some(not_data.column),
        message: format!("invalid type: {}, which no field holds", not_data.what),
    }
}

/// True when `text` has no node: only blank lines, comments and document markers.
fn is_empty_document(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

enum FastOutcome<T> {
    Done(Result<T, YamlError>),
    Unsupported,
}

/// The fast path; `Unsupported` when the text is outside its subset.
fn from_yaml_str_fast<T: DeserializeOwned>(text: &str, limits: &YamlLimits) -> FastOutcome<T> {
    // CR LF is one line break to YAML (libyaml and PyYAML read it as `\n`, in quoted
    // and block scalars too), so a file saved with Windows line ends is read here as
    // the same text with `\n`: lines and columns do not change. A lone CR (also a
    // break in YAML 1.1) is left to `serde_yaml`.
    let normalized;
    let text = if text.contains('\r') {
        let bytes = text.as_bytes();
        let crlf_only = text
            .match_indices('\r')
            .all(|(i, _)| bytes.get(i + 1) == Some(&b'\n'));
        if !crlf_only {
            return FastOutcome::Unsupported;
        }
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    if !fast::may_try(text) {
        return FastOutcome::Unsupported;
    }
    let mut de = fast::FastDeserializer::new(text, limits.max_depth, limits.allow_aliases);
    let result = serde_path_to_error::deserialize::<_, T>(&mut de);
    let value = match result {
        Ok(value) => value,
        Err(e) => {
            let path = e.path().to_string();
            return match e.into_inner() {
                fast::FastError::Unsupported => FastOutcome::Unsupported,
                other => FastOutcome::Done(Err(fast_error(other, path, text, limits))),
            };
        }
    };
    match de.end() {
        Ok(()) => FastOutcome::Done(Ok(value)),
        Err(fast::FastError::Unsupported) => FastOutcome::Unsupported,
        Err(other) => FastOutcome::Done(Err(fast_error(other, ".".to_owned(), text, limits))),
    }
}

fn fast_error(error: fast::FastError, path: String, text: &str, limits: &YamlLimits) -> YamlError {
    match error {
        fast::FastError::Alias(mark) => {
            let (line, column) = mark.line_column(text);
            YamlError::AliasesNotAllowed { line, column }
        }
        fast::FastError::TooDeep(mark) => {
            let (line, column) = mark.line_column(text);
            YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            }
        }
        fast::FastError::Data { message, mark } => {
            let position = mark.map(|m| m.line_column(text));
            YamlError::Data {
                path: one_line(path),
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                message: one_line(message),
            }
        }
        fast::FastError::Unsupported => YamlError::Syntax {
            line: None,
            column: None,
            message: "unsupported YAML".to_owned(),
        },
    }
}

/// The general path: `serde_yaml`, behind the alias and depth guards.
fn from_yaml_str_fallback<T: DeserializeOwned>(
    text: &str,
    limits: &YamlLimits,
) -> Result<T, YamlError> {
    if text.starts_with('\u{FEFF}') {
        // One mark was skipped; PyYAML reads a second as text, libyaml would skip it
        // too: rather than read something else than PyYAML, refuse.
        return Err(YamlError::Syntax {
            line: Some(1),
            column: Some(1),
            message: "a second byte-order mark (U+FEFF) at the start of the text".to_owned(),
        });
    }
    let scan = guard::scan(text, !limits.allow_aliases, limits.max_depth);
    match scan.hazard {
        Some(guard::Hazard::Alias(line, column)) => {
            return Err(YamlError::AliasesNotAllowed { line, column });
        }
        Some(guard::Hazard::TooDeep(line, column)) => {
            return Err(YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            });
        }
        None => {}
    }
    // Pass 1: syntax and depth, without building anything.
    let exceeded = Cell::new(false);
    let probe = guard::DepthProbe::new(limits.max_depth, &exceeded);
    if let Err(e) =
        serde::de::DeserializeSeed::deserialize(probe, serde_yaml::Deserializer::from_str(text))
    {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        if exceeded.get() || e.to_string().starts_with("recursion limit exceeded") {
            return Err(YamlError::TooDeep {
                line,
                column,
                limit: limits.max_depth,
            });
        }
        return Err(syntax_error(&e));
    }
    // Nodes `safe_load` would not construct, or that hold no plain data: PyYAML reports
    // them after syntax errors and before any typing.
    if let Some(refusal) = scan.refusal {
        return Err(refusal_error(refusal));
    }
    if let Some(not_data) = &scan.not_data {
        return Err(not_data_error(text, not_data));
    }
    // Pass 2: the data.
    if has_null_tag(text) {
        return from_yaml_tree(text, None);
    }
    let error =
        match serde_path_to_error::deserialize::<_, T>(serde_yaml::Deserializer::from_str(text)) {
            Ok(value) => return Ok(value),
            Err(e) => data_error(e),
        };
    if text.contains('!') {
        return from_yaml_tree(text, Some(error));
    }
    Err(error)
}

/// Whether the text may hold a `!!null` tag (also spelled out in full, or through a
/// `%TAG` handle for the core schema).
fn has_null_tag(text: &str) -> bool {
    text.contains("!!null") || text.contains("tag:yaml.org,2002:")
}

/// Pass 2 for a document with tags, through [`serde_yaml::Value`].
///
/// `serde_yaml`'s typed reads honour the core tags only on plain and literal scalars,
/// and PyYAML's `canonical=True` output quotes every scalar (`!!int "1299"`): so an
/// `i64` is refused there with ``invalid type: integer `1299`, expected i64``, and an
/// `Option<String>` given `!!null "null"` silently becomes `Some("null")`. Its untyped
/// read lets the tag decide the type, as PyYAML does; the typed value is then read
/// from that tree. Only documents with a `!!null` tag or that failed the direct read
/// come here, so a plain `1e5` read into a string keeps its text everywhere else (in a
/// tree it is a float, which a string field refuses).
///
/// `direct` is the direct read's error, if it ran: it is returned (it has line and
/// column) when this read fails at the same field, else this read's error, which has
/// none.
fn from_yaml_tree<T: DeserializeOwned>(
    text: &str,
    direct: Option<YamlError>,
) -> Result<T, YamlError> {
    let tree = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(tree) => tree,
        Err(e) => {
            return Err(direct.unwrap_or_else(|| syntax_error(&e)));
        }
    };
    serde_path_to_error::deserialize::<_, T>(tree).map_err(|e| {
        let error = data_error(e);
        match (direct, &error) {
            (Some(first @ YamlError::Data { .. }), YamlError::Data { path, .. })
                if first.data_path() == Some(path) =>
            {
                first
            }
            _ => error,
        }
    })
}

impl YamlError {
    fn data_path(&self) -> Option<&String> {
        match self {
            Self::Data { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// A `serde_yaml` data error with its field path, line and column.
fn data_error(e: serde_path_to_error::Error<serde_yaml::Error>) -> YamlError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let location = inner.location();
    let mut message = inner.to_string();
    if let Some(l) = &location {
        let suffix = format!(" at line {} column {}", l.line(), l.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_owned();
        }
    }
    if let Some(stripped) = message.strip_prefix(&format!("{path}: ")) {
        message = stripped.to_owned();
    }
    YamlError::Data {
        path: one_line(path),
        line: location.as_ref().map(serde_yaml::Location::line),
        column: location.as_ref().map(serde_yaml::Location::column),
        message: one_line(message),
    }
}

/// `text` with its line breaks escaped (`\n`, `\r`, `\u{2028}`, …): an error is one
/// line, also when it quotes a value or key that holds breaks.
fn one_line(text: String) -> String {
    if !text.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{85}' | '\u{2028}' | '\u{2029}' => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
