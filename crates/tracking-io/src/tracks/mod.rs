//! 2D tracks: readers and writers for the formats matchmove applications exchange
//! (3DEqualizer, SynthEyes, PFTrack / PFMatchit, boujou; Nuke and After Effects export
//! only), format detection by content, and the one table of conventions.
//!
//! Every reader turns the file's own numbers into [`TrackData`]: markers normalised 0…1,
//! origin at the image's bottom-left corner, x right, y up. Frames stay **as written in
//! the file** (plus [`TrackReadOptions::frame_offset`]); [`TrackImport::frame_base`]
//! says which number the format gives the clip's first frame, so a writer can move them
//! into another application's numbering ([`TrackWriteOptions::first_frame`]). Gaps stay
//! gaps. The conventions are decided once, in [`convention::CONVENTIONS`].
//!
//! Layered like the `.chan` reader: [`TrackReader::from_path`], [`TrackReader::from_reader`]
//! and [`parse_tracks_str`]; strict by default (the first bad line is an
//! [`Error::Tracks`] with file, line and column), lenient on request (bad lines skipped
//! and returned as [`TrackWarning`]s).
//!
//! | module | format(s) |
//! |---|---|
//! | [`convention`] | the table: origin, pixel sampling and frame base of every format |
//! | `equalizer` | 3DEqualizer v4 points, v3 "Multiple Tracking Curves Export" |
//! | `syntheyes` | SynthEyes "Tracker 2-D paths" (−1…1) and "All Tracker Paths" (pixels) |
//! | `pftrack` | PFTrack 4, PFTrack 5 (incl. stereo), PFMatchit / user-track text |
//! | `boujou` | boujou 2D feature tracks text |
//! | `nuke` | Nuke `Tracker4` node script (export only) |
//! | `after_effects` | After Effects keyframe data (export only) |
//! | [`detect`] | which format a file is, and what a file that is none of them looks like |

pub mod convention;
pub mod detect;
mod error;
mod text;

mod after_effects;
mod boujou;
mod equalizer;
mod nuke;
mod pftrack;
mod syntheyes;

use std::fmt;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tracking_types::{ExtraValue, TrackData};

use crate::chan::ReadMode;
use crate::error::Error;

pub use convention::Convention;
pub use detect::{Detected, detect_track_format};
pub use error::{TrackIssue, TrackWarning};

pub(crate) use text::Cx;

/// The largest track file read: 4 GiB.
pub const MAX_TRACK_FILE_BYTES: u64 = 4 << 30;

/// The key under which a track's camera (PFTrack stereo `"Primary"` / `"Secondary"`,
/// a PFMatchit clip number) is kept in [`TrackData::extra`].
pub const CAMERA_KEY: &str = "camera";

/// The camera `track` belongs to ([`CAMERA_KEY`] in its `extra`), when it names one.
pub fn track_camera(track: &TrackData) -> Option<&str> {
    match track.extra.get(CAMERA_KEY) {
        Some(ExtraValue::String(camera)) => Some(camera),
        _ => None,
    }
}

/// Whether `camera` is a format's default camera (PFTrack's `"Primary"`, PFMatchit's
/// clip `1`): a track of it is the same track as one that names no camera.
pub fn is_default_camera(camera: &str) -> bool {
    camera == pftrack::DEFAULT_CAMERA || camera == pftrack::DEFAULT_CLIP
}

/// A 2D-track file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrackFormat {
    /// 3DEqualizer 4 point export (`count`, then name / colour / key count / keys).
    Equalizer4,
    /// 3DEqualizer 3 "Multiple Tracking Curves Export" (size in the header).
    Equalizer3,
    /// SynthEyes "Tracker 2-D paths" (`name frame u v [outcome]`, −1…1).
    Syntheyes,
    /// SynthEyes "All Tracker Paths" (a name line, then `frame x y` in pixels).
    SyntheyesPixels,
    /// PFTrack 4 `.2dt` (`"name"`, key count, keys).
    Pftrack4,
    /// PFTrack 5 `.2dt` (`"name"`, `"camera"`, key count, keys; stereo files).
    Pftrack5,
    /// PFMatchit / PFTrack 2011+ user tracks (`"name"`, clip number, key count, keys).
    Pfmatchit,
    /// boujou 2D feature tracks text (`track_id view x y`).
    Boujou,
    /// Nuke `Tracker4` node script (export only).
    NukeTracker4,
    /// After Effects keyframe data text (export only).
    AfterEffects,
}

impl TrackFormat {
    /// Every format.
    pub const ALL: &'static [TrackFormat] = &[
        TrackFormat::Equalizer4,
        TrackFormat::Equalizer3,
        TrackFormat::Syntheyes,
        TrackFormat::SyntheyesPixels,
        TrackFormat::Pftrack4,
        TrackFormat::Pftrack5,
        TrackFormat::Pfmatchit,
        TrackFormat::Boujou,
        TrackFormat::NukeTracker4,
        TrackFormat::AfterEffects,
    ];

    /// The stable name (`--format`, `--to`, JSON `"format"`).
    pub fn name(self) -> &'static str {
        match self {
            TrackFormat::Equalizer4 => "3de_v4",
            TrackFormat::Equalizer3 => "3de_v3",
            TrackFormat::Syntheyes => "syntheyes",
            TrackFormat::SyntheyesPixels => "syntheyes_pixels",
            TrackFormat::Pftrack4 => "pftrack4",
            TrackFormat::Pftrack5 => "pftrack5",
            TrackFormat::Pfmatchit => "pfmatchit",
            TrackFormat::Boujou => "boujou",
            TrackFormat::NukeTracker4 => "nuke_tracker4",
            TrackFormat::AfterEffects => "after_effects",
        }
    }

    /// What a user calls it.
    pub fn description(self) -> &'static str {
        match self {
            TrackFormat::Equalizer4 => "3DEqualizer 4 2D points",
            TrackFormat::Equalizer3 => "3DEqualizer 3 Multiple Tracking Curves Export",
            TrackFormat::Syntheyes => "SynthEyes tracker 2-D paths",
            TrackFormat::SyntheyesPixels => "SynthEyes All Tracker Paths (pixels)",
            TrackFormat::Pftrack4 => "PFTrack 4 .2dt",
            TrackFormat::Pftrack5 => "PFTrack 5 .2dt",
            TrackFormat::Pfmatchit => "PFMatchit / PFTrack user tracks",
            TrackFormat::Boujou => "boujou 2D feature tracks",
            TrackFormat::NukeTracker4 => "Nuke Tracker4 node",
            TrackFormat::AfterEffects => "After Effects keyframe data",
        }
    }

    /// Whether it can be read (Nuke and After Effects are export only).
    pub fn can_read(self) -> bool {
        !matches!(self, TrackFormat::NukeTracker4 | TrackFormat::AfterEffects)
    }

    /// Whether a track without keys can be written (row formats, one line per key,
    /// have no place for one: SynthEyes 2-D paths and boujou leave it out).
    pub fn holds_empty_tracks(self) -> bool {
        !matches!(self, TrackFormat::Syntheyes | TrackFormat::Boujou)
    }

    /// The number the format gives the clip's first frame.
    pub fn frame_base(self) -> i64 {
        Convention::of(self).frame_base
    }

    /// A format name, or `auto` (any case) for "detect it": `None`. The one reading of a
    /// `--format` / `format=` argument.
    pub fn parse_or_auto(text: &str) -> Result<Option<TrackFormat>, Error> {
        if text.trim().eq_ignore_ascii_case("auto") {
            Ok(None)
        } else {
            text.parse().map(Some)
        }
    }

    /// Names accepted by [`FromStr`], for messages.
    pub fn names() -> Vec<&'static str> {
        TrackFormat::ALL.iter().map(|f| f.name()).collect()
    }
}

impl fmt::Display for TrackFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TrackFormat {
    type Err = Error;

    /// A [`name`](TrackFormat::name), case-insensitive, or a common alias (`3de`,
    /// `equalizer`, `pftrack`, `2dt`, `nuke`, `ae`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        let found = TrackFormat::ALL
            .iter()
            .copied()
            .find(|f| f.name() == key)
            .or(match key.as_str() {
                "3de" | "3de4" | "equalizer" | "equalizer4" | "3dequalizer" => {
                    Some(TrackFormat::Equalizer4)
                }
                "3de3" | "equalizer3" => Some(TrackFormat::Equalizer3),
                "syntheyes_2d" | "syntheyes_paths" => Some(TrackFormat::Syntheyes),
                "syntheyes_all_paths" => Some(TrackFormat::SyntheyesPixels),
                "pftrack" | "2dt" | "pftrack_5" => Some(TrackFormat::Pftrack5),
                "pftrack_4" => Some(TrackFormat::Pftrack4),
                "pftrack2011" | "pftrack_2011" | "pftrack_user" => Some(TrackFormat::Pfmatchit),
                "nuke" | "tracker4" | "nk" => Some(TrackFormat::NukeTracker4),
                "ae" | "aftereffects" => Some(TrackFormat::AfterEffects),
                _ => None,
            });
        found.ok_or_else(|| Error::InvalidOption {
            option: "track format",
            reason: format!(
                "unknown 2D track format {s:?}; known: {}",
                TrackFormat::names().join(", ")
            ),
        })
    }
}

/// An image size in pixels (the plate's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageSize {
    /// Width in pixels (> 1).
    pub width: u32,
    /// Height in pixels (> 1).
    pub height: u32,
}

impl ImageSize {
    /// A size, refused unless both sides are at least 2 pixels (SynthEyes' −1…1 maps
    /// pixel centres over `side − 1`).
    pub fn new(width: u32, height: u32) -> Result<Self, Error> {
        if width < 2 || height < 2 {
            return Err(Error::InvalidOption {
                option: "image size",
                reason: format!("{width}x{height}: both sides must be at least 2 pixels"),
            });
        }
        Ok(Self { width, height })
    }
}

impl fmt::Display for ImageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for ImageSize {
    type Err = Error;

    /// `WIDTHxHEIGHT` (`1920x1080`; `X` and `×` also accepted).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || Error::InvalidOption {
            option: "image size",
            reason: format!("{s:?} is not WIDTHxHEIGHT (e.g. 1920x1080)"),
        };
        let t = s.trim();
        let (w, h) = t.split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let w: u32 = w.trim().parse().map_err(|_| bad())?;
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        ImageSize::new(w, h)
    }
}

/// How a track file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrackReadOptions {
    /// The format; `None` detects it from the content ([`detect_track_format`]).
    pub format: Option<TrackFormat>,
    /// The image size the pixels refer to. Needed for every format but 3DE v3, whose
    /// header states it (a different size given here is an error).
    pub size: Option<ImageSize>,
    /// Added to every frame number as written.
    pub frame_offset: i64,
    /// Strict (the default) or lenient.
    pub mode: ReadMode,
}

/// What reading a track file gives.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackImport {
    /// The format read (detected or given).
    pub format: TrackFormat,
    /// The image size used.
    pub size: ImageSize,
    /// The number the format gives the clip's first frame, plus the frame offset: the
    /// tracks' frame for the clip's first frame.
    pub frame_base: i64,
    /// The tracks, in file order, markers normalised (see the module docs).
    pub tracks: Vec<TrackData>,
    /// Lines skipped in lenient mode, and notes on what was read (empty tracks).
    pub warnings: Vec<TrackWarning>,
    /// The file, when read from a path.
    pub path: Option<PathBuf>,
}

impl TrackImport {
    /// Moves every marker's frame, and [`frame_base`](Self::frame_base), by `by`
    /// (`shift_frames(first - frame_base)` puts the clip's first frame on `first`). A
    /// frame that would overflow is [`Error::InvalidOption`], and nothing is moved.
    pub fn shift_frames(&mut self, by: i64) -> Result<(), Error> {
        let overflow = |what: String| Error::InvalidOption {
            option: "frame offset",
            reason: format!("moving {what} by {by:+} overflows"),
        };
        let frame_base = self
            .frame_base
            .checked_add(by)
            .ok_or_else(|| overflow(format!("the first frame {}", self.frame_base)))?;
        let mut moved = Vec::with_capacity(self.tracks.len());
        for track in &self.tracks {
            let markers = track
                .markers
                .iter()
                .map(|(&frame, &p)| {
                    frame
                        .checked_add(by)
                        .map(|f| (f, p))
                        .ok_or_else(|| overflow(format!("frame {frame} of track {:?}", track.name)))
                })
                .collect::<Result<_, _>>()?;
            moved.push(markers);
        }
        for (track, markers) in self.tracks.iter_mut().zip(moved) {
            track.markers = markers;
        }
        self.frame_base = frame_base;
        Ok(())
    }
}

/// A track file reader over any byte source.
#[derive(Debug)]
pub struct TrackReader<R> {
    source: R,
    path: Option<PathBuf>,
    options: TrackReadOptions,
}

impl TrackReader<std::fs::File> {
    /// Opens `path` through the shared input check (a FIFO, device or directory is
    /// [`Error::File`]; so is a file over [`MAX_TRACK_FILE_BYTES`]).
    pub fn from_path(path: impl AsRef<Path>, options: TrackReadOptions) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = tracking_fs::open_input(path, MAX_TRACK_FILE_BYTES)?.file;
        Ok(Self {
            source: file,
            path: Some(path.to_path_buf()),
            options,
        })
    }
}

impl<R: Read> TrackReader<R> {
    /// Reads from any [`Read`] (a [`std::io::BufRead`], a byte slice, a socket).
    pub fn from_reader(source: R, options: TrackReadOptions) -> Self {
        Self {
            source,
            path: None,
            options,
        }
    }

    /// Reads every track.
    pub fn read(mut self) -> Result<TrackImport, Error> {
        let mut bytes = Vec::new();
        (&mut self.source)
            .take(MAX_TRACK_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read(self.path.clone(), e))?;
        if bytes.len() as u64 > MAX_TRACK_FILE_BYTES {
            return Err(Error::InvalidOption {
                option: "input",
                reason: format!("longer than {MAX_TRACK_FILE_BYTES} bytes"),
            });
        }
        read_bytes(&bytes, self.path, &self.options)
    }
}

/// Reads tracks from text in memory.
pub fn parse_tracks_str(text: &str, options: &TrackReadOptions) -> Result<TrackImport, Error> {
    read_bytes(text.as_bytes(), None, options)
}

/// Reads the track file at `path`.
pub fn read_tracks(
    path: impl AsRef<Path>,
    options: &TrackReadOptions,
) -> Result<TrackImport, Error> {
    TrackReader::from_path(path, *options)?.read()
}

/// The parsed content of a file, in the file's own units and frames.
#[derive(Debug, Default)]
pub(crate) struct ParsedFile {
    /// The tracks in file order.
    pub(crate) tracks: Vec<RawTrack>,
    /// The image size the file states (3DE v3's header).
    pub(crate) size: Option<ImageSize>,
}

/// One track as written.
#[derive(Debug, Default)]
pub(crate) struct RawTrack {
    /// The name as written (unquoted).
    pub(crate) name: String,
    /// Where the name is.
    pub(crate) line: u64,
    /// Byte offset of the name line.
    pub(crate) byte: u64,
    /// The camera / clip it belongs to, when the format says.
    pub(crate) camera: Option<String>,
    /// The keys in file order.
    pub(crate) keys: Vec<RawKey>,
}

/// One key as written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawKey {
    /// The frame as written.
    pub(crate) frame: i64,
    /// x in the file's units.
    pub(crate) x: f64,
    /// y in the file's units.
    pub(crate) y: f64,
    /// Line of the key.
    pub(crate) line: u64,
    /// Byte offset of the line.
    pub(crate) byte: u64,
}

fn read_bytes(
    bytes: &[u8],
    path: Option<PathBuf>,
    options: &TrackReadOptions,
) -> Result<TrackImport, Error> {
    let text = text::decode(bytes, path.as_deref())?;
    let format = match options.format {
        Some(format) => format,
        None => detect::detect_text(text, path.as_deref())?,
    };
    if !format.can_read() {
        return Err(Error::InvalidOption {
            option: "track format",
            reason: format!("{} is export only", format.description()),
        });
    }
    let mut cx = Cx::new(path.clone(), options.mode, format);
    let parsed = match format {
        TrackFormat::Equalizer4 => equalizer::parse_v4(text, &mut cx)?,
        TrackFormat::Equalizer3 => equalizer::parse_v3(text, &mut cx)?,
        TrackFormat::Syntheyes => syntheyes::parse_paths(text, &mut cx)?,
        TrackFormat::SyntheyesPixels => syntheyes::parse_pixels(text, &mut cx)?,
        TrackFormat::Pftrack4 | TrackFormat::Pftrack5 | TrackFormat::Pfmatchit => {
            pftrack::parse(text, &mut cx, format)?
        }
        TrackFormat::Boujou => boujou::parse(text, &mut cx)?,
        TrackFormat::NukeTracker4 | TrackFormat::AfterEffects => ParsedFile::default(),
    };
    let size = match (parsed.size, options.size) {
        (Some(stated), Some(given)) if stated != given => {
            return Err(Error::TrackSize {
                path,
                reason: format!("the file states {stated}, but {given} was given"),
            });
        }
        (Some(stated), _) => stated,
        (None, Some(given)) => given,
        (None, None) => {
            return Err(Error::TrackSize {
                path,
                reason: format!(
                    "{} files do not record the image size; give it (--size WIDTHxHEIGHT)",
                    format.description()
                ),
            });
        }
    };
    let tracks = cx.finish_tracks(parsed.tracks, size, options.frame_offset)?;
    let frame_base = format
        .frame_base()
        .checked_add(options.frame_offset)
        .ok_or_else(|| Error::InvalidOption {
            option: "frame offset",
            reason: format!("{} overflows the frame numbers", options.frame_offset),
        })?;
    Ok(TrackImport {
        format,
        size,
        frame_base,
        tracks,
        warnings: cx.warnings,
        path,
    })
}

/// How tracks are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackWriteOptions {
    /// The format to write.
    pub format: TrackFormat,
    /// The image size the pixels refer to.
    pub size: ImageSize,
    /// The tracks' frame number for the clip's first frame (an import's
    /// [`TrackImport::frame_base`], a session's first frame). Frames are written as
    /// `frame − first_frame + format.frame_base() + frame_offset`.
    pub first_frame: i64,
    /// Added to every frame on the way out.
    pub frame_offset: i64,
    /// Frames per second, for the formats that store time (After Effects' `Units Per
    /// Second`); required by those, ignored by the rest. Never assumed.
    pub frame_rate: Option<f64>,
}

/// One track as a writer sees it: the file's units and frames.
#[derive(Debug)]
pub(crate) struct OutTrack<'a> {
    /// The name (already checked by the writer for what it can hold).
    pub(crate) name: &'a str,
    /// The track's camera, when it has one.
    pub(crate) camera: Option<&'a str>,
    /// `(frame, x, y)` in the file's frames and units, frame order.
    pub(crate) keys: Vec<(i64, f64, f64)>,
}

/// Writes `tracks` to `out` in `options.format`.
pub fn write_tracks<W: Write>(
    tracks: &[TrackData],
    out: W,
    options: &TrackWriteOptions,
) -> Result<(), Error> {
    let convention = Convention::of(options.format);
    let shift = options
        .format
        .frame_base()
        .checked_sub(options.first_frame)
        .and_then(|s| s.checked_add(options.frame_offset))
        .ok_or_else(|| Error::InvalidOption {
            option: "frame offset",
            reason: "the frame shift overflows".into(),
        })?;
    let mut out_tracks = Vec::with_capacity(tracks.len());
    for track in tracks {
        let mut keys = Vec::with_capacity(track.markers.len());
        for (&frame, &position) in &track.markers {
            let frame = frame
                .checked_add(shift)
                .ok_or_else(|| Error::InvalidOption {
                    option: "frame offset",
                    reason: format!("frame {frame} of {:?} overflows", track.name),
                })?;
            if !(position[0].is_finite() && position[1].is_finite()) {
                return Err(Error::InvalidCamera {
                    path: None,
                    field: format!("tracks[{:?}].markers[{frame}]", track.name),
                    reason: "not finite".into(),
                });
            }
            let (x, y) = convention.from_normalised(position, options.size);
            keys.push((frame, x, y));
        }
        let camera = track_camera(track);
        out_tracks.push(OutTrack {
            name: &track.name,
            camera,
            keys,
        });
    }
    // Only PFTrack 5 and PFMatchit name a camera per track; everywhere else a name is
    // the track's identity, and two tracks of one name would merge or be refused on
    // the way back in.
    if !matches!(
        options.format,
        TrackFormat::Pftrack5 | TrackFormat::Pfmatchit
    ) {
        let mut names = std::collections::HashSet::new();
        if let Some(dup) = out_tracks.iter().find(|t| !names.insert(t.name)) {
            return Err(Error::TrackName {
                format: options.format,
                name: dup.name.to_owned(),
                reason: "two tracks have this name (two cameras of a stereo file?), and this \
                         format tells tracks apart by name alone: write one camera at a \
                         time, or rename one",
            });
        }
    }
    let mut out = BufWriter::with_capacity(1 << 16, out);
    match options.format {
        TrackFormat::Equalizer4 => equalizer::write_v4(&mut out, &out_tracks)?,
        TrackFormat::Equalizer3 => equalizer::write_v3(&mut out, &out_tracks, options.size)?,
        TrackFormat::Syntheyes => syntheyes::write_paths(&mut out, &out_tracks)?,
        TrackFormat::SyntheyesPixels => syntheyes::write_pixels(&mut out, &out_tracks)?,
        TrackFormat::Pftrack4 | TrackFormat::Pftrack5 | TrackFormat::Pfmatchit => {
            pftrack::write(&mut out, &out_tracks, options.format)?;
        }
        TrackFormat::Boujou => boujou::write(&mut out, &out_tracks)?,
        TrackFormat::NukeTracker4 => nuke::write(&mut out, &out_tracks, options.size)?,
        TrackFormat::AfterEffects => {
            after_effects::write(&mut out, &out_tracks, options.size, options.frame_rate)?;
        }
    }
    out.flush().map_err(|e| Error::write(None, e))
}

/// The tracks as a string in `options.format`.
pub fn tracks_to_string(
    tracks: &[TrackData],
    options: &TrackWriteOptions,
) -> Result<String, Error> {
    let mut bytes = Vec::new();
    write_tracks(tracks, &mut bytes, options)?;
    String::from_utf8(bytes).map_err(|e| Error::InvalidOption {
        option: "output",
        reason: e.to_string(),
    })
}

/// Writes `tracks` to `path` atomically (nothing is left half-written on error).
pub fn write_tracks_file(
    tracks: &[TrackData],
    path: impl AsRef<Path>,
    options: &TrackWriteOptions,
) -> Result<(), Error> {
    let path = path.as_ref();
    crate::chan::writer::write_atomically(path, |file| write_tracks(tracks, file, options))
}
