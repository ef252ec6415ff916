//! The `python` step of `cargo xtask ci`: build the `cinematic` wheel with maturin,
//! install it into a scratch directory, run its pytest suite and `mypy.stubtest`.
//!
//! 1. `python3 -m maturin build` (dev profile, the workspace's own target directory, so
//!    the `tracking-*` crates `cargo test` just built are reused) → `<target>/python-ci/wheel/`
//! 2. `python3 -m pip install --no-deps --target <target>/python-ci/site <wheel>`
//! 3. `cargo build -p cinematic-cli` (the suite checks sessions against the real CLI)
//! 4. `python3 -m pytest crates/cinematic-py/tests` with `PYTHONPATH` = the scratch site
//! 5. `python3 -m mypy.stubtest cinematic` (the stubs match the runtime)
//!
//! maturin, pytest and mypy come from pip (`.ci/run` installs them). Without one of them
//! the step is skipped with a note, except under `CI=true`, where that is a failure.
//! `PYTHON` names another interpreter than `python3`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

/// The Python modules the step needs, with what installs them.
const MODULES: &[(&str, &str)] = &[
    ("maturin", "maturin"),
    ("pytest", "pytest"),
    ("mypy.stubtest", "mypy"),
];

/// The package's crate, relative to the repository root.
const CRATE_DIR: &str = "crates/cinematic-py";

/// What the step runs, for the step header.
pub(crate) fn describe() -> String {
    "maturin build + pip install --target; pytest crates/cinematic-py/tests; python3 -m mypy.stubtest cinematic".to_owned()
}

fn python() -> OsString {
    std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into())
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The modules of [`MODULES`] that `python` cannot import, with their pip names.
fn missing_modules() -> Vec<&'static str> {
    MODULES
        .iter()
        .filter(|(module, _)| {
            !Command::new(python())
                .args(["-c", &format!("import {module}")])
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(|(_, package)| *package)
        .collect()
}

/// Runs one command; `Ok(Err(status))` when it ran and failed.
fn run(command: &mut Command, what: &str) -> Result<Result<(), String>, Error> {
    println!("ci: python: {what}");
    let status = command.status().map_err(|source| Error::Spawn {
        command: what.to_owned(),
        source,
    })?;
    Ok(if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed: {status}"))
    })
}

/// The step: `Ok(Ok(()))` passed (or was skipped outside CI), `Ok(Err(_))` failed.
pub(crate) fn run_python_step(root: &Path) -> Result<Result<(), String>, Error> {
    let missing = missing_modules();
    if !missing.is_empty() {
        let message = format!(
            "{} cannot import {}: `{} -m pip install {}`",
            python().to_string_lossy(),
            missing.join(", "),
            python().to_string_lossy(),
            missing.join(" ")
        );
        if under_ci() {
            return Ok(Err(format!("CI=true and {message}")));
        }
        println!("ci: python: note: skipping the Python package: {message}");
        return Ok(Ok(()));
    }
    let target = target_dir(root);
    let scratch = target.join("python-ci");
    let wheel_dir = scratch.join("wheel");
    let site = scratch.join("site");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|source| Error::Write {
            path: scratch.clone(),
            source,
        })?;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut maturin = command(python(), root);
    maturin
        .args(["-m", "maturin", "build", "--locked", "--out"])
        .arg(&wheel_dir)
        .arg("--manifest-path")
        .arg(root.join(CRATE_DIR).join("Cargo.toml"));
    let mut cli_build = command(cargo, root);
    cli_build.args(["build", "-p", "cinematic-cli", "--locked", "--quiet"]);
    for (cmd, what) in [
        (&mut maturin, "python3 -m maturin build --locked"),
        (&mut cli_build, "cargo build -p cinematic-cli"),
    ] {
        if let Err(failed) = run(cmd, what)? {
            return Ok(Err(failed));
        }
    }
    let Some(wheel) = find_wheel(&wheel_dir) else {
        return Ok(Err(format!(
            "maturin wrote no wheel into {}",
            wheel_dir.display()
        )));
    };
    let cli = target.join("debug").join("cinematic");
    let with_package = |program: OsString| {
        let mut cmd = command(program, root);
        cmd.env("PYTHONPATH", &site)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("MYPY_CACHE_DIR", scratch.join("mypy-cache"))
            .env("CINEMATIC_CLI", &cli);
        cmd
    };
    let mut install = command(python(), root);
    install
        .args(["-m", "pip", "install", "--quiet", "--no-deps", "--target"])
        .arg(&site)
        .arg(&wheel);
    let mut pytest = with_package(python());
    pytest
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q"])
        .arg(root.join(CRATE_DIR).join("tests"));
    let mut stubtest = with_package(python());
    stubtest.args(["-m", "mypy.stubtest", "cinematic"]);
    for (cmd, what) in [
        (
            &mut install,
            "pip install --no-deps --target target/python-ci/site <wheel>",
        ),
        (&mut pytest, "pytest crates/cinematic-py/tests"),
        (&mut stubtest, "python3 -m mypy.stubtest cinematic"),
    ] {
        if let Err(failed) = run(cmd, what)? {
            return Ok(Err(failed));
        }
    }
    Ok(Ok(()))
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to `root`), else `root/target`.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir))
}

fn command(program: impl Into<OsString>, root: &Path) -> Command {
    let mut cmd = Command::new(program.into());
    cmd.current_dir(root);
    cmd
}

/// The one `.whl` maturin wrote into `dir`.
fn find_wheel(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "whl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wheel_is_found_among_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        assert_eq!(find_wheel(dir.path()), None);
        let wheel = dir
            .path()
            .join("cinematic-0.3.1-cp39-abi3-manylinux_2_35_x86_64.whl");
        std::fs::write(&wheel, "").unwrap();
        assert_eq!(find_wheel(dir.path()), Some(wheel));
    }

    #[test]
    fn the_step_needs_maturin_pytest_and_mypy() {
        let packages: Vec<&str> = MODULES.iter().map(|(_, package)| *package).collect();
        assert_eq!(packages, ["maturin", "pytest", "mypy"]);
    }
}
