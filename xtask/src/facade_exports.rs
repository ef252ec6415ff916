//! Check 2: the facade exposes each module alias and every required name, at the root and
//! under `cinematic::tracking`.
//!
//! Two halves, both needed:
//! - a syn walk of `crates/cinematic/src/lib.rs` ([`check_facade_names`]) that names
//!   precisely what is missing or re-exported from the wrong crate, before anything is
//!   compiled;
//! - the generated consumer test `crates/cinematic/tests/exports.rs`
//!   ([`check_exports_test_is_fresh`]): `verify-exports` checks the committed file equals
//!   what [`generate_exports_test`] makes of the table, and `cargo test` compiles it, which
//!   is the proof that no syntactic shortcut above can fake.

use crate::export_table::{
    EXPORTS_TEST_PATH, ModuleAlias, RequiredName, generate_exports_test, module_alias,
};
use crate::generated_file::freshness_violation;
use crate::source_tree::{ModuleScan, SourceTree};
use crate::violation::{CheckId, Violation};

/// The facade crate's Rust identifier.
pub(crate) const FACADE_IDENT: &str = "cinematic";
/// The facade's library root, relative to the repository root.
pub(crate) const FACADE_LIB: &str = "crates/cinematic/src/lib.rs";
/// The module mirroring the original Python package path `lib.cinematic.tracking`.
const TRACKING_MODULE: &str = "tracking";

/// Check 2, syn half: aliases, root names, `tracking` names, no glob re-exports.
pub(crate) fn check_facade_names(
    tree: &SourceTree<'_>,
    aliases: &[ModuleAlias],
    names: &[RequiredName],
) -> Vec<Violation> {
    if let Err(message) = tree.parse_file(FACADE_LIB) {
        return vec![Violation::new(CheckId::Exports, FACADE_LIB, message)];
    }
    let root = tree.scan_module(FACADE_IDENT, &[]).unwrap_or_default();
    let mut violations = glob_violations(&root, "the facade root");
    violations.extend(
        aliases
            .iter()
            .filter_map(|alias| alias_violation(&root, alias)),
    );
    violations.extend(
        names
            .iter()
            .filter_map(|name| name_violation(tree, &root, &[], name)),
    );

    let tracking_path = [TRACKING_MODULE.to_owned()];
    let tracking_is_public = root.public_item(TRACKING_MODULE).is_some();
    match tree
        .scan_module(FACADE_IDENT, &tracking_path)
        .filter(|_| tracking_is_public)
    {
        None => violations.push(Violation::new(
            CheckId::Exports,
            FACADE_LIB,
            "the facade has no `pub mod tracking` (CONVENTIONS §3: a module holding the \
             required names, mirroring the original package path `lib.cinematic.tracking`)",
        )),
        Some(tracking) => {
            violations.extend(glob_violations(&tracking, "`cinematic::tracking`"));
            violations.extend(
                names
                    .iter()
                    .filter_map(|name| name_violation(tree, &tracking, &tracking_path, name)),
            );
        }
    }
    violations
}

/// Check 2, generated half: the committed `exports.rs` is what the table generates.
pub(crate) fn check_exports_test_is_fresh(
    committed: Option<&str>,
    aliases: &[ModuleAlias],
    names: &[RequiredName],
) -> Vec<Violation> {
    let generated = generate_exports_test(aliases, names);
    freshness_violation(CheckId::Exports, EXPORTS_TEST_PATH, committed, &generated)
        .into_iter()
        .collect()
}

fn at_line(line: usize) -> String {
    format!("{FACADE_LIB}:{line}")
}

fn glob_violations(scan: &ModuleScan, where_: &str) -> Vec<Violation> {
    scan.globs
        .iter()
        .filter(|glob| glob.public)
        .map(|glob| {
            Violation::new(
                CheckId::Exports,
                at_line(glob.line),
                format!(
                    "{where_} glob-re-exports `{}::*`; name the items instead (CONVENTIONS §3: \
                     globs hide what the facade offers and make `cinematic::Error` ambiguous)",
                    glob.source.join("::")
                ),
            )
        })
        .collect()
}

fn alias_violation(root: &ModuleScan, alias: &ModuleAlias) -> Option<Violation> {
    let expected = format!("`pub use {} as {};`", alias.ident, alias.alias);
    match root.public_use(alias.alias) {
        None => Some(Violation::new(
            CheckId::Exports,
            FACADE_LIB,
            format!(
                "the facade does not expose module alias `{}`; expected {expected}",
                alias.alias
            ),
        )),
        Some(binding) if binding.source != [alias.ident] => Some(Violation::new(
            CheckId::Exports,
            at_line(binding.line),
            format!(
                "module alias `{}` points at `{}`; expected {expected}",
                alias.alias,
                binding.source.join("::")
            ),
        )),
        Some(_) => None,
    }
}

fn name_violation(
    tree: &SourceTree<'_>,
    scan: &ModuleScan,
    module_path: &[String],
    name: &RequiredName,
) -> Option<Violation> {
    let module = if module_path.is_empty() {
        "the facade root".to_owned()
    } else {
        format!("`cinematic::{}`", module_path.join("::"))
    };
    let (home_ident, home_package) = match name.home.and_then(module_alias) {
        Some(alias) => (alias.ident, alias.package),
        None => (FACADE_IDENT, FACADE_IDENT),
    };
    if let Some(item) = scan.public_item(name.name) {
        return (home_ident != FACADE_IDENT).then(|| {
            Violation::new(
                CheckId::Exports,
                at_line(item.line),
                format!(
                    "{module} defines `{}` itself; it must be re-exported from its home crate \
                     `{home_package}` (the facade has no logic of its own)",
                    name.name
                ),
            )
        });
    }
    let Some(binding) = scan.public_use(name.name) else {
        let fix = if module_path.is_empty() {
            format!("add it to `pub use {home_ident}::{{…}};`")
        } else {
            format!("add it to the `pub use crate::{{…}};` in {module}")
        };
        return Some(Violation::new(
            CheckId::Exports,
            FACADE_LIB,
            format!(
                "{module} does not export `{}` ({} from `{home_package}`); {fix}",
                name.name,
                name.kind.describe()
            ),
        ));
    };
    let resolved = tree.resolve_path(FACADE_IDENT, module_path, &binding.source)?;
    (resolved.krate != home_ident).then(|| {
        Violation::new(
            CheckId::Exports,
            at_line(binding.line),
            format!(
                "{module} re-exports `{}` from `{}`, but its home crate is `{home_package}`",
                name.name, resolved.krate
            ),
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export_table::{MODULE_ALIASES, REQUIRED_NAMES};
    use crate::source_tree::tests::files;
    use std::collections::BTreeMap;

    /// A facade and sub-crates that satisfy the whole table of §3.
    pub(crate) fn complete_sources() -> BTreeMap<String, String> {
        files(&[
            (FACADE_LIB, COMPLETE_FACADE),
            (
                "crates/tracking-types/src/lib.rs",
                "mod model;\npub use model::{TrackData, SolveData, SolveReport, FootageMetadata, FootageInfo, TrackingSession};",
            ),
            (
                "crates/tracking-types/src/model.rs",
                "pub struct TrackData;\npub struct SolveData;\npub struct SolveReport;\npub struct FootageMetadata;\npub struct FootageInfo;\npub struct TrackingSession;",
            ),
            (
                "crates/tracking-io/src/lib.rs",
                "pub fn convert_yup_to_zup_position() {}\npub fn convert_yup_to_zup_rotation() {}\npub fn fov_to_focal_length() {}\npub fn import_nuke_chan() {}\npub fn import_tracking_data() {}",
            ),
            (
                "crates/tracking-footage/src/lib.rs",
                "pub mod tools;\npub use tools::*;\npub fn extract_metadata() {}\npub fn analyze_footage() {}\npub fn get_frame_rate() {}",
            ),
            (
                "crates/tracking-footage/src/tools.rs",
                "pub static BLENDER_AVAILABLE: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| false);\npub fn blender_available() -> bool { false }",
            ),
            (
                "crates/tracking-session/src/lib.rs",
                "pub struct TrackingSessionManager;",
            ),
            ("crates/tracking-yaml/src/lib.rs", "pub fn to_string() {}"),
            (
                "crates/tracking-fs/src/lib.rs",
                "pub fn atomic_replace() {}",
            ),
            ("crates/tracking-shot/src/lib.rs", "pub fn ingest_shot() {}"),
        ])
    }

    pub(crate) const COMPLETE_FACADE: &str = "\
//! The facade.
pub use tracking_footage as footage;
pub use tracking_fs as fs;
pub use tracking_io as io;
pub use tracking_session as session;
pub use tracking_shot as shot;
pub use tracking_types as types;
pub use tracking_yaml as yaml;

pub use tracking_types::{FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData, TrackingSession};
pub use tracking_footage::{BLENDER_AVAILABLE, analyze_footage, blender_available, extract_metadata, get_frame_rate};
pub use tracking_io::{convert_yup_to_zup_position, convert_yup_to_zup_rotation, fov_to_focal_length, import_nuke_chan, import_tracking_data};
pub use tracking_session::TrackingSessionManager;

/// The version.
pub const VERSION: &str = \"0.3.1\";

/// The original package path.
pub mod tracking {
    pub use crate::{
        BLENDER_AVAILABLE, FootageInfo, FootageMetadata, SolveData, SolveReport, TrackData,
        TrackingSession, TrackingSessionManager, VERSION, analyze_footage, blender_available,
        convert_yup_to_zup_position, convert_yup_to_zup_rotation, extract_metadata,
        fov_to_focal_length, get_frame_rate, import_nuke_chan, import_tracking_data,
    };
}
";

    pub(crate) fn tree(reader: &BTreeMap<String, String>) -> SourceTree<'_> {
        SourceTree {
            reader,
            crate_roots: crate::manifests::tests::healthy_graph().crate_roots(),
        }
    }

    fn messages_for(facade: &str) -> Vec<String> {
        let mut sources = complete_sources();
        sources.insert(FACADE_LIB.to_owned(), facade.to_owned());
        check_facade_names(&tree(&sources), MODULE_ALIASES, REQUIRED_NAMES)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_facade_with_the_full_table_passes() {
        assert_eq!(messages_for(COMPLETE_FACADE), Vec::<String>::new());
    }

    #[test]
    fn a_missing_module_alias_is_named() {
        let facade = COMPLETE_FACADE.replace("pub use tracking_io as io;\n", "");
        assert_eq!(
            messages_for(&facade),
            [
                "[2 exports] crates/cinematic/src/lib.rs: the facade does not expose module alias \
              `io`; expected `pub use tracking_io as io;`"
            ]
        );
    }

    #[test]
    fn an_alias_pointing_at_the_wrong_crate_is_named_with_its_line() {
        let facade = COMPLETE_FACADE.replace("tracking_io as io", "tracking_footage as io");
        assert_eq!(
            messages_for(&facade),
            [
                "[2 exports] crates/cinematic/src/lib.rs:4: module alias `io` points at \
              `tracking_footage`; expected `pub use tracking_io as io;`"
            ]
        );
    }

    #[test]
    fn a_name_missing_at_the_root_and_in_tracking_is_reported_twice() {
        let facade = COMPLETE_FACADE
            .replace("extract_metadata, get_frame_rate}", "get_frame_rate}")
            .replace(
                "convert_yup_to_zup_rotation, extract_metadata,",
                "convert_yup_to_zup_rotation,",
            );
        assert_eq!(
            messages_for(&facade),
            [
                "[2 exports] crates/cinematic/src/lib.rs: the facade root does not export \
                 `extract_metadata` (fn from `tracking-footage`); add it to \
                 `pub use tracking_footage::{…};`",
                "[2 exports] crates/cinematic/src/lib.rs: `cinematic::tracking` does not export \
                 `extract_metadata` (fn from `tracking-footage`); add it to the \
                 `pub use crate::{…};` in `cinematic::tracking`",
            ]
        );
    }

    #[test]
    fn a_name_re_exported_from_the_wrong_crate_is_named() {
        let mut sources = complete_sources();
        sources.insert(
            "crates/tracking-io/src/lib.rs".to_owned(),
            format!(
                "{}\npub struct TrackingSessionManager;",
                sources["crates/tracking-io/src/lib.rs"]
            ),
        );
        let facade = COMPLETE_FACADE.replace(
            "pub use tracking_session::TrackingSessionManager;",
            "pub use tracking_io::TrackingSessionManager;",
        );
        sources.insert(FACADE_LIB.to_owned(), facade);
        let found: Vec<String> =
            check_facade_names(&tree(&sources), MODULE_ALIASES, REQUIRED_NAMES)
                .iter()
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            found,
            [
                "[2 exports] crates/cinematic/src/lib.rs:13: the facade root re-exports \
                 `TrackingSessionManager` from `tracking_io`, but its home crate is `tracking-session`",
                "[2 exports] crates/cinematic/src/lib.rs:22: `cinematic::tracking` re-exports \
                 `TrackingSessionManager` from `tracking_io`, but its home crate is `tracking-session`",
            ]
        );
    }

    #[test]
    fn a_glob_re_export_is_rejected() {
        let facade = format!("{COMPLETE_FACADE}pub use tracking_io::*;\n");
        assert_eq!(
            messages_for(&facade),
            [
                "[2 exports] crates/cinematic/src/lib.rs:27: the facade root glob-re-exports \
              `tracking_io::*`; name the items instead (CONVENTIONS §3: globs hide what the \
              facade offers and make `cinematic::Error` ambiguous)"
            ]
        );
    }

    #[test]
    fn a_private_tracking_module_counts_as_missing() {
        let facade = COMPLETE_FACADE.replace("pub mod tracking", "mod tracking");
        let found = messages_for(&facade);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("the facade has no `pub mod tracking`"),
            "{found:#?}"
        );
    }

    #[test]
    fn logic_defined_in_the_facade_is_rejected() {
        let facade = COMPLETE_FACADE.replace(
            "import_nuke_chan, import_tracking_data};",
            "import_tracking_data};\npub fn import_nuke_chan() {}",
        );
        assert_eq!(
            messages_for(&facade),
            [
                "[2 exports] crates/cinematic/src/lib.rs:13: the facade root defines `import_nuke_chan` \
                 itself; it must be re-exported from its home crate `tracking-io` (the facade has no \
                 logic of its own)",
                "[2 exports] crates/cinematic/src/lib.rs:25: `cinematic::tracking` re-exports \
                 `import_nuke_chan` from `cinematic`, but its home crate is `tracking-io`",
            ]
        );
    }

    #[test]
    fn an_unparsable_facade_reports_the_position() {
        let found = messages_for("pub use tracking_io as io\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with(
                "[2 exports] crates/cinematic/src/lib.rs: crates/cinematic/src/lib.rs:"
            ),
            "{found:#?}"
        );
        assert!(found[0].contains("cannot parse"), "{found:#?}");
    }

    #[test]
    fn a_fresh_exports_test_passes_and_a_stale_one_shows_the_diff() {
        let generated = generate_exports_test(MODULE_ALIASES, REQUIRED_NAMES);
        assert_eq!(
            check_exports_test_is_fresh(Some(&generated), MODULE_ALIASES, REQUIRED_NAMES),
            []
        );
        let stale = generated.replace("        import_nuke_chan,\n", "");
        let found = check_exports_test_is_fresh(Some(&stale), MODULE_ALIASES, REQUIRED_NAMES);
        assert_eq!(found.len(), 1);
        let message = found[0].to_string();
        assert!(
            message.starts_with("[2 exports] crates/cinematic/tests/exports.rs: out of date;"),
            "{message}"
        );
        assert_eq!(
            message.matches("\n+        import_nuke_chan,\n").count(),
            3,
            "{message}"
        );
        let removed = message
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"));
        assert_eq!(removed.count(), 0, "{message}");
    }
}
