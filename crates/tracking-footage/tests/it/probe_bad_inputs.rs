//! Bad inputs each give a typed error, quickly, and never hang or run the wrong thing.
// Helpers outside #[test] functions unwrap too: a failure is a failed test.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tracking_footage::{Error, FileKind, ProbeOptions, Tool, probe};

fn quick(path: impl AsRef<Path>) -> Result<tracking_footage::FootageProbe, Error> {
    probe(path, &ProbeOptions::default())
}

#[test]
fn a_missing_file_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.mov");
    match quick(&path).unwrap_err() {
        Error::NotFound { path: reported } => assert_eq!(reported, path),
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn an_empty_directory_is_not_a_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let err = quick(dir.path()).unwrap_err();
    assert!(matches!(err, Error::NotASequence { .. }), "{err}");
}

#[test]
fn a_directory_named_like_a_movie_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("clip.mov");
    std::fs::create_dir(&fake).unwrap();
    assert!(quick(&fake).is_err());
    let err = tracking_footage::MediaInput::open(&fake).unwrap_err();
    assert!(matches!(
        err,
        Error::NotARegularFile {
            kind: FileKind::Directory,
            ..
        }
    ));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_before_ffprobe_can_block_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.mov");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let err = quick(&fifo).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotARegularFile {
                kind: FileKind::NamedPipe,
                ..
            }
        ),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let err = quick("/dev/zero").unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotARegularFile {
                kind: FileKind::Device,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_zero_byte_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.mov");
    std::fs::write(&path, b"").unwrap();
    assert!(matches!(quick(&path).unwrap_err(), Error::EmptyFile { .. }));
}

#[test]
fn a_text_file_renamed_mov_is_ffprobes_own_invalid_data_error() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.mov");
    std::fs::write(&path, "this is a shot list, not a movie\n").unwrap();
    match quick(&path).unwrap_err() {
        Error::ToolFailed {
            tool: Tool::Ffprobe,
            path: reported,
            message,
            ..
        } => {
            assert_eq!(reported, path);
            assert!(message.contains("Invalid data"), "{message}");
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn a_name_starting_with_a_dash_is_passed_as_a_file_url_not_an_option() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let dashed = dir.path().join("-version.mp4");
    std::fs::rename(&clip, &dashed).unwrap();
    let p = quick(&dashed).unwrap();
    assert_eq!(p.metadata.duration_frames, 24);
    assert_eq!(p.metadata.filename, "-version.mp4");

    let ffprobe = tracking_footage::find_tool(Tool::Ffprobe, None).unwrap();
    let input = tracking_footage::MediaInput::open(&dashed).unwrap();
    let command = tracking_footage::ToolCommand::ffprobe(&ffprobe, &input);
    let argv: Vec<String> = command
        .argv()
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    assert!(argv.iter().all(|a| !a.starts_with("-version")), "{argv:?}");
    let url = argv.iter().find(|a| a.starts_with("file:")).unwrap();
    assert!(url.ends_with("/-version.mp4"), "{url}");
    assert!(
        argv.windows(2)
            .any(|w| w == ["-protocol_whitelist", "file"])
    );
}

#[test]
fn a_file_literally_named_concat_is_read_as_that_file() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let weird = dir.path().join("concat:x.mov");
    std::fs::rename(&clip, &weird).unwrap();
    let p = quick(&weird).unwrap();
    assert_eq!(p.metadata.duration_frames, 24);
    assert_eq!(p.metadata.filename, "concat:x.mov");
}

#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_is_probed_and_kept_as_given() {
    use std::os::unix::ffi::OsStrExt;
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let name = std::ffi::OsStr::from_bytes(b"plate_\xff\xfe.mp4");
    let odd: PathBuf = dir.path().join(name);
    std::fs::rename(&clip, &odd).unwrap();
    let p = quick(&odd).unwrap();
    assert_eq!(p.metadata.duration_frames, 24);
    assert_eq!(p.metadata.filename, "plate_\u{fffd}\u{fffd}.mp4");

    let missing = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"gone_\xff.mov"));
    match quick(&missing).unwrap_err() {
        Error::NotFound { path } => assert_eq!(path, missing, "the exact bytes are kept"),
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn a_missing_ffprobe_is_a_not_found_error_with_an_install_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.mov");
    std::fs::write(&path, b"something").unwrap();
    let options = ProbeOptions {
        ffprobe: Some(PathBuf::from("/nonexistent/bin/ffprobe")),
        ..ProbeOptions::default()
    };
    let err = probe(&path, &options).unwrap_err();
    assert!(
        matches!(
            err,
            Error::ToolNotFound {
                tool: Tool::Ffprobe,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("apt-get install ffmpeg"), "{err}");
}

#[test]
fn a_probe_over_its_time_limit_is_killed_and_reported() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let clip = common::cfr_23976_mp4(dir.path());
    let options = ProbeOptions {
        timeout: Duration::from_millis(1),
        ..ProbeOptions::default()
    };
    let err = probe(&clip, &options).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                tool: Tool::Ffprobe,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn an_audio_only_file_has_no_video_stream() {
    require_tools!();
    let dir = tempfile::tempdir().unwrap();
    let wav = common::ffmpeg_make(
        dir.path(),
        "tone.wav",
        &["-f", "lavfi", "-i", "sine=frequency=440:duration=0.2"],
    );
    assert!(matches!(
        quick(&wav).unwrap_err(),
        Error::NoVideoStream { .. }
    ));
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Probe `path` on a thread: a hostile input must give an error within seconds,
/// never a blocked read.
fn probe_within_seconds(path: &Path) -> Error {
    let path = path.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(probe(&path, &ProbeOptions::default()));
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Ok(p)) => panic!("expected an error, got a probe of {}", p.path),
        Ok(Err(err)) => err,
        Err(_) => panic!("probing a hostile input blocked"),
    }
}

/// Two real EXR frames `plate.0001.exr` and `plate.0003.exr` (the hostile frame goes
/// in as `plate.0002.exr`).
fn two_exr_frames(dir: &Path) {
    for frame in [1, 3] {
        exr::prelude::write_rgba_file(dir.join(format!("plate.{frame:04}.exr")), 4, 4, |_, _| {
            (0.5_f32, 0.5_f32, 0.5_f32, 1.0_f32)
        })
        .unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_socket_is_refused_as_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.mov");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let err = probe_within_seconds(&path);
    assert!(
        matches!(
            err,
            Error::NotARegularFile {
                kind: FileKind::Socket,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!("{}: is a socket, not a regular media file", path.display())
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_as_a_loop_for_movies_and_frames() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.mov");
    let b = dir.path().join("b.mov");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let err = probe_within_seconds(&a);
    assert!(
        matches!(&err, Error::SymlinkLoop { path } if *path == a),
        "{err}"
    );
    assert!(err.to_string().contains("symbolic links loop"), "{err}");
    let err = tracking_footage::MediaInput::open(&a).unwrap_err();
    assert!(matches!(err, Error::SymlinkLoop { .. }), "{err}");

    // A frame of a sequence that is a link loop: named, not skipped as a gap.
    let seq = tempfile::tempdir().unwrap();
    two_exr_frames(seq.path());
    let frame = seq.path().join("plate.0002.exr");
    let other = seq.path().join("loop.exr");
    std::os::unix::fs::symlink(&other, &frame).unwrap();
    std::os::unix::fs::symlink(&frame, &other).unwrap();
    for spelling in ["plate.####.exr", "plate.0001.exr", "plate.0002.exr"] {
        let err = probe_within_seconds(&seq.path().join(spelling));
        assert!(
            matches!(&err, Error::SymlinkLoop { path } if *path == frame),
            "{spelling}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn special_files_named_like_frames_are_named_by_kind_never_read() {
    let cases: [(&str, FileKind); 4] = [
        ("fifo", FileKind::NamedPipe),
        ("directory", FileKind::Directory),
        ("device", FileKind::Device),
        ("socket", FileKind::Socket),
    ];
    for (what, kind) in cases {
        let dir = tempfile::tempdir().unwrap();
        two_exr_frames(dir.path());
        let frame = dir.path().join("plate.0002.exr");
        let _listener = match what {
            "fifo" => {
                mkfifo(&frame);
                None
            }
            "directory" => {
                std::fs::create_dir(&frame).unwrap();
                None
            }
            "device" => {
                std::os::unix::fs::symlink("/dev/zero", &frame).unwrap();
                None
            }
            _ => Some(std::os::unix::net::UnixListener::bind(&frame).unwrap()),
        };
        for spelling in ["plate.%04d.exr", "plate.0002.exr"] {
            let err = probe_within_seconds(&dir.path().join(spelling));
            match &err {
                Error::NotARegularFile { path, kind: found } => {
                    assert_eq!((path, *found), (&frame, kind), "{what} {spelling}: {err}");
                }
                other => panic!("{what} {spelling}: unexpected {other}"),
            }
        }
        // The directory holding them is a sequence too.
        let err = probe_within_seconds(dir.path());
        assert!(
            matches!(&err, Error::NotARegularFile { path, .. } if *path == frame),
            "{what}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_frame_that_is_a_link_to_a_real_frame_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    two_exr_frames(dir.path());
    std::os::unix::fs::symlink(
        dir.path().join("plate.0001.exr"),
        dir.path().join("plate.0002.exr"),
    )
    .unwrap();
    let options = ProbeOptions {
        sequence_frame_rate: tracking_footage::Rational::new(24, 1),
        ..ProbeOptions::default()
    };
    let p = probe(dir.path().join("plate.####.exr"), &options).unwrap();
    let seq = p.sequence.unwrap();
    assert_eq!(seq.frame_range, "1-3");
    assert_eq!(seq.missing_count, 0);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_a_still_image_or_an_exr_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["logo.png", "single.0001.exr"] {
        let path = dir.path().join(name);
        mkfifo(&path);
        let err = probe_within_seconds(&path);
        assert!(
            matches!(
                err,
                Error::NotARegularFile {
                    kind: FileKind::NamedPipe,
                    ..
                }
            ),
            "{name}: {err}"
        );
    }
}
