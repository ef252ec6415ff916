//! [`ChanOptions`]: how a `.chan` is interpreted on import, with Nuke's truth as the
//! defaults, and [`ReadMode`].

use crate::error::Error;
use crate::lens::FilmBack;
use crate::rotation_order::RotationOrder;

/// Strict (first bad line is an error) or lenient (bad lines are skipped and reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReadMode {
    /// Any invalid line is an [`Error::Chan`]; the default.
    #[default]
    Strict,
    /// Invalid lines are skipped and returned as warnings.
    Lenient,
}

/// Import options. The defaults are Nuke's: rotation order ZXY, film back
/// 24.576 × 18.672 mm; and Blender's world: Make Z up on.
///
/// To reproduce Blender's chan add-on exactly, use [`ChanOptions::blender_addon`]
/// (order XYZ, sensor 32 × 18 mm) and turn [`euler_filter`](Self::euler_filter) off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChanOptions {
    /// The order the file's rotations are applied in (not recorded in the file).
    pub rotation_order: RotationOrder,
    /// Convert Nuke's Y-up world to Blender's Z-up world (`Rx(+90°)·M`).
    pub z_up: bool,
    /// Film back: its height turns the vfov column into a focal length.
    pub film_back: FilmBack,
    /// Added to every frame number.
    pub frame_offset: i64,
    /// Multiplies every translation.
    pub scale: f64,
    /// Strict or lenient.
    pub mode: ReadMode,
    /// Unwrap Euler angles toward the previous frame (continuous animation curves).
    /// Off gives each frame the triple Blender's importer keys (same rotation).
    pub euler_filter: bool,
}

impl Default for ChanOptions {
    fn default() -> Self {
        Self {
            rotation_order: RotationOrder::Zxy,
            z_up: true,
            film_back: FilmBack::NUKE_DEFAULT,
            frame_offset: 0,
            scale: 1.0,
            mode: ReadMode::Strict,
            euler_filter: true,
        }
    }
}

impl ChanOptions {
    /// The Blender chan add-on's defaults: order XYZ, Make Z up, sensor 32 × 18 mm,
    /// no Euler filter.
    pub fn blender_addon() -> Self {
        Self {
            rotation_order: RotationOrder::Xyz,
            film_back: FilmBack::BLENDER_CHAN_ADDON,
            euler_filter: false,
            ..Self::default()
        }
    }

    /// Checks the options: film back positive and finite, scale finite and non-zero.
    pub fn validate(&self) -> Result<(), Error> {
        self.film_back.validated()?;
        if !self.scale.is_finite() || self.scale == 0.0 {
            return Err(Error::InvalidOption {
                option: "scale",
                reason: format!("{} must be finite and non-zero", self.scale),
            });
        }
        Ok(())
    }
}
