//! A synthetic Nuke `.chan` for speed measurements: a smoothly moving, zooming camera,
//! written the way Nuke and Blender write (`%f`, tab separated), ~75 bytes a line.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `frames` lines starting at frame 1001 to `path`.
pub(crate) fn write_synthetic_chan(path: &Path, frames: u64) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    for i in 0..frames {
        let t = i as f64 * 0.01;
        writeln!(
            out,
            "{}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}",
            1001 + i,
            3.0 * t.sin() - 12.345,
            1.6 + 0.2 * (0.7 * t).cos(),
            12.25 - 0.01 * t,
            -12.5 + 8.0 * (0.3 * t).sin(),
            145.0 + 40.0 * (0.11 * t).sin(),
            7.25 * (0.05 * t).cos(),
            21.153 + 5.0 * (0.02 * t).sin(),
        )?;
    }
    out.flush()
}
