//! `cinematic probe PATH… [--deep] [--json]`: footage metadata per path.
//!
//! With `--json`, one object for one path and an array for several (each element a
//! probe result, or `{"path", "error"}` for a path that failed). Results are cached in
//! `<state root>/footage/` (unless `--no-cache`). A progress bar is drawn on stderr
//! for batches, only when stderr is a terminal. Any failed path makes the exit code
//! non-zero.
//!
//! The cache is optional: on a read-only or immutable state root, or when another
//! process holds the state-root lock for more than a second, the probe results are
//! still printed and one line goes to stderr:
//! `note: probe cache not written: <path>: <reason>` (with how many other paths were
//! not cached either, when there were several).

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use cinematic::footage::{
    BatchOptions, FootageProbe, ProbeCache, ProbeOptions, ProbeOutcome, Rational, UnratedSequence,
    VfrVerdict, probe_many_with_outcomes, probe_unrated,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::GlobalArgs;
use crate::cli_error::CliError;
use crate::output::{self, JsonFlag};

/// Arguments of `cinematic probe`.
#[derive(Debug, clap::Args)]
pub(crate) struct ProbeArgs {
    /// Movie files, image-sequence frames or patterns (`plate.%04d.exr`,
    /// `plate.####.exr`), or directories holding one sequence.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Also run the packet pass: exact frame count, VFR test, keyframe interval,
    /// truncation check (reads every packet, no decoding).
    #[arg(long)]
    deep: bool,
    /// Frame rate of image sequences whose headers carry none (e.g. `24`, `24000/1001`).
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    fps: Option<Rational>,
    /// Seconds before a hung ffprobe is killed.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// Parallel probes (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Do not read or write the probe cache.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    output: JsonFlag,
}

fn parse_rate(text: &str) -> Result<Rational, String> {
    let rate = Rational::parse(text)
        .or_else(|| decimal_rate(text))
        .ok_or_else(|| format!("`{text}` is not a frame rate (try 24, 25 or 24000/1001)"))?;
    if rate.is_positive() {
        Ok(rate)
    } else {
        Err(format!("frame rate must be positive, got `{text}`"))
    }
}

/// `23.976` → 23976/1000 (exactly what was typed; no guessing of 24000/1001).
fn decimal_rate(text: &str) -> Option<Rational> {
    let (whole, fraction) = text.trim().split_once('.')?;
    if fraction.is_empty() || fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let den = 10i64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let num = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(den)?
        .checked_add(fraction.parse::<i64>().ok()?)?;
    Rational::new(num, den)
}

/// Run `cinematic probe`.
pub(crate) fn run(args: &ProbeArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let options = BatchOptions {
        probe: ProbeOptions {
            deep: args.deep,
            timeout: Duration::from_secs(args.timeout.max(1)),
            sequence_frame_rate: args.fps,
            ..ProbeOptions::default()
        },
        workers: args.jobs,
    };
    let cache = (!args.no_cache).then(|| ProbeCache::new(&global.state_root));
    let progress = progress_bar(args.paths.len());
    let outcomes = probe_many_with_outcomes(&args.paths, &options, cache.as_ref(), &|_, _| {
        progress.inc(1);
    });
    progress.finish_and_clear();
    print_cache_notice(&outcomes);
    // A sequence without a frame rate is still probed: everything but the rate, with a
    // `frame_rate_unknown` finding saying how to give it.
    let results: Vec<Result<Probed, cinematic::footage::Error>> = outcomes
        .into_iter()
        .zip(&args.paths)
        .map(|(r, path)| match r {
            Ok((probe, _)) => Ok(Probed::Rated(Box::new(probe))),
            Err(err @ cinematic::footage::Error::SequenceFrameRateUnknown { .. }) => {
                match probe_unrated(path, &options.probe) {
                    Ok(Some(unrated)) => Ok(Probed::Unrated(Box::new(unrated))),
                    Ok(None) => Err(err),
                    Err(other) => Err(other),
                }
            }
            Err(other) => Err(other),
        })
        .collect();

    let failures = results.iter().filter(|r| r.is_err()).count();
    if args.output.json {
        print_json(&args.paths, &results)?;
    } else {
        for result in results.iter().flatten() {
            match result {
                Probed::Rated(probe) => print_human(probe),
                Probed::Unrated(unrated) => print_unrated(unrated),
            }
        }
    }
    if args.paths.len() == 1 {
        if let Some(Err(err)) = results.into_iter().next() {
            return Err(CliError::from(err));
        }
        return Ok(());
    }
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        eprintln!("error: {err}");
    }
    if failures > 0 {
        return Err(CliError::new(format!(
            "{failures} of {} paths could not be probed",
            args.paths.len()
        )));
    }
    Ok(())
}

/// One `note:` line on stderr when cache entries could not be written.
fn print_cache_notice(outcomes: &[ProbeOutcome]) {
    let mut notices = outcomes
        .iter()
        .filter_map(|r| r.as_ref().ok().and_then(|(_, outcome)| outcome.notice()));
    let Some(first) = notices.next() else {
        return;
    };
    match notices.count() {
        0 => eprintln!("note: {first}"),
        more => eprintln!("note: {first} (and {more} more path(s) not cached)"),
    }
}

fn progress_bar(total: usize) -> ProgressBar {
    if total < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("probing {bar:30} {pos}/{len} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// What one path gave: a full probe, or a sequence without a frame rate.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Probed {
    Rated(Box<FootageProbe>),
    Unrated(Box<UnratedSequence>),
}

/// One element of the JSON output: a probe result, or the path and its error.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum JsonItem<'a> {
    Probed(&'a Probed),
    Failed { path: String, error: String },
}

fn print_json(
    paths: &[PathBuf],
    results: &[Result<Probed, cinematic::footage::Error>],
) -> Result<(), CliError> {
    let items: Vec<JsonItem<'_>> = paths
        .iter()
        .zip(results)
        .map(|(path, result)| match result {
            Ok(probe) => JsonItem::Probed(probe),
            Err(err) => JsonItem::Failed {
                path: path.to_string_lossy().into_owned(),
                error: err.to_string(),
            },
        })
        .collect();
    match items.as_slice() {
        [JsonItem::Probed(probe)] => output::print_json(probe),
        [JsonItem::Failed { .. }] => Ok(()),
        _ => output::print_json(&items),
    }
}

fn print_unrated(u: &UnratedSequence) {
    let depth = match u.bit_depth {
        0 => "unknown depth".to_owned(),
        d => format!("{d}-bit"),
    };
    let pix_fmt = u
        .pix_fmt
        .as_deref()
        .or(u.pixel_format.as_ref().map(|f| f.name.as_str()))
        .unwrap_or("?");
    println!(
        "{}: {}x{} {} {depth} {pix_fmt}, frame rate unknown, {} frames",
        u.path, u.resolution[0], u.resolution[1], u.codec, u.duration_frames
    );
    println!(
        "  sequence {} frames {}",
        u.sequence.hash_pattern, u.sequence.frame_range
    );
    for finding in &u.findings {
        println!("  {}: {}", finding.severity, finding.message);
        println!("    -> {}", finding.recommendation);
    }
}

fn print_human(p: &FootageProbe) {
    let m = &p.metadata;
    let depth = match m.bit_depth {
        0 => "unknown depth".to_owned(),
        d => format!("{d}-bit"),
    };
    let pix_fmt = p
        .pix_fmt
        .as_deref()
        .or(p.pixel_format.as_ref().map(|f| f.name.as_str()))
        .unwrap_or("?");
    println!(
        "{}: {}x{} {} {depth} {pix_fmt}, {} ({:.3} fps), {} frames ({:.3} s)",
        p.path,
        m.resolution[0],
        m.resolution[1],
        m.codec,
        p.rate.rational,
        p.rate.fps,
        m.duration_frames,
        m.duration_seconds
    );
    if let Some(tc) = &p.timecode {
        println!(
            "  timecode {}{}",
            tc.value,
            if tc.drop_frame { " (drop-frame)" } else { "" }
        );
    }
    if let Some(seq) = &p.sequence {
        println!("  sequence {} frames {}", seq.hash_pattern, seq.frame_range);
        if seq.missing_count > 0 {
            println!("  warning: {} missing frame(s)", seq.missing_count);
        }
        if let Some(mismatch) = &seq.mismatch {
            println!("  warning: {mismatch}");
        }
        if let Some(mixed) = &seq.mixed_padding {
            println!("  warning: {}", mixed.message);
        }
    }
    if p.orientation.rotation_cw != 0 || p.orientation.flip_horizontal {
        println!(
            "  rotated {}° clockwise{}; displays as {}x{}",
            p.orientation.rotation_cw,
            if p.orientation.flip_horizontal {
                ", mirrored"
            } else {
                ""
            },
            p.display_size[0],
            p.display_size[1]
        );
    }
    if p.field_order.is_interlaced() {
        println!("  warning: interlaced ({:?})", p.field_order);
    }
    match p.vfr.verdict {
        VfrVerdict::Variable => println!(
            "  warning: variable frame rate ({} discontinuities)",
            p.vfr.discontinuity_count
        ),
        VfrVerdict::NotChecked if p.vfr.header_rates_disagree => {
            println!("  note: header rates disagree; run with --deep to test for VFR");
        }
        _ => {}
    }
    if let Some(t) = &p.truncation {
        println!("  warning: truncated: {}", t.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rates_parse_as_typed() {
        assert_eq!(parse_rate("24"), Ok(Rational::new(24, 1).unwrap()));
        assert_eq!(
            parse_rate("24000/1001"),
            Ok(Rational::new(24000, 1001).unwrap())
        );
        assert_eq!(
            parse_rate("23.976"),
            Ok(Rational::new(23976, 1000).unwrap())
        );
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("-24").is_err());
    }
}
