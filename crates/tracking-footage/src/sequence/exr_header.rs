//! Reading OpenEXR headers with the `exr` crate: sample types (half/float/uint), data
//! and display windows, pixel aspect, and the `framesPerSecond` / `timeCode`
//! attributes. Only the header is read, never the pixels.
//!
//! The file is opened through the crate's one input check (`input::open_input`: a
//! FIFO, device, socket or directory named like a frame is a typed error, never a
//! blocked read) and at most [`MAX_EXR_HEADER_BYTES`] of it are read.

use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};
use crate::input::open_input;
use crate::rational::Rational;
use crate::timecode::{Timecode, TimecodeSource};
use crate::types::{ExrChannel, ExrHeaderInfo};

/// Most bytes of an EXR file read for its header: real headers are kilobytes (a
/// preview image makes them larger); a "header" that runs on past this is damage.
pub(crate) const MAX_EXR_HEADER_BYTES: u64 = 64 << 20;

/// Read the header of the EXR file at `path`.
pub(crate) fn read_exr_header(path: &Path) -> Result<ExrHeaderInfo> {
    let bad = |detail: String| Error::ExrHeader {
        path: path.to_path_buf(),
        detail,
    };
    let input = open_input(path, u64::MAX)?;
    let limited = BufReader::new(input.file.take(MAX_EXR_HEADER_BYTES));
    let meta = exr::meta::MetaData::read_from_buffered(limited, false).map_err(|e| {
        if input.metadata.len() > MAX_EXR_HEADER_BYTES {
            bad(format!(
                "{e} (within the first {MAX_EXR_HEADER_BYTES} bytes, the most read for a header)"
            ))
        } else {
            bad(e.to_string())
        }
    })?;
    let header = meta
        .headers
        .first()
        .ok_or_else(|| bad("no parts".to_owned()))?;
    let channels: Vec<ExrChannel> = header
        .channels
        .list
        .iter()
        .map(|c| ExrChannel {
            name: c.name.to_string(),
            sample_type: match c.sample_type {
                exr::meta::attribute::SampleType::F16 => "half",
                exr::meta::attribute::SampleType::F32 => "float",
                exr::meta::attribute::SampleType::U32 => "uint",
            }
            .to_owned(),
        })
        .collect();
    let bit_depth = channels
        .iter()
        .map(|c| if c.sample_type == "half" { 16 } else { 32 })
        .max()
        .unwrap_or(0);
    let has_alpha = channels
        .iter()
        .any(|c| c.name == "A" || c.name.ends_with(".A"));
    let display = header.shared_attributes.display_window;
    let data_position = header.own_attributes.layer_position;
    let data_size = header.layer_size;
    let frames_per_second = header
        .own_attributes
        .frames_per_second
        .and_then(|(num, den)| Rational::new(i64::from(num), i64::from(den)))
        .filter(|r| r.is_positive());
    let timecode = header.shared_attributes.time_code.map(|tc| {
        let separator = if tc.drop_frame { ';' } else { ':' };
        let value = format!(
            "{:02}:{:02}:{:02}{separator}{:02}",
            tc.hours, tc.minutes, tc.seconds, tc.frame
        );
        Timecode {
            value,
            hours: u32::from(tc.hours),
            minutes: u32::from(tc.minutes),
            seconds: u32::from(tc.seconds),
            frames: u32::from(tc.frame),
            drop_frame: tc.drop_frame,
            source: TimecodeSource::ImageHeader,
        }
    });
    Ok(ExrHeaderInfo {
        channels,
        bit_depth,
        has_alpha,
        data_window: [
            i64::from(data_position.x()),
            i64::from(data_position.y()),
            data_size.width() as i64,
            data_size.height() as i64,
        ],
        display_window: [
            i64::from(display.position.x()),
            i64::from(display.position.y()),
            display.size.width() as i64,
            display.size.height() as i64,
        ],
        pixel_aspect: header.shared_attributes.pixel_aspect,
        compression: header.compression.to_string(),
        frames_per_second,
        timecode,
        parts: meta.headers.len(),
    })
}
