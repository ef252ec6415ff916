//! Shared output helpers: the `--json` flag and JSON printing.

use std::io::Write;

use serde::Serialize;

use crate::cli_error::CliError;

/// The `--json` flag, flattened into every subcommand's arguments.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub(crate) struct JsonFlag {
    /// Print machine-readable JSON on stdout instead of a human summary.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Print `value` as pretty JSON followed by a newline on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| CliError::new("cannot write JSON").source(e))?;
    writeln!(out)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::new("cannot write to stdout").source(e))
}
