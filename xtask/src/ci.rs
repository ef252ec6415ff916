//! `cargo xtask ci`: the whole pipeline `.ci/run` executes, stopping at the first failure.
//!
//! Steps, cheapest first so a mistake is reported as early and as precisely as possible:
//! 1. `cargo fmt --all -- --check`
//! 2. verify-exports (the static checks, in-process; the generated `exports.rs` is
//!    compiled by steps 3 and 5)
//! 3. `cargo clippy --workspace --all-targets --locked -- -D warnings`
//! 4. `cargo doc --workspace --no-deps --locked` with `RUSTDOCFLAGS=-D warnings`
//! 5. `cargo test --workspace --locked`
//! 6. python: the `cinematic` wheel built by maturin, its pytest suite and
//!    `mypy.stubtest` (see [`crate::ci_python`])
//!
//! Each step prints its name, command and wall time.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::source_tree::DiskSources;
use crate::verify::{load_graph, run_all_checks};
use crate::violation::render_report;

/// What one step runs.
enum Action {
    /// `cargo <args>` with extra environment variables.
    Cargo {
        args: &'static [&'static str],
        env: &'static [(&'static str, &'static str)],
    },
    /// The verify-exports checks, in-process.
    VerifyExports,
    /// The Python package: wheel, pytest, stubtest ([`crate::ci_python`]).
    Python,
}

struct Step {
    name: &'static str,
    action: Action,
}

const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        action: Action::Cargo {
            args: &["fmt", "--all", "--", "--check"],
            env: &[],
        },
    },
    Step {
        name: "verify-exports",
        action: Action::VerifyExports,
    },
    Step {
        name: "clippy",
        action: Action::Cargo {
            args: &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            env: &[],
        },
    },
    Step {
        name: "doc",
        action: Action::Cargo {
            args: &["doc", "--workspace", "--no-deps", "--locked"],
            env: &[("RUSTDOCFLAGS", "-D warnings")],
        },
    },
    Step {
        name: "test",
        action: Action::Cargo {
            args: &["test", "--workspace", "--locked"],
            env: &[],
        },
    },
    Step {
        name: "python",
        action: Action::Python,
    },
];

/// Runs every step in order from the repository `root`; the first failure ends the run.
/// With `only`, runs just the step of that name (`cargo xtask ci --step python`).
pub(crate) fn run_ci(root: &Path, only: Option<&str>) -> Result<(), Error> {
    let started = Instant::now();
    if let Some(name) = only.filter(|name| !STEPS.iter().any(|s| s.name == *name)) {
        let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        return Err(Error::StepFailed {
            step: "select",
            command: format!("cargo xtask ci --step {name}"),
            status: format!("no step {name:?}; the steps are {}", names.join(", ")),
            elapsed: started.elapsed(),
        });
    }
    let selected = STEPS
        .iter()
        .enumerate()
        .filter(|(_, s)| only.is_none_or(|name| s.name == name));
    for (index, step) in selected {
        let command = describe(&step.action);
        println!(
            "ci: [{}/{}] {} — {command}",
            index + 1,
            STEPS.len(),
            step.name
        );
        let step_started = Instant::now();
        let outcome = run_step(root, &step.action);
        let elapsed = step_started.elapsed();
        if let Err(status) = outcome? {
            return Err(Error::StepFailed {
                step: step.name,
                command,
                status,
                elapsed,
            });
        }
        println!(
            "ci: [{}/{}] {} ok in {}",
            index + 1,
            STEPS.len(),
            step.name,
            seconds(elapsed)
        );
    }
    match only {
        Some(name) => println!("ci: step {name} passed in {}", seconds(started.elapsed())),
        None => println!(
            "ci: all {} steps passed in {}",
            STEPS.len(),
            seconds(started.elapsed())
        ),
    }
    Ok(())
}

fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

fn describe(action: &Action) -> String {
    match action {
        Action::Cargo { args, env } => {
            let env: String = env.iter().map(|(k, v)| format!("{k}='{v}' ")).collect();
            format!("{env}cargo {}", args.join(" "))
        }
        Action::VerifyExports => "cargo xtask verify-exports --no-compile".to_owned(),
        Action::Python => crate::ci_python::describe(),
    }
}

/// `Ok(Ok(()))` passed, `Ok(Err(status))` ran and failed, `Err` could not run.
fn run_step(root: &Path, action: &Action) -> Result<Result<(), String>, Error> {
    match action {
        Action::Cargo { args, env } => {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let status = Command::new(cargo)
                .args(*args)
                .envs(env.iter().copied())
                .current_dir(root)
                .status()
                .map_err(|source| Error::Spawn {
                    command: format!("cargo {}", args.join(" ")),
                    source,
                })?;
            Ok(if status.success() {
                Ok(())
            } else {
                Err(status.to_string())
            })
        }
        Action::VerifyExports => {
            let graph = load_graph(root)?;
            let violations = run_all_checks(&graph, &DiskSources { root });
            if violations.is_empty() {
                Ok(Ok(()))
            } else {
                eprint!("{}", render_report(&violations));
                Ok(Err(format!("{} violation(s)", violations.len())))
            }
        }
        Action::Python => crate::ci_python::run_python_step(root),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_run_cheapest_first_and_end_with_the_workspace_and_python_tests() {
        let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            ["fmt", "verify-exports", "clippy", "doc", "test", "python"]
        );
        assert_eq!(
            describe(&STEPS[4].action),
            "cargo test --workspace --locked"
        );
        assert_eq!(
            describe(&STEPS[3].action),
            "RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps --locked"
        );
    }

    #[test]
    fn a_failing_cargo_step_reports_its_status() {
        let outcome = run_step(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &Action::Cargo {
                args: &["no-such-subcommand-xtask-test"],
                env: &[],
            },
        )
        .unwrap();
        assert!(outcome.is_err());
    }
}
