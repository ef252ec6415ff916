//! [`ChanReader`]: the streaming `.chan` reader (layered: [`ChanReader::from_path`],
//! [`ChanReader::from_reader`], [`parse_str`]) and its result, [`ChanImport`].
//!
//! The input is read in fixed-size chunks cut at line ends (never a `Vec<String>` of
//! lines); a large chunk is split in two and parsed on two threads. Frames are then put
//! in frame order, duplicates rejected, and the Euler triple of each frame picked
//! (Blender's pick, unwrapped toward the previous frame when the Euler filter is on).

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use tracking_types::SolveData;

use crate::axes::UpAxis;
use crate::camera_track::{CameraFrame, CameraTrack};
use crate::chan::line::{LineContext, LineOutcome, LineParser};
use crate::chan::options::{ChanOptions, ReadMode};
use crate::error::{ChanIssue, Error, Position};
use crate::euler::{pick_compatible, pick_smallest, second_solution};
use crate::rotation_order::RotationOrder;

/// Bytes read per chunk; also the longest line accepted.
const CHUNK_BYTES: usize = 4 << 20;
/// Chunks at least this large are parsed on two threads.
const PARALLEL_MIN_BYTES: usize = 256 << 10;

/// A skipped line in lenient mode: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ChanWarning {
    /// Where the problem is.
    pub position: Position,
    /// What is wrong.
    pub issue: ChanIssue,
}

impl fmt::Display for ChanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (line skipped)", self.position, self.issue)
    }
}

/// What a `.chan` import gives: the camera track, and in lenient mode the skipped lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ChanImport {
    /// The camera, in Blender's Z-up world unless `z_up` was off.
    pub track: CameraTrack,
    /// Lines skipped in lenient mode (empty in strict mode).
    pub warnings: Vec<ChanWarning>,
    /// The file the track came from, when read from a path.
    pub path: Option<PathBuf>,
}

impl ChanImport {
    /// The solve: z-up, Blender location + XYZ Euler degrees per frame, focal length
    /// from the vfov column (per frame when it varies). A file without a vfov column
    /// is [`Error::NoFocalLength`]: no focal length is invented.
    pub fn to_solve_data(&self) -> Result<SolveData, Error> {
        self.to_solve_data_with_fallback(None)
    }

    /// As [`to_solve_data`](Self::to_solve_data), using `focal_length_mm` when the file
    /// has no vfov column.
    pub fn to_solve_data_with_fallback(
        &self,
        focal_length_mm: Option<f64>,
    ) -> Result<SolveData, Error> {
        self.track
            .to_solve_data(focal_length_mm)
            .map_err(|err| match err {
                Error::NoFocalLength { .. } => Error::NoFocalLength {
                    path: self.path.clone(),
                },
                Error::NoFrames { .. } => Error::NoFrames {
                    path: self.path.clone(),
                },
                other => other,
            })
    }
}

/// A `.chan` reader over any byte source.
#[derive(Debug)]
pub struct ChanReader<R> {
    source: R,
    path: Option<PathBuf>,
    options: ChanOptions,
}

impl ChanReader<File> {
    /// Opens `path`; errors carry the path.
    pub fn from_path(path: impl AsRef<Path>, options: ChanOptions) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::read(Some(path.to_path_buf()), e))?;
        Ok(Self {
            source: file,
            path: Some(path.to_path_buf()),
            options,
        })
    }
}

impl<R: Read> ChanReader<R> {
    /// Reads from any [`Read`] (a [`std::io::BufRead`], a file, a socket, a byte slice).
    pub fn from_reader(source: R, options: ChanOptions) -> Self {
        Self {
            source,
            path: None,
            options,
        }
    }

    /// Reads every frame.
    pub fn read(mut self) -> Result<ChanImport, Error> {
        self.options.validate()?;
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_stem)
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut collector = Collector::new(self.path.clone(), self.options);
        let mut buffer: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
        loop {
            let wanted = CHUNK_BYTES - buffer.len();
            let got = (&mut self.source)
                .take(wanted as u64)
                .read_to_end(&mut buffer)
                .map_err(|e| Error::read(self.path.clone(), e))?;
            let at_end = got < wanted;
            let cut = if at_end {
                buffer.len()
            } else {
                match memchr::memrchr(b'\n', &buffer) {
                    Some(newline) => newline + 1,
                    None => return Err(collector.line_too_long()),
                }
            };
            collector.take_chunk(&buffer[..cut])?;
            buffer.drain(..cut);
            if at_end {
                break;
            }
        }
        let up_axis = if self.options.z_up {
            UpAxis::Z
        } else {
            UpAxis::Y
        };
        let (frames, warnings) = collector.finish()?;
        Ok(ChanImport {
            track: CameraTrack {
                name,
                up_axis,
                film_back: Some(self.options.film_back),
                frames,
            },
            warnings,
            path: self.path,
        })
    }
}

/// Parses `.chan` text.
pub fn parse_str(text: &str, options: ChanOptions) -> Result<ChanImport, Error> {
    ChanReader::from_reader(text.as_bytes(), options).read()
}

/// Reads a `.chan` file.
pub fn read_chan(path: impl AsRef<Path>, options: ChanOptions) -> Result<ChanImport, Error> {
    ChanReader::from_path(path, options)?.read()
}

/// A bad line found in a part: relative line, byte offset of the line start within the
/// part, offset within the line, issue.
#[derive(Debug)]
struct BadLine {
    line: u64,
    line_start: usize,
    offset: usize,
    issue: ChanIssue,
}

/// What parsing one part of a chunk gives.
#[derive(Debug, Default)]
struct Part {
    frames: Vec<CameraFrame>,
    /// 0-based line and line-start byte of each frame within the part.
    lines: Vec<(u64, usize)>,
    bad: Vec<BadLine>,
    /// Lines in the part (a final line without `\n` counts).
    line_count: u64,
}

/// Parses `bytes` into `part`, reusing its buffers (fresh pages for every chunk would
/// cost a page fault per 4 KiB).
fn parse_part(bytes: &[u8], ctx: &LineContext, strict: bool, mut part: Part) -> Part {
    part.frames.clear();
    part.lines.clear();
    part.bad.clear();
    part.line_count = 0;
    part.frames.reserve(bytes.len() / 60);
    part.lines.reserve(bytes.len() / 60);
    let mut parser = LineParser::new(*ctx);
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        match parser.parse(&bytes[start..end]) {
            LineOutcome::Skip => {}
            LineOutcome::Frame(frame) => {
                part.frames.push(frame);
                part.lines.push((part.line_count, start));
            }
            LineOutcome::Bad { offset, issue } => {
                part.bad.push(BadLine {
                    line: part.line_count,
                    line_start: start,
                    offset,
                    issue,
                });
                if strict {
                    return part;
                }
            }
        }
        part.line_count += 1;
        start = end + 1;
    }
    part
}

/// Accumulates frames across chunks.
struct Collector {
    path: Option<PathBuf>,
    options: ChanOptions,
    ctx: LineContext,
    frames: Vec<CameraFrame>,
    /// 1-based line and 0-based line-start byte of each frame.
    lines: Vec<(u64, u64)>,
    warnings: Vec<ChanWarning>,
    /// Lines consumed before the current part.
    line_base: u64,
    /// Bytes consumed before the current part.
    byte_base: u64,
    in_frame_order: bool,
    /// Whether the first frame had a vfov column.
    has_vfov: Option<bool>,
    /// Emptied parts whose buffers are reused.
    spare: Vec<Part>,
}

impl Collector {
    fn new(path: Option<PathBuf>, options: ChanOptions) -> Self {
        Self {
            path,
            ctx: LineContext {
                order: options.rotation_order,
                z_up: options.z_up,
                scale: options.scale,
                frame_offset: options.frame_offset,
                vertical_aperture_mm: options.film_back.height_mm,
            },
            options,
            frames: Vec::new(),
            lines: Vec::new(),
            warnings: Vec::new(),
            line_base: 0,
            byte_base: 0,
            in_frame_order: true,
            has_vfov: None,
            spare: Vec::new(),
        }
    }

    fn strict(&self) -> bool {
        self.options.mode == ReadMode::Strict
    }

    fn line_too_long(&self) -> Error {
        Error::Chan {
            position: Position {
                path: self.path.clone(),
                line: self.line_base + 1,
                column: 1,
                byte: self.byte_base,
            },
            issue: ChanIssue::LineTooLong { limit: CHUNK_BYTES },
        }
    }

    /// Parses a chunk of whole lines (two threads when it is large).
    fn take_chunk(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let split = (chunk.len() >= PARALLEL_MIN_BYTES)
            .then(|| {
                memchr::memchr(b'\n', &chunk[chunk.len() / 2..]).map(|i| chunk.len() / 2 + i + 1)
            })
            .flatten();
        let strict = self.strict();
        let ctx = self.ctx;
        let left_part = self.spare.pop().unwrap_or_default();
        match split {
            Some(split) if split < chunk.len() => {
                let (left, right) = chunk.split_at(split);
                let right_part = self.spare.pop().unwrap_or_default();
                let (first, second) = std::thread::scope(|scope| {
                    let handle = scope.spawn(move || parse_part(right, &ctx, strict, right_part));
                    let first = parse_part(left, &ctx, strict, left_part);
                    (first, handle.join())
                });
                self.merge(first, left.len())?;
                match second {
                    Ok(second) => self.merge(second, right.len()),
                    // A panic in the parser is a bug; parse the part here to report it.
                    Err(_) => {
                        let second = parse_part(right, &ctx, strict, Part::default());
                        self.merge(second, right.len())
                    }
                }
            }
            _ => {
                let part = parse_part(chunk, &ctx, strict, left_part);
                self.merge(part, chunk.len())
            }
        }
    }

    fn position(&self, line: u64, line_start: usize, offset: usize) -> Position {
        Position {
            path: self.path.clone(),
            line: self.line_base + line + 1,
            column: offset as u64 + 1,
            byte: self.byte_base + (line_start + offset) as u64,
        }
    }

    /// Appends a part's frames in file order, checking the vfov column is consistent.
    fn merge(&mut self, mut part: Part, part_bytes: usize) -> Result<(), Error> {
        if part.bad.is_empty() && self.append_clean(&part) {
            let (line_base, byte_base) = (self.line_base, self.byte_base);
            self.lines.extend(
                part.lines
                    .iter()
                    .map(|&(line, start)| (line_base + line + 1, byte_base + start as u64)),
            );
            self.frames.append(&mut part.frames);
            self.line_base += part.line_count;
            self.byte_base += part_bytes as u64;
            self.spare.push(part);
            return Ok(());
        }
        self.merge_line_by_line(part, part_bytes)
    }

    /// Whether a part without bad lines can be appended wholesale: one vfov layout
    /// matching the earlier frames. Notes whether the frames stay in order.
    fn append_clean(&mut self, part: &Part) -> bool {
        let Some(first) = part.frames.first() else {
            return true;
        };
        let has_vfov = first.lens_mm.is_some();
        if *self.has_vfov.get_or_insert(has_vfov) != has_vfov
            || part.frames.iter().any(|f| f.lens_mm.is_some() != has_vfov)
        {
            return false;
        }
        let ascending = part
            .frames
            .windows(2)
            .all(|pair| pair[0].frame < pair[1].frame);
        let continues = self
            .frames
            .last()
            .is_none_or(|last| last.frame < first.frame);
        if !(ascending && continues) {
            self.in_frame_order = false;
        }
        true
    }

    fn merge_line_by_line(&mut self, part: Part, part_bytes: usize) -> Result<(), Error> {
        let mut bad = part.bad.into_iter().peekable();
        for (frame, (line, line_start)) in part.frames.into_iter().zip(part.lines) {
            while let Some(issue) = bad.next_if(|b| b.line < line) {
                self.report(issue)?;
            }
            let has_vfov = frame.lens_mm.is_some();
            let expected = *self.has_vfov.get_or_insert(has_vfov);
            if expected != has_vfov {
                let issue = ChanIssue::InconsistentFields {
                    found: if has_vfov { 8 } else { 7 },
                    expected: if expected { 8 } else { 7 },
                };
                self.report(BadLine {
                    line,
                    line_start,
                    offset: 0,
                    issue,
                })?;
                continue;
            }
            if self
                .frames
                .last()
                .is_some_and(|last| last.frame >= frame.frame)
            {
                self.in_frame_order = false;
            }
            self.frames.push(frame);
            self.lines.push((
                self.line_base + line + 1,
                self.byte_base + line_start as u64,
            ));
        }
        for issue in bad {
            self.report(issue)?;
        }
        self.line_base += part.line_count;
        self.byte_base += part_bytes as u64;
        Ok(())
    }

    /// An error in strict mode, a warning in lenient mode.
    fn report(&mut self, bad: BadLine) -> Result<(), Error> {
        let position = self.position(bad.line, bad.line_start, bad.offset);
        if self.strict() {
            return Err(Error::Chan {
                position,
                issue: bad.issue,
            });
        }
        self.warnings.push(ChanWarning {
            position,
            issue: bad.issue,
        });
        Ok(())
    }

    /// Frame order, duplicates, and the final Euler triples (degrees).
    fn finish(mut self) -> Result<(Vec<CameraFrame>, Vec<ChanWarning>), Error> {
        if !self.in_frame_order {
            self.sort_and_deduplicate()?;
        }
        if self.frames.is_empty() {
            return Err(Error::NoFrames { path: self.path });
        }
        let mut previous = [0.0; 3];
        for frame in &mut self.frames {
            let first = frame.rotation_euler_xyz_deg;
            let second = second_solution(RotationOrder::Xyz, first);
            let chosen = if self.options.euler_filter {
                pick_compatible(first, second, previous)
            } else {
                pick_smallest(first, second)
            };
            previous = chosen;
            frame.rotation_euler_xyz_deg = chosen.map(f64::to_degrees);
        }
        self.warnings.sort_by_key(|w| w.position.line);
        Ok((self.frames, self.warnings))
    }

    fn sort_and_deduplicate(&mut self) -> Result<(), Error> {
        let mut order: Vec<usize> = (0..self.frames.len()).collect();
        order.sort_by_key(|&i| (self.frames[i].frame, self.lines[i]));
        let mut duplicates: Vec<((u64, u64), ChanIssue)> = Vec::new();
        let mut kept = Vec::with_capacity(order.len());
        let mut first_line = 0;
        for (rank, &index) in order.iter().enumerate() {
            let frame = self.frames[index].frame;
            if rank > 0 && self.frames[order[rank - 1]].frame == frame {
                duplicates.push((
                    self.lines[index],
                    ChanIssue::DuplicateFrame { frame, first_line },
                ));
            } else {
                first_line = self.lines[index].0;
                kept.push(index);
            }
        }
        duplicates.sort_by_key(|(line, _)| *line);
        for ((line, byte), issue) in duplicates {
            let position = Position {
                path: self.path.clone(),
                line,
                column: 1,
                byte,
            };
            if self.strict() {
                return Err(Error::Chan { position, issue });
            }
            self.warnings.push(ChanWarning { position, issue });
        }
        self.frames = kept.iter().map(|&i| self.frames[i]).collect();
        self.lines = kept.iter().map(|&i| self.lines[i]).collect();
        Ok(())
    }
}
