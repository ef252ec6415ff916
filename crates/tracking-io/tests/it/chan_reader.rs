//! The streaming reader: chunk boundaries and parsing on worker threads change nothing, any
//! `Read` works (even one byte at a time), positions stay exact deep into big inputs,
//! and frame order, duplicates and missing vfov are handled as documented.

use std::io::Read;

use tracking_io::{ChanIssue, ChanOptions, ChanReader, Error, ReadMode, parse_str};

fn big_text(lines: usize) -> String {
    let mut text = String::with_capacity(lines * 80);
    for i in 0..lines {
        let t = i as f64 * 0.37;
        if i % 997 == 0 {
            text.push_str("# comment line\n\n");
        }
        text.push_str(&format!(
            "{}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\n",
            1001 + i,
            t.sin() * 10.0,
            t.cos(),
            -t,
            (t * 3.0).sin() * 170.0,
            (t * 0.5).cos() * 95.0,
            t * 7.0,
            20.0 + (t * 0.1).sin()
        ));
    }
    text
}

#[test]
fn chunked_parallel_parsing_equals_parsing_each_line_alone() {
    // > 5 MiB: several chunks, parsed on worker threads.
    let text = big_text(70_000);
    assert!(text.len() > 5 << 20);
    let whole = parse_str(&text, ChanOptions::default()).unwrap().track;
    assert_eq!(whole.frames.len(), 70_000);
    let options = ChanOptions {
        euler_filter: false,
        ..ChanOptions::default()
    };
    let unfiltered = parse_str(&text, options).unwrap().track;
    for (index, line) in text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .enumerate()
        .step_by(101)
    {
        let alone = parse_str(line, options).unwrap().track.frames[0];
        assert_eq!(unfiltered.frames[index], alone, "line {index}");
    }
}

#[test]
fn an_error_deep_in_a_big_input_names_its_exact_line_column_and_byte() {
    let mut text = big_text(70_000);
    let line_start = text.match_indices('\n').nth(68_000).unwrap().0 + 1;
    let line_end = line_start + text[line_start..].find('\n').unwrap();
    let line = text[line_start..line_end].to_owned();
    let rz_start = line.match_indices('\t').nth(5).unwrap().0 + 1;
    let rz_end = rz_start + line[rz_start..].find('\t').unwrap();
    text.replace_range(line_start + rz_start..line_start + rz_end, "oops");
    let expected_line = text[..line_start].matches('\n').count() as u64 + 1;
    match parse_str(&text, ChanOptions::default()) {
        Err(Error::Chan { position, issue }) => {
            assert_eq!(position.line, expected_line);
            assert_eq!(position.column, rz_start as u64 + 1);
            assert_eq!(position.byte, (line_start + rz_start) as u64);
            assert_eq!(
                issue,
                ChanIssue::NotANumber {
                    field: "rz",
                    text: "oops".into()
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

struct OneByteAtATime<'a>(&'a [u8]);

impl Read for OneByteAtATime<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&byte, rest)), Some(slot)) => {
                *slot = byte;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn any_reader_works_even_one_byte_at_a_time() {
    let text = big_text(3_000);
    let from_str = parse_str(&text, ChanOptions::default()).unwrap();
    let from_reader =
        ChanReader::from_reader(OneByteAtATime(text.as_bytes()), ChanOptions::default())
            .read()
            .unwrap();
    assert_eq!(from_str, from_reader);
    let buffered = ChanReader::from_reader(
        std::io::BufReader::new(text.as_bytes()),
        ChanOptions::default(),
    )
    .read()
    .unwrap();
    assert_eq!(from_str, buffered);
}

#[test]
fn crlf_line_ends_and_mixed_whitespace_are_accepted() {
    let unix = "1 0 0 0 0 0 0 21.153\n2\t1\t2\t3\t4\t5\t6\t22\n";
    let dos = "1  0 0 0 0 0 0 21.153\r\n2\t1 \t2\t3\t4\t5\t6\t22\r\n";
    assert_eq!(
        parse_str(unix, ChanOptions::default()).unwrap().track,
        parse_str(dos, ChanOptions::default()).unwrap().track
    );
}

#[test]
fn out_of_order_frames_come_back_sorted() {
    let text = "3 0 0 0 0 0 0\n1 0 0 0 0 0 0\n2 0 0 0 0 0 0\n";
    let frames: Vec<i64> = parse_str(text, ChanOptions::default())
        .unwrap()
        .track
        .frames
        .iter()
        .map(|f| f.frame)
        .collect();
    assert_eq!(frames, [1, 2, 3]);
}

#[test]
fn lenient_mode_keeps_the_first_of_duplicate_frames_and_warns_about_the_rest() {
    let text = "1 1 0 0 0 0 0\n2 0 0 0 0 0 0\n1 9 0 0 0 0 0\nbad\n";
    let options = ChanOptions {
        mode: ReadMode::Lenient,
        ..ChanOptions::default()
    };
    let import = parse_str(text, options).unwrap();
    assert_eq!(import.track.frames.len(), 2);
    assert_eq!(import.track.frames[0].location[0], 1.0);
    let lines: Vec<u64> = import.warnings.iter().map(|w| w.position.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(
        import.warnings[0]
            .to_string()
            .contains("frame 1 appears twice (first on line 1)")
    );
}

#[test]
fn a_file_without_vfov_has_no_lens_and_no_invented_focal_length() {
    let import = parse_str("1 0 0 0 0 0 0\n", ChanOptions::default()).unwrap();
    assert_eq!(import.track.frames[0].lens_mm, None);
    assert!(matches!(
        import.to_solve_data(),
        Err(Error::NoFocalLength { .. })
    ));
    assert_eq!(
        import
            .to_solve_data_with_fallback(Some(35.0))
            .unwrap()
            .focal_length,
        35.0
    );
}

#[test]
fn without_the_euler_filter_each_frame_gets_blenders_own_pick() {
    // Blender's importer keys (96°, 80°, 96°) XYZ as (-84°, 100°, -84°) (smaller sum);
    // with the filter on, the previous frame (95°, 80°, 95°) keeps the curve continuous.
    let text = "1 0 0 0 95 80 95\n2 0 0 0 96 80 96\n";
    let options = ChanOptions {
        rotation_order: tracking_io::RotationOrder::Xyz,
        z_up: false,
        ..ChanOptions::default()
    };
    let filtered = parse_str(text, options).unwrap().track;
    let unfiltered = parse_str(
        text,
        ChanOptions {
            euler_filter: false,
            ..options
        },
    )
    .unwrap()
    .track;
    let close = |a: [f64; 3], b: [f64; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
    assert!(close(
        unfiltered.frames[1].rotation_euler_xyz_deg,
        [-84.0, 100.0, -84.0]
    ));
    assert!(close(
        filtered.frames[1].rotation_euler_xyz_deg,
        [96.0, 80.0, 96.0]
    ));
    assert!(
        (filtered.frames[1].matrix_world() - unfiltered.frames[1].matrix_world()).amax() < 1e-12
    );
}

#[test]
fn invalid_options_are_typed_errors() {
    for options in [
        ChanOptions {
            scale: 0.0,
            ..ChanOptions::default()
        },
        ChanOptions {
            film_back: tracking_io::FilmBack {
                width_mm: 24.0,
                height_mm: -1.0,
            },
            ..ChanOptions::default()
        },
    ] {
        assert!(parse_str("1 0 0 0 0 0 0\n", options).is_err());
    }
}

fn lenient() -> ChanOptions {
    ChanOptions {
        mode: ReadMode::Lenient,
        ..ChanOptions::default()
    }
}

/// 1-based line numbers of the lines of `text` for which `pick` holds.
fn lines_where(text: &str, pick: impl Fn(&str) -> bool) -> Vec<u64> {
    (1..)
        .zip(text.lines())
        .filter(|(_, line)| pick(line))
        .map(|(number, _)| number)
        .collect()
}

#[test]
fn lenient_warnings_from_every_chunk_come_back_in_line_order() {
    let mut text = String::new();
    for (i, line) in big_text(60_000).lines().enumerate() {
        text.push_str(line);
        text.push('\n');
        if i % 4_999 == 0 {
            text.push_str("1001 junk here\n");
        }
        if i % 7_919 == 0 {
            text.push_str("17 0 0 0 1e999 0 0 20\n");
        }
    }
    assert!(text.len() > 4 << 20);
    let import = parse_str(&text, lenient()).unwrap();
    let warned: Vec<u64> = import.warnings.iter().map(|w| w.position.line).collect();
    let bad = lines_where(&text, |l| l.contains("junk") || l.contains("1e999"));
    assert_eq!(warned, bad);
    assert_eq!(import.track.frames.len(), 60_000);
    // The strict reader stops at the first of them.
    match parse_str(&text, ChanOptions::default()) {
        Err(Error::Chan { position, .. }) => assert_eq!(position.line, bad[0]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicates_and_disorder_across_chunks_are_found() {
    let text = big_text(60_000);
    let lines: Vec<&str> = text.lines().collect();
    // Frames in reverse chunks of 10,000 lines (the first chunk read is in order), plus
    // a late copy of an early frame.
    let mut shuffled: Vec<&str> = lines.chunks(10_000).rev().flatten().copied().collect();
    let early = lines.iter().find(|l| l.starts_with("1005\t")).unwrap();
    shuffled.push(early);
    let shuffled = shuffled.join("\n");
    let import = parse_str(&shuffled, lenient()).unwrap();
    let in_order = parse_str(&text, ChanOptions::default()).unwrap();
    assert_eq!(import.track, in_order.track);
    assert_eq!(import.warnings.len(), 1);
    assert_eq!(
        import.warnings[0].position.line,
        shuffled.lines().count() as u64
    );
    assert!(matches!(
        parse_str(&shuffled, ChanOptions::default()),
        Err(Error::Chan {
            issue: ChanIssue::DuplicateFrame { frame: 1005, .. },
            ..
        })
    ));
}

#[test]
fn a_change_of_column_count_deep_in_the_file_is_reported_where_it_happens() {
    let mut text = big_text(40_000);
    text.push_str("999999 0 0 0 0 0 0\n");
    let line = text.lines().count() as u64;
    match parse_str(&text, ChanOptions::default()) {
        Err(Error::Chan { position, issue }) => {
            assert_eq!(position.line, line);
            assert_eq!(
                issue,
                ChanIssue::InconsistentFields {
                    found: 7,
                    expected: 8
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_overlong_line_after_many_chunks_is_an_error_at_its_line() {
    let mut text = big_text(30_000);
    let line = text.lines().count() as u64 + 1;
    text.push_str(&"1".repeat(5 << 20));
    text.push('\n');
    match parse_str(&text, lenient()) {
        Err(Error::Chan {
            position,
            issue: ChanIssue::LineTooLong { .. },
        }) => assert_eq!(position.line, line),
        other => panic!("{other:?}"),
    }
}

/// Gives `limit` bytes of `text`, then fails.
struct FailsAfter<'a> {
    text: &'a [u8],
    limit: usize,
}

impl Read for FailsAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.limit == 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.limit).min(self.text.len());
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        self.limit -= n;
        Ok(n)
    }
}

#[test]
fn a_read_error_mid_stream_is_an_error_not_a_partial_track() {
    let text = big_text(60_000);
    let reader = FailsAfter {
        text: text.as_bytes(),
        limit: 3 << 20,
    };
    match ChanReader::from_reader(reader, ChanOptions::default()).read() {
        Err(Error::Io { source, .. }) => assert!(source.to_string().contains("disk on fire")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_camera_spinning_through_many_turns_stays_continuous_across_chunks() {
    // 60,000 frames turning 0.37° a frame about Nuke's Y (Blender's Z): 61 turns, over
    // several chunks parsed on different threads. Each chunk's picks start from zero
    // angles and must be repaired from the real previous frame.
    let mut text = String::new();
    for i in 0..60_000u32 {
        let ry = f64::from(i) * 0.37;
        text.push_str(&format!(
            "{}\t0\t0\t0\t{:.6}\t{ry:.6}\t{:.6}\t30\n",
            i + 1,
            (f64::from(i) * 0.01).sin() * 20.0,
            (f64::from(i) * 0.013).cos() * 5.0
        ));
    }
    let filtered = parse_str(&text, ChanOptions::default()).unwrap().track;
    let unfiltered = parse_str(
        &text,
        ChanOptions {
            euler_filter: false,
            ..ChanOptions::default()
        },
    )
    .unwrap()
    .track;
    let mut previous = [0.0; 3];
    for (index, (f, u)) in filtered.frames.iter().zip(&unfiltered.frames).enumerate() {
        assert!(
            (f.matrix_world() - u.matrix_world()).amax() < 1e-9,
            "frame {index}"
        );
        // The same chain computed frame by frame through the public API.
        let want = tracking_io::euler::matrix_to_compatible_euler(
            tracking_io::RotationOrder::Xyz,
            &u.rotation(),
            previous.map(f64::to_radians),
        )
        .map(f64::to_degrees);
        for axis in 0..3 {
            assert!(
                (f.rotation_euler_xyz_deg[axis] - want[axis]).abs() < 1e-6,
                "frame {index} axis {axis}: {:?} vs {want:?}",
                f.rotation_euler_xyz_deg
            );
        }
        previous = f.rotation_euler_xyz_deg;
    }
    let last = filtered.frames.last().unwrap().rotation_euler_xyz_deg[2];
    assert!(last > 59_999.0 * 0.37 - 1.0, "the turns add up: {last}");
}

#[test]
fn a_frame_out_of_order_late_in_the_file_changes_no_earlier_pick() {
    // Frame 1 sits where the two Euler solutions tie and -180° meets +180°: its pick
    // must come from the parser's exact first solution, not from angles recomputed
    // after the disorder shows up (here well after the first chunk).
    let mut sorted = String::from("1\t0\t0\t0\t-180\t-105\t-75\t30\n");
    for frame in 2..=60_002 {
        sorted.push_str(&format!(
            "{frame}\t0.000000\t0.000000\t0.000000\t-180.000000\t0.000000\t-180.000000\t30.000000\n"
        ));
    }
    let mut lines: Vec<&str> = sorted.lines().collect();
    let last = lines.len() - 1;
    lines.swap(last - 1, last);
    let shuffled = lines.join("\n");
    assert!(shuffled.len() > 3 << 20);
    for euler_filter in [true, false] {
        let options = ChanOptions {
            euler_filter,
            ..ChanOptions::default()
        };
        let want = parse_str(&sorted, options).unwrap().track;
        let got = parse_str(&shuffled, options).unwrap().track;
        assert_eq!(got.frames[0], want.frames[0], "euler filter {euler_filter}");
        assert_eq!(got, want, "euler filter {euler_filter}");
    }
}

#[test]
fn a_file_out_of_order_reads_like_the_sorted_file() {
    // Read from a path, a file whose disorder shows up late is read a second time;
    // the result is the sorted file's, to the bit, warnings and all.
    let dir = tempfile::tempdir().unwrap();
    let mut sorted = String::from("1\t0\t0\t0\t-180\t-105\t-75\t30\n");
    sorted.push_str(&big_text(60_000));
    let mut lines: Vec<&str> = sorted.lines().collect();
    let last = lines.len() - 1;
    lines.swap(last - 1, last);
    lines.insert(40_000, "40000.5 0 0 0 0 0 0 30");
    let shuffled = lines.join("\n");
    let (sorted_path, shuffled_path) = (
        dir.path().join("sorted.chan"),
        dir.path().join("shuffled.chan"),
    );
    std::fs::write(&sorted_path, &sorted).unwrap();
    std::fs::write(&shuffled_path, &shuffled).unwrap();
    let options = lenient();
    let want = tracking_io::read_chan(&sorted_path, options).unwrap().track;
    let got = tracking_io::read_chan(&shuffled_path, options).unwrap();
    assert_eq!(got.track.frames, want.frames);
    assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
    assert_eq!(got.warnings[0].position.line, 40_001);
    // The same text from memory (no second read) agrees too.
    assert_eq!(
        parse_str(&shuffled, options).unwrap().track.frames,
        want.frames
    );
}

/// A FIFO, a device or a directory given as a camera file is a typed error naming the
/// kind, at once: opening a FIFO for reading would otherwise block forever.
#[cfg(unix)]
#[test]
fn special_files_are_refused_by_kind_without_blocking() {
    use tracking_io::read_chan;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("cam.chan");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (path, kind) in [
        (fifo.as_path(), "a FIFO (named pipe)"),
        (std::path::Path::new("/dev/zero"), "a character device"),
        (dir.path(), "a directory"),
    ] {
        let err = read_chan(path, ChanOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: is {kind}, not a regular file", path.display())
        );
        let err =
            tracking_io::json_camera::read_json_camera_file(path, &Default::default()).unwrap_err();
        assert!(err.to_string().contains(kind), "{err}");
    }
}
