//! `load`: bytes → JSON/YAML trees with a source map, for the root document and every file its
//! `$ref`s reach. Nothing here knows OpenAPI beyond the `$ref` keyword; `model` reads the trees.

pub mod limits;
pub mod parse;
pub mod pointer;
pub mod source;
pub mod sourcemap;
mod yaml;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::report::{Location, SourceLines};
pub use parse::{DocFormat, ParseError};
pub use source::{FetchOptions, Origin};
use sourcemap::NodePositions;

/// Index of a file in a [`Documents`] set. The root document is always `FileId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const ROOT: FileId = FileId(0);
}

/// One loaded file.
pub struct SourceFile {
    pub origin: Origin,
    /// How the file is named in messages.
    pub name: String,
    pub text: String,
    pub root: Value,
    pub format: DocFormat,
    positions: OnceLock<Option<NodePositions>>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn positions(&self) -> Option<&NodePositions> {
        self.positions
            .get_or_init(|| match self.format {
                DocFormat::Json => NodePositions::from_json(&self.text).ok(),
                DocFormat::Yaml => None,
            })
            .as_ref()
    }

    /// 1-based line and column of the node at `pointer`.
    pub fn position(&self, pointer: &str) -> Option<(u32, u32)> {
        self.positions()?.locate(&self.root, pointer)
    }

    /// The text of a 1-based line.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).map_or(self.text.len(), |e| e - 1);
        self.text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

/// What may be fetched while loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Follow `$ref`s to `http(s)` URLs from a local document. A document read from a URL may
    /// always refer to other URLs.
    pub allow_remote_refs: bool,
    pub fetch: FetchOptions,
}

/// Why a spec could not be loaded at all (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {reason}")]
    Read { file: String, reason: String },
    #[error("{}: {message}", location.display_short())]
    Parse { location: Location, message: String },
}

impl LoadError {
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::Read { .. } => None,
            LoadError::Parse { location, .. } => Some(location),
        }
    }
}

/// A `$ref` that points somewhere, resolved.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub file: FileId,
    pub pointer: Cow<'a, str>,
    pub value: &'a Value,
}

/// The root document and every document its `$ref`s reach.
pub struct Documents {
    files: Vec<SourceFile>,
    by_origin: HashMap<Origin, FileId>,
    /// Referenced documents that could not be read, with the reason: reported where they are used.
    unreadable: HashMap<Origin, String>,
}

impl Documents {
    /// Loads the document named by a SPEC argument (`path`, `-`, URL or `REV:path`) and
    /// everything it references.
    pub fn load(spec: &str, options: &LoadOptions) -> Result<Documents, LoadError> {
        Self::load_origin(Origin::from_arg(spec), options)
    }

    pub fn load_origin(origin: Origin, options: &LoadOptions) -> Result<Documents, LoadError> {
        let bytes =
            source::read_bytes(&origin, &options.fetch).map_err(|reason| LoadError::Read {
                file: origin.display_name(),
                reason,
            })?;
        Self::from_bytes(origin, bytes, options)
    }

    /// Loads a root document whose bytes are already read (tests, build scripts).
    pub fn from_bytes(
        origin: Origin,
        bytes: impl Into<Vec<u8>>,
        options: &LoadOptions,
    ) -> Result<Documents, LoadError> {
        let mut docs = Documents {
            files: Vec::new(),
            by_origin: HashMap::new(),
            unreadable: HashMap::new(),
        };
        docs.add(origin, bytes.into())?;
        docs.load_references(options)?;
        Ok(docs)
    }

    fn add(&mut self, origin: Origin, bytes: Vec<u8>) -> Result<FileId, LoadError> {
        let name = origin.display_name();
        let parsed = parse::parse_document(&bytes).map_err(|e| LoadError::Parse {
            location: Location {
                file: name.clone(),
                pointer: String::new(),
                line: Some(e.line),
                column: Some(e.column),
            },
            message: e.message,
        })?;
        // parse_document succeeded, so the bytes are UTF-8 (a BOM is kept: it is one character)
        // and the conversion takes them over without a copy.
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let positions = OnceLock::new();
        if let Some(p) = parsed.positions {
            let _ = positions.set(Some(p));
        }
        self.files.push(SourceFile {
            origin: origin.clone(),
            name,
            text,
            root: parsed.root,
            format: parsed.format,
            positions,
            line_starts: OnceLock::new(),
        });
        self.by_origin.insert(origin, id);
        Ok(id)
    }

    /// Reads, breadth first, every document named by a `$ref` in a loaded one.
    fn load_references(&mut self, options: &LoadOptions) -> Result<(), LoadError> {
        let mut next = 0;
        while next < self.files.len() {
            let file = &self.files[next];
            let mut targets = Vec::new();
            collect_external_refs(&file.root, &mut |reference| {
                if let Ok(origin) = file.origin.join(reference) {
                    targets.push(origin);
                }
            });
            let from_remote = file.origin.is_remote();
            for origin in targets {
                if self.by_origin.contains_key(&origin) || self.unreadable.contains_key(&origin) {
                    continue;
                }
                if origin.is_remote() && !from_remote && !options.allow_remote_refs {
                    let reason = "remote $ref not followed: pass --allow-remote-refs to fetch it"
                        .to_string();
                    self.unreadable.insert(origin, reason);
                    continue;
                }
                match source::read_bytes(&origin, &options.fetch) {
                    Ok(bytes) => {
                        self.add(origin, bytes)?;
                    }
                    Err(reason) => {
                        self.unreadable.insert(origin, reason);
                    }
                }
            }
            next += 1;
        }
        Ok(())
    }

    pub fn root(&self) -> &SourceFile {
        &self.files[0]
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The location of `pointer` in `file`, with its line and column when known.
    pub fn location(&self, file: FileId, pointer: &str) -> Location {
        let f = self.file(file);
        let position = f.position(pointer);
        Location {
            file: f.name.clone(),
            pointer: if pointer.is_empty() {
                String::new()
            } else {
                pointer.to_string()
            },
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
        }
    }

    /// Resolves a `$ref` written in `from`: `#/components/schemas/Pet`, `pet.yaml`,
    /// `./schemas.yaml#/Pet`, `https://…`. The error says why it cannot be resolved.
    pub fn resolve_ref<'a>(
        &'a self,
        from: FileId,
        reference: &'a str,
    ) -> Result<Resolved<'a>, String> {
        let (document, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if document.is_empty() {
            from
        } else {
            let origin = self.file(from).origin.join(document)?;
            match self.by_origin.get(&origin) {
                Some(id) => *id,
                None => {
                    let reason = self
                        .unreadable
                        .get(&origin)
                        .map_or("it was not loaded", String::as_str);
                    return Err(format!("cannot read {}: {reason}", origin.display_name()));
                }
            }
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(format!(
                "the fragment `#{fragment}` is a plain name ($anchor); only JSON pointers are supported"
            ));
        }
        let pointer_owned = pointer::from_fragment(fragment);
        let value = pointer::get(&self.file(file).root, &pointer_owned)
            .ok_or_else(|| format!("`#{fragment}` does not exist in {}", self.file(file).name))?;
        let pointer = if pointer_owned == fragment {
            Cow::Borrowed(fragment)
        } else {
            Cow::Owned(pointer_owned)
        };
        Ok(Resolved {
            file,
            pointer,
            value,
        })
    }

    fn by_name(&self, name: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

impl SourceLines for Documents {
    fn source_line(&self, file: &str, line: u32) -> Option<String> {
        self.by_name(file)?.line_text(line).map(str::to_string)
    }
}

/// Calls `found` with the document part of every `$ref` that names another document. Values of
/// `example` and of extensions are data, not references, and are skipped.
fn collect_external_refs(value: &Value, found: &mut dyn FnMut(&str)) {
    match value {
        Value::Object(map) => {
            let mut note = |reference: &str| {
                let document = reference.split('#').next().unwrap_or("");
                if !document.is_empty() {
                    found(document);
                }
            };
            if let Some(Value::String(reference)) = map.get("$ref") {
                note(reference);
            }
            // Discriminator mappings name schemas by reference too.
            if let (Some(Value::String(_)), Some(Value::Object(mapping))) =
                (map.get("propertyName"), map.get("mapping"))
            {
                for target in mapping.values().filter_map(Value::as_str) {
                    if target.contains('#') || target.contains('/') {
                        note(target);
                    }
                }
            }
            for (key, child) in map {
                if key == "example" || key.starts_with("x-") {
                    continue;
                }
                collect_external_refs(child, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_external_refs(i, found)),
        _ => {}
    }
}
