//! Nuke `.chan` files: `frame tx ty tz rx ry rz [vfov]` per line, degrees, Y-up,
//! rotation order not recorded (an option, default ZXY), vfov = vertical field of view.
//!
//! - [`reader`]: [`ChanReader`] (`from_path`, `from_reader`), [`parse_str`], [`read_chan`]
//! - [`writer`]: [`write_chan`], [`write_chan_file`], [`to_chan_string`]
//! - [`options`]: [`ChanOptions`] (import), [`ReadMode`]

mod fast;
mod line;
pub mod options;
pub mod reader;
pub mod writer;

pub use options::{ChanOptions, ReadMode};
pub use reader::{ChanImport, ChanReader, ChanWarning, parse_str, read_chan};
pub use writer::{ChanWriteOptions, to_chan_string, write_chan, write_chan_file};
