//! [`LoadWarning`]: what a load noticed and let pass, and where it is reported.
//!
//! There is one way a warning reaches the user: the store calls
//! [`StoreOptions::on_warning`](crate::StoreOptions::on_warning), which by default
//! prints one `warning: …` line on stderr (as the lock wait prints its notice), so every
//! command that loads a session (`session show`, `session import`, `shot status`, …)
//! shows it. What a warning is about stays in the record itself as well
//! (`TrackingSession::unknown_keys`).

use camino::Utf8PathBuf;

use crate::error::RecordKind;

/// Something a load noticed and let pass.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadWarning {
    /// The file holds keys this version does not know (a newer writer's, or a typo such
    /// as `camera_prof1le`): they are kept in the record and written back on save.
    UnknownKeys {
        /// Kind of record.
        kind: RecordKind,
        /// Its id.
        id: String,
        /// The file read.
        path: Utf8PathBuf,
        /// The keys, as paths (`camera_prof1le`, `tracks[0].colour`).
        keys: Vec<String>,
    },
}

impl std::fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownKeys { kind, id, keys, .. } => {
                let noun = if keys.len() == 1 { "key" } else { "keys" };
                write!(f, "{kind} {id}: unknown {noun} {} (kept)", keys.join(", "))
            }
        }
    }
}

/// The default [`StoreOptions::on_warning`](crate::StoreOptions::on_warning): one line
/// on stderr, `warning: session shot_010: unknown key camera_prof1le (kept)`.
pub fn print_warning(warning: &LoadWarning) {
    eprintln!("warning: {warning}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_keys_warning_names_the_record_and_every_key() {
        let warning = LoadWarning::UnknownKeys {
            kind: RecordKind::Session,
            id: "shot_010".to_owned(),
            path: "s/shot_010.yaml".into(),
            keys: vec!["camera_prof1le".to_owned(), "tracks[1].colour".to_owned()],
        };
        assert_eq!(
            warning.to_string(),
            "session shot_010: unknown keys camera_prof1le, tracks[1].colour (kept)"
        );
    }
}
