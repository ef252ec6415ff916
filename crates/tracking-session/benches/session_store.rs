//! End-to-end store speed: `load` and `save` (validation, lock, revision check, encode,
//! temp file, fsync, rename, directory fsync, save counter) of a generated seed-layout
//! session of 200 tracks × 1000 markers (≈ 12.5 MB), and of 10⁶ markers (≈ 62 MB).
//!
//! Peak memory is measured per process by `examples/store_rss.rs` (criterion runs many
//! iterations in one process, so its RSS says nothing about one load).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tracking_session::TrackingSessionManager;

fn bench_size(c: &mut Criterion, label: &str, tracks: usize, markers: usize, samples: usize) {
    let (_guard, root) = common::temp_root();
    let manager = TrackingSessionManager::open(&root).unwrap();
    let mut session = common::generated_session("bench_shot", tracks, markers, 1);
    manager.save(&mut session).unwrap();
    let bytes = std::fs::metadata(root.join("sessions/bench_shot.yaml"))
        .unwrap()
        .len();
    eprintln!("{label}: {tracks} tracks × {markers} markers, file {bytes} bytes");

    let mut group = c.benchmark_group(label);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(bytes));
    group.bench_function("load", |b| {
        b.iter(|| manager.load("bench_shot").unwrap());
    });
    group.bench_function("save", |b| {
        b.iter(|| manager.save(&mut session).unwrap());
    });
    group.finish();
}

fn seed_layout_12_5_mb(c: &mut Criterion) {
    bench_size(c, "session_200x1000", 200, 1000, 20);
}

fn one_million_markers(c: &mut Criterion) {
    bench_size(c, "session_1e6_markers", 1000, 1000, 10);
}

criterion_group!(benches, seed_layout_12_5_mb, one_million_markers);
criterion_main!(benches);
