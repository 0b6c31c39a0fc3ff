//! `oaskit.toml`: which specs the gate covers, what each is diffed against, which generators
//! write where. Discovered upward from the working directory.
//!
//! ```toml
//! fail-on = "error"                # optional: error | warning | info | never
//!
//! [validate]
//! format-assertions = true         # optional
//!
//! [[specs]]
//! path = "specs/petstore.yaml"     # relative to this file
//! base = "origin/main"             # a git revision: this path at that revision
//!                                  # (also REV:path, git:REV:path, ./file.yaml, https://...)
//! generate = [
//!   { target = "ts-client", output = "generated/ts-client" },
//!   { target = "rust-server", output = "generated/rust-server", templates = "my-templates" },
//! ]
//!
//! [rules]                          # levels of any rule (`oaskit check --list-rules`)
//! example-invalid = "warning"
//!
//! [diff]                           # rule levels and accepted breaks: as for `oaskit diff`
//! ```
//!
//! The file comes with the pull request, so it is read as untrusted: the files it names (specs,
//! file bases, templates) must lie inside its project (the git work tree holding it, or its
//! directory), outputs inside its own directory tree, and `base` is a revision unless it is
//! written as a path (`./`, `../`, `/`), so no committed file can stand in for a revision.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::load::LoadOptions;
use crate::report::FailOn;
use crate::rules::DiffConfig;

pub const CONFIG_FILE: &str = "oaskit.toml";

/// The gate's configuration, with paths resolved against the config file's directory.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// The file it was read from.
    pub file: PathBuf,
    /// The directory paths are relative to.
    pub root: PathBuf,
    /// The project the config belongs to (canonical): the git work tree holding it, or its
    /// directory. Files it names are read only inside it.
    pub project: PathBuf,
    pub fail_on: Option<FailOn>,
    pub format_assertions: bool,
    pub specs: Vec<SpecEntry>,
    pub diff: DiffConfig,
}

#[derive(Debug, Clone)]
pub struct SpecEntry {
    /// As written in the config (used in messages and generated headers).
    pub path: String,
    /// As written; read with [`BaseSpec::parse`].
    pub base: Option<String>,
    pub generate: Vec<GenerateEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateEntry {
    pub target: GeneratorTarget,
    pub output: String,
    pub templates: Option<String>,
    /// `package-name`, `package-version`, `license`, `repository`.
    pub package: crate::codegen::PackageOptions,
    /// `crate-name`, `default-not-implemented`.
    pub rust_server: crate::codegen::RustServerOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum GeneratorTarget {
    #[serde(rename = "ts-client")]
    TsClient,
    #[serde(rename = "rust-server")]
    RustServer,
}

/// What a spec is diffed against, as `base` in the config writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseSpec {
    /// `origin/main`: the spec's own path at that revision.
    Revision(String),
    /// `REV:path` or `git:REV:path`: a path (from the repository's top) at a revision.
    GitPath { rev: String, path: String },
    /// `./old.yaml`, `../v1/openapi.yaml`, `/abs/path.yaml`: a file, relative to the config.
    File(String),
    /// `https://...`
    Url(String),
}

impl BaseSpec {
    /// Reads a `base` value. A file must be written as a path (`./name`), so a file committed
    /// under a revision's name (`origin/main`, `origin/main:spec.yaml`) is never read instead.
    pub fn parse(text: &str) -> Result<BaseSpec, String> {
        let bad = |why: &str| Err(format!("base = \"{text}\": {why}"));
        if text.starts_with("http://") || text.starts_with("https://") {
            return Ok(BaseSpec::Url(text.to_string()));
        }
        if text == "."
            || text == ".."
            || text.starts_with("./")
            || text.starts_with("../")
            || Path::new(text).is_absolute()
        {
            return Ok(BaseSpec::File(text.to_string()));
        }
        let rest = text.strip_prefix("git:").unwrap_or(text);
        let (rev, path) = match rest.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => (rev, Some(path)),
            Some(_) => return bad("expected `REV:path`"),
            None if text.starts_with("git:") => return bad("expected `git:REV:path`"),
            None => (rest, None),
        };
        if let Err(e) = crate::load::git::check_revision(rev) {
            return bad(&e.to_string());
        }
        Ok(match path {
            Some(path) => BaseSpec::GitPath {
                rev: rev.to_string(),
                path: path.to_string(),
            },
            None => BaseSpec::Revision(rev.to_string()),
        })
    }
}

impl GeneratorTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratorTarget::TsClient => "ts-client",
            GeneratorTarget::RustServer => "rust-server",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<String>,
    #[serde(default)]
    validate: RawValidate,
    #[serde(default)]
    specs: Vec<RawSpec>,
    #[allow(dead_code)] // read separately by DiffConfig::from_toml
    diff: Option<toml::Value>,
    #[allow(dead_code)] // levels of any rule: read by DiffConfig::from_toml
    rules: Option<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawValidate {
    format_assertions: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    path: String,
    base: Option<String>,
    #[serde(default)]
    generate: Vec<RawGenerate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case")]
struct RawGenerate {
    target: GeneratorTarget,
    output: String,
    templates: Option<String>,
    package_name: Option<String>,
    package_version: Option<String>,
    license: Option<String>,
    repository: Option<String>,
    crate_name: Option<String>,
    #[serde(default)]
    default_not_implemented: bool,
}

impl CheckConfig {
    /// Finds `oaskit.toml` in `start` or the nearest directory above it.
    pub fn discover(start: &Path) -> Result<PathBuf, String> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Ok(candidate);
            }
            dir = d.parent();
        }
        Err(format!(
            "no {CONFIG_FILE} in {} or any directory above it (or pass --config)",
            start.display()
        ))
    }

    pub fn read(file: &Path) -> Result<CheckConfig, String> {
        Self::parse(&read_config_file(file)?, file)
    }

    pub fn parse(text: &str, file: &Path) -> Result<CheckConfig, String> {
        let name = file.display().to_string();
        let raw: RawConfig = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        let fail_on = match raw.fail_on.as_deref() {
            None => None,
            Some("error") => Some(FailOn::Error),
            Some("warning") => Some(FailOn::Warning),
            Some("info") => Some(FailOn::Info),
            Some("never") => Some(FailOn::Never),
            Some(other) => {
                return Err(format!(
                    "{name}: fail-on = \"{other}\": expected error, warning, info or never"
                ));
            }
        };
        if raw.specs.is_empty() {
            return Err(format!(
                "{name}: no [[specs]] entry: list the specs the gate checks"
            ));
        }
        for spec in &raw.specs {
            if let Some(base) = &spec.base {
                BaseSpec::parse(base).map_err(|e| format!("{name}: {e}"))?;
            }
            for g in &spec.generate {
                check_relative(&name, "output", &g.output)?;
            }
        }
        let specs = raw
            .specs
            .into_iter()
            .map(|s| SpecEntry {
                path: s.path,
                base: s.base,
                generate: s
                    .generate
                    .into_iter()
                    .map(|g| GenerateEntry {
                        target: g.target,
                        output: g.output,
                        templates: g.templates,
                        package: crate::codegen::PackageOptions {
                            name: g.package_name,
                            version: g.package_version,
                            license: g.license,
                            repository: g.repository,
                        },
                        rust_server: crate::codegen::RustServerOptions {
                            crate_name: g.crate_name,
                            default_not_implemented: g.default_not_implemented,
                        },
                    })
                    .collect(),
            })
            .collect();
        let diff = DiffConfig::from_toml(text, &name, true)?.unwrap_or_default();
        let root = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let project = crate::load::root::project_of(&root);
        Ok(CheckConfig {
            file: file.to_path_buf(),
            root,
            project,
            fail_on,
            format_assertions: raw.validate.format_assertions.unwrap_or(true),
            specs,
            diff,
        })
    }

    /// A path from the config, relative to the config's directory.
    pub fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        // A config in the working directory names files as they are written (no `./`).
        if p.is_absolute() || self.root == Path::new(".") {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }

    /// The options to load this config's specs with: `load` (the command line's), with the
    /// config's project added to the root, so a spec outside any git work tree may still
    /// refer to files of the project. The config cannot widen the root further.
    pub fn load_options(&self, load: &LoadOptions) -> LoadOptions {
        let mut load = load.clone();
        load.roots.push(self.project.clone());
        load
    }

    /// A file the config names to be read (a spec, a base file, a templates directory): it must
    /// exist inside the project, symlinks resolved, and outside `.git`.
    pub fn resolve_input(&self, key: &str, path: &str) -> Result<PathBuf, String> {
        let joined = self.resolve(path);
        let mut root = crate::load::root::ReadRoot::default();
        root.widen(&self.project)?;
        root.confine(&joined)
            .map_err(|e| format!("{}: {key} = \"{path}\": {e}", self.file.display()))?;
        Ok(joined)
    }

    /// A directory the config names as an output: a relative path inside the config's
    /// directory tree, still inside once symlinks are resolved. Where it does not exist yet,
    /// its nearest existing ancestor is resolved instead (a symlinked `gen` must not lead
    /// `gen/client` elsewhere).
    pub fn resolve_output(&self, path: &str) -> Result<PathBuf, String> {
        check_relative(&self.file.display().to_string(), "output", path)?;
        let joined = self.resolve(path);
        let existing = joined
            .ancestors()
            .find(|p| p.symlink_metadata().is_ok())
            .unwrap_or(&self.root);
        if let (Ok(real), Ok(dir)) = (existing.canonicalize(), self.root.canonicalize())
            && !real.starts_with(&dir)
        {
            return Err(format!(
                "{}: output = \"{path}\" resolves to {}, outside {}",
                self.file.display(),
                real.display(),
                dir.display()
            ));
        }
        Ok(joined)
    }
}

/// The largest configuration file read: real ones are a few kB.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads a configuration file (`oaskit.toml`, an ignore file). It comes with the pull request,
/// and a TOML error quotes the line it stops at, so a committed symbolic link must not make
/// oaskit read a file outside the config's own project (`oaskit.toml -> /proc/self/environ`
/// printed the runner's environment): its real path must lie inside the project of the
/// directory it is found in (the git work tree holding that directory, or the directory),
/// outside `.git`, and it must be a regular file of at most [`MAX_CONFIG_BYTES`], read through
/// the same confined reader as referenced documents.
pub fn read_config_file(file: &Path) -> Result<String, String> {
    use crate::load::{ReadError, root};
    let shown = file.display();
    let refused = |error: ReadError| match error {
        ReadError::OutsideRoot { root } => {
            format!("{shown}: a symbolic link to a file outside its project ({root}): not read")
        }
        ReadError::Limit(_) => format!(
            "{shown}: larger than the {} limit of a configuration file",
            crate::load::limits::describe_bytes(MAX_CONFIG_BYTES)
        ),
        other => format!("{shown}: cannot read: {other}"),
    };
    let bytes = root::read_in_project(file, MAX_CONFIG_BYTES).map_err(refused)?;
    String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))
}

/// A path the config writes must stay below the config's directory: relative, and no `..`
/// that climbs out of it.
fn check_relative(file: &str, key: &str, path: &str) -> Result<(), String> {
    let p = Path::new(path);
    let leaves = crate::load::source::normalize(p)
        .components()
        .next()
        .is_some_and(|c| matches!(c, std::path::Component::ParentDir));
    if p.is_absolute() || p.has_root() || leaves {
        return Err(format!(
            "{file}: {key} = \"{path}\" must be a relative path inside the directory of {file}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_config() {
        let text = r#"
fail-on = "warning"
[validate]
format-assertions = false
[[specs]]
path = "api/openapi.yaml"
base = "origin/main"
generate = [{ target = "ts-client", output = "web/client" }]
[diff.rules]
api-tag-removed = "off"
"#;
        let c = CheckConfig::parse(text, Path::new("/repo/oaskit.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert!(!c.format_assertions);
        assert_eq!(c.specs[0].base.as_deref(), Some("origin/main"));
        assert_eq!(c.specs[0].generate[0].target, GeneratorTarget::TsClient);
        assert_eq!(c.resolve("web/client"), PathBuf::from("/repo/web/client"));
        assert_eq!(c.diff.levels.configured("api-tag-removed"), Some(None));
    }

    #[test]
    fn malformed_configs_say_why() {
        let bad = |text: &str| {
            CheckConfig::parse(text, Path::new("oaskit.toml"))
                .err()
                .unwrap_or_default()
        };
        assert!(bad("[[specs]]\npath = 1\n").contains("oaskit.toml"));
        assert!(bad("fail-on = \"sometimes\"\n[[specs]]\npath = \"a\"\n").contains("fail-on"));
        assert!(bad("").contains("no [[specs]]"));
        assert!(
            bad("[[specs]]\npath = \"a\"\ngenerate = [{ target = \"go\", output = \"x\" }]\n")
                .contains("oaskit.toml")
        );
        assert!(bad("[[specs]]\npath = \"a\"\ncolour = 1\n").contains("colour"));
    }
}
