//! Criterion benchmarks of the YAML codec on a seed-layout session of 200 tracks ×
//! 1000 markers (≈12.5 MB of YAML, the size named in the session-store speed targets).
//!
//! Run: `cargo bench -p tracking-yaml --bench yaml_codec`. The Python baselines
//! (PyYAML `CSafeLoader` load, `yaml.dump` save of the same file) are measured by hand;
//! see the crate's `BENCHMARKS.md`.
//!
//! It also compares the reader's two paths on the same session: `from_yaml_str` reads
//! the block text on the fast path, `from_yaml_str_serde_yaml_fallback` reads the same
//! text behind a `%YAML 1.1` directive, which the fast path declines, so `serde_yaml`
//! reads it (alias/depth guard, syntax pass, data pass). After criterion, each path
//! reads once more in a process of its own (this binary again, with
//! `YAML_CODEC_RSS=<file>`), which reports its peak resident set (`VmHWM` in
//! `/proc/self/status`) before and after the read.

// `criterion_group!` defines an undocumented public function; a bench may panic on
// its own generated data.
#![allow(missing_docs, clippy::expect_used)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use tracking_types::{TrackData, TrackingSession};
use tracking_yaml::{YamlLimits, from_yaml_str, to_yaml_string};

/// A deterministic pseudo-random float in `0..1` with full 53-bit precision
/// (SplitMix64), so the text has realistic 16–18 digit floats.
fn unit_float(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn bench_session(tracks: usize, markers: i64) -> TrackingSession {
    let mut state = 7u64;
    let mut session = TrackingSession::new("bench");
    session.footage_path = "/shots/plate.%04d.exr".to_owned();
    session.frame_start = 1001;
    session.frame_end = 1000 + markers;
    session.current_frame = 1001;
    session.tracks = (0..tracks)
        .map(|t| {
            let mut track = TrackData::new(format!("Track.{t:03}"));
            track.correlation = 0.85;
            track.markers = (1001..1001 + markers)
                .map(|f| (f, [unit_float(&mut state), unit_float(&mut state)]))
                .collect::<BTreeMap<_, _>>();
            track
        })
        .collect();
    session
}

/// Makes the fast path decline the text (it reads no directives); `serde_yaml` reads it.
const FALLBACK_PREFIX: &str = "%YAML 1.1\n---\n";

/// The session under test and its YAML text.
fn session_and_text() -> (TrackingSession, String) {
    let session = bench_session(200, 1000);
    let text = to_yaml_string(&session).expect("bench session is finite");
    (session, text)
}

fn yaml_codec(c: &mut Criterion) {
    let (session, text) = session_and_text();
    let fallback_text = format!("{FALLBACK_PREFIX}{text}");
    let limits = YamlLimits::default();
    // Both paths read the same value (checked here, not assumed).
    let via_fallback: TrackingSession =
        from_yaml_str(&fallback_text, &limits).expect("fallback reads the session");
    assert_eq!(
        via_fallback, session,
        "the fallback read a different session"
    );
    let mut group = c.benchmark_group("yaml_codec_200x1000");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("to_yaml_string", |b| {
        b.iter(|| to_yaml_string(black_box(&session)));
    });
    group.bench_function("from_yaml_str", |b| {
        b.iter(|| from_yaml_str::<TrackingSession>(black_box(&text), &limits));
    });
    group.bench_function("from_yaml_str_serde_yaml_fallback", |b| {
        b.iter(|| from_yaml_str::<TrackingSession>(black_box(&fallback_text), &limits));
    });
    group.finish();
}

/// Peak resident set of this process in KiB (`VmHWM`), 0 when unknown.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Child mode: read `file` once and print `baseline_kib peak_kib millis`.
fn measure_one_read(file: &str) {
    let text = std::fs::read_to_string(file).expect("bench text");
    let baseline = peak_rss_kib();
    let start = Instant::now();
    let session: TrackingSession =
        from_yaml_str(&text, &YamlLimits::default()).expect("the session reads");
    let millis = start.elapsed().as_millis();
    let peak = peak_rss_kib();
    black_box(&session);
    println!("{baseline} {peak} {millis}");
}

/// Runs each read path in a process of its own and prints its peak RSS.
fn peak_rss_per_path() {
    let (_, text) = session_and_text();
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("bench binary");
    println!(
        "\npeak RSS per read path (one read of {} bytes, own process each):",
        text.len()
    );
    for (name, prefix) in [("fast path", ""), ("serde_yaml fallback", FALLBACK_PREFIX)] {
        let file = dir.path().join(format!("{}.yaml", name.replace(' ', "_")));
        std::fs::write(&file, format!("{prefix}{text}")).expect("write bench text");
        let out = Command::new(&exe)
            .env("YAML_CODEC_RSS", &file)
            .output()
            .expect("bench child runs");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<u64> = report
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if let [baseline, peak, millis] = fields[..] {
            println!(
                "  {name:<20} peak {:>7.1} MiB (text loaded: {:>6.1} MiB, read adds {:>7.1} MiB), one read {millis} ms",
                peak as f64 / 1024.0,
                baseline as f64 / 1024.0,
                peak.saturating_sub(baseline) as f64 / 1024.0,
            );
        }
    }
}

criterion_group!(benches, yaml_codec);

fn main() {
    if let Ok(file) = std::env::var("YAML_CODEC_RSS") {
        measure_one_read(&file);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only under `cargo bench` (not when `cargo test --benches` smoke-runs this).
    if std::env::args().any(|a| a == "--bench") {
        peak_rss_per_path();
    }
}
