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
    /// A file in the override directory that replaces nothing: a misspelled name would
    /// otherwise be ignored silently and the embedded template used.
    #[error("{}: no template of this generator is called {name}{hint}; the templates are {}", path.display(), known.join(", "))]
    Unknown {
        path: PathBuf,
        name: String,
        hint: String,
        known: Vec<String>,
    },
}

pub struct Templates {
    registry: Handlebars<'static>,
}

impl Templates {
    /// Registers the embedded templates (`name`, `source`), each replaced by `dir/name` when
    /// that file exists. Every `.hbs` file of the directory must replace one (hidden files and
    /// files of other kinds are left alone), and the directory must be readable.
    pub fn new(
        embedded: &[(&str, &str)],
        overrides: Option<&Path>,
    ) -> Result<Templates, TemplateError> {
        if let Some(dir) = overrides {
            check_overrides(embedded, dir)?;
        }
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        for (name, source) in embedded {
            let path = overrides.map(|d| d.join(name));
            let source = match path.filter(|p| p.symlink_metadata().is_ok()) {
                Some(path) => read_override(&path)?,
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
        self.registry.render(name, data).map_err(render_error(name))
    }

    /// Renders several templates from one view, converted for handlebars once (`render`
    /// converts the whole view for every template: 6% of generating GitHub's client).
    pub fn render_each<T: Serialize>(
        &self,
        names: &[&str],
        data: &T,
    ) -> Result<Vec<String>, TemplateError> {
        let context = Templates::context(names.first().copied().unwrap_or_default(), data)?;
        names
            .iter()
            .map(|name| self.render_context(name, &context))
            .collect()
    }

    /// A view converted for handlebars (JSON), for `name`: what [`Templates::render_context`]
    /// renders, also once the view itself is gone.
    pub fn context<T: Serialize>(
        name: &str,
        data: &T,
    ) -> Result<handlebars::Context, TemplateError> {
        handlebars::Context::wraps(data).map_err(render_error(name))
    }

    /// Renders a template from a view converted by [`Templates::context`].
    pub fn render_context(
        &self,
        name: &str,
        context: &handlebars::Context,
    ) -> Result<String, TemplateError> {
        self.registry
            .render_with_context(name, context)
            .map_err(render_error(name))
    }

    /// Renders a template from a view converted by [`Templates::context`] into `writer`, piece by
    /// piece as it is rendered.
    pub fn render_context_to<W: std::io::Write>(
        &self,
        name: &str,
        context: &handlebars::Context,
        writer: W,
    ) -> Result<(), TemplateError> {
        self.registry
            .render_with_context_to_write(name, context, writer)
            .map_err(render_error(name))
    }
}

/// handlebars' error in rendering (or converting the view for) template `name`.
fn render_error(name: &str) -> impl FnOnce(handlebars::RenderError) -> TemplateError + '_ {
    move |e| TemplateError::Render {
        name: name.to_string(),
        message: e.to_string(),
    }
}

/// The largest template override read.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Reads a template override. The directory may come from a pull request (`templates` in
/// oaskit.toml), and what a template holds ends up in generated files and in `--check` diffs,
/// so a committed symbolic link out of the project (to a secret, to /proc/self/environ) is
/// refused like one in `oaskit.toml`, and so is anything but a regular file of at most 1 MiB.
fn read_override(path: &Path) -> Result<String, TemplateError> {
    let read_error = |message: String| TemplateError::Read {
        path: path.to_path_buf(),
        message,
    };
    let bytes =
        crate::load::root::read_in_project(path, MAX_TEMPLATE_BYTES).map_err(|e| match e {
            crate::load::ReadError::OutsideRoot { root } => {
                read_error(format!("it leads outside its project ({root}): not read"))
            }
            other => read_error(other.to_string()),
        })?;
    String::from_utf8(bytes).map_err(|_| read_error("not UTF-8 text".into()))
}

/// Refuses an override directory that cannot be read, and any template in it that replaces
/// nothing (`client.hbs` for `client.ts.hbs`), naming the templates there are.
fn check_overrides(embedded: &[(&str, &str)], dir: &Path) -> Result<(), TemplateError> {
    let read_error = |e: std::io::Error| TemplateError::Read {
        path: dir.to_path_buf(),
        message: e.to_string(),
    };
    let known: Vec<String> = embedded.iter().map(|(n, _)| (*n).to_string()).collect();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    for name in names {
        if name.starts_with('.') || known.contains(&name) {
            continue;
        }
        let with_suffix = format!("{name}.hbs");
        let hint = if known.contains(&with_suffix) {
            format!(" (did you mean {with_suffix}?)")
        } else if let Some(close) = known.iter().find(|k| close_names(k, &name)) {
            format!(" (did you mean {close}?)")
        } else {
            String::new()
        };
        if name.ends_with(".hbs") || !hint.is_empty() {
            return Err(TemplateError::Unknown {
                path: dir.join(&name),
                name,
                hint,
                known,
            });
        }
    }
    Ok(())
}

/// Names one or two edits apart, or equal but for case: a likely misspelling.
fn close_names(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j] + 1).min(row[j + 1] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 2
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

    #[test]
    fn an_override_that_replaces_nothing_is_an_error() {
        let embedded = [("client.ts.hbs", "c"), ("models.ts.hbs", "m")];
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str| {
            std::fs::write(dir.path().join(name), "x").unwrap_or_else(|e| panic!("{e}"))
        };
        write("models.ts.hbs");
        write(".gitkeep");
        write("README.md");
        assert!(Templates::new(&embedded, Some(dir.path())).is_ok());

        write("client.hbs");
        let error = Templates::new(&embedded, Some(dir.path()))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("client.hbs"), "{error}");
        assert!(error.contains("client.ts.hbs, models.ts.hbs"), "{error}");
        std::fs::remove_file(dir.path().join("client.hbs")).unwrap_or_else(|e| panic!("{e}"));

        // Without the suffix, or with a typo, the name is still recognised as meant.
        for (name, meant) in [
            ("client.ts", "client.ts.hbs"),
            ("modles.ts.hbs", "models.ts.hbs"),
        ] {
            write(name);
            let error = Templates::new(&embedded, Some(dir.path()))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains(&format!("did you mean {meant}?")), "{error}");
            std::fs::remove_file(dir.path().join(name)).unwrap_or_else(|e| panic!("{e}"));
        }

        let missing = dir.path().join("nope");
        assert!(matches!(
            Templates::new(&embedded, Some(&missing)),
            Err(TemplateError::Read { .. })
        ));
    }
}
