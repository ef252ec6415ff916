//! Check 3: the committed public-API list of the facade, `crates/cinematic/api.txt`,
//! matches the code.
//!
//! **How the list is made: a syn walk, not rustdoc JSON.** rustdoc JSON needs a nightly
//! format (`RUSTC_BOOTSTRAP=1`) whose schema changes between toolchains and a rustdoc
//! build of every dependency; the facade is pure re-exports, so reading its source is
//! enough and takes milliseconds. The walk starts at `crates/cinematic/src/lib.rs` and
//! lists, for every public module of the facade (the root, `tracking`, …):
//!
//! - items declared there: `pub const cinematic::VERSION`, `pub mod cinematic::tracking`;
//! - re-exports, followed through the sub-crates' sources ([`SourceTree`]) to the item
//!   they name, giving its kind and defining crate:
//!   `pub struct cinematic::TrackData (from tracking_types)`,
//!   `pub mod cinematic::io (from tracking_io)`;
//! - a re-export the walk cannot follow (into `std`, through a macro) as
//!   `pub use cinematic::X (from path::as::written)`, so it is still listed;
//! - glob re-exports as `pub use cinematic::* (from crate)` (check 2 rejects them anyway).
//!
//! Signatures are not listed: they belong to the sub-crates. The list is sorted line by
//! line, one item per line. Changing the facade's surface means regenerating it with
//! `cargo xtask bless` in the same commit, so a removed name always shows in review.

use crate::facade_exports::{FACADE_IDENT, FACADE_LIB};
use crate::generated_file::freshness_violation;
use crate::source_tree::{ItemKind, SourceTree};
use crate::violation::{CheckId, Violation};

/// Where the committed list lives, relative to the repository root.
pub(crate) const API_LIST_PATH: &str = "crates/cinematic/api.txt";

/// The API list the facade's code defines, or a message when the facade cannot be read.
pub(crate) fn generate_api_list(tree: &SourceTree<'_>) -> Result<String, String> {
    tree.parse_file(FACADE_LIB)?;
    let mut lines = Vec::new();
    list_module(tree, &[], &mut lines);
    lines.sort();
    lines.dedup();
    Ok(lines.iter().map(|l| format!("{l}\n")).collect())
}

/// Check 3.
pub(crate) fn check_api_list(tree: &SourceTree<'_>, committed: Option<&str>) -> Vec<Violation> {
    match generate_api_list(tree) {
        Err(message) => vec![Violation::new(CheckId::ApiList, FACADE_LIB, message)],
        Ok(generated) => {
            freshness_violation(CheckId::ApiList, API_LIST_PATH, committed, &generated)
                .into_iter()
                .collect()
        }
    }
}

fn list_module(tree: &SourceTree<'_>, module_path: &[String], lines: &mut Vec<String>) {
    let Some(scan) = tree.scan_module(FACADE_IDENT, module_path) else {
        return;
    };
    let prefix = std::iter::once(FACADE_IDENT)
        .chain(module_path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::");
    for item in scan.defined.iter().filter(|d| d.public) {
        lines.push(format!(
            "pub {} {prefix}::{}",
            item.kind.keyword(),
            item.name
        ));
        if item.kind == ItemKind::Mod {
            let mut child = module_path.to_vec();
            child.push(item.name.clone());
            list_module(tree, &child, lines);
        }
    }
    for binding in scan.uses.iter().filter(|u| u.public) {
        let line = match tree.resolve_path(FACADE_IDENT, module_path, &binding.source) {
            Some(resolved) if resolved.krate == FACADE_IDENT => {
                format!("pub {} {prefix}::{}", resolved.kind.keyword(), binding.name)
            }
            Some(resolved) => format!(
                "pub {} {prefix}::{} (from {})",
                resolved.kind.keyword(),
                binding.name,
                resolved.krate
            ),
            None => format!(
                "pub use {prefix}::{} (from {})",
                binding.name,
                binding.source.join("::")
            ),
        };
        lines.push(line);
    }
    for glob in scan.globs.iter().filter(|g| g.public) {
        lines.push(format!(
            "pub use {prefix}::* (from {})",
            glob.source.join("::")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facade_exports::tests::{COMPLETE_FACADE, complete_sources, tree};

    const COMPLETE_API: &str = "\
pub const cinematic::VERSION
pub const cinematic::tracking::VERSION
pub fn cinematic::analyze_footage (from tracking_footage)
pub fn cinematic::blender_available (from tracking_footage)
pub fn cinematic::convert_yup_to_zup_position (from tracking_io)
pub fn cinematic::convert_yup_to_zup_rotation (from tracking_io)
pub fn cinematic::extract_metadata (from tracking_footage)
pub fn cinematic::fov_to_focal_length (from tracking_io)
pub fn cinematic::get_frame_rate (from tracking_footage)
pub fn cinematic::import_nuke_chan (from tracking_io)
pub fn cinematic::import_tracking_data (from tracking_io)
pub fn cinematic::tracking::analyze_footage (from tracking_footage)
pub fn cinematic::tracking::blender_available (from tracking_footage)
pub fn cinematic::tracking::convert_yup_to_zup_position (from tracking_io)
pub fn cinematic::tracking::convert_yup_to_zup_rotation (from tracking_io)
pub fn cinematic::tracking::extract_metadata (from tracking_footage)
pub fn cinematic::tracking::fov_to_focal_length (from tracking_io)
pub fn cinematic::tracking::get_frame_rate (from tracking_footage)
pub fn cinematic::tracking::import_nuke_chan (from tracking_io)
pub fn cinematic::tracking::import_tracking_data (from tracking_io)
pub mod cinematic::footage (from tracking_footage)
pub mod cinematic::fs (from tracking_fs)
pub mod cinematic::io (from tracking_io)
pub mod cinematic::session (from tracking_session)
pub mod cinematic::shot (from tracking_shot)
pub mod cinematic::tracking
pub mod cinematic::types (from tracking_types)
pub mod cinematic::yaml (from tracking_yaml)
pub static cinematic::BLENDER_AVAILABLE (from tracking_footage)
pub static cinematic::tracking::BLENDER_AVAILABLE (from tracking_footage)
pub struct cinematic::FootageInfo (from tracking_types)
pub struct cinematic::FootageMetadata (from tracking_types)
pub struct cinematic::SolveData (from tracking_types)
pub struct cinematic::SolveReport (from tracking_types)
pub struct cinematic::TrackData (from tracking_types)
pub struct cinematic::TrackingSession (from tracking_types)
pub struct cinematic::TrackingSessionManager (from tracking_session)
pub struct cinematic::tracking::FootageInfo (from tracking_types)
pub struct cinematic::tracking::FootageMetadata (from tracking_types)
pub struct cinematic::tracking::SolveData (from tracking_types)
pub struct cinematic::tracking::SolveReport (from tracking_types)
pub struct cinematic::tracking::TrackData (from tracking_types)
pub struct cinematic::tracking::TrackingSession (from tracking_types)
pub struct cinematic::tracking::TrackingSessionManager (from tracking_session)
";

    #[test]
    fn the_list_names_every_item_with_its_kind_and_home_crate() {
        let sources = complete_sources();
        assert_eq!(generate_api_list(&tree(&sources)).unwrap(), COMPLETE_API);
    }

    #[test]
    fn a_matching_committed_list_passes() {
        let sources = complete_sources();
        assert_eq!(check_api_list(&tree(&sources), Some(COMPLETE_API)), []);
    }

    #[test]
    fn a_dropped_api_line_shows_as_an_added_line_in_the_diff() {
        let sources = complete_sources();
        let committed = COMPLETE_API.replace(
            "pub fn cinematic::import_nuke_chan (from tracking_io)\n",
            "",
        );
        let found = check_api_list(&tree(&sources), Some(&committed));
        assert_eq!(found.len(), 1);
        let message = found[0].to_string();
        assert!(
            message.starts_with("[3 api-list] crates/cinematic/api.txt: out of date;"),
            "{message}"
        );
        assert!(message.contains(
            "\n pub fn cinematic::get_frame_rate (from tracking_footage)\n+pub fn cinematic::import_nuke_chan (from tracking_io)\n pub fn cinematic::import_tracking_data (from tracking_io)\n"
        ), "{message}");
    }

    #[test]
    fn a_name_removed_from_the_code_shows_as_a_removed_line() {
        let mut sources = complete_sources();
        sources.insert(
            FACADE_LIB.to_owned(),
            COMPLETE_FACADE
                .replace("pub use tracking_session::TrackingSessionManager;\n", "")
                .replace(
                    "TrackingSession, TrackingSessionManager, VERSION",
                    "TrackingSession, VERSION",
                ),
        );
        let found = check_api_list(&tree(&sources), Some(COMPLETE_API));
        assert_eq!(found.len(), 1);
        let removed: Vec<&str> = found[0]
            .message
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .collect();
        assert_eq!(
            removed,
            [
                "-pub struct cinematic::TrackingSessionManager (from tracking_session)",
                "-pub struct cinematic::tracking::TrackingSessionManager (from tracking_session)",
            ]
        );
    }

    #[test]
    fn an_unfollowable_re_export_is_still_listed_with_its_written_path() {
        let mut sources = complete_sources();
        sources.insert(
            FACADE_LIB.to_owned(),
            "pub use std::sync::LazyLock;\npub use tracking_io::*;\n".to_owned(),
        );
        assert_eq!(
            generate_api_list(&tree(&sources)).unwrap(),
            "pub use cinematic::* (from tracking_io)\npub use cinematic::LazyLock (from std::sync::LazyLock)\n"
        );
    }
}
