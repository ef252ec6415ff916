//! Driving `python3` with PyYAML: one process per batch of documents.

#![allow(dead_code, unreachable_pub)]

use std::io::Write as _;
use std::process::{Command, Stdio};

/// True when python3 + PyYAML can run; a skip outside CI, a failure under `CI=true`
/// (the shared rule of `cinematic-testkit`).
pub fn python_with_pyyaml() -> bool {
    cinematic_testkit::python_with_pyyaml()
}

/// Runs `script` with `input` on stdin and returns its stdout; panics when it fails.
pub fn run_python(script: &str, input: &str) -> String {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let mut stdin = child.stdin.take().expect("stdin");
    // Write on another thread: a large batch would otherwise fill both pipes.
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python3 runs");
    writer.join().expect("stdin writer").expect("write stdin");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 from python")
}
