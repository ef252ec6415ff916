//! [`Timecode`]: the start timecode of a clip, with its drop-frame flag and source.
//!
//! Looked up in order: a `tmcd` (timecode) data stream's `timecode` tag, the video
//! stream's tag, then the format tags. Drop-frame timecodes separate frames with `;`
//! (or `.`/`,`), as SMPTE 12M writes them.

use serde::{Deserialize, Serialize};

use crate::ffprobe_json::{ProbeJson, Section};

/// Where a timecode was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimecodeSource {
    /// A `tmcd` data track.
    TmcdStream,
    /// The video stream's tags.
    VideoStream,
    /// The container (format) tags.
    Format,
    /// An image header (EXR `timeCode`).
    ImageHeader,
}

/// A start timecode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timecode {
    /// As written, e.g. `01:00:00:00` or `00:59:59;29`.
    pub value: String,
    /// Hours.
    pub hours: u32,
    /// Minutes.
    pub minutes: u32,
    /// Seconds.
    pub seconds: u32,
    /// Frames.
    pub frames: u32,
    /// True for drop-frame timecode.
    pub drop_frame: bool,
    /// Where it was found.
    pub source: TimecodeSource,
}

impl Timecode {
    /// Parse `HH:MM:SS:FF` / `HH:MM:SS;FF`; `None` when malformed.
    pub fn parse(text: &str, source: TimecodeSource) -> Option<Self> {
        let text = text.trim();
        let split = text.rfind([':', ';', '.', ','])?;
        let drop_frame = !text[split..].starts_with(':');
        let mut hms = text[..split].split(':').map(|p| p.parse::<u32>().ok());
        let (hours, minutes, seconds) = (hms.next()??, hms.next()??, hms.next()??);
        if hms.next().is_some() || minutes > 59 || seconds > 59 {
            return None;
        }
        let frames = text[split + 1..].parse().ok()?;
        Some(Self {
            value: text.to_owned(),
            hours,
            minutes,
            seconds,
            frames,
            drop_frame,
            source,
        })
    }

    /// Find the start timecode of a probed file (tmcd → video stream → format).
    pub(crate) fn find(doc: &ProbeJson, video: Option<&Section>) -> Option<Self> {
        let tmcd = doc.streams.iter().find(|s| {
            s.text("codec_tag_string").as_deref() == Some("tmcd")
                || s.text("codec_type").as_deref() == Some("data")
                    && s.tags().get("timecode").is_some()
        });
        let candidates = [
            (tmcd, TimecodeSource::TmcdStream),
            (video, TimecodeSource::VideoStream),
            (doc.format.as_ref(), TimecodeSource::Format),
        ];
        candidates
            .into_iter()
            .find_map(|(section, source)| Self::parse(section?.tags().get("timecode")?, source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_drop_timecode_parses() {
        let tc = Timecode::parse("01:00:00:00", TimecodeSource::TmcdStream).unwrap();
        assert_eq!((tc.hours, tc.minutes, tc.seconds, tc.frames), (1, 0, 0, 0));
        assert!(!tc.drop_frame);
    }

    #[test]
    fn a_semicolon_before_frames_means_drop_frame() {
        let tc = Timecode::parse("00:59:59;29", TimecodeSource::Format).unwrap();
        assert!(tc.drop_frame);
        assert_eq!(tc.frames, 29);
        assert!(
            Timecode::parse("10:00:00.12", TimecodeSource::Format)
                .unwrap()
                .drop_frame
        );
    }

    #[test]
    fn malformed_timecodes_are_rejected() {
        for text in ["", "01:00:00", "aa:bb:cc:dd", "01:61:00:00", "1:2:3:4:5"] {
            assert_eq!(
                Timecode::parse(text, TimecodeSource::Format),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn the_tmcd_stream_wins_over_the_format_tag() {
        let doc = crate::ffprobe_json::parse(
            br#"{"streams": [
                {"codec_type": "video", "tags": {"timecode": "02:00:00:00"}},
                {"codec_type": "data", "codec_tag_string": "tmcd", "tags": {"timecode": "01:00:00:00"}}],
               "format": {"tags": {"timecode": "03:00:00:00"}}}"#,
        )
        .unwrap();
        let tc = Timecode::find(&doc, doc.streams.first()).unwrap();
        assert_eq!(tc.value, "01:00:00:00");
        assert_eq!(tc.source, TimecodeSource::TmcdStream);
        let no_tmcd = crate::ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video"}], "format": {"tags": {"TIMECODE": "03:00:00:00"}}}"#,
        )
        .unwrap();
        let tc = Timecode::find(&no_tmcd, no_tmcd.streams.first()).unwrap();
        assert_eq!(tc.source, TimecodeSource::Format);
    }
}
