//! The invalid-input corpus: each `tests/fixtures/invalid/NAME.chan` is paired with
//! `NAME.chan.error`, the exact error it must give (`{file}` stands for its path), and
//! lenient mode must skip the bad lines instead (or report that no frame is left).
//! `BLESS_INVALID_CORPUS=1` (re)writes the `.error` files from the current messages;
//! review the diff before committing.

use std::path::{Path, PathBuf};

use tracking_io::{ChanOptions, Error, ReadMode, read_chan};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "chan"))
        .collect();
    files.sort();
    files
}

fn expected_error(path: &Path) -> String {
    let mut error_file = path.as_os_str().to_owned();
    error_file.push(".error");
    std::fs::read_to_string(PathBuf::from(error_file))
        .unwrap_or_else(|_| panic!("{} has no .error file", path.display()))
        .trim_end()
        .replace("{file}", &path.display().to_string())
}

#[test]
fn every_invalid_file_gives_its_paired_error() {
    let files = corpus();
    assert!(files.len() >= 15, "{}", files.len());
    for path in files {
        let err = read_chan(&path, ChanOptions::default()).unwrap_err();
        if std::env::var_os("BLESS_INVALID_CORPUS").is_some() {
            let text = err
                .to_string()
                .replace(&path.display().to_string(), "{file}");
            let mut error_file = path.as_os_str().to_owned();
            error_file.push(".error");
            std::fs::write(PathBuf::from(error_file), text + "\n").unwrap();
        }
        assert_eq!(err.to_string(), expected_error(&path), "{}", path.display());
    }
}

#[test]
fn lenient_mode_skips_bad_lines_with_warnings_or_reports_no_frames() {
    let lenient = ChanOptions {
        mode: ReadMode::Lenient,
        ..ChanOptions::default()
    };
    for path in corpus() {
        match read_chan(&path, lenient) {
            Ok(import) => {
                assert!(
                    !import.warnings.is_empty(),
                    "{}: no warning",
                    path.display()
                );
                assert!(!import.track.frames.is_empty());
                for warning in &import.warnings {
                    assert!(warning.position.line >= 1);
                    assert_eq!(warning.position.path.as_deref(), Some(path.as_path()));
                }
            }
            Err(Error::NoFrames { .. }) => {}
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
}
