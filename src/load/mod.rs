//! `load`: bytes → JSON/YAML trees with a source map, for the root document and every file its
//! `$ref`s reach. Nothing here knows OpenAPI beyond the `$ref` keyword; `model` reads the trees.

pub mod fetch;
pub mod git;
mod json_value;
pub mod limits;
pub mod parse;
pub mod pointer;
pub mod reader;
pub mod root;
pub mod source;
pub mod sourcemap;
mod yaml;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::catalogue::Rule;
use crate::report::{Location, SourceLines};
pub use fetch::FetchOptions;
pub use limits::{Budget, LoadLimits, MAX_DOCUMENT_BYTES};
pub use parse::{DocFormat, ParseError};
use reader::Reader;
pub use reader::{DocKey, ReadError};
pub use source::{Origin, SpecArgError};
use sourcemap::{JsonText, NodePositions};

/// Index of a file in a [`Documents`] set. The root document is always `FileId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const ROOT: FileId = FileId(0);
}

/// One loaded file.
pub struct SourceFile {
    pub origin: Origin,
    /// What the file is known by (a file's canonical path).
    key: DocKey,
    /// How the file is named in messages.
    pub name: String,
    pub text: String,
    /// The parsed document; `null` once [`Documents::release_json_trees`] released it, after
    /// which the accessors below read the text instead.
    pub root: Value,
    pub format: DocFormat,
    positions: OnceLock<Option<NodePositions>>,
    line_starts: OnceLock<Vec<usize>>,
    tree_released: bool,
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
        if self.tree_released {
            return self.released_text()?.locate(pointer);
        }
        self.positions()?.locate(&self.root, pointer)
    }

    /// Whether the value tree was released (`root` is then `null`).
    pub fn tree_released(&self) -> bool {
        self.tree_released
    }

    /// The text read through its positions, once the tree is released.
    fn released_text(&self) -> Option<JsonText<'_>> {
        self.positions()?.json_text(&self.text)
    }

    /// Whether the node at `pointer` is an object with a member `key`.
    pub fn has_member(&self, pointer: &str, key: &str) -> bool {
        if self.tree_released {
            return self
                .released_text()
                .is_some_and(|text| text.has_member(pointer, key));
        }
        pointer::get(&self.root, pointer)
            .and_then(Value::as_object)
            .is_some_and(|map| map.contains_key(key))
    }

    /// The number of items of the array at `pointer`, if an array is there.
    pub fn array_len(&self, pointer: &str) -> Option<usize> {
        if self.tree_released {
            return self.released_text()?.array_len(pointer);
        }
        pointer::get(&self.root, pointer)
            .and_then(Value::as_array)
            .map(Vec::len)
    }

    /// The string at `pointer`, if a string is there.
    pub fn string_at(&self, pointer: &str) -> Option<Cow<'_, str>> {
        if self.tree_released {
            return self.released_text()?.string(pointer).map(Cow::Owned);
        }
        pointer::get(&self.root, pointer)
            .and_then(Value::as_str)
            .map(Cow::Borrowed)
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

/// What may be read while loading, and how much.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Follow `$ref`s to `http(s)` URLs from a local document. A document read from a URL may
    /// always refer to other URLs.
    pub allow_remote_refs: bool,
    pub fetch: FetchOptions,
    /// Directories whose files may be read besides the root spec's git work tree (`--root`).
    pub roots: Vec<PathBuf>,
    /// The run's budget of bytes and documents, shared by clones of these options.
    pub budget: Budget,
    /// The root spec's URL was named by the user, so its host may be on a private network. A
    /// URL taken from a config file is not.
    pub trust_root_url: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            allow_remote_refs: false,
            fetch: FetchOptions::default(),
            roots: Vec::new(),
            budget: Budget::default(),
            trust_root_url: true,
        }
    }
}

/// Why a spec could not be loaded at all (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Argument(#[from] SpecArgError),
    /// Options that cannot work (a `--root` that is not a directory).
    #[error("{0}")]
    Options(String),
    #[error("{file}: cannot read: {error}")]
    Read { file: String, error: ReadError },
    #[error("{}: {message}", location.display_short())]
    Parse { location: Location, message: String },
}

impl LoadError {
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::Parse { location, .. } => Some(location),
            _ => None,
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

/// Why a reference (a `$ref`, an `externalValue`) leads nowhere. Its message names the
/// document, never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// The document it names could not be read.
    Unreadable { name: String, error: ReadError },
    /// The fragment is not a JSON pointer, or names nothing in the document.
    Fragment(String),
}

impl RefError {
    /// The rule to report it under: the refusal's own (`ref-outside-root`, ...) or
    /// `unresolved`, the consumer's rule for a reference that cannot be followed.
    pub fn rule(&self, unresolved: &'static Rule) -> &'static Rule {
        match self {
            RefError::Unreadable { error, .. } => error.refusal_rule().unwrap_or(unresolved),
            RefError::Fragment(_) => unresolved,
        }
    }

    /// Whether it was refused on purpose (confinement, a limit, an address): always an error.
    pub fn is_refusal(&self) -> bool {
        matches!(self, RefError::Unreadable { error, .. } if error.refusal_rule().is_some())
    }

    /// A URL left unread because remote references are off.
    pub fn is_remote_not_followed(&self) -> bool {
        matches!(
            self,
            RefError::Unreadable {
                error: ReadError::RemoteNotFollowed,
                ..
            }
        )
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::Unreadable { name, error } => write!(f, "cannot read {name}: {error}"),
            RefError::Fragment(message) => f.write_str(message),
        }
    }
}

/// A document named by an `externalValue`, read through the same root and limits as `$ref`s.
#[derive(Debug, Clone)]
pub struct External {
    /// How it is named in messages.
    pub name: String,
    pub bytes: Arc<[u8]>,
}

/// An external document's bytes, or why it could not be read.
type ExternalRead = Result<Arc<[u8]>, ReadError>;

/// The root document and every document its `$ref`s reach.
pub struct Documents {
    files: Vec<SourceFile>,
    by_key: HashMap<DocKey, FileId>,
    by_name: HashMap<String, FileId>,
    /// Where each document part of a `$ref` written in a file leads, found while loading.
    links: Vec<HashMap<String, Result<FileId, ReadError>>>,
    /// Reads what is named after loading (`externalValue`s), within the same root and budget.
    reader: Mutex<Reader>,
    externals: Mutex<HashMap<DocKey, ExternalRead>>,
}

impl Documents {
    /// Loads the document named by a SPEC argument (`path`, `-`, URL, `REV:path` or
    /// `git:REV:path`) and everything it references.
    pub fn load(spec: &str, options: &LoadOptions) -> Result<Documents, LoadError> {
        Self::load_origin(Origin::from_arg(spec)?, options)
    }

    pub fn load_origin(origin: Origin, options: &LoadOptions) -> Result<Documents, LoadError> {
        let mut reader = Reader::new(&origin, options).map_err(LoadError::Options)?;
        let (key, bytes) = reader.read_root(&origin).map_err(|error| LoadError::Read {
            file: origin.display_name(),
            error,
        })?;
        Self::build(origin, key, bytes, reader)
    }

    /// Loads a root document whose bytes are already read (tests, build scripts).
    pub fn from_bytes(
        origin: Origin,
        bytes: impl Into<Vec<u8>>,
        options: &LoadOptions,
    ) -> Result<Documents, LoadError> {
        let reader = Reader::new(&origin, options).map_err(LoadError::Options)?;
        let key = match &origin {
            Origin::Path(path) => DocKey::File(
                path.canonicalize()
                    .or_else(|_| std::path::absolute(path))
                    .unwrap_or_else(|_| path.clone()),
            ),
            Origin::Stdin => DocKey::Stdin,
            Origin::Url(url) => DocKey::Url(url.clone()),
            Origin::Git { rev, path } => DocKey::Git {
                rev: rev.clone(),
                path: path.clone(),
            },
        };
        Self::build(origin, key, bytes.into(), reader)
    }

    fn build(
        origin: Origin,
        key: DocKey,
        bytes: Vec<u8>,
        reader: Reader,
    ) -> Result<Documents, LoadError> {
        let mut docs = Documents {
            files: Vec::new(),
            by_key: HashMap::new(),
            by_name: HashMap::new(),
            links: Vec::new(),
            reader: Mutex::new(reader),
            externals: Mutex::new(HashMap::new()),
        };
        docs.add(origin, key, bytes)?;
        docs.load_references()?;
        Ok(docs)
    }

    fn add(&mut self, origin: Origin, key: DocKey, bytes: Vec<u8>) -> Result<FileId, LoadError> {
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
        self.by_name.entry(name.clone()).or_insert(id);
        self.by_key.insert(key.clone(), id);
        self.files.push(SourceFile {
            origin,
            key,
            name,
            text,
            root: parsed.root,
            format: parsed.format,
            positions,
            line_starts: OnceLock::new(),
            tree_released: false,
        });
        self.links.push(HashMap::new());
        Ok(id)
    }

    /// Reads, breadth first, every document named by a `$ref` in a loaded one. A document
    /// reached under several names (symlinks, `a/../b`) is read once.
    fn load_references(&mut self) -> Result<(), LoadError> {
        let mut next = 0;
        while next < self.files.len() {
            let file = &self.files[next];
            let mut references = Vec::new();
            collect_external_refs(&file.root, &mut |reference| {
                references.push(reference.to_string());
            });
            for reference in references {
                if self.links[next].contains_key(&reference) {
                    continue;
                }
                let file = &self.files[next];
                let located = self.reader.get_mut().map_err(|_| poisoned())?.locate(
                    &file.key,
                    &file.origin,
                    &reference,
                );
                let link = match located {
                    Err(error) => Err(error),
                    Ok(target) => match self.by_key.get(&target.key) {
                        Some(id) => Ok(*id),
                        None => {
                            let read = self
                                .reader
                                .get_mut()
                                .map_err(|_| poisoned())?
                                .read(&target.key);
                            match read {
                                Ok(bytes) => Ok(self.add(target.origin, target.key, bytes)?),
                                Err(error) => Err(error),
                            }
                        }
                    },
                };
                self.links[next].insert(reference, link);
            }
            next += 1;
        }
        Ok(())
    }

    pub fn root(&self) -> &SourceFile {
        &self.files[0]
    }

    /// Drops the value trees of the JSON files and keeps their text, from which positions,
    /// members, arrays and strings are then read ([`SourceFile::position`],
    /// [`SourceFile::has_member`], ...; `root` becomes `null`). For a command done with the
    /// trees once its model is built: `oaskit diff` on a 17 MB spec holds ~175 MB less per
    /// spec. A YAML file keeps its tree (its positions are not read from its text).
    pub fn release_json_trees(&mut self) {
        for file in &mut self.files {
            if file.format == DocFormat::Json && !file.tree_released {
                drop(std::mem::take(&mut file.root));
                file.tree_released = true;
                // A JSON file's positions are always scanned from its text, tree or not. Scan
                // now, into the memory the tree just gave back, rather than later on top of it.
                file.positions();
            }
        }
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
    /// `./schemas.yaml#/Pet`, `https://…`.
    pub fn resolve_ref<'a>(
        &'a self,
        from: FileId,
        reference: &'a str,
    ) -> Result<Resolved<'a>, RefError> {
        let (document, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if document.is_empty() {
            from
        } else {
            match self.links[from.0 as usize].get(document) {
                Some(Ok(id)) => *id,
                Some(Err(error)) => {
                    return Err(RefError::Unreadable {
                        name: self.name_of(from, document),
                        error: error.clone(),
                    });
                }
                None => {
                    return Err(RefError::Unreadable {
                        name: self.name_of(from, document),
                        error: ReadError::BadReference("it was not loaded".into()),
                    });
                }
            }
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(RefError::Fragment(format!(
                "the fragment `#{fragment}` is a plain name ($anchor); only JSON pointers are supported"
            )));
        }
        let pointer_owned = pointer::from_fragment(fragment);
        let value = pointer::get(&self.file(file).root, &pointer_owned).ok_or_else(|| {
            RefError::Fragment(format!(
                "`#{fragment}` does not exist in {}",
                self.file(file).name
            ))
        })?;
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

    /// Reads the document an `externalValue` written in `from` names, through the root, the
    /// limits and the HTTP client `$ref`s use. Read once per document.
    pub fn read_external(&self, from: FileId, reference: &str) -> Result<External, RefError> {
        let name = self.name_of(from, reference);
        let unreadable = |error: ReadError| RefError::Unreadable {
            name: name.clone(),
            error,
        };
        let file = self.file(from);
        let mut reader = self
            .reader
            .lock()
            .map_err(|_| unreadable(ReadError::Io("the reader failed earlier".into())))?;
        let target = reader
            .locate(&file.key, &file.origin, reference)
            .map_err(unreadable)?;
        if let Some(id) = self.by_key.get(&target.key) {
            return Ok(External {
                name,
                bytes: Arc::from(self.file(*id).text.as_bytes()),
            });
        }
        let mut externals = self
            .externals
            .lock()
            .map_err(|_| unreadable(ReadError::Io("the reader failed earlier".into())))?;
        let read = externals
            .entry(target.key.clone())
            .or_insert_with(|| reader.read(&target.key).map(Arc::from));
        match read {
            Ok(bytes) => Ok(External {
                name,
                bytes: Arc::clone(bytes),
            }),
            Err(error) => Err(unreadable(error.clone())),
        }
    }

    /// How a document named by `reference` in `from` is shown: its path joined by name.
    fn name_of(&self, from: FileId, reference: &str) -> String {
        self.file(from)
            .origin
            .join(reference)
            .map_or_else(|_| reference.to_string(), |o| o.display_name())
    }
}

fn poisoned() -> LoadError {
    LoadError::Options("the document reader failed".into())
}

impl SourceLines for Documents {
    fn source_line(&self, file: &str, line: u32) -> Option<String> {
        let id = self.by_name.get(file)?;
        self.file(*id).line_text(line).map(str::to_string)
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
