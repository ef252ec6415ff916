//! The packet pass (deep mode): `ffprobe -show_entries packet=pts,dts,duration,flags
//! -of csv` over the video stream, no decoding.
//!
//! It gives the exact frame count (one packet per frame for the video codecs we
//! meet), the VFR verdict (a pts drift test against the constant-rate grid, not
//! `r != avg`), discontinuities, the keyframe interval, and the truncation check: a
//! packet the demuxer could only read partly (`partial file`) is not a frame.

use crate::error::{Error, Result, ToolOutputError};
use crate::ffprobe::list_packets;
use crate::input::MediaInput;
use crate::rational::Rational;
use crate::tool::{Tool, ToolPath};
use crate::types::{
    Discontinuity, FootageProbe, FrameCountSource, MAX_LISTED_DISCONTINUITIES, PacketStats,
    ProbeOptions, Truncation, VfrReport, VfrVerdict,
};

/// One listed packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packet {
    /// Presentation timestamp, or the decode timestamp when pts is absent.
    pub timestamp: Option<i64>,
    /// Duration in time-base units.
    pub duration: Option<i64>,
    /// Keyframe flag.
    pub keyframe: bool,
}

/// Parse `pts,dts,duration,flags` lines (ffprobe's csv with `p=0`). Blank lines are
/// skipped; a line with another number of fields is an error naming its line number
/// (1-based, blank lines counted).
pub(crate) fn parse_packet_csv(text: &str) -> Result<Vec<Packet>, ToolOutputError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let line = line.trim();
            let fields: Vec<&str> = line.split(',').collect();
            let [pts, dts, duration, flags] = fields[..] else {
                return Err(ToolOutputError::PacketFields {
                    line: n + 1,
                    found: fields.len(),
                    text: line.to_owned(),
                });
            };
            let number = |f: &str| f.trim().parse::<i64>().ok();
            Ok(Packet {
                timestamp: number(pts).or_else(|| number(dts)),
                duration: number(duration),
                keyframe: flags.contains('K'),
            })
        })
        .collect()
}

/// Run the packet pass and fold its findings into `probe`.
pub(crate) fn apply_packet_pass(
    probe: &mut FootageProbe,
    ffprobe: &ToolPath,
    input: &MediaInput,
    options: &ProbeOptions,
) -> Result<()> {
    let bad_output = |detail: String| Error::BadToolOutput {
        tool: Tool::Ffprobe,
        path: input.caller_path().to_path_buf(),
        detail,
    };
    let stream = probe
        .video_stream_index
        .map_or_else(|| "v:0".to_owned(), |i| i.to_string());
    let output = list_packets(ffprobe, input, &stream, options.timeout)?;
    let packets = parse_packet_csv(&String::from_utf8_lossy(&output.stdout)).map_err(|error| {
        Error::UnparsableOutput {
            tool: Tool::Ffprobe,
            path: input.caller_path().to_path_buf(),
            error,
        }
    })?;
    if !output.success && packets.is_empty() {
        return Err(Error::ToolFailed {
            tool: Tool::Ffprobe,
            path: input.caller_path().to_path_buf(),
            exit_code: output.exit_code,
            message: output.stderr_text(),
        });
    }
    let stderr = output.stderr_text();
    let partial = u64::try_from(stderr.matches("partial file").count()).unwrap_or(u64::MAX);
    let time_base = probe
        .time_base
        .ok_or_else(|| bad_output("video stream has no time_base".to_owned()))?;
    fold_packets(probe, &packets, partial, time_base);
    Ok(())
}

/// Fold a packet listing into the probe: exact count, VFR report, truncation.
pub(crate) fn fold_packets(
    probe: &mut FootageProbe,
    packets: &[Packet],
    partial: u64,
    time_base: Rational,
) {
    let listed = packets.len() as u64;
    let partial = partial.min(listed);
    let complete = &packets[..packets.len() - partial as usize];
    let exact = complete.len() as u64;
    let nominal = 1.0 / probe.rate.fps;

    let mut times: Vec<(i64, Option<i64>)> = complete
        .iter()
        .filter_map(|p| Some((p.timestamp?, p.duration)))
        .collect();
    times.sort_unstable_by_key(|t| t.0);
    let ticks: Vec<i64> = times.iter().map(|t| t.0).collect();
    let span_seconds = match (times.first(), times.last()) {
        (Some(first), Some(last)) => {
            let last_duration = last
                .1
                .filter(|d| *d > 0)
                .map_or(nominal, |d| ticks_to_seconds(i128::from(d), time_base));
            Some(
                ticks_to_seconds(i128::from(last.0) - i128::from(first.0), time_base)
                    + last_duration,
            )
        }
        _ => None,
    };
    probe.vfr = vfr_report(
        &ticks,
        time_base,
        probe.rate.rational,
        probe.vfr.header_rates_disagree,
    );

    let (interval_min, interval_max) = keyframe_intervals(complete);
    probe.packets = Some(PacketStats {
        packet_count: listed,
        partial_packets: partial,
        keyframes: complete.iter().filter(|p| p.keyframe).count() as u64,
        keyframe_interval_min: interval_min,
        keyframe_interval_max: interval_max,
        time_base,
        span_seconds,
        mean_fps: span_seconds.filter(|s| *s > 0.0).map(|s| exact as f64 / s),
    });
    probe.frame_counts.exact = Some(exact);
    probe.frame_counts.used = FrameCountSource::Exact;
    probe.metadata.duration_frames = exact;
    if let Some(span) = span_seconds {
        probe.metadata.duration_seconds = span;
    }
    let promised = probe
        .frame_counts
        .header
        .or(probe.frame_counts.from_duration.filter(|_| partial > 0));
    probe.truncation = promised
        .filter(|&h| h > exact)
        .map(|header_frames| Truncation {
            header_frames,
            file_frames: exact,
            partial_packets: partial,
            message: format!("header says {header_frames}, file holds {exact}"),
        });
}

/// `ticks × time_base` in seconds, rounded once (`ticks` is a difference of two
/// `i64` timestamps, so it needs the wider type).
fn ticks_to_seconds(ticks: i128, time_base: Rational) -> f64 {
    match ticks.checked_mul(i128::from(time_base.num)) {
        Some(product) => product as f64 / time_base.den as f64,
        None => ticks as f64 * time_base.to_f64(),
    }
}

/// The drift test on sorted presentation timestamps (in `time_base` ticks): each
/// frame's distance from `first + i / rate`; more than half a frame anywhere means
/// variable frame rate. Computed in exact integer arithmetic, rounded once at the end.
/// Timestamps, time base and rate come from the file: when they are so large that
/// the exact arithmetic would overflow (no real stream comes near), the verdict is
/// [`VfrVerdict::NotChecked`] rather than a guess.
pub(crate) fn vfr_report(
    ticks: &[i64],
    time_base: Rational,
    rate: Rational,
    header_rates_disagree: bool,
) -> VfrReport {
    let not_checked = VfrReport {
        verdict: VfrVerdict::NotChecked,
        header_rates_disagree,
        min_fps: None,
        max_fps: None,
        max_drift_frames: None,
        discontinuity_count: 0,
        discontinuities: Vec::new(),
    };
    if ticks.is_empty() {
        return not_checked;
    }
    exact_vfr_report(ticks, time_base, rate, header_rates_disagree).unwrap_or(not_checked)
}

/// [`vfr_report`] on a non-empty listing; `None` when the exact arithmetic overflows.
fn exact_vfr_report(
    ticks: &[i64],
    time_base: Rational,
    rate: Rational,
    header_rates_disagree: bool,
) -> Option<VfrReport> {
    let first = i128::from(*ticks.first()?);
    let mut report = VfrReport {
        verdict: VfrVerdict::Constant,
        header_rates_disagree,
        min_fps: None,
        max_fps: None,
        max_drift_frames: None,
        discontinuity_count: 0,
        discontinuities: Vec::new(),
    };
    // Frames elapsed = ticks × tb × rate = ticks × (tb.num·rate.num) / (tb.den·rate.den).
    // Each product of two i64 fits an i128; anything further is checked.
    let frame_num = i128::from(time_base.num) * i128::from(rate.num);
    let frame_den = i128::from(time_base.den) * i128::from(rate.den);
    let in_frames = |numerator: i128| numerator as f64 / frame_den as f64;
    let mut max_drift = 0i128;
    for (i, &t) in ticks.iter().enumerate() {
        let elapsed = (i128::from(t) - first).checked_mul(frame_num)?;
        let expected = i128::try_from(i).ok()?.checked_mul(frame_den)?;
        max_drift = max_drift.max(elapsed.checked_sub(expected)?.checked_abs()?);
    }
    report.max_drift_frames = Some(in_frames(max_drift));
    if max_drift.checked_mul(2)? > frame_den {
        report.verdict = VfrVerdict::Variable;
    }
    let deltas: Vec<i128> = ticks
        .windows(2)
        .map(|w| i128::from(w[1]) - i128::from(w[0]))
        .collect();
    let fps_of = |delta: i128| {
        (delta > 0).then(|| time_base.den as f64 / (delta as f64 * time_base.num as f64))
    };
    report.min_fps = deltas.iter().copied().max().and_then(fps_of);
    report.max_fps = deltas
        .iter()
        .copied()
        .filter(|d| *d > 0)
        .min()
        .and_then(fps_of);
    let three_halves = frame_den.checked_mul(3)?;
    for (i, &delta) in deltas.iter().enumerate() {
        let gap = delta.checked_mul(frame_num)?;
        let twice = gap.checked_mul(2)?;
        // Normal: half a frame ≤ gap ≤ one and a half frames.
        if twice < frame_den || twice > three_halves {
            report.discontinuity_count += 1;
            if report.discontinuities.len() < MAX_LISTED_DISCONTINUITIES {
                report.discontinuities.push(Discontinuity {
                    frame: i as u64 + 1,
                    at_seconds: ticks_to_seconds(i128::from(ticks[i + 1]) - first, time_base),
                    gap_frames: in_frames(gap),
                });
            }
        }
    }
    Some(report)
}

fn keyframe_intervals(packets: &[Packet]) -> (Option<u64>, Option<u64>) {
    let positions: Vec<usize> = packets
        .iter()
        .enumerate()
        .filter(|(_, p)| p.keyframe)
        .map(|(i, _)| i)
        .collect();
    let gaps = positions.windows(2).map(|w| (w[1] - w[0]) as u64);
    let min = gaps.clone().min();
    let max = gaps.max();
    match (min, max) {
        (None, None) if positions.len() == 1 => {
            // A single keyframe: the whole stream is one GOP.
            let n = packets.len() as u64;
            (Some(n), Some(n))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_with_missing_values_parse() {
        let packets = parse_packet_csv("0,N/A,41,K_\n167,N/A,41,__\nN/A,83,41,__\n").unwrap();
        assert_eq!(packets.len(), 3);
        assert_eq!(packets[0].timestamp, Some(0));
        assert!(packets[0].keyframe);
        assert_eq!(
            packets[2].timestamp,
            Some(83),
            "dts stands in for a missing pts"
        );
        assert!(parse_packet_csv("1,2,3\n").is_err());
    }

    #[test]
    fn a_packet_line_with_three_fields_is_an_error_naming_its_line_once() {
        let err = parse_packet_csv("0,N/A,41,K_\n\n 1,2,3 \n").unwrap_err();
        assert_eq!(
            err,
            ToolOutputError::PacketFields {
                line: 3,
                found: 3,
                text: "1,2,3".to_owned(),
            }
        );
        let text = err.to_string();
        assert_eq!(
            text,
            r#"packet listing line 3: expected 4 fields (pts,dts,duration,flags), found 3 in "1,2,3""#
        );
        assert_eq!(text.matches("line").count(), 1, "{text}");
    }

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn timestamps_on_the_grid_are_constant_rate() {
        // 23.976 in Matroska: millisecond ticks, rounded, far below half a frame.
        let ticks: Vec<i64> = (0..48)
            .map(|i| ((i as f64 * 1001.0 / 24.0).round()) as i64)
            .collect();
        let report = vfr_report(&ticks, r(1, 1000), r(24000, 1001), false);
        assert_eq!(report.verdict, VfrVerdict::Constant);
        assert_eq!(report.discontinuity_count, 0);
        let exact: Vec<i64> = (0..24).map(|i| i * 1001).collect();
        let report = vfr_report(&exact, r(1, 24000), r(24000, 1001), false);
        assert_eq!(report.max_drift_frames, Some(0.0));
        assert_eq!(report.min_fps, Some(24000.0 / 1001.0));
        assert_eq!(report.max_fps, Some(24000.0 / 1001.0));
    }

    #[test]
    fn a_rate_change_is_variable_with_its_discontinuities_named() {
        // 12 frames at 24 fps then 24 frames at 48 fps, nominal 48, time base 1/48.
        let mut ticks: Vec<i64> = (0..12).map(|i| i * 2).collect();
        ticks.extend((0..24).map(|i| 24 + i));
        let report = vfr_report(&ticks, r(1, 48), r(48, 1), true);
        assert_eq!(report.verdict, VfrVerdict::Variable);
        assert_eq!(report.discontinuity_count, 12);
        assert_eq!(report.discontinuities[0].frame, 1);
        assert_eq!(report.discontinuities[11].frame, 12);
        assert_eq!(report.discontinuities[0].gap_frames, 2.0);
        assert_eq!(report.min_fps, Some(24.0));
        assert_eq!(report.max_fps, Some(48.0));
        assert_eq!(report.max_drift_frames, Some(12.0));
    }

    #[test]
    fn a_dropped_frame_is_one_discontinuity() {
        let ticks: Vec<i64> = (0..10).filter(|&i| i != 5).collect();
        let report = vfr_report(&ticks, r(1, 25), r(25, 1), false);
        assert_eq!(report.verdict, VfrVerdict::Variable);
        assert_eq!(report.discontinuity_count, 1);
        assert_eq!(report.discontinuities[0].frame, 5);
        assert_eq!(report.discontinuities[0].at_seconds, 0.24);
        assert_eq!(report.discontinuities[0].gap_frames, 2.0);
    }

    #[test]
    fn timestamps_and_rates_too_large_for_exact_arithmetic_are_not_checked() {
        let ticks = [i64::MIN, 0, i64::MAX];
        let report = vfr_report(&ticks, r(i64::MAX, 1), r(i64::MAX, 1), false);
        assert_eq!(report.verdict, VfrVerdict::NotChecked);
        assert_eq!(report.max_drift_frames, None);
        // Extreme timestamps alone are still measured exactly.
        let report = vfr_report(&ticks, r(1, 1), r(1, 1), false);
        assert_eq!(report.verdict, VfrVerdict::Variable);
        assert!(ticks_to_seconds(i128::from(i64::MAX) * 2, r(i64::MAX, 1)) > 0.0);
    }

    #[test]
    fn keyframe_intervals_count_packets_between_keyframes() {
        let p = |k| Packet {
            timestamp: Some(0),
            duration: None,
            keyframe: k,
        };
        let packets = [p(true), p(false), p(false), p(true), p(false), p(true)];
        assert_eq!(keyframe_intervals(&packets), (Some(2), Some(3)));
        assert_eq!(keyframe_intervals(&[p(true), p(false)]), (Some(2), Some(2)));
        assert_eq!(keyframe_intervals(&[p(false)]), (None, None));
    }
}
