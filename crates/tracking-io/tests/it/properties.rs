//! Property tests: conversions are exact inverses, Euler decomposition recomposes to
//! the same matrix in all six orders (also at and near ±90°), write → read is the
//! identity, and the reader never panics on any bytes.

use nalgebra::Matrix4;
use proptest::prelude::*;
use tracking_io::axes::{
    transform_from_location_euler, yup_to_zup_transform, zup_to_yup_transform,
};
use tracking_io::euler::{
    euler_deg_to_matrix, euler_to_matrix, matrix_to_compatible_euler, matrix_to_euler,
};
use tracking_io::{
    CameraFrame, CameraTrack, ChanOptions, ChanWriteOptions, FilmBack, ReadMode, RotationOrder,
    UpAxis, parse_str, to_chan_string,
};

fn order() -> impl Strategy<Value = RotationOrder> {
    prop::sample::select(RotationOrder::ALL.to_vec())
}

/// Angles in degrees, with the middle one often at or within a hair of ±90°.
fn angles() -> impl Strategy<Value = [f64; 3]> {
    let middle = prop_oneof![
        -720.0..720.0f64,
        prop::sample::select(vec![90.0, -90.0, 270.0]),
        (prop::sample::select(vec![90.0, -90.0]), -1e-3..1e-3f64).prop_map(|(a, d)| a + d),
        (prop::sample::select(vec![90.0, -90.0]), -1e-9..1e-9f64).prop_map(|(a, d)| a + d),
    ];
    (-720.0..720.0f64, middle, -720.0..720.0f64).prop_map(|(a, b, c)| [a, b, c])
}

fn max_diff(a: &Matrix4<f64>, b: &Matrix4<f64>) -> f64 {
    (a - b).amax()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn yup_to_zup_to_yup_is_the_identity_on_transforms(
        location in prop::array::uniform3(-1e4..1e4f64), rotation in angles(), order in order()
    ) {
        let m = transform_from_location_euler(location, rotation, order);
        prop_assert_eq!(zup_to_yup_transform(&yup_to_zup_transform(&m)), m);
    }

    #[test]
    fn euler_decomposition_recomposes_to_the_same_matrix_in_every_order(
        rotation in angles(), order in order()
    ) {
        // Middle angle of *this* order near ±90° too: rotate the triple so the
        // generated middle lands on the order's middle axis.
        let [_, middle, _] = order.axes();
        let mut deg = rotation;
        deg.swap(1, middle);
        let r = euler_deg_to_matrix(order, deg);
        let picked = matrix_to_euler(order, &r);
        let back = euler_to_matrix(order, picked);
        prop_assert!((back.matrix() - r.matrix()).amax() < 1e-9, "{:?} {:?}", deg, picked);
        let compatible = matrix_to_compatible_euler(order, &r, deg.map(f64::to_radians));
        let back = euler_to_matrix(order, compatible);
        prop_assert!((back.matrix() - r.matrix()).amax() < 1e-9);
    }

    #[test]
    fn writing_then_reading_a_chan_gives_back_the_same_camera(
        frames in prop::collection::vec(
            (prop::array::uniform3(-1e3..1e3f64), angles(), 5.0..500.0f64), 1..20),
        order in order(), start in -1000i64..100_000
    ) {
        let track = CameraTrack {
            name: String::new(),
            up_axis: UpAxis::Z,
            film_back: Some(FilmBack::NUKE_DEFAULT),
            frames: frames.iter().enumerate().map(|(i, (location, rotation, lens))| CameraFrame {
                frame: start + i as i64,
                location: *location,
                rotation_euler_xyz_deg: *rotation,
                lens_mm: Some(*lens),
            }).collect(),
        };
        let text = to_chan_string(&track, &ChanWriteOptions { rotation_order: order, ..ChanWriteOptions::default() }).unwrap();
        let back = parse_str(&text, ChanOptions { rotation_order: order, ..ChanOptions::default() }).unwrap().track;
        prop_assert_eq!(back.frames.len(), track.frames.len());
        for (a, b) in track.frames.iter().zip(&back.frames) {
            prop_assert_eq!(a.frame, b.frame);
            prop_assert!(max_diff(&a.matrix_world(), &b.matrix_world()) < 1e-9);
            let (la, lb) = (a.lens_mm.unwrap(), b.lens_mm.unwrap());
            prop_assert!((la - lb).abs() < 1e-9 * la);
        }
    }

    #[test]
    fn the_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let text = String::from_utf8_lossy(&bytes);
        for mode in [ReadMode::Strict, ReadMode::Lenient] {
            let _ = parse_str(&text, ChanOptions { mode, ..ChanOptions::default() });
            let _ = tracking_io::ChanReader::from_reader(bytes.as_slice(), ChanOptions { mode, ..ChanOptions::default() }).read();
        }
    }

    #[test]
    fn the_reader_never_panics_on_mutated_valid_files(
        edits in prop::collection::vec((0usize..400, any::<u8>(), 0u8..3), 1..12)
    ) {
        let mut bytes = include_bytes!("../fixtures/valid/nuke_vectors_zxy.chan").to_vec();
        for (at, byte, kind) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => { bytes.remove(at); }
                _ => {}
            }
        }
        for mode in [ReadMode::Strict, ReadMode::Lenient] {
            let result = tracking_io::ChanReader::from_reader(bytes.as_slice(), ChanOptions { mode, ..ChanOptions::default() }).read();
            if let Ok(import) = result {
                for frame in &import.track.frames {
                    prop_assert!(frame.location.iter().chain(&frame.rotation_euler_xyz_deg).all(|v| v.is_finite()));
                }
            }
        }
    }

    #[test]
    fn exported_euler_curves_are_continuous_for_smooth_motion(
        start in angles(), step in prop::array::uniform3(-3.0..3.0f64), order in order()
    ) {
        let frames: Vec<CameraFrame> = (0..60).map(|i| CameraFrame {
            frame: i,
            location: [0.0; 3],
            rotation_euler_xyz_deg: [0, 1, 2].map(|a| start[a] + step[a] * i as f64),
            lens_mm: None,
        }).collect();
        let track = CameraTrack { name: String::new(), up_axis: UpAxis::Z, film_back: None, frames };
        let text = to_chan_string(&track, &ChanWriteOptions { rotation_order: order, ..ChanWriteOptions::default() }).unwrap();
        let rows: Vec<Vec<f64>> = text.lines().map(|l| l.split('\t').map(|v| v.parse().unwrap()).collect()).collect();
        let [_, middle, _] = order.axes();
        let near_lock = |row: &Vec<f64>| row[4 + middle].to_radians().cos().abs() < 0.2;
        for pair in rows.windows(2) {
            // Near the target order's gimbal lock Euler angles really do race.
            if near_lock(&pair[0]) || near_lock(&pair[1]) {
                continue;
            }
            for axis in 4..7 {
                // A flip to the other solution or a whole-turn wrap would show as > 90°.
                prop_assert!((pair[1][axis] - pair[0][axis]).abs() < 90.0, "{:?} -> {:?}", pair[0], pair[1]);
            }
        }
    }
}
