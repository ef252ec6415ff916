//! Which tags we read, by `yaml.safe_load`'s rules.
//!
//! `safe_load` constructs only the tags of PyYAML's `SafeConstructor`: the core types
//! (`null`, `bool`, `int`, `float`, `str`, `seq`, `map`) and `binary`, `timestamp`,
//! `set`, `omap`, `pairs`; every other tag (`!!python/object:os.system`, a local
//! `!foo`, `tag:example.com,2000:x`) stops it with "could not determine a constructor
//! for the tag". Tags are resolved as PyYAML's scanner and parser do: `!!` and `!` are
//! the default handles unless a `%TAG` directive redefines them, `!<…>` is verbatim,
//! `%XX` escapes are decoded, and the tag token runs to the next blank (so in `[!!str,
//! x]` the tag is `tag:yaml.org,2002:str,`, which PyYAML refuses).
//!
//! The core tags are left to `serde_yaml`, which honours them; `!!timestamp` tags text
//! that is read as text, as a plain timestamp is. The other safe tags make Python
//! values no field of ours holds (bytes, sets, lists of pairs): a type error. The rest
//! are refused, as `safe_load` refuses them.

/// What a tag means for us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagClass {
    /// A core tag (or the non-specific `!`): read as usual.
    Core,
    /// A safe tag whose Python value no field holds; the description for the message
    /// (`binary data (!!binary)`).
    NotData(&'static str),
    /// A tag `safe_load` refuses; its full name.
    Refused(String),
}

const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// `%TAG` handles in force: `(handle, prefix)`, later entries win.
#[derive(Debug, Default, Clone)]
pub(crate) struct Directives(Vec<(String, String)>);

impl Directives {
    /// The `%TAG` directives before the first `---` of `src`.
    pub(crate) fn of(src: &str) -> Self {
        let mut found = Vec::new();
        if !src.starts_with('%') && !src.contains("\n%") {
            return Self(found);
        }
        for line in src.split('\n') {
            if line.starts_with("---") {
                break;
            }
            let mut words = line.split([' ', '\t']).filter(|w| !w.is_empty());
            if words.next() == Some("%TAG")
                && let (Some(handle), Some(prefix)) = (words.next(), words.next())
            {
                found.push((handle.to_owned(), prefix.to_owned()));
            }
        }
        Self(found)
    }

    fn prefix(&self, handle: &str) -> Option<String> {
        if let Some((_, prefix)) = self.0.iter().rev().find(|(h, _)| h == handle) {
            return decode_uri(prefix);
        }
        match handle {
            "!" => Some("!".to_owned()),
            "!!" => Some(CORE_PREFIX.to_owned()),
            _ => None,
        }
    }
}

/// Decodes `%XX` escapes (as UTF-8); `None` when an escape or the result is invalid.
fn decode_uri(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The characters PyYAML allows in a tag URI (`scan_tag_uri`), besides `%` escapes.
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-;/?:@&=+$,_.!~*'()[]%".contains(c)
}

/// The full name of the tag token `token` (from its `!` to the next blank).
///
/// `Err(shown)` when PyYAML would not scan it as a tag at all (a scanner error there):
/// still refused, under the name it was written with.
pub(crate) fn resolve(token: &str, directives: &Directives) -> Result<String, String> {
    let invalid = || token.to_owned();
    if token == "!" {
        return Ok("!".to_owned());
    }
    if let Some(verbatim) = token.strip_prefix("!<") {
        let uri = verbatim.strip_suffix('>').ok_or_else(invalid)?;
        if uri.is_empty() || !uri.chars().all(is_uri_char) {
            return Err(invalid());
        }
        return decode_uri(uri).ok_or_else(invalid);
    }
    let rest = token.strip_prefix('!').ok_or_else(invalid)?;
    let (handle, suffix) = match rest.find('!') {
        Some(end) => {
            let name = &rest[..end];
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid());
            }
            (&token[..end + 2], &rest[end + 1..])
        }
        None => ("!", rest),
    };
    if suffix.is_empty() || !suffix.chars().all(is_uri_char) {
        return Err(invalid());
    }
    let prefix = directives.prefix(handle).ok_or_else(invalid)?;
    let suffix = decode_uri(suffix).ok_or_else(invalid)?;
    Ok(prefix + &suffix)
}

/// How `safe_load` treats the tag token `token`.
pub(crate) fn classify(token: &str, directives: &Directives) -> TagClass {
    let tag = match resolve(token, directives) {
        Ok(tag) => tag,
        Err(shown) => return TagClass::Refused(shown),
    };
    if tag == "!" {
        return TagClass::Core;
    }
    match tag.strip_prefix(CORE_PREFIX) {
        // A timestamp is read as the text it tags, as a plain one is (PyYAML writes
        // `!!timestamp '2024-05-01 10:00:00'` in flow style).
        Some("null" | "bool" | "int" | "float" | "str" | "seq" | "map" | "timestamp") => {
            TagClass::Core
        }
        Some("binary") => TagClass::NotData("binary data (!!binary)"),
        Some("set") => TagClass::NotData("a set (!!set)"),
        Some("omap") => TagClass::NotData("an ordered map (!!omap)"),
        Some("pairs") => TagClass::NotData("a list of pairs (!!pairs)"),
        _ => TagClass::Refused(tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(token: &str) -> TagClass {
        classify(token, &Directives::default())
    }

    #[test]
    fn tags_resolve_as_pyyaml_resolves_them() {
        let none = Directives::default();
        assert_eq!(
            resolve("!!int", &none).as_deref(),
            Ok("tag:yaml.org,2002:int")
        );
        assert_eq!(resolve("!foo", &none).as_deref(), Ok("!foo"));
        assert_eq!(
            resolve("!<tag:yaml.org,2002:str>", &none).as_deref(),
            Ok("tag:yaml.org,2002:str")
        );
        assert_eq!(
            resolve("!!%70ython/none", &none).as_deref(),
            Ok("tag:yaml.org,2002:python/none")
        );
        assert_eq!(
            resolve("!!str,", &none).as_deref(),
            Ok("tag:yaml.org,2002:str,")
        );
        assert!(resolve("!e!int", &none).is_err());
        assert!(resolve("!!", &none).is_err());
        assert!(resolve("!!a{b}", &none).is_err());
        let custom = Directives::of(
            "%TAG !e! tag:yaml.org,2002:\n%TAG !! tag:example.com,2000:\n---\na: 1\n",
        );
        assert_eq!(
            resolve("!e!int", &custom).as_deref(),
            Ok("tag:yaml.org,2002:int")
        );
        assert_eq!(
            resolve("!!int", &custom).as_deref(),
            Ok("tag:example.com,2000:int")
        );
    }

    #[test]
    fn only_safe_constructor_tags_pass() {
        for core in [
            "!!int",
            "!!str",
            "!!null",
            "!!map",
            "!!seq",
            "!!bool",
            "!!float",
            "!!timestamp",
            "!",
        ] {
            assert_eq!(class(core), TagClass::Core, "{core}");
        }
        assert!(matches!(class("!!binary"), TagClass::NotData(_)));
        assert!(matches!(class("!!set"), TagClass::NotData(_)));
        assert_eq!(
            class("!!python/object:os.system"),
            TagClass::Refused("tag:yaml.org,2002:python/object:os.system".to_owned())
        );
        assert_eq!(class("!foo"), TagClass::Refused("!foo".to_owned()));
        assert_eq!(
            class("!!merge"),
            TagClass::Refused("tag:yaml.org,2002:merge".to_owned())
        );
    }
}
