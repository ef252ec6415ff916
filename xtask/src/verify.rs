//! `cargo xtask verify-exports` and `cargo xtask bless`: run the five checks of
//! CONVENTIONS §3 over the repository, or regenerate the files they compare against.
//!
//! [`run_all_checks`] takes its inputs (the workspace graph from `cargo metadata` and a
//! [`SourceReader`]) and returns every violation; it never touches cargo itself, so it
//! also runs as a plain `#[test]` on the real repository and, fed broken inputs, in the
//! unit tests of each check.

use std::path::Path;

use cargo_metadata::MetadataCommand;

use crate::api_list::{API_LIST_PATH, check_api_list, generate_api_list};
use crate::error::Error;
use crate::export_table::{
    EXPORTS_TEST_PATH, MODULE_ALIASES, REQUIRED_NAMES, generate_exports_test,
};
use crate::facade_exports::{FACADE_LIB, check_exports_test_is_fresh, check_facade_names};
use crate::manifests::{WorkspaceGraph, check_manifests};
use crate::python_package::check_python_package;
use crate::source_tree::{DiskSources, SourceReader, SourceTree};
use crate::state_skeleton::check_state_skeleton;
use crate::version_check::check_version_const;
use crate::violation::Violation;

/// The workspace graph of the repository at `root`, from `cargo metadata --no-deps`.
pub(crate) fn load_graph(root: &Path) -> Result<WorkspaceGraph, Error> {
    let metadata = MetadataCommand::new().current_dir(root).no_deps().exec()?;
    Ok(WorkspaceGraph::from_metadata(&metadata))
}

/// All five checks, in order (with the Python package's part of checks 2 and 4 last, see
/// [`check_python_package`]). Empty means `verify-exports` passes.
pub(crate) fn run_all_checks(graph: &WorkspaceGraph, reader: &dyn SourceReader) -> Vec<Violation> {
    let tree = SourceTree {
        reader,
        crate_roots: graph.crate_roots(),
    };
    let mut violations = check_manifests(graph);
    violations.extend(check_facade_names(&tree, MODULE_ALIASES, REQUIRED_NAMES));
    violations.extend(check_exports_test_is_fresh(
        reader.read(EXPORTS_TEST_PATH).as_deref(),
        MODULE_ALIASES,
        REQUIRED_NAMES,
    ));
    violations.extend(check_api_list(&tree, reader.read(API_LIST_PATH).as_deref()));
    violations.extend(check_version_const(
        reader.read(FACADE_LIB).as_deref(),
        graph,
    ));
    violations.extend(check_state_skeleton(reader));
    if graph.crate_named("cinematic-py").is_some() {
        violations.extend(check_python_package(reader, REQUIRED_NAMES));
    }
    violations
}

/// The generated files and the text the code says they should have.
pub(crate) fn generated_files(
    graph: &WorkspaceGraph,
    reader: &dyn SourceReader,
) -> Result<Vec<(&'static str, String)>, Error> {
    let tree = SourceTree {
        reader,
        crate_roots: graph.crate_roots(),
    };
    let api_list = generate_api_list(&tree).map_err(|message| Error::Generate {
        path: API_LIST_PATH,
        message,
    })?;
    Ok(vec![
        (
            EXPORTS_TEST_PATH,
            generate_exports_test(MODULE_ALIASES, REQUIRED_NAMES),
        ),
        (API_LIST_PATH, api_list),
    ])
}

/// Rewrites the generated files under `root` that differ from what the code generates;
/// returns the paths it rewrote.
pub(crate) fn bless(root: &Path, graph: &WorkspaceGraph) -> Result<Vec<&'static str>, Error> {
    let reader = DiskSources { root };
    let mut rewritten = Vec::new();
    for (path, text) in generated_files(graph, &reader)? {
        if reader.read(path).as_deref() != Some(text.as_str()) {
            let full = root.join(path);
            let written = match full.parent() {
                Some(dir) => {
                    std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&full, text))
                }
                None => std::fs::write(&full, text),
            };
            written.map_err(|source| Error::Write { path: full, source })?;
            rewritten.push(path);
        }
    }
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facade_exports::tests::complete_sources;
    use crate::manifests::tests::healthy_graph;
    use crate::repo_root;
    use crate::violation::{CheckId, render_report};
    use std::collections::BTreeMap;

    fn complete_repo() -> BTreeMap<String, String> {
        let graph = healthy_graph();
        let mut sources = complete_sources();
        sources.extend(crate::python_package::tests::complete_python_package());
        for (path, text) in generated_files(&graph, &sources).unwrap() {
            sources.insert(path.to_owned(), text);
        }
        for dir in crate::state_skeleton::STATE_DIRS {
            sources.insert(format!(".gsd-state/tracking/{dir}/.gitkeep"), String::new());
        }
        sources
    }

    #[test]
    fn a_complete_repository_passes_all_five_checks() {
        let violations = run_all_checks(&healthy_graph(), &complete_repo());
        assert_eq!(violations, [], "{}", render_report(&violations));
    }

    #[test]
    fn each_check_reports_its_own_breakage_in_check_order() {
        let mut graph = healthy_graph();
        graph.crates[0].version = "0.3.2".to_owned();
        let mut sources = complete_repo();
        let facade = sources[FACADE_LIB]
            .replace("pub use tracking_io as io;\n", "")
            .replace("\"0.3.1\"", "\"0.3.0\"");
        sources.insert(FACADE_LIB.to_owned(), facade);
        sources.insert(EXPORTS_TEST_PATH.to_owned(), "// hand edited\n".to_owned());
        sources.remove(".gsd-state/tracking/footage/.gitkeep");
        let checks: Vec<CheckId> = run_all_checks(&graph, &sources)
            .iter()
            .map(|v| v.check)
            .collect();
        assert_eq!(
            checks,
            [
                CheckId::Manifests,     // tracking-types at 0.3.2
                CheckId::Exports,       // alias `io` missing
                CheckId::Exports,       // exports.rs hand edited
                CheckId::ApiList,       // `pub mod cinematic::io` dropped, so api.txt is stale
                CheckId::Version,       // VERSION 0.3.0
                CheckId::StateSkeleton, // footage/.gitkeep removed
            ]
        );
    }

    /// The rust-analyzer "tidy" way: `cargo test --workspace` runs verify-exports too.
    /// It fails until every name of the §3 table is exported by the facade.
    #[test]
    fn the_repository_passes_every_verify_exports_check() {
        let root = repo_root();
        let graph = load_graph(&root).unwrap();
        let violations = run_all_checks(&graph, &DiskSources { root: &root });
        assert!(
            violations.is_empty(),
            "cargo xtask verify-exports would fail:\n{}",
            render_report(&violations)
        );
    }
}
