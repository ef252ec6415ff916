//! The Rust side of `bench/bench_chan.py`: times the library call the Python
//! `import_nuke_chan` wraps, `cinematic::import_nuke_chan(path)` (read, convert to
//! Blender's world, build the `SolveData`), on the same file.
//!
//! `cargo run --release -p cinematic-py --example chan_import_timing -- FILE.chan [RUNS]`
//! prints one line: `rust import_nuke_chan: best X s, median Y s over N runs, F frames`.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: chan_import_timing FILE.chan [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut times = Vec::with_capacity(runs);
    let mut frames = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let solve = match cinematic::import_nuke_chan(&path) {
            Ok(solve) => solve,
            Err(err) => {
                eprintln!("error: {err}");
                std::process::exit(1);
            }
        };
        // The clock stops before the solve is dropped, as in the Python bench.
        times.push(started.elapsed().as_secs_f64());
        frames = solve.camera_transforms.len();
        drop(solve);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "rust import_nuke_chan: best {:.4} s, median {:.4} s over {} runs, {frames} frames",
        times[0],
        times[times.len() / 2],
        times.len()
    );
}
