//! [`CliError`]: one `error: …` line plus its causes on stderr.

use std::error::Error;
use std::fmt;

/// An error the CLI reports and exits on.
#[derive(Debug)]
pub(crate) struct CliError {
    message: String,
    causes: Vec<String>,
}

impl CliError {
    /// An error with a message and no cause.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            causes: Vec::new(),
        }
    }

    /// Attach an underlying cause (and its own source chain).
    pub(crate) fn source(mut self, source: impl Error) -> Self {
        self.causes.push(source.to_string());
        self.causes.extend(chain(source.source()));
        self
    }

    /// Write `error: message` and each cause on its own `  caused by:` line to stderr.
    pub(crate) fn report(&self) {
        eprintln!("error: {}", self.message);
        for cause in &self.causes {
            eprintln!("  caused by: {cause}");
        }
    }
}

fn chain(mut cause: Option<&(dyn Error + 'static)>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(err) = cause {
        out.push(err.to_string());
        cause = err.source();
    }
    out
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Any library error becomes a CLI error whose message is the error's own text and
/// whose causes are the error's source chain.
impl<E: Error + 'static> From<E> for CliError {
    fn from(err: E) -> Self {
        Self {
            message: err.to_string(),
            causes: chain(err.source()),
        }
    }
}
