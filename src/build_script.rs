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
use crate::codegen::{self, CodegenError, FileSet, GenerateOptions};
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

    pub fn load_options(mut self, options: LoadOptions) -> Generate {
        self.load = options;
        self
    }

    /// Runs the generation; in a build script, prefer [`Generate::run_or_exit`].
    pub fn run(self) -> Result<BuildOutput, BuildError> {
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
            spec_name: self.spec.clone(),
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
        command: "generate",
    };
    Report::new(findings).render(Format::Text, &ctx)
}

/// The generated crate's `src/lib.rs` with every `mod x;` replaced by the module's contents,
/// `crate::` paths made relative (`super::`), all wrapped so inner attributes stay legal under
/// `include!`.
fn single_module_file(files: &FileSet) -> Result<String, CodegenError> {
    let parse = |name: &str| -> Result<syn::File, CodegenError> {
        let text = files
            .get(format!("src/{name}"))
            .ok_or_else(|| CodegenError::InvalidRust {
                file: format!("src/{name}"),
                message: "not generated".to_string(),
            })?;
        syn::parse_file(text).map_err(|e| CodegenError::InvalidRust {
            file: format!("src/{name}"),
            message: e.to_string(),
        })
    };
    let mut lib = parse("lib.rs")?;
    for item in &mut lib.items {
        if let syn::Item::Mod(module) = item
            && module.content.is_none()
        {
            let mut inner = parse(&format!("{}.rs", module.ident))?;
            CrateToSuper.visit_file_mut(&mut inner);
            module
                .attrs
                .extend(inner.attrs.into_iter().filter(|a| !is_doc(a)));
            module.content = Some((Default::default(), inner.items));
            module.semi = None;
        }
    }
    // Inner attributes and `//!` docs are legal at the top of an inline module: the wrapper
    // keeps them valid under `include!`.
    let body = prettyplease::unparse(&lib);
    Ok(format!(
        "// generated by oaskit: every module of the generated server in one file, for include!().\npub mod api {{\n{body}}}\npub use api::*;\n"
    ))
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// Rewrites `crate::x` to `super::x` inside an inlined module: the modules become children of a
/// wrapper, so their siblings are reached through `super`.
struct CrateToSuper;

impl VisitMut for CrateToSuper {
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
