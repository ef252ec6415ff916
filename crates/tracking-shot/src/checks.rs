//! Consistency checks between a plate and a camera: pure functions over the facts
//! ingest gathered, so every rule is unit-tested without media or files.

use serde::Serialize;
use tracking_footage::frame_range_string as frame_ranges;

/// How serious a [`ShotFinding`] is: the workspace's one scale, shared with the footage
/// analysis ([`Severity::Critical`]: the camera and plate cannot be mapped as they are).
pub use tracking_types::Severity;

/// One thing ingest noticed about how the camera and the plate fit together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShotFinding {
    /// Stable machine-readable code (e.g. `frame_offset`).
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What was found, in words.
    pub message: String,
    /// What to do about it.
    pub recommendation: String,
    /// The numbers behind the finding.
    pub evidence: serde_json::Value,
}

/// What ingest knows about the plate.
#[derive(Debug, Clone, PartialEq)]
pub struct PlateFacts {
    /// First frame number of the plate.
    pub first_frame: i64,
    /// Last frame number of the plate (inclusive).
    pub last_frame: i64,
    /// Frame numbers inside `first_frame..=last_frame` with no image (sequence gaps).
    pub missing_frames: Vec<i64>,
    /// Whether the plate has a variable frame rate.
    pub variable_frame_rate: bool,
    /// Display width and height in pixels.
    pub size: [u32; 2],
    /// Pixel aspect ratio (1 for square pixels).
    pub pixel_aspect: f64,
}

/// What ingest knows about the camera.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraFacts {
    /// Frame numbers the camera has a transform for, ascending.
    pub frames: Vec<i64>,
    /// Smallest and largest focal length in mm.
    pub focal_range_mm: [f64; 2],
    /// Film back `[width, height]` in mm used to turn the FOV into a focal length.
    pub film_back_mm: [f64; 2],
    /// Whether the file carried a FOV column (otherwise the focal length is unknown).
    pub has_fov: bool,
}

/// Focal lengths outside this band (mm) are reported as implausible for a film back
/// of ordinary size: a wrong FOV column, a wrong film back, or horizontal vs vertical
/// FOV mixed up.
pub const PLAUSIBLE_FOCAL_MM: [f64; 2] = [4.0, 1200.0];

/// Relative difference between plate and film-back aspect ratios above which the
/// film back is questioned.
pub const ASPECT_TOLERANCE: f64 = 0.05;

/// Every check, in report order.
pub fn check_shot(camera: &CameraFacts, plate: &PlateFacts) -> Vec<ShotFinding> {
    let mut findings = Vec::new();
    findings.extend(check_frame_ranges(camera, plate));
    findings.extend(check_camera_gaps(camera));
    findings.extend(check_plate(plate));
    findings.extend(check_lens(camera, plate));
    findings
}

/// Camera range vs plate range: an offset suggestion when the camera has the plate's
/// length but starts elsewhere, and the frames each side lacks otherwise.
fn check_frame_ranges(camera: &CameraFacts, plate: &PlateFacts) -> Vec<ShotFinding> {
    let (Some(&cam_first), Some(&cam_last)) = (camera.frames.first(), camera.frames.last()) else {
        return vec![finding(
            "camera_empty",
            Severity::Critical,
            "the camera has no frames".to_owned(),
            "check that the camera file is the solved camera export".to_owned(),
            serde_json::json!({}),
        )];
    };
    let plate_len = plate.last_frame - plate.first_frame + 1;
    let cam_len = cam_last - cam_first + 1;
    let offset = plate.first_frame - cam_first;
    let mut out = Vec::new();
    if offset != 0 && cam_len == plate_len {
        out.push(finding(
            "frame_offset",
            Severity::Warning,
            format!(
                "the camera covers frames {cam_first}-{cam_last} and the plate {}-{}: same length, offset by {offset:+}",
                plate.first_frame, plate.last_frame
            ),
            format!("re-run with --frame-offset {offset} to line the camera up with the plate"),
            serde_json::json!({
                "camera_range": [cam_first, cam_last],
                "plate_range": [plate.first_frame, plate.last_frame],
                "suggested_offset": offset,
            }),
        ));
        return out;
    }
    if cam_len != plate_len {
        out.push(finding(
            "frame_count_mismatch",
            Severity::Warning,
            format!(
                "the camera spans {cam_len} frames ({cam_first}-{cam_last}) and the plate {plate_len} ({}-{})",
                plate.first_frame, plate.last_frame
            ),
            "check the camera was exported over the plate's full range (handles included)"
                .to_owned(),
            serde_json::json!({
                "camera_frames": cam_len,
                "plate_frames": plate_len,
                "camera_range": [cam_first, cam_last],
                "plate_range": [plate.first_frame, plate.last_frame],
            }),
        ));
    }
    let plate_without_camera = frames_not_in(
        plate.first_frame..=plate.last_frame,
        &camera.frames,
        &plate.missing_frames,
    );
    if !plate_without_camera.is_empty() {
        out.push(finding(
            "plate_frames_without_camera",
            Severity::Warning,
            format!(
                "{} plate frame(s) have no camera: {}",
                plate_without_camera.len(),
                frame_ranges(&plate_without_camera)
            ),
            "extend the camera export to the plate range, or trim the plate".to_owned(),
            serde_json::json!({
                "count": plate_without_camera.len(),
                "frames": frame_ranges(&plate_without_camera),
            }),
        ));
    }
    let camera_without_plate: Vec<i64> = camera
        .frames
        .iter()
        .copied()
        .filter(|f| {
            !(plate.first_frame..=plate.last_frame).contains(f)
                || plate.missing_frames.binary_search(f).is_ok()
        })
        .collect();
    if !camera_without_plate.is_empty() {
        let severity = if camera_without_plate.len() == camera.frames.len() {
            Severity::Critical
        } else {
            Severity::Info
        };
        out.push(finding(
            "camera_frames_without_plate",
            severity,
            format!(
                "{} camera frame(s) have no plate image: {}",
                camera_without_plate.len(),
                frame_ranges(&camera_without_plate)
            ),
            "check the frame offset; frames outside the plate are ignored for tracking".to_owned(),
            serde_json::json!({
                "count": camera_without_plate.len(),
                "frames": frame_ranges(&camera_without_plate),
            }),
        ));
    }
    out
}

/// Frames missing inside the camera's own range.
fn check_camera_gaps(camera: &CameraFacts) -> Option<ShotFinding> {
    let (&first, &last) = (camera.frames.first()?, camera.frames.last()?);
    let gaps = frames_not_in(first..=last, &camera.frames, &[]);
    (!gaps.is_empty()).then(|| {
        finding(
            "camera_gaps",
            Severity::Warning,
            format!(
                "the camera has no transform on {} frame(s) inside its range: {}",
                gaps.len(),
                frame_ranges(&gaps)
            ),
            "re-export the camera baked on every frame".to_owned(),
            serde_json::json!({ "count": gaps.len(), "frames": frame_ranges(&gaps) }),
        )
    })
}

/// Plate properties that make frame mapping ambiguous.
fn check_plate(plate: &PlateFacts) -> Vec<ShotFinding> {
    let mut out = Vec::new();
    if plate.variable_frame_rate {
        out.push(finding(
            "plate_vfr",
            Severity::Critical,
            "the plate has a variable frame rate: camera frame N cannot be mapped to a plate frame unambiguously".to_owned(),
            "conform the plate to a constant rate (e.g. transcode to an image sequence) before tracking".to_owned(),
            serde_json::json!({}),
        ));
    }
    if !plate.missing_frames.is_empty() {
        out.push(finding(
            "plate_gaps",
            Severity::Warning,
            format!(
                "the plate sequence is missing {} frame(s): {}",
                plate.missing_frames.len(),
                frame_ranges(&plate.missing_frames)
            ),
            "re-render or re-copy the missing frames".to_owned(),
            serde_json::json!({
                "count": plate.missing_frames.len(),
                "frames": frame_ranges(&plate.missing_frames),
            }),
        ));
    }
    out
}

/// Focal length plausibility and film-back vs plate aspect.
fn check_lens(camera: &CameraFacts, plate: &PlateFacts) -> Vec<ShotFinding> {
    let mut out = Vec::new();
    if !camera.has_fov {
        out.push(finding(
            "camera_no_fov",
            Severity::Warning,
            "the camera file has no field-of-view column: the focal length is unknown".to_owned(),
            "export the camera with its vertical FOV (8th .chan column), or set the lens by hand"
                .to_owned(),
            serde_json::json!({}),
        ));
        return out;
    }
    let [lo, hi] = camera.focal_range_mm;
    let [min_ok, max_ok] = PLAUSIBLE_FOCAL_MM;
    if lo < min_ok || hi > max_ok {
        // A stored solve may not know its film back height: never print NaN or null.
        let [bw, bh] = camera.film_back_mm;
        let (film_back, evidence) = if bw.is_finite() && bh.is_finite() {
            (
                format!("a {bw:.3} x {bh:.3} mm film back"),
                serde_json::json!({ "focal_range_mm": [lo, hi], "film_back_mm": camera.film_back_mm }),
            )
        } else {
            (
                format!("a {bw:.3} mm wide film back"),
                serde_json::json!({ "focal_range_mm": [lo, hi], "film_back_width_mm": bw }),
            )
        };
        out.push(finding(
            "focal_implausible",
            Severity::Warning,
            format!(
                "focal length {lo:.3}-{hi:.3} mm with {film_back} is outside {min_ok}-{max_ok} mm"
            ),
            "check the film back (--sensor-width/--sensor-height) and that column 8 is the vertical FOV".to_owned(),
            evidence,
        ));
    }
    let [w, h] = plate.size;
    let [bw, bh] = camera.film_back_mm;
    if w > 0 && h > 0 && bw > 0.0 && bh > 0.0 {
        let plate_aspect = f64::from(w) * plate.pixel_aspect / f64::from(h);
        let back_aspect = bw / bh;
        if ((plate_aspect - back_aspect) / plate_aspect).abs() > ASPECT_TOLERANCE {
            out.push(finding(
                "film_back_aspect",
                Severity::Info,
                format!(
                    "the plate's aspect is {plate_aspect:.3} but the film back's is {back_aspect:.3}: the focal length was derived from the vertical aperture {bh} mm",
                ),
                format!(
                    "if the camera's film back really matches the plate, pass --sensor-width/--sensor-height (e.g. {:.3} x {bh})",
                    bh * plate_aspect
                ),
                serde_json::json!({
                    "plate_aspect": plate_aspect,
                    "film_back_aspect": back_aspect,
                    "film_back_mm": camera.film_back_mm,
                }),
            ));
        }
    }
    out
}

/// Lines a lenient camera read skipped: the camera is missing those frames.
pub fn skipped_camera_lines(skipped: &[String]) -> Option<ShotFinding> {
    (!skipped.is_empty()).then(|| {
        finding(
            "camera_lines_skipped",
            Severity::Warning,
            format!(
                "{} line(s) of the camera file were skipped (--lenient)",
                skipped.len()
            ),
            "fix or re-export the camera file; the skipped frames have no camera".to_owned(),
            serde_json::json!({ "count": skipped.len(), "lines": skipped }),
        )
    })
}

fn finding(
    code: &'static str,
    severity: Severity,
    message: String,
    recommendation: String,
    evidence: serde_json::Value,
) -> ShotFinding {
    ShotFinding {
        code,
        severity,
        message,
        recommendation,
        evidence,
    }
}

/// Frames of `range` absent from `present` (sorted) and not in `excluded` (sorted).
fn frames_not_in(
    range: std::ops::RangeInclusive<i64>,
    present: &[i64],
    excluded: &[i64],
) -> Vec<i64> {
    range
        .filter(|f| present.binary_search(f).is_err() && excluded.binary_search(f).is_err())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(first: i64, last: i64) -> PlateFacts {
        PlateFacts {
            first_frame: first,
            last_frame: last,
            missing_frames: Vec::new(),
            variable_frame_rate: false,
            size: [640, 360],
            pixel_aspect: 1.0,
        }
    }

    fn camera(frames: impl IntoIterator<Item = i64>) -> CameraFacts {
        CameraFacts {
            frames: frames.into_iter().collect(),
            focal_range_mm: [35.0, 50.0],
            film_back_mm: [32.0, 18.0],
            has_fov: true,
        }
    }

    fn codes(findings: &[ShotFinding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_camera_from_1_on_a_plate_from_1001_suggests_offset_1000() {
        let findings = check_shot(&camera(1..=96), &plate(1001, 1096));
        assert_eq!(codes(&findings), ["frame_offset"]);
        assert_eq!(findings[0].evidence["suggested_offset"], 1000);
        assert!(findings[0].recommendation.contains("--frame-offset 1000"));
    }

    #[test]
    fn a_matching_camera_and_plate_give_no_findings() {
        assert!(check_shot(&camera(1001..=1096), &plate(1001, 1096)).is_empty());
    }

    #[test]
    fn a_short_camera_reports_the_uncovered_plate_frames() {
        let findings = check_shot(&camera(1001..=1090), &plate(1001, 1096));
        assert_eq!(
            codes(&findings),
            ["frame_count_mismatch", "plate_frames_without_camera"]
        );
        assert_eq!(findings[1].evidence["frames"], "1091-1096");
        assert_eq!(findings[1].evidence["count"], 6);
    }

    #[test]
    fn camera_frames_beyond_the_plate_are_reported() {
        let findings = check_shot(&camera(1001..=1100), &plate(1001, 1096));
        assert_eq!(
            codes(&findings),
            ["frame_count_mismatch", "camera_frames_without_plate"]
        );
        assert_eq!(findings[1].evidence["frames"], "1097-1100");
        assert_eq!(findings[1].severity, Severity::Info);
    }

    #[test]
    fn a_camera_entirely_outside_the_plate_is_an_error() {
        let findings = check_shot(&camera(1..=10), &plate(1001, 1096));
        let outside = findings
            .iter()
            .find(|f| f.code == "camera_frames_without_plate")
            .unwrap();
        assert_eq!(outside.severity, Severity::Critical);
    }

    #[test]
    fn gaps_on_either_side_are_named() {
        let mut p = plate(1001, 1010);
        p.missing_frames = vec![1005, 1006];
        let cam = camera((1001..=1010).filter(|f| *f != 1003));
        let findings = check_shot(&cam, &p);
        assert_eq!(
            codes(&findings),
            [
                "plate_frames_without_camera",
                "camera_frames_without_plate",
                "camera_gaps",
                "plate_gaps"
            ]
        );
        assert_eq!(findings[0].evidence["frames"], "1003");
        assert_eq!(findings[1].evidence["frames"], "1005-1006");
        assert_eq!(findings[3].evidence["frames"], "1005-1006");
    }

    #[test]
    fn a_variable_frame_rate_plate_is_an_error() {
        let mut p = plate(1001, 1096);
        p.variable_frame_rate = true;
        let findings = check_shot(&camera(1001..=1096), &p);
        assert_eq!(codes(&findings), ["plate_vfr"]);
        assert_eq!(findings[0].severity, Severity::Critical);
    }

    #[test]
    fn an_implausible_focal_length_is_questioned() {
        let mut cam = camera(1001..=1096);
        cam.focal_range_mm = [1.5, 2.0];
        assert_eq!(
            codes(&check_shot(&cam, &plate(1001, 1096))),
            ["focal_implausible"]
        );
    }

    #[test]
    fn a_film_back_of_another_aspect_is_noted() {
        let mut cam = camera(1001..=1096);
        cam.film_back_mm = [24.576, 18.672];
        let findings = check_shot(&cam, &plate(1001, 1096));
        assert_eq!(codes(&findings), ["film_back_aspect"]);
        let plate_aspect = findings[0].evidence["plate_aspect"].as_f64().unwrap();
        assert!((plate_aspect - 640.0 / 360.0).abs() < 1e-12);
    }

    #[test]
    fn a_camera_without_fov_says_so() {
        let mut cam = camera(1001..=1096);
        cam.has_fov = false;
        assert_eq!(
            codes(&check_shot(&cam, &plate(1001, 1096))),
            ["camera_no_fov"]
        );
    }

    #[test]
    fn skipped_camera_lines_are_reported_with_their_positions() {
        assert_eq!(skipped_camera_lines(&[]), None);
        let lines = vec!["cam.chan:3:3: field tx is not a number (line skipped)".to_owned()];
        let found = skipped_camera_lines(&lines).unwrap();
        assert_eq!(found.code, "camera_lines_skipped");
        assert_eq!(found.evidence["lines"][0], lines[0].as_str());
    }

    #[test]
    fn an_empty_camera_is_an_error() {
        let findings = check_shot(&camera([]), &plate(1001, 1096));
        assert_eq!(codes(&findings), ["camera_empty"]);
    }
}
