//! Speed of the `.chan` path on a 1,000,000-frame (~75 MB) synthetic file written to
//! the target dir (never committed): import (parse + convert to Blender; throughput in
//! bytes read), `wc -l` on the same file for scale, and export (throughput in bytes
//! written).
//!
//! `cargo bench -p tracking-io --bench chan_speed`
//!
//! End to end through the CLI: `cargo run --release -p tracking-io --example
//! generate_big_chan -- /tmp/big.chan`, then `time cinematic chan import /tmp/big.chan`.

#![allow(clippy::expect_used)] // a benchmark aborts on a broken setup
#![allow(missing_docs)] // criterion_group! generates an undocumented fn

mod synthetic;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tracking_io::{ChanOptions, ChanWriteOptions, read_chan, write_chan};

const FRAMES: u64 = 1_000_000;

fn big_chan() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench_1m_frames.chan");
    if !path.exists() {
        synthetic::write_synthetic_chan(&path, FRAMES).expect("write the synthetic .chan");
    }
    path
}

fn speed(c: &mut Criterion) {
    let path = big_chan();
    let bytes = std::fs::metadata(&path).expect("stat").len();

    // Import: throughput counts the bytes read.
    let mut group = c.benchmark_group("chan_import_1m_frames");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse_and_convert_to_blender", |b| {
        b.iter(|| read_chan(&path, ChanOptions::default()).expect("import"));
    });
    group.bench_function("wc_l_same_file", |b| {
        b.iter(|| {
            Command::new("wc")
                .arg("-l")
                .arg(&path)
                .output()
                .expect("wc")
        });
    });
    group.finish();

    // Export: throughput counts the bytes written.
    let track = read_chan(&path, ChanOptions::default())
        .expect("import")
        .track;
    let mut written = Vec::new();
    write_chan(&track, &mut written, &ChanWriteOptions::default()).expect("export");
    let mut group = c.benchmark_group("chan_export_1m_frames");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(written.len() as u64));
    group.bench_function("zxy_y_up", |b| {
        b.iter(|| {
            write_chan(&track, std::io::sink(), &ChanWriteOptions::default()).expect("export");
        });
    });
    group.finish();
}

criterion_group!(benches, speed);
criterion_main!(benches);
