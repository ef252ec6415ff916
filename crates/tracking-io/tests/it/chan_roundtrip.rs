//! chan → import → export: reproduces the input (to 1e-9), and agrees with what
//! Blender 3.4's own exporter wrote for the same import (Euler continuity included).

use std::path::{Path, PathBuf};

use tracking_io::euler::euler_deg_to_matrix;
use tracking_io::{
    ChanOptions, ChanWriteOptions, RotationOrder, parse_str, read_chan, to_chan_string,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn rows(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect())
        .collect()
}

fn roundtrip(path: &Path, order: RotationOrder) -> String {
    let import = read_chan(
        path,
        ChanOptions {
            rotation_order: order,
            ..ChanOptions::default()
        },
    )
    .unwrap();
    to_chan_string(
        &import.track,
        &ChanWriteOptions {
            rotation_order: order,
            ..ChanWriteOptions::default()
        },
    )
    .unwrap()
}

#[test]
fn import_then_export_reproduces_the_nuke_file_to_1e_9() {
    for (name, order) in [
        ("valid/nuke_vectors_zxy.chan", RotationOrder::Zxy),
        ("blender/zoom.chan", RotationOrder::Zxy),
        ("blender/zoom.chan", RotationOrder::Yxz),
    ] {
        let input = std::fs::read_to_string(fixture(name)).unwrap();
        let output = roundtrip(&fixture(name), order);
        let (a, b) = (rows(&input), rows(&output));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.len(), y.len());
            for (u, v) in x.iter().zip(y) {
                assert!((u - v).abs() < 1e-9, "{name} {order}: {x:?} vs {y:?}");
            }
        }
    }
}

#[test]
fn our_export_matches_blenders_exporter_frame_by_frame() {
    for (input, order, blender_export) in [
        (
            "valid/nuke_vectors_zxy.chan",
            RotationOrder::Zxy,
            "valid/blender34_export_zxy_zup_nuke_gate.chan",
        ),
        (
            "blender/angles.chan",
            RotationOrder::Zxy,
            "blender/export_angles_zxy_zup_nuke_gate.chan",
        ),
        (
            "blender/zoom.chan",
            RotationOrder::Yxz,
            "blender/export_zoom_yxz_zup_nuke_gate.chan",
        ),
    ] {
        let ours = rows(&roundtrip(&fixture(input), order));
        let blender_side = read_chan(
            fixture(input),
            ChanOptions {
                rotation_order: order,
                ..ChanOptions::default()
            },
        )
        .unwrap()
        .track;
        let theirs = rows(&std::fs::read_to_string(fixture(blender_export)).unwrap());
        assert_eq!(ours.len(), theirs.len(), "{input}");
        for ((o, t), b) in ours.iter().zip(&theirs).zip(&blender_side.frames) {
            assert_eq!(o[0], t[0]);
            for i in 1..4 {
                assert!(
                    (o[i] - t[i]).abs() < 1e-5,
                    "{input} frame {}: {o:?} vs {t:?}",
                    o[0]
                );
            }
            assert!((o[7] - t[7]).abs() < 1e-4, "{input} vfov");
            let mo = euler_deg_to_matrix(order, [o[4], o[5], o[6]]);
            let mt = euler_deg_to_matrix(order, [t[4], t[5], t[6]]);
            assert!(
                (mo.matrix() - mt.matrix()).amax() < 1e-3,
                "{input} frame {}: {o:?} vs {t:?}",
                o[0]
            );
            // Away from gimbal lock (on either side: Nuke order or Blender XYZ, where
            // Blender's f32 drifts) the continuity choice must be Blender's own.
            let [_, middle, _] = order.axes();
            let near_lock = (o[4 + middle].abs() - 90.0).abs() < 0.5
                || (b.rotation_euler_xyz_deg[1].abs() - 90.0).abs() < 0.5;
            if !near_lock {
                for i in 4..7 {
                    assert!(
                        (o[i] - t[i]).abs() < 1e-3,
                        "{input} frame {}: {o:?} vs {t:?}",
                        o[0]
                    );
                }
            }
        }
    }
}

#[test]
fn the_exported_text_is_tab_separated_integer_framed_and_headerless() {
    let text = roundtrip(&fixture("valid/nuke_vectors_zxy.chan"), RotationOrder::Zxy);
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 8);
        assert!(fields[0].parse::<i64>().is_ok());
    }
    assert_eq!(
        text.lines().next().unwrap(),
        "1\t0.0\t0.0\t0.0\t0.0\t0.0\t0.0\t21.153"
    );
}

#[test]
fn a_y_up_import_exports_without_any_axis_change() {
    let text = "1\t1.5\t2\t3\t10\t20\t30\t40\n";
    let options = ChanOptions {
        z_up: false,
        ..ChanOptions::default()
    };
    let track = parse_str(text, options).unwrap().track;
    let out = to_chan_string(&track, &ChanWriteOptions::default()).unwrap();
    let (a, b) = (rows(text), rows(&out));
    for (u, v) in a[0].iter().zip(&b[0]) {
        assert!((u - v).abs() < 1e-9, "{out}");
    }
}
