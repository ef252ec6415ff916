//! [`Severity`]: the one scale every finding in cinematic is rated on (footage
//! analysis, shot checks), so a report that mixes them reads on one scale.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warning < Critical`; serialised lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong and it rarely changes the outcome.
    Info,
    /// Will cost time or accuracy, or likely give a wrong result, unless acted on.
    Warning,
    /// Must be fixed first: tracking or the solve would be wrong, or the camera and the
    /// plate cannot be mapped onto each other as they are.
    Critical,
}

impl Severity {
    /// The lowercase name, as serialised (`"info"`, `"warning"`, `"critical"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
