//! `cinematic analyze PATH [--full] [--json]`: the trackability report of one piece of
//! footage (a movie file or an image sequence).
//!
//! With `--json`, the [`AnalysisReport`] as one object (a public contract). Without it,
//! a summary and a table of findings, most severe first, each followed by its
//! recommendation.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use cinematic::footage::{AnalysisReport, AnalyzeOptions, Finding, Rational};

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::output::{self, JsonFlag};

/// Arguments of `cinematic analyze`.
#[derive(Debug, clap::Args)]
pub(crate) struct AnalyzeArgs {
    /// A movie file, an image-sequence frame or pattern (`plate.####.exr`), or a
    /// directory holding one sequence.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Decode and measure every frame instead of ~20 sampled pairs (slow).
    #[arg(long)]
    full: bool,
    /// Frame rate of an image sequence whose headers carry none (`24`, `24000/1001`).
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    fps: Option<Rational>,
    /// Seconds before a hung ffprobe/ffmpeg run is killed.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    #[command(flatten)]
    output: JsonFlag,
}

fn parse_rate(text: &str) -> Result<Rational, String> {
    Rational::parse(text)
        .filter(|r| r.is_positive())
        .ok_or_else(|| format!("`{text}` is not a positive frame rate (try 24, 25 or 24000/1001)"))
}

/// Run `cinematic analyze`.
pub(crate) fn run(args: &AnalyzeArgs, _global: &GlobalArgs) -> Result<(), CliError> {
    let mut options = AnalyzeOptions::default();
    options.full = args.full;
    options.sequence_frame_rate = args.fps;
    options.timeout = Duration::from_secs(args.timeout.max(1));
    let report = cinematic::analyze_footage(&args.path, &options)
        .map_err(|e| CliError::new(format!("cannot analyse {}", args.path.display())).source(e))?;
    if args.output.json {
        output::print_json(&report)
    } else {
        print!("{}", human_report(&report));
        Ok(())
    }
}

/// The human-readable report.
fn human_report(report: &AnalysisReport) -> String {
    let mut out = String::new();
    let m = &report.metadata;
    let _ = writeln!(
        out,
        "{}: trackability {} (score {}/100, analysis method {})",
        report.path, report.rating, report.score, report.method_version
    );
    let _ = writeln!(
        out,
        "  {}x{}, {:.3} fps, {} frames, {} {}-bit",
        m.resolution[0], m.resolution[1], m.frame_rate, m.duration_frames, m.codec, m.bit_depth
    );
    let c = &report.content;
    let number = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |x| format!("{x:.2}"));
    let _ = writeln!(
        out,
        "  {} frames measured at {}x{}: median sharpness {}, median motion {}, motion blur {}",
        c.frames_decoded,
        c.analysis_width,
        c.analysis_height,
        number(c.median_laplacian_variance),
        number(c.median_motion),
        serde_json::to_value(m.motion_blur_level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    );
    out.push('\n');
    if report.findings.is_empty() {
        out.push_str(
            "no findings: nothing in the metadata or the measured frames should hurt a track\n",
        );
    } else {
        out.push_str(&findings_table(&report.findings));
    }
    let t = &report.timings;
    let _ = writeln!(
        out,
        "\ntimings: probe {:.0} ms, decode {:.0} ms, metrics {:.0} ms, idet {:.0} ms, total {:.0} ms",
        t.probe_ms, t.decode_ms, t.metrics_ms, t.idet_ms, t.total_ms
    );
    out
}

/// `SEVERITY  CODE  FINDING` rows, each followed by an indented `→ recommendation`.
fn findings_table(findings: &[Finding]) -> String {
    let code_width = findings
        .iter()
        .map(|f| f.code.as_str().len())
        .max()
        .unwrap_or(4)
        .max("CODE".len());
    let mut out = String::new();
    let _ = writeln!(out, "{:<8}  {:<code_width$}  FINDING", "SEVERITY", "CODE");
    let indent = " ".repeat(8 + 2 + code_width + 2);
    for f in findings {
        let _ = writeln!(
            out,
            "{:<8}  {:<code_width$}  {}",
            f.severity.to_string(),
            f.code.as_str(),
            f.message
        );
        if !f.evidence.frames.is_empty() {
            let shown: Vec<String> = f
                .evidence
                .frames
                .iter()
                .take(12)
                .map(i64::to_string)
                .collect();
            let more = f.evidence.frames.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" … (+{more})")
            } else {
                String::new()
            };
            let _ = writeln!(out, "{indent}frames: {}{tail}", shown.join(", "));
        }
        let _ = writeln!(out, "{indent}→ {}", f.recommendation);
    }
    out
}
