//! The entry points: [`probe`] dispatches a path to the movie prober (`movie`) or
//! the image-sequence prober (`sequence`); [`probe_unrated`] is what is known of a
//! sequence without a frame rate; [`extract_metadata`], [`get_frame_rate`]
//! and [`footage_info`] are the original's narrower answers. The result types live in
//! `types`.

use std::path::Path;

use tracking_types::{FootageInfo, FootageMetadata};

use crate::error::Result;
use crate::movie::probe_movie;
use crate::rational::FrameRate;
use crate::sequence::{SequenceSpec, probe_sequence, probe_unrated_sequence};
use crate::types::{FootageProbe, ProbeOptions, UnratedSequence};

/// Probe a movie file or an image sequence (a frame file, a `%04d`/`####`/`@@@@`
/// pattern, or a directory holding one sequence).
pub fn probe(path: impl AsRef<Path>, options: &ProbeOptions) -> Result<FootageProbe> {
    let path = path.as_ref();
    match SequenceSpec::recognise(path)? {
        Some(spec) => probe_sequence(&spec, options),
        None => probe_movie(path, options),
    }
}

/// What is known of an image sequence that has no frame rate (neither from the caller
/// nor in its headers), where [`probe`] gives [`Error::SequenceFrameRateUnknown`](crate::Error::SequenceFrameRateUnknown): the
/// frames, gaps, resolution and pixel format ([`UnratedSequence`]). A movie or a
/// sequence that has a rate gives `Ok(None)` ([`probe`] is the call for those); other
/// errors are [`probe`]'s.
pub fn probe_unrated(
    path: impl AsRef<Path>,
    options: &ProbeOptions,
) -> Result<Option<UnratedSequence>> {
    let path = path.as_ref();
    match SequenceSpec::recognise(path)? {
        Some(spec) => probe_unrated_sequence(&spec, options),
        None => Ok(None),
    }
}

/// The original `extract_metadata`: [`FootageMetadata`] with every field filled from
/// the file (one ffprobe run for a movie).
pub fn extract_metadata(path: impl AsRef<Path>) -> Result<FootageMetadata> {
    probe(path, &ProbeOptions::default()).map(|p| p.metadata)
}

/// The frame rate of a movie or sequence: the exact rational, its `f64`
/// ([`FrameRate::fps`]) and where it came from.
pub fn get_frame_rate(path: impl AsRef<Path>) -> Result<FrameRate> {
    probe(path, &ProbeOptions::default()).map(|p| p.rate)
}

/// [`FootageInfo`] for a movie or an image sequence.
pub fn footage_info(path: impl AsRef<Path>, options: &ProbeOptions) -> Result<FootageInfo> {
    probe(path, options).map(|p| p.footage_info())
}
