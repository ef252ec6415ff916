//! The Python package `cinematic` (`crates/cinematic-py`) against the facade, as part of
//! checks 2 and 4:
//!
//! - its `__all__` (`python/cinematic/__init__.py`) holds every required root name of
//!   the facade in its Python spelling (`VERSION` is `__version__`), so a name added to
//!   the Rust facade is not forgotten in Python (check 2);
//! - its `pyproject.toml` takes the version from the crate (`dynamic = ["version"]`), so
//!   the wheel is always the workspace version (check 4; the crate's own version is
//!   check 1's).
//!
//! `__all__` is read as text: the list of string literals after `__all__ = [`. The
//! package's pytest suite checks the runtime side (every name importable from both
//! `cinematic` and `cinematic.tracking`).

use crate::export_table::RequiredName;
use crate::source_tree::SourceReader;
use crate::violation::{CheckId, Violation};

/// The package's `__init__.py`, relative to the repository root.
pub(crate) const PYTHON_INIT: &str = "crates/cinematic-py/python/cinematic/__init__.py";
/// The package's `pyproject.toml`.
pub(crate) const PYPROJECT: &str = "crates/cinematic-py/pyproject.toml";

/// The Python spelling of a required facade name.
fn python_name(name: &str) -> &str {
    match name {
        "VERSION" => "__version__",
        other => other,
    }
}

/// The string literals of the first `__all__ = [...]` in `source`.
fn dunder_all(source: &str) -> Option<Vec<String>> {
    let start = source.find("__all__ = [")? + "__all__ = [".len();
    let end = start + source[start..].find(']')?;
    Some(
        source[start..end]
            .lines()
            .map(|line| line.split('#').next().unwrap_or_default())
            .flat_map(|line| line.split(','))
            .map(|item| item.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// Both checks of the Python package.
pub(crate) fn check_python_package(
    reader: &dyn SourceReader,
    required: &[RequiredName],
) -> Vec<Violation> {
    let mut violations = Vec::new();
    match reader.read(PYTHON_INIT).as_deref().map(dunder_all) {
        None => violations.push(Violation::new(
            CheckId::Exports,
            PYTHON_INIT,
            "file not found",
        )),
        Some(None) => violations.push(Violation::new(
            CheckId::Exports,
            PYTHON_INIT,
            "no `__all__ = [...]` list",
        )),
        Some(Some(all)) => {
            let missing: Vec<&str> = required
                .iter()
                .map(|r| python_name(r.name))
                .filter(|name| !all.iter().any(|a| a == name))
                .collect();
            if !missing.is_empty() {
                violations.push(Violation::new(
                    CheckId::Exports,
                    PYTHON_INIT,
                    format!(
                        "`__all__` lacks {} of the facade's root names: add them to the Python \
                         package (and to its stubs)",
                        missing.join(", ")
                    ),
                ));
            }
        }
    }
    match reader.read(PYPROJECT) {
        None => violations.push(Violation::new(
            CheckId::Version,
            PYPROJECT,
            "file not found",
        )),
        Some(text) => {
            let dynamic_version = text.lines().any(|line| {
                let line = line.replace(' ', "");
                line.starts_with("dynamic=[") && line.contains("\"version\"")
            });
            if !dynamic_version {
                violations.push(Violation::new(
                    CheckId::Version,
                    PYPROJECT,
                    "[project] must say `dynamic = [\"version\"]` so the wheel takes the crate's \
                     (workspace) version, not a second copy of it",
                ));
            }
        }
    }
    violations
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export_table::REQUIRED_NAMES;
    use std::collections::BTreeMap;

    /// A Python package that passes both checks.
    pub(crate) fn complete_python_package() -> BTreeMap<String, String> {
        let names: String = REQUIRED_NAMES
            .iter()
            .map(|r| format!("    \"{}\",  # a name\n", python_name(r.name)))
            .collect();
        BTreeMap::from([
            (
                PYTHON_INIT.to_owned(),
                format!("from ._native import *\n\n__all__ = [\n{names}]\n"),
            ),
            (
                PYPROJECT.to_owned(),
                "[project]\nname = \"cinematic\"\ndynamic = [\"version\"]\n".to_owned(),
            ),
        ])
    }

    fn messages(sources: &BTreeMap<String, String>) -> Vec<String> {
        check_python_package(sources, REQUIRED_NAMES)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_package_naming_every_root_name_with_a_dynamic_version_passes() {
        assert_eq!(messages(&complete_python_package()), Vec::<String>::new());
    }

    #[test]
    fn a_root_name_missing_from_all_is_named() {
        let mut sources = complete_python_package();
        let init = sources[PYTHON_INIT]
            .replace("    \"__version__\",  # a name\n", "")
            .replace("    \"import_nuke_chan\",  # a name\n", "");
        sources.insert(PYTHON_INIT.to_owned(), init);
        assert_eq!(
            messages(&sources),
            [format!(
                "[2 exports] {PYTHON_INIT}: `__all__` lacks import_nuke_chan, __version__ of the \
                 facade's root names: add them to the Python package (and to its stubs)"
            )]
        );
    }

    #[test]
    fn a_version_written_twice_is_rejected() {
        let mut sources = complete_python_package();
        sources.insert(
            PYPROJECT.to_owned(),
            "[project]\nname = \"cinematic\"\nversion = \"0.3.1\"\n".to_owned(),
        );
        assert_eq!(
            messages(&sources),
            [format!(
                "[4 version] {PYPROJECT}: [project] must say `dynamic = [\"version\"]` so the wheel \
                 takes the crate's (workspace) version, not a second copy of it"
            )]
        );
    }

    #[test]
    fn the_real_package_passes() {
        let root = crate::repo_root();
        let sources = crate::source_tree::DiskSources { root: &root };
        let violations: Vec<String> = check_python_package(&sources, REQUIRED_NAMES)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(violations, Vec::<String>::new());
    }
}
