//! Which module of `src/operations/` holds each operation: one module per tag (an operation's
//! first tag; `untagged` without one), so that an application importing a few operation functions
//! bundles those and the runtime, not the 1,000-odd others. Every function and type name is
//! unique in the package (one `Namer`), so tags whose file names coincide share a module safely.

use serde::Serialize;

use super::naming::camel_case;
use crate::model::wire::WireOperation;

/// One module of `src/operations/`.
#[derive(Debug, Clone, Serialize)]
pub struct OperationModule {
    /// The file stem: lowercase ASCII words joined by `-` (`pull-requests`).
    pub file: String,
    /// The namespace `client.ts` and `pagination.ts` import it as (`pullRequestsOperations`).
    pub alias: String,
    /// The tags of its operations as the spec writes them (none: untagged operations).
    #[serde(skip)]
    pub tags: Vec<String>,
}

/// The longest file stem written (paths stay well under every file system's limits).
const MAX_STEM: usize = 64;

/// Names Windows refuses as file names whatever their extension.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The module of every operation (an index into the modules, in the operations' order) and the
/// modules in the order they are first used.
pub fn assign(operations: &[WireOperation<'_>]) -> (Vec<OperationModule>, Vec<usize>) {
    let mut modules: Vec<OperationModule> = Vec::new();
    let mut of_operation = Vec::with_capacity(operations.len());
    for wire in operations {
        let tag = wire.operation.tags.first();
        let file = file_stem(tag.map(String::as_str));
        let index = match modules.iter().position(|m| m.file == file) {
            Some(index) => index,
            None => {
                let base = format!("{}Operations", camel_case(&file, "untagged"));
                let mut alias = base.clone();
                let mut n = 1;
                while modules.iter().any(|m| m.alias == alias) {
                    n += 1;
                    alias = format!("{base}{n}");
                }
                modules.push(OperationModule {
                    file,
                    alias,
                    tags: Vec::new(),
                });
                modules.len() - 1
            }
        };
        if let Some(tag) = tag
            && !modules[index].tags.contains(tag)
        {
            modules[index].tags.push(tag.clone());
        }
        of_operation.push(index);
    }
    (modules, of_operation)
}

/// `Pull Requests` → `pull-requests`: lowercase (one file on case-insensitive file systems),
/// ASCII letters and digits only (no path separators, dots or control characters from the spec),
/// bounded, never empty and never a Windows device name.
pub fn file_stem(tag: Option<&str>) -> String {
    let lower: String = tag
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let mut stem = String::new();
    for word in lower.split_whitespace() {
        if stem.len() + word.len() + 1 > MAX_STEM {
            break;
        }
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(word);
    }
    if stem.is_empty() {
        // A first word longer than the bound, or no word at all.
        stem = lower
            .split_whitespace()
            .next()
            .unwrap_or("untagged")
            .to_string();
        stem.truncate(MAX_STEM);
    }
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        stem.push_str("-tag");
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_stems_are_safe_and_stable() {
        for (tag, want) in [
            (Some("pets"), "pets"),
            (Some("Pull Requests"), "pull-requests"),
            (Some("../../etc/passwd"), "etc-passwd"),
            (Some("Ünïcode only"), "n-code-only"),
            (Some("CON"), "con-tag"),
            (Some("*/"), "untagged"),
            (Some(""), "untagged"),
            (None, "untagged"),
        ] {
            assert_eq!(file_stem(tag), want, "{tag:?}");
        }
        let long = "a".repeat(200);
        assert_eq!(file_stem(Some(&long)).len(), 64);
        let words = "word ".repeat(40);
        assert!(file_stem(Some(&words)).len() <= 64);
    }
}
