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
//! base = "origin/main"             # a git revision (this path at that revision), a file, a URL or REV:path
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

use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    pub fail_on: Option<FailOn>,
    pub format_assertions: bool,
    pub specs: Vec<SpecEntry>,
    pub diff: DiffConfig,
}

#[derive(Debug, Clone)]
pub struct SpecEntry {
    /// As written in the config (used in messages and generated headers).
    pub path: String,
    pub base: Option<String>,
    pub generate: Vec<GenerateEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateEntry {
    pub target: GeneratorTarget,
    pub output: String,
    pub templates: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum GeneratorTarget {
    #[serde(rename = "ts-client")]
    TsClient,
    #[serde(rename = "rust-server")]
    RustServer,
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
struct RawGenerate {
    target: GeneratorTarget,
    output: String,
    templates: Option<String>,
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
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        Self::parse(&text, file)
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
        Ok(CheckConfig {
            file: file.to_path_buf(),
            root,
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
