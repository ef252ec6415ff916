//! Criterion benchmarks of the YAML codec on a seed-layout session of 200 tracks ×
//! 1000 markers (≈12.5 MB of YAML, the size named in the session-store speed targets).
//!
//! Run: `cargo bench -p tracking-yaml --bench yaml_codec`. The Python baselines
//! (PyYAML `CSafeLoader` load, `yaml.dump` save of the same file) are measured by hand;
//! see the crate's `BENCHMARKS.md`.

// `criterion_group!` defines an undocumented public function; a bench may panic on
// its own generated data.
#![allow(missing_docs, clippy::expect_used)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

fn yaml_codec(c: &mut Criterion) {
    let session = bench_session(200, 1000);
    let text = to_yaml_string(&session).expect("bench session is finite");
    let limits = YamlLimits::default();
    let mut group = c.benchmark_group("yaml_codec_200x1000");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("to_yaml_string", |b| {
        b.iter(|| to_yaml_string(black_box(&session)));
    });
    group.bench_function("from_yaml_str", |b| {
        b.iter(|| from_yaml_str::<TrackingSession>(black_box(&text), &limits));
    });
    group.finish();
}

criterion_group!(benches, yaml_codec);
criterion_main!(benches);
