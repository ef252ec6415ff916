//! Speed of the 3DEqualizer 4 track path on a synthetic 1,000-tracker × 5,000-frame
//! point export (~250 MB, 5,000,000 key lines at 3DE's 15 decimals), written to the
//! target dir (never committed): read (parse + normalise into `TrackData`; throughput
//! in bytes read), `wc -l` on the same file for scale, and write (throughput in bytes
//! written).
//!
//! `cargo bench -p tracking-io --bench tracks_speed`
//!
//! `CINEMATIC_BENCH_TRACK_FRAMES` lowers the frames per tracker (default 5,000) where
//! memory is tight.

#![allow(clippy::expect_used)] // a benchmark aborts on a broken setup
#![allow(missing_docs)] // criterion_group! generates an undocumented fn

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tracking_io::{
    ImageSize, ReadMode, TrackFormat, TrackReadOptions, TrackWriteOptions, read_tracks,
    write_tracks,
};

const TRACKERS: u64 = 1_000;
const WIDTH: u32 = 4096;
const HEIGHT: u32 = 2160;

fn frames() -> u64 {
    std::env::var("CINEMATIC_BENCH_TRACK_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000)
}

/// Writes the synthetic file the way 3DE does (`%.15f`, LF, no trailing newline).
fn write_synthetic_3de(path: &Path, frames: u64) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write!(out, "{TRACKERS}")?;
    for t in 0..TRACKERS {
        write!(out, "\nTracker {t:04}\n0\n{frames}")?;
        let (cx, cy) = (
            200.0 + (t % 40) as f64 * 90.0,
            150.0 + (t / 40) as f64 * 75.0,
        );
        for f in 0..frames {
            let a = f as f64 * 0.004 + t as f64;
            write!(
                out,
                "\n{} {:.15} {:.15}",
                f + 1,
                cx + 60.0 * a.sin(),
                cy + 40.0 * (0.7 * a).cos()
            )?;
        }
    }
    out.flush()
}

fn big_3de() -> PathBuf {
    let frames = frames();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bench_3de_v4_{TRACKERS}x{frames}.txt"));
    if !path.exists() {
        let partial = path.with_extension("partial");
        write_synthetic_3de(&partial, frames).expect("write the synthetic 3DE file");
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

fn speed(c: &mut Criterion) {
    let path = big_3de();
    let bytes = std::fs::metadata(&path).expect("stat").len();
    let size = ImageSize::new(WIDTH, HEIGHT).expect("size");
    let options = TrackReadOptions {
        format: Some(TrackFormat::Equalizer4),
        size: Some(size),
        frame_offset: 0,
        mode: ReadMode::Strict,
    };

    let mut group = c.benchmark_group("tracks_3de_v4_read");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse_and_normalise", |b| {
        b.iter(|| read_tracks(&path, &options).expect("read"));
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

    let tracks = read_tracks(&path, &options).expect("read").tracks;
    let write_options = TrackWriteOptions {
        format: TrackFormat::Equalizer4,
        size,
        first_frame: 1,
        frame_offset: 0,
        frame_rate: None,
    };
    let mut counter = CountingSink(0);
    write_tracks(&tracks, &mut counter, &write_options).expect("write");
    let mut group = c.benchmark_group("tracks_3de_v4_write");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(counter.0));
    group.bench_function("write_to_sink", |b| {
        b.iter(|| write_tracks(&tracks, std::io::sink(), &write_options).expect("write"));
    });
    group.finish();
}

/// Counts the bytes written.
struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

criterion_group!(benches, speed);
criterion_main!(benches);
