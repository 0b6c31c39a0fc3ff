//! Code generation: contract → per-language view model → templates → an in-memory [`FileSet`].
//! Writing to disk, `--check` and snapshot tests all consume the file set, so nothing is
//! written until everything has been generated.

mod files;
pub mod rust;
mod templates;
pub mod typescript;

pub use files::{FileDiff, FileSet, GENERATED_MARKER, Written};
pub use templates::{TemplateError, Templates};

use std::path::{Path, PathBuf};

/// Options shared by the generators.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// A directory whose files replace the embedded templates of the same name.
    pub templates_dir: Option<PathBuf>,
    /// How the spec is named in the header of every generated file.
    pub spec_name: String,
    /// Replaces the base path taken from the spec's first server (see [`crate::model::wire`]).
    pub base_path: Option<String>,
    /// Where a generated Rust server gets its runtime from.
    pub runtime: RuntimeSource,
    /// The package around the generated code; what is not given comes from the spec's `info`.
    pub package: PackageOptions,
    /// What only the Rust server generator reads.
    pub rust_server: RustServerOptions,
}

/// `--crate-name` and `--default-not-implemented` of `generate rust-server` (or the keys
/// `crate-name` and `default-not-implemented` of a `rust-server` entry in `oaskit.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustServerOptions {
    /// The generated crate's name instead of one made from `info.title` (checked as a crate name).
    pub crate_name: Option<String>,
    /// Every operation method of the `Api` trait gets a default body answering `501 Not
    /// Implemented`, so that an operation added to the spec does not break the implementation.
    pub default_not_implemented: bool,
}

/// `--package-name`, `--package-version`, `--license`, `--repository` (or the same keys of a
/// `generate` entry in `oaskit.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageOptions {
    pub name: Option<String>,
    pub version: Option<String>,
    /// An SPDX license expression.
    pub license: Option<String>,
    pub repository: Option<String>,
}

/// Where the runtime of a generated Rust server comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuntimeSource {
    /// Its modules are copied into the crate (`src/runtime/`): nothing to publish or fetch.
    #[default]
    Vendored,
    /// The crate depends on `oaskit-runtime` by version (the version of this oaskit).
    Crate,
}

impl GenerateOptions {
    /// The options of the wire description both generators read.
    pub fn wire(&self) -> crate::model::wire::WireOptions {
        crate::model::wire::WireOptions {
            base_path: self.base_path.clone(),
        }
    }
}

/// How a spec is named in the header of generated files: a local path relative to the top of
/// the git work tree holding it, with `/` separators, so `./specs/x.yaml`, `specs/x.yaml` and
/// `../specs/x.yaml` (run from `docs/`) generate the same bytes; a path in no work tree is
/// normalized as given (`./x/../y.yaml` is `y.yaml`). URLs, `-` and `REV:path` are kept as
/// given. Symbolic links are not resolved: the header names the path the user chose.
pub fn header_spec_name(spec: &str) -> String {
    use crate::load::Origin;
    use crate::load::source::normalize;
    let Ok(Origin::Path(path)) = Origin::from_arg(spec) else {
        return spec.to_string();
    };
    let relative = std::path::absolute(&path)
        .ok()
        .map(|absolute| normalize(&absolute))
        .and_then(|absolute| {
            let top = crate::load::git::work_tree_of(&absolute)?;
            absolute.strip_prefix(top).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| normalize(&path));
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if relative.is_absolute() {
        format!("/{}", parts[1..].join("/"))
    } else {
        parts.join("/")
    }
}

/// What a generator produced: the files, and findings about schema constructs it could only
/// approximate (each with the location of the construct).
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub files: FileSet,
    pub findings: Vec<crate::report::Finding>,
}

/// Why generation failed (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Generated Rust did not parse: a bug in a template or the view model.
    #[error("generated {file} is not valid Rust: {message}")]
    InvalidRust { file: String, message: String },
    #[error("{0}")]
    Unsupported(String),
}
