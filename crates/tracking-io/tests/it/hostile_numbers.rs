//! Numbers that overflow once computed, and outputs that are not files.
//!
//! Every number the library computes is checked before anyone can print or store it: a
//! translation times the scale, a focal length from a vfov, a vfov from a focal length.
//! A non-finite one is a typed error naming file, line, column and field (the position
//! first); the writers refuse a device, FIFO, socket, directory or a link to one.

use std::path::Path;

use tracking_io::json_camera::{JsonCameraOptions, read_json_camera_file};
use tracking_io::{
    CameraFrame, CameraTrack, ChanIssue, ChanOptions, ChanWriteOptions, Error, FilmBack, ReadMode,
    UpAxis, parse_str, read_chan, write_chan, write_chan_file,
};

fn scaled(scale: f64) -> ChanOptions {
    ChanOptions {
        scale,
        ..ChanOptions::default()
    }
}

fn chan_error(result: Result<tracking_io::ChanImport, Error>) -> (u64, u64, ChanIssue, String) {
    match result {
        Err(err @ Error::Chan { .. }) => {
            let text = err.to_string();
            let Error::Chan { position, issue } = err else {
                unreachable!()
            };
            (position.line, position.column, issue, text)
        }
        other => panic!("expected a .chan error, got {other:?}"),
    }
}

#[test]
fn a_vfov_so_small_the_focal_length_is_infinite_is_an_error_at_the_vfov_column() {
    let text = "1 0 0 0 0 0 0 40\n2 0 0 0 0 0 0 1e-320\n";
    let (line, column, issue, message) = chan_error(parse_str(text, ChanOptions::default()));
    assert_eq!((line, column), (2, 15));
    assert!(
        matches!(issue, ChanIssue::FocalNotFinite { vfov, .. } if vfov == 1e-320),
        "{issue:?}"
    );
    assert_eq!(issue.field(), Some("vfov"));
    assert_eq!(
        message,
        "line 2, column 15: focal length from vfov 1e-320° is not finite (vertical aperture 18.672 mm)"
    );
    // Lenient: the line is skipped and said, the other frame kept.
    let lenient = ChanOptions {
        mode: ReadMode::Lenient,
        ..ChanOptions::default()
    };
    let import = parse_str(text, lenient).unwrap();
    assert_eq!(import.track.frames.len(), 1);
    assert_eq!(import.warnings[0].position.line, 2);
    // A huge film back turns a merely small vfov into an infinite lens too.
    let huge_back = ChanOptions {
        film_back: FilmBack::new(1e300, 1e300).unwrap(),
        ..ChanOptions::default()
    };
    let (_, _, issue, _) = chan_error(parse_str("1 0 0 0 0 0 0 0.0000000001\n", huge_back));
    assert!(
        matches!(issue, ChanIssue::FocalNotFinite { .. }),
        "{issue:?}"
    );
}

#[test]
fn a_translation_that_overflows_with_the_scale_names_file_line_column_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cam.chan");
    std::fs::write(&path, "1 0 0 0 0 0 0 40\n2 1 1e308 0 0 0 0 40\n").unwrap();
    let err = read_chan(&path, scaled(10.0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:5: ty × scale 10 is not finite (ty is 1e308)",
            path.display()
        )
    );
    assert_eq!(err.position().map(|p| (p.line, p.column)), Some((2, 5)));
    // The well-formed lines the fast path reads are checked the same way.
    let (line, column, issue, _) =
        chan_error(parse_str("1\t1.5\t0\t0\t0\t0\t0\t40\n", scaled(f64::MAX)));
    assert_eq!((line, column), (1, 3));
    assert_eq!(issue.field(), Some("tx"));
}

#[test]
fn the_position_is_reported_before_the_lens_on_a_line_with_both() {
    let (_, column, issue, _) = chan_error(parse_str("1 0 0 1e308 0 0 0 1e-320\n", scaled(10.0)));
    assert_eq!(column, 7);
    assert!(
        matches!(issue, ChanIssue::ScaledNotFinite { field: "tz", .. }),
        "{issue:?}"
    );
}

#[test]
fn huge_but_finite_numbers_read_to_finite_frames() {
    let import = parse_str(
        "1 1e308 -1e308 1e300 1e300 -1e300 7e307 1e-300\n",
        scaled(1.0),
    )
    .unwrap();
    let frame = import.track.frames[0];
    let rows = frame.matrix_world_rows();
    assert!(
        frame
            .location
            .iter()
            .chain(&frame.rotation_euler_xyz_deg)
            .chain(rows.iter().flatten())
            .chain(&frame.lens_mm)
            .all(|v| v.is_finite()),
        "{frame:?}"
    );
}

fn track(lens_mm: f64, location: [f64; 3]) -> CameraTrack {
    CameraTrack {
        name: "cam".into(),
        up_axis: UpAxis::Z,
        film_back: Some(FilmBack::NUKE_DEFAULT),
        frames: vec![CameraFrame {
            frame: 1001,
            location,
            rotation_euler_xyz_deg: [90.0, 0.0, 0.0],
            lens_mm: Some(lens_mm),
        }],
    }
}

#[test]
fn the_writer_refuses_numbers_no_reader_takes_back_before_writing_a_byte() {
    for (lens, location, scale, field) in [
        // A vfov of 180°, and of 0°.
        (1e-320, [0.0; 3], 1.0, "frames[0].lens"),
        (1e308, [0.0; 3], 1.0, "frames[0].lens"),
        // A location times the scale.
        (50.0, [1e308, 0.0, 0.0], 10.0, "frames[0].location"),
    ] {
        let options = ChanWriteOptions {
            scale,
            ..ChanWriteOptions::default()
        };
        let mut out = Vec::new();
        let err = write_chan(&track(lens, location), &mut out, &options).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidCamera { field: f, .. } if f == field),
            "{err}"
        );
        assert!(err.to_string().contains("frame 1001"), "{err}");
        assert!(out.is_empty(), "half a file was written: {out:?}");
        // A caller that knows where the track came from gets that file named.
        let named = err.with_input_path("shot/cam.json").to_string();
        assert!(named.starts_with("shot/cam.json: "), "{named}");
    }
}

#[test]
fn a_json_camera_error_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cam.json");
    std::fs::write(
        &path,
        "{\"camera\": {\"frames\": [\n  {\"frame\": 1,}\n]}}\n",
    )
    .unwrap();
    let err = read_json_camera_file(&path, &JsonCameraOptions::default()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}:2:", path.display())),
        "{text}"
    );
}

fn assert_refused(target: &Path, kind_word: &str) {
    let err =
        write_chan_file(&track(50.0, [0.0; 3]), target, &ChanWriteOptions::default()).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::File(tracking_fs::FsError::NotRegularFile { .. })
        ),
        "{}: {err:?}",
        target.display()
    );
    assert!(err.to_string().contains(kind_word), "{err}");
}

#[cfg(unix)]
#[test]
fn special_outputs_are_refused_and_left_alone_and_a_link_is_replaced_as_a_link() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.chan");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let socket = dir.path().join("socket.chan");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let directory = dir.path().join("dir.chan");
    std::fs::create_dir(&directory).unwrap();
    let link_to_fifo = dir.path().join("link_to_fifo.chan");
    std::os::unix::fs::symlink(&fifo, &link_to_fifo).unwrap();

    assert_refused(&fifo, "FIFO");
    assert_refused(&socket, "socket");
    assert_refused(&directory, "directory");
    assert_refused(&link_to_fifo, "symbolic link to a FIFO");
    assert_refused(Path::new("/dev/null"), "character device");
    // `/dev/stdout` is a link into /proc: never replaced, whatever it leads to.
    assert_refused(Path::new("/dev/stdout"), "not a regular file");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
    assert!(directory.is_dir());
    assert!(
        std::fs::symlink_metadata(&link_to_fifo)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A link to a regular file: the link is replaced, its target kept.
    let real = dir.path().join("real.chan");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.chan");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_chan_file(&track(50.0, [0.0; 3]), &link, &ChanWriteOptions::default()).unwrap();
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
    assert!(
        std::fs::read_to_string(&link)
            .unwrap()
            .starts_with("1001\t")
    );

    // A missing directory is named as such, not as a temp file.
    let err = write_chan_file(
        &track(50.0, [0.0; 3]),
        dir.path().join("missing/cam.chan"),
        &ChanWriteOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&dir.path().join("missing").display().to_string()),
        "{err}"
    );
    assert!(!err.to_string().contains(".cinematic-tmp"), "{err}");
}
