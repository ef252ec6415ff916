//! [`ChanReader`]: the streaming `.chan` reader (layered: [`ChanReader::from_path`],
//! [`ChanReader::from_reader`], [`parse_str`]) and its result, [`ChanImport`].
//!
//! The input is read in chunks of whole lines (never a `Vec<String>` of lines). The
//! calling thread reads; worker threads parse and convert chunks as they come; the
//! calling thread merges the results in file order. Frames are then put in frame order,
//! duplicates rejected, and the Euler triple of each frame picked (Blender's pick,
//! unwrapped toward the previous frame when the Euler filter is on). Picks are made as
//! frames are merged while they come in order; a file found out of order is read a
//! second time and picked after sorting.

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

/// The largest `.chan` file [`ChanReader::from_path`] reads: 4 GiB, about 50 million
/// frames (the reader streams, so this bounds time, not memory per line).
pub const MAX_CHAN_FILE_BYTES: u64 = 4 << 30;

impl ChanReader<File> {
    /// Opens `path` through the shared input check (`tracking_fs::open_input`): a FIFO,
    /// device, socket or directory is [`Error::File`] naming the kind (a FIFO would
    /// otherwise block forever), as is a file over [`MAX_CHAN_FILE_BYTES`]. Errors carry
    /// the path.
    pub fn from_path(path: impl AsRef<Path>, options: ChanOptions) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = tracking_fs::open_input(path, MAX_CHAN_FILE_BYTES)?.file;
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
        // A file can be read again should its frames turn out not to be in order; any
        // other source keeps each frame's first Euler solution instead.
        collector.keep_firsts = self.path.is_none();
        read_pass(&mut self.source, &mut collector)?;
        if let (true, Some(path)) = (collector.read_again, &self.path) {
            let mut file = tracking_fs::open_input(path, MAX_CHAN_FILE_BYTES)?.file;
            collector = Collector::new(self.path.clone(), self.options);
            collector.in_frame_order = false;
            read_pass(&mut file, &mut collector)?;
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

/// Reads the whole source into `collector` (on worker threads when it is big), or
/// until the collector asks for the file to be read again.
fn read_pass<R: Read>(source: &mut R, collector: &mut Collector) -> Result<(), Error> {
    let mut chunks = Chunks {
        source,
        carry: Vec::new(),
        done: false,
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_WORKERS);
    match chunks.next(Vec::new()) {
        // Small inputs (one chunk) are not worth a thread.
        Ok(Some(first)) if workers > 1 && !chunks.done => {
            read_on_workers(first, &mut chunks, collector, workers)
        }
        first => read_here(first, &mut chunks, collector),
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
        let part = collector.part_to_fill();
        let part = parse_part(&bytes, &collector.settings, part);
        collector.merge(part, bytes.len())?;
        if collector.read_again {
            return Ok(());
        }
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
    let settings = collector.settings;
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
                        catch_unwind(AssertUnwindSafe(|| parse_part(&bytes, &settings, part))).ok();
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
            let job = Job {
                seq: sent,
                bytes,
                part: collector.part_to_fill(),
            };
            if jobs.send(job).is_err() {
                return Err(collector.chunk_error(ChunkError::Io(worker_lost())));
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
            None => parse_part(&ready.bytes, &collector.settings, Part::default()),
        };
        collector.merge(part, ready.bytes.len())?;
        if collector.read_again {
            return Ok(());
        }
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
    /// 0-based line and line-start byte of each frame within the part (a part is a
    /// chunk of at most a few MiB, so both fit in `u32`).
    lines: Vec<(u32, u32)>,
    bad: Vec<BadLine>,
    /// Lines in the part (a final line without `\n` counts).
    line_count: u64,
    /// The first Euler solution (radians) of each frame, as the parser found it...
    firsts: Vec<[f64; 3]>,
    /// ...and the pick made from it, in radians (`frames` hold it in degrees). The
    /// chain of picks starts from `hint`, the last pick known when the part was handed
    /// out; [`Collector::merge`] repairs its start from the real previous frame, which
    /// usually takes a frame or two (all of them for a camera that spun whole turns in
    /// between: each pick depends on the previous one).
    picks: Vec<[f64; 3]>,
    /// Where the parser's chain of picks starts; `None`: the parser leaves the first
    /// solutions in the frames and the merge picks.
    hint: Option<[f64; 3]>,
}

/// Parses `bytes` into `part`, reusing its buffers (fresh pages for every chunk would
/// cost a page fault per 4 KiB).
fn parse_part(bytes: &[u8], settings: &PartSettings, mut part: Part) -> Part {
    let (ctx, strict) = (&settings.ctx, settings.strict);
    part.frames.clear();
    part.lines.clear();
    part.bad.clear();
    part.line_count = 0;
    part.firsts.clear();
    part.picks.clear();
    part.frames.reserve(bytes.len() / 60);
    part.lines.reserve(bytes.len() / 60);
    let mut parser = LineParser::new(*ctx);
    let mut start = 0;
    while start < bytes.len() {
        if let Some((frame, next)) = parser.parse_fast(bytes, start) {
            part.frames.push(frame);
            part.lines.push(line_in_part(part.line_count, start));
            part.line_count += 1;
            start = next;
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        match parser.parse(&bytes[start..end]) {
            LineOutcome::Skip => {}
            LineOutcome::Frame(frame) => {
                part.frames.push(frame);
                part.lines.push(line_in_part(part.line_count, start));
            }
            LineOutcome::Bad { offset, issue } => {
                part.bad.push(BadLine {
                    line: part.line_count,
                    line_start: start,
                    offset,
                    issue,
                });
                if strict {
                    return with_picks(part, settings.euler_filter);
                }
            }
        }
        part.line_count += 1;
        start = end + 1;
    }
    with_picks(part, settings.euler_filter)
}

/// What every part is parsed with.
#[derive(Debug, Clone, Copy)]
struct PartSettings {
    ctx: LineContext,
    strict: bool,
    euler_filter: bool,
}

/// Picks each frame's Euler triple (see [`Part::picks`]).
fn with_picks(mut part: Part, euler_filter: bool) -> Part {
    let Some(mut previous) = part.hint else {
        return part;
    };
    for frame in &mut part.frames {
        part.firsts.push(frame.rotation_euler_xyz_deg);
        let pick = pick_euler(frame, euler_filter, &mut previous);
        part.picks.push(pick);
    }
    part
}

/// A frame's line and line-start byte within its part.
#[allow(clippy::cast_possible_truncation)] // a part is at most a few MiB
fn line_in_part(line: u64, start: usize) -> (u32, u32) {
    (line as u32, start as u32)
}

/// Accumulates frames across chunks.
struct Collector {
    path: Option<PathBuf>,
    settings: PartSettings,
    frames: Vec<CameraFrame>,
    /// Line and line-start byte of each frame within its part...
    lines: Vec<(u32, u32)>,
    /// ...and for each part: the index of its first frame, the lines and bytes before it.
    part_starts: Vec<(usize, u64, u64)>,
    warnings: Vec<ChanWarning>,
    /// Lines consumed before the current part.
    line_base: u64,
    /// Bytes consumed before the current part.
    byte_base: u64,
    in_frame_order: bool,
    /// While the frames are in order, each frame's final Euler triple is picked by the
    /// parser (see [`Part::picks`]) and checked as it is merged; this is the last pick,
    /// in radians.
    previous_pick: [f64; 3],
    /// While the frames are in order: the first solution of each (radians), to go back
    /// to should a frame out of order turn up; kept when `keep_firsts`...
    firsts: Vec<[f64; 3]>,
    keep_firsts: bool,
    /// ...else a frame out of order stops the read, for the file to be read again.
    read_again: bool,
    /// Whether the last part's picks by the parser needed only a short repair.
    picks_converged: bool,
    parts_handed_out: u64,
    /// Whether the first frame had a vfov column.
    has_vfov: Option<bool>,
    /// Emptied parts whose buffers are reused.
    spare: Vec<Part>,
}

impl Collector {
    fn new(path: Option<PathBuf>, options: ChanOptions) -> Self {
        Self {
            path,
            settings: PartSettings {
                ctx: LineContext {
                    order: options.rotation_order,
                    z_up: options.z_up,
                    scale: options.scale,
                    frame_offset: options.frame_offset,
                    vertical_aperture_mm: options.film_back.height_mm,
                },
                strict: options.mode == ReadMode::Strict,
                euler_filter: options.euler_filter,
            },
            frames: Vec::new(),
            lines: Vec::new(),
            part_starts: Vec::new(),
            warnings: Vec::new(),
            line_base: 0,
            byte_base: 0,
            in_frame_order: true,
            previous_pick: [0.0; 3],
            firsts: Vec::new(),
            keep_firsts: true,
            read_again: false,
            picks_converged: true,
            parts_handed_out: 0,
            has_vfov: None,
            spare: Vec::new(),
        }
    }

    fn strict(&self) -> bool {
        self.settings.strict
    }

    /// An emptied part to parse the next chunk into, with the last pick as its hint
    /// while the parser's picks have been right (or every eighth part, to try again).
    fn part_to_fill(&mut self) -> Part {
        let mut part = self.spare.pop().unwrap_or_default();
        self.parts_handed_out += 1;
        let speculate = self.in_frame_order
            && (self.picks_converged || self.parts_handed_out.is_multiple_of(8));
        part.hint = speculate.then_some(self.previous_pick);
        part
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
            self.part_starts
                .push((self.frames.len(), self.line_base, self.byte_base));
            self.lines.extend_from_slice(&part.lines);
            if self.in_frame_order {
                if self.keep_firsts {
                    match part.hint {
                        Some(_) => self.firsts.extend_from_slice(&part.firsts),
                        None => self
                            .firsts
                            .extend(part.frames.iter().map(|f| f.rotation_euler_xyz_deg)),
                    }
                }
                self.repair_picks(&mut part);
            } else {
                part.unpick();
            }
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
            self.out_of_order();
        }
        true
    }

    /// Frames turned out not to be in order: they will be sorted, and their Euler
    /// triples picked after that, from the exact first solutions (radians) the parser
    /// found, so the result is the same as for the sorted file. The frames merged so
    /// far get theirs back from `firsts`, or the file is read again.
    fn out_of_order(&mut self) {
        if !self.in_frame_order {
            return;
        }
        self.in_frame_order = false;
        if !self.keep_firsts {
            self.read_again = true;
            return;
        }
        restore_firsts(&mut self.frames, &self.firsts);
        self.firsts = Vec::new();
    }

    fn merge_line_by_line(&mut self, mut part: Part, part_bytes: usize) -> Result<(), Error> {
        self.part_starts
            .push((self.frames.len(), self.line_base, self.byte_base));
        // Some frames of the part may be dropped here: pick again from the first
        // solutions, with the real previous frame.
        part.unpick();
        let mut bad = part.bad.into_iter().peekable();
        for (mut frame, (line, line_start)) in part.frames.into_iter().zip(part.lines) {
            let (line, line_start) = (u64::from(line), line_start as usize);
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
                self.out_of_order();
            }
            if self.in_frame_order {
                if self.keep_firsts {
                    self.firsts.push(frame.rotation_euler_xyz_deg);
                }
                pick_euler(
                    &mut frame,
                    self.settings.euler_filter,
                    &mut self.previous_pick,
                );
            }
            self.frames.push(frame);
            self.lines.push(line_in_part(line, line_start));
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
            let mut previous = [0.0; 3];
            for frame in &mut self.frames {
                pick_euler(frame, self.settings.euler_filter, &mut previous);
            }
        }
        if self.frames.is_empty() {
            return Err(Error::NoFrames { path: self.path });
        }
        self.warnings.sort_by_key(|w| w.position.line);
        Ok((self.frames, self.warnings))
    }

    /// The 1-based line and the line-start byte of frame `index`.
    fn frame_line(&self, index: usize) -> (u64, u64) {
        let part = self
            .part_starts
            .partition_point(|&(first, _, _)| first <= index)
            .saturating_sub(1);
        let (_, line_base, byte_base) = self.part_starts[part];
        let (line, start) = self.lines[index];
        (
            line_base + u64::from(line) + 1,
            byte_base + u64::from(start),
        )
    }

    fn sort_and_deduplicate(&mut self) -> Result<(), Error> {
        // Frames were appended in file order, so a stable sort keeps duplicates in
        // line order.
        let mut order: Vec<usize> = (0..self.frames.len()).collect();
        order.sort_by_key(|&i| self.frames[i].frame);
        let mut duplicates: Vec<((u64, u64), ChanIssue)> = Vec::new();
        let mut kept = Vec::with_capacity(order.len());
        let mut first_line = 0;
        for (rank, &index) in order.iter().enumerate() {
            let frame = self.frames[index].frame;
            if rank > 0 && self.frames[order[rank - 1]].frame == frame {
                duplicates.push((
                    self.frame_line(index),
                    ChanIssue::DuplicateFrame { frame, first_line },
                ));
            } else {
                first_line = self.frame_line(index).0;
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
        Ok(())
    }
}

/// Sets the frame's final Euler triple in degrees from the first solution (radians)
/// it holds: Blender's pick, unwrapped toward `previous` (the previous frame's pick,
/// updated) when the Euler filter is on. Returns the pick in radians.
#[inline]
fn pick_euler(frame: &mut CameraFrame, euler_filter: bool, previous: &mut [f64; 3]) -> [f64; 3] {
    let first = frame.rotation_euler_xyz_deg;
    let second = second_solution(RotationOrder::Xyz, first);
    let chosen = if euler_filter {
        pick_compatible(first, second, *previous)
    } else {
        pick_smallest(first, second)
    };
    *previous = chosen;
    frame.rotation_euler_xyz_deg = chosen.map(f64::to_degrees);
    chosen
}

/// Puts each frame's first Euler solution (radians) back in place of its pick.
fn restore_firsts(frames: &mut [CameraFrame], firsts: &[[f64; 3]]) {
    for (frame, first) in frames.iter_mut().zip(firsts) {
        frame.rotation_euler_xyz_deg = *first;
    }
}

impl Part {
    /// Puts the first solutions back in place of the parser's picks, if it made any.
    fn unpick(&mut self) {
        if self.hint.take().is_some() {
            restore_firsts(&mut self.frames, &self.firsts);
        }
    }
}

impl Collector {
    /// Picks the Euler triples of a part that continues the frames in order: checks the
    /// parser's picks from the real previous frame and redoes them until they agree
    /// (from there on they are the same: each pick depends only on the previous one),
    /// or picks them all here when the parser did not.
    fn repair_picks(&mut self, part: &mut Part) {
        let euler_filter = self.settings.euler_filter;
        let mut previous = self.previous_pick;
        if part.hint.is_none() {
            for frame in &mut part.frames {
                pick_euler(frame, euler_filter, &mut previous);
            }
            self.previous_pick = previous;
            return;
        }
        let mut converged = part.frames.is_empty();
        let mut picks = part.picks.iter_mut().zip(&part.firsts);
        for (frame, (pick, first)) in part.frames.iter_mut().zip(&mut picks) {
            frame.rotation_euler_xyz_deg = *first;
            let chosen = pick_euler(frame, euler_filter, &mut previous);
            if chosen.map(f64::to_bits) == pick.map(f64::to_bits) {
                converged = true;
                break;
            }
            *pick = chosen;
        }
        self.picks_converged = converged;
        if let Some(last) = part.picks.last() {
            self.previous_pick = *last;
        }
    }
}
