//! [`Orientation`]: how a player rotates or mirrors the stored frame for display.
//!
//! Sources, in order: the display-matrix side data (ffprobe ≥ 5; its `rotation` is
//! counter-clockwise, so clockwise is its negation), then the `rotate` stream tag
//! (ffprobe 4.x; already clockwise). The matrix's determinant tells a mirror: a
//! negative one means the image is flipped horizontally, and the rotation is read
//! after undoing that flip.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ffprobe_json::Section;

/// Where the orientation was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrientationSource {
    /// The display-matrix side data.
    DisplayMatrix,
    /// The `rotate` stream tag.
    RotateTag,
    /// Neither is present: the frame is shown as stored.
    None,
}

/// Display orientation of a video stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orientation {
    /// Clockwise rotation a player applies, in degrees, normalised to `0..360`
    /// (0, 90, 180 or 270 for real footage).
    pub rotation_cw: u16,
    /// True when the display matrix mirrors the image horizontally.
    pub flip_horizontal: bool,
    /// Where this was read from.
    pub source: OrientationSource,
}

impl Orientation {
    /// The identity: shown as stored.
    pub const UPRIGHT: Self = Self {
        rotation_cw: 0,
        flip_horizontal: false,
        source: OrientationSource::None,
    };

    /// True when width and height swap for display (90° or 270°).
    pub fn swaps_axes(&self) -> bool {
        matches!(self.rotation_cw, 90 | 270)
    }

    /// Read the orientation of a video stream section.
    pub(crate) fn of_stream(stream: &Section) -> Self {
        if let Some(side) = stream.side_data_of("Display Matrix")
            && let Some(found) = from_side_data(side)
        {
            return found;
        }
        if let Some(rotate) = stream
            .tags()
            .get("rotate")
            .and_then(|r| r.trim().parse::<f64>().ok())
        {
            return Self {
                rotation_cw: normalise(rotate),
                flip_horizontal: false,
                source: OrientationSource::RotateTag,
            };
        }
        Self::UPRIGHT
    }
}

fn from_side_data(side: &Value) -> Option<Orientation> {
    if let Some(matrix) = side
        .get("displaymatrix")
        .and_then(Value::as_str)
        .and_then(parse_matrix)
    {
        return Some(from_matrix(&matrix));
    }
    let ccw = side.get("rotation").and_then(|v| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })?;
    Some(Orientation {
        rotation_cw: normalise(-ccw),
        flip_horizontal: false,
        source: OrientationSource::DisplayMatrix,
    })
}

/// Parse ffprobe's hex-dump-like display matrix text: three lines `0000000N: a b c`.
pub(crate) fn parse_matrix(text: &str) -> Option<[i64; 9]> {
    let numbers: Vec<i64> = text
        .lines()
        .filter_map(|line| line.split_once(':').map(|(_, rest)| rest))
        .flat_map(str::split_whitespace)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    numbers.try_into().ok()
}

/// Orientation of an FFmpeg display matrix (`[a b u; c d v; x y w]`, 16.16 fixed point
/// for a–d), following `av_display_rotation_get` and `av_display_matrix_flip`.
pub(crate) fn from_matrix(m: &[i64; 9]) -> Orientation {
    let fixed = |v: i64| v as f64 / 65536.0;
    let (mut a, b, mut c, d) = (fixed(m[0]), fixed(m[1]), fixed(m[3]), fixed(m[4]));
    let flip_horizontal = a * d - b * c < 0.0;
    if flip_horizontal {
        a = -a;
        c = -c;
    }
    let scale_x = a.hypot(c);
    let scale_y = b.hypot(d);
    let rotation_cw = if scale_x == 0.0 || scale_y == 0.0 {
        0
    } else {
        normalise((b / scale_y).atan2(a / scale_x).to_degrees())
    };
    Orientation {
        rotation_cw,
        flip_horizontal,
        source: OrientationSource::DisplayMatrix,
    }
}

fn normalise(degrees: f64) -> u16 {
    let rounded = degrees.round().rem_euclid(360.0);
    // `rem_euclid` keeps the value in 0..360, so the cast is exact.
    rounded as u16 % 360
}

#[cfg(test)]
mod tests {
    use super::*;

    const FFMPEG51_ROTATE_TAG_90: &str = "\n00000000:            0      -65536           0\n00000001:        65536           0           0\n00000002:            0           0  1073741824\n";

    #[test]
    fn the_matrix_ffmpeg_writes_for_rotate_90_displays_270_clockwise() {
        // av_display_rotation_get gives +90 (counter-clockwise) for this matrix, and
        // ffmpeg's own autorotate turns the frame 90° counter-clockwise.
        let m = parse_matrix(FFMPEG51_ROTATE_TAG_90).unwrap();
        let o = from_matrix(&m);
        assert_eq!(o.rotation_cw, 270);
        assert!(!o.flip_horizontal);
    }

    #[test]
    fn an_iphone_portrait_matrix_is_90_clockwise() {
        // tkhd [0 1 0; -1 0 0; …] as ffprobe prints it for iPhone portrait clips
        // ("rotation": -90).
        let m = [0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30];
        assert_eq!(from_matrix(&m).rotation_cw, 90);
    }

    #[test]
    fn identity_and_half_turn_matrices() {
        assert_eq!(
            from_matrix(&[65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30]).rotation_cw,
            0
        );
        assert_eq!(
            from_matrix(&[-65536, 0, 0, 0, -65536, 0, 0, 0, 1 << 30]).rotation_cw,
            180
        );
    }

    #[test]
    fn a_negative_determinant_is_a_horizontal_flip() {
        let o = from_matrix(&[-65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30]);
        assert!(o.flip_horizontal);
        assert_eq!(o.rotation_cw, 0);
        let vflip = from_matrix(&[65536, 0, 0, 0, -65536, 0, 0, 0, 1 << 30]);
        assert!(vflip.flip_horizontal);
        assert_eq!(
            vflip.rotation_cw, 180,
            "a vertical flip is a horizontal flip turned 180°"
        );
    }

    #[test]
    fn the_rotation_field_alone_is_counter_clockwise() {
        let side = serde_json::json!({"side_data_type": "Display Matrix", "rotation": -90});
        assert_eq!(from_side_data(&side).unwrap().rotation_cw, 90);
    }

    #[test]
    fn an_ffprobe_4_rotate_tag_is_already_clockwise() {
        let doc = crate::ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "tags": {"rotate": "90"}}]}"#,
        )
        .unwrap();
        let o = Orientation::of_stream(&doc.streams[0]);
        assert_eq!(o.rotation_cw, 90);
        assert_eq!(o.source, OrientationSource::RotateTag);
    }

    #[test]
    fn display_matrix_side_data_wins_over_a_rotate_tag() {
        let doc = crate::ffprobe_json::parse(
            br#"{"streams": [{"codec_type": "video", "tags": {"rotate": "90"},
                 "side_data_list": [{"side_data_type": "Display Matrix", "rotation": 90}]}]}"#,
        )
        .unwrap();
        let o = Orientation::of_stream(&doc.streams[0]);
        assert_eq!(o.rotation_cw, 270);
        assert_eq!(o.source, OrientationSource::DisplayMatrix);
    }

    #[test]
    fn a_malformed_matrix_falls_back_to_the_rotation_field() {
        let side = serde_json::json!({"displaymatrix": "garbage", "rotation": 180});
        assert_eq!(from_side_data(&side).unwrap().rotation_cw, 180);
    }
}
