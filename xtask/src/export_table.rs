//! The facade's required export surface (CONVENTIONS §3), and the consumer test
//! generated from it.
//!
//! This table is the single source of truth for what `cinematic` must offer: the syn
//! walk of check 2 reads it, and [`generate_exports_test`] turns it into
//! `crates/cinematic/tests/exports.rs`, a test crate that imports every name so that
//! *compiling it* proves the names exist. The file is committed; `verify-exports` checks
//! it is fresh and `cargo xtask bless` rewrites it.

/// Where the generated consumer test lives, relative to the repository root.
pub(crate) const EXPORTS_TEST_PATH: &str = "crates/cinematic/tests/exports.rs";

/// A sub-crate reachable as a module of the facade: `pub use tracking_io as io;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModuleAlias {
    /// The module name under `cinematic::`.
    pub(crate) alias: &'static str,
    /// The package name (`tracking-io`), as in `Cargo.toml`.
    pub(crate) package: &'static str,
    /// The crate's Rust identifier (`tracking_io`), as in `use` paths.
    pub(crate) ident: &'static str,
}

/// The sub-crate aliases: the four of §3's table, then the codec, fs and workflow crates.
pub(crate) const MODULE_ALIASES: &[ModuleAlias] = &[
    ModuleAlias {
        alias: "types",
        package: "tracking-types",
        ident: "tracking_types",
    },
    ModuleAlias {
        alias: "io",
        package: "tracking-io",
        ident: "tracking_io",
    },
    ModuleAlias {
        alias: "footage",
        package: "tracking-footage",
        ident: "tracking_footage",
    },
    ModuleAlias {
        alias: "session",
        package: "tracking-session",
        ident: "tracking_session",
    },
    ModuleAlias {
        alias: "yaml",
        package: "tracking-yaml",
        ident: "tracking_yaml",
    },
    ModuleAlias {
        alias: "fs",
        package: "tracking-fs",
        ident: "tracking_fs",
    },
    ModuleAlias {
        alias: "shot",
        package: "tracking-shot",
        ident: "tracking_shot",
    },
];

/// What kind of thing a required name is; the generated test checks the kind where it
/// can without knowing signatures other crates are still writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A type without generic parameters.
    Type,
    /// A function (signature owned by its home crate; only its existence is checked).
    Fn,
    /// A `static` that dereferences to `bool` (a `LazyLock<bool>`).
    LazyBool,
    /// A function `fn() -> bool`.
    BoolFn,
    /// A `&str` constant.
    StrConst,
}

impl NameKind {
    /// How the kind reads in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NameKind::Type => "type",
            NameKind::Fn => "fn",
            NameKind::LazyBool => "static LazyLock<bool>",
            NameKind::BoolFn => "fn() -> bool",
            NameKind::StrConst => "const &str",
        }
    }
}

/// One name the facade root (and `cinematic::tracking`) must offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequiredName {
    pub(crate) name: &'static str,
    pub(crate) kind: NameKind,
    /// The alias of the crate that defines it (`"io"`), or `None` for the facade itself.
    pub(crate) home: Option<&'static str>,
}

const fn required(name: &'static str, kind: NameKind, home: Option<&'static str>) -> RequiredName {
    RequiredName { name, kind, home }
}

/// The full table of CONVENTIONS §3 — the Rust spelling of the original `__all__`.
pub(crate) const REQUIRED_NAMES: &[RequiredName] = &[
    required("TrackData", NameKind::Type, Some("types")),
    required("SolveData", NameKind::Type, Some("types")),
    required("SolveReport", NameKind::Type, Some("types")),
    required("FootageMetadata", NameKind::Type, Some("types")),
    required("FootageInfo", NameKind::Type, Some("types")),
    required("TrackingSession", NameKind::Type, Some("types")),
    required("extract_metadata", NameKind::Fn, Some("footage")),
    required("analyze_footage", NameKind::Fn, Some("footage")),
    required("get_frame_rate", NameKind::Fn, Some("footage")),
    required("BLENDER_AVAILABLE", NameKind::LazyBool, Some("footage")),
    required("blender_available", NameKind::BoolFn, Some("footage")),
    required("convert_yup_to_zup_position", NameKind::Fn, Some("io")),
    required("convert_yup_to_zup_rotation", NameKind::Fn, Some("io")),
    required("fov_to_focal_length", NameKind::Fn, Some("io")),
    required("import_nuke_chan", NameKind::Fn, Some("io")),
    required("import_tracking_data", NameKind::Fn, Some("io")),
    required("TrackingSessionManager", NameKind::Type, Some("session")),
    required("VERSION", NameKind::StrConst, None),
];

/// The alias entry for `alias`.
pub(crate) fn module_alias(alias: &str) -> Option<&'static ModuleAlias> {
    MODULE_ALIASES.iter().find(|a| a.alias == alias)
}

/// The text of `crates/cinematic/tests/exports.rs` for the given table.
pub(crate) fn generate_exports_test(aliases: &[ModuleAlias], names: &[RequiredName]) -> String {
    let mut out = String::from(HEADER);
    let alias_list: Vec<&str> = aliases.iter().map(|a| a.alias).collect();
    let all_names: Vec<&str> = names.iter().map(|n| n.name).collect();

    out.push_str("\n/// Each sub-crate is reachable under its short module name.\n#[rustfmt::skip]\nmod module_aliases {\n");
    push_use(&mut out, "cinematic", &alias_list);
    out.push_str("}\n");

    out.push_str("\n/// Every required name at the facade root.\n#[rustfmt::skip]\nmod root {\n");
    push_use(&mut out, "cinematic", &all_names);
    out.push_str("}\n");

    out.push_str(
        "\n/// The same names under `cinematic::tracking`, the original package path.\n#[rustfmt::skip]\nmod tracking {\n",
    );
    push_use(&mut out, "cinematic::tracking", &all_names);
    out.push_str("}\n");

    out.push_str(
        "\n/// Each name is also reachable through the module alias of its home crate.\n#[rustfmt::skip]\nmod home_crates {\n",
    );
    for alias in aliases {
        let homed: Vec<&str> = names
            .iter()
            .filter(|n| n.home == Some(alias.alias))
            .map(|n| n.name)
            .collect();
        if !homed.is_empty() {
            push_use(&mut out, &format!("cinematic::{}", alias.alias), &homed);
        }
    }
    out.push_str("}\n");

    out.push_str(
        "\n/// The kinds the table promises, checked where no signature needs to be known.\n\
         #[rustfmt::skip]\n\
         fn kinds_match_the_table() {\n",
    );
    for name in names {
        if let Some(line) = kind_probe(name) {
            out.push_str("    ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("}\n");

    out.push_str(FOOTER);
    out
}

const HEADER: &str = "\
//! @generated by `cargo xtask bless` from the export table in `xtask/src/export_table.rs`.
//! Do not edit by hand: `cargo xtask verify-exports` fails when this file differs from
//! what the table generates.
//!
//! Compiling this file is check 2 of `cargo xtask verify-exports`: a consumer of the
//! facade that names every export CONVENTIONS §3 requires, at the root, under
//! `cinematic::tracking` and under each sub-crate's module alias. A missing name is a
//! compile error (`unresolved import`) that names it. Names are listed in the order of the
//! table, so items carry `#[rustfmt::skip]`.
#![allow(unused_imports, dead_code)]
";

const FOOTER: &str = "
#[test]
fn the_facade_version_is_the_manifest_version() {
    assert_eq!(cinematic::VERSION, env!(\"CARGO_PKG_VERSION\"));
    assert_eq!(cinematic::tracking::VERSION, cinematic::VERSION);
}
";

fn push_use(out: &mut String, prefix: &str, names: &[&str]) {
    out.push_str(&format!("    use {prefix}::{{\n"));
    for name in names {
        out.push_str(&format!("        {name},\n"));
    }
    out.push_str("    };\n");
}

fn kind_probe(name: &RequiredName) -> Option<String> {
    let n = name.name;
    match name.kind {
        NameKind::Type => Some(format!("let _: Option<cinematic::{n}> = None;")),
        NameKind::Fn => None,
        NameKind::LazyBool => Some(format!("let _: bool = *cinematic::{n};")),
        NameKind::BoolFn => Some(format!("let _: bool = cinematic::{n}();")),
        NameKind::StrConst => Some(format!("let _: &str = cinematic::{n};")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_name_appears_three_times_in_the_generated_test() {
        let text = generate_exports_test(MODULE_ALIASES, REQUIRED_NAMES);
        for name in REQUIRED_NAMES {
            let imports = text.matches(&format!("        {},\n", name.name)).count();
            let expected = if name.home.is_some() { 3 } else { 2 };
            assert_eq!(imports, expected, "{} imported {imports} times", name.name);
        }
    }

    #[test]
    fn the_generated_test_parses_as_rust() {
        let text = generate_exports_test(MODULE_ALIASES, REQUIRED_NAMES);
        syn::parse_file(&text).unwrap();
    }

    #[test]
    fn the_table_is_the_full_table_of_conventions_section_3() {
        assert_eq!(REQUIRED_NAMES.len(), 18);
        let by_home = |home| REQUIRED_NAMES.iter().filter(|n| n.home == home).count();
        assert_eq!(
            [
                by_home(Some("types")),
                by_home(Some("footage")),
                by_home(Some("io")),
                by_home(Some("session")),
                by_home(None)
            ],
            [6, 5, 5, 1, 1]
        );
        for name in REQUIRED_NAMES {
            assert!(
                name.home.is_none_or(|h| module_alias(h).is_some()),
                "{}",
                name.name
            );
        }
    }
}
