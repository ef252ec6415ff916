//! 2D tracks on the plate clip: built, then read back from the saved file in a separate
//! Blender run (tests/it/blender/read_tracks.py), on a clip whose first frame plays at
//! scene frame 1001 so clip frames and scene frames differ.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tracking_blender::{BuildOptions, CameraSetup, PlatePlan, SceneSpec, build_scene};
use tracking_footage::{ProbeOptions, probe};
use tracking_io::{FilmBack, RotationOrder, SensorFit};
use tracking_types::TrackData;

use crate::common;

/// A position that moves a lot from frame to frame, so an off-by-one frame shows.
fn wobble(frame: i64, seed: f64) -> [f64; 2] {
    let t = frame as f64;
    [
        0.5 + 0.3 * (t * 1.3 + seed).sin(),
        0.5 + 0.3 * (t * 0.7 + seed).cos(),
    ]
}

fn track(name: &str, frames: impl IntoIterator<Item = i64>, seed: f64) -> TrackData {
    let mut track = TrackData::new(name);
    track.markers = frames.into_iter().map(|f| (f, wobble(f, seed))).collect();
    track
}

fn read_tracks(blender: &tracking_blender::Blender, blend: &Path, dir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/blender/read_tracks.py");
    let result = dir.join("tracks.json");
    let run = std::process::Command::new(blender.program())
        .args([
            "-b",
            "--factory-startup",
            "--python-exit-code",
            "1",
            "--python",
        ])
        .arg(&script)
        .arg("--")
        .arg(blend)
        .arg(&result)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "read_tracks.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap()
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn tracks_land_on_their_clip_frames_and_pixels_with_gaps_kept_empty() {
    let blender = require_blender!();
    let Some(ffmpeg) = common::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let movie = dir.path().join("plate.mp4");
    common::ffmpeg_make(
        &ffmpeg,
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x36:rate=25",
            "-frames:v",
            "30",
        ],
        &movie,
    );
    let probed = probe(&movie, &ProbeOptions::deep()).unwrap();
    let plate = PlatePlan::from_probe(&probed, &movie, 1001).unwrap();
    assert_eq!((plate.first_frame, plate.last_frame), (1001, 1030));
    let setup = CameraSetup {
        sensor: FilmBack::NUKE_DEFAULT,
        sensor_fit: SensorFit::Horizontal,
        focal_length_mm: None,
    };
    // A still camera: on a moving one, Follow Track's object and the projection through
    // the evaluated camera differed by ~0.2 px (evaluation order, not the marker), and
    // the check is about which marker Blender picks for a scene frame.
    let still: String = (1001..=1030)
        .map(|f| format!("{f} 0.5 -1.0 1.7 10.0 20.0 5.0 40.0\n"))
        .collect();
    let mut cam = tracking_io::chan::parse_str(
        &still,
        tracking_io::ChanOptions {
            rotation_order: RotationOrder::Zxy,
            film_back: FilmBack::NUKE_DEFAULT,
            ..tracking_io::ChanOptions::default()
        },
    )
    .unwrap()
    .track;
    cam.name = "cam".into();
    let long = "a".repeat(70);
    let tracks = vec![
        track("full", 1001..=1030, 0.0),
        // Keys 1003-1008, a 4-frame gap, 1013-1016, a 1-frame gap, 1018-1020, then none.
        track(
            "gappy",
            (1003..=1008).chain(1013..=1016).chain(1018..=1020),
            1.0,
        ),
        track("gappy", [1010, 1011], 2.0),
        track(&long, [1030], 3.0),
        TrackData::new("empty"),
    ];
    let spec = SceneSpec::new("tracks", &cam, &setup, Some(&plate), None)
        .unwrap()
        .with_tracks(&tracks)
        .unwrap();
    let names: Vec<&str> = spec.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["full", "gappy", "gappy.001", &long[..63], "empty"]);
    for needle in [
        "\"gappy\" is taken by an earlier track: named \"gappy.001\"",
        "is longer than Blender's 63 bytes",
        "\"empty\" has no markers",
    ] {
        assert!(
            spec.warnings.iter().any(|w| w.contains(needle)),
            "{needle}: {:?}",
            spec.warnings
        );
    }
    let out = dir.path().join("tracks.blend");
    let report = build_scene(&blender, &spec, &out, &BuildOptions::default()).unwrap();
    assert_eq!(report.tracks, 5);
    assert_eq!(report.markers, spec.marker_count() as u64);

    let read = read_tracks(&blender, &out, dir.path());
    assert_eq!(read["clip"]["frame_start"], 1001);
    assert_eq!(read["clip"]["frame_offset"], 0);
    assert_eq!(read["clip"]["size"], serde_json::json!([64, 36]));
    let (w, h) = (64.0, 36.0);
    let stored = read["tracks"].as_array().unwrap();
    assert_eq!(stored.len(), tracks.len());
    for ((data, planned), got) in tracks.iter().zip(&spec.tracks).zip(stored) {
        let name = &planned.name;
        assert_eq!(got["name"].as_str(), Some(name.as_str()));
        let frames: Vec<i64> = got["frames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let co = numbers(&got["co"]);
        let mute: Vec<bool> = got["mute"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        assert_eq!(frames, planned.frames, "{name}");
        assert_eq!(mute, planned.mute, "{name}");
        let by_clip_frame: BTreeMap<i64, ([f64; 2], bool)> = frames
            .iter()
            .enumerate()
            .map(|(i, &f)| (f, ([co[2 * i], co[2 * i + 1]], mute[i])))
            .collect();
        // Every key: at clip frame (scene - 1001 + 1), at its pixel, enabled.
        for (&scene_frame, &[x, y]) in &data.markers {
            let (got_co, muted) = by_clip_frame[&(scene_frame - 1000)];
            assert!(!muted, "{name} {scene_frame}");
            assert!(
                (got_co[0] * w - x * w).abs() < 1e-4 && (got_co[1] * h - y * h).abs() < 1e-4,
                "{name} frame {scene_frame}: {got_co:?} vs {:?}",
                [x, y]
            );
        }
        // Everything else Blender stores is a disabled marker.
        let keyed = by_clip_frame.values().filter(|(_, m)| !m).count();
        assert_eq!(keyed, data.markers.len(), "{name}");
        // Pattern and search areas: Blender's defaults around the first marker.
        let half_pattern = read["default_pattern_size"].as_f64().unwrap() / 2.0;
        let half_search = read["default_search_size"].as_f64().unwrap() / 2.0;
        let corners: Vec<Vec<f64>> = got["pattern_corners"]
            .as_array()
            .unwrap()
            .iter()
            .map(numbers)
            .collect();
        for corner in &corners {
            assert!(
                (corner[0].abs() * w - half_pattern).abs() < 1e-3,
                "{corners:?}"
            );
            assert!(
                (corner[1].abs() * h - half_pattern).abs() < 1e-3,
                "{corners:?}"
            );
        }
        let search_max = numbers(&got["search_max"]);
        assert!(
            (search_max[0] * w - half_search).abs() < 1e-3,
            "{search_max:?}"
        );
        assert!(
            (search_max[1] * h - half_search).abs() < 1e-3,
            "{search_max:?}"
        );

        // The independent path: Blender maps each scene frame to the clip itself (Follow
        // Track) and lands on the key's position (positions jump ~0.3 per frame, so an
        // off-by-one frame would miss by pixels). Then, with that mapping confirmed, the
        // marker Blender holds at each scene frame (find_frame, not exact) is muted
        // exactly where the track has no key: gaps, before the first key, after the last.
        for record in got["follow"].as_array().unwrap() {
            let scene_frame = record[0].as_i64().unwrap();
            let held_mute = record[3].as_bool().unwrap();
            match data.markers.get(&scene_frame) {
                Some(&[x, y]) => {
                    assert!(!held_mute, "{name} {scene_frame}");
                    let (vx, vy) = (record[1].as_f64().unwrap(), record[2].as_f64().unwrap());
                    assert!(
                        (vx - x).abs() * w < 1e-2 && (vy - y).abs() * h < 1e-2,
                        "{name} scene frame {scene_frame}: Follow Track at {:?}, key {:?}",
                        [vx, vy],
                        [x, y]
                    );
                }
                None => assert!(held_mute, "{name} {scene_frame} should have no data"),
            }
        }
    }
}
