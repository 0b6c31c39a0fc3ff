//! Handlebars templates: embedded in the binary, overridable one by one from a directory.
//! Strict mode (a missing field is an error, not an empty string) and no HTML escaping: the
//! view models hand templates names and literals that are already escaped for the target
//! language, so templates only loop and print.

use std::path::{Path, PathBuf};

use handlebars::Handlebars;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template {name}: {message}")]
    Syntax { name: String, message: String },
    #[error("cannot read template override {}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("rendering {name}: {message}")]
    Render { name: String, message: String },
}

pub struct Templates {
    registry: Handlebars<'static>,
}

impl Templates {
    /// Registers the embedded templates (`name`, `source`), each replaced by `dir/name` when
    /// that file exists.
    pub fn new(
        embedded: &[(&str, &str)],
        overrides: Option<&Path>,
    ) -> Result<Templates, TemplateError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        for (name, source) in embedded {
            let source = match overrides.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(&path).map_err(|e| TemplateError::Read {
                    path: path.clone(),
                    message: e.to_string(),
                })?,
                None => (*source).to_string(),
            };
            registry
                .register_template_string(name, source)
                .map_err(|e| TemplateError::Syntax {
                    name: (*name).to_string(),
                    message: e.to_string(),
                })?;
        }
        Ok(Templates { registry })
    }

    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, TemplateError> {
        self.registry
            .render(name, data)
            .map_err(|e| TemplateError::Render {
                name: name.to_string(),
                message: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_unescaped_and_overridable() {
        let embedded = [("a.hbs", "<{{name}}>")];
        let t = Templates::new(&embedded, None).unwrap_or_else(|e| panic!("{e}"));
        let out = t.render("a.hbs", &serde_json::json!({"name": "x & y"}));
        assert_eq!(out.ok().as_deref(), Some("<x & y>"), "no HTML escaping");
        assert!(
            t.render("a.hbs", &serde_json::json!({})).is_err(),
            "strict mode"
        );

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("a.hbs"), "[{{name}}]").unwrap_or_else(|e| panic!("{e}"));
        let t = Templates::new(&embedded, Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.render("a.hbs", &serde_json::json!({"name": "z"}))
                .ok()
                .as_deref(),
            Some("[z]")
        );
    }
}
