//! [`RotationOrder`]: the six Euler rotation orders and what each one means.
//!
//! The letters name the axes in the order the rotations are **applied** (Nuke's and
//! Blender's shared convention): `ZXY` rotates about Z first, then X, then Y, so the
//! matrix is `R = Ry·Rx·Rz`. Blender's `XYZ` is `R = Rz·Ry·Rx`.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// An Euler rotation order; the first letter is applied first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum RotationOrder {
    /// X, then Y, then Z: `R = Rz·Ry·Rx` (Blender's default, the chan add-on's default).
    Xyz,
    /// X, then Z, then Y: `R = Ry·Rz·Rx`.
    Xzy,
    /// Y, then X, then Z: `R = Rz·Rx·Ry`.
    Yxz,
    /// Y, then Z, then X: `R = Rx·Rz·Ry`.
    Yzx,
    /// Z, then X, then Y: `R = Ry·Rx·Rz` (Nuke's default; our default).
    #[default]
    Zxy,
    /// Z, then Y, then X: `R = Rx·Ry·Rz`.
    Zyx,
}

impl RotationOrder {
    /// All six orders.
    pub const ALL: [RotationOrder; 6] = [
        RotationOrder::Xyz,
        RotationOrder::Xzy,
        RotationOrder::Yxz,
        RotationOrder::Yzx,
        RotationOrder::Zxy,
        RotationOrder::Zyx,
    ];

    /// Axis indices (0 = X, 1 = Y, 2 = Z) in the order they are applied.
    pub const fn axes(self) -> [usize; 3] {
        match self {
            RotationOrder::Xyz => [0, 1, 2],
            RotationOrder::Xzy => [0, 2, 1],
            RotationOrder::Yxz => [1, 0, 2],
            RotationOrder::Yzx => [1, 2, 0],
            RotationOrder::Zxy => [2, 0, 1],
            RotationOrder::Zyx => [2, 1, 0],
        }
    }

    /// Whether the axis permutation is odd (Blender's `RotOrderInfo::parity`).
    pub const fn is_odd(self) -> bool {
        matches!(
            self,
            RotationOrder::Xzy | RotationOrder::Yxz | RotationOrder::Zyx
        )
    }

    /// The three-letter name, e.g. `"ZXY"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RotationOrder::Xyz => "XYZ",
            RotationOrder::Xzy => "XZY",
            RotationOrder::Yxz => "YXZ",
            RotationOrder::Yzx => "YZX",
            RotationOrder::Zxy => "ZXY",
            RotationOrder::Zyx => "ZYX",
        }
    }
}

impl fmt::Display for RotationOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RotationOrder {
    type Err = Error;

    /// Parses `XYZ`, `xzy`, … (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RotationOrder::ALL
            .into_iter()
            .find(|order| order.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::InvalidOption {
                option: "rotation order",
                reason: format!("{s:?} is not one of XYZ, XZY, YXZ, YZX, ZXY, ZYX"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_order_parses_back_from_its_name_in_any_case() {
        for order in RotationOrder::ALL {
            assert_eq!(order.as_str().parse::<RotationOrder>().unwrap(), order);
            assert_eq!(
                order
                    .as_str()
                    .to_lowercase()
                    .parse::<RotationOrder>()
                    .unwrap(),
                order
            );
        }
    }

    #[test]
    fn an_unknown_order_is_an_invalid_option_error() {
        let err = "XXY".parse::<RotationOrder>().unwrap_err();
        assert!(err.to_string().contains("XXY"), "{err}");
    }

    #[test]
    fn the_default_order_is_nukes_zxy() {
        assert_eq!(RotationOrder::default(), RotationOrder::Zxy);
    }
}
