//! The library API for build scripts: generate code from a spec in `build.rs`, with
//! `cargo:rerun-if-changed` for every file of a multi-file spec and readable build errors.
//!
//! In `build.rs` (inside `fn main`):
//!
//! ```no_run
//! let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
//! oaskit::Generate::rust_server("openapi.yaml")
//!     .module_file(out_dir.join("api.rs"))
//!     .run_or_exit();
//! ```
//!
//! and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/api.rs"));` (see
//! `examples/build-script`).

use std::fmt;
use std::path::{Path, PathBuf};

use syn::visit_mut::VisitMut;

use crate::check::GeneratorTarget;
use crate::codegen::{self, CodegenError, FileSet, GenerateOptions, RustServerOptions};
use crate::load::{LoadError, LoadOptions, Origin};
use crate::model::Contract;
use crate::report::{Finding, Format, Level, RenderContext, Report, SourceLines};
use crate::validate::{ValidateOptions, validate};

/// Where the generated code goes.
#[derive(Debug, Clone)]
enum Output {
    /// The generator's whole layout (a crate or an npm package) under a directory.
    Dir(PathBuf),
    /// Rust only: every module inlined into one file, for `include!`.
    ModuleFile(PathBuf),
}

/// A code generation run, configured with a builder.
#[derive(Debug, Clone)]
pub struct Generate {
    target: GeneratorTarget,
    spec: String,
    output: Option<Output>,
    templates: Option<PathBuf>,
    fail_on: Option<Level>,
    cargo_directives: bool,
    load: LoadOptions,
    rust_server: RustServerOptions,
}

/// What a successful run wrote, and the findings below the failure level.
#[derive(Debug, Clone)]
pub struct BuildOutput {
    pub written: Vec<PathBuf>,
    pub warnings: Vec<Finding>,
}

/// Why generation failed, rendered for a person reading build output.
#[derive(Debug)]
pub enum BuildError {
    Load(LoadError),
    /// Validation found problems at or above the failure level: the rendered report.
    Findings {
        spec: String,
        report: String,
    },
    Codegen(CodegenError),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    Usage(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Load(e) => write!(f, "oaskit: cannot load the spec: {e}"),
            BuildError::Findings { spec, report } => {
                write!(f, "oaskit: {spec} does not pass validation:\n{report}")
            }
            BuildError::Codegen(e) => write!(f, "oaskit: generation failed: {e}"),
            BuildError::Io { path, error } => {
                write!(f, "oaskit: cannot write {}: {error}", path.display())
            }
            BuildError::Usage(message) => write!(f, "oaskit: {message}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl Generate {
    /// A typed axum server (see `oaskit generate rust-server`).
    pub fn rust_server(spec: impl Into<String>) -> Generate {
        Generate::new(GeneratorTarget::RustServer, spec.into())
    }

    /// A typed TypeScript client (see `oaskit generate ts-client`).
    pub fn ts_client(spec: impl Into<String>) -> Generate {
        Generate::new(GeneratorTarget::TsClient, spec.into())
    }

    fn new(target: GeneratorTarget, spec: String) -> Generate {
        Generate {
            target,
            spec,
            output: None,
            templates: None,
            fail_on: Some(Level::Error),
            // In a build script Cargo sets CARGO; elsewhere the directives would be noise.
            cargo_directives: std::env::var_os("CARGO").is_some()
                && std::env::var_os("OUT_DIR").is_some(),
            load: LoadOptions::default(),
            rust_server: RustServerOptions::default(),
        }
    }

    /// Write the generator's whole layout under `dir` (default: `$OUT_DIR/<target>`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Generate {
        self.output = Some(Output::Dir(dir.into()));
        self
    }

    /// Rust only: write one file holding every module, to `include!` in a crate.
    pub fn module_file(mut self, path: impl Into<PathBuf>) -> Generate {
        self.output = Some(Output::ModuleFile(path.into()));
        self
    }

    /// Templates replacing the embedded ones of the same name.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Generate {
        self.templates = Some(dir.into());
        self
    }

    /// Fail when validation finds something at or above this level (default: errors);
    /// `None` never fails on findings.
    pub fn fail_on(mut self, level: Option<Level>) -> Generate {
        self.fail_on = level;
        self
    }

    /// Print `cargo:rerun-if-changed` and `cargo:warning` lines (default: inside build scripts).
    pub fn cargo_directives(mut self, on: bool) -> Generate {
        self.cargo_directives = on;
        self
    }

    /// Also let `$ref`s and `externalValue`s read files inside `dir`; by default they stay in
    /// the git work tree holding the spec (see SECURITY.md).
    pub fn root(mut self, dir: impl Into<PathBuf>) -> Generate {
        self.load.roots.push(dir.into());
        self
    }

    /// Rust server: the generated crate's name (its `Cargo.toml`, with [`Generate::out_dir`])
    /// instead of one made from `info.title`, as `--crate-name`; checked as a crate name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Generate {
        self.rust_server.crate_name = Some(name.into());
        self
    }

    /// Rust server: every operation of the `Api` trait gets a default body answering `501 Not
    /// Implemented`, as `--default-not-implemented`, so that an operation added to the spec does
    /// not break the build of its implementation.
    pub fn default_not_implemented(mut self, on: bool) -> Generate {
        self.rust_server.default_not_implemented = on;
        self
    }

    pub fn load_options(mut self, options: LoadOptions) -> Generate {
        self.load = options;
        self
    }

    /// Runs the generation; in a build script, prefer [`Generate::run_or_exit`].
    pub fn run(self) -> Result<BuildOutput, BuildError> {
        if self.target != GeneratorTarget::RustServer
            && self.rust_server != RustServerOptions::default()
        {
            return Err(BuildError::Usage(
                "crate_name and default_not_implemented are for the Rust server".to_string(),
            ));
        }
        let contract = Contract::load(&self.spec, &self.load).map_err(BuildError::Load)?;
        if self.cargo_directives {
            for (_, file) in contract.documents.files() {
                if let Origin::Path(path) = &file.origin {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
        let findings = validate(&contract, &ValidateOptions::default());
        let (failing, warnings): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| self.fail_on.is_some_and(|t| f.level >= t));
        if !failing.is_empty() {
            return Err(BuildError::Findings {
                spec: self.spec.clone(),
                report: render(failing, &contract.documents),
            });
        }
        let options = GenerateOptions {
            templates_dir: self.templates.clone(),
            spec_name: codegen::header_spec_name(&self.spec),
            rust_server: self.rust_server.clone(),
            ..GenerateOptions::default()
        };
        let generated = match self.target {
            GeneratorTarget::RustServer => codegen::rust::generate(&contract, &options),
            GeneratorTarget::TsClient => codegen::typescript::generate(&contract, &options),
        }
        .map_err(BuildError::Codegen)?;
        let mut warnings = warnings;
        warnings.extend(generated.findings);
        if self.cargo_directives {
            for w in &warnings {
                let at = w
                    .location
                    .as_ref()
                    .map(|l| format!("{}: ", l.display_short()))
                    .unwrap_or_default();
                println!(
                    "cargo:warning={at}{} [{}]",
                    w.message.replace('\n', " "),
                    w.rule
                );
            }
        }
        let output = match self.output.clone() {
            Some(o) => o,
            None => {
                let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
                    BuildError::Usage(
                        "no output given and OUT_DIR is not set (not in a build script?)"
                            .to_string(),
                    )
                })?;
                Output::Dir(PathBuf::from(out_dir).join(self.target.as_str()))
            }
        };
        let written = match output {
            Output::Dir(dir) => {
                generated
                    .files
                    .write(&dir)
                    .map_err(|error| BuildError::Io {
                        path: dir.clone(),
                        error,
                    })?;
                generated.files.iter().map(|(p, _)| dir.join(p)).collect()
            }
            Output::ModuleFile(path) => {
                if self.target != GeneratorTarget::RustServer {
                    return Err(BuildError::Usage(
                        "module_file is for the Rust server; use out_dir for the TypeScript client"
                            .to_string(),
                    ));
                }
                let text = single_module_file(&generated.files).map_err(BuildError::Codegen)?;
                let mut one = FileSet::new();
                let name = path
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("api.rs"));
                one.insert(name, text);
                let dir = path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                // Only this file: the directory is the user's (`src/`), not the generator's.
                one.write_files(&dir).map_err(|error| BuildError::Io {
                    path: path.clone(),
                    error,
                })?;
                vec![path]
            }
        };
        Ok(BuildOutput { written, warnings })
    }

    /// Runs the generation; on failure prints the reason and exits the build script with 1,
    /// which fails the build with that message.
    pub fn run_or_exit(self) -> BuildOutput {
        match self.run() {
            Ok(output) => output,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
}

fn render(findings: Vec<Finding>, sources: &dyn SourceLines) -> String {
    let ctx = RenderContext {
        color: false,
        sources,
        rules: &crate::catalogue::CatalogueDocs,
        min_level: crate::report::Level::Info,
        command: "generate",
    };
    Report::new(findings).render(Format::Text, &ctx)
}

/// The generated crate's `src/lib.rs` with every `mod x;` replaced by the module's contents
/// (recursively: the vendored runtime is `src/runtime/mod.rs` and its submodules), `crate::`
/// paths made relative (`super::`), the runtime's `#[cfg(feature = "...")]` parts kept or dropped
/// as the generated crate's default features say (the including crate has no such features), all
/// wrapped so inner attributes stay legal under `include!`.
fn single_module_file(files: &FileSet) -> Result<String, CodegenError> {
    let features = default_features(files)?;
    let mut lib = parse_module(files, "src/lib.rs")?;
    inline_modules(files, &mut lib.items, "src")?;
    let mut cfg = ResolveFeatures {
        enabled: &features,
        unresolved: None,
    };
    cfg.visit_file_mut(&mut lib);
    if let Some(feature) = cfg.unresolved {
        return Err(CodegenError::InvalidRust {
            file: "src/runtime".to_string(),
            message: format!(
                "a `cfg(feature = \"{feature}\")` where it cannot be resolved for include!()"
            ),
        });
    }
    // Inner attributes and `//!` docs are legal at the top of an inline module: the wrapper
    // keeps them valid under `include!`.
    let body = prettyplease::unparse(&lib);
    Ok(format!(
        "// generated by oaskit: every module of the generated server in one file, for include!().\npub mod api {{\n{body}}}\npub use api::*;\n"
    ))
}

fn parse_module(files: &FileSet, path: &str) -> Result<syn::File, CodegenError> {
    let text = files.get(path).ok_or_else(|| CodegenError::InvalidRust {
        file: path.to_string(),
        message: "not generated".to_string(),
    })?;
    syn::parse_file(text).map_err(|e| CodegenError::InvalidRust {
        file: path.to_string(),
        message: e.to_string(),
    })
}

/// Replaces every `mod x;` among `items` (of a module whose children live in `dir`) by the
/// contents of `dir/x.rs` or `dir/x/mod.rs`, and so on below.
fn inline_modules(files: &FileSet, items: &mut [syn::Item], dir: &str) -> Result<(), CodegenError> {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let (path, child_dir) = match files.get(format!("{dir}/{name}.rs")) {
            Some(_) => (format!("{dir}/{name}.rs"), format!("{dir}/{name}")),
            None => (format!("{dir}/{name}/mod.rs"), format!("{dir}/{name}")),
        };
        let mut inner = parse_module(files, &path)?;
        inline_modules(files, &mut inner.items, &child_dir)?;
        CrateToSuper.visit_file_mut(&mut inner);
        module
            .attrs
            .extend(inner.attrs.into_iter().filter(|a| !is_doc(a)));
        module.content = Some((Default::default(), inner.items));
        module.semi = None;
    }
    Ok(())
}

/// The features the generated `Cargo.toml` enables by default (`[features] default = [...]`);
/// none when it declares no features (the runtime is a dependency, or has no optional part).
fn default_features(files: &FileSet) -> Result<Vec<String>, CodegenError> {
    let Some(manifest) = files.get("Cargo.toml") else {
        return Ok(Vec::new());
    };
    let manifest: toml::Table =
        toml::from_str(manifest).map_err(|e| CodegenError::InvalidRust {
            file: "Cargo.toml".to_string(),
            message: e.to_string(),
        })?;
    Ok(manifest
        .get("features")
        .and_then(|f| f.get("default"))
        .and_then(toml::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// Rewrites `crate::x` to `super::x` inside an inlined module: the modules become children of a
/// wrapper, so their siblings are reached through `super`. Visibilities are left alone:
/// `pub(crate)` keeps meaning the including crate, where `pub(super)` inside the nested runtime
/// would hide an item from the re-export its parent makes (`pub(crate) use problem::x`).
struct CrateToSuper;

impl VisitMut for CrateToSuper {
    fn visit_visibility_mut(&mut self, _: &mut syn::Visibility) {}

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(first) = path.segments.first_mut()
            && first.ident == "crate"
        {
            first.ident = syn::Ident::new("super", first.ident.span());
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_use_path_mut(&mut self, node: &mut syn::UsePath) {
        if node.ident == "crate" {
            node.ident = syn::Ident::new("super", node.ident.span());
        }
        syn::visit_mut::visit_use_path_mut(self, node);
    }
}

/// Keeps the items and statements under `#[cfg(feature = "X")]` when X is enabled (without the
/// attribute) and drops them otherwise. The runtime puts such attributes on items and on
/// statements only; one anywhere else is recorded in `unresolved`, and generation fails rather
/// than emit code that depends on a feature the including crate does not have.
struct ResolveFeatures<'f> {
    enabled: &'f [String],
    unresolved: Option<String>,
}

impl ResolveFeatures<'_> {
    /// Whether the node carrying `attrs` stays; removes its resolved `cfg(feature)` attribute.
    fn keep(&self, attrs: &mut Vec<syn::Attribute>) -> bool {
        let mut keep = true;
        attrs.retain(|attr| match feature_of(attr) {
            Some(feature) => {
                keep &= self.enabled.contains(&feature);
                false
            }
            None => true,
        });
        keep
    }

    fn keep_items(&self, items: &mut Vec<syn::Item>) {
        items.retain_mut(|item| match item_attrs(item) {
            Some(attrs) => self.keep(attrs),
            None => true,
        });
    }
}

/// `X` of `#[cfg(feature = "X")]`.
fn feature_of(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let syn::Meta::NameValue(value) = syn::parse2::<syn::Meta>(list.tokens.clone()).ok()? else {
        return None;
    };
    if !value.path.is_ident("feature") {
        return None;
    }
    match &value.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn stmt_attrs(stmt: &mut syn::Stmt) -> Option<&mut Vec<syn::Attribute>> {
    Some(match stmt {
        syn::Stmt::Local(l) => &mut l.attrs,
        syn::Stmt::Item(i) => return item_attrs(i),
        syn::Stmt::Macro(m) => &mut m.attrs,
        syn::Stmt::Expr(e, _) => match e {
            syn::Expr::If(e) => &mut e.attrs,
            syn::Expr::Block(e) => &mut e.attrs,
            syn::Expr::Match(e) => &mut e.attrs,
            syn::Expr::Call(e) => &mut e.attrs,
            syn::Expr::MethodCall(e) => &mut e.attrs,
            syn::Expr::Return(e) => &mut e.attrs,
            syn::Expr::Assign(e) => &mut e.attrs,
            _ => return None,
        },
    })
}

impl VisitMut for ResolveFeatures<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.keep_items(&mut file.items);
        syn::visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            self.keep_items(items);
        }
        syn::visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items.retain_mut(|member| match member {
            syn::ImplItem::Fn(f) => self.keep(&mut f.attrs),
            syn::ImplItem::Const(c) => self.keep(&mut c.attrs),
            syn::ImplItem::Type(t) => self.keep(&mut t.attrs),
            _ => true,
        });
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|stmt| match stmt_attrs(stmt) {
            Some(attrs) => self.keep(attrs),
            None => true,
        });
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if self.unresolved.is_none() {
            self.unresolved = feature_of(attr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_files(default_features: &str) -> FileSet {
        let mut files = FileSet::new();
        files.insert(
            "Cargo.toml",
            format!("[package]\nname = \"x\"\n[features]\ndefault = [{default_features}]\nmultipart = []\npattern = []\n"),
        );
        files.insert(
            "src/lib.rs",
            "//! The crate.\npub mod runtime;\npub mod server;\n".to_string(),
        );
        files.insert(
            "src/server.rs",
            "pub fn route() -> u8 { crate::runtime::read() }\n".to_string(),
        );
        files.insert(
            "src/runtime/mod.rs",
            "mod body;\n#[cfg(feature = \"pattern\")]\nmod pattern;\npub use body::read;\npub(crate) use body::shared;\n#[cfg(feature = \"pattern\")]\npub use pattern::check;\n".to_string(),
        );
        files.insert(
            "src/runtime/body.rs",
            "pub fn read() -> u8 {\n    #[cfg(feature = \"multipart\")]\n    if multipart() { return 2; }\n    1\n}\n#[cfg(feature = \"multipart\")]\nfn multipart() -> bool { super::MULTIPART }\npub(crate) fn shared() {}\n".to_string(),
        );
        files.insert("src/runtime/pattern.rs", "pub fn check() {}\n".to_string());
        files
    }

    /// The build-script API has the CLI's `--crate-name` and `--default-not-implemented`.
    #[test]
    fn crate_name_and_default_not_implemented_reach_the_generated_crate() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/petstore.yaml");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let run = |generate: Generate| {
            generate
                .cargo_directives(false)
                .fail_on(None)
                .out_dir(dir.path())
                .run()
        };
        run(Generate::rust_server(spec)
            .crate_name("pets-api")
            .default_not_implemented(true))
        .expect("generated");
        let read = |path: &str| std::fs::read_to_string(dir.path().join(path)).unwrap_or_default();
        assert!(
            read("Cargo.toml").contains("name = \"pets-api\""),
            "{}",
            read("Cargo.toml")
        );
        let server = read("src/server.rs");
        assert!(server.contains("NotImplemented"), "{server}");
        assert!(server.contains("is not implemented"), "{server}");

        run(Generate::rust_server(spec)).expect("generated");
        assert!(
            read("Cargo.toml").contains("name = \"petstore-server\""),
            "{}",
            read("Cargo.toml")
        );
        assert!(!read("src/server.rs").contains("is not implemented"));

        let bad = run(Generate::rust_server(spec).crate_name("pets api"));
        assert!(matches!(bad, Err(BuildError::Codegen(_))), "{bad:?}");
        let client = run(Generate::ts_client(spec).crate_name("pets"));
        assert!(matches!(client, Err(BuildError::Usage(_))), "{client:?}");
    }

    #[test]
    fn the_module_file_inlines_nested_modules_and_resolves_the_runtime_features() {
        let text = single_module_file(&crate_files("\"multipart\"")).expect("one module file");
        let file = syn::parse_file(&text).expect("the module file parses");
        let text = prettyplease::unparse(&file);
        assert!(text.contains("pub mod runtime {"), "{text}");
        assert!(text.contains("mod body {"), "{text}");
        assert!(text.contains("if multipart()"), "{text}");
        assert!(text.contains("fn multipart()"), "{text}");
        assert!(text.contains("super::runtime::read()"), "{text}");
        // `pub(super)` here would hide `shared` from its parent's re-export (E0364).
        assert!(text.contains("pub(crate) use body::shared;"), "{text}");
        assert!(text.contains("pub(crate) fn shared()"), "{text}");
        assert!(!text.contains("cfg("), "{text}");
        assert!(!text.contains("mod pattern"), "{text}");
        assert!(!text.contains("pattern::check"), "{text}");

        let text = single_module_file(&crate_files("\"pattern\"")).expect("one module file");
        assert!(text.contains("mod pattern {"), "{text}");
        assert!(!text.contains("multipart"), "{text}");
    }

    #[test]
    fn a_feature_cfg_it_cannot_resolve_fails_generation() {
        let mut files = crate_files("");
        files.insert(
            "src/runtime/pattern.rs",
            "pub struct P { #[cfg(feature = \"multipart\")] pub x: u8 }\npub fn check() {}\n"
                .to_string(),
        );
        files.insert(
            "src/runtime/mod.rs",
            "mod body;\nmod pattern;\npub use body::read;\n".to_string(),
        );
        let error = single_module_file(&files).expect_err("an unresolvable cfg");
        assert!(error.to_string().contains("multipart"), "{error}");
    }
}
