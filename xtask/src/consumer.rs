//! Consumer tests ("Done when" of issue 3): crates outside the workspace that depend on
//! ours by path, built by the real cargo.
//!
//! - A crate depending on `cinematic` compiles `use cinematic::{TrackData, TrackingSession,
//!   VERSION};`, `cinematic::types::TrackData` and the Rust example of `README.md`.
//! - A crate depending on `tracking-types` alone builds, and its `cargo tree` holds no
//!   nalgebra and no other workspace crate.
//!
//! They run `cargo check`/`cargo tree` only, in a target directory of their own under the
//! workspace's (`<target>/xtask-consumers`): nothing is shared with the outer build, so
//! the outer `cargo test` holding its lock cannot block them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::repo_root;

fn consumer_target_dir(root: &Path) -> PathBuf {
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(root)
        .no_deps()
        .exec()
        .unwrap();
    metadata
        .target_directory
        .join("xtask-consumers")
        .into_std_path_buf()
}

/// Writes a one-library crate depending on `dependency` (a workspace crate directory).
fn write_consumer(dir: &Path, name: &str, dependency: &str, lib_rs: &str) {
    let root = repo_root();
    let dep_path = root.join("crates").join(dependency);
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{dependency} = {{ path = {:?} }}\n\n[workspace]\n",
        dep_path.display().to_string()
    );
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    // Start from the workspace's lock file so the consumer builds the versions CI tests.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", consumer_target_dir(&repo_root()))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The ```rust block of README.md, so the documented library use is compiled too.
fn readme_rust_example() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let (_, from_fence) = readme
        .split_once("```rust\n")
        .expect("README.md has a ```rust block");
    let (example, _) = from_fence.split_once("```").unwrap();
    example.to_owned()
}

#[test]
fn a_crate_outside_the_workspace_compiles_against_the_facade() {
    let dir = tempfile::tempdir().unwrap();
    let lib_rs = format!(
        "//! A downstream user of the facade.\n\
         use cinematic::{{TrackData, TrackingSession, VERSION}};\n\n\
         /// A default track, named through the module alias.\n\
         pub fn default_track() -> cinematic::types::TrackData {{\n    TrackData::default()\n}}\n\n\
         /// A default session.\n\
         pub fn default_session() -> TrackingSession {{\n    TrackingSession::default()\n}}\n\n\
         /// The facade's version.\n\
         pub const FACADE_VERSION: &str = VERSION;\n\n\
         /// README.md's example.\n\
         pub fn readme_example() {{\n{}}}\n",
        readme_rust_example()
    );
    write_consumer(dir.path(), "facade-consumer", "cinematic", &lib_rs);
    assert_success(
        "cargo check of the facade consumer",
        &cargo(dir.path(), &["check", "--quiet"]),
    );
}

#[test]
fn a_crate_on_tracking_types_alone_pulls_no_nalgebra_and_no_sibling() {
    let dir = tempfile::tempdir().unwrap();
    write_consumer(
        dir.path(),
        "types-consumer",
        "tracking-types",
        "//! A downstream user of the data types alone.\n\
         /// A default track.\n\
         pub fn default_track() -> tracking_types::TrackData {\n    tracking_types::TrackData::default()\n}\n",
    );
    let tree = cargo(
        dir.path(),
        &["tree", "--edges", "normal,build", "--prefix", "none"],
    );
    assert_success("cargo tree", &tree);
    let tree = String::from_utf8_lossy(&tree.stdout).into_owned();
    eprintln!("cargo tree of a crate depending on tracking-types alone:\n{tree}");
    let crate_names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(crate_names.contains(&"tracking-types"), "{tree}");
    for forbidden in [
        "nalgebra",
        "tracking-io",
        "tracking-footage",
        "tracking-session",
        "cinematic",
    ] {
        assert!(
            !crate_names.contains(&forbidden),
            "`{forbidden}` is in the tree:\n{tree}"
        );
    }
    assert_success(
        "cargo check of the types consumer",
        &cargo(dir.path(), &["check", "--quiet"]),
    );
}
