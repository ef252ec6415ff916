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

use super::padding::{PaddingGroups, fits_named, is_zero_led};
use super::range::frame_range_string;
use crate::error::{Error, Result};
use crate::input::open_input;
use crate::types::{MixedPadding, PaddingChoice, PaddingGroup};

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
    /// What the caller's spelling says about the padding.
    pub padding: PaddingSpec,
    /// An unnumbered still image: the one file, counted as frame 1.
    pub still: bool,
}

/// What the caller's spelling of a sequence says about its padding (the `sequence`
/// module doc gives the rule each one selects by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaddingSpec {
    /// `%04d`, `####`, `@@@@`: exactly this padding (fileseq's `strictPadding`).
    Named(usize),
    /// A frame file's name (`plate.1001.exr`): the padding group that number is in.
    Frame {
        /// Digits of its number (without a minus sign).
        digits: usize,
        /// Whether they start with `0`.
        zero_led: bool,
    },
    /// A directory, `%d` or a still: the largest padding group.
    Inferred,
}

/// What a scan found: the frames of the chosen padding, and the other paddings when
/// there are several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The frame files of the sequence, sorted by frame number.
    pub frames: Vec<FrameFile>,
    /// Their padding.
    pub padding: usize,
    /// Set when frames of the name exist with other paddings.
    pub mixed_padding: Option<MixedPadding>,
}

/// A file whose name matches the sequence's prefix and suffix around a number.
#[derive(Debug, Clone)]
struct Candidate {
    frame: Frame,
    path: PathBuf,
    name: String,
    digits: usize,
    zero_led: bool,
    file_type: Option<std::fs::FileType>,
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
    /// (`Ok(None)`: a movie). A directory must hold exactly one sequence; one named
    /// like a file (`clip.mov/`, `plate.0002.exr/`) that holds none is
    /// [`Error::NotARegularFile`] (a directory), as any reader would report it.
    pub(crate) fn recognise(path: &Path) -> Result<Option<Self>> {
        if path.is_dir() {
            return match Self::from_directory(path)? {
                Some(spec) => Ok(Some(spec)),
                None if named_like_a_file(path) => Err(Error::NotARegularFile {
                    path: path.to_path_buf(),
                    kind: crate::error::FileKind::Directory,
                }),
                None => Err(Error::NotASequence {
                    path: path.to_path_buf(),
                    detail: "the directory holds no numbered image files".to_owned(),
                }),
            };
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return Ok(None);
        };
        let directory = parent_dir(path);
        let spec = |prefix: &str, suffix: &str, padding: PaddingSpec, still| Self {
            caller_path: path.to_path_buf(),
            directory: directory.clone(),
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
            padding,
            still,
        };
        if let Some((prefix, padding, suffix)) = split_placeholder(name) {
            let padding = padding.map_or(PaddingSpec::Inferred, PaddingSpec::Named);
            return Ok(Some(spec(prefix, suffix, padding, false)));
        }
        if !has_image_extension(name) {
            return Ok(None);
        }
        Ok(Some(match split_literal_frame(name) {
            Some((prefix, digits, suffix)) => {
                let number = &name[prefix.len()..name.len() - suffix.len()];
                let zero_led = is_zero_led(number.trim_start_matches('-'));
                spec(
                    prefix,
                    suffix,
                    PaddingSpec::Frame { digits, zero_led },
                    false,
                )
            }
            None => spec(name, "", PaddingSpec::Inferred, true),
        }))
    }

    /// The one sequence in `dir`; `None` when it holds no numbered image files.
    fn from_directory(dir: &Path) -> Result<Option<Self>> {
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
            return Ok(None);
        };
        let others: Vec<String> = iter.map(|((p, s), _)| format!("{p}#{s}")).collect();
        if !others.is_empty() {
            return Err(not_a_sequence(format!(
                "the directory holds several sequences ({prefix}#{suffix}, {}); name one",
                others.join(", ")
            )));
        }
        Ok(Some(Self {
            caller_path: dir.to_path_buf(),
            directory: dir.to_path_buf(),
            prefix,
            suffix,
            padding: PaddingSpec::Inferred,
            still: false,
        }))
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

    /// Scan the directory: the frame files of the sequence's padding (chosen as the
    /// `sequence` module doc says), sorted by frame number, and the other paddings
    /// found. A frame present twice in the chosen padding (`m.0.exr`, `m.-0.exr`) is an
    /// error; so is a frame file that is not a regular file (a FIFO, a directory …,
    /// named by kind) or a symlink loop, through the crate's one input check.
    pub(crate) fn scan(&self) -> Result<Scan> {
        if self.still {
            let path = self.directory.join(&self.prefix);
            let input = open_input(&path, u64::MAX)?;
            return Ok(Scan {
                frames: vec![FrameFile {
                    frame: 1,
                    size: input.len(),
                    path,
                    digits: 0,
                }],
                padding: 0,
                mixed_padding: None,
            });
        }
        let candidates = self.candidates()?;
        let groups = PaddingGroups::of(candidates.iter().map(|c| (c.digits, c.zero_led)));
        let group_of = |c: &Candidate| groups.group_of(c.digits, c.zero_led).unwrap_or(c.digits);
        let mut counts: BTreeMap<usize, u64> = BTreeMap::new();
        for c in &candidates {
            *counts.entry(group_of(c)).or_default() += 1;
        }
        let (padding, choice) = match self.padding {
            PaddingSpec::Named(p) => (p, PaddingChoice::Named),
            PaddingSpec::Frame { digits, zero_led } => (
                groups.group_of(digits, zero_led).unwrap_or(digits),
                PaddingChoice::GivenFrame,
            ),
            PaddingSpec::Inferred => {
                // Most frames; on a tie the narrowest padding (`max_by_key` keeps the
                // last maximum, and the walk goes from the widest down).
                let largest = counts
                    .iter()
                    .rev()
                    .max_by_key(|&(_, n)| *n)
                    .map_or(1, |(&p, _)| p);
                (largest, PaddingChoice::LargestGroup)
            }
        };
        let selected = |c: &Candidate| match self.padding {
            PaddingSpec::Named(p) => fits_named(p, c.digits, c.zero_led),
            _ => group_of(c) == padding,
        };
        let (chosen, others): (Vec<&Candidate>, Vec<&Candidate>) =
            candidates.iter().partition(|c| selected(c));
        if chosen.is_empty() {
            return Err(Error::NotASequence {
                path: self.caller_path.clone(),
                detail: format!(
                    "no files match {} in {}{}",
                    self.hash_pattern(padding),
                    self.directory.display(),
                    self.other_paddings_hint(&counts)
                ),
            });
        }
        let mut found: BTreeMap<Frame, FrameFile> = BTreeMap::new();
        for c in chosen {
            let file = frame_file(c)?;
            if let Some(previous) = found.insert(c.frame, file) {
                return Err(Error::NotASequence {
                    path: self.caller_path.clone(),
                    detail: format!(
                        "frame {} exists twice ({} and {})",
                        c.frame,
                        previous.path.display(),
                        c.name
                    ),
                });
            }
        }
        let frames: Vec<FrameFile> = found.into_values().collect();
        let mixed_padding = (!others.is_empty())
            .then(|| self.mixed_padding(&frames, padding, choice, &others, group_of));
        Ok(Scan {
            frames,
            padding,
            mixed_padding,
        })
    }

    /// Every directory entry whose name is this sequence's prefix, a number and its
    /// suffix (not yet checked to be regular files).
    fn candidates(&self) -> Result<Vec<Candidate>> {
        let mut candidates = Vec::new();
        for entry in read_dir(&self.directory)? {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let Some((frame, digits, zero_led)) = self.frame_of(&name) else {
                continue;
            };
            candidates.push(Candidate {
                frame,
                path: entry.path(),
                file_type: entry.file_type().ok(),
                name,
                digits,
                zero_led,
            });
        }
        Ok(candidates)
    }

    /// `; frames of this name exist with other paddings: 1 (1 frame), 2 (3 frames)`.
    fn other_paddings_hint(&self, counts: &BTreeMap<usize, u64>) -> String {
        if counts.is_empty() {
            return String::new();
        }
        let listed: Vec<String> = counts
            .iter()
            .map(|(&p, &n)| format!("{} ({})", self.hash_pattern(p), frames_word(n)))
            .collect();
        format!(
            "; frames of this name have other paddings: {}",
            listed.join(", ")
        )
    }

    fn mixed_padding(
        &self,
        frames: &[FrameFile],
        padding: usize,
        choice: PaddingChoice,
        others: &[&Candidate],
        group_of: impl Fn(&Candidate) -> usize,
    ) -> MixedPadding {
        let mut by_padding: BTreeMap<usize, Vec<Frame>> = BTreeMap::new();
        for c in others {
            by_padding.entry(group_of(c)).or_default().push(c.frame);
        }
        let mut groups: Vec<PaddingGroup> = by_padding
            .into_iter()
            .map(|(p, mut numbers)| {
                numbers.sort_unstable();
                numbers.dedup();
                PaddingGroup {
                    padding: p,
                    hash_pattern: self.hash_pattern(p),
                    frame_count: numbers.len() as u64,
                    frame_range: frame_range_string(&numbers),
                    used: false,
                }
            })
            .collect();
        let numbers: Vec<Frame> = frames.iter().map(|f| f.frame).collect();
        let used = PaddingGroup {
            padding,
            hash_pattern: self.hash_pattern(padding),
            frame_count: frames.len() as u64,
            frame_range: frame_range_string(&numbers),
            used: true,
        };
        // The others never hold the used padding (see `fits_named`).
        let at = groups.partition_point(|g| g.padding < padding);
        groups.insert(at, used);
        let listed: Vec<String> = groups
            .iter()
            .map(|g| format!("{}: {}", g.hash_pattern, frames_word(g.frame_count)))
            .collect();
        let why = match choice {
            PaddingChoice::Named => "the padding the pattern names",
            PaddingChoice::GivenFrame => "the padding of the frame named",
            PaddingChoice::LargestGroup => "the largest group, the narrowest on a tie",
        };
        let left_out: u64 = others.len() as u64;
        let message = format!(
            "frames of {} have {} paddings ({}); using {} ({why}) and leaving out {}; \
             fileseq and ffmpeg read each padding as a separate sequence",
            self.name_pattern(),
            groups.len(),
            listed.join(", "),
            self.hash_pattern(padding),
            frames_word(left_out)
        );
        MixedPadding {
            padding,
            choice,
            groups,
            message,
        }
    }

    /// `m.*.exr`: the name with the number left open.
    fn name_pattern(&self) -> String {
        format!("{}*{}", self.prefix, self.suffix)
    }

    /// The frame number, digit count (without a minus sign) and zero-led flag of
    /// `name`, if it is this sequence's prefix, a number and its suffix.
    fn frame_of(&self, name: &str) -> Option<(Frame, usize, bool)> {
        let middle = name
            .strip_prefix(&self.prefix)?
            .strip_suffix(&self.suffix)?;
        let digits = middle.strip_prefix('-').unwrap_or(middle);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((middle.parse().ok()?, digits.len(), is_zero_led(digits)))
    }
}

/// `1 frame`, `3 frames`.
fn frames_word(n: u64) -> String {
    if n == 1 {
        "1 frame".to_owned()
    } else {
        format!("{n} frames")
    }
}

/// A chosen candidate as a frame file: a regular file is taken as listed; anything
/// else (a symbolic link, a FIFO, a directory …) goes through the crate's one input
/// check, which follows a link to a regular file and names every other kind.
fn frame_file(c: &Candidate) -> Result<FrameFile> {
    let size = match c.file_type {
        Some(t) if t.is_file() => std::fs::symlink_metadata(&c.path)
            .map_err(|source| Error::Io {
                path: c.path.clone(),
                action: "reading file metadata",
                source,
            })?
            .len(),
        _ => open_input(&c.path, u64::MAX)?.len(),
    };
    Ok(FrameFile {
        frame: c.frame,
        path: c.path.clone(),
        digits: c.digits,
        size,
    })
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

/// Whether the last component has a stem and an extension (`clip.mov`), as a file
/// name would (`.tmpXYZ` and `shots` do not).
fn named_like_a_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
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
            padding: PaddingSpec::Named(4),
            still: false,
        };
        assert_eq!(spec.frame_of("plate.-0005.exr"), Some((-5, 4, true)));
        assert_eq!(spec.frame_of("plate.0005.exr"), Some((5, 4, true)));
        assert_eq!(spec.frame_of("plate.10000.exr"), Some((10000, 5, false)));
        assert_eq!(spec.frame_of("plate.-5.exr"), Some((-5, 1, false)));
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
                spec.scan()
                    .unwrap()
                    .frames
                    .iter()
                    .map(|f| f.frame)
                    .collect()
            })
            .collect();
        let from_dir = SequenceSpec::recognise(dir.path()).unwrap().unwrap();
        scans.push(
            from_dir
                .scan()
                .unwrap()
                .frames
                .iter()
                .map(|f| f.frame)
                .collect(),
        );
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
