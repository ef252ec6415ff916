//! Writes the synthetic speed-test `.chan` (default 1,000,000 frames, ~75 MB).
//!
//! `cargo run --release -p tracking-io --example generate_big_chan -- OUT.chan [FRAMES]`
//! Never commit the output.

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: generate_big_chan OUT.chan [FRAMES]");
        std::process::exit(2);
    };
    let frames = match args.next().map(|f| f.parse::<u64>()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("FRAMES: {e}");
            std::process::exit(2);
        }
    };
    synthetic::write_synthetic_chan(std::path::Path::new(&out), frames)
}
