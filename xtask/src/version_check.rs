//! Check 4: `cinematic::VERSION` equals the facade's manifest version.
//!
//! The constant is read from the source with syn (a string literal, or
//! `env!("CARGO_PKG_VERSION")`, which is equal by construction); the manifest version
//! comes from `cargo metadata`. The facade's own unit test and the generated
//! `exports.rs` assert the same at run time.

use syn::{Expr, Item, Lit};

use crate::facade_exports::{FACADE_IDENT, FACADE_LIB};
use crate::manifests::WorkspaceGraph;
use crate::violation::{CheckId, Violation};

/// Check 4, given the facade's source text (`None` if unreadable) and the workspace graph.
pub(crate) fn check_version_const(
    facade_source: Option<&str>,
    graph: &WorkspaceGraph,
) -> Vec<Violation> {
    let violation = |location: String, message: String| {
        vec![Violation::new(CheckId::Version, location, message)]
    };
    let Some(manifest) = graph.crate_named(FACADE_IDENT) else {
        return violation(
            "Cargo.toml".to_owned(),
            "the workspace has no `cinematic` crate".to_owned(),
        );
    };
    let Some(source) = facade_source else {
        return violation(FACADE_LIB.to_owned(), "file not found".to_owned());
    };
    let file = match syn::parse_file(source) {
        Ok(file) => file,
        Err(err) => return violation(FACADE_LIB.to_owned(), format!("cannot parse: {err}")),
    };
    let Some(constant) = file.items.iter().find_map(|item| match item {
        Item::Const(c) if c.ident == "VERSION" => Some(c),
        _ => None,
    }) else {
        return violation(
            FACADE_LIB.to_owned(),
            format!(
                "no `pub const VERSION: &str = \"{}\";` at the facade root",
                manifest.version
            ),
        );
    };
    let location = format!("{FACADE_LIB}:{}", constant.ident.span().start().line);
    match version_value(&constant.expr) {
        VersionValue::Literal(value) if value == manifest.version => Vec::new(),
        VersionValue::Literal(value) => violation(
            location,
            format!(
                "`VERSION` is \"{value}\" but {} says version {}; they must be equal",
                manifest.manifest, manifest.version
            ),
        ),
        VersionValue::FromCargo => Vec::new(),
        VersionValue::Other => violation(
            location,
            format!(
                "`VERSION` must be a string literal (\"{}\") or `env!(\"CARGO_PKG_VERSION\")`",
                manifest.version
            ),
        ),
    }
}

enum VersionValue {
    Literal(String),
    FromCargo,
    Other,
}

fn version_value(expr: &Expr) -> VersionValue {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => VersionValue::Literal(s.value()),
            _ => VersionValue::Other,
        },
        Expr::Macro(m) if m.mac.path.is_ident("env") => {
            let argument = m.mac.parse_body::<syn::LitStr>().map(|s| s.value());
            if argument.is_ok_and(|a| a == "CARGO_PKG_VERSION") {
                VersionValue::FromCargo
            } else {
                VersionValue::Other
            }
        }
        _ => VersionValue::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifests::tests::healthy_graph;

    fn messages(source: &str) -> Vec<String> {
        check_version_const(Some(source), &healthy_graph())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_manifest_version_as_a_literal_passes() {
        assert_eq!(
            messages("//! x\n\npub const VERSION: &str = \"0.3.1\";"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_cargo_package_version_macro_passes() {
        assert_eq!(
            messages("pub const VERSION: &str = env!(\"CARGO_PKG_VERSION\");"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_wrong_version_names_the_line_and_the_manifest() {
        assert_eq!(
            messages("//! x\n\npub const VERSION: &str = \"0.3.2\";"),
            [
                "[4 version] crates/cinematic/src/lib.rs:3: `VERSION` is \"0.3.2\" but \
              crates/cinematic/Cargo.toml says version 0.3.1; they must be equal"
            ]
        );
    }

    #[test]
    fn a_computed_version_is_rejected() {
        assert_eq!(
            messages("pub const VERSION: &str = concat!(\"0.3\", \".1\");"),
            [
                "[4 version] crates/cinematic/src/lib.rs:1: `VERSION` must be a string literal \
              (\"0.3.1\") or `env!(\"CARGO_PKG_VERSION\")`"
            ]
        );
    }

    #[test]
    fn a_missing_version_is_reported() {
        assert_eq!(
            messages("pub use tracking_io as io;"),
            [
                "[4 version] crates/cinematic/src/lib.rs: no `pub const VERSION: &str = \"0.3.1\";` \
              at the facade root"
            ]
        );
    }
}
