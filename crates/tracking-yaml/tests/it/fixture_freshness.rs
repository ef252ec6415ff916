//! The seed files in `tests/fixtures/` are byte-for-byte copies of the shared originals
//! in `shared/fixtures/session/` (next to the workspace): this test fails when either
//! side changes alone, or when a file exists on one side only.
//!
//! Under `CI=true` a missing shared directory fails the test; elsewhere (a checkout
//! without `shared/`) the test is skipped with a note on stderr.

use std::collections::BTreeSet;
use std::path::Path;

const OURS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/session"
);

/// The names of the regular files in `dir`.
fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn seed_fixtures_are_byte_identical_to_shared_originals() {
    let shared = Path::new(SHARED);
    let found = if shared.is_dir() {
        Ok(())
    } else {
        Err(format!("{SHARED} not found"))
    };
    if cinematic_testkit::require("the shared seed fixtures", found).is_none() {
        return;
    }
    let ours = Path::new(OURS);
    let (our_names, shared_names) = (file_names(ours), file_names(shared));
    assert!(
        our_names.iter().any(|n| n.starts_with("seed_")),
        "no seed_* fixtures in {OURS}"
    );
    assert_eq!(
        our_names, shared_names,
        "{OURS} and {SHARED} hold different files"
    );
    let stale: Vec<&String> = our_names
        .iter()
        .filter(|name| {
            let read = |dir: &Path| {
                let path = dir.join(name);
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            };
            read(ours) != read(shared)
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{stale:?} in {OURS} differ from {SHARED}: copy the shared originals again \
         (cp {SHARED}/* {OURS}/)"
    );
}
