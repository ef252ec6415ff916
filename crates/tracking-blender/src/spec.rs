//! [`SceneSpec`]: the data the scene builder gets, made from a camera track and a plate.
//!
//! Everything Blender needs is decided here, in Rust, where it is tested: the frame
//! range, the exact `fps`/`fps_base` pair ([`blender_fps`]), resolution and pixel
//! aspect, the camera's keys in Blender's world (Z-up, Euler XYZ in radians with
//! continuity, as `chan import` gives them), the plate's clip and the 2D tracks on it
//! ([`ClipTrack`]: names Blender keeps as given, markers in the clip's own frame numbers,
//! gaps closed by disabled markers). The Python side only copies values into Blender.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tracking_footage::{FootageKind, FootageProbe, Rational};
use tracking_io::axes::{UpAxis, yup_to_zup_position, yup_to_zup_rotation};
use tracking_io::euler::matrix_to_compatible_euler;
use tracking_io::{CameraTrack, FilmBack, RotationOrder, SensorFit};
use tracking_types::TrackData;

use crate::error::{BlenderError, Result};

/// Format tag and version of the spec the scene script reads (it refuses others).
pub const SPEC_FORMAT: &str = "cinematic-blender-scene";
/// See [`SPEC_FORMAT`].
///
/// Version 2 added [`SceneSpec::tracks`].
pub const SPEC_VERSION: u32 = 2;

/// Blender's scene frames are limited to ±1,048,574 (`MAXFRAME`).
const MAX_BLENDER_FRAME: i64 = 1_048_574;

/// Blender keeps ID and track names in 64-byte buffers (`MAX_NAME`), the NUL included.
pub const MAX_TRACK_NAME_BYTES: usize = 63;

/// Blender keeps `render.fps` in a 16-bit integer: 1 to 32767.
const MAX_BLENDER_FPS: i64 = 32_767;

/// A frame rate as Blender stores it: `render.fps` (integer) and `render.fps_base`
/// (a 32-bit float).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BlenderFps {
    /// `render.fps`.
    pub fps: u32,
    /// `render.fps_base`, a value a 32-bit float holds exactly.
    pub fps_base: f64,
    /// Whether `fps / fps_base` is the rate exactly (in f64 arithmetic, as Python
    /// computes it). False only for rates no such pair can hold.
    pub exact: bool,
}

/// The `fps`/`fps_base` pair for `rate`.
///
/// The rate's own numerator and denominator when both fit (`24000/1001` → fps 24000,
/// fps_base 1001); else the pair with the powers of two divided out (`60000/1001` →
/// 30000 / 500.5, since 60000 does not fit in Blender's 16-bit fps); else any exact
/// pair (fps a multiple of the numerator's odd part); else the nearest inexact one.
/// The common `24 / 1.001` is never used: 1.001 is not a 32-bit float, so it is not
/// 24000/1001.
pub fn blender_fps(rate: Rational) -> Result<BlenderFps> {
    let (num, den) = (rate.num, rate.den);
    if num <= 0 || den <= 0 {
        return Err(BlenderError::InvalidScene {
            what: "frame rate".into(),
            reason: format!("{num}/{den} is not a positive rate"),
        });
    }
    let target = num as f64 / den as f64;
    // fps in Blender's range, base a 32-bit float in Blender's range, quotient exact.
    let exact = |fps: i64, base: f64| -> Option<BlenderFps> {
        ((1..=MAX_BLENDER_FPS).contains(&fps)
            && (1e-5..=1e6).contains(&base)
            && f64::from(base as f32) == base
            && fps as f64 / base == target)
            .then(|| BlenderFps {
                fps: u32::try_from(fps).unwrap_or(1),
                fps_base: base,
                exact: true,
            })
    };
    // 1. num / den as they are; 2. both halved while the numerator is even (halving an
    // f64 is exact).
    let (mut n, mut d) = (num, den as f64);
    loop {
        if let Some(pair) = exact(n, d) {
            return Ok(pair);
        }
        if n % 2 != 0 {
            break;
        }
        n /= 2;
        d /= 2.0;
    }
    // 3. fps = m · (odd part of num), fps_base = m · den / 2^k.
    let twos = num.trailing_zeros();
    let odd = num >> twos;
    let scale = f64::from(2_u32.pow(twos.min(31)));
    for m in (1..=MAX_BLENDER_FPS / odd.max(1)).rev() {
        if let Some(pair) = exact(m * odd, (m as f64 * den as f64) / scale) {
            return Ok(pair);
        }
    }
    // 4. Nothing exact: the rate rounded to an integer fps over the nearest base.
    let fps = target.ceil().clamp(1.0, MAX_BLENDER_FPS as f64);
    let base = f64::from((fps / target) as f32);
    Ok(BlenderFps {
        fps: fps as u32,
        fps_base: base,
        exact: false,
    })
}

/// Blender's `pixel_aspect_x`/`pixel_aspect_y` (each 1 to 200) for a pixel aspect.
pub fn blender_pixel_aspect(par: Rational) -> Result<[f64; 2]> {
    let (p, q) = (par.num, par.den);
    if p <= 0 || q <= 0 {
        return Err(BlenderError::InvalidScene {
            what: "pixel aspect".into(),
            reason: format!("{p}:{q} is not positive"),
        });
    }
    let pair = if p % q == 0 {
        [(p / q) as f64, 1.0]
    } else if q % p == 0 {
        [1.0, (q / p) as f64]
    } else if p <= 200 && q <= 200 {
        [p as f64, q as f64]
    } else if p > q {
        [f64::from((p as f64 / q as f64) as f32), 1.0]
    } else {
        [1.0, f64::from((q as f64 / p as f64) as f32)]
    };
    if pair.iter().any(|v| !(1.0..=200.0).contains(v)) {
        return Err(BlenderError::InvalidScene {
            what: "pixel aspect".into(),
            reason: format!("{p}:{q} is outside what Blender holds (1:200 to 200:1)"),
        });
    }
    Ok(pair)
}

/// The plate as the scene uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatePlan {
    /// Absolute path Blender loads: the movie file, or the first frame file of a
    /// sequence (Blender finds the others by number).
    pub path: PathBuf,
    /// Movie or image sequence.
    pub kind: FootageKind,
    /// Scene frame of the plate's first frame (a sequence's own first number; a
    /// movie's `plate_start`, 1001 by default).
    pub first_frame: i64,
    /// Scene frame of the plate's last frame.
    pub last_frame: i64,
    /// Frames missing inside a sequence's range (the first ones).
    pub missing_frames: Vec<i64>,
    /// The frame rate.
    pub rate: Rational,
    /// Stored `[width, height]` in pixels (Blender shows frames as stored).
    pub size: [u32; 2],
    /// Pixel aspect (1:1 when the file does not say).
    pub pixel_aspect: Rational,
    /// Clockwise display rotation the file asks for (Blender does not apply it).
    pub rotation_cw: u16,
}

impl PlatePlan {
    /// The plan for a probed plate; `movie_start` numbers a movie's first frame.
    pub fn from_probe(probe: &FootageProbe, plate: &Path, movie_start: i64) -> Result<Self> {
        let count = i64::try_from(probe.metadata.duration_frames.max(1)).unwrap_or(i64::MAX);
        let (path, first_frame, last_frame, missing) = match &probe.sequence {
            Some(seq) => (
                PathBuf::from(&seq.directory).join(&seq.first.file),
                seq.first_frame,
                seq.last_frame,
                seq.missing_frames.clone(),
            ),
            None => (
                plate.to_path_buf(),
                movie_start,
                movie_start.saturating_add(count - 1),
                Vec::new(),
            ),
        };
        let path = std::path::absolute(&path).map_err(|source| BlenderError::Io {
            path: path.clone(),
            action: "make absolute",
            source,
        })?;
        Ok(Self {
            path,
            kind: probe.kind,
            first_frame,
            last_frame,
            missing_frames: missing,
            rate: probe.rate.rational,
            size: probe.raw_size,
            pixel_aspect: probe
                .pixel_aspect
                .filter(|par| par.num > 0 && par.den > 0)
                .unwrap_or(Rational { num: 1, den: 1 }),
            rotation_cw: probe.orientation.rotation_cw,
        })
    }
}

/// How the camera's lens is set up in Blender.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraSetup {
    /// `sensor_width`/`sensor_height` (the import's film back).
    pub sensor: FilmBack,
    /// `sensor_fit` (Nuke and Blender's chan importer fit horizontally).
    pub sensor_fit: SensorFit,
    /// Focal length for a camera whose frames carry none (never invented).
    pub focal_length_mm: Option<f64>,
}

/// What the scene script builds (serialised as its JSON input).
#[derive(Debug, Clone, Serialize)]
pub struct SceneSpec {
    /// [`SPEC_FORMAT`].
    pub format: &'static str,
    /// [`SPEC_VERSION`].
    pub version: u32,
    /// Where Blender saves (set by the build to its temp file).
    pub output: PathBuf,
    /// Let Blender store media paths relative to the file.
    pub relative_paths: bool,
    /// Scene settings.
    pub scene: SceneSettings,
    /// The camera.
    pub camera: CameraKeys,
    /// The plate clip, when there is a plate.
    pub plate: Option<PlateClip>,
    /// 2D tracks on the plate clip (set by [`with_tracks`](Self::with_tracks)).
    pub tracks: Vec<ClipTrack>,
    /// The rate the scene is for (not read by Blender; kept for the report).
    #[serde(skip)]
    pub rate: Rational,
    /// Notes for the user: things Blender will show differently from the plate.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// Scene-level settings.
#[derive(Debug, Clone, Serialize)]
pub struct SceneSettings {
    /// Scene name (the shot).
    pub name: String,
    /// First frame.
    pub frame_start: i64,
    /// Last frame.
    pub frame_end: i64,
    /// `render.fps`.
    pub fps: u32,
    /// `render.fps_base`.
    pub fps_base: f64,
    /// Whether `fps / fps_base` is the rate exactly.
    pub fps_exact: bool,
    /// `resolution_x`, `resolution_y`.
    pub resolution: [u32; 2],
    /// `pixel_aspect_x`, `pixel_aspect_y`.
    pub pixel_aspect: [f64; 2],
}

/// The camera's keys, flat, in Blender's world.
#[derive(Debug, Clone, Serialize)]
pub struct CameraKeys {
    /// Object and data name.
    pub name: String,
    /// `sensor_width`.
    pub sensor_width: f64,
    /// `sensor_height`.
    pub sensor_height: f64,
    /// `AUTO`, `HORIZONTAL` or `VERTICAL`.
    pub sensor_fit: &'static str,
    /// Keyed frames.
    pub frames: Vec<i64>,
    /// `x, y, z` per frame.
    pub location: Vec<f64>,
    /// Euler XYZ in radians per frame, continuous.
    pub rotation_euler: Vec<f64>,
    /// Lens per frame, when the camera has one on every frame.
    pub lens: Option<Vec<f64>>,
    /// The one lens of a camera without per-frame lens.
    pub lens_constant: Option<f64>,
}

/// The plate as a movie clip.
#[derive(Debug, Clone, Serialize)]
pub struct PlateClip {
    /// Absolute file Blender loads.
    pub path: PathBuf,
    /// Clip name.
    pub name: String,
    /// Scene frame of the clip's first frame.
    pub frame_start: i64,
}

/// One 2D track as the scene script puts it on the plate clip
/// (`clip.tracking.tracks`, the default camera tracking object).
///
/// Frames are the clip's own numbers, which is what `MovieTrackingMarker.frame` and
/// `markers.insert_frame` use: `clip frame = scene frame - clip.frame_start + 1`
/// (Blender's `BKE_movieclip_remap_scene_to_clip_frame`, used by the clip editor and
/// the Follow Track constraint; `frame_offset`, which the script keeps at 0, only
/// shifts which file frame is read). Positions are [`TrackData`]'s, unchanged: both are
/// normalised with the origin at the bottom-left corner, x right, y up.
///
/// Blender holds a marker's position until the next marker, and holds the first marker
/// back to the first frame. So a track's markers are its keys plus *disabled*
/// (`mute`) markers that keep gaps empty: one the frame before the first key, and one
/// the frame after each key whose next frame is not keyed (the held key's position).
/// Pattern and search areas stay Blender's defaults (`tracking.settings`:
/// 21 px pattern, 71 px search, around the marker): [`TrackData`]'s pattern and search
/// areas, colour, correlation and `enabled` flag are not carried over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClipTrack {
    /// The name in Blender: unique on the clip, at most [`MAX_TRACK_NAME_BYTES`]
    /// bytes, no NUL. The script fails if Blender stores another.
    pub name: String,
    /// The [`TrackData`] name it was made from (differs only when a warning says so).
    #[serde(skip)]
    pub source_name: String,
    /// Clip frame per marker, ascending.
    pub frames: Vec<i64>,
    /// `co` per marker, flat `x, y`.
    pub co: Vec<f64>,
    /// `mute` per marker: true for the gap markers (and for the lone marker Blender
    /// needs on a track without keys).
    pub mute: Vec<bool>,
    /// How many of the markers are keys.
    #[serde(skip)]
    pub keys: usize,
}

/// Blender names for `tracks` in order: each its own name cut to
/// [`MAX_TRACK_NAME_BYTES`] on a character boundary (NUL replaced by `_`, empty as
/// `Track`), then `.001`, `.002`, … where that is taken, as Blender would; each change
/// is a warning.
fn track_names(tracks: &[TrackData], warnings: &mut Vec<String>) -> Vec<String> {
    fn fit(name: &str, room: usize) -> &str {
        let mut end = name.len().min(room);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        &name[..end]
    }
    let wanted: Vec<String> = tracks
        .iter()
        .map(|t| {
            let clean = t.name.replace('\0', "_");
            let clean = if clean.is_empty() {
                "Track".to_owned()
            } else {
                clean
            };
            fit(&clean, MAX_TRACK_NAME_BYTES).to_owned()
        })
        .collect();
    let mut taken = std::collections::BTreeSet::new();
    let mut names = Vec::with_capacity(tracks.len());
    for (i, (track, want)) in tracks.iter().zip(&wanted).enumerate() {
        // A later track's own name is not stolen by an earlier duplicate's suffix.
        let free = |name: &str, taken: &std::collections::BTreeSet<String>| {
            !taken.contains(name) && !wanted[i + 1..].iter().any(|w| w == name)
        };
        let mut name = want.clone();
        if taken.contains(&name) {
            let mut n = 1_u32;
            loop {
                let suffix = format!(".{n:03}");
                let candidate =
                    format!("{}{suffix}", fit(want, MAX_TRACK_NAME_BYTES - suffix.len()));
                if free(&candidate, &taken) {
                    name = candidate;
                    break;
                }
                n += 1;
            }
        }
        if name != track.name {
            let why = if track.name.is_empty() {
                "is empty"
            } else if track.name.contains('\0') {
                "holds a NUL character"
            } else if *want != name {
                "is taken by an earlier track"
            } else {
                "is longer than Blender's 63 bytes"
            };
            warnings.push(format!(
                "2D track {:?} {why}: named {name:?} in Blender",
                track.name
            ));
        }
        taken.insert(name.clone());
        names.push(name);
    }
    names
}

/// `track`'s markers on a clip whose first frame plays at scene frame `clip_start`.
fn clip_track(
    track: &TrackData,
    name: String,
    clip_start: i64,
    range: [i64; 2],
    warnings: &mut Vec<String>,
) -> Result<ClipTrack> {
    let at = |frame: i64| format!("2D track {:?} frame {frame}", track.name);
    let mut out = ClipTrack {
        name,
        source_name: track.name.clone(),
        frames: Vec::with_capacity(track.markers.len() + 2),
        co: Vec::with_capacity(2 * track.markers.len() + 4),
        mute: Vec::with_capacity(track.markers.len() + 2),
        keys: track.markers.len(),
    };
    let push = |out: &mut ClipTrack, scene_frame: i64, co: [f64; 2], mute: bool| {
        out.frames.push(scene_frame - clip_start + 1);
        out.co.extend(co);
        out.mute.push(mute);
    };
    let mut outside = None::<(i64, i64)>;
    let mut previous: Option<(i64, [f64; 2])> = None;
    for (&frame, &co) in &track.markers {
        if frame.unsigned_abs() > MAX_BLENDER_FRAME.unsigned_abs() {
            return Err(invalid(
                at(frame),
                format!("is beyond Blender's frame limit ±{MAX_BLENDER_FRAME}"),
            ));
        }
        if co
            .iter()
            .any(|v| !v.is_finite() || !(*v as f32).is_finite())
        {
            return Err(invalid(
                at(frame),
                format!("position {co:?} is not a finite 32-bit number"),
            ));
        }
        if frame < range[0] || frame > range[1] {
            outside = Some(outside.map_or((frame, frame), |(a, _)| (a, frame)));
        }
        match previous {
            // The first key: Blender would hold it back over every earlier frame.
            None => push(&mut out, frame - 1, co, true),
            // A gap after the previous key: closed the frame after it, where it is held.
            Some((p, held)) if p + 1 < frame => push(&mut out, p + 1, held, true),
            Some(_) => {}
        }
        push(&mut out, frame, co, false);
        previous = Some((frame, co));
    }
    match previous {
        Some((last, held)) => push(&mut out, last + 1, held, true),
        None => {
            // Blender keeps at least one marker on a track: a disabled one says "no data".
            push(&mut out, range[0], [0.0, 0.0], true);
            warnings.push(format!(
                "2D track {:?} has no markers; Blender needs one, so it has a single disabled marker at frame {}",
                track.name, range[0]
            ));
        }
    }
    if let Some((first, last)) = outside {
        warnings.push(format!(
            "2D track {:?} has markers outside the plate's frames {}-{} (first {first}, last {last}); kept, but the clip has no image there",
            track.name, range[0], range[1]
        ));
    }
    Ok(out)
}

fn sensor_fit_name(fit: SensorFit) -> &'static str {
    match fit {
        SensorFit::Auto => "AUTO",
        SensorFit::Horizontal => "HORIZONTAL",
        SensorFit::Vertical => "VERTICAL",
    }
}

fn invalid(what: impl Into<String>, reason: impl Into<String>) -> BlenderError {
    BlenderError::InvalidScene {
        what: what.into(),
        reason: reason.into(),
    }
}

impl SceneSpec {
    /// The spec for `camera` over `plate` (or, without a plate, over the camera's own
    /// frames at `rate`).
    ///
    /// The scene range is the plate's frames; the camera is keyed on its own frames
    /// (a camera that does not cover the plate says so in [`warnings`](Self::warnings)).
    pub fn new(
        name: &str,
        camera: &CameraTrack,
        setup: &CameraSetup,
        plate: Option<&PlatePlan>,
        rate: Option<Rational>,
    ) -> Result<Self> {
        if name.is_empty() {
            return Err(invalid("shot name", "is empty"));
        }
        let sensor = setup.sensor.validated()?;
        let (first, last) = camera
            .frame_range()
            .ok_or_else(|| invalid(format!("camera {}", camera.name), "has no frames"))?;
        let keys = camera_keys(name, camera, setup, sensor)?;
        let mut warnings = Vec::new();
        let (range, rate, resolution, pixel_aspect, clip) = match plate {
            Some(plate) => {
                if plate.rotation_cw != 0 {
                    warnings.push(format!(
                        "the plate asks to be shown rotated {}° clockwise; Blender shows its frames as stored ({}x{})",
                        plate.rotation_cw, plate.size[0], plate.size[1]
                    ));
                }
                if first > plate.first_frame || last < plate.last_frame {
                    warnings.push(format!(
                        "the camera is keyed on frames {first}-{last} only; the plate runs {}-{} (Blender holds the nearest key outside)",
                        plate.first_frame, plate.last_frame
                    ));
                }
                if let Some(&gap) = plate.missing_frames.first() {
                    warnings.push(format!(
                        "the sequence lacks frame {gap}{}: Blender's clip reader stops at the first missing frame, so the clip shows frames {}-{} only",
                        if plate.missing_frames.len() > 1 { " and others" } else { "" },
                        plate.first_frame,
                        gap - 1
                    ));
                }
                (
                    [plate.first_frame, plate.last_frame],
                    plate.rate,
                    plate.size,
                    blender_pixel_aspect(plate.pixel_aspect)?,
                    Some(PlateClip {
                        path: plate.path.clone(),
                        name: plate
                            .path
                            .file_name()
                            .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned()),
                        frame_start: plate.first_frame,
                    }),
                )
            }
            None => {
                let rate = rate.ok_or_else(|| invalid("frame rate", "needed without a plate"))?;
                ([first, last], rate, [1920, 1080], [1.0, 1.0], None)
            }
        };
        if resolution.iter().any(|&v| v == 0 || v > 65_536) {
            return Err(invalid(
                "resolution",
                format!(
                    "{}x{} is not a size Blender renders",
                    resolution[0], resolution[1]
                ),
            ));
        }
        for (what, value) in [("first frame", range[0]), ("last frame", range[1])] {
            if value.unsigned_abs() > MAX_BLENDER_FRAME.unsigned_abs() {
                return Err(invalid(
                    what,
                    format!("{value} is beyond Blender's frame limit ±{MAX_BLENDER_FRAME}"),
                ));
            }
        }
        let fps = blender_fps(rate)?;
        if !fps.exact {
            warnings.push(format!(
                "the rate {}/{} has no exact fps/fps_base pair in Blender; using {} / {}",
                rate.num, rate.den, fps.fps, fps.fps_base
            ));
        }
        Ok(Self {
            format: SPEC_FORMAT,
            version: SPEC_VERSION,
            output: PathBuf::new(),
            relative_paths: false,
            scene: SceneSettings {
                name: name.to_owned(),
                frame_start: range[0],
                frame_end: range[1],
                fps: fps.fps,
                fps_base: fps.fps_base,
                fps_exact: fps.exact,
                resolution,
                pixel_aspect,
            },
            camera: keys,
            plate: clip,
            tracks: Vec::new(),
            rate,
            warnings,
        })
    }

    /// The spec with `tracks` as the plate clip's 2D tracks (replacing any set before).
    ///
    /// [`TrackData`] frames are scene frames (the session's, the camera's); each track
    /// becomes a [`ClipTrack`] in the clip's frame numbers. Names Blender would change
    /// (too long, duplicated, empty) are changed here, each with a warning. Without a
    /// plate there is no clip to hold them: they are skipped with a warning. A marker
    /// off Blender's frame limit or with a non-finite position is an error.
    pub fn with_tracks(mut self, tracks: &[TrackData]) -> Result<Self> {
        self.tracks.clear();
        if tracks.is_empty() {
            return Ok(self);
        }
        let Some(clip_start) = self.plate.as_ref().map(|clip| clip.frame_start) else {
            self.warnings.push(format!(
                "{} 2D track(s) skipped: without a plate there is no movie clip to hold them",
                tracks.len()
            ));
            return Ok(self);
        };
        let range = [self.scene.frame_start, self.scene.frame_end];
        let names = track_names(tracks, &mut self.warnings);
        let mut built = Vec::with_capacity(tracks.len());
        for (track, name) in tracks.iter().zip(names) {
            built.push(clip_track(
                track,
                name,
                clip_start,
                range,
                &mut self.warnings,
            )?);
        }
        self.tracks = built;
        Ok(self)
    }

    /// Markers the tracks put in Blender (keys and disabled gap markers).
    pub fn marker_count(&self) -> usize {
        self.tracks.iter().map(|t| t.frames.len()).sum()
    }

    /// The spec as the JSON the scene script reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl CameraKeys {
    /// The keys of `camera` named `name`: what [`SceneSpec::new`] puts in a scene, and
    /// what the add-on's import operator keys onto a camera.
    pub fn new(name: &str, camera: &CameraTrack, setup: &CameraSetup) -> Result<Self> {
        camera_keys(name, camera, setup, setup.sensor.validated()?)
    }
}

fn camera_keys(
    name: &str,
    camera: &CameraTrack,
    setup: &CameraSetup,
    sensor: FilmBack,
) -> Result<CameraKeys> {
    let n = camera.frames.len();
    let mut frames = Vec::with_capacity(n);
    let mut location = Vec::with_capacity(3 * n);
    let mut rotation = Vec::with_capacity(3 * n);
    let mut lens = Vec::with_capacity(n);
    let mut missing_lens = None;
    let mut previous: Option<[f64; 3]> = None;
    for frame in &camera.frames {
        let at = |field: &str| format!("camera {} frame {}: {field}", camera.name, frame.frame);
        if frame.location.iter().any(|v| !v.is_finite()) {
            return Err(invalid(at("location"), "is not finite"));
        }
        if frame.rotation_euler_xyz_deg.iter().any(|v| !v.is_finite()) {
            return Err(invalid(at("rotation"), "is not finite"));
        }
        let (loc, euler_rad) = match camera.up_axis {
            UpAxis::Z => (
                frame.location,
                frame.rotation_euler_xyz_deg.map(f64::to_radians),
            ),
            UpAxis::Y => {
                let p = yup_to_zup_position(frame.location.into());
                let r = yup_to_zup_rotation(&frame.rotation());
                let e = match previous {
                    Some(prev) => matrix_to_compatible_euler(RotationOrder::Xyz, &r, prev),
                    None => tracking_io::euler::matrix_to_euler(RotationOrder::Xyz, &r),
                };
                ([p.x, p.y, p.z], e)
            }
        };
        previous = Some(euler_rad);
        frames.push(frame.frame);
        location.extend(loc);
        rotation.extend(euler_rad);
        match frame.lens_mm {
            Some(value) if value.is_finite() && value > 0.0 => lens.push(value),
            Some(value) => {
                return Err(invalid(
                    at("lens"),
                    format!("{value} is not a focal length"),
                ));
            }
            None => {
                missing_lens.get_or_insert(frame.frame);
            }
        }
    }
    let (lens, lens_constant) = match (missing_lens, setup.focal_length_mm) {
        (None, _) => (Some(lens), None),
        (Some(_), Some(focal)) if focal.is_finite() && focal > 0.0 => {
            if lens.is_empty() {
                (None, Some(focal))
            } else {
                // Some frames have a lens: fill the others with the given one.
                let filled = camera
                    .frames
                    .iter()
                    .map(|f| f.lens_mm.unwrap_or(focal))
                    .collect();
                (Some(filled), None)
            }
        }
        (Some(_), Some(focal)) => {
            return Err(invalid(
                "focal length",
                format!("{focal} must be finite and above 0"),
            ));
        }
        (Some(frame), None) => {
            return Err(invalid(
                format!("camera {} frame {frame}", camera.name),
                "has no focal length (no vfov column); pass --focal-length",
            ));
        }
    };
    Ok(CameraKeys {
        name: name.to_owned(),
        sensor_width: sensor.width_mm,
        sensor_height: sensor.height_mm,
        sensor_fit: sensor_fit_name(setup.sensor_fit),
        frames,
        location,
        rotation_euler: rotation,
        lens,
        lens_constant,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rate(num: i64, den: i64) -> Rational {
        Rational::new(num, den).unwrap()
    }

    #[test]
    fn common_rates_map_to_exact_pairs() {
        for (num, den, fps, base) in [
            (24, 1, 24, 1.0),
            (25, 1, 25, 1.0),
            (24000, 1001, 24000, 1001.0),
            (30000, 1001, 30000, 1001.0),
            (60000, 1001, 30000, 500.5),
            (120000, 1001, 30000, 250.25),
            (48, 1, 48, 1.0),
        ] {
            let got = blender_fps(rate(num, den)).unwrap();
            assert_eq!(
                (got.fps, got.fps_base, got.exact),
                (fps, base, true),
                "{num}/{den}"
            );
            assert_eq!(f64::from(got.fps) / got.fps_base, num as f64 / den as f64);
        }
    }

    #[test]
    fn every_pair_is_exact_or_says_it_is_not() {
        for num in 1..400_i64 {
            for den in [1, 2, 3, 7, 1001, 1000, 999] {
                let r = rate(num * 100, den);
                let got = blender_fps(r).unwrap();
                assert!((1..=32_767).contains(&got.fps));
                assert_eq!(f64::from(got.fps_base as f32), got.fps_base);
                let value = f64::from(got.fps) / got.fps_base;
                if got.exact {
                    assert_eq!(value, r.num as f64 / r.den as f64, "{r:?}");
                } else {
                    assert!(
                        (value / (r.num as f64 / r.den as f64) - 1.0).abs() < 1e-6,
                        "{r:?}"
                    );
                }
            }
        }
    }

    fn plate_spec() -> SceneSpec {
        let camera = CameraTrack {
            name: "cam".into(),
            up_axis: UpAxis::Z,
            film_back: None,
            frames: (1001..=1010)
                .map(|frame| tracking_io::CameraFrame {
                    frame,
                    location: [0.0, 0.0, 1.0],
                    rotation_euler_xyz_deg: [90.0, 0.0, 0.0],
                    lens_mm: Some(35.0),
                })
                .collect(),
        };
        let setup = CameraSetup {
            sensor: FilmBack::NUKE_DEFAULT,
            sensor_fit: SensorFit::Horizontal,
            focal_length_mm: None,
        };
        let plate = PlatePlan {
            path: PathBuf::from("/plates/p.mov"),
            kind: FootageKind::Movie,
            first_frame: 1001,
            last_frame: 1010,
            missing_frames: Vec::new(),
            rate: rate(24, 1),
            size: [1920, 1080],
            pixel_aspect: rate(1, 1),
            rotation_cw: 0,
        };
        SceneSpec::new("shot", &camera, &setup, Some(&plate), None).unwrap()
    }

    fn keyed(name: &str, frames: &[i64]) -> TrackData {
        let mut track = TrackData::new(name);
        track.markers = frames
            .iter()
            .map(|&f| (f, [f as f64 / 2000.0, 0.25]))
            .collect();
        track
    }

    #[test]
    fn tracks_go_to_clip_frames_with_gaps_closed_by_muted_markers() {
        let spec = plate_spec()
            .with_tracks(&[keyed("a", &[1001, 1002, 1005, 1007, 1008])])
            .unwrap();
        assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
        let t = &spec.tracks[0];
        // Scene 1001 is clip frame 1. Muted: before the first key, after 1002 (gap
        // 1003-1004), after 1005 (gap 1006), after the last key.
        assert_eq!(t.frames, [0, 1, 2, 3, 5, 6, 7, 8, 9]);
        assert_eq!(
            t.mute,
            [true, false, false, true, false, true, false, false, true]
        );
        // A muted marker holds the key before it (the first one the key after it).
        let x: Vec<f64> = t.co.chunks(2).map(|c| (c[0] * 2000.0).round()).collect();
        assert_eq!(
            x,
            [
                1001.0, 1001.0, 1002.0, 1002.0, 1005.0, 1005.0, 1007.0, 1008.0, 1008.0
            ]
        );
        assert_eq!(t.keys, 5);
        assert_eq!(spec.marker_count(), 9);
        let json: serde_json::Value = serde_json::from_str(&spec.to_json()).unwrap();
        assert_eq!(json["version"], 2);
        assert_eq!(json["tracks"][0]["name"], "a");
        assert_eq!(json["tracks"][0]["frames"][1], 1);
        assert!(json["tracks"][0].get("source_name").is_none());
    }

    #[test]
    fn names_blender_would_change_are_changed_here_with_a_warning() {
        let long = "é".repeat(40); // 80 bytes: cut on a character boundary
        let spec = plate_spec()
            .with_tracks(&[
                keyed("a", &[1001]),
                keyed("a", &[1001]),
                keyed("a.001", &[1001]),
                keyed(&long, &[1001]),
                keyed("", &[1001]),
                keyed("nul\0name", &[1001]),
            ])
            .unwrap();
        let names: Vec<&str> = spec.tracks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["a", "a.002", "a.001", &"é".repeat(31), "Track", "nul_name"]
        );
        assert!(names.iter().all(|n| n.len() <= MAX_TRACK_NAME_BYTES));
        assert_eq!(spec.warnings.len(), 4, "{:?}", spec.warnings);
        assert!(spec.warnings[0].contains("\"a\" is taken by an earlier track: named \"a.002\""));
        assert_eq!(spec.tracks[1].source_name, "a");
    }

    #[test]
    fn a_track_without_keys_gets_one_muted_marker_and_a_warning() {
        let spec = plate_spec().with_tracks(&[TrackData::new("none")]).unwrap();
        let t = &spec.tracks[0];
        assert_eq!(
            (t.frames.as_slice(), t.mute.as_slice()),
            (&[1][..], &[true][..])
        );
        assert!(spec.warnings[0].contains("has no markers"));
    }

    #[test]
    fn tracks_without_a_plate_are_skipped_with_a_warning() {
        let mut spec = plate_spec();
        spec.plate = None;
        let spec = spec.with_tracks(&[keyed("a", &[1001])]).unwrap();
        assert!(spec.tracks.is_empty());
        assert!(spec.warnings[0].contains("1 2D track(s) skipped"));
    }

    #[test]
    fn keys_outside_the_plate_warn_and_bad_keys_fail() {
        let spec = plate_spec()
            .with_tracks(&[keyed("a", &[995, 1001])])
            .unwrap();
        assert!(spec.warnings[0].contains("outside the plate's frames 1001-1010"));
        assert_eq!(spec.tracks[0].frames[0], -6);
        let mut bad = keyed("b", &[1001]);
        bad.markers.insert(1002, [f64::NAN, 0.0]);
        let err = plate_spec().with_tracks(&[bad]).unwrap_err().to_string();
        assert!(err.contains("\"b\" frame 1002"), "{err}");
        let mut huge = keyed("c", &[1001]);
        huge.markers.insert(1002, [1e300, 0.0]);
        assert!(plate_spec().with_tracks(&[huge]).is_err());
        assert!(
            plate_spec()
                .with_tracks(&[keyed("d", &[2_000_000])])
                .is_err()
        );
    }

    #[test]
    fn pixel_aspects_stay_exact() {
        assert_eq!(blender_pixel_aspect(rate(2, 1)).unwrap(), [2.0, 1.0]);
        assert_eq!(blender_pixel_aspect(rate(1, 1)).unwrap(), [1.0, 1.0]);
        assert_eq!(blender_pixel_aspect(rate(10, 11)).unwrap(), [10.0, 11.0]);
        assert_eq!(blender_pixel_aspect(rate(4, 3)).unwrap(), [4.0, 3.0]);
        assert!(blender_pixel_aspect(rate(1000, 1)).is_err());
    }
}
