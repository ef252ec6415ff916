//! [`ChanReader`]: the streaming `.chan` reader (layered: [`ChanReader::from_path`],
//! [`ChanReader::from_reader`], [`parse_str`]) and its result, [`ChanImport`].
//!
//! The input is read in chunks of whole lines (never a `Vec<String>` of lines). The
//! calling thread reads; worker threads parse and convert chunks as they come; the
//! calling thread merges the results in file order. Frames are then put in frame order,
//! duplicates rejected, and the Euler triple of each frame picked (Blender's pick,
//! unwrapped toward the previous frame when the Euler filter is on).

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, mpsc};

use tracking_types::SolveData;

use crate::axes::UpAxis;
use crate::camera_track::{CameraFrame, CameraTrack};
use crate::chan::line::{LineContext, LineOutcome, LineParser};
use crate::chan::options::{ChanOptions, ReadMode};
use crate::error::{ChanIssue, Error, Position};
use crate::euler::{pick_compatible, pick_smallest, second_solution};
use crate::rotation_order::RotationOrder;

/// Bytes read per chunk (a chunk is cut after its last `\n`).
const CHUNK_BYTES: usize = 1 << 20;
/// The longest line accepted.
const MAX_LINE_BYTES: usize = 4 << 20;
/// Most worker threads used.
const MAX_WORKERS: usize = 4;

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
        let mut chunks = Chunks {
            source: &mut self.source,
            carry: Vec::new(),
            done: false,
        };
        let workers = std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_WORKERS);
        match chunks.next(Vec::new()) {
            // Small inputs (one chunk) are not worth a thread.
            Ok(Some(first)) if workers > 1 && !chunks.done => {
                read_on_workers(first, &mut chunks, &mut collector, workers)?;
            }
            first => read_here(first, &mut chunks, &mut collector)?,
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

/// Why the next chunk could not be had.
#[derive(Debug)]
enum ChunkError {
    Io(std::io::Error),
    /// No `\n` within [`MAX_LINE_BYTES`].
    LineTooLong,
}

/// The input as chunks of whole lines (the last may lack its `\n`).
struct Chunks<'a, R> {
    source: &'a mut R,
    /// The start of a line cut off at the end of the previous chunk.
    carry: Vec<u8>,
    /// Whether the source is exhausted.
    done: bool,
}

impl<R: Read> Chunks<'_, R> {
    /// The next chunk, read into `buffer` (reused); `None` at the end.
    fn next(&mut self, mut buffer: Vec<u8>) -> Result<Option<Vec<u8>>, ChunkError> {
        buffer.clear();
        buffer.extend_from_slice(&self.carry);
        self.carry.clear();
        if self.done {
            return Ok((!buffer.is_empty()).then_some(buffer));
        }
        let mut target = CHUNK_BYTES;
        loop {
            let wanted = target.saturating_sub(buffer.len()).max(1);
            let got = (&mut *self.source)
                .take(wanted as u64)
                .read_to_end(&mut buffer)
                .map_err(ChunkError::Io)?;
            if got < wanted {
                self.done = true;
                return Ok((!buffer.is_empty()).then_some(buffer));
            }
            if let Some(newline) = memchr::memrchr(b'\n', &buffer) {
                self.carry.extend_from_slice(&buffer[newline + 1..]);
                buffer.truncate(newline + 1);
                return Ok(Some(buffer));
            }
            if buffer.len() >= MAX_LINE_BYTES {
                return Err(ChunkError::LineTooLong);
            }
            target = buffer.len() + CHUNK_BYTES;
        }
    }
}

impl Collector {
    /// The error for a chunk that could not be read (after all earlier chunks merged).
    fn chunk_error(&self, error: ChunkError) -> Error {
        match error {
            ChunkError::Io(e) => Error::read(self.path.clone(), e),
            ChunkError::LineTooLong => Error::Chan {
                position: Position {
                    path: self.path.clone(),
                    line: self.line_base + 1,
                    column: 1,
                    byte: self.byte_base,
                },
                issue: ChanIssue::LineTooLong {
                    limit: MAX_LINE_BYTES,
                },
            },
        }
    }
}

/// Reads, parses and merges every chunk on the calling thread.
fn read_here<R: Read>(
    first: Result<Option<Vec<u8>>, ChunkError>,
    chunks: &mut Chunks<'_, R>,
    collector: &mut Collector,
) -> Result<(), Error> {
    let mut next = first;
    loop {
        let bytes = match next {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(()),
            Err(error) => return Err(collector.chunk_error(error)),
        };
        let part = collector.spare.pop().unwrap_or_default();
        let part = parse_part(&bytes, &collector.ctx, collector.strict(), part);
        collector.merge(part, bytes.len())?;
        next = chunks.next(bytes);
    }
}

/// A chunk for a worker: its sequence number, bytes, and a part to fill.
struct Job {
    seq: u64,
    bytes: Vec<u8>,
    part: Part,
}

/// A parsed chunk: `part` is `None` when the parser panicked (a bug; the chunk is
/// parsed again on the calling thread, where the panic surfaces).
struct Done {
    seq: u64,
    bytes: Vec<u8>,
    part: Option<Part>,
}

/// Reads on the calling thread while `workers` threads parse; merges in file order.
fn read_on_workers<R: Read>(
    first: Vec<u8>,
    chunks: &mut Chunks<'_, R>,
    collector: &mut Collector,
    workers: usize,
) -> Result<(), Error> {
    let (ctx, strict) = (collector.ctx, collector.strict());
    let (job_sender, job_receiver) = mpsc::sync_channel::<Job>(workers);
    let job_receiver = Mutex::new(job_receiver);
    let (done_sender, done_receiver) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (jobs, done) = (&job_receiver, done_sender.clone());
            scope.spawn(move || {
                loop {
                    let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(Job { seq, bytes, part }) = job else {
                        return;
                    };
                    let part =
                        catch_unwind(AssertUnwindSafe(|| parse_part(&bytes, &ctx, strict, part)))
                            .ok();
                    if done.send(Done { seq, bytes, part }).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_sender);
        let result = feed_and_merge(
            first,
            chunks,
            collector,
            &job_sender,
            &done_receiver,
            workers,
        );
        // Closing the queue ends the workers once they finish what they hold.
        drop(job_sender);
        result
    })
}

/// The calling thread's side of [`read_on_workers`].
fn feed_and_merge<R: Read>(
    first: Vec<u8>,
    chunks: &mut Chunks<'_, R>,
    collector: &mut Collector,
    jobs: &mpsc::SyncSender<Job>,
    done: &mpsc::Receiver<Done>,
    workers: usize,
) -> Result<(), Error> {
    let in_flight_limit = 2 * workers as u64;
    let mut next_chunk = Ok(Some(first));
    let mut chunk_error = None;
    let (mut sent, mut merged) = (0u64, 0u64);
    let mut finished: BTreeMap<u64, Done> = BTreeMap::new();
    let mut free: Vec<Vec<u8>> = Vec::new();
    loop {
        while chunk_error.is_none() && sent - merged < in_flight_limit {
            let bytes = match std::mem::replace(&mut next_chunk, Ok(None)) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => break,
                Err(error) => {
                    chunk_error = Some(error);
                    break;
                }
            };
            let part = collector.spare.pop().unwrap_or_default();
            let job = Job {
                seq: sent,
                bytes,
                part,
            };
            if jobs.send(job).is_err() {
                break;
            }
            sent += 1;
            next_chunk = chunks.next(free.pop().unwrap_or_default());
        }
        if merged == sent {
            break;
        }
        let ready = loop {
            if let Some(ready) = finished.remove(&merged) {
                break ready;
            }
            match done.recv() {
                Ok(chunk) => {
                    finished.insert(chunk.seq, chunk);
                }
                // Every worker gone with chunks outstanding: cannot happen while the
                // queue is open, but never wait forever.
                Err(_) => return Err(collector.chunk_error(ChunkError::Io(worker_lost()))),
            }
        };
        merged += 1;
        let part = match ready.part {
            Some(part) => part,
            None => parse_part(
                &ready.bytes,
                &collector.ctx,
                collector.strict(),
                Part::default(),
            ),
        };
        collector.merge(part, ready.bytes.len())?;
        free.push(ready.bytes);
    }
    match chunk_error {
        Some(error) => Err(collector.chunk_error(error)),
        None => Ok(()),
    }
}

fn worker_lost() -> std::io::Error {
    std::io::Error::other("a .chan parser thread stopped")
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
        if let Some((frame, next)) = parser.parse_fast(bytes, start) {
            part.frames.push(frame);
            part.lines.push((part.line_count, start));
            part.line_count += 1;
            start = next;
            continue;
        }
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
