//! Lens maths: field of view ↔ focal length along a chosen film-back axis, and the
//! mapping between a Nuke camera (focal + apertures, horizontal fit) and a Blender
//! camera (lens + sensor + sensor fit).
//!
//! `focal = S / (2·tan(fov/2))` and `fov = 2·atan(S / (2·focal))`, with `S` the film-back
//! size along the same axis as the FOV. Zero, negative, non-finite inputs and FOVs of
//! 180° or more are [`Error::InvalidLens`] — never a silent 50 mm.

use crate::error::Error;

/// Which film-back axis a field of view spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FovAxis {
    /// Across the film-back width.
    Horizontal,
    /// Across the film-back height (what a `.chan` vfov column holds).
    #[default]
    Vertical,
    /// Across the film-back diagonal.
    Diagonal,
}

/// A film back (sensor) size in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilmBack {
    /// Horizontal aperture, mm.
    pub width_mm: f64,
    /// Vertical aperture, mm.
    pub height_mm: f64,
}

impl Default for FilmBack {
    /// Nuke's default camera: 24.576 × 18.672 mm.
    fn default() -> Self {
        Self::NUKE_DEFAULT
    }
}

impl FilmBack {
    /// Nuke's default camera film back, 24.576 × 18.672 mm (our default).
    pub const NUKE_DEFAULT: FilmBack = FilmBack {
        width_mm: 24.576,
        height_mm: 18.672,
    };
    /// The Blender chan add-on's default sensor, 32 × 18 mm.
    pub const BLENDER_CHAN_ADDON: FilmBack = FilmBack {
        width_mm: 32.0,
        height_mm: 18.0,
    };
    /// Full-frame 35 mm still, 36 × 24 mm.
    pub const FULL_FRAME: FilmBack = FilmBack {
        width_mm: 36.0,
        height_mm: 24.0,
    };

    /// A checked film back: both sides finite and positive.
    pub fn new(width_mm: f64, height_mm: f64) -> Result<Self, Error> {
        check_positive("film back width", width_mm)?;
        check_positive("film back height", height_mm)?;
        Ok(Self {
            width_mm,
            height_mm,
        })
    }

    /// The size along `axis`, mm.
    pub fn size_along(&self, axis: FovAxis) -> f64 {
        match axis {
            FovAxis::Horizontal => self.width_mm,
            FovAxis::Vertical => self.height_mm,
            FovAxis::Diagonal => self.width_mm.hypot(self.height_mm),
        }
    }

    /// Checks an existing value (e.g. one built with a struct literal).
    pub fn validated(self) -> Result<Self, Error> {
        Self::new(self.width_mm, self.height_mm)
    }
}

/// Focal length (mm) of a lens whose field of view along `axis` is `fov_degrees`.
pub fn fov_to_focal_length(
    fov_degrees: f64,
    axis: FovAxis,
    film_back: FilmBack,
) -> Result<f64, Error> {
    check_fov(fov_degrees)?;
    let size = film_back.validated()?.size_along(axis);
    let focal = size / (2.0 * crate::trig::tan_deg(fov_degrees / 2.0));
    if !(focal.is_finite() && focal > 0.0) {
        return Err(Error::InvalidLens {
            what: "field of view",
            value: fov_degrees,
            reason: "gives a focal length that is not finite on this film back",
        });
    }
    Ok(focal)
}

/// Field of view (degrees) along `axis` of a lens of `focal_mm`.
pub fn focal_length_to_fov(
    focal_mm: f64,
    axis: FovAxis,
    film_back: FilmBack,
) -> Result<f64, Error> {
    check_positive("focal length", focal_mm)?;
    let size = film_back.validated()?.size_along(axis);
    let fov = (2.0 * (size / (2.0 * focal_mm)).atan()).to_degrees();
    if check_fov(fov).is_err() {
        return Err(Error::InvalidLens {
            what: "focal length",
            value: focal_mm,
            reason: "gives a field of view of 0° or 180° on this film back",
        });
    }
    Ok(fov)
}

/// Checks a field of view in degrees: finite, above 0 and below 180.
pub fn check_fov(fov_degrees: f64) -> Result<(), Error> {
    let reason = if !fov_degrees.is_finite() {
        "not finite"
    } else if fov_degrees <= 0.0 {
        "must be above 0°"
    } else if fov_degrees >= 180.0 {
        "must be below 180°"
    } else {
        return Ok(());
    };
    Err(Error::InvalidLens {
        what: "field of view",
        value: fov_degrees,
        reason,
    })
}

fn check_positive(what: &'static str, value: f64) -> Result<(), Error> {
    let reason = if !value.is_finite() {
        "not finite"
    } else if value <= 0.0 {
        "must be above 0"
    } else {
        return Ok(());
    };
    Err(Error::InvalidLens {
        what,
        value,
        reason,
    })
}

/// Blender's camera sensor fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SensorFit {
    /// The sensor width spans the larger image dimension (Blender's default).
    #[default]
    Auto,
    /// The sensor width spans the image width.
    Horizontal,
    /// The sensor height spans the image height.
    Vertical,
}

/// A Nuke camera's lens: focal length and apertures (Nuke fits horizontally).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NukeLens {
    /// Focal length, mm.
    pub focal_mm: f64,
    /// Horizontal and vertical aperture.
    pub film_back: FilmBack,
}

/// A Blender camera's lens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlenderLens {
    /// Focal length (`lens`), mm.
    pub lens_mm: f64,
    /// `sensor_width` and `sensor_height`, mm.
    pub sensor: FilmBack,
    /// `sensor_fit`.
    pub sensor_fit: SensorFit,
}

impl NukeLens {
    /// The Blender camera that frames the image exactly like this Nuke camera: same
    /// focal length and sensor, sensor fit horizontal (Nuke's fit).
    pub fn to_blender(&self) -> Result<BlenderLens, Error> {
        check_positive("focal length", self.focal_mm)?;
        Ok(BlenderLens {
            lens_mm: self.focal_mm,
            sensor: self.film_back.validated()?,
            sensor_fit: SensorFit::Horizontal,
        })
    }
}

impl BlenderLens {
    /// The Nuke camera that frames an image of aspect `image_aspect` (width / height)
    /// exactly like this Blender camera: the horizontal aperture is the sensor extent
    /// Blender spans across the image width under its sensor fit, and the vertical
    /// aperture is that divided by the image aspect.
    pub fn to_nuke(&self, image_aspect: f64) -> Result<NukeLens, Error> {
        check_positive("focal length", self.lens_mm)?;
        check_positive("image aspect", image_aspect)?;
        let sensor = self.sensor.validated()?;
        let horizontal = match self.sensor_fit {
            SensorFit::Horizontal => sensor.width_mm,
            SensorFit::Vertical => sensor.height_mm * image_aspect,
            SensorFit::Auto if image_aspect >= 1.0 => sensor.width_mm,
            SensorFit::Auto => sensor.width_mm * image_aspect,
        };
        Ok(NukeLens {
            focal_mm: self.lens_mm,
            film_back: FilmBack::new(horizontal, horizontal / image_aspect)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_50mm_lens_on_the_nuke_gate_has_a_21_153_degree_vertical_fov() {
        let fov = focal_length_to_fov(50.0, FovAxis::Vertical, FilmBack::NUKE_DEFAULT).unwrap();
        assert!((fov - 21.153).abs() < 1e-3, "{fov}");
        let focal = fov_to_focal_length(fov, FovAxis::Vertical, FilmBack::NUKE_DEFAULT).unwrap();
        assert!((focal - 50.0).abs() < 1e-12);
    }

    #[test]
    fn horizontal_and_diagonal_use_their_own_film_back_size() {
        let fb = FilmBack::FULL_FRAME;
        let h = fov_to_focal_length(90.0, FovAxis::Horizontal, fb).unwrap();
        assert!((h - 18.0).abs() < 1e-12);
        let d = fov_to_focal_length(90.0, FovAxis::Diagonal, fb).unwrap();
        assert!((d - 36f64.hypot(24.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn zero_negative_non_finite_and_180_degree_fovs_are_errors() {
        for fov in [0.0, -5.0, f64::NAN, f64::INFINITY, 180.0, 200.0] {
            let err = fov_to_focal_length(fov, FovAxis::Vertical, FilmBack::NUKE_DEFAULT);
            assert!(matches!(err, Err(Error::InvalidLens { .. })), "{fov}");
        }
    }

    #[test]
    fn conversions_that_overflow_are_errors_not_infinities() {
        let nuke = FilmBack::NUKE_DEFAULT;
        for fov in [1e-320, 4.9e-324] {
            let err = fov_to_focal_length(fov, FovAxis::Vertical, nuke);
            assert!(
                matches!(err, Err(Error::InvalidLens { .. })),
                "{fov}: {err:?}"
            );
        }
        let huge = FilmBack::new(f64::MAX, f64::MAX).unwrap();
        assert!(fov_to_focal_length(40.0, FovAxis::Diagonal, huge).is_err());
        for focal in [1e-320, 1e308] {
            let err = focal_length_to_fov(focal, FovAxis::Vertical, nuke);
            assert!(
                matches!(err, Err(Error::InvalidLens { .. })),
                "{focal}: {err:?}"
            );
        }
    }

    #[test]
    fn zero_focal_length_and_bad_film_backs_are_errors() {
        assert!(focal_length_to_fov(0.0, FovAxis::Vertical, FilmBack::NUKE_DEFAULT).is_err());
        assert!(FilmBack::new(-1.0, 10.0).is_err());
        assert!(FilmBack::new(10.0, f64::NAN).is_err());
    }

    #[test]
    fn nuke_to_blender_keeps_the_horizontal_field_of_view() {
        let nuke = NukeLens {
            focal_mm: 35.0,
            film_back: FilmBack::NUKE_DEFAULT,
        };
        let blender = nuke.to_blender().unwrap();
        assert_eq!(blender.sensor_fit, SensorFit::Horizontal);
        let back = blender.to_nuke(24.576 / 18.672).unwrap();
        assert!((back.film_back.width_mm - 24.576).abs() < 1e-12);
        assert!((back.film_back.height_mm - 18.672).abs() < 1e-12);
    }

    #[test]
    fn blender_vertical_fit_maps_the_sensor_height_onto_the_image_height() {
        let blender = BlenderLens {
            lens_mm: 50.0,
            sensor: FilmBack::FULL_FRAME,
            sensor_fit: SensorFit::Vertical,
        };
        let nuke = blender.to_nuke(2.0).unwrap();
        assert!((nuke.film_back.height_mm - 24.0).abs() < 1e-12);
        assert!((nuke.film_back.width_mm - 48.0).abs() < 1e-12);
    }

    #[test]
    fn blender_auto_fit_spans_the_larger_image_side_with_the_sensor_width() {
        let blender = BlenderLens {
            lens_mm: 50.0,
            sensor: FilmBack::FULL_FRAME,
            sensor_fit: SensorFit::Auto,
        };
        let portrait = blender.to_nuke(0.5).unwrap();
        assert!((portrait.film_back.height_mm - 36.0).abs() < 1e-12);
        let landscape = blender.to_nuke(1.5).unwrap();
        assert!((landscape.film_back.width_mm - 36.0).abs() < 1e-12);
    }
}
