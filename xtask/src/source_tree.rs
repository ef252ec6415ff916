//! Reading Rust sources as a tree of modules, with syn: what each module binds and
//! where a re-exported name is really defined.
//!
//! The checks never touch the file system directly; they read through a [`SourceReader`]
//! (the repository on disk, or an in-memory map of `path → text` in unit tests). Paths are
//! repository-relative with `/` separators.
//!
//! This is deliberately a small, syntactic resolver, not a compiler: it follows `mod`
//! declarations (inline, `name.rs`, `name/mod.rs`), `use` bindings (with renames, groups,
//! `crate::`/`self::`/`super::` and workspace crate names) and glob imports, which is all
//! the facade and its sub-crates use. A path it cannot follow (into `std` or an external
//! crate, through a macro) resolves to `None`, and callers say so in their output.

use std::collections::BTreeMap;
use std::path::Path;

use syn::{Item, UseTree, Visibility};

/// Gives checks the text of repository files.
pub(crate) trait SourceReader {
    /// The text of `path` (repository-relative), or `None` when it is absent.
    fn read(&self, path: &str) -> Option<String>;
    /// Whether `path` exists as a file.
    fn is_file(&self, path: &str) -> bool;
}

/// Reads the repository checked out at `root`.
#[derive(Debug, Clone)]
pub(crate) struct DiskSources<'a> {
    pub(crate) root: &'a Path,
}

impl SourceReader for DiskSources<'_> {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(path)).ok()
    }
    fn is_file(&self, path: &str) -> bool {
        self.root.join(path).is_file()
    }
}

/// In-memory sources for unit tests: repository-relative path → text.
impl SourceReader for BTreeMap<String, String> {
    fn read(&self, path: &str) -> Option<String> {
        self.get(path).cloned()
    }
    fn is_file(&self, path: &str) -> bool {
        self.contains_key(path)
    }
}

/// The kind of a named item, spelled as its Rust keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemKind {
    Const,
    Enum,
    Fn,
    Macro,
    Mod,
    Static,
    Struct,
    Trait,
    Type,
    Union,
}

impl ItemKind {
    /// The keyword that declares this kind of item.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            ItemKind::Const => "const",
            ItemKind::Enum => "enum",
            ItemKind::Fn => "fn",
            ItemKind::Macro => "macro",
            ItemKind::Mod => "mod",
            ItemKind::Static => "static",
            ItemKind::Struct => "struct",
            ItemKind::Trait => "trait",
            ItemKind::Type => "type",
            ItemKind::Union => "union",
        }
    }
}

/// A name bound by a `use` item: `pub use a::b::C as D;` binds `D` to `[a, b, C]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UseBinding {
    pub(crate) name: String,
    pub(crate) source: Vec<String>,
    pub(crate) line: usize,
    pub(crate) public: bool,
}

/// A glob import: `pub use a::b::*;` has source `[a, b]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlobUse {
    pub(crate) source: Vec<String>,
    pub(crate) line: usize,
    pub(crate) public: bool,
}

/// An item declared in the module itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DefinedItem {
    pub(crate) name: String,
    pub(crate) kind: ItemKind,
    pub(crate) line: usize,
    pub(crate) public: bool,
}

/// Everything one module binds, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleScan {
    pub(crate) uses: Vec<UseBinding>,
    pub(crate) globs: Vec<GlobUse>,
    pub(crate) defined: Vec<DefinedItem>,
}

impl ModuleScan {
    /// Scans one module's items (not descending into child modules).
    pub(crate) fn of_items(items: &[Item]) -> Self {
        let mut scan = ModuleScan::default();
        for item in items {
            if let Item::Use(item_use) = item {
                let public = is_public(&item_use.vis);
                flatten_use(&item_use.tree, &mut Vec::new(), public, &mut scan);
            } else if let Some(defined) = defined_item(item) {
                scan.defined.push(defined);
            }
        }
        scan
    }

    /// The public `use` binding of `name`, if any.
    pub(crate) fn public_use(&self, name: &str) -> Option<&UseBinding> {
        self.uses.iter().find(|u| u.public && u.name == name)
    }

    /// The public item declared here under `name`, if any.
    pub(crate) fn public_item(&self, name: &str) -> Option<&DefinedItem> {
        self.defined.iter().find(|d| d.public && d.name == name)
    }
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn line_of(ident: &syn::Ident) -> usize {
    ident.span().start().line
}

fn defined_item(item: &Item) -> Option<DefinedItem> {
    let (ident, kind, public) = match item {
        Item::Const(i) => (&i.ident, ItemKind::Const, is_public(&i.vis)),
        Item::Enum(i) => (&i.ident, ItemKind::Enum, is_public(&i.vis)),
        Item::Fn(i) => (&i.sig.ident, ItemKind::Fn, is_public(&i.vis)),
        Item::Mod(i) => (&i.ident, ItemKind::Mod, is_public(&i.vis)),
        Item::Static(i) => (&i.ident, ItemKind::Static, is_public(&i.vis)),
        Item::Struct(i) => (&i.ident, ItemKind::Struct, is_public(&i.vis)),
        Item::Trait(i) => (&i.ident, ItemKind::Trait, is_public(&i.vis)),
        Item::Type(i) => (&i.ident, ItemKind::Type, is_public(&i.vis)),
        Item::Union(i) => (&i.ident, ItemKind::Union, is_public(&i.vis)),
        Item::Macro(i) => {
            let ident = i.ident.as_ref()?;
            let exported = i.attrs.iter().any(|a| a.path().is_ident("macro_export"));
            (ident, ItemKind::Macro, exported)
        }
        _ => return None,
    };
    Some(DefinedItem {
        name: ident.to_string(),
        kind,
        line: line_of(ident),
        public,
    })
}

fn flatten_use(tree: &UseTree, prefix: &mut Vec<String>, public: bool, scan: &mut ModuleScan) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            flatten_use(&path.tree, prefix, public, scan);
            prefix.pop();
        }
        UseTree::Name(name) => bind(prefix, &name.ident, &name.ident, public, scan),
        UseTree::Rename(rename) => bind(prefix, &rename.ident, &rename.rename, public, scan),
        UseTree::Glob(glob) => scan.globs.push(GlobUse {
            source: prefix.clone(),
            line: glob.star_token.span.start().line,
            public,
        }),
        UseTree::Group(group) => {
            for tree in &group.items {
                flatten_use(tree, prefix, public, scan);
            }
        }
    }
}

fn bind(
    prefix: &[String],
    original: &syn::Ident,
    bound_as: &syn::Ident,
    public: bool,
    scan: &mut ModuleScan,
) {
    let mut source = prefix.to_vec();
    let name = if original == "self" {
        // `use a::b::{self}` binds `b`; `use a::b::{self as c}` binds `c`.
        match (bound_as == "self", source.last()) {
            (true, Some(last)) => last.clone(),
            (true, None) => return,
            (false, _) => bound_as.to_string(),
        }
    } else {
        source.push(original.to_string());
        bound_as.to_string()
    };
    if name == "_" {
        return;
    }
    scan.uses.push(UseBinding {
        name,
        source,
        line: line_of(bound_as),
        public,
    });
}

/// Where an item really lives: its kind and the crate (Rust identifier) that defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) kind: ItemKind,
    pub(crate) krate: String,
}

/// A module's items plus the directory its file submodules live in.
struct LoadedModule {
    items: Vec<Item>,
    child_dir: String,
}

/// The workspace's crates as source trees: crate identifier (`tracking_io`) → path of its
/// library root (`crates/tracking-io/src/lib.rs`).
pub(crate) struct SourceTree<'a> {
    pub(crate) reader: &'a dyn SourceReader,
    pub(crate) crate_roots: BTreeMap<String, String>,
}

/// How deep `use` chains are followed before giving up (guards against cycles).
const MAX_HOPS: usize = 32;

impl SourceTree<'_> {
    /// Parses a file into items; `Err` carries a message naming the file and position.
    pub(crate) fn parse_file(&self, path: &str) -> Result<Vec<Item>, String> {
        let text = self
            .reader
            .read(path)
            .ok_or_else(|| format!("{path}: file not found"))?;
        let file = syn::parse_file(&text).map_err(|err| {
            let start = err.span().start();
            format!(
                "{path}:{}:{}: cannot parse: {err}",
                start.line,
                start.column + 1
            )
        })?;
        Ok(file.items)
    }

    /// The scan of module `module_path` of crate `krate` (`[]` is the crate root).
    pub(crate) fn scan_module(&self, krate: &str, module_path: &[String]) -> Option<ModuleScan> {
        self.load_module(krate, module_path)
            .map(|m| ModuleScan::of_items(&m.items))
    }

    fn load_module(&self, krate: &str, module_path: &[String]) -> Option<LoadedModule> {
        let root = self.crate_roots.get(krate)?;
        let mut module = LoadedModule {
            items: self.parse_file(root).ok()?,
            child_dir: parent_dir(root),
        };
        for segment in module_path {
            module = self.child_module(module, segment)?;
        }
        Some(module)
    }

    fn child_module(&self, parent: LoadedModule, name: &str) -> Option<LoadedModule> {
        let child_dir = format!("{}/{name}", parent.child_dir);
        let declaration = parent.items.into_iter().find_map(|item| match item {
            Item::Mod(m) if m.ident == name => Some(m),
            _ => None,
        })?;
        if let Some((_, items)) = declaration.content {
            return Some(LoadedModule { items, child_dir });
        }
        let flat = format!("{}/{name}.rs", parent.child_dir);
        let nested = format!("{child_dir}/mod.rs");
        let file = if self.reader.is_file(&flat) {
            flat
        } else {
            nested
        };
        Some(LoadedModule {
            items: self.parse_file(&file).ok()?,
            child_dir,
        })
    }

    /// Follows `name` as seen from module `module_path` of `krate` to its definition.
    #[cfg(test)]
    pub(crate) fn resolve_name(
        &self,
        krate: &str,
        module_path: &[String],
        name: &str,
    ) -> Option<Resolved> {
        self.resolve_name_within(krate, module_path, name, 0)
    }

    /// Follows a `use` path as written in module `module_path` of `krate`.
    pub(crate) fn resolve_path(
        &self,
        krate: &str,
        module_path: &[String],
        path: &[String],
    ) -> Option<Resolved> {
        self.resolve_path_within(krate, module_path, path, 0)
    }

    fn resolve_name_within(
        &self,
        krate: &str,
        module_path: &[String],
        name: &str,
        hops: usize,
    ) -> Option<Resolved> {
        if hops > MAX_HOPS {
            return None;
        }
        let scan = self.scan_module(krate, module_path)?;
        if let Some(item) = scan.defined.iter().find(|d| d.name == name) {
            return Some(Resolved {
                kind: item.kind,
                krate: krate.to_owned(),
            });
        }
        if let Some(binding) = scan.uses.iter().find(|u| u.name == name) {
            return self.resolve_path_within(krate, module_path, &binding.source, hops + 1);
        }
        scan.globs.iter().find_map(|glob| {
            let (glob_krate, glob_module) = self.anchor_module(krate, module_path, &glob.source)?;
            self.resolve_name_within(&glob_krate, &glob_module, name, hops + 1)
        })
    }

    fn resolve_path_within(
        &self,
        krate: &str,
        module_path: &[String],
        path: &[String],
        hops: usize,
    ) -> Option<Resolved> {
        let (last, parent) = path.split_last()?;
        if parent.is_empty() && self.crate_roots.contains_key(last) && last != krate {
            return Some(Resolved {
                kind: ItemKind::Mod,
                krate: last.clone(),
            });
        }
        let (target_krate, target_module) = self.anchor_module(krate, module_path, parent)?;
        if parent.is_empty() && target_krate == krate && target_module == module_path {
            // A bare single-segment path names something in the current module; avoid
            // following the binding back to itself.
            let scan = self.scan_module(krate, module_path)?;
            let item = scan.defined.iter().find(|d| d.name == *last)?;
            return Some(Resolved {
                kind: item.kind,
                krate: krate.to_owned(),
            });
        }
        self.resolve_name_within(&target_krate, &target_module, last, hops + 1)
    }

    /// Turns a module path as written (`crate::a`, `super::b`, `tracking_io::chan`, `a::b`)
    /// into (crate, absolute module path).
    fn anchor_module(
        &self,
        krate: &str,
        module_path: &[String],
        path: &[String],
    ) -> Option<(String, Vec<String>)> {
        let Some((first, rest)) = path.split_first() else {
            return Some((krate.to_owned(), module_path.to_vec()));
        };
        let (anchor_krate, mut absolute, rest) = match first.as_str() {
            "crate" => (krate.to_owned(), Vec::new(), rest),
            "self" => (krate.to_owned(), module_path.to_vec(), rest),
            "super" => {
                let mut up = module_path.to_vec();
                up.pop()?;
                let mut remaining = rest;
                while remaining.first().is_some_and(|s| s == "super") {
                    up.pop()?;
                    remaining = &remaining[1..];
                }
                (krate.to_owned(), up, remaining)
            }
            _ if self.has_child_module(krate, module_path, first) => {
                (krate.to_owned(), module_path.to_vec(), path)
            }
            _ if self.crate_roots.contains_key(first) => (first.clone(), Vec::new(), rest),
            _ => return None,
        };
        absolute.extend(rest.iter().cloned());
        Some((anchor_krate, absolute))
    }

    fn has_child_module(&self, krate: &str, module_path: &[String], name: &str) -> bool {
        self.scan_module(krate, module_path).is_some_and(|scan| {
            scan.defined
                .iter()
                .any(|d| d.kind == ItemKind::Mod && d.name == name)
        })
    }
}

fn parent_dir(path: &str) -> String {
    path.rsplit_once('/')
        .map_or_else(String::new, |(dir, _)| dir.to_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    fn tree(reader: &BTreeMap<String, String>) -> SourceTree<'_> {
        SourceTree {
            reader,
            crate_roots: [("lib_a", "a/src/lib.rs"), ("lib_b", "b/src/lib.rs")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    #[test]
    fn a_use_tree_is_flattened_into_bindings_with_renames_and_globs() {
        let file = syn::parse_file(
            "pub use a::{b::{C, D as E}, self as f};\nuse g::*;\npub(crate) use h::I;\nuse j::K as _;",
        )
        .unwrap();
        let scan = ModuleScan::of_items(&file.items);
        let bound: Vec<(&str, String, bool)> = scan
            .uses
            .iter()
            .map(|u| (u.name.as_str(), u.source.join("::"), u.public))
            .collect();
        assert_eq!(
            bound,
            [
                ("C", "a::b::C".to_owned(), true),
                ("E", "a::b::D".to_owned(), true),
                ("f", "a".to_owned(), true),
                ("I", "h::I".to_owned(), false),
            ]
        );
        assert_eq!(scan.globs.len(), 1);
        assert_eq!(
            (scan.globs[0].source.join("::"), scan.globs[0].line),
            ("g".to_owned(), 2)
        );
    }

    #[test]
    fn declared_items_carry_kind_line_and_visibility() {
        let file = syn::parse_file("pub struct S;\n\nfn f() {}\npub static X: u8 = 0;").unwrap();
        let scan = ModuleScan::of_items(&file.items);
        let found: Vec<_> = scan
            .defined
            .iter()
            .map(|d| (d.name.as_str(), d.kind, d.line, d.public))
            .collect();
        assert_eq!(
            found,
            [
                ("S", ItemKind::Struct, 1, true),
                ("f", ItemKind::Fn, 3, false),
                ("X", ItemKind::Static, 4, true),
            ]
        );
    }

    #[test]
    fn a_reexport_is_followed_through_file_modules_and_globs_into_another_crate() {
        let reader = files(&[
            (
                "a/src/lib.rs",
                "pub use lib_b::{Thing, helper};\npub use lib_b as b;",
            ),
            (
                "b/src/lib.rs",
                "mod inner;\npub use inner::*;\npub mod tools;",
            ),
            ("b/src/inner.rs", "mod deep;\npub use self::deep::Thing;"),
            ("b/src/inner/deep.rs", "pub struct Thing;"),
            ("b/src/tools/mod.rs", "pub fn helper() {}"),
        ]);
        let tree = tree(&reader);
        let lib_b = |kind| {
            Some(Resolved {
                kind,
                krate: "lib_b".to_owned(),
            })
        };
        assert_eq!(
            tree.resolve_name("lib_a", &[], "Thing"),
            lib_b(ItemKind::Struct)
        );
        assert_eq!(tree.resolve_name("lib_a", &[], "b"), lib_b(ItemKind::Mod));
        // `helper` lives in `tools`, not at the root of lib_b: not found, and not guessed.
        assert_eq!(tree.resolve_name("lib_a", &[], "helper"), None);
    }

    #[test]
    fn crate_and_super_paths_resolve_inside_one_crate() {
        let reader = files(&[(
            "a/src/lib.rs",
            "pub const V: &str = \"1\";\npub mod m { pub mod n { pub use super::super::V as W; } pub use crate::V; }",
        )]);
        let tree = tree(&reader);
        let here = Some(Resolved {
            kind: ItemKind::Const,
            krate: "lib_a".to_owned(),
        });
        assert_eq!(tree.resolve_name("lib_a", &["m".to_owned()], "V"), here);
        assert_eq!(
            tree.resolve_name("lib_a", &["m".to_owned(), "n".to_owned()], "W"),
            here
        );
    }

    #[test]
    fn a_path_into_an_unknown_crate_does_not_resolve() {
        let reader = files(&[("a/src/lib.rs", "pub use std::sync::LazyLock;")]);
        assert_eq!(tree(&reader).resolve_name("lib_a", &[], "LazyLock"), None);
    }

    #[test]
    fn a_use_cycle_ends_without_resolving() {
        let reader = files(&[(
            "a/src/lib.rs",
            "pub use self::m::X;\npub mod m { pub use crate::X; }",
        )]);
        assert_eq!(tree(&reader).resolve_name("lib_a", &[], "X"), None);
    }
}
