//! Reading a record file with a size cap checked *before* reading: a 2 GB file (sparse
//! or not) is refused from its metadata without a byte of it being read, and a file
//! that grows while we read it is still cut off at the cap.

use camino::Utf8Path;

use crate::error::Error;

/// Default cap on a record file's size: 256 MiB (a 10⁶-marker session is ≈ 62 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// What reading found.
#[derive(Debug)]
pub(crate) enum ReadOutcome {
    /// The file's text.
    Text(String),
    /// No such file.
    Missing,
}

/// Read `path` as UTF-8 text through the shared input check (`tracking_fs::read_input`):
/// files larger than `limit` bytes are refused before a byte is read (and cut off if
/// they grow), and anything that is not a regular file (a named pipe would block
/// forever) is refused by kind.
pub(crate) fn read_capped(path: &Utf8Path, limit: u64) -> Result<ReadOutcome, Error> {
    let bytes = match tracking_fs::read_input(path.as_std_path(), limit) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ReadOutcome::Missing),
        Err(tracking_fs::FsError::TooLarge { size, limit, .. }) => {
            return Err(too_large(path, size, limit));
        }
        Err(tracking_fs::FsError::NotRegularFile { .. }) => {
            return Err(Error::NotAFile {
                path: path.to_owned(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    String::from_utf8(bytes)
        .map(ReadOutcome::Text)
        .map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error().valid_up_to()))
}

fn too_large(path: &Utf8Path, size: u64, limit: u64) -> Error {
    Error::TooLarge {
        path: path.to_owned(),
        size,
        limit,
    }
}

fn not_utf8(path: &Utf8Path, bytes: &[u8], valid_up_to: usize) -> Error {
    let before = &bytes[..valid_up_to.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    Error::Corrupt {
        path: path.to_owned(),
        line: Some(line),
        column: Some(column),
        reason: "the file is not valid UTF-8".to_owned(),
        quarantined_to: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;

    fn temp_root() -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        (dir, path)
    }

    #[test]
    fn a_huge_sparse_file_is_refused_from_its_size_alone() {
        let (_guard, root) = temp_root();
        let path = root.join("big.yaml");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(2 << 30)
            .unwrap();
        let err = read_capped(&path, DEFAULT_MAX_FILE_SIZE).unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { size, limit, .. } if size == 2 << 30 && limit == DEFAULT_MAX_FILE_SIZE),
            "{err}"
        );
    }

    #[test]
    fn a_missing_file_is_reported_as_missing() {
        let (_guard, root) = temp_root();
        assert!(matches!(
            read_capped(&root.join("none.yaml"), 10).unwrap(),
            ReadOutcome::Missing
        ));
    }

    #[test]
    fn invalid_utf8_is_corrupt_with_its_position() {
        let (_guard, root) = temp_root();
        let path = root.join("bad.yaml");
        std::fs::write(&path, b"a: 1\nb: \xff\n").unwrap();
        let err = read_capped(&path, 100).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Corrupt {
                    line: Some(2),
                    column: Some(4),
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_directory_is_not_a_record_file() {
        let (_guard, root) = temp_root();
        assert!(matches!(
            read_capped(&root, 100).unwrap_err(),
            Error::NotAFile { .. }
        ));
    }
}
