//! What an FFmpeg pixel format (`pix_fmt`) says: bits per component, chroma
//! subsampling, alpha, colour model.
//!
//! Bit depth comes from this table, never from `bits_per_raw_sample` (absent for
//! HEVC, VP9, PNG and EXR). Formats not in the table are decoded from their name's
//! structure (`yuva444p12le` → 12 bit, 4:4:4, alpha) only when it is unambiguous.

use serde::{Deserialize, Serialize};

/// The colour model of a pixel format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColourModel {
    /// Luma + chroma.
    Yuv,
    /// Red/green/blue (packed or planar GBR).
    Rgb,
    /// Single channel.
    Gray,
    /// CIE XYZ (DCP).
    Xyz,
    /// Palette-indexed.
    Palette,
}

/// Facts about one pixel format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixelFormatInfo {
    /// The FFmpeg name, e.g. `yuv422p10le`.
    pub name: String,
    /// Bits per colour component (32 for float formats).
    pub bit_depth: u32,
    /// `4:2:0`, `4:2:2`, `4:4:4`, `4:1:1`, `4:4:0`, `4:1:0`; `4:0:0` for grey.
    pub chroma_subsampling: String,
    /// Whether there is an alpha channel.
    pub has_alpha: bool,
    /// Whether components are floating point.
    pub is_float: bool,
    /// Colour model.
    pub model: ColourModel,
}

type Row = (&'static str, u32, &'static str, bool, ColourModel);

use ColourModel::{Gray, Palette, Rgb, Xyz, Yuv};

/// Packed and semi-planar formats whose names do not follow the planar pattern.
const TABLE: &[Row] = &[
    ("nv12", 8, "4:2:0", false, Yuv),
    ("nv21", 8, "4:2:0", false, Yuv),
    ("nv16", 8, "4:2:2", false, Yuv),
    ("nv24", 8, "4:4:4", false, Yuv),
    ("nv42", 8, "4:4:4", false, Yuv),
    ("nv20le", 10, "4:2:2", false, Yuv),
    ("nv20be", 10, "4:2:2", false, Yuv),
    ("p010le", 10, "4:2:0", false, Yuv),
    ("p010be", 10, "4:2:0", false, Yuv),
    ("p012le", 12, "4:2:0", false, Yuv),
    ("p016le", 16, "4:2:0", false, Yuv),
    ("p016be", 16, "4:2:0", false, Yuv),
    ("p210le", 10, "4:2:2", false, Yuv),
    ("p216le", 16, "4:2:2", false, Yuv),
    ("p410le", 10, "4:4:4", false, Yuv),
    ("p416le", 16, "4:4:4", false, Yuv),
    ("yuyv422", 8, "4:2:2", false, Yuv),
    ("yvyu422", 8, "4:2:2", false, Yuv),
    ("uyvy422", 8, "4:2:2", false, Yuv),
    ("uyyvyy411", 8, "4:1:1", false, Yuv),
    ("y210le", 10, "4:2:2", false, Yuv),
    ("y212le", 12, "4:2:2", false, Yuv),
    ("xv30le", 10, "4:4:4", false, Yuv),
    ("xv36le", 12, "4:4:4", false, Yuv),
    ("vuya", 8, "4:4:4", true, Yuv),
    ("vuyx", 8, "4:4:4", false, Yuv),
    ("ayuv64le", 16, "4:4:4", true, Yuv),
    ("rgb24", 8, "4:4:4", false, Rgb),
    ("bgr24", 8, "4:4:4", false, Rgb),
    ("rgba", 8, "4:4:4", true, Rgb),
    ("bgra", 8, "4:4:4", true, Rgb),
    ("argb", 8, "4:4:4", true, Rgb),
    ("abgr", 8, "4:4:4", true, Rgb),
    ("rgb0", 8, "4:4:4", false, Rgb),
    ("bgr0", 8, "4:4:4", false, Rgb),
    ("0rgb", 8, "4:4:4", false, Rgb),
    ("0bgr", 8, "4:4:4", false, Rgb),
    ("rgb48le", 16, "4:4:4", false, Rgb),
    ("rgb48be", 16, "4:4:4", false, Rgb),
    ("bgr48le", 16, "4:4:4", false, Rgb),
    ("bgr48be", 16, "4:4:4", false, Rgb),
    ("rgba64le", 16, "4:4:4", true, Rgb),
    ("rgba64be", 16, "4:4:4", true, Rgb),
    ("bgra64le", 16, "4:4:4", true, Rgb),
    ("bgra64be", 16, "4:4:4", true, Rgb),
    ("x2rgb10le", 10, "4:4:4", false, Rgb),
    ("x2bgr10le", 10, "4:4:4", false, Rgb),
    ("rgb565le", 6, "4:4:4", false, Rgb),
    ("rgb555le", 5, "4:4:4", false, Rgb),
    ("rgbf32le", 32, "4:4:4", false, Rgb),
    ("rgbaf32le", 32, "4:4:4", true, Rgb),
    ("rgbaf16le", 16, "4:4:4", true, Rgb),
    ("ya8", 8, "4:0:0", true, Gray),
    ("ya16le", 16, "4:0:0", true, Gray),
    ("ya16be", 16, "4:0:0", true, Gray),
    ("monow", 1, "4:0:0", false, Gray),
    ("monob", 1, "4:0:0", false, Gray),
    ("pal8", 8, "4:4:4", false, Palette),
    ("xyz12le", 12, "4:4:4", false, Xyz),
    ("xyz12be", 12, "4:4:4", false, Xyz),
];

/// Look up `pix_fmt`; `None` when the format is unknown (we never guess 8 bits).
pub(crate) fn pixel_format_info(pix_fmt: &str) -> Option<PixelFormatInfo> {
    let name = pix_fmt.trim().to_ascii_lowercase();
    let row = TABLE
        .iter()
        .find(|row| row.0 == name)
        .map(|&(_, depth, sub, alpha, model)| {
            (
                depth,
                sub,
                alpha,
                name.ends_with("f32le") || name.ends_with("f16le"),
                model,
            )
        })
        .or_else(|| structural(&name))?;
    let (bit_depth, chroma_subsampling, has_alpha, is_float, model) = row;
    Some(PixelFormatInfo {
        name,
        bit_depth,
        chroma_subsampling: chroma_subsampling.to_owned(),
        has_alpha,
        is_float,
        model,
    })
}

/// Decode planar names: `yuv[a|j]<sub>p[<bits>][le|be]`, `gbr[a]p[<bits>|f32][le|be]`,
/// `gray[<bits>|f32][le|be]`.
fn structural(name: &str) -> Option<(u32, &'static str, bool, bool, ColourModel)> {
    let (body, _endian) = strip_endian(name);
    if let Some(rest) = body.strip_prefix("yuv") {
        let (alpha, rest) = match rest.strip_prefix('a') {
            Some(r) => (true, r),
            None => (false, rest.strip_prefix('j').unwrap_or(rest)),
        };
        let sub = match rest.get(..3)? {
            "420" => "4:2:0",
            "422" => "4:2:2",
            "444" => "4:4:4",
            "411" => "4:1:1",
            "440" => "4:4:0",
            "410" => "4:1:0",
            _ => return None,
        };
        let bits = rest.get(3..)?.strip_prefix('p')?;
        let depth = if bits.is_empty() {
            8
        } else {
            bits.parse().ok()?
        };
        return Some((depth, sub, alpha, false, Yuv));
    }
    if let Some(rest) = body.strip_prefix("gbr") {
        let (alpha, rest) = match rest.strip_prefix('a') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let bits = rest.strip_prefix('p')?;
        return match bits {
            "" => Some((8, "4:4:4", alpha, false, Rgb)),
            "f32" => Some((32, "4:4:4", alpha, true, Rgb)),
            "f16" => Some((16, "4:4:4", alpha, true, Rgb)),
            digits => Some((digits.parse().ok()?, "4:4:4", alpha, false, Rgb)),
        };
    }
    if let Some(bits) = body.strip_prefix("gray") {
        return match bits {
            "" => Some((8, "4:0:0", false, false, Gray)),
            "f32" => Some((32, "4:0:0", false, true, Gray)),
            digits => Some((digits.parse().ok()?, "4:0:0", false, false, Gray)),
        };
    }
    None
}

fn strip_endian(name: &str) -> (&str, Option<&str>) {
    for suffix in ["le", "be"] {
        if let Some(body) = name.strip_suffix(suffix) {
            return (body, Some(suffix));
        }
    }
    (name, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(name: &str) -> Option<u32> {
        pixel_format_info(name).map(|i| i.bit_depth)
    }

    #[test]
    fn common_delivery_formats_have_the_right_depth() {
        assert_eq!(depth("yuv420p"), Some(8));
        assert_eq!(depth("yuvj420p"), Some(8));
        assert_eq!(depth("yuv422p10le"), Some(10));
        assert_eq!(depth("yuv420p10le"), Some(10));
        assert_eq!(depth("yuva444p12le"), Some(12));
        assert_eq!(depth("gbrpf32le"), Some(32));
        assert_eq!(depth("gray16be"), Some(16));
        assert_eq!(depth("p010le"), Some(10));
        assert_eq!(depth("rgb48le"), Some(16));
        assert_eq!(depth("nv12"), Some(8));
    }

    #[test]
    fn subsampling_and_alpha_are_read_from_the_name() {
        let prores4444 = pixel_format_info("yuva444p12le").unwrap();
        assert_eq!(prores4444.chroma_subsampling, "4:4:4");
        assert!(prores4444.has_alpha);
        let prores422 = pixel_format_info("yuv422p10le").unwrap();
        assert_eq!(prores422.chroma_subsampling, "4:2:2");
        assert!(!prores422.has_alpha);
        assert_eq!(
            pixel_format_info("yuv420p").unwrap().chroma_subsampling,
            "4:2:0"
        );
        assert!(pixel_format_info("gbrapf32le").unwrap().is_float);
        assert!(pixel_format_info("rgba").unwrap().has_alpha);
    }

    #[test]
    fn unknown_formats_are_unknown_not_eight_bit() {
        assert_eq!(pixel_format_info("none"), None);
        assert_eq!(pixel_format_info("yuv999p"), None);
        assert_eq!(pixel_format_info("bayer_rggb16le"), None);
    }
}
