//! [`SequenceSpec`]: recognising an image-sequence path and scanning its directory.
//!
//! `plate.1001.exr`, `plate.%04d.exr`, `plate.####.exr`, `plate.@@@@.exr` and the
//! directory holding them all resolve to the same sequence: prefix `plate.`, suffix
//! `.exr`, padding 4. We scan the directory ourselves (ffprobe's image2 demuxer can
//! neither start at 1001 nor cross gaps). A literal frame number must be separated
//! from the prefix by `.`, `_` or `-` (so `plate_v2.exr` is a still, not frame 2),
//! and may be negative (`plate.-0005.exr`). File names that are not valid UTF-8 are
//! skipped by scans (a pattern is text; such a frame could not be named in one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tracking_types::Frame;

use crate::error::{Error, Result};

/// Extensions treated as images when a path carries a literal frame number.
pub(super) const IMAGE_EXTENSIONS: &[&str] = &[
    "exr", "dpx", "cin", "png", "tif", "tiff", "jpg", "jpeg", "tga", "bmp", "sgi", "rgb", "hdr",
    "webp", "jp2", "j2k", "psd",
];

/// A recognised sequence: where it lives and how its frame files are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SequenceSpec {
    /// The path or pattern as the caller gave it.
    pub caller_path: PathBuf,
    /// The directory holding the frames.
    pub directory: PathBuf,
    /// File-name text before the frame number (`plate.`).
    pub prefix: String,
    /// File-name text after the frame number (`.exr`).
    pub suffix: String,
    /// Digits of zero padding, when the caller's spelling fixed it.
    pub padding: Option<usize>,
    /// An unnumbered still image: the one file, counted as frame 1.
    pub still: bool,
}

/// One frame file found by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrameFile {
    /// Frame number.
    pub frame: Frame,
    /// Full path.
    pub path: PathBuf,
    /// Digits in the name (excluding a minus sign).
    pub digits: usize,
    /// Size in bytes.
    pub size: u64,
}

impl SequenceSpec {
    /// Recognise `path` as an image sequence, an unnumbered still image, or neither
    /// (`Ok(None)`: a movie). A directory must hold exactly one sequence.
    pub(crate) fn recognise(path: &Path) -> Result<Option<Self>> {
        if path.is_dir() {
            return Self::from_directory(path).map(Some);
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return Ok(None);
        };
        let directory = parent_dir(path);
        let spec = |prefix: &str, suffix: &str, padding, still| Self {
            caller_path: path.to_path_buf(),
            directory: directory.clone(),
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
            padding,
            still,
        };
        if let Some((prefix, padding, suffix)) = split_placeholder(name) {
            return Ok(Some(spec(prefix, suffix, padding, false)));
        }
        if !has_image_extension(name) {
            return Ok(None);
        }
        Ok(Some(match split_literal_frame(name) {
            Some((prefix, digits, suffix)) => spec(prefix, suffix, Some(digits), false),
            None => spec(name, "", None, true),
        }))
    }

    fn from_directory(dir: &Path) -> Result<Self> {
        let not_a_sequence = |detail: String| Error::NotASequence {
            path: dir.to_path_buf(),
            detail,
        };
        let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
        for entry in read_dir(dir)? {
            if let Some(name) = entry.file_name().to_str()
                && has_image_extension(name)
                && let Some((prefix, _, suffix)) = split_literal_frame(name)
            {
                *groups
                    .entry((prefix.to_owned(), suffix.to_owned()))
                    .or_default() += 1;
            }
        }
        let mut iter = groups.into_iter();
        let Some(((prefix, suffix), _)) = iter.next() else {
            return Err(not_a_sequence(
                "the directory holds no numbered image files".to_owned(),
            ));
        };
        let others: Vec<String> = iter.map(|((p, s), _)| format!("{p}#{s}")).collect();
        if !others.is_empty() {
            return Err(not_a_sequence(format!(
                "the directory holds several sequences ({prefix}#{suffix}, {}); name one",
                others.join(", ")
            )));
        }
        Ok(Self {
            caller_path: dir.to_path_buf(),
            directory: dir.to_path_buf(),
            prefix,
            suffix,
            padding: None,
            still: false,
        })
    }

    /// `plate.%04d.exr` (printf style, as Nuke and ffmpeg write it).
    pub(crate) fn printf_pattern(&self, padding: usize) -> String {
        if self.still {
            return self.prefix.clone();
        }
        let width = if padding > 1 {
            format!("0{padding}")
        } else {
            String::new()
        };
        format!("{}%{width}d{}", self.prefix, self.suffix)
    }

    /// `plate.####.exr`.
    pub(crate) fn hash_pattern(&self, padding: usize) -> String {
        if self.still {
            return self.prefix.clone();
        }
        format!(
            "{}{}{}",
            self.prefix,
            "#".repeat(padding.max(1)),
            self.suffix
        )
    }

    /// List the frame files, sorted by frame number. A frame present under two
    /// spellings (`plate.1.exr`, `plate.0001.exr`) is an error.
    pub(crate) fn scan(&self) -> Result<Vec<FrameFile>> {
        if self.still {
            let path = self.directory.join(&self.prefix);
            let size = std::fs::metadata(&path)
                .map(|m| m.len())
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    action: "reading file metadata",
                    source,
                })?;
            return Ok(vec![FrameFile {
                frame: 1,
                path,
                digits: 0,
                size,
            }]);
        }
        let mut found: BTreeMap<Frame, FrameFile> = BTreeMap::new();
        for entry in read_dir(&self.directory)? {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let Some((frame, digits)) = self.frame_of(&name) else {
                continue;
            };
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            let file = FrameFile {
                frame,
                path: entry.path(),
                digits,
                size: metadata.len(),
            };
            if let Some(previous) = found.insert(frame, file) {
                return Err(Error::NotASequence {
                    path: self.caller_path.clone(),
                    detail: format!(
                        "frame {frame} exists twice ({} and {name})",
                        previous.path.display()
                    ),
                });
            }
        }
        if found.is_empty() {
            return Err(Error::NotASequence {
                path: self.caller_path.clone(),
                detail: format!(
                    "no files match {} in {}",
                    self.hash_pattern(self.padding.unwrap_or(1)),
                    self.directory.display()
                ),
            });
        }
        Ok(found.into_values().collect())
    }

    /// The frame number and digit count of `name`, if it belongs to this sequence.
    fn frame_of(&self, name: &str) -> Option<(Frame, usize)> {
        let middle = name
            .strip_prefix(&self.prefix)?
            .strip_suffix(&self.suffix)?;
        let digits = middle.strip_prefix('-').unwrap_or(middle);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Some(padding) = self.padding {
            // Exactly padded, or longer without a leading zero (frame 10000 at pad 4).
            let fits =
                digits.len() == padding || (digits.len() > padding && !digits.starts_with('0'));
            if !fits {
                return None;
            }
        }
        Some((middle.parse().ok()?, digits.len()))
    }
}

fn read_dir(dir: &Path) -> Result<impl Iterator<Item = std::fs::DirEntry>> {
    let entries = std::fs::read_dir(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: dir.to_path_buf(),
        },
        _ => Error::Io {
            path: dir.to_path_buf(),
            action: "listing the directory",
            source,
        },
    })?;
    Ok(entries.filter_map(std::result::Result::ok))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn has_image_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Split `plate.%04d.exr` / `plate.%d.exr` / `plate.####.exr` / `plate.@@@@.exr`
/// into prefix, padding and suffix.
fn split_placeholder(name: &str) -> Option<(&str, Option<usize>, &str)> {
    if let Some(start) = name.find('%') {
        let rest = &name[start + 1..];
        let end = rest.find('d')?;
        let width = &rest[..end];
        let padding = if width.is_empty() {
            None
        } else {
            Some(width.parse::<usize>().ok()?)
        };
        return Some((&name[..start], padding, &rest[end + 1..]));
    }
    for marker in ['#', '@'] {
        if let Some(start) = name.find(marker) {
            let count = name[start..].chars().take_while(|&c| c == marker).count();
            return Some((&name[..start], Some(count), &name[start + count..]));
        }
    }
    None
}

/// Split `plate.1001.exr` into (`plate.`, 4, `.exr`): the last run of digits before
/// the extension, optionally negative, preceded by a separator or nothing.
fn split_literal_frame(name: &str) -> Option<(&str, usize, &str)> {
    let dot = name.rfind('.')?;
    let (stem, suffix) = name.split_at(dot);
    let digits = stem.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let mut start = stem.len() - digits;
    if stem[..start].ends_with('-') && (start == 1 || stem[..start - 1].ends_with(['.', '_', '-']))
    {
        start -= 1;
    }
    let prefix = &stem[..start];
    let separated = prefix.is_empty() || prefix.ends_with(['.', '_', '-']);
    separated.then_some((prefix, digits, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_give_prefix_padding_and_suffix() {
        assert_eq!(
            split_placeholder("plate.%04d.exr"),
            Some(("plate.", Some(4), ".exr"))
        );
        assert_eq!(
            split_placeholder("plate.%d.exr"),
            Some(("plate.", None, ".exr"))
        );
        assert_eq!(
            split_placeholder("plate.####.exr"),
            Some(("plate.", Some(4), ".exr"))
        );
        assert_eq!(
            split_placeholder("plate.@@@@.exr"),
            Some(("plate.", Some(4), ".exr"))
        );
        assert_eq!(split_placeholder("plate.1001.exr"), None);
    }

    #[test]
    fn literal_frame_numbers_need_a_separator() {
        assert_eq!(
            split_literal_frame("plate.1001.exr"),
            Some(("plate.", 4, ".exr"))
        );
        assert_eq!(
            split_literal_frame("plate_0007.dpx"),
            Some(("plate_", 4, ".dpx"))
        );
        assert_eq!(split_literal_frame("1001.exr"), Some(("", 4, ".exr")));
        assert_eq!(split_literal_frame("plate_v2.exr"), None);
        assert_eq!(split_literal_frame("plate.exr"), None);
    }

    #[test]
    fn negative_frame_numbers_keep_their_sign() {
        assert_eq!(
            split_literal_frame("plate.-0005.exr"),
            Some(("plate.", 4, ".exr"))
        );
        let spec = SequenceSpec {
            caller_path: PathBuf::from("plate.-0005.exr"),
            directory: PathBuf::from("."),
            prefix: "plate.".to_owned(),
            suffix: ".exr".to_owned(),
            padding: Some(4),
            still: false,
        };
        assert_eq!(spec.frame_of("plate.-0005.exr"), Some((-5, 4)));
        assert_eq!(spec.frame_of("plate.0005.exr"), Some((5, 4)));
        assert_eq!(spec.frame_of("plate.10000.exr"), Some((10000, 5)));
        assert_eq!(spec.frame_of("plate.05.exr"), None);
        assert_eq!(spec.frame_of("plate.00005.exr"), None);
        assert_eq!(spec.frame_of("other.0005.exr"), None);
    }

    #[test]
    fn every_spelling_names_the_same_sequence() {
        let dir = tempfile::tempdir().unwrap();
        for f in [1001, 1002, 1004] {
            std::fs::write(dir.path().join(format!("plate.{f:04}.exr")), b"x").unwrap();
        }
        let spellings = [
            "plate.1001.exr",
            "plate.%04d.exr",
            "plate.####.exr",
            "plate.@@@@.exr",
        ];
        let mut scans: Vec<Vec<Frame>> = spellings
            .iter()
            .map(|s| {
                let spec = SequenceSpec::recognise(&dir.path().join(s))
                    .unwrap()
                    .unwrap();
                spec.scan().unwrap().iter().map(|f| f.frame).collect()
            })
            .collect();
        let from_dir = SequenceSpec::recognise(dir.path()).unwrap().unwrap();
        scans.push(from_dir.scan().unwrap().iter().map(|f| f.frame).collect());
        for scan in &scans {
            assert_eq!(scan, &vec![1001, 1002, 1004]);
        }
    }

    #[test]
    fn a_directory_with_two_sequences_must_be_disambiguated() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.0001.exr"), b"x").unwrap();
        std::fs::write(dir.path().join("b.0001.exr"), b"x").unwrap();
        let err = SequenceSpec::recognise(dir.path()).unwrap_err();
        assert!(err.to_string().contains("several sequences"), "{err}");
    }

    #[test]
    fn a_pattern_matching_nothing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let spec = SequenceSpec::recognise(&dir.path().join("plate.####.exr"))
            .unwrap()
            .unwrap();
        assert!(matches!(spec.scan(), Err(Error::NotASequence { .. })));
    }

    #[test]
    fn a_pattern_in_a_missing_directory_is_not_found() {
        let spec = SequenceSpec::recognise(Path::new("/no/such/dir/plate.####.exr"))
            .unwrap()
            .unwrap();
        assert!(matches!(spec.scan(), Err(Error::NotFound { .. })));
    }

    #[test]
    fn movies_are_not_sequences() {
        assert_eq!(
            SequenceSpec::recognise(Path::new("clip_0010.mov")).unwrap(),
            None
        );
        assert_eq!(
            SequenceSpec::recognise(Path::new("concat:x.mov")).unwrap(),
            None
        );
    }

    #[test]
    fn an_unnumbered_image_is_a_still() {
        let spec = SequenceSpec::recognise(Path::new("dir/logo.png"))
            .unwrap()
            .unwrap();
        assert!(spec.still);
        assert_eq!(spec.prefix, "logo.png");
    }
}
