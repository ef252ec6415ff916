//! One store operation in a fresh process, printing its wall time and the process's
//! peak resident set (Linux `VmHWM`), for the memory figures criterion cannot give.
//!
//! ```text
//! cargo run --release -p tracking-session --example store_rss -- generate DIR TRACKS MARKERS
//! cargo run --release -p tracking-session --example store_rss -- load DIR
//! cargo run --release -p tracking-session --example store_rss -- save DIR
//! ```
//! `generate` writes `DIR/sessions/bench_shot.yaml` (also usable to time PyYAML on the
//! same file); `load` loads it; `save` loads it and saves it back (the peak then
//! includes the loaded session, as in an application).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::time::Instant;

use tracking_session::TrackingSessionManager;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (op, dir) = (args[0].as_str(), args[1].as_str());
    let manager = TrackingSessionManager::open(dir).unwrap();
    let file = manager.sessions_dir().join("bench_shot.yaml");
    let before = peak_rss_kib();
    let start = Instant::now();
    match op {
        "generate" => {
            let tracks = args[2].parse().unwrap();
            let markers = args[3].parse().unwrap();
            let mut session = common::generated_session("bench_shot", tracks, markers, 1);
            manager.save_replacing(&mut session).unwrap();
        }
        "load" => {
            let session = manager.load("bench_shot").unwrap();
            assert!(!session.tracks.is_empty());
        }
        "save" => {
            let mut session = manager.load("bench_shot").unwrap();
            let loaded = start.elapsed();
            let save_start = Instant::now();
            manager.save(&mut session).unwrap();
            println!(
                "load {:.1} ms, save {:.1} ms",
                loaded.as_secs_f64() * 1e3,
                save_start.elapsed().as_secs_f64() * 1e3
            );
        }
        other => panic!("unknown operation {other}"),
    }
    let elapsed = start.elapsed();
    let size = std::fs::metadata(&file).unwrap().len();
    let peak = peak_rss_kib();
    println!(
        "{op}: {:.1} ms, file {:.2} MB, peak RSS {:.1} MB (baseline {:.1} MB) = {:.2}× the file size",
        elapsed.as_secs_f64() * 1e3,
        size as f64 / 1e6,
        peak as f64 * 1024.0 / 1e6,
        before as f64 * 1024.0 / 1e6,
        peak as f64 * 1024.0 / size as f64
    );
}
