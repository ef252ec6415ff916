//! Lenient reading of ffprobe's `-of json` output.
//!
//! ffprobe's JSON varies by version, container and codec, so nothing is required:
//! every field is optional, numbers may arrive as strings, `N/A`, `unknown` and empty
//! strings mean absent, tag keys are compared case-insensitively (`creation_time`
//! vs `CREATION_TIME`), and `side_data_list` entries are kept as raw JSON values.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::ToolOutputError;
use crate::rational::Rational;

/// A parsed ffprobe document: streams, format and an optional `-show_error` error.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProbeJson {
    /// `streams[]`.
    pub streams: Vec<Section>,
    /// `format`, when present.
    pub format: Option<Section>,
    /// `error.string` (and code) from `-show_error`.
    pub error: Option<(i64, String)>,
}

/// One JSON object (a stream or the format) with lenient accessors.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Section {
    fields: Map<String, Value>,
    tags: Tags,
    side_data: Vec<Value>,
}

/// Tags with case-insensitive keys (stored lower-cased), values as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Tags(BTreeMap<String, String>);

impl Tags {
    /// The tag `key` (any case), unless absent or a placeholder.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|v| is_present(v))
    }

    /// All tags (lower-cased keys).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn from_value(value: Option<&Value>) -> Self {
        let Some(Value::Object(map)) = value else {
            return Self::default();
        };
        Self(
            map.iter()
                .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), scalar_text(v)?)))
                .collect(),
        )
    }
}

/// Parse ffprobe's JSON output. Invalid UTF-8 is replaced, not fatal; only text that
/// is not a JSON object at all is an error, saying why and (for invalid JSON) where.
pub(crate) fn parse(stdout: &[u8]) -> Result<ProbeJson, ToolOutputError> {
    let text = String::from_utf8_lossy(stdout);
    let value: Value = serde_json::from_str(&text).map_err(|e| json_error(&e))?;
    let root = match value {
        Value::Object(root) => root,
        other => {
            return Err(ToolOutputError::NotAnObject {
                found: kind_of(&other),
            });
        }
    };
    let streams = match root.get("streams") {
        Some(Value::Array(items)) => items.iter().filter_map(Section::from_value).collect(),
        _ => Vec::new(),
    };
    let format = root.get("format").and_then(Section::from_value);
    let error = root.get("error").and_then(|e| {
        let message = e.get("string").and_then(scalar_text)?;
        let code = e.get("code").and_then(Value::as_i64).unwrap_or(0);
        Some((code, message))
    });
    Ok(ProbeJson {
        streams,
        format,
        error,
    })
}

impl Section {
    fn from_value(value: &Value) -> Option<Self> {
        let Value::Object(fields) = value else {
            return None;
        };
        let tags = Tags::from_value(fields.get("tags"));
        let side_data = match fields.get("side_data_list") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        Some(Self {
            fields: fields.clone(),
            tags,
            side_data,
        })
    }

    /// A field as text (numbers are formatted), unless absent or a placeholder.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        self.fields
            .get(key)
            .and_then(scalar_text)
            .filter(|v| is_present(v))
    }

    /// A field as an unsigned integer (number or numeric string).
    pub(crate) fn u64(&self, key: &str) -> Option<u64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A field as a finite float (number or numeric string).
    pub(crate) fn f64(&self, key: &str) -> Option<f64> {
        let value = match self.fields.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }?;
        value.is_finite().then_some(value)
    }

    /// A field as a rational (`24000/1001`, `2:1`); `0/0` and placeholders are absent.
    pub(crate) fn rational(&self, key: &str) -> Option<Rational> {
        Rational::parse(&self.text(key)?)
    }

    /// A nested integer flag such as `disposition.attached_pic`.
    pub(crate) fn flag(&self, object: &str, key: &str) -> bool {
        self.fields
            .get(object)
            .and_then(|o| o.get(key))
            .is_some_and(|v| match v {
                Value::Number(n) => n.as_i64() == Some(1),
                Value::String(s) => s == "1" || s == "true",
                Value::Bool(b) => *b,
                _ => false,
            })
    }

    /// The section's tags.
    pub(crate) fn tags(&self) -> &Tags {
        &self.tags
    }

    /// The side-data entry whose `side_data_type` equals `kind` (case-insensitive).
    pub(crate) fn side_data_of(&self, kind: &str) -> Option<&Value> {
        self.side_data.iter().find(|v| {
            v.get("side_data_type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
    }
}

/// serde_json's error as a typed one: its position as fields, its message without
/// the ` at line L column C` suffix (so the position is stated once).
///
/// serde_json says column 0 for an error on a line's newline (a control character in
/// a string, a document cut at a line end) and line 0 for none; positions here are
/// 1-based, so those become column 1 and line 1.
fn json_error(error: &serde_json::Error) -> ToolOutputError {
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    ToolOutputError::Json {
        line: line.max(1),
        column: column.max(1),
        message,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_present(text: &str) -> bool {
    let t = text.trim();
    !(t.is_empty() || t.eq_ignore_ascii_case("N/A") || t.eq_ignore_ascii_case("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
        "streams": [{
            "index": 0, "codec_type": "video", "width": "1920", "height": 1080,
            "nb_frames": "N/A", "color_space": "unknown", "duration": "1.001000",
            "r_frame_rate": "24000/1001", "avg_frame_rate": "0/0",
            "disposition": {"default": 1, "attached_pic": 0},
            "tags": {"TIMECODE": "01:00:00:00", "Rotate": "90"},
            "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]
        }],
        "format": {"format_name": "mov,mp4", "bit_rate": "138669", "tags": {"creation_time": ""}}
    }"#;

    #[test]
    fn numbers_given_as_strings_are_read_as_numbers() {
        let doc = parse(SAMPLE.as_bytes()).unwrap();
        let s = &doc.streams[0];
        assert_eq!(s.u64("width"), Some(1920));
        assert_eq!(s.u64("height"), Some(1080));
        assert_eq!(s.f64("duration"), Some(1.001));
    }

    #[test]
    fn placeholders_mean_absent() {
        let doc = parse(SAMPLE.as_bytes()).unwrap();
        let s = &doc.streams[0];
        assert_eq!(s.u64("nb_frames"), None);
        assert_eq!(s.text("color_space"), None);
        assert_eq!(s.rational("avg_frame_rate"), None);
        assert_eq!(doc.format.unwrap().tags().get("creation_time"), None);
    }

    #[test]
    fn tag_keys_match_in_any_case() {
        let doc = parse(SAMPLE.as_bytes()).unwrap();
        let tags = doc.streams[0].tags();
        assert_eq!(tags.get("timecode"), Some("01:00:00:00"));
        assert_eq!(tags.get("ROTATE"), Some("90"));
    }

    #[test]
    fn side_data_is_kept_raw_and_found_by_type() {
        let doc = parse(SAMPLE.as_bytes()).unwrap();
        let matrix = doc.streams[0].side_data_of("display matrix").unwrap();
        assert_eq!(matrix.get("rotation").and_then(Value::as_i64), Some(-90));
    }

    #[test]
    fn show_error_output_is_recognised() {
        let doc = parse(br#"{"error": {"code": -1094995529, "string": "Invalid data found when processing input"}}"#).unwrap();
        assert_eq!(
            doc.error,
            Some((
                -1094995529,
                "Invalid data found when processing input".to_owned()
            ))
        );
        assert!(doc.streams.is_empty());
    }

    #[test]
    fn invalid_utf8_inside_a_tag_is_replaced_not_fatal() {
        let mut bytes = br#"{"format": {"tags": {"title": "a"#.to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice(br#"b"}}}"#);
        let doc = parse(&bytes).unwrap();
        assert_eq!(doc.format.unwrap().tags().get("title"), Some("a\u{fffd}b"));
    }

    #[test]
    fn text_that_is_not_json_is_an_error() {
        assert!(parse(b"not json").is_err());
        assert!(parse(b"[1,2]").is_err());
    }

    #[test]
    fn invalid_json_is_an_error_with_its_position_stated_once() {
        let err = parse(b"{\n  \"streams\": [,]\n}").unwrap_err();
        let ToolOutputError::Json {
            line,
            column,
            ref message,
        } = err
        else {
            panic!("unexpected {err:?}");
        };
        assert_eq!((line, column), (2, 15));
        assert!(!message.contains("line"), "{message}");
        let text = err.to_string();
        assert!(
            text.starts_with("invalid JSON at line 2, column 15: "),
            "{text}"
        );
        assert_eq!(text.matches("line").count(), 1, "{text}");
    }

    #[test]
    fn an_error_on_a_line_end_is_at_column_1_never_0() {
        let err = parse(b"{\"a\": \"x\n\"}").unwrap_err();
        let ToolOutputError::Json { line, column, .. } = err else {
            panic!("unexpected {err:?}");
        };
        assert_eq!((line, column), (2, 1));
        let ToolOutputError::Json { line, column, .. } = parse(b"").unwrap_err() else {
            panic!("not a JSON error");
        };
        assert!(line >= 1 && column >= 1);
    }

    #[test]
    fn a_top_level_array_is_an_error_saying_what_it_is() {
        assert_eq!(
            parse(b"[1,2]").unwrap_err(),
            ToolOutputError::NotAnObject { found: "an array" }
        );
        assert_eq!(
            parse(b"[1,2]").unwrap_err().to_string(),
            "the JSON document is an array, not an object"
        );
    }
}
