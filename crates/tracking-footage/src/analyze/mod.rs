//! Footage analysis: an evidence-based trackability report.
//!
//! [`analyze_footage`] probes the file, decodes a few small greyscale frames with the
//! real ffmpeg (at the analysis width and, up to `sampling::MAX_FULL_LINES`, the
//! source's full line count), measures them in Rust, runs `idet` when the flags, the
//! format or the measured combing make interlacing plausible, and turns it all into
//! [`Finding`]s with stable codes, evidence and recommendations. The report carries
//! [`METHOD_VERSION`] (2: direction-aware blur, combing at full height on every
//! analysis, compression judged against the content).
//!
//! | module | owns |
//! |---|---|
//! | [`metrics`] | sharpness (variance of the Laplacian), edge spread, motion, clipping, combing, line resampling |
//! | [`motion`] | global motion of a frame pair and the smear anisotropy along it |
//! | [`compression`] | block-grid artefacts on full-height frames |
//! | [`sampling`] | which frames to decode and how (ffmpeg, grey raw frames, full-height decode size) |
//! | [`interlace`] | when to run `idet` and how to read its summary |
//! | [`content`] | per-sample measurements and the motion-blur verdict (directional and clip-relative) |
//! | [`checks`] | findings from [`ClipFacts`] weighed against the content evidence (interlace, compression) |
//! | [`facts`] | filling [`ClipFacts`] from the deep probe ([`crate::probe()`]) |
//! | [`findings`] | codes, severities, evidence, the trackability rating |
//! | [`report`] | the [`AnalysisReport`] returned and printed as JSON |

mod checks;
mod compression;
mod content;
mod facts;
mod findings;
mod interlace;
mod metrics;
mod motion;
mod report;
mod sampling;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracking_types::{FootageMetadata, MotionBlurLevel};

use crate::discovery::find_tool;
use crate::error::Result;
use crate::input::MediaInput;
use crate::process::ToolCommand;
use crate::rational::Rational;
use crate::sequence::{FrameFile, SequenceSpec};
use crate::tool::{Tool, ToolPath};
use crate::types::{FootageKind, FootageProbe, ProbeOptions};

pub(crate) use checks::{ClipFacts, unrated_sequence_findings};
pub use compression::Blockiness;
pub use content::{BlurJudgement, SampleMeasurement};
pub use findings::{Evidence, EvidenceValue, Finding, FindingCode, Severity, TrackabilityRating};
pub use interlace::{FieldCounts, IdetSummary, InterlaceVerdict, RepeatedFields};
pub use metrics::Clipping;
pub use motion::{GlobalMotion, SmearAnisotropy};
pub use report::{
    AnalysisReport, AnalysisTier, CombEvidence, CombVerdict, CompressionEvidence, ContentSummary,
    InterlaceReport, METHOD_VERSION, SampleStrategy, StageTimings,
};

use content::judge_blur;
use sampling::DecodedFrame;

/// Options for [`analyze_footage`]. Start from `AnalyzeOptions::default()` and set fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AnalyzeOptions {
    /// Analyse every frame instead of samples (slow: decode-bound over the whole clip).
    pub full: bool,
    /// Number of evenly spaced sample positions (each a pair of consecutive frames).
    pub samples: usize,
    /// Widest analysis frame in pixels.
    pub max_width: u32,
    /// Frames fed to `idet` when interlacing is plausible.
    pub idet_frames: u32,
    /// Clips of at most this many frames (counted in 1920×1080-pixel equivalents) are
    /// decoded front to back with exact sample indices; longer ones use fast seeking,
    /// which decodes only a few frames per sample but lands on keyframes.
    pub sequential_limit: u64,
    /// Wall-clock limit per tool run (the `full` tier allows twice the clip duration on
    /// top).
    pub timeout: Duration,
    /// Explicit `ffmpeg` executable.
    pub ffmpeg: Option<PathBuf>,
    /// Explicit `ffprobe` executable.
    pub ffprobe: Option<PathBuf>,
    /// Frame rate of an image sequence whose headers carry none (see
    /// [`ProbeOptions::sequence_frame_rate`]); never overrides a movie's rate.
    pub sequence_frame_rate: Option<Rational>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        Self {
            full: false,
            samples: 20,
            max_width: sampling::MAX_ANALYSIS_WIDTH,
            idet_frames: interlace::IDET_MAX_FRAMES,
            sequential_limit: 250,
            timeout: crate::process::DEFAULT_TIMEOUT,
            ffmpeg: None,
            ffprobe: None,
            sequence_frame_rate: None,
        }
    }
}

/// Combing above this median score makes interlacing plausible (see `metrics::comb_score`).
pub(crate) const COMB_PLAUSIBLE: f64 = 1.0;
/// Mean clipped fraction (blacks + whites) above which exposure clipping is reported.
pub(crate) const CLIPPING_LIMIT: f64 = 0.2;

/// Analyse a movie file or an image sequence (any spelling [`crate::probe()`] accepts)
/// and report how trackable it is.
///
/// Errors: the path is missing or not a regular file (or sequence), ffprobe/ffmpeg are
/// missing, fail, or exceed `options.timeout` (then they are killed), or their output
/// is unreadable; a sequence without a frame rate in its headers needs
/// `options.sequence_frame_rate`.
pub fn analyze_footage(path: impl AsRef<Path>, options: &AnalyzeOptions) -> Result<AnalysisReport> {
    analyze(path.as_ref(), None, options)
}

/// [`analyze_footage`] for a caller that has already deep-probed `path` (e.g. shot
/// ingest): the analysis uses `probe` instead of running ffprobe again, so each plate
/// is probed once. `probe` must be the deep probe (`ProbeOptions::deep`) of this very
/// `path`; a shallow one (no exact frame count) is replaced by a deep probe here, since
/// the analysis needs the packet statistics.
pub fn analyze_probed(
    path: impl AsRef<Path>,
    probe: &FootageProbe,
    options: &AnalyzeOptions,
) -> Result<AnalysisReport> {
    analyze(path.as_ref(), Some(probe), options)
}

fn analyze(
    path: &Path,
    given: Option<&FootageProbe>,
    options: &AnalyzeOptions,
) -> Result<AnalysisReport> {
    let started = Instant::now();
    let ffmpeg = find_tool(Tool::Ffmpeg, options.ffmpeg.as_deref())?;
    let mut timings = StageTimings::default();

    let t = Instant::now();
    let fresh;
    let probe = match given {
        Some(probe) if probe.frame_counts.exact.is_some() => probe,
        _ => {
            let probe_options = ProbeOptions {
                deep: true,
                ffprobe: options.ffprobe.clone(),
                timeout: options.timeout,
                sequence_frame_rate: options.sequence_frame_rate,
            };
            fresh = crate::probe::probe(path, &probe_options)?;
            &fresh
        }
    };
    let facts = facts::clip_facts(probe);
    timings.probe_ms = report::millis(t.elapsed());

    let (content, decode, metrics_time, movie) = match probe.kind {
        FootageKind::Movie => {
            let input = MediaInput::open(path)?;
            let (c, d, m) = measure_movie(&ffmpeg, &input, probe, &facts, options)?;
            (c, d, m, Some(input))
        }
        FootageKind::ImageSequence => {
            let (c, d, m) = measure_sequence(&ffmpeg, path, &facts, options)?;
            (c, d, m, None)
        }
    };
    timings.decode_ms = report::millis(decode);
    timings.metrics_ms = report::millis(metrics_time);

    let t = Instant::now();
    let interlace = match &movie {
        Some(input) => run_idet_if_plausible(&ffmpeg, input, &facts, &content, options)?,
        None => None,
    };
    if interlace.is_some() {
        timings.idet_ms = report::millis(t.elapsed());
    }

    let mut findings = checks::metadata_findings(
        &facts,
        interlace.as_ref().map(|r| &r.summary),
        Some(&content),
    );
    findings.extend(content_findings(&content));
    findings::sort_findings(&mut findings);
    let metadata = footage_metadata(probe, &content, &findings);
    timings.total_ms = report::millis(started.elapsed());
    Ok(AnalysisReport {
        method_version: METHOD_VERSION,
        path: path.display().to_string(),
        tier: if options.full {
            AnalysisTier::Full
        } else {
            AnalysisTier::Fast
        },
        rating: findings::trackability_rating(&findings),
        score: findings::trackability_score(&findings),
        findings,
        metadata,
        content,
        interlace,
        timings,
    })
}

fn measure_movie(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    probe: &FootageProbe,
    facts: &ClipFacts,
    options: &AnalyzeOptions,
) -> Result<(ContentSummary, Duration, Duration)> {
    let size = sampling::analysis_size(facts.width, facts.height, options.max_width);
    if options.full {
        return measure_every_frame(ffmpeg, input, probe, facts, size, options);
    }
    let decode_size = sampling::decode_size(facts.height, size);
    let frames = probe.metadata.duration_frames;
    let t = Instant::now();
    let positions = sampling::sample_frames(frames, options.samples);
    let (decoded, strategy) = if positions.is_empty() {
        (Vec::new(), SampleStrategy::None)
    } else if hd_equivalent_frames(frames, facts) <= options.sequential_limit as f64 {
        let indices: std::collections::BTreeSet<u64> =
            positions.iter().flat_map(|&p| [p, p + 1]).collect();
        let indices: Vec<u64> = indices.into_iter().collect();
        (
            sampling::decode_selected(ffmpeg, input, &indices, decode_size, options.timeout)?,
            SampleStrategy::Sequential,
        )
    } else {
        // Seek targets in seconds on the constant-rate grid; the frames actually
        // decoded report their own timestamps.
        let fps = facts.fps.unwrap_or(24.0);
        let times: Vec<f64> = positions.iter().map(|&p| p as f64 / fps).collect();
        (
            sampling::decode_seeking(
                ffmpeg,
                input,
                &times,
                fps,
                decode_size,
                options.timeout,
                workers(),
            )?,
            SampleStrategy::Seek,
        )
    };
    let decode = t.elapsed();
    let t = Instant::now();
    let decoded: Vec<DecodedFrame> = decoded
        .into_iter()
        .map(|d| DecodedFrame::from_decoded(d.index, d.frame, size.1))
        .collect();
    let context = MeasureContext::new(facts, size);
    let samples = measure_pairs(&decoded, &context);
    let summary = summarise(strategy, size, facts, decoded.len() as u64, samples);
    Ok((summary, decode, t.elapsed()))
}

/// What the per-sample measurements need to know about the source.
#[derive(Debug, Clone, Copy)]
struct MeasureContext {
    /// The frames' columns are the source's (analysis width = source width).
    full_width: bool,
    /// Measure block-grid artefacts (a lossy codec, frames at the source's lines).
    blockiness: bool,
}

impl MeasureContext {
    fn new(facts: &ClipFacts, size: (u32, u32)) -> Self {
        let full_lines = sampling::decode_size(facts.height, size).1 == facts.height;
        Self {
            full_width: size.0 == facts.width,
            blockiness: full_lines && checks::lossy_codec(facts),
        }
    }
}

/// Parallel ffmpeg processes for seeking: one per core, at most 4.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(4))
}

/// Sample pairs of consecutive frame files of an image sequence.
fn measure_sequence(
    ffmpeg: &ToolPath,
    path: &Path,
    facts: &ClipFacts,
    options: &AnalyzeOptions,
) -> Result<(ContentSummary, Duration, Duration)> {
    let size = sampling::analysis_size(facts.width, facts.height, options.max_width);
    let decode_size = sampling::decode_size(facts.height, size);
    let t = Instant::now();
    let files = match SequenceSpec::recognise(path)? {
        Some(spec) => spec.scan()?.frames,
        None => Vec::new(),
    };
    let pairs = sequence_pairs(&files, options.samples);
    let mut chosen: Vec<&FrameFile> = Vec::new();
    for &(a, b) in &pairs {
        chosen.push(a);
        chosen.push(b);
    }
    let inputs = chosen
        .iter()
        .map(|f| MediaInput::open(&f.path))
        .collect::<Result<Vec<_>>>()?;
    let frames = sampling::decode_files(ffmpeg, &inputs, decode_size, options.timeout)?;
    let decoded: Vec<DecodedFrame> = chosen
        .iter()
        .zip(frames)
        .map(|(f, frame)| DecodedFrame::from_decoded(f.frame.max(0) as u64, frame, size.1))
        .collect();
    let decode = t.elapsed();
    let t = Instant::now();
    let samples = measure_pairs(&decoded, &MeasureContext::new(facts, size));
    let strategy = if decoded.is_empty() {
        SampleStrategy::None
    } else {
        SampleStrategy::SequenceFiles
    };
    let summary = summarise(strategy, size, facts, decoded.len() as u64, samples);
    Ok((summary, decode, t.elapsed()))
}

/// Up to `count` evenly spread pairs of files holding consecutive frame numbers.
fn sequence_pairs(files: &[FrameFile], count: usize) -> Vec<(&FrameFile, &FrameFile)> {
    let all: Vec<(&FrameFile, &FrameFile)> = files
        .windows(2)
        .filter(|w| w[1].frame == w[0].frame + 1 && w[0].size > 0 && w[1].size > 0)
        .map(|w| (&w[0], &w[1]))
        .collect();
    sampling::sample_frames(all.len() as u64 + 1, count)
        .into_iter()
        .filter_map(|i| all.get(i as usize).copied())
        .collect()
}

/// `frames` scaled by the raster's pixel count relative to 1920×1080 (decode cost).
fn hd_equivalent_frames(frames: u64, facts: &ClipFacts) -> f64 {
    let pixels = f64::from(facts.width) * f64::from(facts.height);
    frames as f64 * (pixels / (1920.0 * 1080.0)).max(1.0 / 16.0)
}

/// Measure each decoded frame that has its successor decoded too.
fn measure_pairs(decoded: &[DecodedFrame], context: &MeasureContext) -> Vec<SampleMeasurement> {
    let pairs: Vec<(&DecodedFrame, &DecodedFrame)> = decoded
        .windows(2)
        .filter(|w| w[1].index == w[0].index + 1)
        .map(|w| (&w[0], &w[1]))
        .collect();
    let measure = |(a, b): &(&DecodedFrame, &DecodedFrame)| {
        measure_frame(a.index as i64, a, Some(b), context)
    };
    // Two halves on two threads: the metrics are independent per pair.
    let mid = pairs.len() / 2;
    let (first, second) = pairs.split_at(mid);
    std::thread::scope(|scope| {
        let handle = scope.spawn(|| first.iter().map(measure).collect::<Vec<_>>());
        let mut rest: Vec<SampleMeasurement> = second.iter().map(measure).collect();
        let mut out = handle
            .join()
            .unwrap_or_else(|_| first.iter().map(measure).collect());
        out.append(&mut rest);
        out
    })
}

fn measure_frame(
    index: i64,
    decoded: &DecodedFrame,
    next: Option<&DecodedFrame>,
    context: &MeasureContext,
) -> SampleMeasurement {
    let frame = &decoded.frame;
    let next_frame = next.map(|n| &n.frame);
    let motion = next_frame.and_then(|n| motion::global_motion(frame, n));
    let smear = motion.and_then(|m| motion::smear_anisotropy(frame, &m));
    let blockiness = context
        .blockiness
        .then(|| compression::blockiness(decoded.lines(), context.full_width))
        .flatten();
    SampleMeasurement::new(
        index,
        metrics::detail_stats(frame),
        next_frame.and_then(|n| metrics::mean_abs_diff(frame, n)),
        metrics::clipping(frame),
        metrics::comb_score(decoded.lines(), next.map(DecodedFrame::lines)),
    )
    .with_motion(motion, smear)
    .with_blockiness(blockiness)
}

fn measure_every_frame(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    probe: &FootageProbe,
    facts: &ClipFacts,
    size: (u32, u32),
    options: &AnalyzeOptions,
) -> Result<(ContentSummary, Duration, Duration)> {
    let t = Instant::now();
    let timeout =
        options.timeout + Duration::from_secs_f64(2.0 * probe.metadata.duration_seconds.max(0.0));
    let decode_size = sampling::decode_size(facts.height, size);
    let context = MeasureContext::new(facts, size);
    // Frames stream in from ffmpeg; pairs go to metrics workers so measuring overlaps
    // decoding. The bounded channel keeps memory at a few frames.
    let (tx, rx) = std::sync::mpsc::sync_channel::<PairJob>(8);
    let rx = Mutex::new(rx);
    let worker_count = workers();
    let (decoded, measured) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..worker_count)
            .map(|_| scope.spawn(|| measure_jobs(&rx, &context)))
            .collect();
        let mut previous: Option<(i64, Arc<DecodedFrame>)> = None;
        let mut index = 0i64;
        let decoded =
            sampling::decode_every_frame(ffmpeg, input, decode_size, timeout, &mut |frame| {
                let frame = Arc::new(DecodedFrame::from_decoded(
                    index.max(0) as u64,
                    frame,
                    size.1,
                ));
                if let Some((i, prev)) = previous.take() {
                    // A send fails only when every worker is gone (they panicked); the
                    // join below reports that.
                    let _ = tx.send((i, prev, Some(Arc::clone(&frame))));
                }
                previous = Some((index, frame));
                index += 1;
            });
        if let Some((i, last)) = previous.take() {
            let _ = tx.send((i, last, None));
        }
        drop(tx);
        let measured: Vec<_> = handles
            .into_iter()
            .map(std::thread::ScopedJoinHandle::join)
            .collect();
        (decoded, measured)
    });
    let decoded = decoded?;
    let mut samples = Vec::new();
    let mut busy = Duration::ZERO;
    for result in measured {
        let (mut part, time) = result.map_err(|_| crate::error::Error::WorkerPanicked {
            path: input.caller_path().to_path_buf(),
        })?;
        samples.append(&mut part);
        busy += time;
    }
    samples.sort_by_key(|s| s.frame);
    let decode = t.elapsed();
    let metrics_time = busy / u32::try_from(worker_count.max(1)).unwrap_or(1);
    let summary = summarise(SampleStrategy::EveryFrame, size, facts, decoded, samples);
    Ok((summary, decode, metrics_time))
}

/// One frame of the `full` tier, its index and its successor (none for the last frame).
type PairJob = (i64, Arc<DecodedFrame>, Option<Arc<DecodedFrame>>);

/// A metrics worker of the `full` tier: measure pairs until the channel closes.
fn measure_jobs(
    jobs: &Mutex<std::sync::mpsc::Receiver<PairJob>>,
    context: &MeasureContext,
) -> (Vec<SampleMeasurement>, Duration) {
    let mut out = Vec::new();
    let mut busy = Duration::ZERO;
    loop {
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok((index, frame, next)) = job else {
            break;
        };
        let started = Instant::now();
        out.push(measure_frame(index, &frame, next.as_deref(), context));
        busy += started.elapsed();
    }
    (out, busy)
}

fn summarise(
    strategy: SampleStrategy,
    size: (u32, u32),
    facts: &ClipFacts,
    frames_decoded: u64,
    samples: Vec<SampleMeasurement>,
) -> ContentSummary {
    let collect = |f: &dyn Fn(&SampleMeasurement) -> Option<f64>| -> Vec<f64> {
        samples.iter().filter_map(f).collect()
    };
    let lap = collect(&|s| Some(s.laplacian_variance));
    let motion = collect(&|s| s.motion);
    let blacks = collect(&|s| Some(s.clipping.crushed_blacks));
    let whites = collect(&|s| Some(s.clipping.clipped_whites));
    let comb = collect(&|s| s.comb);
    let blocks = collect(&|s| s.blockiness.map(|b| b.ratio()));
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    ContentSummary {
        strategy,
        analysis_width: size.0,
        analysis_height: size.1,
        scale: if size.0 == 0 {
            1.0
        } else {
            f64::from(facts.width.max(1)) / f64::from(size.0)
        },
        frames_decoded,
        median_laplacian_variance: content::percentile(&lap, 0.5),
        median_motion: content::percentile(&motion, 0.5),
        max_motion: motion.iter().copied().reduce(f64::max),
        mean_crushed_blacks: mean(&blacks),
        mean_clipped_whites: mean(&whites),
        median_comb: content::percentile(&comb, 0.5),
        combing: comb_evidence(&samples, sampling::decode_size(facts.height, size).1),
        compression: CompressionEvidence {
            measured_samples: blocks.len(),
            median_blockiness: content::percentile(&blocks, 0.5),
            max_blockiness: blocks.iter().copied().reduce(f64::max),
            blocky_frames: samples
                .iter()
                .filter(|s| {
                    s.blockiness
                        .is_some_and(|b| b.ratio() >= checks::BLOCKY_WARN)
                })
                .map(|s| s.frame)
                .collect(),
            bits_per_pixel: checks::bits_per_pixel(facts),
        },
        blur: judge_blur(&samples),
        samples,
    }
}

/// Combing score above which a moving sample counts as combed.
pub(crate) const COMB_THRESHOLD: f64 = COMB_PLAUSIBLE;
/// At least this fraction of the moving samples combed: interlaced content.
pub(crate) const COMBED_FRACTION: f64 = 0.7;
/// At least this fraction (and below [`COMBED_FRACTION`]): intermittent combing, as
/// 3:2 pulldown shows (2 frames of every 5).
pub(crate) const INTERMITTENT_FRACTION: f64 = 0.2;

fn comb_evidence(samples: &[SampleMeasurement], lines: u32) -> CombEvidence {
    let moving: Vec<&SampleMeasurement> = samples.iter().filter(|s| s.comb.is_some()).collect();
    let combed_frames: Vec<i64> = moving
        .iter()
        .filter(|s| s.comb.is_some_and(|c| c > COMB_THRESHOLD))
        .map(|s| s.frame)
        .collect();
    let fraction = (!moving.is_empty()).then(|| combed_frames.len() as f64 / moving.len() as f64);
    let verdict = match fraction {
        _ if moving.len() < content::MIN_SAMPLES => CombVerdict::Undetermined,
        Some(f) if f >= COMBED_FRACTION => CombVerdict::Combed,
        Some(f) if f >= INTERMITTENT_FRACTION => CombVerdict::Intermittent,
        Some(_) => CombVerdict::Progressive,
        None => CombVerdict::Undetermined,
    };
    CombEvidence {
        lines,
        moving_samples: moving.len(),
        combed_frames,
        combed_fraction: fraction,
        threshold: COMB_THRESHOLD,
        verdict,
    }
}

/// Why interlacing is plausible, or `None` when it is not.
fn interlace_reason(facts: &ClipFacts, content: &ContentSummary) -> Option<String> {
    if let Some(order @ ("tt" | "bb" | "tb" | "bt")) = facts.field_order.as_deref() {
        return Some(format!("container field order {order}"));
    }
    let combing = &content.combing;
    if !combing.combed_frames.is_empty() {
        return Some(format!(
            "combing in sampled frames ({} of {} moving samples at {} lines)",
            combing.combed_frames.len(),
            combing.moving_samples,
            combing.lines
        ));
    }
    interlace::interlace_plausible(
        facts.field_order.as_deref(),
        facts.height,
        facts.fps.unwrap_or(0.0),
        &facts.codec,
    )
    .then(|| {
        format!(
            "broadcast format ({} lines, {:.3} fps, {})",
            facts.height,
            facts.fps.unwrap_or(0.0),
            facts.codec
        )
    })
}

fn run_idet_if_plausible(
    ffmpeg: &ToolPath,
    input: &MediaInput,
    facts: &ClipFacts,
    content: &ContentSummary,
    options: &AnalyzeOptions,
) -> Result<Option<InterlaceReport>> {
    let Some(reason) = interlace_reason(facts, content) else {
        return Ok(None);
    };
    let out = ToolCommand::ffmpeg(ffmpeg)
        .args(["-v", "info", "-nostats", "-noautorotate"])
        .input(input)
        .args(["-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v"])
        .arg(options.idet_frames.to_string())
        .args(["-vf", "idet", "-f", "null", "-"])
        .timeout(options.timeout)
        .run()?;
    let Some(summary) = interlace::parse_idet(&out.stderr_text()) else {
        return Err(crate::error::Error::BadToolOutput {
            tool: Tool::Ffmpeg,
            path: input.caller_path().to_path_buf(),
            detail: "idet printed no detection summary".to_owned(),
        });
    };
    Ok(Some(InterlaceReport {
        reason,
        frames_limit: options.idet_frames,
        verdict: summary.verdict(),
        summary,
    }))
}

/// Findings from the measured content: motion blur, soft image, exposure clipping.
fn content_findings(content: &ContentSummary) -> Vec<Finding> {
    let mut out = Vec::new();
    let blur = &content.blur;
    let scale = content.scale;
    let source_px = |v: Option<f64>| v.map_or(0.0, |x| x * scale);
    match blur.level {
        MotionBlurLevel::Medium | MotionBlurLevel::High => {
            let severity = if blur.level == MotionBlurLevel::High {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let message = if blur.directional_blurred_frames.is_empty() {
                format!(
                    "{} of {} samples lose sharpness during motion (level {})",
                    blur.blurred_frames.len(),
                    blur.usable_samples,
                    level_name(blur.level)
                )
            } else {
                format!(
                    "{} of {} samples are smeared along their motion ({:.0}° at {:.1} px/frame, anisotropy {:.2}; level {})",
                    blur.blurred_frames.len(),
                    blur.usable_samples.max(content.samples.len()),
                    blur.blur_direction_deg.unwrap_or(0.0),
                    blur.median_speed_px.unwrap_or(0.0) * scale,
                    blur.blurred_anisotropy.unwrap_or(0.0),
                    level_name(blur.level)
                )
            };
            let mut finding = Finding::new(
                FindingCode::MotionBlur,
                severity,
                message,
                "track on the sharper frames and let the tracker interpolate across blurred ones; use larger patterns, blur-tolerant (affine/planar) tracks, and avoid solving on the blurred range",
            )
            .with("blurred_samples", blur.blurred_frames.len() as u64)
            .with("usable_samples", blur.usable_samples as u64)
            .with("reference_edge_spread_px", source_px(blur.reference_edge_spread_px))
            .with("median_edge_spread_px", source_px(blur.median_edge_spread_px))
            .with("median_motion", blur.median_motion.unwrap_or(0.0))
            .with("moving_samples", blur.moving_samples as u64)
            .with(
                "directional_blurred_samples",
                blur.directional_blurred_frames.len() as u64,
            )
            .with(
                "relative_blurred_samples",
                blur.relative_blurred_frames.len() as u64,
            )
            .with("median_speed_px", source_px(blur.median_speed_px));
            if let Some(a) = blur.blurred_anisotropy {
                finding = finding.with("blurred_anisotropy", a);
            }
            if let Some(d) = blur.blur_direction_deg {
                finding = finding.with("blur_direction_deg", d);
            }
            out.push(finding.frames(blur.blurred_frames.clone()));
        }
        _ => {}
    }
    if blur.soft_image {
        out.push(
            Finding::new(
                FindingCode::SoftImage,
                Severity::Warning,
                format!(
                    "the whole clip is soft in every direction: edges spread over {:.1} source pixels even in its sharpest frames, with no smear along the motion (defocus, scaling or filtering, not motion blur)",
                    source_px(blur.reference_edge_spread_px)
                ),
                "check focus and whether this is an upscaled or filtered proxy; track the original-resolution plate if there is one",
            )
            .with("reference_edge_spread_px", source_px(blur.reference_edge_spread_px))
            .with("median_motion", blur.median_motion.unwrap_or(0.0))
            .with("median_laplacian_variance", content.median_laplacian_variance.unwrap_or(0.0))
            .with("moving_samples", blur.moving_samples as u64)
            .with("median_anisotropy", blur.median_anisotropy.unwrap_or(0.0)),
        );
    }
    let (blacks, whites) = (
        content.mean_crushed_blacks.unwrap_or(0.0),
        content.mean_clipped_whites.unwrap_or(0.0),
    );
    if blacks + whites > CLIPPING_LIMIT {
        out.push(
            Finding::new(
                FindingCode::ExposureClipping,
                Severity::Warning,
                format!(
                    "{:.0} % of the picture is clipped on average ({:.0} % crushed blacks, {:.0} % clipped whites)",
                    100.0 * (blacks + whites),
                    100.0 * blacks,
                    100.0 * whites
                ),
                "clipped areas hold no trackable texture; place features elsewhere, and check whether a log/raw original holds the detail",
            )
            .with("mean_crushed_blacks", blacks)
            .with("mean_clipped_whites", whites),
        );
    }
    out
}

fn level_name(level: MotionBlurLevel) -> &'static str {
    match level {
        MotionBlurLevel::Low => "low",
        MotionBlurLevel::Medium => "medium",
        MotionBlurLevel::High => "high",
        MotionBlurLevel::Unknown => "unknown",
    }
}

/// The probe's metadata with the two analysis fields filled from evidence.
fn footage_metadata(
    probe: &FootageProbe,
    content: &ContentSummary,
    findings: &[Finding],
) -> FootageMetadata {
    FootageMetadata {
        motion_blur_level: content.blur.level,
        rolling_shutter_detected: findings
            .iter()
            .any(|f| f.code == FindingCode::RollingShutterLikely),
        ..probe.metadata.clone()
    }
}
