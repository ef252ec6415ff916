//! [`Blender`]: finding Blender and running one of our scripts in it, headless.
//!
//! Every run is `blender -b --factory-startup --python-exit-code 1 --python SCRIPT --
//! REQUEST.json RESULT.json` (without `--python-exit-code` a Python error exits 0;
//! `--factory-startup` keeps the user's startup file and add-ons out). The script is
//! one of the committed `.py` files of this crate, written into a private work
//! directory; its data goes in as a JSON file and comes out as one, never as code, so
//! no file name can inject anything. Runs go through tracking-footage's
//! [`ToolCommand`]: stdin closed, a wall-clock timeout with kill, output capped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tracking_footage::{Tool, ToolCommand, ToolPath, ToolSource, find_tool};

use crate::error::{BlenderError, Result};

/// The scene builder, run inside Blender (and used by the add-on's "Load shot"):
/// `blender/cinematic_scene.py`.
pub const SCENE_SCRIPT: &str = include_str!("../blender/cinematic_scene.py");
/// The reader of cameras and scene facts, run inside Blender:
/// `blender/cinematic_inspect.py`.
pub const INSPECT_SCRIPT: &str = include_str!("../blender/cinematic_inspect.py");

pub(crate) const SCENE: (&str, &str) = ("cinematic_scene.py", SCENE_SCRIPT);
pub(crate) const INSPECT: (&str, &str) = ("cinematic_inspect.py", INSPECT_SCRIPT);

/// Default limit for one Blender run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Lines of Blender's output kept in an error.
const TAIL_LINES: usize = 24;

static WORK_DIR_SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// A Blender executable and how long one run may take.
#[derive(Debug, Clone)]
pub struct Blender {
    tool: ToolPath,
    timeout: Duration,
}

impl Blender {
    /// Find Blender: `explicit` → `CINEMATIC_BLENDER` → `blender` on `PATH`.
    pub fn find(explicit: Option<&Path>) -> Result<Self> {
        let tool = find_tool(Tool::Blender, explicit).map_err(|error| match error {
            tracking_footage::Error::ToolNotFound { searched, hint, .. } => {
                BlenderError::NotFound { searched, hint }
            }
            other => BlenderError::Tool(Box::new(other)),
        })?;
        Ok(Self {
            tool,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same Blender with another time limit per run.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The executable.
    pub fn program(&self) -> &Path {
        &self.tool.program
    }

    /// How it was found.
    pub fn source(&self) -> &ToolSource {
        &self.tool.source
    }

    /// Run `script` (one of this crate's scripts) on `request`; its JSON result.
    pub(crate) fn run<R: DeserializeOwned>(
        &self,
        task: &'static str,
        (script_name, script): (&str, &str),
        request: &impl Serialize,
    ) -> Result<R> {
        let work = WorkDir::new()?;
        // Under its committed name, so a traceback says which script failed.
        let script_path = work.write(script_name, script.as_bytes())?;
        let request_bytes = serde_json::to_vec(request).map_err(|e| BlenderError::BadResult {
            task,
            detail: format!("cannot encode the request: {e}"),
            last_lines: Vec::new(),
        })?;
        let request_path = work.write("request.json", &request_bytes)?;
        let result_path = work.path.join("result.json");
        let run = ToolCommand::new(&self.tool)
            .args([
                "-b",
                "--factory-startup",
                "--python-exit-code",
                "1",
                "--python",
            ])
            .arg(&script_path)
            .arg("--")
            .arg(&request_path)
            .arg(&result_path)
            .timeout(self.timeout)
            .stdout_limit(16 << 20)
            .stderr_limit(1 << 20)
            .run_unchecked();
        let output = match run {
            Ok(output) => output,
            Err(tracking_footage::Error::Timeout { timeout, .. }) => {
                return Err(BlenderError::Timeout { task, timeout });
            }
            Err(other) => return Err(BlenderError::Tool(Box::new(other))),
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.success {
            let last_lines = last_lines(&stderr, &stdout);
            return Err(match output.exit_code {
                None => BlenderError::Killed { task, last_lines },
                exit_code => BlenderError::ScriptFailed {
                    task,
                    exit_code,
                    last_lines,
                },
            });
        }
        let bad = |detail: String| BlenderError::BadResult {
            task,
            detail,
            last_lines: last_lines(&stderr, &stdout),
        };
        let bytes = std::fs::read(&result_path)
            .map_err(|e| bad(format!("no result file was written ({e})")))?;
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("malformed result: {e}")))
    }
}

/// The traceback Blender printed (from its last `Traceback` line), else the last lines
/// of stderr, else of stdout.
fn last_lines(stderr: &str, stdout: &str) -> Vec<String> {
    let pick = |text: &str| -> Vec<String> {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let start = lines
            .iter()
            .rposition(|l| l.contains("Traceback (most recent call last)"))
            .unwrap_or(0)
            .max(lines.len().saturating_sub(TAIL_LINES));
        lines[start..].iter().map(|l| (*l).to_owned()).collect()
    };
    let from_stderr = pick(stderr);
    if from_stderr.is_empty() {
        pick(stdout)
    } else {
        from_stderr
    }
}

/// A private directory for one run's script, request and result; removed on drop.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn new() -> Result<Self> {
        let base = std::env::temp_dir();
        let path = base.join(format!(
            "cinematic-blender.{}.{}",
            std::process::id(),
            WORK_DIR_SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        // A leftover of an earlier process with our pid is ours to replace.
        if path.exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
        builder.create(&path).map_err(|source| BlenderError::Io {
            path: path.clone(),
            action: "create the work directory",
            source,
        })?;
        Ok(Self { path })
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.path.join(name);
        std::fs::write(&path, bytes).map_err(|source| BlenderError::Io {
            path: path.clone(),
            action: "write",
            source,
        })?;
        Ok(path)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traceback_is_what_an_error_carries() {
        let stderr = "Read prefs\nError: Python: Traceback (most recent call last):\n  File \"x.py\", line 3\nKeyError: 'scene'\n";
        assert_eq!(
            last_lines(stderr, "Blender 3.4.1\n"),
            [
                "Error: Python: Traceback (most recent call last):",
                "  File \"x.py\", line 3",
                "KeyError: 'scene'"
            ]
        );
    }

    #[test]
    fn without_a_traceback_the_last_lines_are_kept() {
        let stdout: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let lines = last_lines("", &stdout);
        assert_eq!(lines.len(), TAIL_LINES);
        assert_eq!(lines.last().map(String::as_str), Some("line 99"));
    }

    #[test]
    fn the_scripts_are_the_committed_files() {
        assert!(SCENE_SCRIPT.contains("def build_scene(bpy, spec, scene=None)"));
        assert!(INSPECT_SCRIPT.contains("def inspect(bpy, request)"));
    }
}
