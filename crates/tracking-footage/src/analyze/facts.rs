//! Filling [`ClipFacts`] from the crate's own deep probe ([`crate::probe()`]): the
//! stream header, the packet pass (exact count, keyframe interval, VFR, truncation)
//! and, for image sequences, the directory scan.

use crate::types::{FieldOrder, FootageProbe, VfrVerdict};

use super::checks::{ClipFacts, SequenceFacts, VfrFacts};

/// Make tags, most specific first (QuickTime, then generic, then Android).
const MAKE_TAGS: &[&str] = &[
    "com.apple.quicktime.make",
    "make",
    "com.android.manufacturer",
];
/// Model tags, in the same order.
const MODEL_TAGS: &[&str] = &["com.apple.quicktime.model", "model", "com.android.model"];

fn field_order_text(order: FieldOrder) -> Option<String> {
    let text = match order {
        FieldOrder::Progressive => "progressive",
        FieldOrder::TopFieldFirst => "tt",
        FieldOrder::BottomFieldFirst => "bb",
        FieldOrder::TopCodedBottomFirst => "tb",
        FieldOrder::BottomCodedTopFirst => "bt",
        FieldOrder::Unknown => return None,
    };
    Some(text.to_owned())
}

/// The facts the checks read, from a deep probe.
pub(super) fn clip_facts(probe: &FootageProbe) -> ClipFacts {
    let mut tags = std::collections::BTreeMap::new();
    for (k, v) in probe.format_tags.iter().chain(probe.video_tags.iter()) {
        tags.insert(k.to_ascii_lowercase(), v.to_owned());
    }
    let tag = |names: &[&str]| {
        names.iter().find_map(|n| {
            probe
                .format_tags
                .get(n)
                .or_else(|| probe.video_tags.get(n))
                .map(str::to_owned)
        })
    };
    let (header_frames, counted_frames) = match &probe.truncation {
        Some(t) => (Some(t.header_frames), Some(t.file_frames)),
        None => (probe.frame_counts.header, probe.frame_counts.exact),
    };
    ClipFacts {
        width: probe.raw_size[0],
        height: probe.raw_size[1],
        fps: (probe.rate.fps.is_finite() && probe.rate.fps > 0.0).then_some(probe.rate.fps),
        codec: probe.metadata.codec.clone(),
        profile: probe.profile.clone(),
        pix_fmt: probe.pix_fmt.clone(),
        bit_depth: probe.pixel_format.as_ref().map(|p| p.bit_depth),
        chroma_subsampling: probe
            .pixel_format
            .as_ref()
            .map(|p| p.chroma_subsampling.clone()),
        field_order: field_order_text(probe.field_order),
        bit_rate: probe.video_bit_rate.or(probe.bit_rate),
        max_keyframe_interval: probe.packets.as_ref().and_then(|p| p.keyframe_interval_max),
        rotation_cw: i32::from(probe.orientation.rotation_cw),
        hflip: probe.orientation.flip_horizontal,
        vflip: false,
        sample_aspect: probe
            .pixel_aspect
            .and_then(|r| Some((u32::try_from(r.num).ok()?, u32::try_from(r.den).ok()?))),
        color_transfer: probe.colour.transfer.clone(),
        make: tag(MAKE_TAGS),
        model: tag(MODEL_TAGS),
        tags,
        header_frames,
        counted_frames,
        vfr: vfr_facts(probe),
        sequence: sequence_facts(probe),
    }
}

fn vfr_facts(probe: &FootageProbe) -> Option<VfrFacts> {
    let vfr = &probe.vfr;
    if vfr.verdict != VfrVerdict::Variable {
        return None;
    }
    Some(VfrFacts {
        min_fps: vfr.min_fps.unwrap_or(0.0),
        max_fps: vfr.max_fps.unwrap_or(0.0),
        discontinuity_count: vfr.discontinuity_count,
        discontinuity_frames: vfr.discontinuities.iter().map(|d| d.frame as i64).collect(),
    })
}

fn sequence_facts(probe: &FootageProbe) -> Option<SequenceFacts> {
    probe.sequence.as_ref().map(sequence_facts_of)
}

/// The checks' view of a sequence.
pub(super) fn sequence_facts_of(seq: &crate::types::SequenceInfo) -> SequenceFacts {
    let first = [seq.first.width, seq.first.height];
    let last = [seq.last.width, seq.last.height];
    SequenceFacts {
        first: seq.first_frame,
        last: seq.last_frame,
        missing: seq.missing_frames.clone(),
        missing_count: seq.missing_count,
        mismatched_resolution: (first != last).then_some((first, last)),
        mixed_padding: seq.mixed_padding.clone(),
    }
}
