//! Analysis speed target (issue 6): the default (sampled) analysis of a 2-minute 1080p
//! H.264 clip ≤ 3 s on a 2-core machine. Also times the `full` tier once for reference.
//!
//! Run: `cargo bench -p tracking-footage --bench analyze_speed`. The clip (the same one
//! `probe_speed` uses) is generated once into `CARGO_TARGET_TMPDIR` and reused; it is
//! never committed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tracking_footage::{AnalyzeOptions, analyze_footage};

fn long_clip() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tracking-footage-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("long_1080p.mp4");
    if !path.exists() {
        eprintln!("generating a 2-minute 1080p H.264 clip (once)…");
        let made = common::long_1080p_mp4(&dir);
        assert_eq!(made, path);
    }
    path
}

fn default_analysis(c: &mut Criterion) {
    if !common::tools_available() {
        return;
    }
    let clip = long_clip();
    let options = AnalyzeOptions::default();
    // One run outside criterion to print the per-stage timings of the report.
    let started = Instant::now();
    let report = analyze_footage(&clip, &options).unwrap();
    eprintln!(
        "analyze 2-min 1080p: {:?} wall; stages {:?}; {} frames decoded ({:?})",
        started.elapsed(),
        report.timings,
        report.content.frames_decoded,
        report.content.strategy
    );
    let mut group = c.benchmark_group("analyze");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40));
    group.bench_function("default_2min_1080p_h264", |b| {
        b.iter(|| black_box(analyze_footage(&clip, &options).unwrap()));
    });
    group.finish();
}

fn full_tier_once(_: &mut Criterion) {
    if !common::tools_available() || std::env::var_os("ANALYZE_BENCH_FULL").is_none() {
        return;
    }
    let clip = long_clip();
    let mut options = AnalyzeOptions::default();
    options.full = true;
    options.timeout = Duration::from_secs(600);
    let started = Instant::now();
    let report = analyze_footage(&clip, &options).unwrap();
    eprintln!(
        "analyze --full 2-min 1080p: {:?} wall, {} frames; stages {:?}",
        started.elapsed(),
        report.content.frames_decoded,
        report.timings
    );
}

criterion_group!(benches, default_analysis, full_tier_once);
criterion_main!(benches);
