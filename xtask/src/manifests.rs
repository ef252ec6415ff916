//! Check 1: versions, exact pins and the dependency rule, read from `cargo metadata`.
//!
//! [`WorkspaceGraph`] is the part of `cargo metadata --no-deps` this check needs: each
//! workspace crate with its version, manifest path and its edges to *other workspace
//! crates*. [`check_manifests`] then enforces CONVENTIONS §2/§3:
//!
//! - every workspace crate has version [`RELEASE_VERSION`];
//! - every internal `[dependencies]`/`[build-dependencies]` edge is pinned `=RELEASE_VERSION`
//!   (so `cinematic` depends on each `tracking-*` crate with `=0.3.1`);
//! - the dependency rule ([`DEPENDENCY_RULE`]): which workspace crates each crate may and
//!   must depend on.
//!
//! Dev-dependencies are held to the same "may depend on" list (a test that needs a crate
//! its code may not use is usually a misplaced test), widened by the row's `dev_only` list:
//! crates a crate's tests may use but its code may not (`tracking-yaml`'s tests run the
//! codec on the `tracking-types` data model). A `dev_only` crate named in `[dependencies]`
//! or `[build-dependencies]` is a forbidden edge like any other. `allowed` and `dev_only`
//! edges together must still form a DAG (dev-edges can hide layering cycles; a unit test
//! checks the table). Dev-dependencies are held neither to "must depend on" nor to the `=`
//! pin (dev-dependencies are never published).

use cargo_metadata::{DependencyKind, Metadata};

use crate::violation::{CheckId, Violation};

/// The version every workspace crate carries; the crates move in lockstep. Bump it here
/// in the same commit as `[workspace.package] version`.
pub(crate) const RELEASE_VERSION: &str = "0.3.1";

/// What each workspace crate may depend on inside the workspace (`allowed`), may use in
/// `[dev-dependencies]` only (`dev_only`) and must depend on (`required`). A crate missing from this table is itself a violation, so
/// a new member forces a decision about its place in the layering.
pub(crate) const DEPENDENCY_RULE: &[CrateRule] = &[
    // The bottom: plain data, and the two crates that know no data model at all.
    CrateRule {
        name: "tracking-types",
        allowed: &[],
        dev_only: TESTKIT,
        required: &[],
    },
    CrateRule {
        name: "tracking-fs",
        allowed: &[],
        dev_only: TESTKIT,
        required: &[],
    },
    CrateRule {
        name: "tracking-yaml",
        allowed: &[],
        // The codec is generic over serde types; its tests run it on the real data model.
        dev_only: &["tracking-types", "cinematic-testkit"],
        required: &[],
    },
    // Format and driver crates: the data model and the shared file-system recipes.
    CrateRule {
        name: "tracking-io",
        allowed: &["tracking-types", "tracking-fs"],
        dev_only: TESTKIT,
        required: &[],
    },
    CrateRule {
        name: "tracking-footage",
        allowed: &["tracking-types", "tracking-fs"],
        dev_only: TESTKIT,
        required: &[],
    },
    CrateRule {
        // The session store is the one driver crate that needs the codec.
        name: "tracking-session",
        allowed: &["tracking-types", "tracking-yaml", "tracking-fs"],
        dev_only: TESTKIT,
        required: &["tracking-types", "tracking-yaml"],
    },
    CrateRule {
        // Drives Blender: tool discovery and hardened runs come from tracking-footage,
        // camera tracks from tracking-io; it knows nothing of sessions.
        name: "tracking-blender",
        allowed: &[
            "tracking-types",
            "tracking-fs",
            "tracking-io",
            "tracking-footage",
        ],
        dev_only: TESTKIT,
        required: &["tracking-io", "tracking-footage", "tracking-fs"],
    },
    // Workflow: sees footage, cameras, sessions and Blender together.
    CrateRule {
        name: "tracking-shot",
        allowed: &[
            "tracking-types",
            "tracking-fs",
            "tracking-io",
            "tracking-footage",
            "tracking-session",
            "tracking-blender",
        ],
        dev_only: TESTKIT,
        required: &[
            "tracking-types",
            "tracking-io",
            "tracking-footage",
            "tracking-session",
        ],
    },
    CrateRule {
        name: "cinematic",
        allowed: TRACKING_CRATES,
        dev_only: TESTKIT,
        required: TRACKING_CRATES,
    },
    CrateRule {
        name: "cinematic-cli",
        allowed: &["cinematic"],
        dev_only: TESTKIT,
        required: &["cinematic"],
    },
    // The Python bindings (`import cinematic`), like the CLI, see the facade only.
    CrateRule {
        name: "cinematic-py",
        allowed: &["cinematic"],
        dev_only: &[],
        required: &["cinematic"],
    },
    CrateRule {
        name: "xtask",
        allowed: &[],
        dev_only: &[],
        required: &[],
    },
    // Test helpers: a dev-dependency of the suites above, never a normal dependency.
    CrateRule {
        name: "cinematic-testkit",
        allowed: &[],
        dev_only: &[],
        required: &[],
    },
];

/// Every suite may use the shared test helpers (`CI=true` makes a missing tool fail).
const TESTKIT: &[&str] = &["cinematic-testkit"];

/// Every library crate under the facade; `cinematic` re-exports each of them.
const TRACKING_CRATES: &[&str] = &[
    "tracking-types",
    "tracking-yaml",
    "tracking-fs",
    "tracking-io",
    "tracking-footage",
    "tracking-session",
    "tracking-shot",
    "tracking-blender",
];

/// One row of the dependency rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CrateRule {
    pub(crate) name: &'static str,
    pub(crate) allowed: &'static [&'static str],
    /// Crates allowed in `[dev-dependencies]` only (tests may use them, code may not).
    pub(crate) dev_only: &'static [&'static str],
    pub(crate) required: &'static [&'static str],
}

/// The workspace crates and the edges between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkspaceGraph {
    pub(crate) crates: Vec<WorkspaceCrate>,
}

/// One workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkspaceCrate {
    pub(crate) name: String,
    pub(crate) version: String,
    /// Path of its `Cargo.toml`, relative to the workspace root (for messages).
    pub(crate) manifest: String,
    /// Path of its library root (`src/lib.rs`) relative to the workspace root, if it has one.
    pub(crate) lib_root: Option<String>,
    /// Its dependencies on other workspace members.
    pub(crate) internal_deps: Vec<InternalDep>,
}

/// A dependency edge to another workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InternalDep {
    pub(crate) name: String,
    /// The version requirement as cargo reports it (`=0.3.1`, `^0.3.1`, `*`).
    pub(crate) req: String,
    pub(crate) kind: EdgeKind,
}

/// Which manifest table an edge comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    Normal,
    Build,
    Dev,
}

impl EdgeKind {
    fn table(self) -> &'static str {
        match self {
            EdgeKind::Normal => "[dependencies]",
            EdgeKind::Build => "[build-dependencies]",
            EdgeKind::Dev => "[dev-dependencies]",
        }
    }
}

impl WorkspaceGraph {
    /// Extracts the workspace crates and their internal edges from `cargo metadata`
    /// (`--no-deps` is enough: declared dependencies are listed per package).
    pub(crate) fn from_metadata(metadata: &Metadata) -> Self {
        let members = metadata.workspace_packages();
        let member_names: Vec<String> = members.iter().map(|p| p.name.to_string()).collect();
        let crates = members
            .iter()
            .map(|package| {
                let relative = |path: &cargo_metadata::camino::Utf8Path| {
                    path.strip_prefix(&metadata.workspace_root)
                        .map_or_else(|_| path.to_string(), ToString::to_string)
                };
                let manifest = relative(&package.manifest_path);
                let lib_root = package
                    .targets
                    .iter()
                    .find(|t| t.is_lib())
                    .map(|t| relative(&t.src_path));
                let internal_deps = package
                    .dependencies
                    .iter()
                    .filter(|dep| member_names.contains(&dep.name))
                    .map(|dep| InternalDep {
                        name: dep.name.clone(),
                        req: dep.req.to_string(),
                        kind: match dep.kind {
                            DependencyKind::Development => EdgeKind::Dev,
                            DependencyKind::Build => EdgeKind::Build,
                            _ => EdgeKind::Normal,
                        },
                    })
                    .collect();
                WorkspaceCrate {
                    name: package.name.to_string(),
                    version: package.version.to_string(),
                    manifest,
                    lib_root,
                    internal_deps,
                }
            })
            .collect();
        WorkspaceGraph { crates }
    }

    /// Crate identifier (`tracking_io`) → library root path, for [`crate::source_tree::SourceTree`].
    pub(crate) fn crate_roots(&self) -> std::collections::BTreeMap<String, String> {
        self.crates
            .iter()
            .filter_map(|c| Some((c.name.replace('-', "_"), c.lib_root.clone()?)))
            .collect()
    }

    /// The crate called `name`, if it is a member.
    pub(crate) fn crate_named(&self, name: &str) -> Option<&WorkspaceCrate> {
        self.crates.iter().find(|c| c.name == name)
    }
}

/// Check 1. Returns one violation per broken rule, in a stable order.
pub(crate) fn check_manifests(graph: &WorkspaceGraph) -> Vec<Violation> {
    let mut violations = Vec::new();
    for krate in &graph.crates {
        violations.extend(check_version(krate));
        match DEPENDENCY_RULE.iter().find(|rule| rule.name == krate.name) {
            Some(rule) => violations.extend(check_edges(krate, rule)),
            None => violations.push(Violation::new(
                CheckId::Manifests,
                &krate.manifest,
                format!(
                    "workspace crate `{}` is not in the dependency rule; add a row for it to \
                     DEPENDENCY_RULE in xtask/src/manifests.rs (and to CONVENTIONS §2)",
                    krate.name
                ),
            )),
        }
    }
    for rule in DEPENDENCY_RULE {
        if graph.crate_named(rule.name).is_none() {
            violations.push(Violation::new(
                CheckId::Manifests,
                "Cargo.toml",
                format!(
                    "the dependency rule names crate `{}` but it is not a workspace member",
                    rule.name
                ),
            ));
        }
    }
    violations
}

fn check_version(krate: &WorkspaceCrate) -> Option<Violation> {
    (krate.version != RELEASE_VERSION).then(|| {
        Violation::new(
            CheckId::Manifests,
            &krate.manifest,
            format!(
                "crate `{}` has version {}, expected {RELEASE_VERSION} (all workspace crates \
                 share `[workspace.package] version`; use `version.workspace = true`)",
                krate.name, krate.version
            ),
        )
    })
}

fn check_edges(krate: &WorkspaceCrate, rule: &CrateRule) -> Vec<Violation> {
    let mut violations = Vec::new();
    let pinned = format!("={RELEASE_VERSION}");
    for dep in &krate.internal_deps {
        let dev_allowed = dep.kind == EdgeKind::Dev && rule.dev_only.contains(&dep.name.as_str());
        if !rule.allowed.contains(&dep.name.as_str()) && !dev_allowed {
            violations.push(Violation::new(
                CheckId::Manifests,
                &krate.manifest,
                format!(
                    "forbidden edge `{}` -> `{}` in {}; the dependency rule allows `{}` to \
                     depend on {}",
                    krate.name,
                    dep.name,
                    dep.kind.table(),
                    krate.name,
                    describe_allowed(rule.allowed)
                ),
            ));
        } else if dep.kind != EdgeKind::Dev && dep.req != pinned {
            violations.push(Violation::new(
                CheckId::Manifests,
                &krate.manifest,
                format!(
                    "`{}` requires `{}` as `{}` in {}; internal crates are pinned exactly: \
                     expected `{pinned}` (write `{}.workspace = true`)",
                    krate.name,
                    dep.name,
                    dep.req,
                    dep.kind.table(),
                    dep.name
                ),
            ));
        }
    }
    for required in rule.required {
        let present = krate
            .internal_deps
            .iter()
            .any(|d| d.name == *required && d.kind == EdgeKind::Normal);
        if !present {
            violations.push(Violation::new(
                CheckId::Manifests,
                &krate.manifest,
                format!(
                    "`{}` must depend on `{required}` in [dependencies] (dependency rule), \
                     but does not",
                    krate.name
                ),
            ));
        }
    }
    violations
}

fn describe_allowed(allowed: &[&str]) -> String {
    if allowed.is_empty() {
        "no workspace crate".to_owned()
    } else {
        allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
            + " only"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn dep(name: &str, req: &str, kind: EdgeKind) -> InternalDep {
        InternalDep {
            name: name.to_owned(),
            req: req.to_owned(),
            kind,
        }
    }

    fn krate(name: &str, deps: &[&str]) -> WorkspaceCrate {
        let dir = if name == "xtask" {
            "xtask".to_owned()
        } else {
            format!("crates/{name}")
        };
        WorkspaceCrate {
            name: name.to_owned(),
            version: RELEASE_VERSION.to_owned(),
            manifest: format!("{dir}/Cargo.toml"),
            lib_root: (name != "xtask" && name != "cinematic-cli")
                .then(|| format!("{dir}/src/lib.rs")),
            internal_deps: deps
                .iter()
                .map(|d| dep(d, "=0.3.1", EdgeKind::Normal))
                .collect(),
        }
    }

    /// The workspace as CONVENTIONS §2 lays it out.
    pub(crate) fn healthy_graph() -> WorkspaceGraph {
        let mut yaml = krate("tracking-yaml", &[]);
        yaml.internal_deps
            .push(dep("tracking-types", "*", EdgeKind::Dev));
        WorkspaceGraph {
            crates: vec![
                krate("tracking-types", &[]),
                krate("tracking-fs", &[]),
                yaml,
                krate("tracking-io", &["tracking-types", "tracking-fs"]),
                krate("tracking-footage", &["tracking-types", "tracking-fs"]),
                krate(
                    "tracking-blender",
                    &[
                        "tracking-types",
                        "tracking-fs",
                        "tracking-io",
                        "tracking-footage",
                    ],
                ),
                krate(
                    "tracking-session",
                    &["tracking-types", "tracking-yaml", "tracking-fs"],
                ),
                krate(
                    "tracking-shot",
                    &[
                        "tracking-types",
                        "tracking-fs",
                        "tracking-io",
                        "tracking-footage",
                        "tracking-session",
                    ],
                ),
                krate("cinematic", TRACKING_CRATES),
                krate("cinematic-cli", &["cinematic"]),
                krate("cinematic-py", &["cinematic"]),
                krate("cinematic-testkit", &[]),
                krate("xtask", &[]),
            ],
        }
    }

    fn crate_mut<'a>(graph: &'a mut WorkspaceGraph, name: &str) -> &'a mut WorkspaceCrate {
        graph.crates.iter_mut().find(|c| c.name == name).unwrap()
    }

    fn messages(graph: &WorkspaceGraph) -> Vec<String> {
        check_manifests(graph)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_real_workspace_reads_as_eleven_crates_with_their_edges_and_lib_roots() {
        let root = crate::repo_root();
        let metadata = cargo_metadata::MetadataCommand::new()
            .current_dir(&root)
            .no_deps()
            .exec()
            .unwrap();
        let graph = WorkspaceGraph::from_metadata(&metadata);
        let mut names: Vec<&str> = graph.crates.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "cinematic",
                "cinematic-cli",
                "cinematic-py",
                "cinematic-testkit",
                "tracking-blender",
                "tracking-footage",
                "tracking-fs",
                "tracking-io",
                "tracking-session",
                "tracking-shot",
                "tracking-types",
                "tracking-yaml",
                "xtask"
            ]
        );
        let facade = graph.crate_named("cinematic").unwrap();
        assert_eq!(facade.manifest, "crates/cinematic/Cargo.toml");
        assert_eq!(
            facade.lib_root.as_deref(),
            Some("crates/cinematic/src/lib.rs")
        );
        let edges: Vec<(&str, &str, EdgeKind)> = facade
            .internal_deps
            .iter()
            .map(|d| (d.name.as_str(), d.req.as_str(), d.kind))
            .collect();
        assert!(
            edges.contains(&("tracking-io", "=0.3.1", EdgeKind::Normal)),
            "{edges:?}"
        );
        assert_eq!(
            graph.crate_roots()["tracking_io"],
            "crates/tracking-io/src/lib.rs"
        );
    }

    #[test]
    fn the_layout_of_conventions_section_2_passes() {
        assert_eq!(messages(&healthy_graph()), Vec::<String>::new());
    }

    #[test]
    fn a_crate_at_0_3_2_is_named_with_its_manifest() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-io").version = "0.3.2".to_owned();
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/tracking-io/Cargo.toml: crate `tracking-io` has version \
              0.3.2, expected 0.3.1 (all workspace crates share `[workspace.package] version`; \
              use `version.workspace = true`)"
            ]
        );
    }

    #[test]
    fn a_caret_requirement_on_a_tracking_crate_is_rejected() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "cinematic")
            .internal_deps
            .iter_mut()
            .find(|d| d.name == "tracking-io")
            .unwrap()
            .req = "^0.3.1".to_owned();
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/cinematic/Cargo.toml: `cinematic` requires `tracking-io` \
              as `^0.3.1` in [dependencies]; internal crates are pinned exactly: expected \
              `=0.3.1` (write `tracking-io.workspace = true`)"
            ]
        );
    }

    #[test]
    fn tracking_io_depending_on_tracking_session_is_a_forbidden_edge() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-io").internal_deps.push(dep(
            "tracking-session",
            "=0.3.1",
            EdgeKind::Normal,
        ));
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/tracking-io/Cargo.toml: forbidden edge `tracking-io` -> \
              `tracking-session` in [dependencies]; the dependency rule allows `tracking-io` \
              to depend on `tracking-types`, `tracking-fs` only"
            ]
        );
    }

    #[test]
    fn a_forbidden_dev_dependency_is_reported_from_its_table() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-types")
            .internal_deps
            .push(dep("tracking-io", "*", EdgeKind::Dev));
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/tracking-types/Cargo.toml: forbidden edge `tracking-types` \
              -> `tracking-io` in [dev-dependencies]; the dependency rule allows \
              `tracking-types` to depend on no workspace crate"
            ]
        );
    }

    #[test]
    fn an_allowed_dev_dependency_needs_no_exact_pin() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-io").internal_deps.push(dep(
            "tracking-types",
            "*",
            EdgeKind::Dev,
        ));
        assert_eq!(messages(&graph), Vec::<String>::new());
    }

    #[test]
    fn the_cli_reaching_past_the_facade_is_rejected() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "cinematic-cli")
            .internal_deps
            .push(dep("tracking-io", "=0.3.1", EdgeKind::Normal));
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/cinematic-cli/Cargo.toml: forbidden edge `cinematic-cli` -> \
              `tracking-io` in [dependencies]; the dependency rule allows `cinematic-cli` to \
              depend on `cinematic` only"
            ]
        );
    }

    #[test]
    fn a_facade_missing_one_tracking_crate_is_reported() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "cinematic")
            .internal_deps
            .retain(|d| d.name != "tracking-session");
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/cinematic/Cargo.toml: `cinematic` must depend on \
              `tracking-session` in [dependencies] (dependency rule), but does not"
            ]
        );
    }

    #[test]
    fn xtask_depending_on_a_workspace_crate_is_rejected() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "xtask").internal_deps.push(dep(
            "cinematic",
            "=0.3.1",
            EdgeKind::Normal,
        ));
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] xtask/Cargo.toml: forbidden edge `xtask` -> `cinematic` in \
              [dependencies]; the dependency rule allows `xtask` to depend on no workspace crate"
            ]
        );
    }

    #[test]
    fn a_member_outside_the_rule_and_a_rule_without_member_are_both_reported() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-footage").name = "tracking-plates".to_owned();
        let found = messages(&graph);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].contains("workspace crate `tracking-plates` is not in the dependency rule")
        );
        assert_eq!(
            found[1],
            "[1 manifests] Cargo.toml: the dependency rule names crate `tracking-footage` but \
             it is not a workspace member"
        );
    }

    #[test]
    fn a_dev_dependency_listed_in_dev_only_is_accepted_unpinned_or_pinned() {
        let mut graph = healthy_graph();
        let yaml = crate_mut(&mut graph, "tracking-yaml");
        assert_eq!(
            yaml.internal_deps,
            [dep("tracking-types", "*", EdgeKind::Dev)],
            "the healthy graph already carries the dev-only edge"
        );
        assert_eq!(messages(&graph), Vec::<String>::new());
        crate_mut(&mut graph, "tracking-yaml").internal_deps[0].req = "=0.3.1".to_owned();
        assert_eq!(messages(&graph), Vec::<String>::new());
    }

    #[test]
    fn a_dev_only_crate_in_dependencies_is_a_forbidden_edge() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-yaml").internal_deps =
            vec![dep("tracking-types", "=0.3.1", EdgeKind::Normal)];
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/tracking-yaml/Cargo.toml: forbidden edge `tracking-yaml` \
              -> `tracking-types` in [dependencies]; the dependency rule allows \
              `tracking-yaml` to depend on no workspace crate"
            ]
        );
    }

    #[test]
    fn a_dev_only_crate_in_build_dependencies_is_a_forbidden_edge() {
        let mut graph = healthy_graph();
        crate_mut(&mut graph, "tracking-yaml").internal_deps =
            vec![dep("tracking-types", "=0.3.1", EdgeKind::Build)];
        assert_eq!(
            messages(&graph),
            [
                "[1 manifests] crates/tracking-yaml/Cargo.toml: forbidden edge `tracking-yaml` \
              -> `tracking-types` in [build-dependencies]; the dependency rule allows \
              `tracking-yaml` to depend on no workspace crate"
            ]
        );
    }

    /// Every name an `allowed`/`dev_only`/`required` list mentions has a row, `required` is
    /// part of `allowed`, and the edges through `allowed` and `dev_only` form no cycle.
    #[test]
    fn the_dependency_rule_is_a_dag_through_allowed_and_dev_only_edges() {
        let row = |name: &str| {
            DEPENDENCY_RULE
                .iter()
                .position(|r| r.name == name)
                .unwrap_or_else(|| panic!("`{name}` is named by the rule but has no row"))
        };
        let mut names: Vec<&str> = DEPENDENCY_RULE.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DEPENDENCY_RULE.len(), "a crate has two rows");
        let edges: Vec<Vec<usize>> = DEPENDENCY_RULE
            .iter()
            .map(|rule| {
                for required in rule.required {
                    assert!(
                        rule.allowed.contains(required),
                        "`{}` requires `{required}` but does not allow it",
                        rule.name
                    );
                }
                rule.allowed
                    .iter()
                    .chain(rule.dev_only)
                    .map(|to| row(to))
                    .collect()
            })
            .collect();

        // Depth-first search with three colours: 0 unvisited, 1 on the stack, 2 done.
        fn visit(node: usize, edges: &[Vec<usize>], colour: &mut [u8], path: &mut Vec<usize>) {
            path.push(node);
            colour[node] = 1;
            for &next in &edges[node] {
                match colour[next] {
                    0 => visit(next, edges, colour, path),
                    1 => {
                        let start = path.iter().position(|&n| n == next).unwrap();
                        let cycle: Vec<&str> = path[start..]
                            .iter()
                            .chain([&next])
                            .map(|&n| DEPENDENCY_RULE[n].name)
                            .collect();
                        panic!("the dependency rule has a cycle: {}", cycle.join(" -> "));
                    }
                    _ => {}
                }
            }
            colour[node] = 2;
            path.pop();
        }
        let mut colour = vec![0_u8; DEPENDENCY_RULE.len()];
        for node in 0..DEPENDENCY_RULE.len() {
            if colour[node] == 0 {
                visit(node, &edges, &mut colour, &mut Vec::new());
            }
        }
    }

    #[test]
    fn the_bottom_crates_allow_no_normal_workspace_dependency() {
        for name in ["tracking-types", "tracking-yaml", "tracking-fs"] {
            let rule = DEPENDENCY_RULE.iter().find(|r| r.name == name).unwrap();
            assert_eq!(
                rule.allowed,
                &[] as &[&str],
                "`{name}` allows {:?}",
                rule.allowed
            );
            assert_eq!(
                rule.required,
                &[] as &[&str],
                "`{name}` requires {:?}",
                rule.required
            );
        }
    }
}
